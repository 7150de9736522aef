"""Commands that look something up refuse an unknown name as bad input (exit 2); a failure
of the work itself exits 1 (see tests/cli/test_exit_codes.py for the cases without a
database)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def returncode(*args: str) -> int:
    with pytest.raises(CommandError) as raised:
        call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())
    return raised.value.returncode


def test_an_api_token_for_an_unknown_user_is_bad_input(db):
    assert returncode("api-token", "tidak.ada") == 2


def test_a_rapor_for_an_unknown_government_is_bad_input(db, tmp_path):
    out = str(tmp_path / "rapor.pdf")
    assert (
        returncode("report", "rapor", "--government", "99.99", "--cycle", "2023", "--out", out) == 2
    )


def test_an_export_for_an_unknown_cycle_is_bad_input(db, tmp_path):
    out = str(tmp_path / "hasil.xlsx")
    assert returncode("report", "export", "--cycle", "1999", "--out", out) == 2


def test_an_export_to_an_unknown_format_is_bad_input(cycle_2023, tmp_path):
    assert returncode("report", "export", "--cycle", "2023", "--out", str(tmp_path / "a.pdf")) == 2


def test_a_government_export_of_an_unknown_code_is_bad_input(db, tmp_path):
    assert returncode("export_government", "99.99", str(tmp_path)) == 2


def test_national_options_without_the_national_scale_are_bad_input(db):
    assert returncode("demo", "--seed", "3") == 2


def test_a_broken_audit_chain_is_a_failure_not_bad_input(db):
    from django.db import connection

    from patuh.core.models import AuditEvent

    event = AuditEvent.objects.order_by("id").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    assert returncode("audit", "verify") == 1
