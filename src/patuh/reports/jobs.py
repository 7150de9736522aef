"""Queueing and running report jobs (see :class:`patuh.reports.models.ReportJob`)."""

from __future__ import annotations

import os
import socket
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus, Cycle
from patuh.core.services import record_event
from patuh.orgs.models import Government
from patuh.reports.models import JobKind, JobStatus, ReportJob
from patuh.reports.rapor import render_rapor_pdf


def governments_of(job: ReportJob) -> Any:
    governments = Government.objects.filter(
        units__assessments__cycle=job.cycle, units__assessments__kind=AssessmentKind.OFFICIAL
    ).exclude(units__assessments__status=AssessmentStatus.DROPPED)
    if job.province_id is not None:
        governments = governments.filter(province_id=job.province_id)
    return governments.distinct().order_by("region_code")


def queue_rapor_batch(cycle: Cycle, province: Any, *, actor: Any) -> ReportJob:
    with transaction.atomic():
        job = ReportJob.objects.create(cycle=cycle, province=province, created_by=actor)
        job.total = governments_of(job).count()
        job.save(update_fields=["total"])
        record_event(
            actor=actor,
            action="report.batch_queued",
            obj=job,
            new={"cycle": cycle.year, "province": province.region_code if province else None},
            context=cycle,
        )
    return job


def claim_next() -> ReportJob | None:
    """Take the oldest queued job; two workers never take the same one."""
    with transaction.atomic():
        queued = ReportJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        job = queued.first()
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.worker = f"{socket.gethostname()}:{os.getpid()}"[:120]
        job.save(update_fields=["status", "started_at", "worker"])
    return job


def queue_export(cycle: Cycle, province: Any, *, actor: Any) -> ReportJob:
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=JobKind.EXPORT, cycle=cycle, province=province, created_by=actor, total=1
        )
        record_event(
            actor=actor,
            action="report.export_queued",
            obj=job,
            new={"cycle": cycle.year, "province": province.region_code if province else None},
            context=cycle,
        )
    return job


def _run_export(job: ReportJob) -> ReportJob:
    from patuh.reports.export import write_workbook

    governments = Government.objects.all()
    if job.province_id is not None:
        governments = governments.filter(province_id=job.province_id)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = write_workbook(job.cycle, Path(folder) / "hasil.xlsx", governments)
            with path.open("rb") as handle:
                job.file.save("hasil.xlsx", File(handle), save=False)
        job.status = JobStatus.DONE
        job.done = 1
    except Exception as error:  # reported on the job's page
        job.status = JobStatus.FAILED
        job.error = f"{type(error).__name__}: {error}"[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "error", "file", "finished_at"])
    return job


def run(job: ReportJob) -> ReportJob:
    """Run one job: a workbook, or every government's rapor into one ZIP, counting progress."""
    if job.kind == JobKind.EXPORT:
        return _run_export(job)
    governments = list(governments_of(job))
    ReportJob.objects.filter(pk=job.pk).update(total=len(governments), done=0)
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "rapor.zip"
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for index, government in enumerate(governments, start=1):
                    if not Assessment.objects.filter(
                        cycle=job.cycle, service_unit__government=government
                    ).exists():
                        continue
                    pdf = render_rapor_pdf(job.cycle, government)
                    archive.writestr(f"rapor-{government.region_code}-{job.cycle.year}.pdf", pdf)
                    ReportJob.objects.filter(pk=job.pk).update(done=index)
            with path.open("rb") as handle:
                job.refresh_from_db()
                job.file.save("rapor.zip", File(handle), save=False)
        job.status = JobStatus.DONE
    except Exception as error:  # a failed job is reported on its page, never lost
        job.refresh_from_db()
        job.status = JobStatus.FAILED
        job.error = f"{type(error).__name__}: {error}"[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "file", "finished_at"])
    return job


class _StopRequest:
    """Set by SIGTERM/SIGINT: the worker finishes the job in hand, then stops."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self, signum: int, frame: Any) -> None:
        self.requested = True


def work(once: bool = False, sleep: float = 2.0) -> int:
    """Run queued jobs until none is left (``once``) or until stopped; returns how many ran.

    A stop signal (``systemctl stop``, Ctrl-C) lets the job in hand finish first, so a
    deployment can restart its workers without leaving half-done jobs behind."""
    import signal
    import threading
    import time

    stop = _StopRequest()
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
    count = 0
    while not stop.requested:
        job = claim_next()
        if job is None:
            if once:
                return count
            time.sleep(sleep)
            continue
        run(job)
        count += 1
    return count


def requeue_stale(older_than_minutes: int, *, actor: Any = None) -> list[ReportJob]:
    """Put back in the queue the jobs still marked running long after they started: their
    worker was killed (machine lost, out of memory) before it could finish them."""
    limit = timezone.now() - timedelta(minutes=older_than_minutes)
    requeued = []
    with transaction.atomic():
        stale = ReportJob.objects.filter(status=JobStatus.RUNNING, started_at__lt=limit)
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        for job in stale:
            old = {"status": job.status, "worker": job.worker, "done": job.done}
            job.status = JobStatus.QUEUED
            job.started_at = None
            job.done = 0
            job.save(update_fields=["status", "started_at", "done"])
            record_event(
                actor=actor,
                action="report.job_requeued",
                obj=job,
                old=old,
                new={"status": job.status},
                reason=f"masih berjalan lebih dari {older_than_minutes} menit",
                context=job.cycle,
            )
            requeued.append(job)
    return requeued
