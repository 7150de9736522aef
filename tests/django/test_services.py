import pytest
from django.core.exceptions import ValidationError

from patuh.assessments.models import Answer, Assessment
from patuh.assessments.services import record_answer, score_assessments, score_cycle
from patuh.core.models import AuditEvent
from patuh.demo.stories import LANGKAT_2023, calibrated, synthetic_government_answers
from patuh.orgs.models import Government
from patuh.scoring import load_instrument, score_government


def _events(answer: Answer):
    return AuditEvent.objects.filter(object_type="assessments.answer", object_id=str(answer.pk))


@pytest.fixture(autouse=True)
def _langkat_2023_back_in_draft(langkat_dinkes_2023):
    """The demo has Langkat's 2023 assessments at verification; these tests edit answers."""
    Assessment.objects.filter(
        cycle=langkat_dinkes_2023.cycle,
        service_unit__government=langkat_dinkes_2023.service_unit.government,
    ).update(status="draft")
    langkat_dinkes_2023.refresh_from_db()


def test_record_answer_saves_and_audits_the_old_and_new_value(langkat_dinkes_2023, assessor):
    before = Answer.objects.get(assessment=langkat_dinkes_2023, indicator_code="IN-K1").value

    answer = record_answer(
        langkat_dinkes_2023, "IN-K1", [3, 3, 2, 3], assessor, reason="Wawancara ulang"
    )

    assert answer.value == [3, 3, 2, 3]
    event = _events(answer).get()
    assert event.actor == assessor
    assert event.action == "answer.recorded"
    assert event.old == {"value": before, "note": ""}
    assert event.new == {"value": [3, 3, 2, 3], "note": ""}
    assert event.reason == "Wawancara ulang"
    assert answer.version == 2


def test_record_answer_creates_a_missing_answer(cycle_2023, langkat, assessor):
    dinsos = Assessment.objects.get(
        cycle=cycle_2023,
        service_unit__government=langkat,
        service_unit__code="dinsos",
        kind="official",
    )
    assert not dinsos.answers.filter(indicator_code="IN-S9").exists()  # missing in the story

    answer = record_answer(dinsos, "IN-S9", 2, assessor, note="Brosur dan media sosial")

    event = _events(answer).get()
    assert event.old is None
    assert event.new == {"value": 2, "note": "Brosur dan media sosial"}


def test_recording_the_same_value_again_writes_nothing(langkat_dinkes_2023, assessor):
    record_answer(langkat_dinkes_2023, "IN-S1", 1, assessor)
    answer = record_answer(langkat_dinkes_2023, "IN-S1", 1, assessor)
    assert _events(answer).count() == 1


def test_it_accepts_na_and_normalises_decimals(langkat_dinkes_2023, assessor):
    assert record_answer(langkat_dinkes_2023, "PR-07", "NA", assessor).value == "na"
    assert record_answer(langkat_dinkes_2023, "IN-S2", 2.0, assessor).value == 2


@pytest.mark.parametrize(
    ("indicator", "value", "fragment"),
    [
        ("XX-99", 2, "tidak ada di instrumen"),
        ("IN-K1", 4, "di luar skala"),
        ("IN-K1", [3, 2, -1], "nilai ke-3"),
        ("IN-K1", "tiga", "bukan angka"),
        ("IN-K1", True, "bukan angka"),
        ("IN-K1", [], "kosong"),
        ("IN-K1", {"nilai": 3}, "bukan angka"),
    ],
)
def test_it_rejects_invalid_answers_and_audits_nothing(
    langkat_dinkes_2023, assessor, indicator, value, fragment
):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        record_answer(langkat_dinkes_2023, indicator, value, assessor)
    assert fragment in str(error.value)
    assert AuditEvent.objects.count() == before


def test_it_rejects_an_indicator_the_cycles_instrument_does_not_have(
    cycle_2022, langkat_dinkes, assessor
):
    assessment = Assessment.objects.get(
        cycle=cycle_2022, service_unit=langkat_dinkes, kind="official"
    )
    with pytest.raises(ValidationError, match="ombudsman-2022"):
        record_answer(assessment, "IN-K5", 3, assessor)  # new in 2023


def test_score_assessments_gives_the_scoring_cores_result(cycle_2023, langkat):
    instrument = load_instrument("ombudsman-2023")
    expected = score_government(
        instrument, synthetic_government_answers(calibrated(LANGKAT_2023), instrument)
    )

    result = score_assessments(cycle_2023, langkat)

    assert result.score == expected.score
    assert {u.code: u.score for u in result.units} == {u.code: u.score for u in expected.units}
    assert result.synthetic


def test_score_assessments_reads_the_database_in_three_queries(
    cycle_2023, langkat, django_assert_num_queries
):
    with django_assert_num_queries(3):  # assessments, answers, Ombudsman products
        score_assessments(cycle_2023, langkat, "self")


def test_score_cycle_reads_a_whole_cycle_in_five_queries(cycle_2023, django_assert_num_queries):
    # assessments, product counts, answers (one JSON object per assessment), governments,
    # Ombudsman products: the same five for 33 governments or 591
    with django_assert_num_queries(5):
        rows = score_cycle(cycle_2023, Government.objects.all())
    assert len(rows) == 33
    scores = [row.result.score for row in rows]
    assert scores == sorted(scores, reverse=True)


def test_a_recorded_answer_changes_the_score(cycle_2023, langkat, langkat_dinkes_2023, assessor):
    before = score_assessments(cycle_2023, langkat)
    record_answer(langkat_dinkes_2023, "IN-K1", [0, 0, 0, 0], assessor)
    after = score_assessments(cycle_2023, langkat)
    assert after.score < before.score


def test_there_is_no_result_without_an_assessment(cycle_2023):
    padang = Government.objects.get(region_code="13.71")  # not in the Sumut cycle
    assert score_assessments(cycle_2023, padang) is None
