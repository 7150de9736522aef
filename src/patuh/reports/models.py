"""Background jobs: a batch of rapor PDFs, or a results workbook, for a province or the whole
country; a large survey file imported for one unit.

Jobs are rows in the database; any number of ``patuh jobs work`` processes, on any machine
sharing the database, claim and run them one at a time. A running job's worker touches
``heartbeat_at`` regularly, so a job is put back in the queue only when its worker has really
stopped (see :func:`patuh.reports.jobs.requeue_stale`). Each job keeps a short log."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu")
    RUNNING = "running", _("Berjalan")
    DONE = "done", _("Selesai dibuat")
    FAILED = "failed", _("Gagal")


class JobKind(models.TextChoices):
    RAPOR_BATCH = "rapor_batch", _("Rapor semua pemerintah (ZIP)")
    EXPORT = "export", _("Ekspor hasil (Excel)")
    SURVEY_IMPORT = "survey_import", _("Impor jawaban survei")


JOB_SUFFIX = {JobKind.RAPOR_BATCH: ".zip", JobKind.EXPORT: ".xlsx"}


def job_file_path(instance: ReportJob, filename: str) -> str:
    suffix = JOB_SUFFIX.get(instance.kind, ".bin")
    return f"reports/{instance.cycle.year}/{secrets.token_hex(12)}{suffix}"


def job_source_path(instance: ReportJob, filename: str) -> str:
    """An uploaded file waiting for its job (kept only until the job has run)."""
    suffix = ".xlsx" if filename.lower().endswith(".xlsx") else ".csv"
    return f"imports/{instance.cycle.year}/{secrets.token_hex(12)}{suffix}"


class ReportJob(models.Model):
    kind = models.CharField(
        _("jenis"), max_length=16, choices=JobKind.choices, default=JobKind.RAPOR_BATCH
    )
    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.CASCADE,
        related_name="report_jobs",
        verbose_name=_("siklus"),
    )
    province = models.ForeignKey(
        "orgs.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("provinsi"),
        help_text=_("Kosong: semua pemerintah dalam siklus."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JobStatus.choices,
        default=JobStatus.QUEUED,
        db_index=True,
    )
    service_unit = models.ForeignKey(
        "orgs.ServiceUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit layanan"),
        help_text=_("Untuk impor jawaban survei: unit yang jawabannya diimpor."),
    )
    params = models.JSONField(_("parameter"), default=dict, blank=True)
    source = models.FileField(_("berkas masukan"), upload_to=job_source_path, blank=True)
    result = models.JSONField(_("hasil"), null=True, blank=True)
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    error = models.TextField(_("galat"), blank=True)
    file = models.FileField(_("berkas"), upload_to=job_file_path, blank=True)
    worker = models.CharField(_("pekerja"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(
        _("tanda hidup terakhir"),
        null=True,
        blank=True,
        help_text=_("Diperbarui pekerja selama tugas berjalan."),
    )
    attempts = models.PositiveIntegerField(_("percobaan"), default=0)

    class Meta:
        verbose_name = _("tugas laporan")
        verbose_name_plural = _("tugas laporan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle.year} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 0 if not self.total else round(100 * self.done / self.total)


class JobLogLine(models.Model):
    """One line of a job's log: started, progress milestones, errors, finished."""

    class Level(models.TextChoices):
        INFO = "info", _("info")
        ERROR = "error", _("galat")

    job = models.ForeignKey(
        ReportJob, on_delete=models.CASCADE, related_name="log_lines", verbose_name=_("tugas")
    )
    at = models.DateTimeField(_("waktu"))
    level = models.CharField(_("tingkat"), max_length=8, choices=Level.choices, default="info")
    message = models.TextField(_("pesan"))

    class Meta:
        verbose_name = _("catatan tugas")
        verbose_name_plural = _("catatan tugas")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.message}"
