"""Models shared by every app: the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("audit events are append-only")

    def delete(self):
        raise PermissionError("audit events are append-only")


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, the values before and after, and why.

    Rows are written by the ``services.py`` verbs, in the same transaction as the change.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("pelaku"),
    )
    action = models.CharField(_("tindakan"), max_length=64)
    object_type = models.CharField(_("jenis objek"), max_length=64)
    object_id = models.CharField(_("ID objek"), max_length=64)
    old = models.JSONField(_("nilai lama"), null=True, blank=True)
    new = models.JSONField(_("nilai baru"), null=True, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    context_type = models.CharField(
        _("jenis konteks"),
        max_length=64,
        blank=True,
        help_text=_("Objek induk yang riwayatnya memuat perubahan ini, mis. penilaian."),
    )
    context_id = models.CharField(_("ID konteks"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("waktu"), db_index=True)
    previous_hash = models.CharField(_("hash sebelumnya"), max_length=64, blank=True)
    hash = models.CharField(
        _("hash"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 catatan ini bersama hash catatan sebelumnya (rantai hash)."),
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["context_type", "context_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit events are append-only")
