"""Formula injection in the results export (``patuh report export``, the cycle's "Unduh hasil
(Excel)" and the background export job): text typed by users — a government's or unit's
name, an answer's note or N/A reason — that a spreadsheet would run as a formula
(``=cmd|' /C calc'!A0``, ``@SUM(1+1)``, ``+1+1``, ``-2+3``, after blanks or a tab) is
written as text with a leading apostrophe, in the XLSX and in every CSV sheet; numbers stay
numbers (a negative number is no formula), and characters XLSX cannot hold do not break it."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from patuh.assessments.models import Answer
from patuh.orgs.models import Government
from patuh.reports.export import SHEETS, write_csv, write_workbook
from patuh.scoring.spreadsheets import FORMULA_TRIGGERS

PAYLOADS = {
    "government": "=cmd|' /C calc'!A0",
    "unit": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "+1+1",
    "na_reason": "-2+3",
    "note2": '  =HYPERLINK("http://contoh.invalid","klik")',
    "note3": "\t=1+1",
    "note4": "Catatan\x0bdari\x01 Word",  # a vertical tab pasted from Word
}


def _formula_like(text: str) -> bool:
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in FORMULA_TRIGGERS


@pytest.fixture
def hostile_cycle(cycle_2023, langkat):
    """Langkat 2023 with hostile text in every user-typed field the export writes."""
    langkat.name = PAYLOADS["government"]
    langkat.save(update_fields=["name"])
    unit = langkat.units.get(code="dinkes")
    unit.name = PAYLOADS["unit"]
    unit.save(update_fields=["name"])
    answers = list(
        Answer.objects.filter(
            assessment__cycle=cycle_2023,
            assessment__kind="official",
            assessment__service_unit=unit,
        ).order_by("indicator_code")[:5]
    )
    assert len(answers) == 5
    for answer, field in zip(
        answers, ["note", "na_reason", "note2", "note3", "note4"], strict=True
    ):
        answer.note = PAYLOADS[field]
        answer.na_reason = PAYLOADS[field] if field == "na_reason" else answer.na_reason
        answer.save(update_fields=["note", "na_reason"])
    return cycle_2023


def _only(government):
    return Government.objects.filter(pk=government.pk)


def _check_cells(values: list[object], where: str) -> list[str]:
    texts = [value for value in values if isinstance(value, str)]
    bad = [text for text in texts if _formula_like(text)]
    assert not bad, f"{where}: {bad}"
    return texts


def test_the_workbook_holds_user_text_as_text_never_as_a_formula(hostile_cycle, langkat, tmp_path):
    path = write_workbook(hostile_cycle, tmp_path / "hasil.xlsx", _only(langkat))
    workbook = load_workbook(path)  # not read-only: each cell's type is known
    assert workbook.sheetnames == list(SHEETS)
    texts: list[str] = []
    numbers = 0
    for sheet in workbook.worksheets:
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"], sheet.title
        texts += _check_cells([cell.value for cell in cells], sheet.title)
        numbers += sum(1 for cell in cells if isinstance(cell.value, int | float))
    assert numbers  # scores are still numbers
    for payload in ("government", "unit", "note", "na_reason", "note2", "note3"):
        assert "'" + PAYLOADS[payload] in texts, payload
    assert "Catatandari Word" in texts  # the characters XLSX cannot hold are dropped


@pytest.mark.parametrize("sheet", SHEETS)
def test_every_csv_sheet_holds_user_text_as_text(hostile_cycle, langkat, tmp_path, sheet):
    path = write_csv(hostile_cycle, tmp_path / f"{sheet}.csv", sheet, _only(langkat))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows
    texts = _check_cells([cell for row in rows[1:] for cell in row], sheet)
    if sheet == "Pemerintah":
        assert "'=cmd|' /C calc'!A0" in texts
    if sheet == "Unit":
        assert "'@SUM(1+1)*cmd|' /C calc'!A0" in texts
    if sheet == "Jawaban":
        assert {"'+1+1", "'-2+3", "'\t=1+1"} <= set(texts)


def test_the_download_is_neutralised_too(hostile_cycle, login, coordinator, tmp_path):
    response = login(coordinator).get("/cycles/2023/export.xlsx")
    assert response.status_code == 200
    download = tmp_path / "unduhan.xlsx"
    download.write_bytes(b"".join(response.streaming_content))
    texts: list[str] = []
    for sheet in load_workbook(download).worksheets:
        values = [cell for row in sheet.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in values if cell.data_type == "f"]
        texts += _check_cells([cell.value for cell in values], sheet.title)
    assert "'=cmd|' /C calc'!A0" in texts
