"""Loading the demo into the database: regions, the published figures, Sumatera Utara's
governments, cycles, synthetic assessments, the government-level figures of the cycle in
progress and the demo users. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import (
    Answer,
    Assessment,
    Cycle,
    CycleStage,
    GovernmentAnswer,
    Respondent,
    RespondentGroup,
)
from patuh.assessments.services import prepare_assessments
from patuh.demo.complaints import load_demo_complaints
from patuh.demo.current import current_year, load_current_cycle
from patuh.demo.stories import (
    CYCLE_INSTRUMENTS,
    PROVINCE_CODE,
    story_for,
    story_of_year,
    synthetic_government_answers,
    units_for,
)
from patuh.demo.workflow import load_workflow
from patuh.orgs.models import Government, GovernmentKind, Province, ServiceProduct, ServiceUnit
from patuh.orgs.regions import load_regions
from patuh.results.models import PublishedResult
from patuh.results.published import load_published_results
from patuh.scoring import AnswersError, check_answers, load_instrument
from patuh.standards.demo import load_demo_standards

DEMO_PASSWORD = "patuh-demo"
DEMO_EMAIL_DOMAIN = "demo.patuh.example"
"""Demo users' mail goes to this reserved domain (RFC 2606): nothing reaches a real inbox."""
URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    scope: str = ""
    """``province:12``, ``government:12.05`` or ``unit:12.05/dinkes``; empty for national roles."""
    superuser: bool = False


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Admin Nasional", Role.NATIONAL_ADMIN, superuser=True),
    DemoUser(
        "perwakilan.sumut",
        "Admin Ombudsman Perwakilan Sumatera Utara",
        Role.REGIONAL_OFFICE_ADMIN,
        "province:12",
    ),
    DemoUser("penilai.sumut", "Penilai Perwakilan Sumatera Utara", Role.ASSESSOR, "province:12"),
    DemoUser("verifikator", "Verifikator Kantor Pusat", Role.VERIFIER),
    DemoUser(
        "koordinator.langkat",
        "Koordinator Pemkab Langkat",
        Role.GOVERNMENT_COORDINATOR,
        "government:12.05",
    ),
    DemoUser(
        "operator.dinkes.langkat",
        "Operator Dinas Kesehatan Langkat",
        Role.UNIT_OPERATOR,
        "unit:12.05/dinkes",
    ),
    DemoUser(
        "pengaduan.dinkes.langkat",
        "Petugas Pengaduan Dinas Kesehatan Langkat",
        Role.COMPLAINT_OFFICER,
        "unit:12.05/dinkes",
    ),
    DemoUser(
        "frontoffice.dinkes.langkat",
        "Front Office Dinas Kesehatan Langkat",
        Role.FRONT_OFFICE,
        "unit:12.05/dinkes",
    ),
    DemoUser(
        "koordinator.labuhanbatu",
        "Koordinator Pemkab Labuhanbatu",
        Role.GOVERNMENT_COORDINATOR,
        "government:12.10",
    ),
)


@dataclass
class DemoSummary:
    created: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)


def cycle_name(year: int) -> str:
    return f"Penilaian Penyelenggaraan Pelayanan Publik {year} — Sumatera Utara"


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load (or complete) the demo data; returns what was created and the totals."""
    summary = DemoSummary()
    load_regions()
    province = Province.objects.get(region_code=PROVINCE_CODE)
    governments = list(
        Government.objects.filter(
            province=province, kind__in=[GovernmentKind.KABUPATEN, GovernmentKind.KOTA]
        ).order_by("region_code")
    )
    summary.created["published"] = load_published_results().created
    units = _load_units(governments, summary)
    cycles = _load_cycles(province, summary)
    _load_assessments(governments, units, cycles, summary)
    _load_users(summary)
    load_workflow(cycles, summary.created)
    load_demo_standards()
    current = load_current_cycle(province, governments, units, summary.created, cycles)
    if current is not None:
        cycles = {**cycles, current.year: current}
    summary.created["complaints"] = load_demo_complaints([2023, current_year()])
    summary.total.update(
        governments=len(governments),
        units=ServiceUnit.objects.filter(government__in=governments).count(),
        cycles=len(cycles),
        assessments=Assessment.objects.filter(cycle__in=cycles.values()).count(),
        answers=Answer.objects.filter(assessment__cycle__in=cycles.values()).count(),
        government_answers=GovernmentAnswer.objects.filter(cycle__in=cycles.values()).count(),
        users=len(DEMO_USERS),
        published=PublishedResult.objects.count(),
    )
    return summary


def _load_units(
    governments: list[Government], summary: DemoSummary
) -> dict[tuple[int, str], ServiceUnit]:
    existing = {
        (unit.government_id, unit.code): unit
        for unit in ServiceUnit.objects.filter(government__in=governments)
    }
    new_units = []
    for government in governments:
        for unit in units_for(government.region_code):
            if (government.pk, unit.code) not in existing:
                new_units.append(
                    ServiceUnit(
                        government=government,
                        code=unit.code,
                        name=unit.name,
                        type=unit.type,
                        yearly_user_population=unit.yearly_user_population,
                        is_synthetic=True,
                    )
                )
    ServiceUnit.objects.bulk_create(new_units)
    summary.created["units"] = len(new_units)
    units = {
        (unit.government_id, unit.code): unit
        for unit in ServiceUnit.objects.filter(government__in=governments)
    }

    have = set(
        ServiceProduct.objects.filter(unit__government__in=governments).values_list(
            "unit_id", "name"
        )
    )
    new_products = []
    for government in governments:
        for story_unit in units_for(government.region_code):
            unit = units[(government.pk, story_unit.code)]
            for name in story_unit.products:
                if (unit.pk, name) not in have:
                    new_products.append(ServiceProduct(unit=unit, name=name))
    ServiceProduct.objects.bulk_create(new_products)
    summary.created["products"] = len(new_products)
    return units


def _load_cycles(province: Province, summary: DemoSummary) -> dict[int, Cycle]:
    cycles = {}
    created = 0
    for year, instrument_code in CYCLE_INSTRUMENTS.items():
        cycle, is_new = Cycle.objects.get_or_create(
            year=year,
            province=province,
            defaults={
                "name": cycle_name(year),
                "instrument_code": instrument_code,
                "is_synthetic": True,
            },
        )
        created += is_new
        cycles[year] = cycle
        for stage in story_of_year(year).stages:
            CycleStage.objects.get_or_create(
                cycle=cycle,
                stage=stage.stage,
                defaults={
                    "starts_on": stage.starts_on,
                    "ends_on": stage.ends_on,
                    "note": stage.note,
                },
            )
    summary.created["cycles"] = created
    return cycles


def _load_assessments(
    governments: list[Government],
    units: dict[tuple[int, str], ServiceUnit],
    cycles: dict[int, Cycle],
    summary: DemoSummary,
) -> None:
    existing = {
        (a.cycle_id, a.service_unit_id, a.kind): a
        for a in Assessment.objects.filter(cycle__in=cycles.values())
    }
    answered = set(
        Answer.objects.filter(assessment__cycle__in=cycles.values())
        .values_list("assessment_id", flat=True)
        .distinct()
    )
    new_assessments: list[Assessment] = []
    pending: list[tuple[Assessment, dict[str, object]]] = []
    for year, cycle in cycles.items():
        instrument = load_instrument(cycle.instrument_code)
        for government in governments:
            story = story_for(government.region_code, government.name, government.kind, year)
            for kind in story.kinds:
                answers = synthetic_government_answers(story, instrument, kind=kind)
                problems = check_answers(instrument, answers)
                if problems:
                    raise AnswersError(f"demo {story.code}", problems)
                for unit_answers in answers.units:
                    unit = units[(government.pk, unit_answers.code)]
                    assessment = existing.get((cycle.pk, unit.pk, kind))
                    if assessment is None:
                        assessment = Assessment(
                            cycle=cycle, service_unit=unit, kind=kind, is_synthetic=True
                        )
                        new_assessments.append(assessment)
                    elif assessment.pk in answered:
                        continue
                    pending.append((assessment, dict(unit_answers.answers)))
    Assessment.objects.bulk_create(new_assessments)
    new_answers = [
        Answer(assessment_id=assessment.pk, indicator_code=code, value=value)
        for assessment, values in pending
        for code, value in values.items()
    ]
    Answer.objects.bulk_create(new_answers, batch_size=2000)
    created = list(
        Assessment.objects.filter(pk__in=[a.pk for a in new_assessments]).select_related(
            "cycle", "service_unit__government"
        )
    )
    add_service_users(created)
    prepare_assessments(created)
    summary.created["assessments"] = len(new_assessments)
    summary.created["answers"] = len(new_answers)


def add_service_users(assessments: list[Assessment]) -> None:
    """The service users each demo unit interviewed (its story's 9–16) as respondents of the
    past cycles' assessments, one per value of the perception answers, before
    :func:`prepare_assessments` fills in the rest. Only for assessments with none yet and an
    instrument that asks service users. (The cycle in progress starts with the cycle's
    default, :attr:`Cycle.service_users_per_unit`.)"""
    if not assessments:
        return
    asks: dict[int, bool] = {}
    for assessment in assessments:
        if assessment.cycle_id not in asks:
            instrument = load_instrument(assessment.cycle.instrument_code)
            asks[assessment.cycle_id] = any(
                ind.respondents == RespondentGroup.SERVICE_USERS
                for ind in instrument.indicators.values()
            )
    have = set(
        Respondent.objects.filter(
            assessment__in=assessments, group=RespondentGroup.SERVICE_USERS
        ).values_list("assessment_id", flat=True)
    )
    counts: dict[tuple[str, str], int] = {}
    rows = []
    for assessment in assessments:
        if assessment.pk in have or not asks[assessment.cycle_id]:
            continue
        unit = assessment.service_unit
        key = (unit.government.region_code, unit.code)
        if key not in counts:
            counts.update(
                ((key[0], story_unit.code), story_unit.service_users)
                for story_unit in units_for(key[0])
            )
        rows += [
            Respondent(
                assessment=assessment, group=RespondentGroup.SERVICE_USERS, position=position
            )
            for position in range(1, counts.get(key, 0) + 1)
        ]
    Respondent.objects.bulk_create(rows, batch_size=2000)


def demo_user(demo: DemoUser) -> tuple[Any, bool]:
    """The demo user's account, created with the demo password when missing; (user, created)."""
    User = get_user_model()
    user = User.objects.filter(username=demo.username).first()
    if user is not None:
        return user, False
    first, _, last = demo.full_name.partition(" ")
    user = User(
        username=demo.username,
        first_name=first,
        last_name=last,
        email=f"{demo.username}@{DEMO_EMAIL_DOMAIN}",
        is_staff=demo.superuser,
        is_superuser=demo.superuser,
    )
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user, True


def _load_users(summary: DemoSummary) -> None:
    created = 0
    for demo in DEMO_USERS:
        user, new = demo_user(demo)
        created += new
        scope = _scope_fields(demo.scope)
        if not Membership.objects.filter(user=user, role=demo.role, **scope).exists():
            Membership.objects.create(user=user, role=demo.role, **scope)
    summary.created["users"] = created


def _scope_fields(scope: str) -> dict[str, object]:
    if not scope:
        return {}
    kind, _, code = scope.partition(":")
    if kind == "province":
        return {"province": Province.objects.get(region_code=code)}
    if kind == "government":
        return {"government": Government.objects.get(region_code=code)}
    government_code, _, unit_code = code.partition("/")
    return {
        "service_unit": ServiceUnit.objects.get(
            government__region_code=government_code, code=unit_code
        )
    }


def role_label(role: str) -> str:
    return str(Role(role).label)
