"""Notifications: one row per event per recipient, shown in the inbox and e-mailed.

A row is the delivery record of both channels: ``in_app`` says whether the inbox shows it,
``email_status`` where its e-mail stands. A person who turned both channels off for an event
gets no row at all. Each user may turn either channel off per event
(:class:`NotificationPreference`); without a preference row everything is on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    CHANGES_REQUESTED = "changes_requested", _("Perbaikan diminta")
    SUBMITTED = "submitted", _("Penilaian diajukan")
    VERIFIED = "verified", _("Penilaian terverifikasi")
    PUBLISHED = "published", _("Hasil dipublikasikan")
    FOLLOWUP_ASSIGNED = "followup_assigned", _("Tindak lanjut ditugaskan kepada Anda")
    FOLLOWUP_OVERDUE = "followup_overdue", _("Tindak lanjut melewati tenggat")
    JOB_FINISHED = "job_finished", _("Tugas latar belakang selesai")
    JOB_FAILED = "job_failed", _("Tugas latar belakang gagal")


EVENT_HELP = {
    Event.CHANGES_REQUESTED: _(
        "Verifikator meminta perbaikan atau membuka kembali penilaian yang Anda isi, atau "
        "koordinator mengembalikan penilaian mandiri ke draf."
    ),
    Event.SUBMITTED: _("Penilaian yang perlu Anda periksa telah diajukan."),
    Event.VERIFIED: _("Penilaian unit Anda atau pemerintah Anda telah diverifikasi."),
    Event.PUBLISHED: _(
        "Hasil resmi pemerintah Anda dipublikasikan; rapor dan tindak lanjut dibuat."
    ),
    Event.FOLLOWUP_ASSIGNED: _("Anda ditunjuk sebagai penanggung jawab satu tindak lanjut rapor."),
    Event.FOLLOWUP_OVERDUE: _("Tindak lanjut Anda atau pemerintah Anda melewati tenggatnya."),
    Event.JOB_FINISHED: _("Rapor, ekspor atau impor yang Anda minta sudah siap."),
    Event.JOB_FAILED: _("Rapor, ekspor atau impor yang Anda minta gagal."),
}
"""What each event means, for the preferences page."""


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal; dicoba lagi")
    NOT_WANTED = "not_wanted", _("Tidak diminta penerima")
    NO_ADDRESS = "no_address", _("Penerima tanpa alamat e-mail")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user: object) -> NotificationQuerySet:
        """A user's own inbox: nobody sees another person's notifications."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user, in_app=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("penerima"),
    )
    event = models.CharField(_("peristiwa"), max_length=32, choices=Event.choices)
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(
        _("tautan"),
        max_length=500,
        blank=True,
        help_text=_("Alamat di dalam Patuh, mis. /jobs/3/."),
    )
    object_type = models.CharField(_("jenis objek"), max_length=100, blank=True)
    object_id = models.CharField(_("ID objek"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    in_app = models.BooleanField(
        _("tampil di kotak masuk"),
        default=True,
        help_text=_("Tidak bila penerima mematikan notifikasi di aplikasi untuk peristiwa ini."),
    )
    email_status = models.CharField(
        _("status e-mail"), max_length=16, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    email_attempts = models.PositiveSmallIntegerField(_("percobaan e-mail"), default=0)
    email_attempted_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mail terkirim"), null=True, blank=True)
    email_error = models.TextField(_("galat e-mail"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notifications_inbox"),
            models.Index(
                fields=["email_status"],
                condition=Q(email_status__in=["pending", "sending", "failed"]),
                name="notifications_email_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} — {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """One user's choice for one event; no row means both channels are on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("pengguna"),
    )
    event = models.CharField(_("peristiwa"), max_length=32, choices=Event.choices)
    in_app = models.BooleanField(_("di aplikasi"), default=True)
    email = models.BooleanField(_("e-mail"), default=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")
        ordering = ["user__username", "event"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notifications_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_event_display()}"


class OverdueNotice(models.Model):
    """That the overdue notice of one follow-up action went out for one due date: the daily
    ``patuh notifications overdue`` sends it once, and again only if the due date changes."""

    action = models.ForeignKey(
        "followup.FollowUpAction",
        on_delete=models.CASCADE,
        related_name="overdue_notices",
        verbose_name=_("tindak lanjut"),
    )
    due_on = models.DateField(_("tenggat"))
    notified_at = models.DateTimeField(_("diberitahukan"), default=timezone.now)

    class Meta:
        verbose_name = _("pemberitahuan lewat tenggat")
        verbose_name_plural = _("pemberitahuan lewat tenggat")
        ordering = ["-notified_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "due_on"], name="notifications_overdue_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} ({self.due_on})"
