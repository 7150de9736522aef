"""The public results site (no login): search a government, a cycle's ranking, a government's
published result and its trend over the years. Only published snapshots are ever read here;
the figures the Ombudsman RI and KemenPAN-RB published themselves (``PublishedResult``) are
shown beside them, always apart and labelled "dipublikasikan" with their source."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from patuh.assessments.models import Cycle, Program
from patuh.orgs.models import Government, Province
from patuh.orgs.regions import read_provinces
from patuh.reports.charts import Bar, bar_chart
from patuh.reports.tilemap import province_values, tile_map
from patuh.reports.tilemap import published_colour as colour_of
from patuh.results.layers import (
    instrument_has_zones,
    quality_label_of,
    ranking_layers,
    result_layers,
)
from patuh.results.models import PublishedResult, ResultSnapshot
from patuh.results.services import (
    latest_published,
    published_figures,
    published_of,
    published_sections,
    published_snapshots,
    published_state,
    ranking,
    snapshots_state,
)
from patuh.scoring.ranking import distribution


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    published = ResultSnapshot.objects.filter(
        published_at__isnull=False, cycle__program=Program.OMBUDSMAN
    )
    years = sorted(
        set(published.values_list("cycle__year", flat=True))
        | set(PublishedResult.objects.order_by().values_list("year", flat=True).distinct()),
        reverse=True,
    )
    results: list[Any] = []
    if query:
        found: dict[str, dict[str, Any]] = {}
        for snapshot in (
            published.filter(
                Q(government__name__icontains=query) | Q(government__region_code=query)
            )
            .select_related("government", "cycle")
            .order_by("government__name", "-cycle__year", "-taken_at")
        ):
            row = found.setdefault(
                snapshot.government.region_code,
                {
                    "code": snapshot.government.region_code,
                    "name": snapshot.government.name,
                    "years": [],
                    "published": [],
                },
            )
            if snapshot.cycle.year not in [s.cycle.year for s in row["years"]]:
                row["years"].append(snapshot)
        # Patuh's published PEKPPP results, on their own pages (another scale)
        for snapshot in (
            ResultSnapshot.objects.filter(published_at__isnull=False, cycle__program=Program.PEKPPP)
            .filter(Q(government__name__icontains=query) | Q(government__region_code=query))
            .select_related("government", "cycle")
            .defer("payload")
            .order_by("government__name", "-cycle__year", "-published_at", "-taken_at")
        ):
            row = found.setdefault(
                snapshot.government.region_code,
                {
                    "code": snapshot.government.region_code,
                    "name": snapshot.government.name,
                    "years": [],
                    "published": [],
                },
            )
            pekppp = row.setdefault("pekppp", [])
            if snapshot.cycle.year not in [s.cycle.year for s in pekppp]:
                pekppp.append(snapshot)
        # the governments the Ombudsman published figures of, with or without a Patuh result
        for figure in (
            PublishedResult.objects.governments()
            .exclude(region_code="")
            .filter(Q(entity_name__icontains=query) | Q(region_code=query))
            .order_by("-year", "program", "entity_name")
        ):
            row = found.setdefault(
                figure.region_code,
                {
                    "code": figure.region_code,
                    "name": figure.entity_name,
                    "years": [],
                    "published": [],
                },
            )
            row["published"].append(figure)
        results = sorted(found.values(), key=lambda row: (row["name"], row["code"]))[:50]
    return render(
        request,
        "results/public_search.html",
        {
            "query": query,
            "results": results,
            "years": years,
            "pekppp_years": sorted(
                set(
                    ResultSnapshot.objects.filter(
                        published_at__isnull=False, cycle__program=Program.PEKPPP
                    ).values_list("cycle__year", flat=True)
                ),
                reverse=True,
            ),
        },
    )


def _public_cycles(year: int) -> list[Cycle]:
    cycles = list(
        Cycle.objects.filter(
            year=year, program=Program.OMBUDSMAN, snapshots__published_at__isnull=False
        )
        .distinct()
        .select_related("province")
    )
    if not cycles:
        raise Http404("Belum ada hasil yang dipublikasikan untuk tahun ini")
    return cycles


RANKING_CACHE_SECONDS = 600
"""How long a rendered ranking may be served from the cache; any change to the published
snapshots or the published figures it depends on is seen at once (it changes the cache key)."""


@functools.cache
def _province_names() -> dict[str, str]:
    return dict(read_provinces())


def public_ranking(request: HttpRequest, year: int) -> HttpResponse:
    """Patuh's published ranking of ``year`` and, apart, the figures the Ombudsman RI and
    KemenPAN-RB published for it (a year with only published figures works too); with
    ``?provinsi=`` both narrowed to one province, Patuh's result beside each published one."""
    province = None
    if request.GET.get("provinsi"):
        province = get_object_or_404(Province, region_code=request.GET["provinsi"])
    count, state = snapshots_state(year, published_only=True)
    figures_state = published_state(year=year)
    if not count and not PublishedResult.objects.filter(year=year).exists():
        raise Http404("Belum ada hasil yang dipublikasikan untuk tahun ini")

    # everything below is read only when the page's cached body is missing
    @functools.cache
    def snapshots() -> dict[str, ResultSnapshot]:
        return published_snapshots(year) if count else {}

    @functools.cache
    def every_figure() -> list[PublishedResult]:
        return published_figures(year)

    @functools.cache
    def figures() -> list[PublishedResult]:
        if province is None:
            return every_figure()
        return published_figures(year, province.region_code)

    @functools.cache
    def published() -> list[dict[str, Any]]:
        """The year's published figures per program and peer group, each with Patuh's own
        published result of that government beside it when there is one."""
        mine = snapshots()
        found = published_sections(figures())
        for section in found:
            for group in section["groups"]:
                group["rows"] = [
                    {
                        "figure": figure,
                        "patuh": mine.get(figure.region_code) if figure.region_code else None,
                    }
                    for figure in group["rows"]
                ]
        return found

    def province_map() -> str:
        patuh = {
            code: (snapshot.score, snapshot.category, snapshot.zone)
            for code, snapshot in snapshots().items()
            if snapshot.government.kind == "provinsi"
        }
        return tile_map(
            province_values(patuh, every_figure(), link="?provinsi={code}"),
            names=_province_names(),
            title=_("Peta provinsi %(year)s") % {"year": year},
        )

    @functools.cache
    def sections() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if not count:
            return found
        for cycle in _public_cycles(year):
            result = ranking(cycle, published_only=True, province=province)
            entries = [item.entry for group in result.groups.values() for item in group]
            zones, categories = distribution(entries)
            found.append(
                {
                    "cycle": cycle,
                    "ranking": result,
                    **ranking_layers(cycle.instrument_code),
                    "zones": sorted(zones.items()),
                    "categories": sorted(categories.items()),
                    "count": len(entries),
                }
            )
        return found

    return render(
        request,
        "results/public_ranking.html",
        {
            "year": year,
            "sections": sections,
            "has_snapshots": bool(count),
            "published_sections": published,
            "province_map": province_map,
            "province": province,
            "ranking_state": state,
            "published_state": figures_state,
            "ranking_cache_seconds": RANKING_CACHE_SECONDS,
        },
    )


def public_result(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    snapshot = latest_published(year, region_code, payload=False)
    if snapshot is None:
        raise Http404("Hasil belum dipublikasikan")

    # read (one query) and parsed only when the page's cached body is missing
    @functools.cache
    def data() -> dict[str, Any]:
        return snapshot.data

    def dimension_codes() -> list[str]:
        units = data()["units"]
        return list(units[0]["dimensions"]) if units else []

    @functools.cache
    def layers() -> dict[str, Any]:
        return result_layers(data().get("government"))

    return render(
        request,
        "results/public_result.html",
        {
            "snapshot": snapshot,
            "data": data,
            "government": snapshot.government,
            "cycle": snapshot.cycle,
            "dimension_codes": dimension_codes,
            "layers": layers,
            "has_zones": instrument_has_zones(snapshot.instrument_code),
            "pekppp_published": year in published_pekppp_years(region_code),
            "result_cache_seconds": RANKING_CACHE_SECONDS,
        },
    )


def government_trend(request: HttpRequest, region_code: str) -> HttpResponse:
    """One government across the years: every figure published for it (the Ombudsman's
    and PEKPPP's, each with its source) and, apart, Patuh's own published results."""
    figures = published_of(region_code)
    snapshots = list(
        ResultSnapshot.objects.filter(
            government__region_code=region_code,
            published_at__isnull=False,
            cycle__program=Program.OMBUDSMAN,
        )
        .select_related("government", "cycle")
        .defer("payload")
        .order_by("cycle__year", "-published_at", "-taken_at")
    )
    pekppp_years = published_pekppp_years(region_code)
    if not figures and not snapshots and not pekppp_years:
        raise Http404("Belum ada hasil yang dipublikasikan untuk pemerintah ini")
    government = (
        snapshots[0].government
        if snapshots
        else Government.objects.filter(region_code=region_code).first()
    )
    patuh: dict[int, ResultSnapshot] = {}
    for snapshot in snapshots:
        patuh.setdefault(snapshot.cycle.year, snapshot)
    years = sorted({f.year for f in figures} | set(patuh))
    rows = [
        {
            "year": year,
            "published": [f for f in figures if f.year == year],
            "patuh": patuh.get(year),
            "quality_label": quality_label_of(patuh[year].instrument_code, patuh[year].category)
            if year in patuh
            else None,
        }
        for year in years
    ]
    bars = []
    for row in rows:
        for figure in row["published"]:
            if figure.program != "ombudsman":
                continue  # PEKPPP's index is on another scale (1–5)
            bars.append(
                Bar(
                    f"{row['year']} · {_('dipublikasikan')}",
                    figure.score,
                    colour_of(figure.category, figure.zone),
                    # short enough for the space after the bar; the table has the wording
                    figure.category or figure.zone,
                )
            )
        if row["patuh"] is not None:
            snapshot = row["patuh"]
            bars.append(
                Bar(
                    f"{row['year']} · Patuh",
                    snapshot.score,
                    colour_of(snapshot.category, snapshot.zone),
                    snapshot.category,
                )
            )
    return render(
        request,
        "results/government_trend.html",
        {
            "region_code": region_code,
            "name": government.name if government else figures[0].entity_name,
            "pekppp_years": pekppp_years,
            "rows": rows,
            "chart": bar_chart(bars, label_width=200) if bars else "",
        },
    )


# -- KemenPAN-RB's PEKPPP ----------------------------------------------------------------------
# Patuh's published PEKPPP results (snapshots of ``pekppp`` cycles only), on their own pages:
# the IPP is on a 1–5 scale and never ranked with the Ombudsman's 0–100 score.


def _pekppp_figures(year: int) -> list[PublishedResult]:
    return [f for f in published_figures(year) if f.program == Program.PEKPPP]


def _pekppp_part(part: dict[str, Any]) -> dict[str, Any]:
    """One government's or unit's PEKPPP figures from a snapshot's payload, for the pages."""
    flags = part.get("flags") or {}
    return {
        "ipp": part.get("ipp", part.get("score")),
        "category": part.get("category"),
        "label": part.get("quality_label") or part.get("opinion") or "",
        "f03": part.get("f03"),
        "respondents": part.get("respondents"),
        "composite": part.get("composite"),
        "composite_category": part.get("composite_category"),
        "flags": {key: bool(flags.get(key)) for key in ("ipp", "category", "f03", "composite")},
    }


def pekppp_ranking(request: HttpRequest, year: int) -> HttpResponse:
    """Patuh's published PEKPPP results of ``year`` ranked by IPP within each peer group and,
    apart, the PEKPPP figures KemenPAN-RB published for that year."""
    count, state = snapshots_state(year, published_only=True, program=Program.PEKPPP)
    figures_state = published_state(year=year)
    if not count and not PublishedResult.objects.filter(year=year, program="pekppp").exists():
        raise Http404("Belum ada hasil PEKPPP yang dipublikasikan untuk tahun ini")

    # everything below is read only when the page's cached body is missing
    @functools.cache
    def sections() -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        if not count:
            return found
        cycles = (
            Cycle.objects.filter(
                year=year, program=Program.PEKPPP, snapshots__published_at__isnull=False
            )
            .distinct()
            .select_related("province")
            .order_by("province__region_code", "pk")
        )
        for cycle in cycles:
            result = ranking(cycle, published_only=True)
            payloads = dict(
                ResultSnapshot.objects.filter(
                    pk__in=[s.pk for s in result.snapshots.values()]
                ).values_list("pk", "payload")
            )
            parts = {}
            for code, snapshot in result.snapshots.items():
                data = json.loads(payloads[snapshot.pk], parse_float=Decimal)
                parts[code] = _pekppp_part(data["government"])
            groups = [
                {
                    "group": group,
                    "rows": [{"item": item, "part": parts[item.entry.key]} for item in ranked],
                }
                for group, ranked in result.groups.items()
            ]
            found.append(
                {
                    "cycle": cycle,
                    "ranking": result,
                    "groups": groups,
                    "count": len(result.snapshots),
                    "provisional": any(any(part["flags"].values()) for part in parts.values()),
                }
            )
        return found

    @functools.cache
    def published() -> list[dict[str, Any]]:
        mine = published_snapshots(year, Program.PEKPPP) if count else {}
        found = published_sections(_pekppp_figures(year))
        for section in found:
            for group in section["groups"]:
                group["rows"] = [
                    {
                        "figure": figure,
                        "patuh": mine.get(figure.region_code) if figure.region_code else None,
                    }
                    for figure in group["rows"]
                ]
        return found

    return render(
        request,
        "results/public_pekppp_ranking.html",
        {
            "year": year,
            "sections": sections,
            "has_snapshots": bool(count),
            "published_sections": published,
            "pekppp_page": True,
            "ranking_state": state,
            "published_state": figures_state,
            "ranking_cache_seconds": RANKING_CACHE_SECONDS,
        },
    )


def pekppp_result(request: HttpRequest, year: int, region_code: str) -> HttpResponse:
    """One government's published PEKPPP result: IPP, category, F-03 index and composite, for
    the government and per unit (lokus), the aspect scores and the provisional notes."""
    snapshot = latest_published(year, region_code, payload=False, program=Program.PEKPPP)
    if snapshot is None:
        raise Http404("Hasil PEKPPP belum dipublikasikan")

    # read (one query) and parsed only when the page's cached body is missing
    @functools.cache
    def data() -> dict[str, Any]:
        return snapshot.data

    @functools.cache
    def government() -> dict[str, Any]:
        return _pekppp_part(data()["government"])

    @functools.cache
    def units() -> list[dict[str, Any]]:
        return [
            {
                "code": unit["code"],
                "name": unit["name"],
                "dimensions": unit.get("dimensions") or {},
                **_pekppp_part(unit),
            }
            for unit in data()["units"]
        ]

    def dimension_codes() -> list[str]:
        found = units()
        return list(found[0]["dimensions"]) if found else []

    def notes() -> list[dict[str, str]]:
        return list(data().get("provisional_notes") or [])

    return render(
        request,
        "results/public_pekppp_result.html",
        {
            "snapshot": snapshot,
            "data": data,
            "part": government,
            "units": units,
            "dimension_codes": dimension_codes,
            "notes": notes,
            "government": snapshot.government,
            "cycle": snapshot.cycle,
            "result_cache_seconds": RANKING_CACHE_SECONDS,
        },
    )


def published_pekppp_years(region_code: str) -> list[int]:
    """The years with a published PEKPPP result of a government (one query), newest first."""
    return sorted(
        set(
            ResultSnapshot.objects.filter(
                government__region_code=region_code,
                published_at__isnull=False,
                cycle__program=Program.PEKPPP,
            ).values_list("cycle__year", flat=True)
        ),
        reverse=True,
    )
