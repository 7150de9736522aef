"""Notifications walked in a real browser.

The verifier asks for a change on one indicator of Langkat's submitted 2023 official
assessment of Dinas Kesehatan. The assessor assigned to Langkat signs in, sees one unread
notification in the navbar, opens the inbox, follows the notification to the assessment (the
count is gone), then turns off the e-mails of that event on the preferences page.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus
from patuh.notifications.models import Event, Notification, NotificationPreference

pytestmark = pytest.mark.browser

PASSWORD = "patuh-demo"
NOTE = "Foto maklumat pelayanan tidak terbaca; unggah ulang."


def log_in(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    expect(page).to_have_url(f"{live_server.url}/")


def log_out(page: Page, live_server) -> None:
    page.locator("nav").get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_change_request_reaches_the_assessor_who_then_turns_its_email_off(
    page: Page, live_server, demo, screenshots
):
    assessment = Assessment.objects.get(
        cycle__year=2023,
        kind=AssessmentKind.OFFICIAL,
        service_unit__government__region_code="12.05",
        service_unit__code="dinkes",
    )
    assert assessment.status == AssessmentStatus.SUBMITTED
    assessment_url = f"{live_server.url}/assessments/{assessment.pk}/"
    assessor = get_user_model().objects.get(username="penilai.sumut")
    badge = page.locator("nav #nav-unread-count")

    # The verifier asks for a change on PR-06; nobody tells the verifier of it.
    log_in(page, live_server, "verifikator")
    expect(badge).to_be_hidden()
    page.goto(assessment_url)
    request = page.locator("#ind-PR-06 details[data-request-changes]")
    request.locator("summary").click()
    request.locator("input[name=note]").fill(NOTE)
    request.get_by_role("button", name="Minta perbaikan", exact=True).click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "changes_requested")
    expect(badge).to_be_hidden()
    log_out(page, live_server)

    # The assessor sees one unread notification and opens the inbox.
    log_in(page, live_server, "penilai.sumut")
    expect(badge).to_be_visible()
    expect(badge).to_have_attribute("data-unread-count", "1")
    page.locator("nav a[data-nav-notifications]").click()
    expect(page).to_have_url(f"{live_server.url}/notifications/")
    row = page.locator("#notifications [data-notification]")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-read", "no")
    expect(row.locator("[data-notification-link]")).to_have_text(
        "Perbaikan diminta: Dinas Kesehatan, Kabupaten Langkat"
    )
    expect(row).to_contain_text(f"PR-06: {NOTE}")
    page.screenshot(path=str(screenshots / "notifications-inbox.png"))

    # Following it leads to the assessment, and the notification is read.
    row.locator("[data-notification-link]").click()
    expect(page).to_have_url(assessment_url)
    expect(page.locator("[data-status]")).to_have_text("Perlu perbaikan")
    expect(badge).to_be_hidden()
    notification = Notification.objects.get(recipient=assessor)
    assert notification.read_at is not None
    page.goto(f"{live_server.url}/notifications/")
    expect(row).to_have_attribute("data-read", "yes")

    # The preferences page, from the inbox: e-mails of change requests off, the inbox on.
    page.locator("[data-preferences-link]").click()
    expect(page).to_have_url(f"{live_server.url}/notifications/settings/")
    line = page.locator(f"#preferences tr[data-event='{Event.CHANGES_REQUESTED}']")
    email = line.locator(f"input[name='{Event.CHANGES_REQUESTED}-email']")
    expect(email).to_be_checked()
    email.uncheck()
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.locator("main > .alert-success")).to_have_text("Pengaturan notifikasi disimpan.")
    expect(email).not_to_be_checked()
    expect(line.locator(f"input[name='{Event.CHANGES_REQUESTED}-in_app']")).to_be_checked()
    preference = NotificationPreference.objects.get(user=assessor)
    assert (preference.event, preference.in_app, preference.email) == (
        Event.CHANGES_REQUESTED,
        True,
        False,
    )
    page.screenshot(path=str(screenshots / "notifications-preferences.png"))


def test_marking_one_read_in_the_inbox_updates_the_count_in_place(page: Page, live_server, demo):
    operator = get_user_model().objects.get(username="operator.dinkes.langkat")
    for title in ("Pertama", "Kedua"):
        Notification.objects.create(recipient=operator, event=Event.VERIFIED, title=title, url="/")
    log_in(page, live_server, "operator.dinkes.langkat")
    badge = page.locator("nav #nav-unread-count")
    expect(badge).to_have_attribute("data-unread-count", "2")
    page.locator("nav a[data-nav-notifications]").click()
    first = page.locator("#notifications [data-notification]").first
    first.locator("[data-mark-read]").click()
    expect(first).to_have_attribute("data-read", "yes")
    expect(badge).to_have_attribute("data-unread-count", "1")
    expect(page).to_have_url(f"{live_server.url}/notifications/")  # htmx: no reload
    page.locator("[data-mark-all-read]").click()
    expect(badge).to_be_hidden()
    assert not Notification.objects.filter(recipient=operator, read_at__isnull=True).exists()
