"""Where a unit's documents count: every mapped indicator of every instrument of the cycles
the unit is in, then the other instruments that map the kind (no cycle yet)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from patuh.assessments.models import Assessment, AssessmentStatus
from patuh.orgs.models import ServiceUnit
from patuh.scoring.documents import uses


@dataclass(frozen=True)
class UsageRow:
    instrument_code: str
    instrument_name: str
    indicator_code: str
    indicator_name: str
    year: int | None = None
    assessment_kind: str = ""
    """The kind's label (Penilaian mandiri …), empty for an instrument without a cycle."""
    assessment_id: int | None = None


def unit_assessments(unit: ServiceUnit) -> list[Assessment]:
    """The unit's assessments of every cycle (one query), newest cycle first."""
    return list(
        Assessment.objects.filter(service_unit=unit)
        .exclude(status=AssessmentStatus.DROPPED)
        .select_related("cycle")
        .order_by("-cycle__year", "cycle__instrument_code", "kind")
    )


def where_it_counts_for_unit(kind: str, assessments: Iterable[Assessment]) -> list[UsageRow]:
    """The rows of "dipakai untuk" for one kind of document of a unit."""
    found = uses(kind)
    rows: list[UsageRow] = []
    in_cycle: set[str] = set()
    for assessment in assessments:
        code = assessment.cycle.instrument_code
        for use in found:
            if use.instrument_code == code:
                in_cycle.add(code)
                rows.append(
                    UsageRow(
                        use.instrument_code,
                        use.instrument_name,
                        use.indicator_code,
                        use.indicator_name,
                        assessment.cycle.year,
                        str(assessment.get_kind_display()),
                        assessment.pk,
                    )
                )
    rows += [
        UsageRow(u.instrument_code, u.instrument_name, u.indicator_code, u.indicator_name)
        for u in found
        if u.instrument_code not in in_cycle
    ]
    return rows
