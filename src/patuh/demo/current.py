"""The demo's cycle in progress: this year's assessment of Sumatera Utara on the 2025+
method (``opini-2025``), with its windows open around the day the demo is loaded, so every
workspace journey can be walked.

- self-assessment window open (all seven of Langkat's units have started on Input and
  Proses, Dinas Kesehatan on Input only; Pengaduan is still open);
- data-collection window open; the Sumatera Utara assessor is assigned to Langkat,
  Labuhanbatu and Medan; every unit has a draft official assessment;
- the government-level figures (Output from secondary data of KemenPAN-RB, BPS, Kemendagri
  and Bappenas, and the public-trust index) are entered for every kabupaten/kota, each with
  its year and source and the note "Data sintetis untuk demonstrasi", except Labuhanbatu's
  public-trust index, which has not come in yet;
- this year's Ombudsman products make the compliance levels differ: Medan has followed up
  all of its products (Kepatuhan Tinggi, "Tanpa Maladministrasi"), Langkat half (its 2023
  LAHP is still pending: sedang), Labuhanbatu fewer than half (rendah), the others have
  none (tanpa produk);
- last cycle's evidence of Langkat's Dinas Kesehatan waits to be carried forward.

Figures and products are written through their audited services as the demo's ``admin``.
Dates are fixed when the cycle is first created; a later run changes nothing (a figure or a
product already there is left as it is).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from patuh.assessments.government_data import record_government_answer
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessmentKind,
    AssessorAssignment,
    Cycle,
    CycleStage,
    Evidence,
    EvidenceKind,
    GovernmentAnswer,
    Stage,
)
from patuh.assessments.services import prepare_assessments
from patuh.demo.stories import (
    mean_quality,
    story_for,
    synthetic_government_answers,
    synthetic_government_figures,
    units_for,
)
from patuh.followup.models import OmbudsmanProduct, ProductFollowUpStatus
from patuh.followup.services import record_product, set_product_status
from patuh.orgs.models import Government, Province, ServiceUnit
from patuh.scoring import load_instrument

CURRENT_INSTRUMENT = "opini-2025"
ACTOR = "admin"
"""The demo user the cycle's audited writes (figures, products) are recorded by."""
ASSESSOR = "penilai.sumut"
ASSIGNED_GOVERNMENTS = ("12.05", "12.10", "12.71")
"""Langkat, Labuhanbatu and Medan."""
SELF_ASSESSING_GOVERNMENT = "12.05"
SELF_ASSESSED_DIMENSIONS = {"IN", "PR"}
"""Langkat's units have answered Input and Proses; Pengaduan is still open (Output and
public trust are government-level figures since 2025, not answered by a unit)."""
TRUST_SURVEY_PENDING = ("12.10",)
"""Governments whose public-trust index (``KM-IKM``) has not come in yet: Labuhanbatu's
result shows the missing figure."""
FIGURE_REASON = "Data demo sintetis"
CURRENT_PRODUCTS = (
    # (government, kind, reference with {year}, days before the cycle is loaded, subject,
    #  followed up)
    (
        "12.71",
        "corrective_action",
        "LAHP/0051/SU/{year}",
        60,
        "Penundaan berlarut penerbitan Persetujuan Bangunan Gedung di DPMPTSP",
        True,
    ),
    (
        "12.71",
        "suggestion",
        "LHA/0012/SU/{year}",
        40,
        "Informasi biaya layanan rawat jalan Puskesmas belum dipublikasikan",
        True,
    ),
    (
        "12.05",
        "suggestion",
        "LHA/0019/SU/{year}",
        50,
        "Maklumat pelayanan Dinas Kesehatan belum memuat kesediaan memberi kompensasi",
        True,
    ),
    (
        "12.10",
        "corrective_action",
        "LAHP/0064/SU/{year}",
        30,
        "Permintaan imbalan pada layanan legalisasi ijazah Dinas Pendidikan",
        False,
    ),
)
"""This year's Ombudsman products. With the earlier ones (see :mod:`patuh.demo.workflow`)
they give Medan 2 of 2 followed up (tinggi), Langkat 1 of 2 (sedang), Labuhanbatu 1 of 3
(rendah). Issued this year, so the past cycles' results do not change."""
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
    actor = get_user_model().objects.filter(username=ACTOR).first()
    if actor is not None:
        _government_figures(cycle, governments, actor, created)
        _current_products(cycle, actor, created)
    return cycle


def _government_figures(
    cycle: Cycle, governments: list[Government], actor: Any, created: dict[str, int]
) -> None:
    """Every government's synthetic Output and public-trust figures, through the audited
    service; a figure already entered (by the demo or by hand) is left as it is."""
    instrument = load_instrument(cycle.instrument_code)
    if not instrument.government_elements:
        return
    have = set(
        GovernmentAnswer.objects.filter(cycle=cycle).values_list("government_id", "indicator_code")
    )
    count = 0
    for government in governments:
        codes = tuple(
            code
            for code in instrument.government_indicators
            if (government.pk, code) not in have
            and not (code == "KM-IKM" and government.region_code in TRUST_SURVEY_PENDING)
        )
        if not codes:
            continue
        quality = mean_quality(units_for(government.region_code))
        for figure in synthetic_government_figures(
            government.region_code, government.kind, cycle.year, quality, codes
        ):
            record_government_answer(
                cycle,
                government,
                figure.code,
                figure.value,
                year=figure.year,
                source=figure.source,
                note=figure.note,
                actor=actor,
                reason=FIGURE_REASON,
            )
            count += 1
    created["government_answers"] = created.get("government_answers", 0) + count


def _current_products(cycle: Cycle, actor: Any, created: dict[str, int]) -> None:
    """This year's Ombudsman products (:data:`CURRENT_PRODUCTS`), recorded and followed up
    through the audited services; dated within the cycle's year, never after today."""
    today = timezone.localdate()
    first_day = dt.date(cycle.year, 1, 1)
    count = 0
    for code, kind, reference, days_before, subject, followed_up in CURRENT_PRODUCTS:
        reference = reference.format(year=cycle.year)
        government = Government.objects.filter(region_code=code).first()
        if (
            government is None
            or OmbudsmanProduct.objects.filter(government=government, reference=reference).exists()
        ):
            continue
        product = record_product(
            government,
            kind=kind,
            reference=reference,
            issued_on=max(first_day, min(today, today - dt.timedelta(days=days_before))),
            subject=f"{subject} (contoh sintetis)",
            actor=actor,
        )
        if followed_up:
            set_product_status(product, ProductFollowUpStatus.FOLLOWED_UP, actor=actor)
        count += 1
    created["ombudsman_products"] = created.get("ombudsman_products", 0) + count


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
