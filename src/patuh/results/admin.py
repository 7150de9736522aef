from django.contrib import admin

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.results.models import ResultSnapshot


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("government", "cycle", "score", "category", "published_at", "superseded_at")
    list_filter = ("cycle__year", "category")
    search_fields = ("government__name", "checksum")
    list_select_related = ("government", "cycle")
