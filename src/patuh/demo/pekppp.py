"""The demo's PEKPPP 2024 cycle (KemenPAN-RB), synthetic and labelled: the pemda "is
assessed by two institutions, the Ombudsman and KemenPAN-RB".

Sumatera Utara's PEKPPP 2024 evaluation with Langkat and Labuhanbatu as lokus, each with its
Dinas Sosial and Disdukcapil (KepmenPANRB 659/2024 names Dinas Sosial, RSUD and Disdukcapil
per pemda; the demo's governments have no RSUD unit, and adding one would change the
Ombudsman demo's seven units per government). Each unit's F-01 (its self-fill) is filled for
most indicators, some with evidence links; the evaluator ``evaluator.panrb`` has scored
Langkat's F-02 and part of Labuhanbatu's; Langkat's units have F-03 respondents, so the
coordinator sees the IPP, the F-03 index and the composite of Langkat on
``/pekppp/2024/governments/12.05/``. The self-fill and scoring windows are open around
today, so the cycle can be worked on. Built once: a second run finds the cycle and changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from patuh.assessments import campaigns, evidence
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    Cycle,
    CycleStage,
    Program,
    Stage,
)
from patuh.assessments.services import record_answer
from patuh.orgs.models import Province, ServiceUnit
from patuh.scoring import load_instrument

PEKPPP_YEAR = 2024
INSTRUMENT = "pekppp-2024"
LOKUS = {"12.05": ("dinsos", "disdukcapil"), "12.10": ("dinsos", "disdukcapil")}
EVALUATOR = "evaluator.panrb"
NAME = "Evaluasi Pelayanan Publik (PEKPPP) 2024 — Sumatera Utara (data sintetis)"
F01_LEFT_OPEN = 3
"""How many of the last counted indicators each unit's F-01 leaves unanswered."""
F02_SCORED_AT_LABUHANBATU = 12
"""How many indicators of each Labuhanbatu unit the evaluator has scored so far."""
F03_RESPONDENTS = 6
"""Synthetic F-03 respondents per Langkat unit."""
EVIDENCE_EVERY = 4
"""Every fourth answered indicator of an F-01 carries an evidence link."""


def _level(*parts: str, low: int = 2, high: int = 5) -> int:
    """A stable synthetic level in ``low``…``high`` from the names given."""
    digest = hashlib.sha256("/".join(parts).encode()).digest()
    return low + digest[0] % (high - low + 1)


def _stages(cycle: Cycle) -> None:
    today = timezone.localdate()
    opened = today - dt.timedelta(days=20)
    until = today + dt.timedelta(days=60)
    dates = {
        Stage.SOSIALISASI: (dt.date(PEKPPP_YEAR, 3, 4), dt.date(PEKPPP_YEAR, 3, 8)),
        Stage.SELF_ASSESSMENT: (opened, until),
        Stage.DATA_COLLECTION: (opened, until),
    }
    CycleStage.objects.bulk_create(
        [
            CycleStage(
                cycle=cycle,
                stage=stage,
                starts_on=dates.get(stage, (None, None))[0],
                ends_on=dates.get(stage, (None, None))[1],
                note="Data sintetis untuk demo." if stage in dates else "",
            )
            for stage in Stage
        ]
    )


def _counted_codes() -> list[str]:
    instrument = load_instrument(INSTRUMENT)
    return [code for code, indicator in instrument.indicators.items() if indicator.counted]


def _fill_f01(assessment: Assessment, operator: Any, codes: list[str]) -> int:
    unit = assessment.service_unit
    key = (unit.government.region_code, unit.code)
    answered = codes[:-F01_LEFT_OPEN]
    for position, code in enumerate(answered):
        record_answer(assessment, code, _level("f01", *key, code, low=2), operator)
        if position % EVIDENCE_EVERY == 0:
            evidence.add_link(
                assessment,
                code,
                f"https://dokumen.demo.patuh.example/{key[0]}/{key[1]}/{code.lower()}.pdf",
                actor=operator,
                title=f"Bukti dukung {code} (sintetis)",
            )
    return len(answered)


def _score_f02(assessment: Assessment, evaluator: Any, codes: list[str]) -> int:
    unit = assessment.service_unit
    key = (unit.government.region_code, unit.code)
    for code in codes:
        record_answer(assessment, code, _level("f02", *key, code, low=1), evaluator)
    return len(codes)


def _f03(cycle: Cycle, unit: ServiceUnit) -> int:
    from patuh.surveys.models import SurveyKind, SurveyResponse

    survey = load_instrument(INSTRUMENT).user_survey
    assert survey is not None
    rows = [
        SurveyResponse(
            unit=unit,
            cycle=cycle,
            kind=SurveyKind.F03,
            respondent_id=f"demo-f03-{unit.government.region_code}-{unit.code}-{n}",
            answers={
                item.code: _level("f03", unit.government.region_code, unit.code, str(n), item.code)
                for item in survey.items
            },
            channel="web",
        )
        for n in range(F03_RESPONDENTS)
    ]
    SurveyResponse.objects.bulk_create(rows)
    return len(rows)


def load_pekppp_cycle(province: Province, created: dict[str, int]) -> Cycle | None:
    """Build the PEKPPP 2024 cycle of ``province`` once (see the module docstring); ``None``
    when it is there already."""
    if Cycle.objects.filter(program=Program.PEKPPP, year=PEKPPP_YEAR, province=province).exists():
        return None
    User = get_user_model()
    admin = User.objects.get(username="admin")
    evaluator = User.objects.get(username=EVALUATOR)
    cycle = Cycle.objects.create(
        year=PEKPPP_YEAR,
        name=NAME,
        instrument_code=INSTRUMENT,
        province=province,
        is_synthetic=True,
    )
    _stages(cycle)
    sites = [
        unit
        for code, unit_codes in LOKUS.items()
        for unit in ServiceUnit.objects.filter(
            government__region_code=code, code__in=unit_codes
        ).order_by("code")
    ]
    campaigns.choose_sites(cycle, sites, actor=admin, reason="Lokus demo (sintetis).")
    campaigns.create_campaign(cycle, AssessmentKind.SELF, actor=admin)
    governments = {unit.government for unit in sites}
    for government in sorted(governments, key=lambda g: g.region_code):
        campaigns.assign_assessor(cycle, government, evaluator, actor=admin)
    codes = _counted_codes()
    answers = 0
    responses = 0
    assessments = (
        Assessment.objects.filter(cycle=cycle)
        .select_related("cycle", "service_unit__government")
        .order_by("service_unit__government__region_code", "service_unit__code", "kind")
    )
    operators = {unit.pk: _unit_operator(unit) for unit in sites}
    for assessment in assessments:
        unit = assessment.service_unit
        if assessment.kind == AssessmentKind.SELF:
            answers += _fill_f01(assessment, operators[unit.pk], codes)
        elif unit.government.region_code == "12.05":
            answers += _score_f02(assessment, evaluator, codes)
            responses += _f03(cycle, unit)
        else:
            answers += _score_f02(assessment, evaluator, codes[:F02_SCORED_AT_LABUHANBATU])
    created["pekppp_cycles"] = 1
    created["pekppp_answers"] = answers
    created["pekppp_f03"] = responses
    return cycle


def _unit_operator(unit: ServiceUnit) -> Any:
    """The account that fills the unit's F-01 in the demo: the coordinator of its pemda
    (the demo has no operator for these units)."""
    from patuh.accounts.models import Membership
    from patuh.accounts.roles import Role

    membership = (
        Membership.objects.filter(role=Role.GOVERNMENT_COORDINATOR, government=unit.government)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return (
        membership.user
        if membership is not None
        else get_user_model().objects.get(username="admin")
    )
