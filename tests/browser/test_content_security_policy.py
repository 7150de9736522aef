"""The Content-Security-Policy in a real browser: Patuh's own scripts run, injected ones don't."""

import pytest
from playwright.sync_api import BrowserContext, Page, expect

pytestmark = pytest.mark.browser


def test_the_language_switcher_works_without_inline_script(page: Page, live_server, db):
    page.goto(f"{live_server.url}/publik/")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.locator("#language").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_an_injected_handler_is_blocked(context: BrowserContext, live_server, db):
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/publik/")
    page.evaluate(
        """() => {
            const image = document.createElement("img");
            image.setAttribute("onerror", "window.injected = true");
            image.src = "/tidak-ada.png";
            document.body.append(image);
            const script = document.createElement("script");
            script.textContent = "window.injectedScript = true";
            document.body.append(script);
        }"""
    )
    page.wait_for_timeout(300)
    assert page.evaluate(
        "() => window.injected === undefined && window.injectedScript === undefined"
    )
    assert len(violations) >= 2
