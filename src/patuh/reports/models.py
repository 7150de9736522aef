"""Background report jobs: a batch of rapor PDFs, or a results workbook, for a province or
the whole country.

Jobs are rows in the database; any number of ``patuh jobs work`` processes, on any machine
sharing the database, claim and run them one at a time."""

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


JOB_SUFFIX = {JobKind.RAPOR_BATCH: ".zip", JobKind.EXPORT: ".xlsx"}


def job_file_path(instance: ReportJob, filename: str) -> str:
    suffix = JOB_SUFFIX.get(instance.kind, ".bin")
    return f"reports/{instance.cycle.year}/{secrets.token_hex(12)}{suffix}"


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

    class Meta:
        verbose_name = _("tugas laporan")
        verbose_name_plural = _("tugas laporan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.cycle.year} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 0 if not self.total else round(100 * self.done / self.total)
