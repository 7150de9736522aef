"""``patuh --help`` names every command the README uses, and every one of them exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cli_runner import run

README = Path(__file__).resolve().parents[2] / "README.md"
NATIVE = {"score", "instruments", "answers", "xlsform", "survey"}
EXPECTED = {
    "complaints",
    "published",
    "audit",
    "backup",
    "restore",
    "export_government",
    "api-token",
    "checklist",
    "xlsform",
    "demo",
    "regions",
    "reminders",
    "notifications",
    "report",
    "jobs",
    "survey",
    "housekeeping",
    "government-data",
}


def readme_commands() -> set[str]:
    """Every ``patuh <command>`` and ``.venv/bin/patuh <command>`` in README.md
    (``patuh-demo`` and a database named ``…/patuh`` are not commands)."""
    text = README.read_text(encoding="utf-8")
    return set(re.findall(r"(?:(?<![\w/.-])|(?<=bin/))patuh ([a-z][a-z0-9_-]*)", text))


def overview(capsys) -> str:
    code, out, err = run(capsys, "--help")
    assert code == 0, err
    return out


def named(command: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(command)}(?![\w-])", text) is not None


def test_the_readme_is_read_for_its_commands():
    commands = readme_commands()
    assert {"score", "migrate", "backup", "published", "api-token"} <= commands
    assert "demo" in commands  # `patuh demo`, not the `patuh-demo` password


def test_every_command_the_readme_uses_is_in_patuh_help(capsys):
    text = overview(capsys)
    missing = sorted(c for c in readme_commands() | EXPECTED if not named(c, text))
    assert missing == []


def test_the_overview_itself_lists_each_patuh_command_with_its_usage(capsys):
    text = overview(capsys)
    missing = sorted(c for c in EXPECTED if not re.search(rf"patuh {re.escape(c)}\b", text))
    assert missing == []
    assert "Status keluar: 0 berhasil, 2 masukan salah, 1 gagal." in text


@pytest.mark.parametrize("command", sorted(readme_commands() - NATIVE))
def test_each_readme_command_exists_and_has_its_own_help(capsys, command):
    code, out, err = run(capsys, "help", command)
    assert code == 0, err
    assert f"patuh {command}" in out


@pytest.mark.parametrize("command", sorted(NATIVE - {"xlsform"}))
def test_each_command_without_a_database_has_its_own_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert out.startswith("usage: patuh")


def test_an_unknown_command_is_bad_input(capsys):
    code, _, err = run(capsys, "cadangkan")
    assert code == 2
    assert "perintah tidak dikenal: 'cadangkan'" in err
