from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.complaints.models import Complaint


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    """Read only (changes go through the register's verbs, which audit them); the
    complainant's identity is not shown here: only the unit's complaint officers see it."""

    list_display = ("tracking_id", "unit", "channel", "complaint_class", "received_on", "closed_on")
    list_filter = ("channel", "complaint_class", "source", "is_synthetic")
    search_fields = ("tracking_id", "subject", "unit__name")
    list_select_related = ("unit",)
    exclude = ("complainant_name", "complainant_contact", "description")
