"""The audit trail is append-only and hash-chained: ``patuh audit verify`` finds any event
edited, deleted or inserted behind Patuh's back."""

import io
import json
import zipfile

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


# --- against a backup's recorded head -------------------------------------------------------


def _backup_recording_the_head(path) -> dict:
    """A backup archive as far as ``--against`` reads it: its manifest with the chain head."""
    from patuh.core.audit_chain import chain_head
    from patuh.core.backup import FORMAT, FORMAT_VERSION, MANIFEST

    head = chain_head(AuditEvent.objects)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "members": {},
        "models": [],
        "migrations": [],
        "audit": head,
    }
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(MANIFEST, json.dumps(manifest))
    return head


def _rehash_from(event_id: int) -> None:
    """What someone covering their tracks would do: recompute every hash from ``event_id``."""
    from patuh.core.audit_chain import event_digest

    previous = AuditEvent.objects.filter(id__lt=event_id).order_by("-id").first()
    previous_hash = previous.hash if previous else ""
    for event in AuditEvent.objects.filter(id__gte=event_id).order_by("id"):
        event.previous_hash = previous_hash
        event.hash = event_digest(event)
        _sql(
            "UPDATE core_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
            event.previous_hash,
            event.hash,
            event.pk,
        )
        previous_hash = event.hash


def verify_against(backup, *extra: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", "--against", str(backup), *extra, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def test_the_chain_still_holding_the_backups_head_passes_after_new_events(
    events, assessor, cycle_current, langkat_dinkes, tmp_path
):
    backup = tmp_path / "cadangan.zip"
    head = _backup_recording_the_head(backup)
    official = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="official"
    )
    save_answer(official, "IN-S1", AnswerChange(value=2), actor=assessor)
    code, out, err = verify_against(backup)
    assert code == 0, err
    assert f"{head['events']} catatan sampai #{head['head_id']} tidak berubah" in out


def test_an_event_edited_before_the_backup_and_the_chain_rehashed_is_found(events, tmp_path):
    backup = tmp_path / "cadangan.zip"
    head = _backup_recording_the_head(backup)
    target = events[0]
    _sql("UPDATE core_auditevent SET reason = %s WHERE id = %s", "disamarkan", target.pk)
    _rehash_from(target.pk)
    assert "jejak audit utuh" in verify()  # the chain alone no longer shows it
    code, _, err = verify_against(backup)
    assert code == 1
    assert f"catatan #{head['head_id']}, ujung rantai saat pencadangan, kini ber-hash" in err


def test_an_event_deleted_before_the_backup_and_the_chain_rehashed_is_found(events, tmp_path):
    backup = tmp_path / "cadangan.zip"
    head = _backup_recording_the_head(backup)
    _sql("DELETE FROM core_auditevent WHERE id = %s", events[1].pk)
    _rehash_from(events[2].pk)
    code, out, _ = verify_against(backup, "--format", "json")
    assert code == 1
    summary = json.loads(out)
    assert summary["intact"] is False
    assert summary["breaks"] == []
    assert summary["against"]["head_id"] == head["head_id"]
    assert f"{head['events'] - 1} catatan sampai #{head['head_id']}, cadangan mencatat " in (
        " ".join(summary["against"]["differences"])
    )


def test_the_backups_head_deleted_is_found(events, tmp_path):
    backup = tmp_path / "cadangan.zip"
    head = _backup_recording_the_head(backup)
    _sql("DELETE FROM core_auditevent WHERE id = %s", head["head_id"])
    code, _, err = verify_against(backup)
    assert code == 1
    assert f"catatan #{head['head_id']}, ujung rantai saat pencadangan, tidak ada lagi" in err


def test_a_backup_without_a_recorded_head_is_bad_input(events, tmp_path):
    backup = tmp_path / "lama.zip"
    older = {"format": "patuh-backup", "format_version": 1, "members": {}, "models": []}
    with zipfile.ZipFile(backup, "w") as zf:
        zf.writestr("manifest.json", json.dumps({**older, "migrations": []}))
    code, _, err = verify_against(backup)
    assert code == 2
    assert "tidak mencatat ujung rantai jejak audit" in err


def test_verify_as_json_lists_the_breaks(events):
    _sql("UPDATE core_auditevent SET reason = %s WHERE id = %s", "disamarkan", events[1].pk)
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", "--format", "json", stdout=out, stderr=io.StringIO())
    assert raised.value.returncode == 1
    summary = json.loads(out.getvalue())
    assert summary["intact"] is False
    edited = "isi catatan tidak cocok dengan hash-nya (diubah)"
    assert {"event_id": events[1].pk, "reason": edited} in summary["breaks"]


def test_verify_as_json_on_an_intact_chain(events):
    out = io.StringIO()
    call_command("audit", "verify", "--format", "json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["intact"] is True
    assert summary["events"] == AuditEvent.objects.count()
    assert "against" not in summary
