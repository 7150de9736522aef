"""Follow-up (tindak lanjut): the rapor's unmet indicators as actions, and the Ombudsman's
products addressed to a government with their follow-up status."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Terbuka")
    IN_PROGRESS = "in_progress", _("Dikerjakan")
    DONE = "done", pgettext_lazy("tindak lanjut", "Selesai")


def proof_upload_path(instance: FollowUpAction, filename: str) -> str:
    return f"follow-up/{instance.cycle.year}/{secrets.token_hex(16)}{instance.proof_extension}"


class FollowUpAction(models.Model):
    """One unmet indicator of a published rapor, to be fixed by the unit."""

    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.CASCADE,
        related_name="follow_up_actions",
        verbose_name=_("siklus"),
    )
    government = models.ForeignKey(
        "orgs.Government",
        on_delete=models.CASCADE,
        related_name="follow_up_actions",
        verbose_name=_("pemerintah"),
    )
    service_unit = models.ForeignKey(
        "orgs.ServiceUnit",
        on_delete=models.CASCADE,
        related_name="follow_up_actions",
        verbose_name=_("unit layanan"),
    )
    indicator_code = models.CharField(_("kode indikator"), max_length=32)
    indicator_name = models.CharField(_("indikator"), max_length=300)
    value = models.DecimalField(
        _("nilai saat publikasi"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    points_lost = models.DecimalField(_("poin hilang"), max_digits=7, decimal_places=2)
    rubric_text = models.TextField(_("tingkat yang dicapai"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_actions",
        verbose_name=_("penanggung jawab"),
    )
    due_on = models.DateField(_("tenggat"), null=True, blank=True)
    proof_note = models.TextField(_("keterangan bukti"), blank=True)
    proof_url = models.URLField(_("tautan bukti"), max_length=1000, blank=True)
    proof_file = models.FileField(_("berkas bukti"), upload_to=proof_upload_path, blank=True)
    proof_original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True)
    proof_content_type = models.CharField(_("jenis isi"), max_length=120, blank=True)
    proof_extension = models.CharField(_("ekstensi"), max_length=8, blank=True)
    proof_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    completed_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diselesaikan oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        ordering = ["cycle", "government", "service_unit__name", "-points_lost", "indicator_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "service_unit", "indicator_code"],
                name="followup_action_unique_per_indicator",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_unit} — {self.indicator_code}"

    @property
    def is_done(self) -> bool:
        return self.status == ActionStatus.DONE


class OmbudsmanProductKind(models.TextChoices):
    CORRECTIVE_ACTION = "corrective_action", _("Tindakan korektif (LAHP)")
    SUGGESTION = "suggestion", _("Saran perbaikan (LHA)")
    RECOMMENDATION = "recommendation", _("Rekomendasi")


class ProductFollowUpStatus(models.TextChoices):
    PENDING = "pending", _("Belum ditindaklanjuti")
    IN_PROGRESS = "in_progress", _("Sedang ditindaklanjuti")
    FOLLOWED_UP = "followed_up", _("Sudah ditindaklanjuti")


class OmbudsmanProduct(models.Model):
    """A corrective action, suggestion or recommendation of the Ombudsman to a government."""

    government = models.ForeignKey(
        "orgs.Government",
        on_delete=models.CASCADE,
        related_name="ombudsman_products",
        verbose_name=_("pemerintah"),
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=OmbudsmanProductKind.choices)
    reference = models.CharField(_("nomor"), max_length=120)
    issued_on = models.DateField(_("tanggal terbit"))
    subject = models.TextField(_("pokok"))
    follow_up_status = models.CharField(
        _("status tindak lanjut"),
        max_length=16,
        choices=ProductFollowUpStatus.choices,
        default=ProductFollowUpStatus.PENDING,
    )
    followed_up_on = models.DateField(_("ditindaklanjuti pada"), null=True, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("produk Ombudsman")
        verbose_name_plural = _("produk Ombudsman")
        ordering = ["government", "-issued_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["government", "reference"], name="followup_product_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference}"
