"""Downloads: a government's rapor PDF, a cycle's results workbook."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse

from patuh.assessments.views import _get_cycles_for_user, _get_government_for_user
from patuh.orgs.models import Government
from patuh.reports.export import write_workbook
from patuh.reports.rapor import NoResult, render_rapor_pdf


@login_required
def rapor_pdf(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    cycle, government = _get_government_for_user(request.user, year, region_code)
    try:
        pdf = render_rapor_pdf(cycle, government)
    except NoResult as error:
        raise Http404("Penilaian resmi tidak ditemukan") from error
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="rapor-{government.region_code}-{cycle.year}.pdf"'
    )
    return response


@login_required
def export_workbook(request: HttpRequest, year: int) -> FileResponse:
    """The cycle's results of the governments the user may see, built into a temporary file
    and streamed from it."""
    cycle = _get_cycles_for_user(request.user, year)[0]
    governments = Government.objects.for_user(request.user)
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    write_workbook(cycle, path, governments)
    stream = path.open("rb")
    path.unlink()  # the open handle keeps the data until the response is sent
    return FileResponse(
        stream,
        as_attachment=True,
        filename=f"hasil-{cycle.year}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
