"""Report workers on several machines: a lost worker's job goes back to the queue (its
heartbeat stopped), and a stopped worker finishes the job in hand first."""

from __future__ import annotations

import io
import signal
from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from patuh.core.models import AuditEvent
from patuh.reports import jobs
from patuh.reports.models import JobStatus, ReportJob


def test_a_job_whose_worker_died_is_requeued_and_audited(cycle_2023, verifier):
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    claimed = jobs.claim_next()
    assert claimed.pk == job.pk
    two_hours_ago = timezone.now() - timedelta(hours=2)
    ReportJob.objects.filter(pk=job.pk).update(started_at=two_hours_ago, heartbeat_at=two_hours_ago)
    fresh = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()  # started just now: its worker may still be busy with it

    out = io.StringIO()
    call_command("jobs", "requeue", "--older-than", "60", stdout=out)

    assert "1 tugas" in out.getvalue()
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert fresh.status == JobStatus.RUNNING
    event = AuditEvent.objects.get(action="report.job_requeued")
    assert event.object_id == str(job.pk)
    assert event.old["status"] == JobStatus.RUNNING
    assert "Dikembalikan ke antrean" in job.log_lines.get().message
    assert jobs.claim_next().pk == job.pk  # and another worker takes it


def test_a_job_that_keeps_losing_its_worker_is_failed_not_requeued(cycle_2023, verifier):
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()
    long_ago = timezone.now() - timedelta(hours=2)
    ReportJob.objects.filter(pk=job.pk).update(attempts=3, heartbeat_at=long_ago)

    out = io.StringIO()
    call_command("jobs", "requeue", "--older-than", "60", stdout=out)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "3 kali" in job.error
    assert "1 tugas ditandai gagal" in out.getvalue()
    assert AuditEvent.objects.filter(action="report.job_abandoned", object_id=str(job.pk)).exists()


def test_a_stop_signal_lets_the_job_in_hand_finish(cycle_2023, verifier, monkeypatch):
    queued = [jobs.queue_rapor_batch(cycle_2023, None, actor=verifier) for _ in range(2)]
    finished = []

    def run_then_get_stopped(job):
        finished.append(job.pk)
        signal.raise_signal(signal.SIGTERM)  # systemctl stop arrives mid-job
        job.status = JobStatus.DONE
        job.save(update_fields=["status"])
        return job

    monkeypatch.setattr(jobs, "run", run_then_get_stopped)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        assert jobs.work(sleep=0.01) == 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    assert finished == [queued[0].pk]
    assert ReportJob.objects.get(pk=queued[1].pk).status == JobStatus.QUEUED
