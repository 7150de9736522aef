"""Shaping the scoring core's results for the templates (no computation happens here)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from patuh.results.layers import live_layers
from patuh.scoring import GovernmentResult, Instrument, UnitResult, WhatIfStep
from patuh.scoring.engine import ANSWERED, MISSING, NOT_APPLICABLE


@dataclass(frozen=True)
class StepView:
    step: WhatIfStep
    unit_name: str


@dataclass(frozen=True)
class UnitView:
    result: UnitResult
    dimensions: list[Any]
    missing: list[tuple[str, str]]
    not_applicable: list[tuple[str, str]]
    explanation_top: list[Any]
    """The largest losses, shown first; the rest sit behind a disclosure."""
    explanation_rest: list[Any]
    what_if_steps: list[StepView]


def _named(instrument: Instrument, codes: list[str]) -> list[tuple[str, str]]:
    return [(code, instrument.indicators[code].name) for code in codes]


EXPLANATION_SHOWN = 10


def unit_view(instrument: Instrument, unit: UnitResult) -> UnitView:
    explanation = unit.explanation
    return UnitView(
        result=unit,
        dimensions=[unit.dimensions[d.code] for d in instrument.dimensions],
        missing=_named(instrument, unit.missing),
        not_applicable=_named(instrument, unit.not_applicable),
        explanation_top=explanation[:EXPLANATION_SHOWN],
        explanation_rest=explanation[EXPLANATION_SHOWN:],
        what_if_steps=[StepView(step, unit.name) for step in unit.what_if.steps],
    )


def government_page(result: GovernmentResult, visible_units: set[str]) -> dict[str, Any]:
    """Context for the government result page; units outside ``visible_units`` are left out,
    and so is the government's what-if plan when it would name them."""
    instrument = result.instrument
    units = [unit_view(instrument, unit) for unit in result.units if unit.code in visible_units]
    all_visible = len(units) == len(result.units)
    names = {unit.code: unit.name for unit in result.units}
    steps = (
        [StepView(step, names[step.unit_code]) for step in result.what_if.steps]
        if all_visible
        else []
    )
    return {
        "result": result,
        "instrument": instrument,
        "layers": live_layers(result),
        "units": units,
        "all_units_visible": all_visible,
        "what_if_steps": steps,
        "hidden_unit_count": len(result.units) - len(units),
    }


# -- the coordinator's readiness table and the self-vs-official comparison ------------------


@dataclass(frozen=True)
class ReadinessRow:
    """One unit of a government: how far its self-assessment is, and how it compares."""

    unit: Any
    assessment: Any
    answered: int
    applicable: int
    with_evidence: int
    open_threads: int
    self_result: UnitResult | None
    official_result: UnitResult | None
    gaps: list[Any]

    @property
    def completion(self) -> Decimal | None:
        return None if not self.applicable else Decimal(self.answered) / Decimal(self.applicable)

    @property
    def difference(self) -> Decimal | None:
        if self.self_result is None or self.official_result is None:
            return None
        return self.official_result.rounded - self.self_result.rounded


def answered_counts(unit: UnitResult) -> tuple[int, int]:
    """(answered, applicable) indicators of a unit result."""
    applicable = [i for i in unit.indicators.values() if i.status != NOT_APPLICABLE]
    answered = [i for i in applicable if i.status != MISSING]
    return len(answered), len(applicable)


@dataclass(frozen=True)
class ComparedIndicator:
    code: str
    name: str
    self_value: Decimal | None
    self_status: str | None
    official_value: Decimal | None
    official_status: str | None

    @property
    def difference(self) -> Decimal | None:
        if self.self_value is None or self.official_value is None:
            return None
        return self.official_value - self.self_value

    @property
    def differs(self) -> bool:
        return (self.self_status, self.self_value) != (self.official_status, self.official_value)


@dataclass(frozen=True)
class ComparedUnit:
    code: str
    name: str
    self_result: UnitResult | None
    official_result: UnitResult | None
    dimensions: list[tuple[Any, Any, Any]]
    """(dimension, self DimensionResult or None, official DimensionResult or None)."""
    indicators: list[ComparedIndicator]

    @property
    def differences(self) -> int:
        return sum(1 for row in self.indicators if row.differs)


def compare_units(
    instrument: Instrument, self_result: Any, official_result: Any
) -> list[ComparedUnit]:
    """Per unit and indicator, the self-assessment beside the official assessment."""
    self_units = {u.code: u for u in self_result.units} if self_result else {}
    official_units = {u.code: u for u in official_result.units} if official_result else {}
    codes = list(dict.fromkeys([*official_units, *self_units]))
    compared = []
    for code in codes:
        mine, theirs = self_units.get(code), official_units.get(code)
        rows = []
        for indicator in instrument.indicators.values():
            a = mine.indicators.get(indicator.code) if mine else None
            b = theirs.indicators.get(indicator.code) if theirs else None
            rows.append(
                ComparedIndicator(
                    code=indicator.code,
                    name=indicator.name,
                    self_value=a.value if a and a.status == ANSWERED else None,
                    self_status=a.status if a else None,
                    official_value=b.value if b and b.status == ANSWERED else None,
                    official_status=b.status if b else None,
                )
            )
        compared.append(
            ComparedUnit(
                code=code,
                name=(mine or theirs).name,
                self_result=mine,
                official_result=theirs,
                dimensions=[
                    (
                        dimension,
                        mine.dimensions.get(dimension.code) if mine else None,
                        theirs.dimensions.get(dimension.code) if theirs else None,
                    )
                    for dimension in instrument.dimensions
                ],
                indicators=rows,
            )
        )
    return compared
