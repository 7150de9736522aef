"""Hostile instrument files: YAML (``load_instrument_file``, ``patuh instruments validate``)
and XLSX (``patuh instruments import``). Random bytes, random values in a valid structure,
files cut short, wrong encodings, YAML tags, aliases and nesting: loading either returns a
valid instrument or raises :class:`InstrumentError` naming the file (and the place)."""

from __future__ import annotations

import copy
import io
import tempfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patuh.scoring import Instrument, instrument_from_mapping, load_instrument, load_instrument_file
from patuh.scoring import loader as loader_module
from patuh.scoring.errors import InstrumentError
from patuh.scoring.instrument_excel import (
    instrument_to_mapping,
    read_instrument_xlsx,
    write_instrument_xlsx,
)

BASE = load_instrument("skm-2017")
BASE_MAPPING = instrument_to_mapping(BASE)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-instruments-"))

HOSTILE_TEXT = st.sampled_from(
    ["=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+1", "-2+3", "- tidak ada", "'", "na", "", " "]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(),
    st.dates(),
    st.text(max_size=10),
    HOSTILE_TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.one_of(st.text(max_size=5), st.integers(0, 11)), inner, max_size=3)
    ),
    max_leaves=6,
)


@st.composite
def mutated(draw, base, leaves=VALUES):
    """``base`` with one to three nodes replaced, removed, or given an unknown key."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        node = data
        while True:
            keys = list(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
            if action == "remove":
                del node[key]
            elif action == "add" and isinstance(node, dict):
                node[draw(st.text(max_size=6))] = draw(leaves)
            else:
                node[key] = draw(leaves)
            break
    return data


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


def _loaded(load, path: Path) -> Instrument | None:
    try:
        return load(path)
    except InstrumentError as error:
        refusal = error
    assert refusal.source == str(path)
    assert refusal.problems
    assert all(problem.reason for problem in refusal.problems)
    refusal.message().encode("utf-8")
    return None


# -- YAML -------------------------------------------------------------------------------

YAML_SNIPPETS = [
    b"x: !!python/object/apply:os.system ['true']\n",
    b"x: 2023-13-45\n",
    b"x: !!int abc\n",
    b"x: !!float abc\n",
    b"x: !!timestamp abc\n",
    b"x: !!binary '@@@'\n",
    b"? [1, 2]\n: x\n",
    b"? {a: 1}\n: x\n",
    b"a: &a [*a]\ndimensions: *a\n",
    b"x: " + b"7" * 5000 + b"\n",
    b"[" * 5_000,
    b"a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    + b"".join(b"c%d: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n" % n for n in range(20)),
    b'name: "\\ud800"\n',
    b'name: "\\x01"\n',
    b"\xef\xbb\xbfformat: 1\n",
    "name: Café\n".encode("cp1252"),
    b"a: 1\na: 2\n",
    b"\t- x",
]


@FUZZ
@given(data=st.binary(max_size=1500))
@example(data=b"\x00")
def test_random_bytes_are_loaded_or_refused_with_a_message(data):
    _loaded(load_instrument_file, _write("skm-2017.yaml", data))


@pytest.mark.parametrize("data", YAML_SNIPPETS)
def test_hostile_yaml_is_refused_naming_the_line(data):
    """Tags, impossible dates and numbers, list keys, self-containing aliases, deep nesting,
    lone surrogates and control characters: each refused as YAML, never a traceback."""
    path = _write("skm-2017.yaml", data)
    with pytest.raises(InstrumentError) as raised:
        load_instrument_file(path)
    assert raised.value.source == str(path)
    if data.startswith(b"? "):
        assert "kunci harus teks atau angka, bukan daftar atau pemetaan" in str(raised.value)


@FUZZ
@given(mapping=mutated(BASE_MAPPING))
def test_a_yaml_instrument_with_random_values_is_loaded_or_refused_naming_the_place(mapping):
    text = yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)
    instrument = _loaded(load_instrument_file, _write("skm-2017.yaml", text.encode("utf-8")))
    if instrument is not None:
        assert instrument.code == "skm-2017"


VALID_YAML = yaml.safe_dump(BASE_MAPPING, allow_unicode=True, sort_keys=False).encode("utf-8")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_YAML) - 1))
def test_a_truncated_yaml_instrument_is_loaded_or_refused_with_a_message(cut):
    _loaded(load_instrument_file, _write("skm-2017.yaml", VALID_YAML[:cut]))


def test_yaml_aliases_beyond_the_limit_are_refused_naming_the_line():
    """A "billion laughs" file: a few hundred bytes standing for billions of nodes."""
    lines = [b"a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        b"a%d: &a%d [" % (n, n) + b", ".join([b"*a%d" % (n - 1)] * 10) + b"]" for n in range(1, 12)
    ]
    with pytest.raises(InstrumentError) as raised:
        load_instrument_file(_write("skm-2017.yaml", b"\n".join(lines) + b"\n"))
    assert "YAML tidak valid: lebih dari 100 alias" in str(raised.value)
    assert "baris 12" in str(raised.value)


def test_a_yaml_file_over_the_size_limit_is_refused_unread(monkeypatch):
    monkeypatch.setattr(loader_module, "MAX_TEXT_FILE_BYTES", 100)
    with pytest.raises(InstrumentError, match="berkas terlalu besar"):
        load_instrument_file(_write("skm-2017.yaml", VALID_YAML))


def test_a_windows_1252_yaml_file_is_refused_naming_the_line():
    text = VALID_YAML.decode().replace("Survei Kepuasan", "Survei Café – Kepuasan", 1)
    with pytest.raises(InstrumentError, match=r"baris \d+: berkas bukan teks UTF-8 \(byte 0xe9\)"):
        load_instrument_file(_write("skm-2017.yaml", text.encode("cp1252")))


def test_yaml_with_a_byte_order_mark_loads_as_without():
    assert load_instrument_file(_write("skm-2017.yaml", b"\xef\xbb\xbf" + VALID_YAML)).indicators


# -- XLSX -------------------------------------------------------------------------------


def _xlsx(instrument: Instrument) -> bytes:
    path = FOLDER / "dasar.xlsx"
    write_instrument_xlsx(instrument, path)
    return path.read_bytes()


VALID_XLSX = _xlsx(BASE)
CELLS = st.one_of(
    SCALARS.filter(lambda v: not isinstance(v, date)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
    st.sampled_from(["rubric_²", "rubric_" + "9" * 5000, "rubric_11", "code", "weight", "1e999"]),
)


@settings(FUZZ, max_examples=35)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 4), st.integers(1, 14), st.integers(1, 20), CELLS),
        min_size=1,
        max_size=6,
    )
)
def test_an_instrument_workbook_with_random_cells_is_imported_or_refused_naming_the_cell(edits):
    workbook = openpyxl.load_workbook(io.BytesIO(VALID_XLSX))
    for sheet_index, row, column, value in edits:
        sheet = workbook.worksheets[sheet_index]
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        sheet.cell(row, column).value = value
    path = FOLDER / "sel.xlsx"
    workbook.save(path)
    _loaded(read_instrument_xlsx, path)


@FUZZ
@given(data=st.binary(max_size=1500))
@example(data=b"PK\x03\x04")
def test_random_bytes_as_an_instrument_workbook_are_refused_with_a_message(data):
    _loaded(read_instrument_xlsx, _write("acak.xlsx", data))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_a_truncated_instrument_workbook_is_refused_with_a_message(cut):
    path = _write("terpotong.xlsx", VALID_XLSX[:cut])
    with pytest.raises(InstrumentError):
        read_instrument_xlsx(path)


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_an_instrument_workbook_with_a_damaged_byte_is_imported_or_refused(position, byte):
    data = bytearray(VALID_XLSX)
    data[position] = byte
    _loaded(read_instrument_xlsx, _write("rusak.xlsx", bytes(data)))


def test_a_superscript_digit_rubric_column_is_named_not_a_traceback():
    """``"²".isdigit()`` is true but ``int("²")`` fails: such a column is an unknown one."""
    workbook = openpyxl.load_workbook(io.BytesIO(VALID_XLSX))
    sheet = workbook["Indikator"]
    sheet.cell(1, sheet.max_column + 1).value = "rubric_²"
    path = FOLDER / "pangkat.xlsx"
    workbook.save(path)
    with pytest.raises(InstrumentError, match="kolom 'rubric_²' tidak dikenal"):
        read_instrument_xlsx(path)


RUBRIC_TEXT = st.one_of(
    HOSTILE_TEXT.filter(str.strip),
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=15)
    .map(str.strip)
    .filter(bool),
)


@settings(FUZZ, max_examples=25)
@given(name=RUBRIC_TEXT, rubric=RUBRIC_TEXT, description=RUBRIC_TEXT)
def test_formula_like_text_survives_export_and_import_as_text(name, rubric, description):
    """An instrument exported to Excel holds no formula and no text starting with = + - @,
    and imports back unchanged (a rubric starting with "-" stays as it was)."""
    mapping = copy.deepcopy(BASE_MAPPING)
    first = mapping["dimensions"][0]["variables"][0]["indicators"][0]
    first["name"], first["description"] = name, description
    first["rubric"][1] = rubric
    instrument = instrument_from_mapping(mapping, "uji")
    path = FOLDER / "pulang-pergi.xlsx"
    write_instrument_xlsx(instrument, path)
    for sheet in openpyxl.load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.value.lstrip()[:1] not in ("=", "+", "-", "@"), cell.value
    back = read_instrument_xlsx(path)
    indicator = back.indicators[first["code"]]
    assert (indicator.name, indicator.description, indicator.rubric[1]) == (
        name,
        description,
        rubric,
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda m: m["bands"][0].update(max=1e26), "bands.A.max: angka terlalu besar"),
        (lambda m: m["result"].update(max=10**30), "result.max: angka terlalu besar"),
        (lambda m: m["dimensions"][0].update(weight=1e300), "weight: angka terlalu besar"),
        (lambda m: m.update(scale={"min": 0, "max": 10**9}), "scale: skala 0–1000000000 terlalu"),
    ],
)
def test_numbers_too_large_to_round_or_to_list_are_refused_naming_the_field(change, reason):
    """Found by fuzzing: a band limit of 1e26 crashed rounding the message (decimal
    InvalidOperation), and a scale of a billion levels built a billion-item tuple."""
    mapping = copy.deepcopy(BASE_MAPPING)
    change(mapping)
    with pytest.raises(InstrumentError, match=reason):
        instrument_from_mapping(mapping, "uji")
