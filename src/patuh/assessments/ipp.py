"""The Indeks Pelayanan Publik (IPP) of a PEKPPP cycle as the web pages show it: per unit and
for the government the F-02 IPP and its category, the F-03 index and the composite, each with
its provisional flag, and the government's place in its peer group of the cycle.

Reads only; the numbers come from the scoring core (:func:`patuh.assessments.services.
score_pekppp`, :func:`patuh.results.services.cycle_results`), rounded with its one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from patuh.assessments.models import AssessmentKind, Cycle, Program
from patuh.orgs.models import Government
from patuh.scoring.numbers import round_half_up
from patuh.scoring.pekppp import PekpppResult, SurveyPart
from patuh.scoring.ranking import Entry, Ranked, rank_by_group


@dataclass(frozen=True)
class IppFigures:
    """One unit's or the government's IPP figures, rounded for display."""

    code: str
    name: str
    ipp: Decimal
    category: str
    opinion: str
    category_note: str | None
    f03: Decimal | None
    respondents: int
    composite: Decimal | None
    composite_category: str | None
    flags: dict[str, bool]


@dataclass(frozen=True)
class IppView:
    government: IppFigures
    units: list[IppFigures]
    place: Ranked | None
    """The government's rank among the cycle's governments of its kind (official only)."""
    group_size: int
    composite_note: str | None
    survey_note: str | None


def _rounded(value: Decimal | None, decimals: int) -> Decimal | None:
    return None if value is None else round_half_up(value, decimals)


def _figures(
    parts: PekpppResult, code: str | None, name: str, score: Decimal, band: Any, part: SurveyPart
) -> IppFigures:
    from patuh.commands import _pekppp_flags

    d = parts.instrument.result.decimals
    notes = {note.path: note.note for note in parts.instrument.provisional_notes}
    return IppFigures(
        code=code or "",
        name=name,
        ipp=round_half_up(score, d),
        category=band.category,
        opinion=band.opinion,
        category_note=notes.get(f"bands.{band.category}"),
        f03=_rounded(part.f03, d),
        respondents=part.respondents,
        composite=_rounded(part.composite, d),
        composite_category=None if part.composite_band is None else part.composite_band.category,
        flags=_pekppp_flags(parts, code),
    )


def peer_place(cycle: Cycle, government: Government) -> tuple[Ranked | None, int]:
    """The government's place in its peer group among every government of ``cycle`` with
    an official assessment (the live F-02 IPP), and the size of that group."""
    from patuh.results.services import cycle_results

    rows = cycle_results(cycle, AssessmentKind.OFFICIAL)
    entries = [
        Entry(
            key=row.government.region_code,
            name=row.government.name,
            score=row.result.rounded,
            group=row.government.kind,
            category=row.result.band.category,
        )
        for row in rows
    ]
    group = rank_by_group(entries).get(government.kind, [])
    place = next((r for r in group if r.entry.key == government.region_code), None)
    return place, len(group)


def ipp_view(
    cycle: Cycle,
    government: Government,
    kind: str,
    visible_units: set[str],
    *,
    with_place: bool = True,
) -> IppView | None:
    """The IPP figures of ``government``'s ``kind`` assessments in a PEKPPP cycle; ``None``
    for an Ombudsman cycle or an instrument without a users' questionnaire. Units outside
    ``visible_units`` are left out (the government's figures are the whole government's);
    ``with_place=False`` skips the peer-group ranking (which scores the whole cycle)."""
    from patuh.assessments.services import score_pekppp

    if cycle.program != Program.PEKPPP:
        return None
    parts = score_pekppp(cycle, government, kind)
    if parts is None:
        return None
    result = parts.ipp
    units = [
        _figures(parts, unit.code, unit.name, unit.score, unit.band, parts.units[unit.code])
        for unit in result.units
        if unit.code in visible_units
    ]
    place, size = (None, 0)
    if with_place and kind == AssessmentKind.OFFICIAL:
        place, size = peer_place(cycle, government)
    composite = parts.instrument.composite
    survey = parts.instrument.user_survey
    return IppView(
        government=_figures(
            parts, None, government.name, result.score, result.band, parts.government
        ),
        units=units,
        place=place,
        group_size=size,
        composite_note=composite.provisional_note if composite is not None else None,
        survey_note=survey.provisional_note if survey is not None else None,
    )
