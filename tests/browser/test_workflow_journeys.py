"""The verification workflow and the rapor's follow-up, walked in a real browser.

1. The verifier asks for a change on one indicator of Langkat's submitted 2023 official
   assessment of Dinas Kesehatan; the assessor fixes that indicator (the only one open) and
   resubmits; the verifier verifies, finalises and publishes Langkat's results, and the
   assessment's history tells who did what.
2. Labuhanbatu's coordinator hands one action of the published 2022 rapor to a Disdukcapil
   operator, who completes it with proof; the government's progress moves by one.

Expected values come from the database (statuses, counts, names, stored answers). Screenshots
go to the ``screenshots`` folder (``$PATUH_SCREENSHOTS`` or the test's temporary folder).
"""

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import Locator, Page, expect

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    ChangeRequest,
)
from patuh.followup.models import ActionStatus, FollowUpAction
from patuh.orgs.models import Government, ServiceUnit

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
LANGKAT = "12.05"
LABUHANBATU = "12.10"
SCREENSHOT_MAX_BYTES = 400_000
# A minimal PDF: the upload check decides the type from the bytes, not from the name.
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)
VERIFIER = "Verifikator Kantor Pusat"
ASSESSOR = "Penilai Perwakilan Sumatera Utara"


# -- helpers ----------------------------------------------------------------------------------


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def log_out(page: Page, live_server) -> None:
    """The navbar's "Keluar" button (a POST form), back to the home page, signed out."""
    page.locator("nav").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("nav").get_by_role("link", name="Masuk")).to_be_visible()


def switch_user(page: Page, live_server, username: str) -> None:
    log_out(page, live_server)
    log_in(page, live_server, username)


def full_name(username: str) -> str:
    return get_user_model().objects.get(username=username).get_full_name()


def flash(page: Page) -> Locator:
    return page.locator("main > .alert-success")


def local_time(moment: dt.datetime) -> str:
    """A timestamp as the templates show it (``d-m-Y H:i``, the site's time zone)."""
    return date_format(timezone.localtime(moment), "d-m-Y H:i")


def answer_part(card: Locator, row: int, value: str) -> None:
    """Click a product's level and wait for the card that says it was saved."""
    button = card.locator("tr[data-part]").nth(row).locator(f"button[value='{value}']")
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(card.locator("[data-saved]")).to_have_text("✓ Tersimpan")


def shown(value: list) -> str:
    """A per-product answer as the history shows it: ``[2, 3]`` → ``"nilai: 2, 3"``."""
    return "nilai: " + ", ".join(str(item) for item in value)


def scroll_to(target: Locator, margin: int) -> None:
    """Put ``target`` ``margin`` pixels below the top of the viewport, instantly (Bootstrap
    makes the page's scrolling smooth, which a screenshot would catch midway)."""
    target.evaluate(
        "(element, margin) => window.scrollTo({top: element.getBoundingClientRect().top"
        " + window.scrollY - margin, behavior: 'instant'})",
        margin,
    )


def save_screenshot(target: Page | Locator, path, **options) -> None:
    target.screenshot(path=str(path), **options)
    assert 10_000 < path.stat().st_size < SCREENSHOT_MAX_BYTES, path


# -- 1. request changes, fix, resubmit, verify, finalise, publish ------------------------------


def test_a_change_request_goes_to_the_assessor_and_langkat_is_published(
    page: Page, live_server, demo, screenshots
):
    government = Government.objects.get(region_code=LANGKAT)
    official = Assessment.objects.filter(
        cycle__year=2023, kind=AssessmentKind.OFFICIAL, service_unit__government=government
    )
    units = dict(official.values_list("service_unit__code", "service_unit__name"))
    assert len(units) == 7
    assert set(official.values_list("status", flat=True)) == {AssessmentStatus.SUBMITTED}
    assessment = official.get(service_unit__code="dinkes")
    products = list(
        assessment.product_observations.select_related("product").order_by("product__name")
    )
    assert len(products) == 2
    original = Answer.objects.get(assessment=assessment, indicator_code="PR-06").value
    assert original == [2, 2]
    government_url = f"{live_server.url}/cycles/2023/governments/{LANGKAT}/?jenis=official"
    assessment_url = f"{live_server.url}/assessments/{assessment.pk}/"
    note = "Foto maklumat pelayanan untuk SPP-IRT tidak terbaca; unggah ulang dan nilai ulang."
    status = page.locator("[data-status]")

    # The verifier asks for a change on PR-06 of Dinas Kesehatan.
    log_in(page, live_server, "verifikator")
    page.goto(government_url)
    dinkes = page.locator("#units tr[data-unit='dinkes']")
    expect(dinkes.locator("[data-status]")).to_have_text("Diajukan")
    dinkes.locator("a[data-assessment-link]").click()
    expect(page).to_have_url(assessment_url)
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    expect(status).to_have_attribute("data-status", "submitted")
    expect(page.locator("#workflow [data-verify]")).to_be_visible()
    # The verifier reads, but fills nothing.
    expect(page.locator("section[data-indicator] button[name=value]:enabled")).to_have_count(0)
    card = page.locator("#ind-PR-06")
    request = card.locator("details[data-request-changes]")
    request.locator("summary").click()
    request.locator("input[name=note]").fill(note)
    request.get_by_role("button", name="Minta perbaikan", exact=True).click()
    expect(page).to_have_url(f"{assessment_url}#ind-PR-06")
    expect(status).to_have_attribute("data-status", "changes_requested")
    expect(status).to_have_text("Perlu perbaikan")
    expect(flash(page)).to_have_text("Perbaikan PR-06 diminta; penilaian kembali ke penilai.")
    expect(page.locator("[data-status-note]")).to_have_text(f"Catatan status: PR-06: {note}")
    expect(page.locator("#workflow [data-verify]")).to_have_count(0)
    change = ChangeRequest.objects.get(assessment=assessment)
    assert (change.indicator_code, change.note, change.answered_at) == ("PR-06", note, None)
    assert change.requested_by.username == "verifikator"
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CHANGES_REQUESTED

    # The assessor finds the request; only PR-06 opens.
    switch_user(page, live_server, "penilai.sumut")
    page.goto(government_url)
    expect(dinkes.locator("[data-status]")).to_have_text("Perlu perbaikan")
    dinkes.locator("a[data-assessment-link]").click()
    expect(page).to_have_url(assessment_url)
    expect(status).to_have_text("Perlu perbaikan")
    expect(page.locator("[data-change-requests]")).to_have_text(
        "Verifikator meminta perbaikan pada 1 indikator (ditandai merah di bawah). "
        "Perbaiki lalu ajukan kembali."
    )
    banners = page.locator("[data-change-request]")
    expect(banners).to_have_count(1)
    expect(card.locator("[data-change-request]")).to_have_text(
        f"Perbaikan diminta oleh {VERIFIER}, {local_time(change.requested_at)}: {note}"
    )
    pr06_buttons = card.locator("button[name=value]")
    expect(pr06_buttons).to_have_count(2 * 5)  # two products × levels 0–3 and N/A
    expect(card.locator("button[name=value]:enabled")).to_have_count(10)
    expect(page.locator("section[data-indicator] button[name=value]:enabled")).to_have_count(10)
    other = page.locator("#ind-PR-01")
    expect(other.locator("button[name=value]")).to_have_count(10)
    expect(other.locator("button[name=value]:disabled")).to_have_count(10)
    expect(other.locator("textarea[name=note]")).to_have_attribute("readonly", "")
    expect(card.locator("textarea[name=note]")).not_to_have_attribute("readonly", "")
    expect(card.locator("tr[data-part]").nth(0)).to_contain_text(products[0].product.name)
    expect(card.locator("tr[data-part]").nth(1)).to_contain_text(products[1].product.name)
    # The server refuses a save on an indicator that was not flagged, too.
    pr01_before = Answer.objects.get(assessment=assessment, indicator_code="PR-01")
    form = other.locator("tr[data-part] form").first
    refused = page.request.post(
        live_server.url + form.get_attribute("action"),
        form={
            "csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value(),
            "version": form.locator("[name=version]").input_value(),
            "part": form.locator("[name=part]").input_value(),
            "value": "0",
        },
    )
    assert refused.status == 403
    assert "Hanya indikator yang diminta perbaikannya" in refused.text()  # not a CSRF refusal
    pr01_after = Answer.objects.get(assessment=assessment, indicator_code="PR-01")
    assert (pr01_after.value, pr01_after.version) == (pr01_before.value, pr01_before.version)

    scroll_to(card, margin=80)
    save_screenshot(page, screenshots / "workflow-change-request.png")

    answer_part(card, 0, "3")
    answer_part(card, 1, "3")
    expect(card.locator("[data-mean]")).to_have_text(
        "Nilai indikator (rata-rata): 3.00 dari 2 responden/produk"
    )
    assert Answer.objects.get(assessment=assessment, indicator_code="PR-06").value == [3, 3]
    page.locator("[data-submit]").click()
    expect(status).to_have_attribute("data-status", "submitted")
    expect(status).to_have_text("Diajukan")
    expect(flash(page)).to_have_text("Penilaian diajukan. Jawaban kini terkunci.")
    expect(page.locator("[data-change-requests]")).to_have_count(0)
    expect(page.locator("[data-change-request]")).to_have_count(0)
    expect(page.locator("section[data-indicator] button[name=value]:enabled")).to_have_count(0)
    change.refresh_from_db()
    assert change.answered_at is not None

    # The verifier verifies Dinas Kesehatan, then the whole government, then publishes.
    switch_user(page, live_server, "verifikator")
    page.goto(assessment_url)
    page.locator("#workflow [data-verify]").click()
    expect(status).to_have_attribute("data-status", "verified")
    expect(status).to_have_text("Terverifikasi")
    expect(flash(page)).to_have_text("Penilaian diverifikasi.")
    expect(page.locator("#workflow [data-finalise]")).to_be_visible()

    page.locator("nav[aria-label=breadcrumb]").get_by_role("link", name=government.name).click()
    expect(page).to_have_url(government_url)
    statuses = page.locator("#units tr[data-unit] [data-status]")
    expect(statuses).to_have_count(7)
    expect(dinkes.locator("[data-status]")).to_have_text("Terverifikasi")
    expect(page.locator("[data-follow-up-link]")).to_have_count(0)
    waiting = official.filter(status=AssessmentStatus.SUBMITTED).count()
    assert waiting == 6

    workflow = page.locator("#workflow")
    workflow.get_by_role("button", name="Verifikasi semua yang diajukan").click()
    expect(page).to_have_url(f"{government_url}#workflow")
    expect(flash(page)).to_have_text(
        f"{waiting} penilaian diproses, {7 - waiting} dilewati karena statusnya."
    )
    expect(statuses).to_have_text(["Terverifikasi"] * 7)
    assert set(official.values_list("status", flat=True)) == {AssessmentStatus.VERIFIED}

    workflow.get_by_role("button", name="Finalkan semua yang terverifikasi").click()
    expect(flash(page)).to_have_text("7 penilaian diproses, 0 dilewati karena statusnya.")
    expect(statuses).to_have_text(["Final"] * 7)
    assert set(official.values_list("status", flat=True)) == {AssessmentStatus.FINAL}
    assert not FollowUpAction.objects.filter(cycle__year=2023, government=government).exists()

    workflow.get_by_role("button", name="Publikasikan hasil").click()
    expect(flash(page)).to_have_text(
        f"7 penilaian {government.name} dipublikasikan; tindak lanjut rapor dibuat."
    )
    expect(statuses).to_have_text(["Dipublikasikan"] * 7)
    for code in units:
        expect(page.locator(f"#units tr[data-unit='{code}'] [data-status]")).to_have_text(
            "Dipublikasikan"
        )
    assert set(official.values_list("status", flat=True)) == {AssessmentStatus.PUBLISHED}
    actions = FollowUpAction.objects.filter(cycle__year=2023, government=government)
    assert actions.count() > 0
    follow_up = page.locator("[data-follow-up-link]")
    expect(follow_up).to_have_text("Tindak lanjut rapor")
    follow_up.click()
    expect(page).to_have_url(f"{live_server.url}/cycles/2023/governments/{LANGKAT}/follow-up/")
    expect(page.locator("[data-government-progress]")).to_have_text(f"0/{actions.count()} (0%)")
    expect(page.locator("li[data-action-status]")).to_have_count(actions.count())
    expect(page.locator("li[data-action-status=open]")).to_have_count(actions.count())

    # The history of Dinas Kesehatan: every step, who took it, and PR-06's old and new values.
    page.goto(assessment_url)
    expect(status).to_have_text("Dipublikasikan")
    page.get_by_role("link", name="Riwayat perubahan").click()
    expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/history/")
    steps = [
        ("assessment.changes_requested", VERIFIER, "submitted", "changes_requested"),
        ("assessment.submitted", ASSESSOR, "changes_requested", "submitted"),
        ("assessment.verified", VERIFIER, "submitted", "verified"),
        ("assessment.finalised", VERIFIER, "verified", "final"),
        ("assessment.published", VERIFIER, "final", "published"),
    ]
    for action, actor, old, new in steps:
        row = page.locator(f"#history tr[data-action='{action}']")
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(actor)
        expect(row.locator("[data-old]")).to_have_text(f"status: {AssessmentStatus(old).label}")
        expect(row.locator("[data-new]")).to_have_text(f"status: {AssessmentStatus(new).label}")
    expect(
        page.locator("#history tr[data-action='assessment.changes_requested'] td").nth(6)
    ).to_have_text(f"PR-06: {note}")
    # Newest first: the workflow's steps in the reverse order they were taken.
    order = page.locator("#history tr[data-action^='assessment.']").evaluate_all(
        "rows => rows.map(row => row.dataset.action)"
    )
    assert order == [action for action, *_ in reversed(steps)]
    requested = page.locator("#history tr[data-action='change_request.added']")
    expect(requested).to_have_count(1)
    expect(requested.locator("td").nth(1)).to_have_text(VERIFIER)
    expect(requested.locator("td code")).to_have_text("PR-06")
    expect(requested.locator("[data-new]")).to_have_text(f"catatan: {note}")

    answers = page.locator("#history tr[data-action='answer.recorded']")
    pr06 = answers.filter(has=page.locator("td code", has_text=re.compile("^PR-06$")))
    expect(answers).to_have_count(2)
    expect(pr06).to_have_count(2)
    expect(pr06.locator("td:nth-child(2)")).to_have_text([ASSESSOR] * 2)
    expect(pr06.nth(1).locator("[data-old]")).to_have_text(shown(original))
    expect(pr06.nth(1).locator("[data-new]")).to_have_text(shown([3, *original[1:]]))
    expect(pr06.nth(0).locator("[data-old]")).to_have_text(shown([3, *original[1:]]))
    expect(pr06.nth(0).locator("[data-new]")).to_have_text(shown([3, 3]))


# -- 2. the rapor's follow-up: assign, work, complete with proof -------------------------------


@pytest.fixture
def disdukcapil_operator(demo):
    """An operator of Labuhanbatu's Disdukcapil (the demo has none), to own an action."""
    unit = ServiceUnit.objects.get(government__region_code=LABUHANBATU, code="disdukcapil")
    user = get_user_model().objects.create_user(
        "operator.disdukcapil.labuhanbatu",
        password=PASSWORD,
        first_name="Operator",
        last_name="Disdukcapil Labuhanbatu",
    )
    Membership.objects.create(user=user, role=Role.UNIT_OPERATOR, service_unit=unit)
    return user


def progress_text(actions) -> str:
    """``done/total (percent%)`` of a queryset of actions, read afresh from the database."""
    statuses = list(actions.values_list("status", flat=True))
    done, total = statuses.count(ActionStatus.DONE), len(statuses)
    return f"{done}/{total} ({round(100 * done / total)}%)"


def test_a_coordinator_assigns_a_follow_up_action_and_an_operator_completes_it(
    page: Page, live_server, disdukcapil_operator, settings, tmp_path, screenshots
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    government = Government.objects.get(region_code=LABUHANBATU)
    actions = FollowUpAction.objects.filter(cycle__year=2022, government=government)
    total = actions.count()
    assert total > 0
    assert actions.filter(status=ActionStatus.DONE).count() == 3
    unit_actions = actions.filter(service_unit__code="disdukcapil")
    action = unit_actions.filter(status=ActionStatus.OPEN).first()  # most points lost first
    assert action is not None
    operator = disdukcapil_operator.get_full_name()
    title = f"Tindak lanjut rapor {government.name} 2022"
    page_url = f"{live_server.url}/cycles/2022/governments/{LABUHANBATU}/follow-up/"
    progress = page.locator("[data-government-progress]")
    item = page.locator(f"li#action-{action.pk}")
    due = timezone.localdate() + dt.timedelta(days=30)

    # The coordinator opens the rapor's follow-up from "Pekerjaan Anda".
    log_in(page, live_server, "koordinator.labuhanbatu")
    entry = page.locator("#my-work li", has=page.get_by_role("link", name=title))
    expect(entry).to_contain_text(f"{total - 3} tindakan belum selesai")
    entry.get_by_role("link", name=title).click()
    expect(page).to_have_url(page_url)
    expect(page.locator("h1")).to_have_text(title)
    expect(progress).to_have_text(progress_text(actions))
    expect(progress).to_contain_text(f"3/{total}")
    expect(page.locator("li[data-action-status]")).to_have_count(total)
    expect(page.locator("li[data-action-status=done]")).to_have_count(3)
    expect(page.locator("#unit-progress tr[data-unit='disdukcapil'] td").nth(1)).to_have_text(
        progress_text(unit_actions)
    )
    expect(item).to_have_attribute("data-action-status", "open")
    expect(item).to_have_attribute("data-indicator", action.indicator_code)

    # Who may own an action: the government's coordinators and its units' operators.
    owners = (
        get_user_model()
        .objects.filter(
            Q(memberships__role=Role.GOVERNMENT_COORDINATOR, memberships__government=government)
            | Q(
                memberships__role=Role.UNIT_OPERATOR,
                memberships__service_unit__government=government,
            )
        )
        .distinct()
        .order_by("username")
    )
    names = [user.get_full_name() for user in owners]
    assert names == ["Koordinator Pemkab Labuhanbatu", operator]
    owner_select = item.locator("select[name=owner]")
    expect(owner_select.locator("option")).to_have_text(["–", *names])
    owner_select.select_option(label=operator)
    item.locator("input[name=due_on]").fill(due.isoformat())
    item.get_by_role("button", name="Tugaskan").click()
    expect(page).to_have_url(f"{page_url}#action-{action.pk}")
    expect(flash(page)).to_have_text("Penanggung jawab dan tenggat disimpan.")
    expect(item.locator("[data-owner]")).to_have_text(f"Penanggung jawab: {operator}")
    expect(item).to_contain_text(f"Tenggat: {due:%d-%m-%Y}")
    action.refresh_from_db()
    assert (action.owner, action.due_on, action.status) == (
        disdukcapil_operator,
        due,
        ActionStatus.OPEN,
    )

    # The operator starts the action and completes it with a note and a PDF.
    switch_user(page, live_server, disdukcapil_operator.username)
    open_here = unit_actions.exclude(status=ActionStatus.DONE).count()
    entry = page.locator("#my-work li", has=page.get_by_role("link", name=title))
    expect(entry).to_contain_text(f"{open_here} tindakan belum selesai")
    entry.get_by_role("link", name=title).click()
    expect(page).to_have_url(page_url)
    # The operator sees its own unit's actions only.
    expect(page.locator("#unit-progress tr")).to_have_count(1)
    expect(page.locator("li[data-action-status]")).to_have_count(unit_actions.count())
    expect(progress).to_have_text(progress_text(unit_actions))
    expect(item.locator("select[name=owner]")).to_have_count(0)
    item.get_by_role("button", name="Mulai kerjakan").click()
    expect(flash(page)).to_have_text("Tindak lanjut mulai dikerjakan.")
    expect(item).to_have_attribute("data-action-status", "in_progress")
    expect(item.locator(".badge")).to_have_text("Dikerjakan")

    note = "Waktu layanan akta kelahiran kini dipantau harian; SOP baru terlampir."
    pdf = tmp_path / "sop-akta-kelahiran.pdf"
    pdf.write_bytes(PDF)
    digest = hashlib.sha256(PDF).hexdigest()
    item.locator("summary", has_text="Selesaikan dengan bukti").click()
    form = item.locator("form[data-complete]")
    form.locator("textarea[name=note]").fill(note)
    form.locator("input[type=file][name=file]").set_input_files(pdf)
    form.get_by_role("button", name="Tandai selesai").click()
    expect(flash(page)).to_have_text("Tindak lanjut selesai, dengan buktinya.")
    expect(item).to_have_attribute("data-action-status", "done")
    expect(item.locator(".badge")).to_have_text("Selesai")
    proof = item.locator("[data-proof]")
    expect(proof).to_contain_text(f"Bukti ({operator}, ")
    expect(proof).to_contain_text(note)
    expect(proof).to_contain_text(f"SHA-256 {digest[:12]}…")
    expect(progress).to_have_text(progress_text(unit_actions))
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completed_by == disdukcapil_operator
    assert (action.proof_note, action.proof_original_name, action.proof_sha256) == (
        note,
        "sop-akta-kelahiran.pdf",
        digest,
    )
    expect(proof).to_contain_text(local_time(action.completed_at))
    link = proof.get_by_role("link", name="sop-akta-kelahiran.pdf")
    expect(link).to_have_attribute("href", f"/follow-up/proof/{action.pk}/")
    download = page.request.get(live_server.url + link.get_attribute("href"))
    assert download.ok
    assert download.body() == PDF
    assert "sop-akta-kelahiran.pdf" in download.headers["content-disposition"]

    # Back to the coordinator: the government's progress has moved by one.
    switch_user(page, live_server, "koordinator.labuhanbatu")
    page.goto(page_url)
    expect(progress).to_have_text(progress_text(actions))
    expect(progress).to_contain_text(f"4/{total}")
    expect(page.locator("li[data-action-status=done]")).to_have_count(4)
    expect(page.locator("#unit-progress tr[data-unit='disdukcapil'] td").nth(1)).to_have_text(
        progress_text(unit_actions)
    )
    expect(item.locator("[data-proof]")).to_contain_text(note)

    # Disdukcapil's actions from the top, the completed one (most points lost) first.
    expect(page.locator("#unit-disdukcapil li[data-action-status]").first).to_have_id(
        f"action-{action.pk}"
    )
    scroll_to(page.locator("#unit-disdukcapil"), margin=16)
    save_screenshot(page, screenshots / "follow-up-labuhanbatu.png")
