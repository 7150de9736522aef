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
from .model import GOVERNMENT_KINDS, UNIT_TYPES, GovernmentIndicator, Indicator, Instrument
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
    survey: Sequence[Mapping[str, Any]] = ()
    """The users' questionnaire (PEKPPP F-03), one ``{item code: answer}`` per respondent;
    empty when the instrument has none or it was not run."""


@dataclass(frozen=True)
class GovernmentAnswers:
    code: str
    name: str
    kind: str
    units: Sequence[UnitAnswers]
    ombudsman_products_followed_up: bool | None = None
    synthetic: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)
    answers: Mapping[str, Any] = field(default_factory=dict)
    """Government-level answers (2025+), by code: a survey figure (a number, or
    ``{"value": …}``), a secondary-data value ``{"value": …, "year": …, "source": …}``, or the
    compliance level's code (``"tinggi"``)."""


@dataclass(frozen=True)
class GovernmentValue:
    """A government-level figure as scored: the value, and the year and source of the data."""

    value: Decimal
    year: int | None = None
    source: str | None = None


MIN_DATA_YEAR = 1945
MAX_DATA_YEAR = 2100


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


def government_value(raw: Any) -> GovernmentValue:
    """The figure of a checked government-level answer (a number or ``{"value": …}``)."""
    if isinstance(raw, Mapping):
        year = raw.get("year")
        source = raw.get("source")
        return GovernmentValue(
            to_decimal(raw["value"]),
            year if isinstance(year, int) else None,
            source.strip() if isinstance(source, str) else None,
        )
    return GovernmentValue(to_decimal(raw))


def _check_government_figure(indicator: GovernmentIndicator, raw: Any) -> list[str]:
    """Why ``raw`` is not a valid government-level figure for ``indicator``."""
    reasons: list[str] = []
    if isinstance(raw, Mapping):
        unknown = sorted(str(k) for k in raw if k not in ("value", "year", "source", "note"))
        if unknown:
            reasons.append(
                f"kunci tidak dikenal: {', '.join(unknown)} "
                "(yang dikenal: value, year, source, note)"
            )
        value = raw.get("value")
        year = raw.get("year")
        source = raw.get("source")
    else:
        value, year, source = raw, None, None
    if value is None:
        reasons.append("nilai (value) wajib diisi")
    else:
        number = _number(value)
        if number is None:
            reasons.append(f"nilai {value!r} bukan angka")
        elif not indicator.scale.contains(number):
            reasons.append(f"nilai {value} di luar skala {indicator.scale}")
    if year is None:
        if indicator.needs_year_and_source:
            reasons.append("tahun data sumber (year) wajib diisi untuk data sekunder")
    elif (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not MIN_DATA_YEAR <= year <= MAX_DATA_YEAR
    ):
        reasons.append(
            f"tahun data sumber {year!r} tidak valid "
            f"(bilangan bulat {MIN_DATA_YEAR}–{MAX_DATA_YEAR})"
        )
    if source is None:
        if indicator.needs_year_and_source:
            reasons.append("sumber data (source) wajib diisi untuk data sekunder, misalnya BPS")
    elif not isinstance(source, str) or not source.strip():
        reasons.append("sumber data (source) harus teks yang tidak kosong")
    return reasons


def check_government_answers(
    instrument: Instrument, government: GovernmentAnswers
) -> list[Problem]:
    """Every problem with ``government``'s government-level answers (``government.answers``):
    an unknown code, a figure off its scale, a secondary-data value without its year or
    source, a compliance level the instrument does not define."""
    problems: list[Problem] = []
    answers = government.answers
    if not answers:
        return problems
    if not isinstance(answers, Mapping):
        return [Problem("government.answers", "harus objek {kode: nilai}")]
    compliance = instrument.compliance
    if not instrument.government_elements and compliance is None:
        return [
            Problem(
                "government.answers",
                f"instrumen {instrument.code} tidak memakai jawaban tingkat pemerintah",
            )
        ]
    for code, raw in answers.items():
        where = f"government.answers, indikator {code}"
        if compliance is not None and code == compliance.code:
            if not isinstance(raw, str) or compliance.level(raw.strip()) is None:
                known = ", ".join(level.code for level in compliance.levels)
                problems.append(
                    Problem(
                        where, f"tingkat kepatuhan {raw!r} tidak dikenal (yang dikenal: {known})"
                    )
                )
            continue
        indicator = instrument.government_indicators.get(code)
        if indicator is None:
            known = ", ".join(
                [*instrument.government_indicators, *([compliance.code] if compliance else [])]
            )
            problems.append(
                Problem(
                    where,
                    f"indikator tingkat pemerintah tidak dikenal di instrumen {instrument.code} "
                    f"(yang dikenal: {known})",
                )
            )
            continue
        problems += [Problem(where, reason) for reason in _check_government_figure(indicator, raw)]
    return problems


def check_survey(instrument: Instrument, unit: UnitAnswers) -> list[Problem]:
    """Every problem with ``unit``'s users' questionnaire (F-03): each respondent answers
    every item of the instrument's survey with one whole number on its scale."""
    where = f"unit {unit.code}, survey"
    if not unit.survey:
        return []
    survey = instrument.user_survey
    if survey is None:
        return [Problem(where, f"instrumen {instrument.code} tidak memakai survei pengguna")]
    if not isinstance(unit.survey, Sequence) or isinstance(unit.survey, str):
        return [Problem(where, "harus daftar responden [{kode butir: nilai}, …]")]
    problems: list[Problem] = []
    scale = survey.scale
    for number, respondent in enumerate(unit.survey, start=1):
        here = f"{where}, responden {number}"
        if not isinstance(respondent, Mapping):
            problems.append(Problem(here, "harus objek {kode butir: nilai}"))
            continue
        for code, value in respondent.items():
            if code not in survey.items_by_code:
                problems.append(
                    Problem(f"{here}, butir {code}", f"butir tidak dikenal di {survey.code}")
                )
                continue
            if (
                isinstance(value, bool)
                or not isinstance(value, int)
                or not scale.minimum <= value <= scale.maximum
            ):
                problems.append(
                    Problem(
                        f"{here}, butir {code}",
                        f"jawaban {value!r} harus bilangan bulat {scale}",
                    )
                )
        unanswered = [item.code for item in survey.items if item.code not in respondent]
        if unanswered:
            problems.append(
                Problem(here, f"butir belum dijawab: {', '.join(unanswered)} (semua wajib)")
            )
    return problems


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
        problems += check_survey(instrument, unit)
    problems += check_government_answers(instrument, government)
    return problems
