"""Changing ids in URLs and form bodies (IDOR): an authorised user of one government, pointing
a request it may make on its own objects at another government's object, gets a 404 (a 403
where refusing something visible is the established pattern) and nothing changes: the target
row is the same afterwards, no row is added anywhere, and no AuditEvent is written.

The attackers are Langkat's (12.05) people — its coordinator, the operator of its Dinas
Kesehatan, the assessor assigned to it — and the Ombudsman offices of Sumatera Utara and Aceh.
The targets belong to Labuhanbatu (12.10), to Langkat's other units, to Aceh's cycle or to
another user.

Every POST route that takes an object id (in its URL or in its body) is here; a test checks
the list against the URL configuration so a new one cannot be forgotten.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from personas import PDF, Cast, SignsIn, persona

from patuh.accounts.models import Invitation, Membership
from patuh.accounts.roles import Role
from patuh.assessments import comments, evidence
from patuh.assessments.government_data import record_government_answer
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessorAssignment,
    Comment,
    Cycle,
    Evidence,
    GovernmentAnswer,
    ProductObservation,
    Respondent,
    StageOverride,
)
from patuh.assessments.services import prepare_assessments
from patuh.complaints.models import Complaint
from patuh.core.models import AuditEvent
from patuh.followup.models import FollowUpAction, OmbudsmanProduct
from patuh.locker import services as locker
from patuh.locker.models import UnitDocument
from patuh.notifications.models import Notification, NotificationPreference
from patuh.orgs.models import Government, Province, ServiceProduct
from patuh.reports.models import JobStatus, ReportJob
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument
from patuh.standards.models import ServiceStandard, StandardStatus
from patuh.surveys.models import SurveyResponse

COUNTED = (
    Answer,
    Assessment,
    AssessorAssignment,
    Comment,
    Cycle,
    Evidence,
    FollowUpAction,
    OmbudsmanProduct,
    ProductObservation,
    ReportJob,
    Respondent,
    ServiceStandard,
    StageOverride,
    SurveyResponse,
    UnitDocument,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
    AuditEvent,
    Complaint,
    GovernmentAnswer,
)


def fingerprint() -> dict[str, int]:
    """How many rows each table touched by these routes holds (AuditEvent included)."""
    return {model.__name__: model.objects.count() for model in COUNTED}


@dataclass
class World(SignsIn):
    users: dict[str, Any]
    ids: dict[str, Any]


@pytest.fixture
def world(db, settings, tmp_path, cycle_2022, cycle_2023, labuhanbatu, cast: Cast) -> World:
    settings.MEDIA_ROOT = tmp_path
    cycle_current, sumut, langkat = cast.cycle_current, cast.sumut, cast.langkat
    langkat_dinkes, coordinator, assessor = cast.langkat_dinkes, cast.coordinator, cast.assessor
    verifier = cast.verifier
    aceh = Province.objects.get(region_code="11")
    aceh_government = Government.objects.filter(province=aceh).order_by("region_code").first()
    aceh_admin = persona("ahmad.aceh", Role.REGIONAL_OFFICE_ADMIN, province=aceh)
    aceh_assessor = persona("pena.aceh", Role.ASSESSOR, province=aceh)
    aceh_cycle = Cycle.objects.create(
        year=cycle_current.year,
        name="Penilaian Aceh",
        instrument_code=cycle_current.instrument_code,
        province=aceh,
    )
    users = {
        "coordinator": coordinator,
        "operator": cast.operator,
        "assessor": assessor,
        "regional_admin": cast.regional_admin,
        "aceh_admin": aceh_admin,
        "verifier": verifier,
    }

    def assessment(government: Any, unit_code: str, kind: str) -> Assessment:
        return Assessment.objects.select_related("cycle").get(
            cycle=cycle_current,
            service_unit__government=government,
            service_unit__code=unit_code,
            kind=kind,
        )

    langkat_self = assessment(langkat, "dinkes", "self")
    langkat_official = assessment(langkat, "dinkes", "official")
    lab_official = assessment(labuhanbatu, "dinkes", "official")
    prepare_assessments([langkat_official, lab_official])
    lab_assessor = persona("pena.labuhanbatu", Role.ASSESSOR, province=sumut)
    AssessorAssignment.objects.create(
        cycle=cycle_current, government=labuhanbatu, assessor=lab_assessor
    )
    lab_evidence = evidence.add_link(
        lab_official, "PR-01", "https://labuhanbatu.example/persyaratan", actor=lab_assessor
    )
    Evidence.objects.filter(pk=lab_evidence.pk).update(confirmed_at=None, confirmed_by=None)
    lab_file = evidence.add_file(
        lab_official,
        "PR-06",
        ContentFile(PDF, name="berita-acara.pdf"),
        actor=lab_assessor,
    )
    lab_comment = comments.add_comment(lab_official, "PR-01", "Belum lengkap", actor=lab_assessor)
    langkat_self_comment = comments.add_comment(
        langkat_self, "PR-06", "Maklumat?", actor=coordinator
    )
    dinsos_self = assessment(langkat, "dinsos", "self")
    dinsos_comment = comments.add_comment(dinsos_self, "PR-06", "Dinsos?", actor=coordinator)
    lab_action = FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu).first()
    langkat_action = FollowUpAction.objects.filter(
        cycle=cycle_2022, government=langkat, service_unit=langkat_dinkes
    ).first()
    dinsos_action = FollowUpAction.objects.filter(
        cycle=cycle_2022, government=langkat, service_unit__code="dinsos"
    ).first()
    lab_product = OmbudsmanProduct.objects.filter(government=labuhanbatu).first()
    lab_dinkes = labuhanbatu.units.get(code="dinkes")
    lab_service = ServiceProduct.objects.filter(unit=lab_dinkes).order_by("pk").first()
    ServiceStandard.objects.create(
        product=lab_service,
        version=1,
        adopted_on=datetime.date(2023, 1, 2),
        status=StandardStatus.PUBLISHED,
        service_pledge="Kami siap melayani",
    )
    lab_response = SurveyResponse.objects.create(
        unit=lab_dinkes,
        cycle=cycle_current,
        kind="skm",
        respondent_id="r-labuhanbatu",
        answers={},
        channel="web",
    )
    lab_operator = persona("op.labuhanbatu", Role.UNIT_OPERATOR, service_unit=lab_dinkes)
    lab_document = locker.add_document(
        lab_dinkes,
        "maklumat_pelayanan",
        actor=lab_operator,
        upload=ContentFile(PDF, name="maklumat.pdf"),
    )
    lab_complaint = Complaint.objects.create(
        unit=lab_dinkes,
        tracking_id="LAB-1",
        channel="walk_in",
        subject="Aduan Labuhanbatu",
        received_on=datetime.date(2026, 1, 5),
        complainant_name="Warga Labuhanbatu",
        source="form",
    )
    lab_invitation = Invitation.objects.create(
        email="calon@labuhanbatukab.go.id",
        full_name="Calon Operator",
        service_unit=lab_dinkes,
        token_hash="0" * 64,
        invited_by=cast.outsider,
        expires_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
    )
    verifier_job = ReportJob.objects.create(
        cycle=cycle_2023, province=sumut, created_by=verifier, status=JobStatus.DONE
    )
    verifier_job.file.save("rapor.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    outsider_notification = Notification.objects.create(
        recipient=cast.outsider, event="verified", title="Terverifikasi", url="/"
    )
    respondent_indicator = next(
        code
        for code, indicator in load_instrument(cycle_current.instrument_code).indicators.items()
        if indicator.answered_per == "respondent"
    )
    # a 2025+ cycle, whose government-level figures are entered per government
    sumut_2025 = Cycle.objects.create(
        year=2025, name="Penilaian 2025", instrument_code="opini-2025", province=sumut
    )
    AssessorAssignment.objects.create(cycle=sumut_2025, government=langkat, assessor=assessor)
    lab_figure = record_government_answer(
        sumut_2025, labuhanbatu, "KM-IKM", 60, actor=cast.regional_admin
    )
    # a PEKPPP cycle beside the Ombudsman's: Labuhanbatu's F-02, Langkat's evaluator
    Cycle.objects.filter(program="pekppp", year=2024, province=sumut).delete()
    pekppp = Cycle.objects.create(
        year=2024, name="PEKPPP 2024", instrument_code="pekppp-2024", province=sumut
    )
    lab_f02 = Assessment.objects.create(cycle=pekppp, service_unit=lab_dinkes, kind="official")
    langkat_f02 = Assessment.objects.create(
        cycle=pekppp, service_unit=langkat_dinkes, kind="official", status="submitted"
    )
    evaluator = persona("eva.langkat", Role.EVALUATOR, province=sumut)
    AssessorAssignment.objects.create(cycle=pekppp, government=langkat, assessor=evaluator)
    users["evaluator"] = evaluator
    ids = {
        "lab_f02": lab_f02.pk,
        "langkat_f02": langkat_f02.pk,
        "year": cycle_current.year,
        "sumut_2025": sumut_2025.pk,
        "lab_figure": lab_figure.pk,
        "langkat_self": langkat_self.pk,
        "langkat_official": langkat_official.pk,
        "lab_official": lab_official.pk,
        "lab_evidence": lab_evidence.pk,
        "lab_file": lab_file.pk,
        "lab_comment": lab_comment.pk,
        "langkat_self_comment": langkat_self_comment.pk,
        "dinsos_comment": dinsos_comment.pk,
        "lab_respondent": lab_official.respondents.order_by("pk").first(),
        "lab_observation": lab_official.product_observations.order_by("pk").first(),
        "respondent_indicator": respondent_indicator,
        "lab_action": lab_action.pk,
        "langkat_action": langkat_action.pk,
        "dinsos_action": dinsos_action.pk,
        "lab_product": lab_product.pk,
        "langkat_unit": langkat_dinkes.pk,
        "lab_unit": lab_dinkes.pk,
        "lab_service": lab_service.pk,
        "lab_response": lab_response.pk,
        "verifier_job": verifier_job.pk,
        "aceh_cycle": aceh_cycle.pk,
        "aceh_government": aceh_government.region_code,
        "aceh_assessor": aceh_assessor.pk,
        "sumut_cycle": cycle_current.pk,
        "langkat_assignment": AssessorAssignment.objects.get(
            cycle=cycle_current, government=langkat, assessor=assessor
        ).pk,
        "outsider": cast.outsider.pk,
        "outsider_notification": outsider_notification.pk,
        "lab_operator_membership": lab_operator.memberships.get().pk,
        "lab_invitation": lab_invitation.pk,
        "lab_complaint": lab_complaint.pk,
        "lab_document": lab_document.pk,
        "coordinator_membership": coordinator.memberships.get().pk,
        "unpublished_snapshot": ResultSnapshot.objects.filter(
            cycle=cycle_2023, government=labuhanbatu
        )
        .first()
        .pk,
    }
    return World(users, ids)


@dataclass(frozen=True)
class Attack:
    name: str
    route: str
    """The URL name attacked (checked against the URL configuration)."""
    attacker: str
    method: str
    url: Any
    data: Any
    status: int
    target: Any = None
    """The row under attack, compared field by field before and after."""
    htmx: bool = False
    says: str = ""
    """Text the refusal must contain (where the status alone would not tell why)."""


def _row(model: Any, key: str) -> Any:
    """The target ``model`` row whose pk is ``w.ids[key]``."""
    return lambda w: model.objects.get(pk=w.ids[key])


ATTACKS = [
    # --- the complaint register: another unit's complaint, or another government's unit -----
    Attack(
        "dispose Labuhanbatu's complaint through Labuhanbatu's register",
        "complaints:detail",
        "operator",
        "POST",
        lambda w: f"/complaints/12.10/dinkes/{w.ids['lab_complaint']}/",
        {"action": "dispose", "forwarded_on": "2026-01-06", "disposition_to": "x"},
        404,
        _row(Complaint, "lab_complaint"),
    ),
    Attack(
        "close Labuhanbatu's complaint through Langkat's own register",
        "complaints:detail",
        "operator",
        "POST",
        lambda w: f"/complaints/12.05/dinkes/{w.ids['lab_complaint']}/",
        {"action": "close", "closed_on": "2026-01-06"},
        404,
        _row(Complaint, "lab_complaint"),
    ),
    Attack(
        "read Labuhanbatu's complainant through Langkat's own register",
        "complaints:detail",
        "coordinator",
        "GET",
        lambda w: f"/complaints/12.05/dinkes/{w.ids['lab_complaint']}/",
        {},
        404,
    ),
    Attack(
        "import an export into Labuhanbatu's register",
        "complaints:upload",
        "operator",
        "POST",
        lambda w: "/complaints/12.10/dinkes/import/",
        {},
        404,
    ),
    Attack(
        "log a complaint in Labuhanbatu's register",
        "complaints:walk_in",
        "operator",
        "POST",
        lambda w: "/complaints/12.10/dinkes/new/",
        {"received_on": "2026-01-05", "channel": "walk_in", "subject": "Palsu"},
        404,
    ),
    # --- the assessment workspace: another government's assessment in the URL ----------------
    Attack(
        "save an answer on Labuhanbatu's assessment",
        "assessments:save_indicator",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/indicators/IN-S1/",
        {"version": "0", "value": "2"},
        404,
        _row(Assessment, "lab_official"),
    ),
    # --- notifications: another person's notification in the URL -----------------------------
    Attack(
        "open another person's notification",
        "notifications:open",
        "coordinator",
        "GET",
        lambda w: f"/notifications/{w.ids['outsider_notification']}/",
        {},
        404,
        _row(Notification, "outsider_notification"),
    ),
    Attack(
        "mark another person's notification read",
        "notifications:mark_read",
        "operator",
        "POST",
        lambda w: f"/notifications/{w.ids['outsider_notification']}/read/",
        {},
        404,
        _row(Notification, "outsider_notification"),
        htmx=True,
    ),
    Attack(
        "save an answer for Labuhanbatu's respondent on Langkat's own assessment",
        "assessments:save_indicator",
        "assessor",
        "POST",
        lambda w: (
            f"/assessments/{w.ids['langkat_official']}/indicators/{w.ids['respondent_indicator']}/"
        ),
        lambda w: {"value": "1", "part": w.ids["lab_respondent"].part_key},
        422,  # the service refuses a part that is not this assessment's (the established 422)
        lambda w: w.ids["lab_respondent"],
        htmx=True,
        says="tidak ada di penilaian ini",
    ),
    Attack(
        "rename Labuhanbatu's respondent through Langkat's own people form",
        "assessments:save_people",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['langkat_official']}/people/",
        lambda w: {
            f"title-{w.ids['lab_respondent'].pk}": "Diganti",
            f"seen-{w.ids['lab_observation'].pk}": "1",
            f"physical-{w.ids['lab_observation'].pk}": "1",
        },
        302,  # the form of one's own assessment: foreign ids in it are ignored
        lambda w: w.ids["lab_respondent"],
    ),
    Attack(
        "people form of Labuhanbatu's assessment",
        "assessments:save_people",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/people/",
        lambda w: {f"title-{w.ids['lab_respondent'].pk}": "Diganti"},
        404,
        lambda w: w.ids["lab_respondent"],
    ),
    Attack(
        "add evidence to Labuhanbatu's assessment",
        "assessments:add_evidence",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/indicators/PR-01/evidence/",
        {"url": "https://example.org/palsu"},
        404,
    ),
    Attack(
        "carry evidence forward on Labuhanbatu's assessment",
        "assessments:carry_evidence",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/indicators/PR-06/evidence/carry/",
        {},
        404,
    ),
    Attack(
        "confirm Labuhanbatu's evidence through Langkat's own assessment",
        "assessments:confirm_evidence",
        "assessor",
        "POST",
        lambda w: (
            f"/assessments/{w.ids['langkat_official']}/evidence/{w.ids['lab_evidence']}/confirm/"
        ),
        {},
        404,
        _row(Evidence, "lab_evidence"),
    ),
    Attack(
        "confirm Labuhanbatu's evidence on its own assessment",
        "assessments:confirm_evidence",
        "coordinator",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/evidence/{w.ids['lab_evidence']}/confirm/",
        {},
        404,
        _row(Evidence, "lab_evidence"),
    ),
    Attack(
        "withdraw Labuhanbatu's evidence through Langkat's own assessment",
        "assessments:remove_evidence",
        "operator",
        "POST",
        lambda w: f"/assessments/{w.ids['langkat_self']}/evidence/{w.ids['lab_file']}/remove/",
        {"reason": "salah"},
        404,
        _row(Evidence, "lab_file"),
    ),
    Attack(
        "reply, on Langkat's own assessment, to Labuhanbatu's comment",
        "assessments:add_comment",
        "operator",
        "POST",
        lambda w: f"/assessments/{w.ids['langkat_self']}/indicators/PR-01/comments/",
        lambda w: {"body": "Balasan", "parent": w.ids["lab_comment"]},
        404,
        _row(Comment, "lab_comment"),
    ),
    Attack(
        "comment on Labuhanbatu's assessment",
        "assessments:add_comment",
        "coordinator",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/indicators/PR-01/comments/",
        {"body": "Halo"},
        404,
    ),
    Attack(
        "resolve Labuhanbatu's comment through Langkat's own assessment",
        "assessments:resolve_comment",
        "operator",
        "POST",
        lambda w: f"/assessments/{w.ids['langkat_self']}/comments/{w.ids['lab_comment']}/resolve/",
        {"resolved": "1"},
        404,
        _row(Comment, "lab_comment"),
    ),
    Attack(
        "resolve Dinas Sosial's comment through Dinas Kesehatan's assessment",
        "assessments:resolve_comment",
        "operator",
        "POST",
        lambda w: (
            f"/assessments/{w.ids['langkat_self']}/comments/{w.ids['dinsos_comment']}/resolve/"
        ),
        {"resolved": "1"},
        404,
        _row(Comment, "dinsos_comment"),
    ),
    Attack(
        "submit Labuhanbatu's assessment",
        "assessments:submit",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/submit/",
        {},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "write perception answers into Labuhanbatu's assessment",
        "assessments:apply_perception",
        "assessor",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/apply-perception/",
        {},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "drop Langkat's assessment from Aceh's office",
        "assessments:transition",
        "aceh_admin",
        "POST",
        lambda w: f"/assessments/{w.ids['langkat_official']}/workflow/drop/",
        {"reason": "x"},
        404,
        _row(Assessment, "langkat_official"),
    ),
    Attack(
        "send Labuhanbatu's assessment back to draft",
        "assessments:transition",
        "coordinator",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/workflow/return_to_draft/",
        {"reason": "x"},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "request changes on Labuhanbatu's assessment",
        "assessments:request_changes",
        "coordinator",
        "POST",
        lambda w: f"/assessments/{w.ids['lab_official']}/indicators/IN-S1/request-changes/",
        {"note": "x"},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "publish Labuhanbatu's results",
        "assessments:government_transition",
        "coordinator",
        "POST",
        lambda w: f"/cycles/{w.ids['year']}/governments/12.10/workflow/publish/",
        {},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "publish Labuhanbatu's PEKPPP results",
        "assessments:pekppp_government_transition",
        "coordinator",
        "POST",
        lambda w: "/pekppp/2024/governments/12.10/workflow/publish/",
        {},
        404,
        _row(Assessment, "lab_f02"),
    ),
    Attack(
        "an evaluator verifies the F-02 it scored",
        "assessments:pekppp_government_transition",
        "evaluator",
        "POST",
        lambda w: "/pekppp/2024/governments/12.05/workflow/verify/",
        {},
        403,
        _row(Assessment, "langkat_f02"),
    ),
    Attack(
        "verify Langkat's assessments from Aceh's office",
        "assessments:government_transition",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/{w.ids['year']}/governments/12.05/workflow/verify/",
        {},
        404,
        _row(Assessment, "langkat_official"),
    ),
    # --- government-level figures of a 2025+ cycle: another government, another province ---
    Attack(
        "change Labuhanbatu's trust index as Langkat's assessor",
        "assessments:government_data",
        "assessor",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/governments/12.10/data/",
        {"action": "save", "indicator": "KM-IKM", "value": "99", "version": "1"},
        404,
        _row(GovernmentAnswer, "lab_figure"),
    ),
    Attack(
        "clear Labuhanbatu's trust index as Langkat's coordinator",
        "assessments:government_data",
        "coordinator",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/governments/12.10/data/",
        {"action": "clear", "indicator": "KM-IKM", "reason": "x"},
        404,
        _row(GovernmentAnswer, "lab_figure"),
        htmx=True,
    ),
    Attack(
        "change Labuhanbatu's trust index from Aceh's office",
        "assessments:government_data",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/governments/12.10/data/",
        {"action": "save", "indicator": "KM-IKM", "value": "99", "version": "1"},
        404,
        _row(GovernmentAnswer, "lab_figure"),
    ),
    Attack(
        "import figures into Sumatera Utara's cycle from Aceh's office",
        "assessments:government_data_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/government-data/",
        {"step": "confirm", "payload": "x"},
        404,
        _row(GovernmentAnswer, "lab_figure"),
    ),
    Attack(
        "download Sumatera Utara's figure template from Aceh's office",
        "assessments:government_data_template",
        "aceh_admin",
        "GET",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/government-data/template.csv",
        {},
        404,
    ),
    Attack(
        "download Sumatera Utara's figures as Langkat's coordinator",
        "assessments:government_data_export",
        "coordinator",
        "GET",
        lambda w: f"/cycles/manage/{w.ids['sumut_2025']}/government-data/export.csv",
        {},
        403,  # the cycle is visible to the coordinator; its file is the managers'
    ),
    # --- running a cycle: another province's cycle, government, unit, assignment, assessor --
    Attack(
        "run a campaign in Aceh's cycle from Sumatera Utara's office",
        "assessments:manage_cycle",
        "regional_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/",
        {"action": "campaign", "kind": "official"},
        404,
        _row(Cycle, "aceh_cycle"),
    ),
    Attack(
        "change Sumatera Utara's stage dates from Aceh's office",
        "assessments:manage_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_cycle']}/",
        {"action": "dates", "starts-self_assessment": "2020-01-01", "reason": "x"},
        404,
        _row(Cycle, "sumut_cycle"),
    ),
    Attack(
        "unassign Langkat's assessor through Aceh's cycle",
        "assessments:manage_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/",
        lambda w: {"action": "unassign", "assignment": w.ids["langkat_assignment"], "reason": "x"},
        404,
        _row(AssessorAssignment, "langkat_assignment"),
    ),
    Attack(
        "add Langkat's unit to Aceh's campaign",
        "assessments:manage_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/",
        lambda w: {"action": "add_unit", "unit": w.ids["langkat_unit"], "reason": "x"},
        404,
    ),
    Attack(
        "choose the sites of Aceh's cycle from Sumatera Utara's office",
        "assessments:cycle_sites",
        "regional_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/sites/",
        lambda w: {"unit": [w.ids["langkat_unit"]], "government": ["12.05"]},
        404,
        _row(Cycle, "aceh_cycle"),
    ),
    Attack(
        "choose Langkat's unit as a site of Aceh's cycle",
        "assessments:cycle_sites",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/sites/",
        lambda w: {"unit": [w.ids["langkat_unit"]], "reason": "x"},
        404,
    ),
    Attack(
        "choose Langkat as a site of Aceh's cycle",
        "assessments:cycle_sites",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/sites/",
        {"government": ["12.05"], "reason": "x"},
        404,
    ),
    Attack(
        "extend a window for Langkat through Aceh's cycle",
        "assessments:manage_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/",
        {
            "action": "override",
            "stage": "self_assessment",
            "open_until": "2099-12-31",
            "government": "12.05",
            "reason": "x",
        },
        404,
    ),
    Attack(
        "assign an assessor to Langkat through Aceh's cycle",
        "assessments:manage_cycle",
        "aceh_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['aceh_cycle']}/",
        lambda w: {"action": "assign", "government": "12.05", "assessor": w.ids["aceh_assessor"]},
        404,
    ),
    Attack(
        "assign Aceh's assessor in Sumatera Utara's cycle",
        "assessments:manage_cycle",
        "regional_admin",
        "POST",
        lambda w: f"/cycles/manage/{w.ids['sumut_cycle']}/",
        lambda w: {"action": "assign", "government": "12.10", "assessor": w.ids["aceh_assessor"]},
        302,  # the page says "not an assessor of this cycle's region"; nothing is assigned
    ),
    Attack(
        "open a cycle for Aceh from Sumatera Utara's office",
        "assessments:open_cycle",
        "regional_admin",
        "POST",
        lambda w: "/cycles/new/",
        lambda w: {"year": "2031", "instrument": "ombudsman-2025", "province": "11"},
        403,
    ),
    # --- follow-up: another government's action, owner or product ---------------------------
    Attack(
        "start Labuhanbatu's action through Langkat's follow-up page",
        "followup:page",
        "coordinator",
        "POST",
        lambda w: "/cycles/2022/governments/12.05/follow-up/",
        lambda w: {"action": "start", "id": w.ids["lab_action"]},
        404,
        _row(FollowUpAction, "lab_action"),
    ),
    Attack(
        "complete Labuhanbatu's action on its own page",
        "followup:page",
        "coordinator",
        "POST",
        lambda w: "/cycles/2022/governments/12.10/follow-up/",
        lambda w: {
            "action": "complete",
            "id": w.ids["lab_action"],
            "note": "x",
            "url": "https://x.id",
        },
        404,
        _row(FollowUpAction, "lab_action"),
    ),
    Attack(
        "give Langkat's action to Labuhanbatu's coordinator",
        "followup:page",
        "coordinator",
        "POST",
        lambda w: "/cycles/2022/governments/12.05/follow-up/",
        lambda w: {"action": "assign", "id": w.ids["langkat_action"], "owner": w.ids["outsider"]},
        404,
        _row(FollowUpAction, "langkat_action"),
    ),
    Attack(
        "complete Dinas Sosial's action as Dinas Kesehatan's operator",
        "followup:page",
        "operator",
        "POST",
        lambda w: "/cycles/2022/governments/12.05/follow-up/",
        lambda w: {
            "action": "complete",
            "id": w.ids["dinsos_action"],
            "note": "x",
            "url": "https://x.id",
        },
        404,
        _row(FollowUpAction, "dinsos_action"),
    ),
    Attack(
        "judge Labuhanbatu's Ombudsman product through Langkat's page",
        "followup:page",
        "regional_admin",
        "POST",
        lambda w: "/cycles/2022/governments/12.05/follow-up/",
        lambda w: {"action": "product_status", "id": w.ids["lab_product"], "status": "followed_up"},
        404,
        _row(OmbudsmanProduct, "lab_product"),
    ),
    # --- service standards: another unit's product or version -------------------------------
    Attack(
        "save a standard for Labuhanbatu's product under Langkat's unit",
        "standards:edit",
        "operator",
        "POST",
        lambda w: f"/units/{w.ids['langkat_unit']}/standards/{w.ids['lab_service']}/",
        {"adopted_on": "2026-01-02", "revision": "0", "a": "Persyaratan"},
        404,
        _row(ServiceProduct, "lab_service"),
    ),
    Attack(
        "save a standard of Labuhanbatu's unit",
        "standards:edit",
        "operator",
        "POST",
        lambda w: f"/units/{w.ids['lab_unit']}/standards/{w.ids['lab_service']}/",
        {"adopted_on": "2026-01-02", "revision": "0", "a": "Persyaratan"},
        404,
    ),
    Attack(
        "start a new version of Labuhanbatu's standard under Langkat's unit",
        "standards:new_version",
        "operator",
        "POST",
        lambda w: f"/units/{w.ids['langkat_unit']}/standards/{w.ids['lab_service']}/new-version/",
        {},
        404,
    ),
    Attack(
        "read a version of Labuhanbatu's standard under Langkat's unit",
        "standards:version",
        "operator",
        "GET",
        lambda w: f"/units/{w.ids['langkat_unit']}/standards/{w.ids['lab_service']}/versions/1/",
        {},
        404,
    ),
    # --- surveys: another unit's response ---------------------------------------------------
    Attack(
        "void Labuhanbatu's survey response through Langkat's list",
        "surveys:responses",
        "assessor",
        "POST",
        lambda w: "/survei/12.05/dinkes/jawaban/",
        lambda w: {"id": w.ids["lab_response"], "reason": "palsu"},
        404,
        _row(SurveyResponse, "lab_response"),
    ),
    Attack(
        "void Labuhanbatu's survey response on its own list",
        "surveys:responses",
        "assessor",
        "POST",
        lambda w: "/survei/12.10/dinkes/jawaban/",
        lambda w: {"id": w.ids["lab_response"], "reason": "palsu"},
        404,
        _row(SurveyResponse, "lab_response"),
    ),
    # --- report jobs: another province's cycle, another user's job ---------------------------
    Attack(
        "queue a rapor batch for Aceh's cycle from Sumatera Utara's office",
        "reports:queue_batch",
        "regional_admin",
        "POST",
        lambda w: f"/cycles/{w.ids['year']}/rapor-batch/",
        lambda w: {"cycle": w.ids["aceh_cycle"]},
        404,
    ),
    Attack(
        "see the verifier's job from Aceh's office",
        "reports:job",
        "aceh_admin",
        "GET",
        lambda w: f"/jobs/{w.ids['verifier_job']}/",
        {},
        404,
    ),
    Attack(
        "follow the verifier's job as Langkat's coordinator",
        "reports:job_progress",
        "coordinator",
        "GET",
        lambda w: f"/jobs/{w.ids['verifier_job']}/progress/",
        {},
        404,
    ),
    Attack(
        "download the verifier's job as Langkat's assessor",
        "reports:job_download",
        "assessor",
        "GET",
        lambda w: f"/jobs/{w.ids['verifier_job']}/download/",
        {},
        404,
    ),
    # --- the REST API: the same ids in its URLs and JSON bodies -------------------------------
    Attack(
        "API: save an answer on Labuhanbatu's assessment",
        "api:answer-detail",
        "assessor",
        "PUT",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/answers/IN-S1/",
        {"value": 2, "expected_version": 0},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "API: save Labuhanbatu's respondent's part on Langkat's own assessment",
        "api:answer-detail",
        "assessor",
        "PATCH",
        lambda w: (
            f"/api/v1/assessments/{w.ids['langkat_official']}/answers/{w.ids['respondent_indicator']}/"
        ),
        lambda w: {"value": 1, "part": w.ids["lab_respondent"].part_key, "expected_version": 0},
        400,  # the API's validation error, naming the part
        lambda w: w.ids["lab_respondent"],
        says='"part"',
    ),
    Attack(
        "API: list the answers of Labuhanbatu's assessment",
        "api:answer-list",
        "coordinator",
        "GET",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/answers/",
        {},
        404,
    ),
    Attack(
        "API: read Labuhanbatu's assessment",
        "api:assessment-detail",
        "coordinator",
        "GET",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/",
        {},
        404,
    ),
    Attack(
        "API: submit Labuhanbatu's assessment",
        "api:assessment-submit",
        "assessor",
        "POST",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/submit/",
        {},
        404,
        _row(Assessment, "lab_official"),
    ),
    Attack(
        "API: read the result of Labuhanbatu's assessment",
        "api:assessment-result",
        "operator",
        "GET",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/result/",
        {},
        404,
    ),
    Attack(
        "API: add evidence to Labuhanbatu's assessment",
        "api:evidence-list",
        "assessor",
        "POST",
        lambda w: f"/api/v1/assessments/{w.ids['lab_official']}/evidence/",
        {"indicator_code": "PR-01", "url": "https://example.org/palsu"},
        404,
    ),
    Attack(
        "API: withdraw Labuhanbatu's evidence through Langkat's own assessment",
        "api:evidence-withdraw",
        "operator",
        "POST",
        lambda w: (
            f"/api/v1/assessments/{w.ids['langkat_self']}/evidence/{w.ids['lab_file']}/withdraw/"
        ),
        {"reason": "salah"},
        404,
        _row(Evidence, "lab_file"),
    ),
    Attack(
        "API: read Labuhanbatu's evidence through Langkat's own assessment",
        "api:evidence-detail",
        "operator",
        "GET",
        lambda w: f"/api/v1/assessments/{w.ids['langkat_self']}/evidence/{w.ids['lab_file']}/",
        {},
        404,
    ),
    Attack(
        "API: download Labuhanbatu's evidence through Langkat's own assessment",
        "api:evidence-file",
        "operator",
        "GET",
        lambda w: f"/api/v1/assessments/{w.ids['langkat_self']}/evidence/{w.ids['lab_file']}/file/",
        {},
        404,
    ),
    Attack(
        "API: read Labuhanbatu",
        "api:government-detail",
        "coordinator",
        "GET",
        lambda w: "/api/v1/governments/12.10/",
        {},
        404,
    ),
    Attack(
        "API: read Labuhanbatu's unit",
        "api:unit-detail",
        "coordinator",
        "GET",
        lambda w: f"/api/v1/units/{w.ids['lab_unit']}/",
        {},
        404,
    ),
    Attack(
        "API: read Aceh's cycle from Sumatera Utara's office",
        "api:cycle-detail",
        "regional_admin",
        "GET",
        lambda w: f"/api/v1/cycles/{w.ids['aceh_cycle']}/",
        {},
        404,
    ),
    Attack(
        "API: read Labuhanbatu's survey response",
        "api:surveyresponse-detail",
        "assessor",
        "GET",
        lambda w: f"/api/v1/survey-responses/{w.ids['lab_response']}/",
        {},
        404,
    ),
    Attack(
        "API: read a result that is final but not published",
        "api:result-detail",
        "anonymous",
        "GET",
        lambda w: f"/api/v1/results/{w.ids['unpublished_snapshot']}/",
        {},
        404,
    ),
    Attack(
        "API: the ranking of a year not published",
        "api:ranking-detail",
        "anonymous",
        "GET",
        lambda w: "/api/v1/rankings/2023/",
        {},
        404,
    ),
    Attack(
        "download Labuhanbatu's data export as Langkat's coordinator",
        "orgs:government_export",
        "coordinator",
        "GET",
        lambda w: "/governments/12.10/export/",
        {},
        404,
    ),
    # --- operators: another government's page, unit, membership or invitation --------------
    Attack(
        "invite an operator on Labuhanbatu's page",
        "operators",
        "coordinator",
        "POST",
        lambda w: "/accounts/operators/12.10/",
        lambda w: {
            "action": "invite",
            "unit": w.ids["lab_unit"],
            "full_name": "Palsu",
            "email": "palsu@example.org",
        },
        404,
    ),
    Attack(
        "invite into Labuhanbatu's unit through Langkat's page",
        "operators",
        "coordinator",
        "POST",
        lambda w: "/accounts/operators/12.05/",
        lambda w: {
            "action": "invite",
            "unit": w.ids["lab_unit"],
            "full_name": "Palsu",
            "email": "palsu@example.org",
        },
        200,  # the form names the unit as not a valid choice; nothing is written
    ),
    Attack(
        "remove Labuhanbatu's operator through Langkat's page",
        "operators",
        "coordinator",
        "POST",
        lambda w: "/accounts/operators/12.05/",
        lambda w: {"action": "remove", "id": w.ids["lab_operator_membership"]},
        404,
        _row(Membership, "lab_operator_membership"),
    ),
    Attack(
        "withdraw Labuhanbatu's invitation through Langkat's page",
        "operators",
        "coordinator",
        "POST",
        lambda w: "/accounts/operators/12.05/",
        lambda w: {"action": "revoke", "id": w.ids["lab_invitation"]},
        404,
        _row(Invitation, "lab_invitation"),
    ),
    Attack(
        "remove Langkat's coordinator as Dinas Kesehatan's operator",
        "operators",
        "operator",
        "POST",
        lambda w: "/accounts/operators/12.05/",
        lambda w: {"action": "remove", "id": w.ids["coordinator_membership"]},
        403,
        _row(Membership, "coordinator_membership"),
    ),
    Attack(
        "download Labuhanbatu's operator sheet",
        "operators_sheet",
        "coordinator",
        "GET",
        lambda w: "/accounts/operators/12.10/operator.xlsx",
        {},
        404,
    ),
    # --- the unit document locker ------------------------------------------------------------
    Attack(
        "upload a document to Labuhanbatu's unit",
        "locker:unit_documents",
        "coordinator",
        "POST",
        lambda w: f"/units/{w.ids['lab_unit']}/documents/",
        {"kind": "maklumat_pelayanan", "url": "https://example.org/palsu"},
        404,
    ),
    Attack(
        "withdraw Labuhanbatu's document through Langkat's own unit",
        "locker:remove_document",
        "operator",
        "POST",
        lambda w: f"/units/{w.ids['langkat_unit']}/documents/{w.ids['lab_document']}/remove/",
        {"reason": "salah"},
        404,
        _row(UnitDocument, "lab_document"),
    ),
    Attack(
        "replace Labuhanbatu's document",
        "locker:replace_document",
        "coordinator",
        "POST",
        lambda w: f"/units/{w.ids['lab_unit']}/documents/{w.ids['lab_document']}/replace/",
        {"url": "https://example.org/palsu"},
        404,
        _row(UnitDocument, "lab_document"),
    ),
    Attack(
        "download Labuhanbatu's unit document",
        "locker:document_file",
        "operator",
        "GET",
        lambda w: f"/unit-documents/{w.ids['lab_document']}/",
        {},
        404,
    ),
    # --- files: another government's evidence and proof -------------------------------------
    Attack(
        "download Labuhanbatu's evidence",
        "assessments:evidence_file",
        "coordinator",
        "GET",
        lambda w: f"/evidence/{w.ids['lab_file']}/",
        {},
        404,
    ),
    Attack(
        "download Labuhanbatu's follow-up proof",
        "followup:proof",
        "coordinator",
        "GET",
        lambda w: f"/follow-up/proof/{w.ids['lab_action']}/",
        {},
        404,
    ),
]


def _snapshot(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    row.refresh_from_db()
    return model_to_dict(row)


@pytest.mark.parametrize("attack", ATTACKS, ids=lambda attack: attack.name)
def test_pointing_a_request_at_another_governments_object_fails_and_changes_nothing(
    world: World, attack: Attack
) -> None:
    client = world.client(attack.attacker)  # (logging in is audited: before the count)
    target = attack.target(world) if attack.target else None
    before, row_before = fingerprint(), _snapshot(target)
    url = attack.url(world)
    data = attack.data(world) if callable(attack.data) else attack.data
    headers = {"HTTP_HX_REQUEST": "true"} if attack.htmx else {}
    if attack.method == "GET":
        response = client.get(url, **headers)
    elif attack.method == "POST":
        response = client.post(url, data, **headers)
    else:  # the API's PUT and PATCH, with a JSON body
        response = client.generic(
            attack.method, url, json.dumps(data), content_type="application/json"
        )
    assert response.status_code == attack.status, (attack.name, url)
    if attack.says:
        assert attack.says in response.content.decode(), response.content.decode()[:500]
    if response.status_code == 302:
        assert not response["Location"].startswith("/accounts/login/")
    assert fingerprint() == before, attack.name
    assert _snapshot(target) == row_before, attack.name


def test_the_attackers_reach_their_own_objects(world: World) -> None:
    """The same users, on their own objects, get through: the 404s above are about the ids."""
    ids = world.ids
    cases = [
        ("assessor", f"/assessments/{ids['langkat_official']}/indicators/IN-S1/", {"value": "2"}),
        ("assessor", f"/assessments/{ids['langkat_official']}/people/", {}),
        (
            "operator",
            f"/assessments/{ids['langkat_self']}/comments/{ids['langkat_self_comment']}/resolve/",
            {"resolved": "1"},
        ),
        (
            "coordinator",
            "/cycles/2022/governments/12.05/follow-up/",
            {"action": "start", "id": ids["langkat_action"]},
        ),
        ("regional_admin", f"/cycles/manage/{ids['sumut_cycle']}/", {"action": "campaign"}),
        (
            "assessor",
            f"/cycles/manage/{ids['sumut_2025']}/governments/12.05/data/",
            {"action": "save", "indicator": "KM-IKM", "value": "70", "version": "0"},
        ),
        ("aceh_admin", f"/cycles/manage/{ids['aceh_cycle']}/", {"action": "campaign"}),
    ]
    for role, url, data in cases:
        response = world.client(role).post(url, data)
        assert response.status_code == 302, (role, url)
        assert not response["Location"].startswith("/accounts/login/")
    assert world.client("verifier").get(f"/jobs/{ids['verifier_job']}/").status_code == 200


POST_ROUTES_WITHOUT_OBJECT_IDS = {
    "surveys:form",  # the public survey form: a unit in the URL, no other object
    "set_language",
    # the account pages act on the signed-in (or half signed-in) user, from the session
    "login",
    "login_code",
    "logout",
    "password_change",
    "two_factor",
    "two_factor_disable",
    "two_factor_recovery_codes",
    "api:token",  # creates or revokes the signed-in user's own token
    "password_reset",  # an e-mail address in the body; the answer never says whose
    # the account's id in the URL is bound to a token signed with its password hash
    "password_reset_confirm",
    "invitation",  # the URL's token is the credential (only its SHA-256 is stored)
    # the signed-in user's own notifications and settings, from the session
    "notifications:mark_all_read",
    "notifications:preferences",
    "notifications:unsubscribe",  # the URL's signed token names the user and the event
}
READ_ONLY_ROUTES = {
    "home",
    "healthz",
    "password_reset_done",
    "password_reset_complete",
    "assessments:cycle",
    "assessments:government",
    "assessments:readiness",
    "assessments:compare",
    "assessments:pekppp_cycle",
    "assessments:pekppp_government",
    "assessments:pekppp_readiness",
    "assessments:pekppp_compare",
    "assessments:assessment",
    "assessments:result_panel",
    "assessments:history",
    "assessments:evidence_thumbnail",  # GET; in test_download_authorization.py
    "standards:unit",
    "locker:document_thumbnail",  # GET; in test_evidence_locker.py
    "locker:comparison",  # GET; in test_evidence_locker.py
    "standards:public_unit",
    "standards:public_print",
    "results:search",
    "results:ranking",
    "results:result",
    "results:trend",  # public: published figures and published snapshots only
    "results:pekppp_ranking",  # public: published PEKPPP snapshots; test_pekppp_public.py
    "results:pekppp_result",
    "reports:rapor",
    "reports:export",
    "reports:pekppp_rapor",  # GET; in test_pekppp_outputs.py
    "reports:pekppp_export",  # GET; in test_pekppp_outputs.py
    "reports:cycle_dashboard",
    "reports:unit_dashboard",
    "reports:government_dashboard",
    "surveys:home",
    "surveys:results",
    "notifications:inbox",  # the signed-in user's own notifications
    "surveys:poster",
    # GET pages listing a unit's or a government's register, found through for_user
    "complaints:register",
    "complaints:government",
    # the API's lists, root, schema and reference: filtered by for_user, no id to change
    "api:root",
    "api:schema",
    "api:docs",
    "api:government-list",
    "api:unit-list",
    "api:cycle-list",
    "api:assessment-list",
    "api:surveyresponse-list",
    "api:result-list",
    "api:ranking-list",
    "api:not-found",
}
"""GET pages; their scoping is the URL × role matrix of test_workspace_authorization.py and
test_download_authorization.py."""


def test_every_route_is_attacked_here_or_known_to_take_no_object_id():
    from django.urls import get_resolver

    names = set()

    def walk(patterns: Any, namespace: str = "") -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    # /api/ serves the very views of /api/v1/ (api:), checked in test_api_versions.py
    names = {name for name in names if not name.startswith(("admin:", "api-unversioned:"))}
    attacked = {attack.route for attack in ATTACKS}
    unknown = names - attacked - POST_ROUTES_WITHOUT_OBJECT_IDS - READ_ONLY_ROUTES
    assert not unknown, f"routes with no IDOR test: {sorted(unknown)}"
