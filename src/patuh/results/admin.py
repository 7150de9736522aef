from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from patuh.assessments.admin import ReadOnlyAdmin
from patuh.results.models import (
    PUBLISHED_KEY_FIELDS,
    PUBLISHED_VALUE_FIELDS,
    PublishedResult,
    ResultSnapshot,
)
from patuh.results.published import (
    can_edit_published,
    save_published_result,
    validate_published_result,
)
from patuh.scoring.published import ENTITY_KINDS, PROGRAMS

NATURAL_KEY = ("program", "year", "entity_kind", "entity_name", "parent_name")


@admin.register(ResultSnapshot)
class ResultSnapshotAdmin(ReadOnlyAdmin):
    list_display = ("government", "cycle", "score", "category", "published_at", "superseded_at")
    list_filter = ("cycle__year", "category")
    search_fields = ("government__name", "checksum")
    list_select_related = ("government", "cycle")


class PublishedResultForm(forms.ModelForm):
    """A published figure as an admin adds or corrects it: checked as ``patuh published
    check`` would, with the reason for a correction (kept in the audit trail)."""

    reason = forms.CharField(
        label=_("alasan koreksi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wajib untuk koreksi: apa yang salah dan sumber mana yang membetulkannya."),
    )

    class Meta:
        model = PublishedResult
        fields = (*PUBLISHED_KEY_FIELDS, "region_code", *PUBLISHED_VALUE_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, choices in (("program", PROGRAMS), ("entity_kind", ENTITY_KINDS)):
            if name in self.fields:  # absent on a correction (the figure's identity is kept)
                self.fields[name] = forms.ChoiceField(
                    label=self.fields[name].label, choices=[(c, c) for c in choices]
                )

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        try:
            validate_published_result(self.instance, reason=self.cleaned_data.get("reason", ""))
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else NON_FIELD_ERRORS, messages)


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin):
    """Published figures: a national admin adds or corrects one, always with a source; the
    write goes through :func:`save_published_result` (audited, ``origin=admin``)."""

    form = PublishedResultForm
    list_display = (
        "entity_name",
        "program",
        "year",
        "score",
        "category",
        "zone",
        "label",
        "source_title",
        "confidence",
        "origin",
    )
    list_filter = ("program", "year", "origin", "confidence", "entity_kind")
    search_fields = ("entity_name", "region_code", "parent_name", "source_title")
    list_select_related = ("government",)
    readonly_fields = ("government", "origin", "updated_at", "updated_by")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # a correction keeps the figure's identity; a load matches on it
            return (*NATURAL_KEY, *self.readonly_fields)
        return self.readonly_fields

    def has_add_permission(self, request):
        return can_edit_published(request.user)

    def has_change_permission(self, request, obj=None):
        return can_edit_published(request.user)

    def has_delete_permission(self, request, obj=None):  # a published figure is corrected
        return False

    def save_model(self, request, obj, form, change):
        save_published_result(obj, actor=request.user, reason=form.cleaned_data.get("reason", ""))
