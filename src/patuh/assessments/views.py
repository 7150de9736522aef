"""Result pages of a cycle and of one government. Every view starts with an access helper."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patuh.assessments.models import AssessmentKind, Cycle
from patuh.assessments.presenters import government_page
from patuh.assessments.services import assessment_kinds, score_assessments, score_cycle
from patuh.orgs.models import Government, ServiceUnit
from patuh.scoring import load_instrument


def _get_cycles_for_user(user: Any, year: int) -> list[Cycle]:
    """The cycles of ``year`` the user may see, or 404."""
    cycles = list(
        Cycle.objects.for_user(user)
        .filter(year=year)
        .select_related("province")
        .prefetch_related("stages")
    )
    if not cycles:
        raise Http404("Siklus tidak ditemukan")
    return cycles


def _get_government_for_user(user: Any, year: int, region_code: str) -> tuple[Cycle, Government]:
    """The government (and its cycle of ``year``) if the user may see it, or 404."""
    government = get_object_or_404(
        Government.objects.for_user(user).select_related("province"), region_code=region_code
    )
    cycle = (
        Cycle.objects.for_user(user)
        .filter(year=year)
        .filter(Q(province=government.province_id) | Q(province__isnull=True))
        .order_by(F("province").desc(nulls_last=True))
        .first()
    )
    if cycle is None:
        raise Http404("Siklus tidak ditemukan")
    return cycle, government


@login_required
def cycle_detail(request: HttpRequest, year: int) -> HttpResponse:
    cycles = _get_cycles_for_user(request.user, year)
    governments = Government.objects.for_user(request.user)
    sections = [
        {
            "cycle": cycle,
            "instrument": load_instrument(cycle.instrument_code),
            "stages": cycle.stages_in_order(),
            "rows": score_cycle(cycle, governments),
        }
        for cycle in cycles
    ]
    return render(request, "assessments/cycle.html", {"year": year, "sections": sections})


@login_required
def government_result(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    cycle, government = _get_government_for_user(request.user, year, region_code)
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
    context = {
        "cycle": cycle,
        "government": government,
        "kind": kind,
        "kinds": [(k, AssessmentKind(k).label) for k in kinds],
        "kind_label": AssessmentKind(kind).label,
        **government_page(result, visible_units),
    }
    return render(request, "assessments/government.html", context)
