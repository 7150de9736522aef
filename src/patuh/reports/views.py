"""Downloads: a government's rapor PDF, a cycle's results workbook, batches of rapor
built in the background with their progress.

A rapor and a workbook show every unit of a government (unit scores, gaps, raw answers), so
they are for users who see all of its units: a unit operator, who sees only its own unit, is
refused the rapor (403) and finds its government left out of the workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from patuh.accounts.scopes import scope_for
from patuh.assessments.access import can_manage_cycle, is_verifier
from patuh.assessments.models import Cycle
from patuh.assessments.views import _get_cycles_for_user, _get_government_for_user
from patuh.core.files import (
    private_bytes_response,
    private_file_response,
    private_stream_response,
)
from patuh.orgs.models import Government, ServiceUnit
from patuh.reports.export import write_workbook
from patuh.reports.jobs import queue_export, queue_rapor_batch
from patuh.reports.models import JOB_SUFFIX, JobKind, JobStatus, ReportJob
from patuh.reports.pekppp import is_pekppp_cycle, pekppp_cycle_of, pekppp_cycles_for
from patuh.reports.rapor import NoResult, rapor_filename, render_rapor_pdf


def whole_governments(user: Any) -> QuerySet[Government]:
    """The governments the user sees together with every one of their units."""
    if scope_for(user).everything:
        return Government.objects.all()
    hidden_units = ServiceUnit.objects.exclude(pk__in=ServiceUnit.objects.for_user(user))
    return Government.objects.for_user(user).exclude(pk__in=hidden_units.values("government_id"))


def _sheet_response(request: HttpRequest, cycle: Cycle, government: Government) -> HttpResponse:
    if not whole_governments(request.user).filter(pk=government.pk).exists():
        raise PermissionDenied(
            _("Rapor memuat semua unit pemerintah ini; Anda hanya dapat melihat unit Anda.")
        )
    try:
        pdf = render_rapor_pdf(cycle, government)
    except NoResult as error:
        raise Http404("Penilaian resmi tidak ditemukan") from error
    return private_bytes_response(pdf, "application/pdf", rapor_filename(cycle, government))


@login_required
def rapor_pdf(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    cycle, government = _get_government_for_user(request.user, year, region_code)
    return _sheet_response(request, cycle, government)


@login_required
def pekppp_sheet_pdf(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    """The PEKPPP result sheet of a government in the year's PEKPPP cycle: the rapor's
    access (the government and every one of its units visible)."""
    government = get_object_or_404(
        Government.objects.for_user(request.user), region_code=region_code
    )
    cycle = pekppp_cycle_of(request.user, year, government)
    if cycle is None:
        raise Http404("Siklus PEKPPP tidak ditemukan")
    return _sheet_response(request, cycle, government)


def _workbook_response(request: HttpRequest, cycle: Cycle) -> FileResponse:
    """The cycle's results of the governments the user may see, built into a temporary file
    and streamed from it."""
    governments = whole_governments(request.user)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write_workbook(cycle, path, governments)
    stream = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    prefix = "hasil-pekppp" if is_pekppp_cycle(cycle) else "hasil"
    return private_stream_response(
        stream,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{prefix}-{cycle.year}.xlsx",
    )


@login_required
def export_workbook(request: HttpRequest, year: int) -> FileResponse:
    return _workbook_response(request, _get_cycles_for_user(request.user, year)[0])


@login_required
def pekppp_export_workbook(request: HttpRequest, year: int) -> FileResponse:
    """The results workbook of the year's PEKPPP cycle (the first the user may see)."""
    cycles = pekppp_cycles_for(request.user, year)
    if not cycles:
        raise Http404("Siklus PEKPPP tidak ditemukan")
    return _workbook_response(request, cycles[0])


def _may_run_batches(user: Any, cycle: Any) -> bool:
    return is_verifier(user) or can_manage_cycle(user, cycle)


@login_required
@require_POST
def queue_batch(request: HttpRequest, year: int) -> HttpResponse:
    cycles = _get_cycles_for_user(request.user, year)
    wanted = request.POST.get("cycle")
    cycle = next((c for c in cycles if str(c.pk) == wanted), None) if wanted else cycles[0]
    if cycle is None:
        raise Http404("Siklus tidak ditemukan")  # another year's, or one the user cannot see
    if not _may_run_batches(request.user, cycle):
        raise PermissionDenied(_("Hanya verifikator dan admin siklus yang membuat rapor massal."))
    if request.POST.get("kind") == JobKind.EXPORT:
        job = queue_export(cycle, cycle.province, actor=request.user)
    else:
        job = queue_rapor_batch(cycle, cycle.province, actor=request.user)
    return redirect(reverse("reports:job", args=[job.pk]))


def _job_for(user: Any, job_id: int) -> ReportJob:
    job = get_object_or_404(
        ReportJob.objects.select_related("cycle", "province", "service_unit__government"),
        pk=job_id,
    )
    if not Cycle.objects.for_user(user).filter(pk=job.cycle_id).exists():
        raise Http404("Tugas tidak ditemukan")
    if not (job.created_by_id == user.pk or _may_run_batches(user, job.cycle)):
        raise Http404("Tugas tidak ditemukan")
    return job


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "reports/job.html", {"job": _job_for(request.user, job_id)})


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "reports/job_progress.html", {"job": _job_for(request.user, job_id)})


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _job_for(request.user, job_id)
    if job.status != JobStatus.DONE or not job.file:
        raise Http404("Berkas belum siap")
    suffix = JOB_SUFFIX[job.kind]
    name = "rapor" if job.kind == JobKind.RAPOR_BATCH else "hasil"
    content_type = (
        "application/zip"
        if job.kind == JobKind.RAPOR_BATCH
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return private_file_response(job.file, content_type, f"{name}-{job.cycle.year}{suffix}")
