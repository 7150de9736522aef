from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.reports.models import JobLogLine, ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "kind",
        "cycle",
        "province",
        "status",
        "done",
        "total",
        "created_by",
        "created_at",
        "heartbeat_at",
    )
    list_filter = ("status", "kind")
    search_fields = ("cycle__name", "worker", "error")
    list_select_related = ("cycle", "province", "created_by")
    exclude = ("file", "source")


@admin.register(JobLogLine)
class JobLogLineAdmin(ReadOnlyAdmin):
    list_display = ("at", "job", "level", "message")
    list_filter = ("level",)
    search_fields = ("message",)
    list_select_related = ("job__cycle",)
