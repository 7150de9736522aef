"""Government-level figures of a 2025+ cycle (Output from secondary data, the public-trust
index) and the compliance level derived from the recorded Ombudsman products: validated by
the scoring core's rules, audited, and scored with the units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from patuh.assessments.government_data import (
    GovernmentAnswerConflict,
    clear_government_answer,
    compliance_facts,
    government_level_answers,
    record_government_answer,
)
from patuh.assessments.models import Assessment, AssessmentKind, Cycle, GovernmentAnswer
from patuh.assessments.services import prepare_assessments, score_assessments
from patuh.core.models import AuditEvent
from patuh.followup.models import ProductFollowUpStatus
from patuh.followup.services import record_product, set_product_status
from patuh.results.services import cycle_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_2025(sumut, langkat) -> Cycle:
    cycle = Cycle.objects.create(
        year=2025, name="Penilaian 2025 uji", instrument_code="opini-2025", province=sumut
    )
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(cycle=cycle, service_unit=unit, kind=AssessmentKind.OFFICIAL)
            for unit in langkat.units.all()[:2]
        ]
    )
    prepare_assessments(list(Assessment.objects.filter(cycle=cycle)))
    assert assessments
    return cycle


def _save(cycle, government, code, value, actor, **extra):
    return record_government_answer(cycle, government, code, value, actor=actor, **extra)


def test_a_figure_is_saved_with_year_and_source_and_audited(cycle_2025, langkat, regional_admin):
    answer = _save(cycle_2025, langkat, "OU-IPM", "71,5", regional_admin, year=2024, source="BPS")
    assert answer.value == Decimal("71.5")
    assert (answer.year, answer.source, answer.version) == (2024, "BPS", 1)
    event = AuditEvent.objects.filter(action="government_answer.saved").latest("pk")
    assert event.old is None
    assert Decimal(event.new["value"]) == Decimal("71.5")
    again = _save(cycle_2025, langkat, "OU-IPM", "71.5", regional_admin, year=2024, source="BPS")
    assert again.version == 1
    assert (
        AuditEvent.objects.filter(
            action="government_answer.saved", context_id=str(cycle_2025.pk)
        ).count()
        == 1
    )
    changed = _save(
        cycle_2025, langkat, "OU-IPM", 72, regional_admin, year=2024, source="BPS", reason="ralat"
    )
    assert changed.version == 2
    event = AuditEvent.objects.filter(action="government_answer.saved").latest("pk")
    assert Decimal(event.old["value"]) == Decimal("71.5")
    assert event.reason == "ralat"


@pytest.mark.parametrize(
    ("code", "value", "year", "source", "message"),
    [
        ("OU-XYZ", 50, 2024, "BPS", "tidak dikenal"),
        ("OU-IPM", 140, 2024, "BPS", "di luar skala"),
        ("OU-IPP", 0.5, 2024, "KemenPAN-RB", "di luar skala"),
        ("OU-IPM", 70, None, "BPS", "tahun data sumber"),
        ("OU-IPM", 70, 2024, "", "sumber data"),
        ("OU-IPM", "tujuh puluh", 2024, "BPS", "bukan angka"),
        ("KP", 1, None, "", "diturunkan dari produk Ombudsman"),
    ],
)
def test_a_bad_figure_is_refused_by_name_and_nothing_is_saved(
    cycle_2025, langkat, regional_admin, code, value, year, source, message
):
    with pytest.raises(ValidationError) as error:
        _save(cycle_2025, langkat, code, value, regional_admin, year=year, source=source)
    assert message in " ".join(error.value.messages)
    assert code.split("-")[0] in " ".join(error.value.messages)
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()


def test_the_trust_index_needs_no_source(cycle_2025, langkat, regional_admin):
    answer = _save(cycle_2025, langkat, "KM-IKM", 68.2, regional_admin)
    assert answer.year is None
    assert answer.source == ""


def test_a_stale_form_cannot_overwrite_a_newer_figure(cycle_2025, langkat, regional_admin):
    _save(cycle_2025, langkat, "KM-IKM", 60, regional_admin, expected_version=0)
    with pytest.raises(GovernmentAnswerConflict):
        _save(cycle_2025, langkat, "KM-IKM", 61, regional_admin, expected_version=0)
    assert GovernmentAnswer.objects.get(cycle=cycle_2025, indicator_code="KM-IKM").value == 60


def test_a_government_outside_the_cycle_is_refused(cycle_2025, regional_admin):
    from patuh.orgs.models import Government

    aceh = Government.objects.exclude(province__region_code="12").first()
    with pytest.raises(ValidationError):
        _save(cycle_2025, aceh, "KM-IKM", 60, regional_admin)


def test_clearing_needs_a_reason_and_is_audited(cycle_2025, langkat, regional_admin):
    _save(cycle_2025, langkat, "KM-IKM", 60, regional_admin)
    with pytest.raises(ValidationError):
        clear_government_answer(cycle_2025, langkat, "KM-IKM", actor=regional_admin, reason=" ")
    assert clear_government_answer(
        cycle_2025, langkat, "KM-IKM", actor=regional_admin, reason="salah pemerintah"
    )
    assert not GovernmentAnswer.objects.filter(cycle=cycle_2025).exists()
    event = AuditEvent.objects.filter(action="government_answer.cleared").latest("pk")
    assert Decimal(event.old["value"]) == 60


def _product(government, reference, actor, followed_up):
    product = record_product(
        government,
        kind="corrective_action",
        reference=reference,
        issued_on=dt.date(2025, 3, 1),
        subject="Uji",
        actor=actor,
    )
    if followed_up:
        set_product_status(product, ProductFollowUpStatus.FOLLOWED_UP, actor=actor)
    return product


def test_the_compliance_level_comes_from_the_recorded_products(cycle_2025, langkat, regional_admin):
    langkat.ombudsman_products.all().delete()
    assert compliance_facts(cycle_2025, [langkat.pk])[langkat.pk].level.code == "tanpa_produk"
    _product(langkat, "U-1", regional_admin, True)
    _product(langkat, "U-2", regional_admin, False)
    facts = compliance_facts(cycle_2025, [langkat.pk])[langkat.pk]
    assert (facts.level.code, facts.issued, facts.followed_up) == ("sedang", 2, 1)
    set_product_status(
        langkat.ombudsman_products.get(reference="U-2"),
        ProductFollowUpStatus.FOLLOWED_UP,
        actor=regional_admin,
    )
    assert government_level_answers(cycle_2025, [langkat.pk])[langkat.pk]["KP"] == "tinggi"


def test_figures_and_compliance_reach_the_result(cycle_2025, langkat, regional_admin):
    langkat.ombudsman_products.all().delete()
    empty = score_assessments(cycle_2025, langkat, AssessmentKind.OFFICIAL)
    for code, value, year, source in [
        ("OU-IPP", 4, 2024, "KemenPAN-RB"),
        ("OU-IPM", 72, 2024, "BPS"),
        ("OU-SPM", 80, 2024, "Kemendagri"),
        ("OU-RPJMD", 70, 2024, "Bappenas"),
        ("KM-IKM", 75, 2025, ""),
    ]:
        _save(cycle_2025, langkat, code, value, regional_admin, year=year, source=source)
    _product(langkat, "U-9", regional_admin, True)
    result = score_assessments(cycle_2025, langkat, AssessmentKind.OFFICIAL)
    assert result.score > empty.score
    assert result.compliance.code == "tinggi"
    assert result.opinion.endswith("Tanpa Maladministrasi")
    assert result.band.zone is None
    trust = next(e for e in result.elements if e.code == "KM")
    assert trust.score == 75
    output = next(e for e in result.elements if e.code == "OU")
    figure = next(i for i in output.indicators if i.code == "OU-IPM")
    assert (figure.year, figure.source) == (2024, "BPS")
    row = next(r for r in cycle_results(cycle_2025) if r.government.pk == langkat.pk)
    assert row.result.score == result.score


def test_a_published_result_keeps_its_figures(cycle_2025, langkat, regional_admin):
    from patuh.results.models import ResultSnapshot

    _save(cycle_2025, langkat, "KM-IKM", 60, regional_admin)
    result = score_assessments(cycle_2025, langkat, AssessmentKind.OFFICIAL)
    from django.utils import timezone

    ResultSnapshot.objects.create(
        cycle=cycle_2025,
        government=langkat,
        instrument_code="opini-2025",
        instrument_version="x",
        instrument_sha256="",
        score=result.rounded,
        category=result.band.category,
        opinion=result.opinion,
        payload="{}",
        checksum="0" * 64,
        published_at=timezone.now(),
    )
    with pytest.raises(ValidationError) as error:
        _save(cycle_2025, langkat, "KM-IKM", 70, regional_admin)
    assert "sudah dipublikasikan" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        clear_government_answer(cycle_2025, langkat, "KM-IKM", actor=regional_admin, reason="x")
    assert GovernmentAnswer.objects.get(cycle=cycle_2025).value == 60
