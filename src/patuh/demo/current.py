"""The demo's cycle in progress: this year's assessment of Sumatera Utara, with its windows
open around the day the demo is loaded, so every workspace journey can be walked.

- self-assessment window open (all seven of Langkat's units have started, Dinas Kesehatan
  least);
- data-collection window open; the Sumatera Utara assessor is assigned to Langkat,
  Labuhanbatu and Medan; every unit has a draft official assessment;
- last cycle's evidence of Langkat's Dinas Kesehatan waits to be carried forward.

Dates are fixed when the cycle is first created; a later run changes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessorAssignment,
    Cycle,
    CycleStage,
    Evidence,
    EvidenceKind,
    Stage,
)
from patuh.assessments.services import prepare_assessments
from patuh.demo.stories import story_for, synthetic_government_answers
from patuh.orgs.models import Government, Province, ServiceUnit
from patuh.scoring import load_instrument

CURRENT_INSTRUMENT = "ombudsman-2025"
ASSESSOR = "penilai.sumut"
ASSIGNED_GOVERNMENTS = ("12.05", "12.10", "12.71")
"""Langkat, Labuhanbatu and Medan."""
SELF_ASSESSING_GOVERNMENT = "12.05"
SELF_ASSESSED_DIMENSIONS = {"IN", "PR"}
"""Langkat's units have answered Input and Proses; Output and Pengaduan are still open."""
LAST_CYCLE_LINKS = (
    (
        "PR-06",
        "Maklumat pelayanan Dinas Kesehatan Langkat (contoh sintetis)",
        "https://example.org/langkat/dinkes/maklumat-pelayanan",
    ),
    (
        "PR-01",
        "Daftar persyaratan layanan di papan informasi (contoh sintetis)",
        "https://example.org/langkat/dinkes/persyaratan",
    ),
)

# (stage, first day, last day) counted from the day the cycle is created
STAGE_OFFSETS = (
    (Stage.SOSIALISASI, -75, -61),
    (Stage.SELF_ASSESSMENT, -60, 30),
    (Stage.PRE_EVALUATION, -30, -15),
    (Stage.DATA_COLLECTION, -14, 45),
    (Stage.VERIFICATION, 46, 75),
    (Stage.DETERMINATION, 76, 90),
    (Stage.PUBLICATION, 91, 100),
    (Stage.REPORT_CARD_HANDOVER, 101, 110),
    (Stage.FOLLOW_UP, 111, 290),
)


def current_year() -> int:
    return timezone.localdate().year


def load_current_cycle(
    province: Province,
    governments: list[Government],
    units: dict[tuple[int, str], ServiceUnit],
    created: dict[str, int],
    past_cycles: dict[int, Cycle],
) -> Cycle | None:
    today = timezone.localdate()
    if today.year in past_cycles:
        return None
    cycle, is_new = Cycle.objects.get_or_create(
        year=today.year,
        province=province,
        defaults={
            "name": f"Penilaian Penyelenggaraan Pelayanan Publik {today.year} — Sumatera Utara",
            "instrument_code": CURRENT_INSTRUMENT,
            "is_synthetic": True,
        },
    )
    created["cycles"] = created.get("cycles", 0) + int(is_new)
    if is_new:
        CycleStage.objects.bulk_create(
            [
                CycleStage(
                    cycle=cycle,
                    stage=stage,
                    starts_on=today + dt.timedelta(days=first),
                    ends_on=today + dt.timedelta(days=last),
                    note="Jadwal demo, dihitung dari hari data demo dimuat.",
                )
                for stage, first, last in STAGE_OFFSETS
            ]
        )
    _official_assessments(cycle, governments, units, created)
    _self_assessments(cycle, governments, units, created)
    _assignments(cycle)
    _last_cycle_evidence(past_cycles, units, governments)
    return cycle


def _official_assessments(
    cycle: Cycle,
    governments: list[Government],
    units: dict[tuple[int, str], ServiceUnit],
    created: dict[str, int],
) -> None:
    have = set(
        Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL).values_list(
            "service_unit_id", flat=True
        )
    )
    new = [
        Assessment(cycle=cycle, service_unit=unit, kind=AssessmentKind.OFFICIAL, is_synthetic=True)
        for (government_id, _), unit in units.items()
        if unit.pk not in have
    ]
    Assessment.objects.bulk_create(new, batch_size=2000)
    created["assessments"] = created.get("assessments", 0) + len(new)
    if new:
        prepare_assessments(
            Assessment.objects.filter(cycle=cycle, kind=AssessmentKind.OFFICIAL).select_related(
                "cycle"
            )
        )


def _self_assessments(
    cycle: Cycle,
    governments: list[Government],
    units: dict[tuple[int, str], ServiceUnit],
    created: dict[str, int],
) -> None:
    government = next(g for g in governments if g.region_code == SELF_ASSESSING_GOVERNMENT)
    if Assessment.objects.filter(
        cycle=cycle, kind=AssessmentKind.SELF, service_unit__government=government
    ).exists():
        return
    instrument = load_instrument(cycle.instrument_code)
    # this year every unit assesses itself (in 2023 the Sekda monitored six of the seven)
    story = dataclasses.replace(
        story_for(government.region_code, government.name, government.kind, 2023),
        year=cycle.year,
        instrument_code=instrument.code,
        kind_units=(),
    )
    answers = synthetic_government_answers(story, instrument, kind=AssessmentKind.SELF)
    assessments = []
    pending: list[tuple[Assessment, dict[str, Any]]] = []
    for unit_answers in answers.units:
        unit = units[(government.pk, unit_answers.code)]
        assessment = Assessment(
            cycle=cycle, service_unit=unit, kind=AssessmentKind.SELF, is_synthetic=True
        )
        assessments.append(assessment)
        dimensions = {"IN"} if unit_answers.code == "dinkes" else SELF_ASSESSED_DIMENSIONS
        pending.append(
            (
                assessment,
                {
                    code: value
                    for code, value in unit_answers.answers.items()
                    if instrument.indicators[code].dimension_code in dimensions
                },
            )
        )
    Assessment.objects.bulk_create(assessments)
    prepare_assessments(
        Assessment.objects.filter(pk__in=[a.pk for a in assessments]).select_related("cycle")
    )
    new_answers = [
        Answer(assessment_id=assessment.pk, indicator_code=code, value=value)
        for assessment, values in pending
        for code, value in values.items()
    ]
    Answer.objects.bulk_create(new_answers, batch_size=2000)
    created["assessments"] = created.get("assessments", 0) + len(assessments)
    created["answers"] = created.get("answers", 0) + len(new_answers)


def _assignments(cycle: Cycle) -> None:
    assessor = get_user_model().objects.filter(username=ASSESSOR).first()
    if assessor is None:
        return
    for government in Government.objects.filter(region_code__in=ASSIGNED_GOVERNMENTS):
        AssessorAssignment.objects.get_or_create(
            cycle=cycle, government=government, assessor=assessor
        )


def _last_cycle_evidence(
    past_cycles: dict[int, Cycle],
    units: dict[tuple[int, str], ServiceUnit],
    governments: list[Government],
) -> None:
    """Links on Langkat Dinas Kesehatan's 2023 self-assessment, to carry forward."""
    cycle = past_cycles.get(max(past_cycles)) if past_cycles else None
    government = next((g for g in governments if g.region_code == SELF_ASSESSING_GOVERNMENT), None)
    if cycle is None or government is None:
        return
    assessment = Assessment.objects.filter(
        cycle=cycle, kind=AssessmentKind.SELF, service_unit=units[(government.pk, "dinkes")]
    ).first()
    if assessment is None or assessment.evidence.exists():
        return
    Evidence.objects.bulk_create(
        [
            Evidence(
                assessment=assessment,
                indicator_code=code,
                kind=EvidenceKind.LINK,
                title=title,
                url=url,
                confirmed_at=timezone.now(),
            )
            for code, title, url in LAST_CYCLE_LINKS
        ]
    )
