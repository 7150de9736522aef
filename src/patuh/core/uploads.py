"""A cap on uploaded bytes, enforced while the request body streams in.

:class:`CappedUploadHandler` comes first in ``FILE_UPLOAD_HANDLERS``. It counts the bytes of
every file in a request as they arrive and stops the upload once they pass
``PATUH_UPLOAD_MAX_BYTES`` (by default ``PATUH_EVIDENCE_MAX_BYTES`` plus a megabyte for the
form's other fields and the multipart framing). A request whose declared ``Content-Length``
is already over the cap has its files refused before their first byte is stored. Either way
the handlers after it (memory, temporary file) never receive more than the cap, the form's
other fields (the CSRF token among them) are still read, and ``request.FILES`` comes out
without the file; :func:`upload_refusal` then gives the view the message to show instead of
"choose a file".

The rest of a stopped body is read and discarded (``StopUpload(connection_reset=False)``) so
the browser gets the page with the message rather than a reset connection. Limit the body
size at the reverse proxy too (nginx ``client_max_body_size``) to keep huge bodies off the
application altogether. The checks on the file itself (its type from its bytes, its exact
size) stay with the code that stores it (:mod:`patuh.assessments.evidence_files`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest
from django.utils.translation import gettext as _

MARGIN_BYTES = 1024 * 1024
"""Room above the evidence limit for the form's other fields and the multipart framing."""
_MB = 1024 * 1024


def upload_max_bytes() -> int:
    """``PATUH_UPLOAD_MAX_BYTES``, else the evidence limit plus :data:`MARGIN_BYTES`."""
    configured = getattr(settings, "PATUH_UPLOAD_MAX_BYTES", None)
    if configured:
        return int(configured)
    return int(getattr(settings, "PATUH_EVIDENCE_MAX_BYTES", 20 * _MB)) + MARGIN_BYTES


class CappedUploadHandler(FileUploadHandler):
    """Passes file data on to the next handlers until the request's cap, then stops."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.max_bytes = upload_max_bytes()
        self.received = 0
        """File bytes of this request passed on to the next handlers."""
        self.declared_length: int | None = None
        self.stopped = False
        """Whether a file of this request was stopped at the cap."""

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: bytes,
        encoding: str | None = None,
    ) -> None:
        self.declared_length = content_length
        return None  # the normal parser reads the body; new_file refuses an oversized one

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        declared_too_large = (
            self.declared_length is not None and self.declared_length > self.max_bytes
        )
        if declared_too_large or (
            self.content_length is not None and self.received + self.content_length > self.max_bytes
        ):
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if self.received + len(raw_data) > self.max_bytes:
            self._stop()
        self.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the uploaded file

    def _stop(self) -> None:
        self.stopped = True
        raise StopUpload(connection_reset=False)


def _megabytes(n: int) -> str:
    """20 MB, 2,5 MB, 512 KB: the way evidence_files writes a limit."""
    text = f"{n / _MB:.2f}".rstrip("0").rstrip(".")
    if text == "0":
        return f"{max(1, round(n / 1024))} KB"
    return text.replace(".", ",") + " MB"


def upload_refusal(request: HttpRequest, max_bytes: int | None = None) -> str:
    """The message for a request whose file was stopped at the cap, else an empty string.

    ``max_bytes`` is the limit the view itself applies to one file (the evidence limit); the
    smaller of it and the cap is shown.
    """
    request.FILES  # noqa: B018 (parses the body if nothing has yet)
    for handler in request.upload_handlers:
        if isinstance(handler, CappedUploadHandler) and handler.stopped:
            limit = handler.max_bytes if max_bytes is None else min(max_bytes, handler.max_bytes)
            return _("Berkas terlalu besar (maks. %(size)s).") % {"size": _megabytes(limit)}
    return ""
