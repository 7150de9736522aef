"""A 2025+ result (instrument ``opini-2025``) on every page that shows a result: score,
quality-of-service label, opinion, award, the government-level elements with each figure and
the compliance level, each flagged provisional where its rule is; never a zone. A 2023
result keeps its zone."""

from __future__ import annotations

import csv
import itertools
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from patuh.api.tokens import create_token
from patuh.assessments.models import Answer, Assessment, AssessmentStatus, Cycle
from patuh.assessments.services import score_assessments
from patuh.reports.export import rows, write_csv
from patuh.reports.rapor import render_rapor_html
from patuh.results.services import publish_snapshot
from patuh.scoring import load_instrument

INSTRUMENT = "opini-2025"
GOVERNMENT_URL = "/cycles/2025/governments/12.05/"
TOKENS = itertools.count()
ZONE_MARKS = (
    ">Zona<",
    ">Zona:",
    "Sebaran zona",
    "data-zone",
    "data-published-zone",
    "· Hijau",
    "· Kuning",
    "· Merah",
    "· Hitam",
    "zone-",
)
"""How a page shows a zone: a header or label, a badge, a zone chart (the zones note and
the provisional notes may still say in prose why there are none)."""


def _no_zone(text: str) -> None:
    for mark in ZONE_MARKS:
        assert mark not in text, f"{mark!r}: a zone shown for a result without zones"


@pytest.fixture
def cycle_2025(sumut, langkat, verifier) -> Cycle:
    """Langkat assessed with opini-2025: three units answering 2 of 3 on every indicator
    that applies, final; no government-level answers yet (the figures count as missing)."""
    instrument = load_instrument(INSTRUMENT)
    cycle = Cycle.objects.create(
        year=2025,
        name="Penilaian Maladministrasi 2025",
        instrument_code=INSTRUMENT,
        province=sumut,
    )
    for unit in langkat.units.order_by("code")[:3]:
        assessment = Assessment.objects.create(
            cycle=cycle, service_unit=unit, kind="official", status=AssessmentStatus.FINAL
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, indicator_code=code, value=2)
            for code, indicator in instrument.indicators.items()
            if indicator.applies_to_unit_type(unit.type)
        )
    return cycle


@pytest.fixture
def published_2025(cycle_2025, langkat, verifier):
    return publish_snapshot(cycle_2025, langkat, actor=verifier)


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = create_token(user, actor=None, name=f"uji 2025 {next(TOKENS)}")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _shows_the_layers(html: str) -> None:
    """The 2025 layers block: quality label, opinion, award, compliance, every element and
    figure (all missing here), each provisional rule flagged."""
    assert "data-result-layers" in html
    assert "Cukup" in html or "Kurang" in html or "Baik" in html
    assert "Opini Ombudsman RI" in html
    for code in ("OU", "KM"):
        assert f'data-element="{code}"' in html
    for code in ("OU-IPP", "OU-IPM", "OU-SPM", "OU-RPJMD", "KM-IKM"):
        assert f'data-figure="{code}"' in html
    assert "data-figure-missing" in html
    for part in ("compliance", "award", "OU", "KM"):
        assert f'data-provisional="{part}"' in html


def test_the_government_page_shows_the_layers_and_no_zone(login, verifier, cycle_2025, langkat):
    response = login(verifier).get(f"/cycles/2025/governments/{langkat.region_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-result-layers" in html
    assert "data-quality-label" in html
    assert "Kualitas Pelayanan".lower() in html.lower()
    for code in ("OU", "KM", "OU-IPP", "OU-IPM", "OU-SPM", "OU-RPJMD", "KM-IKM"):
        assert f'data-figure="{code}"' in html or f'data-element="{code}"' in html
    assert "data-figure-missing" in html
    assert 'data-provisional="compliance"' in html
    assert 'data-provisional="award"' in html
    assert "Opini Ombudsman RI" in html
    result = response.context["result"]
    assert result.band.zone is None
    assert result.quality_label in html
    assert result.opinion in html
    _no_zone(html)


def test_the_government_page_leaves_the_government_elements_out_of_the_plan(
    login, verifier, cycle_2025
):
    html = login(verifier).get(GOVERNMENT_URL).content.decode()
    assert "data-what-if-units-only" in html
    _shows_the_layers(html)


def test_the_workspace_panel_shows_the_government_layers(login, verifier, cycle_2025, langkat):
    assessment = Assessment.objects.filter(
        cycle=cycle_2025, service_unit__government=langkat
    ).first()
    html = login(verifier).get(f"/assessments/{assessment.pk}/result/").content.decode()
    assert "data-result-layers" in html
    assert "data-no-zone" in html  # the category badge carries the quality label instead
    assert 'data-element="OU"' in html
    assert 'data-element="KM"' in html
    assert 'data-provisional="award"' in html
    assert "data-figure-missing" not in html  # compact: element scores only
    _no_zone(html)
    page = login(verifier).get(f"/assessments/{assessment.pk}/").content.decode()
    assert "data-result-layers" in page
    _no_zone(page)


def test_the_cycle_and_readiness_pages_show_the_quality_label_not_a_zone(
    login, verifier, cycle_2025, langkat
):
    result = login(verifier).get(GOVERNMENT_URL).context["result"]
    cycle_page = login(verifier).get("/cycles/2025/").content.decode()
    assert "Kualitas pelayanan" in cycle_page
    assert f"<td data-quality-label>{result.quality_label}</td>" in cycle_page
    assert "data-award" in cycle_page
    _no_zone(cycle_page)
    readiness = login(verifier).get(f"{GOVERNMENT_URL}readiness/").content.decode()
    assert f"{result.band.category} · {result.quality_label}" in readiness
    assert 'data-element="KM"' in readiness
    assert 'data-provisional="compliance"' in readiness
    _no_zone(readiness)


def test_the_public_pages_show_the_published_layers(client, published_2025):
    html = client.get("/publik/2025/12.05/").content.decode()
    _shows_the_layers(html)
    assert "data-quality-label" in html
    assert published_2025.opinion in html
    assert "Bobot dan aturan sementara." in html
    _no_zone(html)
    ranking = client.get("/publik/2025/").content.decode()
    assert "Kualitas pelayanan" in ranking
    assert published_2025.opinion in ranking
    _no_zone(ranking.split('id="published"')[0])
    trend = client.get("/publik/governments/12.05/").content.decode()
    assert "/publik/2025/12.05/" in trend
    assert "data-quality-label" in trend
    assert "zona " not in trend.split("2025")[-1].split("</tr>")[0]
    search = client.get("/publik/?q=Langkat").content.decode()
    assert "2025:" in search


def test_the_cycle_dashboard_counts_quality_labels_not_zones(login, verifier, published_2025):
    html = login(verifier).get("/dashboard/2025/").content.decode()
    assert "Sebaran kualitas pelayanan" in html
    assert "data-quality-label" in html
    _no_zone(html.split("data-published-note")[0])


def test_the_rapor_shows_the_layers_and_no_zone(cycle_2025, langkat):
    html = render_rapor_html(cycle_2025, langkat)
    result = load_instrument(INSTRUMENT)
    assert 'id="rapor-quality-label"' in html
    assert 'id="rapor-compliance"' in html
    assert "belum diisi" in html
    assert 'id="rapor-award"' in html
    assert "Opini Ombudsman RI" in html
    assert 'id="rapor-elements"' in html
    for code in result.government_indicators:
        assert f'data-figure="{code}"' in html
    assert 'id="rapor-provisional-parts"' in html
    assert 'id="rapor-without-zones"' in html
    body = html.split("<body>")[1]
    assert ">Zona<" not in body
    assert 'class="zone ' not in body


def test_the_rapor_pdf_downloads(login, verifier, cycle_2025):
    response = login(verifier).get(f"{GOVERNMENT_URL}rapor.pdf")
    assert response.status_code == 200
    assert (
        b"".join(response.streaming_content if response.streaming else [response.content])[:4]
        == b"%PDF"
    )


def test_the_export_has_the_layers_and_an_empty_zone(cycle_2025, langkat, tmp_path):
    sheets = rows(cycle_2025)
    governments = list(sheets["Pemerintah"])
    header, cells = governments[0], next(r for r in governments[1:] if r[0] == "12.05")
    row = dict(zip(header, cells, strict=True))
    assert row["zona"] is None
    assert row["label kualitas"] in {"Sangat Baik", "Baik", "Cukup", "Kurang"}
    assert row["opini"].startswith("Kualitas ")
    assert row["penghargaan"] == ""  # not Kualitas Tertinggi
    assert row["nilai bagian unit"] > row["nilai"]  # the missing figures pull it down
    assert row["nilai OU"] == 0
    assert row["nilai KM"] == 0
    # the level the recorded Ombudsman products make (Langkat has some not followed up)
    result = score_assessments(cycle_2025, langkat)
    assert row["kepatuhan"] == (result.compliance.label if result.compliance else None)
    units = list(sheets["Unit"])
    assert units[0][-1] == "label kualitas"
    assert all(unit[6] is None and unit[7] for unit in units[1:])
    path = write_csv(cycle_2025, tmp_path / "pemerintah.csv", sheet="Pemerintah")
    with path.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert table[0]["zona"] == ""
    assert table[0]["label kualitas"] == row["label kualitas"]


def test_the_api_result_has_the_layers_and_a_null_zone(verifier, cycle_2025, langkat):
    assessment = Assessment.objects.filter(
        cycle=cycle_2025, service_unit__government=langkat
    ).first()
    data = _api(verifier).get(f"/api/v1/assessments/{assessment.pk}/result/").json()
    government = data["government"]
    assert government["zone"] is None
    assert data["unit"]["zone"] is None
    assert data["unit"]["quality_label"]
    assert government["quality_label"]
    assert government["opinion"].startswith("Kualitas ")
    assert government["award"] == {
        "name": "Opini Ombudsman RI",
        "awarded": False,
        "categories": ["A"],
        "provisional": True,
    }
    assert Decimal(government["units_score"]) > Decimal(government["score"])
    assert [e["code"] for e in government["elements"]] == ["OU", "KM"]
    figure = government["elements"][0]["indicators"][0]
    assert figure["status"] == "missing"
    assert figure["value"] is None
    live = score_assessments(cycle_2025, langkat)
    assert government["compliance"]["level"] == (live.compliance.code if live.compliance else None)
    assert government["compliance"]["provisional"] is True
    summary = _api(verifier).get(f"/api/v1/assessments/{assessment.pk}/").json()["summary"]
    assert summary["government_zone"] is None
    assert summary["government_quality_label"]


def test_the_public_api_has_the_layers_and_a_null_zone(db, published_2025):
    listed = _api().get("/api/v1/results/?cycle=2025").json()
    item = next(r for r in listed["results"] if r["government"] == "12.05")
    assert item["zone"] is None or item["zone"] == ""
    assert item["quality_label"]
    assert item["award"]["name"] == "Opini Ombudsman RI"
    detail = _api().get(f"/api/v1/results/{published_2025.pk}/").json()
    government = detail["government_result"]
    assert government["zone"] is None
    assert government["quality_label"] == item["quality_label"]
    assert [e["code"] for e in government["elements"]] == ["OU", "KM"]
    assert government["units_score"] is not None
    assert government["compliance"] is not None
    assert all(unit["quality_label"] for unit in detail["units"])
    ranking = _api().get("/api/v1/rankings/2025/").json()
    entry = ranking["sections"][0]["groups"][0]["entries"][0]
    assert entry["zone"] is None
    assert entry["quality_label"] == item["quality_label"]
    assert entry["opinion"] == published_2025.opinion
    assert entry["award"]["awarded"] is False


# -- a year with zones keeps them ------------------------------------------------------------


def test_a_2023_result_still_shows_its_zone(login, verifier, cycle_2023, langkat):
    html = login(verifier).get("/cycles/2023/governments/12.05/").content.decode()
    assert ">Zona<" in html
    assert "data-result-layers" not in html
    result = login(verifier).get("/cycles/2023/governments/12.05/").context["result"]
    assert f"· {result.band.zone.capitalize()}" in html
    cycle_page = login(verifier).get("/cycles/2023/").content.decode()
    assert ">Zona<" in cycle_page
    rapor = render_rapor_html(cycle_2023, langkat)
    assert ">Zona<" in rapor
    assert f"zone-{result.band.zone}" in rapor.split("<body>")[1]
    header = next(iter(rows(cycle_2023)["Pemerintah"]))
    assert "zona" in header


def test_a_2023_published_result_still_shows_its_zone(client, cycle_2023, langkat, verifier):
    snapshot = publish_snapshot(cycle_2023, langkat, actor=verifier)
    html = client.get("/publik/2023/12.05/").content.decode()
    assert "data-zone" in html
    assert "data-result-layers" not in html
    ranking = client.get("/publik/2023/").content.decode()
    assert ">Zona<" in ranking
    detail = _api().get(f"/api/v1/results/{snapshot.pk}/").json()
    assert detail["zone"] == snapshot.zone != ""
    assert detail["government_result"]["elements"] == []
    assert detail["government_result"]["award"] is None


@pytest.fixture
def same_connection():
    """The WSGI app called in this process keeps the test's connection (see
    test_api_schemathesis.py)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_2025_api_responses_match_the_schema(verifier, published_2025, same_connection):
    """The schemathesis run sees only the demo's years; a 2025 result, with its elements,
    compliance and award, must match the schema too."""
    import schemathesis

    from patuh.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    assessment = Assessment.objects.filter(cycle=published_2025.cycle).first()
    token = create_token(verifier, actor=None, name="uji skema 2025")
    calls = [
        ("/api/v1/results/", {}, {"cycle": "2025"}),
        ("/api/v1/results/{id}/", {"id": published_2025.pk}, {}),
        ("/api/v1/rankings/{year}/", {"year": 2025}, {}),
        ("/api/v1/assessments/{id}/", {"id": assessment.pk}, {}),
        ("/api/v1/assessments/{id}/result/", {"id": assessment.pk}, {}),
    ]
    for path, parameters, query in calls:
        case = schema[path]["GET"].Case(
            path_parameters=parameters,
            query=query,
            headers={"Authorization": f"Token {token.key}"},
        )
        response = case.call()
        assert response.status_code == 200, path
        case.validate_response(response)


def test_a_recorded_figure_shows_with_its_year_and_source(login, verifier, cycle_2025, langkat):
    from patuh.assessments.government_data import record_government_answer

    record_government_answer(
        cycle_2025,
        langkat,
        "OU-IPM",
        "72.54",
        year=2024,
        source="BPS, Indeks Pembangunan Manusia 2024",
        actor=verifier,
    )
    html = login(verifier).get(GOVERNMENT_URL).content.decode()
    row = html.split('data-figure="OU-IPM"')[1].split("</tr>")[0]
    assert "72.54" in row
    assert "2024" in row
    assert "BPS, Indeks Pembangunan Manusia 2024" in row
    assert "data-figure-missing" not in row
    rapor = render_rapor_html(cycle_2025, langkat)
    row = rapor.split('data-figure="OU-IPM"')[1].split("</tr>")[0]
    assert "72.54" in row
    assert "2024" in row
    assert "BPS, Indeks Pembangunan Manusia 2024" in row
    snapshot = publish_snapshot(cycle_2025, langkat, actor=verifier)
    public = _api().get(f"/api/v1/results/{snapshot.pk}/").json()["government_result"]
    figure = next(f for f in public["elements"][0]["indicators"] if f["code"] == "OU-IPM")
    assert figure == {
        "code": "OU-IPM",
        "name": figure["name"],
        "status": "answered",
        "value": "72.54",
        "year": 2024,
        "source": "BPS, Indeks Pembangunan Manusia 2024",
        "points_lost": figure["points_lost"],
        "provisional": figure["provisional"],
    }
    assert Decimal(public["elements"][0]["score"]) > 0
    page = login(verifier).get("/publik/2025/12.05/").content.decode()
    assert "BPS, Indeks Pembangunan Manusia 2024" in page
