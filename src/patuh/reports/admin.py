from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ("cycle", "province", "status", "done", "total", "created_by", "created_at")
    list_filter = ("status",)
    search_fields = ("cycle__name", "worker", "error")
    list_select_related = ("cycle", "province", "created_by")
    exclude = ("file",)
