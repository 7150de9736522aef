"""Published results in the database: loading the packaged dataset and an admin's audited
additions and corrections.

A published figure is what the Ombudsman RI or KemenPAN-RB made public, never a number
Patuh computed. The packaged rows (``origin=packaged``) follow the dataset shipped in
``scoring/data/published-results.csv``; a row an admin added or corrected (``origin=admin``)
is never overwritten by a later load. Every write is an audit event.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from patuh.assessments.access import is_national_admin
from patuh.core.services import record_event
from patuh.orgs.models import Government
from patuh.results.models import PUBLISHED_VALUE_FIELDS, PublishedResult, PublishedSource
from patuh.scoring import list_instruments
from patuh.scoring.published import (
    ENTITY_KINDS,
    GOVERNMENT_ENTITY_KINDS,
    PROGRAMS,
    PublishedFigure,
    read_published,
)
from patuh.scoring.published_check import check_figure

TWO_PLACES = Decimal("0.01")

VALUE_FIELDS = ("region_code", "government_id", *PUBLISHED_VALUE_FIELDS)
"""What a load compares and updates on a packaged row (the natural key never changes)."""


@dataclass(frozen=True)
class LoadSummary:
    """What one load did: rows created, packaged rows updated or unchanged, and admin rows
    kept as the admin left them."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def __str__(self) -> str:
        return (
            f"{self.created} baru, {self.updated} diperbarui, {self.unchanged} tidak berubah, "
            f"{self.kept} koreksi admin dipertahankan"
        )


def _score(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES)


def _values(figure: PublishedFigure, governments: dict[str, int]) -> dict[str, Any]:
    government_id = None
    if figure.is_government and figure.region_code:
        government_id = governments.get(figure.region_code)
    return {
        "region_code": figure.region_code,
        "government_id": government_id,
        "score": _score(figure.score),
        "category": figure.category,
        "zone": figure.zone,
        "label": figure.label,
        "rank": figure.rank,
        "source_title": figure.source_title,
        "source_url": figure.source_url,
        "source_date": figure.source_date,
        "confidence": figure.confidence,
        "note": figure.note,
    }


def _audit_values(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy for the audit trail (scores as exact decimal text)."""
    return {
        name: (str(value) if isinstance(value, Decimal) else value)
        for name, value in values.items()
    }


def published_values(row: PublishedResult) -> dict[str, Any]:
    """A row's natural key and values, as the audit trail records them."""
    values = {
        "program": row.program,
        "year": row.year,
        "entity_kind": row.entity_kind,
        "entity_name": row.entity_name,
        "parent_name": row.parent_name,
        "origin": row.origin,
    }
    values.update({name: getattr(row, name) for name in VALUE_FIELDS})
    return _audit_values(values)


def load_published_results(
    figures: Iterable[PublishedFigure] | None = None, *, actor: Any = None
) -> LoadSummary:
    """Load published figures (the packaged dataset by default) into :class:`PublishedResult`.

    Idempotent: rows are matched on (program, year, entity kind, entity name, parent), a
    second load of the same figures changes nothing. A packaged row whose figure changed in a
    newer dataset is updated; a row an admin added or corrected is kept. Governments are
    linked by Kemendagri code when Patuh knows them. Each created or updated row is an audit
    event. The caller checks the figures first (``patuh published load`` refuses a file whose
    check fails)."""
    figures = read_published() if figures is None else list(figures)
    codes = {figure.region_code for figure in figures if figure.region_code}
    governments = dict(
        Government.objects.filter(region_code__in=codes).values_list("region_code", "id")
    )
    existing = {
        (row.program, row.year, row.entity_kind, row.entity_name, row.parent_name): row
        for row in PublishedResult.objects.all()
    }
    created = updated = unchanged = kept = 0
    with transaction.atomic():
        for figure in figures:
            values = _values(figure, governments)
            row = existing.get(figure.key)
            if row is None:
                row = PublishedResult.objects.create(
                    program=figure.program,
                    year=figure.year,
                    entity_kind=figure.entity_kind,
                    entity_name=figure.entity_name,
                    parent_name=figure.parent,
                    origin=PublishedSource.PACKAGED,
                    updated_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **values,
                )
                existing[figure.key] = row
                record_event(
                    actor=actor,
                    action="published_result.loaded",
                    obj=row,
                    new=published_values(row),
                )
                created += 1
                continue
            if row.origin == PublishedSource.ADMIN:
                kept += 1
                continue
            changes = {name: value for name, value in values.items() if getattr(row, name) != value}
            if not changes:
                unchanged += 1
                continue
            old = published_values(row)
            for name, value in changes.items():
                setattr(row, name, value)
            row.updated_by = actor if getattr(actor, "is_authenticated", False) else None
            row.save()
            record_event(
                actor=actor,
                action="published_result.reloaded",
                obj=row,
                old={name: old[name] for name in changes},
                new=_audit_values(changes),
            )
            updated += 1
    return LoadSummary(created=created, updated=updated, unchanged=unchanged, kept=kept)


def published_results(
    *,
    program: str | None = None,
    year: int | None = None,
    province: str | None = None,
    government: str | None = None,
) -> QuerySet[PublishedResult]:
    """Published figures, filtered by program, year, province code (``12``: the province and
    every kabupaten/kota in it) or government code (``12.05``); the units and polres of a
    government come with it (matched by the name they were published under)."""
    rows = PublishedResult.objects.select_related("government", "updated_by")
    if program:
        rows = rows.filter(program=program)
    if year:
        rows = rows.filter(year=year)
    for code, prefix in ((province, True), (government, False)):
        if not code:
            continue
        own = Q(region_code=code) | (Q(region_code__startswith=f"{code}.") if prefix else Q())
        names = (
            PublishedResult.objects.filter(own)
            .exclude(region_code="")
            .values_list("entity_name", flat=True)
            .distinct()
        )
        rows = rows.filter(own | Q(region_code="", parent_name__in=list(names)))
    return rows.order_by("program", "year", "region_code", "parent_name", "entity_name")


def figure_of(row: PublishedResult) -> PublishedFigure:
    """A database row as the plain figure the published check reads."""
    return PublishedFigure(
        row=0,
        program=row.program,
        year=row.year,
        entity_name=row.entity_name,
        entity_kind=row.entity_kind,
        region_code=row.region_code,
        parent=row.parent_name,
        score=row.score,
        category=row.category,
        zone=row.zone,
        label=row.label,
        rank=row.rank,
        source_title=row.source_title,
        source_url=row.source_url,
        source_date=row.source_date,
        confidence=row.confidence,
        note=row.note,
    )


def can_edit_published(user: Any) -> bool:
    """Only a national admin adds or corrects a published figure."""
    return is_national_admin(user)


def validate_published_result(row: PublishedResult, *, reason: str = "") -> None:
    """Refuse a figure an admin is about to save: every problem named by field.

    A source title is required; a correction of an existing figure needs a reason; the
    program and kind must be known; something must be published (a score, category, zone or
    label); and the figure must agree with its instrument's bands, as ``patuh published
    check`` would require."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name in ("source_title", "entity_name"):
        if not (getattr(row, name) or "").strip():
            add(name, _("Wajib diisi."))
    if row.pk is not None and not reason.strip():
        add("reason", _("Tuliskan alasan koreksi (mis. sumber yang membetulkan angka)."))
    if row.program not in PROGRAMS:
        add("program", _("Program harus %(programs)s.") % {"programs": " atau ".join(PROGRAMS)})
    if row.entity_kind not in ENTITY_KINDS:
        add(
            "entity_kind",
            _("Jenis harus salah satu dari %(kinds)s.") % {"kinds": ", ".join(ENTITY_KINDS)},
        )
    if row.entity_kind == "unit" and not (row.parent_name or "").strip():
        add("parent_name", _("Unit layanan harus menyebut pemerintahnya."))
    if row.score is not None and not Decimal(0) <= row.score <= Decimal(100):
        add("score", _("Nilai harus antara 0 dan 100."))
    if row.score is None and not (row.category or row.zone or row.label):
        add("score", _("Isi nilai, kategori, zona atau label yang dipublikasikan."))
    if not errors:
        finding = check_figure(figure_of(row), list_instruments())
        for message in finding.disagreements:
            add("category" if row.category else "label", message)
    if errors:
        raise ValidationError(errors)


def save_published_result(row: PublishedResult, *, actor: Any, reason: str = "") -> PublishedResult:
    """Add a published figure or save an admin's correction of one: a national admin only,
    always with a source, a correction always with a reason; audited with the old and new
    values. The row becomes ``origin=admin``, so no later load overwrites it."""
    if not can_edit_published(actor):
        raise PermissionDenied(
            _("Hanya admin nasional yang dapat menambah atau mengoreksi hasil yang dipublikasikan.")
        )
    row.score = _score(row.score)
    validate_published_result(row, reason=reason)
    with transaction.atomic():
        previous = None
        if row.pk is not None:
            previous = PublishedResult.objects.select_for_update().get(pk=row.pk)
        row.government = None
        if row.entity_kind in GOVERNMENT_ENTITY_KINDS and row.region_code:
            row.government = Government.objects.filter(region_code=row.region_code).first()
        row.origin = PublishedSource.ADMIN
        row.updated_by = actor
        row.save()
        new = published_values(row)
        if previous is None:
            record_event(
                actor=actor, action="published_result.added", obj=row, new=new, reason=reason
            )
        else:
            old = published_values(previous)
            changed = [name for name in new if old.get(name) != new[name]]
            record_event(
                actor=actor,
                action="published_result.corrected",
                obj=row,
                old={name: old[name] for name in changed},
                new={name: new[name] for name in changed},
                reason=reason,
            )
    return row
