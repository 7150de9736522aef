"""``patuh instruments list | show | validate | export | import``, in-process, no database."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from cli_runner import bad, run

from patuh.scoring import load_instrument, load_instrument_file

PACKAGED = sorted(
    (Path(__file__).resolve().parents[2] / "src" / "patuh" / "scoring" / "instruments").glob(
        "*.yaml"
    )
)
CODES = [
    "ombudsman-2022",
    "ombudsman-2023",
    "ombudsman-2025",
    "opini-2025",
    "kepatuhan-2021",
    "skm-2017",
    "pekppp-2023",
    "pekppp-2024",
]

# A small valid instrument; each broken variant below changes one thing in it.
VALID = """\
format: patuh.instrument/1
code: contoh-1
version: "1"
name: Instrumen contoh
owner: Penguji
scale: {min: 0, max: 3}
result: {min: 0, max: 100, decimals: 2}
dimensions:
  - code: IN
    name: Input
    weight: 40
    variables:
      - code: kompetensi
        name: Kompetensi
        indicators:
          - code: IN-1
            name: Satu
            data_source: interview
            answered_per: respondent
            rubric: {0: nol, 1: satu, 2: dua, 3: tiga}
          - code: IN-2
            name: Dua
            data_source: document
            answered_per: none
            rubric: {0: nol, 1: satu, 2: dua, 3: tiga}
  - code: PR
    name: Proses
    weight: 60
    variables:
      - code: standar
        name: Standar
        indicators:
          - code: PR-1
            name: Tiga
            data_source: observation
            answered_per: product
            rubric: {0: nol, 1: satu, 2: dua, 3: tiga}
bands:
  - {category: A, opinion: Baik, min: 50.00, max: 100.00, zone: hijau}
  - {category: B, opinion: Buruk, min: 0.00, max: 49.99, zone: merah}
"""

BROKEN = {
    "duplicate-indicator-code": (
        ("code: PR-1", "code: IN-1"),
        "dimensions.PR.variables.standar.indicators: kode ganda 'IN-1'",
    ),
    "dimension-weights-summing-to-99": (
        ("weight: 60", "weight: 59"),
        "dimensions: jumlah bobot dimensi 99, harus 100",
    ),
    "gap-between-bands": (
        ("max: 49.99", "max: 49.98"),
        "bands.A: celah antara B (s.d. 49.98) dan A",
    ),
    "overlapping-bands": (
        ("max: 49.99", "max: 50.00"),
        "bands.A: tumpang tindih dengan B",
    ),
    "unknown-scale": (
        ("scale: {min: 0, max: 3}", "scale: {min: 3, max: 0}"),
        "scale: skala tidak dikenal: min 3 harus lebih kecil dari max 0",
    ),
    "missing-rubric-level": (
        (
            "rubric: {0: nol, 1: satu, 2: dua, 3: tiga}\n          - code: IN-2",
            "rubric: {0: nol, 1: satu, 2: dua}\n          - code: IN-2",
        ),
        "dimensions.IN.variables.kompetensi.indicators.IN-1.rubric: "
        "teks rubrik belum ada untuk tingkat 3",
    ),
    "unknown-key": (
        (
            "            answered_per: none\n",
            "            answered_per: none\n            colour: red\n",
        ),
        "dimensions.IN.variables.kompetensi.indicators.IN-2.colour: kunci tidak dikenal",
    ),
    "unknown-respondent-group": (
        (
            "            answered_per: respondent\n",
            "            answered_per: respondent\n            respondents: visitors\n",
        ),
        "dimensions.IN.variables.kompetensi.indicators.IN-1.respondents: harus salah satu dari "
        "implementers, complaint_officials, service_users",
    ),
    "respondent-group-without-respondents": (
        (
            "            answered_per: none\n",
            "            answered_per: none\n            respondents: implementers\n",
        ),
        "dimensions.IN.variables.kompetensi.indicators.IN-2.respondents: hanya untuk indikator "
        "dengan answered_per: respondent",
    ),
    "duplicate-yaml-key": (
        ("    name: Proses\n", "    name: Proses\n    name: Proses lagi\n"),
        "baris 28, kolom 5: YAML tidak valid: kunci 'name' muncul dua kali (pertama di baris 27)",
    ),
    "invalid-yaml-syntax": (
        ("name: Instrumen contoh", "name: [Instrumen contoh"),
        "baris 5, kolom 6: YAML tidak valid",
    ),
}


def without_source(instrument):
    return dataclasses.replace(instrument, source_path="")


@pytest.fixture
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    out = tmp_path / "ombudsman-2023.xlsx"
    code, stdout, err = run(capsys, "instruments", "export", "ombudsman-2023", out)
    assert code == 0, err
    assert "ombudsman-2023 versi 2023.1 diekspor" in stdout
    return out


def test_it_lists_the_seven_instruments_and_marks_provisional_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "instruments", "list")

    assert code == 0, err
    lines = out.splitlines()
    assert sorted(line.split()[0] for line in lines) == sorted(CODES)
    for line in lines:
        provisional = load_instrument(line.split()[0]).provisional
        assert line.endswith("[sementara]") == provisional, line


def test_it_shows_the_ombudsman_2023_dimensions_with_their_weights(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "instruments", "show", "ombudsman-2023")

    assert code == 0, err
    assert "IN Input — bobot 21.85" in out
    assert "PR Proses — bobot 32.37" in out
    assert "OU Output — bobot 24.24" in out
    assert "PG Pengaduan — bobot 21.54" in out
    assert "IN-K1" in out
    assert "A   88.00–100.00  Kualitas Tertinggi, zona hijau" in out


def test_it_refuses_to_show_an_unknown_instrument(capsys: pytest.CaptureFixture[str]) -> None:
    err = bad(capsys, "instruments", "show", "ombudsman-1999")

    assert "instrumen 'ombudsman-1999' tidak dikenal" in err


@pytest.mark.parametrize("path", PACKAGED, ids=lambda p: p.stem)
def test_every_packaged_instrument_file_validates(
    capsys: pytest.CaptureFixture[str], path: Path
) -> None:
    code, out, err = run(capsys, "instruments", "validate", path)

    assert code == 0, err
    assert f"sah — {path.stem} versi" in out


def test_the_packaged_files_are_the_eight_instruments() -> None:
    assert sorted(p.stem for p in PACKAGED) == sorted(CODES)


def test_the_small_instrument_the_broken_variants_start_from_is_valid(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "contoh-1.yaml"
    path.write_text(VALID, encoding="utf-8")

    code, out, err = run(capsys, "instruments", "validate", path)

    assert code == 0, err
    assert "sah — contoh-1 versi 1, 2 dimensi, 3 indikator" in out


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_it_rejects_a_broken_instrument_naming_file_path_and_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    (old, new), expected = BROKEN[case]
    assert old in VALID
    path = tmp_path / "contoh-1.yaml"
    path.write_text(VALID.replace(old, new, 1), encoding="utf-8")

    err = bad(capsys, "instruments", "validate", path)

    assert err.startswith(f"patuh: {path}: ")
    assert expected in err


def test_it_reports_every_problem_of_an_instrument_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "contoh-1.yaml"
    path.write_text(
        VALID.replace("weight: 60", "weight: 59").replace("max: 49.99", "max: 49.98"),
        encoding="utf-8",
    )

    err = bad(capsys, "instruments", "validate", path)

    assert "2 masalah ditemukan" in err
    assert "jumlah bobot dimensi 99" in err
    assert "celah antara B" in err


def test_it_requires_an_instrument_file_to_be_named_after_its_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "lain.yaml"
    path.write_text(VALID, encoding="utf-8")

    err = bad(capsys, "instruments", "validate", path)

    assert "code: kode 'contoh-1' harus sama dengan nama berkas 'lain'" in err


def test_it_rejects_an_instrument_file_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    err = bad(capsys, "instruments", "validate", tmp_path / "hilang.yaml")

    assert "hilang.yaml" in err


def test_export_then_import_gives_back_the_same_instrument(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: Path
) -> None:
    out = tmp_path / "imported" / "ombudsman-2023.yaml"

    code, stdout, err = run(capsys, "instruments", "import", exported, "--out", out)

    assert code == 0, err
    assert "diimpor dan sah (39 indikator)" in stdout
    assert without_source(load_instrument_file(out)) == without_source(
        load_instrument("ombudsman-2023")
    )


@pytest.mark.parametrize("code", CODES)
def test_every_packaged_instrument_round_trips_through_excel(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, code: str
) -> None:
    workbook = tmp_path / f"{code}.xlsx"
    out = tmp_path / "yaml" / f"{code}.yaml"

    assert run(capsys, "instruments", "export", code, workbook)[0] == 0
    status, _, err = run(capsys, "instruments", "import", workbook, "--out", out)

    assert status == 0, err
    assert without_source(load_instrument_file(out)) == without_source(load_instrument(code))
    status, _, err = run(capsys, "instruments", "validate", workbook)
    assert status == 0, err


def test_import_refuses_an_output_file_not_named_after_the_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: Path
) -> None:
    out = tmp_path / "y.yaml"

    err = bad(capsys, "instruments", "import", exported, "--out", out)

    assert "nama berkas tujuan harus ombudsman-2023.yaml" in err
    assert not out.exists()


def test_import_rejects_dimension_weights_not_summing_to_100(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: Path
) -> None:
    workbook = openpyxl.load_workbook(exported)
    sheet = workbook["Dimensi"]
    assert sheet["C1"].value == "weight"
    assert sheet["C2"].value == 21.85
    sheet["C2"] = 22.85
    workbook.save(exported)

    err = bad(capsys, "instruments", "import", exported, "--out", tmp_path / "ombudsman-2023.yaml")

    assert "lembar Dimensi, baris 2–5, kolom C (weight): jumlah bobot dimensi 101.00" in err
    assert not (tmp_path / "ombudsman-2023.yaml").exists()


def test_import_rejects_explicit_indicator_weights_not_summing_to_100(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    workbook_path = tmp_path / "pekppp-2023.xlsx"
    assert run(capsys, "instruments", "export", "pekppp-2023", workbook_path)[0] == 0
    workbook = openpyxl.load_workbook(workbook_path)
    sheet = workbook["Indikator"]
    assert sheet["H1"].value == "weight"
    assert sheet["A2"].value == "KP"
    sheet["H2"] = sheet["H2"].value + 5
    workbook.save(workbook_path)

    err = bad(
        capsys, "instruments", "import", workbook_path, "--out", tmp_path / "pekppp-2023.yaml"
    )

    assert "lembar Indikator, baris 2–10, kolom H (weight): jumlah bobot indikator 105" in err


@pytest.mark.parametrize(
    ("sheet", "cell", "text", "expected"),
    [
        (
            "Dimensi",
            "C3",
            "banyak",
            "lembar Dimensi, baris 3, kolom C (weight): harus berupa angka, bukan 'banyak'",
        ),
        (
            "Indikator",
            "I5",
            "nol",
            "lembar Indikator, baris 5, kolom I (scale_min): 'nol' bukan bilangan bulat",
        ),
        (
            "Kategori",
            "C2",
            "delapan",
            "lembar Kategori, baris 2, kolom C (min): harus berupa angka, bukan 'delapan'",
        ),
    ],
)
def test_import_rejects_text_in_a_number_cell_naming_sheet_row_and_column(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    exported: Path,
    sheet: str,
    cell: str,
    text: str,
    expected: str,
) -> None:
    workbook = openpyxl.load_workbook(exported)
    workbook[sheet][cell] = text
    workbook.save(exported)

    err = bad(capsys, "instruments", "import", exported, "--out", tmp_path / "ombudsman-2023.yaml")

    assert expected in err


def test_import_rejects_a_workbook_without_the_instrument_sheets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, exported: Path
) -> None:
    workbook = openpyxl.load_workbook(exported)
    workbook["Kategori"].title = "Band"
    workbook.save(exported)

    err = bad(capsys, "instruments", "import", exported)

    assert "lembar tidak ada: Kategori" in err


def test_import_rejects_a_file_that_is_not_a_workbook(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "palsu.xlsx"
    path.write_text("bukan excel", encoding="utf-8")

    err = bad(capsys, "instruments", "import", path)

    assert "palsu.xlsx: bukan berkas Excel" in err
