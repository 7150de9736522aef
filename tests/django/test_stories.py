"""The seed stories and the synthetic-answer generator (plain Python, no database)."""

import subprocess
import sys

from patuh.demo.stories import (
    LABUHANBATU_2022,
    LANGKAT_2023,
    STORIES,
    SYNTHETIC_LABEL,
    story_for,
    synthetic_government_answers,
)
from patuh.scoring import NA, check_answers, load_instrument, score_government


def _answers(story, kind="official"):
    return synthetic_government_answers(story, load_instrument(story.instrument_code), kind=kind)


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
    assert 25 <= sum(len(values) for values in survey) <= 35


def test_a_few_answers_are_na_and_a_few_missing():
    instrument = load_instrument("ombudsman-2023")
    result = score_government(instrument, _answers(LANGKAT_2023))
    assert sum(len(unit.not_applicable) for unit in result.units) >= 2
    assert 1 <= sum(len(unit.missing) for unit in result.units) <= 5


def test_units_land_in_different_categories():
    for story in STORIES:
        result = score_government(load_instrument(story.instrument_code), _answers(story))
        assert len({unit.band.category for unit in result.units}) >= 3


def test_langkat_rates_itself_higher_than_the_ombudsman_does():
    instrument = load_instrument("ombudsman-2023")
    official = score_government(instrument, _answers(LANGKAT_2023, "official"))
    self_assessed = score_government(instrument, _answers(LANGKAT_2023, "self"))
    assert self_assessed.score > official.score
