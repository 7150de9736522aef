"""Running a cycle: stage dates, window overrides, the campaign of assessments, assessors.

These are the regional office's verbs (and the national admin's); each writes an audit row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AssessorAssignment,
    Cycle,
    CycleStage,
    Evidence,
    Program,
    StageOverride,
    program_of,
)
from patuh.assessments.services import prepare_assessments
from patuh.core.services import record_event
from patuh.orgs.models import Government, ServiceUnit
from patuh.scoring import Instrument, ScoringError, list_instruments, load_instrument

STAGE_DATES_SET = "cycle.stage_dates_set"
WINDOW_OVERRIDDEN = "cycle.window_overridden"
CAMPAIGN_CREATED = "cycle.campaign_created"
ASSESSOR_ASSIGNED = "cycle.assessor_assigned"
ASSESSOR_UNASSIGNED = "cycle.assessor_unassigned"
SITES_CHOSEN = "cycle.sites_chosen"

SITES_CHOSEN_FROM = 2025
"""From the 2025 cycle the Ombudsman assesses a sample it chooses (310 entities in 2025, not
every government), and the assessed entity may not propose its units (OPINI-2025.md §8)."""


def sites_are_chosen(cycle: Cycle) -> bool:
    """Whether the cycle's sites (entities and units) are chosen for its official assessment:
    an Ombudsman instrument starting in 2025 or later (older ones assess every unit of the
    region, as before), or a PEKPPP instrument (KemenPAN-RB evaluates the lokus it names,
    KepmenPANRB 659/2024: e.g. Dinas Sosial, RSUD and Disdukcapil of each pemda)."""
    if cycle.program == Program.PEKPPP:
        return True
    try:
        instrument = load_instrument(cycle.instrument_code)
    except ScoringError:
        return False
    return (
        is_ombudsman(instrument)
        and bool(instrument.cycles)
        and min(instrument.cycles) >= SITES_CHOSEN_FROM
    )


def _version(instrument: Instrument) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in instrument.version.split("."))


def is_ombudsman(instrument: Instrument) -> bool:
    return instrument.owner.lower().startswith("ombudsman")


def pekppp_instruments() -> list[Instrument]:
    """KemenPAN-RB's PEKPPP instruments, oldest first."""
    return sorted(
        (i for i in list_instruments() if program_of(i.code) == Program.PEKPPP),
        key=lambda i: (min(i.cycles, default=0), _version(i)),
    )


def ombudsman_instruments() -> list[Instrument]:
    """The Ombudsman's instruments, oldest first (by first cycle year, then version)."""
    return sorted(
        (i for i in list_instruments() if is_ombudsman(i)),
        key=lambda i: (min(i.cycles, default=0), _version(i)),
    )


def instrument_for_year(year: int, instruments: list[Instrument]) -> Instrument | None:
    """The Ombudsman instrument a new cycle of ``year`` takes: one whose cycles contain the
    year, still in force (not ``superseded_by`` another) before a superseded one."""
    from patuh.scoring.published_check import instrument_for

    return instrument_for("ombudsman", year, instruments)


def _sites_refusal(cycle: Cycle | None = None) -> str:
    if cycle is not None and cycle.program == Program.PEKPPP:
        return _(
            "Evaluasi PEKPPP dilakukan pada lokus yang ditetapkan: pilih pemerintah dan unit "
            "di halaman Lokus penilaian."
        )
    return _(
        "Pada siklus ini Ombudsman memilih lokus penilaian (sampel, bukan semua unit): "
        "pilih pemerintah dan unit di halaman Lokus penilaian."
    )


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
    if kind == AssessmentKind.OFFICIAL and sites_are_chosen(cycle):
        raise ValidationError(_sites_refusal(cycle), code="sites_chosen")
    with transaction.atomic():
        units = ServiceUnit.objects.filter(government__in=campaign_governments(cycle))
        if cycle.program == Program.PEKPPP:
            # the F-01 is filled by the lokus only
            units = units.filter(pk__in=chosen_sites(cycle).values("service_unit_id"))
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
    """Users who may be assigned in this cycle: the Ombudsman's assessors of its province (or
    any assessor); in a PEKPPP cycle KemenPAN-RB's evaluators instead, national ones or those
    of its province."""
    from django.contrib.auth import get_user_model

    if cycle.program == Program.PEKPPP:
        memberships = Membership.objects.filter(role=Role.EVALUATOR)
        if cycle.province_id is not None:
            memberships = memberships.filter(province__isnull=True) | memberships.filter(
                province_id=cycle.province_id
            )
        return (
            get_user_model()
            .objects.filter(pk__in=memberships.values("user_id"), is_active=True)
            .order_by("username")
        )
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
        if cycle.program == Program.PEKPPP:
            message = _("%(user)s bukan evaluator KemenPAN-RB untuk wilayah siklus ini.")
        else:
            message = _("%(user)s bukan penilai di wilayah siklus ini.")
        raise ValidationError(message % {"user": assessor.username}, code="not_assessor")
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
    instrument = load_instrument(instrument_code)
    if instrument.cycles and year not in instrument.cycles:
        raise ValidationError(
            _(
                "Instrumen %(code)s dipakai untuk siklus %(years)s, bukan %(year)s: pilih "
                "instrumen yang mencakup tahun itu."
            )
            % {
                "code": instrument_code,
                "years": ", ".join(str(y) for y in instrument.cycles),
                "year": year,
            },
            code="year_not_covered",
        )
    program = program_of(instrument_code)
    if Cycle.objects.filter(program=program, year=year, province=province).exists():
        if program == Program.PEKPPP:
            message = _("Siklus PEKPPP %(year)s untuk wilayah ini sudah ada.")
        else:
            message = _("Siklus %(year)s untuk wilayah ini sudah ada.")
        raise ValidationError(message % {"year": year}, code="exists")
    region = province.name if province is not None else _("Nasional")
    if program == Program.PEKPPP:
        default_name = _("Evaluasi Pelayanan Publik (PEKPPP) %(year)s — %(region)s")
    else:
        default_name = _("Penilaian Penyelenggaraan Pelayanan Publik %(year)s — %(region)s")
    name = name.strip() or default_name % {"year": year, "region": region}
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
                "program": program,
                "instrument": instrument_code,
                "province": province.region_code if province is not None else None,
            },
        )
    return cycle


UNIT_ADDED = "cycle.unit_added"


def add_unit(cycle: Cycle, unit: ServiceUnit, kind: str, *, actor: Any, reason: str) -> Assessment:
    """Add one unit to the campaign (a unit found at the visit, a unit split off), with a
    reason. A unit dropped earlier is restored instead (see ``workflow``)."""
    from patuh.assessments.access import can_manage_cycle

    if (
        kind == AssessmentKind.OFFICIAL
        and sites_are_chosen(cycle)
        and not can_manage_cycle(actor, cycle)
    ):
        raise PermissionDenied(
            _(
                "Unit yang dinilai pada siklus ini dipilih Ombudsman; hanya admin perwakilan "
                "wilayah ini atau admin nasional yang menambah lokus."
            )
        )
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


@dataclass(frozen=True)
class SitesChange:
    """What :func:`choose_sites` did."""

    added: tuple[str, ...]
    restored: tuple[str, ...]
    dropped: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return bool(self.added or self.restored or self.dropped)


def _site(unit: ServiceUnit) -> str:
    return f"{unit.government.region_code}/{unit.code}"


def chosen_sites(cycle: Cycle) -> Any:
    """The official assessments of ``cycle`` still in the campaign (not dropped)."""
    return Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL).exclude(
        status=AssessmentStatus.DROPPED
    )


def choose_sites(
    cycle: Cycle,
    units: Iterable[ServiceUnit],
    *,
    actor: Any,
    reason: str = "",
    within: Any = None,
) -> SitesChange:
    """Make ``units`` the sites of ``cycle``'s official assessment among the governments
    ``within`` (default: all the cycle's governments): create the assessments of new sites
    (with what entry needs), restore sites dropped earlier and drop the sites left out, with
    ``reason``. A site whose assessment has answers, or is verified further than a draft can be
    dropped, is not removed: the whole choice is refused naming it. One audit row
    ``cycle.sites_chosen`` with the sites before and after."""
    from patuh.assessments.access import can_manage_cycle
    from patuh.assessments.workflow import TRANSITIONS, transition
    from patuh.notifications.events import assessments_moved

    if not sites_are_chosen(cycle):
        raise ValidationError(
            _("Siklus ini menilai semua unit wilayahnya; lokus tidak dipilih."), code="not_chosen"
        )
    if not can_manage_cycle(actor, cycle):
        raise PermissionDenied(_("Hanya admin perwakilan wilayah ini atau admin nasional."))
    governments = campaign_governments(cycle) if within is None else within
    scope = ServiceUnit.objects.filter(government__in=governments)
    wanted = {unit.pk for unit in units}
    outside = wanted - set(scope.filter(pk__in=wanted).values_list("pk", flat=True))
    if outside:
        raise ValidationError(_("Unit di luar wilayah siklus ini."), code="outside")
    reason = reason.strip()
    with transaction.atomic():
        official = {
            a.service_unit_id: a
            for a in Assessment.objects.select_for_update(of=("self",))
            .filter(cycle=cycle, kind=AssessmentKind.OFFICIAL, service_unit__in=scope)
            .select_related("cycle", "service_unit__government")
        }
        before = {pk for pk, a in official.items() if a.status != AssessmentStatus.DROPPED}
        leaving = [official[pk] for pk in sorted(before - wanted)]
        if leaving and not reason:
            raise ValidationError(
                _("Alasan mengeluarkan lokus wajib diisi (%(units)s).")
                % {"units": ", ".join(str(a.service_unit) for a in leaving)},
                code="reason_required",
            )
        answered = set(
            Answer.objects.filter(assessment__in=leaving).values_list("assessment_id", flat=True)
        ) | set(
            Evidence.objects.filter(assessment__in=leaving).values_list("assessment_id", flat=True)
        )
        droppable, _target = TRANSITIONS["drop"]
        kept = [a for a in leaving if a.pk in answered or a.status not in droppable]
        if kept:
            raise ValidationError(
                _(
                    "Lokus berikut tidak dapat dikeluarkan karena penilaiannya sudah berisi "
                    "jawaban atau bukti, atau sudah final: %(units)s. Tidak ada yang diubah."
                )
                % {"units": "; ".join(str(a.service_unit) for a in kept)},
                code="has_answers",
            )
        dropped = [
            transition(assessment, "drop", actor=actor, reason=reason, notify=False)
            for assessment in leaving
        ]
        back_reason = reason or _("Dipilih kembali sebagai lokus penilaian.")
        restored = [
            transition(official[pk], "restore", actor=actor, reason=back_reason, notify=False)
            for pk in sorted(wanted & set(official))
            if pk not in before
        ]
        assessments_moved("drop", dropped, actor=actor, reason=reason)
        assessments_moved("restore", restored, actor=actor, reason=back_reason)
        new_units = list(scope.filter(pk__in=wanted - set(official)).select_related("government"))
        Assessment.objects.bulk_create(
            [
                Assessment(
                    cycle=cycle,
                    service_unit=unit,
                    kind=AssessmentKind.OFFICIAL,
                    is_synthetic=cycle.is_synthetic,
                )
                for unit in new_units
            ]
        )
        prepare_assessments(
            Assessment.objects.filter(
                cycle=cycle, kind=AssessmentKind.OFFICIAL, service_unit__in=new_units
            ).select_related("cycle")
        )
        change = SitesChange(
            added=tuple(sorted(_site(u) for u in new_units)),
            restored=tuple(sorted(_site(a.service_unit) for a in restored)),
            dropped=tuple(sorted(_site(a.service_unit) for a in leaving)),
        )
        if change.changed:
            after = (before - {a.service_unit_id for a in leaving}) | wanted
            names = {
                u.pk: _site(u)
                for u in scope.filter(pk__in=before | after).select_related("government")
            }
            record_event(
                actor=actor,
                action=SITES_CHOSEN,
                obj=cycle,
                old={"units": sorted(names[pk] for pk in before)},
                new={
                    "units": sorted(names[pk] for pk in after),
                    "added": list(change.added),
                    "restored": list(change.restored),
                    "dropped": list(change.dropped),
                },
                reason=reason,
            )
    return change
