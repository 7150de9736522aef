"""pekppp-2024: the KemenPAN-RB PEKPPP instrument as /work/shared/domain/PEKPPP.md gives it.

The hand computations below use PEKPPP.md §5's formula written out with the weights of §2 and
§3, in exact fractions, without the scoring core; the core must give the same numbers.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patuh.scoring import (
    GovernmentAnswers,
    InstrumentError,
    UnitAnswers,
    check_answers,
    classify,
    instrument_from_mapping,
    load_instrument,
    score_government,
)
from patuh.scoring.loader import parse_yaml
from patuh.scoring.pekppp import survey_index, survey_parts
from patuh.scoring.published import read_published
from patuh.scoring.published_check import AGREE, check_figure, instrument_for

PEKPPP = load_instrument("pekppp-2024")
SURVEY = PEKPPP.user_survey
assert SURVEY is not None

# PEKPPP.md §2 (aspect weights) and §3 (indicator weights inside each aspect)
ASPECTS = {"KP": 24, "SDM": 25, "SP": 18, "SI": 11, "KS": 10, "INV": 12}
WEIGHTS = {
    "KP": {"KP-01": 17, "KP-02": 14, "KP-03": 7, "KP-04": 14, "KP-05": 10, "KP-06": 17,
           "KP-07": 7, "KP-08": 7, "KP-09": 7},
    "SDM": {"SDM-01": 10, "SDM-02": 20, "SDM-03": 20, "SDM-04": 20, "SDM-05": 30},
    "SP": {"SP-01": 15, "SP-02": 23, "SP-03": 20, "SP-04": 20, "SP-05": 11, "SP-06": 11},
    "SI": {"SI-01": 30, "SI-02": 20, "SI-03": 20, "SI-04": 30},
    "KS": {"KS-01": 20, "KS-02": 25, "KS-03": 25, "KS-04": 30},
    "INV": {"INV-01": 50, "INV-02": 50},
}  # fmt: skip
F02_CODES = [code for aspect in WEIGHTS.values() for code in aspect]


def raw_instrument() -> dict:
    entry = resources.files("patuh.scoring") / "instruments" / "pekppp-2024.yaml"
    return parse_yaml(entry.read_text(encoding="utf-8"), "pekppp-2024.yaml")


def unit(code: str, answers: dict, survey: tuple = (), unit_type: str = "lainnya") -> UnitAnswers:
    return UnitAnswers(code, code, unit_type, answers, survey=survey)


def government(*units: UnitAnswers) -> GovernmentAnswers:
    return GovernmentAnswers("12.05", "Kabupaten Contoh", "kabupaten", units)


def respondent(default: int, **items: int) -> dict[str, int]:
    answers = {item.code: default for item in SURVEY.items}
    answers.update({code.replace("_", "-"): value for code, value in items.items()})
    return answers


# -- the instrument -------------------------------------------------------------------------


def test_it_loads_with_30_counted_f02_indicators_and_inf01_apart():
    counted = [code for code, ind in PEKPPP.indicators.items() if ind.counted]
    assert counted == F02_CODES
    assert len(counted) == 30
    assert list(PEKPPP.indicators) == [*F02_CODES, "INF-01"]
    inf = PEKPPP.indicators["INF-01"]
    assert not inf.counted
    assert inf.weight == 0
    assert PEKPPP.dimensions_by_code["INF"].weight == 0
    assert not PEKPPP.dimensions_by_code["INF"].counted


def test_aspect_and_indicator_weights_are_those_of_pekppp_md():
    counted = [dim for dim in PEKPPP.dimensions if dim.counted]
    assert {dim.code: dim.weight for dim in counted} == ASPECTS
    assert sum(dim.weight for dim in PEKPPP.dimensions) == 100
    for dim in counted:
        weights = {ind.code: ind.weight for ind in dim.indicators}
        assert weights == WEIGHTS[dim.code]
        assert sum(weights.values()) == 100
    # the KP weights are official; the others only in the third-party seed: provisional
    provisional = {note.path for note in PEKPPP.provisional_notes}
    assert "dimensions.KP" not in provisional
    assert {f"dimensions.{code}" for code in ("SDM", "SP", "SI", "KS", "INV")} <= provisional


def test_every_indicator_has_six_level_descriptors():
    for indicator in PEKPPP.indicators.values():
        assert sorted(indicator.rubric) == [0, 1, 2, 3, 4, 5]
    rubric = PEKPPP.indicators
    assert "14 komponen" in rubric["KP-01"].rubric[2]
    assert "monev" in rubric["KP-01"].rubric[5]
    assert "lebih dari 4" in rubric["KP-02"].rubric[5]
    assert "SIPP Nasional" in rubric["KP-03"].rubric[3]
    assert "kinerja" in rubric["SDM-04"].rubric[3]
    assert "13 sarana" in rubric["SP-04"].rubric[5]
    assert "go.id" in rubric["SI-03"].rubric[4]
    assert "SP4N-LAPOR!" in rubric["KS-02"].rubric[5]
    assert "90%" in rubric["KS-04"].rubric[5]
    assert "penghargaan" in rubric["INV-01"].rubric[5]
    assert "1.a.Ak" in rubric["KP-01"].description
    assert "30.f.B" in rubric["INV-02"].description


def test_the_f03_questionnaire_has_14_items_on_0_to_5_with_position_and_form_code_apart():
    assert len(SURVEY.items) == 14
    assert (SURVEY.scale.minimum, SURVEY.scale.maximum) == (0, 5)
    assert [item.code for item in SURVEY.items] == [f"F3-{n:02d}" for n in range(1, 15)]
    thirteenth, fourteenth = SURVEY.items[12], SURVEY.items[13]
    assert (thirteenth.position, thirteenth.form_code) == (13, "14.d.T")
    assert (fourteenth.position, fourteenth.form_code) == (14, "15.e.K")
    per_aspect = {}
    for item in SURVEY.items:
        per_aspect[item.aspect] = per_aspect.get(item.aspect, 0) + 1
    assert list(per_aspect.values()) == [4, 3, 4, 2, 1]
    assert SURVEY.provisional


def test_the_composite_is_provisional_data_with_its_source():
    rule = PEKPPP.composite
    assert rule is not None
    assert (rule.evaluator_weight, rule.survey_weight) == (Decimal("0.75"), Decimal("0.25"))
    assert rule.provisional
    assert "pekppp-guide" in rule.source


@pytest.mark.parametrize(
    ("category", "low", "high", "provisional_low_end"),
    [
        ("A", "4.51", "5.00", False),
        ("A-", "4.01", "4.50", False),
        ("B", "3.51", "4.00", False),
        ("B-", "3.01", "3.50", False),
        ("C", "2.51", "3.00", False),
        ("C-", "2.01", "2.50", True),
        ("D", "1.51", "2.00", True),
        ("E", "1.01", "1.50", True),
        ("F", "0.00", "1.00", True),
    ],
)
def test_the_bands_are_those_of_pekppp_md_and_provisional(category, low, high, provisional_low_end):
    band = next(b for b in PEKPPP.bands if b.category == category)
    assert (band.minimum, band.maximum) == (Decimal(low), Decimal(high))
    note = next(n.note for n in PEKPPP.provisional_notes if n.path == f"bands.{category}")
    assert ("Prioritas Pembinaan" in note) is provisional_low_end


@pytest.mark.parametrize(
    ("ipp", "category"),
    [
        ("5", "A"),
        ("4.51", "A"),
        ("4.505", "A"),  # rounds half-up to 4.51
        ("4.5049", "A-"),
        ("4.50", "A-"),
        ("4.01", "A-"),
        ("4.00", "B"),
        ("3.51", "B"),
        ("3.50", "B-"),
        ("3.005", "B-"),
        ("3.00", "C"),
        ("2.51", "C"),
        ("2.50", "C-"),
        ("2.01", "C-"),
        ("2.00", "D"),
        ("1.51", "D"),
        ("1.50", "E"),
        ("1.01", "E"),
        ("1.00", "F"),
        ("0", "F"),
    ],
)
def test_category_bounds_at_their_edges(ipp, category):
    assert classify(PEKPPP, Decimal(ipp)).category == category


def test_the_pekppp_2023_instrument_is_kept_and_scores_as_before():
    old = load_instrument("pekppp-2023")
    answers = dict.fromkeys(old.indicators, 5)
    answers["KP-1"] = 0
    result = score_government(old, government(unit("U", answers)))
    assert result.score == Decimal(5) - Decimal("0.24") * Decimal("0.17") * 5
    assert old.cycles == (2023, 2024, 2025)


# -- which instrument a year takes, and the published 2024 figures --------------------------


def test_2024_and_2025_take_pekppp_2024_and_2023_keeps_pekppp_2023():
    assert PEKPPP.cycles == (2024, 2025)
    assert instrument_for("pekppp", 2023).code == "pekppp-2023"
    assert instrument_for("pekppp", 2024).code == "pekppp-2024"
    assert instrument_for("pekppp", 2025).code == "pekppp-2024"


PUBLISHED_2024 = [f for f in read_published() if f.program == "pekppp" and f.year == 2024]


def test_the_published_2024_figures_fall_in_a_band_and_their_stated_category():
    assert len(PUBLISHED_2024) >= 10
    stated = [f for f in PUBLISHED_2024 if f.category]
    assert [f.entity_name for f in stated] == ["Kota Madiun"]
    for figure in PUBLISHED_2024:
        band = classify(PEKPPP, figure.score)
        if figure.category:
            assert band.category == figure.category
            finding = check_figure(figure, [PEKPPP, load_instrument("pekppp-2023")])
            assert finding.instrument_code == "pekppp-2024"
            assert finding.outcome == AGREE
    madiun = next(f for f in PUBLISHED_2024 if f.entity_name == "Kota Madiun")
    assert classify(PEKPPP, madiun.score).category == "A"
    assert madiun.score == Decimal("4.67")


# -- hand computations ------------------------------------------------------------------------

# Unit A: 5 everywhere except KP-01 3, SDM-05 2, SP-02 4, SI-04 1, KS-04 0, INV-01 3; INF-01 0.
UNIT_A = dict.fromkeys(F02_CODES, 5) | {
    "KP-01": 3, "SDM-05": 2, "SP-02": 4, "SI-04": 1, "KS-04": 0, "INV-01": 3, "INF-01": 0,
}  # fmt: skip
# Unit B: 3 everywhere except KP-06 5, SDM-02 4, SP-04 0, SI-01 5, KS-02 2, INV-02 1; INF-01 5.
UNIT_B = dict.fromkeys(F02_CODES, 3) | {
    "KP-06": 5, "SDM-02": 4, "SP-04": 0, "SI-01": 5, "KS-02": 2, "INV-02": 1, "INF-01": 5,
}  # fmt: skip
F = Fraction

# IPP_F02 = Σ_a (W_a/100) × Σ_i (w_i/100) × score_i, aspect by aspect
IPP_A = (
    F(24, 100) * F(17 * 3 + 14 * 5 + 7 * 5 + 14 * 5 + 10 * 5 + 17 * 5 + 7 * 5 + 7 * 5 + 7 * 5, 100)
    + F(25, 100) * F(10 * 5 + 20 * 5 + 20 * 5 + 20 * 5 + 30 * 2, 100)
    + F(18, 100) * F(15 * 5 + 23 * 4 + 20 * 5 + 20 * 5 + 11 * 5 + 11 * 5, 100)
    + F(11, 100) * F(30 * 5 + 20 * 5 + 20 * 5 + 30 * 1, 100)
    + F(10, 100) * F(20 * 5 + 25 * 5 + 25 * 5 + 30 * 0, 100)
    + F(12, 100) * F(50 * 3 + 50 * 5, 100)
)  # = 0.24 × 4.66 + 0.25 × 4.10 + 0.18 × 4.77 + 0.11 × 3.80 + 0.10 × 3.50 + 0.12 × 4.00
IPP_B = (
    F(24, 100) * F(17 * 3 + 14 * 3 + 7 * 3 + 14 * 3 + 10 * 3 + 17 * 5 + 7 * 3 + 7 * 3 + 7 * 3, 100)
    + F(25, 100) * F(10 * 3 + 20 * 4 + 20 * 3 + 20 * 3 + 30 * 3, 100)
    + F(18, 100) * F(15 * 3 + 23 * 3 + 20 * 3 + 20 * 0 + 11 * 3 + 11 * 3, 100)
    + F(11, 100) * F(30 * 5 + 20 * 3 + 20 * 3 + 30 * 3, 100)
    + F(10, 100) * F(20 * 3 + 25 * 2 + 25 * 3 + 30 * 3, 100)
    + F(12, 100) * F(50 * 3 + 50 * 1, 100)
)  # = 0.24 × 3.34 + 0.25 × 3.20 + 0.18 × 2.40 + 0.11 × 3.60 + 0.10 × 2.75 + 0.12 × 2.00
IPP_GOVERNMENT = (IPP_A + IPP_B) / 2  # the mean of the unrounded unit values

# F-03: each respondent's mean over the 14 items, then the mean over the respondents
SURVEY_A = (respondent(5), respondent(4, F3_01=2, F3_14=0), respondent(3))
SURVEY_B = (respondent(2), respondent(4))
F03_A = (F(14 * 5, 14) + F(12 * 4 + 2 + 0, 14) + F(14 * 3, 14)) / 3
F03_B = (F(14 * 2, 14) + F(14 * 4, 14)) / 2
F03_GOVERNMENT = (F03_A + F03_B) / 2
COMPOSITE_A = F(75, 100) * IPP_A + F(25, 100) * F03_A
COMPOSITE_B = F(75, 100) * IPP_B + F(25, 100) * F03_B
COMPOSITE_GOVERNMENT = F(75, 100) * IPP_GOVERNMENT + F(25, 100) * F03_GOVERNMENT

HAND = {
    "A": (IPP_A, F03_A, COMPOSITE_A),
    "B": (IPP_B, F03_B, COMPOSITE_B),
    "government": (IPP_GOVERNMENT, F03_GOVERNMENT, COMPOSITE_GOVERNMENT),
}


def test_the_hand_computation_itself():
    assert F(425, 100) == IPP_A
    assert F(29446, 10000) == IPP_B
    assert F(35973, 10000) == IPP_GOVERNMENT
    assert F03_A == F(70 + 50 + 42, 14 * 3) == F(27, 7)  # 3.857…
    assert F03_B == 3
    assert round(float(COMPOSITE_A), 4) == 4.1518
    assert round(float(COMPOSITE_GOVERNMENT), 4) == 3.5551


def test_the_core_gives_the_hand_computed_ipp_f03_and_composite():
    answers = government(unit("A", UNIT_A, SURVEY_A), unit("B", UNIT_B, SURVEY_B))
    result = score_government(PEKPPP, answers)
    parts = survey_parts(PEKPPP, answers, result)
    got = {
        "A": (result.units[0].score, parts.units["A"].f03, parts.units["A"].composite),
        "B": (result.units[1].score, parts.units["B"].f03, parts.units["B"].composite),
        "government": (result.score, parts.government.f03, parts.government.composite),
    }
    for who, values in HAND.items():
        for hand, core in zip(values, got[who], strict=True):
            assert abs(Decimal(core) - Decimal(hand.numerator) / Decimal(hand.denominator)) < (
                Decimal("1e-20")
            ), who
    assert [u.band.category for u in result.units] == ["A-", "C"]
    assert result.band.category == "B"
    assert parts.units["A"].composite_band.category == "A-"
    assert parts.government.respondents == 5


def test_inf01_is_answered_and_shown_but_never_counted():
    low = score_government(PEKPPP, government(unit("A", UNIT_A | {"INF-01": 0})))
    high = score_government(PEKPPP, government(unit("A", UNIT_A | {"INF-01": 5})))
    assert low.score == high.score == Decimal("4.25")
    shown = high.units[0].indicators["INF-01"]
    assert (shown.status, shown.value, shown.points, shown.max_points) == ("answered", 5, 0, 0)
    assert not shown.counted
    assert "INF-01" not in [ind.code for ind in high.units[0].explanation]
    assert high.units[0].dimensions["INF"].score is None


def test_without_a_survey_there_is_no_f03_or_composite_and_the_government_has_none():
    answers = government(unit("A", UNIT_A, SURVEY_A), unit("B", UNIT_B))
    parts = survey_parts(PEKPPP, answers, score_government(PEKPPP, answers))
    assert parts.units["B"].f03 is None
    assert parts.units["B"].composite is None
    assert parts.government.f03 is None
    assert parts.government.composite is None
    assert parts.units["A"].f03 is not None


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("survey", "where", "why"),
    [
        ((respondent(3, F3_05=6),), "unit A, survey, responden 1, butir F3-05", "bilangan bulat"),
        ((respondent(3), respondent(3, F3_02=-1)), "responden 2, butir F3-02", "0–5"),
        ((respondent(3) | {"F3-15": 2},), "responden 1, butir F3-15", "tidak dikenal"),
        (({"F3-01": 4},), "unit A, survey, responden 1", "belum dijawab: F3-02"),
        ((respondent(3, F3_03=True),), "butir F3-03", "bilangan bulat"),
        ((respondent(3, F3_03=2.5),), "butir F3-03", "bilangan bulat"),
        (([1, 2],), "unit A, survey, responden 1", "objek"),
    ],
)
def test_a_bad_survey_answer_is_refused_naming_unit_respondent_and_item(survey, where, why):
    problems = check_answers(PEKPPP, government(unit("A", UNIT_A, survey)))
    assert any(where in p.where and why in p.reason for p in problems), problems


def test_a_survey_on_an_instrument_without_one_is_refused():
    other = load_instrument("pekppp-2023")
    problems = check_answers(
        other, government(unit("A", dict.fromkeys(other.indicators, 3), SURVEY_A))
    )
    assert [p.where for p in problems] == ["unit A, survey"]
    assert "tidak memakai survei" in problems[0].reason


def broken(change) -> list[str]:
    raw = copy.deepcopy(raw_instrument())
    change(raw)
    with pytest.raises(InstrumentError) as error:
        instrument_from_mapping(raw, "x.yaml", "pekppp-2024")
    return [f"{p.where}: {p.reason}" for p in error.value.problems]


def _inf(raw):
    return raw["dimensions"][-1]["variables"][0]["indicators"][0]


def test_the_loader_refuses_a_weight_0_item_that_is_counted():
    def change(raw):
        del _inf(raw)["counted"]
        del raw["dimensions"][-1]["counted"]

    problems = broken(change)
    assert any("dimensions.INF.weight: bobot harus lebih dari 0" in p for p in problems)


def test_the_loader_refuses_an_uncounted_item_with_a_weight():
    problems = broken(lambda raw: _inf(raw).update(weight=5))
    assert any("INF-01.weight: bobot harus 0 karena counted: false" in p for p in problems)


def test_the_loader_refuses_a_counted_item_in_an_uncounted_aspect():
    problems = broken(lambda raw: _inf(raw).update(counted=True))
    assert any("INF-01.counted" in p for p in problems)


def test_the_loader_refuses_an_aspect_of_only_uncounted_items():
    def change(raw):
        for ind in raw["dimensions"][5]["variables"][0]["indicators"]:
            ind["counted"] = False
            ind["weight"] = 0

    problems = broken(change)
    assert any(p.startswith("dimensions.INV.indicators: semua indikator") for p in problems)


def test_the_loader_refuses_composite_weights_not_adding_up_to_one():
    problems = broken(lambda raw: raw["composite"].update(survey_weight=0.3))
    assert any("composite: evaluator_weight + survey_weight = 1.05, harus 1" in p for p in problems)


def test_the_loader_refuses_a_composite_without_a_survey():
    problems = broken(lambda raw: raw.pop("user_survey"))
    assert any("composite: butuh bagian user_survey" in p for p in problems)


def test_the_loader_refuses_a_survey_scale_other_than_the_result_range():
    problems = broken(lambda raw: raw["user_survey"].update(scale={"min": 1, "max": 4}))
    assert any(p.startswith("user_survey.scale: skala 1–4 harus sama") for p in problems)


def test_the_loader_refuses_a_duplicate_survey_item():
    def change(raw):
        raw["user_survey"]["items"][1]["code"] = "F3-01"

    problems = broken(change)
    assert any("kode butir ganda 'F3-01'" in p for p in problems)


# -- properties -------------------------------------------------------------------------------

answers_strategy = st.fixed_dictionaries({code: st.integers(0, 5) for code in PEKPPP.indicators})


@given(answers_strategy)
def test_the_ipp_stays_within_0_and_5(answers):
    score = score_government(PEKPPP, government(unit("U", answers))).score
    assert 0 <= score <= 5


@given(answers_strategy, st.sampled_from(list(PEKPPP.indicators)), st.integers(1, 5))
def test_the_ipp_is_monotone_in_every_answer(answers, code, raise_by):
    before = score_government(PEKPPP, government(unit("U", answers))).score
    higher = answers | {code: min(5, answers[code] + raise_by)}
    after = score_government(PEKPPP, government(unit("U", higher))).score
    if PEKPPP.indicators[code].counted:
        assert after >= before
        if higher[code] > answers[code]:
            assert after > before
    else:
        assert after == before


respondents_strategy = st.lists(
    st.fixed_dictionaries({item.code: st.integers(0, 5) for item in SURVEY.items}),
    min_size=1,
    max_size=8,
)


@given(respondents_strategy, st.integers(0, 7), st.sampled_from([i.code for i in SURVEY.items]))
def test_the_f03_index_stays_within_0_and_5_and_is_monotone(respondents, who, item):
    index = survey_index(SURVEY, respondents)
    assert 0 <= index <= 5
    who %= len(respondents)
    raised = [dict(r) for r in respondents]
    raised[who][item] = min(5, raised[who][item] + 1)
    assert survey_index(SURVEY, raised) >= index
