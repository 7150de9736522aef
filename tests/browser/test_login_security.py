"""An assessor switches on the second factor with an authenticator app, logs out, and logs in
again with the password and a code; a wrong code is refused."""

import time

import pytest
from playwright.sync_api import Page, expect

from patuh.accounts import totp
from patuh.core.models import AuditEvent

pytestmark = pytest.mark.browser

USERNAME = "penilai.sumut"
PASSWORD = "patuh-demo"


def enter_password(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(USERNAME)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()


def test_an_assessor_sets_up_an_authenticator_and_logs_in_with_a_code(
    page: Page, live_server, demo, screenshots
):
    enter_password(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/")

    # -- set up the authenticator app from the navbar
    page.get_by_role("link", name="Verifikasi dua langkah").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")
    expect(page.locator("#totp-qr svg")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.screenshot(path=str(screenshots / "two-factor-setup.png"), full_page=True)
    page.get_by_label("Kode verifikasi").fill(totp.code_at(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator(".alert-success").first).to_contain_text("Verifikasi dua langkah aktif")
    expect(page.locator("[data-recovery-code]")).to_have_count(10)  # shown this once
    page.get_by_role("link", name="Saya sudah menyimpan kode ini, lanjutkan").click()
    expect(page.locator("[data-two-factor='on']")).to_be_visible()

    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("#nav").get_by_role("link", name="Masuk")).to_be_visible()

    # -- the password alone is not enough
    enter_password(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/")
    page.goto(f"{live_server.url}/accounts/password/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/accounts/password/")

    # -- a wrong code is refused, the right one logs in
    enter_password(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/")
    valid = {totp.code_at(secret, time.time() + drift) for drift in (-30, 0, 30, 60)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in valid)
    page.get_by_label("Kode verifikasi").fill(wrong)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.locator("#id_code_error")).to_contain_text("Kode salah atau sudah dipakai")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/code/")
    page.screenshot(path=str(screenshots / "login-code.png"), full_page=True)

    # the code of the next step: the one used to confirm the app cannot be used again
    page.get_by_label("Kode verifikasi").fill(totp.code_at(secret, time.time() + 30))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    actions = list(
        AuditEvent.objects.filter(new__username=USERNAME, action__startswith="account.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "account.login",
        "account.totp_enabled",
        "account.logout",
        "account.login_pending",
        "account.login_pending",
        "account.login_failed",
        "account.login",
    ]
