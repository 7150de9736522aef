"""A service unit's complaint register: each complaint with its channel, class, dates and the
complainant's (minimised, optional) identity."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from patuh.orgs.models import ServiceUnit


class Channel(models.TextChoices):
    LAPOR = "lapor", _("SP4N-LAPOR!")
    WALK_IN = "walk_in", _("Datang langsung")
    PHONE = "phone", _("Telepon")
    SOCIAL_MEDIA = "social_media", _("Media sosial")
    LETTER = "letter", _("Surat")


class ComplaintClass(models.TextChoices):
    """SP4N-LAPOR!'s three classes of report."""

    COMPLAINT = "complaint", _("Pengaduan")
    ASPIRATION = "aspiration", _("Aspirasi")
    INFORMATION_REQUEST = "information_request", _("Permintaan informasi")


class Source(models.TextChoices):
    IMPORT = "import", _("Impor ekspor SP4N-LAPOR!")
    WALK_IN_FORM = "form", _("Formulir front office")


class ComplaintQuerySet(models.QuerySet):
    def for_user(self, user: Any) -> ComplaintQuerySet:
        """Complaints of the units the user sees (identities are a separate question:
        :func:`patuh.complaints.access.sees_identity`)."""
        return self.filter(unit__in=ServiceUnit.objects.for_user(user))

    def received_between(self, start: Any, end: Any) -> ComplaintQuerySet:
        return self.filter(received_on__gte=start, received_on__lte=end)


class Complaint(models.Model):
    unit = models.ForeignKey(
        ServiceUnit,
        on_delete=models.CASCADE,
        related_name="complaints",
        verbose_name=_("unit layanan"),
    )
    tracking_id = models.CharField(
        _("nomor pelacakan"),
        max_length=64,
        help_text=_("ID pelacakan SP4N-LAPOR!, atau nomor register unit untuk pengaduan langsung."),
    )
    channel = models.CharField(_("kanal"), max_length=16, choices=Channel.choices)
    complaint_class = models.CharField(
        _("klasifikasi"),
        max_length=24,
        choices=ComplaintClass.choices,
        default=ComplaintClass.COMPLAINT,
    )
    category = models.CharField(_("kategori"), max_length=120, blank=True)
    subject = models.CharField(_("pokok aduan"), max_length=200)
    description = models.TextField(_("isi aduan"), blank=True)
    received_on = models.DateField(_("tanggal diterima"))
    forwarded_on = models.DateField(_("tanggal disposisi"), null=True, blank=True)
    disposition_to = models.CharField(_("disposisi kepada"), max_length=160, blank=True)
    followed_up_on = models.DateField(_("tanggal tindak lanjut"), null=True, blank=True)
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    closed_on = models.DateField(_("tanggal selesai"), null=True, blank=True)
    closure_note = models.TextField(_("catatan penyelesaian"), blank=True)
    anonymous = models.BooleanField(_("anonim"), default=False)
    complainant_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    complainant_contact = models.CharField(_("kontak pelapor"), max_length=120, blank=True)
    identity_erased_at = models.DateTimeField(_("identitas dihapus"), null=True, blank=True)
    source = models.CharField(_("asal catatan"), max_length=8, choices=Source.choices)
    is_synthetic = models.BooleanField(_("data sintetis"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["unit", "received_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "tracking_id"], name="complaints_tracking_id_unique_in_unit"
            ),
            models.CheckConstraint(
                condition=Q(forwarded_on__isnull=True)
                | Q(forwarded_on__gte=models.F("received_on")),
                name="complaints_forwarded_after_received",
            ),
            models.CheckConstraint(
                condition=Q(followed_up_on__isnull=True)
                | Q(followed_up_on__gte=models.F("received_on")),
                name="complaints_followed_up_after_received",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(followed_up_on__isnull=False),
                name="complaints_closed_after_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tracking_id} — {self.subject}"

    @property
    def status(self) -> str:
        if self.closed_on:
            return "closed"
        if self.followed_up_on:
            return "followed_up"
        if self.forwarded_on:
            return "forwarded"
        return "received"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def has_identity(self) -> bool:
        return bool(self.complainant_name or self.complainant_contact)


STATUS_LABELS = {
    "received": _("Diterima"),
    "forwarded": _("Didisposisikan"),
    "followed_up": _("Ditindaklanjuti"),
    "closed": pgettext_lazy("complaint", "Selesai"),
}
