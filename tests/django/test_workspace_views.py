"""The workspace pages over HTTP: htmx saves with the live result, conflicts between two
sessions, the history, the coordinator's readiness and comparison pages, running a cycle."""

import re

import pytest

from patuh.assessments.models import Answer, Assessment, AssessorAssignment, CycleStage
from patuh.assessments.services import score_assessments
from patuh.core.models import AuditEvent
from patuh.scoring import format_score

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def self_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


def _unit_score(html: str) -> str:
    return re.search(r"data-unit-score>([\d.]+)<", html).group(1)


def test_an_htmx_save_returns_the_card_and_the_new_result(login, operator, self_dinkes):
    client = login(operator)
    page = client.get(f"/assessments/{self_dinkes.pk}/").content.decode()
    before = _unit_score(page)
    response = client.post(
        f"/assessments/{self_dinkes.pk}/indicators/PR-08/", {"version": "0", "value": "3"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="ind-PR-08"' in html
    assert 'data-version="1"' in html
    assert "data-saved" in html
    assert 'id="result-panel" class="card shadow-sm" hx-swap-oob="true"' in html
    result = score_assessments(self_dinkes.cycle, self_dinkes.service_unit.government, "self")
    unit = next(u for u in result.units if u.code == "dinkes")
    assert _unit_score(html) == format_score(unit.score)
    assert _unit_score(html) != before
    assert f"data-government-score>{format_score(result.score)}<" in html


def test_a_second_session_saving_the_same_indicator_gets_both_values(
    login, operator, coordinator, self_dinkes
):
    first, second = login(operator), login(coordinator)
    url = f"/assessments/{self_dinkes.pk}/indicators/PR-09/"
    assert first.post(url, {"version": "0", "value": "3"}, **HTMX).status_code == 200
    response = second.post(url, {"version": "0", "value": "1", "note": "Moto belum ada"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert re.search(r"data-stored-value>\s*3", html)
    assert re.search(r"data-attempted-value>\s*1", html)
    assert "Moto belum ada" in html  # the loser's note is offered back, not dropped
    assert "data-overwrite" in html
    answer = Answer.objects.get(assessment=self_dinkes, indicator_code="PR-09")
    assert (answer.value, answer.note, answer.version) == (3, "", 1)
    # choosing to overwrite, knowingly, with the version now shown
    response = second.post(url, {"version": "1", "value": "1", "note": "Moto belum ada"}, **HTMX)
    assert response.status_code == 200
    answer.refresh_from_db()
    assert (answer.value, answer.note, answer.version) == (1, "Moto belum ada", 2)


def test_a_refused_value_is_reported_and_nothing_is_saved(login, operator, self_dinkes):
    client = login(operator)
    url = f"/assessments/{self_dinkes.pk}/indicators/PR-07/"
    response = client.post(url, {"version": "0", "value": "na", "na_reason": ""}, **HTMX)
    assert response.status_code == 422
    assert "data-failed" in response.content.decode()
    assert "alasan wajib" in response.content.decode()
    response = client.post(url, {"version": "0", "value": "7"}, **HTMX)
    assert response.status_code == 422
    assert not Answer.objects.filter(assessment=self_dinkes, indicator_code="PR-07").exists()


def test_without_javascript_a_save_redirects_back_to_the_indicator(login, operator, self_dinkes):
    response = login(operator).post(
        f"/assessments/{self_dinkes.pk}/indicators/PR-10/", {"version": "0", "value": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{self_dinkes.pk}/#ind-PR-10"


def test_the_history_lists_each_answer_change_with_actor_old_and_new(
    login, operator, coordinator, verifier, self_dinkes
):
    url = f"/assessments/{self_dinkes.pk}/indicators/PR-11/"
    login(operator).post(url, {"version": "0", "value": "1"}, **HTMX)
    login(coordinator).post(url, {"version": "1", "value": "2", "reason": "Dicek ulang"}, **HTMX)
    html = login(verifier).get(f"/assessments/{self_dinkes.pk}/history/?indikator=PR-11")
    rows = re.findall(r'<tr data-action="answer.recorded">(.*?)</tr>', html.content.decode(), re.S)
    assert len(rows) == 2
    newest, oldest = rows
    assert "kiki.koordinator" in newest
    assert re.search(r"data-old>nilai: 1", newest)
    assert re.search(r"data-new>nilai: 2", newest)
    assert "Dicek ulang" in newest
    assert "opi.operator" in oldest
    assert re.search(r"data-old>–", oldest)


def test_people_and_products_are_saved_and_audited(login, assessor, cycle_current, langkat_dinkes):
    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    respondent = official.respondents.get(group="implementers", position=1)
    observation = official.product_observations.first()
    response = login(assessor).post(
        f"/assessments/{official.pk}/people/",
        {
            f"title-{respondent.pk}": "Kepala Seksi Pelayanan",
            f"seen-{observation.pk}": "1",
            f"physical-{observation.pk}": "on",
        },
        **HTMX,
    )
    assert response.status_code == 200
    respondent.refresh_from_db()
    observation.refresh_from_db()
    assert respondent.title == "Kepala Seksi Pelayanan"
    assert (observation.published_physically, observation.published_electronically) == (
        True,
        False,
    )
    assert "belum terpenuhi penuh" in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            context_id=str(official.pk),
            action__in=["respondent.changed", "product_observation.changed"],
        ).count()
        == 2
    )


def test_the_readiness_table_lists_every_unit_with_both_scores(login, coordinator, langkat):
    html = login(coordinator).get("/cycles/2023/governments/12.05/readiness/").content.decode()
    rows = re.findall(r'<tr data-unit="([\w-]+)">', html)
    assert len(rows) == 7
    from patuh.assessments.models import Cycle

    cycle = Cycle.objects.get(year=2023)
    mine = score_assessments(cycle, langkat, "self")
    theirs = score_assessments(cycle, langkat, "official")
    # Langkat assessed itself in the six units the Sekda monitored, not Dinas Pendidikan
    assert len(mine.units) == 6
    assert re.search(r'<tr data-unit="disdik">.*?data-self-score>–<', html, re.DOTALL)
    for unit in mine.units:
        assert format_score(unit.score) in html
    for unit in theirs.units:
        assert format_score(unit.score) in html


def test_the_comparison_highlights_differing_indicators(login, coordinator):
    html = login(coordinator).get("/cycles/2023/governments/12.05/compare/").content.decode()
    assert len(re.findall(r"<section [^>]*data-unit=", html)) == 7
    assert html.count("data-differs") > 10
    assert "data-self-total" in html
    assert "data-official-total" in html


def test_a_regional_admin_runs_the_cycle_from_one_page(login, regional_admin, cycle_current):
    from django.contrib.auth import get_user_model

    client = login(regional_admin)
    url = f"/cycles/manage/{cycle_current.pk}/"
    page = client.get(url).content.decode()
    assert "Kampanye penilaian" in page
    assert 'data-kind="official"' in page
    client.post(
        url,
        {"action": "dates", "starts-verification": "2030-01-01", "ends-verification": "2030-01-31"},
    )
    stage = CycleStage.objects.get(cycle=cycle_current, stage="verification")
    assert str(stage.starts_on) == "2030-01-01"
    response = client.post(url, {"action": "campaign", "kind": "pre_evaluation"}, follow=True)
    assert "231 penilaian dibuat" in response.content.decode()
    penilai = get_user_model().objects.get(username="penilai.sumut")
    client.post(url, {"action": "assign", "government": "12.02", "assessor": penilai.pk})
    assert AssessorAssignment.objects.filter(
        cycle=cycle_current, government__region_code="12.02", assessor=penilai
    ).exists()
    response = client.post(
        url,
        {"action": "override", "stage": "sosialisasi", "open_until": "2030-02-01", "reason": ""},
        follow=True,
    )
    assert "Alasan perpanjangan wajib diisi" in response.content.decode()
    actions = set(
        AuditEvent.objects.filter(
            context_id=str(cycle_current.pk), actor=regional_admin
        ).values_list("action", flat=True)
    )
    assert actions == {
        "cycle.stage_dates_set",
        "cycle.campaign_created",
        "cycle.assessor_assigned",
    }


def test_the_home_page_lists_each_users_work(login, operator, coordinator, assessor):
    assert "Penilaian mandiri Dinas Kesehatan" in login(operator).get("/").content.decode()
    assert "Kesiapan unit Kabupaten Langkat" in login(coordinator).get("/").content.decode()
    assert "Penilaian resmi Kabupaten Langkat" in login(assessor).get("/").content.decode()


def test_a_regional_admin_opens_a_cycle_for_its_province_only(login, regional_admin):
    from patuh.assessments.models import Cycle

    client = login(regional_admin)
    form = client.get("/cycles/new/").content.decode()
    assert 'value="12"' in form
    assert 'value="31"' not in form  # DKI Jakarta is another office's
    assert (
        client.post(
            "/cycles/new/", {"year": "2031", "instrument": "ombudsman-2025", "province": "31"}
        ).status_code
        == 403
    )
    uncovered = client.post(
        "/cycles/new/",
        {"year": "2031", "instrument": "ombudsman-2025", "province": "12"},
        follow=True,
    )
    assert "dipakai untuk siklus 2025, bukan 2031" in uncovered.content.decode()
    assert not Cycle.objects.filter(year=2031).exists()
    response = client.post(
        "/cycles/new/", {"year": "2025", "instrument": "opini-2025", "province": "12"}
    )
    cycle = Cycle.objects.get(year=2025, province__region_code="12")
    assert response["Location"] == f"/cycles/manage/{cycle.pk}/"
    assert cycle.stages.count() == 9
    assert AuditEvent.objects.filter(action="cycle.opened", actor=regional_admin).count() == 1
    again = client.post(
        "/cycles/new/",
        {"year": "2025", "instrument": "opini-2025", "province": "12"},
        follow=True,
    )
    assert "Siklus 2025 untuk wilayah ini sudah ada." in again.content.decode()
    unknown = client.post(
        "/cycles/new/",
        {"year": "2032", "instrument": "ombudsman-1999", "province": "12"},
        follow=True,
    )
    assert "ombudsman-1999" in unknown.content.decode()
    assert not Cycle.objects.filter(year=2032).exists()


def test_proses_cards_link_to_the_units_published_standard(login, operator, self_dinkes):
    html = login(operator).get(f"/assessments/{self_dinkes.pk}/").content.decode()
    card = html[html.index('id="ind-PR-03"') : html.index('id="ind-PR-04"')]
    product = self_dinkes.product_observations.order_by("product__name").first().product_id
    assert f'href="/publik/unit/12.05/dinkes/#produk-{product}-komponen-d"' in card
    internal = html[html.index('id="ind-IN-S6"') : html.index('id="ind-IN-S7"')]
    assert "/publik/unit/12.05/dinkes/" in internal  # IN-S6 evidences component a, dasar hukum
    other = html[html.index('id="ind-IN-S9"') : html.index('id="ind-PR-01"')]
    assert "data-standard-links" not in other
