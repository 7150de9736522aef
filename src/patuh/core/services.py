"""Verbs shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from patuh.core.audit_chain import GENESIS, digest, lock_chain
from patuh.core.models import AuditEvent


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
    context: models.Model | None = None,
) -> AuditEvent:
    """Write one audit row for a change to ``obj``. Call it inside the change's transaction.

    ``context`` names the parent whose history lists the change (an assessment for its
    answers, evidence and comments); by default the object itself. ``obj=None`` is a change
    to the instance as a whole (``patuh housekeeping``), recorded as ``core.instance``.
    """
    context = obj if context is None else context
    object_type, object_id = (
        ("core.instance", "") if obj is None else (obj._meta.label_lower, str(obj.pk))
    )
    context_type, context_id = (
        ("core.instance", "") if context is None else (context._meta.label_lower, str(context.pk))
    )
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    fields = {
        "actor_id": actor.pk if actor is not None else None,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "old": old,
        "new": new,
        "reason": reason,
        "context_type": context_type,
        "context_id": context_id,
        "created_at": timezone.now(),
    }
    with transaction.atomic():
        lock_chain()
        previous = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        fields["previous_hash"] = previous or GENESIS
        return AuditEvent.objects.create(**fields, hash=digest(**fields))


def refresh_planner_statistics(using: str = "default") -> None:
    """After a bulk load (the national demo, a restore): PostgreSQL's ``ANALYZE``, so the
    query planner knows the rows now there instead of waiting for autovacuum. Without it a
    freshly loaded national database is read with plans made for empty tables (a 4,000-row
    index scan where 7 rows were wanted). SQLite plans well without statistics."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
