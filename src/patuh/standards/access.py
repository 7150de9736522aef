"""Who may change a unit's service standards.

Seeing is :meth:`ServiceUnit.objects.for_user` (404 outside the user's scope); on top of it the
unit's operator, its government's coordinator and national admins may edit and publish.
Everyone else who sees the unit reads (internal components included); anonymous visitors read
only the public pages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from patuh.assessments.access import keeps_unit_records
from patuh.orgs.models import ServiceUnit


def can_edit_standards(user: Any, unit: ServiceUnit) -> bool:
    return keeps_unit_records(user, unit)


def edit_refusal() -> str:
    return _(
        "Standar pelayanan diubah oleh operator unit, koordinator pemda atau admin nasional; "
        "Anda hanya dapat membacanya."
    )
