"""``patuh jobs list``, and ``--format json`` on ``list``, ``work`` and ``requeue``."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from patuh.reports import jobs
from patuh.reports.models import JobStatus


def jobs_json(*args: str) -> dict:
    out = io.StringIO()
    call_command("jobs", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_list_shows_a_queued_job_with_its_progress(cycle_2023, verifier, sumut):
    job = jobs.queue_rapor_batch(cycle_2023, sumut, actor=verifier)
    listed = jobs_json("list")["jobs"]
    assert listed[0]["id"] == job.pk
    assert listed[0] | {"created_at": None} == {
        "id": job.pk,
        "kind": "rapor_batch",
        "status": "queued",
        "cycle": 2023,
        "province": "12",
        "total": job.total,
        "done": 0,
        "percent": 0,
        "worker": "",
        "error": "",
        "file": None,
        "created_at": None,
        "started_at": None,
        "finished_at": None,
        "heartbeat_at": None,
        "attempts": 0,
    }
    out = io.StringIO()
    call_command("jobs", "list", stdout=out)
    assert f"#{job.pk}  Menunggu" in out.getvalue()


def test_the_list_filters_by_status(cycle_2023, verifier):
    jobs.queue_export(cycle_2023, None, actor=verifier)
    assert jobs_json("list", "--status", JobStatus.FAILED)["jobs"] == []
    assert jobs_json("list", "--status", JobStatus.QUEUED)["jobs"]


def test_work_and_requeue_say_what_they_did(cycle_2023, verifier):
    job = jobs.queue_export(cycle_2023, None, actor=verifier)
    assert jobs_json("work", "--once") == {"ran": 1}
    (done,) = [item for item in jobs_json("list")["jobs"] if item["id"] == job.pk]
    assert done["status"] == JobStatus.DONE
    assert done["file"]
    assert done["finished_at"]
    assert jobs_json("requeue") == {"requeued": 0, "failed": 0, "jobs": []}
