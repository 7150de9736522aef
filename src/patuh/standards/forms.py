"""The edit form: the 14 components, the maklumat and the adoption date.

The form only parses; completeness and limits are checked by the verbs in ``services.py`` so
that every caller gets the same messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from patuh.standards.components import COMPONENTS, INTERNAL_CODES, PUBLIC_CODES
from patuh.standards.models import ServiceStandard
from patuh.standards.services import COMPONENT_MAX_LENGTH, PLEDGE_MAX_LENGTH


def field_name(code: str) -> str:
    return f"component_{code}"


class StandardForm(forms.Form):
    adopted_on = forms.DateField(
        label=_("Tanggal penetapan"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=_("Tanggal keputusan kepala unit yang menetapkan standar pelayanan ini."),
    )
    service_pledge = forms.CharField(
        label=_("Maklumat pelayanan"),
        required=False,
        max_length=PLEDGE_MAX_LENGTH,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_(
            "Pernyataan kesanggupan unit melaksanakan pelayanan sesuai standar, beserta sanksi "
            "bila tidak ditepati."
        ),
    )
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for component in COMPONENTS:
            self.fields[field_name(component.code)] = forms.CharField(
                label=f"{component.code}. {gettext_lazy(component.label)}",
                required=False,
                max_length=COMPONENT_MAX_LENGTH,
                strip=False,
                widget=forms.Textarea(
                    attrs={"rows": 4 if component.public else 3, "class": "form-control"}
                ),
                help_text=gettext_lazy(component.hint),
            )

    @classmethod
    def for_standard(cls, standard: ServiceStandard | None) -> StandardForm:
        if standard is None:
            return cls(initial={"revision": 0})
        initial: dict[str, Any] = {
            "adopted_on": standard.adopted_on,
            "service_pledge": standard.service_pledge,
            "revision": standard.revision if standard.is_draft else 0,
        }
        for component in COMPONENTS:
            initial[field_name(component.code)] = standard.text(component.code)
        return cls(initial=initial)

    def components(self) -> dict[str, str]:
        return {c.code: self.cleaned_data.get(field_name(c.code)) or "" for c in COMPONENTS}

    def public_fields(self) -> list[forms.BoundField]:
        return [self[field_name(code)] for code in PUBLIC_CODES]

    def internal_fields(self) -> list[forms.BoundField]:
        return [self[field_name(code)] for code in INTERNAL_CODES]
