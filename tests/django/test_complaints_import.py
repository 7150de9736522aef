"""``patuh complaints import``: the sample export goes in, a bad row exits 2 naming its row and
column with nothing written, and importing again changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from patuh.complaints.imports import ComplaintImportError, import_export
from patuh.complaints.models import Channel, Complaint, ComplaintClass
from patuh.core.models import AuditEvent

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "complaints-lapor-export.csv"
HEADER = SAMPLE.read_text(encoding="utf-8").splitlines()[0]


def _import(*args: str) -> str:
    out = io.StringIO()
    call_command("complaints", "import", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _write(tmp_path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "ekspor.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_it_imports_the_sample_export(langkat_dinkes):
    before = AuditEvent.objects.count()
    out = _import(str(SAMPLE), "--unit", "12.05/dinkes")
    assert "5 baris; 5 baru, 0 diperbarui, 0 tidak berubah" in out
    rows = Complaint.objects.filter(unit=langkat_dinkes, tracking_id__startswith="CONTOH-")
    assert rows.count() == 5
    first = rows.get(tracking_id="CONTOH-3101")
    assert first.channel == Channel.LAPOR
    assert first.complaint_class == ComplaintClass.COMPLAINT
    assert str(first.closed_on) == "2026-02-20"
    assert first.complainant_name == "Pelapor Contoh Satu"
    anonymous = rows.get(tracking_id="CONTOH-3102")
    assert anonymous.anonymous
    assert anonymous.complainant_name == ""
    assert rows.get(tracking_id="CONTOH-3104").complaint_class == "information_request"
    events = AuditEvent.objects.filter(action="complaints.imported")
    assert events.count() == 5
    assert AuditEvent.objects.count() == before + 5
    assert all("Pelapor Contoh" not in str(event.new) for event in events)


def test_importing_again_changes_nothing(langkat_dinkes):
    _import(str(SAMPLE), "--unit", "12.05/dinkes")
    stamps = list(Complaint.objects.order_by("pk").values_list("pk", "updated_at"))
    events = AuditEvent.objects.count()
    out = _import(str(SAMPLE), "--unit", "12.05/dinkes")
    assert "0 baru, 0 diperbarui, 5 tidak berubah" in out
    assert list(Complaint.objects.order_by("pk").values_list("pk", "updated_at")) == stamps
    assert AuditEvent.objects.count() == events


def test_a_later_export_brings_the_new_dates_in(tmp_path, langkat_dinkes):
    _import(str(SAMPLE), "--unit", "12.05/dinkes")
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "Inspektorat Pembantu,,,,", "Inspektorat Pembantu,2026-09-14,Tarif dikembalikan.,,"
    )
    later = tmp_path / "later.csv"
    later.write_text(text, encoding="utf-8")
    out = _import(str(later), "--unit", "12.05/dinkes")
    assert "0 baru, 1 diperbarui, 4 tidak berubah" in out
    complaint = Complaint.objects.get(unit=langkat_dinkes, tracking_id="CONTOH-3105")
    assert str(complaint.followed_up_on) == "2026-09-14"
    event = AuditEvent.objects.filter(action="complaints.import_updated").get()
    assert event.old["followed_up_on"] is None
    assert event.new["followed_up_on"] == "2026-09-14"


def test_a_bad_row_exits_2_naming_row_and_column_and_writes_nothing(tmp_path, langkat_dinkes):
    path = _write(
        tmp_path,
        "A-1,2026-02-02,Judul,,Pengaduan,,,,,,,,,",
        "A-2,31/02/2026,Judul,,Pengaduan,,,,,,,,,",
    )
    count, events = Complaint.objects.count(), AuditEvent.objects.count()
    with pytest.raises(CommandError) as raised:
        _import(str(path), "--unit", "12.05/dinkes")
    assert raised.value.returncode == 2
    assert "baris 3, kolom B (Tanggal Laporan): tanggal '31/02/2026' tidak dikenali" in str(
        raised.value
    )
    assert (Complaint.objects.count(), AuditEvent.objects.count()) == (count, events)


@pytest.mark.parametrize(
    ("row", "where", "reason"),
    [
        (",2026-02-02,Judul,,Pengaduan,,,,,,,,,", "baris 2, kolom A (ID Tracking)", "kosong"),
        ("A-1,2026-02-02,Judul,,Keluhan,,,,,,,,,", "kolom E (Klasifikasi)", "harus Pengaduan"),
        ("A-1,2026-02-02,Judul,,Pengaduan,,2026-01-30,,,,,,,", "kolom G", "sebelum tanggal"),
        ("A-1,2026-02-02,Judul,,Pengaduan,,,,,,2026-02-05,,,", "kolom K", "tanpa tanggal tindak"),
        ("A-1,2099-02-02,Judul,,Pengaduan,,,,,,,,,", "kolom B", "di masa depan"),
        ("A-1,2026-02-02,Judul,,Pengaduan,,,,,,,,,mungkin", "kolom N (Anonim)", "ya atau tidak"),
    ],
)
def test_each_kind_of_bad_cell_is_named(tmp_path, langkat_dinkes, row, where, reason):
    with pytest.raises(ComplaintImportError) as raised:
        import_export(_write(tmp_path, row), langkat_dinkes)
    assert where in raised.value.message()
    assert reason in raised.value.message()
    assert not Complaint.objects.filter(tracking_id="A-1").exists()


def test_a_tracking_id_twice_in_one_file_is_refused(tmp_path, langkat_dinkes):
    row = "A-1,2026-02-02,Judul,,Pengaduan,,,,,,,,,"
    with pytest.raises(ComplaintImportError, match="sudah ada di baris 2"):
        import_export(_write(tmp_path, row, row), langkat_dinkes)


def test_a_missing_required_column_is_named(tmp_path, langkat_dinkes):
    path = _write(tmp_path, "A-1,Judul", header="ID Tracking,Judul Laporan")
    with pytest.raises(ComplaintImportError, match="kolom wajib tidak ada: Tanggal Laporan"):
        import_export(path, langkat_dinkes)


def test_a_dry_run_writes_nothing(langkat_dinkes):
    out = _import(str(SAMPLE), "--unit", "12.05/dinkes", "--dry-run")
    assert out.startswith("periksa saja")
    assert "5 baru" in out
    assert not Complaint.objects.filter(tracking_id__startswith="CONTOH-").exists()


def test_an_unknown_unit_exits_2(langkat_dinkes):
    with pytest.raises(CommandError) as raised:
        _import(str(SAMPLE), "--unit", "12.05/tidak-ada")
    assert raised.value.returncode == 2


def test_an_xlsx_export_with_date_cells_imports(tmp_path, langkat_dinkes):
    import datetime as dt

    book = Workbook()
    sheet = book.active
    sheet.append(["ID Tracking", "Tanggal Laporan", "Judul Laporan", "Klasifikasi"])
    sheet.append(["X-1", dt.datetime(2026, 5, 4, 9, 30), "Judul", "Aspirasi"])
    path = tmp_path / "ekspor.xlsx"
    book.save(path)
    summary = import_export(path, langkat_dinkes)
    assert summary.created == 1
    complaint = Complaint.objects.get(tracking_id="X-1")
    assert (str(complaint.received_on), complaint.complaint_class) == ("2026-05-04", "aspiration")


def test_an_import_does_not_overwrite_a_walk_in(tmp_path, langkat_dinkes, operator):
    from datetime import date

    from patuh.complaints.services import log_complaint

    log_complaint(
        actor=operator,
        unit=langkat_dinkes,
        tracking_id="A-1",
        channel=Channel.WALK_IN,
        subject="Langsung",
        received_on=date(2026, 2, 2),
    )
    with pytest.raises(ComplaintImportError, match="sudah dicatat lewat formulir"):
        import_export(_write(tmp_path, "A-1,2026-02-02,Judul,,Pengaduan,,,,,,,,,"), langkat_dinkes)


CELLS = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=12)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(CELLS, min_size=0, max_size=16), max_size=5))
def test_any_file_either_imports_or_is_refused_with_a_named_place(tmp_path, langkat_dinkes, rows):
    import csv

    path = tmp_path / "fuzz.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER.split(","))
        writer.writerows(rows)
    count = Complaint.objects.count()
    problems = []
    try:
        summary = import_export(path, langkat_dinkes, dry_run=True)
    except ComplaintImportError as error:
        problems = error.problems
        summary = None
    if summary is None:
        assert problems
        assert all(p.where.startswith("baris") for p in problems)
    else:
        assert summary.rows <= len(rows)
    assert Complaint.objects.count() == count
