"""A PEKPPP cycle's outputs: the result sheet PDF (instead of the Ombudsman rapor), the results
workbook's government and unit sheets, and the API's PEKPPP figures — each equal to the IPP,
F-03 index and composite worked out by hand, with the provisional flags shown.

Langkat's Dinas Sosial and Disdukcapil, scored by hand with the instrument's weights (aspect
weights KP 24, SDM 25, SP 18, SI 11, KS 10, INV 12; an aspect whose indicators all have the
same level scores that level):

- dinsos: KP 5, SDM 4, SP 3, SI 2, KS 4, INV 1, so IPP = (120 + 100 + 54 + 22 + 40 + 12) / 100
  = 3.48 (B-); INF-01 answered 3 and not counted. F-03: respondents with means 4 and 3, index
  3.5; composite 0.75 × 3.48 + 0.25 × 3.5 = 3.485, rounded half-up 3.49 (B-).
- disdukcapil: every indicator 4 except KP-01 (weight 17 in KP) at 2 and INV-01 (50 in INV)
  at 0: KP = 4 − 2 × 0.17 = 3.66, INV = 2, IPP = (24 × 3.66 + 100 + 72 + 44 + 40 + 24) / 100
  = 3.6784 (B). F-03: one respondent at 5; composite 0.75 × 3.6784 + 1.25 = 4.0088 (A-).
- Langkat: IPP (3.48 + 3.6784) / 2 = 3.5792 → 3.58 (B, Baik); F-03 (3.5 + 5) / 2 = 4.25;
  composite 0.75 × 3.5792 + 0.25 × 4.25 = 3.7469 → 3.75 (B).
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from itertools import zip_longest

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from patuh.api.tokens import create_token
from patuh.assessments.models import Assessment, AssessmentKind, Cycle
from patuh.assessments.services import record_answer, score_pekppp
from patuh.commands import add_pekppp_json, dumps_with_decimals, result_to_json
from patuh.orgs.models import Government
from patuh.reports import jobs
from patuh.reports.export import SHEETS, write_csv, write_workbook
from patuh.reports.models import JobStatus
from patuh.reports.pekppp import is_pekppp
from patuh.reports.rapor import rapor_filename, render_rapor_html, render_rapor_pdf
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument
from patuh.surveys import services as survey_services
from patuh.surveys.models import SurveyKind, SurveyResponse

pytestmark = pytest.mark.django_db

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)

ITEMS = [f"F3-{n:02d}" for n in range(1, 15)]
DINSOS_ASPECTS = {"KP": 5, "SDM": 4, "SP": 3, "SI": 2, "KS": 4, "INV": 1}
IPP_DINSOS = Decimal("3.48")
IPP_DISDUKCAPIL = Decimal("3.6784")
IPP_LANGKAT = (IPP_DINSOS + IPP_DISDUKCAPIL) / 2  # 3.5792
F03_DINSOS, F03_DISDUKCAPIL = Decimal("3.5"), Decimal(5)
F03_LANGKAT = (F03_DINSOS + F03_DISDUKCAPIL) / 2  # 4.25
COMPOSITE_DINSOS = Decimal("0.75") * IPP_DINSOS + Decimal("0.25") * F03_DINSOS  # 3.485
COMPOSITE_DISDUKCAPIL = Decimal("0.75") * IPP_DISDUKCAPIL + Decimal("0.25") * F03_DISDUKCAPIL
COMPOSITE_LANGKAT = Decimal("0.75") * IPP_LANGKAT + Decimal("0.25") * F03_LANGKAT  # 3.7469


def _answer_f03(unit, cycle, respondents):
    for values in respondents:
        survey_services.submit(
            unit, cycle, SurveyKind.F03, dict(zip(ITEMS, values, strict=True)), {}
        )


@pytest.fixture
def pekppp(sumut, langkat, assessor) -> Cycle:
    """A PEKPPP 2024 cycle for North Sumatra: Langkat's dinsos and disdukcapil, answered as
    in the module's docstring, with their F-03 respondents."""
    # a PEKPPP 2024 cycle of North Sumatra already there (the demo's) gives way to this one
    Cycle.objects.filter(year=2024, province=sumut, instrument_code__startswith="pekppp").delete()
    cycle = Cycle.objects.create(
        year=2024, name="PEKPPP 2024 uji", instrument_code="pekppp-2024", province=sumut
    )
    instrument = load_instrument(cycle.instrument_code)
    dinsos = langkat.units.get(code="dinsos")
    disdukcapil = langkat.units.get(code="disdukcapil")
    answers = {
        dinsos: {
            code: DINSOS_ASPECTS.get(ind.dimension_code, 3)
            for code, ind in instrument.indicators.items()
        },
        disdukcapil: {
            code: 4 for code, ind in instrument.indicators.items() if ind.dimension_code != "INF"
        }
        | {"KP-01": 2, "INV-01": 0},
    }
    for unit, values in answers.items():
        assessment = Assessment.objects.create(
            cycle=cycle, service_unit=unit, kind=AssessmentKind.OFFICIAL
        )
        for code, value in values.items():
            record_answer(assessment, code, value, assessor)
    _answer_f03(dinsos, cycle, [[4] * 14, [3] * 14])
    _answer_f03(disdukcapil, cycle, [[5] * 14])
    return cycle


def test_the_hand_computation_is_what_the_core_scores(pekppp, langkat):
    parts = score_pekppp(pekppp, langkat)
    units = {unit.code: unit for unit in parts.ipp.units}
    assert units["dinsos"].score == IPP_DINSOS
    assert units["disdukcapil"].score == IPP_DISDUKCAPIL
    assert parts.ipp.score == IPP_LANGKAT
    assert parts.units["dinsos"].composite == COMPOSITE_DINSOS
    assert parts.government.f03 == F03_LANGKAT
    assert abs(parts.government.composite - COMPOSITE_LANGKAT) < Decimal("1e-20")
    assert is_pekppp(parts.instrument)
    assert not is_pekppp(load_instrument("ombudsman-2023"))
    assert not is_pekppp(load_instrument("opini-2025"))


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "lembar.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@needs_poppler
def test_the_result_sheet_pdf_shows_the_ipp_f03_composite_and_what_to_improve(
    pekppp, langkat, tmp_path
):
    pdf = render_rapor_pdf(pekppp, langkat)
    assert pdf.startswith(b"%PDF")
    text = _pdf_text(pdf, tmp_path)
    flat = " ".join(text.split())
    assert "Lembar hasil PEKPPP" in text
    assert "Rapor Penilaian Penyelenggaraan Pelayanan Publik" not in text  # not the rapor
    assert "3.58" in text  # the government's IPP, by hand 3.5792
    assert "B — Baik" in flat  # its category and label
    assert "4.25" in text  # F-03
    assert "3.75 (B)" in flat  # composite and its category
    # per unit: the IPP, category, F-03, respondents, composite
    for line in ("Dinas Sosial", "Disdukcapil"):
        assert any(line.lower() in row.lower() for row in text.splitlines())
    assert "3.48*" in flat
    assert "3.68*" in flat
    assert "3.49*" in flat  # dinsos composite 3.485 rounded half-up
    assert "4.01*" in flat  # disdukcapil composite
    assert "sementara" in text
    # the sources of the provisional notes
    assert "brayenid/pekppp-guide" in flat
    assert "Kota Madiun" in flat  # the aggregation note
    # what to improve: disdukcapil's lowest indicators with their level descriptors
    assert "INV-01" in text
    assert "KP-01" in text
    rubric = load_instrument("pekppp-2024").indicators["KP-01"].rubric
    assert rubric[3][:30] in flat  # KP-01's next level after 2
    # INF-01 shown, not counted
    assert "tidak dihitung dalam IPP" in flat
    assert "INF-01" in text
    # generation date and instrument version and checksum
    instrument = load_instrument("pekppp-2024")
    assert f"versi {instrument.version}" in flat
    assert instrument.source_sha256 in flat.replace(" ", "")
    assert "Dibuat" in text
    assert "DRAF" in text
    assert "Data sintetis" not in text


def test_the_sheet_lists_lowest_indicators_in_order_and_labels_synthetic_data(pekppp, langkat):
    html = render_rapor_html(pekppp, langkat)
    block = html[html.index('data-lowest="disdukcapil"') :]
    block = block[: block.index("</div>")]
    codes = [part.split('"')[0] for part in block.split('data-indicator="')[1:]]
    assert codes[:2] == ["INV-01", "KP-01"]  # 0 then 2; the rest are at 4
    assert 'data-not-counted="INF-01"' in block
    assert "belum diisi" in block.split('data-not-counted="INF-01"')[1]
    dinsos = html[html.index('data-lowest="dinsos"') :]
    assert dinsos[: dinsos.index("</div>")].split('data-indicator="')[1].startswith("INV-")
    assert "Data sintetis" not in html
    Assessment.objects.filter(cycle=pekppp).update(is_synthetic=True)
    assert 'id="sheet-synthetic"' in render_rapor_html(pekppp, langkat)


def test_the_sheet_and_workbook_are_downloaded_with_the_rapors_access(
    pekppp, langkat, login, coordinator, operator, outsider, tmp_path
):
    url = "/pekppp/2024/governments/12.05/rapor.pdf"
    response = login(coordinator).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "pekppp-12.05-2024.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    assert login(operator).get(url).status_code == 403  # sees one unit, not the government
    assert login(outsider).get(url).status_code == 404  # another government's
    assert login(coordinator).get("/pekppp/2023/governments/12.05/rapor.pdf").status_code == 404
    assert rapor_filename(pekppp, langkat) == "pekppp-12.05-2024.pdf"

    workbook = login(coordinator).get("/pekppp/2024/export.xlsx")
    assert workbook.status_code == 200
    assert "hasil-pekppp-2024.xlsx" in workbook["Content-Disposition"]
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(b"".join(workbook.streaming_content))
    rows = list(load_workbook(path, read_only=True)["Pemerintah"].iter_rows(values_only=True))
    assert rows[0][3] == "IPP"
    assert [row[0] for row in rows[1:]] == ["12.05"]
    shown = login(outsider).get("/pekppp/2024/export.xlsx")
    path.write_bytes(b"".join(shown.streaming_content))
    rows = list(load_workbook(path, read_only=True)["Pemerintah"].iter_rows(values_only=True))
    assert rows[1:] == []  # Labuhanbatu's coordinator: Langkat left out


def test_the_workbook_has_the_pekppp_columns_and_no_ombudsman_ones(pekppp, langkat, tmp_path):
    workbook = load_workbook(write_workbook(pekppp, tmp_path / "hasil.xlsx"), read_only=True)
    assert workbook.sheetnames == list(SHEETS)
    header, *rows = list(workbook["Pemerintah"].iter_rows(values_only=True))
    assert header[:11] == (
        "kode",
        "pemerintah",
        "jenis",
        "IPP",
        "kategori",
        "label",
        "F-03",
        "komposit",
        "kategori komposit",
        "jumlah responden F-03",
        "bagian sementara",
    )
    for absent in ("zona", "opini", "kepatuhan", "penghargaan", "label kualitas"):
        assert absent not in header
    (row,) = rows
    values = dict(zip(header, row, strict=True))
    assert values["kode"] == "12.05"
    assert values["IPP"] == pytest.approx(3.58)
    assert (values["kategori"], values["label"]) == ("B", "Baik")
    assert values["F-03"] == pytest.approx(4.25)
    assert values["komposit"] == pytest.approx(3.75)
    assert values["kategori komposit"] == "B"
    assert values["jumlah responden F-03"] == 3
    assert "IPP" in values["bagian sementara"]
    assert "F-03" in values["bagian sementara"]

    header, *rows = list(workbook["Unit"].iter_rows(values_only=True))
    assert "zona" not in header
    assert "label kualitas" not in header
    # read-only mode drops a row's empty cells at its end
    units = {row[1]: dict(zip_longest(header, row)) for row in rows}
    dinsos, disdukcapil = units["dinsos"], units["disdukcapil"]
    assert dinsos["IPP"] == pytest.approx(3.48)
    assert dinsos["kategori"] == "B-"
    assert dinsos["F-03"] == pytest.approx(3.5)
    assert dinsos["komposit"] == pytest.approx(3.49)  # 3.485, half-up
    assert dinsos["jumlah responden F-03"] == 2
    assert {code: dinsos[f"nilai {code}"] for code in DINSOS_ASPECTS} == pytest.approx(
        DINSOS_ASPECTS
    )
    assert "nilai INF" not in header
    assert dinsos["INF-01 (tidak dihitung)"] == 3
    assert disdukcapil["IPP"] == pytest.approx(3.68)
    assert disdukcapil["nilai KP"] == pytest.approx(3.66)
    assert disdukcapil["nilai INV"] == pytest.approx(2)
    assert disdukcapil["komposit"] == pytest.approx(4.01)
    assert disdukcapil["kategori komposit"] == "A-"
    assert disdukcapil["INF-01 (tidak dihitung)"] is None

    csv_text = write_csv(pekppp, tmp_path / "unit.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("kode pemerintah,kode unit,unit,jenis unit,IPP")


def test_hostile_names_stay_text_in_the_pekppp_workbook(pekppp, langkat, tmp_path):
    langkat.name = "=cmd|' /C calc'!A0"
    langkat.save(update_fields=["name"])
    unit = langkat.units.get(code="dinsos")
    unit.name = "@SUM(1+1)"
    unit.save(update_fields=["name"])
    workbook = load_workbook(write_workbook(pekppp, tmp_path / "hasil.xlsx"))
    for title in ("Pemerintah", "Unit"):
        cells = [cell for row in workbook[title].iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        texts = [cell.value for cell in cells if isinstance(cell.value, str)]
        assert "'=cmd|' /C calc'!A0" in texts or "'@SUM(1+1)" in texts
        assert not [text for text in texts if text[:1] in "=@+-"]


def _api(user) -> APIClient:
    client = APIClient()
    token = create_token(user, actor=None, name="uji pekppp")
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_the_api_result_carries_the_pekppp_figures(pekppp, verifier):
    assessment = Assessment.objects.get(cycle=pekppp, service_unit__code="dinsos")
    data = _api(verifier).get(f"/api/v1/assessments/{assessment.pk}/result/").json()
    unit, government = data["unit"]["pekppp"], data["government"]["pekppp"]
    assert unit == {
        "ipp": "3.48",
        "ipp_category": "B-",
        "ipp_label": "Baik (Dengan Catatan)",
        "f03": "3.50",
        "f03_respondents": 2,
        "composite": "3.49",
        "composite_category": "B-",
        "provisional": {
            "ipp": True,
            "category": True,
            "f03": True,
            "composite": True,
            "composite_category": True,
        },
    }
    assert government["ipp"] == "3.58"
    assert abs(Decimal(government["ipp"]) - IPP_LANGKAT) < Decimal("0.01")
    assert (government["ipp_category"], government["ipp_label"]) == ("B", "Baik")
    assert (government["f03"], government["f03_respondents"]) == ("4.25", 3)
    assert (government["composite"], government["composite_category"]) == ("3.75", "B")
    assert data["government"]["score"] == "3.58"  # existing keys as they were


def test_an_ombudsman_result_has_no_pekppp_figures(verifier, langkat_dinkes_2023):
    data = _api(verifier).get(f"/api/v1/assessments/{langkat_dinkes_2023.pk}/result/").json()
    assert data["unit"]["pekppp"] is None
    assert data["government"]["pekppp"] is None
    assert data["unit"]["zone"] is not None  # the Ombudsman keys unchanged


def test_a_published_pekppp_snapshot_shows_its_figures(pekppp, langkat, verifier):
    parts = score_pekppp(pekppp, langkat)
    data = result_to_json(parts.ipp)
    add_pekppp_json(data, parts)  # what a PEKPPP snapshot's payload holds
    payload = dumps_with_decimals({**data, "answers": {}})
    result = parts.ipp
    snapshot = ResultSnapshot.objects.create(
        cycle=pekppp,
        government=langkat,
        instrument_code=result.instrument.code,
        instrument_version=result.instrument.version,
        score=result.rounded,
        category=result.band.category,
        opinion=result.opinion,
        payload=payload,
        checksum="0" * 64,
        published_at="2025-01-31T00:00:00Z",
    )
    shown = APIClient().get(f"/api/v1/results/{snapshot.pk}/").json()
    government = shown["government_result"]["pekppp"]
    assert (government["ipp"], government["f03"], government["composite"]) == (
        "3.58",
        "4.25",
        "3.75",
    )
    assert government["provisional"]["composite"] is True
    units = {unit["code"]: unit["pekppp"] for unit in shown["units"]}
    assert units["disdukcapil"]["composite"] == "4.01"
    assert units["disdukcapil"]["composite_category"] == "A-"
    assert units["dinsos"]["f03_respondents"] == 2
    assert json.loads(payload)["government"]["ipp"] == pytest.approx(3.58)


def test_a_rapor_batch_of_a_pekppp_cycle_holds_result_sheets(
    pekppp, verifier, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        jobs, "governments_of", lambda job: Government.objects.filter(region_code="12.05")
    )
    job = jobs.queue_rapor_batch(pekppp, None, actor=verifier)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    with job.file.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert archive.namelist() == ["pekppp-12.05-2024.pdf"]
    assert archive.read("pekppp-12.05-2024.pdf").startswith(b"%PDF")


def test_a_unit_without_f03_respondents_leaves_the_f03_figures_empty(pekppp, langkat, verifier):
    for response in SurveyResponse.objects.filter(cycle=pekppp, unit__code="disdukcapil"):
        survey_services.void(response, actor=verifier, reason="uji")
    html = render_rapor_html(pekppp, langkat)
    assert 'id="sheet-f03">–<' in html  # the government's F-03 needs every unit's
    assert 'id="sheet-composite">–<' in html
    assert 'id="sheet-ipp">3.58<' in html  # the IPP does not depend on F-03
    row = html[html.index('data-unit="disdukcapil"') :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">0</td>' in row  # no respondents, no F-03, no composite
    assert "4.01" not in row
    assessment = Assessment.objects.get(cycle=pekppp, service_unit__code="disdukcapil")
    data = _api(verifier).get(f"/api/v1/assessments/{assessment.pk}/result/").json()
    unit = data["unit"]["pekppp"]
    assert (unit["f03"], unit["f03_respondents"], unit["composite"]) == (None, 0, None)
    assert unit["provisional"]["f03"] is False  # nothing shown, nothing flagged
    assert data["government"]["pekppp"]["f03"] is None
    assert data["government"]["pekppp"]["ipp"] == "3.58"
