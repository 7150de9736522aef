"""Public surveys: submissions, duplicates flagged, abuse resistance, enumerators, voiding,
results, the counter poster, and perception answers flowing into the Output indicators."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from patuh.assessments.models import Answer, Assessment
from patuh.core.models import AuditEvent
from patuh.scoring import load_instrument
from patuh.scoring.skm import score_skm
from patuh.surveys import services
from patuh.surveys.models import SurveyResponse

SKM_URL = "/survei/12.05/dinkes/skm/"
PERCEPTION_URL = "/survei/12.05/dinkes/persepsi/"
SKM_ANSWERS = {f"U{n}": "3" for n in range(1, 10)}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _skm(client, **extra):
    data = {"consent": "1", "age_group": "30-39", "sex": "p", **SKM_ANSWERS, **extra}
    return client.post(SKM_URL, data)


def test_a_citizen_answers_without_logging_in_and_a_second_answer_is_flagged(
    client, langkat_dinkes
):
    page = client.get(SKM_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="U9"' in html
    for field in ("nama", "name", "telepon", "phone", "hp"):
        assert f'name="{field}"' not in html  # no personal identifiers asked
    assert _skm(client).status_code == 200
    assert _skm(client, U1="4").status_code == 200  # the same device (cookie) again
    first, second = SurveyResponse.objects.filter(unit=langkat_dinkes).order_by("pk")
    assert first.answers == {f"U{n}": 3 for n in range(1, 10)}
    assert first.profile == {"age_group": "30-39", "sex": "p"}
    assert first.channel == "web"
    assert not first.flagged
    assert second.duplicate_of == first  # kept and flagged, never dropped
    assert first.device_hash
    assert len(first.device_hash) == 64


def test_unanswered_questions_and_missing_consent_are_refused(client, langkat_dinkes):
    response = client.post(SKM_URL, {"consent": "1", "U1": "4"})
    assert response.status_code == 422
    assert "U2" in response.content.decode()
    assert client.post(SKM_URL, SKM_ANSWERS).status_code == 422  # no consent
    response = client.post(SKM_URL, {"consent": "1", **SKM_ANSWERS, "U3": "7"})
    assert response.status_code == 422
    assert not SurveyResponse.objects.filter(unit=langkat_dinkes).exists()


def test_a_robot_filling_the_honeypot_stores_nothing(client, langkat_dinkes):
    assert _skm(client, situs_web="http://spam.example").status_code == 200
    assert not SurveyResponse.objects.filter(unit=langkat_dinkes).exists()


def test_an_address_is_rate_limited(client, settings, langkat_dinkes):
    settings.PATUH_SURVEY_RATE_PER_HOUR = 2
    assert _skm(client).status_code == 200
    assert _skm(client).status_code == 200
    assert _skm(client).status_code == 429
    assert SurveyResponse.objects.filter(unit=langkat_dinkes).count() == 2


def test_a_unit_has_a_quota(client, settings, langkat_dinkes):
    settings.PATUH_SURVEY_QUOTA_PER_UNIT = 1
    assert _skm(client).status_code == 200
    response = _skm(client)
    assert response.status_code == 422
    assert "Kuota" in response.content.decode()


def test_an_assigned_assessor_enters_answers_as_an_enumerator(login, assessor, langkat_dinkes):
    client = login(assessor)
    assert "data-enumerator" in client.get(SKM_URL).content.decode()
    client.post(SKM_URL, SKM_ANSWERS)
    client.post(SKM_URL, SKM_ANSWERS)
    rows = SurveyResponse.objects.filter(unit=langkat_dinkes)
    assert {row.channel for row in rows} == {"enumerator"}
    assert {row.entered_by for row in rows} == {assessor}
    assert not any(row.flagged for row in rows)  # one phone, many respondents


def test_an_assessor_voids_a_response_with_a_reason(login, client, assessor, langkat_dinkes):
    _skm(client)
    response = SurveyResponse.objects.get(unit=langkat_dinkes)
    url = "/survei/12.05/dinkes/jawaban/"
    assert login(assessor).post(url, {"id": response.pk, "reason": ""}).status_code == 302
    response.refresh_from_db()
    assert response.voided_at is None
    login(assessor).post(url, {"id": response.pk, "reason": "Diisi pegawai unit sendiri"})
    response.refresh_from_db()
    assert response.voided_at is not None
    event = AuditEvent.objects.get(action="survey.response_voided")
    assert (event.actor, event.reason) == (assessor, "Diisi pegawai unit sendiri")
    assert services.skm_summary(langkat_dinkes, response.cycle).respondents == 0


def test_the_results_match_the_scoring_core(client, langkat_dinkes, cycle_current):
    for values in ("4444444444", "3333333333", "2343234321"):
        client.cookies.clear()
        _skm(client, **{f"U{n}": values[n - 1] for n in range(1, 10)})
    summary = services.skm_summary(langkat_dinkes, cycle_current)
    expected = score_skm(
        load_instrument("skm-2017"),
        [r.answers for r in SurveyResponse.objects.filter(unit=langkat_dinkes)],
    )
    assert summary.result.index == expected.index
    assert summary.respondents == 3
    assert summary.adequate is False  # 3 respondents for a yearly population of thousands
    html = client.get("/survei/12.05/dinkes/hasil/").content.decode()
    assert f"data-ikm-index>{expected.rounded_index}<" in html
    assert "Sampel belum memadai" in html


@pytest.fixture
def perception_cycle(cycle_current):
    """The cycle in progress on an instrument with unit-level perception indicators (the
    demo's is on the 2025+ method, which has none)."""
    cycle_current.instrument_code = "ombudsman-2025"
    cycle_current.save()
    return cycle_current


def test_the_2025_method_offers_no_perception_survey(client, langkat_dinkes, cycle_current):
    assert cycle_current.instrument_code == "opini-2025"
    assert services.questions("perception", cycle_current) == []
    home = client.get("/survei/12.05/dinkes/").content.decode()
    assert 'data-survey="skm"' in home
    assert 'data-survey="persepsi"' not in home
    assert client.get(PERCEPTION_URL).status_code == 404
    assert client.post(PERCEPTION_URL, {"consent": "1"}).status_code == 404
    assert not SurveyResponse.objects.filter(kind="perception", cycle=cycle_current).exists()


def test_perception_answers_flow_into_the_output_indicators(
    client, login, assessor, perception_cycle, langkat_dinkes
):
    cycle_current = perception_cycle
    assert 'data-survey="persepsi"' in client.get("/survei/12.05/dinkes/").content.decode()
    questions = services.questions("perception", cycle_current)
    assert [q.code for q in questions][:2] == ["OU-1", "OU-2"]
    for reported in (True, False, False):
        client.cookies.clear()
        data = {"consent": "1"}
        data.update({q.code: "tidak" for q in questions})
        if reported:
            data["OU-2"] = "ya"
        assert client.post(PERCEPTION_URL, data).status_code == 200
    shares = {s.code: s for s in services.perception_summary(langkat_dinkes, cycle_current)}
    assert (shares["OU-2"].respondents, shares["OU-2"].reported) == (3, 1)
    assert shares["OU-2"].share == Decimal(1) / 3
    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    login(assessor).post(f"/assessments/{official.pk}/apply-perception/")
    assert Answer.objects.get(assessment=official, indicator_code="OU-2").value == [0, 3, 3]
    assert Answer.objects.get(assessment=official, indicator_code="OU-1").value == [3, 3, 3]
    assert AuditEvent.objects.filter(
        action="answer.recorded", context_id=str(official.pk)
    ).count() == len(questions)


def test_the_counter_poster_is_an_a4_pdf_with_the_link(client, langkat_dinkes):
    response = client.get("/survei/12.05/dinkes/poster.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_public_result_links_each_unit_to_its_survey(db, client):
    html = client.get("/publik/2022/12.10/").content.decode()
    assert 'href="/survei/12.10/dinkes/"' in html


def test_the_results_workbook_carries_the_survey_aggregates(client, cycle_current, tmp_path):
    from openpyxl import load_workbook

    from patuh.reports.export import write_workbook

    _skm(client)
    path = write_workbook(cycle_current, tmp_path / "hasil.xlsx")
    rows = list(load_workbook(path, read_only=True)["Survei"].iter_rows(values_only=True))
    header, *data = rows
    assert header[:6] == ("kode pemerintah", "kode unit", "responden SKM", "IKM", "indeks", "mutu")
    assert len(data) == 1
    assert data[0][:8] == ("12.05", "dinkes", 1, 3, 75, "C", False, 0)  # IKM 3 → index 75


def test_the_results_page_shows_the_trend_over_periods(client, cycle_2023, cycle_current):
    from patuh.orgs.models import ServiceUnit

    unit = ServiceUnit.objects.get(government__region_code="12.05", code="dinkes")
    for cycle, level in ((cycle_2023, 2), (cycle_current, 4)):
        services.submit(unit, cycle, "skm", {f"U{n}": level for n in range(1, 10)}, {})
    html = client.get("/survei/12.05/dinkes/hasil/").content.decode()
    assert 'id="ikm-trend"' in html
    assert html.index(f'data-cycle="{cycle_current.year}"') < html.index('data-cycle="2023"')
    assert "data-ikm-index>100.00<" in html
    assert "data-ikm-index>50.00<" in html
