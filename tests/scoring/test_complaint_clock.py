"""The complaint clock: working days without Saturdays, Sundays, public holidays and cuti
bersama; SP4N-LAPOR!'s 3/5/10 working-day limits; no Django anywhere in it."""

from __future__ import annotations

import ast
import csv
import subprocess
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from patuh.complaints import clock
from patuh.complaints.clock import (
    CalendarError,
    Change,
    Dates,
    build_calendar,
    figures,
    packaged_cuti_bersama,
    read_changes,
    timing,
)

CALENDAR = build_calendar(range(2023, 2028))
DAYS = st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 11, 30))


def test_the_clock_imports_no_django():
    tree = ast.parse(Path(clock.__file__).read_text(encoding="utf-8"))
    modules = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [m for m in modules if m and m.split(".")[0] == "django"]
    code = (
        "import sys\nfrom patuh.complaints.clock import build_calendar\n"
        "build_calendar([2026])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_weekends_public_holidays_and_cuti_bersama_are_days_off():
    assert not CALENDAR.is_working_day(date(2026, 12, 5))  # a Saturday
    assert not CALENDAR.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert not CALENDAR.is_working_day(date(2026, 12, 24))  # cuti bersama Natal, a Thursday
    assert not CALENDAR.is_working_day(date(2025, 8, 18))  # the extra cuti bersama of 2025
    assert CALENDAR.is_working_day(date(2026, 12, 3))  # an ordinary Thursday
    assert CALENDAR.days_off[date(2026, 12, 24)].kind == "cuti_bersama"
    assert CALENDAR.days_off[date(2026, 8, 17)].kind == "public"


def test_lebaran_2026_takes_a_week_out_of_the_clock():
    # 18 Mar cuti Nyepi, 19 Nyepi, 20 cuti, 21–22 Idul Fitri (weekend), 23–24 cuti
    assert CALENDAR.add_working_days(date(2026, 3, 17), 1) == date(2026, 3, 25)
    assert CALENDAR.working_days_between(date(2026, 3, 5), date(2026, 3, 17)) == 8


def test_counting_is_after_the_start_up_to_and_including_the_end():
    monday = date(2026, 11, 30)
    assert CALENDAR.working_days_between(monday, monday) == 0
    assert CALENDAR.working_days_between(monday, date(2026, 12, 4)) == 4
    assert CALENDAR.working_days_between(monday, date(2026, 12, 7)) == 5  # over a weekend
    assert CALENDAR.working_days_between(date(2026, 12, 7), monday) == -5
    assert CALENDAR.add_working_days(monday, 0) == monday
    assert CALENDAR.add_working_days(date(2026, 12, 4), 1) == date(2026, 12, 7)
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_days(monday, -1)


@given(DAYS, st.integers(min_value=1, max_value=40))
def test_adding_working_days_never_lands_on_a_day_off(start, count):
    assert CALENDAR.is_working_day(CALENDAR.add_working_days(start, count))


@given(DAYS, st.integers(min_value=0, max_value=40))
def test_adding_then_counting_gives_the_number_back(start, count):
    end = CALENDAR.add_working_days(start, count)
    assert CALENDAR.working_days_between(start, end) == count
    assert end >= start


@given(DAYS, st.integers(min_value=0, max_value=30), st.integers(min_value=0, max_value=30))
def test_adding_is_monotone(start, a, b):
    low, high = sorted((a, b))
    assert CALENDAR.add_working_days(start, low) <= CALENDAR.add_working_days(start, high)


@given(DAYS, DAYS, DAYS)
def test_counting_is_additive(a, b, c):
    a, b, c = sorted((a, b, c))
    between = CALENDAR.working_days_between
    assert between(a, b) + between(b, c) == between(a, c)


def test_the_packaged_cuti_bersama_cover_2023_to_2026_with_a_source_each():
    rows = packaged_cuti_bersama()
    assert {row.day.year for row in rows} >= {2023, 2024, 2025, 2026}
    assert all(row.source.startswith(("SKB", "Perubahan SKB")) for row in rows)
    assert all(row.provisional for row in rows)  # not yet checked against the decrees' text
    assert all(row.day.weekday() < 5 for row in rows)  # a cuti bersama is a working day off


def test_a_year_without_packaged_dates_falls_back_on_the_library():
    later = build_calendar([2027])
    joint = [d for d in later.days_off.values() if d.kind == "cuti_bersama"]
    assert joint
    assert all(d.provisional for d in joint)


def test_a_deployment_adds_and_removes_days(tmp_path):
    path = tmp_path / "libur.csv"
    path.write_text(
        "date,name,action\n2026-12-03,Hari jadi kabupaten,\n2026-12-24,Cuti dibatalkan,remove\n",
        encoding="utf-8",
    )
    changes = read_changes(path)
    assert changes == [
        Change(date(2026, 12, 3), "Hari jadi kabupaten"),
        Change(date(2026, 12, 24), "Cuti dibatalkan", True),
    ]
    local = build_calendar([2026], changes)
    assert not local.is_working_day(date(2026, 12, 3))
    assert local.is_working_day(date(2026, 12, 24))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("day,name\n2026-01-01,x\n", "baris 1: kolom 'date' dan 'name' wajib ada"),
        ("date,name\n01/02/2026,x\n", "baris 2, kolom date: tanggal '01/02/2026'"),
        ("date,name,action\n2026-01-02,x,hapus\n", "baris 2, kolom action: 'hapus'"),
    ],
)
def test_a_bad_holidays_file_names_its_row_and_column(tmp_path, text, message):
    path = tmp_path / "libur.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError, match=message.replace("(", r"\(")):
        read_changes(path)


def test_the_packaged_file_has_the_documented_columns():
    with clock.DATA_FILE.open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["date", "name", "source", "status"]


def test_timing_of_a_complaint_through_sp4n_lapor():
    # received Mon 2 Feb 2026, disposed Wed 4 Feb, followed up Tue 10 Feb, closed Fri 20 Feb
    result = timing(
        Dates(date(2026, 2, 2), date(2026, 2, 4), date(2026, 2, 10), date(2026, 2, 20)), CALENDAR
    )
    assert result.forward_due == date(2026, 2, 5)
    assert (result.forward_days, result.forwarded_in_time) == (2, True)
    assert result.follow_up_due == date(2026, 2, 11)
    assert (result.follow_up_days, result.followed_up_in_time) == (4, True)
    assert result.close_due == date(2026, 2, 26)  # 16 Feb cuti Imlek, 17 Feb Imlek
    assert (result.close_days, result.closed_in_time) == (6, True)
    assert result.total_days == 12


def test_a_walk_in_without_disposition_is_allowed_the_forwarding_time_too():
    received = date(2026, 11, 2)  # a Monday
    result = timing(Dates(received, None, date(2026, 11, 11)), CALENDAR)
    assert result.follow_up_due == date(2026, 11, 12)  # 3 + 5 working days
    assert result.followed_up_in_time is True
    late = timing(Dates(received, None, date(2026, 11, 13)), CALENDAR)
    assert late.followed_up_in_time is False


def test_figures_of_a_register():
    today = date(2026, 12, 3)
    rows = [
        Dates(date(2026, 2, 2), date(2026, 2, 4), date(2026, 2, 10), date(2026, 2, 20)),  # 12
        Dates(date(2026, 3, 2), date(2026, 3, 5), date(2026, 3, 17), date(2026, 3, 31)),  # late
        Dates(date(2026, 9, 7), date(2026, 9, 8)),  # overdue: due 15 Sep
        Dates(date(2026, 12, 2)),  # not yet due
    ]
    result = figures(rows, CALENDAR, today)
    assert (result.volume, result.closed, result.open) == (4, 2, 2)
    assert (result.follow_up_due, result.followed_up_in_time, result.overdue) == (3, 1, 1)
    assert result.share_in_time == Decimal("33.3")
    assert result.median_days == Decimal("14")  # 12 and 16 working days


def test_an_empty_register_has_no_share_and_no_median():
    result = figures([], CALENDAR, date(2026, 12, 3))
    assert (result.volume, result.share_in_time, result.median_days) == (0, None, None)


@given(st.lists(st.tuples(DAYS, st.integers(0, 6), st.integers(0, 12)), max_size=20))
def test_figures_never_count_more_in_time_than_due(rows):
    today = date(2026, 12, 1)
    dates = []
    for received, to_forward, to_follow in rows:
        forwarded = received + timedelta(days=to_forward)
        followed = forwarded + timedelta(days=to_follow)
        dates.append(Dates(received, forwarded, followed if followed <= today else None))
    result = figures(dates, CALENDAR, today)
    assert 0 <= result.followed_up_in_time <= result.follow_up_due <= result.volume
    assert result.overdue <= result.follow_up_due
    if result.share_in_time is not None:
        assert Decimal(0) <= result.share_in_time <= Decimal(100)
