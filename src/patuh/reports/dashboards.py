"""Dashboards: a cycle nationally or per province, and one government over the years.

Figures come from the result snapshots (final results) and, for governments not final yet,
the live result labelled as draft. Each page runs a fixed number of queries, whatever the
number of governments (the counts are pinned by tests)."""

from __future__ import annotations

import functools
import hashlib
from decimal import Decimal
from typing import Any

import orjson
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from patuh.accounts.scopes import scope_for
from patuh.assessments.models import Assessment, AssessmentKind, Cycle, Program
from patuh.assessments.services import score_assessments
from patuh.assessments.views import _get_cycles_for_user
from patuh.followup.models import ActionStatus, FollowUpAction
from patuh.followup.services import Progress
from patuh.orgs.models import Government, Province, ServiceUnit
from patuh.orgs.regions import read_provinces
from patuh.reports.charts import bar_chart, count_bars, dimension_bars, zone_bars
from patuh.reports.tilemap import province_values, tile_map
from patuh.results.layers import ranking_layers
from patuh.results.models import ResultSnapshot
from patuh.results.services import (
    published_by_government,
    published_of,
    published_state,
    ranking,
    snapshots_state,
)
from patuh.scoring.ranking import distribution

ZONES = ("hijau", "kuning", "merah", "hitam")


DASHBOARD_CACHE_SECONDS = 600
"""How long the rendered rankings of a cycle dashboard may be served from the cache; any
change to the snapshots or official assessments they depend on is seen at once."""


def _dashboard_state(
    year: int, cycles: list[Cycle], visible: set[str] | None, province: Province | None
) -> str:
    """The cache key of a dashboard's rankings: the snapshots behind them, the official
    assessments counted as drafts, the figures published for the year, what the user may
    see, and the province shown."""
    _, snapshots = snapshots_state(year, published_only=False)
    published = published_state(year=year)
    assessments = list(
        Assessment.objects.filter(cycle__in=cycles, kind=AssessmentKind.OFFICIAL)
        .order_by()
        .values("cycle_id")
        .annotate(count=Count("id"), units=Sum("service_unit_id"))
        .order_by("cycle_id")
    )
    parts = (
        snapshots,
        published,
        [sorted(row.items()) for row in assessments],
        "*" if visible is None else sorted(visible),
        [cycle.pk for cycle in cycles],
        province.region_code if province else "",
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


@login_required
def cycle_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    """Zone and category counts and the ranking tables of the final results the user may see."""
    province = None
    if request.GET.get("provinsi"):
        province = get_object_or_404(
            Province.objects.for_user(request.user), region_code=request.GET["provinsi"]
        )
    # None: every government (a national role), without reading and hashing 591 codes
    visible = (
        None
        if scope_for(request.user).everything
        else set(Government.objects.for_user(request.user).values_list("region_code", flat=True))
    )
    cycles = _get_cycles_for_user(request.user, year)

    @functools.cache
    def published() -> dict[str, Any]:
        """The figures published for the year, by government (one query)."""
        return published_by_government(year)

    @functools.cache
    def sections() -> list[dict[str, Any]]:
        """Read only when the page's cached rankings are missing (the template calls it)."""
        found = []
        figures = published()
        for cycle in cycles:
            result = ranking(cycle, published_only=False, province=province)
            groups = {
                group: [item for item in ranked if visible is None or item.entry.key in visible]
                for group, ranked in result.groups.items()
            }
            groups = {group: ranked for group, ranked in groups.items() if ranked}
            entries = [item.entry for ranked in groups.values() for item in ranked]
            rows = {
                group: [_beside_published(item, figures.get(item.entry.key)) for item in ranked]
                for group, ranked in groups.items()
            }
            zones, categories = distribution(entries)
            layers = ranking_layers(cycle.instrument_code)
            if layers["has_zones"]:
                counts = [(zone, zones.get(zone, 0)) for zone in ZONES if zones.get(zone)]
            else:
                # no zones from 2025: the quality-of-service labels, best first
                labels = layers["quality_labels"]
                counts = [
                    (labels.get(category) or category, count)
                    for category, count in sorted(categories.items())
                ]
            bars, top = count_bars(counts)
            assessed = (
                Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL)
                .values("service_unit__government__region_code")
                .distinct()
                .count()
            )
            found.append(
                {
                    "cycle": cycle,
                    "groups": rows,
                    "ranking": result,
                    **layers,
                    "zone_chart": bar_chart(bars, maximum=top, decimals=0, label_width=90)
                    if bars
                    else "",
                    "categories": sorted(categories.items()),
                    "final_count": len(entries),
                    "draft_count": max(0, assessed - len(result.snapshots)),
                }
            )
        return found

    def province_map() -> str:
        """Provinces coloured by the provincial government's result in this year's cycles
        (final snapshots the user may see), else by the figure published for it."""
        patuh = {
            snapshot.government.region_code: (snapshot.score, snapshot.category, snapshot.zone)
            for section in sections()
            for snapshot in section["ranking"].snapshots.values()
            if snapshot.government.kind == "provinsi"
            and (visible is None or snapshot.government.region_code in visible)
        }
        return tile_map(
            province_values(patuh, list(published().values())),
            names=dict(read_provinces()),
            title=_("Peta provinsi %(year)s") % {"year": year},
        )

    return render(
        request,
        "reports/cycle_dashboard.html",
        {
            "year": year,
            "sections": sections,
            "province_map": province_map,
            "province": province,
            "dashboard_state": _dashboard_state(year, cycles, visible, province),
            "dashboard_cache_seconds": DASHBOARD_CACHE_SECONDS,
        },
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
        .filter(
            program=Program.OMBUDSMAN,
            assessments__service_unit__government=government,
            assessments__kind="official",
        )
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
    live_results = {}
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
            live = live_results[cycle.pk] = score_assessments(
                cycle, government, AssessmentKind.OFFICIAL
            )
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
    published = {}
    for figure in published_of(government.region_code):
        if figure.program == "ombudsman":
            published.setdefault(figure.year, figure)
    for row in years:
        row["published"] = published.get(row["cycle"].year)
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
    # the units of the latest final year as frozen in its snapshot; of a draft year, live
    unit_bars: list[tuple[str, Decimal, str | None, str]] = []
    if latest.pk in snapshots:
        # orjson: a quarter of the time of the exact reader, and a score written with two
        # decimals reads back as the same two decimals through str()
        unit_bars = [
            (unit["name"], Decimal(str(unit["score"])), unit["zone"], unit["category"])
            for unit in orjson.loads(snapshots[latest.pk].payload)["units"]
        ]
    else:
        latest_result = live_results.get(latest.pk)
        if latest_result is not None:
            unit_bars = [
                (u.name, u.score, u.band.zone, u.band.category) for u in latest_result.units
            ]
    # done and total per year counted by the database: a national government has hundreds
    follow_up = {
        row["cycle__year"]: Progress(row["done"], row["total"])
        for row in FollowUpAction.objects.filter(government=government)
        .order_by()
        .values("cycle__year")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=ActionStatus.DONE)))
    }
    return render(
        request,
        "reports/government_dashboard.html",
        {
            "government": government,
            "years": years,
            "published_years": sorted(published),
            "trend_chart": trend,
            "instruments_differ": len({row["cycle"].instrument_code for row in years}) > 1,
            "latest": latest,
            "has_units": bool(unit_bars),
            "units": (
                government.units.all()
                if scope_for(request.user).everything
                else government.units.filter(pk__in=ServiceUnit.objects.for_user(request.user))
            ).order_by("name"),
            "unit_chart": bar_chart(zone_bars(unit_bars)) if unit_bars else "",
            "follow_up": [
                {"year": year, "progress": counted} for year, counted in sorted(follow_up.items())
            ],
        },
    )


@login_required
def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One service unit: its official score per cycle, and in the latest cycle every indicator
    with its value, points lost and evidence status."""
    unit = get_object_or_404(
        ServiceUnit.objects.for_user(request.user).select_related("government"), pk=unit_id
    )
    assessments = list(
        Assessment.objects.for_user(request.user)
        .filter(service_unit=unit, kind=AssessmentKind.OFFICIAL)
        .select_related("cycle")
        .order_by("cycle__year")
    )
    if not assessments:
        raise Http404("Belum ada penilaian resmi")
    years = []
    for assessment in assessments:
        result = score_assessments(assessment.cycle, unit.government, AssessmentKind.OFFICIAL)
        mine = next((u for u in result.units if u.code == unit.code), None) if result else None
        if mine is not None:
            years.append({"assessment": assessment, "result": mine})
    if not years:
        raise Http404("Belum ada nilai")
    latest = years[-1]
    evidence = {
        row["indicator_code"]: row
        for row in latest["assessment"]
        .evidence.filter(removed_at__isnull=True)
        .values("indicator_code")
        .annotate(
            total=Count("id"),
            unconfirmed=Count(
                "id", filter=Q(carried_from__isnull=False, confirmed_at__isnull=True)
            ),
        )
    }
    indicators = [
        {
            "item": item,
            "evidence": evidence.get(code, {}).get("total", 0),
            "unconfirmed": evidence.get(code, {}).get("unconfirmed", 0),
        }
        for code, item in latest["result"].indicators.items()
    ]
    from patuh.surveys.services import perception_summary, skm_summary

    survey_cycle = latest["assessment"].cycle
    return render(
        request,
        "reports/unit_dashboard.html",
        {
            "unit": unit,
            "skm": skm_summary(unit, survey_cycle),
            "perception": perception_summary(unit, survey_cycle),
            "years": years,
            "latest": latest,
            "indicators": indicators,
            "trend_chart": bar_chart(
                zone_bars(
                    [
                        (
                            _year_label(row["assessment"].cycle),
                            row["result"].score,
                            row["result"].band.zone,
                            row["result"].band.category,
                        )
                        for row in years
                    ]
                ),
                label_width=220,
            ),
            "dimension_chart": bar_chart(
                dimension_bars([(d.name, d.score) for d in latest["result"].dimensions.values()])
            ),
        },
    )


def _beside_published(item: Any, figure: Any) -> dict[str, Any]:
    """A ranked government with the figure published for it (if any) and the difference
    between Patuh's score and the published one when both have a score."""
    difference = None
    if figure is not None and figure.score is not None:
        difference = Decimal(item.entry.score) - Decimal(figure.score)
    return {"item": item, "published": figure, "difference": difference}


def _year_label(cycle: Cycle) -> str:
    return f"{cycle.year} ({cycle.instrument_code})"
