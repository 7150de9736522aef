import datetime

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse

from patuh.accounts import totp
from patuh.accounts.invitations import invite_operator
from patuh.accounts.models import RecoveryCode, TOTPDevice
from patuh.assessments import workflow
from patuh.assessments.campaigns import override_window
from patuh.assessments.comments import add_comment
from patuh.assessments.models import Assessment, Cycle, CycleStage, GovernmentAnswer
from patuh.assessments.services import record_answer
from patuh.locker import services as locker
from patuh.reminders.models import ReminderSent
from patuh.reports.models import ReportJob
from patuh.surveys.models import SurveyResponse

PATUH_APPS = (
    "core",
    "orgs",
    "assessments",
    "accounts",
    "standards",
    "locker",
    "reminders",
    "followup",
    "results",
    "reports",
    "surveys",
    "complaints",
)
MODELS = [model for model in admin.site._registry if model._meta.app_label in (*PATUH_APPS, "auth")]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_patuh_model_is_in_the_admin():
    from django.apps import apps

    for label in PATUH_APPS:
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry, model


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_the_admin_changelist_renders(admin_client, model):
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    searched = admin_client.get(_url(model, "changelist"), {"q": "Langkat"})
    assert searched.status_code == 200


@pytest.mark.parametrize(
    "model", [m for m in MODELS if m._meta.label != "auth.Group"], ids=lambda m: m._meta.label
)
def test_the_admin_detail_page_renders(admin_client, model, langkat_dinkes_2023, assessor):
    # one row of every kind the demo does not hold
    Assessment.objects.filter(pk=langkat_dinkes_2023.pk).update(status="draft")
    langkat_dinkes_2023.refresh_from_db()
    record_answer(langkat_dinkes_2023, "IN-S1", 0, assessor)
    workflow.transition(langkat_dinkes_2023, "submit", actor=assessor)
    workflow.request_changes(langkat_dinkes_2023, [("IN-S1", "Lampirkan SK")], actor=assessor)
    SurveyResponse.objects.create(
        unit=langkat_dinkes_2023.service_unit,
        cycle=langkat_dinkes_2023.cycle,
        kind="skm",
        respondent_id="uji",
        answers={"U1": 4},
        channel="web",
    )
    GovernmentAnswer.objects.get_or_create(
        cycle=langkat_dinkes_2023.cycle,
        government=langkat_dinkes_2023.service_unit.government,
        indicator_code="KM-IKM",
        defaults={"value": 60},
    )
    job = ReportJob.objects.create(cycle=langkat_dinkes_2023.cycle, created_by=assessor, total=1)
    job.log_lines.create(at=job.created_at, message="Dimulai")
    device = TOTPDevice.objects.create(user=assessor, secret=totp.generate_secret())
    RecoveryCode.objects.create(device=device, salt="0" * 32, digest="0" * 64)
    ReminderSent.objects.create(
        stage=CycleStage.objects.first(),
        recipient=assessor,
        days_before=3,
        closes_on=datetime.date(2023, 12, 31),
        assessment_ids=[langkat_dinkes_2023.pk],
    )
    override_window(
        langkat_dinkes_2023.cycle,
        "data_collection",
        open_until=datetime.date(2023, 12, 31),
        reason="Uji",
        actor=assessor,
    )
    add_comment(langkat_dinkes_2023, "IN-S1", "Mohon lampirkan SK.", actor=assessor)
    invite_operator(
        langkat_dinkes_2023.service_unit,
        email="calon@langkatkab.go.id",
        full_name="Calon",
        actor=assessor,
    )
    locker.add_document(
        langkat_dinkes_2023.service_unit,
        "maklumat_pelayanan",
        actor=assessor,
        url="https://langkatkab.go.id/maklumat",
    )
    obj = model.objects.first()
    assert admin_client.get(_url(model, "change", obj.pk)).status_code == 200


def test_a_cycle_with_an_unknown_instrument_is_refused(db):
    cycle = Cycle(year=2030, name="Siklus uji", instrument_code="ombudsman-1999")
    with pytest.raises(ValidationError, match="ombudsman-1999"):
        cycle.full_clean()
