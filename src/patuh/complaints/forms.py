"""The front office's walk-in form and the complaint officer's three actions."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patuh.complaints.models import Channel, Complaint, ComplaintClass


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class _Bootstrap:
    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class WalkInForm(_Bootstrap, forms.ModelForm):
    """What the front office asks: the complainant's name and contact are optional (an
    anonymous complaint is allowed, UU 27/2022 asks for no more than is needed)."""

    class Meta:
        model = Complaint
        fields = [
            "received_on",
            "channel",
            "complaint_class",
            "category",
            "subject",
            "description",
            "tracking_id",
            "anonymous",
            "complainant_name",
            "complainant_contact",
        ]
        widgets = {
            "received_on": _date_input(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"tracking_id": _("Nomor pelacakan SP4N-LAPOR! (jika ada)")}
        help_texts = {
            "tracking_id": _("Kosongkan untuk pengaduan langsung: nomor register dibuat otomatis."),
            "complainant_name": _(
                "Tidak wajib. Hanya petugas pengelola pengaduan yang melihatnya."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tracking_id"].required = False
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["channel"].initial = Channel.WALK_IN
        self.fields["complaint_class"].initial = ComplaintClass.COMPLAINT
        self._style()


class DisposeForm(_Bootstrap, forms.Form):
    forwarded_on = forms.DateField(label=_("Tanggal disposisi"), widget=_date_input())
    disposition_to = forms.CharField(label=_("Disposisi kepada"), max_length=160)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarded_on"].initial = timezone.localdate()
        self._style()


class FollowUpForm(_Bootstrap, forms.Form):
    followed_up_on = forms.DateField(label=_("Tanggal tindak lanjut"), widget=_date_input())
    follow_up = forms.CharField(label=_("Tindak lanjut"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["followed_up_on"].initial = timezone.localdate()
        self._style()


class CloseForm(_Bootstrap, forms.Form):
    closed_on = forms.DateField(label=_("Tanggal selesai"), widget=_date_input())
    closure_note = forms.CharField(
        label=_("Catatan penyelesaian"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = timezone.localdate()
        self._style()


class FilterForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Semua status")),
            ("open", _("Belum selesai")),
            ("overdue", _("Lewat tenggat tindak lanjut")),
            ("closed", pgettext_lazy("complaint", "Selesai")),
        ],
    )
    channel = forms.ChoiceField(required=False, choices=[("", _("Semua kanal")), *Channel.choices])
    complaint_class = forms.ChoiceField(
        required=False, choices=[("", _("Semua klasifikasi")), *ComplaintClass.choices]
    )
