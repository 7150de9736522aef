from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.locker.models import UnitDocument


@admin.register(UnitDocument)
class UnitDocumentAdmin(ReadOnlyAdmin):
    """Written only by the audited verbs in ``patuh.locker.services``."""

    list_display = ("service_unit", "kind", "title", "original_name", "uploaded_at", "removed_at")
    list_filter = ("kind",)
    search_fields = (
        "title",
        "original_name",
        "service_unit__name",
        "service_unit__government__name",
    )
    list_select_related = ("service_unit__government",)
    raw_id_fields = ("service_unit", "uploaded_by", "removed_by", "replaced_by")
