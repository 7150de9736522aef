from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.reminders.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(ReadOnlyAdmin):
    """Written only by ``patuh reminders send``: shown, never edited."""

    list_display = ("sent_at", "recipient", "email", "stage", "closes_on", "days_before", "kind")
    list_filter = ("kind", "days_before", "stage__stage", "stage__cycle__year")
    search_fields = (
        "recipient__username",
        "recipient__email",
        "email",
        "stage__cycle__name",
    )
    list_select_related = ("recipient", "stage__cycle")
    date_hierarchy = "sent_at"
