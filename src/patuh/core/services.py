"""Verbs shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.db import models

from patuh.core.models import AuditEvent


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Write one audit row for a change to ``obj``. Call it inside the change's transaction."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        old=old,
        new=new,
        reason=reason,
    )
