"""What a signed-in user has to do now: the entry points on the home page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from patuh.accounts.roles import Role
from patuh.assessments.access import can_manage_cycle, is_national_admin, roles_of
from patuh.assessments.models import Assessment, AssessmentKind, AssessorAssignment, Cycle
from patuh.assessments.programs import cycle_url


@dataclass(frozen=True)
class WorkItem:
    title: str
    detail: str
    url: str
    badge: str = ""


def _latest_cycles(user: Any) -> list[Cycle]:
    cycles = list(Cycle.objects.for_user(user).select_related("province").order_by("-year"))
    if not cycles:
        return []
    latest = cycles[0].year
    return [cycle for cycle in cycles if cycle.year == latest]


def work_for(user: Any) -> list[WorkItem]:
    """Links to the assessments and pages the user works on in the latest cycle."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[WorkItem] = []
    cycles = _latest_cycles(user)
    memberships = roles_of(user)
    if is_national_admin(user) or any(m.role == Role.REGIONAL_OFFICE_ADMIN for m in memberships):
        items.append(
            WorkItem(
                _("Buka siklus penilaian"),
                _("Tahun baru, instrumen dan wilayahnya"),
                reverse("assessments:open_cycle"),
            )
        )
    for cycle in cycles:
        if can_manage_cycle(user, cycle):
            items.append(
                WorkItem(
                    _("Kelola siklus"),
                    cycle.name,
                    reverse("assessments:manage_cycle", args=[cycle.pk]),
                )
            )
    unit_ids = [m.service_unit_id for m in memberships if m.role == Role.UNIT_OPERATOR]
    for assessment in (
        Assessment.objects.filter(
            cycle__in=cycles, service_unit_id__in=unit_ids, kind=AssessmentKind.SELF
        )
        .select_related("service_unit__government", "cycle")
        .order_by("service_unit__name")
    ):
        items.append(
            WorkItem(
                _("Penilaian mandiri %(unit)s") % {"unit": assessment.service_unit.name},
                f"{assessment.service_unit.government.name} · {assessment.cycle.year}",
                reverse("assessments:assessment", args=[assessment.pk]),
                str(assessment.get_status_display()),
            )
        )
    for unit in _standard_units(memberships):
        items.append(
            WorkItem(
                _("Standar pelayanan %(unit)s") % {"unit": unit.name},
                unit.government.name,
                reverse("standards:unit", args=[unit.pk]),
            )
        )
    government_ids = {m.government_id for m in memberships if m.role == Role.GOVERNMENT_COORDINATOR}
    for cycle in cycles:
        for government in cycle_governments(cycle, government_ids):
            items.append(
                WorkItem(
                    _("Kesiapan unit %(government)s") % {"government": government.name},
                    _("Penilaian mandiri dan selisihnya dengan penilaian resmi, %(year)s")
                    % {"year": cycle.year},
                    cycle_url("readiness", cycle, government.region_code),
                )
            )
    for _cycle, year, government_code, government_name, open_count in _follow_up(user):
        items.append(
            WorkItem(
                _("Tindak lanjut rapor %(government)s %(year)s")
                % {"government": government_name, "year": year},
                _("%(count)s tindakan belum selesai") % {"count": open_count},
                reverse("followup:page", args=[year, government_code]),
            )
        )
    for assignment in (
        AssessorAssignment.objects.filter(assessor=user, cycle__in=cycles)
        .select_related("government", "cycle")
        .order_by("government__region_code")
    ):
        items.append(
            WorkItem(
                _("Penilaian resmi %(government)s") % {"government": assignment.government.name},
                _("Anda ditugaskan sebagai penilai, %(year)s") % {"year": assignment.cycle.year},
                cycle_url("government", assignment.cycle, assignment.government.region_code)
                + "?jenis=official",
            )
        )
    return items


def cycle_governments(cycle: Cycle, government_ids: set[int]) -> list[Any]:
    from patuh.orgs.models import Government

    governments = Government.objects.filter(pk__in=government_ids).order_by("region_code")
    if cycle.province_id is not None:
        governments = governments.filter(province_id=cycle.province_id)
    return list(governments)


def _follow_up(user: Any) -> list[tuple[int, int, str, str, int]]:
    """(cycle, year, government code, name, open actions) for the user's units' follow-up."""
    from django.db.models import Count, Q

    from patuh.followup.models import ActionStatus, FollowUpAction
    from patuh.orgs.models import ServiceUnit

    memberships = roles_of(user)
    if not any(m.role in (Role.GOVERNMENT_COORDINATOR, Role.UNIT_OPERATOR) for m in memberships):
        return []
    rows = (
        FollowUpAction.objects.filter(service_unit__in=ServiceUnit.objects.for_user(user))
        .values("cycle_id", "cycle__year", "government__region_code", "government__name")
        .annotate(open=Count("id", filter=~Q(status=ActionStatus.DONE)))
        .order_by("-cycle__year", "government__region_code")
    )
    return [
        (
            row["cycle_id"],
            row["cycle__year"],
            row["government__region_code"],
            row["government__name"],
            row["open"],
        )
        for row in rows
    ]


def _standard_units(memberships: list[Any]) -> list[Any]:
    """The units whose service standards the user keeps: its own unit, or its government's."""
    from django.db.models import Q

    from patuh.orgs.models import ServiceUnit

    units = [m.service_unit_id for m in memberships if m.role == Role.UNIT_OPERATOR]
    governments = [m.government_id for m in memberships if m.role == Role.GOVERNMENT_COORDINATOR]
    if not units and not governments:
        return []
    return list(
        ServiceUnit.objects.filter(Q(pk__in=units) | Q(government_id__in=governments))
        .select_related("government")
        .order_by("government__region_code", "name")
    )
