import re

import pytest
from playwright.sync_api import Page, expect

from patuh.demo.stories import LANGKAT_2023, calibrated, synthetic_government_answers
from patuh.scoring import format_score, load_instrument, score_government

pytestmark = pytest.mark.browser


def test_a_coordinator_logs_in_and_reads_langkats_2023_result(
    page: Page, live_server, demo, tmp_path
):
    instrument = load_instrument("ombudsman-2023")
    expected = score_government(
        instrument, synthetic_government_answers(calibrated(LANGKAT_2023), instrument)
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("koordinator.langkat")
    page.get_by_label("Kata sandi").fill("patuh-demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")

    page.get_by_role("link", name=re.compile("Pelayanan Publik 2023")).click()
    expect(page).to_have_url(f"{live_server.url}/cycles/2023/")
    page.get_by_role("link", name="Kabupaten Langkat").click()
    expect(page).to_have_url(f"{live_server.url}/cycles/2023/governments/12.05/")

    expect(page.locator("h1")).to_have_text("Kabupaten Langkat")
    summary = page.locator("#government-result")
    expect(summary).to_contain_text(format_score(expected.score))
    expect(summary).to_contain_text(expected.band.opinion)
    units = page.locator("#units tbody tr")
    expect(units).to_have_count(7)
    for unit in expected.units:
        row = page.locator(f'#units tr[data-unit="{unit.code}"]')
        expect(row).to_contain_text(unit.name)
        expect(row).to_contain_text(format_score(unit.score))
        expect(row).to_contain_text(unit.band.category)
    expect(page.get_by_text("Data sintetis").first).to_be_visible()

    screenshot = tmp_path / "langkat-2023.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.exists()
    assert screenshot.stat().st_size > 10_000
    text = page.inner_text("body")
    assert "Puskesmas Karang Rejo" in text
    assert "Puskesmas Tanjung Beringin" in text
    assert "Bobot dan aturan sementara." in text
