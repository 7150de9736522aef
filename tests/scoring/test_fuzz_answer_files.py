"""Hostile answers files (``patuh.answers/1``, JSON and XLSX): random bytes, random structures
and cells, files cut short, wrong encodings, oversized and deeply nested input. Reading either
returns the answers or raises :class:`AnswersError` naming the file (and the place when there
is one); what was read can always be scored or refused the same way."""

from __future__ import annotations

import copy
import io
import json
import tempfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patuh.scoring import UNIT_TYPES, load_instrument, score_government
from patuh.scoring import spreadsheets as sheets_module
from patuh.scoring.answer_files import (
    FORMAT,
    AnswersFile,
    answers_from_mapping,
    answers_to_mapping,
    read_answers_file,
    write_answers_xlsx,
)
from patuh.scoring.errors import AnswersError, ScoringError

INSTRUMENT = load_instrument("skm-2017")  # nine indicators: small files, fast examples
CODES = list(INSTRUMENT.indicators)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-answers-"))

VALID = {
    "format": FORMAT,
    "instrument": "skm-2017",
    "note": "contoh",
    "government": {"code": "99.01", "name": "Kabupaten Contoh", "kind": "kabupaten"},
    "units": [
        {
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "type": "dinkes",
            "answers": {code: [4, 3, "na"] if n % 3 == 0 else 3 for n, code in enumerate(CODES)},
        }
    ],
}

HOSTILE_TEXT = st.sampled_from(
    [
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "+1+1",
        "-2+3",
        " =1+1",
        "\t=1",
        "'=x",
        "na",
        "N/A",
        "\ud800",
        "\x00",
        "\x1b[31m",
        "\ufeff",
        "é" * 300,
        "9" * 400,
        "",
        "  ",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(),
    st.text(max_size=12),
    HOSTILE_TEXT,
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
ANSWER_VALUES = st.one_of(
    st.integers(min_value=0, max_value=5),
    st.sampled_from(["na", "NA", "n/a", 1.5, 4.0, -0.0, 1e308, 10**30]),
    st.lists(st.one_of(st.integers(0, 5), st.just("na"), SCALARS), max_size=4),
    JSON_VALUES,
)
UNITS = st.fixed_dictionaries(
    {
        "code": st.one_of(st.sampled_from(["A", "B", "DINKES"]), JSON_VALUES),
        "name": st.one_of(st.text(max_size=10), JSON_VALUES),
        "type": st.one_of(st.sampled_from(list(UNIT_TYPES)), JSON_VALUES),
        "answers": st.one_of(
            st.dictionaries(st.one_of(st.sampled_from(CODES), st.text(max_size=4)), ANSWER_VALUES),
            JSON_VALUES,
        ),
    },
    optional={"products": JSON_VALUES, "note": JSON_VALUES, "extra": JSON_VALUES},
)
ANSWERS_MAPPINGS = st.fixed_dictionaries(
    {
        "format": st.one_of(st.just(FORMAT), JSON_VALUES),
        "instrument": st.one_of(
            st.sampled_from(["skm-2017", "ombudsman-2023", "nope"]), JSON_VALUES
        ),
        "government": st.one_of(
            st.fixed_dictionaries(
                {
                    "code": st.one_of(st.just("99.01"), JSON_VALUES),
                    "name": st.one_of(st.text(max_size=10), HOSTILE_TEXT),
                    "kind": st.one_of(st.just("kabupaten"), JSON_VALUES),
                },
                optional={"ombudsman_products_followed_up": JSON_VALUES},
            ),
            JSON_VALUES,
        ),
        "units": st.one_of(st.lists(UNITS, max_size=3), JSON_VALUES),
    },
    optional={"synthetic": JSON_VALUES, "note": JSON_VALUES, "unknown": JSON_VALUES},
)


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


def _read(path: Path) -> AnswersFile | None:
    """Read ``path``: the answers, or ``None`` after checking the refusal is a clear one."""
    try:
        return read_answers_file(path)
    except AnswersError as error:
        refusal = error
    assert refusal.source == str(path)
    assert refusal.problems
    assert all(problem.reason for problem in refusal.problems)
    refusal.message().encode("utf-8")  # printable: no lone surrogate in any message
    return None


def _scored_or_refused(answers: AnswersFile) -> None:
    """What was read can be scored, or is refused as a :class:`ScoringError`; its JSON form
    can always be written as UTF-8."""
    json.dumps(answers_to_mapping(answers), ensure_ascii=False, default=str).encode("utf-8")
    try:
        score_government(INSTRUMENT, answers.government)
    except ScoringError as error:
        refusal = error
    else:
        return
    assert refusal.problems


def _workbook_bytes(mapping: dict) -> bytes:
    path = FOLDER / "base.xlsx"
    write_answers_xlsx(answers_from_mapping(mapping), INSTRUMENT, path)
    return path.read_bytes()


VALID_JSON = json.dumps(VALID, ensure_ascii=False, indent=2).encode("utf-8")
VALID_XLSX = _workbook_bytes(VALID)


# -- (a) random bytes -------------------------------------------------------------------


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".json", ".xlsx", ".xlsm", ".csv"]))
@example(data=b"[" * 100_000, suffix=".json")
@example(data=b'{"a": ' + b"1" * 5000 + b"}", suffix=".json")
@example(data=b"\xef\xbb\xbf{}", suffix=".json")
@example(data=b"PK\x05\x06" + b"\x00" * 18, suffix=".xlsx")
def test_random_bytes_are_read_or_refused_with_a_message(data, suffix):
    answers = _read(_write(f"acak{suffix}", data))
    if answers is not None:
        _scored_or_refused(answers)


# -- (b) random structures and cells ----------------------------------------------------


@FUZZ
@given(mapping=ANSWERS_MAPPINGS, ascii_only=st.booleans())
def test_random_json_structures_are_read_or_refused_with_a_message(mapping, ascii_only):
    text = json.dumps(mapping, ensure_ascii=ascii_only)  # NaN and Infinity included
    answers = _read(_write("acak.json", text.encode("utf-8", "surrogatepass")))
    if answers is not None:
        _scored_or_refused(answers)


CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**18), max_value=10**18),
    st.floats(),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.text(max_size=15),
    HOSTILE_TEXT,
    st.sampled_from(["Kode indikator", "Kode unit", "Jenis unit", "Format", "Jumlah produk", "ya"]),
)


@FUZZ
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 2), st.integers(1, 16), st.integers(1, 6), CELLS), max_size=8
    ),
    extra_sheet=st.booleans(),
)
def test_an_answers_workbook_with_random_cells_is_read_or_refused_with_a_message(
    edits, extra_sheet
):
    workbook = openpyxl.load_workbook(io.BytesIO(VALID_XLSX))
    if extra_sheet:
        workbook.create_sheet("Lain")
    for sheet_index, row, column, value in edits:
        sheet = workbook.worksheets[sheet_index % len(workbook.worksheets)]
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value.encode("utf-8", "ignore").decode())
        sheet.cell(row, column).value = value  # "=…" stays a formula: a hostile file
    path = FOLDER / "sel.xlsx"
    workbook.save(path)
    answers = _read(path)
    if answers is not None:
        _scored_or_refused(answers)


# -- (c) truncated files ----------------------------------------------------------------


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_JSON) - 1))
def test_a_truncated_json_file_is_refused_naming_the_line(cut):
    path = _write("terpotong.json", VALID_JSON[:cut])
    with pytest.raises(AnswersError) as raised:
        read_answers_file(path)
    assert raised.value.source == str(path)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_a_truncated_workbook_is_refused_with_a_message(cut):
    path = _write("terpotong.xlsx", VALID_XLSX[:cut])
    with pytest.raises(AnswersError) as raised:
        read_answers_file(path)
    assert "bukan berkas Excel (.xlsx) yang sah" in str(raised.value)


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_a_workbook_with_a_damaged_byte_is_read_or_refused_with_a_message(position, byte):
    data = bytearray(VALID_XLSX)
    data[position] = byte
    answers = _read(_write("rusak.xlsx", bytes(data)))
    if answers is not None:
        _scored_or_refused(answers)


# -- (d) encodings ----------------------------------------------------------------------


def test_json_with_a_byte_order_mark_reads_as_without():
    mapping = copy.deepcopy(VALID)
    mapping["government"]["name"] = "Kabupaten Café – Timur"
    text = json.dumps(mapping, ensure_ascii=False)
    plain = read_answers_file(_write("utf8.json", text.encode("utf-8")))
    assert read_answers_file(_write("bom.json", text.encode("utf-8-sig"))) == plain
    assert plain.government.name == "Kabupaten Café – Timur"


def test_windows_1252_json_is_refused_naming_the_line():
    mapping = copy.deepcopy(VALID)
    mapping["government"]["name"] = "Kabupaten Café – Timur"
    text = json.dumps(mapping, ensure_ascii=False, indent=2)
    with pytest.raises(AnswersError) as raised:
        read_answers_file(_write("cp1252.json", text.encode("cp1252")))
    assert "baris 7: berkas bukan teks UTF-8 (byte 0xe9)" in str(raised.value)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Kab. \ud800", "government.name"),
        ("Kab. \x00", "government.name"),
        ("Kab. \x1b[31m", "government.name"),
    ],
)
def test_text_no_file_or_terminal_can_hold_is_refused_naming_the_field(text, where):
    """A lone surrogate (``"\\ud800"``) would make printing the result or writing the XLSX fail
    far from the file; a control character cannot be stored in XLSX or PostgreSQL."""
    mapping = copy.deepcopy(VALID)
    mapping["government"]["name"] = text
    path = _write("kendali.json", json.dumps(mapping).encode())
    with pytest.raises(AnswersError) as raised:
        read_answers_file(path)
    assert f"{where}: teks berisi karakter kendali" in str(raised.value)


# -- (e) oversized ----------------------------------------------------------------------


def test_deeply_nested_json_is_refused_with_a_message():
    with pytest.raises(AnswersError, match="terlalu dalam bersarang"):
        read_answers_file(_write("dalam.json", b"[" * 200_000))


def test_an_integer_of_thousands_of_digits_is_refused_with_a_message():
    with pytest.raises(AnswersError, match="angka terlalu panjang"):
        read_answers_file(_write("angka.json", b'{"format": ' + b"7" * 5000 + b"}"))


def test_a_json_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(sheets_module, "MAX_TEXT_FILE_BYTES", 100)
    import patuh.scoring.answer_files as answer_files

    monkeypatch.setattr(answer_files, "MAX_TEXT_FILE_BYTES", 100)
    with pytest.raises(AnswersError, match="berkas terlalu besar"):
        read_answers_file(_write("besar.json", VALID_JSON))


# -- round trip through XLSX with formula-like text -------------------------------------

PLAIN_TEXT = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(bool)
)


@FUZZ
@given(
    name=st.one_of(PLAIN_TEXT, HOSTILE_TEXT.filter(lambda t: t.isprintable() and t.strip())),
    unit_name=st.one_of(PLAIN_TEXT, st.sampled_from(['=HYPERLINK("http://x")', "-Dinas", "@x"])),
    note=st.one_of(PLAIN_TEXT, st.sampled_from(["+62 812", "'=A1", "-"])),
)
def test_xlsx_keeps_formula_like_text_as_text_and_reads_it_back_unchanged(name, unit_name, note):
    """Names and notes written to an answers workbook are never formulas to a spreadsheet
    (no cell is a formula, no text starts with = + - @), and read back exactly."""
    mapping = copy.deepcopy(VALID)
    mapping["government"]["name"] = name
    mapping["units"][0]["name"] = unit_name
    mapping["note"] = note
    answers = answers_from_mapping(mapping)
    path = FOLDER / "pulang-pergi.xlsx"
    write_answers_xlsx(answers, INSTRUMENT, path)
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.value.lstrip()[:1] not in ("=", "+", "-", "@"), cell.value
    assert read_answers_file(path) == answers
