"""Scoring: from answers to an explainable result.

One formula for every instrument (see ``docs/instruments.md``): an indicator's answer ``s``
on scale [min, max] becomes ``n = (s − min) / (max − min)``; the unit score is
``result.min + (result.max − result.min) × Σ_d W_d × Σ_i v_i × n_i`` with the dimension weights
``W`` and the indicator weights ``v`` renormalised over what applies. Every point of the score
is traceable: each indicator's ``points`` and ``points_lost`` add up to the unit score and to
what it misses of the maximum.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from functools import cached_property

from .answers import (
    NA,
    AnswerValue,
    GovernmentAnswers,
    UnitAnswers,
    check_answers,
    check_government_answers,
    government_value,
    resolve_value,
)
from .errors import AnswersError, Problem
from .model import (
    GOVERNMENT_KINDS,
    UNIT_TYPES,
    Band,
    CertificateRule,
    ComplianceLevel,
    GovernmentElement,
    GovernmentIndicator,
    Indicator,
    Instrument,
)
from .numbers import DECIMAL_CONTEXT, HUNDRED, ZERO, round_half_up

_ABSENT = object()

ANSWERED = "answered"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

CERTIFICATE_AWARDED = "awarded"
CERTIFICATE_WITHHELD = "withheld"
CERTIFICATE_NOT_DETERMINED = "not_determined"

WITHHELD_REASONS: dict[str, str] = {
    "all_ombudsman_products_followed_up": "produk Ombudsman belum ditindaklanjuti tuntas",
}
"""Why the certificate is withheld when a condition does not hold (Bahasa Indonesia)."""
UNDETERMINED_REASONS: dict[str, str] = {
    "all_ombudsman_products_followed_up": "status tindak lanjut produk Ombudsman belum diketahui",
}


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
    def counted(self) -> bool:
        """Whether the indicator is part of the score (a supplementary item is not)."""
        return self.indicator.counted

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
class _UnitDetail:
    """What a unit's per-indicator explanation is built from, kept with its result so the
    explanation and the what-if plan are worked out only when something reads them."""

    instrument: Instrument
    unit_type: str
    answers: Mapping[str, AnswerValue]
    weights: _Weights


@dataclass(frozen=True)
class UnitResult:
    """One unit's score, category and dimension scores; :attr:`indicators` (every point
    traced to its indicator) and :attr:`what_if` are built on first use from the same
    numbers, so a national recompute that only ranks does not pay for them."""

    code: str
    name: str
    type: str
    score: Decimal
    band: Band
    dimensions: dict[str, DimensionResult]
    decimals: int
    products: int = 0
    _detail: _UnitDetail | None = field(default=None, repr=False, compare=False)

    @cached_property
    def indicators(self) -> dict[str, IndicatorResult]:
        detail = self._detail
        assert detail is not None
        instrument = detail.instrument
        span = instrument.result.span
        inner, outer = detail.weights.inner, detail.weights.outer
        applicable = _layout(instrument).applicable_codes(detail.unit_type)
        indicators: dict[str, IndicatorResult] = {}
        with localcontext(DECIMAL_CONTEXT):
            for dimension in instrument.dimensions:
                for indicator in dimension.indicators:
                    code = indicator.code
                    scale = indicator.scale
                    if code not in applicable:
                        status, value = NOT_APPLICABLE, None
                    elif code not in detail.answers:
                        status, value = MISSING, scale.minimum
                    else:
                        value = _resolve(detail.answers[code])
                        status = ANSWERED if value is not None else NOT_APPLICABLE
                    if value is None:
                        indicators[code] = IndicatorResult(
                            indicator, NOT_APPLICABLE, None, ZERO, ZERO, ZERO
                        )
                        continue
                    if not indicator.counted:
                        # a supplementary item: shown with its answer, never in the score
                        indicators[code] = IndicatorResult(
                            indicator, status, value, ZERO, ZERO, ZERO
                        )
                        continue
                    normalised = (value - scale.minimum) / scale.span
                    weight = outer[dimension.code] * inner[dimension.code][code]
                    indicators[code] = IndicatorResult(
                        indicator, status, value, weight, span * weight * normalised, span * weight
                    )
        return indicators

    @cached_property
    def what_if(self) -> WhatIfPlan:
        """The fewest improvements that lift this unit into the next category."""
        detail = self._detail
        assert detail is not None
        with localcontext(DECIMAL_CONTEXT):
            candidates = [
                _Candidate(
                    self.code, ind, ind.points_lost, ind.value or ind.indicator.scale.minimum
                )
                for ind in self.indicators.values()
                if ind.points_lost > 0
            ]
            return _plan(
                detail.instrument,
                self.score,
                self.band,
                candidates,
                unit_factor={self.code: Decimal(1)},
            )

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
class Certificate:
    """Whether the government gets the instrument's certificate (*piagam*). It never changes
    the score, the category or the opinion."""

    status: str
    """:data:`CERTIFICATE_AWARDED`, :data:`CERTIFICATE_WITHHELD` or
    :data:`CERTIFICATE_NOT_DETERMINED`."""
    reason: str | None
    """Why it is withheld or not determined (Bahasa Indonesia); ``None`` when awarded."""
    rule: CertificateRule

    @property
    def awarded(self) -> bool:
        return self.status == CERTIFICATE_AWARDED

    @property
    def provisional(self) -> bool:
        return self.rule.provisional


def certificate_for(rule: CertificateRule | None, followed_up: bool | None) -> Certificate | None:
    """The certificate outcome under ``rule``; ``None`` when the instrument has no rule.

    ``followed_up`` is :attr:`GovernmentAnswers.ombudsman_products_followed_up`: ``True`` when
    every Ombudsman product addressed to the government has been followed up, ``False`` when one
    has not, ``None`` when that is not known.
    """
    if rule is None:
        return None
    condition = rule.withheld_unless
    if condition is None or followed_up is True:
        return Certificate(CERTIFICATE_AWARDED, None, rule)
    if followed_up is None:
        return Certificate(CERTIFICATE_NOT_DETERMINED, UNDETERMINED_REASONS[condition], rule)
    return Certificate(CERTIFICATE_WITHHELD, WITHHELD_REASONS[condition], rule)


@dataclass(frozen=True)
class GovernmentIndicatorResult:
    """One government-level figure and what it contributes to the government's score."""

    indicator: GovernmentIndicator
    status: str
    """:data:`ANSWERED` or :data:`MISSING` (then it counts as the scale's minimum)."""
    value: Decimal | None
    year: int | None
    source: str | None
    points: Decimal
    max_points: Decimal

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def points_lost(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True)
class GovernmentElementResult:
    """A government-level element (public trust, secondary-data Output): its score on the
    result scale and its figures."""

    element: GovernmentElement
    score: Decimal
    indicators: tuple[GovernmentIndicatorResult, ...]

    @property
    def code(self) -> str:
        return self.element.code

    @property
    def points(self) -> Decimal:
        return sum((ind.points for ind in self.indicators), ZERO)


@dataclass(frozen=True)
class Award:
    """Whether the government gets the instrument's award (2025+: the *Opini Ombudsman RI*,
    only at Kualitas Tertinggi)."""

    name: str
    awarded: bool


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
    synthetic: bool = False
    certificate: Certificate | None = None
    """The certificate outcome; ``None`` when the instrument has no certificate rule."""
    elements: tuple[GovernmentElementResult, ...] = ()
    """Government-level elements (2025+); empty for instruments scored from units only."""
    units_score: Decimal | None = None
    """The units' part before the government-level elements are added (their aggregate on
    the result scale); ``None`` when the instrument has no government-level elements."""
    compliance: ComplianceLevel | None = None
    """The graded compliance with Ombudsman products, when the instrument grades it and it
    was answered."""
    award: Award | None = None

    @cached_property
    def what_if(self) -> WhatIfPlan:
        """The fewest unit indicators to improve to lift the government into the next
        category (built on first use)."""
        with localcontext(DECIMAL_CONTEXT):
            # with government-level elements the units carry only their share of the score
            share = self.instrument.unit_weight / HUNDRED
            weights = {code: weight * share for code, weight in self.unit_weights.items()}
            candidates = [
                _Candidate(
                    unit.code,
                    ind,
                    weights[unit.code] * ind.points_lost,
                    ind.value if ind.value is not None else ind.indicator.scale.minimum,
                )
                for unit in self.units
                for ind in unit.indicators.values()
                if ind.points_lost > 0
            ]
            return _plan(self.instrument, self.score, self.band, candidates, unit_factor=weights)

    @property
    def rounded(self) -> Decimal:
        return round_half_up(self.score, self.instrument.result.decimals)

    @property
    def provisional(self) -> bool:
        return self.instrument.provisional

    @property
    def quality_label(self) -> str | None:
        return self.band.quality_label

    @property
    def government_missing(self) -> list[str]:
        """Government-level figures not answered (they count as their scale's minimum)."""
        return [ind.code for el in self.elements for ind in el.indicators if ind.status == MISSING]

    @property
    def provisional_parts(self) -> list[str]:
        """The provisional parts (paths in :attr:`Instrument.provisional_notes`) this result's
        score, label, opinion and award rest on, so every reader can flag them."""
        instrument = self.instrument
        paths = {note.path for note in instrument.provisional_notes}
        wanted = ["instrumen", f"bands.{self.band.category}"]
        wanted += [f"dimensions.{dim.code}" for dim in instrument.dimensions]
        for element in instrument.government_elements:
            wanted.append(f"government_elements.{element.code}")
            wanted += [f"government_elements.{element.code}.{i.code}" for i in element.indicators]
        wanted += ["opinion_suffix", "compliance", "award", "follow_up_adjustment"]
        return [path for path in wanted if path in paths]


def classify(instrument: Instrument, score: Decimal) -> Band:
    """The band of ``score`` after rounding half-up to the instrument's decimals."""
    return instrument.band_for(round_half_up(score, instrument.result.decimals))


# -- what scoring needs of an instrument, worked out once ----------------------------------


@dataclass(frozen=True)
class _Weights:
    inner: dict[str, dict[str, Decimal]]
    """Per dimension: each applicable indicator's share of the dimension (renormalised)."""
    outer: dict[str, Decimal]
    """Per dimension with an applicable indicator: its share of the unit score."""
    terms: dict[str, list[tuple[Indicator, Decimal, dict[int, Decimal], Decimal]]]
    """Per dimension, each applicable indicator with its share ``v``, ``v × n`` for every
    whole level of its scale and for a missing answer: what the dimension score adds up."""


class _Layout:
    """An instrument's indicators per unit type, the normalised value of every whole level of
    every indicator, and the renormalised weights per set of N/A indicators (cached: most
    units share a handful of sets)."""

    MAX_WEIGHT_SETS = 4096

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.dimensions = [(dim, dim.indicators) for dim in instrument.dimensions]
        self.indicators = [ind for _, inds in self.dimensions for ind in inds]
        self.applicable: dict[str, frozenset[str]] = {}
        self.weight_sets: dict[tuple[str, frozenset[str]], _Weights | None] = {}
        with localcontext(DECIMAL_CONTEXT):
            self.levels: dict[str, dict[int, Decimal]] = {
                ind.code: {
                    level: (Decimal(level) - ind.scale.minimum) / ind.scale.span
                    for level in ind.scale.levels
                    if ind.scale.contains(Decimal(level))
                }
                for ind in self.indicators
            }
            self.whole_levels: dict[str, frozenset[int]] = {
                code: frozenset(by_level) for code, by_level in self.levels.items()
            }
            self.missing: dict[str, Decimal] = {
                ind.code: (ind.scale.minimum - ind.scale.minimum) / ind.scale.span
                for ind in self.indicators
            }

    def applicable_codes(self, unit_type: str) -> frozenset[str]:
        codes = self.applicable.get(unit_type)
        if codes is None:
            codes = frozenset(
                ind.code for ind in self.indicators if ind.applies_to_unit_type(unit_type)
            )
            self.applicable[unit_type] = codes
        return codes

    def weights(self, unit_type: str, answered_na: frozenset[str]) -> _Weights | None:
        """``None`` when nothing applies."""
        key = (unit_type, answered_na)
        found = self.weight_sets.get(key, _ABSENT)  # one read: another thread may clear
        if found is not _ABSENT:
            return found  # type: ignore[return-value]
        applies = self.applicable_codes(unit_type) - answered_na
        inner: dict[str, dict[str, Decimal]] = {}
        with localcontext(DECIMAL_CONTEXT):
            for dimension, indicators in self.dimensions:
                raw = {
                    ind.code: ind.weight if ind.weight is not None else Decimal(1)
                    for ind in indicators
                    if ind.code in applies and ind.counted
                }
                total = sum(raw.values(), ZERO)
                inner[dimension.code] = (
                    {code: w / total for code, w in raw.items()} if total else {}
                )
            live = [dim for dim, _ in self.dimensions if inner[dim.code]]
            weights = None
            if live:
                dimension_total = sum((dim.weight for dim in live), ZERO)
                outer = {dim.code: dim.weight / dimension_total for dim in live}
                terms = {
                    dimension.code: [
                        (
                            ind,
                            inner[dimension.code][ind.code],
                            {
                                level: inner[dimension.code][ind.code] * normalised
                                for level, normalised in self.levels[ind.code].items()
                            },
                            inner[dimension.code][ind.code] * self.missing[ind.code],
                        )
                        for ind in indicators
                        if ind.code in inner[dimension.code]
                    ]
                    for dimension, indicators in self.dimensions
                }
                weights = _Weights(inner, outer, terms)
        if len(self.weight_sets) >= self.MAX_WEIGHT_SETS:
            self.weight_sets.clear()
        self.weight_sets[key] = weights
        return weights


_LAYOUTS: dict[int, _Layout] = {}


def _layout(instrument: Instrument) -> _Layout:
    layout = _LAYOUTS.get(id(instrument))
    if layout is None or layout.instrument is not instrument:
        if len(_LAYOUTS) >= 64:
            _LAYOUTS.clear()
        layout = _LAYOUTS[id(instrument)] = _Layout(instrument)
    return layout


_WHOLE = {number: Decimal(number) for number in range(-10, 101)}
_INTS_ONLY = frozenset({int})


def _resolve(value: AnswerValue) -> Decimal | None:
    """:func:`resolve_value`, with a list of whole numbers taken without the general path;
    the same numbers either way."""
    if type(value) is list and value and all(type(item) is int for item in value):
        return Decimal(sum(value)) / len(value)
    return resolve_value(value)


def _plainly_valid(layout: _Layout, government: GovernmentAnswers) -> bool:
    """Whether ``government``'s answers certainly pass :func:`check_answers`: known kinds and
    unit types, distinct unit codes, products where they weigh, and every answer a whole
    level of its indicator's scale (or a list of them, or ``"na"``) on an indicator that
    applies. Anything else goes through :func:`check_answers`, which says what is wrong."""
    if government.kind not in GOVERNMENT_KINDS or not government.units:
        return False
    product_weighted = layout.instrument.government_aggregation == "product_weighted"
    levels = layout.levels
    whole = layout.whole_levels
    seen: set[str] = set()
    for unit in government.units:
        if unit.code in seen or unit.type not in UNIT_TYPES or unit.survey:
            return False  # a users' survey is always checked in full
        seen.add(unit.code)
        if product_weighted and unit.products <= 0:
            return False
        answers = unit.answers
        if not layout.applicable_codes(unit.type).issuperset(answers):
            return False
        for code, value in answers.items():
            kind = type(value)
            if kind is int:
                if value not in levels[code]:
                    return False
            elif kind is list:
                # whole numbers only (not a bool or a float that equals one), each a level
                if not (_INTS_ONLY.issuperset(map(type, value)) and whole[code].issuperset(value)):
                    return False
            elif value != NA:
                return False
    return True


def score_unit(instrument: Instrument, unit: UnitAnswers) -> UnitResult:
    """Score one unit. The answers must have passed :func:`check_answers`."""
    return _score_unit(_layout(instrument), unit, checked=False)


def _score_unit(layout: _Layout, unit: UnitAnswers, *, checked: bool) -> UnitResult:
    """``checked``: the answers passed :func:`_plainly_valid` (every list holds whole
    numbers only)."""
    instrument = layout.instrument
    result = instrument.result
    answers = unit.answers
    applicable = layout.applicable_codes(unit.type)
    with localcontext(DECIMAL_CONTEXT):
        # 1. the applicable indicators answered N/A ("na", or a list without a number); most
        # checked units have none, which two counts in C tell without a loop in Python
        values = list(answers.values())
        if checked and not values.count(NA) and not values.count([]):
            answered_na: frozenset[str] = frozenset()
        else:
            answered_na = frozenset(
                code
                for code, raw in answers.items()
                if type(raw) is not int
                and code in applicable
                and ((not raw) if checked and type(raw) is list else _resolve(raw) is None)
            )
        # 2. the weights renormalised over what applies (shared by units alike)
        weights = layout.weights(unit.type, answered_na)
        if weights is None:
            raise AnswersError(
                "", [Problem(f"unit {unit.code}", "semua indikator N/A; unit tidak dapat dinilai")]
            )
        outer = weights.outer
        # 3. dimension scores: Σ v × n over the applicable indicators, in instrument order;
        # the points per indicator are worked out when :attr:`UnitResult.indicators` is read
        dimensions: dict[str, DimensionResult] = {}
        unit_share = ZERO
        for dimension, _ in layout.dimensions:
            share = ZERO
            for indicator, v, by_level, missing in weights.terms[dimension.code]:
                raw = answers.get(indicator.code, _ABSENT)
                if type(raw) is int:
                    term = by_level.get(raw)
                    if term is None:
                        scale = indicator.scale
                        term = v * ((Decimal(raw) - scale.minimum) / scale.span)
                elif raw is _ABSENT:
                    term = missing
                else:
                    value = (
                        Decimal(sum(raw)) / len(raw)
                        if checked and type(raw) is list
                        else _resolve(raw)
                    )
                    assert value is not None
                    scale = indicator.scale
                    term = v * ((value - scale.minimum) / scale.span)
                share += term
            applies = dimension.code in outer
            dimensions[dimension.code] = DimensionResult(
                dimension.code,
                dimension.name,
                dimension.weight,
                outer.get(dimension.code, ZERO),
                result.minimum + result.span * share if applies else None,
                result.decimals,
            )
            if applies:
                unit_share += outer[dimension.code] * share
        score = result.minimum + result.span * unit_share
        return UnitResult(
            unit.code,
            unit.name,
            unit.type,
            score,
            classify(instrument, score),
            dimensions,
            result.decimals,
            unit.products,
            # a copy: the explanation, built later, must read the answers as scored
            _UnitDetail(instrument, unit.type, dict(answers), weights),
        )


def aggregate_units(
    aggregation: str,
    scores: Mapping[str, Decimal],
    products: Mapping[str, int] | None = None,
) -> tuple[Decimal, dict[str, Decimal]]:
    """The government's score from its units' scores, and each unit's weight in it.

    ``mean``: every unit (each Puskesmas one unit) weighs the same; Kabupaten Rembang 2024
    was published as 98.90, the exact mean (98.9014) of its seven unit scores. ``product_weighted``:
    each unit weighs by its number of service products (``products``, each > 0).
    """
    with localcontext(DECIMAL_CONTEXT):
        if aggregation == "product_weighted":
            counts = products or {}
            total = Decimal(sum(counts[code] for code in scores))
            weights = {code: Decimal(counts[code]) / total for code in scores}
        else:
            weights = {code: Decimal(1) / Decimal(len(scores)) for code in scores}
        score = sum((weights[code] * value for code, value in scores.items()), ZERO)
    return score, weights


def score_government(instrument: Instrument, government: GovernmentAnswers) -> GovernmentResult:
    """Check the answers, score every unit and roll them up into the government's result.

    Raises :class:`AnswersError` listing every problem when the answers do not fit the
    instrument.
    """
    layout = _layout(instrument)
    checked = _plainly_valid(layout, government)
    if checked:
        problems = check_government_answers(instrument, government)
        if problems:
            raise AnswersError("", problems)
    else:
        problems = check_answers(instrument, government)
        if problems:
            raise AnswersError("", problems)
    units = [_score_unit(layout, unit, checked=checked) for unit in government.units]
    score, weights = aggregate_units(
        instrument.government_aggregation,
        {unit.code: unit.score for unit in units},
        {unit.code: unit.products for unit in government.units},
    )
    units_score: Decimal | None = None
    elements: tuple[GovernmentElementResult, ...] = ()
    if instrument.government_elements:
        units_score = score
        elements = tuple(
            score_element(instrument, element, government.answers)
            for element in instrument.government_elements
        )
        score = combine(instrument, units_score, elements)
    compliance = _compliance_level(instrument, government)
    band, opinion, award = result_layers(
        instrument, score, compliance, government.ombudsman_products_followed_up
    )
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
        government.synthetic,
        certificate_for(instrument.certificate, government.ombudsman_products_followed_up),
        elements,
        units_score,
        compliance,
        award,
    )


def score_element(
    instrument: Instrument, element: GovernmentElement, answers: Mapping[str, object]
) -> GovernmentElementResult:
    """One government-level element from the government's answers (checked): each figure
    normalised on its scale, the figures weighted (equal unless given), a missing figure
    counted as its scale's minimum, as a missing unit indicator is."""
    result = instrument.result
    with localcontext(DECIMAL_CONTEXT):
        raw_weights = {
            ind.code: ind.weight if ind.weight is not None else Decimal(1)
            for ind in element.indicators
        }
        total = sum(raw_weights.values(), ZERO)
        element_span = result.span * element.weight / HUNDRED
        share = ZERO
        figures: list[GovernmentIndicatorResult] = []
        for indicator in element.indicators:
            v = raw_weights[indicator.code] / total
            raw = answers.get(indicator.code)
            scale = indicator.scale
            if raw is None:
                figure = None
                normalised = ZERO
            else:
                figure = government_value(raw)
                normalised = (figure.value - scale.minimum) / scale.span
            share += v * normalised
            figures.append(
                GovernmentIndicatorResult(
                    indicator,
                    MISSING if figure is None else ANSWERED,
                    None if figure is None else figure.value,
                    None if figure is None else figure.year,
                    None if figure is None else figure.source,
                    element_span * v * normalised,
                    element_span * v,
                )
            )
        return GovernmentElementResult(
            element, result.minimum + result.span * share, tuple(figures)
        )


def combine(
    instrument: Instrument, units_score: Decimal, elements: tuple[GovernmentElementResult, ...]
) -> Decimal:
    """The government's score: the units' aggregate weighted by the unit-level dimensions'
    share (2025: Input, Proses, Pengaduan) plus each government-level element by its weight,
    out of 100 (the loader checks the weights add up to 100)."""
    with localcontext(DECIMAL_CONTEXT):
        total = instrument.unit_weight * units_score
        total += sum((el.element.weight * el.score for el in elements), ZERO)
        return total / HUNDRED


def result_layers(
    instrument: Instrument,
    score: Decimal,
    compliance: ComplianceLevel | None = None,
    followed_up: bool | None = None,
) -> tuple[Band, str, Award | None]:
    """The layers above the score: its band (category and quality-of-service label), the
    opinion with the suffix when the compliance rule holds, and the award (``None`` when the
    instrument has none). Published results are checked against exactly this."""
    band = classify(instrument, score)
    opinion = band.opinion
    if _suffix_applies(instrument, compliance, followed_up):
        assert instrument.opinion_suffix is not None
        opinion = f"{opinion} {instrument.opinion_suffix.text}"
    award = (
        Award(instrument.award_name, band.category in instrument.award_categories)
        if instrument.award_name
        else None
    )
    return band, opinion, award


def _compliance_level(
    instrument: Instrument, government: GovernmentAnswers
) -> ComplianceLevel | None:
    compliance = instrument.compliance
    if compliance is None:
        return None
    raw = government.answers.get(compliance.code)
    return compliance.level(raw.strip()) if isinstance(raw, str) else None


def _suffix_applies(
    instrument: Instrument, compliance: ComplianceLevel | None, followed_up: bool | None
) -> bool:
    """Whether the opinion gets the instrument's suffix ("Tanpa Maladministrasi").

    ``compliance_level``: the graded level is one marked ``suffix: true``; when no level was
    answered, ``ombudsman_products_followed_up: true`` (every product followed up to
    completion, *hingga tuntas*) still gives it, so answers files written before the grades
    keep their opinion."""
    suffix = instrument.opinion_suffix
    if suffix is None:
        return False
    if suffix.when == "compliance_level":
        if compliance is not None:
            return compliance.suffix
        return followed_up is True
    return suffix.when == "all_ombudsman_products_followed_up" and followed_up is True


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
    "CERTIFICATE_AWARDED",
    "CERTIFICATE_NOT_DETERMINED",
    "CERTIFICATE_WITHHELD",
    "MISSING",
    "NOT_APPLICABLE",
    "Award",
    "Certificate",
    "DimensionResult",
    "GovernmentElementResult",
    "GovernmentIndicatorResult",
    "GovernmentResult",
    "IndicatorResult",
    "UnitResult",
    "WhatIfPlan",
    "WhatIfStep",
    "aggregate_units",
    "certificate_for",
    "classify",
    "combine",
    "result_layers",
    "score_element",
    "score_government",
    "score_unit",
]
