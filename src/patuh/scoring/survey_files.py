"""SKM response files: CSV or XLSX, one row per respondent, columns ``U1`` … ``U9``.

Rows are read one at a time (a file of a million rows is never held in memory); every bad
cell is reported by row and column, and a file with any bad cell is refused whole.
Other columns (profile, timestamps, an ODK/Kobo export's metadata) are ignored.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AnswersError, Problem
from .model import Instrument
from .skm import SkmResult, score_skm
from .spreadsheets import csv_rows, open_xlsx, sheet_rows, shown, worksheets

MAX_PROBLEMS_LISTED = 200
DECLINED = {"no", "tidak", "0", "false"}
"""A ``consent`` column with one of these: the person declined; the row is not counted."""


def _declined(row: list[Any], consent: int | None) -> bool:
    """Whether the row's ``consent`` cell says the person declined the survey."""
    if consent is None or consent >= len(row):
        return False
    return str(row[consent] or "").strip().lower() in DECLINED


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _rows(path: Path, notes: list[str] | None = None) -> Iterator[list[Any]]:
    """The rows of the first sheet of an XLSX file or of a CSV file (UTF-8 with or without
    BOM, else Windows-1252 with a note in ``notes``), one at a time; a damaged, oversized or
    wrongly encoded file raises :class:`AnswersError` naming the place."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        workbook = open_xlsx(path, AnswersError)
        try:
            sheets = worksheets(workbook)
            if not sheets:
                raise AnswersError(str(path), [Problem("", "tidak ada lembar berisi tabel")])
            for row in sheet_rows(sheets[0], str(path), AnswersError):
                yield list(row)
        finally:
            workbook.close()
        return
    if suffix not in (".csv", ".txt"):
        raise AnswersError(str(path), [Problem("", "berkas harus .csv atau .xlsx")])
    yield from csv_rows(path, AnswersError, notes)


@dataclass
class _Reader:
    path: Path
    instrument: Instrument
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[str] = field(default_factory=list)

    def problem(self, where: str, reason: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_LISTED:
            self.problems.append(Problem(where, reason))

    def responses(self) -> Iterator[dict[str, object]]:
        """The good rows as responses; the file's own problems (damaged, wrongly encoded)
        join the bad cells found before them."""
        try:
            yield from self._responses()
        except AnswersError as error:
            for problem in error.problems:
                self.problem(problem.where, problem.reason)

    def _responses(self) -> Iterator[dict[str, object]]:
        rows = _rows(self.path, self.notes)
        header = next(rows, None)
        if header is None:
            self.problem("baris 1", "berkas kosong: baris judul kolom U1…U9 tidak ada")
            return
        names = [str(cell or "").strip().upper() for cell in header]
        codes = list(self.instrument.indicators)
        columns = {code: names.index(code) for code in codes if code in names}
        missing = [code for code in codes if code not in columns]
        if missing:
            self.problem("baris 1", f"kolom tidak ada: {', '.join(missing)}")
            return
        scale = {str(level) for level in range(1, 5)}
        consent = names.index("CONSENT") if "CONSENT" in names else None
        for number, row in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in row):
                continue  # an empty line
            if _declined(row, consent):
                continue  # declined in an ODK/Kobo form: not a respondent
            response: dict[str, object] = {}
            good = True
            for code, index in columns.items():
                cell = row[index] if index < len(row) else None
                text = "" if cell is None else str(cell).strip()
                if text == "":
                    continue  # no answer to this element
                if text.endswith(".0"):
                    text = text[:-2]
                if text not in scale:
                    good = False
                    self.problem(
                        f"baris {number}, kolom {_column_letter(index)} ({code})",
                        f"jawaban '{shown(text)}' harus 1, 2, 3 atau 4",
                    )
                    continue
                response[code] = int(text)
            if good and response:
                yield response  # a row answering nothing is not a respondent


def score_skm_file(
    path: str | Path, instrument: Instrument, notes: list[str] | None = None
) -> SkmResult:
    """Score an SKM response file; :class:`AnswersError` lists every bad row and column.
    How the file was read, when worth saying (a Windows-1252 CSV), is added to ``notes``."""
    path = Path(path)
    if not path.exists():
        raise AnswersError(str(path), [Problem("", "berkas tidak ditemukan")])
    reader = _Reader(path, instrument, notes=notes if notes is not None else [])
    try:
        result = score_skm(instrument, reader.responses())
    except AnswersError as error:
        if reader.problems:
            raise AnswersError(str(path), _listed(reader)) from None
        error.source = str(path)
        raise
    if reader.problems:
        raise AnswersError(str(path), _listed(reader))
    return result


def _listed(reader: _Reader) -> list[Problem]:
    problems = list(reader.problems)
    hidden = reader.problem_count - len(problems)
    if hidden > 0:
        problems.append(Problem("", f"dan {hidden} kesalahan lain"))
    return problems


def skm_result_json(result: SkmResult) -> dict[str, Any]:
    """The ``patuh survey score --format json`` shape (numbers as exact decimals)."""
    from .numbers import round_half_up

    return {
        "instrument": result.instrument.code,
        "respondents": result.respondents,
        "nrr": {code: round_half_up(e.nrr, 4) for code, e in result.elements.items()},
        "ikm": round_half_up(result.ikm, 4),
        "index": round_half_up(result.index, 2),
        "category": result.band.category,
        "label": result.band.opinion,
    }


def render_skm_table(result: SkmResult) -> str:
    out = io.StringIO()
    out.write(f"{result.instrument.name} ({result.instrument.code})\n")
    out.write(f"Responden: {result.respondents}\n\n")
    out.write(f"{'Unsur':<6} {'NRR':>7}  Nama\n")
    for code, element in result.elements.items():
        out.write(f"{code:<6} {_fixed(element.nrr, 4):>7}  {element.name}\n")
    out.write(f"\nIKM: {_fixed(result.ikm, 4)}  Indeks: {_fixed(result.index, 2)}  ")
    out.write(f"Mutu: {result.band.category} ({result.band.opinion})\n")
    return out.getvalue()


def _fixed(value: Any, decimals: int) -> str:
    from .numbers import round_half_up

    return f"{round_half_up(value, decimals):.{decimals}f}"
