"""Links to a 2025+ cycle's "Data tingkat pemerintah" pages from other pages, shown only to
those who may open them and only for instruments with government-level figures:

- ``{% government_data_section cycle %}`` on the cycle's management page: the assessed
  governments, how many figures each has, a link each, and the file import;
- ``{% government_data_url cycle government as url %}`` for one government's page (empty
  when there is none for this user).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from patuh.assessments.access import can_manage_cycle, can_read_government_data
from patuh.assessments.government_data import has_government_answers

register = template.Library()


@register.inclusion_tag("assessments/government_data/_cycle_section.html", takes_context=True)
def government_data_section(context: dict[str, Any], cycle: Any) -> dict[str, Any]:
    from patuh.assessments.government_data_views import cycle_overview

    request = context.get("request")
    user = getattr(request, "user", None)
    shown = has_government_answers(cycle) and can_manage_cycle(user, cycle)
    return {
        "shown": shown,
        "cycle": cycle,
        "overview": cycle_overview(cycle) if shown else [],
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def government_data_url(context: dict[str, Any], cycle: Any, government: Any) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if cycle is None or government is None or not has_government_answers(cycle):
        return ""
    if cycle.province_id is not None and government.province_id != cycle.province_id:
        return ""
    if not can_read_government_data(user, cycle, government):
        return ""
    return reverse("assessments:government_data", args=[cycle.pk, government.region_code])
