"""API tokens: made (the key shown once), listed and revoked, each change with an audit row.

A user holds one token per integration, told apart by its name; making a token under a name
the user already has an active token for replaces that token (it is revoked at once), which
is how a key is rotated. Every token expires: ``PATUH_API_TOKEN_DAYS`` days by default, at
most ``PATUH_API_TOKEN_MAX_DAYS``.

The audit rows (``api_token.created``, ``api_token.revoked``, on the user) record the
token's name, prefix and expiry, never its key.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.api.models import ApiToken
from patuh.core.services import record_event

TOKEN_CREATED = "api_token.created"
TOKEN_REVOKED = "api_token.revoked"

KEY_PREFIX = "patuh_"
"""Every key starts with this, so a leaked one is easy to spot (and to scan for)."""
PREFIX_LENGTH = len(KEY_PREFIX) + 8
"""Characters of the key kept in clear: ``patuh_`` and 48 of its 256 random bits."""
LEGACY_PREFIX_LENGTH = 8
"""Keys moved from the old plain tokens (40 hex digits) keep their first 8 in clear."""
LAST_USED_EVERY = timedelta(minutes=1)
"""``last_used_at`` is written at most this often per token, not on every request."""
NAME_MAX_LENGTH = 100
DEFAULT_NAME = "Token API"
"""The name of a token made without one (``patuh api-token USER``): making another replaces
it, as the command always did."""


class TokenError(ValueError):
    """A token cannot be made as asked; the message says why (shown to the user)."""


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its key: the only moment the key exists outside the client."""

    token: ApiToken
    key: str


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key: str) -> str:
    """The part of ``key`` stored and shown in clear."""
    if key.startswith(KEY_PREFIX):
        return key[:PREFIX_LENGTH]
    return key[:LEGACY_PREFIX_LENGTH]


def default_days() -> int:
    return min(settings.PATUH_API_TOKEN_DAYS, settings.PATUH_API_TOKEN_MAX_DAYS)


def max_days() -> int:
    return settings.PATUH_API_TOKEN_MAX_DAYS


def check_days(days: int | None) -> int:
    """``days`` (or the default) if it is a lifetime a token may have, else TokenError."""
    if days is None:
        return default_days()
    if days < 1 or days > max_days():
        raise TokenError(
            _("Masa berlaku %(days)s hari tidak sah: harus 1 sampai %(max)s hari.")
            % {"days": days, "max": max_days()}
        )
    return days


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(_("Beri nama token: untuk apa token ini dipakai."))
    if len(name) > NAME_MAX_LENGTH:
        raise TokenError(
            _("Nama token paling panjang %(max)s karakter.") % {"max": NAME_MAX_LENGTH}
        )
    return name


def tokens_for(user: Any) -> QuerySet[ApiToken]:
    """All of ``user``'s tokens still on record (revoked and expired ones until housekeeping
    deletes them), newest first."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def active_tokens(user: Any, now: datetime | None = None) -> QuerySet[ApiToken]:
    now = now or timezone.now()
    return tokens_for(user).filter(revoked_at__isnull=True, expires_at__gt=now)


def _summary(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
    }


def create_token(
    user: Any,
    *,
    actor: Any,
    name: str = DEFAULT_NAME,
    days: int | None = None,
    reason: str = "",
) -> NewToken:
    """A new token for ``user``, valid ``days`` days; an active token of the same name is
    revoked in the same transaction. Raises TokenError for a bad name or lifetime and for an
    inactive user."""
    name = check_name(name)
    days = check_days(days)
    if not user.is_active:
        raise TokenError(
            _("Pengguna '%(user)s' tidak aktif; token tidak dibuat.")
            % {"user": user.get_username()}
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        replaced = list(active_tokens(user, now).select_for_update().filter(name=name))
        for old in replaced:
            _revoke(old, actor=actor, now=now, reason=_("diganti token baru dengan nama sama"))
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=prefix_of(key),
            digest=digest_of(key),
            created_at=now,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=now + timedelta(days=days),
        )
        record_event(
            actor=actor,
            action=TOKEN_CREATED,
            obj=user,
            old={"replaced": [old.prefix for old in replaced]} if replaced else None,
            new={**_summary(token), "days": days},
            reason=reason,
        )
    return NewToken(token=token, key=key)


def _revoke(token: ApiToken, *, actor: Any, now: datetime, reason: str) -> None:
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action=TOKEN_REVOKED,
        obj=token.user,
        old={**_summary(token), "revoked_at": None},
        new={"revoked_at": now.isoformat()},
        reason=reason,
    )


def revoke_token(token: ApiToken, *, actor: Any, reason: str = "") -> bool:
    """Revoke one token; False (and no audit row) when it was already revoked."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            return False
        _revoke(token, actor=actor, now=timezone.now(), reason=reason)
    return True


def revoke_all(user: Any, *, actor: Any, reason: str = "", prefix: str = "") -> int:
    """Revoke every token of ``user`` not yet revoked (only those whose prefix is ``prefix``,
    when given); how many were revoked. Expired ones are revoked too, so that a key found
    later is recognisably withdrawn."""
    now = timezone.now()
    with transaction.atomic():
        tokens = tokens_for(user).select_for_update().filter(revoked_at__isnull=True)
        if prefix:
            tokens = tokens.filter(prefix=prefix)
        revoked = list(tokens)
        for token in revoked:
            _revoke(token, actor=actor, now=now, reason=reason)
    return len(revoked)


def find_token(key: str) -> ApiToken | None:
    """The token whose key is ``key``, revoked or expired alike; None when unknown.

    Looked up by the key's digest: nothing about the secret part is compared character by
    character, so the lookup's timing says nothing about it."""
    if not key or len(key) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()


def note_use(token: ApiToken, now: datetime | None = None) -> None:
    """Record that ``token`` was used, at most once per ``LAST_USED_EVERY``: one small write
    a minute instead of a write on every request."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now


def tokens_to_delete(
    now: datetime | None = None, *, keep_days: int | None = None
) -> QuerySet[ApiToken]:
    """Tokens revoked or expired more than ``keep_days`` (``PATUH_API_TOKEN_KEEP_DAYS``) days
    ago: kept that long so that their owners still see why a key stopped working."""
    now = now or timezone.now()
    keep_days = settings.PATUH_API_TOKEN_KEEP_DAYS if keep_days is None else keep_days
    limit = now - timedelta(days=keep_days)
    return ApiToken.objects.filter(Q(revoked_at__lt=limit) | Q(expires_at__lt=limit))
