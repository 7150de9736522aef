"""The register's figures per unit and per government for a period, read from the database
and counted by the pure clock (:mod:`patuh.complaints.clock`).

An assessment cycle's period is its calendar year: the Pengaduan cards of a 2026 assessment
show the complaints received from 1 January to 31 December 2026 (counted as of today while
the year is running).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from patuh.complaints.clock import (
    Change,
    Dates,
    Figures,
    WorkingCalendar,
    build_calendar,
    figures,
    read_changes,
)
from patuh.complaints.models import Complaint
from patuh.orgs.models import Government, ServiceUnit

COMPLAINT_VARIABLES = frozenset({"complaint_management", "consultation_complaints"})
"""The instrument variables whose indicators show the register's figures as evidence: the
Ombudsman's Pengelolaan Pengaduan (PG-*) and PEKPPP's Konsultasi dan Pengaduan (KS-*)."""

_CALENDARS: dict[tuple[Any, ...], WorkingCalendar] = {}


def deployment_changes() -> list[Change]:
    path = settings.PATUH_COMPLAINT_HOLIDAYS_FILE
    return read_changes(path) if path else []


def calendar_for(years: range | list[int]) -> WorkingCalendar:
    """The working calendar of ``years`` (and the next, where deadlines run over), kept per
    process for the deployment's holidays file as it is now."""
    wanted = sorted({*years, max(years) + 1})
    path = settings.PATUH_COMPLAINT_HOLIDAYS_FILE
    key = (tuple(wanted), path)
    calendar = _CALENDARS.get(key)
    if calendar is None:
        calendar = build_calendar(wanted, deployment_changes())
        _CALENDARS[key] = calendar
    return calendar


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


def period_of_cycle(cycle: Any) -> Period:
    return Period.year(cycle.year)


def _dates(rows: Any) -> list[Dates]:
    return [
        Dates(received, forwarded, followed_up, closed)
        for received, forwarded, followed_up, closed in rows.values_list(
            "received_on", "forwarded_on", "followed_up_on", "closed_on"
        )
    ]


def count(rows: Any, period: Period, today: date | None = None) -> Figures:
    today = today or timezone.localdate()
    return figures(_dates(rows), calendar_for(period.years), today)


def unit_figures(unit: ServiceUnit, period: Period, today: date | None = None) -> Figures:
    return count(
        Complaint.objects.filter(unit=unit).received_between(period.start, period.end),
        period,
        today,
    )


@dataclass(frozen=True)
class GovernmentFigures:
    total: Figures
    units: list[tuple[ServiceUnit, Figures]]


def government_figures(
    government: Government, period: Period, today: date | None = None, units: Any = None
) -> GovernmentFigures:
    """Every unit's figures and the government's together (all its complaints as one);
    ``units``: only these of its units (what the viewing user sees)."""
    units = government.units.all() if units is None else units.filter(government=government)
    rows = Complaint.objects.filter(unit__in=units).received_between(period.start, period.end)
    by_unit: dict[int, list[Dates]] = {}
    for unit_id, *values in rows.values_list(
        "unit_id", "received_on", "forwarded_on", "followed_up_on", "closed_on"
    ):
        by_unit.setdefault(unit_id, []).append(Dates(*values))
    today = today or timezone.localdate()
    calendar = calendar_for(period.years)
    units = [
        (unit, figures(by_unit.get(unit.pk, []), calendar, today))
        for unit in units.order_by("code")
    ]
    total = figures([d for dates in by_unit.values() for d in dates], calendar, today)
    return GovernmentFigures(total, units)


def figures_json(result: Figures) -> dict[str, Any]:
    """The figures as the JSON of ``patuh complaints stats`` (keys are a contract)."""
    return {
        "volume": result.volume,
        "closed": result.closed,
        "open": result.open,
        "follow_up_due": result.follow_up_due,
        "followed_up_in_time": result.followed_up_in_time,
        "overdue": result.overdue,
        "share_in_time": None if result.share_in_time is None else str(result.share_in_time),
        "median_days": None if result.median_days is None else str(result.median_days),
    }


@dataclass(frozen=True)
class CardEvidence:
    """What a Pengaduan card shows of the register: part of the card's cache key, so a
    complaint logged or closed gives the card a new key."""

    period: Period
    figures: Figures
    region_code: str
    unit_code: str


def card_evidence(unit: ServiceUnit, cycle: Any, today: date | None = None) -> CardEvidence:
    period = period_of_cycle(cycle)
    return CardEvidence(
        period, unit_figures(unit, period, today), unit.government.region_code, unit.code
    )
