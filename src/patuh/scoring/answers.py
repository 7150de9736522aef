"""Answers: what an assessor recorded for each indicator of each unit.

A value is a number on the indicator's scale, a list of such numbers (one per interviewed
official, sampled product or respondent — their mean is used; ``"na"`` items inside a list
are skipped), or ``"na"`` for *not applicable*. An indicator left out is *missing*.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import Problem
from .model import GOVERNMENT_KINDS, UNIT_TYPES, Indicator, Instrument
from .numbers import mean, to_decimal

NA = "na"
"""Marks an indicator (or one respondent's/product's item) as not applicable."""

AnswerValue = Any
"""``int | float | Decimal | "na" | Sequence[int | float | Decimal | "na"]``."""


@dataclass(frozen=True)
class UnitAnswers:
    code: str
    name: str
    type: str
    answers: Mapping[str, AnswerValue]
    products: int = 0
    synthetic: bool = False


@dataclass(frozen=True)
class GovernmentAnswers:
    code: str
    name: str
    kind: str
    units: Sequence[UnitAnswers]
    ombudsman_products_followed_up: bool | None = None
    synthetic: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


def is_na(value: object) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("na", "n/a")


def _number(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = to_decimal(value)
    except (InvalidOperation, TypeError):
        return None
    return number if number.is_finite() else None


def check_value(indicator: Indicator, value: AnswerValue) -> str | None:
    """Why ``value`` is not a valid answer to ``indicator``, or ``None`` when it is."""
    scale = indicator.scale
    # the common cases first: a whole number, or a list of them, inside the scale
    kind = type(value)
    if kind is int:
        if scale.minimum <= value <= scale.maximum:
            return None
    elif kind is list and all(
        type(item) is int and scale.minimum <= item <= scale.maximum for item in value
    ):
        return None
    if is_na(value):
        return None
    if isinstance(value, list | tuple):
        for position, item in enumerate(value, start=1):
            if is_na(item):
                continue
            number = _number(item)
            if number is None:
                return f'nilai ke-{position} ({item!r}) bukan angka atau "na"'
            if not scale.contains(number):
                return f"nilai ke-{position} ({item}) di luar skala {scale}"
        return None
    number = _number(value)
    if number is None:
        return f'nilai {value!r} bukan angka, daftar angka, atau "na"'
    if not scale.contains(number):
        return f"nilai {value} di luar skala {scale}"
    return None


def resolve_value(value: AnswerValue) -> Decimal | None:
    """The value scoring uses: the number, the mean of a list, or ``None`` for N/A.

    Must only be called on values :func:`check_value` accepted. An empty list, or a list of
    only ``"na"`` items, is N/A.
    """
    if is_na(value):
        return None
    if isinstance(value, list | tuple):
        numbers = [to_decimal(item) for item in value if not is_na(item)]
        return mean(numbers) if numbers else None
    return to_decimal(value)


def check_answers(instrument: Instrument, government: GovernmentAnswers) -> list[Problem]:
    """Every problem with ``government``'s answers for ``instrument``."""
    problems: list[Problem] = []
    if government.kind not in GOVERNMENT_KINDS:
        problems.append(
            Problem(
                "government.kind",
                f"jenis '{government.kind}' tidak dikenal (yang dikenal: "
                f"{', '.join(GOVERNMENT_KINDS)})",
            )
        )
    if not government.units:
        problems.append(Problem("units", "tidak ada unit layanan yang dinilai"))
    seen: set[str] = set()
    for unit in government.units:
        where = f"unit {unit.code}"
        if unit.code in seen:
            problems.append(Problem(where, "kode unit ganda"))
        seen.add(unit.code)
        if unit.type not in UNIT_TYPES:
            problems.append(
                Problem(
                    f"{where}, type",
                    f"jenis unit '{unit.type}' tidak dikenal (yang dikenal: "
                    f"{', '.join(UNIT_TYPES)})",
                )
            )
            continue
        if instrument.government_aggregation == "product_weighted" and unit.products <= 0:
            problems.append(
                Problem(
                    where,
                    "jumlah produk layanan wajib diisi (> 0) karena nilai pemda dibobot per produk",
                )
            )
        for code, value in unit.answers.items():
            indicator = instrument.indicators.get(code)
            if indicator is None:
                problems.append(
                    Problem(
                        f"{where}, indikator {code}",
                        f"indikator tidak dikenal di instrumen {instrument.code}",
                    )
                )
                continue
            if not indicator.applies_to_unit_type(unit.type):
                problems.append(
                    Problem(
                        f"{where}, indikator {code}",
                        f"indikator ini tidak berlaku untuk jenis unit {unit.type}",
                    )
                )
                continue
            reason = check_value(indicator, value)
            if reason:
                problems.append(Problem(f"{where}, indikator {code}", reason))
    return problems
