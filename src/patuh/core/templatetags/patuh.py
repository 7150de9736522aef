"""Filters for showing scores: one formatting rule, one colour per zone."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patuh.scoring import format_score

register = template.Library()

ZONE_CLASSES = {
    "hijau": "text-bg-success",
    "kuning": "text-bg-warning",
    "merah": "text-bg-danger",
    "hitam": "text-bg-dark",
}


@register.filter
def score(value: Decimal | None) -> str:
    """``Decimal('93.275')`` → ``"93.28"`` (half-up, the scoring core's policy)."""
    return format_score(value)


@register.filter
def zone_class(zone: str | None) -> str:
    return ZONE_CLASSES.get((zone or "").lower(), "text-bg-secondary")


@register.filter
def percent(share: Decimal | None) -> str:
    """A 0–1 share as a percentage with two decimals."""
    return "–" if share is None else format_score(share * 100)


@register.filter
def answer_value(value: Any) -> str:
    """A stored answer for people: ``None`` → "belum diisi", ``"na"`` → "N/A", lists joined."""
    if value is None:
        return str(_("belum diisi"))
    if isinstance(value, str):
        return "N/A" if value.strip().lower() == "na" else value
    if isinstance(value, list | tuple):
        return ", ".join(answer_value(item) for item in value) or str(_("belum diisi"))
    return str(value)


@register.filter
def part_label(key: str, view: Any) -> str:
    """The respondent's or product's label for a part key of an indicator view."""
    for part in getattr(view, "parts", []):
        if part.key == key:
            return part.label
    return key


ACTION_LABELS = {
    "answer.recorded": _("Jawaban diubah"),
    "assessment.submitted": _("Penilaian diajukan"),
    "assessment.changes_requested": _("Perbaikan diminta"),
    "assessment.verified": _("Diverifikasi"),
    "assessment.finalised": _("Difinalkan"),
    "assessment.published": _("Dipublikasikan"),
    "assessment.reopened": _("Dibuka kembali"),
    "assessment.returned_to_draft": _("Dikembalikan ke draf"),
    "assessment.dropped": _("Dikeluarkan dari kampanye"),
    "assessment.restored": _("Dikembalikan ke kampanye"),
    "change_request.added": _("Permintaan perbaikan"),
    "evidence.added": _("Bukti ditambahkan"),
    "evidence.carried_forward": _("Bukti dibawa dari siklus lalu"),
    "evidence.confirmed": _("Bukti dikonfirmasi"),
    "evidence.removed": _("Bukti ditarik"),
    "comment.added": _("Komentar"),
    "comment.resolved": _("Komentar diselesaikan"),
    "comment.reopened": _("Komentar dibuka lagi"),
    "respondent.changed": _("Narasumber diubah"),
    "product_observation.changed": _("Produk sampel diubah"),
    "cycle.stage_dates_set": _("Jadwal tahap diubah"),
    "cycle.window_overridden": _("Jendela tahap diperpanjang"),
    "cycle.campaign_created": _("Penilaian dibuat"),
    "cycle.assessor_assigned": _("Penilai ditugaskan"),
    "cycle.assessor_unassigned": _("Penugasan dicabut"),
    "cycle.unit_added": _("Unit ditambahkan ke kampanye"),
    "cycle.sites_chosen": _("Lokus penilaian dipilih"),
    "cycle.opened": _("Siklus dibuka"),
}

FIELD_LABELS = {
    "value": _("nilai"),
    "parts": _("per responden/produk"),
    "na_reason": _("alasan N/A"),
    "note": _("catatan"),
    "title": _("judul"),
    "name": _("berkas"),
    "url": _("tautan"),
    "body": _("isi"),
    "status": _("status"),
    "resolved": pgettext_lazy("komentar", "selesai"),
    "confirmed": _("dikonfirmasi"),
}
SKIPPED_FIELDS = {"indicator", "content_type", "size", "kind", "parts"}


@register.filter
def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


@register.filter
def change_summary(state: Any) -> str:
    """An audit row's old or new state in one line: "nilai: 2 · catatan: …"."""
    if state is None:
        return "–"
    if not isinstance(state, dict):
        return str(state)
    items = []
    for key, value in state.items():
        if key in SKIPPED_FIELDS or value in ("", None, {}, []):
            continue
        if key == "sha256":
            items.append(f"SHA-256 {str(value)[:12]}…")
            continue
        shown = answer_value(value) if key == "value" else value
        if key == "status":
            shown = status_label(value)
        if isinstance(value, dict):
            shown = ", ".join(f"{k}={answer_value(v)}" for k, v in value.items())
        if isinstance(value, bool):
            shown = _("ya") if value else _("tidak")
        items.append(f"{FIELD_LABELS.get(key, key)}: {shown}")
    return " · ".join(str(item) for item in items) or "–"


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping[key]`` in a template, ``None`` when absent."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def progress_step(percent: int) -> int:
    """A percentage rounded to Bootstrap's width classes (w-0, w-25, w-50, w-75, w-100)."""
    return min((0, 25, 50, 75, 100), key=lambda step: abs(step - (percent or 0)))


def status_label(code: Any) -> str:
    """The label of a workflow, follow-up or product status code, for people."""
    from patuh.assessments.models import AssessmentStatus
    from patuh.followup.models import ActionStatus, ProductFollowUpStatus

    for choices in (AssessmentStatus, ActionStatus, ProductFollowUpStatus):
        if code in choices.values:
            return str(choices(code).label)
    return str(code)
