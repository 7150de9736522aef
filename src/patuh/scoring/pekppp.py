"""KemenPAN-RB PEKPPP: the Indeks Pelayanan Publik (IPP, 0–5) of service units and their
government.

``IPP = Σ_a W_a × Σ_i w_i × score_i`` with aspect weights ``W`` and indicator weights ``w``
from the instrument (F-02 scores 0–5; a supplementary item such as INF-01 is answered and
shown, never counted). It is the generic engine with result range 0–5.

An instrument with a users' questionnaire (F-03, :attr:`Instrument.user_survey`) adds, per
unit, the F-03 index (the mean of the respondents' means, 0–5) and, when the instrument has a
:attr:`Instrument.composite`, ``evaluator_weight × IPP + survey_weight × F-03``. Both are
reported beside the IPP; neither changes the IPP or its category. The government's F-03
index and composite aggregate the units' as the IPP does, and exist only when every unit has
its survey.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from .answers import GovernmentAnswers, UnitAnswers, check_answers
from .engine import GovernmentResult, UnitResult, aggregate_units, classify, score_unit
from .errors import AnswersError
from .model import Band, Instrument, UserSurvey
from .numbers import DECIMAL_CONTEXT, ZERO


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


def survey_index(survey: UserSurvey, respondents: Sequence[Mapping[str, Any]]) -> Decimal | None:
    """The F-03 index of checked answers: each respondent's mean over the items, then the
    mean over the respondents; ``None`` without respondents."""
    if not respondents:
        return None
    codes = [item.code for item in survey.items]
    with localcontext(DECIMAL_CONTEXT):
        means = [
            Decimal(sum(int(respondent[code]) for code in codes)) / Decimal(len(codes))
            for respondent in respondents
        ]
        return sum(means, ZERO) / Decimal(len(means))


@dataclass(frozen=True)
class SurveyPart:
    """A unit's or the government's F-03 index and composite, beside its IPP."""

    respondents: int
    f03: Decimal | None
    """``None`` when the unit has no survey (for the government: when a unit has none)."""
    composite: Decimal | None
    composite_band: Band | None


@dataclass(frozen=True)
class PekpppResult:
    """The F-02 IPP result (:attr:`ipp`) with each unit's and the government's F-03 index
    and composite."""

    ipp: GovernmentResult
    units: dict[str, SurveyPart]
    government: SurveyPart

    @property
    def instrument(self) -> Instrument:
        return self.ipp.instrument


def _composite(instrument: Instrument, ipp: Decimal, f03: Decimal | None) -> Decimal | None:
    rule = instrument.composite
    if rule is None or f03 is None:
        return None
    with localcontext(DECIMAL_CONTEXT):
        return rule.evaluator_weight * ipp + rule.survey_weight * f03


def survey_parts(
    instrument: Instrument, government: GovernmentAnswers, result: GovernmentResult
) -> PekpppResult:
    """The F-03 index and composite of every unit and of the government, for answers that
    ``result`` was scored from (so they passed :func:`check_answers`)."""
    survey = instrument.user_survey
    assert survey is not None
    answers = {unit.code: unit for unit in government.units}
    units: dict[str, SurveyPart] = {}
    for unit in result.units:
        respondents = answers[unit.code].survey
        f03 = survey_index(survey, respondents)
        composite = _composite(instrument, unit.score, f03)
        units[unit.code] = SurveyPart(
            len(respondents),
            f03,
            composite,
            None if composite is None else classify(instrument, composite),
        )
    everyone = all(part.f03 is not None for part in units.values())
    f03 = composite = None
    if everyone:
        products = {unit.code: unit.products for unit in government.units}
        f03, _ = aggregate_units(
            instrument.government_aggregation,
            {code: part.f03 for code, part in units.items() if part.f03 is not None},
            products,
        )
        composite = _composite(instrument, result.score, f03)
    return PekpppResult(
        result,
        units,
        SurveyPart(
            sum(part.respondents for part in units.values()),
            f03,
            composite,
            None if composite is None else classify(instrument, composite),
        ),
    )
