"""Writers racing on the same assessment, each in its own thread and database connection.

These tests commit for real (``transactional_db``), so they live apart from ``tests/django``,
whose tests share the demo data loaded once per session, and run in their own pytest call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from patuh.assessments.models import Answer, Assessment
from patuh.assessments.services import AnswerChange, AnswerConflict, save_answer
from patuh.core.audit_chain import verify as verify_chain
from patuh.core.models import AuditEvent


def race(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run every job at the same moment in its own thread; return results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as error:  # the test inspects what each writer got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _save(assessment: Assessment, user: Any, code: str, value: int, version: int):
    return lambda: save_answer(
        Assessment.objects.get(pk=assessment.pk),
        code,
        AnswerChange(value=value),
        actor=user,
        expected_version=version,
    )


@pytest.mark.parametrize("existing", [False, True], ids=["first save", "later save"])
def test_two_writers_on_one_indicator_one_wins_the_other_gets_the_conflict(
    assessment, assessors, existing
):
    ani, budi = assessors[:2]
    version = 0
    if existing:
        version = save_answer(assessment, "IN-S1", AnswerChange(value=1), actor=ani).version
    results = race(
        [
            _save(assessment, ani, "IN-S1", 3, version),
            _save(assessment, budi, "IN-S1", 0, version),
        ]
    )
    winners = [r for r in results if isinstance(r, Answer)]
    conflicts = [r for r in results if isinstance(r, AnswerConflict)]
    assert len(winners) == 1, results
    assert len(conflicts) == 1, results
    stored = Answer.objects.get(assessment=assessment, indicator_code="IN-S1")
    assert stored.value == winners[0].value
    assert stored.version == version + 1
    # the loser is told what is stored now, and what it tried to save
    assert conflicts[0].answer.value == stored.value
    assert conflicts[0].attempted.value in (3, 0)
    assert conflicts[0].attempted.value != stored.value
    assert AuditEvent.objects.filter(action="answer.recorded").count() == version + 1


def test_many_writers_on_different_indicators_all_succeed(assessment, assessors):
    codes = ["IN-S1", "IN-S2", "IN-S3", "IN-S4", "IN-S5", "IN-S6", "IN-S7", "IN-S8"]
    results = race(
        [
            _save(assessment, user, code, index % 4, 0)
            for index, (user, code) in enumerate(zip(assessors, codes, strict=True))
        ]
    )
    assert all(isinstance(result, Answer) for result in results), results
    assert Answer.objects.filter(assessment=assessment).count() == len(codes)
    assert AuditEvent.objects.filter(action="answer.recorded").count() == len(codes)
    # eight writers at once still leave one unbroken hash chain
    count, breaks = verify_chain(AuditEvent.objects.order_by("id"))
    assert count == AuditEvent.objects.count()
    assert breaks == []


def test_writers_retrying_after_a_conflict_lose_no_update(assessment, assessors):
    """Each writer adds one to a counter-like value, re-reading after a conflict: every
    increment lands, which is what "no lost update" means."""
    save_answer(assessment, "IN-S9", AnswerChange(value=0), actor=assessors[0])

    def bump(user: Any) -> int:
        attempts = 0
        while True:
            attempts += 1
            current = Answer.objects.get(assessment=assessment, indicator_code="IN-S9")
            try:
                save_answer(
                    Assessment.objects.get(pk=assessment.pk),
                    "IN-S9",
                    AnswerChange(value=current.value + 1),
                    actor=user,
                    expected_version=current.version,
                )
                return attempts
            except AnswerConflict:
                continue

    results = race([lambda user=user: bump(user) for user in assessors[:3]])
    assert all(isinstance(result, int) for result in results), results
    stored = Answer.objects.get(assessment=assessment, indicator_code="IN-S9")
    assert stored.value == 3
    assert stored.version == 4
