from django.contrib import admin

from patuh.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "reason", "actor__username")
    date_hierarchy = "created_at"
    list_select_related = ("actor",)
    readonly_fields = (
        "created_at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "old",
        "new",
        "reason",
    )

    def has_add_permission(self, request):  # the audit trail is written by services only
        return False

    def has_change_permission(self, request, obj=None):
        return False
