"""Government-level figures of a cycle from a file, and back: the reader behind the upload on
the cycle's "Data tingkat pemerintah" page and ``patuh government-data``.

A file (CSV or XLSX, first sheet) has one figure per row, in the columns of :data:`COLUMNS`
(or their Indonesian names in :data:`INDONESIAN`). Every row is checked before anything is
saved; a file with any bad row saves nothing, and every bad row is named with its row number,
column and reason. A row whose value is empty is left out (a filled-in template need not be
complete). The figures are saved through
:func:`patuh.assessments.government_data.record_government_answer`, so each save is validated
by the scoring core's rules and audited; a figure that is already stored as in the file is
left alone.

An export (:func:`export_rows`) has the same columns and imports again unchanged.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patuh.assessments.government_data import (
    GovernmentAnswerConflict,
    check_figure,
    instrument_of,
    record_government_answer,
)
from patuh.assessments.models import Cycle, GovernmentAnswer
from patuh.orgs.models import Government
from patuh.scoring.answers import MAX_DATA_YEAR, MIN_DATA_YEAR
from patuh.scoring.errors import Problem, ScoringError
from patuh.scoring.spreadsheets import safe_cell, shown, unescape_cell
from patuh.scoring.survey_files import MAX_PROBLEMS_LISTED, _column_letter, _rows

COLUMNS = ("government", "indicator", "value", "year", "source", "note")
"""The file's columns, in the order exports and templates write them."""
INDONESIAN = {
    "pemerintah": "government",
    "indikator": "indicator",
    "nilai": "value",
    "tahun": "year",
    "sumber": "source",
    "catatan": "note",
}
"""The same columns under their Indonesian names."""
REQUIRED = ("government", "indicator", "value")
TEXT_COLUMNS = ("source", "note")
"""Typed by people: written so a spreadsheet never runs them, read back as typed."""
SOURCE_LENGTH = 300
DECIMALS = 4
"""Decimals a figure is stored with (``GovernmentAnswer.value``)."""


class GovernmentImportError(ScoringError):
    """A file that cannot be imported; ``problems`` names every bad row and column."""


@dataclass(frozen=True)
class Figure:
    """One checked row: what it will save, and what is stored now."""

    row: int
    government: Government
    indicator: str
    value: Decimal
    year: int | None
    source: str
    note: str
    stored: GovernmentAnswer | None = None

    @property
    def status(self) -> str:
        """``new``, ``changed`` or ``unchanged`` compared with the stored figure."""
        if self.stored is None:
            return "new"
        same = (self.stored.value, self.stored.year, self.stored.source, self.stored.note) == (
            self.value,
            self.year,
            self.source,
            self.note,
        )
        return "unchanged" if same else "changed"

    @property
    def stored_version(self) -> int:
        return self.stored.version if self.stored is not None else 0

    def as_row(self) -> dict[str, str]:
        return {
            "government": self.government.region_code,
            "indicator": self.indicator,
            "value": figure_text(self.value),
            "year": "" if self.year is None else str(self.year),
            "source": self.source,
            "note": self.note,
        }


@dataclass
class ImportSummary:
    figures: list[Figure] = field(default_factory=list)
    saved: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Rows left out because their value was empty."""
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def to_save(self) -> int:
        return sum(1 for figure in self.figures if figure.status != "unchanged")


def figure_text(value: Decimal) -> str:
    """A stored figure as written in a file: ``71.5``, ``100``, never ``1E+2``."""
    return format(value.normalize(), "f")


# -- reading -------------------------------------------------------------------------------


def read_table(path: Path, notes: list[str] | None = None) -> list[tuple[int, dict[str, Any]]]:
    """The rows of a CSV, XLSX or JSON file as ``(row number, {column: cell})``; the header is
    row 1. A missing or unknown column, a damaged or wrongly encoded file raises
    :class:`GovernmentImportError` naming it."""
    source = str(path)
    if path.suffix.lower() == ".json":
        return _json_table(path)
    try:
        lines = iter(_rows(path, notes))
        header = next(lines, None)
        if header is None:
            raise GovernmentImportError(source, [Problem(_("baris 1"), _("berkas kosong"))])
        positions = _positions(source, header)
        table = []
        for number, line in enumerate(lines, start=2):
            if not any(cell not in (None, "") and str(cell).strip() for cell in line):
                continue
            table.append(
                (
                    number,
                    {
                        name: (line[index] if index < len(line) else None)
                        for name, (index, _shown) in positions.items()
                    }
                    | {"_columns": positions},
                )
            )
        return table
    except GovernmentImportError:
        raise
    except ScoringError as error:  # damaged, oversized, wrongly encoded: named by the reader
        raise GovernmentImportError(source, error.problems) from None


def _positions(source: str, header: list[Any]) -> dict[str, tuple[int, str]]:
    """Column name → (its index, how the file writes it)."""
    positions: dict[str, tuple[int, str]] = {}
    problems = []
    for index, cell in enumerate(header):
        written = str(cell or "").strip().lstrip("\ufeff")
        if not written:
            continue
        name = written.lower()
        name = INDONESIAN.get(name, name)
        if name not in COLUMNS:
            problems.append(
                Problem(
                    _("baris 1, kolom %(letter)s") % {"letter": _column_letter(index)},
                    _("kolom '%(name)s' tidak dikenal (yang dikenal: %(known)s, atau %(id)s)")
                    % {
                        "name": shown(written),
                        "known": ", ".join(COLUMNS),
                        "id": ", ".join(INDONESIAN),
                    },
                )
            )
        elif name in positions:
            problems.append(
                Problem(
                    _("baris 1, kolom %(letter)s") % {"letter": _column_letter(index)},
                    _("kolom %(name)s sudah ada di kolom %(other)s")
                    % {"name": shown(written), "other": _column_letter(positions[name][0])},
                )
            )
        else:
            positions[name] = (index, written)
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        problems.append(
            Problem(
                _("baris 1"),
                _("kolom wajib tidak ada: %(columns)s") % {"columns": ", ".join(missing)},
            )
        )
    if problems:
        raise GovernmentImportError(source, problems)
    return positions


def _json_table(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """A JSON export (``{"figures": [...]}`` or a list of objects with the same keys); row
    ``n`` is the n-th figure, counted from 2 as if row 1 were a header."""
    source = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise GovernmentImportError(
            source, [Problem("", _("bukan JSON yang sah: %s") % error)]
        ) from None
    items = data.get("figures") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise GovernmentImportError(source, [Problem("", _("harus daftar figures"))])
    names = {name: (index, name) for index, name in enumerate(COLUMNS)}
    table = []
    for number, item in enumerate(items, start=2):
        if not isinstance(item, dict):
            raise GovernmentImportError(
                source, [Problem(_("baris %(row)s") % {"row": number}, _("harus objek"))]
            )
        row = {INDONESIAN.get(str(key), str(key)): value for key, value in item.items()}
        table.append((number, {name: row.get(name) for name in COLUMNS} | {"_columns": names}))
    return table


# -- checking ------------------------------------------------------------------------------


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\x00", "").strip()


def _region_code(cell: Any) -> str:
    """A region code as written, or as a spreadsheet turned it into a number (``12.1`` for
    ``12.10``, ``12`` for a province)."""
    if isinstance(cell, float) and not cell.is_integer():
        return f"{cell:.2f}"
    text = _text(cell)
    if re.fullmatch(r"\d{2}\.\d", text):
        return text + "0"
    return text


def check_table(
    cycle: Cycle, table: list[tuple[int, dict[str, Any]]], source: str = ""
) -> tuple[list[Figure], int]:
    """Every row checked against the cycle (its province, its instrument, what is published)
    and one another (one row per government and indicator). Returns the figures and how
    many rows were left out for an empty value, or raises :class:`GovernmentImportError`
    naming every bad row, column and reason."""
    from patuh.results.models import ResultSnapshot

    instrument = instrument_of(cycle)
    if not instrument.government_elements:
        raise GovernmentImportError(
            source,
            [
                Problem(
                    "",
                    _("instrumen %(code)s tidak memakai data tingkat pemerintah")
                    % {"code": instrument.code},
                )
            ],
        )
    codes = {_region_code(cells.get("government")) for _number, cells in table}
    governments = {g.region_code: g for g in Government.objects.filter(region_code__in=codes)}
    published = set(
        ResultSnapshot.objects.published()
        .filter(cycle=cycle, government__in=governments.values())
        .values_list("government_id", flat=True)
    )
    stored = {
        (answer.government_id, answer.indicator_code): answer
        for answer in GovernmentAnswer.objects.filter(
            cycle=cycle, government__in=governments.values()
        )
    }
    compliance = instrument.compliance
    known = ", ".join(instrument.government_indicators)
    problems: list[Problem] = []
    figures: list[Figure] = []
    seen: dict[tuple[str, str], int] = {}
    skipped = 0
    for number, cells in table:
        columns: dict[str, tuple[int, str]] = cells["_columns"]

        def where(name: str, number: int = number, columns: dict = columns) -> str:
            if name in columns:
                index, written = columns[name]
                return _("baris %(row)s, kolom %(letter)s (%(name)s)") % {
                    "row": number,
                    "letter": _column_letter(index),
                    "name": written,
                }
            return _("baris %(row)s, kolom %(name)s") % {"row": number, "name": name}

        before = len(problems)

        def problem(name: str, reason: str) -> None:
            problems.append(Problem(where(name), reason))

        value_text = _text(cells.get("value"))
        code = _region_code(cells.get("government"))
        indicator_code = _text(cells.get("indicator"))
        if not value_text:
            skipped += 1
            continue
        government = governments.get(code)
        if not code:
            problem("government", _("kosong, padahal wajib diisi"))
        elif government is None:
            problem(
                "government",
                _("pemerintah '%(code)s' tidak dikenal (tulis kode wilayah Kemendagri, mis. 12.05)")
                % {"code": shown(code)},
            )
        elif cycle.province_id is not None and government.province_id != cycle.province_id:
            problem(
                "government",
                _("%(name)s (%(code)s) di luar wilayah siklus ini (%(province)s)")
                % {"name": government.name, "code": code, "province": cycle.province.name},
            )
        elif government.pk in published:
            problem(
                "government",
                _("hasil %(name)s pada siklus ini sudah dipublikasikan; datanya tidak diubah")
                % {"name": government.name},
            )
        indicator = instrument.government_indicators.get(indicator_code)
        if not indicator_code:
            problem("indicator", _("kosong, padahal wajib diisi"))
        elif compliance is not None and indicator_code == compliance.code:
            problem(
                "indicator",
                _(
                    "%(code)s tidak diisi: tingkat kepatuhan diturunkan dari produk Ombudsman "
                    "yang tercatat"
                )
                % {"code": indicator_code},
            )
        elif indicator is None:
            problem(
                "indicator",
                _(
                    "indikator '%(code)s' tidak dikenal di instrumen %(instrument)s "
                    "(yang dikenal: %(known)s)"
                )
                % {"code": shown(indicator_code), "instrument": instrument.code, "known": known},
            )
        value = None
        try:
            value = Decimal(value_text.replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            value = None
            problem("value", _("'%(value)s' bukan angka") % {"value": shown(value_text)})
        if value is not None and value.as_tuple().exponent < -DECIMALS:  # type: ignore[operator]
            problem(
                "value",
                _("'%(value)s': paling banyak %(n)s angka di belakang koma")
                % {"value": shown(value_text), "n": DECIMALS},
            )
        elif value is not None and indicator is not None and not indicator.scale.contains(value):
            problem(
                "value",
                _("nilai %(value)s di luar skala %(scale)s")
                % {"value": value_text, "scale": indicator.scale},
            )
        year_text = _text(cells.get("year"))
        year = None
        if year_text:
            try:
                year = int(year_text)
            except ValueError:
                year = None
            if year is None or not MIN_DATA_YEAR <= year <= MAX_DATA_YEAR:
                problem(
                    "year",
                    _("tahun '%(year)s' tidak valid (bilangan bulat %(min)s–%(max)s)")
                    % {"year": shown(year_text), "min": MIN_DATA_YEAR, "max": MAX_DATA_YEAR},
                )
                year = None
                year_text = "!"
        source_text = _text(unescape_cell(cells.get("source")))
        if indicator is not None and indicator.needs_year_and_source:
            if not year_text:
                problem("year", _("tahun data wajib diisi untuk data sekunder"))
            if not source_text:
                problem("source", _("sumber data wajib diisi untuk data sekunder, mis. BPS"))
        if len(source_text) > SOURCE_LENGTH:
            problem(
                "source",
                _("terlalu panjang (%(n)s karakter, paling banyak %(max)s)")
                % {"n": len(source_text), "max": SOURCE_LENGTH},
            )
        key = (code, indicator_code)
        if code and indicator_code and key in seen:
            problem(
                "indicator",
                _("%(code)s untuk %(government)s sudah ada di baris %(row)s")
                % {"code": indicator_code, "government": code, "row": seen[key]},
            )
        seen.setdefault(key, number)
        if len(problems) > before:
            continue
        assert government is not None
        assert value is not None
        leftover = check_figure(instrument, indicator_code, value, year, source_text)
        if leftover:  # the scoring core's rules, should the checks above miss one
            problem("value", "; ".join(leftover))
            continue
        figures.append(
            Figure(
                number,
                government,
                indicator_code,
                value,
                year,
                source_text,
                _text(unescape_cell(cells.get("note"))),
                stored.get((government.pk, indicator_code)),
            )
        )
    if problems:
        raise GovernmentImportError(source, problems[:MAX_PROBLEMS_LISTED])
    return figures, skipped


def check_file(cycle: Cycle, path: Path, source: str = "") -> ImportSummary:
    """The file read and checked, nothing saved (``dry_run``)."""
    notes: list[str] = []
    table = read_table(path, notes)
    figures, skipped = check_table(cycle, table, source or str(path))
    summary = ImportSummary(figures, skipped=skipped, dry_run=True, notes=notes)
    summary.unchanged = sum(1 for figure in figures if figure.status == "unchanged")
    return summary


# -- saving --------------------------------------------------------------------------------


def save_figures(
    cycle: Cycle, figures: Iterable[Figure], *, actor: Any, reason: str = "", source: str = ""
) -> ImportSummary:
    """Save every new or changed figure in one transaction: all or nothing. A figure changed
    by someone else since the file was checked refuses the whole file."""
    summary = ImportSummary(list(figures))
    with transaction.atomic():
        for figure in summary.figures:
            if figure.status == "unchanged":
                summary.unchanged += 1
                continue
            try:
                record_government_answer(
                    cycle,
                    figure.government,
                    figure.indicator,
                    figure.value,
                    year=figure.year,
                    source=figure.source,
                    note=figure.note,
                    actor=actor,
                    reason=reason,
                    expected_version=figure.stored_version,
                )
            except GovernmentAnswerConflict:
                raise GovernmentImportError(
                    source,
                    [
                        Problem(
                            _("baris %(row)s") % {"row": figure.row},
                            _(
                                "%(code)s %(government)s diubah orang lain sejak berkas "
                                "diperiksa; tidak ada yang disimpan"
                            )
                            % {
                                "code": figure.indicator,
                                "government": figure.government.region_code,
                            },
                        )
                    ],
                ) from None
            except ValidationError as error:
                raise GovernmentImportError(
                    source,
                    [Problem(_("baris %(row)s") % {"row": figure.row}, " ".join(error.messages))],
                ) from None
            summary.saved += 1
    return summary


def import_file(
    cycle: Cycle,
    path: Path,
    *,
    actor: Any,
    reason: str = "",
    dry_run: bool = False,
    source: str = "",
) -> ImportSummary:
    """Read, check and (unless ``dry_run``) save a file of figures; all or nothing."""
    checked = check_file(cycle, path, source)
    if dry_run:
        return checked
    summary = save_figures(cycle, checked.figures, actor=actor, reason=reason, source=source)
    summary.skipped, summary.notes = checked.skipped, checked.notes
    return summary


# -- writing -------------------------------------------------------------------------------


def assessed_governments(cycle: Cycle) -> list[Government]:
    """The governments with an assessment in ``cycle``, by region code."""
    return list(
        Government.objects.filter(units__assessments__cycle=cycle)
        .distinct()
        .order_by("region_code")
    )


def export_rows(cycle: Cycle) -> list[dict[str, str]]:
    """Every figure entered for ``cycle``, in the import's columns (government by region
    code, indicators in the instrument's order)."""
    order = {code: index for index, code in enumerate(instrument_of(cycle).government_indicators)}
    answers = sorted(
        GovernmentAnswer.objects.filter(cycle=cycle).select_related("government"),
        key=lambda a: (a.government.region_code, order.get(a.indicator_code, len(order))),
    )
    return [
        {
            "government": answer.government.region_code,
            "indicator": answer.indicator_code,
            "value": figure_text(answer.value),
            "year": "" if answer.year is None else str(answer.year),
            "source": answer.source,
            "note": answer.note,
        }
        for answer in answers
    ]


def template_rows(cycle: Cycle) -> list[dict[str, str]]:
    """One row per assessed government and government-level indicator, with the figure
    entered so far (blank to fill otherwise): imported unchanged, it changes nothing."""
    entered = {(row["government"], row["indicator"]): row for row in export_rows(cycle)}
    rows = []
    for government in assessed_governments(cycle):
        for code in instrument_of(cycle).government_indicators:
            rows.append(
                entered.get((government.region_code, code))
                or {
                    "government": government.region_code,
                    "indicator": code,
                    "value": "",
                    "year": "",
                    "source": "",
                    "note": "",
                }
            )
    return rows


def write_csv(rows: Iterable[dict[str, str]], stream: Any) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                name: safe_cell(row.get(name, "")) if name in TEXT_COLUMNS else row.get(name, "")
                for name in COLUMNS
            }
        )


def csv_text(rows: Iterable[dict[str, str]]) -> str:
    buffer = io.StringIO()
    write_csv(rows, buffer)
    return buffer.getvalue()


def json_text(cycle: Cycle, rows: list[dict[str, str]]) -> str:
    return json.dumps(
        {
            "cycle": cycle.pk,
            "year": cycle.year,
            "province": cycle.province.region_code if cycle.province_id else None,
            "instrument": cycle.instrument_code,
            "figures": rows,
        },
        ensure_ascii=False,
        indent=2,
    )
