"""``patuh score`` on a PEKPPP 2024 answers file: F-02 answers and F-03 respondents per unit.

The expected numbers are worked out by hand from PEKPPP.md §5 (written out below, exact
fractions); the command's output must equal them to 0.01.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
from cli_runner import bad, run
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
RESULT_SCHEMA = Draft202012Validator(
    json.loads((ROOT / "docs" / "score-result.schema.json").read_text())
)
ANSWERS_SCHEMA = Draft202012Validator(
    json.loads((ROOT / "docs" / "answers.schema.json").read_text())
)
EXAMPLE = ROOT / "examples" / "pekppp-2024-langkat.json"

F02 = [
    *(f"KP-{n:02d}" for n in range(1, 10)),
    *(f"SDM-{n:02d}" for n in range(1, 6)),
    *(f"SP-{n:02d}" for n in range(1, 7)),
    *(f"SI-{n:02d}" for n in range(1, 5)),
    *(f"KS-{n:02d}" for n in range(1, 5)),
    "INV-01",
    "INV-02",
]
ITEMS = [f"F3-{n:02d}" for n in range(1, 15)]


def respondent(default: int, **items: int) -> dict[str, int]:
    return dict.fromkeys(ITEMS, default) | {k.replace("_", "-"): v for k, v in items.items()}


# Dinsos: 4 everywhere except KP-01 2, SDM-05 5, SI-01 1, INV-01 0; INF-01 2.
# Disdukcapil: 5 everywhere except KP-06 1, SP-02 3, KS-04 2, INV-02 4; INF-01 not answered.
ANSWERS = {
    "format": "patuh.answers/1",
    "instrument": "pekppp-2024",
    "synthetic": True,
    "note": "Contoh hitungan tangan (data sintetis)",
    "government": {"code": "12.05", "name": "Kabupaten Contoh", "kind": "kabupaten"},
    "units": [
        {
            "code": "DINSOS",
            "name": "Dinas Sosial",
            "type": "dinsos",
            "answers": dict.fromkeys(F02, 4)
            | {"KP-01": 2, "SDM-05": 5, "SI-01": 1, "INV-01": 0, "INF-01": 2},
            "survey": [respondent(4), respondent(3, F3_08=1), respondent(5, F3_12=2, F3_13=2)],
        },
        {
            "code": "DUKCAPIL",
            "name": "Disdukcapil",
            "type": "disdukcapil",
            "answers": dict.fromkeys(F02, 5) | {"KP-06": 1, "SP-02": 3, "KS-04": 2, "INV-02": 4},
            "survey": [respondent(4), respondent(2)],
        },
    ],
}
F = Fraction
# IPP_F02 = Σ_a (W_a/100) × Σ_i (w_i/100) × score_i (PEKPPP.md §5; weights §2–§3)
IPP_DINSOS = (
    F(24, 100) * F(17 * 2 + 14 * 4 + 7 * 4 + 14 * 4 + 10 * 4 + 17 * 4 + 7 * 4 + 7 * 4 + 7 * 4, 100)
    + F(25, 100) * F(10 * 4 + 20 * 4 + 20 * 4 + 20 * 4 + 30 * 5, 100)
    + F(18, 100) * F(15 * 4 + 23 * 4 + 20 * 4 + 20 * 4 + 11 * 4 + 11 * 4, 100)
    + F(11, 100) * F(30 * 1 + 20 * 4 + 20 * 4 + 30 * 4, 100)
    + F(10, 100) * F(20 * 4 + 25 * 4 + 25 * 4 + 30 * 4, 100)
    + F(12, 100) * F(50 * 0 + 50 * 4, 100)
)  # 0.24 × 3.66 + 0.25 × 4.30 + 0.18 × 4.00 + 0.11 × 3.10 + 0.10 × 4.00 + 0.12 × 2.00 = 3.6544
IPP_DUKCAPIL = (
    F(24, 100) * F(17 * 5 + 14 * 5 + 7 * 5 + 14 * 5 + 10 * 5 + 17 * 1 + 7 * 5 + 7 * 5 + 7 * 5, 100)
    + F(25, 100) * F(10 * 5 + 20 * 5 + 20 * 5 + 20 * 5 + 30 * 5, 100)
    + F(18, 100) * F(15 * 5 + 23 * 3 + 20 * 5 + 20 * 5 + 11 * 5 + 11 * 5, 100)
    + F(11, 100) * F(30 * 5 + 20 * 5 + 20 * 5 + 30 * 5, 100)
    + F(10, 100) * F(20 * 5 + 25 * 5 + 25 * 5 + 30 * 2, 100)
    + F(12, 100) * F(50 * 5 + 50 * 4, 100)
)  # 0.24 × 4.32 + 0.25 × 5 + 0.18 × 4.54 + 0.11 × 5 + 0.10 × 4.10 + 0.12 × 4.50 = 4.6040
IPP_GOVERNMENT = (IPP_DINSOS + IPP_DUKCAPIL) / 2  # 4.1292
F03_DINSOS = (F(14 * 4, 14) + F(13 * 3 + 1, 14) + F(12 * 5 + 2 + 2, 14)) / 3  # 160/42 = 3.8095
F03_DUKCAPIL = (F(14 * 4, 14) + F(14 * 2, 14)) / 2  # 3
F03_GOVERNMENT = (F03_DINSOS + F03_DUKCAPIL) / 2  # 3.4048
HAND = {
    "DINSOS": (IPP_DINSOS, F03_DINSOS),
    "DUKCAPIL": (IPP_DUKCAPIL, F03_DUKCAPIL),
    "government": (IPP_GOVERNMENT, F03_GOVERNMENT),
}


def composite(ipp: Fraction, f03: Fraction) -> Fraction:
    return F(3, 4) * ipp + F(1, 4) * f03


def write(tmp_path: Path, data: dict, name: str = "pekppp.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def score_json(capsys: pytest.CaptureFixture[str], path: Path) -> dict:
    code, out, err = run(capsys, "score", path, "--format", "json")
    assert code == 0, err
    return json.loads(out)


def test_the_hand_computation_itself():
    assert F(36544, 10000) == IPP_DINSOS
    assert F(46040, 10000) == IPP_DUKCAPIL
    assert F(160, 42) == F03_DINSOS


def test_score_json_equals_the_hand_computation_for_units_and_government(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ANSWERS_SCHEMA.validate(ANSWERS)
    result = score_json(capsys, write(tmp_path, ANSWERS))
    RESULT_SCHEMA.validate(result)
    rows = {unit["code"]: unit for unit in result["units"]} | {"government": result["government"]}
    for who, (ipp, f03) in HAND.items():
        row = rows[who]
        assert abs(row["ipp"] - float(ipp)) <= 0.01, who
        assert row["ipp"] == row["score"]
        assert abs(row["f03"] - float(f03)) <= 0.01, who
        assert abs(row["composite"] - float(composite(ipp, f03))) <= 0.01, who
    # the categories of the IPP (F-02): 3.65 B, 4.60 A, 4.13 A-; of the composite 3.69 B,
    # 4.20 A-, 3.95 B
    assert [rows[w]["category"] for w in HAND] == ["B", "A", "A-"]
    assert [rows[w]["composite_category"] for w in HAND] == ["B", "A-", "B"]
    assert [rows[w]["respondents"] for w in HAND] == [3, 2, 5]
    for who in HAND:
        assert rows[who]["flags"] == {
            "ipp": True,
            "category": True,
            "f03": True,
            "composite": True,
        }
    assert rows["DINSOS"]["not_counted"] == {"INF-01": 2}
    assert rows["DUKCAPIL"]["not_counted"] == {"INF-01": None}
    assert "INF" not in [e["dimension"] for e in rows["DINSOS"]["explanation"]]
    assert result["provisional"] is True
    assert {"composite", "user_survey", "dimensions.INF"} <= {
        n["path"] for n in result["provisional_notes"]
    }


def test_the_table_shows_ipp_category_f03_and_composite_with_provisional_flags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "score", write(tmp_path, ANSWERS))

    assert code == 0, err
    lines = out.splitlines()
    government = next(line for line in lines if line.startswith("Pemerintah  "))
    assert government.split()[-6:] == ["4.13*", "A-*", "3.40*", "5", "3.95*", "B*"]
    dinsos = next(line for line in lines if line.startswith("DINSOS  "))
    assert dinsos.split()[-6:] == ["3.65*", "B*", "3.81*", "3", "3.69*", "B*"]
    assert "Gabungan = 0.75 × IPP F-02 + 0.25 × F-03 [sementara]" in out
    assert "DINSOS tidak dihitung (informasi tambahan): INF-01 2.00" in out
    assert "DUKCAPIL tidak dihitung (informasi tambahan): INF-01 belum diisi" in out
    assert "SEMENTARA" in out


def test_a_unit_without_survey_has_no_f03_and_the_government_none_either(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = copy.deepcopy(ANSWERS)
    del data["units"][1]["survey"]

    result = score_json(capsys, write(tmp_path, data))

    RESULT_SCHEMA.validate(result)
    assert result["units"][1]["f03"] is None
    assert result["units"][1]["composite"] is None
    assert result["government"]["f03"] is None
    assert result["government"]["composite"] is None
    assert abs(result["government"]["ipp"] - float(IPP_GOVERNMENT)) <= 0.01


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["units"][0]["survey"][1].update({"F3-05": 6}),
            "unit DINSOS, survey, responden 2, butir F3-05: jawaban 6 harus bilangan bulat 0–5",
        ),
        (
            lambda d: d["units"][1]["survey"][0].pop("F3-14"),
            "unit DUKCAPIL, survey, responden 1: butir belum dijawab: F3-14",
        ),
        (
            lambda d: d["units"][1]["survey"][0].update({"F3-99": 3}),
            "unit DUKCAPIL, survey, responden 1, butir F3-99: butir tidak dikenal di F03",
        ),
        (
            lambda d: d["units"][0]["survey"].append("lima"),
            "unit DINSOS, survey, responden 4: harus objek",
        ),
        (
            lambda d: d["units"][0].update({"survey": {"F3-01": 4}}),
            "unit DINSOS.survey: harus daftar responden",
        ),
        (
            lambda d: d["units"][0]["answers"].update({"INF-01": 7}),
            "unit DINSOS, indikator INF-01: nilai 7 di luar skala 0–5",
        ),
        (
            lambda d: d["units"][1]["answers"].update({"KP-10": 3}),
            "unit DUKCAPIL, indikator KP-10: indikator tidak dikenal",
        ),
    ],
)
def test_bad_input_exits_2_naming_unit_indicator_or_respondent(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, change, message: str
) -> None:
    data = copy.deepcopy(ANSWERS)
    change(data)

    err = bad(capsys, "score", write(tmp_path, data))

    assert message in err


def test_a_survey_in_a_file_for_an_instrument_without_one_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = copy.deepcopy(ANSWERS)
    data["instrument"] = "pekppp-2023"
    data["units"] = [
        {"code": "U", "name": "U", "type": "lainnya", "answers": {}, "survey": [respondent(3)]}
    ]

    err = bad(capsys, "score", write(tmp_path, data))

    assert "unit U, survey: instrumen pekppp-2023 tidak memakai survei pengguna" in err


def test_convert_keeps_the_survey_in_json_and_refuses_xlsx(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = write(tmp_path, ANSWERS)
    copied = tmp_path / "copy.json"
    assert run(capsys, "answers", "convert", source, copied)[0] == 0
    assert json.loads(copied.read_text(encoding="utf-8"))["units"] == ANSWERS["units"]

    xlsx = tmp_path / "copy.xlsx"
    err = bad(capsys, "answers", "convert", source, xlsx)

    assert "unit DINSOS, survey: jawaban survei pengguna (F-03) belum dapat disimpan" in err
    assert not xlsx.exists()


def test_the_langkat_example_scores_and_says_it_is_synthetic(
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert data["instrument"] == "pekppp-2024"
    assert data["synthetic"] is True
    assert "sintetis" in data["note"].lower()
    assert all(len(unit["survey"]) == 12 for unit in data["units"])

    result = score_json(capsys, EXAMPLE)

    RESULT_SCHEMA.validate(result)
    assert result["synthetic"] is True
    assert result["government"]["name"] == "Kabupaten Langkat"
    assert all(unit["f03"] is not None for unit in result["units"])
    assert result["government"]["composite"] is not None
    code, out, _ = run(capsys, "score", EXAMPLE)
    assert code == 0
    assert "[DATA SINTETIS]" in out


def test_instruments_show_lists_inf01_as_not_counted_and_the_f03_items(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "instruments", "show", "pekppp-2024")

    assert code == 0, err
    assert "INF Informasi Tambahan — bobot 0, tidak dihitung  [sementara]" in out
    assert "INF-01  Tersedia sistem antrian (tidak dihitung)" in out
    assert "KP-01   Tersedia Standar Pelayanan sesuai ketentuan (bobot 17)" in out
    assert "F3-13   Informasi pelayanan di lokasi (tatap muka) mudah diakses (14.d.T)" in out
    assert "0.75 × nilai + 0.25 × indeks survei  [sementara]" in out
