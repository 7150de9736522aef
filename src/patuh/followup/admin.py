from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.followup.models import FollowUpAction, OmbudsmanProduct


@admin.register(FollowUpAction)
class FollowUpActionAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "service_unit", "cycle", "status", "owner", "due_on")
    list_filter = ("status", "cycle__year")
    search_fields = ("indicator_code", "indicator_name", "service_unit__name")
    list_select_related = ("service_unit", "cycle", "owner")
    exclude = ("proof_file",)


@admin.register(OmbudsmanProduct)
class OmbudsmanProductAdmin(ReadOnlyAdmin):
    list_display = ("reference", "kind", "government", "issued_on", "follow_up_status")
    list_filter = ("kind", "follow_up_status")
    search_fields = ("reference", "subject", "government__name")
    list_select_related = ("government",)
