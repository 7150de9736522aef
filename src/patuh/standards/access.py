"""Who may change a unit's service standards.

Seeing is :meth:`ServiceUnit.objects.for_user` (404 outside the user's scope); on top of it the
unit's operator, its government's coordinator and national admins may edit and publish.
Everyone else who sees the unit reads (internal components included); anonymous visitors read
only the public pages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from patuh.accounts.roles import Role
from patuh.assessments.access import is_national_admin, roles_of
from patuh.orgs.models import ServiceUnit


def can_edit_standards(user: Any, unit: ServiceUnit) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_national_admin(user):
        return True
    return any(
        (m.role == Role.UNIT_OPERATOR and m.service_unit_id == unit.pk)
        or (m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == unit.government_id)
        for m in roles_of(user)
    )


def edit_refusal() -> str:
    return _(
        "Standar pelayanan diubah oleh operator unit, koordinator pemda atau admin nasional; "
        "Anda hanya dapat membacanya."
    )
