"""The result layers above the score (2025+: quality-of-service label, opinion, award,
government-level elements with their figures, compliance level) as one shape for every page.

The shape is read from the ``government`` object of ``patuh score --format json``
(:func:`patuh.commands.government_json`): a published page reads it from the snapshot's
payload, a live page from :func:`patuh.commands.government_data` of the scoring core's result,
so both show the same thing. Each layer says whether the rule it rests on is provisional."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from patuh.scoring import GovernmentResult


def result_layers(government: Mapping[str, Any] | None) -> dict[str, Any]:
    """The layers of one government's result, from its JSON ``government`` object.

    ``has_layers`` is false for instruments before 2025 (their payload has no elements,
    compliance or award): pages then show what they always showed."""
    government = government or {}
    provisional = [
        {"path": item.get("path", ""), "note": item.get("note", "")}
        for item in government.get("provisional") or []
    ]
    paths = {item["path"] for item in provisional}
    notes = {item["path"]: item["note"] for item in provisional}
    elements = []
    for element in government.get("elements") or []:
        code = element.get("code", "")
        path = f"government_elements.{code}"
        figures = []
        for figure in element.get("indicators") or []:
            figure_path = f"{path}.{figure.get('indicator', '')}"
            figures.append(
                {
                    "code": figure.get("indicator"),
                    "name": figure.get("name"),
                    "status": figure.get("status"),
                    "missing": figure.get("value") is None,
                    "value": figure.get("value"),
                    "year": figure.get("year"),
                    "source": figure.get("source"),
                    "points_lost": figure.get("points_lost"),
                    "provisional": figure_path in paths,
                    "provisional_note": notes.get(figure_path, ""),
                }
            )
        elements.append(
            {
                "code": code,
                "name": element.get("name"),
                "kind": element.get("kind"),
                "weight": element.get("weight"),
                "score": element.get("score"),
                "points": element.get("points"),
                "provisional": path in paths or any(f["provisional"] for f in figures),
                "provisional_note": notes.get(path, ""),
                "indicators": figures,
            }
        )
    compliance = government.get("compliance")
    award = government.get("award")
    band_path = f"bands.{government.get('category', '')}"
    return {
        "has_layers": bool(elements or compliance or award),
        "category": government.get("category"),
        "opinion": government.get("opinion"),
        "zone": government.get("zone") or None,
        "quality_label": government.get("quality_label"),
        "quality_provisional": band_path in paths,
        "quality_note": notes.get(band_path, ""),
        "units_score": government.get("units_score"),
        "elements": elements,
        "missing": list(government.get("missing") or []),
        "compliance": None
        if not compliance
        else {
            "level": compliance.get("level"),
            "label": compliance.get("label"),
            "suffix": compliance.get("suffix"),
            "provisional": bool(compliance.get("provisional")),
            "provisional_note": notes.get("compliance", ""),
        },
        "award": None
        if not award
        else {
            "name": award.get("name"),
            "awarded": bool(award.get("awarded")),
            "categories": list(award.get("categories") or []),
            "provisional": bool(award.get("provisional")),
            "provisional_note": notes.get("award", ""),
        },
        "zones_note": government.get("zones_note") or "",
        "provisional": provisional,
    }


def live_layers(result: GovernmentResult | None) -> dict[str, Any] | None:
    """:func:`result_layers` of a live result (``None`` stays ``None``)."""
    if result is None:
        return None
    from patuh.commands import government_data

    return result_layers(government_data(result))


def instrument_has_zones(code: str) -> bool:
    """Whether the instrument ``code`` has colour zones (up to 2024); an instrument no longer
    packaged is taken to have them, as every instrument before 2025 did."""
    from patuh.scoring import UnknownInstrument, load_instrument

    try:
        return load_instrument(code).has_zones
    except UnknownInstrument:
        return True


def quality_label_of(code: str, category: str) -> str | None:
    """The quality-of-service label of ``category`` in the instrument ``code`` (2025+), read
    where only a snapshot's columns are at hand (rankings); ``None`` when it has none."""
    from patuh.scoring import UnknownInstrument, load_instrument

    try:
        instrument = load_instrument(code)
    except UnknownInstrument:
        return None
    band = next((b for b in instrument.bands if b.category == category), None)
    return band.quality_label if band is not None else None


def award_of(code: str, category: str) -> dict[str, Any] | None:
    """The award line for ``category`` in the instrument ``code`` (2025+: the Opini Ombudsman
    RI at Kualitas Tertinggi only); ``None`` when the instrument has no award."""
    from patuh.scoring import UnknownInstrument, load_instrument

    try:
        instrument = load_instrument(code)
    except UnknownInstrument:
        return None
    if not instrument.award_name:
        return None
    notes = {note.path for note in instrument.provisional_notes}
    return {
        "name": instrument.award_name,
        "awarded": category in instrument.award_categories,
        "categories": list(instrument.award_categories),
        "provisional": "award" in notes,
    }


def ranking_layers(code: str) -> dict[str, Any]:
    """What a ranking table of a cycle with the instrument ``code`` shows beside each
    category: ``has_zones``, and without zones the quality label per category and the
    categories that get the award."""
    from patuh.scoring import UnknownInstrument, load_instrument

    try:
        instrument = load_instrument(code)
    except UnknownInstrument:
        return {"has_zones": True, "quality_labels": {}, "award_name": "", "award_categories": []}
    return {
        "has_zones": instrument.has_zones,
        "quality_labels": {b.category: b.quality_label for b in instrument.bands},
        "award_name": instrument.award_name,
        "award_categories": list(instrument.award_categories),
    }
