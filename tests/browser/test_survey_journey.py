"""A citizen on a phone answers a unit's survey from its QR link."""

import pytest
from playwright.sync_api import Browser, expect

from patuh.surveys.models import SurveyResponse

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def answer_skm(page, level: str) -> None:
    page.get_by_label("Saya setuju mengisi survei ini.").check()
    page.select_option("#p-age_group", "30-39")
    page.select_option("#p-sex", "p")
    for number in range(1, 10):
        page.locator(f"#U{number}-{level}").check()
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator("[data-thanks]")).to_be_visible()


def test_a_citizen_answers_from_the_qr_link_on_a_phone(
    browser: Browser, live_server, demo, screenshots
):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/survei/12.05/dinkes/")  # where the counter poster's QR points
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    page.locator("[data-survey=skm]").click()
    expect(page.locator("[data-question]")).to_have_count(9)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone
    page.screenshot(path=str(screenshots / "survey-phone.png"))
    answer_skm(page, "4")

    page.goto(f"{live_server.url}/survei/12.05/dinkes/skm/")
    answer_skm(page, "3")  # the same phone again
    rows = list(SurveyResponse.objects.filter(unit__code="dinkes", kind="skm").order_by("pk"))
    assert len(rows) == 2
    assert rows[0].duplicate_of is None
    assert rows[1].duplicate_of == rows[0]  # stored, flagged for review

    page.get_by_role("link", name="Lihat hasil survei unit ini").click()
    expect(page.locator("[data-respondents]").first).to_have_text("2")
    expect(page.locator("[data-ikm-index]").first).to_have_text("87.50")  # (4 + 3) / 2 × 25
    expect(page.locator("[data-ikm-category]").first).to_contain_text("B")
    context.close()
