"""``{% cycle_url "government" cycle code %}`` and ``cycle|kind_label:kind``: routes and
names that follow the cycle's program (see :mod:`patuh.assessments.programs`)."""

from __future__ import annotations

from typing import Any

from django import template

from patuh.assessments import programs

register = template.Library()


@register.simple_tag
def cycle_url(name: str, cycle: Any, *args: Any) -> str:
    return programs.cycle_url(name, cycle, *args)


@register.filter
def kind_label(cycle: Any, kind: str) -> str:
    return programs.kind_label(cycle, kind)
