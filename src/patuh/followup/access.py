"""Who may do what with follow-up actions and Ombudsman products."""

from __future__ import annotations

from typing import Any

from patuh.accounts.roles import Role
from patuh.assessments.access import is_national_admin, roles_of


def is_coordinator_of(user: Any, government: Any) -> bool:
    return any(
        m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == government.pk
        for m in roles_of(user)
    )


def can_assign(user: Any, government: Any) -> bool:
    """The pemda coordinator distributes the rapor's actions (owner, due date)."""
    return is_national_admin(user) or is_coordinator_of(user, government)


def can_work_on(user: Any, action: Any) -> bool:
    """The owner, the unit's operators and the pemda coordinator progress an action."""
    if can_assign(user, action.government):
        return True
    if action.owner_id is not None and action.owner_id == getattr(user, "pk", None):
        return True
    return any(
        m.role == Role.UNIT_OPERATOR and m.service_unit_id == action.service_unit_id
        for m in roles_of(user)
    )


def can_record_products(user: Any, government: Any) -> bool:
    """The Ombudsman records its products and judges their follow-up."""
    return (
        is_national_admin(user)
        or any(
            m.role == Role.REGIONAL_OFFICE_ADMIN and m.province_id == government.province_id
            for m in roles_of(user)
        )
        or any(m.role == Role.VERIFIER for m in roles_of(user))
    )
