"""Government-level answers of a 2025+ cycle: the figures that belong to a government, not
to one of its units (Output from secondary data, the public-trust survey), and its compliance
level, derived from the Ombudsman products recorded for it.

Every write goes through :func:`record_government_answer`, which checks the figure against
the cycle's instrument with the scoring core's own rules (the same as ``patuh score``) and
writes an audit row with the old and new figure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patuh.assessments.models import Cycle, GovernmentAnswer
from patuh.core.services import record_event
from patuh.scoring import load_instrument
from patuh.scoring.answers import GovernmentAnswers, check_government_answers
from patuh.scoring.model import ComplianceLevel, Instrument

GOVERNMENT_ANSWER_SAVED = "government_answer.saved"
GOVERNMENT_ANSWER_CLEARED = "government_answer.cleared"


class GovernmentAnswerConflict(Exception):
    """Someone saved the figure after the form was shown."""

    def __init__(self, answer: GovernmentAnswer | None) -> None:
        super().__init__("government answer changed meanwhile")
        self.answer = answer


def instrument_of(cycle: Cycle) -> Instrument:
    return load_instrument(cycle.instrument_code)


def has_government_answers(cycle: Cycle) -> bool:
    """Whether the cycle's instrument has government-level figures to enter."""
    return bool(instrument_of(cycle).government_elements)


def ensure_not_published(cycle: Cycle, government: Any) -> None:
    """A published result is not changed under its readers: its figures stay as published."""
    from patuh.results.models import ResultSnapshot

    if ResultSnapshot.objects.published().filter(cycle=cycle, government=government).exists():
        raise ValidationError(
            _(
                "Hasil %(government)s pada siklus ini sudah dipublikasikan; data tingkat "
                "pemerintahnya tidak dapat diubah lagi."
            )
            % {"government": government.name},
            code="published",
        )


def _decimal(value: Any, code: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            _("%(code)s: nilai %(value)r bukan angka.") % {"code": code, "value": value},
            code="not_a_number",
        ) from error
    if not number.is_finite():
        raise ValidationError(
            _("%(code)s: nilai harus angka terhingga.") % {"code": code}, code="not_a_number"
        )
    return number


def check_figure(
    instrument: Instrument, code: str, value: Decimal, year: int | None, source: str
) -> list[str]:
    """Why the figure does not fit the instrument (empty when it does), in the scoring core's
    words: an unknown indicator, a value off its scale, secondary data without its year or
    source."""
    figure: dict[str, Any] = {"value": value}
    if year is not None:
        figure["year"] = year
    if source:
        figure["source"] = source
    probe = GovernmentAnswers("", "", "provinsi", [], answers={code: figure})
    if instrument.compliance is not None and code == instrument.compliance.code:
        return [_("tingkat kepatuhan diturunkan dari produk Ombudsman yang tercatat")]
    return [problem.reason for problem in check_government_answers(instrument, probe)]


def record_government_answer(
    cycle: Cycle,
    government: Any,
    indicator_code: str,
    value: Any,
    *,
    year: int | None = None,
    source: str = "",
    note: str = "",
    actor: Any,
    reason: str = "",
    expected_version: int | None = None,
) -> GovernmentAnswer:
    """Save one government-level figure, validated and audited. Saving what is stored
    already writes nothing. ``expected_version`` (0 for a figure not entered yet) refuses a
    save over someone else's newer one with :class:`GovernmentAnswerConflict`."""
    instrument = instrument_of(cycle)
    code = indicator_code.strip()
    if cycle.province_id is not None and government.province_id != cycle.province_id:
        raise ValidationError(
            _("%(government)s di luar wilayah siklus ini.") % {"government": government.name},
            code="outside",
        )
    ensure_not_published(cycle, government)
    number = _decimal(value, code)
    source = (source or "").strip()
    problems = check_figure(instrument, code, number, year, source)
    if problems:
        raise ValidationError(
            _("%(code)s: %(problems)s.") % {"code": code, "problems": "; ".join(problems)},
            code="invalid_figure",
        )
    note = (note or "").strip()
    with transaction.atomic():
        answer = (
            GovernmentAnswer.objects.select_for_update()
            .filter(cycle=cycle, government=government, indicator_code=code)
            .first()
        )
        current_version = answer.version if answer is not None else 0
        if expected_version is not None and expected_version != current_version:
            raise GovernmentAnswerConflict(answer)
        old = _state(answer)
        if answer is None:
            answer = GovernmentAnswer(cycle=cycle, government=government, indicator_code=code)
        elif (answer.value, answer.year, answer.source, answer.note) == (
            number,
            year,
            source,
            note,
        ):
            return answer
        else:
            answer.version += 1
        answer.value, answer.year, answer.source, answer.note = number, year, source, note
        answer.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        answer.save()
        record_event(
            actor=actor,
            action=GOVERNMENT_ANSWER_SAVED,
            obj=answer,
            old=old,
            new=_state(answer),
            reason=reason,
            context=cycle,
        )
    return answer


def clear_government_answer(
    cycle: Cycle, government: Any, indicator_code: str, *, actor: Any, reason: str
) -> bool:
    """Remove a figure entered by mistake (a reason is required); ``False`` when none was."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan menghapus nilai wajib diisi."), code="reason_required")
    ensure_not_published(cycle, government)
    with transaction.atomic():
        answer = (
            GovernmentAnswer.objects.select_for_update()
            .filter(cycle=cycle, government=government, indicator_code=indicator_code)
            .first()
        )
        if answer is None:
            return False
        record_event(
            actor=actor,
            action=GOVERNMENT_ANSWER_CLEARED,
            obj=answer,
            old=_state(answer),
            reason=reason,
            context=cycle,
        )
        answer.delete()
    return True


def _state(answer: GovernmentAnswer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {
        "government": answer.government.region_code,
        "indicator": answer.indicator_code,
        "value": str(answer.value),
        "year": answer.year,
        "source": answer.source,
        "note": answer.note,
    }


@dataclass(frozen=True)
class ComplianceFacts:
    """A government's compliance level as derived, with the counts it was derived from."""

    level: ComplianceLevel | None
    issued: int
    followed_up: int


def compliance_facts(cycle: Cycle, government_ids: list[int]) -> dict[int, ComplianceFacts]:
    """Per government: the compliance level the instrument derives from the Ombudsman products
    recorded for it up to the end of the cycle's year (none for an instrument without a
    derivation rule)."""
    from patuh.followup.services import product_counts

    compliance = instrument_of(cycle).compliance
    if compliance is None or not compliance.derivable:
        return {}
    counts = product_counts(government_ids, dt.date(cycle.year, 12, 31))
    facts = {}
    for government_id in government_ids:
        issued, done = counts.get(government_id, (0, 0))
        facts[government_id] = ComplianceFacts(
            compliance.level_from_products(issued, done), issued, done
        )
    return facts


def government_level_answers(cycle: Cycle, government_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per government: its ``government.answers`` for the scoring core (every figure entered
    for ``cycle``, and the compliance level derived from its Ombudsman products). Two
    queries whatever the number of governments."""
    instrument = instrument_of(cycle)
    if not instrument.government_elements and instrument.compliance is None:
        return {}
    answers: dict[int, dict[str, Any]] = {}
    for answer in GovernmentAnswer.objects.filter(
        cycle=cycle, government_id__in=government_ids
    ).order_by("government_id", "indicator_code"):
        if answer.indicator_code in instrument.government_indicators:
            answers.setdefault(answer.government_id, {})[answer.indicator_code] = answer.as_answer()
    compliance = instrument.compliance
    if compliance is not None:
        for government_id, facts in compliance_facts(cycle, government_ids).items():
            if facts.level is not None:
                answers.setdefault(government_id, {})[compliance.code] = facts.level.code
    return answers
