"""Links to a unit's public service-standard page, for other apps (e.g. the assessment
workspace's PR cards): ``public_link(unit, product_id, "PR-03")`` →
``/publik/unit/12.05/dinkes/#produk-7-komponen-d``."""

from __future__ import annotations

from django.urls import reverse

from patuh.orgs.models import ServiceUnit
from patuh.standards.components import anchor, component_for_indicator


def public_unit_url(unit: ServiceUnit) -> str:
    """The path of the unit's public page (no login needed)."""
    return reverse("standards:public_unit", args=[unit.government.region_code, unit.code])


def public_link(
    unit: ServiceUnit, product_id: int | None = None, indicator_code: str | None = None
) -> str:
    """The public page, at the product and, for PR-01…PR-06, at the component it checks."""
    url = public_unit_url(unit)
    if product_id is None:
        return url
    component = component_for_indicator(indicator_code) if indicator_code else None
    if component is None:
        return f"{url}#produk-{product_id}"
    return f"{url}#{anchor(product_id, component)}"
