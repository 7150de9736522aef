"""Properties every instrument and every set of answers must satisfy."""

from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from patuh.scoring import (
    NA,
    GovernmentAnswers,
    UnitAnswers,
    classify,
    instrument_codes,
    load_instrument,
    round_half_up,
    score_government,
)
from patuh.scoring.answers import resolve_value
from patuh.scoring.numbers import quantum

INSTRUMENTS = [load_instrument(code) for code in instrument_codes()]
SCORED = [i for i in INSTRUMENTS if i.result.maximum > i.result.minimum]


def decode(indicator, code):
    """One drawn integer → one answer: missing (None), "na", a level, or a list of levels
    (with an occasional "na" item). Drawing one integer per indicator keeps generation fast."""
    levels = indicator.scale.levels
    if code < 4:
        return None
    if code < 7:
        return NA
    if code < 40:
        return levels[code % len(levels)]
    size = 2 + code % 4
    items = [levels[(code // (k + 1)) % len(levels)] for k in range(size)]
    if code % 7 == 0:
        items[0] = NA
    return items


@st.composite
def unit_answers(draw, instrument, code="U"):
    indicators = list(instrument.indicators.values())
    codes = draw(st.lists(st.integers(0, 99), min_size=len(indicators), max_size=len(indicators)))
    answers = {}
    for indicator, drawn in zip(indicators, codes, strict=True):
        value = decode(indicator, drawn)
        if value is not None:
            answers[indicator.code] = value
    assume(any(resolve_value(v) is not None for v in answers.values()) or not answers)
    return UnitAnswers(code, code, "lainnya", answers)


@st.composite
def instrument_and_government(draw):
    instrument = draw(st.sampled_from(SCORED))
    units = [draw(unit_answers(instrument, f"U{i}")) for i in range(draw(st.integers(1, 2)))]
    return instrument, GovernmentAnswers("G", "G", "kabupaten", units)


def score(instrument, government):
    return score_government(instrument, government)


@given(instrument_and_government())
def test_scores_stay_inside_the_result_range(case):
    instrument, government = case
    result = score(instrument, government)
    low, high = instrument.result.minimum, instrument.result.maximum
    assert low <= result.score <= high
    for unit in result.units:
        assert low <= unit.score <= high
        for dimension in unit.dimensions.values():
            assert dimension.score is None or low <= dimension.score <= high


@given(instrument_and_government(), st.data())
def test_raising_any_answer_never_lowers_a_score(case, data):
    instrument, government = case
    before = score(instrument, government)
    unit_index = data.draw(st.integers(0, len(government.units) - 1))
    unit = government.units[unit_index]
    code = data.draw(st.sampled_from(sorted(instrument.indicators)))
    indicator = instrument.indicators[code]
    current = resolve_value(unit.answers[code]) if code in unit.answers else indicator.scale.minimum
    assume(current is not None)  # raising an N/A answer is not "raising"
    higher = data.draw(st.decimals(min_value=current, max_value=indicator.scale.maximum, places=2))
    raised = UnitAnswers(unit.code, unit.name, unit.type, {**unit.answers, code: higher})
    units = list(government.units)
    units[unit_index] = raised
    after = score(instrument, GovernmentAnswers("G", "G", "kabupaten", units))
    assert after.units[unit_index].score >= before.units[unit_index].score - Decimal("1e-20")
    assert after.score >= before.score - Decimal("1e-20")


@given(st.sampled_from(INSTRUMENTS), st.data())
def test_bands_cover_the_whole_range_without_gaps_or_overlaps(instrument, data):
    step = quantum(instrument.result.decimals)
    low, high = instrument.result.minimum, instrument.result.maximum
    units = data.draw(st.integers(0, int((high - low) / step)))
    score = low + units * step
    containing = [band for band in instrument.bands if band.contains(score)]
    assert len(containing) == 1
    assert classify(instrument, score) == containing[0]


@given(instrument_and_government(), st.data())
def test_na_renormalises_like_answering_with_the_rest_of_the_dimension(case, data):
    """Leaving an indicator out as N/A equals giving it the weighted mean of the applicable
    indicators of its dimension: renormalisation spreads its weight over the others."""
    instrument, government = case
    unit = government.units[0]
    dimension = data.draw(st.sampled_from(instrument.dimensions))
    code = data.draw(st.sampled_from([i.code for i in dimension.indicators]))
    with_na = UnitAnswers("U", "U", "lainnya", {**unit.answers, code: NA})
    scored = score(instrument, GovernmentAnswers("G", "G", "kota", [with_na])).units[0]
    others = [scored.indicators[i.code] for i in dimension.indicators if i.code != code]
    applicable = [r for r in others if r.status != "not_applicable"]
    assume(applicable)
    weight = sum(r.weight for r in applicable)
    mean_normalised = (
        sum(
            r.weight * (r.value - r.indicator.scale.minimum) / r.indicator.scale.span
            for r in applicable
        )
        / weight
    )
    indicator = instrument.indicators[code]
    imputed_value = indicator.scale.minimum + mean_normalised * indicator.scale.span
    imputed = UnitAnswers("U", "U", "lainnya", {**unit.answers, code: imputed_value})
    rescored = score(instrument, GovernmentAnswers("G", "G", "kota", [imputed])).units[0]
    assert abs(rescored.score - scored.score) < Decimal("1e-18")


@given(instrument_and_government())
def test_every_point_is_traced_to_an_indicator(case):
    instrument, government = case
    for unit in score(instrument, government).units:
        points = sum(ind.points for ind in unit.indicators.values())
        lost = sum(ind.points_lost for ind in unit.indicators.values())
        assert abs(instrument.result.minimum + points - unit.score) < Decimal("1e-18")
        assert abs(points + lost - instrument.result.span) < Decimal("1e-18")


@given(instrument_and_government())
def test_following_the_what_if_plan_reaches_the_next_category(case):
    instrument, government = case
    result = score(instrument, government)
    for unit_result, unit in zip(result.units, government.units, strict=True):
        plan = unit_result.what_if
        if plan.target is None:
            assert unit_result.band == instrument.bands[0]
            continue
        answers = dict(unit.answers)
        for step in plan.steps:
            answers[step.indicator_code] = step.to_value
        rescored = score(
            instrument,
            GovernmentAnswers(
                "G", "G", "kota", [UnitAnswers(unit.code, unit.name, unit.type, answers)]
            ),
        ).units[0]
        reached = round_half_up(rescored.score, instrument.result.decimals) >= plan.target.minimum
        assert reached == plan.reachable
        assert abs(rescored.score - plan.projected_score) < Decimal("1e-18")
        # fewest steps: no plan with one step fewer can reach the target
        if plan.steps:
            best = sorted((i.points_lost for i in unit_result.indicators.values()), reverse=True)
            shortfall = plan.target.minimum - quantum(instrument.result.decimals) / 2
            assert unit_result.score + sum(best[: len(plan.steps) - 1]) < shortfall


def reference_unit(instrument, unit):
    """The formula written out plainly, with no precomputed table and no shortcut: the
    scoring core's quicker paths must give exactly these numbers."""
    from decimal import localcontext

    from patuh.scoring.numbers import DECIMAL_CONTEXT

    result = instrument.result
    with localcontext(DECIMAL_CONTEXT):
        values = {}
        for ind in instrument.indicators.values():
            if not ind.applies_to_unit_type(unit.type):
                values[ind.code] = None
            elif ind.code not in unit.answers:
                values[ind.code] = ind.scale.minimum
            else:
                values[ind.code] = resolve_value(unit.answers[ind.code])
        inner = {}
        for dim in instrument.dimensions:
            raw = {
                i.code: i.weight if i.weight is not None else Decimal(1)
                for i in dim.indicators
                if values[i.code] is not None and i.counted  # a supplementary item weighs 0
            }
            total = sum(raw.values(), Decimal(0))
            inner[dim.code] = {c: w / total for c, w in raw.items()} if total else {}
        live = [dim for dim in instrument.dimensions if inner[dim.code]]
        outer = {d.code: d.weight / sum((d.weight for d in live), Decimal(0)) for d in live}
        dimensions, points, unit_share = {}, {}, Decimal(0)
        for dim in instrument.dimensions:
            share = Decimal(0)
            for ind in dim.indicators:
                value = values[ind.code]
                if value is None or not ind.counted:
                    points[ind.code] = Decimal(0)
                    continue
                normalised = (value - ind.scale.minimum) / ind.scale.span
                share += inner[dim.code][ind.code] * normalised
                weight = outer[dim.code] * inner[dim.code][ind.code]
                points[ind.code] = result.span * weight * normalised
            dimensions[dim.code] = (
                result.minimum + result.span * share if dim.code in outer else None
            )
            if dim.code in outer:
                unit_share += outer[dim.code] * share
        return result.minimum + result.span * unit_share, dimensions, points


def mixed_value(indicator, drawn):
    """The same answers written the other ways the answers format allows: a float, a
    Decimal, a tuple, "NA" in capitals, a list holding "na"."""
    value = decode(indicator, drawn)
    if isinstance(value, int) and drawn % 3 == 0:
        return float(value)
    if isinstance(value, int) and drawn % 3 == 1:
        return Decimal(value) + Decimal("0.5") if value < indicator.scale.maximum else value
    if isinstance(value, list) and drawn % 2:
        return tuple(value)
    if value == NA and drawn % 2:
        return " NA "
    return value


@given(st.sampled_from(SCORED), st.data(), st.booleans())
def test_quick_paths_give_exactly_the_plain_formula(instrument, data, mixed):
    unit_type = data.draw(st.sampled_from(["lainnya", "dinkes", "puskesmas", "disdukcapil"]))
    applicable = [i for i in instrument.indicators.values() if i.applies_to_unit_type(unit_type)]
    drawn = data.draw(
        st.lists(st.integers(0, 99), min_size=len(applicable), max_size=len(applicable))
    )
    answers = {}
    for indicator, code in zip(applicable, drawn, strict=True):
        value = (mixed_value if mixed else decode)(indicator, code)
        if value is not None:
            answers[indicator.code] = value
    assume(any(resolve_value(v) is not None for v in answers.values()))
    unit = UnitAnswers("U", "U", unit_type, answers, products=1)
    result = score_government(instrument, GovernmentAnswers("G", "G", "kota", [unit])).units[0]
    expected_score, expected_dimensions, expected_points = reference_unit(instrument, unit)
    # equal as numbers and as written (a stored payload's checksum depends on the digits)
    assert repr(result.score) == repr(expected_score)
    assert {c: repr(d.score) for c, d in result.dimensions.items()} == {
        c: repr(score) for c, score in expected_dimensions.items()
    }
    assert {c: repr(i.points) for c, i in result.indicators.items()} == {
        c: repr(points) for c, points in expected_points.items()
    }


def test_the_explanation_built_later_reads_the_answers_as_they_were_scored():
    instrument = load_instrument("ombudsman-2023")
    answers = dict.fromkeys(instrument.indicators, 2)
    unit = UnitAnswers("U", "U", "lainnya", answers)
    result = score_government(instrument, GovernmentAnswers("G", "G", "kota", [unit])).units[0]
    answers.clear()  # the caller reuses its dict before anything reads the explanation
    points = sum(ind.points for ind in result.indicators.values())
    assert result.missing == []
    assert abs(instrument.result.minimum + points - result.score) < Decimal("1e-18")
