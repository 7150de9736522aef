"""KemenPAN-RB PEKPPP: the Indeks Pelayanan Publik (IPP, 0–5) of one service unit.

``IPP = Σ_a W_a × Σ_i w_i × score_i`` with aspect weights ``W`` and indicator weights ``w``
from the instrument (scores 0–5). It is the generic engine with result range 0–5.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .answers import GovernmentAnswers, UnitAnswers, check_answers
from .engine import UnitResult, score_unit
from .errors import AnswersError
from .model import Band, Instrument


@dataclass(frozen=True)
class IppResult:
    unit: UnitResult

    @property
    def ipp(self) -> Decimal:
        return self.unit.score

    @property
    def rounded(self) -> Decimal:
        return self.unit.rounded

    @property
    def band(self) -> Band:
        return self.unit.band

    @property
    def aspects(self) -> dict[str, Decimal | None]:
        return {code: dim.score for code, dim in self.unit.dimensions.items()}


def score_ipp(
    instrument: Instrument, answers: Mapping[str, object], unit_code: str = "unit"
) -> IppResult:
    unit = UnitAnswers(unit_code, unit_code, "lainnya", answers)
    problems = check_answers(instrument, GovernmentAnswers("-", "-", "lembaga", [unit]))
    if problems:
        raise AnswersError("", problems)
    return IppResult(score_unit(instrument, unit))
