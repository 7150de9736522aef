"""Writers in separate operating-system processes, as several web workers (or machines) would
be: each process has its own interpreter and database connection and retries after a
conflict. Each appends its own tokens to one answer's note, so a lost update would show as a
missing token. Runs on whichever engine the suite runs on (SQLite file or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.db import connection

from patuh.assessments.models import Answer
from patuh.assessments.services import AnswerChange, save_answer
from patuh.core.audit_chain import verify as verify_chain
from patuh.core.models import AuditEvent

WRITER = r"""
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import OperationalError
from patuh.assessments.models import Answer, Assessment
from patuh.assessments.services import AnswerChange, AnswerConflict, save_answer

assessment_id, user_id, increments = (int(part) for part in sys.argv[1:4])
user = get_user_model().objects.get(pk=user_id)
conflicts = 0
for step in range(increments):
    while True:
        current = Answer.objects.get(assessment_id=assessment_id, indicator_code="IN-S9")
        try:
            save_answer(
                Assessment.objects.get(pk=assessment_id),
                "IN-S9",
                AnswerChange(note=current.note + f"{user.username}-{step};"),
                actor=user,
                expected_version=current.version,
            )
            break
        except AnswerConflict:
            conflicts += 1
        except OperationalError as error:
            print(json.dumps({"error": str(error)}))
            sys.exit(3)
print(json.dumps({"conflicts": conflicts}))
"""


def _database_url() -> str:
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or "postgres"
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{database['NAME']}"


PROCESSES = 4
INCREMENTS = 5


def test_writers_in_separate_processes_lose_no_update_and_never_see_a_lock_error(
    assessment,
    assessors,
):
    save_answer(assessment, "IN-S9", AnswerChange(value=2, note=""), actor=assessors[0])
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "patuh.settings",
        "DATABASE_URL": _database_url(),
        "PATUH_VAR_DIR": str(settings.VAR_DIR),
    }
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(assessment.pk), str(user.pk), str(INCREMENTS)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for user in assessors[:PROCESSES]
    ]
    reports: list[dict[str, Any]] = []
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, out + err
        assert "database is locked" not in out + err
        reports.append(json.loads(out.strip().splitlines()[-1]))

    stored = Answer.objects.get(assessment=assessment, indicator_code="IN-S9")
    written = sorted(token for token in stored.note.split(";") if token)
    expected = sorted(
        f"{user.username}-{step}" for user in assessors[:PROCESSES] for step in range(INCREMENTS)
    )
    assert written == expected  # every process's every append landed, none overwritten
    assert stored.version == PROCESSES * INCREMENTS + 1
    saves = AuditEvent.objects.filter(
        object_type="assessments.answer", object_id=str(stored.pk)
    ).count()
    assert saves == PROCESSES * INCREMENTS + 1
    count, breaks = verify_chain(AuditEvent.objects.order_by("id"))
    assert breaks == []
    assert count >= saves
    assert len(reports) == PROCESSES
