"""Who may do what with a unit's complaint register: the whole story in one place.

- anyone who sees the unit (its operator, the pemda coordinator, the assessors of its
  government, the national roles) sees the register's figures and its anonymised records;
- the unit's front office, operator and complaint officers log complaints (walk-ins);
- only the unit's complaint officers handle a complaint (disposition, follow-up, closure)
  and see who complained (UU 27/2022: an identity is seen by those who need it).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from patuh.accounts.roles import COMPLAINT_LOGGING_ROLES, Role
from patuh.assessments.access import roles_of
from patuh.orgs.models import Government, ServiceUnit


def unit_for_user(user: Any, region_code: str, unit_code: str) -> ServiceUnit:
    """The unit, or 404 when the user may not see it (nothing tells it exists)."""
    return get_object_or_404(
        ServiceUnit.objects.for_user(user).select_related("government"),
        government__region_code=region_code,
        code=unit_code,
    )


def government_for_user(user: Any, region_code: str) -> Government:
    return get_object_or_404(Government.objects.for_user(user), region_code=region_code)


def _holds(user: Any, roles: frozenset[str] | set[str], unit: ServiceUnit) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(m.role in roles and m.service_unit_id == unit.pk for m in roles_of(user))


def may_log(user: Any, unit: ServiceUnit) -> bool:
    return _holds(user, COMPLAINT_LOGGING_ROLES, unit)


def may_handle(user: Any, unit: ServiceUnit) -> bool:
    return _holds(user, {Role.COMPLAINT_OFFICER}, unit)


def sees_identity(user: Any, unit: ServiceUnit) -> bool:
    return may_handle(user, unit)


def require(allowed: bool) -> None:
    """A refusal for someone who sees the unit but may not do this (403 by Django)."""
    if not allowed:
        raise PermissionDenied
