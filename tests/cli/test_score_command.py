"""``patuh score`` and ``patuh answers``: the answers file contract of docs/formats.md.

Everything runs in-process through ``patuh.cli.main`` (no database, no Django), except one
test that runs the installed ``patuh`` console script.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from cli_runner import bad, run
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

ANSWERS_SCHEMA = Draft202012Validator(json.loads((DOCS / "answers.schema.json").read_text()))
RESULT_SCHEMA = Draft202012Validator(json.loads((DOCS / "score-result.schema.json").read_text()))

# A hand-scored assessment on ombudsman-2023 (scale 0–3, result 0–100, equal indicator weights;
# dimensions IN 15, PR 11, OU 5 and PG 8 indicators).
HAND_WORKED = {
    "format": "patuh.answers/1",
    "instrument": "ombudsman-2023",
    "synthetic": True,
    "note": "Contoh hitungan tangan",
    "government": {"code": "99.01", "name": "Kabupaten Contoh", "kind": "kabupaten"},
    "units": [
        {
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "type": "dinkes",
            "products": 2,
            "answers": {
                "IN-K1": [3, 3, 2, 3],
                "IN-K2": 3,
                "IN-K3": 2,
                "IN-K4": 3,
                "IN-K5": 1,
                "IN-K6": 3,
                "IN-S1": 3,
                "IN-S2": 3,
                "IN-S3": 2,
                "IN-S4": 3,
                "IN-S5": 3,
                "IN-S6": 0,
                "IN-S7": 3,
                "IN-S8": "na",
                "IN-S9": 2,
                "PR-01": [3, 2],
                "PR-02": 3,
                "PR-03": 3,
                "PR-04": 3,
                "PR-05": 2,
                "PR-06": 3,
                "PR-07": 1,
                "PR-08": 3,
                "PR-09": 3,
                "PR-10": 2,
                "PR-11": 3,
                "OU-1": [3, 3, 3, 0],
                "OU-2": [3, 3, 3, 3],
                "OU-3": [3, 0, "na", 3],
                "OU-4": 3,
                # OU-5 left out: missing
                "PG-1": 3,
                "PG-2": 2,
                "PG-3": 3,
                "PG-4": "na",
                "PG-5": 3,
                "PG-6": 2,
                "PG-7": [3, 2],
                "PG-8": 3,
            },
        },
        {
            "code": "PKM-1",
            "name": "Puskesmas Satu",
            "type": "puskesmas",
            "answers": {
                "IN-K1": 3,
                "IN-K2": 2,
                **{f"PR-{i:02d}": 3 for i in range(2, 12)},
                "PR-01": [3, 3],
                "OU-1": 2,
                "OU-2": [],
                **{f"PG-{i}": "na" for i in range(1, 9)},
            },
        },
    ],
}


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def score_json(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[dict, str]:
    code, out, err = run(capsys, "score", path, "--format", "json")
    assert code == 0, err
    assert err == ""
    return json.loads(out), out


def changed(change) -> dict:
    data = copy.deepcopy(HAND_WORKED)
    change(data)
    return data


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_json(tmp_path / "contoh.json", HAND_WORKED)


@pytest.fixture
def sample_xlsx(tmp_path: Path, sample: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "contoh.xlsx"
    code, _, err = run(capsys, "answers", "convert", sample, out)
    assert code == 0, err
    return out


# -- scoring --------------------------------------------------------------------------------


def test_it_scores_the_hand_worked_example_as_computed_by_hand(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    result, _ = score_json(capsys, sample)

    # DINKES. IN: IN-K1 = mean(3, 3, 2, 3) = 2.75, IN-S8 N/A, so 14 applicable indicators.
    dinkes_in = 100 * (2.75 + 3 + 2 + 3 + 1 + 3 + 3 + 3 + 2 + 3 + 3 + 0 + 3 + 2) / 3 / 14
    # PR: PR-01 = mean(3, 2) = 2.5, all 11 answered.
    dinkes_pr = 100 * (2.5 + 3 + 3 + 3 + 2 + 3 + 1 + 3 + 3 + 2 + 3) / 3 / 11
    # OU: OU-1 = 2.25, OU-2 = 3, OU-3 = mean(3, 0, 3) = 2 ("na" skipped), OU-4 = 3,
    # OU-5 missing = 0.
    dinkes_ou = 100 * (2.25 + 3 + 2 + 3 + 0) / 3 / 5
    # PG: PG-4 N/A (7 applicable), PG-7 = mean(3, 2) = 2.5.
    dinkes_pg = 100 * (3 + 2 + 3 + 3 + 2 + 2.5 + 3) / 3 / 7
    dinkes = (
        21.85 / 100 * dinkes_in
        + 32.37 / 100 * dinkes_pr
        + 24.24 / 100 * dinkes_ou
        + 21.54 / 100 * dinkes_pg
    )

    # PKM-1. IN: 2 answered, 13 missing (= 0).
    pkm_in = 100 * (3 + 2) / 3 / 15
    pkm_pr = 100 * (3 * 11) / 3 / 11
    # OU: OU-2 is an empty list = N/A; OU-3..OU-5 missing; 4 applicable.
    pkm_ou = 100 * (2 + 0 + 0 + 0) / 3 / 4
    # PG: every indicator N/A, so the dimension is left out and the weights renormalised.
    pkm = (21.85 * pkm_in + 32.37 * pkm_pr + 24.24 * pkm_ou) / (21.85 + 32.37 + 24.24)

    government = (dinkes + pkm) / 2

    units = {unit["code"]: unit for unit in result["units"]}
    assert units["DINKES"]["dimensions"]["IN"] == pytest.approx(dinkes_in, abs=0.01)
    assert units["DINKES"]["dimensions"]["PR"] == pytest.approx(dinkes_pr, abs=0.01)
    assert units["DINKES"]["dimensions"]["OU"] == pytest.approx(dinkes_ou, abs=0.01)
    assert units["DINKES"]["dimensions"]["PG"] == pytest.approx(dinkes_pg, abs=0.01)
    assert units["DINKES"]["score"] == pytest.approx(dinkes, abs=0.01)
    assert units["PKM-1"]["dimensions"]["IN"] == pytest.approx(pkm_in, abs=0.01)
    assert units["PKM-1"]["dimensions"]["PR"] == pytest.approx(pkm_pr, abs=0.01)
    assert units["PKM-1"]["dimensions"]["OU"] == pytest.approx(pkm_ou, abs=0.01)
    assert units["PKM-1"]["dimensions"]["PG"] is None
    assert units["PKM-1"]["score"] == pytest.approx(pkm, abs=0.01)
    assert result["government"]["score"] == pytest.approx(government, abs=0.01)

    # 81.05 is B (78.00–87.99), 49.50 is D (32.00–53.99), 65.28 is C (54.00–77.99).
    assert (units["DINKES"]["category"], units["DINKES"]["zone"]) == ("B", "hijau")
    assert (units["PKM-1"]["category"], units["PKM-1"]["zone"]) == ("D", "merah")
    assert result["government"]["category"] == "C"
    assert result["government"]["opinion"] == "Kualitas Sedang"
    assert result["government"]["zone"] == "kuning"

    assert units["DINKES"]["missing"] == ["OU-5"]
    assert units["DINKES"]["not_applicable"] == ["IN-S8", "PG-4"]
    assert units["PKM-1"]["missing"] == [f"IN-K{i}" for i in range(3, 7)] + [
        f"IN-S{i}" for i in range(1, 10)
    ] + ["OU-3", "OU-4", "OU-5"]
    assert units["PKM-1"]["not_applicable"] == ["OU-2"] + [f"PG-{i}" for i in range(1, 9)]


def test_its_json_output_follows_the_result_schema(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    result, _ = score_json(capsys, sample)

    RESULT_SCHEMA.validate(result)
    assert result["instrument"] == "ombudsman-2023"
    assert result["provisional"] is True
    assert result["synthetic"] is True
    assert [unit["code"] for unit in result["units"]] == ["DINKES", "PKM-1"]
    assert set(result["what_if"]["units"]) == {"DINKES", "PKM-1"}


def test_it_prints_every_score_with_exactly_two_decimals(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    _, text = score_json(capsys, sample)

    scores = re.findall(r'"score": (\S+?),?\n', text)
    assert len(scores) == 3  # the government and its two units
    assert all(re.fullmatch(r"\d+\.\d\d", score) for score in scores), scores
    numbers = re.findall(r'": (-?[0-9][0-9.eE+-]*),?\n', text)
    assert numbers
    assert all(re.fullmatch(r"-?\d+\.\d\d", number) for number in numbers), numbers


def test_it_gives_the_same_result_for_json_and_xlsx(
    capsys: pytest.CaptureFixture[str], sample: Path, sample_xlsx: Path
) -> None:
    _, from_json = score_json(capsys, sample)
    _, from_xlsx = score_json(capsys, sample_xlsx)

    assert from_xlsx == from_json


def test_it_reads_na_cells_and_lists_in_an_xlsx_file_written_by_convert(
    sample_xlsx: Path,
) -> None:
    workbook = openpyxl.load_workbook(sample_xlsx)
    assert workbook.sheetnames == ["Pemerintah", "DINKES", "PKM-1"]
    government = {row[0]: row[1] for row in workbook["Pemerintah"].iter_rows(values_only=True)}
    assert government["Format"] == "patuh.answers/1"
    assert government["Jenis pemerintah"] == "kabupaten"
    assert government["Data sintetis"] == "ya"
    rows = list(workbook["DINKES"].iter_rows(values_only=True))
    assert [row[:2] for row in rows[:4]] == [
        ("Kode unit", "DINKES"),
        ("Nama unit", "Dinas Kesehatan"),
        ("Jenis unit", "dinkes"),
        ("Jumlah produk", 2),
    ]
    header = next(row for row in rows if row[0] == "Kode indikator")
    assert header[:4] == ("Kode indikator", "Nama indikator", "Nilai 1", "Nilai 2")
    by_code = {row[0]: row[2:] for row in rows}
    assert by_code["IN-K1"] == (3, 3, 2, 3)
    assert by_code["IN-S8"][0] == "na"
    assert by_code["OU-5"] == (None, None, None, None)
    pkm = {row[0]: row[2:] for row in workbook["PKM-1"].iter_rows(values_only=True)}
    assert pkm["OU-2"][0] == "na"  # an empty list is N/A, not missing


def test_it_converts_xlsx_back_to_the_same_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_xlsx: Path
) -> None:
    back = tmp_path / "kembali.json"

    code, out, err = run(capsys, "answers", "convert", sample_xlsx, back)

    assert code == 0, err
    assert "ditulis" in out
    data = json.loads(back.read_text(encoding="utf-8"))
    ANSWERS_SCHEMA.validate(data)
    expected = copy.deepcopy(HAND_WORKED)
    expected["units"][1]["answers"]["OU-2"] = "na"
    assert data == expected


def test_it_writes_a_template_that_scores_as_all_missing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = tmp_path / "templat.xlsx"

    code, out, err = run(capsys, "answers", "template", "ombudsman-2023", template)
    assert code == 0, err
    assert "templat ombudsman-2023" in out

    result, _ = score_json(capsys, template)
    assert result["government"]["score"] == 0
    assert len(result["units"][0]["missing"]) == 39


def test_the_hand_worked_example_follows_the_answers_schema() -> None:
    ANSWERS_SCHEMA.validate(HAND_WORKED)


def test_the_answers_schema_rejects_what_the_reader_rejects() -> None:
    wrong = [
        changed(lambda d: d.update(format="patuh.answers/2")),
        changed(lambda d: d.update(extra=1)),
        changed(lambda d: d["government"].update(kind="desa")),
        changed(lambda d: d["government"].update(region="x")),
        changed(lambda d: d["units"][0].update(type="kelurahan")),
        changed(lambda d: d["units"][0].update(products=-1)),
        changed(lambda d: d["units"][0]["answers"].update({"IN-K1": [1, "x"]})),
        changed(lambda d: d["units"][0]["answers"].update({"IN-K1": True})),
        changed(lambda d: d.update(units=[])),
    ]
    for data in wrong:
        assert not ANSWERS_SCHEMA.is_valid(data), data


def test_the_console_script_scores_a_file_and_refuses_bad_input(
    tmp_path: Path, sample: Path
) -> None:
    script = Path(sys.executable).with_name("patuh")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "patuh.cli"]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    ok = subprocess.run(
        [*command, "score", str(sample), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["government"]["category"] == "C"

    table = subprocess.run(
        [*command, "score", str(sample)], capture_output=True, text=True, env=env, check=False
    )
    assert table.returncode == 0, table.stderr
    assert "Kabupaten Contoh" in table.stdout
    assert "DATA SINTETIS" in table.stdout

    missing = subprocess.run(
        [*command, "score", str(tmp_path / "tidak-ada.json")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert missing.returncode == 2
    assert "tidak-ada.json" in missing.stderr
    assert "Traceback" not in missing.stderr


# -- bad input ----------------------------------------------------------------------------


def test_it_rejects_a_file_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    err = bad(capsys, "score", tmp_path / "hilang.json")

    assert "hilang.json" in err
    assert "tidak ditemukan" in err


def test_it_rejects_a_directory_given_as_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "folder.json"
    folder.mkdir()

    err = bad(capsys, "score", folder)

    assert "folder.json" in err


def test_it_rejects_a_file_that_is_not_utf8_text(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"note": "Pemkab Tebingtinggi — é"}'.encode("latin-1", "replace") + b"\xff")

    err = bad(capsys, "score", path)

    assert "latin1.json" in err
    assert "UTF-8" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_it_rejects_a_file_it_may_not_read(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    sample.chmod(0)
    try:
        err = bad(capsys, "score", sample)
    finally:
        sample.chmod(0o644)

    assert "contoh.json" in err


def test_it_rejects_invalid_json_naming_line_and_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "rusak.json"
    path.write_text('{\n  "format": "patuh.answers/1",\n  "instrument": ,\n}\n', encoding="utf-8")

    err = bad(capsys, "score", path)

    assert "rusak.json" in err
    assert "baris 3, kolom 17" in err
    assert "JSON tidak valid" in err


def test_it_rejects_a_wrong_format_string(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_json(tmp_path / "a.json", changed(lambda d: d.update(format="patuh.answers/2")))

    err = bad(capsys, "score", path)

    assert "a.json" in err
    assert 'format: harus "patuh.answers/1"' in err
    assert "patuh.answers/2" in err


def test_it_rejects_a_file_that_is_not_a_json_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_json(tmp_path / "daftar.json", [1, 2, 3])

    err = bad(capsys, "score", path)

    assert "daftar.json" in err
    assert "objek JSON" in err


def test_it_reports_every_structural_problem_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def damage(data: dict) -> None:
        del data["government"]["name"]
        data["units"][0]["colour"] = "merah"
        data["units"][1]["products"] = -3

    path = write_json(tmp_path / "a.json", changed(damage))

    err = bad(capsys, "score", path)

    assert "3 masalah ditemukan" in err
    assert "government.name: wajib diisi" in err
    assert "unit DINKES.colour: kunci tidak dikenal" in err
    assert "unit PKM-1.products: harus bilangan bulat" in err


def test_it_rejects_an_unknown_instrument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_json(tmp_path / "a.json", changed(lambda d: d.update(instrument="ombudsman-1999")))

    err = bad(capsys, "score", path)

    assert "a.json" in err
    assert "instrumen 'ombudsman-1999' tidak dikenal" in err
    assert "ombudsman-2023" in err  # the known codes are listed


def answer(unit: int, code: str, value: object):
    return lambda d: d["units"][unit]["answers"].update({code: value})


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        pytest.param(
            answer(1, "IN-K9", 2),
            ["a.json: unit PKM-1, indikator IN-K9: indikator tidak dikenal"],
            id="unknown-indicator",
        ),
        pytest.param(
            answer(0, "PR-05", 4),
            ["a.json: unit DINKES, indikator PR-05: nilai 4 di luar skala 0–3"],
            id="value-off-the-scale",
        ),
        pytest.param(
            answer(0, "OU-1", [3, -1]),
            ["unit DINKES, indikator OU-1: nilai ke-2 (-1) di luar skala 0–3"],
            id="list-item-off-the-scale",
        ),
        pytest.param(
            answer(0, "IN-K1", [3, "tiga"]),
            ["unit DINKES, indikator IN-K1: nilai ke-2 ('tiga') bukan angka"],
            id="list-item-not-a-number",
        ),
        pytest.param(
            answer(0, "IN-K1", True),
            ["unit DINKES, indikator IN-K1: nilai True bukan angka"],
            id="neither-number-nor-list-nor-na",
        ),
        pytest.param(
            lambda d: d["units"][1].update(type="kelurahan"),
            ["unit PKM-1, type: jenis unit 'kelurahan' tidak dikenal", "lainnya"],
            id="unknown-unit-type",
        ),
        pytest.param(
            lambda d: d["government"].update(kind="desa"),
            ["government.kind: jenis 'desa' tidak dikenal", "kabupaten"],
            id="unknown-government-kind",
        ),
    ],
)
def test_it_rejects_bad_answers_naming_where_and_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, damage, expected: list[str]
) -> None:
    path = write_json(tmp_path / "a.json", changed(damage))

    err = bad(capsys, "score", path)

    for text in expected:
        assert text in err


def test_it_rejects_a_unit_whose_indicators_are_all_not_applicable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from patuh.scoring import load_instrument

    codes = load_instrument("ombudsman-2023").indicators
    path = write_json(
        tmp_path / "a.json",
        changed(lambda d: d["units"][1].update(answers=dict.fromkeys(codes, "na"))),
    )

    err = bad(capsys, "score", path)

    assert "a.json: unit PKM-1: semua indikator N/A" in err


def test_it_rejects_a_txt_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "jawaban.txt"
    path.write_text(json.dumps(HAND_WORKED), encoding="utf-8")

    err = bad(capsys, "score", path)

    assert "jawaban.txt" in err
    assert "'.txt' tidak didukung" in err


def test_it_rejects_an_unknown_output_format(
    capsys: pytest.CaptureFixture[str], sample: Path
) -> None:
    err = bad(capsys, "score", sample, "--format", "xml")

    assert "invalid choice: 'xml'" in err


def test_it_rejects_an_xlsx_without_the_government_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_xlsx: Path
) -> None:
    workbook = openpyxl.load_workbook(sample_xlsx)
    workbook["Pemerintah"].title = "Data"
    workbook.save(sample_xlsx)

    err = bad(capsys, "score", sample_xlsx)

    assert "contoh.xlsx" in err
    assert "lembar 'Pemerintah' tidak ada" in err
    assert "Data, DINKES, PKM-1" in err


def test_it_rejects_an_xlsx_cell_that_is_not_a_number_naming_sheet_row_and_column(
    capsys: pytest.CaptureFixture[str], sample_xlsx: Path
) -> None:
    workbook = openpyxl.load_workbook(sample_xlsx)
    sheet = workbook["DINKES"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "IN-K2")
    sheet.cell(row=row, column=4, value="tiga")
    workbook.save(sample_xlsx)

    err = bad(capsys, "score", sample_xlsx)

    assert f"lembar 'DINKES', baris {row}, kolom D (IN-K2): 'tiga' bukan angka" in err


def test_it_rejects_an_unknown_label_in_a_unit_sheet(
    capsys: pytest.CaptureFixture[str], sample_xlsx: Path
) -> None:
    workbook = openpyxl.load_workbook(sample_xlsx)
    workbook["PKM-1"]["A2"] = "Nama unitt"
    workbook.save(sample_xlsx)

    err = bad(capsys, "score", sample_xlsx)

    assert "lembar 'PKM-1', baris 2, kolom A: isian 'Nama unitt' tidak dikenal" in err


def test_it_rejects_an_xlsx_value_off_the_scale(
    capsys: pytest.CaptureFixture[str], sample_xlsx: Path
) -> None:
    workbook = openpyxl.load_workbook(sample_xlsx)
    sheet = workbook["DINKES"]
    row = next(cell.row for cell in sheet["A"] if cell.value == "PR-07")
    sheet.cell(row=row, column=3, value=7)
    workbook.save(sample_xlsx)

    err = bad(capsys, "score", sample_xlsx)

    assert "unit DINKES, indikator PR-07: nilai 7 di luar skala 0–3" in err


def test_it_rejects_an_xlsx_that_is_not_a_workbook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "palsu.xlsx"
    path.write_text("bukan excel", encoding="utf-8")

    err = bad(capsys, "score", path)

    assert "palsu.xlsx" in err
    assert "bukan berkas Excel" in err


def test_convert_refuses_answers_the_xlsx_form_could_not_hold(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_json(
        tmp_path / "a.json", changed(lambda d: d["units"][0]["answers"].update({"XX-1": 3}))
    )
    out = tmp_path / "a.xlsx"

    err = bad(capsys, "answers", "convert", path, out)

    assert "unit DINKES, indikator XX-1: indikator tidak dikenal" in err
    assert not out.exists()


def test_convert_refuses_an_output_that_is_neither_json_nor_xlsx(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample: Path
) -> None:
    err = bad(capsys, "answers", "convert", sample, tmp_path / "a.csv")

    assert ".json atau .xlsx" in err


# -- examples -------------------------------------------------------------------------------


def _examples(suffix: str) -> list[Path]:
    return sorted(EXAMPLES.glob(f"*{suffix}")) if EXAMPLES.is_dir() else []


@pytest.mark.parametrize("path", _examples(".json") + _examples(".xlsx"), ids=lambda p: p.name)
def test_every_example_scores_and_follows_the_schemas(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, path: Path
) -> None:
    result, _ = score_json(capsys, path)
    RESULT_SCHEMA.validate(result)

    as_json = tmp_path / f"{path.stem}.json"
    code, _, err = run(capsys, "answers", "convert", path, as_json)
    assert code == 0, err
    data = json.loads(as_json.read_text(encoding="utf-8"))
    ANSWERS_SCHEMA.validate(data)
    assert data.get("synthetic") is True  # the examples are synthetic and say so
    if path.suffix == ".json":
        ANSWERS_SCHEMA.validate(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "path",
    [p for p in _examples(".json") if p.with_suffix(".xlsx").exists()],
    ids=lambda p: p.stem,
)
def test_every_json_example_and_its_xlsx_twin_give_the_same_scores(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    _, from_json = score_json(capsys, path)
    _, from_xlsx = score_json(capsys, path.with_suffix(".xlsx"))

    assert from_xlsx == from_json


# -- docs/formats.md ------------------------------------------------------------------------


def test_the_answers_example_in_the_format_docs_is_valid_and_scores_as_documented(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.DOTALL).group(1))
    ANSWERS_SCHEMA.validate(example)

    result, _ = score_json(capsys, write_json(tmp_path / "dok.json", example))

    unit = result["units"][0]
    assert unit["dimensions"] == {"IN": 6.55, "PR": 7.58, "OU": 15.0, "PG": 12.5}
    assert unit["not_applicable"] == ["IN-S8"]
    assert result["government"]["score"] == 10.21
    assert result["government"]["category"] == "E"
    assert result["what_if"]["government"]["projected_score"] == 32.55


def test_template_refuses_an_unknown_unit_type(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "t.xlsx"

    err = bad(capsys, "answers", "template", "ombudsman-2023", out, "--unit-type", "kelurahan")

    assert "invalid choice: 'kelurahan'" in err
    assert not out.exists()


def test_the_followed_up_flag_survives_xlsx_and_adds_the_2025_opinion_suffix(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def to_2025(data: dict) -> None:
        data["instrument"] = "ombudsman-2025"
        data["government"]["ombudsman_products_followed_up"] = True

    source = write_json(tmp_path / "a.json", changed(to_2025))
    workbook = tmp_path / "a.xlsx"
    assert run(capsys, "answers", "convert", source, workbook)[0] == 0
    labels = {row[0]: row[1] for row in openpyxl.load_workbook(workbook)["Pemerintah"].values}
    assert labels["Semua produk Ombudsman ditindaklanjuti"] == "ya"

    from_json, text = score_json(capsys, source)
    _, text_xlsx = score_json(capsys, workbook)

    assert text_xlsx == text
    assert from_json["government"]["opinion"].endswith("Tanpa Maladministrasi")
    RESULT_SCHEMA.validate(from_json)


@pytest.mark.parametrize(
    ("followed_up", "status", "line"),
    [
        (True, "awarded", "Piagam     : diberikan [sementara]"),
        (
            False,
            "withheld",
            "Piagam     : ditahan — produk Ombudsman belum ditindaklanjuti tuntas [sementara]",
        ),
        (
            None,
            "not_determined",
            "Piagam     : belum dapat ditentukan — status tindak lanjut produk Ombudsman belum "
            "diketahui [sementara]",
        ),
    ],
)
def test_2023_follow_up_decides_the_certificate_not_the_score(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, followed_up, status, line
) -> None:
    def follow(data: dict) -> None:
        if followed_up is not None:
            data["government"]["ombudsman_products_followed_up"] = followed_up

    path = write_json(tmp_path / "a.json", changed(follow))
    result, _ = score_json(capsys, path)
    baseline, _ = score_json(capsys, write_json(tmp_path / "b.json", HAND_WORKED))

    RESULT_SCHEMA.validate(result)
    certificate = result["government"]["certificate"]
    assert certificate["status"] == status
    assert certificate["withheld_unless"] == "all_ombudsman_products_followed_up"
    assert "Papua" in certificate["note"]
    assert result["government"]["score"] == baseline["government"]["score"]
    assert result["government"]["opinion"] == baseline["government"]["opinion"]
    assert result["government"]["quality_label"] is None
    code, out, _ = run(capsys, "score", path)
    assert code == 0
    assert line in out.splitlines()


def test_2025_prints_its_quality_label_and_has_no_certificate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def to_2025(data: dict) -> None:
        data["instrument"] = "ombudsman-2025"

    path = write_json(tmp_path / "a.json", changed(to_2025))
    result, _ = score_json(capsys, path)

    RESULT_SCHEMA.validate(result)
    government = result["government"]
    band = {"A": "Sangat Baik", "B": "Baik", "C": "Cukup", "D": "Kurang", "E": "Sangat Kurang"}
    assert government["quality_label"] == band[government["category"]]
    assert government["certificate"] is None
    assert all(unit["quality_label"] == band[unit["category"]] for unit in result["units"])
    _, out, _ = run(capsys, "score", path)
    assert f"kualitas pelayanan {government['quality_label']}" in out
    assert "Piagam" not in out


def test_the_langkat_2023_example_is_category_a_with_its_certificate_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result, _ = score_json(capsys, EXAMPLES / "langkat-2023.json")
    assert result["government"]["category"] == "A"
    assert result["government"]["certificate"]["status"] in ("awarded", "not_determined")


def test_its_table_shows_a_unit_that_lost_no_points(capsys: pytest.CaptureFixture[str]) -> None:
    from patuh.scoring import load_instrument

    answers = copy.deepcopy(HAND_WORKED)
    perfect = answers["units"][0]
    instrument = load_instrument("ombudsman-2023")
    perfect["answers"] = {
        code: 3
        for code, indicator in instrument.indicators.items()
        if indicator.applies_to_unit_type(perfect["type"])
    }
    path = Path(os.environ.get("TMPDIR", "/tmp")) / "patuh-perfect-unit.json"
    path.write_text(json.dumps(answers), encoding="utf-8")

    code, out, err = run(capsys, "score", path)

    assert code == 0, err
    assert f"  {perfect['code']} {perfect['name']}: total −0.00" in out


# -- the 2025 method: government-level answers (opini-2025) --------------------------------

MALUT_2025 = EXAMPLES / "maluku-utara-2025.json"


def test_a_2025_file_gives_score_label_opinion_and_no_zone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result, text = score_json(capsys, MALUT_2025)
    government = result["government"]
    assert re.search(r'"score": [0-9]+\.[0-9]{2},', text)
    assert government["quality_label"] == "Cukup"
    assert government["opinion"] == "Kualitas Sedang Tanpa Maladministrasi"
    assert "zone" in government
    assert government["zone"] is None
    assert government["compliance"]["level"] == "tinggi"
    assert government["award"] == {
        "name": "Opini Ombudsman RI",
        "awarded": False,
        "categories": ["A"],
        "provisional": True,
    }
    output = {el["code"]: el for el in government["elements"]}["OU"]
    ipm = {ind["indicator"]: ind for ind in output["indicators"]}["OU-IPM"]
    assert (ipm["value"], ipm["year"], ipm["source"]) == (70.98, 2024, "BPS")
    flagged = {part["path"] for part in government["provisional"]}
    assert {"bands.C", "compliance", "opinion_suffix", "government_elements.KM"} <= flagged
    RESULT_SCHEMA.validate(result)


def test_a_2023_file_still_gives_its_zone(capsys: pytest.CaptureFixture[str]) -> None:
    result, _ = score_json(capsys, EXAMPLES / "langkat-2023.json")
    assert result["government"]["zone"] == "hijau"
    assert "elements" not in result["government"]


def test_the_2025_table_shows_the_government_level_layers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "score", MALUT_2025)
    assert code == 0, err
    assert "C — Kualitas Sedang Tanpa Maladministrasi  · kualitas pelayanan Cukup" in out
    assert "(zona" not in out
    assert "OU-IPM    70.98 dari 0–100 — Indeks Pembangunan Manusia (BPS) (BPS, 2024)" in out
    assert "Kepatuhan  : Kepatuhan Tinggi [sementara]" in out
    assert "Penghargaan: Opini Ombudsman RI — tidak (hanya Kualitas Tertinggi) [sementara]" in out


def _malut(change) -> dict:
    data = json.loads(MALUT_2025.read_text(encoding="utf-8"))
    change(data["government"]["answers"])
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda a: a.update({"OU-GINI": 0.4}),
            "government.answers, indikator OU-GINI: indikator tingkat pemerintah tidak dikenal",
        ),
        (
            lambda a: a.update({"KM-IKM": 101}),
            "government.answers, indikator KM-IKM: nilai 101 di luar skala 0–100",
        ),
        (
            lambda a: a["OU-IPM"].pop("year"),
            "government.answers, indikator OU-IPM: tahun data sumber (year) wajib diisi",
        ),
        (
            lambda a: a.update({"KP": True}),
            "government.answers, indikator KP: tingkat kepatuhan True tidak dikenal",
        ),
    ],
    ids=["unknown-indicator", "off-the-scale", "missing-year", "compliance-yes-no"],
)
def test_bad_government_answers_exit_2_naming_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, change, expected: str
) -> None:
    path = tmp_path / "malut.json"
    path.write_text(json.dumps(_malut(change)), encoding="utf-8")
    err = bad(capsys, "score", path, "--format", "json")
    assert expected in err
    assert str(path) in err


def test_government_answers_must_be_an_object(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(MALUT_2025.read_text(encoding="utf-8"))
    data["government"]["answers"] = [1, 2]
    path = tmp_path / "malut.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert "government.answers: harus objek" in bad(capsys, "score", path)


def test_government_answers_survive_xlsx_and_bad_ones_name_their_indicator(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    xlsx = tmp_path / "malut.xlsx"
    back = tmp_path / "back.json"
    assert run(capsys, "answers", "convert", MALUT_2025, xlsx)[0] == 0
    assert run(capsys, "answers", "convert", xlsx, back)[0] == 0
    assert json.loads(back.read_text(encoding="utf-8")) == json.loads(
        MALUT_2025.read_text(encoding="utf-8")
    )
    workbook = openpyxl.load_workbook(xlsx)
    sheet = workbook["Jawaban pemerintah"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "OU-SPM":
            row[2].value = None  # the year of a secondary-data value
    workbook.save(xlsx)
    err = bad(capsys, "score", xlsx)
    assert "indikator OU-SPM: tahun data sumber (year) wajib diisi" in err
