"""A coordinator invites an operator for a Langkat unit; the operator opens the e-mailed link,
sets a password and lands logged in on the home page. The mail is read from Django's locmem
backend, which the live server (same process) writes to."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from patuh.accounts.models import Membership

pytestmark = pytest.mark.browser

EMAIL = "sari.dinsos@langkatkab.go.id"
PASSWORD = "Sungai-Wampu-2025"


def test_a_coordinator_invites_an_operator_who_sets_a_password_and_logs_in(
    page: Page, live_server, demo, settings, screenshots
):
    settings.PATUH_SITE_URL = live_server.url
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill("koordinator.langkat")
    page.get_by_label("Kata sandi").fill("patuh-demo")
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")

    # -- from the government page to its operators
    page.goto(f"{live_server.url}/cycles/2023/governments/12.05/")
    page.get_by_role("link", name="Operator unit").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/operators/12.05/")
    page.get_by_label("Unit layanan").select_option(label="Dinas Sosial (dinsos)")
    page.get_by_label("Nama lengkap").fill("Sari Wulandari")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_role("button", name="Kirim undangan").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Undangan dikirim ke {EMAIL}")
    expect(
        page.locator(f'#operators tr[data-unit="dinsos"] [data-invitation="{EMAIL}"]')
    ).to_be_visible()
    page.screenshot(path=str(screenshots / "operators.png"), full_page=True)
    page.get_by_role("button", name="Keluar").click()

    # -- the invitee's mail and link
    [message] = [m for m in mail.outbox if m.to == [EMAIL]]
    link = re.search(r"http\S+/accounts/invitation/\S+/", message.body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.locator("[data-invitation-unit]")).to_contain_text("Dinas Sosial")
    expect(page.get_by_label("Nama pengguna")).to_have_value("sari.dinsos")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.screenshot(path=str(screenshots / "invitation.png"), full_page=True)
    page.get_by_role("button", name="Buat akun dan masuk").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".alert-success")).to_contain_text("Anda sekarang operator Dinas Sosial")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    assert Membership.objects.filter(
        user__username="sari.dinsos",
        role="unit_operator",
        service_unit__code="dinsos",
        service_unit__government__region_code="12.05",
    ).exists()

    # -- the link works once
    page.get_by_role("button", name="Keluar").click()
    page.goto(link)
    expect(page.locator("[data-invitation-refused]")).to_contain_text("sudah dipakai")
