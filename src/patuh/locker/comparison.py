"""The coordinator's comparison of one government and year: where the same fact was scored
differently.

- **Self vs official**: per instrument cycle with both a self-assessment and an official one
  (or, lacking it, a pre-evaluation), every indicator whose two values differ, largest gap
  first (gaps on 0–1 of the indicator's scale, so instruments compare).
- **Ombudsman vs PEKPPP**: for each document kind mapped in both instruments, the mean
  normalised value of the Ombudsman indicators that rest on it beside that of the PEKPPP
  indicators; flagged when they are further apart than the vocabulary's
  ``disagreement_threshold``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from patuh.assessments.models import AssessmentKind, Cycle
from patuh.assessments.services import assessment_kinds, score_assessments
from patuh.orgs.models import Government
from patuh.scoring import GovernmentResult, Instrument, load_instrument
from patuh.scoring.documents import (
    document_kinds,
    indicators_for,
    normalised,
    program_of,
    shared_kinds,
)
from patuh.scoring.engine import ANSWERED


@dataclass(frozen=True)
class Gap:
    unit_name: str
    indicator_code: str
    indicator_name: str
    self_value: Decimal
    other_value: Decimal
    gap: Decimal
    """``|self - other|`` on 0–1 of the indicator's scale."""
    provisional: bool = False


@dataclass
class CycleGaps:
    cycle: Cycle
    instrument: Instrument
    other_kind: str = ""
    """The kind compared with the self-assessment (official, else pre-evaluation)."""

    @property
    def other_label(self) -> str:
        return str(dict(AssessmentKind.choices).get(self.other_kind, self.other_kind))

    gaps: list[Gap] = field(default_factory=list)
    missing: str = ""
    """Which side is missing, when the cycle cannot be compared."""


@dataclass(frozen=True)
class Side:
    indicators: tuple[tuple[str, Decimal], ...]
    """(indicator code, value on its own scale) of the answered mapped indicators."""
    value: Decimal | None
    """Their mean on 0–1, ``None`` when none is answered."""


@dataclass(frozen=True)
class FactRow:
    unit_name: str
    kind: str
    kind_name: str
    ombudsman: Side
    pekppp: Side

    @property
    def difference(self) -> Decimal | None:
        if self.ombudsman.value is None or self.pekppp.value is None:
            return None
        return abs(self.ombudsman.value - self.pekppp.value)

    @property
    def disagrees(self) -> bool:
        difference = self.difference
        return difference is not None and difference > document_kinds().disagreement_threshold


@dataclass
class ProgrammeComparison:
    ombudsman_cycle: Cycle | None
    pekppp_cycle: Cycle | None
    rows: list[FactRow] = field(default_factory=list)
    threshold: Decimal = Decimal(0)
    ombudsman_instrument: Instrument | None = None
    pekppp_instrument: Instrument | None = None

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.rows if row.disagrees)


def _answered(result: Any, code: str) -> Decimal | None:
    item = result.indicators.get(code) if result is not None else None
    if item is None or item.status != ANSWERED or item.value is None:
        return None
    return item.value


def self_vs_official(cycle: Cycle, government: Government) -> CycleGaps:
    instrument = load_instrument(cycle.instrument_code)
    present = assessment_kinds(cycle, government)
    # the most authoritative kind that is not the self-assessment (official first)
    other = next((k for k in present if k != AssessmentKind.SELF), "")
    compared = CycleGaps(cycle, instrument, other)
    if AssessmentKind.SELF not in present or not other:
        compared.missing = (
            _("Penilaian mandiri belum ada.")
            if AssessmentKind.SELF not in present
            else _("Penilaian resmi (penilai/evaluator) belum ada.")
        )
        return compared
    mine = score_assessments(cycle, government, AssessmentKind.SELF)
    theirs = score_assessments(cycle, government, other)
    if mine is None or theirs is None:
        return compared
    their_units = {u.code: u for u in theirs.units}
    for unit in mine.units:
        official = their_units.get(unit.code)
        if official is None:
            continue
        for code, indicator in instrument.indicators.items():
            a, b = _answered(unit, code), _answered(official, code)
            if a is None or b is None or a == b:
                continue
            compared.gaps.append(
                Gap(
                    unit.name,
                    code,
                    indicator.name,
                    a,
                    b,
                    abs(normalised(a, indicator) - normalised(b, indicator)),
                    indicator.provisional,
                )
            )
    compared.gaps.sort(key=lambda g: (-g.gap, g.unit_name, g.indicator_code))
    return compared


def best_result(cycle: Cycle, government: Government) -> GovernmentResult | None:
    """The most authoritative result of the government in the cycle: official, else
    pre-evaluation, else self-assessment."""
    present = assessment_kinds(cycle, government)
    return score_assessments(cycle, government, present[0]) if present else None


def _side(result: Any, instrument: Instrument, kind: str) -> Side:
    values = []
    for indicator in indicators_for(kind, instrument):
        value = _answered(result, indicator.code)
        if value is not None:
            values.append((indicator.code, value, normalised(value, indicator)))
    mean = (sum(v[2] for v in values) / len(values)).quantize(Decimal("0.0001")) if values else None
    return Side(tuple((code, value) for code, value, _ in values), mean)


def ombudsman_vs_pekppp(cycles: list[Cycle], government: Government) -> ProgrammeComparison:
    """Compare the year's Ombudsman and PEKPPP cycles (the first of each) unit by unit."""
    by_program: dict[str, Cycle] = {}
    for cycle in cycles:
        program = program_of(load_instrument(cycle.instrument_code))
        if program and program not in by_program:
            by_program[program] = cycle
    comparison = ProgrammeComparison(
        by_program.get("ombudsman"),
        by_program.get("pekppp"),
        threshold=document_kinds().disagreement_threshold,
    )
    if comparison.ombudsman_cycle is None or comparison.pekppp_cycle is None:
        return comparison
    omb_instrument = load_instrument(comparison.ombudsman_cycle.instrument_code)
    pek_instrument = load_instrument(comparison.pekppp_cycle.instrument_code)
    comparison.ombudsman_instrument, comparison.pekppp_instrument = omb_instrument, pek_instrument
    omb = best_result(comparison.ombudsman_cycle, government)
    pek = best_result(comparison.pekppp_cycle, government)
    if omb is None or pek is None:
        return comparison
    pek_units = {u.code: u for u in pek.units}
    kinds = document_kinds()
    for unit in omb.units:
        other = pek_units.get(unit.code)
        if other is None:
            continue
        for kind in shared_kinds(omb_instrument, pek_instrument):
            row = FactRow(
                unit.name,
                kind,
                kinds[kind].name,
                _side(unit, omb_instrument, kind),
                _side(other, pek_instrument, kind),
            )
            if row.ombudsman.value is not None or row.pekppp.value is not None:
                comparison.rows.append(row)  # a fact neither side has scored yet is no news
    comparison.rows.sort(
        key=lambda r: (not r.disagrees, -(r.difference or Decimal(0)), r.unit_name, r.kind)
    )
    return comparison
