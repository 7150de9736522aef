"""The roles a user can hold, each with its scope."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("Admin nasional")
    REGIONAL_OFFICE_ADMIN = "regional_office_admin", _("Admin Ombudsman Perwakilan")
    ASSESSOR = "assessor", _("Penilai")
    VERIFIER = "verifier", _("Verifikator")
    GOVERNMENT_COORDINATOR = "government_coordinator", _("Koordinator pemda")
    UNIT_OPERATOR = "unit_operator", _("Operator unit layanan")
    FRONT_OFFICE = "front_office", _("Petugas front office")
    COMPLAINT_OFFICER = "complaint_officer", _("Petugas pengelola pengaduan")
    EVALUATOR = "evaluator", _("Evaluator KemenPAN-RB")


NATIONAL_ROLES = frozenset({Role.NATIONAL_ADMIN, Role.VERIFIER})
"""Roles that see every province, government and unit."""

REQUIRED_SCOPE: dict[str, str | None] = {
    Role.NATIONAL_ADMIN: None,
    Role.VERIFIER: None,
    Role.REGIONAL_OFFICE_ADMIN: "province",
    Role.ASSESSOR: "province_or_government",
    Role.GOVERNMENT_COORDINATOR: "government",
    Role.UNIT_OPERATOR: "service_unit",
    Role.FRONT_OFFICE: "service_unit",
    Role.COMPLAINT_OFFICER: "service_unit",
    Role.EVALUATOR: "national_or_province",
}
"""What each role's membership must name: the object its scope is built from."""

OMBUDSMAN_ROLES = frozenset(
    {Role.NATIONAL_ADMIN, Role.REGIONAL_OFFICE_ADMIN, Role.ASSESSOR, Role.VERIFIER}
)
"""The Ombudsman's own staff: offered the optional second factor (an authenticator app)."""

COMPLAINT_LOGGING_ROLES = frozenset({Role.UNIT_OPERATOR, Role.FRONT_OFFICE, Role.COMPLAINT_OFFICER})
"""Roles that may log a complaint in their unit's register (the front office's work); only
the complaint officer handles it further and sees who complained."""

ASSIGNED_ROLES = frozenset({Role.ASSESSOR, Role.EVALUATOR})
"""Roles that see the governments they are assigned to in a cycle: an Ombudsman assessor
(in the Ombudsman's cycles) and a KemenPAN-RB evaluator (in the PEKPPP cycles); the province
of their membership only makes them eligible for assignment there."""
