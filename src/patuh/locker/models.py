"""A service unit's evidence locker: standing documents kept once, outside any cycle.

A document has a kind of the shared vocabulary (``scoring/data/document-kinds.yaml``); the
instruments say which indicators each kind counts for, so the document shows on every mapped
indicator of every assessment of the unit (:func:`patuh.scoring.documents.where_it_counts`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patuh.orgs.models import ServiceUnit
from patuh.scoring.documents import document_kinds


def unit_document_upload_path(instance: UnitDocument, filename: str) -> str:
    """A random storage name: nothing of the uploader's file name reaches the disk."""
    return f"unit-documents/{secrets.token_hex(16)}{instance.extension or ''}"


def unit_document_thumbnail_path(instance: UnitDocument, filename: str) -> str:
    return f"unit-documents/thumbnails/{secrets.token_hex(16)}.jpg"


class UnitDocumentQuerySet(models.QuerySet):
    def current(self) -> UnitDocumentQuerySet:
        return self.filter(removed_at__isnull=True)

    def for_user(self, user: object) -> UnitDocumentQuerySet:
        return self.filter(service_unit__in=ServiceUnit.objects.for_user(user))


class UnitDocument(models.Model):
    """One document of a unit (a file or a link), of one kind."""

    service_unit = models.ForeignKey(
        ServiceUnit,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("unit layanan"),
    )
    kind = models.CharField(_("jenis dokumen"), max_length=48)
    title = models.CharField(_("judul"), max_length=200, blank=True)
    file = models.FileField(_("berkas"), upload_to=unit_document_upload_path, blank=True)
    thumbnail = models.FileField(
        _("gambar kecil"), upload_to=unit_document_thumbnail_path, blank=True
    )
    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    original_name = models.CharField(_("nama berkas asal"), max_length=255, blank=True)
    content_type = models.CharField(_("jenis isi"), max_length=120, blank=True)
    extension = models.CharField(_("ekstensi"), max_length=8, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    issued_on = models.DateField(_("tanggal terbit"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    removed_at = models.DateTimeField(_("ditarik"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditarik oleh"),
    )
    removal_reason = models.TextField(_("alasan penarikan"), blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("diganti dengan"),
    )

    objects = UnitDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen unit")
        verbose_name_plural = _("dokumen unit")
        ordering = ["service_unit", "kind", "-uploaded_at", "-id"]
        indexes = [models.Index(fields=["service_unit", "removed_at"])]

    def __str__(self) -> str:
        return self.title or self.original_name or self.url or self.kind_name

    @property
    def kind_name(self) -> str:
        kinds = document_kinds()
        return kinds[self.kind].name if self.kind in kinds else self.kind

    @property
    def is_file(self) -> bool:
        return bool(self.file)

    @property
    def expired(self) -> bool:
        return self.valid_until is not None and self.valid_until < timezone.localdate()
