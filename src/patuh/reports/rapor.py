"""The rapor (report card) of one government for one cycle, as HTML and as an A4 PDF.

Its numbers come from the same place as the web page and the Excel export: the scoring core's
result of the government's official assessments. When the result is final, the snapshot's
checksum is printed with a QR code to the public result page; otherwise the rapor says
plainly that it is a draft."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from patuh.assessments.models import AssessmentKind, Cycle
from patuh.assessments.services import score_assessments
from patuh.complaints.stats import government_figures, period_of_cycle
from patuh.followup.models import FollowUpAction
from patuh.followup.services import progress
from patuh.reports.charts import bar_chart, dimension_bars, zone_bars
from patuh.results.layers import live_layers
from patuh.results.models import ResultSnapshot
from patuh.scoring import GovernmentResult, format_score

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
GAPS_SHOWN = 12


@dataclass(frozen=True)
class Gap:
    unit: str
    code: str
    name: str
    value: str
    points_lost: str
    reached: str
    next_level: str


class NoResult(LookupError):
    """The government has no official assessment in the cycle."""


def _gaps(result: GovernmentResult) -> list[Gap]:
    items = []
    for unit in result.units:
        for item in unit.explanation:
            indicator = item.indicator
            reached = "" if item.status == "missing" else (item.rubric_text or "")
            level = 0 if item.value is None else int(item.value)
            higher = [lvl for lvl in sorted(indicator.rubric) if lvl > level]
            items.append(
                (
                    item.points_lost,
                    Gap(
                        unit=unit.name,
                        code=item.code,
                        name=item.name,
                        value="–" if item.status == "missing" else format_score(item.value),
                        points_lost=format_score(item.points_lost),
                        reached=reached,
                        next_level=indicator.rubric[higher[0]] if higher else "",
                    ),
                )
            )
    items.sort(key=lambda pair: (-pair[0], pair[1].unit, pair[1].code))
    return [gap for _, gap in items[:GAPS_SHOWN]]


def public_url(cycle: Cycle, government: Any) -> str:
    base = getattr(settings, "PATUH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("results:result", args=[cycle.year, government.region_code])


def rapor_context(cycle: Cycle, government: Any) -> dict[str, Any]:
    result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    if result is None:
        raise NoResult(government.region_code)
    instrument = result.instrument
    snapshot = ResultSnapshot.objects.current().filter(cycle=cycle, government=government).first()
    final = snapshot is not None and snapshot.score == result.rounded
    actions = list(
        FollowUpAction.objects.filter(cycle=cycle, government=government).select_related(
            "service_unit", "owner"
        )
    )
    url = public_url(cycle, government)
    qr = segno.make(url, error="m").svg_inline(scale=3, dark="#212529") if final else ""
    units = [
        {
            "name": unit.name,
            "score": format_score(unit.score),
            "category": unit.band.category,
            "opinion": unit.band.opinion,
            "zone": unit.band.zone or "",
            "dimensions": [
                format_score(unit.dimensions[d.code].score)
                if unit.dimensions[d.code].score is not None
                else "N/A"
                for d in instrument.dimensions
            ],
        }
        for unit in result.units
    ]
    dimension_means = []
    for dimension in instrument.dimensions:
        scores = [
            unit.dimensions[dimension.code].score
            for unit in result.units
            if unit.dimensions[dimension.code].score is not None
        ]
        dimension_means.append((dimension.name, sum(scores) / len(scores) if scores else None))
    return {
        "cycle": cycle,
        "government": government,
        "result": result,
        "instrument": instrument,
        "layers": live_layers(result),
        "score": format_score(result.score),
        "units": units,
        "gaps": _gaps(result),
        "what_if": result.what_if,
        "actions": actions,
        "actions_progress": progress(actions),
        "final": final,
        "snapshot": snapshot if final else None,
        "public_url": url,
        "qr_svg": qr,
        "unit_chart": bar_chart(
            zone_bars([(u.name, u.score, u.band.zone, u.band.category) for u in result.units]),
            title="",
        ),
        "dimension_chart": bar_chart(dimension_bars(dimension_means)),
        "fonts_dir": FONTS_DIR.as_uri(),
        "complaints": government_figures(government, period_of_cycle(cycle)),
    }


def _pekppp(cycle: Cycle) -> bool:
    from patuh.reports.pekppp import is_pekppp_cycle

    return is_pekppp_cycle(cycle)


def rapor_filename(cycle: Cycle, government: Any) -> str:
    """``rapor-12.05-2023.pdf``; a PEKPPP cycle's result sheet ``pekppp-12.05-2024.pdf``."""
    prefix = "pekppp" if _pekppp(cycle) else "rapor"
    return f"{prefix}-{government.region_code}-{cycle.year}.pdf"


def render_rapor_html(cycle: Cycle, government: Any) -> str:
    """The rapor, or for a PEKPPP cycle its result sheet (:mod:`patuh.reports.pekppp`)."""
    if _pekppp(cycle):
        from patuh.reports.pekppp import render_sheet_html

        return render_sheet_html(cycle, government)
    with translation.override("id"):
        return render_to_string("reports/rapor.html", rapor_context(cycle, government))


def render_rapor_pdf(cycle: Cycle, government: Any) -> bytes:
    """The rapor (or a PEKPPP cycle's result sheet) as an A4 PDF (WeasyPrint), with the
    fonts shipped in ``reports/fonts``."""
    from weasyprint import HTML

    html = render_rapor_html(cycle, government)
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
