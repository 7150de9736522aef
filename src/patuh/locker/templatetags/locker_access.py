from typing import Any

from django import template

from patuh.locker.access import can_see_comparison

register = template.Library()


@register.filter
def may_see_comparison(user: Any, government: Any) -> bool:
    """Whether the comparison page of ``government`` is for ``user`` (the page checks scope)."""
    return can_see_comparison(user, government)
