"""Scores and rankings as plain JSON-ready dicts, computed by the same code as the web pages
(``workspace.live_result``, ``results.services.ranking``). Decimals are strings with the
instrument's decimals (``"80.10"``), so no figure is bent by a binary float."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.urls import reverse

from patuh.assessments.models import Assessment, AssessmentStatus
from patuh.assessments.workspace import LiveResult
from patuh.commands import add_pekppp_json, dumps_with_decimals, government_data
from patuh.results.layers import award_of, quality_label_of, result_layers
from patuh.results.models import ResultSnapshot
from patuh.results.services import Ranking
from patuh.scoring import GovernmentResult, UnitResult
from patuh.scoring.engine import WhatIfPlan
from patuh.scoring.numbers import round_half_up
from patuh.scoring.pekppp import PekpppResult
from patuh.scoring.ranking import distribution

FINAL = frozenset({AssessmentStatus.FINAL, AssessmentStatus.PUBLISHED})


def fixed(value: Decimal | None, decimals: int) -> str | None:
    """``Decimal('80.1') → "80.10"``; ``None`` stays ``None``."""
    if value is None:
        return None
    return f"{round_half_up(Decimal(value), decimals):.{decimals}f}"


def exact(value: Any) -> str | None:
    """A stored decimal (from a snapshot payload) as its own text, ``None`` kept."""
    if value is None:
        return None
    return format(Decimal(str(value)), "f")


def layers(government: Mapping[str, Any] | None) -> dict[str, Any]:
    """The 2025+ layers of a government's result, from its JSON ``government`` object (a
    snapshot's payload, or :func:`patuh.commands.government_data` of a live result): the
    quality label, the award, the units' part, the government-level elements with every
    figure's value, year and source, and the compliance level, each flagged provisional
    where its rule is. Empty lists and ``None`` for instruments before 2025."""
    shown = result_layers(government)
    award, compliance = shown["award"], shown["compliance"]
    return {
        "quality_label": shown["quality_label"],
        "award": None
        if award is None
        else {
            "name": award["name"],
            "awarded": award["awarded"],
            "categories": award["categories"],
            "provisional": award["provisional"],
        },
        "units_score": exact(shown["units_score"]),
        "elements": [
            {
                "code": element["code"],
                "name": element["name"],
                "kind": element["kind"],
                "weight": exact(element["weight"]),
                "score": exact(element["score"]),
                "points": exact(element["points"]),
                "provisional": element["provisional"],
                "indicators": [
                    {
                        "code": figure["code"],
                        "name": figure["name"],
                        "status": figure["status"],
                        "value": exact(figure["value"]),
                        "year": figure["year"],
                        "source": figure["source"],
                        "points_lost": exact(figure["points_lost"]),
                        "provisional": figure["provisional"],
                    }
                    for figure in element["indicators"]
                ],
            }
            for element in shown["elements"]
        ],
        "compliance": None
        if compliance is None
        else {
            "level": compliance["level"],
            "label": compliance["label"],
            "suffix": compliance["suffix"],
            "provisional": compliance["provisional"],
        },
    }


def pekppp_figures(data: Mapping[str, Any], provisional: set[str]) -> dict[str, Any] | None:
    """A unit's or the government's PEKPPP figures from its JSON object as ``patuh score
    --format json`` writes it for a PEKPPP instrument (:func:`patuh.commands.add_pekppp_json`:
    ``ipp``, ``respondents``, ``f03``, ``composite``, ``composite_category``, ``flags``, beside
    ``category`` and ``opinion``); ``None`` for an object without an IPP (an Ombudsman
    result). ``provisional``: the paths of the instrument's provisional parts."""
    if data.get("ipp") is None:
        return None
    flags = data.get("flags") or {}
    f03, composite = data.get("f03"), data.get("composite")
    composite_category = data.get("composite_category")
    return {
        "ipp": exact(data["ipp"]),
        "ipp_category": data.get("category"),
        "ipp_label": data.get("opinion"),
        "f03": exact(f03),
        "f03_respondents": int(data.get("respondents") or 0),
        "composite": exact(composite),
        "composite_category": composite_category,
        "provisional": {
            "ipp": bool(flags.get("ipp")),
            "category": bool(flags.get("category")),
            "f03": bool(flags.get("f03")) and f03 is not None,
            "composite": bool(flags.get("composite")) and composite is not None,
            "composite_category": composite_category is not None
            and f"bands.{composite_category}" in provisional,
        },
    }


def live_pekppp(parts: PekpppResult) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The government's and each unit's (by code) :func:`pekppp_figures` of a live PEKPPP
    result, through the same JSON as ``patuh score`` and a snapshot's payload."""
    result = parts.ipp
    data: dict[str, Any] = {
        "government": {"category": result.band.category, "opinion": result.opinion},
        "units": [
            {"category": unit.band.category, "opinion": unit.band.opinion} for unit in result.units
        ],
    }
    add_pekppp_json(data, parts)
    data = json.loads(dumps_with_decimals(data), parse_float=Decimal)
    provisional = {note.path for note in parts.instrument.provisional_notes}
    units = {
        unit.code: pekppp_figures(shown, provisional)
        for unit, shown in zip(result.units, data["units"], strict=True)
    }
    return pekppp_figures(data["government"], provisional), units


def band(result: UnitResult | GovernmentResult, decimals: int) -> dict[str, Any]:
    return {
        "score": fixed(result.score, decimals),
        "category": result.band.category,
        "zone": result.band.zone,
    }


def plan(what_if: WhatIfPlan) -> dict[str, Any]:
    d = what_if.decimals
    return {
        "current_category": what_if.current.category,
        "target_category": what_if.target.category if what_if.target else None,
        "target_minimum": fixed(what_if.target.minimum, d) if what_if.target else None,
        "reachable": what_if.reachable,
        "projected_score": fixed(what_if.projected_score, d),
        "steps": [
            {
                "unit": step.unit_code,
                "indicator": step.indicator_code,
                "name": step.indicator_name,
                "from_value": fixed(step.from_value, 2),
                "to_value": fixed(step.to_value, 2),
                "gain": fixed(step.gain, d),
            }
            for step in what_if.steps
        ],
    }


def unit_result(unit: UnitResult, pekppp: dict[str, Any] | None = None) -> dict[str, Any]:
    d = unit.decimals
    return {
        "code": unit.code,
        "name": unit.name,
        "type": unit.type,
        **band(unit, d),
        "opinion": unit.band.opinion,
        "quality_label": unit.band.quality_label,
        "dimensions": [
            {
                "code": dimension.code,
                "name": dimension.name,
                "weight": exact(dimension.weight),
                "effective_weight": fixed(dimension.effective_weight, 6),
                "score": fixed(dimension.score, d),
            }
            for dimension in unit.dimensions.values()
        ],
        "indicators": [
            {
                "code": item.code,
                "name": item.name,
                "dimension": item.dimension_code,
                "variable": item.indicator.variable_code,
                "status": item.status,
                "value": fixed(item.value, 2),
                "weight": fixed(item.weight, 6),
                "points": fixed(item.points, d + 2),
                "max_points": fixed(item.max_points, d + 2),
                "points_lost": fixed(item.points_lost, d + 2),
                "rubric_text": item.rubric_text,
            }
            for item in unit.indicators.values()
        ],
        "missing": unit.missing,
        "not_applicable": unit.not_applicable,
        "what_if": plan(unit.what_if),
        "pekppp": pekppp,
    }


def government_summary(
    result: GovernmentResult, pekppp: dict[str, Any] | None = None
) -> dict[str, Any]:
    d = result.instrument.result.decimals
    return {
        "code": result.code,
        "name": result.name,
        "kind": result.kind,
        **band(result, d),
        "opinion": result.opinion,
        **layers(government_data(result)),
        "pekppp": pekppp,
    }


def _assessment_pekppp(
    assessment: Assessment, live: LiveResult
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The PEKPPP figures of the assessment's government and units, for a PEKPPP cycle;
    ``(None, {})`` otherwise."""
    from patuh.assessments.services import score_pekppp
    from patuh.reports.pekppp import is_pekppp, with_parts

    government = live.government
    if government is None or not is_pekppp(government.instrument):
        return None, {}
    parts = score_pekppp(assessment.cycle, assessment.service_unit.government, assessment.kind)
    return live_pekppp(with_parts(government, parts))


def assessment_result(assessment: Assessment, live: LiveResult) -> dict[str, Any]:
    """The workspace's result panel: the unit's explainable result and its government's."""
    government = live.government
    instrument = government.instrument if government is not None else None
    pekppp_government, pekppp_units = _assessment_pekppp(assessment, live)
    return {
        "assessment": assessment.pk,
        "kind": assessment.kind,
        "status": assessment.status,
        "draft": assessment.status not in FINAL,
        "instrument": assessment.cycle.instrument_code,
        "instrument_version": instrument.version if instrument else None,
        "provisional": instrument.provisional if instrument else False,
        "provisional_notes": [
            {"path": note.path, "note": note.note} for note in instrument.provisional_notes
        ]
        if instrument
        else [],
        "synthetic": bool(government.synthetic) if government else False,
        "unit": unit_result(live.unit, pekppp_units.get(live.unit.code))
        if live.unit is not None
        else None,
        "government": government_summary(government, pekppp_government)
        if government is not None
        else None,
    }


def score_summary(assessment: Assessment, live: LiveResult) -> dict[str, Any]:
    """The few figures an assessment's detail shows without the whole explanation."""
    unit = live.unit
    government = live.government
    return {
        "draft": assessment.status not in FINAL,
        "unit_score": fixed(unit.score, unit.decimals) if unit else None,
        "unit_category": unit.band.category if unit else None,
        "unit_opinion": unit.band.opinion if unit else None,
        "unit_zone": unit.band.zone if unit else None,
        "government_score": fixed(government.score, government.instrument.result.decimals)
        if government
        else None,
        "government_category": government.band.category if government else None,
        "government_opinion": government.opinion if government else None,
        "government_zone": government.band.zone if government else None,
        "unit_quality_label": unit.band.quality_label if unit else None,
        "government_quality_label": government.quality_label if government else None,
    }


def published_result(snapshot: ResultSnapshot) -> dict[str, Any]:
    """What the public result page shows of a published snapshot: the government's and the
    units' scores, categories, opinions, zones and dimension scores."""
    data = snapshot.data
    government = data.get("government", {})
    provisional = {note.get("path", "") for note in data.get("provisional_notes") or []}
    return {
        "provisional": bool(data.get("provisional")),
        "provisional_notes": data.get("provisional_notes", []),
        "synthetic": bool(data.get("synthetic")),
        "government_result": {
            "code": government.get("code"),
            "name": government.get("name"),
            "kind": government.get("kind"),
            "score": exact(government.get("score")),
            "category": government.get("category"),
            "opinion": government.get("opinion"),
            "zone": government.get("zone"),
            **layers(government),
            "pekppp": pekppp_figures(government, provisional),
        },
        "units": [
            {
                "code": unit.get("code"),
                "name": unit.get("name"),
                "type": unit.get("type"),
                "score": exact(unit.get("score")),
                "category": unit.get("category"),
                "opinion": unit.get("opinion"),
                "zone": unit.get("zone"),
                "quality_label": unit.get("quality_label"),
                "dimensions": {
                    code: exact(score) for code, score in (unit.get("dimensions") or {}).items()
                },
                "pekppp": pekppp_figures(unit, provisional),
            }
            for unit in data.get("units", [])
        ],
    }


def ranking(result: Ranking, request: Any) -> dict[str, Any]:
    """One cycle's section of the public ranking page."""
    cycle = result.cycle
    entries = [item.entry for ranked in result.groups.values() for item in ranked]
    zones, categories = distribution(entries)
    previous = result.previous_cycle
    code = cycle.instrument_code
    return {
        "cycle": {
            "id": cycle.pk,
            "year": cycle.year,
            "name": cycle.name,
            "instrument_code": cycle.instrument_code,
            "province": cycle.province.region_code if cycle.province_id else None,
        },
        "previous_cycle": {"year": previous.year, "instrument_code": previous.instrument_code}
        if previous is not None
        else None,
        "comparable": result.comparable,
        "count": len(entries),
        "zones": dict(sorted(zones.items())),
        "categories": dict(sorted(categories.items())),
        "groups": [
            {
                "group": group,
                "entries": [
                    {
                        "rank": item.rank,
                        "previous_rank": item.previous_rank,
                        "change": item.change,
                        "government": item.entry.key,
                        "name": item.entry.name,
                        "score": format(item.entry.score, "f"),
                        "category": item.entry.category,
                        "zone": item.entry.zone,
                        "quality_label": quality_label_of(code, item.entry.category),
                        "opinion": result.snapshots[item.entry.key].opinion
                        if item.entry.key in result.snapshots
                        else None,
                        "award": award_of(code, item.entry.category),
                        "public_url": request.build_absolute_uri(
                            reverse("results:result", args=[cycle.year, item.entry.key])
                        ),
                    }
                    for item in ranked
                ],
            }
            for group, ranked in result.groups.items()
        ],
    }
