"""Patuh's calculation core: plain Python, no Django.

Instruments are versioned YAML files validated on load; scoring is a set of pure functions
from answers to an explainable result. See ``docs/instruments.md`` for the formula and
``docs/formats.md`` for the answers file.
"""

from .answers import NA, GovernmentAnswers, UnitAnswers, check_answers, check_value
from .engine import (
    DimensionResult,
    GovernmentResult,
    IndicatorResult,
    UnitResult,
    WhatIfPlan,
    WhatIfStep,
    classify,
    score_government,
    score_unit,
)
from .errors import AnswersError, InstrumentError, Problem, ScoringError, UnknownInstrument
from .loader import (
    instrument_codes,
    instrument_from_mapping,
    list_instruments,
    load_instrument,
    load_instrument_file,
)
from .model import GOVERNMENT_KINDS, UNIT_TYPES, Band, Dimension, Indicator, Instrument
from .numbers import format_score, round_half_up

__all__ = [
    "GOVERNMENT_KINDS",
    "NA",
    "UNIT_TYPES",
    "AnswersError",
    "Band",
    "Dimension",
    "DimensionResult",
    "GovernmentAnswers",
    "GovernmentResult",
    "Indicator",
    "IndicatorResult",
    "Instrument",
    "InstrumentError",
    "Problem",
    "ScoringError",
    "UnitAnswers",
    "UnitResult",
    "UnknownInstrument",
    "WhatIfPlan",
    "WhatIfStep",
    "check_answers",
    "check_value",
    "classify",
    "format_score",
    "instrument_codes",
    "instrument_from_mapping",
    "list_instruments",
    "load_instrument",
    "load_instrument_file",
    "round_half_up",
    "score_government",
    "score_unit",
]
