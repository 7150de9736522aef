"""Template helpers for the account pages and the navbar."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django import template
from django.utils.translation import ngettext

from patuh.accounts import services

register = template.Library()

_CACHE_ATTRIBUTE = "_patuh_may_use_totp"


@register.filter
def wait_time(delta: dt.timedelta | None) -> str:
    """A lockout's length in words: "30 menit", "1 jam 30 menit"."""
    if not delta:
        return ""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)d jam", "%(count)d jam", hours) % {"count": hours})
    if minutes:
        parts.append(ngettext("%(count)d menit", "%(count)d menit", minutes) % {"count": minutes})
    return " ".join(parts)


@register.filter
def may_use_totp(user: Any) -> bool:
    """Whether to show the user the authenticator app link (one query, kept on the user)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = services.may_use_totp(user)
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


@register.filter
def may_manage_operators(user: Any, government: Any) -> bool:
    """``{% if request.user|may_manage_operators:government %}``: the operators page link."""
    from patuh.accounts.invitations import may_manage_operators as allowed

    return government is not None and allowed(user, government)
