"""Result snapshots: a government's official result of a cycle, frozen when it is final."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotQuerySet(models.QuerySet):
    def current(self) -> SnapshotQuerySet:
        """The snapshots not replaced by a later one (after a reopen and a new finalise)."""
        return self.filter(superseded_at__isnull=True)

    def published(self) -> SnapshotQuerySet:
        return self.current().filter(published_at__isnull=False)


class ResultSnapshot(models.Model):
    """Every number of a final result, with the instrument version it was computed with.

    ``payload`` is the result as JSON text (the ``patuh score --format json`` shape plus the
    answers used), and ``checksum`` its SHA-256: later edits of the instrument file never
    change a past year, and anyone can check a printed figure against the checksum."""

    cycle = models.ForeignKey(
        "assessments.Cycle",
        on_delete=models.PROTECT,
        related_name="snapshots",
        verbose_name=_("siklus"),
    )
    government = models.ForeignKey(
        "orgs.Government",
        on_delete=models.PROTECT,
        related_name="snapshots",
        verbose_name=_("pemerintah"),
    )
    instrument_code = models.CharField(_("instrumen"), max_length=64)
    instrument_version = models.CharField(_("versi instrumen"), max_length=32)
    instrument_sha256 = models.CharField(_("SHA-256 berkas instrumen"), max_length=64)
    score = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2)
    category = models.CharField(_("kategori"), max_length=8)
    opinion = models.CharField(_("opini"), max_length=200)
    zone = models.CharField(_("zona"), max_length=16, blank=True)
    payload = models.TextField(_("isi"))
    checksum = models.CharField(_("checksum SHA-256"), max_length=64, db_index=True)
    taken_at = models.DateTimeField(_("diambil"), auto_now_add=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diambil oleh"),
    )
    published_at = models.DateTimeField(_("dipublikasikan"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("digantikan"), null=True, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("potret hasil")
        verbose_name_plural = _("potret hasil")
        ordering = ["cycle", "government__region_code", "-taken_at"]
        indexes = [
            # covers what a ranking and its cache key read, so the ~80 KB payloads of a
            # national cycle's snapshots stay unread (SQLite stores them inline with the row)
            models.Index(
                fields=[
                    "cycle",
                    "superseded_at",
                    "published_at",
                    "government",
                    "score",
                    "taken_at",
                ],
                name="results_snapshot_ranking",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "government"],
                condition=models.Q(superseded_at__isnull=True),
                name="results_one_current_snapshot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.cycle.year}: {self.score} {self.category}"

    @property
    def data(self) -> dict[str, Any]:
        """The payload with exact decimals."""
        return json.loads(self.payload, parse_float=Decimal)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class PublishedSource(models.TextChoices):
    PACKAGED = "packaged", _("data Patuh")
    ADMIN = "admin", _("ditambahkan admin")


class Confidence(models.TextChoices):
    HIGH = "high", _("tinggi")
    MEDIUM = "medium", _("sedang")
    LOW = "low", _("rendah")


class PublishedResultQuerySet(models.QuerySet):
    def ombudsman(self) -> PublishedResultQuerySet:
        return self.filter(program="ombudsman")

    def governments(self) -> PublishedResultQuerySet:
        return self.exclude(entity_kind__in=["unit", "polres"])


PUBLISHED_KEY_FIELDS = ("program", "year", "entity_kind", "entity_name", "parent_name")
"""What identifies a published figure (the natural key a load matches on)."""
PUBLISHED_VALUE_FIELDS = (
    "score",
    "category",
    "zone",
    "label",
    "rank",
    "source_title",
    "source_url",
    "source_date",
    "confidence",
    "note",
)
"""What was published and where: what a load or an admin correction may change."""


class PublishedResult(models.Model):
    """A figure the Ombudsman RI or KemenPAN-RB published, exactly as published, with its
    source. Never computed by Patuh and shown apart from Patuh's own results ("dipublikasikan").

    The packaged rows come from ``scoring/data/published-results.csv`` (``patuh published
    load``); an admin may add or correct a figure, always with a source, and every such write
    is an audit event."""

    program = models.CharField(_("program"), max_length=16)
    year = models.PositiveSmallIntegerField(_("tahun"))
    entity_name = models.CharField(_("nama"), max_length=200)
    entity_kind = models.CharField(_("jenis"), max_length=16)
    region_code = models.CharField(_("kode wilayah Kemendagri"), max_length=16, blank=True)
    parent_name = models.CharField(_("pemerintah induk"), max_length=200, blank=True)
    government = models.ForeignKey(
        "orgs.Government",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_results",
        verbose_name=_("pemerintah"),
    )
    score = models.DecimalField(_("nilai"), max_digits=7, decimal_places=2, null=True, blank=True)
    category = models.CharField(_("kategori"), max_length=16, blank=True)
    zone = models.CharField(_("zona"), max_length=16, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    rank = models.CharField(_("peringkat"), max_length=100, blank=True)
    source_title = models.CharField(_("judul sumber"), max_length=300)
    source_url = models.CharField(_("alamat sumber"), max_length=500, blank=True)
    source_date = models.CharField(_("tanggal sumber"), max_length=32, blank=True)
    confidence = models.CharField(
        _("keyakinan"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    note = models.TextField(_("catatan"), blank=True)
    origin = models.CharField(
        _("asal"), max_length=16, choices=PublishedSource.choices, default=PublishedSource.PACKAGED
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperbarui oleh"),
    )

    objects = PublishedResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("hasil yang dipublikasikan")
        verbose_name_plural = _("hasil yang dipublikasikan")
        ordering = ["program", "year", "entity_kind", "entity_name"]
        constraints = [
            models.UniqueConstraint(
                fields=list(PUBLISHED_KEY_FIELDS),
                name="results_one_published_figure",
            )
        ]
        indexes = [models.Index(fields=["region_code", "program", "year"])]

    def __str__(self) -> str:
        shown = self.score if self.score is not None else self.category or self.label
        return f"{self.entity_name} {self.program} {self.year}: {shown}"
