"""``notify``: write the in-app rows and e-mail them once the change is committed.

Every event goes through :func:`notify`. It drops the actor (nobody is told of their own
action), inactive users and duplicates, honours each recipient's preferences for the event
(:class:`~patuh.notifications.models.NotificationPreference`), and writes one row per
remaining recipient in the caller's transaction. The e-mails are sent by
``transaction.on_commit``: a rolled-back change sends nothing, and a failed send is logged,
left ``failed`` on its row and retried by ``patuh notifications send``; it never undoes or
breaks the change that caused it.

Each e-mail carries a signed one-click unsubscribe link for its event (no login needed) and
the ``List-Unsubscribe`` / ``List-Unsubscribe-Post`` headers (RFC 2369, RFC 8058).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from patuh.core.services import record_event
from patuh.notifications.models import (
    EmailStatus,
    Event,
    Notification,
    NotificationPreference,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "patuh.notifications.unsubscribe"
MAX_EMAIL_ATTEMPTS = 5
"""After this many failed sends an e-mail is no longer retried (the row stays ``failed``)."""
SENDING_TIMEOUT = timedelta(minutes=15)
"""A row claimed for sending longer ago than this was left by a process that died: retried."""
DEFAULT_KEEP_DAYS = 90
"""Read notifications older than this are deleted by ``patuh housekeeping``
(``PATUH_NOTIFICATION_KEEP_DAYS``)."""


def site_url() -> str:
    return getattr(settings, "PATUH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# -- preferences --------------------------------------------------------------------------


@dataclass(frozen=True)
class Channels:
    in_app: bool = True
    email: bool = True


def preferences(user: Any) -> dict[str, Channels]:
    """Every event → the user's channels for it (defaults where the user chose nothing)."""
    chosen = {
        p.event: Channels(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user=user)
    }
    return {event: chosen.get(event, Channels()) for event in Event.values}


def set_preferences(user: Any, wanted: dict[str, Channels], *, actor: Any) -> list[str]:
    """Store the user's choices (only the events that change); returns those events."""
    current = preferences(user)
    changed = [event for event, channels in wanted.items() if current.get(event) != channels]
    if not changed:
        return []
    with transaction.atomic():
        for event in changed:
            NotificationPreference.objects.update_or_create(
                user=user,
                event=event,
                defaults={"in_app": wanted[event].in_app, "email": wanted[event].email},
            )
        record_event(
            actor=actor,
            action="notifications.preferences_changed",
            obj=user,
            old={e: _channels_json(current[e]) for e in changed},
            new={e: _channels_json(wanted[e]) for e in changed},
        )
    return changed


def _channels_json(channels: Channels) -> dict[str, bool]:
    return {"in_app": channels.in_app, "email": channels.email}


# -- unsubscribe links --------------------------------------------------------------------


def unsubscribe_token(user: Any, event: str) -> str:
    """A signed token naming the user and the event: the unsubscribe link's only credential."""
    return signing.dumps({"u": user.pk, "e": str(event)}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, event)``, or None for a token that was not signed here or was altered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") not in Event.values:
        return None
    if not isinstance(data.get("u"), int):
        return None
    return data["u"], data["e"]


def unsubscribe_url(user: Any, event: str) -> str:
    token = unsubscribe_token(user, event)
    return site_url() + reverse("notifications:unsubscribe", args=[token])


def unsubscribe(user: Any, event: str) -> bool:
    """Turn off the e-mails of ``event`` for ``user``; False when they were already off.
    Unsent e-mails of that event to the user are dropped too."""
    current = preferences(user)[event]
    if not current.email:
        return False
    with transaction.atomic():
        NotificationPreference.objects.update_or_create(
            user=user, event=event, defaults={"in_app": current.in_app, "email": False}
        )
        Notification.objects.filter(
            recipient=user,
            event=event,
            email_status__in=[EmailStatus.PENDING, EmailStatus.FAILED],
        ).update(email_status=EmailStatus.NOT_WANTED)
        record_event(
            actor=user,
            action="notifications.unsubscribed",
            obj=user,
            old={event: _channels_json(current)},
            new={event: _channels_json(Channels(current.in_app, False))},
            reason=_("tautan berhenti berlangganan di e-mail"),
        )
    return True


# -- notify -------------------------------------------------------------------------------


def notify(
    event: str,
    recipients: Iterable[Any],
    *,
    title: str,
    body: str = "",
    url: str = "",
    obj: models.Model | None = None,
    actor: Any = None,
) -> list[Notification]:
    """Tell ``recipients`` about ``event``: in the inbox and by e-mail, as each one wants.

    ``url`` is a path inside Patuh (``/assessments/3/``); ``actor`` is left out of the
    recipients. Call it inside the change's transaction: the rows are part of the change,
    the e-mails go when it commits."""
    actor_id = getattr(actor, "pk", None)
    people = {}
    for user in recipients:
        if user is None or not user.is_active or user.pk == actor_id:
            continue
        people.setdefault(user.pk, user)
    if not people:
        return []
    chosen = {
        p.user_id: Channels(p.in_app, p.email)
        for p in NotificationPreference.objects.filter(user_id__in=list(people), event=event)
    }
    rows = []
    now = timezone.now()
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    for user_id, user in people.items():
        channels = chosen.get(user_id, Channels())
        if not channels.in_app and not channels.email:
            continue
        if not channels.email:
            status = EmailStatus.NOT_WANTED
        elif not user.email:
            status = EmailStatus.NO_ADDRESS
        else:
            status = EmailStatus.PENDING
        rows.append(
            Notification(
                recipient=user,
                event=event,
                title=title[:200],
                body=body,
                url=url[:500],
                object_type=object_type,
                object_id=object_id,
                created_at=now,
                in_app=channels.in_app,
                email_status=status,
            )
        )
    created = Notification.objects.bulk_create(rows)
    pending = [row.pk for row in created if row.email_status == EmailStatus.PENDING]
    if pending:
        transaction.on_commit(lambda: _send_after_commit(pending), robust=True)
    return created


def _send_after_commit(ids: list[int]) -> None:
    try:
        send_emails(ids=ids)
    except Exception:  # never let mail break the page that made the change
        logger.exception("Sending notification e-mails %s failed; left for a retry", ids)


# -- e-mail -------------------------------------------------------------------------------


@dataclass
class SendSummary:
    """What one sending run did (``patuh notifications send``)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)


def due_emails(now: Any = None) -> Any:
    """The rows whose e-mail still has to go: new, failed (under the attempt limit), or
    claimed by a process that never finished."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(email_status=EmailStatus.PENDING)
        | Q(email_status=EmailStatus.FAILED, email_attempts__lt=MAX_EMAIL_ATTEMPTS)
        | Q(email_status=EmailStatus.SENDING, email_attempted_at__lt=now - SENDING_TIMEOUT)
    )


def send_emails(ids: Iterable[int] | None = None, connection: Any = None) -> SendSummary:
    """Send the due e-mails (only those in ``ids`` when given). Each row is claimed first,
    so two runs never send the same e-mail; each outcome is written on its row."""
    summary = SendSummary()
    due = due_emails()
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    rows = list(due.select_related("recipient").order_by("created_at", "pk"))
    if not rows:
        return summary
    wanted_off = set(
        NotificationPreference.objects.filter(
            user_id__in={row.recipient_id for row in rows}, email=False
        ).values_list("user_id", "event")
    )
    for row in rows:
        if not _claim(row):
            continue
        user = row.recipient
        if (user.pk, row.event) in wanted_off or not user.is_active:
            _finish(row, EmailStatus.NOT_WANTED)
            summary.skipped += 1
            summary.results.append(_result(row, "not_wanted"))
            continue
        if not user.email:
            _finish(row, EmailStatus.NO_ADDRESS)
            summary.skipped += 1
            summary.results.append(_result(row, "no_address"))
            continue
        try:
            if connection is None:
                connection = get_connection()
            build_message(row, connection).send(fail_silently=False)
        except Exception as error:  # any backend error: SMTP, socket, API client, …
            logger.warning("Notification e-mail %s to %s failed", row.pk, user.email, exc_info=True)
            text = (str(error) or error.__class__.__name__)[:1000]
            _finish(row, EmailStatus.FAILED, error=text)
            summary.failed += 1
            summary.results.append(_result(row, "failed", text))
        else:
            _finish(row, EmailStatus.SENT)
            summary.sent += 1
            summary.results.append(_result(row, "sent"))
    return summary


def _claim(row: Notification) -> bool:
    now = timezone.now()
    claimed = (
        due_emails(now)
        .filter(pk=row.pk)
        .update(
            email_status=EmailStatus.SENDING,
            email_attempted_at=now,
            email_attempts=models.F("email_attempts") + 1,
        )
    )
    if claimed:
        row.email_attempts += 1
    return bool(claimed)


def _finish(row: Notification, status: str, *, error: str = "") -> None:
    row.email_status = status
    row.email_error = error
    fields = {"email_status": status, "email_error": error}
    if status == EmailStatus.SENT:
        row.emailed_at = fields["emailed_at"] = timezone.now()
    Notification.objects.filter(pk=row.pk).update(**fields)


def _result(row: Notification, status: str, error: str = "") -> dict[str, Any]:
    return {
        "id": row.pk,
        "status": status,
        "recipient": row.recipient.username,
        "email": row.recipient.email or None,
        "event": row.event,
        "attempts": row.email_attempts,
        "error": error or None,
    }


def build_message(row: Notification, connection: Any = None) -> EmailMultiAlternatives:
    """One notification's e-mail, plain text and HTML, in the site's language (Patuh stores
    no per-user language; the in-app text was written in that language too)."""
    user = row.recipient
    unsubscribe = unsubscribe_url(user, row.event)
    context = {
        "recipient_name": user.get_full_name() or user.username,
        "title": row.title,
        "body": row.body,
        "link": site_url() + row.url if row.url.startswith("/") else row.url,
        "event_label": Event(row.event).label,
        "unsubscribe_url": unsubscribe,
        "preferences_url": site_url() + reverse("notifications:preferences"),
        "site_url": site_url(),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[Patuh] {row.title}"
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# -- inbox --------------------------------------------------------------------------------


def unread_count(user: Any) -> int:
    return Notification.objects.for_user(user).unread().count()


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them without ``ids``)."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def delete_old_read(days: int, *, dry_run: bool = False, now: Any = None) -> int:
    """Read notifications older than ``days`` (and rows kept only for an e-mail that is
    long settled): deleted by ``patuh housekeeping``."""
    now = now or timezone.now()
    old = Notification.objects.filter(created_at__lt=now - timedelta(days=days)).filter(
        Q(read_at__isnull=False) | Q(in_app=False)
    )
    old = old.exclude(email_status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
    return old.count() if dry_run else old.delete()[0]
