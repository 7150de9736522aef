"""The rapor PDF and the results workbook: they render, and their numbers equal the web page's."""

import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook
from PIL import Image

from patuh.assessments.services import score_assessments
from patuh.reports.export import SHEETS, write_workbook
from patuh.reports.rapor import render_rapor_html, render_rapor_pdf
from patuh.scoring import format_score

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


def _government_score_on_the_web_page(client) -> str:
    html = client.get("/cycles/2023/governments/12.05/").content.decode()
    return re.search(r"data-government-score>([\d.]+)<", html).group(1)


@needs_poppler
def test_the_langkat_2023_rapor_renders_and_agrees_with_the_page_and_the_workbook(
    cycle_2023, langkat, login, coordinator, tmp_path
):
    pdf = render_rapor_pdf(cycle_2023, langkat)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "rapor.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 3
    for page in pages:
        with Image.open(page) as image:
            low, high = image.convert("L").getextrema()
            assert (low, high) != (255, 255), f"{page.name} is blank"
            assert image.size[0] < image.size[1]  # portrait A4
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    result = score_assessments(cycle_2023, langkat)
    score = format_score(result.score)
    assert score == _government_score_on_the_web_page(login(coordinator))
    assert score in text
    assert result.opinion in text
    assert "DRAF" in text  # Langkat 2023 is at verification in the demo
    assert "Bobot dan aturan sementara." in text
    for unit in result.units:
        assert unit.name in text
        assert format_score(unit.score) in text
    workbook = load_workbook(write_workbook(cycle_2023, tmp_path / "hasil.xlsx"), read_only=True)
    assert workbook.sheetnames == list(SHEETS)
    governments = {row[0]: row for row in workbook["Pemerintah"].iter_rows(values_only=True)}
    assert f"{governments['12.05'][3]:.2f}" == score
    units = [row for row in workbook["Unit"].iter_rows(values_only=True) if row[0] == "12.05"]
    assert {row[1]: f"{row[4]:.2f}" for row in units} == {
        unit.code: format_score(unit.score) for unit in result.units
    }


@needs_poppler
def test_a_published_rapor_carries_the_snapshot_checksum(cycle_2022, labuhanbatu, tmp_path):
    from patuh.results.models import ResultSnapshot

    snapshot = ResultSnapshot.objects.current().get(cycle=cycle_2022, government=labuhanbatu)
    path = tmp_path / "rapor.pdf"
    path.write_bytes(render_rapor_pdf(cycle_2022, labuhanbatu))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert snapshot.checksum in text.replace("\n", "")
    assert "/publik/2022/12.10/" in text
    assert "DRAF" not in text


def test_the_report_command_writes_a_rapor_and_an_export(db, tmp_path, capsys):
    out = tmp_path / "langkat.pdf"
    call_command("report", "rapor", "--government", "12.05", "--cycle", "2023", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    csv_out = tmp_path / "unit.csv"
    call_command("report", "export", "--cycle", "2023", "--province", "12", "--out", str(csv_out))
    lines = csv_out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("kode pemerintah,kode unit")
    assert len(lines) == 1 + 33 * 7
    with pytest.raises(CommandError, match="tidak dikenal"):
        call_command("report", "rapor", "--government", "99.99", "--cycle", "2023", "--out", "x")
    with pytest.raises(CommandError, match=r"\.xlsx atau \.csv"):
        call_command("report", "export", "--cycle", "2023", "--out", str(tmp_path / "x.pdf"))


def test_downloads_follow_the_users_scope(login, coordinator, outsider, tmp_path):
    response = login(coordinator).get("/cycles/2023/governments/12.05/rapor.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert login(outsider).get("/cycles/2023/governments/12.05/rapor.pdf").status_code == 404
    workbook = login(outsider).get("/cycles/2023/export.xlsx")
    assert workbook.status_code == 200
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(b"".join(workbook.streaming_content))
    rows = list(load_workbook(path, read_only=True)["Pemerintah"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["12.10"]  # only Labuhanbatu, the outsider's own


def test_the_cycle_dashboard_counts_and_ranks_final_results(login, verifier):
    from patuh.results.models import ResultSnapshot

    html = login(verifier).get("/dashboard/2023/").content.decode()
    finals = ResultSnapshot.objects.current().filter(cycle__year=2023).count()
    assert f"{finals} pemerintah dengan hasil final; 1 masih draf" in html
    assert 'data-group="kabupaten"' in html
    assert "12.05" not in re.findall(r'data-government="([\d.]+)"', html)  # draft: not ranked


def test_dashboard_queries_do_not_grow_with_the_number_of_governments(login, verifier, outsider):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (verifier, outsider):  # 33 governments, then one
        client = login(user)
        client.get("/dashboard/2023/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/2023/").status_code == 200
        counts.append(len(queries))
    assert counts[0] <= counts[1] + 1  # the same plan whatever the number of governments
    assert counts[0] <= 14


def test_the_government_dashboard_shows_every_year_and_flags_instruments(
    login, outsider, django_assert_max_num_queries
):
    client = login(outsider)
    client.get("/dashboard/governments/12.10/")
    with django_assert_max_num_queries(24):
        html = client.get("/dashboard/governments/12.10/").content.decode()
    assert 'data-year="2022"' in html
    assert 'data-year="2023"' in html
    assert "data-instruments-differ" in html
    assert 'data-follow-up-year="2022"' in html
    assert login(outsider).get("/dashboard/governments/12.05/").status_code == 404


def test_the_unit_dashboard_lists_years_indicators_and_evidence(
    login,
    coordinator,
    outsider,
    assessor,
    langkat_dinkes,
    cycle_current,
    django_assert_max_num_queries,
):
    from patuh.assessments import evidence
    from patuh.assessments.models import Assessment

    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    evidence.add_link(official, "IN-S1", "https://example.org/sk", actor=assessor)
    client = login(coordinator)
    url = f"/dashboard/units/{langkat_dinkes.pk}/"
    client.get(url)
    with django_assert_max_num_queries(30):
        html = client.get(url).content.decode()
    assert 'id="unit-trend"' in html
    assert 'id="unit-surveys"' in html
    assert 'data-indicator="IN-S1"' in html
    assert "data-evidence-count>2" in html or "data-evidence-count>0" in html
    assert login(outsider).get(url).status_code == 404
    assert (
        f"/dashboard/units/{langkat_dinkes.pk}/"
        in client.get("/dashboard/governments/12.05/").content.decode()
    )


@pytest.mark.parametrize(
    "url", ["/cycles/2023/governments/12.05/", "/dashboard/governments/12.05/"]
)
def test_the_rapor_link_shows_only_to_those_who_may_download_it(login, coordinator, operator, url):
    # the rapor covers every unit; a unit operator sees only its own unit and is refused it
    assert "data-rapor-link" in login(coordinator).get(url).content.decode()
    assert "data-rapor-link" not in login(operator).get(url).content.decode()
    assert login(operator).get("/cycles/2023/governments/12.05/rapor.pdf").status_code == 403


def test_the_rapor_says_whether_the_certificate_is_given_without_changing_the_score(
    cycle_2023, langkat, regional_admin
):
    import datetime

    from patuh.followup import services as followup
    from patuh.followup.models import OmbudsmanProduct

    OmbudsmanProduct.objects.filter(government=langkat).delete()
    before = render_rapor_html(cycle_2023, langkat)
    assert 'data-certificate="not_determined"' in before
    product = followup.record_product(
        langkat,
        kind="suggestion",
        reference="LHA-0101/2023",
        issued_on=datetime.date(2023, 5, 2),
        subject="Perbaikan sarana pengaduan",
        actor=regional_admin,
    )
    withheld = render_rapor_html(cycle_2023, langkat)
    assert "Piagam ditahan: produk Ombudsman belum ditindaklanjuti tuntas" in withheld
    assert "Papua" in withheld  # the rule's source is printed under it
    followup.set_product_status(product, "followed_up", actor=regional_admin)
    awarded = render_rapor_html(cycle_2023, langkat)
    assert "Piagam: diberikan" in awarded
    score = re.search(r'id="rapor-score">([\d.]+)<', withheld).group(1)
    assert re.search(r'id="rapor-score">([\d.]+)<', awarded).group(1) == score
