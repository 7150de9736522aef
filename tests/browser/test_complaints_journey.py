"""A front-office officer logs a walk-in complaint, the complaint officer disposes, follows up
and closes it, and the unit's figures (register, Pengaduan card, government page) update."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from patuh.assessments.models import Assessment
from patuh.complaints.models import Complaint
from patuh.demo.current import current_year
from patuh.orgs.models import ServiceUnit

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
SUBJECT = "Ruang tunggu tanpa kursi prioritas"


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def _number(page: Page, selector: str) -> int:
    return int(re.match(r"\d+", page.locator(selector).first.inner_text().strip()).group(0))


def test_a_walk_in_is_logged_handled_and_counted(page: Page, live_server, demo, screenshots):
    unit = ServiceUnit.objects.get(government__region_code="12.05", code="dinkes")
    register = f"{live_server.url}/complaints/12.05/dinkes/"

    # -- the front office logs a walk-in; the complainant gives a name
    log_in(page, live_server, "frontoffice.dinkes.langkat")
    page.goto(register)
    volume = _number(page, "#unit-figures [data-volume]")
    closed = _number(page, "#unit-figures [data-closed]")
    page.get_by_role("link", name="Catat pengaduan langsung").click()
    page.get_by_label("Pokok aduan").fill(SUBJECT)
    page.get_by_label("Isi aduan").fill("Lansia menunggu berdiri di ruang tunggu.")
    page.get_by_label("Nama pelapor").fill("Ibu Rahma")
    page.get_by_label("Kontak pelapor").fill("0812-7777-0000")
    page.screenshot(path=str(screenshots / "complaints-walk-in.png"), full_page=True)
    page.get_by_role("button", name="Simpan pengaduan").click()
    expect(page).to_have_url(register)
    expect(page.locator(".alert-success").first).to_contain_text("tercatat")
    row = page.locator("#complaints tr", has_text=SUBJECT)
    expect(row).to_contain_text("Diterima")
    expect(page.locator("#complaints")).not_to_contain_text("Ibu Rahma")  # not for the FO
    expect(page.locator("#unit-figures [data-volume]")).to_have_text(str(volume + 1))
    log_out(page)

    # -- the complaint officer sees who complained and closes the case
    log_in(page, live_server, "pengaduan.dinkes.langkat")
    page.goto(register)
    row = page.locator("#complaints tr", has_text=SUBJECT)
    expect(row.locator("[data-identity]")).to_have_text("Ibu Rahma")
    row.get_by_role("link").first.click()
    expect(page.locator("[data-identity]")).to_contain_text("0812-7777-0000")
    page.get_by_label("Disposisi kepada").fill("Seksi Pelayanan Kesehatan")
    page.get_by_role("button", name="Simpan disposisi").click()
    expect(page.locator("[data-status]").first).to_have_text("Didisposisikan")
    page.locator("#follow-up-form").get_by_label("Tindak lanjut", exact=True).fill(
        "Enam kursi prioritas dipasang."
    )
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.locator("[data-status]").first).to_have_text("Ditindaklanjuti")
    expect(page.locator("[data-followed-up]")).to_contain_text("0 hari kerja")
    page.get_by_label("Catatan penyelesaian").fill("Pelapor diberi tahu lewat telepon.")
    page.get_by_role("button", name="Tandai selesai").click()
    expect(page.locator("[data-status]").first).to_have_text("Selesai")
    page.screenshot(path=str(screenshots / "complaints-closed.png"), full_page=True)

    complaint = Complaint.objects.get(unit=unit, subject=SUBJECT)
    assert complaint.closed_on == timezone.localdate()
    assert complaint.complainant_name == "Ibu Rahma"

    # -- the unit's figures count it: register, Pengaduan card, government page
    page.goto(register)
    expect(page.locator("#unit-figures [data-closed]")).to_have_text(str(closed + 1))
    page.screenshot(path=str(screenshots / "complaints-register.png"), full_page=True)
    log_out(page)
    log_in(page, live_server, "operator.dinkes.langkat")
    assessment = Assessment.objects.get(cycle__year=current_year(), service_unit=unit, kind="self")
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    card = page.locator("#ind-PG-4 [data-complaint-figures]")
    expect(card).to_contain_text(f"{volume + 1} laporan diterima, {closed + 1} selesai")
    page.goto(f"{live_server.url}/complaints/12.05/")
    expect(page.locator("tr[data-unit='dinkes'] [data-volume]")).to_have_text(str(volume + 1))
