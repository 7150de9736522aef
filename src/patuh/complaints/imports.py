"""Importing an SP4N-LAPOR! export (CSV or XLSX) into a unit's complaint register.

Two passes: every row is read and checked first (all bad rows are reported, each naming its
row, column and reason), and only a file with no bad row is written, in one transaction. A
complaint is known by its tracking ID: importing the same export again changes nothing, and a
later export of the same reports brings their new dates (disposition, follow-up, closure) in.

The columns (matched without regard to case, spaces or underscores; docs/complaints.md and
examples/complaints/lapor-export.csv show them) are listed in :data:`COLUMNS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from patuh.complaints.models import Channel, Complaint, ComplaintClass, Source
from patuh.complaints.services import snapshot
from patuh.core.services import record_event
from patuh.orgs.models import ServiceUnit
from patuh.scoring.errors import Problem, ScoringError
from patuh.scoring.spreadsheets import shown
from patuh.scoring.survey_files import MAX_PROBLEMS_LISTED, _column_letter, _rows


class ComplaintImportError(ScoringError):
    """An export that cannot be imported; ``problems`` names every bad row and column."""


@dataclass(frozen=True)
class Column:
    field: str
    aliases: tuple[str, ...]
    required: bool = False
    kind: str = "text"
    length: int = 0


COLUMNS = (
    Column(
        "tracking_id",
        ("id tracking", "tracking id", "nomor tracking", "tracking_id"),
        True,
        length=64,
    ),
    Column("received_on", ("tanggal laporan", "tanggal diterima", "received_on"), True, "date"),
    Column("subject", ("judul laporan", "judul", "subject"), True, length=200),
    Column("complaint_class", ("klasifikasi", "kategori laporan", "class"), True, "class"),
    Column("category", ("kategori", "category"), length=120),
    Column("description", ("isi laporan", "isi", "description")),
    Column("forwarded_on", ("tanggal disposisi", "forwarded_on"), kind="date"),
    Column(
        "disposition_to", ("disposisi kepada", "instansi disposisi", "disposition_to"), length=160
    ),
    Column("followed_up_on", ("tanggal tindak lanjut", "followed_up_on"), kind="date"),
    Column("follow_up", ("tindak lanjut", "follow_up")),
    Column("closed_on", ("tanggal selesai", "closed_on"), kind="date"),
    Column("closure_note", ("catatan penyelesaian", "closure_note")),
    Column("complainant_name", ("nama pelapor", "complainant_name"), length=120),
    Column("complainant_contact", ("kontak pelapor", "complainant_contact"), length=120),
    Column("anonymous", ("anonim", "rahasia", "anonymous"), kind="bool"),
)
"""The export's columns: the first four are required, the rest optional."""

CLASS_WORDS = {
    "pengaduan": ComplaintClass.COMPLAINT,
    "complaint": ComplaintClass.COMPLAINT,
    "aspirasi": ComplaintClass.ASPIRATION,
    "aspiration": ComplaintClass.ASPIRATION,
    "permintaan informasi": ComplaintClass.INFORMATION_REQUEST,
    "information_request": ComplaintClass.INFORMATION_REQUEST,
    "information request": ComplaintClass.INFORMATION_REQUEST,
}
YES = {"ya", "yes", "y", "1", "true", "anonim", "rahasia"}
NO = {"tidak", "no", "n", "0", "false", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M")
IDENTITY = ("complainant_name", "complainant_contact", "anonymous")


def _key(name: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(name or "").strip().lower())


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)


def _date(cell: Any) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = str(cell).strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _value(column: Column, cell: Any) -> tuple[Any, str | None]:
    """The cell as the field's value, or the reason it is not one."""
    empty = cell is None or str(cell).strip() == ""
    if empty:
        if column.required:
            return None, "kosong, padahal wajib diisi"
        return (False if column.kind == "bool" else None if column.kind == "date" else ""), None
    if column.kind == "date":
        value = _date(cell)
        if value is None:
            return (
                None,
                f"tanggal '{shown(cell)}' tidak dikenali (tulis YYYY-MM-DD atau DD/MM/YYYY)",
            )
        if value > timezone.localdate():
            return None, f"tanggal {value.isoformat()} di masa depan"
        return value, None
    text = str(cell).replace("\x00", "").strip()
    if column.kind == "class":
        found = CLASS_WORDS.get(_key(text))
        if found is None:
            return None, f"'{shown(text)}' harus Pengaduan, Aspirasi atau Permintaan Informasi"
        return found, None
    if column.kind == "bool":
        if text.lower() in YES:
            return True, None
        if text.lower() in NO:
            return False, None
        return None, f"'{shown(text)}' harus ya atau tidak"
    if column.length and len(text) > column.length:
        return None, f"terlalu panjang ({len(text)} karakter, paling banyak {column.length})"
    return text, None


def _order_problems(values: dict[str, Any]) -> list[tuple[str, str]]:
    """Dates in the wrong order: (field, reason)."""
    received = values["received_on"]
    problems = []
    for name in ("forwarded_on", "followed_up_on", "closed_on"):
        if values.get(name) and received and values[name] < received:
            problems.append((name, "sebelum tanggal laporan"))
    if values.get("closed_on") and not values.get("followed_up_on"):
        problems.append(("closed_on", "laporan selesai tanpa tanggal tindak lanjut"))
    elif (
        values.get("closed_on")
        and values.get("followed_up_on")
        and values["closed_on"] < values["followed_up_on"]
    ):
        problems.append(("closed_on", "sebelum tanggal tindak lanjut"))
    return problems


def read_export(path: Path, notes: list[str]) -> list[tuple[int, dict[str, Any]]]:
    """Every row as field values, or :class:`ComplaintImportError` naming every bad cell."""
    problems: list[Problem] = []
    rows: list[tuple[int, dict[str, Any]]] = []

    def problem(where: str, reason: str) -> None:
        if len(problems) < MAX_PROBLEMS_LISTED:
            problems.append(Problem(where, reason))

    try:
        lines: Iterator[list[Any]] = _rows(path, notes)
        header = next(lines, None)
        if header is None:
            raise ComplaintImportError(str(path), [Problem("baris 1", "berkas kosong")])
        names = [_key(cell) for cell in header]
        positions: dict[str, int] = {}
        for column in COLUMNS:
            index = next((names.index(a) for a in column.aliases if a in names), None)
            if index is not None:
                positions[column.field] = index
        missing = [c.aliases[0].title() for c in COLUMNS if c.required and c.field not in positions]
        if missing:
            raise ComplaintImportError(
                str(path), [Problem("baris 1", f"kolom wajib tidak ada: {', '.join(missing)}")]
            )
        by_field = {c.field: c for c in COLUMNS}
        seen: dict[str, int] = {}
        for number, row in enumerate(lines, start=2):
            if not any(cell not in (None, "") for cell in row):
                continue
            values: dict[str, Any] = {}
            bad = False
            for name, index in positions.items():
                column = by_field[name]
                cell = row[index] if index < len(row) else None
                value, reason = _value(column, cell)
                if reason:
                    bad = True
                    problem(
                        f"baris {number}, kolom {_column_letter(index)} ({header[index]})", reason
                    )
                else:
                    values[name] = value
            if bad:
                continue
            for name, reason in _order_problems(values):
                index = positions[name]
                problem(f"baris {number}, kolom {_column_letter(index)} ({header[index]})", reason)
                bad = True
            tracking = values["tracking_id"]
            if tracking in seen:
                index = positions["tracking_id"]
                problem(
                    f"baris {number}, kolom {_column_letter(index)} ({header[index]})",
                    f"ID tracking {shown(tracking)} sudah ada di baris {seen[tracking]}",
                )
                bad = True
            seen.setdefault(tracking, number)
            if not bad:
                rows.append((number, values))
    except ComplaintImportError:
        raise
    except ScoringError as error:  # damaged, oversized or wrongly encoded: named by the reader
        problems.extend(error.problems)
    if problems:
        raise ComplaintImportError(str(path), problems)
    return rows


def _differs(complaint: Complaint, values: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for name, value in values.items():
        if name in IDENTITY and complaint.identity_erased_at is not None:
            continue  # an erased identity is not brought back by an old export
        if getattr(complaint, name) != value:
            changes[name] = value
    return changes


def import_export(
    path: str | Path, unit: ServiceUnit, *, actor: Any = None, dry_run: bool = False
) -> ImportSummary:
    """Import one export into ``unit``'s register (see the module's docstring)."""
    path = Path(path)
    summary = ImportSummary(dry_run=dry_run)
    rows = read_export(path, summary.notes)
    summary.rows = len(rows)
    existing = {c.tracking_id: c for c in Complaint.objects.filter(unit=unit)}
    problems = []
    for number, values in rows:
        found = existing.get(values["tracking_id"])
        if found is not None and found.source != Source.IMPORT:
            problems.append(
                Problem(
                    f"baris {number}",
                    f"nomor {shown(values['tracking_id'])} sudah dicatat lewat formulir unit",
                )
            )
    if problems:
        raise ComplaintImportError(str(path), problems)
    with transaction.atomic():
        for _number, values in rows:
            if values.get("anonymous"):
                values["complainant_name"] = values["complainant_contact"] = ""
            found = existing.get(values["tracking_id"])
            if found is None:
                summary.created += 1
                if dry_run:
                    continue
                complaint = Complaint.objects.create(
                    unit=unit,
                    channel=Channel.LAPOR,
                    source=Source.IMPORT,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **values,
                )
                record_event(
                    actor=actor,
                    action="complaints.imported",
                    obj=complaint,
                    new=snapshot(complaint),
                    reason=path.name,
                )
                continue
            changes = _differs(found, values)
            if not changes:
                summary.unchanged += 1
                continue
            summary.updated += 1
            if dry_run:
                continue
            old = snapshot(found)
            for name, value in changes.items():
                setattr(found, name, value)
            found.save()
            record_event(
                actor=actor,
                action="complaints.import_updated",
                obj=found,
                old=old,
                new=snapshot(found),
                reason=path.name,
            )
    return summary
