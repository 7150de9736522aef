"""Shaping the scoring core's results for the templates (no computation happens here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from patuh.scoring import GovernmentResult, Instrument, UnitResult, WhatIfStep


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
        "units": units,
        "all_units_visible": all_visible,
        "what_if_steps": steps,
        "hidden_unit_count": len(result.units) - len(units),
    }
