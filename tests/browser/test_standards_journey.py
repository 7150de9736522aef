"""A unit operator writes and publishes a product's service standard; a citizen, not logged in,
reads it on the unit's public page and prints the A4 sheet."""

import datetime

import pytest
from playwright.sync_api import Browser, Page, expect

from patuh.orgs.models import ServiceUnit
from patuh.standards.components import PUBLIC_CODES, anchor

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
PRODUCT = "Sertifikat laik higiene sanitasi depot air minum"
ADOPTED = datetime.date(2025, 3, 3)

TEXTS = {
    "b": "Persyaratan. Surat permohonan; hasil uji laboratorium air minum.",
    "c": "Prosedur. Permohonan di loket, inspeksi lapangan, penerbitan sertifikat.",
    "d": "Jangka waktu. 14 hari kerja sejak berkas lengkap.",
    "e": "Biaya. Tidak dipungut biaya.",
    "f": "Produk. Sertifikat laik higiene sanitasi depot air minum.",
    "j": "Pengaduan. Meja pengaduan dan SP4N-LAPOR! (www.lapor.go.id).",
}
LABELS = {
    "a": "a. Dasar hukum",
    "b": "b. Persyaratan",
    "c": "c. Sistem, mekanisme dan prosedur",
    "d": "d. Jangka waktu penyelesaian",
    "e": "e. Biaya/tarif",
    "f": "f. Produk pelayanan",
    "j": "j. Penanganan pengaduan, saran dan masukan",
}
INTERNAL = "Permenkes 2/2023 — teks internal yang tidak boleh tampil"
PLEDGE = "Kami sanggup menyelenggarakan pelayanan sesuai standar ini."


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_an_operator_publishes_a_standard_and_a_citizen_reads_and_prints_it(
    page: Page, browser: Browser, browser_context_args, live_server, demo, screenshots
):
    unit = ServiceUnit.objects.get(government__region_code="12.05", code="dinkes")
    product = unit.products.get(name=PRODUCT)
    assert not product.standards.exists()

    # -- the operator fills in the draft and publishes it
    log_in(page, live_server, "operator.dinkes.langkat")
    page.goto(f"{live_server.url}/units/{unit.pk}/standards/")
    row = page.locator(f"tr[data-product='{product.pk}']")
    expect(row).to_contain_text("Belum dipublikasikan")
    row.get_by_role("link", name="Isi standar").click()
    expect(page.get_by_role("heading", name=PRODUCT)).to_be_visible()

    page.get_by_label("Tanggal penetapan").fill(ADOPTED.isoformat())
    for code in PUBLIC_CODES:
        page.get_by_label(LABELS[code], exact=True).fill(TEXTS[code])
    page.get_by_label(LABELS["a"], exact=True).fill(INTERNAL)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.locator("[data-saved]")).to_have_text("Draf versi 1 tersimpan.")
    expect(page.locator("#versions [data-version='1']")).to_contain_text("Draf")
    expect(page.locator("[data-draft-state]")).to_contain_text("Anda mengisi draf versi 1.")
    draft = product.standards.get()
    assert (draft.is_draft, draft.text("b"), draft.text("a")) == (True, TEXTS["b"], INTERNAL)
    page.screenshot(path=str(screenshots / "standards-form.png"), full_page=True)

    # publishing without the maklumat is refused, and says so
    page.get_by_role("button", name="Publikasikan").click()
    expect(page.locator("[data-errors]")).to_contain_text("Maklumat pelayanan")
    page.get_by_label("Maklumat pelayanan").fill(PLEDGE)
    page.get_by_role("button", name="Publikasikan").click()
    expect(page.locator(".alert-success")).to_have_text("Standar pelayanan versi 1 dipublikasikan.")
    expect(page.locator("#versions [data-version='1']")).to_contain_text("Berlaku")
    expect(page.get_by_role("button", name="Buat versi baru")).to_be_visible()
    page.screenshot(path=str(screenshots / "standards-operator.png"), full_page=True)
    standard = product.standards.get()
    assert (standard.status, standard.adopted_on, standard.text("a")) == (
        "published",
        ADOPTED,
        INTERNAL,
    )

    # -- a citizen, not logged in, reads the public page
    citizen = browser.new_context(**browser_context_args)
    public = citizen.new_page()
    public_url = f"{live_server.url}/publik/unit/12.05/dinkes/"
    public.goto(public_url)
    expect(public.get_by_role("heading", name="Dinas Kesehatan")).to_be_visible()
    expect(public.get_by_text("Kabupaten Langkat").first).to_be_visible()
    section = public.locator(f"#produk-{product.pk}")
    expect(section.get_by_role("heading", name=PRODUCT)).to_be_visible()
    expect(section).to_contain_text("Versi 1 · ditetapkan 3 Maret 2025")
    for code in PUBLIC_CODES:
        expect(public.locator(f"#{anchor(product.pk, code)} + dd")).to_have_text(TEXTS[code])
    expect(section.locator("[data-component='service_pledge']")).to_have_text(PLEDGE)
    expect(public.get_by_text(INTERNAL)).to_have_count(0)
    expect(public.get_by_role("button", name="Keluar")).to_have_count(0)
    public.screenshot(path=str(screenshots / "standards-public.png"), full_page=True)

    # -- and prints the A4 sheet
    section.get_by_role("link", name="Lembar cetak (A4)").click()
    expect(public).to_have_url(f"{public_url}{product.pk}/cetak/")
    expect(public.get_by_role("heading", name=PRODUCT)).to_be_visible()
    expect(public.locator("#public-url")).to_have_text(public_url)
    expect(public.locator("[data-component='d']")).to_have_text(TEXTS["d"])
    expect(public.get_by_role("button", name="Cetak lembar ini")).to_be_visible()
    public.screenshot(path=str(screenshots / "standards-print-screen.png"))
    public.emulate_media(media="print")
    expect(public.get_by_role("button", name="Cetak lembar ini")).to_be_hidden()
    expect(public.locator("#public-url")).to_be_visible()
    public.screenshot(path=str(screenshots / "standards-print.png"), full_page=True)
    pdf = public.pdf(prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    citizen.close()
