"""What one user may do with one assessment.

Seeing is decided by :meth:`AssessmentQuerySet.for_user` (the scoping every view uses); this
module decides the actions on top of it:

- a **self-assessment** is filled by the unit's operator or the government's coordinator while
  the self-assessment window is open;
- a **pre-evaluation** or an **official assessment** is filled by the assessors assigned to the
  government in that cycle while the pre-evaluation / data-collection window is open;
- in a PEKPPP cycle (KemenPAN-RB) the self-assessment is the unit's F-01 and the official
  assessment is the evaluator's F-02, filled by the KemenPAN-RB evaluators assigned to the
  government; the assigned evaluator may also send an indicator of the unit's submitted F-01
  back to it. Ombudsman assessors never fill a PEKPPP F-02, evaluators never an Ombudsman
  assessment;
- nothing is editable once submitted (the verification workflow reopens it);
- everyone who sees an assessment may comment on it;
- national admins and the regional office admins of the cycle's province may keep a window open
  longer (an audited override).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils.translation import gettext as _

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.accounts.scopes import scope_for
from patuh.assessments.models import (
    KIND_STAGE,
    LOCKED_STATUSES,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AssessorAssignment,
    Cycle,
    Program,
)
from patuh.assessments.stages import Window, window


def roles_of(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_patuh_memberships", None)
    if cached is None:
        cached = list(user.memberships.all())
        user._patuh_memberships = cached
    return cached


def is_national_admin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or any(
        m.role == Role.NATIONAL_ADMIN for m in roles_of(user)
    )


def keeps_unit_records(user: Any, unit: Any) -> bool:
    """Whether ``user`` keeps the unit's own records (its service standard, its documents):
    the unit's operator, its government's coordinator, or a national admin."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_national_admin(user):
        return True
    return any(
        (m.role == Role.UNIT_OPERATOR and m.service_unit_id == unit.pk)
        or (m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == unit.government_id)
        for m in roles_of(user)
    )


def is_verifier(user: Any) -> bool:
    """Headquarters: verifiers and national admins verify, finalise, publish and reopen."""
    return is_national_admin(user) or any(m.role == Role.VERIFIER for m in roles_of(user))


def can_manage_cycle(user: Any, cycle: Cycle) -> bool:
    """National admins, and the regional office admins of a regional cycle's province."""
    if is_national_admin(user):
        return True
    return cycle.province_id is not None and any(
        m.role == Role.REGIONAL_OFFICE_ADMIN and m.province_id == cycle.province_id
        for m in roles_of(user)
    )


def is_assigned_assessor(user: Any, cycle_id: int, government_id: int) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return AssessorAssignment.objects.filter(
        cycle_id=cycle_id, government_id=government_id, assessor=user
    ).exists()


def filler_role(cycle: Cycle) -> str:
    """The role that fills a cycle's pre-evaluation and official assessment: the Ombudsman's
    assessor, or KemenPAN-RB's evaluator in a PEKPPP cycle."""
    return Role.EVALUATOR if cycle.program == Program.PEKPPP else Role.ASSESSOR


def is_assigned_filler(user: Any, cycle: Cycle, government_id: int) -> bool:
    """Assigned to the government in ``cycle`` and holding the role that fills its official
    assessment there (an assessor in an Ombudsman cycle, an evaluator in a PEKPPP one)."""
    role = filler_role(cycle)
    return any(m.role == role for m in roles_of(user)) and is_assigned_assessor(
        user, cycle.pk, government_id
    )


@dataclass
class AssessmentAccess:
    """The actions ``user`` may take on ``assessment`` now, and why not when they may not."""

    user: Any
    assessment: Assessment

    @cached_property
    def window(self) -> Window:
        return window(
            self.assessment.cycle,
            KIND_STAGE[self.assessment.kind],
            self.assessment.service_unit.government,
        )

    @cached_property
    def is_filler(self) -> bool:
        """Whether the user is one of the people who fill this kind of assessment."""
        unit = self.assessment.service_unit
        if self.assessment.kind == AssessmentKind.SELF:
            return any(
                (m.role == Role.UNIT_OPERATOR and m.service_unit_id == unit.pk)
                or (m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == unit.government_id)
                for m in roles_of(self.user)
            )
        return is_assigned_filler(self.user, self.assessment.cycle, unit.government_id)

    @cached_property
    def edit_refusal(self) -> str:
        """Empty when the user may change answers; otherwise the reason, for the page."""
        status = self.assessment.status
        if not self.is_filler:
            if self.assessment.kind == AssessmentKind.SELF:
                return _("Penilaian mandiri diisi oleh operator unit dan koordinator pemda.")
            if self.assessment.cycle.program == Program.PEKPPP:
                return _(
                    "Hanya evaluator KemenPAN-RB yang ditugaskan untuk pemerintah ini yang dapat "
                    "mengisi."
                )
            return _("Hanya penilai yang ditugaskan untuk pemerintah ini yang dapat mengisi.")
        if status == AssessmentStatus.CHANGES_REQUESTED:
            return ""  # the verifier's request opens the flagged indicators, whatever the dates
        if status in LOCKED_STATUSES:
            return _(
                "Penilaian sudah final; perubahan hanya lewat pembukaan kembali oleh verifikator."
            )
        if status == AssessmentStatus.DROPPED:
            return _("Unit ini dikeluarkan dari kampanye penilaian.")
        if status != AssessmentStatus.DRAFT:
            return _("Penilaian sudah diajukan dan sedang diverifikasi.")
        if not self.window.is_open:
            return self.window.describe()
        return ""

    @property
    def can_edit(self) -> bool:
        return not self.edit_refusal

    @cached_property
    def open_change_requests(self) -> dict[str, list[Any]]:
        from patuh.assessments.workflow import open_change_requests

        if self.assessment.status != AssessmentStatus.CHANGES_REQUESTED:
            return {}
        return open_change_requests(self.assessment)

    def can_edit_indicator(self, code: str) -> bool:
        """While changes are requested on named indicators, only those open (a reopen
        without named indicators opens them all)."""
        if not self.can_edit:
            return False
        if self.assessment.status == AssessmentStatus.CHANGES_REQUESTED and (
            self.open_change_requests
        ):
            return code in self.open_change_requests
        return True

    @property
    def can_submit(self) -> bool:
        return self.can_edit

    @property
    def can_verify(self) -> bool:
        """Verify, request changes, finalise, reopen: headquarters, on the Ombudsman's kinds."""
        return is_verifier(self.user) and self.assessment.kind != AssessmentKind.SELF

    @property
    def can_review_self_assessment(self) -> bool:
        """In a PEKPPP cycle the assigned evaluator reviews the unit's F-01 and may send
        indicators of it back (a change request)."""
        return (
            self.assessment.kind == AssessmentKind.SELF
            and self.assessment.cycle.program == Program.PEKPPP
            and is_assigned_filler(
                self.user, self.assessment.cycle, self.assessment.service_unit.government_id
            )
        )

    @property
    def can_request_changes(self) -> bool:
        """Ask for indicators to be changed: headquarters on the official kinds, the assigned
        evaluator on a PEKPPP F-01."""
        return self.can_verify or self.can_review_self_assessment

    @property
    def can_return_self_assessment(self) -> bool:
        """The pemda coordinator may send a submitted self-assessment back to draft."""
        return (
            self.assessment.kind == AssessmentKind.SELF
            and self.assessment.status == AssessmentStatus.SUBMITTED
            and any(
                m.role == Role.GOVERNMENT_COORDINATOR
                and m.government_id == self.assessment.service_unit.government_id
                for m in roles_of(self.user)
            )
        )

    @property
    def can_drop(self) -> bool:
        return can_manage_cycle(self.user, self.assessment.cycle)

    @property
    def can_comment(self) -> bool:
        return not scope_for(self.user).nothing

    @property
    def can_override_window(self) -> bool:
        return can_manage_cycle(self.user, self.assessment.cycle)


def can_edit_government_data(user: Any, cycle: Cycle, government: Any) -> bool:
    """A government's figures in a cycle (2025+: secondary-data Output, public trust) are
    entered by the cycle's managers and by the assessors assigned to that government."""
    return can_manage_cycle(user, cycle) or is_assigned_assessor(user, cycle.pk, government.pk)


def can_read_government_data(user: Any, cycle: Cycle, government: Any) -> bool:
    """Those who enter them, headquarters' verifiers, and the government's own coordinator."""
    return (
        can_edit_government_data(user, cycle, government)
        or is_verifier(user)
        or any(
            m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == government.pk
            for m in roles_of(user)
        )
    )
