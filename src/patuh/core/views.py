import logging
import secrets

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from patuh.assessments.models import Cycle
from patuh.assessments.my_work import work_for


def home(request: HttpRequest) -> HttpResponse:
    """What Patuh is, the user's work in the latest cycle, and the cycles the user may open."""
    cycles = Cycle.objects.for_user(request.user).select_related("province")
    return render(request, "core/home.html", {"cycles": cycles, "work": work_for(request.user)})


logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def _cache_ok() -> bool:
    key, value = f"patuh:healthz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    try:
        return cache.get(key) == value
    finally:
        cache.delete(key)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring, without login: a query on the database and a
    write and read back in the cache. 200 when both answer, 503 otherwise; what failed is
    logged, never shown."""
    checks = {}
    for name, check in (("database", _database_ok), ("cache", _cache_ok)):
        try:
            healthy = check()
        except Exception:
            logger.exception("healthz: %s check failed", name)
            healthy = False
        checks[name] = "ok" if healthy else "error"
    status = "ok" if all(value == "ok" for value in checks.values()) else "error"
    return JsonResponse({"status": status, **checks}, status=200 if status == "ok" else 503)
