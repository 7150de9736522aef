"""Published figures (what the Ombudsman RI and KemenPAN-RB published) on the public site and
the dashboards: shown apart from Patuh's own results, labelled "dipublikasikan", with their
source; a government's trend across years; province tables; a correction seen at once."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from test_web_hardening import _inline_code

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.results.models import PublishedResult, ResultSnapshot
from patuh.results.published import load_published_results
from patuh.results.services import source_links
from patuh.scoring.published import read_published

LABUHANBATU_SOURCE = "5 Daerah Sumut Masuk Zona Merah"


@pytest.fixture
def published(db) -> None:
    """The packaged figures in the database: the demo loads them; loading again is a no-op."""
    load_published_results()
    assert PublishedResult.objects.count() == len(read_published())


@pytest.fixture
def national_admin(db):
    user = get_user_model().objects.create_user("nadia.admin", password="rahasia-uji")
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


def _row(html: str, attribute: str, value: str) -> str:
    """The table row carrying ``attribute="value"`` (its opening tag to its end)."""
    start = html.index(f'{attribute}="{value}"')
    return html[html.rindex("<tr", 0, start) : html.index("</tr>", start)]


def _published_part(html: str) -> str:
    return html[html.index('id="published"') :]


def test_the_2022_page_shows_labuhanbatus_published_figure_with_its_source(client, published):
    html = client.get("/publik/2022/").content.decode()
    published_part = _published_part(html)
    assert "Hasil yang dipublikasikan" in published_part
    assert "tidak dihitung oleh Patuh" in published_part
    row = _row(published_part, "data-government", "12.10")
    assert "Kabupaten Labuhanbatu" in row
    assert "data-published-score>59.94<" in row
    assert "data-published-category>C<" in row
    assert LABUHANBATU_SOURCE in row
    assert 'href="https://mistar.id/"' in row  # a shortened address links to its host
    assert 'rel="noopener"' in row
    # Patuh's own ranking stays above, apart, with Patuh's own number for Labuhanbatu
    patuh = ResultSnapshot.objects.filter(
        cycle__year=2022, government__region_code="12.10", published_at__isnull=False
    ).latest("published_at")
    assert html.index('data-cycle="') < html.index('id="published"')
    assert "/publik/2022/12.10/" in row  # Patuh's result beside the published one
    assert f"{patuh.score:.2f}" in row


def test_the_ombudsman_comes_first_and_pekppp_units_and_polres_stand_apart(client, published):
    html = _published_part(client.get("/publik/2024/").content.decode())
    assert html.index('data-program="ombudsman"') < html.index('data-program="pekppp"')
    ombudsman = html[: html.index('data-program="pekppp"')]
    groups = re.findall(r'data-published-group="(\w+)"', ombudsman)
    assert groups == ["provinsi", "kabupaten", "kota", "unit"]
    assert "(terpisah dari pemerintah)" in ombudsman
    pekppp = html[html.index('data-program="pekppp"') :]
    assert "skala 0–5" in pekppp
    assert "Kota Madiun" in pekppp
    assert "Kota Madiun" not in ombudsman


@pytest.mark.parametrize("year", [2018, 2024])
def test_a_year_with_only_published_figures_has_a_page(client, published, year):
    assert not ResultSnapshot.objects.filter(cycle__year=year).exists()
    response = client.get(f"/publik/{year}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-cycle=" not in html  # no Patuh ranking
    assert "Hasil yang dipublikasikan" in html
    assert client.get("/publik/2019/").status_code == 404  # nothing published at all


def test_the_2018_page_lists_zones_as_published(client, published):
    html = _published_part(client.get("/publik/2018/").content.decode())
    row = _row(html, "data-government", "12.05")
    assert "96.53" in row
    assert "zona hijau" in row
    assert "data-published-category" not in row  # the zone, not a category letter


def test_the_province_filter_shows_that_provinces_governments_and_units(client, published):
    html = _published_part(client.get("/publik/2024/?provinsi=33").content.decode())
    assert "Kabupaten Rembang" in html
    assert "Puskesmas Pancur" in html  # a unit, through its parent government
    assert "Provinsi Jawa Tengah" in html
    assert "Kota Jayapura" not in html  # units of Papua
    assert "Kabupaten Langkat" not in html
    assert "Kota Ambon" not in html
    sumut = _published_part(client.get("/publik/2022/?provinsi=12").content.decode())
    assert "Kabupaten Labuhanbatu" in sumut
    assert "Polres Binjai" not in sumut  # no known province
    assert "Provinsi Jawa Tengah" not in sumut
    assert client.get("/publik/2022/?provinsi=99").status_code == 404


def test_the_province_table_shows_patuhs_result_beside_the_published_one(client, published):
    html = _published_part(client.get("/publik/2022/?provinsi=12").content.decode())
    langkat = _row(html, "data-government", "12.05")
    assert "87.80" in langkat
    assert "/publik/2022/12.05/" in langkat
    province = _row(html, "data-government", "12")
    assert "90.54" in province
    assert re.search(r"data-patuh>–<", province)  # Patuh has not assessed the province


def test_a_correction_shows_at_once_on_the_cached_page(client, published, national_admin):
    from patuh.core.models import AuditEvent
    from patuh.results.published import save_published_result

    client.get("/publik/2022/")  # cached
    figure = PublishedResult.objects.get(year=2022, region_code="12.10", program="ombudsman")
    figure.score = Decimal("59.49")
    figure.source_title = "Koreksi: Laporan Ombudsman RI 2022"
    save_published_result(figure, actor=national_admin, reason="Salah ketik pada sumber")
    row = _row(
        _published_part(client.get("/publik/2022/").content.decode()), "data-government", "12.10"
    )
    assert "data-published-score>59.49<" in row
    assert "Koreksi: Laporan Ombudsman RI 2022" in row
    assert AuditEvent.objects.filter(action="published_result.corrected").exists()
    trend = client.get("/publik/governments/12.10/").content.decode()
    assert "59.49" in trend


def test_the_ranking_page_still_reads_a_fixed_number_of_queries(
    client, published, django_assert_max_num_queries
):
    client.get("/publik/2022/?provinsi=12")
    with django_assert_max_num_queries(7):
        assert client.get("/publik/2022/?provinsi=12").status_code == 200


def test_langkats_trend_shows_every_published_year_and_patuhs_own(client, published):
    response = client.get("/publik/governments/12.05/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kabupaten Langkat" in html
    rows = {
        year: _row(html, "data-published-figure", str(figure.pk))
        for year, figure in (
            (f.year, f)
            for f in PublishedResult.objects.filter(region_code="12.05", program="ombudsman")
        )
    }
    assert sorted(rows) == [2018, 2022, 2023, 2024]
    assert "96.53" in rows[2018]
    assert "zona hijau" in rows[2018]
    assert "87.80" in rows[2022]
    assert "data-published-category>B<" in rows[2022]
    assert "91.40" in rows[2023]
    assert "data-published-category>A<" in rows[2023]
    assert "data-published-category>A<" in rows[2024]
    for row in rows.values():
        assert "dipublikasikan" in row
        assert "data-source" in row
    start = html.index('data-year="2022" data-patuh>')
    patuh = html[start : html.index("</tr>", start)]
    assert "Patuh" in patuh
    assert "/publik/2022/12.05/" in patuh
    assert html.index('data-year="2018"') < html.index('data-year="2024"')
    assert "<svg" in html
    assert "2018 · dipublikasikan" in html
    assert "2022 · Patuh" in html
    assert "/publik/2018/" in html
    assert "/publik/2024/" in html
    assert client.get("/publik/governments/99.99/").status_code == 404


def test_search_and_the_result_page_link_to_the_trend(client, published):
    search = client.get("/publik/?q=Langkat").content.decode()
    assert "/publik/governments/12.05/" in search
    assert "/publik/2022/12.05/" in search
    assert "2018: 96.53" in search
    # a government Patuh never assessed is found through its published figures
    maybrat = client.get("/publik/?q=Maybrat").content.decode()
    assert "/publik/governments/96.05/" in maybrat
    assert "31.98 E" in maybrat
    result = client.get("/publik/2022/12.05/").content.decode()
    assert "/publik/governments/12.05/" in result


def test_source_addresses_become_safe_links():
    assert source_links("jatimpedia.io/?p=5059")[0].url == "https://jatimpedia.io/?p=5059"
    assert source_links("https://example.go.id/a")[0].url == "https://example.go.id/a"
    assert [link.url for link in source_links("hariannegeri.com/… ; cermat.co.id/…")] == [
        "https://hariannegeri.com/",
        "https://cermat.co.id/",
    ]
    assert source_links("laporan tahunan (cetak)")[0].url == ""
    assert source_links("javascript:alert(1)")[0].url == ""
    assert source_links("") == []


def test_the_cycle_dashboard_shows_the_published_figure_and_the_difference(
    login, verifier, published
):
    html = login(verifier).get("/dashboard/2022/").content.decode()
    row = _row(html, "data-government", "12.10")
    assert "data-published-score>59.94<" in row
    patuh = ResultSnapshot.objects.current().get(cycle__year=2022, government__region_code="12.10")
    difference = patuh.score - Decimal("59.94")
    shown = re.search(r"data-difference>([^<]+)<", row).group(1)
    assert shown == ("+" if difference > 0 else "") + f"{difference:.2f}"
    assert "data-published-note" in html
    assert 'id="province-map"' in html
    assert 'data-province="12"' in html


def test_the_government_dashboard_shows_the_published_figure_per_year(login, outsider, published):
    html = login(outsider).get("/dashboard/governments/12.10/").content.decode()
    row = _row(html, "data-published-year", "2022")
    assert "Dipublikasikan:" in row
    assert "data-published-score>59.94<" in row
    assert LABUHANBATU_SOURCE in row
    assert "/publik/governments/12.10/" in html


def test_a_correction_shows_at_once_on_the_cycle_dashboard(
    login, verifier, published, national_admin
):
    from patuh.results.published import save_published_result

    client = login(verifier)
    client.get("/dashboard/2022/")
    figure = PublishedResult.objects.get(year=2022, region_code="12.10", program="ombudsman")
    figure.score = Decimal("59.49")
    save_published_result(figure, actor=national_admin, reason="Salah ketik pada sumber")
    row = _row(client.get("/dashboard/2022/").content.decode(), "data-government", "12.10")
    assert "data-published-score>59.49<" in row


def test_dashboard_queries_stay_flat_with_published_figures(login, verifier, outsider, published):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for user in (verifier, outsider):
        client = login(user)
        client.get("/dashboard/2022/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/2022/").status_code == 200
        counts.append(len(queries))
    assert counts[0] <= counts[1] + 1
    assert counts[0] <= 15


@pytest.mark.parametrize(
    "url",
    [
        "/publik/2022/",
        "/publik/2018/",
        "/publik/2024/?provinsi=33",
        "/publik/governments/12.05/",
        "/publik/?q=Langkat",
    ],
)
def test_the_published_pages_carry_no_inline_code(client, published, url):
    response = client.get(url)
    assert response.status_code == 200
    problems, _ = _inline_code(response.content.decode())
    assert problems == []


@pytest.mark.parametrize("url", ["/dashboard/2022/", "/dashboard/governments/12.10/"])
def test_the_dashboards_carry_no_inline_code(login, verifier, published, url):
    problems, _ = _inline_code(login(verifier).get(url).content.decode())
    assert problems == []


def test_patuhs_own_demo_results_are_labelled_synthetic_beside_the_published_ones(
    client, published
):
    ranking = client.get("/publik/2022/").content.decode()
    own = ranking[ranking.index("data-cycle=") : ranking.index('id="published"')]
    assert "Data sintetis" in own
    assert "Data sintetis" not in ranking[ranking.index('id="published"') :]
    trend = client.get("/publik/governments/12.05/").content.decode()
    patuh_row = trend[trend.index("data-patuh") : trend.index("</tr>", trend.index("data-patuh"))]
    assert "Data sintetis" in patuh_row
    published_row = _row(trend, "data-year", "2023")
    assert "dipublikasikan" in published_row
    assert "Data sintetis" not in published_row
