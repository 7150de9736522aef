"""Notifications: each event tells the people who must act or should know, never the actor;
each person may turn off the inbox or the e-mail of each event; e-mail goes after the change
commits, a failed send breaks nothing and is retried; nobody reaches another's notifications.

Langkat's 2023 official assessments are submitted in the demo (``penilai.sumut`` assigned);
its 2023 self-assessments are submitted too; Labuhanbatu's 2022 results are published, with
their follow-up actions.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import workflow
from patuh.assessments.models import Assessment, AssessmentStatus, AssessorAssignment
from patuh.core.housekeeping import run_housekeeping
from patuh.core.models import AuditEvent
from patuh.followup import services as followup
from patuh.followup.models import ActionStatus, FollowUpAction
from patuh.notifications import services
from patuh.notifications.models import (
    EmailStatus,
    Event,
    Notification,
    NotificationPreference,
    OverdueNotice,
)
from patuh.reports import jobs
from patuh.reports.models import JobKind, JobStatus, ReportJob

S = AssessmentStatus
User = get_user_model()


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the e-mails) of what the block does, as a commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def people(assessor, verifier, coordinator, operator, outsider):
    """The personas, each with an e-mail address (as real accounts have)."""
    for user in (assessor, verifier, coordinator, operator, outsider):
        user.email = f"{user.username}@contoh.go.id"
        user.save(update_fields=["email"])
    return {
        "assessor": assessor,
        "verifier": verifier,
        "coordinator": coordinator,
        "operator": operator,
        "outsider": outsider,
    }


@pytest.fixture
def langkat_2023(cycle_2023, langkat):
    return list(
        Assessment.objects.filter(
            cycle=cycle_2023, service_unit__government=langkat, kind="official"
        ).order_by("service_unit__code")
    )


@pytest.fixture
def dinkes_2023(langkat_2023):
    return next(a for a in langkat_2023 if a.service_unit.code == "dinkes")


@pytest.fixture
def assessor_2023(people, cycle_2023, langkat):
    """The assessor persona, assigned to Langkat in 2023 next to the demo's assessor."""
    AssessorAssignment.objects.create(
        cycle=cycle_2023, government=langkat, assessor=people["assessor"]
    )
    return people["assessor"]


@pytest.fixture
def dinkes_self_2023(cycle_2023, langkat_dinkes):
    assessment = Assessment.objects.get(cycle=cycle_2023, service_unit=langkat_dinkes, kind="self")
    assert assessment.status == S.SUBMITTED
    return assessment


def told(event: str, **filters) -> set[str]:
    """Who got ``event`` (in any channel)."""
    rows = Notification.objects.filter(event=event, **filters)
    return set(rows.values_list("recipient__username", flat=True))


def usernames(queryset) -> set[str]:
    return set(queryset.values_list("username", flat=True))


def operators_of(unit) -> set[str]:
    return usernames(
        User.objects.filter(
            memberships__role=Role.UNIT_OPERATOR, memberships__service_unit=unit, is_active=True
        )
    )


def coordinators_of(government) -> set[str]:
    return usernames(
        User.objects.filter(
            memberships__role=Role.GOVERNMENT_COORDINATOR,
            memberships__government=government,
            is_active=True,
        )
    )


# -- each event, the right people, never the actor --------------------------------------------


def test_a_change_request_tells_the_assigned_assessors_and_not_the_verifier(
    dinkes_2023, assessor_2023, people, cycle_2023, langkat, committed, mailoutbox
):
    with committed():
        workflow.request_changes(
            dinkes_2023, [("PR-06", "Foto maklumat tidak terbaca")], actor=people["verifier"]
        )
    assigned = usernames(
        User.objects.filter(
            assessor_assignments__cycle=cycle_2023, assessor_assignments__government=langkat
        )
    )
    assert assigned == {"penilai.sumut", "andi.penilai"}
    assert told(Event.CHANGES_REQUESTED) == assigned
    row = Notification.objects.get(recipient=assessor_2023)
    assert row.title == "Perbaikan diminta: Dinas Kesehatan, Kabupaten Langkat"
    assert "PR-06: Foto maklumat tidak terbaca" in row.body
    assert row.url == f"/assessments/{dinkes_2023.pk}/"
    assert (row.object_type, row.object_id) == ("assessments.assessment", str(dinkes_2023.pk))
    assert row.email_status == EmailStatus.SENT
    assert row.emailed_at is not None
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        User.objects.filter(username__in=assigned).values_list("email", flat=True)
    )
    message = next(m for m in mailoutbox if m.to == [assessor_2023.email])
    assert message.subject == "[Patuh] Perbaikan diminta: Dinas Kesehatan, Kabupaten Langkat"
    assert f"http://127.0.0.1:8000/assessments/{dinkes_2023.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://127.0.0.1:8000/notifications/unsubscribe/"
    )


def test_a_reopen_tells_the_assessors_too(
    dinkes_2023, assessor_2023, people, langkat_2023, committed
):
    workflow.transition_many(langkat_2023, "verify", actor=people["verifier"])
    workflow.transition(dinkes_2023, "finalise", actor=people["verifier"])
    Notification.objects.all().delete()
    with committed():
        workflow.reopen(dinkes_2023, actor=people["verifier"], reason="Salah hitung PR-06")
    assert told(Event.CHANGES_REQUESTED) == {"penilai.sumut", "andi.penilai"}
    assert "Salah hitung PR-06" in Notification.objects.get(recipient=assessor_2023).body


def test_returning_a_self_assessment_tells_its_operators_and_the_other_coordinators(
    dinkes_self_2023, people, langkat, langkat_dinkes, committed
):
    with committed():
        workflow.transition(
            dinkes_self_2023,
            "return_to_draft",
            actor=people["coordinator"],
            reason="Lengkapi PR-06",
        )
    expected = (operators_of(langkat_dinkes) | coordinators_of(langkat)) - {"kiki.koordinator"}
    assert expected == {"opi.operator", "operator.dinkes.langkat", "koordinator.langkat"}
    assert told(Event.CHANGES_REQUESTED) == expected


def test_a_submitted_official_assessment_goes_to_the_verifiers(
    cycle_current, langkat_dinkes, people, committed
):
    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    with committed():
        workflow.transition(official, "submit", actor=people["assessor"])
    assert told(Event.SUBMITTED) == {"verifikator", "vera.verifikator"}
    row = Notification.objects.get(recipient=people["verifier"])
    assert row.title == "Diajukan untuk diperiksa: Dinas Kesehatan, Kabupaten Langkat"


def test_a_submitted_self_assessment_goes_to_the_coordinators_not_to_the_operator(
    cycle_current, langkat_dinkes, langkat, people, committed
):
    own = Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")
    with committed():
        workflow.transition(own, "submit", actor=people["operator"])
    assert told(Event.SUBMITTED) == coordinators_of(langkat)
    assert told(Event.SUBMITTED) == {"kiki.koordinator", "koordinator.langkat"}


def test_verifying_tells_the_units_operators_and_the_coordinators(
    dinkes_2023, people, langkat, langkat_dinkes, committed
):
    with committed():
        workflow.transition(dinkes_2023, "verify", actor=people["verifier"])
    expected = operators_of(langkat_dinkes) | coordinators_of(langkat)
    assert expected == {
        "opi.operator",
        "operator.dinkes.langkat",
        "kiki.koordinator",
        "koordinator.langkat",
    }
    assert told(Event.VERIFIED) == expected


def test_verifying_a_whole_government_sends_one_notification_per_person(
    langkat_2023, people, langkat, committed
):
    with committed():
        moved, _ = workflow.transition_many(langkat_2023, "verify", actor=people["verifier"])
    assert moved == 7
    coordinator_rows = Notification.objects.filter(recipient=people["coordinator"])
    assert [r.title for r in coordinator_rows] == ["7 penilaian Kabupaten Langkat terverifikasi"]
    assert coordinator_rows[0].url == "/cycles/2023/governments/12.05/?jenis=official"
    operator_rows = Notification.objects.filter(recipient=people["operator"])
    assert [r.title for r in operator_rows] == ["Terverifikasi: Dinas Kesehatan, Kabupaten Langkat"]
    assert not Notification.objects.filter(recipient=people["verifier"]).exists()


def test_publishing_tells_the_coordinators_and_the_operators_once(
    langkat_2023, people, cycle_2023, langkat, committed
):
    workflow.transition_many(langkat_2023, "verify", actor=people["verifier"])
    workflow.transition_many(langkat_2023, "finalise", actor=people["verifier"])
    Notification.objects.all().delete()
    with committed():
        workflow.publish_government(cycle_2023, langkat, actor=people["verifier"])
    operators = usernames(
        User.objects.filter(
            memberships__role=Role.UNIT_OPERATOR, memberships__service_unit__government=langkat
        )
    )
    assert told(Event.PUBLISHED) == coordinators_of(langkat) | operators
    assert Notification.objects.filter(recipient=people["coordinator"]).count() == 1
    row = Notification.objects.get(recipient=people["coordinator"])
    assert row.title == "Hasil Kabupaten Langkat 2023 dipublikasikan"
    assert row.url == "/cycles/2023/governments/12.05/follow-up/"
    assert people["outsider"].username not in told(Event.PUBLISHED)


def test_finalising_and_dropping_tell_nobody(dinkes_2023, people, langkat_2023, regional_admin):
    workflow.transition(dinkes_2023, "verify", actor=people["verifier"])
    before = Notification.objects.count()
    other = next(a for a in langkat_2023 if a.pk != dinkes_2023.pk)
    workflow.transition(other, "drop", actor=regional_admin, reason="Tutup")
    workflow.transition(dinkes_2023, "finalise", actor=people["verifier"])
    assert before > 0
    assert Notification.objects.count() == before


@pytest.fixture
def lab_action(cycle_2022, labuhanbatu):
    """One of Labuhanbatu's 2022 actions; every other government's actions have no due date
    (so that only Labuhanbatu's can be overdue here)."""
    FollowUpAction.objects.exclude(government=labuhanbatu).update(due_on=None)
    return (
        FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu)
        .select_related("cycle", "government", "service_unit")
        .order_by("pk")
        .first()
    )


@pytest.fixture
def lab_operator(labuhanbatu):
    user = User.objects.create_user("ola.operator", email="ola@labuhanbatukab.go.id")
    Membership.objects.create(
        user=user, role=Role.UNIT_OPERATOR, service_unit=labuhanbatu.units.get(code="dinkes")
    )
    return user


def test_assigning_a_follow_up_tells_the_new_owner_only(
    lab_action, lab_operator, people, committed, mailoutbox
):
    due = dt.date(2030, 3, 31)
    with committed():
        followup.assign(lab_action, owner=lab_operator, due_on=due, actor=people["outsider"])
    assert told(Event.FOLLOWUP_ASSIGNED) == {"ola.operator"}
    row = Notification.objects.get(recipient=lab_operator)
    assert row.title.startswith(f"Tindak lanjut untuk Anda: {lab_action.indicator_code}, ")
    assert "Tenggat: 31 Maret 2030." in row.body
    assert row.url == f"/cycles/2022/governments/12.10/follow-up/#action-{lab_action.pk}"
    assert [m.to for m in mailoutbox] == [["ola@labuhanbatukab.go.id"]]
    # a new due date for the same owner is not a new assignment
    followup.assign(
        lab_action, owner=lab_operator, due_on=dt.date(2030, 4, 30), actor=people["outsider"]
    )
    assert Notification.objects.filter(event=Event.FOLLOWUP_ASSIGNED).count() == 1
    # nor is taking it oneself
    followup.assign(lab_action, owner=people["outsider"], due_on=due, actor=people["outsider"])
    assert told(Event.FOLLOWUP_ASSIGNED) == {"ola.operator"}


def test_overdue_follow_up_is_told_once_per_action_and_due_date(
    lab_action, lab_operator, people, labuhanbatu, cycle_2022
):
    FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu).update(
        due_on=dt.date(2030, 6, 30)
    )
    FollowUpAction.objects.filter(pk=lab_action.pk).update(
        owner=lab_operator, due_on=dt.date(2030, 1, 31)
    )
    done = (
        FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu)
        .exclude(pk=lab_action.pk)
        .first()
    )
    FollowUpAction.objects.filter(pk=done.pk).update(
        status=ActionStatus.DONE, due_on=dt.date(2030, 1, 1)
    )
    out = StringIO()
    call_command(
        "notifications", "overdue", "--today", "2030-02-01", "--format", "json", stdout=out
    )
    summary = json.loads(out.getvalue())
    assert summary["actions"] == [lab_action.pk]
    assert summary["recipients"] == sorted({"ola.operator"} | coordinators_of(labuhanbatu))
    assert told(Event.FOLLOWUP_OVERDUE) == {"ola.operator", "olan.luar", "koordinator.labuhanbatu"}
    row = Notification.objects.get(recipient=lab_operator)
    assert row.title.startswith(f"Lewat tenggat: {lab_action.indicator_code}, ")
    assert OverdueNotice.objects.filter(action=lab_action, due_on=dt.date(2030, 1, 31)).exists()
    # the next day: nothing new
    call_command("notifications", "overdue", "--today", "2030-02-02", stdout=StringIO())
    assert Notification.objects.filter(event=Event.FOLLOWUP_OVERDUE).count() == 3
    # a new due date that passes too is told again
    FollowUpAction.objects.filter(pk=lab_action.pk).update(due_on=dt.date(2030, 2, 15))
    call_command("notifications", "overdue", "--today", "2030-02-16", stdout=StringIO())
    assert Notification.objects.filter(event=Event.FOLLOWUP_OVERDUE).count() == 6


def test_many_overdue_actions_make_one_notification_per_person(
    people, labuhanbatu, cycle_2022, lab_action
):
    actions = FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu)
    count = actions.count()
    assert count > 1
    actions.update(due_on=dt.date(2030, 1, 31), status=ActionStatus.OPEN)
    dry = StringIO()
    call_command("notifications", "overdue", "--today", "2030-02-01", "--dry-run", stdout=dry)
    assert "Uji coba" in dry.getvalue()
    assert not Notification.objects.filter(event=Event.FOLLOWUP_OVERDUE).exists()
    assert not OverdueNotice.objects.exists()
    call_command("notifications", "overdue", "--today", "2030-02-01", stdout=StringIO())
    rows = Notification.objects.filter(recipient=people["outsider"])
    assert [r.title for r in rows] == [f"{count} tindak lanjut Kabupaten Labuhanbatu lewat tenggat"]
    assert rows[0].url == "/cycles/2022/governments/12.10/follow-up/"
    assert OverdueNotice.objects.count() == count


def test_a_finished_job_tells_its_requester_with_a_link(monkeypatch, cycle_2023, people, committed):
    def finish(job):
        job.status = JobStatus.DONE
        job.save(update_fields=["status"])
        return job

    monkeypatch.setattr(jobs, "_run_export", finish)
    job = ReportJob.objects.create(
        kind=JobKind.EXPORT, cycle=cycle_2023, created_by=people["verifier"], worker="w:1"
    )
    with committed():
        jobs.run(job)
    row = Notification.objects.get(event=Event.JOB_FINISHED)
    assert row.recipient == people["verifier"]
    assert row.title == "Selesai: Ekspor hasil (Excel) 2023"
    assert row.url == f"/jobs/{job.pk}/"


def test_a_failed_job_and_an_abandoned_one_tell_their_requester(
    monkeypatch, cycle_2023, people, settings
):
    def fail(job):
        job.status = JobStatus.FAILED
        job.error = "RuntimeError: disk penuh"
        job.save(update_fields=["status", "error"])
        return job

    monkeypatch.setattr(jobs, "_run_export", fail)
    job = ReportJob.objects.create(
        kind=JobKind.EXPORT, cycle=cycle_2023, created_by=people["verifier"]
    )
    jobs.run(job)
    row = Notification.objects.get(event=Event.JOB_FAILED)
    assert (row.recipient, row.body) == (people["verifier"], "RuntimeError: disk penuh")
    settings.PATUH_JOB_MAX_ATTEMPTS = 1
    stale = ReportJob.objects.create(
        kind=JobKind.EXPORT,
        cycle=cycle_2023,
        created_by=people["assessor"],
        status=JobStatus.RUNNING,
        attempts=1,
        heartbeat_at=timezone.now() - dt.timedelta(hours=3),
    )
    jobs.requeue_stale(60)
    assert Notification.objects.get(recipient=people["assessor"]).object_id == str(stale.pk)


# -- opting out -------------------------------------------------------------------------------


def test_turning_off_email_stops_the_mail_but_keeps_the_inbox(
    dinkes_2023, assessor_2023, people, committed, mailoutbox
):
    services.set_preferences(
        assessor_2023,
        {Event.CHANGES_REQUESTED: services.Channels(in_app=True, email=False)},
        actor=assessor_2023,
    )
    with committed():
        workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    row = Notification.objects.get(recipient=assessor_2023)
    assert row.in_app
    assert row.email_status == EmailStatus.NOT_WANTED
    assert assessor_2023.email not in [m.to[0] for m in mailoutbox]
    assert "penilai.sumut@demo.patuh.example" in [m.to[0] for m in mailoutbox]
    assert services.unread_count(assessor_2023) == 1


def test_turning_off_the_inbox_still_sends_the_mail(
    dinkes_2023, assessor_2023, people, committed, mailoutbox
):
    services.set_preferences(
        assessor_2023,
        {Event.CHANGES_REQUESTED: services.Channels(in_app=False, email=True)},
        actor=assessor_2023,
    )
    with committed():
        workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    row = Notification.objects.get(recipient=assessor_2023)
    assert not row.in_app
    assert row.email_status == EmailStatus.SENT
    assert assessor_2023.email in [m.to[0] for m in mailoutbox]
    assert services.unread_count(assessor_2023) == 0
    assert not Notification.objects.for_user(assessor_2023).exists()


def test_both_channels_off_writes_nothing_and_other_events_stay_on(
    dinkes_2023, assessor_2023, people
):
    services.set_preferences(
        assessor_2023,
        {Event.CHANGES_REQUESTED: services.Channels(in_app=False, email=False)},
        actor=assessor_2023,
    )
    workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    assert not Notification.objects.filter(recipient=assessor_2023).exists()
    assert services.preferences(assessor_2023)[Event.SUBMITTED] == services.Channels()


def test_a_user_without_an_email_address_is_told_in_the_inbox(dinkes_2023, assessor_2023, people):
    User.objects.filter(pk=assessor_2023.pk).update(email="")
    workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    row = Notification.objects.get(recipient=assessor_2023)
    assert row.in_app
    assert row.email_status == EmailStatus.NO_ADDRESS


def test_an_inactive_user_is_not_told(dinkes_2023, assessor_2023, people):
    User.objects.filter(pk=assessor_2023.pk).update(is_active=False)
    workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    assert told(Event.CHANGES_REQUESTED) == {"penilai.sumut"}


def test_the_preferences_page_saves_the_table_and_audits_it(login, people):
    operator = people["operator"]
    client = login(operator)
    page = client.get("/notifications/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    for event in Event.values:
        assert f'name="{event}-in_app"' in html
        assert f'name="{event}-email"' in html
    assert html.count(" checked") == 2 * len(Event.values)
    wanted = {f"{event}-in_app": "on" for event in Event.values}
    wanted |= {f"{event}-email": "on" for event in Event.values if event != Event.VERIFIED}
    response = client.post("/notifications/settings/", wanted)
    assert response.status_code == 302
    assert list(
        NotificationPreference.objects.filter(user=operator).values_list("event", "in_app", "email")
    ) == [(Event.VERIFIED, True, False)]
    event = AuditEvent.objects.filter(action="notifications.preferences_changed").latest("id")
    assert event.actor_id == operator.pk
    assert event.old == {"verified": {"in_app": True, "email": True}}
    assert event.new == {"verified": {"in_app": True, "email": False}}
    assert (
        "Pengaturan notifikasi disimpan." in client.get("/notifications/settings/").content.decode()
    )


# -- unsubscribe ------------------------------------------------------------------------------


def _unsubscribe_path(message) -> str:
    header = message.extra_headers["List-Unsubscribe"]
    return header.strip("<>").removeprefix("http://127.0.0.1:8000")


def test_the_unsubscribe_link_works_without_login_for_that_event_only(
    dinkes_2023, assessor_2023, people, committed, mailoutbox, client
):
    with committed():
        workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    message = next(m for m in mailoutbox if m.to == [assessor_2023.email])
    path = _unsubscribe_path(message)
    assert path in message.body  # the same link, in the text
    landing = client.get(path)
    assert landing.status_code == 200
    assert "data-confirm-unsubscribe" in landing.content.decode()
    assert services.preferences(assessor_2023)[Event.CHANGES_REQUESTED].email  # GET changes nothing
    done = client.post(path)
    assert done.status_code == 200
    assert "tidak akan dikirim lagi" in done.content.decode()
    channels = services.preferences(assessor_2023)
    assert channels[Event.CHANGES_REQUESTED] == services.Channels(in_app=True, email=False)
    assert channels[Event.SUBMITTED] == services.Channels()
    audit = AuditEvent.objects.filter(action="notifications.unsubscribed").latest("id")
    assert audit.actor_id == assessor_2023.pk
    assert "data-already-off" in client.get(path).content.decode()


def test_a_mail_client_one_click_post_unsubscribes(assessor, client):
    path = f"/notifications/unsubscribe/{services.unsubscribe_token(assessor, Event.VERIFIED)}/"
    response = client.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not services.preferences(assessor)[Event.VERIFIED].email


def test_a_tampered_unsubscribe_link_is_refused_and_changes_nothing(assessor, verifier, client):
    token = services.unsubscribe_token(assessor, Event.VERIFIED)
    forged = signing.dumps({"u": verifier.pk, "e": "verified"}, salt="lain", compress=True)
    payload, rest = token.split(":", 1)
    altered = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + ":" + rest
    for bad in (forged, altered, "bukan-token", token + "x"):
        response = client.post(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "Tautan tidak sah" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert services.read_unsubscribe_token(token) == (assessor.pk, "verified")


# -- e-mail failures and retries --------------------------------------------------------------


class BrokenConnection:
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP tidak dapat dihubungi")


def test_a_failed_email_breaks_nothing_and_is_sent_by_notifications_send(
    dinkes_2023, assessor_2023, people, committed, mailoutbox, monkeypatch
):
    monkeypatch.setattr(services, "get_connection", lambda: BrokenConnection())
    with committed():
        workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    dinkes_2023.refresh_from_db()
    assert dinkes_2023.status == S.CHANGES_REQUESTED
    row = Notification.objects.get(recipient=assessor_2023)
    assert row.email_status == EmailStatus.FAILED
    assert (row.email_attempts, row.email_error) == (1, "SMTP tidak dapat dihubungi")
    assert mailoutbox == []
    # still broken: the command says so (exit 1) and keeps it for the next run
    out = StringIO()
    with pytest.raises(CommandError, match="gagal dikirim"):
        call_command("notifications", "send", stdout=out)
    row.refresh_from_db()
    assert row.email_attempts == 2
    monkeypatch.undo()
    out = StringIO()
    call_command("notifications", "send", "--format", "json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["sent"] == 2
    assert summary["failed"] == 0
    assert {n["recipient"] for n in summary["notifications"]} == {"andi.penilai", "penilai.sumut"}
    row.refresh_from_db()
    assert (row.email_status, row.email_error) == (EmailStatus.SENT, "")
    assert len(mailoutbox) == 2
    out = StringIO()
    call_command("notifications", "send", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["sent"] == 0


def test_a_retry_respects_an_opt_out_made_since(assessor, monkeypatch, mailoutbox):
    [row] = services.notify(Event.VERIFIED, [assessor], title="T", body="", url="/")
    User.objects.filter(pk=assessor.pk).update(email="a@contoh.go.id")
    Notification.objects.filter(pk=row.pk).update(email_status=EmailStatus.FAILED)
    NotificationPreference.objects.create(user=assessor, event=Event.VERIFIED, email=False)
    summary = services.send_emails()
    assert (summary.sent, summary.skipped) == (0, 1)
    row.refresh_from_db()
    assert row.email_status == EmailStatus.NOT_WANTED
    assert mailoutbox == []


def test_nothing_is_mailed_when_the_change_rolls_back(
    dinkes_2023, assessor_2023, people, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.request_changes(dinkes_2023, [("PR-06", "Ulangi")], actor=people["verifier"])
    assert len(callbacks) == 1  # waiting for the commit, which the test's rollback never makes
    assert mailoutbox == []


# -- the inbox, the navbar, scoping -----------------------------------------------------------


def _notes(user, count: int, **fields) -> list[Notification]:
    return [
        Notification.objects.create(
            recipient=user, event=Event.VERIFIED, title=f"Catatan {i}", url="/", **fields
        )
        for i in range(count)
    ]


def test_the_navbar_counts_unread_with_one_query(login, people):
    operator = people["operator"]
    _notes(operator, 4)
    _notes(operator, 2, read_at=timezone.now())
    _notes(operator, 3, in_app=False)
    _notes(people["coordinator"], 5)
    client = login(operator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    html = page.content.decode()
    assert 'data-unread-count="4"' in html
    counting = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1
    assert "COUNT" in counting[0].upper()


def test_the_inbox_lists_unread_first_and_only_ones_own(login, people):
    operator = people["operator"]
    old_unread = Notification.objects.create(
        recipient=operator, event=Event.VERIFIED, title="Lama belum dibaca", url="/"
    )
    Notification.objects.filter(pk=old_unread.pk).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    Notification.objects.create(
        recipient=operator,
        event=Event.VERIFIED,
        title="Baru dibaca",
        url="/",
        read_at=timezone.now(),
    )
    Notification.objects.create(
        recipient=operator, event=Event.SUBMITTED, title="Tersembunyi", url="/", in_app=False
    )
    Notification.objects.create(
        recipient=people["coordinator"], event=Event.VERIFIED, title="Milik koordinator", url="/"
    )
    html = login(operator).get("/notifications/").content.decode()
    assert html.index("Lama belum dibaca") < html.index("Baru dibaca")
    assert "Milik koordinator" not in html
    assert "Tersembunyi" not in html
    assert 'href="/notifications/settings/"' in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(login, people, dinkes_2023):
    [row] = _notes(people["operator"], 1)
    Notification.objects.filter(pk=row.pk).update(url=f"/assessments/{dinkes_2023.pk}/")
    client = login(people["operator"])
    response = client.get(f"/notifications/{row.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{dinkes_2023.pk}/"
    row.refresh_from_db()
    assert row.is_read
    # a link that leaves the site is not followed
    Notification.objects.filter(pk=row.pk).update(url="https://contoh.example/")
    assert client.get(f"/notifications/{row.pk}/")["Location"] == "/notifications/"


def test_marking_read_with_htmx_returns_the_row_and_the_new_count(login, people):
    first, _second = _notes(people["operator"], 2)
    client = login(people["operator"])
    response = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html
    assert 'data-read="yes"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'data-unread-count="1"' in html


def test_mark_all_read_touches_only_ones_own(login, people):
    _notes(people["operator"], 3)
    [other] = _notes(people["coordinator"], 1)
    response = login(people["operator"]).post("/notifications/read-all/")
    assert response.status_code == 302
    assert services.unread_count(people["operator"]) == 0
    other.refresh_from_db()
    assert not other.is_read


def test_another_persons_notification_is_not_found(login, people):
    [theirs] = _notes(people["coordinator"], 1)
    client = login(people["outsider"])
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_the_inbox_needs_a_login(client):
    for path in ("/notifications/", "/notifications/settings/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


# -- housekeeping -----------------------------------------------------------------------------


def test_housekeeping_deletes_old_read_notifications_and_keeps_the_rest(people):
    long_ago = timezone.now() - dt.timedelta(days=120)
    old_read, old_unread, recent_read, old_pending = (
        _notes(people["operator"], 1, read_at=long_ago, email_status=EmailStatus.SENT)
        + _notes(people["operator"], 1)
        + _notes(people["operator"], 1, read_at=timezone.now())
        + _notes(people["operator"], 1, in_app=False)
    )
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk, old_pending.pk]).update(
        created_at=long_ago
    )
    assert run_housekeeping(dry_run=True).notifications == 1
    assert run_housekeeping().notifications == 1
    left = set(
        Notification.objects.filter(recipient=people["operator"]).values_list("pk", flat=True)
    )
    assert left == {old_unread.pk, recent_read.pk, old_pending.pk}
