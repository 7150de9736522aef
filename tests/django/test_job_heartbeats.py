"""A running job's worker keeps it alive with heartbeats: a job that started long ago but
whose worker still beats is never taken from it; each job keeps a short log that whoever may
see the job reads on its page."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from patuh.orgs.models import Government
from patuh.reports import jobs
from patuh.reports.models import JobLogLine, JobStatus, ReportJob


@pytest.fixture
def one_government(monkeypatch):
    monkeypatch.setattr(
        jobs, "governments_of", lambda job: Government.objects.filter(region_code="12.05")
    )


def test_a_live_job_that_started_long_ago_is_never_requeued(cycle_2023, verifier):
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()
    ReportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(hours=5),
        heartbeat_at=timezone.now() - timedelta(seconds=20),
    )

    out = io.StringIO()
    call_command("jobs", "requeue", "--older-than", "10", stdout=out)

    assert "0 tugas dikembalikan" in out.getvalue()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING


def test_a_job_from_before_heartbeats_is_judged_by_its_start(cycle_2023, verifier):
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.claim_next()
    ReportJob.objects.filter(pk=job.pk).update(
        started_at=timezone.now() - timedelta(hours=2), heartbeat_at=None
    )
    assert [j.pk for j in jobs.requeue_stale(60)] == [job.pk]


def test_claiming_a_job_beats_and_counts_the_attempt(cycle_2023, verifier):
    jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    job = jobs.claim_next()
    job.refresh_from_db()
    assert job.attempts == 1
    assert timezone.now() - job.heartbeat_at < timedelta(seconds=5)


def test_each_progress_step_beats(
    cycle_2023, verifier, one_government, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    seen = []
    real_beat = jobs._beat

    def recording_beat(job_id, **fields):
        seen.append(fields)
        real_beat(job_id, **fields)

    jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    job = jobs.claim_next()
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    monkeypatch.setattr(jobs, "_beat", recording_beat)
    jobs.run(job)
    assert {"done": 1} in seen
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert timezone.now() - job.heartbeat_at < timedelta(minutes=1)


def test_the_timer_thread_beats_until_stopped_and_waits_while_the_worker_is_in_a_transaction():
    beats = threading.Semaphore(0)
    thread = jobs.Heartbeat(beats.release, every=0.01)
    thread.start()
    assert beats.acquire(timeout=2)
    assert beats.acquire(timeout=2)
    thread.stop()
    assert not thread.is_alive()

    busy = jobs.Heartbeat(beats.release, every=0.01, busy=lambda: True)
    busy.start()
    assert not beats.acquire(timeout=0.2)
    busy.stop()
    assert busy.beats == 0


def test_a_job_logs_its_start_milestones_and_end(
    cycle_2023, verifier, one_government, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.run(jobs.claim_next())
    messages = list(job.log_lines.values_list("message", flat=True))
    assert messages[0].startswith("Dimulai oleh pekerja ")
    assert "1 dari 1 rapor" in messages
    assert messages[-1] == "Selesai"


def test_a_failed_job_logs_the_error_with_where_it_happened(
    login, cycle_2023, verifier, outsider, one_government, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path

    def broken(cycle, government):
        raise RuntimeError("pango hilang")

    monkeypatch.setattr(jobs, "render_rapor_pdf", broken)
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.run(jobs.claim_next())
    error = job.log_lines.get(level=JobLogLine.Level.ERROR).message
    assert error.startswith("RuntimeError: pango hilang (")
    assert "broken" in error
    assert "jobs.py" in error
    assert "/" not in error.split("(", 1)[1]  # file names, not the server's paths

    page = login(verifier).get(f"/jobs/{job.pk}/").content.decode()
    assert "data-job-log" in page
    assert "RuntimeError: pango hilang" in page
    assert "pango hilang" not in login(outsider).get(f"/jobs/{job.pk}/").content.decode()


def test_a_log_stays_short(cycle_2023, verifier):
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    for number in range(jobs.LOG_LINES_KEPT + 20):
        jobs.log(job, f"baris {number}")
    lines = list(job.log_lines.values_list("message", flat=True))
    assert len(lines) == jobs.LOG_LINES_KEPT + 1
    assert lines[-1] == "Catatan berikutnya tidak disimpan."
