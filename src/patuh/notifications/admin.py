from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.notifications.models import Notification, NotificationPreference, OverdueNotice


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Written by the events that cause them: shown, never edited."""

    list_display = ("created_at", "recipient", "event", "title", "read_at", "email_status")
    list_filter = ("event", "email_status", "in_app")
    search_fields = ("recipient__username", "recipient__email", "title")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    """Each user sets their own on the preferences page (audited there)."""

    list_display = ("user", "event", "in_app", "email", "updated_at")
    list_filter = ("event", "in_app", "email")
    search_fields = ("user__username",)
    list_select_related = ("user",)


@admin.register(OverdueNotice)
class OverdueNoticeAdmin(ReadOnlyAdmin):
    list_display = ("notified_at", "action", "due_on")
    list_select_related = ("action__service_unit",)
