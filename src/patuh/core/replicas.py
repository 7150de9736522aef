"""Reading dashboards and public pages from a read-only replica, when one is configured.

A view decorated with :func:`reads_from_replica` runs its reads against the ``replica``
database alias (``DATABASE_REPLICA_URL``); everything else, and every write anywhere, uses
``default``. The choice is held in a context variable, so it follows the request through
helper functions without being passed around, and ends with the view.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from django.conf import settings

REPLICA = "replica"
_reading_from_replica: ContextVar[bool] = ContextVar("patuh_reading_from_replica", default=False)

View = TypeVar("View", bound=Callable[..., Any])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(view: View) -> View:
    """Run this read-only view's queries on the replica (if there is one)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if _reading_from_replica.get() and replica_configured():
            # Sessions, users and API tokens are read on every request; a replica lagging
            # behind a just-finished login or a just-made token must not refuse the user.
            if model._meta.app_label in ("sessions", "auth", "axes") or (
                model._meta.label_lower == "api.apitoken"
            ):
                return "default"
            return REPLICA
        return "default"

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"
