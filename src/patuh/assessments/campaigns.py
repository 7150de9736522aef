"""Running a cycle: stage dates, window overrides, the campaign of assessments, assessors.

These are the regional office's verbs (and the national admin's); each writes an audit row.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessorAssignment,
    Cycle,
    CycleStage,
    StageOverride,
)
from patuh.assessments.services import prepare_assessments
from patuh.core.services import record_event
from patuh.orgs.models import Government, ServiceUnit

STAGE_DATES_SET = "cycle.stage_dates_set"
WINDOW_OVERRIDDEN = "cycle.window_overridden"
CAMPAIGN_CREATED = "cycle.campaign_created"
ASSESSOR_ASSIGNED = "cycle.assessor_assigned"
ASSESSOR_UNASSIGNED = "cycle.assessor_unassigned"


def _date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def set_stage_dates(
    cycle: Cycle,
    stage: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
    *,
    actor: Any,
    reason: str = "",
) -> CycleStage:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), code="dates")
    with transaction.atomic():
        cycle_stage, _created = CycleStage.objects.select_for_update().get_or_create(
            cycle=cycle, stage=stage
        )
        old = {
            "starts_on": _date_text(cycle_stage.starts_on),
            "ends_on": _date_text(cycle_stage.ends_on),
        }
        new = {"starts_on": _date_text(starts_on), "ends_on": _date_text(ends_on)}
        if old == new:
            return cycle_stage
        cycle_stage.starts_on = starts_on
        cycle_stage.ends_on = ends_on
        cycle_stage.save(update_fields=["starts_on", "ends_on"])
        record_event(
            actor=actor,
            action=STAGE_DATES_SET,
            obj=cycle_stage,
            old=old,
            new={"stage": stage, **new},
            reason=reason,
            context=cycle,
        )
    return cycle_stage


def override_window(
    cycle: Cycle,
    stage: str,
    *,
    open_until: dt.date,
    reason: str,
    actor: Any,
    government: Government | None = None,
) -> StageOverride:
    """Keep a stage open until ``open_until`` for one government (or all): a reason is required."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan perpanjangan wajib diisi."), code="reason_required")
    with transaction.atomic():
        cycle_stage, _created = CycleStage.objects.get_or_create(cycle=cycle, stage=stage)
        override = StageOverride.objects.create(
            stage=cycle_stage,
            government=government,
            open_until=open_until,
            reason=reason,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action=WINDOW_OVERRIDDEN,
            obj=override,
            new={
                "stage": stage,
                "government": government.region_code if government else None,
                "open_until": open_until.isoformat(),
            },
            reason=reason,
            context=cycle,
        )
    return override


def campaign_governments(cycle: Cycle) -> Any:
    governments = Government.objects.all()
    if cycle.province_id is not None:
        governments = governments.filter(province_id=cycle.province_id)
    return governments


def create_campaign(cycle: Cycle, kind: str, *, actor: Any) -> int:
    """Create the missing assessments of ``kind`` for every unit of every government of the
    cycle's province in one action; returns how many were created."""
    if kind not in AssessmentKind.values:
        raise ValidationError(_("Jenis penilaian tidak dikenal: %(kind)s") % {"kind": kind})
    with transaction.atomic():
        units = ServiceUnit.objects.filter(government__in=campaign_governments(cycle))
        have = set(
            Assessment.objects.filter(cycle=cycle, kind=kind).values_list(
                "service_unit_id", flat=True
            )
        )
        new = [
            Assessment(cycle=cycle, service_unit=unit, kind=kind, is_synthetic=cycle.is_synthetic)
            for unit in units
            if unit.pk not in have
        ]
        Assessment.objects.bulk_create(new, batch_size=2000)
        created = list(
            Assessment.objects.filter(cycle=cycle, kind=kind)
            .exclude(service_unit_id__in=have)
            .select_related("cycle")
        )
        prepare_assessments(created)
        if created:
            record_event(
                actor=actor,
                action=CAMPAIGN_CREATED,
                obj=cycle,
                new={"kind": kind, "assessments": len(created)},
            )
    return len(created)


def assessors_for(cycle: Cycle) -> Any:
    """Users who may be assigned in this cycle: assessors of its province (or any assessor)."""
    from django.contrib.auth import get_user_model

    memberships = Membership.objects.filter(role=Role.ASSESSOR)
    if cycle.province_id is not None:
        memberships = memberships.filter(province_id=cycle.province_id) | memberships.filter(
            government__province_id=cycle.province_id
        )
    return (
        get_user_model()
        .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
        .order_by("username")
    )


def assign_assessor(
    cycle: Cycle, government: Government, assessor: Any, *, actor: Any
) -> AssessorAssignment:
    if not assessors_for(cycle).filter(pk=assessor.pk).exists():
        raise ValidationError(
            _("%(user)s bukan penilai di wilayah siklus ini.") % {"user": assessor.username},
            code="not_assessor",
        )
    if cycle.province_id is not None and government.province_id != cycle.province_id:
        raise ValidationError(_("Pemerintah ini di luar wilayah siklus."), code="outside")
    with transaction.atomic():
        assignment, created = AssessorAssignment.objects.get_or_create(
            cycle=cycle, government=government, assessor=assessor
        )
        if created:
            record_event(
                actor=actor,
                action=ASSESSOR_ASSIGNED,
                obj=assignment,
                new={"government": government.region_code, "assessor": assessor.username},
                context=cycle,
            )
    return assignment


def unassign_assessor(assignment: AssessorAssignment, *, actor: Any, reason: str = "") -> None:
    with transaction.atomic():
        record_event(
            actor=actor,
            action=ASSESSOR_UNASSIGNED,
            obj=assignment,
            old={
                "government": assignment.government.region_code,
                "assessor": assignment.assessor.username,
            },
            reason=reason,
            context=assignment.cycle,
        )
        assignment.delete()


CYCLE_OPENED = "cycle.opened"


def open_cycle(
    *, year: int, instrument_code: str, province: Any, actor: Any, name: str = ""
) -> Cycle:
    """Open a cycle (regional for ``province``, national when ``None``) with its stages, each
    still without dates; the stage dates are set on the cycle's page."""
    from patuh.assessments.models import Stage, validate_instrument_code

    validate_instrument_code(instrument_code)
    if not 2000 <= year <= 2100:
        raise ValidationError(_("Tahun %(year)s tidak masuk akal.") % {"year": year})
    if Cycle.objects.filter(year=year, province=province).exists():
        raise ValidationError(
            _("Siklus %(year)s untuk wilayah ini sudah ada.") % {"year": year}, code="exists"
        )
    region = province.name if province is not None else _("Nasional")
    name = name.strip() or _("Penilaian Penyelenggaraan Pelayanan Publik %(year)s — %(region)s") % {
        "year": year,
        "region": region,
    }
    with transaction.atomic():
        cycle = Cycle.objects.create(
            year=year, name=name, instrument_code=instrument_code, province=province
        )
        CycleStage.objects.bulk_create([CycleStage(cycle=cycle, stage=stage) for stage in Stage])
        record_event(
            actor=actor,
            action=CYCLE_OPENED,
            obj=cycle,
            new={
                "year": year,
                "instrument": instrument_code,
                "province": province.region_code if province is not None else None,
            },
        )
    return cycle


UNIT_ADDED = "cycle.unit_added"


def add_unit(cycle: Cycle, unit: ServiceUnit, kind: str, *, actor: Any, reason: str) -> Assessment:
    """Add one unit to the campaign (a unit found at the visit, a unit split off), with a
    reason. A unit dropped earlier is restored instead (see ``workflow``)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan menambah unit wajib diisi."), code="reason_required")
    if cycle.province_id is not None and unit.government.province_id != cycle.province_id:
        raise ValidationError(_("Unit ini di luar wilayah siklus."), code="outside")
    if Assessment.objects.filter(cycle=cycle, service_unit=unit, kind=kind).exists():
        raise ValidationError(
            _(
                "%(unit)s sudah ada dalam kampanye; unit yang dikeluarkan dikembalikan dari "
                "halaman penilaiannya."
            )
            % {"unit": unit},
            code="exists",
        )
    with transaction.atomic():
        assessment = Assessment.objects.create(
            cycle=cycle, service_unit=unit, kind=kind, is_synthetic=cycle.is_synthetic
        )
        prepare_assessments([assessment])
        record_event(
            actor=actor,
            action=UNIT_ADDED,
            obj=assessment,
            new={"unit": unit.code, "government": unit.government.region_code, "kind": kind},
            reason=reason,
            context=cycle,
        )
    return assessment
