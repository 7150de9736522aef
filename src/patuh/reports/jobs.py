"""Queueing and running background jobs (see :class:`patuh.reports.models.ReportJob`).

While a job runs its worker keeps it alive: every progress step, and a timer thread every
``PATUH_JOB_HEARTBEAT_SECONDS``, write ``heartbeat_at``. :func:`requeue_stale` looks only at
that heartbeat, so a long job whose worker is alive is never taken from it, and a job whose
worker died goes back to the queue (or, after ``PATUH_JOB_MAX_ATTEMPTS`` tries, is marked
failed: a job that kills its worker every time must not go round for ever)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import tempfile
import threading
import traceback
import zipfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus, Cycle
from patuh.core.services import record_event
from patuh.notifications.events import job_ended
from patuh.orgs.models import Government
from patuh.reports.models import JobKind, JobLogLine, JobStatus, ReportJob
from patuh.reports.rapor import rapor_filename, render_rapor_pdf

LOG_LINES_KEPT = 200
"""A job's log stays short: lines past this many are not written (the last one says so)."""


def log(job: ReportJob | int, message: str, *, level: str = JobLogLine.Level.INFO) -> None:
    """Add one timestamped line to a job's log."""
    job_id = job if isinstance(job, int) else job.pk
    count = JobLogLine.objects.filter(job_id=job_id).count()
    if count > LOG_LINES_KEPT:
        return
    if count == LOG_LINES_KEPT:
        message, level = _("Catatan berikutnya tidak disimpan."), JobLogLine.Level.INFO
    JobLogLine.objects.create(job_id=job_id, at=timezone.now(), level=level, message=message)


def traceback_summary(error: BaseException, frames: int = 3) -> str:
    """``RuntimeError: pango hilang (rapor.py:120 render_rapor_pdf ← jobs.py:200 run)``: the
    error and the last few places it went through, without the full paths."""
    where = traceback.extract_tb(error.__traceback__)[-frames:]
    places = " ← ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(where))
    text = f"{type(error).__name__}: {error}"
    return f"{text} ({places})" if places else text


def _beat(job_id: int, **fields: Any) -> None:
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        heartbeat_at=timezone.now(), **fields
    )


class Heartbeat(threading.Thread):
    """Calls ``beat()`` every ``every`` seconds until stopped, from its own thread (and its
    own database connection), so a job busy in one long step still looks alive.

    A beat is skipped while ``busy()`` says the worker's own connection is inside a
    transaction: its write would only wait for that transaction (SQLite has one writer; on
    PostgreSQL the transaction may hold the job's row). The next beat tries again."""

    def __init__(
        self, beat: Callable[[], None], every: float, busy: Callable[[], bool] = lambda: False
    ) -> None:
        super().__init__(daemon=True, name="patuh-job-heartbeat")
        self.beat, self.every, self.busy = beat, every, busy
        self.stopped = threading.Event()
        self.beats = 0

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                if self.busy():
                    continue
                try:
                    self.beat()
                    self.beats += 1
                except DatabaseError:
                    pass  # the database is away for a moment: the next beat tries again
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


@contextlib.contextmanager
def heartbeat(job: ReportJob) -> Iterator[Heartbeat | None]:
    """Keep ``job`` alive while the block runs (``PATUH_JOB_HEARTBEAT_SECONDS``; 0 turns
    the timer off, progress steps still beat)."""
    every = float(getattr(settings, "PATUH_JOB_HEARTBEAT_SECONDS", 30))
    if every <= 0:
        yield None
        return
    worker_connection = connections["default"]
    thread = Heartbeat(lambda: _beat(job.pk), every, busy=lambda: worker_connection.in_atomic_block)
    thread.start()
    try:
        yield thread
    finally:
        thread.stop()


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
        job.started_at = job.heartbeat_at = timezone.now()
        job.worker = f"{socket.gethostname()}:{os.getpid()}"[:120]
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "worker", "attempts"])
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
        _failed(job, error)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "error", "file", "finished_at"])
    return job


def _failed(job: ReportJob, error: BaseException) -> None:
    job.status = JobStatus.FAILED
    job.error = f"{type(error).__name__}: {error}"[:2000]
    log(job, traceback_summary(error)[:2000], level=JobLogLine.Level.ERROR)


def queue_survey_import(
    unit: Any, cycle: Cycle, kind: str, upload: Any, *, actor: Any
) -> ReportJob:
    """A survey file too large to import during the request: stored with its job, imported
    by ``patuh jobs work`` exactly as :func:`patuh.surveys.imports.import_file` would."""
    name = Path(getattr(upload, "name", "") or "jawaban.csv").name[:200]
    with transaction.atomic():
        job = ReportJob(
            kind=JobKind.SURVEY_IMPORT,
            cycle=cycle,
            service_unit=unit,
            created_by=actor,
            params={"survey_kind": kind, "name": name},
        )
        job.source.save(name, upload, save=False)
        job.save()
        record_event(
            actor=actor,
            action="survey.import_queued",
            obj=job,
            new={"unit": unit.pk, "kind": kind, "name": name},
            context=unit,
        )
    return job


def _run_survey_import(job: ReportJob) -> ReportJob:
    from patuh.scoring.errors import ScoringError
    from patuh.surveys.imports import count_rows, import_file

    job.refresh_from_db()
    kind = job.params.get("survey_kind", "skm")
    suffix = Path(job.source.name or "").suffix.lower() or ".csv"
    milestones: set[int] = set()

    def progress(rows: int) -> None:
        done = min(rows, job.total)
        _beat(job.pk, done=done)
        quarter = 0 if not job.total else 4 * done // job.total
        if 0 < quarter < 4 and quarter not in milestones:
            milestones.add(quarter)
            log(job, _("%(rows)s baris diperiksa") % {"rows": done})

    try:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"jawaban{suffix}"
            with job.source.open("rb") as source, path.open("wb") as copy:
                shutil.copyfileobj(source, copy)
            job.total = count_rows(path)
            ReportJob.objects.filter(pk=job.pk).update(total=job.total, done=0)
            log(job, _("%(rows)s baris dalam berkas") % {"rows": job.total})
            try:
                summary = import_file(
                    path,
                    job.service_unit,
                    job.cycle,
                    kind,
                    entered_by=job.created_by,
                    progress=progress,
                    saving=lambda: log(job, _("Semua baris benar; jawaban disimpan")),
                )
            except ScoringError as error:
                job.status = JobStatus.FAILED
                job.result = {"problems": [str(problem) for problem in error.problems]}
                job.error = _("Tidak ada yang diimpor: ada baris yang salah.")
                log(job, job.error, level=JobLogLine.Level.ERROR)
            else:
                job.status = JobStatus.DONE
                job.done = job.total
                job.result = {
                    "rows": summary.rows,
                    "created": summary.created,
                    "already_there": summary.already_there,
                    "notes": list(summary.notes),
                }
                log(
                    job,
                    _("%(rows)s baris: %(new)s jawaban baru, %(old)s sudah ada sebelumnya.")
                    % {"rows": summary.rows, "new": summary.created, "old": summary.already_there},
                )
    except Exception as error:  # reported on the job's page, never lost
        _failed(job, error)
    with contextlib.suppress(OSError):
        job.source.delete(save=False)  # the upload is not kept once imported (or refused)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "done", "total", "error", "result", "source", "finished_at"])
    return job


def run(job: ReportJob) -> ReportJob:
    """Run one job (a workbook, every government's rapor into one ZIP, a survey file),
    counting progress, kept alive by a heartbeat and logged from start to finish."""
    log(job, _("Dimulai oleh pekerja %(worker)s") % {"worker": job.worker or "?"})
    runner = {JobKind.EXPORT: _run_export, JobKind.SURVEY_IMPORT: _run_survey_import}.get(
        job.kind, _run_rapor_batch
    )
    with heartbeat(job):
        job = runner(job)
    if job.status == JobStatus.DONE:
        log(job, _("Selesai"))
    job_ended(job)
    return job


def _run_rapor_batch(job: ReportJob) -> ReportJob:
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
                    archive.writestr(rapor_filename(job.cycle, government), pdf)
                    _beat(job.pk, done=index)
                    if index * 4 // len(governments) > (index - 1) * 4 // len(governments):
                        log(
                            job,
                            _("%(done)s dari %(total)s rapor")
                            % {"done": index, "total": len(governments)},
                        )
            with path.open("rb") as handle:
                job.refresh_from_db()
                job.file.save("rapor.zip", File(handle), save=False)
        job.status = JobStatus.DONE
    except Exception as error:  # a failed job is reported on its page, never lost
        job.refresh_from_db()
        _failed(job, error)
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


def stale_jobs(older_than_minutes: int) -> Any:
    """Jobs marked running whose worker has given no sign of life for that long (jobs from
    before heartbeats existed are judged by their start)."""
    limit = timezone.now() - timedelta(minutes=older_than_minutes)
    return ReportJob.objects.filter(status=JobStatus.RUNNING).filter(
        Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit)
    )


def requeue_stale(
    older_than_minutes: int, *, actor: Any = None, dry_run: bool = False
) -> list[ReportJob]:
    """Put back in the queue the jobs whose worker was killed (machine lost, out of memory)
    before it could finish them: still marked running, no heartbeat for that long. A job
    already tried ``PATUH_JOB_MAX_ATTEMPTS`` times is marked failed instead. Returns the jobs
    handled (``dry_run``: the jobs that would be), each with ``status`` as it is now."""
    max_attempts = int(getattr(settings, "PATUH_JOB_MAX_ATTEMPTS", 3))
    handled = []
    with transaction.atomic():
        stale = stale_jobs(older_than_minutes)
        if connection.features.has_select_for_update_skip_locked:
            stale = stale.select_for_update(skip_locked=True)
        for job in stale:
            if dry_run:
                handled.append(job)
                continue
            old = {"status": job.status, "worker": job.worker, "done": job.done}
            reason = _("tanpa tanda hidup lebih dari %(minutes)s menit") % {
                "minutes": older_than_minutes
            }
            if job.attempts >= max_attempts:
                job.status = JobStatus.FAILED
                job.error = _("Pekerja berhenti %(count)s kali saat menjalankan tugas ini.") % {
                    "count": job.attempts
                }
                job.finished_at = timezone.now()
                job.save(update_fields=["status", "error", "finished_at"])
                action = "report.job_abandoned"
                log(job, job.error, level=JobLogLine.Level.ERROR)
                job_ended(job)
            else:
                job.status = JobStatus.QUEUED
                job.started_at = None
                job.heartbeat_at = None
                job.done = 0
                job.save(update_fields=["status", "started_at", "heartbeat_at", "done"])
                action = "report.job_requeued"
                log(job, _("Dikembalikan ke antrean: %(reason)s") % {"reason": reason})
            record_event(
                actor=actor,
                action=action,
                obj=job,
                old=old,
                new={"status": job.status},
                reason=reason,
                context=job.cycle,
            )
            handled.append(job)
    return handled
