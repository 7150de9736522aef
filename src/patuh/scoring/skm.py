"""Survei Kepuasan Masyarakat (PermenPAN-RB 14/2017): NRR, IKM, converted index, sample size.

``NRR_u`` is the mean of the valid answers (1–4) to element ``u``; ``IKM = Σ_u NRR_u × 1/9``
(exactly one ninth, not the rounded 0.11 many spreadsheets use); the converted index is
``IKM × 25`` (25–100) and is banded with the instrument's categories.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext

from .answers import check_value, is_na
from .errors import AnswersError, Problem
from .model import Band, Instrument
from .numbers import DECIMAL_CONTEXT, ZERO, round_half_up, to_decimal

CHI_SQUARE = Decimal("3.841")
PROPORTION = Decimal("0.5")
MARGIN = Decimal("0.05")
CONVERSION_FACTOR = Decimal(25)


def krejcie_morgan(population: int) -> int:
    """Sample size for a population of ``population`` users (Krejcie & Morgan 1970), rounded up.

    ``S = χ²·N·P(1−P) / (d²(N−1) + χ²·P(1−P))`` with χ² = 3.841, P = 0.5, d = 0.05.
    """
    if population < 1:
        raise ValueError("population must be at least 1")
    with localcontext(DECIMAL_CONTEXT):
        n = Decimal(population)
        spread = PROPORTION * (1 - PROPORTION)
        size = CHI_SQUARE * n * spread / (MARGIN**2 * (n - 1) + CHI_SQUARE * spread)
        return int(size.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class ElementResult:
    code: str
    name: str
    nrr: Decimal
    answers: int

    @property
    def weighted_nrr(self) -> Decimal:
        return self.nrr / Decimal(9)


@dataclass(frozen=True)
class SkmResult:
    instrument: Instrument
    respondents: int
    elements: dict[str, ElementResult]
    ikm: Decimal
    """Index on the 1–4 scale."""
    index: Decimal
    """Converted index, 25–100."""
    band: Band

    @property
    def rounded_index(self) -> Decimal:
        return round_half_up(self.index, self.instrument.result.decimals)

    def required_sample(self, population: int) -> int:
        return krejcie_morgan(population)

    def sample_adequate(self, population: int) -> bool:
        return self.respondents >= krejcie_morgan(population)


def score_skm(instrument: Instrument, responses: Iterable[Mapping[str, object]]) -> SkmResult:
    """Score SKM responses: each maps element codes (U1…U9) to 1–4, ``"na"`` or nothing."""
    elements = list(instrument.indicators.values())
    sums = {element.code: ZERO for element in elements}
    counts = dict.fromkeys(sums, 0)
    problems: list[Problem] = []
    respondents = 0
    for row_number, response in enumerate(responses, start=1):
        respondents += 1
        for code, value in response.items():
            element = instrument.indicators.get(code)
            if element is None:
                problems.append(Problem(f"responden {row_number}", f"unsur tidak dikenal '{code}'"))
                continue
            if value is None or value == "" or is_na(value):
                continue
            reason = check_value(element, value)
            if reason or isinstance(value, list | tuple):
                problems.append(
                    Problem(f"responden {row_number}, {code}", reason or "satu jawaban per unsur")
                )
                continue
            sums[code] += to_decimal(value)
            counts[code] += 1
    for element in elements:
        if not problems and counts[element.code] == 0:
            problems.append(Problem(element.code, "tidak ada jawaban sah untuk unsur ini"))
    if problems:
        raise AnswersError("", problems)
    with localcontext(DECIMAL_CONTEXT):
        results = {
            e.code: ElementResult(e.code, e.name, sums[e.code] / counts[e.code], counts[e.code])
            for e in elements
        }
        ikm = sum((r.nrr for r in results.values()), ZERO) / Decimal(len(results))
        index = ikm * CONVERSION_FACTOR
    band = instrument.band_for(round_half_up(index, instrument.result.decimals))
    return SkmResult(instrument, respondents, results, ikm, index, band)
