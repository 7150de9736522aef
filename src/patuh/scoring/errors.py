"""The scoring core's exceptions: every message is meant for a person, not a programmer."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and why it is wrong."""

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


class ScoringError(Exception):
    """Base class. ``problems`` lists every problem found, not just the first."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(self.message())

    def message(self) -> str:
        head = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return f"{head}{self.problems[0]}"
        lines = [f"{head}{len(self.problems)} masalah ditemukan:"]
        lines += [f"  - {problem}" for problem in self.problems]
        return "\n".join(lines)


class InstrumentError(ScoringError):
    """An instrument file (YAML or XLSX) is invalid."""


class AnswersError(ScoringError):
    """An answers file or answer value is invalid for its instrument."""


class UnknownInstrument(ScoringError):
    """No packaged instrument has this code."""
