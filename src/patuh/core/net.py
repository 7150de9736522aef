"""Who is on the other end of a request."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's network address, trusting only as many proxies as configured.

    ``X-Forwarded-For`` is written by the client first and by each proxy after, so only the
    entries appended by our own proxies can be believed: with ``PATUH_TRUSTED_PROXIES = n`` the
    client is the n-th address from the right. A forged header from the client itself is ignored.
    """
    trusted = getattr(settings, "PATUH_TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if trusted <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) >= trusted:
        return forwarded[-trusted]
    return remote
