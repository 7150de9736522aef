"""KemenPAN-RB's PEKPPP result sheet (*Lembar hasil PEKPPP*) of one government for one cycle,
as HTML and as an A4 PDF, and the PEKPPP figures the workbook and the API share.

A cycle is a PEKPPP cycle when its instrument is KemenPAN-RB's (:func:`is_pekppp`): the
instrument with a users' questionnaire (F-03) or owned by the Kementerian PANRB. Its numbers
come from the scoring core's :class:`~patuh.scoring.pekppp.PekpppResult` of the government's
official assessments, with the provisional flags of ``patuh score`` (:func:`patuh.commands.
_pekppp_flags`): the government's IPP (the mean of the units' F-02 IPP), its category and
label, the F-03 index and the composite; per unit the same, the aspect scores, the lowest
indicators with their level descriptors and the supplementary item (INF-01) shown apart,
never counted."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from patuh.assessments.models import AssessmentKind, Cycle
from patuh.assessments.services import score_assessments, score_pekppp
from patuh.reports.rapor import FONTS_DIR, NoResult
from patuh.results.models import ResultSnapshot
from patuh.scoring import (
    GovernmentResult,
    Instrument,
    UnknownInstrument,
    format_score,
    instrument_codes,
    load_instrument,
)
from patuh.scoring.engine import MISSING, IndicatorResult, UnitResult
from patuh.scoring.pekppp import PekpppResult, SurveyPart

PEKPPP_OWNER = "Kementerian PANRB"
LOWEST_SHOWN = 5
"""Indicators listed per unit under "what to improve"."""


def is_pekppp(instrument: Instrument) -> bool:
    """Whether ``instrument`` is KemenPAN-RB's PEKPPP (a users' questionnaire, or its owner)."""
    return instrument.user_survey is not None or instrument.owner == PEKPPP_OWNER


def is_pekppp_cycle(cycle: Cycle) -> bool:
    """Whether the cycle's instrument is KemenPAN-RB's (an unknown code is not)."""
    try:
        return is_pekppp(load_instrument(cycle.instrument_code))
    except UnknownInstrument:
        return False


def pekppp_instrument_codes() -> list[str]:
    """The packaged instruments that are KemenPAN-RB's."""
    return [code for code in instrument_codes() if is_pekppp(load_instrument(code))]


def pekppp_cycles_for(user: Any, year: int) -> list[Cycle]:
    """The PEKPPP cycles of ``year`` the user may see (found by their instrument), regional
    before national."""
    return list(
        Cycle.objects.for_user(user)
        .filter(year=year, instrument_code__in=pekppp_instrument_codes())
        .select_related("province")
        .order_by(F("province").desc(nulls_last=True))
    )


def pekppp_cycle_of(user: Any, year: int, government: Any) -> Cycle | None:
    """The PEKPPP cycle of ``year`` covering ``government`` (its province's, else a national
    one) that the user may see."""
    return next(
        (
            cycle
            for cycle in pekppp_cycles_for(user, year)
            if cycle.province_id in (government.province_id, None)
        ),
        None,
    )


def with_parts(result: GovernmentResult, parts: PekpppResult | None) -> PekpppResult:
    """``parts``, or for a PEKPPP instrument without F-03 the IPP alone (no survey part)."""
    if parts is not None:
        return parts
    empty = SurveyPart(0, None, None, None)
    return PekpppResult(result, {unit.code: empty for unit in result.units}, empty)


def flags(parts: PekpppResult, code: str | None) -> dict[str, bool]:
    """Which of a unit's (``code``) or the government's (``None``) IPP, category, F-03 index,
    composite and composite category rest on a provisional part of the instrument."""
    from patuh.commands import _pekppp_flags

    shown = _pekppp_flags(parts, code)
    part = parts.government if code is None else parts.units[code]
    provisional = {note.path for note in parts.instrument.provisional_notes}
    shown["composite_category"] = (
        part.composite_band is not None and f"bands.{part.composite_band.category}" in provisional
    )
    return shown


@dataclass(frozen=True)
class Figures:
    """A unit's or the government's PEKPPP figures, unrounded (templates round them)."""

    code: str
    name: str
    ipp: Decimal
    category: str
    label: str
    f03: Decimal | None
    respondents: int
    composite: Decimal | None
    composite_category: str | None
    composite_label: str | None
    flags: dict[str, bool]

    @property
    def provisional_parts(self) -> list[str]:
        """The provisional figures by name, for a spreadsheet column (Bahasa Indonesia)."""
        names = {
            "ipp": "IPP",
            "category": "kategori",
            "f03": "F-03",
            "composite": "komposit",
            "composite_category": "kategori komposit",
        }
        present = {
            "ipp": True,
            "category": True,
            "f03": self.f03 is not None,
            "composite": self.composite is not None,
            "composite_category": self.composite_category is not None,
        }
        return [names[key] for key, on in self.flags.items() if on and present.get(key)]


def _figures(parts: PekpppResult, code: str | None, result: Any, part: SurveyPart) -> Figures:
    band = part.composite_band
    return Figures(
        code=code or result.code,
        name=result.name,
        ipp=result.score,
        category=result.band.category,
        label=result.band.opinion,
        f03=part.f03,
        respondents=part.respondents,
        composite=part.composite,
        composite_category=None if band is None else band.category,
        composite_label=None if band is None else band.opinion,
        flags=flags(parts, code),
    )


def government_figures(parts: PekpppResult) -> Figures:
    return _figures(parts, None, parts.ipp, parts.government)


def unit_figures(parts: PekpppResult) -> list[Figures]:
    return [_figures(parts, unit.code, unit, parts.units[unit.code]) for unit in parts.ipp.units]


def counted_dimensions(instrument: Instrument) -> list[Any]:
    return [dim for dim in instrument.dimensions if dim.counted]


def not_counted(unit: UnitResult) -> list[IndicatorResult]:
    """The unit's supplementary items (INF-01): answered and shown, never in the IPP."""
    return [item for item in unit.indicators.values() if not item.counted]


# -- the sheet ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Improvement:
    """One of a unit's lowest-scoring indicators: where it stands and the next level."""

    code: str
    name: str
    aspect: str
    value: str
    points_lost: str
    reached: str
    next_level: str


def lowest(
    unit: UnitResult, instrument: Instrument, shown: int = LOWEST_SHOWN
) -> list[Improvement]:
    """The unit's counted indicators below the top level, the lowest value first (a missing
    answer counts as the scale's minimum), ties by the points they lose, then by code."""
    items = [
        item
        for item in unit.indicators.values()
        if item.counted and item.value is not None and item.points_lost > 0
    ]
    items.sort(key=lambda item: (item.value, -item.points_lost, item.code))
    improvements = []
    for item in items[:shown]:
        indicator = item.indicator
        missing = item.status == MISSING
        level = int(item.value)
        higher = [lvl for lvl in sorted(indicator.rubric) if lvl > level]
        improvements.append(
            Improvement(
                code=item.code,
                name=item.name,
                aspect=instrument.dimensions_by_code[item.dimension_code].name,
                value="–" if missing else format_score(item.value),
                points_lost=format_score(item.points_lost),
                reached="" if missing else (item.rubric_text or ""),
                next_level=indicator.rubric[higher[0]] if higher else "",
            )
        )
    return improvements


def sheet_context(cycle: Cycle, government: Any) -> dict[str, Any]:
    """What the sheet shows of ``government``'s official assessments in ``cycle``."""
    parts = score_pekppp(cycle, government, AssessmentKind.OFFICIAL)
    if parts is None:
        result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
        if result is None:
            raise NoResult(government.region_code)
        parts = with_parts(result, None)
    result = parts.ipp
    instrument = result.instrument
    decimals = instrument.result.decimals
    snapshot = ResultSnapshot.objects.current().filter(cycle=cycle, government=government).first()
    final = snapshot is not None and snapshot.score == result.rounded
    dimensions = counted_dimensions(instrument)
    units = []
    for unit, figures in zip(result.units, unit_figures(parts), strict=True):
        units.append(
            {
                "figures": figures,
                "aspects": [unit.dimensions[dim.code].score for dim in dimensions],
                "lowest": lowest(unit, instrument),
                "not_counted": [
                    {
                        "code": item.code,
                        "name": item.name,
                        "value": None
                        if item.value is None or item.status == MISSING
                        else format_score(item.value, 0),
                        "descriptor": ""
                        if item.value is None or item.status == MISSING
                        else (item.rubric_text or ""),
                    }
                    for item in not_counted(unit)
                ],
            }
        )
    aspect_means = []
    for index, _dim in enumerate(dimensions):
        scores = [unit["aspects"][index] for unit in units if unit["aspects"][index] is not None]
        aspect_means.append(sum(scores) / len(scores) if scores else None)
    notes = {note.path: note.note for note in instrument.provisional_notes}
    government = government_figures(parts)
    return {
        "cycle": cycle,
        "government": government,
        "result": result,
        "instrument": instrument,
        "decimals": decimals,
        "dimensions": dimensions,
        "aspect_means": aspect_means,
        "units": units,
        "survey": instrument.user_survey,
        "composite_rule": instrument.composite,
        "aggregation_note": notes.get("instrumen", ""),
        "category_note": notes.get(f"bands.{result.band.category}", ""),
        "final": final,
        "snapshot": snapshot if final else None,
        "generated_at": timezone.localtime(),
        "fonts_dir": FONTS_DIR.as_uri(),
        "synthetic": result.synthetic,
        "band_rows": sorted(instrument.bands, key=lambda band: -band.minimum),
    }


def render_sheet_html(cycle: Cycle, government: Any) -> str:
    with translation.override("id"):
        return render_to_string("reports/pekppp_sheet.html", sheet_context(cycle, government))


def render_sheet_pdf(cycle: Cycle, government: Any) -> bytes:
    """The sheet as an A4 PDF (WeasyPrint), with the rapor's fonts."""
    from weasyprint import HTML

    html = render_sheet_html(cycle, government)
    return HTML(string=html, base_url=str(FONTS_DIR)).write_pdf()
