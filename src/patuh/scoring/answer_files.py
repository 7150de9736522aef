"""Answers files, ``patuh.answers/1``, in JSON and XLSX (see ``docs/formats.md``).

Reading reports every problem with the file and where in it (unit, indicator, or sheet,
row and column) and never half-reads: either the whole file is returned or nothing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .answers import NA, GovernmentAnswers, UnitAnswers, is_na
from .errors import AnswersError, Problem
from .model import Instrument
from .spreadsheets import (
    BAD_TEXT_REASON,
    MAX_TEXT_FILE_BYTES,
    bad_text_at,
    check_size,
    open_xlsx,
    safe_row,
    sheet_rows,
    shown,
    unescape_cell,
    utf8_text,
    worksheets,
)

FORMAT = "patuh.answers/1"
GOVERNMENT_SHEET = "Pemerintah"
_GOVERNMENT_FIELDS = {
    "format": "Format",
    "instrument": "Instrumen",
    "code": "Kode pemerintah",
    "name": "Nama pemerintah",
    "kind": "Jenis pemerintah",
    "ombudsman_products_followed_up": "Semua produk Ombudsman ditindaklanjuti",
    "synthetic": "Data sintetis",
    "note": "Catatan",
}
_UNIT_FIELDS = {
    "code": "Kode unit",
    "name": "Nama unit",
    "type": "Jenis unit",
    "products": "Jumlah produk",
}
_INDICATOR_HEADER = "Kode indikator"
_MAX_VALUE_COLUMNS = 40
GOVERNMENT_ANSWERS_SHEET = "Jawaban pemerintah"
"""2025+: one row per government-level answer (survey, secondary data, compliance level)."""
_GOVERNMENT_ANSWER_COLUMNS = ("Kode indikator", "Nilai", "Tahun", "Sumber")


@dataclass(frozen=True)
class AnswersFile:
    instrument_code: str
    government: GovernmentAnswers
    note: str = ""


def read_answers_file(path: str | Path) -> AnswersFile:
    """Read a JSON or XLSX answers file; raise :class:`AnswersError` naming the problem."""
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise AnswersError(source, [Problem("", "berkas tidak ditemukan")])
    suffix = path.suffix.lower()
    if suffix == ".json":
        check_size(path, AnswersError, MAX_TEXT_FILE_BYTES)
        text = utf8_text(path.read_bytes(), source, AnswersError)
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnswersError(
                source,
                [Problem(f"baris {exc.lineno}, kolom {exc.colno}", f"JSON tidak valid: {exc.msg}")],
            ) from None
        except RecursionError:
            raise AnswersError(
                source, [Problem("", "JSON tidak valid: terlalu dalam bersarang")]
            ) from None
        except ValueError:  # Python refuses to read an integer of more than 4300 digits
            raise AnswersError(
                source, [Problem("", "JSON tidak valid: angka terlalu panjang")]
            ) from None
        bad_text = bad_text_at(raw)
        if bad_text is not None:
            raise AnswersError(source, [Problem(bad_text, BAD_TEXT_REASON)])
        return answers_from_mapping(raw, source)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise AnswersError(
        source,
        [
            Problem(
                "",
                f"jenis berkas '{suffix or '(tanpa akhiran)'}' tidak didukung; "
                "gunakan .json atau .xlsx",
            )
        ],
    )


def _text(raw: Mapping[str, Any], key: str, where: str, problems: list[Problem]) -> str:
    value = raw.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(f"{where}.{key}" if where else key, "wajib diisi (teks)"))
        return ""
    return value.strip()


def answers_from_mapping(raw: Any, source: str = "") -> AnswersFile:
    """Build answers from parsed JSON, checking the structure (values are checked when scored)."""
    problems: list[Problem] = []
    if not isinstance(raw, Mapping):
        raise AnswersError(source, [Problem("", "isi berkas harus objek JSON {…}")])
    if raw.get("format") != FORMAT:
        problems.append(Problem("format", f'harus "{FORMAT}", bukan {raw.get("format")!r}'))
    known_top = {"format", "instrument", "government", "units", "synthetic", "note"}
    problems += [Problem(str(k), "kunci tidak dikenal") for k in raw if k not in known_top]
    instrument = _text(raw, "instrument", "", problems)
    government_raw = raw.get("government")
    if not isinstance(government_raw, Mapping):
        problems.append(Problem("government", 'wajib diisi: {"code", "name", "kind"}'))
        government_raw = {"code": "-", "name": "-", "kind": "-"}
    known_government = {"code", "name", "kind", "ombudsman_products_followed_up", "answers"}
    problems += [
        Problem(f"government.{k}", "kunci tidak dikenal")
        for k in government_raw
        if k not in known_government
    ]
    code = _text(government_raw, "code", "government", problems)
    name = _text(government_raw, "name", "government", problems)
    kind = _text(government_raw, "kind", "government", problems)
    followed_up = government_raw.get("ombudsman_products_followed_up")
    if followed_up is not None and not isinstance(followed_up, bool):
        problems.append(
            Problem("government.ombudsman_products_followed_up", "harus true atau false")
        )
    government_answers = government_raw.get("answers", {})
    if not isinstance(government_answers, Mapping):
        problems.append(
            Problem(
                "government.answers", "harus objek {kode indikator: nilai} (jawaban pemerintah)"
            )
        )
        government_answers = {}
    synthetic = raw.get("synthetic", False)
    if not isinstance(synthetic, bool):
        problems.append(Problem("synthetic", "harus true atau false"))
    note = raw.get("note", "")
    if not isinstance(note, str):
        problems.append(Problem("note", "harus teks"))
        note = ""
    units_raw = raw.get("units")
    units: list[UnitAnswers] = []
    if not isinstance(units_raw, list) or not units_raw:
        problems.append(Problem("units", "wajib diisi: daftar unit layanan yang tidak kosong"))
        units_raw = []
    for index, unit_raw in enumerate(units_raw):
        unit = _unit_from_mapping(unit_raw, index, problems)
        if unit is not None:
            units.append(unit)
    if problems:
        raise AnswersError(source, problems)
    government = GovernmentAnswers(
        code=code,
        name=name,
        kind=kind,
        units=tuple(units),
        ombudsman_products_followed_up=followed_up,
        synthetic=bool(synthetic),
        answers=dict(government_answers),
    )
    return AnswersFile(instrument, government, note)


def _unit_from_mapping(raw: Any, index: int, problems: list[Problem]) -> UnitAnswers | None:
    label = raw.get("code") if isinstance(raw, Mapping) else None
    where = f"unit {label}" if isinstance(label, str) and label else f"units[{index}]"
    if not isinstance(raw, Mapping):
        problems.append(Problem(where, 'harus objek {"code", "name", "type", "answers"}'))
        return None
    known = {"code", "name", "type", "answers", "products", "note", "survey"}
    unknown = [k for k in raw if k not in known]
    problems += [Problem(f"{where}.{k}", "kunci tidak dikenal") for k in unknown]
    before = len(problems)
    code = _text(raw, "code", where, problems)
    name = _text(raw, "name", where, problems)
    unit_type = _text(raw, "type", where, problems)
    products = raw.get("products", 0)
    if isinstance(products, bool) or not isinstance(products, int) or products < 0:
        problems.append(Problem(f"{where}.products", "harus bilangan bulat ≥ 0"))
    answers = raw.get("answers")
    if not isinstance(answers, Mapping):
        problems.append(Problem(f"{where}.answers", "wajib diisi: objek {KODE_INDIKATOR: nilai}"))
        return None
    survey = raw.get("survey", [])
    if not isinstance(survey, list):
        problems.append(
            Problem(f"{where}.survey", "harus daftar responden [{kode butir: nilai}, …]")
        )
    if len(problems) > before:
        return None
    return UnitAnswers(
        code,
        name,
        unit_type,
        dict(answers),
        int(products),
        survey=tuple(dict(r) if isinstance(r, Mapping) else r for r in survey),
    )


# -- XLSX --------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    """Spreadsheet cell → answer item: numbers stay, "na" stays, numeric text is a number."""
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if is_na(text):
            return NA
        try:
            return Decimal(text.replace(",", "."))
        except ArithmeticError:
            return text
    return value


def _read_xlsx(path: Path) -> AnswersFile:
    source = str(path)
    workbook = open_xlsx(path, AnswersError)
    problems: list[Problem] = []
    try:
        if GOVERNMENT_SHEET not in workbook.sheetnames:
            raise AnswersError(
                source,
                [
                    Problem(
                        "",
                        f"lembar '{GOVERNMENT_SHEET}' tidak ada (lembar yang ada: "
                        f"{', '.join(workbook.sheetnames)})",
                    )
                ],
            )
        fields = _key_values(workbook[GOVERNMENT_SHEET], _GOVERNMENT_FIELDS, problems, source)
        raw: dict[str, Any] = {
            "format": fields.get("format"),
            "instrument": fields.get("instrument"),
            "government": {k: fields[k] for k in ("code", "name", "kind") if k in fields},
            "units": [],
        }
        for flag in ("ombudsman_products_followed_up", "synthetic"):
            if flag in fields:
                value = _yes_no(fields[flag])
                if value is None:
                    problems.append(
                        Problem(
                            f"lembar '{GOVERNMENT_SHEET}', {_GOVERNMENT_FIELDS[flag]}",
                            "isi 'ya' atau 'tidak'",
                        )
                    )
                elif flag == "synthetic":
                    raw["synthetic"] = value
                else:
                    raw["government"][flag] = value
        if "note" in fields and fields["note"] is not None:
            raw["note"] = str(fields["note"])
        if GOVERNMENT_ANSWERS_SHEET in workbook.sheetnames:
            raw["government"]["answers"] = _read_government_answers(
                workbook[GOVERNMENT_ANSWERS_SHEET], problems, source
            )
        for sheet in worksheets(workbook):
            if sheet.title in (GOVERNMENT_SHEET, GOVERNMENT_ANSWERS_SHEET):
                continue
            unit = _read_unit_sheet(sheet, problems, source)
            if unit is not None:
                raw["units"].append(unit)
        if not raw["units"] and not problems:
            problems.append(Problem("", "tidak ada lembar unit (satu lembar per unit layanan)"))
    finally:
        workbook.close()
    if problems:
        raise AnswersError(source, problems)
    return answers_from_mapping(raw, source)


def _read_government_answers(sheet: Any, problems: list[Problem], source: str) -> dict[str, Any]:
    """The government-level answers sheet: a header row, then code, value and, for
    secondary data, year and source. A row without a value is a figure not yet entered."""
    answers: dict[str, Any] = {}
    rows = sheet_rows(sheet, source, AnswersError, min_row=1, max_col=4)
    for row_number, row in enumerate(rows, 1):
        cells = [unescape_cell(cell) for cell in (list(row) + [None] * 4)[:4]]
        cells = [cell.strip() if isinstance(cell, str) else cell for cell in cells]
        code, value, year, origin = cells
        if row_number == 1 or code in (None, ""):
            continue
        where = f"lembar '{sheet.title}', baris {row_number}"
        if str(code) in answers:
            problems.append(Problem(where, f"indikator {code} ganda"))
            continue
        if value in (None, ""):
            continue
        if isinstance(value, str) and value[0].isdigit():
            # a number typed as text ("68,2"); anything else is checked, and named, when scored
            with contextlib.suppress(ValueError):
                value = float(value.replace(",", "."))
        if isinstance(year, float) and year.is_integer():
            year = int(year)
        if isinstance(year, str) and year.isdigit():
            year = int(year)
        if year in (None, "") and origin in (None, ""):
            answers[str(code)] = value
            continue
        figure: dict[str, Any] = {"value": value}
        if year not in (None, ""):
            figure["year"] = year
        if origin not in (None, ""):
            figure["source"] = str(origin)
        answers[str(code)] = figure
    return answers


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {
        "ya": True,
        "yes": True,
        "true": True,
        "1": True,
        "tidak": False,
        "no": False,
        "false": False,
        "0": False,
    }.get(text)


def _key_values(
    sheet: Any, labels: dict[str, str], problems: list[Problem], source: str
) -> dict[str, Any]:
    by_label = {label.lower(): key for key, label in labels.items()}
    by_label.update({key.lower(): key for key in labels})
    found: dict[str, Any] = {}
    rows = sheet_rows(sheet, source, AnswersError, min_row=1, max_col=2)
    for row_number, row in enumerate(rows, 1):
        if not row or row[0] is None:
            if found:
                break
            continue
        label = str(row[0]).strip().lower()
        if label.lower() == _INDICATOR_HEADER.lower():
            break
        key = by_label.get(label)
        if key is None:
            problems.append(
                Problem(
                    f"lembar '{sheet.title}', baris {row_number}, kolom A",
                    f"isian '{shown(row[0])}' tidak dikenal",
                )
            )
            continue
        value = unescape_cell(row[1]) if len(row) > 1 else None
        found[key] = value.strip() if isinstance(value, str) else value
    return found


def _read_unit_sheet(sheet: Any, problems: list[Problem], source: str) -> dict[str, Any] | None:
    where = f"lembar '{sheet.title}'"
    rows = sheet_rows(sheet, source, AnswersError)
    unit: dict[str, Any] = {}
    header_row = None
    by_label = {label.lower(): key for key, label in _UNIT_FIELDS.items()}
    row_number = 0
    for row_number, row in enumerate(rows, start=1):
        first = row[0] if row else None
        if first is None:
            continue
        label = str(first).strip().lower()
        if label == _INDICATOR_HEADER.lower():
            header_row = row_number
            break
        key = by_label.get(label)
        if key is None:
            problems.append(
                Problem(
                    f"{where}, baris {row_number}, kolom A",
                    f"isian '{shown(first)}' tidak dikenal (yang dikenal: "
                    f"{', '.join(_UNIT_FIELDS.values())}, lalu baris judul "
                    f"'{_INDICATOR_HEADER}')",
                )
            )
            continue
        value = unescape_cell(row[1]) if len(row) > 1 else None
        unit[key] = (
            str(value).strip() if isinstance(value, str | int) and key != "products" else value
        )
    if header_row is None:
        problems.append(
            Problem(
                where,
                f"baris judul '{_INDICATOR_HEADER}' tidak ditemukan; lembar ini bukan lembar unit",
            )
        )
        return None
    if isinstance(unit.get("products"), float) and unit["products"].is_integer():
        unit["products"] = int(unit["products"])
    if unit.get("products") is None:
        unit.pop("products", None)
    answers: dict[str, Any] = {}
    for row_number, row in enumerate(rows, start=header_row + 1):
        if not row or row[0] is None or str(row[0]).strip() == "":
            continue
        code = str(unescape_cell(row[0])).strip()
        items = [_cell_value(unescape_cell(v)) for v in row[2 : 2 + _MAX_VALUE_COLUMNS]]
        values = [v for v in items if v is not None]
        for column, value in enumerate(items, start=3):
            if isinstance(value, str) and not is_na(value):
                problems.append(
                    Problem(
                        f"{where}, baris {row_number}, kolom {_column_letter(column)} ({code})",
                        f"'{shown(value)}' bukan angka atau \"na\"",
                    )
                )
        if not values:
            continue  # an empty row is a missing answer, exactly as leaving it out
        if code in answers:
            problems.append(
                Problem(
                    f"{where}, baris {row_number}, kolom A", f"indikator {code} muncul dua kali"
                )
            )
            continue
        answers[code] = values[0] if len(values) == 1 else values
    unit["answers"] = answers
    return unit


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_answers_xlsx(answers: AnswersFile, instrument: Instrument, path: str | Path) -> None:
    """Write ``answers`` as an XLSX answers file (one sheet per unit, all indicators listed).

    The XLSX form has no place for a users' survey (F-03): a file with one is refused rather
    than written without it."""
    import openpyxl
    from openpyxl.styles import Font

    with_survey = [unit.code for unit in answers.government.units if unit.survey]
    if with_survey:
        raise AnswersError(
            str(path),
            [
                Problem(
                    f"unit {code}, survey",
                    "jawaban survei pengguna (F-03) belum dapat disimpan sebagai XLSX; "
                    "gunakan JSON",
                )
                for code in with_survey
            ],
        )

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = GOVERNMENT_SHEET
    government = answers.government
    rows = [
        ("format", FORMAT),
        ("instrument", answers.instrument_code),
        ("code", government.code),
        ("name", government.name),
        ("kind", government.kind),
    ]
    if government.ombudsman_products_followed_up is not None:
        rows.append(
            (
                "ombudsman_products_followed_up",
                "ya" if government.ombudsman_products_followed_up else "tidak",
            )
        )
    if government.synthetic:
        rows.append(("synthetic", "ya"))
    if answers.note:
        rows.append(("note", answers.note))
    for key, value in rows:
        sheet.append(safe_row([_GOVERNMENT_FIELDS[key], value]))
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 60
    used: set[str] = {GOVERNMENT_SHEET}
    codes = [*instrument.government_indicators] + (
        [instrument.compliance.code] if instrument.compliance else []
    )
    if codes or government.answers:
        answers_sheet = workbook.create_sheet(GOVERNMENT_ANSWERS_SHEET)
        used.add(GOVERNMENT_ANSWERS_SHEET)
        answers_sheet.append(list(_GOVERNMENT_ANSWER_COLUMNS))
        for cell in answers_sheet[1]:
            cell.font = Font(bold=True)
        for code in [*codes, *(c for c in government.answers if c not in codes)]:
            value = government.answers.get(code)
            if isinstance(value, Mapping):
                row = [code, value.get("value"), value.get("year"), value.get("source")]
            else:
                row = [code, value, None, None]
            answers_sheet.append(safe_row([_excel_number(cell) for cell in row]))
        answers_sheet.column_dimensions["A"].width = 16
        answers_sheet.column_dimensions["D"].width = 40
    for unit in government.units:
        title = _sheet_title(unit.code, used)
        unit_sheet = workbook.create_sheet(title)
        unit_sheet.append(safe_row([_UNIT_FIELDS["code"], unit.code]))
        unit_sheet.append(safe_row([_UNIT_FIELDS["name"], unit.name]))
        unit_sheet.append(safe_row([_UNIT_FIELDS["type"], unit.type]))
        if unit.products:
            unit_sheet.append([_UNIT_FIELDS["products"], unit.products])
        unit_sheet.append([])
        width = max([len(v) for v in unit.answers.values() if isinstance(v, list | tuple)] or [1])
        unit_sheet.append(
            [_INDICATOR_HEADER, "Nama indikator", *[f"Nilai {i}" for i in range(1, width + 1)]]
        )
        for cell in unit_sheet[unit_sheet.max_row]:
            cell.font = Font(bold=True)
        for code, indicator in instrument.indicators.items():
            value = unit.answers.get(code)
            items = (
                list(value)
                if isinstance(value, list | tuple)
                else ([] if value is None else [value])
            )
            if value is not None and not items:
                items = [NA]  # an empty list is N/A; an empty row would read as missing
            unit_sheet.append(safe_row([code, indicator.name, *[_excel_number(v) for v in items]]))
        unit_sheet.column_dimensions["A"].width = 16
        unit_sheet.column_dimensions["B"].width = 60
    workbook.save(path)


def _excel_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _sheet_title(code: str, used: set[str]) -> str:
    base = "".join(
        "-" if ch in "[]:*?/\\" else ch for ch in code if ch.isprintable() and ch != "'"
    )[:28]
    base = base.strip() or "Unit"
    title, counter = base, 2
    while title in used:
        title, counter = f"{base[:25]}-{counter}", counter + 1
    used.add(title)
    return title


def answers_to_mapping(answers: AnswersFile) -> dict[str, Any]:
    """The JSON form of an answers file."""
    government = answers.government
    data: dict[str, Any] = {"format": FORMAT, "instrument": answers.instrument_code}
    if government.synthetic:
        data["synthetic"] = True
    if answers.note:
        data["note"] = answers.note
    data["government"] = {"code": government.code, "name": government.name, "kind": government.kind}
    if government.ombudsman_products_followed_up is not None:
        data["government"]["ombudsman_products_followed_up"] = (
            government.ombudsman_products_followed_up
        )
    if government.answers:
        data["government"]["answers"] = {
            code: {key: _json_number(item) for key, item in value.items()}
            if isinstance(value, Mapping)
            else _json_number(value)
            for code, value in government.answers.items()
        }
    data["units"] = [
        {
            "code": unit.code,
            "name": unit.name,
            "type": unit.type,
            **({"products": unit.products} if unit.products else {}),
            "answers": {
                code: [_json_number(v) for v in value]
                if isinstance(value, list | tuple)
                else _json_number(value)
                for code, value in unit.answers.items()
            },
            **(
                {
                    "survey": [
                        {code: _json_number(v) for code, v in respondent.items()}
                        for respondent in unit.survey
                    ]
                }
                if unit.survey
                else {}
            ),
        }
        for unit in government.units
    ]
    return data


def _json_number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
