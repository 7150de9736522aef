"""``patuh survey score FILE --instrument skm-2017 --format json``: the SKM figures of a
responses file, checked against hand computations and the category edges."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from cli_runner import bad, run
from openpyxl import Workbook

ELEMENTS = [f"U{number}" for number in range(1, 10)]


def write_csv(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    lines = [",".join(header or ELEMENTS)]
    lines += [",".join("" if cell is None else str(cell) for cell in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows_with_total(respondents: int, total: int) -> list[list[int]]:
    """``respondents`` rows of nine answers 1–4 whose answers add up to ``total``."""
    cells = respondents * len(ELEMENTS)
    base, extra = divmod(total, cells)
    values = [base + (1 if index < extra else 0) for index in range(cells)]
    return [values[i : i + len(ELEMENTS)] for i in range(0, cells, len(ELEMENTS))]


def score_json(capsys, path: Path) -> dict:
    code, out, err = run(
        capsys, "survey", "score", path, "--instrument", "skm-2017", "--format", "json"
    )
    assert code == 0, err
    return json.loads(out, parse_float=Decimal)


def test_the_json_holds_nrr_ikm_index_category_and_label(capsys, tmp_path):
    rows = [
        [4, 3, 3, 4, 3, 3, 4, 3, 4],
        [3, 3, 2, 4, 3, 3, 3, 3, 3],
        [4, 4, 3, 4, None, 3, 4, 2, 3],  # U5 not answered by this respondent
    ]
    data = score_json(capsys, write_csv(tmp_path / "skm.csv", rows))
    assert list(data) == ["instrument", "respondents", "nrr", "ikm", "index", "category", "label"]
    assert data["instrument"] == "skm-2017"
    assert data["respondents"] == 3
    # NRR per element: the mean of its valid answers (U5 has two)
    nrr = {
        code: Fraction(sum(r[i] for r in rows if r[i] is not None))
        / sum(1 for r in rows if r[i] is not None)
        for i, code in enumerate(ELEMENTS)
    }
    assert data["nrr"]["U5"] == Decimal("3.0000")
    assert data["nrr"]["U1"] == Decimal("3.6667")
    ikm = sum(nrr.values()) * Fraction(1, 9)  # exactly one ninth, not 0.11
    assert data["ikm"] == Decimal(f"{float(ikm):.4f}")
    assert data["index"] == Decimal(f"{float(ikm * 25):.2f}")
    assert (data["category"], data["label"]) == ("B", "Baik")
    wrong = sum(nrr.values()) * Fraction(11, 100) * 25  # the 0.11 shortcut drifts
    assert Decimal(f"{float(wrong):.2f}") != data["index"]


@pytest.mark.parametrize(
    ("respondents", "total", "index", "category"),
    [
        (2500, 58491, "64.99", "D"),
        (5, 117, "65.00", "C"),
        (125, 3447, "76.60", "C"),
        (2500, 68949, "76.61", "B"),
        (250, 7947, "88.30", "B"),
        (2500, 79479, "88.31", "A"),
    ],
)
def test_the_category_edges(capsys, tmp_path, respondents, total, index, category):
    path = write_csv(tmp_path / "skm.csv", rows_with_total(respondents, total))
    data = score_json(capsys, path)
    assert data["respondents"] == respondents
    assert str(data["index"]) == index
    assert data["category"] == category


def test_an_xlsx_export_with_other_columns_gives_the_same_figures(capsys, tmp_path):
    rows = [[4, 3, 3, 4, 3, 3, 4, 3, 4], [3, 3, 2, 4, 3, 3, 3, 3, 3]]
    from_csv = score_json(capsys, write_csv(tmp_path / "skm.csv", rows))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["start", "usia", *ELEMENTS, "_uuid"])
    for number, row in enumerate(rows):
        sheet.append(["2026-11-24T08:00", 30 + number, *row, f"uuid-{number}"])
    workbook.save(tmp_path / "skm.xlsx")
    assert score_json(capsys, tmp_path / "skm.xlsx") == from_csv


def test_a_semicolon_csv_from_a_windows_spreadsheet_is_read(capsys, tmp_path):
    path = tmp_path / "skm.csv"
    path.write_bytes(
        (
            "Usia;" + ";".join(ELEMENTS) + "\r\n" + "Pengguna é;" + ";".join(["4"] * 9) + "\r\n"
        ).encode("cp1252")
    )
    data = score_json(capsys, path)
    assert data["index"] == Decimal("100.00")


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_scored(capsys, tmp_path):
    rows = [[4] * 9, [5, 3, 3, 3, 3, 3, 3, 3, 3], [4] * 9, [3, 3, 3, 3, "x", 3, 3, 3, 3]]
    err = bad(capsys, "survey", "score", write_csv(tmp_path / "skm.csv", rows), "--format", "json")
    assert "baris 3, kolom A (U1): jawaban '5' harus 1, 2, 3 atau 4" in err
    assert "baris 5, kolom E (U5): jawaban 'x' harus 1, 2, 3 atau 4" in err


def test_a_missing_column_and_a_missing_file_are_refused(capsys, tmp_path):
    err = bad(capsys, "survey", "score", write_csv(tmp_path / "s.csv", [[4] * 8], ELEMENTS[:8]))
    assert "baris 1: kolom tidak ada: U9" in err
    assert "berkas tidak ditemukan" in bad(capsys, "survey", "score", tmp_path / "none.csv")
    err = bad(capsys, "survey", "score", tmp_path / "s.csv", "--instrument", "ombudsman-2023")
    assert "bukan instrumen SKM" in err


def test_rows_that_declined_or_answered_nothing_are_not_respondents(capsys, tmp_path):
    header = ["consent", *ELEMENTS]
    rows = [["yes", *[4] * 9], ["no", *[None] * 9], ["yes", *[None] * 9]]
    data = score_json(capsys, write_csv(tmp_path / "odk.csv", rows, header))
    assert data["respondents"] == 1
