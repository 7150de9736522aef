"""Result pages of a cycle and of one government, the coordinator's readiness table and the
self-vs-official comparison. Every view starts with an access helper."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patuh.assessments.access import can_manage_cycle, is_verifier
from patuh.assessments.ipp import ipp_view
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    Comment,
    Cycle,
    Evidence,
    Program,
    Stage,
)
from patuh.assessments.presenters import (
    ReadinessRow,
    answered_counts,
    compare_units,
    government_page,
)
from patuh.assessments.programs import kind_label
from patuh.assessments.services import assessment_kinds, score_assessments, score_cycle
from patuh.assessments.stages import window
from patuh.followup.models import FollowUpAction
from patuh.orgs.models import Government, ServiceUnit
from patuh.results.layers import live_layers
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument


def _get_cycles_for_user(user: Any, year: int, program: str = Program.OMBUDSMAN) -> list[Cycle]:
    """The cycles of ``program`` and ``year`` the user may see, or 404."""
    cycles = list(
        Cycle.objects.for_user(user)
        .filter(year=year, program=program)
        .select_related("province")
        .prefetch_related("stages")
    )
    if not cycles:
        raise Http404("Siklus tidak ditemukan")
    return cycles


def _get_government_for_user(
    user: Any, year: int, region_code: str, program: str = Program.OMBUDSMAN
) -> tuple[Cycle, Government]:
    """The government (and its cycle of ``program`` and ``year``) if the user may see it, or
    404. The year routes mean the Ombudsman's cycle; ``/pekppp/<year>/…`` the PEKPPP one."""
    government = get_object_or_404(
        Government.objects.for_user(user).select_related("province"), region_code=region_code
    )
    cycle = (
        Cycle.objects.for_user(user)
        .filter(year=year, program=program)
        .filter(Q(province=government.province_id) | Q(province__isnull=True))
        .order_by(F("province").desc(nulls_last=True))
        .first()
    )
    if cycle is None:
        raise Http404("Siklus tidak ditemukan")
    return cycle, government


@login_required
def cycle_detail(request: HttpRequest, year: int, program: str = Program.OMBUDSMAN) -> HttpResponse:
    cycles = _get_cycles_for_user(request.user, year, program)
    governments = Government.objects.for_user(request.user)
    sections = [
        {
            "cycle": cycle,
            "can_manage": can_manage_cycle(request.user, cycle),
            "can_batch": can_manage_cycle(request.user, cycle) or is_verifier(request.user),
            "instrument": load_instrument(cycle.instrument_code),
            "stages": cycle.stages_in_order(),
            "rows": score_cycle(cycle, governments),
            "final": set(
                ResultSnapshot.objects.current()
                .filter(cycle=cycle)
                .values_list("government__region_code", flat=True)
            ),
        }
        for cycle in cycles
    ]
    return render(
        request,
        "assessments/cycle.html",
        {"year": year, "program": program, "sections": sections},
    )


@login_required
def government_result(
    request: HttpRequest, year: int, region_code: str, program: str = Program.OMBUDSMAN
) -> HttpResponse:
    cycle, government = _get_government_for_user(request.user, year, region_code, program)
    kinds = assessment_kinds(cycle, government)
    kind = request.GET.get("jenis", AssessmentKind.OFFICIAL)
    if kind not in kinds:
        raise Http404("Penilaian tidak ditemukan")
    result = score_assessments(cycle, government, kind)
    if result is None:
        raise Http404("Penilaian tidak ditemukan")
    visible_units = set(
        ServiceUnit.objects.for_user(request.user)
        .filter(government=government)
        .values_list("code", flat=True)
    )
    unit_rows = {
        code: (pk, status)
        for code, pk, status in Assessment.objects.for_user(request.user)
        .filter(cycle=cycle, kind=kind, service_unit__government=government)
        .values_list("service_unit__code", "pk", "status")
    }
    context = {
        "cycle": cycle,
        "government": government,
        "kind": kind,
        "kinds": [(k, kind_label(cycle, k)) for k in kinds],
        "kind_label": kind_label(cycle, kind),
        "assessment_ids": {code: pk for code, (pk, _status) in unit_rows.items()},
        "statuses": {
            code: (status, AssessmentStatus(status).label)
            for code, (_pk, status) in unit_rows.items()
        },
        "can_verify": is_verifier(request.user) and kind != AssessmentKind.SELF,
        "has_follow_up": FollowUpAction.objects.filter(cycle=cycle, government=government).exists(),
        **government_page(result, visible_units),
        "ipp": ipp_view(cycle, government, kind, visible_units),
    }
    return render(request, "assessments/government.html", context)


@login_required
def readiness(
    request: HttpRequest, year: int, region_code: str, program: str = Program.OMBUDSMAN
) -> HttpResponse:
    """Every unit's self-assessment: progress, evidence, open comments, gaps, and the official
    result beside it when there is one (the coordinator's monitoring table)."""
    cycle, government = _get_government_for_user(request.user, year, region_code, program)
    units = list(ServiceUnit.objects.for_user(request.user).filter(government=government))
    assessments = {
        (a.service_unit_id, a.kind): a
        for a in Assessment.objects.for_user(request.user).filter(
            cycle=cycle, service_unit__in=units
        )
    }
    self_result = score_assessments(cycle, government, AssessmentKind.SELF)
    official_result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    self_units = {u.code: u for u in self_result.units} if self_result else {}
    official_units = {u.code: u for u in official_result.units} if official_result else {}
    self_ids = [a.pk for (_, kind), a in assessments.items() if kind == AssessmentKind.SELF]
    evidence = dict(
        Evidence.objects.filter(assessment__in=self_ids, removed_at__isnull=True)
        .values("assessment_id")
        .annotate(n=Count("indicator_code", distinct=True))
        .values_list("assessment_id", "n")
    )
    threads = dict(
        Comment.objects.filter(
            assessment__in=self_ids, parent__isnull=True, resolved_at__isnull=True
        )
        .values("assessment_id")
        .annotate(n=Count("id"))
        .values_list("assessment_id", "n")
    )
    rows = []
    for unit in units:
        assessment = assessments.get((unit.pk, AssessmentKind.SELF))
        mine = self_units.get(unit.code)
        answered, applicable = answered_counts(mine) if mine else (0, 0)
        rows.append(
            ReadinessRow(
                unit=unit,
                assessment=assessment,
                answered=answered,
                applicable=applicable,
                with_evidence=evidence.get(assessment.pk, 0) if assessment else 0,
                open_threads=threads.get(assessment.pk, 0) if assessment else 0,
                self_result=mine,
                official_result=official_units.get(unit.code),
                gaps=mine.explanation[:3] if mine else [],
            )
        )
    context = {
        "cycle": cycle,
        "government": government,
        "instrument": load_instrument(cycle.instrument_code),
        "rows": rows,
        "self_result": self_result,
        "official_result": official_result,
        "official_layers": live_layers(official_result),
        "all_units_visible": len(units) == government.units.count(),
        "window": window(cycle, Stage.SELF_ASSESSMENT, government),
    }
    return render(request, "assessments/readiness.html", context)


@login_required
def compare(
    request: HttpRequest, year: int, region_code: str, program: str = Program.OMBUDSMAN
) -> HttpResponse:
    """The self-assessment beside the official assessment, per unit and indicator."""
    cycle, government = _get_government_for_user(request.user, year, region_code, program)
    instrument = load_instrument(cycle.instrument_code)
    self_result = score_assessments(cycle, government, AssessmentKind.SELF)
    official_result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    if self_result is None and official_result is None:
        raise Http404("Penilaian tidak ditemukan")
    visible = set(
        ServiceUnit.objects.for_user(request.user)
        .filter(government=government)
        .values_list("code", flat=True)
    )
    units = [
        unit
        for unit in compare_units(instrument, self_result, official_result)
        if unit.code in visible
    ]
    all_visible = all(
        unit.code in visible
        for result in (self_result, official_result)
        if result is not None
        for unit in result.units
    )
    context = {
        "cycle": cycle,
        "government": government,
        "instrument": instrument,
        "units": units,
        "self_result": self_result if all_visible else None,
        "official_result": official_result if all_visible else None,
    }
    return render(request, "assessments/compare.html", context)
