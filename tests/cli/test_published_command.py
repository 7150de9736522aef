"""``patuh published check [FILE]``: the published figures against their instruments' bands,
without a database (exit 0 all agree, 1 a disagreement, 2 an unreadable file)."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import run

from patuh.scoring.published import COLUMNS, PACKAGED_PATH


def write(path: Path, *rows: dict[str, str]) -> Path:
    lines = [",".join(COLUMNS)]
    for row in rows:
        values = {"program": "ombudsman", "source_title": "Uji", "confidence": "high", **row}
        lines.append(",".join(values.get(column, "") for column in COLUMNS))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


LABUHANBATU = {
    "year": "2022",
    "entity_name": "Kabupaten Labuhanbatu",
    "entity_kind": "kabupaten",
    "kemendagri_code": "12.10",
    "score": "59.94",
    "category": "C",
}


def test_the_packaged_dataset_passes(capsys):
    code, out, err = run(capsys, "published", "check")
    assert code == 0, err
    assert f"{PACKAGED_PATH}: 194 angka" in out
    assert "0 tidak sesuai" in out


def test_the_packaged_dataset_as_json(capsys):
    code, out, err = run(capsys, "published", "check", "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["ok"] is True
    assert report["total"] == 194
    assert report["checked"] + report["not_checkable"] == 194
    assert report["disagreements"] == []


def test_a_row_whose_score_and_category_disagree_fails_naming_it(capsys, tmp_path):
    path = write(
        tmp_path / "published.csv",
        LABUHANBATU,
        {**LABUHANBATU, "entity_name": "Kabupaten Uji", "kemendagri_code": "", "category": "A"},
    )
    code, out, err = run(capsys, "published", "check", path)
    assert code == 1
    assert "2 angka; 2 diperiksa, 1 sesuai, 1 tidak sesuai" in out
    assert (
        "baris 3 (Kabupaten Uji, ombudsman 2022): dipublikasikan kategori A tetapi nilai 59.94 "
        "masuk kategori C (ombudsman-2022)"
    ) in err
    assert "Traceback" not in err


def test_the_disagreement_is_in_the_json_too(capsys, tmp_path):
    path = write(tmp_path / "published.csv", {**LABUHANBATU, "category": "A"})
    code, out, _ = run(capsys, "published", "check", path, "--format", "json")
    assert code == 1
    (row,) = json.loads(out)["disagreements"]
    assert (row["row"], row["entity_name"], row["instrument"]) == (
        2,
        "Kabupaten Labuhanbatu",
        "ombudsman-2022",
    )


def test_a_bad_file_is_refused_naming_row_and_column(capsys, tmp_path):
    path = write(tmp_path / "published.csv", {**LABUHANBATU, "score": "lima puluh"})
    code, _, err = run(capsys, "published", "check", path)
    assert code == 2
    assert "baris 2, kolom score: 'lima puluh' bukan angka" in err
    assert "Traceback" not in err


def test_a_missing_file_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "published", "check", tmp_path / "tidak-ada.csv")
    assert code == 2
    assert "tidak dapat dibaca" in err
