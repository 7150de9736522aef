"""The seed stories and the synthetic-answer generator (plain Python, no database)."""

import subprocess
import sys
from dataclasses import replace
from decimal import Decimal

import pytest

from patuh.demo.stories import (
    CYCLE_INSTRUMENTS,
    KABUPATEN_UNITS,
    LABUHANBATU_2022,
    LANGKAT_2023,
    STORIES,
    SYNTHETIC_LABEL,
    calibrated,
    illustrative_name,
    official_score,
    published_figures,
    published_target,
    story_for,
    story_of_year,
    synthetic_government_answers,
    units_for,
)
from patuh.scoring import NA, check_answers, load_instrument, score_government
from patuh.scoring.published import published_for


def _answers(story, kind="official"):
    return synthetic_government_answers(story, load_instrument(story.instrument_code), kind=kind)


def _demo_government_years():
    """Every (code, name, kind, year) the Sumatera Utara demo assesses with a published
    figure for that year."""
    names = {f.region_code: (f.entity_name, f.entity_kind) for f in published_figures()}
    for year in CYCLE_INSTRUMENTS:
        for figure in published_figures():
            if (
                figure.year == year
                and figure.program == "ombudsman"
                and figure.entity_kind in ("kabupaten", "kota")
                and figure.region_code.startswith("12.")
            ):
                yield (figure.region_code, *names[figure.region_code], year)


def test_the_stories_module_does_not_import_django():
    code = "import sys, patuh.demo.stories; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_stories_are_those_of_the_brief():
    assert (LABUHANBATU_2022.government_code, LABUHANBATU_2022.year) == ("12.10", 2022)
    assert LABUHANBATU_2022.instrument_code == "ombudsman-2022"
    assert (LANGKAT_2023.government_code, LANGKAT_2023.year) == ("12.05", 2023)
    assert LANGKAT_2023.instrument_code == "ombudsman-2023"
    assert LANGKAT_2023.kinds == ("self", "official")
    for story in STORIES:
        assert len(story.units) == 7
        assert sum(unit.type == "puskesmas" for unit in story.units) == 2
        assert all(len(unit.products) == 2 for unit in story.units)


def test_synthetic_answers_are_reproducible():
    assert _answers(LANGKAT_2023) == _answers(LANGKAT_2023)
    other_seed = synthetic_government_answers(
        LANGKAT_2023, load_instrument("ombudsman-2023"), seed="lain"
    )
    assert other_seed != _answers(LANGKAT_2023)


def test_everything_generated_is_labelled_synthetic():
    answers = _answers(LABUHANBATU_2022)
    assert answers.synthetic
    assert answers.extra["label"] == SYNTHETIC_LABEL
    assert all(unit.synthetic for unit in answers.units)


def test_synthetic_answers_fit_their_instrument():
    for story in STORIES:
        for kind in story.kinds:
            assert (
                check_answers(load_instrument(story.instrument_code), _answers(story, kind)) == []
            )
    generic = story_for("12.71", "Kota Medan", "kota", 2023)
    assert check_answers(load_instrument("ombudsman-2023"), _answers(generic)) == []


def test_answers_have_the_shapes_of_the_data_collection():
    answers = _answers(LANGKAT_2023)
    dinkes = next(unit for unit in answers.units if unit.code == "dinkes")
    assert len(dinkes.answers["IN-K1"]) == 4
    assert len(dinkes.answers["PR-01"]) == 2
    survey = [unit.answers["OU-1"] for unit in answers.units if unit.answers.get("OU-1") != NA]
    assert all(set(values) <= {0, 3} for values in survey)
    assert all(9 <= len(values) <= 16 for values in survey)


def test_a_few_answers_are_na_and_a_few_missing():
    instrument = load_instrument("ombudsman-2023")
    result = score_government(instrument, _answers(LANGKAT_2023))
    assert sum(len(unit.not_applicable) for unit in result.units) >= 2
    assert 1 <= sum(len(unit.missing) for unit in result.units) <= 5


def test_units_land_in_different_categories():
    for story in STORIES:
        story = calibrated(story)
        result = score_government(load_instrument(story.instrument_code), _answers(story))
        assert len({unit.band.category for unit in result.units}) >= 3


def test_langkat_rates_itself_higher_than_the_ombudsman_does():
    instrument = load_instrument("ombudsman-2023")
    story = calibrated(LANGKAT_2023)
    official = score_government(instrument, _answers(story, "official"))
    self_assessed = score_government(instrument, _answers(story, "self"))
    assert self_assessed.score > official.score
    official_units = {unit.code: unit.score for unit in official.units}
    assert all(unit.score >= official_units[unit.code] for unit in self_assessed.units)


# -- calibrated to the published figures ------------------------------------------------


def test_the_demo_holds_a_published_figure_for_every_sumut_government_in_2022():
    years = list(_demo_government_years())
    assert sum(year == 2022 for *_, year in years) == 33
    assert sum(year == 2023 for *_, year in years) >= 10


@pytest.mark.parametrize(
    ("code", "name", "kind", "year"), list(_demo_government_years()), ids=lambda v: str(v)
)
def test_every_calibrated_government_lands_on_its_published_result(code, name, kind, year):
    figure = published_for(published_figures(), code, year)
    story = story_for(code, name, kind, year)
    instrument = load_instrument(story.instrument_code)
    result = score_government(instrument, _answers(story))
    assert result.band.category == figure.category, (name, year, result.rounded)
    assert abs(result.rounded - figure.score) <= Decimal(1), (name, year, result.rounded)


@pytest.mark.parametrize(
    ("code", "name", "kind", "year", "score", "category"),
    [
        ("12.05", "Kabupaten Langkat", "kabupaten", 2022, Decimal("87.80"), "B"),
        ("12.05", "Kabupaten Langkat", "kabupaten", 2023, Decimal("91.40"), "A"),
        ("12.10", "Kabupaten Labuhanbatu", "kabupaten", 2022, Decimal("59.94"), "C"),
    ],
)
def test_the_seed_governments_land_within_half_a_point(code, name, kind, year, score, category):
    story = story_for(code, name, kind, year)
    result = score_government(load_instrument(story.instrument_code), _answers(story))
    assert result.band.category == category
    assert abs(result.rounded - score) <= Decimal("0.5")


def test_the_uncalibrated_stories_would_contradict_what_was_published():
    # what calibration corrects: the stories' own qualities put Langkat 2023 in C
    assert official_score(LANGKAT_2023, load_instrument("ombudsman-2023")) < Decimal("78")
    assert calibrated(LANGKAT_2023).quality_shift > 0


def test_calibration_keeps_the_units_apart():
    story = story_for("12.10", "Kabupaten Labuhanbatu", "kabupaten", 2022)
    result = score_government(load_instrument("ombudsman-2022"), _answers(story))
    scores = sorted(unit.score for unit in result.units)
    assert scores[-1] - scores[0] >= 25


def test_a_government_without_a_published_figure_is_left_as_generated():
    story = replace(LANGKAT_2023, government_code="12.99")
    assert published_target(story, load_instrument("ombudsman-2023")) is None
    assert calibrated(story) is story


def test_a_category_only_figure_aims_at_the_middle_of_its_band():
    # Langkat 2024 was published as category A without a score
    story = replace(LANGKAT_2023, year=2024)
    low, aim, high = published_target(story, load_instrument("ombudsman-2023"))
    assert (low, aim, high) == (Decimal("93.50"), Decimal("94.00"), Decimal("94.50"))
    result = score_government(load_instrument("ombudsman-2023"), _answers(calibrated(story)))
    assert result.band.category == "A"


def test_a_target_is_kept_inside_the_published_category():
    # Labuhanbatu Utara 2022 was published as 78.78 B: 78.28 would still be B, 77.9 not
    story = story_for("12.23", "Kabupaten Labuhanbatu Utara", "kabupaten", 2022)
    low, aim, high = published_target(story, load_instrument("ombudsman-2022"))
    assert low >= Decimal("78.00")
    assert (aim, high) == (Decimal("78.78"), Decimal("79.28"))


# -- which units, who is named, how many respondents ---------------------------------------


def test_langkat_2023_self_assessment_covers_the_six_monitored_units():
    self_assessed = _answers(calibrated(LANGKAT_2023), "self")
    assert [unit.name for unit in self_assessed.units] == [
        "Dinas Kesehatan",
        "Dinas Sosial",
        "DPMPTSP",
        "Disdukcapil",
        "Puskesmas Karang Rejo",
        "Puskesmas Tanjung Beringin",
    ]
    official = _answers(calibrated(LANGKAT_2023), "official")
    assert len(official.units) == 7
    assert "Dinas Pendidikan" in {unit.name for unit in official.units}


def test_invented_unit_names_are_marked_illustrative():
    invented = {unit.code: unit for story in STORIES for unit in story.units if unit.illustrative}
    assert set(invented) == {"puskesmas-sigambal", "puskesmas-aek-paing"}
    assert invented["puskesmas-sigambal"].name == "Puskesmas Sigambal (ilustratif)"
    assert invented["puskesmas-aek-paing"].name == "Puskesmas Aek Paing (ilustratif)"
    for story in STORIES:
        for unit in story.units:
            assert unit.name.endswith("(ilustratif)") == unit.illustrative, unit.name
    # the sources name Langkat's two Puskesmas
    langkat = {unit.name for unit in LANGKAT_2023.units}
    assert {"Puskesmas Karang Rejo", "Puskesmas Tanjung Beringin"} <= langkat
    names = {unit.name for unit in _answers(LABUHANBATU_2022).units}
    assert illustrative_name("Puskesmas Sigambal") in names


def test_every_demo_unit_interviews_9_to_16_service_users():
    codes = {f.region_code for f in published_figures() if f.region_code.startswith("12.")}
    for code in codes | {"12.05", "12.10"}:
        units = units_for(code)
        assert all(9 <= unit.service_users <= 16 for unit in units), code
    counts = {unit.service_users for code in codes for unit in units_for(code)}
    assert len(counts) >= 5  # not one number for every unit
    assert units_for("12.71") == units_for("12.71")
    answers = {u.code: u for u in _answers(story_for("12.71", "Kota Medan", "kota", 2023)).units}
    for unit in units_for("12.71"):
        values = answers[unit.code].answers["OU-1"]
        assert values == NA or len(values) == unit.service_users
    assert len(units_for("12.71")) == len(KABUPATEN_UNITS)


def test_stage_notes_tell_planned_from_held():
    labuhanbatu = {stage.stage: stage for stage in story_of_year(2022).stages}
    assert labuhanbatu["sosialisasi"].held
    assert labuhanbatu["sosialisasi"].note.startswith("Terlaksana 1 Agustus 2022")
    assert labuhanbatu["self_assessment"].held
    assert "rapat teknis" in labuhanbatu["self_assessment"].note
    assert "Asisten III" in labuhanbatu["self_assessment"].note
    assert not labuhanbatu["data_collection"].held
    assert labuhanbatu["data_collection"].note.startswith("Direncanakan")
    assert "pekan ketiga Agustus 2022" in labuhanbatu["data_collection"].note
    langkat = {stage.stage: stage for stage in story_of_year(2023).stages}
    assert "Surat pemberitahuan" in langkat["sosialisasi"].note
    assert "B/1673/PC.02/V/2023" in langkat["sosialisasi"].note
    assert "direncanakan Juli–Oktober 2023" in langkat["sosialisasi"].note
    assert langkat["pre_evaluation"].note.startswith("Terlaksana 26 Juni 2023")
    assert "enam unit" in langkat["self_assessment"].note
    assert "Dinas Pendidikan" not in langkat["self_assessment"].note
    assert "Terlaksana 25 Juli 2023" in langkat["data_collection"].note
    assert langkat["data_collection"].note.startswith("Direncanakan Juli–Oktober 2023")


def test_answers_on_the_2025_method_fit_it_and_leave_output_to_the_government():
    from patuh.demo.current import CURRENT_INSTRUMENT

    instrument = load_instrument(CURRENT_INSTRUMENT)
    story = replace(LANGKAT_2023, year=2026, instrument_code=instrument.code, kind_units=())
    for kind in ("self", "official"):
        answers = synthetic_government_answers(story, instrument, kind=kind)
        assert check_answers(instrument, answers) == []
        codes = {code for unit in answers.units for code in unit.answers}
        assert {instrument.indicators[code].dimension_code for code in codes} == {
            "IN",
            "PR",
            "PG",
        }
        assert not any(code.startswith(("OU", "KM")) for code in codes)


def test_synthetic_figures_are_reproducible_on_their_scales_and_labelled():
    from patuh.demo.stories import SYNTHETIC_FIGURE_NOTE, synthetic_government_figures
    from patuh.scoring.answers import GovernmentAnswers, check_government_answers

    instrument = load_instrument("opini-2025")
    figures = synthetic_government_figures("12.05", "kabupaten", 2026, 0.6)
    assert figures == synthetic_government_figures("12.05", "kabupaten", 2026, 0.6)
    assert [f.code for f in figures] == list(instrument.government_indicators)
    assert all(f.note == SYNTHETIC_FIGURE_NOTE for f in figures)
    answers = {f.code: {"value": f.value, "year": f.year, "source": f.source} for f in figures}
    probe = GovernmentAnswers("12.05", "Kabupaten Langkat", "kabupaten", [], answers=answers)
    assert check_government_answers(instrument, probe) == []
    years = {f.code: f.year for f in figures}
    assert years == {
        "OU-IPP": 2025,
        "OU-IPM": 2025,
        "OU-SPM": 2025,
        "OU-RPJMD": 2025,
        "KM-IKM": 2026,
    }
    # a better government has better figures; a subset draws the same values
    better = synthetic_government_figures("12.05", "kabupaten", 2026, 0.95)
    assert sum(f.value for f in better) > sum(f.value for f in figures)
    only = synthetic_government_figures("12.05", "kabupaten", 2026, 0.6, ("OU-SPM",))
    assert only == [f for f in figures if f.code == "OU-SPM"]
    extremes = synthetic_government_figures("12.71", "kota", 2026, 3.0)
    ipp = next(f for f in extremes if f.code == "OU-IPP")
    assert ipp.value <= 5


def test_a_published_ipp_is_used_as_published():
    from patuh.demo.stories import PUBLISHED_FIGURE_NOTE, synthetic_government_figures

    # KemenPAN-RB published Jawa Barat's PEKPPP 2024 IPP as 4.76 (the packaged dataset)
    published = published_for(published_figures(), "32", 2024, program="pekppp")
    assert published is not None
    assert published.score == Decimal("4.76")
    figures = {f.code: f for f in synthetic_government_figures("32", "provinsi", 2025, 0.2)}
    ipp = figures["OU-IPP"]
    assert (ipp.value, ipp.year, ipp.note) == (Decimal("4.76"), 2024, PUBLISHED_FIGURE_NOTE)
    assert "PEKPPP 2024" in ipp.source
    assert figures["OU-IPM"].note != PUBLISHED_FIGURE_NOTE
    # no IPP published for Langkat: synthetic
    langkat = {f.code: f for f in synthetic_government_figures("12.05", "kabupaten", 2025, 0.2)}
    assert langkat["OU-IPP"].note != PUBLISHED_FIGURE_NOTE
