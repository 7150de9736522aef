"""The assessment workspace walked in a real browser by the demo's three working roles.

Each journey starts from the home page's "Pekerjaan Anda" card, works on the cycle in progress
(or reads the 2023 cycle) and checks the values the page shows against the scoring core's
result for the same data. Screenshots go to the ``screenshots`` folder (``$PATUH_SCREENSHOTS``
or the test's temporary folder).
"""

import hashlib
import re
import time
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from patuh.assessments.models import Assessment, AssessmentKind, Cycle
from patuh.assessments.presenters import answered_counts
from patuh.assessments.services import score_assessments
from patuh.demo.current import current_year
from patuh.orgs.models import Government, ServiceUnit
from patuh.scoring import format_score
from patuh.scoring.engine import ANSWERED

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
LANGKAT = "12.05"
SCREENSHOT_MAX_BYTES = 400_000
# A minimal PDF: the upload check decides the type from the bytes, not from the name.
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


# -- helpers ----------------------------------------------------------------------------------


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def open_my_work(page: Page, title: str) -> None:
    page.locator("#my-work").get_by_role("link", name=title).click()


def langkat_assessment(year: int, kind: str, unit: str = "dinkes") -> Assessment:
    return Assessment.objects.select_related("cycle", "service_unit__government").get(
        cycle__year=year,
        kind=kind,
        service_unit__government__region_code=LANGKAT,
        service_unit__code=unit,
    )


def langkat_result(year: int, kind: str):
    """The scoring core's result for Langkat's assessments of ``kind`` in ``year``."""
    return score_assessments(
        Cycle.objects.get(year=year), Government.objects.get(region_code=LANGKAT), kind
    )


def unit_result(year: int, kind: str, unit: str = "dinkes"):
    return next(u for u in langkat_result(year, kind).units if u.code == unit)


def level(card: Locator, row: int, value: str) -> Locator:
    return card.locator("tr[data-part]").nth(row).locator(f"button[value='{value}']")


def answer_part(card: Locator, row: int, value: str) -> None:
    """Click a respondent's/product's level and wait for the card that says it was saved."""
    level(card, row, value).click()
    expect(level(card, row, value)).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-saved]")).to_have_text("✓ Tersimpan")


def wait_until(condition, timeout: float = 10.0) -> None:
    """Poll the database until ``condition()`` holds (saves land asynchronously)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.1)


def signed(value: Decimal) -> str:
    return ("+" if value > 0 else "") + format_score(value)


def compared(indicator) -> tuple:
    """What the self-vs-official comparison sets side by side: status, and value if answered."""
    return indicator.status, indicator.value if indicator.status == ANSWERED else None


def save_screenshot(target: Page | Locator, path, **options) -> None:
    target.screenshot(path=str(path), **options)
    assert 10_000 < path.stat().st_size < SCREENSHOT_MAX_BYTES, path


# -- 1. the unit operator's self-assessment ---------------------------------------------------


def test_an_operator_self_assesses_dinas_kesehatan(
    page: Page, live_server, demo, settings, tmp_path, screenshots
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    year = current_year()
    assessment = langkat_assessment(year, AssessmentKind.SELF)
    before = unit_result(year, AssessmentKind.SELF)
    assert before.indicators["PR-01"].status != ANSWERED

    log_in(page, live_server, "operator.dinkes.langkat")
    open_my_work(page, "Penilaian mandiri Dinas Kesehatan")
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    expect(page.locator("[data-status=draft]")).to_have_text("Draf")

    panel = page.locator("#result-panel")
    expect(panel.locator("[data-unit-score]")).to_have_text(format_score(before.score))
    expect(panel.locator("[data-unit-category]")).to_have_text(before.band.category)
    what_if = panel.locator("[data-what-if]")
    what_if_before = what_if.inner_text()
    expect(what_if).to_contain_text(format_score(before.what_if.projected_score))

    # A Proses indicator answered per sampled product: 3 and 2, the indicator is their mean.
    card = page.locator("#ind-PR-01")
    expect(card.locator("tr[data-part]")).to_have_count(2)
    answer_part(card, 0, "3")
    expect(card.locator("[data-mean]")).to_contain_text("3.00")
    answer_part(card, 1, "2")
    expect(card.locator("[data-mean]")).to_have_text(
        "Nilai indikator (rata-rata): 2.50 dari 2 responden/produk"
    )
    expect(card.locator("[data-indicator-value]")).to_have_text("2.50 / 3")

    after = unit_result(year, AssessmentKind.SELF)
    assert after.indicators["PR-01"].value == Decimal("2.5")
    assert after.score > before.score
    expect(panel.locator("[data-unit-score]")).to_have_text(format_score(after.score))
    expect(panel.locator("[data-unit-category]")).to_have_text(after.band.category)
    expect(panel.locator("[data-government-score]")).to_have_text(
        format_score(langkat_result(year, AssessmentKind.SELF).score)
    )
    expect(what_if).not_to_have_text(what_if_before, use_inner_text=True)
    expect(what_if).to_contain_text(format_score(after.what_if.projected_score))
    steps = what_if.locator("li")
    expect(steps).to_have_count(len(after.what_if.steps))
    for index, step in enumerate(after.what_if.steps):
        expect(steps.nth(index).locator("a")).to_have_attribute(
            "href", f"#ind-{step.indicator_code}"
        )

    # Not applicable: refused without a reason, saved with one.
    na_card = page.locator("#ind-PG-8")
    na_card.locator("summary", has_text="Tandai tidak berlaku (N/A)").click()
    na_card.get_by_role("button", name="Tandai N/A").click()
    expect(na_card.locator("[data-failed]")).to_contain_text("alasan wajib diisi")
    expect(na_card.locator("[data-indicator-value]")).to_have_text("belum diisi")
    reason = "Sarana pengaduan dikelola terpusat oleh Sekretariat Daerah"
    na_card.locator("summary", has_text="Tandai tidak berlaku (N/A)").click()
    na_card.get_by_label("Alasan tidak berlaku").fill(reason)
    na_card.get_by_role("button", name="Tandai N/A").click()
    expect(na_card.locator("[data-saved]")).to_be_visible()
    expect(na_card.locator("[data-indicator-value]")).to_have_text("N/A")
    expect(na_card).to_contain_text(f"Alasan: {reason}")
    expect(panel.locator("[data-unit-score]")).to_have_text(
        format_score(unit_result(year, AssessmentKind.SELF).score)
    )

    # Evidence: an uploaded PDF shows its name and the start of its SHA-256.
    pdf = tmp_path / "persyaratan-spp-irt.pdf"
    pdf.write_bytes(PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    card.locator("input[name=title]").fill("Foto papan persyaratan SPP-IRT")
    card.locator("input[type=file][name=file]").set_input_files(pdf)
    card.get_by_role("button", name="Tambah bukti").click()
    expect(card.locator("[data-saved]")).to_be_visible()
    uploaded = card.locator("[data-evidence]")
    expect(uploaded).to_have_count(1)
    expect(uploaded).to_contain_text("Foto papan persyaratan SPP-IRT")
    expect(uploaded).to_contain_text("persyaratan-spp-irt.pdf")
    expect(uploaded).to_contain_text(f"SHA-256 {digest[:12]}…")
    expect(uploaded.locator(f"[title='SHA-256 {digest}']")).to_have_count(1)

    # Last cycle's evidence carried forward, then confirmed.
    carried_card = page.locator("#ind-PR-06")
    expect(carried_card.locator("[data-evidence]")).to_have_count(0)
    carried_card.get_by_role("button", name="Bawa bukti siklus sebelumnya").click()
    carried = carried_card.locator("[data-evidence]")
    expect(carried).to_have_count(1)
    expect(carried).to_contain_text("Maklumat pelayanan Dinas Kesehatan Langkat")
    expect(carried).to_contain_text("perlu dikonfirmasi")
    expect(carried.locator("a[href*='maklumat-pelayanan']")).to_have_attribute(
        "href", "https://example.org/langkat/dinkes/maklumat-pelayanan"
    )
    carried.get_by_role("button", name="Konfirmasi masih berlaku").click()
    expect(carried_card.locator("[data-saved]")).to_be_visible()
    expect(carried).not_to_contain_text("perlu dikonfirmasi")
    expect(carried.get_by_role("button", name="Konfirmasi masih berlaku")).to_have_count(0)

    # A comment on the indicator.
    comment = "Foto papan kedua menyusul setelah renovasi ruang layanan."
    card.locator("details[data-comments] > summary").click()
    card.locator("textarea[name=body]").fill(comment)
    card.get_by_role("button", name="Kirim komentar").click()
    thread = card.locator("[data-thread]")
    expect(thread).to_have_count(1)
    expect(thread).to_contain_text("Operator Dinas Kesehatan Langkat")
    expect(thread).to_contain_text(comment)
    expect(card.locator("details[data-comments] > summary")).to_have_text("Komentar (1, 1 terbuka)")

    card.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -80)")
    save_screenshot(page, screenshots / "workspace-operator-self-assessment.png")
    save_screenshot(panel, screenshots / "workspace-live-result.png")

    # The history: who changed what, from which value to which.
    page.get_by_role("link", name="Riwayat perubahan").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/history/")
    answers = page.locator("#history tr[data-action='answer.recorded']")
    pr01 = answers.filter(has=page.locator("td code", has_text=re.compile("^PR-01$")))
    expect(pr01).to_have_count(2)
    expect(pr01).to_contain_text(["Operator Dinas Kesehatan Langkat"] * 2)
    expect(pr01.nth(0).locator("[data-old]")).to_have_text("nilai: 3")
    expect(pr01.nth(0).locator("[data-new]")).to_have_text("nilai: 3, 2")
    expect(pr01.nth(1).locator("[data-old]")).to_have_text("–")
    expect(pr01.nth(1).locator("[data-new]")).to_have_text("nilai: 3")
    pg8 = answers.filter(has=page.locator("td code", has_text=re.compile("^PG-8$")))
    expect(pg8).to_have_count(1)
    expect(pg8).to_contain_text("Operator Dinas Kesehatan Langkat")
    expect(pg8.locator("[data-old]")).to_have_text("–")
    expect(pg8.locator("[data-new]")).to_have_text(f"nilai: N/A · alasan N/A: {reason}")
    for action in (
        "evidence.added",
        "evidence.carried_forward",
        "evidence.confirmed",
        "comment.added",
    ):
        row = page.locator(f"#history tr[data-action='{action}']")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Operator Dinas Kesehatan Langkat")
    expect(page.locator("#history tr[data-action='evidence.added'] [data-new]")).to_contain_text(
        f"SHA-256 {digest[:12]}…"
    )


# -- 2. the coordinator's readiness table and the self-vs-official comparison -----------------


def test_a_coordinator_follows_langkats_readiness_and_compares_2023(
    page: Page, live_server, demo, screenshots
):
    year = current_year()
    units = dict(
        ServiceUnit.objects.filter(government__region_code=LANGKAT).values_list("code", "name")
    )
    assert len(units) == 7
    current = {u.code: u for u in langkat_result(year, AssessmentKind.SELF).units}

    log_in(page, live_server, "koordinator.langkat")
    open_my_work(page, "Kesiapan unit Kabupaten Langkat")
    expect(page).to_have_url(f"{live_server.url}/cycles/{year}/governments/{LANGKAT}/readiness/")
    expect(page.locator("h1")).to_have_text("Kesiapan unit layanan Kabupaten Langkat")
    rows = page.locator("#readiness tbody tr")
    expect(rows).to_have_count(7)
    for code, name in units.items():
        answered, applicable = answered_counts(current[code])
        percent = format_score(Decimal(answered) / Decimal(applicable) * 100)
        row = page.locator(f"#readiness tr[data-unit='{code}']")
        expect(row).to_contain_text(name)
        expect(row.locator("[data-completion]")).to_have_text(
            f"{answered}/{applicable} ({percent}%)"
        )
        expect(row.locator("[data-self-score]")).to_have_text(
            f"{format_score(current[code].score)} {current[code].band.category}"
        )
    # Dinas Kesehatan has answered Input only, the other units Input and Proses.
    dinkes = answered_counts(current["dinkes"])[0]
    assert all(answered_counts(current[c])[0] > dinkes for c in units if c != "dinkes")

    # 2023: both assessments are in, so each self-assessed unit shows both scores and their
    # difference; Langkat assessed itself in the six units the Sekda monitored, not Dinas
    # Pendidikan, which shows its official score only.
    self_2023 = langkat_result(2023, AssessmentKind.SELF)
    official_2023 = langkat_result(2023, AssessmentKind.OFFICIAL)
    self_units = {u.code: u for u in self_2023.units}
    official_units = {u.code: u for u in official_2023.units}
    assert set(units) - set(self_units) == {"disdik"}
    page.goto(f"{live_server.url}/cycles/2023/governments/{LANGKAT}/readiness/")
    expect(rows).to_have_count(7)
    for code in units:
        mine, theirs = self_units.get(code), official_units[code]
        row = page.locator(f"#readiness tr[data-unit='{code}']")
        expect(row.locator("[data-official-score]")).to_have_text(
            f"{format_score(theirs.score)} {theirs.band.category}"
        )
        if mine is None:
            expect(row.locator("[data-self-score]")).to_have_text("–")
            continue
        expect(row.locator("[data-self-score]")).to_have_text(
            f"{format_score(mine.score)} {mine.band.category}"
        )
        expect(row.locator("[data-difference]")).to_have_text(signed(theirs.rounded - mine.rounded))
    save_screenshot(page.locator("main"), screenshots / "readiness-langkat.png")

    # The indicator-by-indicator comparison highlights where the two assessments differ.
    page.get_by_role("link", name="Bandingkan mandiri dan resmi per indikator").click()
    expect(page).to_have_url(f"{live_server.url}/cycles/2023/governments/{LANGKAT}/compare/")
    totals = page.locator("#totals")
    expect(totals.locator("[data-self-total]")).to_have_text(
        f"{format_score(self_2023.score)} {self_2023.band.category}"
    )
    expect(totals.locator("[data-official-total]")).to_have_text(
        f"{format_score(official_2023.score)} {official_2023.band.category}"
    )
    expect(page.locator("section[data-unit]")).to_have_count(7)
    all_differing = 0
    for unit in units:
        if unit not in self_units:
            section = page.locator(f"section[data-unit='{unit}']")
            expect(section.locator("[data-self-score]")).to_have_text("–")
            expect(section.locator("[data-official-score]")).to_have_text(
                format_score(official_units[unit].score)
            )
            continue
        mine, theirs = self_units[unit], official_units[unit]
        differing = [
            code
            for code, result in mine.indicators.items()
            if compared(result) != compared(theirs.indicators[code])
        ]
        all_differing += len(differing)
        section = page.locator(f"section[data-unit='{unit}']")
        flagged = section.locator("tr[data-indicator][data-differs]")
        expect(flagged).to_have_count(len(differing))
        if differing:
            expect(flagged).to_have_class([re.compile(r"\btable-warning\b")] * len(differing))
            shown = flagged.evaluate_all("rows => rows.map(row => row.dataset.indicator)")
            assert shown == differing
        expect(section.locator("tr[data-indicator]:not([data-differs])")).to_have_count(
            len(mine.indicators) - len(differing)
        )
        expect(section).to_contain_text(f"{len(differing)} indikator berbeda")
        expect(section.locator("[data-self-score]")).to_have_text(format_score(mine.score))
        expect(section.locator("[data-official-score]")).to_have_text(format_score(theirs.score))
    assert all_differing > 0

    first = page.locator("section[data-unit]:has(tr[data-differs])").first
    first.scroll_into_view_if_needed()
    save_screenshot(page, screenshots / "compare-self-official.png")


# -- 3. the assessor's official assessment ----------------------------------------------------


def test_an_assessor_interviews_and_observes_dinas_kesehatan_and_submits(
    page: Page, live_server, demo, screenshots
):
    year = current_year()
    assessment = langkat_assessment(year, AssessmentKind.OFFICIAL)
    respondents = {
        (r.group, r.position): r.pk for r in assessment.respondents.order_by("group", "position")
    }
    observations = list(
        assessment.product_observations.select_related("product").order_by("product__name")
    )
    assert len(respondents) == 6
    assert len(observations) == 2

    log_in(page, live_server, "penilai.sumut")
    open_my_work(page, "Penilaian resmi Kabupaten Langkat")
    expect(page).to_have_url(
        f"{live_server.url}/cycles/{year}/governments/{LANGKAT}/?jenis=official"
    )
    page.locator("#units tr[data-unit='dinkes'] a[data-assessment-link]").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    expect(page.locator("[data-status=draft]")).to_be_visible()

    # Who was interviewed (positions, no names) and where each product's standard is published.
    people = page.locator("#people")
    titles = {
        ("implementers", 1): "Kepala Seksi Pelayanan Kesehatan",
        ("implementers", 2): "Petugas loket SPP-IRT",
        ("implementers", 3): "Sanitarian",
        ("implementers", 4): "Staf administrasi perizinan",
        ("complaint_officials", 1): "Kepala Subbagian Umum",
        ("complaint_officials", 2): "Admin SP4N-LAPOR!",
    }
    # Typed in one go, field after field, as a person would: each field saves on its own
    # while the next one is being typed, and nothing typed is lost.
    fields = people.locator("input[name^=title-]")
    expect(fields).to_have_count(len(titles))
    by_field = {f"title-{respondents[key]}": title for key, title in titles.items()}
    order = [fields.nth(i).get_attribute("name") for i in range(len(titles))]
    fields.first.click()
    for name in order:
        page.keyboard.type(by_field[name], delay=15)
        page.keyboard.press("Tab")
    for name in order:
        expect(people.locator(f"input[name={name}]")).to_have_value(by_field[name])
    expect(people.locator("[data-saved]")).to_be_visible()
    wait_until(lambda: {f"title-{r.pk}": r.title for r in assessment.respondents.all()} == by_field)

    both, physical_only = observations
    for name in (f"physical-{both.pk}", f"electronic-{both.pk}", f"physical-{physical_only.pk}"):
        with page.expect_response(lambda r: r.url.endswith("/people/")):
            people.locator(f"input[name={name}]").check()
        expect(people.locator(f"input[name={name}]")).to_be_checked()
    expect(people.locator("[data-saved]")).to_be_visible()
    expect(people.locator(f"input[name=electronic-{physical_only.pk}]")).not_to_be_checked()
    expect(people).to_contain_text("Hanya fisik: komponen standar pelayanan belum terpenuhi")

    # IN-K1 for the four implementers: 3, 2, 3, 2 → 2.50.
    ink1 = page.locator("#ind-IN-K1")
    expect(ink1.locator("tr[data-part]")).to_have_count(4)
    for row, value in enumerate(["3", "2", "3", "2"]):
        answer_part(ink1, row, value)
    expect(ink1.locator("[data-mean]")).to_have_text(
        "Nilai indikator (rata-rata): 2.50 dari 4 responden/produk"
    )

    # PG-7 for the two complaint officials: 3 and 1 → 2.00.
    pg7 = page.locator("#ind-PG-7")
    expect(pg7.locator("tr[data-part]")).to_have_count(2)
    answer_part(pg7, 0, "3")
    answer_part(pg7, 1, "1")
    expect(pg7.locator("[data-mean]")).to_have_text(
        "Nilai indikator (rata-rata): 2.00 dari 2 responden/produk"
    )

    # PR-01 for both products: published physically and electronically (3), physically only (2).
    pr01 = page.locator("#ind-PR-01")
    expect(pr01.locator("tr[data-part]").nth(0)).to_contain_text(both.product.name)
    expect(pr01.locator("tr[data-part]").nth(1)).to_contain_text(physical_only.product.name)
    answer_part(pr01, 0, "3")
    answer_part(pr01, 1, "2")
    expect(pr01.locator("[data-mean]")).to_have_text(
        "Nilai indikator (rata-rata): 2.50 dari 2 responden/produk"
    )
    live = unit_result(year, AssessmentKind.OFFICIAL)
    assert [live.indicators[c].value for c in ("IN-K1", "PG-7", "PR-01")] == [
        Decimal("2.5"),
        Decimal("2"),
        Decimal("2.5"),
    ]
    expect(page.locator("#result-panel [data-unit-score]")).to_have_text(format_score(live.score))

    # Submitting locks the answers.
    page.locator("[data-submit]").click()
    status = page.locator("[data-status]")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(status).to_have_text("Diajukan")
    expect(page.locator("main > .alert-success")).to_have_text(
        "Penilaian diajukan. Jawaban kini terkunci."
    )
    expect(page.locator("[data-edit-state]")).to_contain_text("Penilaian sudah diajukan")
    expect(page.locator("[data-submit]")).to_have_count(0)
    levels = page.locator("section[data-indicator] button[name=value]")
    assert levels.count() > 100
    expect(page.locator("section[data-indicator] button[name=value]:enabled")).to_have_count(0)
    expect(level(page.locator("#ind-IN-K1"), 0, "3")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#ind-IN-K1 tr[data-part]").nth(0)).to_contain_text(
        titles[("implementers", 1)]
    )
    expect(page.locator("#ind-IN-K1 [data-mean]")).to_contain_text("2.50")
    for key in titles:
        expect(people.locator(f"input[name=title-{respondents[key]}]")).to_have_attribute(
            "readonly", ""
        )
    assessment.refresh_from_db()
    assert assessment.status == "submitted"

    # From the header (the "Diajukan" badge) down to IN-K1's points, full width.
    top = page.locator("main").bounding_box()["y"]
    points = page.locator("#ind-IN-K1 [data-points]").bounding_box()
    save_screenshot(
        page,
        screenshots / "workspace-assessor-interviews.png",
        full_page=True,
        clip={"x": 0, "y": top, "width": 1400, "height": points["y"] + points["height"] + 12 - top},
    )
