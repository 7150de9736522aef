"""Serving stored files that belong to someone: the one response every download view uses."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, Http404


def private_file_response(
    field: Any, content_type: str, filename: str, *, inline: bool = False
) -> FileResponse:
    """A stored file as a download the browser will not sniff, cache or run.

    The caller has already checked that the user may see it."""
    if not field:
        raise Http404("Berkas tidak ditemukan")
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("Berkas tidak ditemukan") from error
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
