"""Scoring: from answers to an explainable result.

One formula for every instrument (see ``docs/instruments.md``): an indicator's answer ``s``
on scale [min, max] becomes ``n = (s − min) / (max − min)``; the unit score is
``result.min + (result.max − result.min) × Σ_d W_d × Σ_i v_i × n_i`` with the dimension weights
``W`` and the indicator weights ``v`` renormalised over what applies. Every point of the score
is traceable: each indicator's ``points`` and ``points_lost`` add up to the unit score and to
what it misses of the maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext

from .answers import GovernmentAnswers, UnitAnswers, check_answers, resolve_value
from .errors import AnswersError, Problem
from .model import Band, Indicator, Instrument
from .numbers import DECIMAL_CONTEXT, ZERO, round_half_up

ANSWERED = "answered"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class IndicatorResult:
    """One indicator of one unit: its answer and what it contributes to the unit score."""

    indicator: Indicator
    status: str
    value: Decimal | None
    """The (mean) answer on the indicator's scale; ``None`` when N/A; the minimum when missing."""
    weight: Decimal
    """Effective share of the unit score (0–1) after renormalisation; 0 when N/A."""
    points: Decimal
    """Contribution to the unit score, in result units."""
    max_points: Decimal

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def dimension_code(self) -> str:
        return self.indicator.dimension_code

    @property
    def points_lost(self) -> Decimal:
        return self.max_points - self.points

    @property
    def rubric_text(self) -> str | None:
        return None if self.value is None else self.indicator.rubric_for(self.value)


@dataclass(frozen=True)
class DimensionResult:
    code: str
    name: str
    weight: Decimal
    """Nominal weight from the instrument (percent)."""
    effective_weight: Decimal
    """Share of the unit score after N/A renormalisation (0–1)."""
    score: Decimal | None
    """Dimension score on the result scale; ``None`` when every indicator is N/A."""
    decimals: int

    @property
    def applicable(self) -> bool:
        return self.score is not None

    @property
    def rounded(self) -> Decimal | None:
        return None if self.score is None else round_half_up(self.score, self.decimals)


@dataclass(frozen=True)
class WhatIfStep:
    unit_code: str
    indicator_code: str
    indicator_name: str
    from_value: Decimal
    to_value: Decimal
    gain: Decimal
    """Points the step adds to the score the plan is for (unit or government)."""


@dataclass(frozen=True)
class WhatIfPlan:
    """The fewest indicator improvements that lift a score into the next category."""

    current: Band
    target: Band | None
    """``None`` when already in the top category."""
    steps: tuple[WhatIfStep, ...]
    reachable: bool
    projected_score: Decimal
    decimals: int

    @property
    def projected_rounded(self) -> Decimal:
        return round_half_up(self.projected_score, self.decimals)


@dataclass(frozen=True)
class UnitResult:
    code: str
    name: str
    type: str
    score: Decimal
    band: Band
    dimensions: dict[str, DimensionResult]
    indicators: dict[str, IndicatorResult]
    what_if: WhatIfPlan
    decimals: int
    products: int = 0

    @property
    def rounded(self) -> Decimal:
        return round_half_up(self.score, self.decimals)

    @property
    def missing(self) -> list[str]:
        return [code for code, ind in self.indicators.items() if ind.status == MISSING]

    @property
    def not_applicable(self) -> list[str]:
        return [code for code, ind in self.indicators.items() if ind.status == NOT_APPLICABLE]

    @property
    def explanation(self) -> list[IndicatorResult]:
        """Indicators that lost points, largest loss first (ties by code)."""
        lost = [ind for ind in self.indicators.values() if ind.points_lost > 0]
        return sorted(lost, key=lambda ind: (-ind.points_lost, ind.code))


@dataclass(frozen=True)
class GovernmentResult:
    instrument: Instrument
    code: str
    name: str
    kind: str
    score: Decimal
    band: Band
    opinion: str
    """The band's opinion, with the instrument's suffix when its condition holds."""
    units: list[UnitResult]
    unit_weights: dict[str, Decimal]
    what_if: WhatIfPlan
    synthetic: bool = False

    @property
    def rounded(self) -> Decimal:
        return round_half_up(self.score, self.instrument.result.decimals)

    @property
    def provisional(self) -> bool:
        return self.instrument.provisional


def classify(instrument: Instrument, score: Decimal) -> Band:
    """The band of ``score`` after rounding half-up to the instrument's decimals."""
    return instrument.band_for(round_half_up(score, instrument.result.decimals))


def score_unit(instrument: Instrument, unit: UnitAnswers) -> UnitResult:
    """Score one unit. The answers must have passed :func:`check_answers`."""
    result = instrument.result
    with localcontext(DECIMAL_CONTEXT):
        # 1. indicator values and status
        statuses: dict[str, tuple[str, Decimal | None]] = {}
        for dimension in instrument.dimensions:
            for indicator in dimension.indicators:
                if not indicator.applies_to_unit_type(unit.type):
                    statuses[indicator.code] = (NOT_APPLICABLE, None)
                elif indicator.code not in unit.answers:
                    statuses[indicator.code] = (MISSING, indicator.scale.minimum)
                else:
                    value = resolve_value(unit.answers[indicator.code])
                    statuses[indicator.code] = (
                        (NOT_APPLICABLE, None) if value is None else (ANSWERED, value)
                    )

        # 2. weights inside each dimension, renormalised over applicable indicators
        inner: dict[str, dict[str, Decimal]] = {}
        for dimension in instrument.dimensions:
            applicable = [
                ind for ind in dimension.indicators if statuses[ind.code][0] != NOT_APPLICABLE
            ]
            raw = {
                ind.code: ind.weight if ind.weight is not None else Decimal(1) for ind in applicable
            }
            total = sum(raw.values(), ZERO)
            inner[dimension.code] = {code: w / total for code, w in raw.items()} if total else {}
        live = [dim for dim in instrument.dimensions if inner[dim.code]]
        if not live:
            raise AnswersError(
                "", [Problem(f"unit {unit.code}", "semua indikator N/A; unit tidak dapat dinilai")]
            )
        dimension_total = sum((dim.weight for dim in live), ZERO)
        outer = {dim.code: dim.weight / dimension_total for dim in live}

        # 3. points per indicator and per dimension
        indicators: dict[str, IndicatorResult] = {}
        dimensions: dict[str, DimensionResult] = {}
        unit_share = ZERO
        for dimension in instrument.dimensions:
            share = ZERO
            for indicator in dimension.indicators:
                status, value = statuses[indicator.code]
                if status == NOT_APPLICABLE:
                    indicators[indicator.code] = IndicatorResult(
                        indicator, status, None, ZERO, ZERO, ZERO
                    )
                    continue
                assert value is not None
                normalised = (value - indicator.scale.minimum) / indicator.scale.span
                v = inner[dimension.code][indicator.code]
                weight = outer[dimension.code] * v
                share += v * normalised
                indicators[indicator.code] = IndicatorResult(
                    indicator,
                    status,
                    value,
                    weight,
                    result.span * weight * normalised,
                    result.span * weight,
                )
            applicable = dimension.code in outer
            dimensions[dimension.code] = DimensionResult(
                dimension.code,
                dimension.name,
                dimension.weight,
                outer.get(dimension.code, ZERO),
                result.minimum + result.span * share if applicable else None,
                result.decimals,
            )
            if applicable:
                unit_share += outer[dimension.code] * share
        score = result.minimum + result.span * unit_share
        band = classify(instrument, score)
        candidates = [
            _Candidate(unit.code, ind, ind.points_lost, ind.value or ind.indicator.scale.minimum)
            for ind in indicators.values()
            if ind.points_lost > 0
        ]
        plan = _plan(instrument, score, band, candidates, unit_factor={unit.code: Decimal(1)})
        return UnitResult(
            unit.code,
            unit.name,
            unit.type,
            score,
            band,
            dimensions,
            indicators,
            plan,
            result.decimals,
            unit.products,
        )


def score_government(instrument: Instrument, government: GovernmentAnswers) -> GovernmentResult:
    """Check the answers, score every unit and roll them up into the government's result.

    Raises :class:`AnswersError` listing every problem when the answers do not fit the
    instrument.
    """
    problems = check_answers(instrument, government)
    if problems:
        raise AnswersError("", problems)
    units = [score_unit(instrument, unit) for unit in government.units]
    with localcontext(DECIMAL_CONTEXT):
        if instrument.government_aggregation == "product_weighted":
            total = Decimal(sum(unit.products for unit in government.units))
            weights = {unit.code: Decimal(unit.products) / total for unit in government.units}
        else:
            weights = {unit.code: Decimal(1) / Decimal(len(units)) for unit in units}
        score = sum((weights[unit.code] * unit.score for unit in units), ZERO)
        band = classify(instrument, score)
        candidates = [
            _Candidate(
                unit.code,
                ind,
                weights[unit.code] * ind.points_lost,
                ind.value if ind.value is not None else ind.indicator.scale.minimum,
            )
            for unit in units
            for ind in unit.indicators.values()
            if ind.points_lost > 0
        ]
        plan = _plan(instrument, score, band, candidates, unit_factor=weights)
    opinion = band.opinion
    suffix = instrument.opinion_suffix
    if (
        suffix
        and suffix.when == "all_ombudsman_products_followed_up"
        and (government.ombudsman_products_followed_up)
    ):
        opinion = f"{opinion} {suffix.text}"
    return GovernmentResult(
        instrument,
        government.code,
        government.name,
        government.kind,
        score,
        band,
        opinion,
        units,
        weights,
        plan,
        government.synthetic,
    )


# -- what-if -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    unit_code: str
    indicator: IndicatorResult
    gain: Decimal
    """Points gained by the score of the plan when this indicator is raised to the maximum."""
    value: Decimal


def _plan(
    instrument: Instrument,
    score: Decimal,
    band: Band,
    candidates: list[_Candidate],
    unit_factor: dict[str, Decimal],
) -> WhatIfPlan:
    """Fewest improvements reaching the next band.

    Raising indicators to the scale's maximum, the largest gains first, reaches a target in
    the fewest steps (any k steps gain at most the k largest gains). The last step is then
    lowered to the smallest whole level that still reaches the target.
    """
    decimals = instrument.result.decimals
    higher = [b for b in instrument.bands_ascending() if b.minimum > band.maximum]
    if not higher:
        return WhatIfPlan(band, None, (), True, score, decimals)
    target = higher[0]
    ordered = sorted(candidates, key=lambda c: (-c.gain, c.unit_code, c.indicator.code))
    steps: list[WhatIfStep] = []
    projected = score
    for candidate in ordered:
        if round_half_up(projected, decimals) >= target.minimum:
            break
        indicator = candidate.indicator.indicator
        needed = None
        for level in indicator.scale.levels:
            level_value = Decimal(level)
            if level_value <= candidate.value:
                continue
            gain = (
                candidate.gain
                * (level_value - candidate.value)
                / (indicator.scale.maximum - candidate.value)
            )
            if round_half_up(projected + gain, decimals) >= target.minimum:
                needed = (level_value, gain)
                break
        to_value, gain = needed if needed else (indicator.scale.maximum, candidate.gain)
        steps.append(
            WhatIfStep(
                candidate.unit_code,
                indicator.code,
                indicator.name,
                candidate.value,
                to_value,
                gain,
            )
        )
        projected += gain
    reachable = round_half_up(projected, decimals) >= target.minimum
    return WhatIfPlan(band, target, tuple(steps), reachable, projected, decimals)


__all__ = [
    "ANSWERED",
    "MISSING",
    "NOT_APPLICABLE",
    "DimensionResult",
    "GovernmentResult",
    "IndicatorResult",
    "UnitResult",
    "WhatIfPlan",
    "WhatIfStep",
    "classify",
    "score_government",
    "score_unit",
]
