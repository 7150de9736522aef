"""The navbar's unread count: one COUNT query per page, kept on the request."""

from __future__ import annotations

from typing import Any

from django import template

from patuh.notifications.services import unread_count

register = template.Library()

_CACHE_ATTRIBUTE = "_patuh_unread_notifications"


@register.simple_tag(takes_context=True)
def unread_notifications(context: Any) -> int:
    user = context.get("user")
    if not getattr(user, "is_authenticated", False):
        return 0
    request = context.get("request")
    cached = getattr(request, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = unread_count(user)
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cached)
    return cached
