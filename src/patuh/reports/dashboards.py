"""Dashboards: a cycle nationally or per province, and one government over the years.

Figures come from the result snapshots (final results) and, for governments not final yet,
the live result labelled as draft. Each page runs a fixed number of queries, whatever the
number of governments (the counts are pinned by tests)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patuh.assessments.models import Assessment, AssessmentKind, Cycle
from patuh.assessments.services import score_assessments
from patuh.assessments.views import _get_cycles_for_user
from patuh.followup.models import FollowUpAction
from patuh.followup.services import progress
from patuh.orgs.models import Government, Province
from patuh.reports.charts import bar_chart, count_bars, zone_bars
from patuh.results.models import ResultSnapshot
from patuh.results.services import ranking
from patuh.scoring.ranking import distribution

ZONES = ("hijau", "kuning", "merah", "hitam")


@login_required
def cycle_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Zone and category counts and the ranking tables of the final results the user may see."""
    province = None
    if request.GET.get("provinsi"):
        province = get_object_or_404(
            Province.objects.for_user(request.user), region_code=request.GET["provinsi"]
        )
    visible = set(Government.objects.for_user(request.user).values_list("region_code", flat=True))
    sections = []
    for cycle in _get_cycles_for_user(request.user, year):
        result = ranking(cycle, published_only=False, province=province)
        groups = {
            group: [item for item in ranked if item.entry.key in visible]
            for group, ranked in result.groups.items()
        }
        groups = {group: ranked for group, ranked in groups.items() if ranked}
        entries = [item.entry for ranked in groups.values() for item in ranked]
        zones, categories = distribution(entries)
        zone_counts = [(zone, zones.get(zone, 0)) for zone in ZONES if zones.get(zone)]
        bars, top = count_bars(zone_counts)
        assessed = (
            Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL)
            .values("service_unit__government__region_code")
            .distinct()
            .count()
        )
        sections.append(
            {
                "cycle": cycle,
                "groups": groups,
                "ranking": result,
                "zone_chart": bar_chart(bars, maximum=top, decimals=0, label_width=90)
                if bars
                else "",
                "categories": sorted(categories.items()),
                "final_count": len(entries),
                "draft_count": max(0, assessed - len(result.snapshots)),
            }
        )
    return render(
        request,
        "reports/cycle_dashboard.html",
        {"year": year, "sections": sections, "province": province},
    )


@login_required
def government_dashboard(request: HttpRequest, region_code: str) -> HttpResponse:
    """One government over the cycles: score, category and zone per year (final or draft),
    its units by dimension in the latest cycle, and the follow-up progress."""
    government = get_object_or_404(
        Government.objects.for_user(request.user), region_code=region_code
    )
    cycles = list(
        Cycle.objects.for_user(request.user)
        .filter(assessments__service_unit__government=government, assessments__kind="official")
        .distinct()
        .order_by("year")
    )
    if not cycles:
        raise Http404("Belum ada penilaian")
    snapshots = {
        s.cycle_id: s
        for s in ResultSnapshot.objects.current().filter(government=government, cycle__in=cycles)
    }
    years = []
    for cycle in cycles:
        snapshot = snapshots.get(cycle.pk)
        if snapshot is not None:
            years.append(
                {
                    "cycle": cycle,
                    "score": Decimal(snapshot.score),
                    "category": snapshot.category,
                    "zone": snapshot.zone,
                    "final": True,
                }
            )
        else:
            live = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
            if live is not None:
                years.append(
                    {
                        "cycle": cycle,
                        "score": live.rounded,
                        "category": live.band.category,
                        "zone": live.band.zone or "",
                        "final": False,
                    }
                )
    trend = bar_chart(
        zone_bars(
            [
                (
                    f"{row['cycle'].year} ({row['cycle'].instrument_code})",
                    row["score"],
                    row["zone"],
                    row["category"] + ("" if row["final"] else " · draf"),
                )
                for row in years
            ]
        ),
        label_width=220,
    )
    finals = [row["cycle"] for row in years if row["final"]]
    latest = finals[-1] if finals else cycles[-1]
    latest_result = score_assessments(latest, government, AssessmentKind.OFFICIAL)
    actions = FollowUpAction.objects.filter(government=government).select_related("cycle")
    follow_up = {}
    for action in actions:
        follow_up.setdefault(action.cycle.year, []).append(action)
    return render(
        request,
        "reports/government_dashboard.html",
        {
            "government": government,
            "years": years,
            "trend_chart": trend,
            "instruments_differ": len({row["cycle"].instrument_code for row in years}) > 1,
            "latest": latest,
            "latest_result": latest_result,
            "unit_chart": bar_chart(
                zone_bars(
                    [(u.name, u.score, u.band.zone, u.band.category) for u in latest_result.units]
                )
            )
            if latest_result
            else "",
            "follow_up": [
                {"year": year, "progress": progress(items)}
                for year, items in sorted(follow_up.items())
            ],
        },
    )
