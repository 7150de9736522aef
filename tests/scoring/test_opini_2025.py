"""The 2025 method (Perom 61/2025, ``opini-2025``): government-level elements, graded
compliance, the result layers without zones, and the published 2025 results it must reproduce.
Facts and their sources: docs/instruments.md ("Penilaian Maladministrasi 2025")."""

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patuh.scoring import (
    AnswersError,
    GovernmentAnswers,
    InstrumentError,
    UnitAnswers,
    format_score,
    instrument_from_mapping,
    load_instrument,
    score_government,
)
from patuh.scoring.engine import MISSING, result_layers
from patuh.scoring.instrument_excel import (
    instrument_to_mapping,
    read_instrument_xlsx,
    write_instrument_xlsx,
)
from patuh.scoring.published import read_published

OPINI = load_instrument("opini-2025")

TOP_FIGURES = {
    "OU-IPP": {"value": 5, "year": 2024, "source": "KemenPAN-RB"},
    "OU-IPM": {"value": 100, "year": 2024, "source": "BPS"},
    "OU-SPM": {"value": 100, "year": 2024, "source": "Kemendagri"},
    "OU-RPJMD": {"value": 100, "year": 2024, "source": "Bappenas"},
    "KM-IKM": 100,
}


def _unit(value=3, code="dinsos", unit_type="dinsos"):
    answers = {
        ind.code: value for ind in OPINI.indicators.values() if ind.applies_to_unit_type(unit_type)
    }
    return UnitAnswers(code, code, unit_type, answers)


def _government(answers=None, units=None, followed_up=None):
    return GovernmentAnswers(
        "82",
        "Provinsi Maluku Utara",
        "provinsi",
        units or [_unit()],
        followed_up,
        answers=TOP_FIGURES if answers is None else answers,
    )


# -- the instrument ---------------------------------------------------------------------------


def test_the_four_dimensions_weigh_70_and_public_trust_30():
    units = {dim.code: dim.weight for dim in OPINI.dimensions}
    elements = {el.code: el for el in OPINI.government_elements}
    assert set(units) == {"IN", "PR", "PG"}
    assert sum(units.values()) + elements["OU"].weight == Decimal(70)
    assert elements["KM"].weight == Decimal(30)
    # the 2023 ratios inside the 70 %, provisional (OPINI-2025.md §2)
    assert (units["IN"], units["PR"], elements["OU"].weight, units["PG"]) == tuple(
        Decimal(w) for w in ("15.295", "22.659", "16.968", "15.078")
    )


def test_output_is_secondary_data_and_trust_a_survey_both_per_government():
    elements = {el.code: el for el in OPINI.government_elements}
    assert elements["OU"].kind == "secondary_data"
    assert all(ind.needs_year_and_source for ind in elements["OU"].indicators)
    assert elements["KM"].kind == "survey"
    assert not any(ind.needs_year_and_source for ind in elements["KM"].indicators)
    # nothing of Output or trust is answered by a unit any more
    assert not any(code.startswith(("OU", "KM")) for code in OPINI.indicators)


def test_compliance_is_graded_and_only_high_gives_the_suffix():
    compliance = OPINI.compliance
    assert compliance is not None
    assert [level.code for level in compliance.levels if level.suffix] == ["tinggi"]
    assert compliance.level("tanpa_produk") is not None
    assert not compliance.level("tanpa_produk").suffix


@pytest.mark.parametrize("code", ["opini-2025", "ombudsman-2025"])
def test_no_zone_from_2025_and_no_hitam(code):
    assert {band.zone for band in load_instrument(code).bands} == {None}


def test_instruments_before_2025_keep_their_zones():
    assert {band.zone for band in load_instrument("ombudsman-2023").bands} == {
        "hijau",
        "kuning",
        "merah",
    }


def test_a_zone_in_a_2025_ombudsman_instrument_is_refused_by_name():
    data = instrument_to_mapping(OPINI)
    data["bands"][-1]["zone"] = "hitam"
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(data, "x.yaml")
    assert "bands.E.zone" in str(caught.value)
    assert "sejak 2025" in str(caught.value)


def test_the_weights_with_the_government_elements_must_add_up_to_100():
    data = instrument_to_mapping(OPINI)
    data["government_elements"][1]["weight"] = 31
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(data, "x.yaml")
    assert "jumlah bobot dimensi dan unsur tingkat pemerintah 101" in str(caught.value)


def test_an_unknown_element_kind_is_named():
    data = instrument_to_mapping(OPINI)
    data["government_elements"][0]["kind"] = "gossip"
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(data, "x.yaml")
    assert "government_elements.OU.kind" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda d: d.pop("compliance"), "opinion_suffix.when"),
        (lambda d: d["award"].update(categories=["Z"]), "award.categories"),
        (
            lambda d: d["compliance"]["levels"].append(dict(d["compliance"]["levels"][0])),
            "levels[4]",
        ),
        (lambda d: d["compliance"].update(code="KM-IKM"), "compliance.code"),
        (
            lambda d: d["government_elements"][1]["indicators"][0].update(
                scale={"min": 5, "max": 1}
            ),
            "KM-IKM.scale",
        ),
    ],
    ids=["suffix-without-compliance", "award-category", "level-twice", "code-twice", "scale"],
)
def test_a_broken_2025_part_is_refused_by_name(change, where):
    data = instrument_to_mapping(OPINI)
    change(data)
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(data, "x.yaml")
    assert where in str(caught.value)


def test_every_provisional_part_names_its_source():
    """Each unknown of OPINI-2025.md §10 is data flagged provisional, with where it comes from."""
    paths = {note.path: note.note for note in OPINI.provisional_notes}
    for path in (
        "instrumen",
        "dimensions.IN",
        "government_elements.OU",
        "government_elements.KM",
        "compliance",
        "opinion_suffix",
        "award",
        "follow_up_adjustment",
        *(f"bands.{band.category}" for band in OPINI.bands),
    ):
        assert path in paths, path
    for path in ("government_elements.OU", "government_elements.KM", "compliance", "bands.E"):
        assert "OPINI-2025.md" in paths[path], path
    assert "belum diketahui" in paths["bands.E"]


def test_the_2025_method_survives_excel(tmp_path):
    path = tmp_path / "opini-2025.xlsx"
    write_instrument_xlsx(OPINI, path)
    back = read_instrument_xlsx(path)
    assert dataclasses.replace(back, source_path="", source_sha256="") == dataclasses.replace(
        OPINI, source_path="", source_sha256=""
    )


# -- scoring -------------------------------------------------------------------------------


def test_all_at_the_top_is_100_and_the_award_is_given():
    result = score_government(
        OPINI, _government(followed_up=None, answers=TOP_FIGURES | {"KP": "tinggi"})
    )
    assert format_score(result.score) == "100.00"
    assert result.opinion == "Kualitas Tertinggi Tanpa Maladministrasi"
    assert result.quality_label == "Sangat Baik"
    assert result.band.zone is None
    assert result.award is not None
    assert result.award.awarded


def test_the_units_carry_53_032_and_the_government_elements_the_rest():
    # units at the top, trust at 0, Output at the top: 100 − 30 = 70
    no_trust = score_government(OPINI, _government(answers=TOP_FIGURES | {"KM-IKM": 0}))
    assert format_score(no_trust.score) == "70.00"
    # units at 0, both elements at the top: 16.968 + 30
    only_government = score_government(OPINI, _government(units=[_unit(0)]))
    assert format_score(only_government.score, 3) == "46.968"
    assert format_score(only_government.units_score) == "0.00"


def test_a_hand_worked_government():
    """Units 66.67 (all answers 2 of 3); Output: IPP 3 of 1–5 (0.5), IPM 70, SPM 60, RPJMD 50
    → 0.575; trust 80. Score = 0.53032 × 66.667 + 0.16968 × 57.5 + 0.30 × 80 = 69.111."""
    answers = {
        "OU-IPP": {"value": 3, "year": 2024, "source": "KemenPAN-RB"},
        "OU-IPM": {"value": 70, "year": 2024, "source": "BPS"},
        "OU-SPM": {"value": 60, "year": 2023, "source": "Kemendagri"},
        "OU-RPJMD": {"value": 50, "year": 2024, "source": "Bappenas"},
        "KM-IKM": {"value": 80},
        "KP": "sedang",
    }
    result = score_government(OPINI, _government(answers=answers, units=[_unit(2)]))
    assert format_score(result.score, 3) == "69.111"
    elements = {el.code: el for el in result.elements}
    assert format_score(elements["OU"].score) == "57.50"
    assert format_score(elements["KM"].score) == "80.00"
    assert result.opinion == "Kualitas Sedang"  # kepatuhan sedang: no suffix
    assert result.compliance is not None
    assert result.compliance.code == "sedang"
    assert not result.award.awarded
    ipm = next(ind for ind in elements["OU"].indicators if ind.code == "OU-SPM")
    assert (ipm.year, ipm.source) == (2023, "Kemendagri")


def test_a_missing_government_figure_counts_as_its_minimum_and_is_listed():
    answers = {code: value for code, value in TOP_FIGURES.items() if code != "KM-IKM"}
    result = score_government(OPINI, _government(answers=answers))
    assert result.government_missing == ["KM-IKM"]
    km = next(el for el in result.elements if el.code == "KM")
    assert km.indicators[0].status == MISSING
    assert format_score(result.score) == "70.00"


@pytest.mark.parametrize(
    ("level", "followed_up", "suffixed"),
    [
        ("tinggi", None, True),
        ("sedang", True, False),  # the graded level decides when it is given
        ("rendah", None, False),
        ("tanpa_produk", True, False),  # no products: no suffix (provisional, §10.7)
        (None, True, True),  # no level answered: every product followed up still counts
        (None, None, False),
        (None, False, False),
    ],
)
def test_the_suffix_follows_the_compliance_level(level, followed_up, suffixed):
    answers = dict(TOP_FIGURES) | ({"KP": level} if level else {})
    result = score_government(OPINI, _government(answers=answers, followed_up=followed_up))
    assert result.opinion.endswith("Tanpa Maladministrasi") == suffixed
    assert result.opinion.startswith("Kualitas Tertinggi")


def test_the_government_what_if_counts_only_the_units_share():
    """Raising an indicator of the only unit adds its points × 53.032 % to the government."""
    result = score_government(OPINI, _government(units=[_unit(1)]))
    step = result.what_if.steps[0]
    answers = dict(result.units[0]._detail.answers)
    answers[step.indicator_code] = int(step.to_value)
    raised = score_government(
        OPINI,
        _government(units=[UnitAnswers("dinsos", "dinsos", "dinsos", answers)]),
    )
    assert abs((raised.score - result.score) - step.gain) < Decimal("0.000001")


def test_the_result_lists_the_provisional_parts_it_rests_on():
    result = score_government(OPINI, _government(answers=TOP_FIGURES | {"KP": "tinggi"}))
    parts = result.provisional_parts
    for path in ("bands.A", "compliance", "opinion_suffix", "award", "government_elements.KM"):
        assert path in parts
    assert "bands.C" not in parts


@settings(max_examples=60, deadline=None)
@given(
    unit_value=st.integers(0, 3),
    trust=st.decimals(0, 100, places=2),
    ipp=st.decimals(1, 5, places=2),
    other=st.decimals(0, 100, places=1),
)
def test_the_score_stays_in_range_and_rises_with_trust(unit_value, trust, ipp, other):
    answers = {
        "OU-IPP": {"value": float(ipp), "year": 2024, "source": "KemenPAN-RB"},
        "OU-IPM": {"value": float(other), "year": 2024, "source": "BPS"},
        "OU-SPM": {"value": float(other), "year": 2024, "source": "Kemendagri"},
        "OU-RPJMD": {"value": float(other), "year": 2024, "source": "Bappenas"},
        "KM-IKM": float(trust),
    }
    result = score_government(OPINI, _government(answers=answers, units=[_unit(unit_value)]))
    assert Decimal(0) <= result.score <= Decimal(100)
    more = score_government(
        OPINI,
        _government(answers=answers | {"KM-IKM": 100}, units=[_unit(unit_value)]),
    )
    assert more.score >= result.score
    # the parts add up to the score
    parts = sum((el.points for el in result.elements), Decimal(0))
    assert abs(result.units_score * OPINI.unit_weight / 100 + parts - result.score) < Decimal(
        "0.000001"
    )


# -- bad government-level input, named -----------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"OU-XYZ": 3}, "indikator OU-XYZ: indikator tingkat pemerintah tidak dikenal"),
        ({"KM-IKM": 120}, "indikator KM-IKM: nilai 120 di luar skala 0–100"),
        ({"OU-IPP": {"value": 0.5, "year": 2024, "source": "X"}}, "nilai 0.5 di luar skala 1–5"),
        ({"OU-IPM": {"value": 70, "source": "BPS"}}, "OU-IPM: tahun data sumber (year) wajib"),
        ({"OU-IPM": {"value": 70, "year": 2024}}, "OU-IPM: sumber data (source) wajib"),
        ({"OU-IPM": 70}, "OU-IPM: tahun data sumber (year) wajib"),
        ({"OU-IPM": {"value": 70, "year": 1800, "source": "BPS"}}, "tahun data sumber 1800"),
        ({"OU-IPM": {"year": 2024, "source": "BPS"}}, "nilai (value) wajib"),
        ({"KM-IKM": "banyak"}, "nilai 'banyak' bukan angka"),
        ({"KP": "mantap"}, "tingkat kepatuhan 'mantap' tidak dikenal"),
        ({"KM-IKM": {"value": 50, "kapan": 1}}, "kunci tidak dikenal: kapan"),
    ],
)
def test_bad_government_answers_are_refused_by_name(answers, expected):
    with pytest.raises(AnswersError) as caught:
        score_government(OPINI, _government(answers=answers))
    assert "government.answers" in str(caught.value)
    assert expected in str(caught.value)


def test_government_answers_on_a_unit_only_instrument_are_refused():
    instrument = load_instrument("ombudsman-2023")
    unit = UnitAnswers("dinkes", "D", "dinkes", dict.fromkeys(instrument.indicators, 2))
    government = GovernmentAnswers("12.05", "L", "kabupaten", [unit], answers={"KM-IKM": 50})
    with pytest.raises(AnswersError, match="tidak memakai jawaban tingkat pemerintah"):
        score_government(instrument, government)


# -- the published 2025 results ------------------------------------------------------------

COMPLIANCE_OF = {True: "tinggi", False: "sedang"}


def _published_2025():
    return [
        figure
        for figure in read_published()
        if figure.program == "ombudsman" and figure.year == 2025 and figure.score is not None
    ]


def test_the_published_2025_opinions_are_reproduced_with_their_suffix():
    """Maluku Utara and Lampung: each published score gives the published opinion; the suffix
    where it was published (kepatuhan tinggi), none where it was not."""
    opinions = [f for f in _published_2025() if f.label.startswith("Kualitas")]
    assert {f.entity_name for f in opinions} >= {
        "Provinsi Maluku Utara",
        "Kabupaten Halmahera Utara",
        "Kabupaten Pulau Morotai",
        "Provinsi Lampung",
    }
    for figure in opinions:
        suffixed = figure.label.endswith("Tanpa Maladministrasi")
        level = OPINI.compliance.level(COMPLIANCE_OF[suffixed])
        band, opinion, award = result_layers(OPINI, figure.score, level)
        assert opinion == figure.label, figure.entity_name
        assert band.zone is None
        assert award.awarded == (band.opinion == "Kualitas Tertinggi")


def test_lampung_88_49_is_the_award_and_the_malut_letters_are_not():
    tinggi = OPINI.compliance.level("tinggi")
    _, opinion, award = result_layers(OPINI, Decimal("88.49"), tinggi)
    assert (opinion, award.awarded) == ("Kualitas Tertinggi Tanpa Maladministrasi", True)
    _, opinion, award = result_layers(OPINI, Decimal("65.98"), tinggi)
    assert (opinion, award.awarded) == ("Kualitas Sedang Tanpa Maladministrasi", False)


def test_the_published_kategori_tinggi_and_quality_labels_are_reproduced():
    figures = _published_2025()
    tinggi = [f for f in figures if f.label == "kategori tinggi"]
    labels = [f for f in figures if f.entity_kind == "polres"]
    assert len(tinggi) == 7
    assert len(labels) == 6
    for figure in tinggi:
        assert OPINI.band_for(figure.score).opinion == "Kualitas Tinggi", figure.entity_name
    for figure in labels:
        assert OPINI.band_for(figure.score).quality_label.lower() == figure.label
    # the Malut notes name the label Cukup for Kualitas Sedang and Kurang for Morotai
    for figure in figures:
        if "Cukup" in figure.note:
            assert OPINI.band_for(figure.score).quality_label == "Cukup"
        if "Kurang" in figure.note:
            assert OPINI.band_for(figure.score).quality_label == "Kurang"


# -- the compliance level from recorded Ombudsman products ------------------------------------


@pytest.mark.parametrize(
    ("issued", "followed_up", "level"),
    [
        (0, 0, "tanpa_produk"),
        (3, 3, "tinggi"),
        (4, 2, "sedang"),
        (3, 2, "sedang"),
        (3, 1, "rendah"),
        (5, 0, "rendah"),
    ],
)
def test_the_level_is_derived_from_the_recorded_products(issued, followed_up, level):
    assert OPINI.compliance.derivable
    assert OPINI.compliance.level_from_products(issued, followed_up).code == level
    assert OPINI.compliance.derivation_note


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 60), st.data())
def test_following_up_more_products_never_lowers_the_level(issued, data):
    order = [level.code for level in OPINI.compliance.levels]
    fewer = data.draw(st.integers(0, issued))
    more = data.draw(st.integers(fewer, issued))
    low = OPINI.compliance.level_from_products(issued, fewer)
    high = OPINI.compliance.level_from_products(issued, more)
    assert order.index(high.code) <= order.index(low.code)
    assert high.code != "tanpa_produk"


def _with_levels(levels):
    raw = instrument_to_mapping(OPINI)
    raw["compliance"] = {**raw["compliance"], "levels": levels}
    return raw


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        (
            [
                {"code": "a", "label": "A", "min_followed_up_share": 0.5},
                {"code": "b", "label": "B", "min_followed_up_share": 1},
                {"code": "c", "label": "C", "min_followed_up_share": 0},
                {"code": "d", "label": "D", "no_products": True},
            ],
            "menurun",
        ),
        (
            [
                {"code": "a", "label": "A", "min_followed_up_share": 1},
                {"code": "d", "label": "D", "no_products": True},
            ],
            "min_followed_up_share 0",
        ),
        (
            [
                {"code": "a", "label": "A", "min_followed_up_share": 1.5},
                {"code": "c", "label": "C", "min_followed_up_share": 0},
                {"code": "d", "label": "D", "no_products": True},
            ],
            "antara 0 dan 1",
        ),
        (
            [
                {"code": "a", "label": "A", "min_followed_up_share": 1},
                {"code": "c", "label": "C", "min_followed_up_share": 0},
            ],
            "no_products",
        ),
    ],
)
def test_a_broken_derivation_rule_is_refused_by_name(levels, message):
    with pytest.raises(InstrumentError) as error:
        instrument_from_mapping(_with_levels(levels))
    assert message in str(error.value)


def test_the_transitional_2025_instrument_is_superseded_by_the_2025_method():
    from patuh.scoring.published_check import instrument_for

    assert load_instrument("ombudsman-2025").superseded_by == "opini-2025"
    assert not OPINI.superseded_by
    assert instrument_for("ombudsman", 2025).code == "opini-2025"
    assert instrument_for("ombudsman", 2026).code == "opini-2025"
    assert instrument_for("ombudsman", 2023).code == "ombudsman-2023"


def test_the_superseded_mark_survives_excel(tmp_path):
    transitional = load_instrument("ombudsman-2025")
    path = tmp_path / "ombudsman-2025.xlsx"
    write_instrument_xlsx(transitional, path)
    assert read_instrument_xlsx(path).superseded_by == "opini-2025"


def test_an_instrument_cannot_supersede_itself():
    raw = instrument_to_mapping(OPINI)
    raw["superseded_by"] = "opini-2025"
    with pytest.raises(InstrumentError) as error:
        instrument_from_mapping(raw)
    assert "superseded_by" in str(error.value)
