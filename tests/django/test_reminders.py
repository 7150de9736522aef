"""E-mail reminders 3 days and 1 day before a stage window closes (``patuh reminders send``)."""

from __future__ import annotations

import datetime as dt
import io
from smtplib import SMTPRecipientsRefused

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.test import override_settings

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import stages
from patuh.assessments.campaigns import override_window
from patuh.assessments.models import (
    Assessment,
    AssessmentStatus,
    AssessorAssignment,
    CycleStage,
    Stage,
)
from patuh.reminders.models import ReminderSent
from patuh.reminders.services import send_due_reminders

OPERATOR_EMAIL = "opi@dinkes.langkat.example"
COORDINATOR_EMAIL = "kiki@langkat.example"
ASSESSOR_EMAIL = "andi@ombudsman.example"


@pytest.fixture(autouse=True)
def _only_the_test_personas_have_mail(db, django_user_model):
    """The demo's own users have addresses (so reminders can be tried by hand); here only the
    test personas do, so each test counts exactly the messages it expects."""
    django_user_model.objects.filter(email__endswith="@demo.patuh.example").update(email="")


@pytest.fixture
def self_stage(cycle_current) -> CycleStage:
    return cycle_current.stages.get(stage=Stage.SELF_ASSESSMENT)


@pytest.fixture
def data_stage(cycle_current) -> CycleStage:
    return cycle_current.stages.get(stage=Stage.DATA_COLLECTION)


@pytest.fixture
def people(operator, coordinator):
    operator.email = OPERATOR_EMAIL
    operator.save(update_fields=["email"])
    coordinator.email = COORDINATOR_EMAIL
    coordinator.save(update_fields=["email"])
    return operator, coordinator


@pytest.fixture
def assessor_with_email(assessor):
    assessor.email = ASSESSOR_EMAIL
    assessor.save(update_fields=["email"])
    return assessor


@pytest.fixture
def outbox(db, mailoutbox):
    """Django's locmem outbox. Taken after ``db``: its test-case setup replaces ``mail.outbox``,
    so pytest-django's ``mailoutbox`` requested before the database would be a stale list."""
    return mail.outbox


@pytest.fixture
def run(monkeypatch):
    """``run(day, **kwargs)``: send the reminders due on ``day``, with the clock frozen there."""

    def _run(day: dt.date, **kwargs):
        monkeypatch.setattr(stages, "today", lambda: day)
        return send_due_reminders(today=day, **kwargs)

    return _run


def _to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def _self_assessments(cycle, **filters):
    return Assessment.objects.filter(cycle=cycle, kind="self", **filters)


def test_three_days_before_the_self_assessment_closes(
    run, outbox, people, self_stage, cycle_current, langkat, langkat_dinkes
):
    operator, coordinator = people
    summary = run(self_stage.ends_on - dt.timedelta(days=3))

    assert summary.sent == 2
    assert summary.failed == 0
    (to_operator,) = _to(OPERATOR_EMAIL)
    (to_coordinator,) = _to(COORDINATOR_EMAIL)
    dinkes = _self_assessments(cycle_current).get(service_unit=langkat_dinkes)
    assert "ditutup 3 hari lagi" in to_operator.subject
    assert "Pendampingan / penilaian mandiri" in to_operator.subject
    assert f"http://127.0.0.1:8000/assessments/{dinkes.pk}/" in to_operator.body
    assert langkat_dinkes.name in to_operator.body
    assert langkat.name in to_operator.body
    assert "Penilaian mandiri" in to_operator.body
    assert to_operator.body.count("/assessments/") == 1  # only the operator's own unit
    html, mimetype = to_operator.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="http://127.0.0.1:8000/assessments/{dinkes.pk}/"' in html

    langkat_forms = _self_assessments(cycle_current, service_unit__government=langkat)
    assert langkat_forms.count() > 1
    for assessment in langkat_forms:
        assert f"/assessments/{assessment.pk}/" in to_coordinator.body

    sent = ReminderSent.objects.get(recipient=coordinator)
    assert sent.stage == self_stage
    assert sent.days_before == 3
    assert sent.kind == "window_closing"
    assert sent.closes_on == self_stage.ends_on
    assert sorted(sent.assessment_ids) == sorted(langkat_forms.values_list("pk", flat=True))
    assert ReminderSent.objects.get(recipient=operator).assessment_ids == [dinkes.pk]


def test_the_assessor_is_reminded_of_its_governments_official_assessments(
    run, outbox, assessor_with_email, data_stage, cycle_current, langkat, labuhanbatu
):
    summary = run(data_stage.ends_on - dt.timedelta(days=3))

    (message,) = _to(ASSESSOR_EMAIL)
    assert "Pengambilan data" in message.subject
    official = Assessment.objects.filter(cycle=cycle_current, kind="official")
    for assessment in official.filter(service_unit__government=langkat):
        assert f"/assessments/{assessment.pk}/" in message.body
    for assessment in official.filter(service_unit__government=labuhanbatu):
        assert f"/assessments/{assessment.pk}/" not in message.body
    assert "Penilaian resmi" in message.body
    assert summary.sent == 1
    # the demo assessor, assigned to Langkat too, has no e-mail address
    assert summary.skipped_no_email >= 1


def test_running_twice_the_same_day_sends_nothing_new(run, outbox, people, self_stage):
    day = self_stage.ends_on - dt.timedelta(days=3)
    first = run(day)
    second = run(day)

    assert first.sent == 2
    assert second.sent == 0
    assert second.already_sent == 2
    assert len(outbox) == 2
    assert ReminderSent.objects.count() == 2


def test_one_day_before_sends_the_second_notice(run, outbox, people, self_stage):
    operator, _coordinator = people
    run(self_stage.ends_on - dt.timedelta(days=3))
    summary = run(self_stage.ends_on - dt.timedelta(days=1))

    assert summary.sent == 2
    assert summary.already_sent == 0
    notices = _to(OPERATOR_EMAIL)
    assert len(notices) == 2
    assert "ditutup besok" in notices[1].subject
    assert sorted(
        ReminderSent.objects.filter(recipient=operator).values_list("days_before", flat=True)
    ) == [1, 3]
    assert run(self_stage.ends_on - dt.timedelta(days=1)).sent == 0


@pytest.mark.parametrize("days", [2, 0, 4])
def test_other_days_send_nothing(run, outbox, people, self_stage, days):
    summary = run(self_stage.ends_on - dt.timedelta(days=days))

    assert summary.outcomes == []
    assert outbox == []
    assert not ReminderSent.objects.exists()


def test_a_submitted_assessment_is_not_mentioned(
    run, outbox, people, self_stage, cycle_current, langkat_dinkes
):
    dinkes = _self_assessments(cycle_current).get(service_unit=langkat_dinkes)
    dinkes.status = AssessmentStatus.SUBMITTED
    dinkes.save(update_fields=["status"])
    changes = _self_assessments(cycle_current).exclude(pk=dinkes.pk).first()
    changes.status = AssessmentStatus.CHANGES_REQUESTED
    changes.save(update_fields=["status"])

    run(self_stage.ends_on - dt.timedelta(days=3))

    assert _to(OPERATOR_EMAIL) == []  # the operator's only form is submitted
    (to_coordinator,) = _to(COORDINATOR_EMAIL)
    assert f"/assessments/{dinkes.pk}/" not in to_coordinator.body
    assert f"/assessments/{changes.pk}/" in to_coordinator.body
    assert "Perlu perbaikan" in to_coordinator.body
    assert dinkes.pk not in ReminderSent.objects.get().assessment_ids


def test_a_user_without_an_email_address_is_skipped(run, outbox, people, self_stage):
    operator, _coordinator = people
    operator.email = ""
    operator.save(update_fields=["email"])

    summary = run(self_stage.ends_on - dt.timedelta(days=3))

    skipped = [o.notice.recipient for o in summary.outcomes if o.status == "skipped_no_email"]
    assert operator in skipped
    assert summary.skipped_no_email == len(skipped)
    assert [m.to for m in outbox] == [[COORDINATOR_EMAIL]]
    assert not ReminderSent.objects.filter(recipient=operator).exists()


def test_an_inactive_user_is_not_reminded(run, outbox, people, self_stage):
    operator, _coordinator = people
    operator.is_active = False
    operator.save(update_fields=["is_active"])

    run(self_stage.ends_on - dt.timedelta(days=3))

    assert _to(OPERATOR_EMAIL) == []


class RefusingBackend(EmailBackend):
    """The locmem backend, except that it refuses one address."""

    refused = COORDINATOR_EMAIL

    def send_messages(self, messages):
        for message in messages:
            if self.refused in message.to:
                raise SMTPRecipientsRefused({self.refused: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


def test_a_failing_backend_leaves_that_recipient_unrecorded(run, outbox, people, self_stage):
    operator, coordinator = people
    day = self_stage.ends_on - dt.timedelta(days=3)

    summary = run(day, connection=RefusingBackend())

    assert summary.sent == 1
    assert summary.failed == 1
    (failed,) = [o for o in summary.outcomes if o.status == "failed"]
    assert failed.notice.recipient == coordinator
    assert "mailbox unavailable" in failed.error
    assert [m.to for m in outbox] == [[OPERATOR_EMAIL]]
    assert not ReminderSent.objects.filter(recipient=coordinator).exists()
    assert ReminderSent.objects.filter(recipient=operator).exists()

    retried = run(day)
    assert retried.sent == 1
    assert retried.already_sent == 1
    assert ReminderSent.objects.filter(recipient=coordinator, days_before=3).exists()
    assert len(_to(OPERATOR_EMAIL)) == 1


def test_an_override_moves_langkats_reminders_to_the_new_closing_date(
    run, outbox, people, self_stage, cycle_current, langkat
):
    _operator, coordinator = people
    new_end = self_stage.ends_on + dt.timedelta(days=10)
    override_window(
        cycle_current,
        Stage.SELF_ASSESSMENT,
        open_until=new_end,
        reason="Banjir",
        actor=coordinator,
        government=langkat,
    )

    for days in (3, 1):
        assert run(self_stage.ends_on - dt.timedelta(days=days)).sent == 0
    assert outbox == []

    assert run(new_end - dt.timedelta(days=3)).sent == 2
    assert run(new_end - dt.timedelta(days=1)).sent == 2
    assert len(_to(OPERATOR_EMAIL)) == 2
    assert set(ReminderSent.objects.values_list("closes_on", flat=True)) == {new_end}


def test_an_override_for_one_government_does_not_hide_the_others(
    run, outbox, data_stage, cycle_current, langkat, labuhanbatu, sumut
):
    """An assessor of two governments hears of each one's closing date."""
    user = get_user_model().objects.create_user("budi.penilai", email="budi@ombudsman.example")
    Membership.objects.create(user=user, role=Role.ASSESSOR, province=sumut)
    for government in (langkat, labuhanbatu):
        AssessorAssignment.objects.create(cycle=cycle_current, government=government, assessor=user)
    new_end = data_stage.ends_on + dt.timedelta(days=7)
    override_window(
        cycle_current,
        Stage.DATA_COLLECTION,
        open_until=new_end,
        reason="Uji",
        actor=user,
        government=langkat,
    )
    official = Assessment.objects.filter(cycle=cycle_current, kind="official")

    run(data_stage.ends_on - dt.timedelta(days=3))
    (first,) = outbox
    assert all(
        f"/assessments/{a.pk}/" in first.body
        for a in official.filter(service_unit__government=labuhanbatu)
    )
    assert all(
        f"/assessments/{a.pk}/" not in first.body
        for a in official.filter(service_unit__government=langkat)
    )

    run(new_end - dt.timedelta(days=3))
    assert len(outbox) == 2
    second = outbox[1]
    assert all(
        f"/assessments/{a.pk}/" in second.body
        for a in official.filter(service_unit__government=langkat)
    )
    assert ReminderSent.objects.filter(recipient=user, days_before=3).count() == 2


def test_an_override_for_all_governments_moves_every_reminder(
    run, outbox, people, self_stage, cycle_current
):
    operator, _coordinator = people
    new_end = self_stage.ends_on + dt.timedelta(days=5)
    override_window(
        cycle_current, Stage.SELF_ASSESSMENT, open_until=new_end, reason="Uji", actor=operator
    )

    assert run(self_stage.ends_on - dt.timedelta(days=3)).sent == 0
    assert run(new_end - dt.timedelta(days=3)).sent == 2


def test_the_link_follows_the_site_url_setting(
    run, outbox, people, self_stage, cycle_current, langkat_dinkes
):
    dinkes = _self_assessments(cycle_current).get(service_unit=langkat_dinkes)
    with override_settings(PATUH_SITE_URL="https://patuh.example.go.id/"):
        run(self_stage.ends_on - dt.timedelta(days=3))

    (message,) = _to(OPERATOR_EMAIL)
    assert f"https://patuh.example.go.id/assessments/{dinkes.pk}/" in message.body


def test_the_command_sends_and_prints_a_summary(run, outbox, people, self_stage, monkeypatch):
    day = self_stage.ends_on - dt.timedelta(days=3)
    monkeypatch.setattr(stages, "today", lambda: day)
    out = io.StringIO()

    call_command("reminders", "send", "--today", day.isoformat(), "--dry-run", stdout=out)

    assert outbox == []
    assert not ReminderSent.objects.exists()
    printed = out.getvalue()
    assert f"akan dikirim: opi.operator <{OPERATOR_EMAIL}>" in printed
    assert "Uji coba: 2 akan dikirim" in printed

    out = io.StringIO()
    call_command("reminders", "send", stdout=out)  # today from the clock

    assert len(outbox) == 2
    printed = out.getvalue()
    assert f"terkirim: kiki.koordinator <{COORDINATOR_EMAIL}>" in printed
    assert "(H-3)" in printed
    assert "Ringkasan: 2 terkirim" in printed
    assert "0 gagal" in printed


def test_the_command_fails_when_a_message_failed(
    run, outbox, people, self_stage, monkeypatch, settings
):
    settings.EMAIL_BACKEND = f"{RefusingBackend.__module__}.RefusingBackend"
    day = self_stage.ends_on - dt.timedelta(days=3)
    out = io.StringIO()

    with pytest.raises(CommandError, match="gagal"):
        call_command("reminders", "send", "--today", day.isoformat(), stdout=out)

    assert "1 gagal" in out.getvalue()


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("reminders", "send", "--today", "besok")


def test_the_admin_shows_a_reminder_but_refuses_changes(admin_client, people):
    operator, _coordinator = people
    stage = CycleStage.objects.filter(stage=Stage.SELF_ASSESSMENT).first()
    sent = ReminderSent.objects.create(
        stage=stage, recipient=operator, days_before=3, closes_on=stage.ends_on, assessment_ids=[1]
    )
    base = "/admin/reminders/remindersent/"

    assert admin_client.get(base).status_code == 200
    assert admin_client.get(base, {"q": "opi"}).status_code == 200
    detail = admin_client.get(f"{base}{sent.pk}/change/")
    assert detail.status_code == 200
    assert b'name="_save"' not in detail.content
    assert admin_client.get(f"{base}add/").status_code == 403
    assert admin_client.post(f"{base}{sent.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ReminderSent.objects.filter(pk=sent.pk).exists()


def test_the_command_prints_a_json_summary_for_scripts(
    run, outbox, people, self_stage, monkeypatch, cycle_current, langkat_dinkes
):
    import json

    day = self_stage.ends_on - dt.timedelta(days=3)
    monkeypatch.setattr(stages, "today", lambda: day)
    out = io.StringIO()

    call_command("reminders", "send", "--today", day.isoformat(), "--format", "json", stdout=out)

    summary = json.loads(out.getvalue())
    assert len(outbox) == 2
    assert summary["dry_run"] is False
    assert (summary["sent"], summary["failed"], summary["already_sent"]) == (2, 0, 0)
    (to_operator,) = [n for n in summary["notices"] if n["email"] == OPERATOR_EMAIL]
    dinkes = _self_assessments(cycle_current).get(service_unit=langkat_dinkes)
    assert to_operator == {
        "status": "sent",
        "recipient": "opi.operator",
        "email": OPERATOR_EMAIL,
        "cycle": cycle_current.year,
        "stage": self_stage.stage,
        "closes_on": self_stage.ends_on.isoformat(),
        "days_before": 3,
        "assessments": [dinkes.pk],
        "error": None,
    }


def test_a_failed_message_in_json_still_exits_1(
    run, outbox, people, self_stage, monkeypatch, settings
):
    import json

    settings.EMAIL_BACKEND = f"{RefusingBackend.__module__}.RefusingBackend"
    day = self_stage.ends_on - dt.timedelta(days=3)
    out = io.StringIO()

    with pytest.raises(CommandError) as raised:
        call_command(
            "reminders", "send", "--today", day.isoformat(), "--format", "json", stdout=out
        )

    assert raised.value.returncode == 1
    summary = json.loads(out.getvalue())
    assert summary["failed"] == 1
    assert next(n["error"] for n in summary["notices"] if n["status"] == "failed")
