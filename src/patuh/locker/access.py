"""Who may see and change a unit's documents, and who sees the comparison pages.

Seeing a unit's locker is :meth:`ServiceUnit.objects.for_user` (404 outside the user's scope:
assessors, verifiers and regional office admins in scope read it). The unit's operator, its
government's coordinator and national admins add, replace and remove documents (403 with the
reason for everyone else). The comparison page of a government is for its coordinator and the
Ombudsman's staff whose scope holds it.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from patuh.accounts.roles import OMBUDSMAN_ROLES, Role
from patuh.assessments.access import is_national_admin, keeps_unit_records, roles_of
from patuh.orgs.models import Government, ServiceUnit


def get_unit_for_user(user: Any, unit_id: int) -> ServiceUnit:
    """The unit if the user may see it, or 404 (its existence stays private)."""
    return get_object_or_404(
        ServiceUnit.objects.for_user(user).select_related("government", "government__province"),
        pk=unit_id,
    )


def can_change_documents(user: Any, unit: ServiceUnit) -> bool:
    return keeps_unit_records(user, unit)


def change_refusal() -> str:
    return _(
        "Dokumen unit diubah oleh operator unit, koordinator pemda atau admin nasional; "
        "Anda hanya dapat membacanya."
    )


def can_see_comparison(user: Any, government: Government) -> bool:
    """The government's coordinator, or Ombudsman staff (the caller checked the scope)."""
    if getattr(user, "is_superuser", False) or is_national_admin(user):
        return True
    return any(
        (m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == government.pk)
        or m.role in OMBUDSMAN_ROLES
        for m in roles_of(user)
    )
