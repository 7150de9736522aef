"""A government's own data as one ZIP download (see :mod:`patuh.orgs.data_export`)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from patuh.core.files import private_file_response
from patuh.orgs.data_export import can_export, export_filename, write_government_export
from patuh.orgs.models import Government


@login_required
@require_safe
def government_export(request: HttpRequest, region_code: str) -> FileResponse:
    """The ZIP, for the government's coordinators, the regional office admins of its province
    and national admins; a 404 for everyone else, as for a government that does not exist."""
    government = get_object_or_404(
        Government.objects.for_user(request.user).select_related("province"),
        region_code=region_code,
    )
    if not can_export(request.user, government):
        raise Http404("Pemerintah tidak ditemukan")
    handle = tempfile.NamedTemporaryFile(prefix="patuh-export-", suffix=".zip", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    try:
        write_government_export(government, path, actor=request.user)
        stream = path.open("rb")
    finally:
        path.unlink(missing_ok=True)  # the open handle keeps the data until it is sent
    return private_file_response(
        File(stream, name=str(path)), "application/zip", export_filename(government)
    )
