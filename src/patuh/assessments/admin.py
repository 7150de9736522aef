from django.contrib import admin

from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessorAssignment,
    ChangeRequest,
    Comment,
    Cycle,
    CycleStage,
    Evidence,
    GovernmentAnswer,
    ProductObservation,
    Respondent,
    StageOverride,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by audited service verbs: the admin shows, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CycleStageInline(admin.TabularInline):
    model = CycleStage
    extra = 0


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):
    list_display = ("year", "name", "instrument_code", "province", "is_synthetic")
    list_filter = ("year", "instrument_code", "province", "is_synthetic")
    search_fields = ("name",)
    list_select_related = ("province",)
    inlines = [CycleStageInline]


@admin.register(CycleStage)
class CycleStageAdmin(admin.ModelAdmin):
    list_display = ("cycle", "stage", "starts_on", "ends_on")
    list_filter = ("stage", "cycle__year")
    search_fields = ("note", "cycle__name")
    list_select_related = ("cycle",)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = (
        "service_unit",
        "unit_government",
        "cycle",
        "kind",
        "is_synthetic",
        "updated_at",
    )
    list_filter = ("kind", "cycle__year", "is_synthetic", "service_unit__type")
    search_fields = ("service_unit__name", "service_unit__government__name")
    list_select_related = ("service_unit__government", "cycle")
    autocomplete_fields = ("service_unit",)

    @admin.display(description="Pemerintah", ordering="service_unit__government__name")
    def unit_government(self, obj):
        return obj.service_unit.government


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ("indicator_code", "value", "assessment", "version", "updated_at")
    list_filter = ("assessment__kind", "assessment__cycle__year")
    search_fields = (
        "indicator_code",
        "assessment__service_unit__name",
        "assessment__service_unit__government__name",
    )
    list_select_related = ("assessment__service_unit__government", "assessment__cycle")
    raw_id_fields = ("assessment",)

    def has_add_permission(self, request):  # answers are written through record_answer()
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StageOverride)
class StageOverrideAdmin(ReadOnlyAdmin):
    list_display = ("stage", "government", "open_until", "created_by", "created_at")
    list_select_related = ("stage__cycle", "government", "created_by")


@admin.register(AssessorAssignment)
class AssessorAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("assessor", "government", "cycle", "created_at")
    list_filter = ("cycle__year",)
    list_select_related = ("assessor", "government", "cycle")


@admin.register(Respondent)
class RespondentAdmin(ReadOnlyAdmin):
    list_display = ("assessment", "group", "position", "title")
    list_filter = ("group",)
    raw_id_fields = ("assessment",)


@admin.register(ProductObservation)
class ProductObservationAdmin(ReadOnlyAdmin):
    list_display = ("product", "assessment", "published_physically", "published_electronically")
    raw_id_fields = ("assessment",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "kind", "original_name", "content_type", "uploaded_at")
    list_filter = ("kind", "content_type")
    search_fields = ("indicator_code", "original_name", "sha256", "url")
    raw_id_fields = ("assessment",)
    exclude = ("file", "thumbnail")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "author", "created_at", "resolved_at")
    search_fields = ("indicator_code", "body")
    raw_id_fields = ("assessment", "parent")


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("indicator_code", "assessment", "requested_by", "requested_at", "answered_at")
    search_fields = ("indicator_code", "note")
    raw_id_fields = ("assessment",)


@admin.register(GovernmentAnswer)
class GovernmentAnswerAdmin(ReadOnlyAdmin):
    """Entered on the cycle's government-level data page or imported (both audited)."""

    list_display = ("cycle", "government", "indicator_code", "value", "year", "source")
    list_filter = ("cycle", "indicator_code")
    search_fields = ("government__name", "government__region_code")
