"""Running ``patuh`` in-process for the CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from patuh.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Run ``patuh ARGV`` in-process; any exception other than SystemExit fails the test."""
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as exc:
        code = exc.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def bad(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    """Run a command that must refuse its input: exit 2, a message, no traceback."""
    code, out, err = run(capsys, *argv)
    assert code == 2, (out, err)
    assert "Traceback" not in err
    assert err.startswith(("patuh: ", "usage: "))
    return err
