"""Assessment verbs: record an answer, score a government's or a cycle's assessments.

Every change goes through a verb here (one transaction, one audit row); every score shown
comes from :mod:`patuh.scoring` through :func:`score_assessments` or :func:`score_cycle`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count

from patuh.assessments.models import Answer, Assessment, AssessmentKind, Cycle
from patuh.core.services import record_event
from patuh.orgs.models import Government
from patuh.scoring import (
    NA,
    GovernmentAnswers,
    GovernmentResult,
    Instrument,
    UnitAnswers,
    check_value,
    load_instrument,
    score_government,
)
from patuh.scoring.answers import is_na

ANSWER_RECORDED = "answer.recorded"


def normalise_value(value: Any) -> Any:
    """The JSON form of an answer value: an int or float, a list of them, or ``"na"``."""
    if is_na(value):
        return NA
    if isinstance(value, list | tuple):
        return [normalise_value(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def validate_answer(instrument: Instrument, indicator_code: str, value: Any, unit_type: str) -> Any:
    """Return the normalised value, or raise :class:`ValidationError` saying why it is wrong."""
    indicator = instrument.indicators.get(indicator_code)
    if indicator is None:
        raise ValidationError(
            f"Indikator '{indicator_code}' tidak ada di instrumen {instrument.code}.",
            code="unknown_indicator",
        )
    if not indicator.applies_to_unit_type(unit_type):
        raise ValidationError(
            f"Indikator {indicator_code} tidak berlaku untuk jenis unit ini.",
            code="not_applicable_to_unit",
        )
    if isinstance(value, list | tuple) and not value:
        raise ValidationError(f"{indicator_code}: daftar nilai kosong.", code="empty")
    reason = check_value(indicator, value)
    if reason:
        raise ValidationError(f"{indicator_code}: {reason}.", code="invalid_value")
    return normalise_value(value)


def record_answer(
    assessment: Assessment,
    indicator_code: str,
    value: Any,
    actor: Any,
    reason: str = "",
    note: str | None = None,
) -> Answer:
    """Validate ``value`` against the cycle's instrument and save it, with an audit row.

    Saving the same value and note again changes nothing and writes no audit row.
    """
    instrument = load_instrument(assessment.cycle.instrument_code)
    unit_type = assessment.service_unit.type
    value = validate_answer(instrument, indicator_code, value, unit_type)
    with transaction.atomic():
        answer = (
            Answer.objects.select_for_update()
            .filter(assessment=assessment, indicator_code=indicator_code)
            .order_by()
            .first()
        )
        if answer is None:
            old = None
            answer = Answer.objects.create(
                assessment=assessment,
                indicator_code=indicator_code,
                value=value,
                note=note or "",
            )
        else:
            old = {"value": answer.value, "note": answer.note}
            new_note = answer.note if note is None else note
            if answer.value == value and answer.note == new_note:
                return answer
            answer.value = value
            answer.note = new_note
            answer.version += 1
            answer.save(update_fields=["value", "note", "version", "updated_at"])
        record_event(
            actor=actor,
            action=ANSWER_RECORDED,
            obj=answer,
            old=old,
            new={"value": answer.value, "note": answer.note},
            reason=reason,
        )
    return answer


# -- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CycleRow:
    """One assessed government of a cycle with its result."""

    government: Government
    result: GovernmentResult
    synthetic: bool


def _government_answers(
    government: Government, assessments: Iterable[Assessment], answers: dict[int, dict[str, Any]]
) -> GovernmentAnswers:
    units = [
        UnitAnswers(
            code=a.service_unit.code,
            name=a.service_unit.name,
            type=a.service_unit.type,
            answers=answers.get(a.pk, {}),
            products=a.product_count,
            synthetic=a.is_synthetic,
        )
        for a in assessments
    ]
    return GovernmentAnswers(
        code=government.region_code,
        name=government.name,
        kind=government.kind,
        units=units,
        synthetic=any(unit.synthetic for unit in units),
    )


def _load(
    cycle: Cycle, kind: str, governments: Any
) -> dict[int, tuple[Government, GovernmentAnswers]]:
    """Answers of every government in ``governments`` for ``cycle``: two queries in all."""
    assessments = list(
        Assessment.objects.filter(cycle=cycle, kind=kind, service_unit__government__in=governments)
        .select_related("service_unit__government")
        .annotate(product_count=Count("service_unit__products"))
        .order_by("service_unit__government__region_code", "service_unit__code")
    )
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = Answer.objects.filter(assessment__in=[a.pk for a in assessments]).values_list(
        "assessment_id", "indicator_code", "value"
    )
    for assessment_id, code, value in rows:
        answers[assessment_id][code] = value
    by_government: dict[int, list[Assessment]] = defaultdict(list)
    for assessment in assessments:
        by_government[assessment.service_unit.government_id].append(assessment)
    result = {}
    for government_id, items in by_government.items():
        government = items[0].service_unit.government
        result[government_id] = (government, _government_answers(government, items, answers))
    return result


def score_assessments(
    cycle: Cycle, government: Government, kind: str = AssessmentKind.OFFICIAL
) -> GovernmentResult | None:
    """The scoring core's result for ``government``'s assessments of ``kind`` in ``cycle``.

    ``None`` when the government has no assessment of that kind in the cycle.
    """
    loaded = _load(cycle, kind, [government.pk]).get(government.pk)
    if loaded is None:
        return None
    return score_government(load_instrument(cycle.instrument_code), loaded[1])


def score_cycle(
    cycle: Cycle, governments: Any, kind: str = AssessmentKind.OFFICIAL
) -> list[CycleRow]:
    """Every government of ``governments`` assessed in ``cycle``, best score first."""
    instrument = load_instrument(cycle.instrument_code)
    rows = [
        CycleRow(government, score_government(instrument, answers), answers.synthetic)
        for government, answers in _load(cycle, kind, governments).values()
    ]
    rows.sort(key=lambda row: (-row.result.score, row.government.region_code))
    return rows


def assessment_kinds(cycle: Cycle, government: Government) -> list[str]:
    """The kinds of assessment ``government`` has in ``cycle``, official first."""
    present = set(
        Assessment.objects.filter(cycle=cycle, service_unit__government=government)
        .values_list("kind", flat=True)
        .distinct()
    )
    return [kind for kind in AssessmentKind.values[::-1] if kind in present]
