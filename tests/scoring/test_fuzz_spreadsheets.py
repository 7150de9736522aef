"""The one helper every CSV/XLSX writer uses against formula injection, and its inverse for
Patuh's own readers: no neutralised cell starts like a formula, numbers are left alone, and
reading back gives exactly what was written."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patuh.scoring.spreadsheets import (
    FORMULA_TRIGGERS,
    bad_text_at,
    safe_cell,
    safe_row,
    shown,
    unescape_cell,
)

FORMULA_LIKE = st.builds(
    lambda lead, trigger, rest: lead + trigger + rest,
    st.sampled_from(["", " ", "  ", "\n", "\u00a0", "'", "''", " '", "\x01"]),
    st.sampled_from(["=", "+", "-", "@", "\t", "\r"]),
    st.sampled_from(["cmd|' /C calc'!A0", "SUM(1+1)", "1+1", "2+3", 'HYPERLINK("x")', ""]),
)
TEXT = st.one_of(st.text(max_size=30), FORMULA_LIKE)


def formula_like(text: str) -> bool:
    """What a spreadsheet (or a CSV import) would take for a formula."""
    return text[:1] in ("\t", "\r") or text.lstrip()[:1] in FORMULA_TRIGGERS


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("  =1+1", "'  =1+1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=A1", "''=A1"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("Dinas Kesehatan", "Dinas Kesehatan"),
        ("\x0b=1", "'=1"),
        ("a\ud800b", "ab"),
    ],
)
def test_known_payloads(text, safe):
    assert safe_cell(text) == safe


@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_no_neutralised_text_starts_like_a_formula_and_it_reads_back_unchanged(text):
    safe = safe_cell(text)
    assert not formula_like(safe)
    assert not ILLEGAL_CHARACTERS_RE.search(safe)
    if not ILLEGAL_CHARACTERS_RE.search(text):
        assert unescape_cell(safe) == text


@given(value=st.one_of(st.integers(), st.floats(), st.none(), st.booleans(), st.dates()))
def test_numbers_dates_and_blanks_are_left_alone(value):
    """A negative number is a number to a spreadsheet, not a formula."""
    assert safe_cell(value) is value
    assert safe_row([value, "=1"]) == [value, "'=1"]


@given(text=st.text(max_size=500))
def test_a_quoted_cell_is_short_and_printable(text):
    quoted = shown(text)
    assert len(quoted) <= 60
    assert quoted.isprintable()


def test_bad_text_is_found_anywhere_and_cycles_end():
    looped: list = []
    looped.append(looped)
    assert bad_text_at({"a": [looped, {"b": "ok"}], 1: "ok"}) is None
    assert bad_text_at({"a": [{"b": "x\x00"}]}) == "a[0].b"
    assert bad_text_at({"k\ud800": 1}) == "k\\ud800"
