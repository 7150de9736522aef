"""Filters for showing scores: one formatting rule, one colour per zone."""

from __future__ import annotations

from decimal import Decimal

from django import template

from patuh.scoring import format_score

register = template.Library()

ZONE_CLASSES = {
    "hijau": "text-bg-success",
    "kuning": "text-bg-warning",
    "merah": "text-bg-danger",
    "hitam": "text-bg-dark",
}


@register.filter
def score(value: Decimal | None) -> str:
    """``Decimal('93.275')`` → ``"93.28"`` (half-up, the scoring core's policy)."""
    return format_score(value)


@register.filter
def zone_class(zone: str | None) -> str:
    return ZONE_CLASSES.get((zone or "").lower(), "text-bg-secondary")


@register.filter
def percent(share: Decimal | None) -> str:
    """A 0–1 share as a percentage with two decimals."""
    return "–" if share is None else format_score(share * 100)
