"""A 2026 cycle on the 2025+ method (``opini-2025``), run end to end by the Sumatera Utara
regional office in a real Chromium.

The regional-office admin chooses the sites (a newly registered Panti Sosial of Kabupaten
Labuhanbatu joins the sample), enters the government-level figures the unit assessments do
not give (the public-trust index that has not come in yet, a corrected BPS figure), and reads
the score, quality label and opinion, without a zone. The assessors' field work is filled in
by the test (the workspace journeys cover it); the Ombudsman's headquarters verifies,
finalises and publishes (verification is the headquarters' stage, INSTRUMENTS.md), and the
public page shows the published opinion with its figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from test_workflow_journeys import flash, log_in, switch_user

from patuh.assessments import workflow
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Cycle,
    GovernmentAnswer,
)
from patuh.core.models import AuditEvent
from patuh.demo.current import current_year
from patuh.orgs.models import Government, ServiceUnit, UnitType
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument

LABUHANBATU = "12.10"
PANTI = "panti-sosial-ilustratif"


def _official(cycle: Cycle, government: Government):
    return Assessment.objects.filter(
        cycle=cycle, kind=AssessmentKind.OFFICIAL, service_unit__government=government
    ).exclude(status=AssessmentStatus.DROPPED)


def _field_work(cycle: Cycle, government: Government) -> int:
    """What the assessors bring back from the visits: every applicable indicator of every
    official assessment of the government answered, then submitted."""
    instrument = load_instrument(cycle.instrument_code)
    assessor = get_user_model().objects.get(username="penilai.sumut")
    assessments = list(_official(cycle, government).select_related("service_unit"))
    for position, assessment in enumerate(assessments):
        Answer.objects.filter(assessment=assessment).delete()
        Answer.objects.bulk_create(
            [
                Answer(
                    assessment=assessment,
                    indicator_code=code,
                    value=2 if (index + position) % 3 else 3,
                )
                for index, (code, indicator) in enumerate(instrument.indicators.items())
                if indicator.applies_to_unit_type(assessment.service_unit.type)
            ]
        )
        workflow.transition(assessment, "submit", actor=assessor)
    return len(assessments)


def test_the_regional_office_runs_a_2026_cycle_on_the_2025_method(page: Page, live_server, demo):
    year = current_year()
    cycle = Cycle.objects.get(year=year, province__region_code="12")
    assert cycle.instrument_code == "opini-2025"
    government = Government.objects.get(region_code=LABUHANBATU)
    panti = ServiceUnit.objects.create(
        government=government,
        code=PANTI,
        name="Panti Sosial Bina Lansia (ilustratif)",
        type=UnitType.PANTI_SOSIAL,
        is_synthetic=True,
    )
    before = _official(cycle, government).count()
    assert not GovernmentAnswer.objects.filter(
        cycle=cycle, government=government, indicator_code="KM-IKM"
    ).exists()

    # -- 1. the regional office chooses the sites: the Panti Sosial joins the sample --------
    log_in(page, live_server, "perwakilan.sumut")
    page.goto(f"{live_server.url}/cycles/manage/{cycle.pk}/")
    page.locator("#sites-link").get_by_role("link", name="Lokus penilaian").click()
    expect(page).to_have_url(f"{live_server.url}/cycles/manage/{cycle.pk}/sites/")
    fieldset = page.locator(f"fieldset[data-government='{LABUHANBATU}']")
    box = fieldset.locator(f"#unit-{panti.pk}")
    expect(box).not_to_be_checked()
    expect(fieldset).to_contain_text("Panti Sosial")
    box.check()
    page.get_by_role("button", name="Simpan lokus").click()
    expect(flash(page)).to_have_text(
        "Lokus disimpan: 1 ditambahkan, 0 dikembalikan, 0 dikeluarkan."
    )
    expect(page.locator(f"#unit-{panti.pk}")).to_be_checked()
    assert _official(cycle, government).count() == before + 1
    assert _official(cycle, government).filter(service_unit=panti).exists()
    assert AuditEvent.objects.filter(action="cycle.sites_chosen").exists()

    # the assessors visit the sites (their workspace is covered by other journeys)
    submitted = _field_work(cycle, government)
    assert submitted == before + 1

    # -- 2. the government-level figures: public trust, and a corrected BPS figure --------
    page.goto(f"{live_server.url}/cycles/manage/{cycle.pk}/")
    data = page.locator("#government-data")
    row = data.locator(f"tr[data-government='{LABUHANBATU}']")
    expect(row.locator("[data-entered]")).to_have_text("4 dari 5")
    row.get_by_role("link", name=government.name).click()
    expect(page).to_have_url(
        f"{live_server.url}/cycles/manage/{cycle.pk}/governments/{LABUHANBATU}/data/"
    )
    trust = page.locator("#fig-KM-IKM")
    expect(trust.locator("[data-stored]")).to_contain_text("belum diisi")
    expect(trust).to_contain_text("sementara")  # the provisional flag of the survey's scale
    score_before = page.locator("[data-government-score]").inner_text()
    trust.get_by_label("Nilai", exact=True).fill("140")
    trust.get_by_role("button", name="Simpan").click()
    expect(page.locator("#fig-KM-IKM [data-failed]")).to_contain_text("di luar skala")
    assert not GovernmentAnswer.objects.filter(
        cycle=cycle, government=government, indicator_code="KM-IKM"
    ).exists()
    trust = page.locator("#fig-KM-IKM")
    trust.get_by_label("Nilai", exact=True).fill("62.5")
    trust.get_by_label("Tahun data").fill(str(year))
    trust.get_by_label("Sumber").fill("Survei Kepercayaan Masyarakat, Ombudsman RI")
    trust.get_by_role("button", name="Simpan").click()
    expect(page.locator("#fig-KM-IKM [data-saved]")).to_have_text("✓ Tersimpan")
    expect(page.locator("#fig-KM-IKM [data-stored-value]")).to_have_text("62.5")
    expect(page.locator("[data-government-score]")).not_to_have_text(score_before)

    ipm = page.locator("#fig-OU-IPM")
    ipm.get_by_label("Nilai", exact=True).fill("71.84")
    ipm.get_by_label("Alasan perubahan").fill("BPS memperbarui angka IPM")
    ipm.get_by_role("button", name="Simpan").click()
    expect(page.locator("#fig-OU-IPM [data-saved]")).to_have_text("✓ Tersimpan")
    stored = GovernmentAnswer.objects.get(
        cycle=cycle, government=government, indicator_code="OU-IPM"
    )
    assert (stored.value, stored.version) == (Decimal("71.84"), 2)
    changed = AuditEvent.objects.filter(action="government_answer.saved").latest("pk")
    assert changed.reason == "BPS memperbarui angka IPM"
    assert changed.actor.username == "perwakilan.sumut"

    # -- 3. the score, quality label and opinion, without a zone --------------------------
    government_url = f"{live_server.url}/cycles/{year}/governments/{LABUHANBATU}/?jenis=official"
    page.goto(government_url)
    layers = page.locator("#result-layers")
    expect(layers.locator("[data-layer-opinion]")).to_contain_text("Kualitas")
    expect(layers.locator("[data-layer-quality-label]")).not_to_be_empty()
    expect(layers.locator("[data-without-zones]")).to_be_visible()
    expect(layers.locator("tr[data-figure='KM-IKM'] [data-figure-value]")).to_have_text("62.5")
    expect(layers.locator("tr[data-figure='OU-IPM'] [data-figure-source]")).to_contain_text("BPS")
    # Labuhanbatu followed up 1 of its 3 Ombudsman products: low compliance, no suffix
    expect(layers.locator("[data-compliance]")).to_have_attribute("data-compliance", "rendah")
    expect(layers.locator("[data-layer-opinion]")).not_to_contain_text("Tanpa Maladministrasi")
    for zone in ("Hijau", "Kuning", "Merah"):
        expect(page.locator("main .badge", has_text=zone)).to_have_count(0)
    expect(page.locator("main [data-no-zone]").first).to_be_visible()

    # -- 4. headquarters verifies, finalises and publishes --------------------------------
    switch_user(page, live_server, "verifikator")
    page.goto(government_url)
    workflow_box = page.locator("#workflow")
    processed = f"{submitted} penilaian diproses, 0 dilewati karena statusnya."
    workflow_box.get_by_role("button", name="Verifikasi semua yang diajukan").click()
    expect(flash(page)).to_have_text(processed)
    workflow_box.get_by_role("button", name="Finalkan semua yang terverifikasi").click()
    expect(flash(page)).to_have_text(processed)
    workflow_box.get_by_role("button", name="Publikasikan hasil").click()
    expect(flash(page)).to_contain_text("dipublikasikan")
    snapshot = ResultSnapshot.objects.published().get(cycle=cycle, government=government)
    assert snapshot.zone == ""
    assert snapshot.opinion.startswith("Kualitas")
    figures = {
        figure["indicator"]: figure
        for element in snapshot.data["government"]["elements"]
        for figure in element["indicators"]
    }
    assert figures["KM-IKM"]["value"] == Decimal("62.5")
    assert figures["OU-IPM"]["source"]

    # the published figures are frozen: the data page is read-only now
    switch_user(page, live_server, "perwakilan.sumut")
    page.goto(f"{live_server.url}/cycles/manage/{cycle.pk}/governments/{LABUHANBATU}/data/")
    expect(page.locator("#fig-KM-IKM form[data-save-form]")).to_have_count(0)

    # -- 5. the public page ---------------------------------------------------------------
    page.goto(f"{live_server.url}/publik/{year}/{LABUHANBATU}/")
    expect(page.locator("[data-layer-opinion]")).to_have_text(snapshot.opinion)
    expect(page.locator("tr[data-figure='KM-IKM'] [data-figure-value]")).to_have_text("62.5")
    expect(page.locator("[data-without-zones]")).to_be_visible()
