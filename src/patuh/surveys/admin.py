from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.surveys.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin):
    list_display = ("unit", "cycle", "kind", "channel", "submitted_at", "voided_at")
    list_filter = ("kind", "channel", "cycle__year")
    search_fields = ("respondent_id", "unit__name")
    list_select_related = ("unit", "cycle")
    exclude = ("device_hash", "address_hash")
