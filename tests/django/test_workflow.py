"""The verification workflow: each change of status is one audited verb; a final assessment
refuses every change except the audited reopen; publishing creates the rapor's follow-up."""

import pytest
from django.core.exceptions import ValidationError

from patuh.assessments import evidence, workflow
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import Answer, Assessment, AssessmentStatus
from patuh.assessments.services import AnswerChange, save_answer, score_assessments
from patuh.core.models import AuditEvent
from patuh.followup.models import FollowUpAction

S = AssessmentStatus


@pytest.fixture
def langkat_2023(cycle_2023, langkat):
    """Langkat's official 2023 assessments, submitted in the demo (at verification)."""
    return list(
        Assessment.objects.filter(
            cycle=cycle_2023, service_unit__government=langkat, kind="official"
        ).order_by("service_unit__code")
    )


@pytest.fixture
def dinkes_2023(langkat_2023):
    return next(a for a in langkat_2023 if a.service_unit.code == "dinkes")


@pytest.fixture
def penilai(db, django_user_model):
    return django_user_model.objects.get(username="penilai.sumut")


def _statuses(assessment):
    return list(
        AuditEvent.objects.filter(
            object_type="assessments.assessment", object_id=str(assessment.pk)
        )
        .order_by("id")
        .values_list("action", "old", "new", "reason")
    )


def test_the_demo_has_langkat_at_verification_and_2022_published(langkat_2023, cycle_2022):
    assert {a.status for a in langkat_2023} == {S.SUBMITTED}
    assert (
        not Assessment.objects.filter(cycle=cycle_2022, kind="official")
        .exclude(status=S.PUBLISHED)
        .exists()
    )
    assert FollowUpAction.objects.filter(cycle=cycle_2022, government__region_code="12.10").count()


def test_a_change_request_goes_back_to_the_assessor_for_that_indicator_only(
    dinkes_2023, verifier, penilai
):
    workflow.request_changes(
        dinkes_2023, [("IN-S1", "SK pengawasan tidak terlampir")], actor=verifier
    )
    dinkes_2023.refresh_from_db()
    assert dinkes_2023.status == S.CHANGES_REQUESTED
    access = AssessmentAccess(penilai, dinkes_2023)
    assert access.can_edit_indicator("IN-S1")
    assert not access.can_edit_indicator("IN-S2")
    version = Answer.objects.get(assessment=dinkes_2023, indicator_code="IN-S1").version
    save_answer(
        dinkes_2023, "IN-S1", AnswerChange(value=3), actor=penilai, expected_version=version
    )
    workflow.transition(dinkes_2023, "submit", actor=penilai, reason="SK dilampirkan")
    assert not dinkes_2023.change_requests.filter(answered_at__isnull=True).exists()
    workflow.transition(dinkes_2023, "verify", actor=verifier)
    workflow.transition(dinkes_2023, "finalise", actor=verifier)
    assert [row[0] for row in _statuses(dinkes_2023)] == [
        "assessment.changes_requested",
        "assessment.submitted",
        "assessment.verified",
        "assessment.finalised",
    ]
    _action, old, new, reason = _statuses(dinkes_2023)[0]
    assert (old, new) == ({"status": "submitted"}, {"status": "changes_requested"})
    assert "SK pengawasan" in reason


def test_a_final_assessment_refuses_every_change_until_the_audited_reopen(
    dinkes_2023, verifier, penilai
):
    workflow.transition(dinkes_2023, "verify", actor=verifier)
    workflow.transition(dinkes_2023, "finalise", actor=verifier)
    with pytest.raises(ValidationError, match="pembukaan kembali"):
        save_answer(dinkes_2023, "IN-S1", AnswerChange(value=0), actor=penilai)
    with pytest.raises(ValidationError, match="pembukaan kembali"):
        evidence.add_link(dinkes_2023, "IN-S1", "https://example.org/sk", actor=penilai)
    assert "pembukaan kembali" in AssessmentAccess(penilai, dinkes_2023).edit_refusal
    with pytest.raises(ValidationError, match="Alasan"):
        workflow.reopen(dinkes_2023, actor=verifier, reason=" ")
    with pytest.raises(ValidationError):
        workflow.transition(dinkes_2023, "request_changes", actor=verifier)
    workflow.reopen(
        dinkes_2023,
        actor=verifier,
        reason="Keberatan pemda atas IN-S1 diterima",
        indicators=[("IN-S1", "Periksa ulang SK")],
    )
    save_answer(dinkes_2023, "IN-S1", AnswerChange(value=0), actor=penilai)
    reopened = AuditEvent.objects.get(action="assessment.reopened", object_id=str(dinkes_2023.pk))
    assert (reopened.actor, reopened.reason) == (verifier, "Keberatan pemda atas IN-S1 diterima")
    assert reopened.old == {"status": "final"}


def test_transitions_out_of_order_are_refused_with_the_status(dinkes_2023, verifier):
    with pytest.raises(ValidationError, match="Diajukan"):
        workflow.transition(dinkes_2023, "finalise", actor=verifier)
    with pytest.raises(ValidationError, match="wajib"):
        workflow.transition(dinkes_2023, "drop", actor=verifier, reason="")


def test_publishing_needs_every_unit_final_and_creates_the_follow_up(
    cycle_2023, langkat, langkat_2023, verifier
):
    with pytest.raises(ValidationError, match="7 unit belum final"):
        workflow.publish_government(cycle_2023, langkat, actor=verifier)
    workflow.transition_many(langkat_2023, "verify", actor=verifier)
    workflow.transition_many(
        Assessment.objects.filter(pk__in=[a.pk for a in langkat_2023]), "finalise", actor=verifier
    )
    assert workflow.publish_government(cycle_2023, langkat, actor=verifier) == 7
    result = score_assessments(cycle_2023, langkat)
    expected = sum(len(unit.explanation) for unit in result.units)
    actions = FollowUpAction.objects.filter(cycle=cycle_2023, government=langkat)
    assert actions.count() == expected
    worst = max(
        (item for unit in result.units for item in unit.explanation), key=lambda i: i.points_lost
    )
    assert actions.filter(indicator_code=worst.code).exists()
    # publishing again adds nothing
    from patuh.followup.services import create_actions_for_rapor

    assert create_actions_for_rapor(cycle_2023, langkat, actor=verifier) == 0


def test_a_dropped_unit_leaves_the_score(cycle_2023, langkat, langkat_2023, regional_admin):
    before = score_assessments(cycle_2023, langkat)
    dinsos = next(a for a in langkat_2023 if a.service_unit.code == "dinsos")
    workflow.transition(dinsos, "drop", actor=regional_admin, reason="Unit dilebur ke Dinas PMD")
    after = score_assessments(cycle_2023, langkat)
    assert len(after.units) == len(before.units) - 1
    assert "dinsos" not in {unit.code for unit in after.units}
    workflow.transition(dinsos, "restore", actor=regional_admin, reason="Salah pilih unit")
    assert len(score_assessments(cycle_2023, langkat).units) == len(before.units)


def test_the_verifier_works_from_the_pages(login, verifier, penilai, dinkes_2023, langkat_2023):
    client = login(verifier)
    page = client.get(f"/assessments/{dinkes_2023.pk}/").content.decode()
    assert "data-verify" in page
    assert "data-request-changes" in page
    response = client.post(
        f"/assessments/{dinkes_2023.pk}/indicators/PR-06/request-changes/",
        {"note": "Maklumat belum ditandatangani kepala dinas"},
    )
    assert response["Location"].endswith("#ind-PR-06")
    dinkes_2023.refresh_from_db()
    assert dinkes_2023.status == S.CHANGES_REQUESTED
    assessor_page = login(penilai).get(f"/assessments/{dinkes_2023.pk}/").content.decode()
    assert "Maklumat belum ditandatangani kepala dinas" in assessor_page
    assert "data-change-requests" in assessor_page
    # the assessor may change PR-06 only
    refused = login(penilai).post(
        f"/assessments/{dinkes_2023.pk}/indicators/PR-07/", {"value": "1"}
    )
    assert refused.status_code == 403
    assert "Hanya indikator yang diminta perbaikannya" in refused.content.decode()
    allowed = login(penilai).post(
        f"/assessments/{dinkes_2023.pk}/indicators/PR-06/", {"value": "3"}
    )
    assert allowed.status_code == 302
    login(penilai).post(f"/assessments/{dinkes_2023.pk}/submit/", {"note": "Sudah diperbaiki"})
    client.post(f"/assessments/{dinkes_2023.pk}/workflow/verify/")
    dinkes_2023.refresh_from_db()
    assert dinkes_2023.status == S.VERIFIED
    # the government page verifies, finalises and publishes the rest
    base = "/cycles/2023/governments/12.05/workflow/"
    client.post(base + "verify/")
    client.post(base + "finalise/")
    response = client.post(base + "publish/", follow=True)
    assert "dipublikasikan" in response.content.decode()
    assert set(
        Assessment.objects.filter(pk__in=[a.pk for a in langkat_2023]).values_list(
            "status", flat=True
        )
    ) == {S.PUBLISHED}


def test_only_verifiers_move_the_workflow(login, coordinator, penilai, operator, dinkes_2023):
    for user in (coordinator, penilai, operator):
        client = login(user)
        assert client.post(f"/assessments/{dinkes_2023.pk}/workflow/verify/").status_code in (
            403,
            404,
        )
        assert client.post(
            f"/assessments/{dinkes_2023.pk}/indicators/IN-S1/request-changes/", {"note": "x"}
        ).status_code in (403, 404)
        assert client.post("/cycles/2023/governments/12.05/workflow/publish/").status_code in (
            403,
            404,
        )
    dinkes_2023.refresh_from_db()
    assert dinkes_2023.status == S.SUBMITTED


def test_the_history_page_lists_state_and_answer_changes(login, verifier, penilai, dinkes_2023):
    workflow.request_changes(dinkes_2023, [("IN-S1", "Lampirkan SK")], actor=verifier)
    version = Answer.objects.get(assessment=dinkes_2023, indicator_code="IN-S1").version
    old = Answer.objects.get(assessment=dinkes_2023, indicator_code="IN-S1").value
    save_answer(
        dinkes_2023, "IN-S1", AnswerChange(value=3), actor=penilai, expected_version=version
    )
    workflow.transition(dinkes_2023, "submit", actor=penilai)
    html = login(verifier).get(f"/assessments/{dinkes_2023.pk}/history/").content.decode()
    assert 'data-action="assessment.changes_requested"' in html
    assert 'data-action="assessment.submitted"' in html
    assert 'data-action="answer.recorded"' in html
    assert f"data-old>nilai: {old}" in html
    assert "data-new>nilai: 3" in html
    assert "Verifikator Kantor Pusat" in html or "vera.verifikator" in html
    assert "Penilai Perwakilan Sumatera Utara" in html


def test_a_regional_admin_adds_a_unit_and_drops_one_with_a_reason(
    login, regional_admin, cycle_current, langkat
):
    from patuh.orgs.models import ServiceUnit

    rsud = ServiceUnit.objects.create(
        government=langkat, code="rsud", name="RSUD Tanjung Pura", type="rsud"
    )
    client = login(regional_admin)
    url = f"/cycles/manage/{cycle_current.pk}/"
    assert f'<option value="{rsud.pk}">' in client.get(url).content.decode()
    refused = client.post(
        url, {"action": "add_unit", "unit": rsud.pk, "kind": "official", "reason": ""}, follow=True
    )
    assert "Alasan menambah unit wajib diisi." in refused.content.decode()
    client.post(
        url,
        {
            "action": "add_unit",
            "unit": rsud.pk,
            "kind": "official",
            "reason": "Ditemukan saat kunjungan",
        },
    )
    added = Assessment.objects.get(cycle=cycle_current, service_unit=rsud, kind="official")
    assert added.respondents.count() == 6
    event = AuditEvent.objects.get(action="cycle.unit_added")
    assert (event.actor, event.reason) == (regional_admin, "Ditemukan saat kunjungan")
    response = client.post(
        f"/assessments/{added.pk}/workflow/drop/", {"reason": "Bukan unit pemda"}, follow=True
    )
    added.refresh_from_db()
    assert added.status == S.DROPPED
    assert "Bukan unit pemda" in client.get(url).content.decode()
    assert response.status_code == 200
