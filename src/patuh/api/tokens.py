"""API tokens: one per user, created (replacing any older one) and revoked with an audit row.

The key itself is never written to the audit trail; the event records only that a token was
created or revoked, by whom and for whom.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from patuh.core.services import record_event

TOKEN_CREATED = "api_token.created"
TOKEN_REVOKED = "api_token.revoked"


def current_token(user: Any) -> Token | None:
    return Token.objects.filter(user=user).first()


def create_token(user: Any, *, actor: Any, reason: str = "") -> Token:
    """A new token for ``user``; an existing one stops working at once."""
    with transaction.atomic():
        old = Token.objects.select_for_update().filter(user=user).first()
        if old is not None:
            old.delete()
        token = Token.objects.create(user=user)
        record_event(
            actor=actor,
            action=TOKEN_CREATED,
            obj=user,
            old={"token": True, "created": old.created.isoformat()} if old else {"token": False},
            new={"token": True, "created": token.created.isoformat()},
            reason=reason,
        )
    return token


def revoke_token(user: Any, *, actor: Any, reason: str = "") -> bool:
    """Delete ``user``'s token; False (and no audit row) when there was none."""
    with transaction.atomic():
        old = Token.objects.select_for_update().filter(user=user).first()
        if old is None:
            return False
        created = old.created.isoformat()
        old.delete()
        record_event(
            actor=actor,
            action=TOKEN_REVOKED,
            obj=user,
            old={"token": True, "created": created},
            new={"token": False},
            reason=reason,
        )
    return True
