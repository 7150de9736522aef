"""Running a cycle (regional office admin, national admin): opening it, then stage dates,
window overrides, the campaign of assessments and the assessors' assignments, on one page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.accounts.roles import Role
from patuh.assessments import campaigns
from patuh.assessments.access import can_manage_cycle, is_national_admin, roles_of
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AssessorAssignment,
    Cycle,
    Program,
    Stage,
    StageOverride,
    program_of,
)
from patuh.assessments.programs import kind_label
from patuh.assessments.stages import window
from patuh.core.forms import parse_date
from patuh.orgs.models import Province, Sector, ServiceUnit
from patuh.scoring import Instrument, list_instruments


def _handle(request: HttpRequest, cycle: Cycle) -> str:
    """Apply the posted action; return the message to show."""
    action = request.POST.get("action")
    user = request.user
    governments = campaigns.campaign_governments(cycle)
    if action == "dates":
        changed = 0
        for stage in Stage:
            starts = parse_date(request.POST.get(f"starts-{stage.value}", ""), str(stage.label))
            ends = parse_date(request.POST.get(f"ends-{stage.value}", ""), str(stage.label))
            before = cycle.stages.filter(stage=stage.value).first()
            if before is None and starts is None and ends is None:
                continue
            if before is not None and (before.starts_on, before.ends_on) == (starts, ends):
                continue
            campaigns.set_stage_dates(
                cycle, stage.value, starts, ends, actor=user, reason=request.POST.get("reason", "")
            )
            changed += 1
        return _("%(count)s tahap diperbarui.") % {"count": changed}
    if action == "override":
        stage = request.POST.get("stage", "")
        if stage not in Stage.values:
            raise ValidationError(_("Pilih tahap."))
        open_until = parse_date(request.POST.get("open_until", ""), _("Dibuka sampai"))
        if open_until is None:
            raise ValidationError(_("Isi tanggal 'dibuka sampai'."))
        code = request.POST.get("government", "")
        government = get_object_or_404(governments, region_code=code) if code else None
        campaigns.override_window(
            cycle,
            stage,
            open_until=open_until,
            reason=request.POST.get("reason", ""),
            actor=user,
            government=government,
        )
        return _("Jendela tahap diperpanjang.")
    if action == "campaign":
        kind = request.POST.get("kind", "")
        created = campaigns.create_campaign(cycle, kind, actor=user)
        return _("%(count)s penilaian dibuat.") % {"count": created}
    if action == "assign":
        government = get_object_or_404(governments, region_code=request.POST.get("government"))
        assessor = get_object_or_404(get_user_model(), pk=request.POST.get("assessor") or 0)
        campaigns.assign_assessor(cycle, government, assessor, actor=user)
        return _("%(user)s ditugaskan ke %(government)s.") % {
            "user": assessor.username,
            "government": government.name,
        }
    if action == "add_unit":
        unit = get_object_or_404(
            ServiceUnit.objects.filter(government__in=governments), pk=request.POST.get("unit") or 0
        )
        kind = request.POST.get("kind", AssessmentKind.OFFICIAL)
        if kind not in AssessmentKind.values:
            raise ValidationError(_("Jenis penilaian tidak dikenal."))
        campaigns.add_unit(cycle, unit, kind, actor=user, reason=request.POST.get("reason", ""))
        return _("%(unit)s ditambahkan ke kampanye.") % {"unit": unit}
    if action == "unassign":
        assignment = get_object_or_404(
            AssessorAssignment, pk=request.POST.get("assignment") or 0, cycle=cycle
        )
        campaigns.unassign_assessor(assignment, actor=user, reason=request.POST.get("reason", ""))
        return _("Penugasan dicabut.")
    raise ValidationError(_("Tindakan tidak dikenal."))


@login_required
def manage_cycle(request: HttpRequest, cycle_id: int) -> HttpResponse:
    cycle = get_object_or_404(
        Cycle.objects.for_user(request.user).select_related("province"), pk=cycle_id
    )
    if not can_manage_cycle(request.user, cycle):
        raise PermissionDenied(_("Hanya admin perwakilan wilayah ini atau admin nasional."))
    if request.method == "POST":
        try:
            messages.success(request, _handle(request, cycle))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(reverse("assessments:manage_cycle", args=[cycle.pk]))
    governments = list(campaigns.campaign_governments(cycle).order_by("region_code"))
    counts: dict[str, dict[str, Any]] = {}
    for row in (
        Assessment.objects.filter(cycle=cycle)
        .values("kind", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(row["kind"], {})[row["status"]] = row["n"]
    stages = {stage.stage: stage for stage in cycle.stages.all()}
    assignments = list(
        AssessorAssignment.objects.filter(cycle=cycle).select_related("government", "assessor")
    )
    context = {
        "cycle": cycle,
        "stages": [
            {
                "code": stage.value,
                "label": stage.label,
                "stage": stages.get(stage.value),
                "window": window(cycle, stage.value),
            }
            for stage in Stage
        ],
        "overrides": StageOverride.objects.filter(stage__cycle=cycle).select_related(
            "stage", "government", "created_by"
        ),
        "governments": governments,
        "kinds": [
            (kind.value, kind_label(cycle, kind.value), sum(counts.get(kind.value, {}).values()))
            for kind in AssessmentKind
        ],
        "unit_count": ServiceUnit.objects.filter(government__in=governments).count(),
        "assessors": campaigns.assessors_for(cycle),
        "units_outside": ServiceUnit.objects.filter(government__in=governments)
        .exclude(assessments__cycle=cycle, assessments__kind=AssessmentKind.OFFICIAL)
        .select_related("government")
        .order_by("government__region_code", "name")[:500],
        "dropped": Assessment.objects.filter(cycle=cycle, status="dropped").select_related(
            "service_unit__government"
        ),
        "assignments": assignments,
        "sites_chosen": campaigns.sites_are_chosen(cycle),
    }
    return render(request, "assessments/manage_cycle.html", context)


def _sites_governments(cycle: Cycle, province_code: str) -> tuple[Any, Province | None]:
    """The governments the sites page shows: the cycle's, narrowed to one province on a
    national cycle when asked (``-`` for the kementerian and lembaga)."""
    governments = campaigns.campaign_governments(cycle)
    if cycle.province_id is not None or not province_code:
        return governments, None
    if province_code == "-":
        return governments.filter(province__isnull=True), None
    province = get_object_or_404(Province, region_code=province_code)
    return governments.filter(province=province), province


def _sites_from_form(
    cycle: Cycle, units: Any, posted: list[ServiceUnit], ticked: set[int]
) -> list[ServiceUnit]:
    """The units the form chooses. The unit boxes decide, except: an entity newly ticked with
    none of its units ticked takes all its units, and an entity that had sites and is now
    unticked is left out entirely."""
    had = set(
        campaigns.chosen_sites(cycle)
        .filter(service_unit__in=units)
        .values_list("service_unit__government_id", flat=True)
    )
    by_government: dict[int, list[ServiceUnit]] = {}
    for unit in posted:
        by_government.setdefault(unit.government_id, []).append(unit)
    chosen: list[ServiceUnit] = []
    for government_id in ticked | set(by_government):
        if government_id in had and government_id not in ticked:
            continue
        if government_id not in had and government_id not in by_government:
            chosen += list(units.filter(government_id=government_id))
            continue
        chosen += by_government.get(government_id, [])
    return chosen


@login_required
def cycle_sites(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """Lokus penilaian: the regional office chooses the entities and units of an official
    2025+ cycle (a sample chosen by the Ombudsman, not proposed by the assessed entity)."""
    cycle = get_object_or_404(
        Cycle.objects.for_user(request.user).select_related("province"), pk=cycle_id
    )
    if not can_manage_cycle(request.user, cycle):
        raise PermissionDenied(_("Hanya admin perwakilan wilayah ini atau admin nasional."))
    manage_url = reverse("assessments:manage_cycle", args=[cycle.pk])
    if not campaigns.sites_are_chosen(cycle):
        messages.info(request, _("Siklus ini menilai semua unit wilayahnya; lokus tidak dipilih."))
        return redirect(manage_url)
    province_code = request.GET.get("province", "")
    governments, province = _sites_governments(cycle, province_code)
    units = ServiceUnit.objects.filter(government__in=governments)
    if request.method == "POST":
        ids = set(request.POST.getlist("unit"))
        if not all(value.isdigit() for value in ids):
            raise Http404
        posted = list(units.filter(pk__in=ids))
        if len(posted) != len(ids):
            raise Http404
        ticked = {
            get_object_or_404(governments, region_code=code).pk
            for code in request.POST.getlist("government")
        }
        chosen = _sites_from_form(cycle, units, posted, ticked)
        try:
            change = campaigns.choose_sites(
                cycle,
                chosen,
                actor=request.user,
                reason=request.POST.get("reason", ""),
                within=governments,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "Lokus disimpan: %(added)s ditambahkan, %(restored)s dikembalikan, "
                    "%(dropped)s dikeluarkan."
                )
                % {
                    "added": len(change.added),
                    "restored": len(change.restored),
                    "dropped": len(change.dropped),
                },
            )
        query = f"?province={province_code}" if province_code else ""
        return redirect(reverse("assessments:cycle_sites", args=[cycle.pk]) + query)
    status = dict(
        Assessment.objects.filter(
            cycle=cycle, kind=AssessmentKind.OFFICIAL, service_unit__in=units
        ).values_list("service_unit_id", "status")
    )
    rows = []
    for government in governments.order_by("region_code").prefetch_related("units"):
        sectors: dict[str, list[dict[str, Any]]] = {}
        for unit in sorted(government.units.all(), key=lambda u: (u.sector, u.name)):
            sectors.setdefault(unit.sector, []).append(
                {
                    "unit": unit,
                    "chosen": status.get(unit.pk) not in (None, AssessmentStatus.DROPPED),
                    "dropped": status.get(unit.pk) == AssessmentStatus.DROPPED,
                }
            )
        chosen = sum(item["chosen"] for items in sectors.values() for item in items)
        rows.append(
            {
                "government": government,
                "chosen": chosen,
                "sectors": [
                    (Sector(code).label, sectors[code]) for code in Sector.values if code in sectors
                ],
            }
        )
    chosen_all = campaigns.chosen_sites(cycle)
    context = {
        "cycle": cycle,
        "rows": rows,
        "province": province,
        "province_code": province_code,
        "provinces": Province.objects.order_by("region_code") if cycle.province_id is None else [],
        "entities_chosen": chosen_all.values("service_unit__government_id").distinct().count(),
        "units_chosen": chosen_all.count(),
        "entities_shown": sum(1 for row in rows if row["chosen"]),
        "units_shown": sum(row["chosen"] for row in rows),
    }
    return render(request, "assessments/cycle_sites.html", context)


def _provinces_to_open(user: Any) -> tuple[list[Province], bool]:
    """Provinces the user may open a cycle for, and whether a national cycle is allowed."""
    if is_national_admin(user):
        return list(Province.objects.order_by("region_code")), True
    ids = [m.province_id for m in roles_of(user) if m.role == Role.REGIONAL_OFFICE_ADMIN]
    return list(Province.objects.filter(pk__in=ids).order_by("region_code")), False


def _instrument_choice(instrument: Instrument, instruments: list[Instrument]) -> dict[str, Any]:
    """One option of the new-cycle form: the instrument's name and cycle years, flagged when a
    later version supersedes it, and the years it is preselected for."""
    later = instrument.superseded_by
    years = ", ".join(str(year) for year in instrument.cycles)
    label = f"{instrument.name} — {_('siklus')} {years}" if years else instrument.name
    label = f"{Program(program_of(instrument.code)).label}: {label}"
    if later:
        label += " — " + _("versi peralihan, digantikan %(code)s") % {"code": later}
    if instrument.provisional:
        label += " — " + _("sebagian sementara")
    preferred = [
        year
        for year in instrument.cycles
        if campaigns.instrument_for_year(year, instruments) == instrument
    ]
    return {
        "code": instrument.code,
        "label": label,
        "preferred_for": " ".join(str(year) for year in preferred),
        "superseded": bool(later),
    }


@login_required
def open_cycle(request: HttpRequest) -> HttpResponse:
    provinces, national = _provinces_to_open(request.user)
    if not provinces and not national:
        raise PermissionDenied(_("Hanya admin perwakilan atau admin nasional yang membuka siklus."))
    instruments = campaigns.ombudsman_instruments() or list_instruments()
    if national:
        # KemenPAN-RB's evaluation is opened by headquarters only
        instruments = instruments + campaigns.pekppp_instruments()
    year_text = request.POST.get("year") or request.GET.get("year") or ""
    if not year_text.isdigit():
        year_text = str(timezone.localdate().year)
    preselected = campaigns.instrument_for_year(int(year_text), instruments) or next(
        (i for i in reversed(instruments) if not i.superseded_by),
        instruments[-1],
    )
    form = {
        "year": request.POST.get("year", year_text),
        "instrument": request.POST.get("instrument", preselected.code),
        "province": request.POST.get("province", provinces[0].region_code if provinces else ""),
        "name": request.POST.get("name", ""),
    }
    if request.method == "POST":
        try:
            code = form["province"]
            if code:
                province = next((p for p in provinces if p.region_code == code), None)
                if province is None:
                    raise PermissionDenied
            elif national:
                province = None
            else:
                raise ValidationError(_("Pilih provinsi."))
            if program_of(form["instrument"]) == Program.PEKPPP and not national:
                raise ValidationError(_("Siklus PEKPPP KemenPAN-RB dibuka oleh admin nasional."))
            try:
                year = int(form["year"])
            except ValueError as error:
                raise ValidationError(_("Tahun harus angka.")) from error
            cycle = campaigns.open_cycle(
                year=year,
                instrument_code=form["instrument"],
                province=province,
                actor=request.user,
                name=form["name"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Siklus dibuka. Tetapkan jadwal tahapnya di bawah."))
            return redirect(reverse("assessments:manage_cycle", args=[cycle.pk]))
    return render(
        request,
        "assessments/open_cycle.html",
        {
            "provinces": provinces,
            "national": national,
            "instruments": [
                _instrument_choice(i, instruments)
                for program in Program.values
                for i in reversed(instruments)
                if program_of(i.code) == program
            ],
            "form": form,
        },
    )
