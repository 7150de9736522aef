"""The audit trail is append-only and hash-chained: ``patuh audit verify`` finds any event
edited, deleted or inserted behind Patuh's back."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from patuh.assessments.models import Assessment
from patuh.assessments.services import AnswerChange, save_answer
from patuh.core.models import AuditEvent


@pytest.fixture
def events(assessor, cycle_current, langkat_dinkes):
    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    for level in (1, 2, 3):
        save_answer(official, "IN-S1", AnswerChange(value=level), actor=assessor)
    return list(AuditEvent.objects.order_by("-id")[:3])[::-1]


def verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def test_the_chain_links_each_event_to_the_previous_one(events):
    first, second, third = events
    assert second.previous_hash == first.hash
    assert third.previous_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3
    assert "jejak audit utuh" in verify()


def test_patuh_refuses_to_change_or_delete_an_event(events):
    event = events[0]
    event.reason = "diubah"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="diubah")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def _sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_event_edited_in_the_database_is_found(events):
    target = events[1]
    _sql("UPDATE core_auditevent SET reason = %s WHERE id = %s", "disamarkan", target.pk)
    with pytest.raises(CommandError) as raised:
        verify()
    assert raised.value.returncode == 1


def test_an_event_deleted_in_the_database_is_found(events, capsys):
    _sql("DELETE FROM core_auditevent WHERE id = %s", events[1].pk)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=io.StringIO(), stderr=err)
    assert f"catatan #{events[2].pk}: rantai terputus" in err.getvalue()
