"""Published results in the database: the load, the admin's audited corrections, the list."""

from __future__ import annotations

import dataclasses
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from patuh.core.models import AuditEvent
from patuh.results.models import PublishedResult, PublishedSource
from patuh.results.published import load_published_results, save_published_result
from patuh.scoring.published import PACKAGED_PATH, read_published


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


def _call(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("published", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_load_command_checks_then_loads_and_says_what_it_did(db):
    _call("load")
    out, _ = _call("load")
    assert "0 baru, 0 diperbarui, 194 tidak berubah" in out


def test_the_load_command_refuses_a_file_that_fails_the_check(db, tmp_path):
    path = tmp_path / "published.csv"
    lines = PACKAGED_PATH.read_text(encoding="utf-8").splitlines()
    lines = [line.replace(",12.10,,59.94,C,", ",12.10,,59.94,A,") for line in lines]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = PublishedResult.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="tidak dimuat") as refused:
        call_command("published", "load", str(path), stdout=io.StringIO(), stderr=err)
    assert refused.value.returncode == 2
    assert "baris 40 (Kabupaten Labuhanbatu, ombudsman 2022): dipublikasikan kategori A" in (
        err.getvalue()
    )
    assert PublishedResult.objects.count() == before


def test_the_list_shows_langkat_s_trend_with_its_sources(db):
    load_published_results()
    out, _ = _call("list", "--government", "12.05", "--format", "json")
    rows = json.loads(out)
    years = [row["year"] for row in rows if row["entity_name"] == "Kabupaten Langkat"]
    assert years == sorted(years)
    assert {2018, 2022, 2023, 2024} <= set(years)
    assert all(row["source_title"] for row in rows)
    langkat_2023 = next(r for r in rows if r["year"] == 2023 and r["entity_kind"] == "kabupaten")
    assert (langkat_2023["score"], langkat_2023["category"]) == ("91.40", "A")
    table, _ = _call("list", "--province", "12", "--year", "2022", "--program", "ombudsman")
    assert "Kabupaten Labuhanbatu: 59.94 C kuning" in table
    assert "sumber: 5 Daerah Sumut Masuk Zona Merah" in table
    assert "Kota Madiun" not in table
    csv_out, _ = _call("list", "--government", "12.10", "--format", "csv")
    assert csv_out.splitlines()[0].startswith("program,year,entity_name")


def _correction(row: PublishedResult, **values) -> PublishedResult:
    for name, value in values.items():
        setattr(row, name, value)
    return row


def test_a_national_admin_corrects_a_figure_audited_and_kept_on_reload(db, cast):
    load_published_results()
    admin = cast.users(["national_admin"])["national_admin"]
    row = _labuhanbatu_2022()
    save_published_result(
        _correction(row, score=Decimal("59.95"), source_title="Laporan resmi Ombudsman 2022"),
        actor=admin,
        reason="angka dibetulkan menurut laporan resmi",
    )
    row.refresh_from_db()
    assert (row.origin, row.updated_by) == (PublishedSource.ADMIN, admin)
    event = AuditEvent.objects.filter(action="published_result.corrected").latest("id")
    assert event.actor == admin
    assert event.reason == "angka dibetulkan menurut laporan resmi"
    assert event.old["score"] == "59.94"
    assert event.new["score"] == "59.95"
    assert event.new["source_title"] == "Laporan resmi Ombudsman 2022"
    summary = load_published_results()
    assert summary.kept == 1
    row.refresh_from_db()
    assert row.score == Decimal("59.95")


def test_a_correction_needs_a_reason_and_a_source(db, cast):
    load_published_results()
    admin = cast.users(["national_admin"])["national_admin"]
    row = _correction(_labuhanbatu_2022(), source_title="", score=Decimal("60.00"))
    with pytest.raises(ValidationError) as refused:
        save_published_result(row, actor=admin, reason="")
    assert set(refused.value.message_dict) == {"source_title", "reason"}
    assert _labuhanbatu_2022().score == Decimal("59.94")


def test_a_correction_that_disagrees_with_the_bands_is_refused(db, cast):
    load_published_results()
    admin = cast.users(["national_admin"])["national_admin"]
    row = _correction(_labuhanbatu_2022(), score=Decimal("91.40"))
    with pytest.raises(ValidationError, match="masuk kategori A"):
        save_published_result(row, actor=admin, reason="uji")


def test_a_national_admin_adds_a_figure_with_its_source(db, cast, labuhanbatu):
    admin = cast.users(["national_admin"])["national_admin"]
    row = save_published_result(
        PublishedResult(
            program="ombudsman",
            year=2019,
            entity_name="Kabupaten Labuhanbatu",
            entity_kind="kabupaten",
            region_code="12.10",
            score=Decimal("48.10"),
            category="merah",
            source_title="Hasil survei kepatuhan 2019",
            confidence="medium",
        ),
        actor=admin,
    )
    assert (row.government, row.origin) == (labuhanbatu, PublishedSource.ADMIN)
    event = AuditEvent.objects.get(action="published_result.added", object_id=str(row.pk))
    assert event.new["score"] == "48.10"


@pytest.mark.parametrize("role", ["verifier", "coordinator", "regional_admin", "outsider"])
def test_anyone_but_a_national_admin_is_refused(db, cast, role):
    load_published_results()
    user = cast.users([role])[role]
    row = _correction(_labuhanbatu_2022(), note="diubah")
    with pytest.raises(PermissionDenied):
        save_published_result(row, actor=user, reason="uji")
    assert _labuhanbatu_2022().note != "diubah"


def test_the_admin_correction_form_goes_through_the_service(db, admin_client):
    load_published_results()
    row = _labuhanbatu_2022()
    url = reverse("admin:results_publishedresult_change", args=[row.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = {
        "region_code": row.region_code,
        "score": "59.94",
        "category": "C",
        "zone": "kuning",
        "label": "",
        "rank": "",
        "source_title": row.source_title,
        "source_url": row.source_url,
        "source_date": row.source_date,
        "confidence": row.confidence,
        "note": "dicek ulang",
        "reason": "",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "Tuliskan alasan koreksi" in refused.content.decode()
    assert _labuhanbatu_2022().note != "dicek ulang"
    saved = admin_client.post(url, {**form, "reason": "catatan sumber ditambahkan"})
    assert saved.status_code == 302
    row.refresh_from_db()
    assert (row.note, row.origin) == ("dicek ulang", PublishedSource.ADMIN)
    assert AuditEvent.objects.filter(
        action="published_result.corrected", object_id=str(row.pk)
    ).exists()


def test_a_staff_user_who_is_not_a_national_admin_cannot_change_figures(db, cast, login):
    load_published_results()
    cast.verifier.is_staff = True
    cast.verifier.save()
    client = login(cast.verifier)
    row = _labuhanbatu_2022()
    url = reverse("admin:results_publishedresult_change", args=[row.pk])
    response = client.post(url, {"note": "diubah", "reason": "uji"})
    assert response.status_code == 403
    assert _labuhanbatu_2022().note != "diubah"
