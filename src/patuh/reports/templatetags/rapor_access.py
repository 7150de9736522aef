"""``{% if request.user|may_download_rapor:government %}``: the rapor covers every unit of a
government, so only those who see all of them get the link (the view refuses the rest)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def may_download_rapor(user: Any, government: Any) -> bool:
    from patuh.reports.views import whole_governments

    return government is not None and whole_governments(user).filter(pk=government.pk).exists()
