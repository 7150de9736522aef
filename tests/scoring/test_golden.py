"""Golden numbers worked out by hand from INSTRUMENTS.md."""

from decimal import Decimal
from fractions import Fraction

import pytest

from patuh.scoring import (
    GovernmentAnswers,
    UnitAnswers,
    classify,
    format_score,
    load_instrument,
    score_government,
)
from patuh.scoring.pekppp import score_ipp
from patuh.scoring.skm import krejcie_morgan, score_skm

OMBUDSMAN = load_instrument("ombudsman-2023")
WEIGHTS = {
    "IN": Fraction("21.85"),
    "PR": Fraction("32.37"),
    "OU": Fraction("24.24"),
    "PG": Fraction("21.54"),
}


def all_at(value, instrument=OMBUDSMAN):
    return dict.fromkeys(instrument.indicators, value)


def government(*units, kind="kabupaten"):
    return GovernmentAnswers("12.05", "Kabupaten Langkat", kind, list(units))


@pytest.mark.parametrize(
    ("score", "category", "opinion", "zone"),
    [
        ("92.5", "A", "Kualitas Tertinggi", "hijau"),
        ("87.43", "B", "Kualitas Tinggi", "hijau"),
        ("79.8", "B", "Kualitas Tinggi", "hijau"),
        ("73.88", "C", "Kualitas Sedang", "kuning"),
        ("58.99", "C", "Kualitas Sedang", "kuning"),
        ("52.68", "D", "Kualitas Rendah", "merah"),
        ("45.16", "D", "Kualitas Rendah", "merah"),
        ("31.99", "E", "Kualitas Terendah", "merah"),
        ("0", "E", "Kualitas Terendah", "merah"),
        ("100", "A", "Kualitas Tertinggi", "hijau"),
    ],
)
def test_published_scores_get_their_published_category(score, category, opinion, zone):
    band = classify(OMBUDSMAN, Decimal(score))
    assert (band.category, band.opinion, band.zone) == (category, opinion, zone)


def test_it_rounds_half_up_before_banding():
    assert classify(OMBUDSMAN, Decimal("87.995")).category == "A"
    assert classify(OMBUDSMAN, Decimal("87.9949999")).category == "B"
    assert classify(OMBUDSMAN, Decimal("53.995")).category == "C"
    assert format_score(Decimal("87.995")) == "88.00"


def test_magelang_2022_pre_evaluation_averages_its_four_units_to_93_28():
    # Every indicator at the same value v gives every dimension, hence the unit, 100·v/3:
    # 100.00 ← 3, 80.19 ← 2.4057, 92.92 ← 2.7876.
    units = [
        UnitAnswers("DPMPTSP", "DPMPTSP", "dpmptsp", all_at(3)),
        UnitAnswers("DUKCAPIL", "Disdukcapil", "disdukcapil", all_at(3)),
        UnitAnswers("DINKES", "Dinas Kesehatan", "dinkes", all_at(Decimal("2.4057"))),
        UnitAnswers("DISDIK", "Dinas Pendidikan", "disdik", all_at(Decimal("2.7876"))),
    ]
    result = score_government(OMBUDSMAN, government(*units, kind="kota"))
    assert [format_score(u.score) for u in result.units] == ["100.00", "100.00", "80.19", "92.92"]
    assert format_score(result.score) == "93.28"
    assert result.band.category == "A"


def hand_worked_unit():
    answers = all_at(3)
    answers.update(
        {
            "IN-K1": [3, 2, 3, 2],  # four interviewed officials, mean 2.5
            "IN-S2": 1,
            "PR-06": [2, 1],  # two sampled products, mean 1.5
            "PR-11": "na",  # not applicable: PR renormalised over 10 indicators
            "OU-1": [3] * 27 + [0] * 3,  # 3 of 30 respondents saw undue delay
        }
    )
    for code in ("PG-1", "PG-2", "PG-3", "PG-4", "PG-5", "PG-6", "PG-7"):
        answers[code] = 2
    del answers["PG-8"]  # missing: counts as 0 and is listed
    return UnitAnswers("DPMPTSP", "DPMPTSP Langkat", "dpmptsp", answers)


def test_a_hand_worked_unit_matches_the_formula_of_instruments_md():
    s_in = 100 * (13 + Fraction(5, 2) / 3 + Fraction(1, 3)) / 15  # 15 Input indicators
    s_pr = 100 * (9 + Fraction(3, 2) / 3) / 10  # PR-11 N/A
    s_ou = 100 * (4 + Fraction(27, 30)) / 5
    s_pg = 100 * (7 * Fraction(2, 3) + 0) / 8
    unit = sum(
        WEIGHTS[d] / 100 * s for d, s in {"IN": s_in, "PR": s_pr, "OU": s_ou, "PG": s_pg}.items()
    )
    result = score_government(OMBUDSMAN, government(hand_worked_unit()))
    scored = result.units[0]
    assert abs(scored.score - Decimal(float(unit))) < Decimal("0.000001")
    assert format_score(scored.score) == "87.71"
    assert scored.band.category == "B"
    assert {c: format_score(d.score) for c, d in scored.dimensions.items()} == {
        "IN": "94.44",
        "PR": "95.00",
        "OU": "98.00",
        "PG": "58.33",
    }
    assert scored.missing == ["PG-8"]
    assert scored.not_applicable == ["PR-11"]


def test_the_explanation_accounts_for_every_point_lost_largest_first():
    scored = score_government(OMBUDSMAN, government(hand_worked_unit())).units[0]
    lost = scored.explanation
    assert [i.code for i in lost][:2] == ["PG-8", "PR-06"]  # 2.6925, then 32.37 / 10 × ½
    # PG-8 missing: its whole weight, 21.54 / 8 points
    assert format_score(lost[0].points_lost) == "2.69"
    tiny = Decimal("1e-20")  # 28-digit Decimal arithmetic: equal up to the last digits
    assert abs(sum(i.points_lost for i in lost) + scored.score - 100) < tiny
    assert abs(sum(i.points for i in scored.indicators.values()) - scored.score) < tiny


def test_the_what_if_plan_names_the_single_cheapest_step_to_category_a():
    result = score_government(OMBUDSMAN, government(hand_worked_unit()))
    plan = result.units[0].what_if
    assert plan.target.category == "A"
    assert plan.reachable
    # PG-8 is worth 21.54/8 = 2.6925 points, 0.8975 per level; 87.71 needs +0.29 → level 1.
    assert [(s.indicator_code, s.from_value, s.to_value) for s in plan.steps] == [
        ("PG-8", Decimal(0), Decimal(1))
    ]
    assert format_score(plan.projected_score) == "88.61"


def test_a_government_score_is_the_mean_of_its_units():
    result = score_government(
        OMBUDSMAN,
        government(hand_worked_unit(), UnitAnswers("DINSOS", "Dinas Sosial", "dinsos", all_at(3))),
    )
    assert format_score(result.score) == "93.85"
    assert result.band.category == "A"
    assert result.what_if.target is None


def test_product_weighted_aggregation_weights_units_by_their_products():
    from dataclasses import replace

    weighted = replace(OMBUDSMAN, government_aggregation="product_weighted")
    units = [
        UnitAnswers("A", "A", "dinkes", all_at(3), products=3),  # 100
        UnitAnswers("B", "B", "dinsos", all_at(Decimal("1.5")), products=1),  # 50
    ]
    result = score_government(weighted, government(*units))
    assert format_score(result.score) == "87.50"


def test_the_2025_opinion_gets_its_suffix_only_when_every_product_was_followed_up():
    instrument = load_instrument("ombudsman-2025")
    unit = UnitAnswers("U", "U", "dinkes", all_at(3, instrument))
    plain = score_government(instrument, government(unit))
    followed = score_government(
        instrument,
        GovernmentAnswers(
            "12.05", "Langkat", "kabupaten", [unit], ombudsman_products_followed_up=True
        ),
    )
    assert plain.opinion == "Kualitas Tertinggi"
    assert followed.opinion == "Kualitas Tertinggi Tanpa Maladministrasi"
    # no zones from 2025 (topindonesia.id); "hitam" had no source at all
    assert classify(instrument, Decimal("20")).zone is None


def test_the_2022_instrument_has_no_in_k5_and_no_in_s3():
    instrument = load_instrument("ombudsman-2022")
    assert "IN-K5" not in instrument.indicators
    assert "IN-S3" not in instrument.indicators
    assert len(instrument.dimensions_by_code["IN"].indicators) == 13


@pytest.mark.parametrize(
    ("population", "sample"), [(100, 80), (1000, 278), (10000, 370), (1_000_000, 384)]
)
def test_krejcie_morgan_sample_sizes_match_the_table(population, sample):
    assert krejcie_morgan(population) == sample


SKM = load_instrument("skm-2017")


def test_skm_nrr_ikm_and_converted_index_by_hand():
    responses = [
        {f"U{i}": 4 for i in range(1, 10)},
        {f"U{i}": 3 for i in range(1, 10)} | {"U4": 4},
        {f"U{i}": 3 for i in range(1, 10)} | {"U9": "na"},
    ]
    result = score_skm(SKM, responses)
    # NRR: U4 = 11/3, U9 = 7/2, the other seven 10/3; IKM = Σ NRR / 9
    nrr = [Fraction(10, 3)] * 7 + [Fraction(11, 3), Fraction(7, 2)]
    ikm = sum(nrr) / 9
    assert abs(result.ikm - Decimal(float(ikm))) < Decimal("1e-12")
    assert format_score(result.index) == format_score(Decimal(float(ikm * 25)))
    assert format_score(result.index) == "84.72"
    assert result.band.category == "B"
    assert result.band.opinion == "Baik"
    assert result.elements["U9"].answers == 2


@pytest.mark.parametrize(
    ("index", "category"),
    [
        ("64.99", "D"),
        ("65.00", "C"),
        ("76.60", "C"),
        ("76.61", "B"),
        ("88.30", "B"),
        ("88.31", "A"),
        ("25", "D"),
        ("100", "A"),
    ],
)
def test_skm_band_edges(index, category):
    assert classify(SKM, Decimal(index)).category == category


def test_skm_sample_adequacy_uses_the_unit_population():
    responses = [{f"U{i}": 3 for i in range(1, 10)}] * 80
    result = score_skm(SKM, responses)
    assert result.sample_adequate(100)
    assert not result.sample_adequate(1000)


PEKPPP = load_instrument("pekppp-2023")


def test_pekppp_ipp_uses_the_official_kebijakan_weights():
    answers = dict.fromkeys(PEKPPP.indicators, 5)
    answers["KP-1"] = 0  # weight 17 % of the 24 % aspect
    result = score_ipp(PEKPPP, answers)
    expected = 5 - Fraction(24, 100) * Fraction(17, 100) * 5
    assert format_score(result.ipp) == format_score(Decimal(float(expected)))
    assert format_score(result.ipp) == "4.80"
    assert result.band.category == "A"


@pytest.mark.parametrize(
    ("ipp", "category"),
    [("4.51", "A"), ("4.50", "A-"), ("3.01", "B-"), ("2.18", "C-"), ("1.00", "F"), ("4.03", "A-")],
)
def test_pekppp_categories(ipp, category):
    assert classify(PEKPPP, Decimal(ipp)).category == category


def test_respondent_groups_of_per_respondent_indicators():
    instrument = load_instrument("ombudsman-2023")
    groups = {
        code: indicator.respondents
        for code, indicator in instrument.indicators.items()
        if indicator.answered_per == "respondent"
    }
    assert groups["IN-K1"] == "implementers"
    assert groups["PG-7"] == "complaint_officials"
    assert groups["OU-1"] == "service_users"
    assert all(
        indicator.respondents is None
        for indicator in instrument.indicators.values()
        if indicator.answered_per != "respondent"
    )
