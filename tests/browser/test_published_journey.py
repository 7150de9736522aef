"""A visitor (no login) compares Patuh's results with what the Ombudsman published: the
2022 ranking with the published figures and their sources, Langkat's trend across the years,
and one province's table from the map."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_a_visitor_reads_published_figures_beside_patuhs_own(
    page: Page, live_server, demo, screenshots
):
    page.goto(f"{live_server.url}/publik/")
    page.get_by_placeholder(re.compile("Nama pemerintah")).fill("Langkat")
    page.get_by_role("button", name="Cari").click()
    page.locator("[data-trend-link]").first.click()
    expect(page).to_have_url(f"{live_server.url}/publik/governments/12.05/")

    trend = page.locator("#trend")
    for year, shown in (("2018", "96.53"), ("2022", "87.80 B"), ("2023", "91.40 A")):
        expect(trend.locator(f'tr[data-year="{year}"]').first).to_contain_text(shown)
    expect(trend.locator('tr[data-year="2024"]').first).to_contain_text("A")
    expect(trend.locator("tr[data-patuh]").first).to_contain_text("Data sintetis")
    expect(page.locator("svg.patuh-chart")).to_be_visible()
    page.screenshot(path=str(screenshots / "published-trend-langkat.png"), full_page=True)

    page.get_by_role("link", name="2022").first.click()
    expect(page).to_have_url(f"{live_server.url}/publik/2022/")
    published = page.locator("#published")
    expect(published).to_contain_text("Hasil yang dipublikasikan")
    labuhanbatu = published.locator('tr[data-government="12.10"]')
    expect(labuhanbatu).to_contain_text("59.94")
    expect(labuhanbatu).to_contain_text("C")
    expect(labuhanbatu).to_contain_text("5 Daerah Sumut Masuk Zona Merah")
    # Patuh's own ranking stands apart, above the published figures, labelled synthetic
    own = page.locator("section[data-cycle]").first
    expect(own).to_contain_text("Kabupaten Labuhanbatu")
    expect(own).to_contain_text("Data sintetis")

    page.locator('#province-map g[data-province="12"] rect').click()
    expect(page).to_have_url(re.compile(r"/publik/2022/\?provinsi=12$"))
    expect(page.locator("h1")).to_contain_text(re.compile("Sumatera Utara", re.IGNORECASE))
    expect(page.locator("#published")).not_to_contain_text("Provinsi Bali")
    page.screenshot(path=str(screenshots / "published-2022-sumut.png"), full_page=True)
