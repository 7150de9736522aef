"""Survey verbs: the questions, a submission (with duplicate flagging and quotas), voiding,
the unit's results, and the perception answers flowing into the assessment's Output."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patuh.assessments.models import Assessment, Cycle
from patuh.core.services import record_event
from patuh.scoring import load_instrument
from patuh.scoring.skm import SkmResult, krejcie_morgan, score_skm
from patuh.surveys.models import Channel, SurveyKind, SurveyResponse

SKM_INSTRUMENT = "skm-2017"
PERCEPTION_DIMENSION = "OU"
"""The maladministration forms (OU-1…OU-5) are asked yes/no; other user-survey indicators
(the 2025 public-trust KM-*) are not part of this survey."""
YES, NO = "ya", "tidak"
PERCEPTION_SCORE = {YES: 0, NO: 3}
"""A respondent who experienced or saw the form scores 0, one who did not 3 (INSTRUMENTS.md)."""

PROFILE_CHOICES: dict[str, list[tuple[str, Any]]] = {
    "age_group": [
        ("<20", gettext_lazy("di bawah 20 tahun")),
        ("20-29", "20–29"),
        ("30-39", "30–39"),
        ("40-49", "40–49"),
        ("50-59", "50–59"),
        ("60+", gettext_lazy("60 tahun ke atas")),
    ],
    "sex": [("l", gettext_lazy("Laki-laki")), ("p", gettext_lazy("Perempuan"))],
    "education": [
        ("sd", gettext_lazy("SD atau sederajat")),
        ("smp", gettext_lazy("SMP atau sederajat")),
        ("sma", gettext_lazy("SMA atau sederajat")),
        ("diploma", gettext_lazy("Diploma (D1–D4)")),
        ("s1", "S1"),
        ("s2", gettext_lazy("S2 ke atas")),
    ],
    "occupation": [
        ("asn", gettext_lazy("ASN/PNS")),
        ("tni_polri", "TNI/Polri"),
        ("swasta", gettext_lazy("Pegawai swasta")),
        ("wirausaha", gettext_lazy("Wirausaha")),
        ("pelajar", gettext_lazy("Pelajar/mahasiswa")),
        ("lainnya", gettext_lazy("Lainnya")),
    ],
}
PROFILE_LABELS = {
    "age_group": gettext_lazy("Usia"),
    "sex": gettext_lazy("Jenis kelamin"),
    "education": gettext_lazy("Pendidikan terakhir"),
    "occupation": gettext_lazy("Pekerjaan"),
    "service": gettext_lazy("Layanan yang diterima"),
}


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: list[tuple[str, str]]


def questions(kind: str, cycle: Cycle) -> list[Question]:
    """The questions of a survey: SKM U1–U9 (1–4 with the official labels) or the
    perception forms OU-* of the cycle's instrument (yes/no)."""
    if kind == SurveyKind.SKM:
        instrument = load_instrument(SKM_INSTRUMENT)
        return [
            Question(
                ind.code,
                ind.description or ind.name,
                [(str(level), f"{level} — {text}") for level, text in sorted(ind.rubric.items())],
            )
            for ind in instrument.indicators.values()
        ]
    instrument = load_instrument(cycle.instrument_code)
    return [
        Question(
            ind.code,
            _("Pernah mengalami atau melihat: %(name)s?") % {"name": ind.name},
            [(YES, _("Ya")), (NO, _("Tidak"))],
        )
        for ind in instrument.indicators.values()
        if ind.data_source == "user_survey" and ind.dimension_code == PERCEPTION_DIMENSION
    ]


def current_cycle(unit: Any) -> Cycle | None:
    """The latest cycle covering the unit's government."""
    return (
        Cycle.objects.filter(Q(province=unit.government.province_id) | Q(province__isnull=True))
        .order_by("-year")
        .first()
    )


def fingerprint(value: str) -> str:
    """A keyed hash: the raw device token or address is never stored."""
    key = settings.SECRET_KEY.encode()
    return hashlib.sha256(key + b"|" + value.encode()).hexdigest() if value else ""


def clean_answers(kind: str, cycle: Cycle, raw: dict[str, Any]) -> dict[str, Any]:
    """Every question answered with one of its choices; otherwise a message per question."""
    answers: dict[str, Any] = {}
    missing = []
    for question in questions(kind, cycle):
        value = str(raw.get(question.code, "") or "").strip()
        if value not in {choice for choice, _label in question.choices}:
            missing.append(question.code)
            continue
        answers[question.code] = int(value) if kind == SurveyKind.SKM else value
    if missing:
        raise ValidationError(
            _("Mohon jawab semua pertanyaan (%(codes)s).") % {"codes": ", ".join(missing)},
            code="unanswered",
        )
    return answers


def clean_profile(raw: dict[str, Any], products: list[str]) -> dict[str, str]:
    profile = {}
    for field, choices in PROFILE_CHOICES.items():
        value = str(raw.get(field, "") or "").strip()
        if value and value in {code for code, _label in choices}:
            profile[field] = value
    service = str(raw.get("service", "") or "").strip()[:200]
    if service:
        profile["service"] = service if service in products else "lainnya"
    return profile


def submit(
    unit: Any,
    cycle: Cycle,
    kind: str,
    answers: dict[str, Any],
    profile: dict[str, str],
    *,
    channel: str = Channel.WEB,
    device_hash: str = "",
    address_hash: str = "",
    entered_by: Any = None,
) -> SurveyResponse:
    """Store one response. A second one from the same device is stored and flagged, never
    dropped; a unit past its quota refuses web submissions."""
    with transaction.atomic():
        existing = SurveyResponse.objects.filter(unit=unit, cycle=cycle, kind=kind)
        if channel == Channel.WEB and (
            existing.filter(channel=Channel.WEB).count() >= settings.PATUH_SURVEY_QUOTA_PER_UNIT
        ):
            raise ValidationError(
                _("Kuota survei unit ini untuk periode ini sudah terpenuhi. Terima kasih."),
                code="quota",
            )
        duplicate = (
            existing.valid().filter(device_hash=device_hash).order_by("submitted_at").first()
            if device_hash
            else None
        )
        return SurveyResponse.objects.create(
            unit=unit,
            cycle=cycle,
            kind=kind,
            respondent_id=uuid.uuid4().hex,
            answers=answers,
            profile=profile,
            channel=channel,
            device_hash=device_hash,
            address_hash=address_hash,
            entered_by=entered_by if getattr(entered_by, "is_authenticated", False) else None,
            duplicate_of=duplicate,
        )


def void(response: SurveyResponse, *, actor: Any, reason: str) -> SurveyResponse:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan pembatalan wajib diisi."), code="reason_required")
    with transaction.atomic():
        response.voided_at = timezone.now()
        response.voided_by = actor
        response.void_reason = reason
        response.save(update_fields=["voided_at", "voided_by", "void_reason"])
        record_event(
            actor=actor,
            action="survey.response_voided",
            obj=response,
            old={"voided": False},
            new={"voided": True, "kind": response.kind},
            reason=reason,
            context=response.unit,
        )
    return response


@dataclass(frozen=True)
class SkmSummary:
    result: SkmResult | None
    respondents: int
    population: int | None
    required: int | None

    @property
    def adequate(self) -> bool | None:
        if self.required is None:
            return None
        return self.respondents >= self.required


def skm_summary(unit: Any, cycle: Cycle) -> SkmSummary:
    answers = list(
        SurveyResponse.objects.valid()
        .filter(unit=unit, cycle=cycle, kind=SurveyKind.SKM)
        .values_list("answers", flat=True)
    )
    result = score_skm(load_instrument(SKM_INSTRUMENT), answers) if answers else None
    population = unit.yearly_user_population
    return SkmSummary(
        result, len(answers), population, krejcie_morgan(population) if population else None
    )


@dataclass(frozen=True)
class FormShare:
    code: str
    name: str
    respondents: int
    reported: int

    @property
    def share(self) -> Decimal | None:
        return None if not self.respondents else Decimal(self.reported) / self.respondents


def perception_summary(unit: Any, cycle: Cycle) -> list[FormShare]:
    rows = list(
        SurveyResponse.objects.valid()
        .filter(unit=unit, cycle=cycle, kind=SurveyKind.PERCEPTION)
        .values_list("answers", flat=True)
    )
    instrument = load_instrument(cycle.instrument_code)
    shares = []
    for question in questions(SurveyKind.PERCEPTION, cycle):
        answered = [row[question.code] for row in rows if question.code in row]
        shares.append(
            FormShare(
                question.code,
                instrument.indicators[question.code].name,
                len(answered),
                sum(1 for value in answered if value == YES),
            )
        )
    return shares


def apply_perception(assessment: Assessment, *, actor: Any) -> int:
    """Write the unit's perception responses into the assessment's Output indicators, one
    0-or-3 value per respondent (audited like any answer). Returns how many were written."""
    from patuh.assessments.services import record_answer

    rows = list(
        SurveyResponse.objects.valid()
        .filter(unit=assessment.service_unit, cycle=assessment.cycle, kind=SurveyKind.PERCEPTION)
        .order_by("submitted_at", "pk")
        .values_list("answers", flat=True)
    )
    written = 0
    for question in questions(SurveyKind.PERCEPTION, assessment.cycle):
        values = [PERCEPTION_SCORE[row[question.code]] for row in rows if question.code in row]
        if not values:
            continue
        record_answer(
            assessment,
            question.code,
            values,
            actor,
            reason=_("Dari survei persepsi: %(count)s responden") % {"count": len(values)},
        )
        written += 1
    return written
