"""``{% if request.user|may_export_government:government %}``: show the export link only to
those :func:`patuh.orgs.data_export.can_export` lets through."""

from __future__ import annotations

from typing import Any

from django import template

from patuh.orgs.data_export import can_export

register = template.Library()


@register.filter
def may_export_government(user: Any, government: Any) -> bool:
    return government is not None and can_export(user, government)
