"""Rankings: competition ranks on the rounded score (ties share a rank: 1, 2, 2, 4), within
peer groups, with the change against a previous ranking.

Plain Python, like the rest of the scoring core."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

PEER_GROUPS = ("kementerian", "lembaga", "provinsi", "kabupaten", "kota")
"""The Ombudsman's peer groups: one per kind of government."""


@dataclass(frozen=True)
class Entry:
    key: str
    """The government's code."""
    name: str
    score: Decimal
    """The rounded score: equal rounded scores share a rank."""
    group: str
    category: str = ""
    zone: str | None = None


@dataclass(frozen=True)
class Ranked:
    entry: Entry
    rank: int
    previous_rank: int | None = None

    @property
    def change(self) -> int | None:
        """Places gained (positive) or lost (negative) since the previous ranking."""
        return None if self.previous_rank is None else self.previous_rank - self.rank


def rank(entries: Iterable[Entry], previous: Mapping[str, int] | None = None) -> list[Ranked]:
    """Competition ranking, best first; ties by name then key for a stable order."""
    ordered = sorted(entries, key=lambda e: (-e.score, e.name, e.key))
    ranked: list[Ranked] = []
    for position, entry in enumerate(ordered, start=1):
        tied = bool(ranked) and ranked[-1].entry.score == entry.score
        place = ranked[-1].rank if tied else position
        ranked.append(Ranked(entry, place, (previous or {}).get(entry.key)))
    return ranked


def rank_by_group(
    entries: Iterable[Entry], previous: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, list[Ranked]]:
    """One ranking per peer group, in the order of :data:`PEER_GROUPS` (others after)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.group, []).append(entry)
    order = [g for g in PEER_GROUPS if g in groups] + sorted(set(groups) - set(PEER_GROUPS))
    return {group: rank(groups[group], (previous or {}).get(group)) for group in order}


def ranks_of(ranked: Iterable[Ranked]) -> dict[str, int]:
    return {item.entry.key: item.rank for item in ranked}


def distribution(entries: Iterable[Entry]) -> tuple[Counter[str], Counter[str]]:
    """How many governments per zone and per category."""
    entries = list(entries)
    return (
        Counter(entry.zone or "-" for entry in entries),
        Counter(entry.category for entry in entries),
    )
