"""Rate limits (``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``: ``anon`` and ``user``).

DRF's own throttles take an anonymous client's identity from ``X-Forwarded-For`` as sent
unless ``NUM_PROXIES`` is set, so a client could dodge the limit by writing a new header on
every request. These use the address the rest of Patuh uses
(:func:`patuh.core.net.client_address`, trusting only ``PATUH_TRUSTED_PROXIES`` proxies).
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from patuh.core.net import client_address


class AnonymousRate(AnonRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class UserRate(UserRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)
