"""Follow-up of a published rapor (Labuhanbatu 2022 in the demo) and Ombudsman products."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from patuh.assessments.models import Assessment, Cycle
from patuh.assessments.services import score_assessments
from patuh.core.models import AuditEvent
from patuh.followup import services
from patuh.followup.models import ActionStatus, FollowUpAction, OmbudsmanProduct
from patuh.scoring import load_instrument

URL = "/cycles/2022/governments/12.10/follow-up/"


@pytest.fixture
def labuhanbatu_operator(labuhanbatu, django_user_model):
    from patuh.accounts.models import Membership

    user = django_user_model.objects.create_user("oni.labuhanbatu", password="x")
    Membership.objects.create(
        user=user, role="unit_operator", service_unit=labuhanbatu.units.get(code="disdukcapil")
    )
    return user


@pytest.fixture
def an_action(labuhanbatu, cycle_2022):
    return (
        FollowUpAction.objects.filter(
            cycle=cycle_2022, government=labuhanbatu, status=ActionStatus.OPEN
        )
        .filter(service_unit__code="disdukcapil")
        .first()
    )


def test_the_published_rapor_has_one_action_per_indicator_that_lost_points(cycle_2022, labuhanbatu):
    result = score_assessments(cycle_2022, labuhanbatu)
    expected = {(unit.code, item.code) for unit in result.units for item in unit.explanation}
    actions = set(
        FollowUpAction.objects.filter(cycle=cycle_2022, government=labuhanbatu).values_list(
            "service_unit__code", "indicator_code"
        )
    )
    assert actions == expected
    assert (
        FollowUpAction.objects.filter(
            cycle=cycle_2022, government=labuhanbatu, status=ActionStatus.DONE
        ).count()
        == 3
    )


def test_an_operator_completes_an_action_with_proof(
    login, labuhanbatu_operator, an_action, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(labuhanbatu_operator)
    page = client.get(URL).content.decode()
    assert f'id="action-{an_action.pk}"' in page
    refused = client.post(
        URL, {"action": "complete", "id": an_action.pk, "note": "Sudah", "url": ""}, follow=True
    )
    assert "Lampirkan bukti" in refused.content.decode()
    client.post(
        URL,
        {
            "action": "complete",
            "id": an_action.pk,
            "note": "Papan alur dipasang di ruang tunggu",
            "file": SimpleUploadedFile("foto.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    an_action.refresh_from_db()
    assert an_action.status == ActionStatus.DONE
    assert an_action.completed_by == labuhanbatu_operator
    assert an_action.proof_content_type == "application/pdf"
    download = client.get(f"/follow-up/proof/{an_action.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action="follow_up.completed", object_id=str(an_action.pk))
    assert event.old["status"] == "open"
    assert event.new["status"] == "done"


def test_the_coordinator_assigns_and_others_are_refused(
    login, labuhanbatu, an_action, labuhanbatu_operator, outsider, coordinator
):
    # ``outsider`` is Labuhanbatu's coordinator in the test personas
    response = login(outsider).post(
        URL,
        {
            "action": "assign",
            "id": an_action.pk,
            "owner": labuhanbatu_operator.pk,
            "due_on": "2023-03-31",
        },
    )
    assert response.status_code == 302
    an_action.refresh_from_db()
    assert (an_action.owner, an_action.due_on) == (labuhanbatu_operator, datetime.date(2023, 3, 31))
    # an operator may not assign; Langkat's coordinator cannot even see the page
    assert (
        login(labuhanbatu_operator)
        .post(URL, {"action": "assign", "id": an_action.pk, "owner": ""})
        .status_code
        == 403
    )
    assert login(coordinator).get(URL).status_code == 404


def test_an_operator_sees_only_its_units_actions(login, labuhanbatu_operator, labuhanbatu):
    page = login(labuhanbatu_operator).get(URL).content.decode()
    assert 'id="unit-disdukcapil"' in page
    assert 'id="unit-dinkes"' not in page


def test_products_drive_the_2025_suffix(labuhanbatu, regional_admin):
    # the products addressed to Labuhanbatu by the end of 2025 (the demo adds one later)
    products = OmbudsmanProduct.objects.filter(government=labuhanbatu, issued_on__year__lte=2025)
    assert services.products_followed_up([labuhanbatu.pk], datetime.date(2022, 12, 31)) == {
        labuhanbatu.pk: False
    }
    for product in products:
        services.set_product_status(product, "followed_up", actor=regional_admin)
    assert services.products_followed_up([labuhanbatu.pk], datetime.date(2022, 12, 31)) == {
        labuhanbatu.pk: True
    }
    instrument = load_instrument("ombudsman-2025")
    assert instrument.opinion_suffix is not None
    # scoring from the database sets the answers' flag from the recorded products
    cycle = Cycle.objects.create(
        year=2025,
        name="Siklus 2025",
        instrument_code="ombudsman-2025",
        province=labuhanbatu.province,
    )
    unit = labuhanbatu.units.get(code="dinkes")
    Assessment.objects.create(cycle=cycle, service_unit=unit, kind="official")
    result = score_assessments(cycle, labuhanbatu)
    assert result.opinion.endswith(instrument.opinion_suffix.text)
    services.set_product_status(products.first(), "in_progress", actor=regional_admin)
    assert not score_assessments(cycle, labuhanbatu).opinion.endswith(
        instrument.opinion_suffix.text
    )


def test_recording_a_product_needs_the_ombudsman(login, outsider, regional_admin, labuhanbatu):
    data = {
        "action": "record_product",
        "kind": "recommendation",
        "reference": "REK/0001/2022",
        "issued_on": "2022-12-01",
        "subject": "Perbaikan layanan pengaduan",
    }
    assert login(outsider).post(URL, data).status_code == 403
    login(regional_admin).post(URL, data)
    assert OmbudsmanProduct.objects.filter(reference="REK/0001/2022").exists()
    with pytest.raises(ValidationError, match="sudah tercatat"):
        services.record_product(
            labuhanbatu,
            kind="recommendation",
            reference="REK/0001/2022",
            issued_on=datetime.date(2022, 12, 1),
            subject="Lagi",
            actor=regional_admin,
        )


def test_a_malformed_due_date_is_named_and_nothing_changes(login, outsider, an_action):
    response = login(outsider).post(
        URL,
        {"action": "assign", "id": an_action.pk, "owner": "", "due_on": "31/03/2023"},
        follow=True,
    )
    assert "Tenggat: tanggal &#x27;31/03/2023&#x27; tidak valid (format TTTT-BB-HH)." in (
        response.content.decode()
    )
    an_action.refresh_from_db()
    assert an_action.due_on is not None  # the date set at publication is kept


def test_products_decide_the_2023_certificate_and_never_the_score(
    login, verifier, langkat, cycle_2023, regional_admin
):
    assert cycle_2023.instrument_code == "ombudsman-2023"
    url = "/cycles/2023/governments/12.05/"
    until = datetime.date(2023, 12, 31)
    OmbudsmanProduct.objects.filter(government=langkat).delete()
    # nothing recorded: the follow-up state is unknown, so the certificate is not determined
    unknown = score_assessments(cycle_2023, langkat)
    assert unknown.certificate.status == "not_determined"
    client = login(verifier)
    assert 'data-certificate="not_determined"' in client.get(url).content.decode()

    product = services.record_product(
        langkat,
        kind="corrective_action",
        reference="LAHP-0042/2023",
        issued_on=datetime.date(2023, 3, 1),
        subject="Penundaan berlarut penerbitan izin",
        actor=regional_admin,
    )
    assert services.products_followed_up([langkat.pk], until) == {langkat.pk: False}
    withheld = score_assessments(cycle_2023, langkat)
    assert withheld.certificate.status == "withheld"
    assert withheld.score == unknown.score
    assert withheld.opinion == unknown.opinion
    html = client.get(url).content.decode()
    assert "Piagam ditahan: produk Ombudsman belum ditindaklanjuti tuntas" in html

    services.set_product_status(product, "followed_up", actor=regional_admin)
    awarded = score_assessments(cycle_2023, langkat)
    assert awarded.certificate.status == "awarded"
    assert awarded.score == unknown.score
    html = client.get(url).content.decode()
    assert "Piagam: diberikan" in html
    assert "Piagam ditahan" not in html


def test_a_product_issued_after_the_cycle_does_not_withhold_its_certificate(
    langkat, cycle_2023, regional_admin
):
    OmbudsmanProduct.objects.filter(government=langkat).delete()
    services.record_product(
        langkat,
        kind="recommendation",
        reference="REK-0007/2024",
        issued_on=datetime.date(2024, 2, 1),
        subject="Rekomendasi pelayanan administrasi kependudukan",
        actor=regional_admin,
    )
    assert score_assessments(cycle_2023, langkat).certificate.status == "not_determined"


def test_the_follow_up_page_shows_the_2025_compliance_level(login, labuhanbatu, regional_admin):
    """The 2025+ method grades compliance from the recorded products; the page where they
    are recorded says which level they make, how, and that the rule is provisional."""
    cycle = Cycle.objects.create(
        year=2025, name="Siklus 2025", instrument_code="opini-2025", province=labuhanbatu.province
    )
    Assessment.objects.create(
        cycle=cycle, service_unit=labuhanbatu.units.get(code="dinkes"), kind="official"
    )
    # the products counted for 2025: issued by its end (the demo adds one this year)
    products = list(
        OmbudsmanProduct.objects.filter(government=labuhanbatu, issued_on__year__lte=cycle.year)
    )
    assert len(products) >= 2
    for product in products[1:]:
        services.set_product_status(product, "followed_up", actor=regional_admin)
    services.set_product_status(products[0], "in_progress", actor=regional_admin)
    page = login(regional_admin).get("/cycles/2025/governments/12.10/follow-up/")
    html = page.content.decode()
    assert page.status_code == 200
    level = "sedang" if (len(products) - 1) * 2 >= len(products) else "rendah"
    assert f'data-compliance-level="{level}"' in html
    assert f"{len(products) - 1} dari {len(products)} produk" in html
    assert "sementara" in html
    assert "Tanpa akhiran" in html
    services.set_product_status(products[0], "followed_up", actor=regional_admin)
    html = login(regional_admin).get("/cycles/2025/governments/12.10/follow-up/").content.decode()
    assert 'data-compliance-level="tinggi"' in html
    assert "Opini diberi akhiran" in html
