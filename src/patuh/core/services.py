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
    context: models.Model | None = None,
) -> AuditEvent:
    """Write one audit row for a change to ``obj``. Call it inside the change's transaction.

    ``context`` names the parent whose history lists the change (an assessment for its
    answers, evidence and comments); by default the object itself.
    """
    context = obj if context is None else context
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
        context_type=context._meta.label_lower,
        context_id=str(context.pk),
    )
