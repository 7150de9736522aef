"""The database-free ``patuh`` commands fed hostile files: ``score``, ``answers convert``,
``instruments validate`` and ``import``, ``survey score``. Whatever the file, the command ends
with exit status 0 and its output, or 2 and a ``patuh: …`` message naming the file — never a
traceback (``run`` fails the test on any exception other than ``SystemExit``)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import openpyxl
from cli_runner import run
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_JSON = (ROOT / "examples" / "langkat-2023.json").read_bytes()
EXAMPLE_XLSX = (ROOT / "examples" / "langkat-2023.xlsx").read_bytes()
EXAMPLE = json.loads(EXAMPLE_JSON)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-cli-"))

HOSTILE = st.sampled_from(
    ["=cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "na", "\ud800", "\x00", "\x1b[2J", "é" * 50, ""]
)
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(),
        st.text(max_size=8),
        HOSTILE,
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=2)
    ),
    max_leaves=5,
)


def _outcome(capsys, *argv: str | Path) -> tuple[int, str, str]:
    """Run ``patuh ARGV``: exit 0 with output, or exit 2 with one clear message."""
    code, out, err = run(capsys, *argv)
    assert code in (0, 2), (code, out, err)
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith(("patuh: ", "usage: ")), err
        assert len(err) < 200_000
    else:
        assert out
    return code, out, err


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


@st.composite
def answers_json(draw) -> bytes:
    """The example answers file with a few values replaced by anything JSON can hold."""
    data = copy.deepcopy(EXAMPLE)
    unit = draw(st.sampled_from(data["units"]))
    for _ in range(draw(st.integers(1, 3))):
        target = draw(st.sampled_from(["answer", "unit", "government", "top"]))
        if target == "answer":
            code = draw(st.sampled_from([*unit["answers"], "XX-1"]))
            unit["answers"][code] = draw(st.one_of(VALUES, st.integers(-1, 4), st.just("na")))
        elif target == "unit":
            unit[draw(st.sampled_from(["code", "name", "type", "products", "x"]))] = draw(VALUES)
        elif target == "government":
            key = draw(st.sampled_from(["code", "name", "kind", "ombudsman_products_followed_up"]))
            data["government"][key] = draw(VALUES)
        else:
            data[draw(st.sampled_from(["format", "instrument", "synthetic", "note"]))] = draw(
                VALUES
            )
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")


@FUZZ
@given(data=answers_json())
def test_score_and_convert_of_a_hostile_answers_file_exit_0_or_2_with_a_message(capsys, data):
    """And when both succeed, the converted workbook scores exactly like the JSON."""
    path = _write("jawaban.json", data)
    code, scored, _ = _outcome(capsys, "score", path, "--format", "json")
    _outcome(capsys, "score", path)
    out = FOLDER / "jawaban.xlsx"
    out.unlink(missing_ok=True)
    converted, _, _ = _outcome(capsys, "answers", "convert", path, out)
    if code == 0 and converted == 0:
        again, rescored, _ = _outcome(capsys, "score", out, "--format", "json")
        assert again == 0
        assert rescored == scored
    if converted == 0:
        _outcome(capsys, "answers", "convert", out, FOLDER / "kembali.json")


@settings(FUZZ, max_examples=30)
@given(data=st.binary(max_size=1500), suffix=st.sampled_from([".json", ".xlsx", ".yaml", ".csv"]))
@example(data=b"[" * 100_000, suffix=".json")
@example(data=b"x: !!int abc\n", suffix=".yaml")
@example(data=b"U1,U2\n\x81\n", suffix=".csv")
def test_every_command_fed_random_bytes_exits_0_or_2_with_a_message(capsys, data, suffix):
    path = _write(f"acak{suffix}", data)
    _outcome(capsys, "score", path)
    _outcome(capsys, "answers", "convert", path, FOLDER / "keluar.json")
    _outcome(capsys, "instruments", "validate", path)
    _outcome(capsys, "survey", "score", path, "--instrument", "skm-2017", "--format", "json")


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(EXAMPLE_XLSX) - 1),
    which=st.sampled_from(["xlsx", "json"]),
)
def test_a_truncated_example_exits_2_with_a_message(capsys, cut, which):
    data = EXAMPLE_XLSX if which == "xlsx" else EXAMPLE_JSON
    path = _write(f"terpotong.{which}", data[: cut % len(data)])
    code, _, err = _outcome(capsys, "score", path)
    assert code == 2
    assert str(path) in err


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(EXAMPLE_XLSX) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_example_workbook_exits_0_or_2_with_a_message(capsys, position, byte):
    data = bytearray(EXAMPLE_XLSX)
    data[position] = byte
    path = _write("rusak.xlsx", bytes(data))
    _outcome(capsys, "score", path)


@settings(FUZZ, max_examples=20)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["Instrumen", "Dimensi", "Variabel", "Indikator", "Kategori"]),
            st.integers(1, 12),
            st.integers(1, 16),
            st.one_of(st.none(), st.integers(-5, 200), st.floats(), st.text(max_size=6), HOSTILE),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_instruments_import_of_an_edited_workbook_exits_0_or_2_with_a_message(capsys, edits):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    exported = FOLDER / "skm.xlsx"
    if not exported.exists():
        _outcome(capsys, "instruments", "export", "skm-2017", exported)
    workbook = openpyxl.load_workbook(exported)
    for sheet, row, column, value in edits:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value.encode("utf-8", "ignore").decode())
        workbook[sheet].cell(row, column).value = value
    edited = FOLDER / "diubah.xlsx"
    workbook.save(edited)
    _outcome(capsys, "instruments", "validate", edited)
    target = FOLDER / "impor" / "skm-2017.yaml"
    code, _, _ = _outcome(capsys, "instruments", "import", edited, "--out", target)
    if code == 0:
        _outcome(capsys, "instruments", "validate", target)


def test_survey_score_notes_a_windows_1252_file_on_stderr_and_scores_it(capsys):
    rows = ["U1,U2,U3,U4,U5,U6,U7,U8,U9,pendidikan"]
    rows += [f"{n % 4 + 1},4,4,3,3,4,4,3,4,Pendidikan Tinggi – S1 Café" for n in range(5)]
    text = "\r\n".join(rows) + "\r\n"
    utf8 = _write("skm.csv", text.encode("utf-8"))
    cp1252 = _write("skm-1252.csv", text.encode("cp1252"))
    code, expected, err = _outcome(capsys, "survey", "score", utf8, "--format", "json")
    assert (code, err) == (0, "")
    code, out, err = _outcome(capsys, "survey", "score", cp1252, "--format", "json")
    assert (code, out) == (0, expected)
    assert err.startswith(f"patuh: {cp1252}: catatan: berkas bukan UTF-8")


def test_a_lone_surrogate_in_a_name_exits_2_instead_of_failing_to_print(capsys):
    data = copy.deepcopy(EXAMPLE)
    data["units"][0]["name"] = "Dinas \ud800"
    path = _write("surrogat.json", json.dumps(data).encode())
    code, _, err = _outcome(capsys, "score", path)
    assert code == 2
    assert "units[0].name: teks berisi karakter kendali" in err


def test_a_control_character_in_a_name_exits_2_instead_of_breaking_the_workbook(capsys):
    data = copy.deepcopy(EXAMPLE)
    data["government"]["name"] = "Kabupaten\x0bLangkat"  # a vertical tab pasted from Word
    path = _write("kendali.json", json.dumps(data).encode())
    code, _, err = _outcome(capsys, "answers", "convert", path, FOLDER / "kendali.xlsx")
    assert code == 2
    assert "government.name: teks berisi karakter kendali" in err


def test_the_workbook_written_by_convert_holds_no_formula(capsys):
    data = copy.deepcopy(EXAMPLE)
    data["government"]["name"] = "=cmd|' /C calc'!A0"
    data["units"][0]["name"] = "@SUM(1+1)"
    data["note"] = "+1+1"
    path = _write("rumus.json", json.dumps(data).encode())
    out = FOLDER / "rumus.xlsx"
    assert _outcome(capsys, "answers", "convert", path, out)[0] == 0
    cells = [
        cell
        for sheet in openpyxl.load_workbook(out).worksheets
        for row in sheet.iter_rows()
        for cell in row
    ]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert "'=cmd|' /C calc'!A0" in texts
    assert not [text for text in texts if text.lstrip()[:1] in ("=", "+", "-", "@")]
    assert _outcome(capsys, "answers", "convert", out, FOLDER / "rumus-kembali.json")[0] == 0
    back = json.loads((FOLDER / "rumus-kembali.json").read_text())
    assert back["government"]["name"] == "=cmd|' /C calc'!A0"
    assert back["note"] == "+1+1"
