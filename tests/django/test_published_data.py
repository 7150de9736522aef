"""Published results in the database: the load, the admin's audited corrections, the list."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from patuh.core.models import AuditEvent
from patuh.results.models import PublishedResult, PublishedSource
from patuh.results.published import load_published_results
from patuh.scoring.published import read_published


def _labuhanbatu_2022() -> PublishedResult:
    return PublishedResult.objects.get(program="ombudsman", year=2022, region_code="12.10")


def test_a_second_load_changes_nothing(db):
    load_published_results()
    figures = read_published()
    assert PublishedResult.objects.count() == len(figures)
    events = AuditEvent.objects.count()
    again = load_published_results()
    assert (again.created, again.updated, again.kept) == (0, 0, 0)
    assert again.unchanged == len(figures)
    assert AuditEvent.objects.count() == events


def test_the_load_links_governments_patuh_knows(db, labuhanbatu):
    load_published_results()
    row = _labuhanbatu_2022()
    assert row.entity_name == "Kabupaten Labuhanbatu"
    assert row.government == labuhanbatu
    assert row.score == Decimal("59.94")
    assert row.category == "C"
    assert row.source_title
    assert row.origin == PublishedSource.PACKAGED


def test_a_newer_dataset_updates_a_packaged_row_and_audits_it(db):
    load_published_results()
    figures = read_published()
    changed = [
        dataclasses.replace(f, note="dikoreksi dalam data baru")
        if (f.program, f.year, f.region_code) == ("ombudsman", 2022, "12.10")
        else f
        for f in figures
    ]
    summary = load_published_results(changed)
    assert (summary.created, summary.updated) == (0, 1)
    row = _labuhanbatu_2022()
    assert row.note == "dikoreksi dalam data baru"
    event = AuditEvent.objects.filter(
        action="published_result.reloaded", object_id=str(row.pk)
    ).latest("id")
    assert event.new == {"note": "dikoreksi dalam data baru"}
