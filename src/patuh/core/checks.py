"""Deployment checks of Patuh's own, run by ``patuh check --deploy``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

PROCESS_MEMORY_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


SESSION_ENGINES_IN_PROCESS_MEMORY = (
    "django.contrib.sessions.backends.cache",  # only with a per-process cache, see below
    "django.contrib.sessions.backends.signed_cookies",  # not in memory, but not revocable
)


@register(Tags.caches, deploy=True)
def cache_shared_between_processes(app_configs: Any, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_MEMORY_CACHES:
        return [
            Warning(
                "The cache lives in each process's memory, so survey rate limits and API "
                "throttles are counted per process.",
                hint="Set CACHE_URL, e.g. redis://127.0.0.1:6379/1 (see docs/deploy.md).",
                id="patuh.W001",
            )
        ]
    return []


@register(deploy=True)
def evidence_storage_shared(app_configs: Any, **kwargs: Any) -> list[Warning]:
    backend = settings.STORAGES["default"]["BACKEND"]
    if backend.endswith("FileSystemStorage") and not str(settings.MEDIA_ROOT).startswith("/"):
        return [
            Warning(
                "MEDIA_ROOT is a relative path; evidence files would move with the working "
                "directory.",
                hint="Set MEDIA_ROOT (or PATUH_VAR_DIR) to an absolute path, or PATUH_S3_BUCKET.",
                id="patuh.W002",
            )
        ]
    return []
