"""The register on the web: who logs, who handles, who sees identities; the figures on the
unit's Pengaduan cards; identities erased after retention."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from personas import persona

from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment
from patuh.complaints import services
from patuh.complaints.models import Channel, Complaint
from patuh.complaints.stats import Period, unit_figures
from patuh.core.models import AuditEvent

REGISTER = "/complaints/12.05/dinkes/"


@pytest.fixture
def front_office(langkat_dinkes):
    return persona("fani.frontoffice", Role.FRONT_OFFICE, service_unit=langkat_dinkes)


@pytest.fixture
def officer(langkat_dinkes):
    return persona("pipit.pengaduan", Role.COMPLAINT_OFFICER, service_unit=langkat_dinkes)


@pytest.fixture
def named_complaint(langkat_dinkes, front_office):
    return services.log_complaint(
        actor=front_office,
        unit=langkat_dinkes,
        channel=Channel.WALK_IN,
        subject="Loket tutup sebelum jam layanan",
        description="Disampaikan langsung di loket.",
        received_on=timezone.localdate(),
        complainant_name="Siti Pelapor",
        complainant_contact="0812-1111-2222",
    )


def _walk_in(client, **fields):
    data = {
        "received_on": timezone.localdate().isoformat(),
        "channel": "walk_in",
        "complaint_class": "complaint",
        "subject": "Antrean tidak tertib",
        "description": "",
        "category": "",
        "tracking_id": "",
        "complainant_name": "Budi Warga",
        "complainant_contact": "0813-0000-0000",
        **fields,
    }
    return client.post(REGISTER + "new/", data)


def test_the_front_office_logs_a_walk_in_without_seeing_identities(login, front_office):
    client = login(front_office)
    assert client.get(REGISTER + "new/").status_code == 200
    response = _walk_in(client)
    assert response.status_code == 302
    assert response["Location"] == REGISTER
    complaint = Complaint.objects.get(subject="Antrean tidak tertib")
    assert complaint.tracking_id.startswith(f"REG-{timezone.localdate().year}-")
    assert complaint.complainant_name == "Budi Warga"
    event = AuditEvent.objects.get(action="complaints.logged", object_id=str(complaint.pk))
    assert event.actor == front_office
    assert event.new["identity_given"] is True
    assert "Budi" not in str(event.new)
    page = client.get(REGISTER).content.decode()
    assert "Antrean tidak tertib" in page
    assert "Budi Warga" not in page
    detail = client.get(f"{REGISTER}{complaint.pk}/").content.decode()
    assert "Budi Warga" not in detail
    assert "0813-0000-0000" not in detail


def test_an_anonymous_walk_in_keeps_no_identity(login, front_office):
    _walk_in(login(front_office), anonymous="on")
    complaint = Complaint.objects.get(subject="Antrean tidak tertib")
    assert complaint.anonymous
    assert (complaint.complainant_name, complaint.complainant_contact) == ("", "")


def test_a_walk_in_dated_in_the_future_is_refused_with_a_message(login, front_office):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = _walk_in(login(front_office), received_on=tomorrow)
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in response.content.decode()
    assert not Complaint.objects.filter(subject="Antrean tidak tertib").exists()


def test_only_the_complaint_officer_sees_who_complained(
    login, named_complaint, officer, operator, assessor, coordinator, front_office
):
    url = f"{REGISTER}{named_complaint.pk}/"
    assert "Siti Pelapor" in login(officer).get(url).content.decode()
    assert "Siti Pelapor" in login(officer).get(REGISTER).content.decode()
    for user in (operator, assessor, coordinator, front_office):
        for page in (url, REGISTER):
            response = login(user).get(page)
            assert response.status_code == 200, (user, page)
            html = response.content.decode()
            assert "Siti Pelapor" not in html, user
            assert "0812-1111-2222" not in html, user
            assert "Disampaikan langsung" not in html, user


def test_an_outsider_sees_nothing(login, outsider, named_complaint):
    client = login(outsider)
    assert client.get(REGISTER).status_code == 404
    assert client.get(f"{REGISTER}{named_complaint.pk}/").status_code == 404
    assert client.get(REGISTER + "new/").status_code == 404
    assert client.get("/complaints/12.05/").status_code == 404


def test_an_assessor_may_read_but_not_log(login, assessor):
    assert login(assessor).get(REGISTER + "new/").status_code == 403


def test_the_complaint_officer_disposes_follows_up_and_closes(login, officer, named_complaint):
    client = login(officer)
    url = f"{REGISTER}{named_complaint.pk}/"
    today = timezone.localdate().isoformat()
    steps = [
        {"action": "dispose", "forwarded_on": today, "disposition_to": "Seksi Pelayanan"},
        {"action": "follow_up", "followed_up_on": today, "follow_up": "Jam loket diperbaiki."},
        {"action": "close", "closed_on": today, "closure_note": "Pelapor puas."},
    ]
    for step in steps:
        assert client.post(url, step).status_code == 302, step
    named_complaint.refresh_from_db()
    assert named_complaint.status == "closed"
    actions = list(
        AuditEvent.objects.filter(
            object_type="complaints.complaint", object_id=str(named_complaint.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "complaints.logged",
        "complaints.disposed",
        "complaints.followed_up",
        "complaints.closed",
    ]


def test_closing_before_a_follow_up_is_refused(login, officer, named_complaint):
    response = login(officer).post(
        f"{REGISTER}{named_complaint.pk}/",
        {"action": "close", "closed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "setelah ditindaklanjuti" in response.content.decode()
    named_complaint.refresh_from_db()
    assert named_complaint.closed_on is None


def test_the_front_office_may_not_handle(login, front_office, operator, named_complaint):
    for user in (front_office, operator):
        response = login(user).post(
            f"{REGISTER}{named_complaint.pk}/",
            {"action": "dispose", "forwarded_on": "2026-01-01", "disposition_to": "x"},
        )
        assert response.status_code == 403


def test_the_government_page_lists_every_unit_with_its_figures(login, coordinator, operator):
    html = login(coordinator).get("/complaints/12.05/").content.decode()
    assert 'data-unit="dinkes"' in html
    assert 'data-unit="disdukcapil"' in html
    operator_html = login(operator).get("/complaints/12.05/").content.decode()
    assert 'data-unit="dinkes"' in operator_html
    assert 'data-unit="disdukcapil"' not in operator_html


def _card(html: str, code: str) -> str:
    start = html.index(f'id="ind-{code}"')
    return html[start : html.index('id="ind-', start + 10)]


def _volume(card: str) -> int:
    return int(re.search(r"(\d+) laporan diterima", card).group(1))


def test_the_pengaduan_cards_show_the_register_and_follow_its_changes(
    login, operator, officer, cycle_current, langkat_dinkes, named_complaint
):
    assessment = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="self"
    )
    client = login(operator)
    url = f"/assessments/{assessment.pk}/"
    expected = unit_figures(langkat_dinkes, Period.year(cycle_current.year))
    card = _card(client.get(url).content.decode(), "PG-4")
    assert "data-complaint-figures" in card
    assert _volume(card) == expected.volume
    assert "data-complaint-figures" not in _card(client.get(url).content.decode(), "PR-08")

    services.log_complaint(
        actor=operator,
        unit=langkat_dinkes,
        channel=Channel.PHONE,
        subject="Telepon tidak diangkat",
        received_on=timezone.localdate(),
    )
    card = _card(client.get(url).content.decode(), "PG-4")  # the cached card is not served
    assert _volume(card) == expected.volume + 1

    today = timezone.localdate()
    services.record_follow_up(
        named_complaint, actor=officer, followed_up_on=today, follow_up="Selesai dicek."
    )
    services.close(named_complaint, actor=officer, closed_on=today)
    card = _card(client.get(url).content.decode(), "PG-4")
    after = unit_figures(langkat_dinkes, Period.year(cycle_current.year))
    assert f"{after.closed} selesai" in card


def test_the_unit_dashboard_links_to_the_register(login, coordinator, langkat_dinkes):
    html = login(coordinator).get(f"/dashboard/units/{langkat_dinkes.pk}/").content.decode()
    assert f'href="{REGISTER}"' in html


def test_housekeeping_erases_identities_past_retention(settings, langkat_dinkes, officer):
    settings.PATUH_COMPLAINT_RETENTION_DAYS = 30
    old = date.today() - timedelta(days=60)
    complaint = services.log_complaint(
        actor=officer,
        unit=langkat_dinkes,
        channel=Channel.LETTER,
        subject="Surat lama",
        received_on=old,
        complainant_name="Nama Lama",
        complainant_contact="lama@contoh.invalid",
    )
    services.record_follow_up(complaint, actor=officer, followed_up_on=old, follow_up="Dijawab.")
    services.close(complaint, actor=officer, closed_on=old)
    recent = services.log_complaint(
        actor=officer,
        unit=langkat_dinkes,
        channel=Channel.LETTER,
        subject="Surat baru",
        received_on=date.today(),
        complainant_name="Nama Baru",
    )
    call_command("housekeeping", "--dry-run", stdout=io.StringIO())
    complaint.refresh_from_db()
    assert complaint.complainant_name == "Nama Lama"
    call_command("housekeeping", stdout=io.StringIO())
    complaint.refresh_from_db()
    recent.refresh_from_db()
    assert (complaint.complainant_name, complaint.complainant_contact) == ("", "")
    assert complaint.identity_erased_at is not None
    assert complaint.subject == "Surat lama"
    assert recent.complainant_name == "Nama Baru"
    event = AuditEvent.objects.get(action="complaints.identity_erased", object_id=str(complaint.pk))
    assert event.old == {"identity_given": True}
    assert "30 hari" in event.reason
    summary = AuditEvent.objects.get(action="core.housekeeping")
    assert summary.new["complaint_identities"] >= 1


def _upload(client, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(REGISTER + "import/", {"file": SimpleUploadedFile(name, content)})


def test_the_complaint_officer_imports_an_export_on_the_web(login, officer, langkat_dinkes):
    from test_complaints_import import SAMPLE

    client = login(officer)
    assert 'id="lapor-import"' in client.get(REGISTER).content.decode()
    response = _upload(client, "ekspor.csv", SAMPLE.read_bytes())
    assert response.status_code == 302
    assert (
        Complaint.objects.filter(unit=langkat_dinkes, tracking_id__startswith="CONTOH-").count()
        == 5
    )
    again = _upload(client, "ekspor.csv", SAMPLE.read_bytes())
    assert again.status_code == 302
    assert "5 tidak berubah" in client.get(REGISTER).content.decode()


def test_a_bad_upload_lists_its_rows_and_writes_nothing(login, officer):
    from test_complaints_import import HEADER

    bad = f"{HEADER}\nB-1,2026-02-02,Judul,,Keluhan,,,,,,,,,\n".encode()
    count = Complaint.objects.count()
    response = _upload(login(officer), "ekspor.csv", bad)
    assert response.status_code == 400
    assert "baris 2, kolom E (Klasifikasi)" in response.content.decode()
    assert Complaint.objects.count() == count
    wrong = _upload(login(officer), "ekspor.pdf", b"%PDF-1.4")
    assert wrong.status_code == 400


def test_only_the_complaint_officer_imports(login, front_office, operator, assessor):
    for user in (front_office, operator, assessor):
        client = login(user)
        assert 'id="lapor-import"' not in client.get(REGISTER).content.decode()
        assert _upload(client, "ekspor.csv", b"ID Tracking\n").status_code == 403


def test_the_pekppp_konsultasi_dan_pengaduan_cards_carry_the_figures_too(
    langkat_dinkes_2023, langkat_dinkes
):
    from patuh.assessments.workspace import indicator_views
    from patuh.scoring import load_instrument

    instrument = load_instrument("pekppp-2023")
    views = indicator_views(langkat_dinkes_2023, instrument, None)
    ks = [code for code in views if code.startswith("KS-")]
    assert ks
    for code in ks:
        evidence = views[code].complaint_evidence
        assert evidence is not None
        assert evidence.period == Period.year(2023)
        assert evidence.figures == unit_figures(langkat_dinkes, Period.year(2023))
    assert views["KP-1"].complaint_evidence is None


def test_a_walk_in_with_a_tracking_id_already_in_the_register_is_refused(
    login, front_office, named_complaint
):
    response = _walk_in(login(front_office), tracking_id=named_complaint.tracking_id)
    assert response.status_code == 200
    assert Complaint.objects.filter(tracking_id=named_complaint.tracking_id).count() == 1
    assert "sudah ada" in response.content.decode()
