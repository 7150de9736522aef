"""Rapor batches run in the background by ``patuh jobs work``, with their progress."""

import io
import zipfile

import pytest
from django.core.management import call_command

from patuh.orgs.models import Government
from patuh.reports import jobs
from patuh.reports.models import JobStatus, ReportJob


@pytest.fixture
def two_governments(monkeypatch):
    """Keep the batch small: two governments instead of the whole province."""
    real = jobs.governments_of
    monkeypatch.setattr(
        jobs, "governments_of", lambda job: real(job).filter(region_code__in=["12.05", "12.10"])
    )


def test_a_batch_is_queued_from_the_cycle_page_and_run_by_a_worker(
    login, verifier, two_governments, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(verifier)
    assert "data-rapor-batch" in client.get("/cycles/2023/").content.decode()
    response = client.post("/cycles/2023/rapor-batch/")
    job = ReportJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.status, job.total, job.done) == (JobStatus.QUEUED, 2, 0)
    progress = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 2s"' in progress
    assert "0/2 (0%)" in progress
    call_command("jobs", "work", "--once", stdout=io.StringIO())
    job.refresh_from_db()
    assert (job.status, job.done) == (JobStatus.DONE, 2)
    progress = client.get(f"/jobs/{job.pk}/progress/").content.decode()
    assert "every 2s" not in progress  # finished: no more polling
    assert "data-job-download" in progress
    download = client.get(f"/jobs/{job.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["rapor-12.05-2023.pdf", "rapor-12.10-2023.pdf"]
    assert archive.read("rapor-12.05-2023.pdf").startswith(b"%PDF")


def test_a_job_is_claimed_by_one_worker_only(cycle_2023, verifier, two_governments):
    jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    first = jobs.claim_next()
    assert first is not None
    assert first.status == JobStatus.RUNNING
    assert jobs.claim_next() is None


def test_a_failing_job_says_why(cycle_2023, verifier, monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(
        jobs, "governments_of", lambda job: Government.objects.filter(region_code="12.05")
    )

    def broken(cycle, government):
        raise RuntimeError("pango hilang")

    monkeypatch.setattr(jobs, "render_rapor_pdf", broken)
    job = jobs.queue_rapor_batch(cycle_2023, None, actor=verifier)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "pango hilang" in job.error


def test_only_verifiers_and_cycle_admins_queue_batches(login, coordinator, outsider, cycle_2023):
    assert login(coordinator).post("/cycles/2023/rapor-batch/").status_code == 403
    job = ReportJob.objects.create(cycle=cycle_2023)
    assert login(outsider).get(f"/jobs/{job.pk}/").status_code == 404


def test_a_national_export_is_built_in_the_background(login, verifier, settings, tmp_path):
    from openpyxl import load_workbook

    settings.MEDIA_ROOT = tmp_path
    client = login(verifier)
    assert "data-export-job" in client.get("/cycles/2023/").content.decode()
    response = client.post("/cycles/2023/rapor-batch/", {"kind": "export"})
    job = ReportJob.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.kind == "export"
    jobs.work(once=True)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    download = client.get(f"/jobs/{job.pk}/download/")
    assert 'filename="hasil-2023.xlsx"' in download["Content-Disposition"]
    path = tmp_path / "hasil.xlsx"
    path.write_bytes(b"".join(download.streaming_content))
    governments = list(
        load_workbook(path, read_only=True)["Pemerintah"].iter_rows(values_only=True)
    )
    assert len(governments) == 1 + 33
