"""``patuh xlsform``: writes convertible workbooks; bad input exits 2 with ``patuh: …``."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from xform_reader import to_xform

from patuh.fieldforms.cli import run


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = run([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _bad(capsys, *argv) -> str:
    code, out, err = _run(capsys, *argv)
    assert code == 2, (out, err)
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[-1].startswith("patuh: "), err
    return lines[-1]


@pytest.mark.parametrize(
    ("argv", "form_id", "question"),
    [
        (["skm"], "patuh_skm_skm_2017", "U9"),
        (["skm", "--instrument", "skm-2017"], "patuh_skm_skm_2017", "U1"),
        (
            ["perception", "--instrument", "ombudsman-2023"],
            "patuh_perception_ombudsman_2023",
            "r_OU_5",
        ),
        (
            ["checklist", "--instrument", "ombudsman-2023", "--unit-type", "dinkes"],
            "patuh_checklist_ombudsman_2023_dinkes",
            "p_PR_11",
        ),
        (
            ["checklist", "--instrument", "ombudsman-2025", "--unit-type", "dpmptsp"],
            "patuh_checklist_ombudsman_2025_dpmptsp",
            "r_KM_3",
        ),
    ],
)
def test_writes_a_workbook_that_converts(capsys, tmp_path, argv, form_id, question):
    out = tmp_path / "form.xlsx"
    code, stdout, err = _run(capsys, *argv, "--out", out)
    assert (code, err) == (0, "")
    assert str(out) in stdout
    book = load_workbook(out)
    assert book.sheetnames == ["survey", "choices", "settings"]
    form = to_xform(book, tmp_path, "again")
    assert form.instance.get("id") == form_id
    form.path(question)


def test_help_is_in_bahasa(capsys):
    code, out, _ = _run(capsys, "checklist", "--help")
    assert code == 0
    assert "jenis unit" in out
    assert "tampilkan bantuan" in out


def test_unknown_instrument(capsys, tmp_path):
    out = tmp_path / "x.xlsx"
    message = _bad(capsys, "perception", "--instrument", "ombudsman-1999", "--out", out)
    assert "--instrument" in message
    assert "'ombudsman-1999' tidak dikenal" in message
    assert "ombudsman-2023" in message  # the known ones are listed
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["skm", "--instrument", "ombudsman-2023"], "bukan instrumen SKM"),
        (["skm", "--instrument", "pekppp-2023"], "U1…U9"),
        (["perception", "--instrument", "skm-2017"], "persepsi maladministrasi"),
        (["perception", "--instrument", "kepatuhan-2021"], "OU-"),
        (["checklist", "--instrument", "skm-2017", "--unit-type", "dinkes"], "skm-2017"),
    ],
)
def test_wrong_instrument_for_the_form_kind(capsys, tmp_path, argv, expected):
    out = tmp_path / "x.xlsx"
    message = _bad(capsys, *argv, "--out", out)
    assert expected in message
    assert argv[2] in message  # names the instrument
    assert not out.exists()


def test_unknown_unit_type_lists_the_known_ones(capsys, tmp_path):
    out = tmp_path / "x.xlsx"
    message = _bad(
        capsys,
        "checklist",
        "--instrument",
        "ombudsman-2023",
        "--unit-type",
        "kecamatan",
        "--out",
        out,
    )
    assert "jenis unit 'kecamatan' tidak dikenal" in message
    for known in ("dinkes", "puskesmas", "dpmptsp", "rsud", "lainnya"):
        assert known in message
    assert not out.exists()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "argumen wajib belum diisi"),
        (["survey"], "pilihan 'survey' tidak dikenal"),
        (["skm"], "--out"),
        (["checklist", "--instrument", "ombudsman-2023", "--out", "x.xlsx"], "--unit-type"),
        (["perception", "--out", "x.xlsx"], "--instrument"),
        (["skm", "--out", "x.xlsx", "--format", "json"], "argumen tidak dikenal"),
    ],
)
def test_usage_errors(capsys, argv, expected):
    assert expected in _bad(capsys, *argv)


def test_bad_output_file(capsys, tmp_path):
    message = _bad(capsys, "skm", "--out", tmp_path / "skm.csv")
    assert ".xlsx" in message
    message = _bad(capsys, "skm", "--out", tmp_path / "missing" / "skm.xlsx")
    assert "tidak ada" in message
