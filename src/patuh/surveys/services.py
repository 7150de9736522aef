"""Survey verbs: the questions, a submission (with duplicate flagging and quotas), voiding,
the unit's results, the perception answers flowing into the assessment's Output, and the
PEKPPP users' questionnaire (F-03) flowing into the scoring core's units."""

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


F03_LOW = gettext_lazy("sangat tidak sesuai/buruk")
F03_HIGH = gettext_lazy("sangat sesuai/baik")
"""The end labels of the F-03 scale; the form has no description of the levels between."""


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: list[tuple[str, str]]
    group: str = ""
    """A heading the question sits under (the F-03 aspect)."""
    scale: bool = False
    """The choices are a number scale, laid out in one row."""


def user_survey(cycle: Cycle) -> Any:
    """The cycle's users' questionnaire (PEKPPP F-03), or ``None`` when its instrument has
    none."""
    return load_instrument(cycle.instrument_code).user_survey


def _f03_choices(survey: Any) -> list[tuple[str, str]]:
    levels = survey.scale.levels
    low, high = levels[0], levels[-1]
    choices = []
    for level in levels:
        label = str(level)
        if level == low:
            label = f"{level} — {F03_LOW}"
        elif level == high:
            label = f"{level} — {F03_HIGH}"
        choices.append((str(level), label))
    return choices


def questions(kind: str, cycle: Cycle) -> list[Question]:
    """The questions of a survey: SKM U1–U9 (1–4 with the official labels), the
    perception forms OU-* of the cycle's instrument (yes/no), or the F-03 items of the
    cycle's users' questionnaire in form order (0–5, only the ends labelled)."""
    if kind == SurveyKind.F03:
        survey = user_survey(cycle)
        if survey is None:
            return []
        choices = _f03_choices(survey)
        return [
            Question(item.code, item.name, choices, group=item.aspect, scale=True)
            for item in sorted(survey.items, key=lambda item: item.position)
        ]
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


def _covering(unit: Any) -> Any:
    return Cycle.objects.filter(
        Q(province=unit.government.province_id) | Q(province__isnull=True)
    ).order_by("-year", "-pk")


def current_cycle(unit: Any) -> Cycle | None:
    """The latest cycle covering the unit's government that asks the SKM and perception
    surveys (one without a users' questionnaire: an Ombudsman cycle)."""
    return next((cycle for cycle in _covering(unit) if user_survey(cycle) is None), None)


def survey_cycle(unit: Any) -> Cycle | None:
    """The latest cycle asking the F-03 questionnaire that the unit is in: its instrument
    has a users' questionnaire, it covers the unit's government and the unit has an
    assessment in it that is not dropped."""
    from patuh.assessments.models import AssessmentStatus

    cycles = _covering(unit).filter(
        pk__in=Assessment.objects.filter(service_unit=unit)
        .exclude(status=AssessmentStatus.DROPPED)
        .values("cycle")
    )
    return next((cycle for cycle in cycles if user_survey(cycle) is not None), None)


def kinds_for(cycle: Cycle) -> list[str]:
    """The surveys a cycle asks: F-03 when its instrument has a users' questionnaire,
    otherwise the SKM and the perception survey."""
    if user_survey(cycle) is not None:
        return [SurveyKind.F03]
    # the 2025+ method has no unit-level perception indicators: no perception survey to offer
    if not questions(SurveyKind.PERCEPTION, cycle):
        return [SurveyKind.SKM]
    return [SurveyKind.SKM, SurveyKind.PERCEPTION]


def survey_cycles(unit: Any) -> list[Cycle]:
    """The cycles whose surveys the unit's survey page offers, in this order: the current
    Ombudsman cycle (SKM, perception) and the latest PEKPPP cycle the unit is in (F-03)."""
    return [cycle for cycle in (current_cycle(unit), survey_cycle(unit)) if cycle is not None]


def cycle_for(unit: Any, kind: str, cycle_id: Any = None) -> Cycle | None:
    """The cycle a survey of ``kind`` is answered for: the one named by ``cycle_id`` (the
    form's ``?siklus=``) when it covers the unit and asks that survey, otherwise the
    default of the kind (:func:`current_cycle`, or :func:`survey_cycle` for F-03)."""
    if cycle_id not in (None, ""):
        try:
            cycle = _covering(unit).filter(pk=int(cycle_id)).first()
        except (TypeError, ValueError):
            return None
        if cycle is None or kind not in kinds_for(cycle):
            return None
        if kind == SurveyKind.F03 and not _in_cycle(unit, cycle):
            return None
        return cycle
    return survey_cycle(unit) if kind == SurveyKind.F03 else current_cycle(unit)


def _in_cycle(unit: Any, cycle: Cycle) -> bool:
    from patuh.assessments.models import AssessmentStatus

    return (
        Assessment.objects.filter(cycle=cycle, service_unit=unit)
        .exclude(status=AssessmentStatus.DROPPED)
        .exists()
    )


def fingerprint(value: str) -> str:
    """A keyed hash: the raw device token or address is never stored."""
    key = settings.SECRET_KEY.encode()
    return hashlib.sha256(key + b"|" + value.encode()).hexdigest() if value else ""


def clean_answers(kind: str, cycle: Cycle, raw: dict[str, Any]) -> dict[str, Any]:
    """Every question answered with one of its choices; otherwise a message per question
    (for F-03 the unanswered items and, apart, each answer off the scale)."""
    answers: dict[str, Any] = {}
    missing = []
    wrong = []
    for question in questions(kind, cycle):
        value = str(raw.get(question.code, "") or "").strip()
        if value not in {choice for choice, _label in question.choices}:
            if kind == SurveyKind.F03 and value:
                wrong.append((question, value))
            else:
                missing.append(question.code)
            continue
        answers[question.code] = int(value) if kind in (SurveyKind.SKM, SurveyKind.F03) else value
    messages = []
    if missing:
        messages.append(
            _("Mohon jawab semua pertanyaan (%(codes)s).") % {"codes": ", ".join(missing)}
        )
    for question, value in wrong:
        messages.append(
            _("Jawaban %(code)s '%(value)s' harus satu angka %(low)s sampai %(high)s.")
            % {
                "code": question.code,
                "value": value[:20],
                "low": question.choices[0][0],
                "high": question.choices[-1][0],
            }
        )
    if messages:
        raise ValidationError(messages, code="unanswered")
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
        actor = entered_by if getattr(entered_by, "is_authenticated", False) else None
        response = SurveyResponse.objects.create(
            unit=unit,
            cycle=cycle,
            kind=kind,
            respondent_id=uuid.uuid4().hex,
            answers=answers,
            profile=profile,
            channel=channel,
            device_hash=device_hash,
            address_hash=address_hash,
            entered_by=actor,
            duplicate_of=duplicate,
        )
        record_event(
            actor=actor,
            action="survey.response_submitted",
            obj=response,
            new={
                "kind": kind,
                "cycle": cycle.pk,
                "channel": channel,
                "answers": answers,
                "duplicate_of": duplicate.pk if duplicate else None,
            },
            context=unit,
        )
        return response


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


# -- the PEKPPP users' questionnaire (F-03) ----------------------------------------------


@dataclass(frozen=True)
class ItemMean:
    code: str
    form_code: str
    aspect: str
    name: str
    mean: Decimal | None


@dataclass(frozen=True)
class F03Summary:
    """A unit's F-03 in one cycle: respondents, the mean of each item and the F-03 index
    (the scoring core's mean of the respondents' means, 0–5), with the instrument's
    provisional notes on the index and on the composite rule."""

    respondents: int
    items: list[ItemMean]
    index: Decimal | None
    rounded: Decimal | None
    scale_min: int
    scale_max: int
    provisional_note: str | None
    composite: Any
    """The instrument's :class:`~patuh.scoring.model.Composite` rule, or ``None``."""

    @property
    def composite_provisional(self) -> bool:
        return self.composite is not None and self.composite.provisional


def _usable(survey: Any, answers: Any) -> dict[str, int] | None:
    """A stored response as the scoring core takes it: every item of the questionnaire a
    whole number on its scale (other keys left out); ``None`` when it is not."""
    if not isinstance(answers, dict):
        return None
    respondent = {}
    for item in survey.items:
        value = answers.get(item.code)
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        if not survey.scale.minimum <= value <= survey.scale.maximum:
            return None
        respondent[item.code] = value
    return respondent


def f03_answers(cycle: Cycle, unit_ids: Any) -> dict[int, list[dict[str, int]]]:
    """The valid (not voided) F-03 respondents of each of ``unit_ids`` in ``cycle``, as the
    scoring core's ``UnitAnswers.survey``: ``{unit id: [{item code: 0–5}, …]}``, oldest
    first; units without respondents are left out. One query; nothing when the cycle's
    instrument has no users' questionnaire."""
    survey = user_survey(cycle)
    ids = list(unit_ids)
    if survey is None or not ids:
        return {}
    found: dict[int, list[dict[str, int]]] = {}
    for unit_id, answers in (
        SurveyResponse.objects.valid()
        .filter(cycle=cycle, kind=SurveyKind.F03, unit_id__in=ids)
        .order_by("unit_id", "submitted_at", "pk")
        .values_list("unit_id", "answers")
    ):
        respondent = _usable(survey, answers)
        if respondent is not None:
            found.setdefault(unit_id, []).append(respondent)
    return found


def f03_summary(unit: Any, cycle: Cycle) -> F03Summary | None:
    """The unit's F-03 in ``cycle`` (``None`` when the cycle asks none)."""
    from patuh.scoring.numbers import round_half_up
    from patuh.scoring.pekppp import survey_index

    instrument = load_instrument(cycle.instrument_code)
    survey = instrument.user_survey
    if survey is None:
        return None
    respondents = f03_answers(cycle, [unit.pk]).get(unit.pk, [])
    count = len(respondents)
    items = [
        ItemMean(
            item.code,
            item.form_code,
            item.aspect,
            item.name,
            Decimal(sum(r[item.code] for r in respondents)) / count if count else None,
        )
        for item in sorted(survey.items, key=lambda item: item.position)
    ]
    index = survey_index(survey, respondents)
    return F03Summary(
        count,
        items,
        index,
        None if index is None else round_half_up(index, instrument.result.decimals),
        int(survey.scale.minimum),
        int(survey.scale.maximum),
        survey.provisional_note,
        instrument.composite,
    )
