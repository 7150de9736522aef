"""KemenPAN-RB's PEKPPP evaluation on the assessment machinery: a PEKPPP cycle beside the
Ombudsman's of the same year and province, its own routes, the evaluator role and its
assignment, the F-01 (the unit's self-fill) sent back by the evaluator, and the IPP on the
government page and in the published snapshot, checked against a hand computation."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from personas import open_pekppp_cycle, persona

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import campaigns
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import (
    Assessment,
    AssessmentKind,
    AssessmentStatus,
    AssessorAssignment,
    ChangeRequest,
    Cycle,
    Program,
)
from patuh.assessments.services import record_answer, submit_assessment
from patuh.core.models import AuditEvent
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument
from patuh.surveys.models import SurveyKind, SurveyResponse

pytestmark = pytest.mark.django_db

YEAR = 2024
F03_ITEMS = [f"F3-{n:02d}" for n in range(1, 15)]


@pytest.fixture
def national_admin(db):
    return persona("nina.nasional", Role.NATIONAL_ADMIN)


@pytest.fixture
def evaluator(sumut):
    return persona("eva.panrb", Role.EVALUATOR, province=sumut)


@pytest.fixture
def pekppp(sumut, langkat, national_admin, evaluator) -> Cycle:
    """A PEKPPP 2024 cycle of North Sumatra opened by headquarters, with Langkat's Dinas
    Sosial and Disdukcapil as lokus, their F-01 and F-02, windows open today and the
    evaluator assigned to Langkat."""
    sites = list(langkat.units.filter(code__in=["dinsos", "disdukcapil"]).order_by("code"))
    cycle = open_pekppp_cycle(sumut, sites, national_admin, YEAR)
    campaigns.create_campaign(cycle, AssessmentKind.SELF, actor=national_admin)
    campaigns.assign_assessor(cycle, langkat, evaluator, actor=national_admin)
    return cycle


def _assessment(cycle: Cycle, government, code: str, kind: str) -> Assessment:
    return Assessment.objects.select_related("cycle", "service_unit__government").get(
        cycle=cycle, service_unit__government=government, service_unit__code=code, kind=kind
    )


# -- two programs side by side ---------------------------------------------------------------


def test_an_ombudsman_and_a_pekppp_cycle_of_one_year_and_province_coexist(sumut, national_admin):
    Cycle.objects.filter(year=YEAR, province=sumut).delete()
    first = campaigns.open_cycle(
        year=YEAR, instrument_code="ombudsman-2023", province=sumut, actor=national_admin
    )
    second = campaigns.open_cycle(
        year=YEAR, instrument_code="pekppp-2024", province=sumut, actor=national_admin
    )
    assert (first.program, second.program) == (Program.OMBUDSMAN, Program.PEKPPP)
    # a second cycle of either program is refused, by the service and by the database
    for code in ("ombudsman-2023", "pekppp-2023"):
        with pytest.raises(ValidationError, match="sudah ada"):
            campaigns.open_cycle(
                year=YEAR, instrument_code=code, province=sumut, actor=national_admin
            )
    for code in ("ombudsman-2023", "pekppp-2024"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Cycle.objects.create(year=YEAR, name="x", instrument_code=code, province=sumut)
    # national cycles too: one per program and year
    Cycle.objects.create(year=2025, name="n", instrument_code="pekppp-2024")
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(year=2025, name="n2", instrument_code="pekppp-2023")
    opened = AuditEvent.objects.filter(action="cycle.opened", object_id=str(second.pk)).get()
    assert opened.new["program"] == "pekppp"


def test_the_program_follows_the_instrument_on_save(sumut):
    cycle = Cycle.objects.create(
        year=2031, name="x", instrument_code="ombudsman-2023", province=sumut
    )
    cycle.instrument_code = "pekppp-2024"
    cycle.save(update_fields=["instrument_code"])
    cycle.refresh_from_db()
    assert cycle.program == Program.PEKPPP


def test_the_new_cycle_form_offers_pekppp_to_national_admins_only(
    login, national_admin, regional_admin
):
    national = login(national_admin).get("/cycles/new/").content.decode()
    assert 'value="pekppp-2024"' in national
    assert "PEKPPP KemenPAN-RB:" in national
    regional_client = login(regional_admin)
    assert 'value="pekppp-2024"' not in regional_client.get("/cycles/new/").content.decode()
    refused = regional_client.post(
        "/cycles/new/",
        {"year": "2025", "instrument": "pekppp-2024", "province": "12"},
        follow=True,
    )
    assert "dibuka oleh admin nasional" in refused.content.decode()
    assert not Cycle.objects.filter(program=Program.PEKPPP, year=2025).exists()


def test_year_routes_keep_the_ombudsman_cycle_and_pekppp_has_its_own(
    login, pekppp, sumut, langkat, national_admin
):
    Cycle.objects.filter(year=YEAR, province=sumut, program=Program.OMBUDSMAN).delete()
    ombudsman = campaigns.open_cycle(
        year=YEAR, instrument_code="ombudsman-2023", province=sumut, actor=national_admin
    )
    campaigns.create_campaign(ombudsman, AssessmentKind.OFFICIAL, actor=national_admin)
    client = login(national_admin)
    page = client.get(f"/cycles/{YEAR}/governments/12.05/").content.decode()
    assert "<code>ombudsman-2023</code>" in page
    assert "data-ipp" not in page
    pekppp_page = client.get(f"/pekppp/{YEAR}/governments/12.05/").content.decode()
    assert "<code>pekppp-2024</code>" in pekppp_page
    assert "data-ipp" in pekppp_page
    assert "F-02 Penilaian evaluator" in pekppp_page
    assert client.get(f"/pekppp/{YEAR}/").status_code == 200
    assert client.get(f"/pekppp/{YEAR}/governments/12.05/readiness/").status_code == 200
    assert client.get(f"/pekppp/{YEAR}/governments/12.05/compare/").status_code == 200
    cycle_page = client.get(f"/cycles/{YEAR}/").content.decode()
    assert ombudsman.name in cycle_page
    assert pekppp.name not in cycle_page
    assert pekppp.name in client.get(f"/pekppp/{YEAR}/").content.decode()
    # no PEKPPP cycle that year: 404, not the Ombudsman's
    assert client.get("/pekppp/2023/governments/12.05/").status_code == 404


# -- roles ------------------------------------------------------------------------------------


def test_an_evaluator_is_national_or_of_one_province(sumut, langkat):
    user = persona("eva.nasional", Role.EVALUATOR)
    Membership(user=user, role=Role.EVALUATOR).full_clean()
    Membership(user=user, role=Role.EVALUATOR, province=sumut).full_clean()
    with pytest.raises(ValidationError, match="nasional atau untuk satu provinsi"):
        Membership(user=user, role=Role.EVALUATOR, government=langkat).full_clean()
    assert Role.EVALUATOR.label == "Evaluator KemenPAN-RB"


def test_evaluators_are_offered_for_pekppp_cycles_and_assessors_for_the_ombudsmans(
    pekppp, cycle_current, assessor, evaluator, langkat, national_admin
):
    national = persona("eva.pusat", Role.EVALUATOR)
    from patuh.orgs.models import Province

    persona("eva.aceh", Role.EVALUATOR, province=Province.objects.get(region_code="11"))
    offered = set(campaigns.assessors_for(pekppp).values_list("username", flat=True))
    assert {"eva.panrb", "eva.pusat"} <= offered
    assert "eva.aceh" not in offered
    assert "andi.penilai" not in offered
    assert "eva.panrb" not in set(
        campaigns.assessors_for(cycle_current).values_list("username", flat=True)
    )
    with pytest.raises(ValidationError, match="bukan evaluator KemenPAN-RB"):
        campaigns.assign_assessor(pekppp, langkat, assessor, actor=national_admin)
    with pytest.raises(ValidationError, match="bukan penilai"):
        campaigns.assign_assessor(cycle_current, langkat, evaluator, actor=national_admin)
    campaigns.assign_assessor(pekppp, langkat, national, actor=national_admin)
    assert AssessorAssignment.objects.filter(cycle=pekppp, assessor=national).exists()


def test_the_cycle_page_assigns_an_evaluator(login, pekppp, labuhanbatu, national_admin):
    extra = persona("eva.kedua", Role.EVALUATOR)
    client = login(national_admin)
    page = client.get(f"/cycles/manage/{pekppp.pk}/").content.decode()
    assert "eva.kedua" in page
    client.post(
        f"/cycles/manage/{pekppp.pk}/",
        {"action": "assign", "government": "12.10", "assessor": extra.pk},
    )
    assert AssessorAssignment.objects.filter(
        cycle=pekppp, government=labuhanbatu, assessor=extra
    ).exists()


def test_an_evaluator_fills_f02_never_an_ombudsman_assessment_and_an_assessor_never_f02(
    login, pekppp, cycle_current, langkat, evaluator, assessor, national_admin
):
    f02 = _assessment(pekppp, langkat, "dinsos", AssessmentKind.OFFICIAL)
    assert AssessmentAccess(evaluator, f02).can_edit
    # an Ombudsman assessor assigned to Langkat in the PEKPPP cycle by hand: still refused
    AssessorAssignment.objects.create(cycle=pekppp, government=langkat, assessor=assessor)
    refusal = AssessmentAccess(assessor, f02).edit_refusal
    assert "evaluator KemenPAN-RB" in refusal
    response = login(assessor).post(
        f"/assessments/{f02.pk}/indicators/KP-01/", {"value": "3", "version": "0"}
    )
    assert response.status_code in (403, 404)
    assert not f02.answers.exists()
    # the evaluator, assigned to Langkat in the Ombudsman cycle by hand: refused there
    AssessorAssignment.objects.create(cycle=cycle_current, government=langkat, assessor=evaluator)
    ombudsman = Assessment.objects.filter(
        cycle=cycle_current, service_unit__government=langkat, kind=AssessmentKind.OFFICIAL
    ).first()
    assert ombudsman is not None
    assert not AssessmentAccess(evaluator, ombudsman).can_edit
    response = login(evaluator).post(
        f"/assessments/{f02.pk}/indicators/KP-01/", {"value": "3", "version": "0"}
    )
    assert response.status_code == 302
    assert f02.answers.get(indicator_code="KP-01").value == 3


# -- lokus and F-01 ----------------------------------------------------------------------------


def test_pekppp_sites_are_chosen_and_f01_goes_to_the_sites_only(pekppp, langkat):
    assert campaigns.sites_are_chosen(pekppp)
    self_units = set(
        Assessment.objects.filter(cycle=pekppp, kind=AssessmentKind.SELF).values_list(
            "service_unit__code", flat=True
        )
    )
    assert self_units == {"dinsos", "disdukcapil"}
    with pytest.raises(ValidationError):
        campaigns.create_campaign(pekppp, AssessmentKind.OFFICIAL, actor=None)


def test_the_evaluator_requests_a_change_on_the_units_f01_and_the_unit_fixes_it(
    login, pekppp, langkat, evaluator, coordinator, outsider
):
    f01 = _assessment(pekppp, langkat, "dinsos", AssessmentKind.SELF)
    operator = persona("op.dinsos", Role.UNIT_OPERATOR, service_unit=f01.service_unit)
    record_answer(f01, "KP-01", 2, operator)
    record_answer(f01, "KP-02", 3, operator)
    submit_assessment(f01, actor=operator)
    # the coordinator of another pemda, the unit itself, a verifier-less user: not allowed
    assert not AssessmentAccess(operator, f01).can_request_changes
    evaluator_client = login(evaluator)
    page = evaluator_client.get(f"/assessments/{f01.pk}/").content.decode()
    assert "F-01 Isian mandiri unit" in page
    assert "data-request-changes" in page
    assert "data-evaluator-review" in page
    response = evaluator_client.post(
        f"/assessments/{f01.pk}/indicators/KP-01/request-changes/",
        {"note": "Unggah SK standar pelayanan yang ditandatangani"},
    )
    assert response.status_code == 302
    f01.refresh_from_db()
    assert f01.status == AssessmentStatus.CHANGES_REQUESTED
    request = ChangeRequest.objects.get(assessment=f01)
    assert (request.indicator_code, request.requested_by) == ("KP-01", evaluator)
    assert AuditEvent.objects.filter(
        action="change_request.added", actor=evaluator, object_id=str(request.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="assessment.changes_requested", actor=evaluator, object_id=str(f01.pk)
    ).exists()
    # the unit sees the request and may change that indicator only
    unit_page = login(operator).get(f"/assessments/{f01.pk}/").content.decode()
    assert "Evaluator KemenPAN-RB meminta perbaikan F-01" in unit_page
    access = AssessmentAccess(operator, f01)
    assert access.can_edit_indicator("KP-01")
    assert not access.can_edit_indicator("KP-02")
    fixed = login(operator).post(
        f"/assessments/{f01.pk}/indicators/KP-01/", {"value": "3", "version": "1"}
    )
    assert fixed.status_code == 302
    assert f01.answers.get(indicator_code="KP-01").value == 3
    refused = login(operator).post(
        f"/assessments/{f01.pk}/indicators/KP-02/", {"value": "5", "version": "1"}
    )
    assert refused.status_code == 403
    # another pemda's coordinator does not even see it
    assert (
        login(outsider)
        .post(f"/assessments/{f01.pk}/indicators/KP-02/request-changes/", {"note": "x"})
        .status_code
        == 404
    )


def test_an_evaluator_may_not_send_back_an_ombudsman_self_assessment(
    cycle_current, langkat, evaluator
):
    AssessorAssignment.objects.create(cycle=cycle_current, government=langkat, assessor=evaluator)
    own = Assessment.objects.filter(
        cycle=cycle_current, service_unit__government=langkat, kind=AssessmentKind.SELF
    ).first()
    assert own is not None
    assert not AssessmentAccess(evaluator, own).can_request_changes


# -- the IPP -----------------------------------------------------------------------------------


def _score_f02(cycle, langkat, evaluator) -> None:
    codes = [
        code
        for code, indicator in load_instrument(cycle.instrument_code).indicators.items()
        if indicator.counted
    ]
    dinsos = _assessment(cycle, langkat, "dinsos", AssessmentKind.OFFICIAL)
    disdukcapil = _assessment(cycle, langkat, "disdukcapil", AssessmentKind.OFFICIAL)
    for code in codes:
        if code != "KP-01":  # KP-01 unanswered: counts 0
            record_answer(dinsos, code, 4, evaluator)
        record_answer(disdukcapil, code, 3, evaluator)
    for unit, rows in ((dinsos.service_unit, [5, 4]), (disdukcapil.service_unit, [3])):
        for n, value in enumerate(rows):
            SurveyResponse.objects.create(
                unit=unit,
                cycle=cycle,
                kind=SurveyKind.F03,
                respondent_id=f"r-{unit.code}-{n}",
                answers=dict.fromkeys(F03_ITEMS, value),
                channel="web",
            )


# by hand, from PEKPPP.md: Dinas Sosial scores 4 everywhere but KP-01 (0): IPP = 4 − 0.24 ×
# 0.17 × 4 = 3.8368; Disdukcapil 3 everywhere: 3. The government: their mean, 3.4184 (B-,
# 3.01–3.50). F-03: Dinas Sosial (5 + 4) / 2 = 4.5, Disdukcapil 3, the government 3.75.
# Composite 0.75 × IPP + 0.25 × F-03: Dinas Sosial 4.0026, Disdukcapil 3, the government
# 0.75 × 3.4184 + 0.25 × 3.75 = 3.5013.
DINSOS_IPP, GOVERNMENT_IPP = Decimal("3.8368"), Decimal("3.4184")
GOVERNMENT_COMPOSITE = Decimal("0.75") * GOVERNMENT_IPP + Decimal("0.25") * Decimal("3.75")


def test_the_government_page_shows_the_ipp_as_computed_by_hand(
    login, pekppp, langkat, evaluator, coordinator
):
    _score_f02(pekppp, langkat, evaluator)
    page = login(coordinator).get(f"/pekppp/{YEAR}/governments/12.05/").content.decode()
    assert f"{GOVERNMENT_IPP:.2f}" == "3.42"
    assert "data-ipp-government>3.42<" in page
    assert "data-ipp-category>B-<" in page
    assert "data-ipp-f03>3.75<" in page
    assert f"{GOVERNMENT_COMPOSITE:.2f}" == "3.50"
    assert "data-ipp-composite>3.50" in page
    assert "data-ipp-rank>1 / 1<" in page
    assert "data-provisional" in page  # the bands and the composite rule are provisional
    # the unit's own page shows its IPP, F-03 index and composite
    f02 = _assessment(pekppp, langkat, "dinsos", AssessmentKind.OFFICIAL)
    unit_page = login(coordinator).get(f"/assessments/{f02.pk}/").content.decode()
    assert "data-unit-ipp-score>3.84<" in unit_page
    assert "data-unit-f03>4.50<" in unit_page
    assert "data-unit-composite>4.00<" in unit_page
    dinsos_row = page.split('data-ipp-unit="dinsos"')[1].split("</tr>")[0]
    assert f"{DINSOS_IPP:.2f}" in dinsos_row
    assert "4.50" in dinsos_row
    assert "4.00" in dinsos_row


def test_the_snapshot_on_publish_carries_the_pekppp_figures(
    login, pekppp, langkat, evaluator, national_admin
):
    _score_f02(pekppp, langkat, evaluator)
    verifier = persona("vivi.pusat", Role.VERIFIER)
    for assessment in Assessment.objects.filter(cycle=pekppp, kind=AssessmentKind.OFFICIAL):
        submit_assessment(assessment, actor=evaluator)
    client = login(verifier)
    for verb in ("verify", "finalise", "publish"):
        response = client.post(f"/pekppp/{YEAR}/governments/12.05/workflow/{verb}/")
        assert response.status_code == 302
        assert response["Location"].startswith(f"/pekppp/{YEAR}/governments/12.05/")
    snapshot = ResultSnapshot.objects.get(cycle=pekppp, government=langkat)
    assert snapshot.published_at is not None
    assert snapshot.score == Decimal("3.42")
    assert snapshot.category == "B-"
    data = json.loads(snapshot.payload)
    assert data["government"]["ipp"] == pytest.approx(3.42)
    assert data["government"]["f03"] == pytest.approx(3.75)
    assert data["government"]["composite"] == pytest.approx(3.50)
    assert data["government"]["flags"]["category"] is True
    dinsos = next(unit for unit in data["units"] if unit["code"] == "dinsos")
    assert dinsos["composite"] == pytest.approx(4.00)
    # no Ombudsman rapor follow-up from a PEKPPP result
    from patuh.followup.models import FollowUpAction

    assert not FollowUpAction.objects.filter(cycle=pekppp).exists()
    # the Ombudsman's public pages of the year do not show the PEKPPP snapshot
    assert login(national_admin).get(f"/publik/{YEAR}/12.05/").status_code == 404
