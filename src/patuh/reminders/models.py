"""Reminders e-mailed before a stage's window closes, one row per notice actually sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patuh.assessments.models import CycleStage


class ReminderKind(models.TextChoices):
    WINDOW_CLOSING = "window_closing", _("Tahap segera ditutup")


REMINDER_DAYS = (3, 1)
"""How many days before a window closes each notice goes out."""


class ReminderSent(models.Model):
    """One notice e-mailed to one person about one stage window: written in the transaction that
    sends it, so a run that finds it sends nothing again (and a failed send leaves no row)."""

    stage = models.ForeignKey(
        CycleStage,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("tahap"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_received",
        verbose_name=_("penerima"),
    )
    days_before = models.PositiveSmallIntegerField(
        _("hari sebelum ditutup"), choices=[(days, str(days)) for days in REMINDER_DAYS]
    )
    kind = models.CharField(
        _("jenis pengingat"),
        max_length=32,
        choices=ReminderKind.choices,
        default=ReminderKind.WINDOW_CLOSING,
    )
    closes_on = models.DateField(
        _("tanggal ditutup"),
        help_text=_("Tanggal penutupan tahap bagi penerima, termasuk perpanjangan."),
    )
    sent_at = models.DateTimeField(_("dikirim"), default=timezone.now)
    email = models.EmailField(_("alamat e-mail"), blank=True)
    assessment_ids = models.JSONField(
        _("penilaian yang disebut"),
        default=list,
        blank=True,
        help_text=_("ID penilaian yang belum diajukan dan disebut dalam pengingat."),
    )

    class Meta:
        verbose_name = _("pengingat terkirim")
        verbose_name_plural = _("pengingat terkirim")
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "closes_on", "recipient", "days_before", "kind"],
                name="reminders_sent_once_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.stage} (H-{self.days_before})"
