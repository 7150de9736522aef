"""Browser tests: real headless Chromium (Debian's package) against pytest-django's live server."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; the test code's own database
# calls (loading the demo) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def demo(transactional_db, settings):
    """The demo data, visible to the live server's thread."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", stdout=io.StringIO())


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture
def screenshots(tmp_path):
    """Where a journey saves its screenshots: ``$PATUH_SCREENSHOTS`` when set (e.g.
    ``docs/screenshots``), else the test's temporary folder."""
    folder = os.environ.get("PATUH_SCREENSHOTS")
    if not folder:
        return tmp_path
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def page(page):
    """Playwright's page, failing the test if the Content-Security-Policy blocked anything.

    The policy forbids inline scripts, handler attributes and style attributes; Chromium
    reports each blocked one on the console, so a journey that triggers one fails here even
    when the page still looks right.
    """
    violations: list[str] = []

    def _watch(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", _watch)
    # Chromium's console line does not say which element or script was blocked; the DOM
    # event does, so log it too to make a failure here easy to trace.
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", (event) => console.error(
            "Content Security Policy blocked", event.violatedDirective, event.sourceFile,
            event.lineNumber, event.columnNumber, event.sample,
            event.target && event.target.outerHTML && event.target.outerHTML.slice(0, 200)));"""
    )
    yield page
    assert violations == [], "\n".join(violations)
