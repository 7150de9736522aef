"""Patuh's published PEKPPP results on the public site: ``/publik/pekppp/<year>/`` ranks the
published IPP within each peer group beside KemenPAN-RB's published figures, a government's
page shows its IPP, F-03 index and composite per lokus with the provisional flags; nothing
unpublished is shown, a new publication shows at once, the Ombudsman pages stay as they were,
and the API names each cycle's program."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from personas import open_pekppp_cycle, persona

from patuh.accounts.roles import Role
from patuh.assessments import campaigns
from patuh.assessments.models import Assessment, AssessmentKind, Cycle, Program
from patuh.assessments.services import record_answer
from patuh.results.models import ResultSnapshot
from patuh.results.published import load_published_results
from patuh.results.services import publish_snapshot
from patuh.scoring import load_instrument

pytestmark = pytest.mark.django_db

YEAR = 2024


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def national_admin(db):
    return persona("nina.nasional", Role.NATIONAL_ADMIN)


@pytest.fixture
def evaluator(sumut):
    return persona("eva.panrb", Role.EVALUATOR, province=sumut)


@pytest.fixture
def pekppp(sumut, langkat, labuhanbatu, national_admin, evaluator) -> Cycle:
    """A PEKPPP 2024 cycle of North Sumatra with two lokus in Langkat and one in Labuhanbatu,
    every counted indicator of F-02 answered: Langkat 4 and 3 (IPP 3.50), Labuhanbatu 2."""
    labuhanbatu_unit = labuhanbatu.units.order_by("code").first()
    sites = [
        *langkat.units.filter(code__in=["dinsos", "disdukcapil"]).order_by("code"),
        labuhanbatu_unit,
    ]
    cycle = open_pekppp_cycle(sumut, sites, national_admin, YEAR)
    for government in (langkat, labuhanbatu):
        campaigns.assign_assessor(cycle, government, evaluator, actor=national_admin)
    codes = [
        code
        for code, indicator in load_instrument(cycle.instrument_code).indicators.items()
        if indicator.counted
    ]
    values = {"dinsos": 4, "disdukcapil": 3, labuhanbatu_unit.code: 2}
    for assessment in Assessment.objects.filter(
        cycle=cycle, kind=AssessmentKind.OFFICIAL
    ).select_related("service_unit"):
        for code in codes:
            record_answer(assessment, code, values[assessment.service_unit.code], evaluator)
    return cycle


def _publish(cycle, government, actor) -> ResultSnapshot:
    return publish_snapshot(cycle, government, actor=actor)


def test_nothing_unpublished_is_shown(client, pekppp, langkat):
    assert client.get(f"/publik/pekppp/{YEAR}/12.05/").status_code == 404
    # 2024 has KemenPAN-RB's own published figures: the page exists, without Patuh's results
    load_published_results()
    page = client.get(f"/publik/pekppp/{YEAR}/")
    assert page.status_code == 200
    assert "data-cycle=" not in page.content.decode()
    # KemenPAN-RB's figures of the year only, not the Ombudsman's
    assert 'data-program="pekppp"' in page.content.decode()
    assert 'data-program="ombudsman"' not in page.content.decode()
    assert client.get("/publik/pekppp/2031/").status_code == 404
    assert not ResultSnapshot.objects.filter(cycle=pekppp, published_at__isnull=False).exists()


def test_a_published_result_shows_its_ipp_f03_composite_and_flags(
    client, pekppp, langkat, national_admin
):
    snapshot = _publish(pekppp, langkat, national_admin)
    data = json.loads(snapshot.payload, parse_float=Decimal)
    assert snapshot.score == Decimal("3.50")
    page = client.get(f"/publik/pekppp/{YEAR}/12.05/").content.decode()
    ipp = f"{data['government']['ipp']:.2f}"
    assert f"data-ipp>{ipp}<" in page
    assert f"data-category>{snapshot.category}" in page
    assert "data-f03>–<" in page  # no F-03 responses: no index, no composite
    assert "data-composite>–<" in page
    assert "data-provisional" in page  # the bands of pekppp-2024 are provisional
    assert "sementara" in page
    dinsos = page.split('data-unit="dinsos"')[1].split("</tr>")[0]
    assert "data-unit-ipp>4.00" in dinsos
    disdukcapil = page.split('data-unit="disdukcapil"')[1].split("</tr>")[0]
    assert "data-unit-ipp>3.00" in disdukcapil
    assert snapshot.checksum in page
    # the per-aspect scores of each lokus
    first_dimension = next(iter(data["units"][0]["dimensions"]))
    assert f'<th class="text-end">{first_dimension}</th>' in page


def test_the_year_ranks_within_peer_groups(client, pekppp, langkat, labuhanbatu, national_admin):
    _publish(pekppp, langkat, national_admin)
    low = _publish(pekppp, labuhanbatu, national_admin)
    page = client.get(f"/publik/pekppp/{YEAR}/").content.decode()
    table = page.split('data-group="kabupaten"')[1].split("</table>")[0]
    ranks = re.findall(r'data-government="([\d.]+)" data-rank="(\d+)"', table)
    assert ranks == [("12.05", "1"), ("12.10", "2")]
    assert f"/publik/pekppp/{YEAR}/12.10/" in table
    assert f"data-ipp>{low.score:.2f}" in table
    assert 'data-group="provinsi"' not in page.split('id="published"')[0]


def test_a_new_publication_shows_at_once_on_the_cached_pages(
    client, pekppp, langkat, labuhanbatu, national_admin
):
    _publish(pekppp, langkat, national_admin)
    before = client.get(f"/publik/pekppp/{YEAR}/").content.decode()
    assert 'data-government="12.10"' not in before.split('id="published"')[0]
    assert client.get(f"/publik/pekppp/{YEAR}/12.10/").status_code == 404
    _publish(pekppp, labuhanbatu, national_admin)
    after = client.get(f"/publik/pekppp/{YEAR}/").content.decode()
    assert 'data-government="12.10" data-rank="2"' in after
    assert client.get(f"/publik/pekppp/{YEAR}/12.10/").status_code == 200


def test_the_ombudsman_pages_are_unchanged_and_link_to_pekppp(
    client, pekppp, langkat, national_admin
):
    load_published_results()
    ombudsman_before = client.get(f"/publik/{YEAR}/").content.decode()
    _publish(pekppp, langkat, national_admin)
    cache.clear()
    ombudsman = client.get(f"/publik/{YEAR}/").content.decode()
    token = re.compile(r'CSRFToken": "\w+"|csrfmiddlewaretoken" value="\w+"')
    assert token.sub("", ombudsman) == token.sub("", ombudsman_before)
    assert f'href="/publik/pekppp/{YEAR}/" data-pekppp-link' in ombudsman
    assert client.get(f"/publik/{YEAR}/12.05/").status_code == 404  # no Ombudsman result
    # the PEKPPP page links back to the Ombudsman's year
    assert f"/publik/{YEAR}/#published" in client.get(f"/publik/pekppp/{YEAR}/").content.decode()
    trend = client.get("/publik/governments/12.05/").content.decode()
    assert f'href="/publik/pekppp/{YEAR}/12.05/"' in trend
    found = client.get("/publik/?q=Langkat").content.decode()
    assert f'href="/publik/pekppp/{YEAR}/12.05/"' in found
    assert "data-pekppp-years" in found


def test_the_ombudsman_result_page_links_the_same_years_pekppp_result(
    client, pekppp, langkat, national_admin
):
    ombudsman = ResultSnapshot.objects.filter(
        published_at__isnull=False, cycle__program=Program.OMBUDSMAN
    ).select_related("cycle", "government")
    snapshot = ombudsman.filter(government=langkat).order_by("-cycle__year").first()
    assert snapshot is not None
    url = f"/publik/{snapshot.cycle.year}/12.05/"
    assert "data-pekppp-link" not in client.get(url).content.decode()
    # a PEKPPP result of Langkat published for that same year (the cycle moved to it)
    Cycle.objects.filter(pk=pekppp.pk).update(year=snapshot.cycle.year)
    pekppp.refresh_from_db()
    _publish(pekppp, langkat, national_admin)
    page = client.get(url).content.decode()
    assert f'href="/publik/pekppp/{snapshot.cycle.year}/12.05/"' in page
    assert client.get(f"/publik/pekppp/{snapshot.cycle.year}/12.05/").status_code == 200


def test_the_api_names_each_cycles_program(login, pekppp, national_admin):
    response = login(national_admin).get("/api/v1/cycles/?page_size=100")
    assert response.status_code == 200
    rows = response.json()["results"]
    programs = {row["id"]: row["program"] for row in rows}
    assert programs[pekppp.pk] == "pekppp"
    assert "ombudsman" in programs.values()
    assert set(rows[0]) == {
        "id",
        "url",
        "year",
        "name",
        "instrument_code",
        "program",
        "province",
        "is_synthetic",
        "stages",
    }


def test_synthetic_results_are_labelled(client, pekppp, langkat, national_admin):
    Cycle.objects.filter(pk=pekppp.pk).update(is_synthetic=True)
    _publish(pekppp, langkat, national_admin)
    section = client.get(f"/publik/pekppp/{YEAR}/").content.decode().split("data-cycle=")[1]
    assert "Data sintetis" in section.split("</p>")[0]
    page = client.get(f"/publik/pekppp/{YEAR}/12.05/").content.decode()
    assert "Data sintetis" in page.split("</h1>")[1].split("</div>")[0]


def test_the_cached_pages_read_a_fixed_number_of_queries(
    client, pekppp, langkat, labuhanbatu, national_admin, django_assert_max_num_queries
):
    _publish(pekppp, langkat, national_admin)
    _publish(pekppp, labuhanbatu, national_admin)
    for url in (f"/publik/pekppp/{YEAR}/", f"/publik/pekppp/{YEAR}/12.05/"):
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200


def test_the_pages_read_from_the_replica(client, monkeypatch):
    from contextlib import contextmanager

    from patuh.core import replicas

    entered = []
    original = replicas.replica_reads

    @contextmanager
    def recording():
        entered.append(True)
        with original():
            yield

    monkeypatch.setattr(replicas, "replica_reads", recording)
    for url in (f"/publik/pekppp/{YEAR}/", f"/publik/pekppp/{YEAR}/12.05/"):
        entered.clear()
        client.get(url)
        assert entered, url


def test_the_pages_carry_no_inline_code(client, pekppp, langkat, labuhanbatu, national_admin):
    from test_web_hardening import _inline_code

    load_published_results()
    _publish(pekppp, langkat, national_admin)
    for url in (f"/publik/pekppp/{YEAR}/", f"/publik/pekppp/{YEAR}/12.05/"):
        response = client.get(url)
        assert response.status_code == 200
        problems, _ = _inline_code(response.content.decode())
        assert problems == [], url
