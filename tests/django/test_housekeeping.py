"""``patuh housekeeping``: expired sessions, stale jobs, old job files and old login records
cleared in one audited run; ``--dry-run`` only counts; ``--format json`` for scripts."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from patuh.core.models import AuditEvent
from patuh.reports import jobs
from patuh.reports.models import JobStatus, ReportJob


@pytest.fixture
def mess(cycle_2023, verifier, settings, tmp_path):
    """One of everything housekeeping clears, next to one of everything it must keep."""
    settings.MEDIA_ROOT = tmp_path
    settings.PATUH_JOB_OUTPUT_DAYS = 30
    settings.PATUH_AXES_KEEP_DAYS = 90
    now = timezone.now()
    Session.objects.all().delete()
    for key, expires in (("lama", now - timedelta(days=1)), ("aktif", now + timedelta(hours=1))):
        Session.objects.create(
            session_key=key, session_data=SessionStore().encode({}), expire_date=expires
        )

    stale = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()
    ReportJob.objects.filter(pk=stale.pk).update(heartbeat_at=now - timedelta(hours=3))
    live = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()
    ReportJob.objects.filter(pk=live.pk).update(started_at=now - timedelta(hours=3))

    old, recent = (ReportJob(cycle=cycle_2023, status=JobStatus.DONE) for _ in range(2))
    for job, age in ((old, 40), (recent, 3)):
        job.file.save("rapor.zip", ContentFile(b"PK"), save=False)
        job.finished_at = now - timedelta(days=age)
        job.save()

    AccessAttempt.objects.all().delete()
    AccessLog.objects.all().delete()
    for days in (100, 1):
        attempt = AccessAttempt.objects.create(
            username=f"u{days}", ip_address="10.0.0.1", failures_since_start=1
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=now - timedelta(days=days))
        entry = AccessLog.objects.create(username=f"u{days}", ip_address="10.0.0.1")
        AccessLog.objects.filter(pk=entry.pk).update(attempt_time=now - timedelta(days=days))
    return {"stale": stale, "live": live, "old": old, "recent": recent}


def _run(*args):
    out = io.StringIO()
    call_command("housekeeping", *args, stdout=out)
    return out.getvalue()


def test_it_clears_what_is_old_and_keeps_what_is_live(mess):
    old_path = mess["old"].file.path
    text = _run()
    assert "sesi kedaluwarsa dihapus: 1" in text
    assert "tugas dikembalikan ke antrean: 1" in text
    assert "berkas tugas lama dihapus: 1" in text
    assert "catatan login lama dihapus: 2" in text

    assert list(Session.objects.values_list("session_key", flat=True)) == ["aktif"]
    states = dict(ReportJob.objects.values_list("pk", "status"))
    assert states[mess["stale"].pk] == JobStatus.QUEUED
    assert states[mess["live"].pk] == JobStatus.RUNNING  # started long ago, still beating
    mess["old"].refresh_from_db()
    mess["recent"].refresh_from_db()
    assert not mess["old"].file
    assert mess["recent"].file
    assert not Path(old_path).exists()
    assert "Berkas dihapus" in mess["old"].log_lines.get().message
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["u1"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["u1"]


def test_one_run_is_one_audit_event_with_the_counts(mess):
    _run()
    event = AuditEvent.objects.get(action="core.housekeeping")
    assert (event.object_type, event.actor) == ("core.instance", None)
    assert event.new["sessions"] == 1
    assert event.new["jobs_requeued"] == 1
    assert event.new["job_files"] == 1
    assert event.new["login_records"] == 2


def test_a_dry_run_counts_and_changes_nothing(mess):
    events = AuditEvent.objects.count()
    report = json.loads(_run("--dry-run", "--format", "json"))
    assert report == {
        "dry_run": True,
        "sessions": 1,
        "jobs_requeued": 1,
        "jobs_failed": 0,
        "job_files": 1,
        "login_records": 2,
        "api_tokens": 0,  # see tests/django/test_api_tokens.py
        "notifications": 0,
        "complaint_identities": 0,
    }
    assert Session.objects.count() == 2
    assert ReportJob.objects.get(pk=mess["stale"].pk).status == JobStatus.RUNNING
    assert ReportJob.objects.get(pk=mess["old"].pk).file
    assert AccessAttempt.objects.count() == 2
    assert AuditEvent.objects.count() == events


def test_login_records_are_never_cleared_before_a_lockout_ends(mess, settings):
    settings.PATUH_AXES_KEEP_DAYS = 0
    settings.AXES_COOLOFF_TIME = 24 * 3  # hours: the 1-day-old records are still in force
    assert json.loads(_run("--format", "json"))["login_records"] == 2
    assert AccessAttempt.objects.filter(username="u1").exists()


def test_the_ages_can_be_given_on_the_command_line(mess):
    report = json.loads(_run("--dry-run", "--format", "json", "--output-days", "1"))
    assert report["job_files"] == 2
    report = json.loads(_run("--dry-run", "--format", "json", "--stale-minutes", "600"))
    assert report["jobs_requeued"] == 0


def test_bad_arguments_exit_2_and_a_failure_exits_1(mess, monkeypatch):
    from django.db import OperationalError

    from patuh.cli import main

    with pytest.raises(SystemExit) as bad:
        main(["housekeeping", "--output-days", "-3"])
    assert bad.value.code == 2
    assert Session.objects.count() == 2  # nothing done

    def broken(**kwargs):
        raise OperationalError("disk I/O error")

    monkeypatch.setattr("patuh.core.management.commands.housekeeping.run_housekeeping", broken)
    with pytest.raises(CommandError, match="Perawatan gagal: disk I/O error") as failure:
        _run()
    assert failure.value.returncode == 1
