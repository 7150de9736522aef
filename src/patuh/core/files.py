"""Serving files that belong to someone: the responses every private download view uses.

Each is an attachment (inline only where a page shows it, as thumbnails are) that the
browser will not sniff into another type, cache or run: ``X-Content-Type-Options: nosniff``,
``Cache-Control: private, no-store`` and a sandboxing ``Content-Security-Policy``. The caller
has already checked that the user may see the file.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

PRIVATE_FILE_CSP = "default-src 'none'; sandbox"


def protect(response: HttpResponse) -> HttpResponse:
    """Add the headers that keep a served file inert and out of shared caches."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = PRIVATE_FILE_CSP
    return response


def private_file_response(
    field: Any, content_type: str, filename: str, *, inline: bool = False
) -> FileResponse:
    """A stored file (a ``FileField`` value) as a protected download."""
    if not field:
        raise Http404("Berkas tidak ditemukan")
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404("Berkas tidak ditemukan") from error
    return private_stream_response(handle, content_type, filename, inline=inline)


def private_stream_response(
    handle: BinaryIO, content_type: str, filename: str, *, inline: bool = False
) -> FileResponse:
    """An open binary file as a protected download (closed when the response is)."""
    response = FileResponse(
        handle, content_type=content_type, as_attachment=not inline, filename=filename
    )
    protect(response)
    return response


def private_bytes_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    """Bytes built for this request (a rapor PDF) as a protected attachment."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    protect(response)
    return response
