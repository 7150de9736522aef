"""The workspace verbs: answers with parts and versions, windows, access, evidence, comments,
campaigns. Each change must leave one audit row in the assessment's history."""

import datetime
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from patuh.assessments import campaigns, comments, evidence
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import Answer, Assessment, AssessmentStatus, Evidence
from patuh.assessments.services import (
    AnswerChange,
    AnswerConflict,
    part_keys,
    record_answer,
    save_answer,
    submit_assessment,
)
from patuh.assessments.stages import window
from patuh.core.models import AuditEvent
from patuh.scoring import load_instrument


@pytest.fixture
def self_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


@pytest.fixture
def official_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="official")


def _history(assessment):
    return AuditEvent.objects.filter(
        context_type="assessments.assessment", context_id=str(assessment.pk)
    )


def _keys(assessment, code):
    return part_keys(assessment, load_instrument(assessment.cycle.instrument_code).indicators[code])


# -- answers ---------------------------------------------------------------------------------


def test_each_interviewed_official_adds_one_item_and_the_value_is_their_list(
    official_dinkes, assessor
):
    keys = _keys(official_dinkes, "IN-K1")
    assert len(keys) == 4
    version = 0
    for key, level in zip(keys, [3, 2, 3, 2], strict=True):
        answer = save_answer(
            official_dinkes,
            "IN-K1",
            AnswerChange(value=level, part=key),
            actor=assessor,
            expected_version=version,
        )
        version = answer.version
    assert answer.value == [3, 2, 3, 2]
    assert answer.parts == dict(zip(keys, [3, 2, 3, 2], strict=True))
    assert version == 4
    assert _history(official_dinkes).filter(action="answer.recorded").count() == 4


def test_products_are_the_parts_of_a_proses_indicator(official_dinkes, assessor):
    first, second = _keys(official_dinkes, "PR-01")
    save_answer(official_dinkes, "PR-01", AnswerChange(value=3, part=second), actor=assessor)
    answer = save_answer(
        official_dinkes, "PR-01", AnswerChange(value=1, part=first), actor=assessor
    )
    assert answer.value == [1, 3]  # in product order, whatever the order of saving


def test_a_stale_version_is_refused_and_nothing_changes(official_dinkes, assessor, verifier):
    save_answer(official_dinkes, "IN-S1", AnswerChange(value=2), actor=assessor, expected_version=0)
    with pytest.raises(AnswerConflict) as raised:
        save_answer(
            official_dinkes, "IN-S1", AnswerChange(value=0), actor=verifier, expected_version=0
        )
    assert raised.value.answer.value == 2
    assert raised.value.attempted.value == 0
    answer = Answer.objects.get(assessment=official_dinkes, indicator_code="IN-S1")
    assert (answer.value, answer.version) == (2, 1)
    assert _history(official_dinkes).filter(action="answer.recorded").count() == 1


def test_na_needs_a_reason_and_keeps_it(official_dinkes, assessor):
    with pytest.raises(ValidationError, match="alasan wajib"):
        save_answer(
            official_dinkes, "PR-07", AnswerChange(value="na", na_reason="  "), actor=assessor
        )
    answer = save_answer(
        official_dinkes,
        "PR-07",
        AnswerChange(value="na", na_reason="Tidak ada layanan khusus"),
        actor=assessor,
    )
    assert (answer.value, answer.na_reason) == ("na", "Tidak ada layanan khusus")
    event = _history(official_dinkes).get(action="answer.recorded")
    assert event.old is None
    assert event.new["na_reason"] == "Tidak ada layanan khusus"


def test_a_note_alone_is_kept_without_a_value_and_scores_as_missing(official_dinkes, assessor):
    answer = save_answer(
        official_dinkes, "IN-S2", AnswerChange(note="Data pegawai diminta"), actor=assessor
    )
    assert answer.value is None
    assert answer.note == "Data pegawai diminta"
    from patuh.assessments.services import score_assessments

    result = score_assessments(official_dinkes.cycle, official_dinkes.service_unit.government)
    dinkes = next(u for u in result.units if u.code == "dinkes")
    assert "IN-S2" in dinkes.missing


def test_an_imported_list_is_read_as_parts_before_one_item_changes(official_dinkes, assessor):
    record_answer(official_dinkes, "IN-K2", [1, 1, 2, 2], assessor)
    third = _keys(official_dinkes, "IN-K2")[2]
    answer = save_answer(
        official_dinkes, "IN-K2", AnswerChange(value=3, part=third), actor=assessor
    )
    assert answer.value == [1, 1, 3, 2]


def test_an_imported_list_longer_than_the_respondents_is_not_overwritten(official_dinkes, assessor):
    record_answer(official_dinkes, "IN-K3", [1, 1, 2, 2, 3], assessor)
    first = _keys(official_dinkes, "IN-K3")[0]
    with pytest.raises(ValidationError, match="5 jawaban, lebih banyak dari 4"):
        save_answer(official_dinkes, "IN-K3", AnswerChange(value=3, part=first), actor=assessor)
    assert Answer.objects.get(assessment=official_dinkes, indicator_code="IN-K3").value == [
        1,
        1,
        2,
        2,
        3,
    ]


def test_a_part_of_another_assessment_is_refused(official_dinkes, self_dinkes, assessor):
    foreign = _keys(self_dinkes, "IN-K1")[0]
    with pytest.raises(ValidationError, match="tidak ada di penilaian ini"):
        save_answer(official_dinkes, "IN-K1", AnswerChange(value=3, part=foreign), actor=assessor)


# -- windows and access ----------------------------------------------------------------------


def test_windows_follow_the_dates_and_an_override_opens_one_for_one_government(
    cycle_2023, langkat, labuhanbatu, regional_admin
):
    assert not window(cycle_2023, "data_collection", langkat).is_open
    campaigns.override_window(
        cycle_2023,
        "data_collection",
        open_until=datetime.date.today() + datetime.timedelta(days=3),
        reason="Banjir menunda kunjungan",
        actor=regional_admin,
        government=langkat,
    )
    opened = window(cycle_2023, "data_collection", langkat)
    assert opened.is_open
    assert opened.overridden
    assert "Banjir menunda kunjungan" in opened.describe()
    assert not window(cycle_2023, "data_collection", labuhanbatu).is_open
    event = AuditEvent.objects.get(action="cycle.window_overridden")
    assert (event.actor, event.reason) == (regional_admin, "Banjir menunda kunjungan")
    with pytest.raises(ValidationError, match="Alasan"):
        campaigns.override_window(
            cycle_2023,
            "data_collection",
            open_until=datetime.date.today(),
            reason="",
            actor=regional_admin,
        )


def test_who_may_fill_what(
    self_dinkes, official_dinkes, operator, coordinator, assessor, verifier, outsider
):
    assert AssessmentAccess(operator, self_dinkes).can_edit
    assert AssessmentAccess(coordinator, self_dinkes).can_edit
    assert not AssessmentAccess(assessor, self_dinkes).can_edit
    assert AssessmentAccess(assessor, official_dinkes).can_edit
    for user in (operator, coordinator, verifier, outsider):
        refusal = AssessmentAccess(user, official_dinkes).edit_refusal
        assert "penilai yang ditugaskan" in refusal


def test_nothing_is_editable_outside_its_window(langkat_dinkes_2023, cycle_2023, langkat):
    from patuh.assessments.models import AssessorAssignment
    from patuh.demo.load import DEMO_PASSWORD  # noqa: F401  (the demo is loaded)

    user = AssessorAssignment.objects.filter(government=langkat).first().assessor
    AssessorAssignment.objects.get_or_create(cycle=cycle_2023, government=langkat, assessor=user)
    Assessment.objects.filter(pk=langkat_dinkes_2023.pk).update(status="draft")
    langkat_dinkes_2023.refresh_from_db()
    access = AssessmentAccess(user, langkat_dinkes_2023)
    assert not access.can_edit
    assert "sudah ditutup" in access.edit_refusal


def test_a_submitted_assessment_is_locked(official_dinkes, assessor):
    submit_assessment(official_dinkes, actor=assessor, note="Kunjungan selesai")
    official_dinkes.refresh_from_db()
    assert official_dinkes.status == AssessmentStatus.SUBMITTED
    assert "sudah diajukan" in AssessmentAccess(assessor, official_dinkes).edit_refusal
    with pytest.raises(ValidationError):
        submit_assessment(official_dinkes, actor=assessor)
    event = _history(official_dinkes).get(action="assessment.submitted")
    assert (event.old, event.new) == ({"status": "draft"}, {"status": "submitted"})


# -- evidence --------------------------------------------------------------------------------


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_file_is_typed_from_its_bytes_hashed_and_stored_under_a_random_name(
    self_dinkes, operator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = _png()
    upload = SimpleUploadedFile("foto-papan.pdf", data, content_type="application/pdf")
    item = evidence.add_file(self_dinkes, "PR-01", upload, actor=operator, title="Papan")
    assert item.content_type == "image/png"  # the bytes win over the name and the header
    assert item.sha256 == hashlib.sha256(data).hexdigest()
    assert item.size == len(data)
    assert "foto-papan" not in item.file.name
    assert item.file.name.endswith(".png")
    assert item.thumbnail
    with Image.open(item.thumbnail.open("rb")) as thumbnail:
        assert max(thumbnail.size) <= 320
    event = _history(self_dinkes).get(action="evidence.added")
    assert event.new["sha256"] == item.sha256


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("laporan.pdf", b"<html><script>alert(1)</script></html>", "HTML"),
        ("gambar.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_dangerous_or_empty_files_are_refused_with_the_reason(
    self_dinkes, operator, settings, tmp_path, name, data, message
):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match=message):
        evidence.add_file(self_dinkes, "PR-01", SimpleUploadedFile(name, data), actor=operator)
    assert not Evidence.objects.filter(assessment=self_dinkes).exists()


def test_a_file_over_the_limit_is_refused(self_dinkes, operator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PATUH_EVIDENCE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match=r"MB|KB"):
        evidence.add_file(
            self_dinkes, "PR-01", SimpleUploadedFile("besar.png", _png()), actor=operator
        )


def test_last_cycles_evidence_is_carried_once_and_confirmed(self_dinkes, operator):
    carried = evidence.carry_forward(self_dinkes, "PR-06", actor=operator)
    assert len(carried) == 1
    assert carried[0].needs_confirmation
    assert carried[0].carried_from.assessment.cycle.year == 2023
    assert evidence.carry_forward(self_dinkes, "PR-06", actor=operator) == []
    evidence.confirm(carried[0], actor=operator)
    carried[0].refresh_from_db()
    assert not carried[0].needs_confirmation
    assert (
        _history(self_dinkes)
        .filter(action__in=["evidence.carried_forward", "evidence.confirmed"])
        .count()
        == 2
    )


def test_withdrawing_evidence_needs_a_reason_and_keeps_the_record(self_dinkes, operator):
    item = evidence.add_link(self_dinkes, "PR-08", "https://example.org/visi-misi", actor=operator)
    with pytest.raises(ValidationError):
        evidence.remove(item, actor=operator, reason="")
    evidence.remove(item, actor=operator, reason="Tautan salah")
    item.refresh_from_db()
    assert item.removed_at is not None
    assert _history(self_dinkes).get(action="evidence.removed").reason == "Tautan salah"


def test_a_link_must_be_a_web_address(self_dinkes, operator):
    with pytest.raises(ValidationError, match="http"):
        evidence.add_link(self_dinkes, "PR-08", "javascript:alert(1)", actor=operator)


# -- comments and campaigns --------------------------------------------------------------------


def test_replies_join_the_thread_and_threads_resolve(self_dinkes, operator, coordinator):
    root = comments.add_comment(self_dinkes, "IN-S1", "Mohon SK pengawasan.", actor=coordinator)
    reply = comments.add_comment(
        self_dinkes, "IN-S1", "Sudah diunggah.", actor=operator, parent=root
    )
    nested = comments.add_comment(
        self_dinkes, "IN-S1", "Terima kasih.", actor=coordinator, parent=reply
    )
    assert reply.parent == root
    assert nested.parent == root
    comments.set_resolved(nested, True, actor=coordinator)
    root.refresh_from_db()
    assert root.resolved_by == coordinator
    comments.set_resolved(root, False, actor=operator)
    root.refresh_from_db()
    assert root.resolved_at is None
    actions = list(_history(self_dinkes).values_list("action", flat=True))
    assert actions.count("comment.added") == 3
    assert {"comment.resolved", "comment.reopened"} <= set(actions)
    with pytest.raises(ValidationError):
        comments.add_comment(self_dinkes, "IN-S1", "   ", actor=operator)


def test_a_campaign_creates_only_the_missing_assessments(cycle_current, regional_admin, langkat):
    before = Assessment.objects.filter(cycle=cycle_current, kind="pre_evaluation").count()
    created = campaigns.create_campaign(cycle_current, "pre_evaluation", actor=regional_admin)
    assert before == 0
    assert created == 231
    assert campaigns.create_campaign(cycle_current, "pre_evaluation", actor=regional_admin) == 0
    made = Assessment.objects.filter(
        cycle=cycle_current, kind="pre_evaluation", service_unit__government=langkat
    ).first()
    assert made.respondents.count() == 6
    assert made.product_observations.count() == 2


def test_only_eligible_assessors_are_assigned(cycle_current, regional_admin, labuhanbatu, operator):
    with pytest.raises(ValidationError, match="bukan penilai"):
        campaigns.assign_assessor(cycle_current, labuhanbatu, operator, actor=regional_admin)
