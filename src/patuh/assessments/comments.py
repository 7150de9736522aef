"""Comment verbs: threaded, resolvable comments on an indicator, each in the history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.models import Assessment, Comment
from patuh.core.services import record_event
from patuh.scoring import load_instrument

COMMENT_ADDED = "comment.added"
COMMENT_RESOLVED = "comment.resolved"
COMMENT_REOPENED = "comment.reopened"
MAX_LENGTH = 4000


def add_comment(
    assessment: Assessment,
    indicator_code: str,
    body: str,
    *,
    actor: Any,
    parent: Comment | None = None,
) -> Comment:
    """Start a thread on an indicator, or reply to one (replies attach to the thread's root)."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Komentar kosong tidak disimpan."), code="empty")
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            _("Komentar terlalu panjang (%(length)s karakter, paling banyak %(max)s).")
            % {"length": len(body), "max": MAX_LENGTH},
            code="too_long",
        )
    if indicator_code not in load_instrument(assessment.cycle.instrument_code).indicators:
        raise ValidationError(
            _("Indikator '%(code)s' tidak ada di instrumen siklus ini.") % {"code": indicator_code}
        )
    if parent is not None:
        if parent.assessment_id != assessment.pk or parent.indicator_code != indicator_code:
            raise ValidationError(_("Komentar yang dibalas tidak ada di indikator ini."))
        while parent.parent_id is not None:
            parent = parent.parent
    with transaction.atomic():
        comment = Comment.objects.create(
            assessment=assessment,
            indicator_code=indicator_code,
            parent=parent,
            author=actor,
            body=body,
        )
        record_event(
            actor=actor,
            action=COMMENT_ADDED,
            obj=comment,
            new={"indicator": indicator_code, "body": body, "reply_to": parent and parent.pk},
            context=assessment,
        )
    return comment


def set_resolved(thread: Comment, resolved: bool, *, actor: Any) -> Comment:
    """Mark a thread resolved, or open it again."""
    while thread.parent_id is not None:
        thread = thread.parent
    if (thread.resolved_at is not None) == resolved:
        return thread
    with transaction.atomic():
        thread.resolved_at = timezone.now() if resolved else None
        thread.resolved_by = actor if resolved else None
        thread.save(update_fields=["resolved_at", "resolved_by"])
        record_event(
            actor=actor,
            action=COMMENT_RESOLVED if resolved else COMMENT_REOPENED,
            obj=thread,
            old={"resolved": not resolved},
            new={"resolved": resolved},
            context=thread.assessment,
        )
    return thread
