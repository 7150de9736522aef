"""The public results site (no login): search a government, a cycle's ranking, a government's
published result. Only published snapshots are ever read here."""

from __future__ import annotations

import functools
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from patuh.assessments.models import Cycle
from patuh.orgs.models import Province
from patuh.results.models import ResultSnapshot
from patuh.results.services import latest_published, ranking, snapshots_state
from patuh.scoring.ranking import distribution


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    published = ResultSnapshot.objects.filter(published_at__isnull=False)
    years = sorted(set(published.values_list("cycle__year", flat=True)), reverse=True)
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
                {"government": snapshot.government, "years": []},
            )
            if snapshot.cycle.year not in [s.cycle.year for s in row["years"]]:
                row["years"].append(snapshot)
        results = list(found.values())[:50]
    return render(
        request,
        "results/public_search.html",
        {"query": query, "results": results, "years": years},
    )


def _public_cycles(year: int) -> list[Cycle]:
    cycles = list(
        Cycle.objects.filter(year=year, snapshots__published_at__isnull=False)
        .distinct()
        .select_related("province")
    )
    if not cycles:
        raise Http404("Belum ada hasil yang dipublikasikan untuk tahun ini")
    return cycles


RANKING_CACHE_SECONDS = 600
"""How long a rendered ranking may be served from the cache; any change to the published
snapshots it depends on is seen at once (it changes the cache key)."""


def public_ranking(request: HttpRequest, year: int) -> HttpResponse:
    province = None
    if request.GET.get("provinsi"):
        province = get_object_or_404(Province, region_code=request.GET["provinsi"])
    count, state = snapshots_state(year, published_only=True)
    if not count:
        raise Http404("Belum ada hasil yang dipublikasikan untuk tahun ini")

    @functools.cache
    def sections() -> list[dict[str, Any]]:
        """Read only when the page's cached rankings are missing (the template calls it)."""
        found = []
        for cycle in _public_cycles(year):
            result = ranking(cycle, published_only=True, province=province)
            entries = [item.entry for group in result.groups.values() for item in group]
            zones, categories = distribution(entries)
            found.append(
                {
                    "cycle": cycle,
                    "ranking": result,
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
            "province": province,
            "ranking_state": state,
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

    return render(
        request,
        "results/public_result.html",
        {
            "snapshot": snapshot,
            "data": data,
            "government": snapshot.government,
            "cycle": snapshot.cycle,
            "dimension_codes": dimension_codes,
            "result_cache_seconds": RANKING_CACHE_SECONDS,
        },
    )
