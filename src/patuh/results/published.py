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

from django.db import transaction

from patuh.core.services import record_event
from patuh.orgs.models import Government
from patuh.results.models import PublishedResult, PublishedSource
from patuh.scoring.published import PublishedFigure, read_published

TWO_PLACES = Decimal("0.01")

VALUE_FIELDS = (
    "region_code",
    "government_id",
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
