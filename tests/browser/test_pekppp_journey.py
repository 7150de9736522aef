"""KemenPAN-RB's PEKPPP evaluation walked in a real browser, on the demo's synthetic PEKPPP
2024 cycle of Sumatera Utara (Langkat's Dinas Sosial is a lokus):

1. the unit's operator fills an open indicator of its F-01 (the unit's self-fill) with an
   evidence link and submits it;
2. the evaluator scores an F-02 indicator and sends that F-01 indicator back with a note;
3. the operator sees the request, fixes the indicator (the only one open) and resubmits;
4. a citizen answers the F-03 questionnaire on a phone;
5. Langkat's coordinator sees the IPP: the F-02 index, its category, the F-03 index and the
   composite, as the scoring core computes them from the stored answers.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ChangeRequest,
    Cycle,
    Program,
)
from patuh.assessments.services import score_pekppp
from patuh.orgs.models import Government, ServiceUnit
from patuh.scoring.numbers import round_half_up
from patuh.surveys.models import SurveyKind, SurveyResponse

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
OPERATOR = "operator.dinsos.langkat"
INDICATOR = "INV-02"  # left open in the demo's F-01
NOTE = "Lampirkan laporan inovasi yang ditandatangani kepala dinas."
EVIDENCE_URL = "https://dokumen.demo.patuh.example/12.05/dinsos/laporan-inovasi.pdf"


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def log_out(page: Page, live_server) -> None:
    page.locator("nav").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_server.url}/")


def choose_level(page: Page, code: str, level: str) -> None:
    card = page.locator(f"#ind-{code}")
    button = card.locator(f"form.levels button[value='{level}']")
    button.click()
    expect(page.locator(f"#ind-{code} form.levels button[value='{level}']")).to_have_attribute(
        "aria-pressed", "true"
    )


@pytest.fixture
def pekppp(demo):
    cycle = Cycle.objects.get(program=Program.PEKPPP, year=2024, province__region_code="12")
    dinsos = ServiceUnit.objects.get(government__region_code="12.05", code="dinsos")
    operator = get_user_model().objects.create_user(OPERATOR, password=PASSWORD)
    operator.first_name = "Operator Dinas Sosial"
    operator.save()
    Membership.objects.create(user=operator, role=Role.UNIT_OPERATOR, service_unit=dinsos)
    return cycle, dinsos


def test_f01_f02_a_change_request_f03_on_a_phone_and_the_ipp(
    page: Page, browser, live_server, pekppp
):
    cycle, dinsos = pekppp
    f01 = Assessment.objects.get(cycle=cycle, service_unit=dinsos, kind=AssessmentKind.SELF)
    f02 = Assessment.objects.get(cycle=cycle, service_unit=dinsos, kind=AssessmentKind.OFFICIAL)
    f01_url = f"{live_server.url}/assessments/{f01.pk}/"
    assert not Answer.objects.filter(assessment=f01, indicator_code=INDICATOR).exists()

    # 1. The operator fills the open indicator of its F-01 with an evidence link, submits.
    log_in(page, live_server, OPERATOR)
    page.goto(f01_url)
    expect(page.locator("[data-kind-label]")).to_have_text("F-01 Isian mandiri unit")
    choose_level(page, INDICATOR, "3")
    card = page.locator(f"#ind-{INDICATOR}")
    card.locator("input[name=url]").fill(EVIDENCE_URL)
    card.locator("input[name=title]").fill("Laporan inovasi")
    card.get_by_role("button", name="Tambah bukti").click()
    expect(page.locator(f"#ind-{INDICATOR} [data-evidence-list]")).to_contain_text(
        "Laporan inovasi"
    )
    assert f01.evidence.filter(indicator_code=INDICATOR, url=EVIDENCE_URL).exists()
    page.locator("[data-submit]").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
    log_out(page, live_server)

    # 2. The evaluator scores an F-02 indicator, then sends the F-01 indicator back.
    log_in(page, live_server, "evaluator.panrb")
    page.goto(f"{live_server.url}/assessments/{f02.pk}/")
    expect(page.locator("[data-kind-label]")).to_have_text("F-02 Penilaian evaluator")
    choose_level(page, "KP-01", "5")
    assert Answer.objects.get(assessment=f02, indicator_code="KP-01").value == 5
    page.locator("[data-counterpart]").click()
    expect(page).to_have_url(f01_url)
    expect(page.locator("[data-evaluator-review]")).to_be_visible()
    expect(page.locator(f"#ind-{INDICATOR} [data-evidence-list]")).to_contain_text(
        "Laporan inovasi"
    )
    request = page.locator(f"#ind-{INDICATOR} [data-request-changes]")
    request.locator("summary").click()
    request.locator("input[name=note]").fill(NOTE)
    request.get_by_role("button", name="Minta perbaikan", exact=True).click()
    expect(page.locator("[data-status]").first).to_have_attribute(
        "data-status", "changes_requested"
    )
    change = ChangeRequest.objects.get(assessment=f01)
    assert (change.indicator_code, change.requested_by.username) == (INDICATOR, "evaluator.panrb")
    log_out(page, live_server)

    # 3. The operator sees the request, fixes that indicator (the only one open), resubmits.
    log_in(page, live_server, OPERATOR)
    page.goto(f01_url)
    expect(page.locator("[data-change-requests]")).to_contain_text(
        "Evaluator KemenPAN-RB meminta perbaikan F-01 pada 1 indikator"
    )
    expect(page.locator(f"#ind-{INDICATOR} [data-change-request]")).to_contain_text(NOTE)
    expect(page.locator("#ind-KP-01 form.levels button:disabled")).not_to_have_count(0)
    choose_level(page, INDICATOR, "4")
    page.locator("[data-submit]").click()
    expect(page.locator("[data-status]").first).to_have_attribute("data-status", "submitted")
    f01.refresh_from_db()
    assert f01.status == AssessmentStatus.SUBMITTED
    assert Answer.objects.get(assessment=f01, indicator_code=INDICATOR).value == 4
    log_out(page, live_server)

    # 4. A citizen answers the F-03 questionnaire on a phone.
    before = SurveyResponse.objects.filter(cycle=cycle, unit=dinsos, kind=SurveyKind.F03).count()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    citizen = phone.new_page()
    citizen.goto(f"{live_server.url}/survei/12.05/dinsos/f03/")
    questions = citizen.locator("[data-question]")
    expect(questions).to_have_count(14)
    citizen.get_by_label("Saya setuju mengisi survei ini.").check()
    citizen.select_option("#p-age_group", "30-39")
    for number in range(1, 15):
        citizen.locator(f"label[for=F3-{number:02d}-4]").click()  # the scale's button
    citizen.get_by_role("button", name="Kirim jawaban").click()
    expect(citizen.locator("[data-thanks]")).to_be_visible()
    width = citizen.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on the phone
    phone.close()
    after = SurveyResponse.objects.filter(cycle=cycle, unit=dinsos, kind=SurveyKind.F03)
    assert after.count() == before + 1

    # 5. Langkat's coordinator sees the IPP, as the scoring core computes it.
    langkat = Government.objects.get(region_code="12.05")
    parts = score_pekppp(cycle, langkat)
    assert parts is not None
    log_in(page, live_server, "koordinator.langkat")
    page.goto(f"{live_server.url}/pekppp/2024/governments/12.05/")
    ipp = page.locator("[data-ipp]")
    expect(ipp.locator("[data-ipp-government]")).to_have_text(
        f"{round_half_up(parts.ipp.score, 2):.2f}"
    )
    expect(ipp.locator("[data-ipp-category]")).to_have_text(parts.ipp.band.category)
    assert parts.government.f03 is not None
    expect(ipp.locator("[data-ipp-f03]")).to_have_text(
        f"{round_half_up(parts.government.f03, 2):.2f}"
    )
    assert parts.government.composite is not None
    expect(ipp.locator("[data-ipp-composite]")).to_contain_text(
        f"{round_half_up(parts.government.composite, 2):.2f}"
    )
    expect(ipp.locator("[data-provisional]").first).to_be_visible()
    dinsos_row = ipp.locator("[data-ipp-unit=dinsos]")
    unit = next(unit for unit in parts.ipp.units if unit.code == "dinsos")
    expect(dinsos_row.locator("[data-ipp-unit-score]")).to_have_text(
        f"{round_half_up(unit.score, 2):.2f}"
    )
