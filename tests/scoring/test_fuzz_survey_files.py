"""Hostile SKM response files (``patuh survey score``): random bytes, random cells, files cut
short, Windows-1252 and UTF-8-with-BOM text, oversized cells and files. The reader either
scores the file or raises :class:`AnswersError` naming the file and the place; no other
exception ever leaves it."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patuh.scoring import load_instrument
from patuh.scoring import spreadsheets as sheets_module
from patuh.scoring.errors import AnswersError
from patuh.scoring.spreadsheets import CP1252_NOTE
from patuh.scoring.survey_files import score_skm_file

SKM = load_instrument("skm-2017")
ELEMENTS = [f"U{number}" for number in range(1, 10)]
FUZZ = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-skm-"))

GOOD_ANSWERS = st.sampled_from(["1", "2", "3", "4", " 4 ", "3.0", ""])
BAD_ANSWERS = st.one_of(
    st.sampled_from(
        [
            "0",
            "5",
            "44",
            "-1",
            "²",
            "٣",
            "na",
            "=cmd|' /C calc'!A0",
            "@SUM(1+1)",
            "+1+1",
            "1e999999",
            "NaN",
            "\x00",
            "9" * 5000,
            "x" * 100_000,
        ]
    ),
    st.text(min_size=1, max_size=12).filter(
        lambda t: t.strip() not in ("", "1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0")
    ),
)
CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.text(max_size=20),
    BAD_ANSWERS,
)


def _writable(cell: object) -> object:
    """A cell openpyxl can write: text loses the control characters XML cannot hold (a
    formula stays a formula: a hostile workbook has them)."""
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell


def _good(cell: str) -> bool:
    text = cell.strip()
    return text.removesuffix(".0") in ("", "1", "2", "3", "4") and text != ".0"


def _refused(error: AnswersError, path: Path) -> str:
    """The refusal names the file, lists at least one problem, and each has a reason."""
    message = error.message()
    assert error.source == str(path)
    assert error.problems
    assert all(problem.reason for problem in error.problems)
    assert message.startswith(str(path))
    return message


def _score(path: Path, notes: list[str] | None = None):
    try:
        return score_skm_file(path, SKM, notes)
    except AnswersError as error:
        _refused(error, path)
        return None


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


def _csv_text(rows: list[list[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# -- (a) random bytes -------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
@example(data=b"PK\x03\x04" + b"\x00" * 200, suffix=".xlsx")
@example(data=b"\xff\xfeU\x001\x00", suffix=".csv")
@example(data=b"U1,U2\n\x81\x8d\n", suffix=".csv")
def test_random_bytes_are_scored_or_refused_with_a_message(data, suffix):
    _score(_write(f"acak{suffix}", data))


@FUZZ
@given(
    header=st.lists(st.sampled_from([*ELEMENTS, "consent", "usia", "", "u1"]), max_size=14),
    rows=st.lists(st.lists(CELLS, max_size=14), max_size=8),
    form=st.sampled_from(["csv", "xlsx"]),
)
def test_files_of_random_cells_are_scored_or_refused_with_a_message(header, rows, form):
    if form == "csv":
        text = _csv_text([header, *[["" if c is None else c for c in row] for row in rows]])
        _score(_write("sel.csv", text.encode("utf-8", "surrogatepass")))
        return
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append([_writable(c) for c in row])
    path = FOLDER / "sel.xlsx"
    workbook.save(path)
    _score(path)


# -- (b) an oracle: good rows are counted, the first bad cell is named -------------------


@FUZZ
@given(
    answers=st.lists(
        st.lists(st.one_of(GOOD_ANSWERS, GOOD_ANSWERS, GOOD_ANSWERS, BAD_ANSWERS), min_size=9),
        min_size=1,
        max_size=6,
    ),
    form=st.sampled_from(["csv", "xlsx"]),
)
def test_every_row_counts_or_the_bad_cell_is_named_by_row_and_column(answers, form):
    rows = [["id", *ELEMENTS], *[[f"r{n}", *cells[:9]] for n, cells in enumerate(answers)]]
    if form == "csv":
        path = _write("oracle.csv", _csv_text(rows).encode("utf-8"))
    else:  # what a spreadsheet holds: text, never a formula, nothing XML cannot hold
        rows = [[sheets_module.safe_cell(cell) for cell in row] for row in rows]
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        path = FOLDER / "oracle.xlsx"
        workbook.save(path)
    bad = [
        (number, index)
        for number, row in enumerate(rows[1:], start=2)
        for index, cell in enumerate(row[1:], start=1)
        if not _good(cell)
    ]
    try:
        result = score_skm_file(path, SKM)
    except AnswersError as error:
        message = _refused(error, path)
        if bad:
            number, index = bad[0]
            assert f"baris {number}, kolom {_letter(index)} ({ELEMENTS[index - 1]})" in message
        else:  # only refused when an element has no answer at all
            assert "tidak ada jawaban sah" in message
        assert len(message) < 40_000  # a 100 000-character cell is not echoed whole
        return
    assert not bad
    assert result.respondents == sum(1 for row in rows[1:] if any(cell.strip() for cell in row[1:]))


# -- (c) truncated files ----------------------------------------------------------------


def _valid_rows(count: int) -> list[list[object]]:
    return [
        ["nama", *ELEMENTS],
        *[[f"Café {n}", *[(n + k) % 4 + 1 for k in range(9)]] for n in range(count)],
    ]


def _valid_xlsx(count: int) -> bytes:
    workbook = Workbook()
    for row in _valid_rows(count):
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


VALID_XLSX = _valid_xlsx(300)
VALID_CSV = _csv_text(_valid_rows(300)).encode("utf-8")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_a_truncated_xlsx_is_refused_with_a_message(cut):
    path = _write("terpotong.xlsx", VALID_XLSX[:cut])
    with pytest.raises(AnswersError) as raised:
        score_skm_file(path, SKM)
    _refused(raised.value, path)


@settings(FUZZ, max_examples=40)
@given(
    position=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_an_xlsx_with_a_damaged_byte_is_scored_or_refused_with_a_message(position, byte):
    data = bytearray(VALID_XLSX)
    data[position] = byte
    _score(_write("rusak.xlsx", bytes(data)))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_CSV)))
def test_a_truncated_csv_is_scored_or_refused_with_a_message(cut):
    """A CSV cut anywhere, even inside a multi-byte letter (é), is never a traceback."""
    _score(_write("terpotong.csv", VALID_CSV[:cut]))


# -- (d) encodings ----------------------------------------------------------------------

PROFILE_TEXT = st.sampled_from(
    ["Café", "Pendidikan Tinggi – S1", "Ibu Siti “Ani”", "naïve € 5", "plain", ""]
)


@FUZZ
@given(
    profiles=st.lists(PROFILE_TEXT, min_size=1, max_size=6),
    padding=st.integers(min_value=0, max_value=6000),
    delimiter=st.sampled_from([",", ";"]),
)
def test_utf8_with_bom_and_windows_1252_read_the_same_as_utf8(profiles, padding, delimiter):
    """The same rows saved as UTF-8, UTF-8 with a byte-order mark and Windows-1252 (Excel's
    "CSV" on Windows) give the same result; only Windows-1252 adds a note. ``padding`` puts
    the first accented letter past the first 4 KB, where a sniffing reader stops looking."""
    rows = [["pendidikan", *ELEMENTS], ["x" * padding, *[4] * 9]]
    rows += [[text, *[(n + k) % 4 + 1 for k in range(9)]] for n, text in enumerate(profiles)]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = out.getvalue()
    plain = score_skm_file(_write("utf8.csv", text.encode("utf-8")), SKM)
    for name, data, noted in (
        ("bom.csv", text.encode("utf-8-sig"), False),
        ("cp1252.csv", text.encode("cp1252"), text != text.encode("ascii", "ignore").decode()),
    ):
        notes: list[str] = []
        result = score_skm_file(_write(name, data), SKM, notes)
        assert (result.respondents, result.ikm, result.elements) == (
            plain.respondents,
            plain.ikm,
            plain.elements,
        )
        assert notes == ([CP1252_NOTE] if noted else [])


def test_a_file_neither_utf8_nor_windows_1252_is_refused_naming_the_line():
    data = ("U1,U2,U3,U4,U5,U6,U7,U8,U9\n" + "4,4,4,4,4,4,4,4,4\n" * 3).encode()
    path = _write("campur.csv", data + b"4,4,4,4,4,4,4,4,4,\x81\x8d\n")
    with pytest.raises(AnswersError) as raised:
        score_skm_file(path, SKM)
    assert "baris 5: berkas bukan teks UTF-8 maupun Windows-1252 (byte 0x81)" in str(raised.value)


def test_a_file_mixing_utf8_and_windows_1252_is_refused_naming_both_lines():
    data = "U1,U2,U3,U4,U5,U6,U7,U8,U9,nama\n4,4,4,4,4,4,4,4,4,Café\n".encode()
    path = _write("campur.csv", data + "4,4,4,4,4,4,4,4,4,Café\n".encode("cp1252"))
    with pytest.raises(AnswersError) as raised:
        score_skm_file(path, SKM)
    assert "baris 3: berkas mencampur UTF-8 (baris 2)" in str(raised.value)


def test_a_utf16_file_is_refused_with_a_hint():
    path = _write("utf16.csv", "U1\tU2\n4\t4\n".encode("utf-16"))
    with pytest.raises(AnswersError, match="UTF-16"):
        score_skm_file(path, SKM)


# -- (e) oversized ----------------------------------------------------------------------


def test_a_cell_beyond_the_csv_field_limit_is_refused_naming_the_row():
    rows = [[*ELEMENTS, "catatan"], [*[4] * 9, "ok"], [*[4] * 9, "x" * 200_000]]
    path = _write("besar.csv", _csv_text(rows).encode())
    with pytest.raises(AnswersError) as raised:
        score_skm_file(path, SKM)
    assert "baris 3: sel lebih dari" in str(raised.value)


def test_a_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(sheets_module, "MAX_FILE_BYTES", 1000)
    path = _write("besar.csv", VALID_CSV)
    with pytest.raises(AnswersError, match="berkas terlalu besar"):
        score_skm_file(path, SKM)


def test_a_zip_bomb_is_refused_unread(monkeypatch):
    """A sheet that unpacks to far more than its packed size is refused before parsing."""
    monkeypatch.setattr(sheets_module, "_RATIO_FROM_BYTES", 1000)
    import zipfile

    path = FOLDER / "bom.xlsx"
    with (
        zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/padding.xml", b"<a/>" + b" " * 5_000_000)
    with pytest.raises(AnswersError, match="terkompresi tidak wajar"):
        score_skm_file(path, SKM)


def test_a_folder_is_refused_with_a_message():
    folder = FOLDER / "folder.csv"
    folder.mkdir(exist_ok=True)
    with pytest.raises(AnswersError, match="bukan berkas biasa"):
        score_skm_file(folder, SKM)
