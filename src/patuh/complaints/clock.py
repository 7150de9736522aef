"""The complaint service-time clock in working days (hari kerja), with no Django in it.

SP4N-LAPOR! counts its time limits in working days: a report is forwarded (disposed) to the
unit within 3 working days of receipt, the unit follows it up within 5 working days of the
disposition, and the case is closed within 10 working days of the follow-up. A working day is
a Monday to Friday that is neither a national public holiday nor a cuti bersama.

Where the days off come from, in order:

1. national public holidays from the ``holidays`` library (country ``ID``, category
   ``public``), which follows each year's Keppres and SKB;
2. cuti bersama from ``data/cuti-bersama.csv`` (each row with the SKB it comes from and a
   ``provisional`` flag while the dates have not been checked against the decree's text); for
   a year that file does not list, the library's own cuti bersama (category ``government``);
3. a deployment's own file (``PATUH_COMPLAINT_HOLIDAYS_FILE``), which adds days (a regional
   holiday, an extra cuti bersama) or, with ``action`` ``remove``, gives a day back as a
   working day.

Counting rule: ``working_days_between(a, b)`` is the number of working days after ``a`` up to
and including ``b``, so an action taken on the day of receipt took 0 working days and a
deadline of *n* working days is met when the count is at most *n*.
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import holidays as holidays_library

DATA_FILE = Path(__file__).with_name("data") / "cuti-bersama.csv"

FORWARD_DAYS = 3
"""Working days from receipt to the disposition to the unit (SP4N-LAPOR!)."""
FOLLOW_UP_DAYS = 5
"""Working days from the disposition to the unit's follow-up."""
CLOSE_DAYS = 10
"""Working days from the follow-up to the closure of the case."""


class CalendarError(ValueError):
    """A holidays file that cannot be read; the message names the row and the column."""


@dataclass(frozen=True)
class DayOff:
    day: date
    name: str
    kind: str
    """``public`` (libur nasional), ``cuti_bersama`` or ``deployment``."""
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Change:
    """One row of a deployment's holidays file: a day added as a day off, or given back."""

    day: date
    name: str
    remove: bool = False


@dataclass(frozen=True)
class WorkingCalendar:
    """The days off of some years; every other Monday–Friday is a working day."""

    days_off: Mapping[date, DayOff]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.days_off

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself for 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        while count:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is
        before ``start`` (a date typed in the wrong order shows as such, not as 0)."""
        if end < start:
            return -self.working_days_between(end, start)
        days = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days += 1
        return days


def _parse_date(text: str, where: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"{where}: tanggal '{text}' harus berbentuk YYYY-MM-DD") from None


@lru_cache(maxsize=1)
def packaged_cuti_bersama() -> tuple[DayOff, ...]:
    """The packaged cuti bersama, with the decree each comes from."""
    rows = []
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            rows.append(
                DayOff(
                    _parse_date(row["date"], f"{DATA_FILE.name} baris {number}"),
                    row["name"].strip(),
                    "cuti_bersama",
                    row["source"].strip(),
                    row["status"].strip() == "provisional",
                )
            )
    return tuple(rows)


def read_changes(path: str | Path) -> list[Change]:
    """A deployment's holidays file: CSV with the columns ``date``, ``name`` and optionally
    ``action`` (``add``, the default, or ``remove``)."""
    path = Path(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as error:
        raise CalendarError(f"{path}: {error.strerror}") from None
    with handle:
        reader = csv.DictReader(handle)
        columns = {name.strip().lower() for name in reader.fieldnames or []}
        if not {"date", "name"} <= columns:
            raise CalendarError(f"{path} baris 1: kolom 'date' dan 'name' wajib ada")
        changes = []
        for number, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
            if not any(row.values()):
                continue
            action = row.get("action", "") or "add"
            if action not in {"add", "remove"}:
                raise CalendarError(
                    f"{path} baris {number}, kolom action: '{action}' harus add atau remove"
                )
            day = _parse_date(row["date"], f"{path} baris {number}, kolom date")
            changes.append(Change(day, row["name"], action == "remove"))
    return changes


def build_calendar(years: Iterable[int], changes: Iterable[Change] = ()) -> WorkingCalendar:
    """The working calendar of ``years`` (see the module's docstring for the sources)."""
    wanted = sorted(set(years))
    days_off: dict[date, DayOff] = {}
    public = holidays_library.country_holidays("ID", years=wanted, categories=("public",))
    for day, name in public.items():
        days_off[day] = DayOff(day, name, "public", "holidays (ID, public)")
    packaged = [d for d in packaged_cuti_bersama() if d.day.year in wanted]
    listed_years = {d.day.year for d in packaged_cuti_bersama()}
    for day_off in packaged:
        days_off.setdefault(day_off.day, day_off)
    unlisted = [year for year in wanted if year not in listed_years]
    if unlisted:
        joint = holidays_library.country_holidays("ID", years=unlisted, categories=("government",))
        for day, name in joint.items():
            days_off.setdefault(
                day, DayOff(day, name, "cuti_bersama", "holidays (ID, government)", True)
            )
    for change in changes:
        if change.remove:
            days_off.pop(change.day, None)
        else:
            days_off[change.day] = DayOff(change.day, change.name, "deployment", "deployment")
    return WorkingCalendar(days_off)


# -- one complaint's timing and a register's figures ------------------------------------


@dataclass(frozen=True)
class Dates:
    """The dates of one complaint that the clock reads."""

    received: date
    forwarded: date | None = None
    followed_up: date | None = None
    closed: date | None = None


@dataclass(frozen=True)
class Timing:
    forward_due: date
    follow_up_due: date
    close_due: date | None
    """Known once the complaint was followed up (10 working days after it)."""
    forward_days: int | None
    follow_up_days: int | None
    close_days: int | None
    total_days: int | None
    """Working days from receipt to closure."""

    @property
    def forwarded_in_time(self) -> bool | None:
        return None if self.forward_days is None else self.forward_days <= FORWARD_DAYS

    @property
    def followed_up_in_time(self) -> bool | None:
        return None if self.follow_up_days is None else self.follow_up_days <= FOLLOW_UP_DAYS

    @property
    def closed_in_time(self) -> bool | None:
        return None if self.close_days is None else self.close_days <= CLOSE_DAYS


def timing(dates: Dates, calendar: WorkingCalendar) -> Timing:
    """Deadlines and elapsed working days of one complaint. The follow-up is counted from the
    disposition, or from receipt when the unit received the complaint itself (no disposition
    date); its deadline then allows for the forwarding time too."""
    forward_due = calendar.add_working_days(dates.received, FORWARD_DAYS)
    start = dates.forwarded or dates.received
    follow_up_due = calendar.add_working_days(dates.forwarded or forward_due, FOLLOW_UP_DAYS)
    close_due = (
        calendar.add_working_days(dates.followed_up, CLOSE_DAYS) if dates.followed_up else None
    )

    def between(a: date | None, b: date | None) -> int | None:
        return None if a is None or b is None else calendar.working_days_between(a, b)

    follow_up_days = between(start, dates.followed_up)
    if follow_up_days is not None and dates.forwarded is None:
        # counted from receipt: the part within the forwarding allowance is not the unit's
        follow_up_days = max(0, follow_up_days - FORWARD_DAYS)
    return Timing(
        forward_due=forward_due,
        follow_up_due=follow_up_due,
        close_due=close_due,
        forward_days=between(dates.received, dates.forwarded),
        follow_up_days=follow_up_days,
        close_days=between(dates.followed_up, dates.closed),
        total_days=between(dates.received, dates.closed),
    )


@dataclass(frozen=True)
class Figures:
    """A register's figures for a period: what the Pengaduan cards and the rapor show."""

    volume: int
    closed: int
    open: int
    follow_up_due: int
    """Complaints whose follow-up was done or is overdue on the day of counting."""
    followed_up_in_time: int
    overdue: int
    """Not followed up although the deadline has passed."""
    median_days: Decimal | None
    """Median working days from receipt to closure, of the closed complaints."""

    @property
    def share_in_time(self) -> Decimal | None:
        """Share (0–100) of the due complaints followed up within the time."""
        if not self.follow_up_due:
            return None
        return (Decimal(100) * self.followed_up_in_time / self.follow_up_due).quantize(
            Decimal("0.1")
        )


def figures(all_dates: Iterable[Dates], calendar: WorkingCalendar, today: date) -> Figures:
    """Count the complaints of ``all_dates`` as of ``today``."""
    volume = closed = due = in_time = overdue = 0
    totals = []
    for dates in all_dates:
        volume += 1
        result = timing(dates, calendar)
        if dates.closed is not None:
            closed += 1
            if result.total_days is not None:
                totals.append(result.total_days)
        if dates.followed_up is not None:
            due += 1
            in_time += bool(result.followed_up_in_time)
        elif result.follow_up_due < today:
            due += 1
            overdue += 1
    median = Decimal(str(statistics.median(totals))) if totals else None
    return Figures(volume, closed, volume - closed, due, in_time, overdue, median)
