"""One rule for every ``patuh`` command: 0 done, 2 bad input, 1 failure. These cases refuse
their input before any database is opened."""

from __future__ import annotations

import zipfile

import pytest
from cli_runner import run


def refused(capsys, *argv) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert "Traceback" not in err
    return err


def test_an_unknown_option_of_a_django_command_is_bad_input(capsys):
    assert "--tanpa-ada" in refused(capsys, "backup", "cadangan.zip", "--tanpa-ada")


def test_a_missing_subcommand_is_bad_input(capsys):
    refused(capsys, "audit")


def test_a_bad_format_is_bad_input(capsys):
    assert "invalid choice" in refused(capsys, "audit", "verify", "--format", "xml")


def test_a_backup_into_a_folder_that_does_not_exist_is_bad_input(capsys, tmp_path):
    err = refused(capsys, "backup", tmp_path / "tidak-ada" / "cadangan.zip")
    assert "tidak ada" in err


def test_a_backup_over_an_existing_file_is_bad_input(capsys, tmp_path):
    existing = tmp_path / "cadangan.zip"
    existing.write_bytes(b"lama")
    assert "sudah ada" in refused(capsys, "backup", existing)
    assert existing.read_bytes() == b"lama"


def test_restoring_a_file_that_does_not_exist_is_bad_input(capsys, tmp_path):
    assert "tidak ada" in refused(capsys, "restore", tmp_path / "hilang.zip")


def test_restoring_what_is_not_a_zip_is_bad_input(capsys, tmp_path):
    text = tmp_path / "cadangan.zip"
    text.write_text("bukan zip")
    assert "bukan arsip ZIP" in refused(capsys, "restore", text)


@pytest.mark.parametrize("against", ["hilang.zip", "kosong.zip"])
def test_audit_verify_against_what_is_not_a_backup_is_bad_input(capsys, tmp_path, against):
    with zipfile.ZipFile(tmp_path / "kosong.zip", "w") as zf:
        zf.writestr("lain.txt", "bukan cadangan")
    refused(capsys, "audit", "verify", "--against", tmp_path / against)


def test_an_unknown_reminders_date_is_bad_input(capsys):
    assert "YYYY-MM-DD" in refused(capsys, "reminders", "send", "--today", "kemarin")


def test_a_native_command_without_its_file_is_bad_input(capsys, tmp_path):
    assert "hilang.json" in refused(capsys, "score", tmp_path / "hilang.json")
