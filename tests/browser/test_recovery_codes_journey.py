"""An assessor switches on the second factor, keeps the recovery codes the page shows once
(downloading them as a text file), logs out, and logs in again with the password and a recovery
code instead of the app's code; the same code is refused the next time, and a new set made
after the password replaces the old one."""

import re
from pathlib import Path

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


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Keluar").click()
    expect(page.locator("#nav").get_by_role("link", name="Masuk")).to_be_visible()


def enter_recovery_code(page: Page, code: str) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    page.get_by_role("link", name="Pakai kode pemulihan").click()
    page.get_by_label("Kode pemulihan").fill(code)
    page.get_by_role("button", name="Verifikasi").click()


def test_an_assessor_logs_in_with_a_recovery_code(page: Page, live_server, demo, screenshots):
    enter_password(page, live_server)
    expect(page).to_have_url(f"{live_server.url}/")

    # -- switch the second factor on; the codes are shown on the page that answers
    page.goto(f"{live_server.url}/accounts/2fa/")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Kode verifikasi").fill(totp.code_at(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.get_by_role("heading", name="Kode pemulihan")).to_be_visible()
    expect(page.get_by_role("button", name="Cetak")).to_be_visible()  # shown by its script
    codes = page.locator("[data-recovery-code]").all_inner_texts()
    assert len(codes) == len(set(codes)) == 10
    page.screenshot(path=str(screenshots / "recovery-codes.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh sebagai .txt").click()
    download = download_info.value
    assert download.suggested_filename == f"patuh-kode-pemulihan-{USERNAME}.txt"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert [line for line in text.splitlines() if line in codes] == codes

    page.get_by_role("link", name="Saya sudah menyimpan kode ini, lanjutkan").click()
    expect(page.locator("[data-recovery-codes='10']")).to_be_visible()
    for code in codes:
        expect(page.get_by_text(code)).to_have_count(0)
    log_out(page)

    # -- the phone is not at hand: a recovery code instead
    enter_password(page, live_server)
    enter_recovery_code(page, codes[0].upper())
    expect(page).to_have_url(f"{live_server.url}/")
    warning = page.locator(".alert-warning").first
    expect(warning).to_contain_text("Anda masuk dengan kode pemulihan")
    expect(warning).to_contain_text("Tersisa 9 kode pemulihan")
    page.screenshot(path=str(screenshots / "recovery-code-login.png"), full_page=True)
    warning.get_by_role("link", name="Buat kode pemulihan baru").click()
    expect(page).to_have_url(f"{live_server.url}/accounts/2fa/")
    expect(page.locator("[data-recovery-codes='9']")).to_be_visible()
    log_out(page)

    # -- the same code does not work twice
    enter_password(page, live_server)
    enter_recovery_code(page, codes[0])
    expect(page.locator("#id_code_error")).to_contain_text(
        "Kode pemulihan salah atau sudah dipakai"
    )

    # -- another one does; then a new set, after the password, replaces the old one
    page.get_by_label("Kode pemulihan").fill(codes[1])
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/2fa/")
    form = page.locator("[data-form='recovery-codes']")
    form.get_by_label("Kata sandi Anda").fill(PASSWORD)
    form.get_by_role("button", name="Buat kode pemulihan baru").click()
    expect(page.locator(".alert-success").first).to_contain_text("Kode pemulihan baru dibuat")
    new_codes = page.locator("[data-recovery-code]").all_inner_texts()
    assert len(new_codes) == 10
    assert not set(new_codes) & set(codes)
    page.get_by_role("link", name="Saya sudah menyimpan kode ini, lanjutkan").click()
    log_out(page)

    enter_password(page, live_server)
    enter_recovery_code(page, codes[2])
    expect(page.locator("#id_code_error")).to_contain_text(
        "Kode pemulihan salah atau sudah dipakai"
    )
    page.get_by_label("Kode pemulihan").fill(new_codes[0])
    page.get_by_role("button", name="Verifikasi").click()
    expect(page).to_have_url(f"{live_server.url}/")

    rows = AuditEvent.objects.filter(new__username=USERNAME, action__startswith="account.")
    actions = list(rows.order_by("id").values_list("action", flat=True))
    assert actions.count("account.recovery_code_used") == 3
    assert actions.count("account.recovery_codes_regenerated") == 1
    written = " ".join(str(row.new) for row in rows)
    assert not [code for code in codes + new_codes if code in written]
