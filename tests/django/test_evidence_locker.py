"""The unit's evidence locker ("Dokumen unit"): a document attached once counts for every
mapped indicator of the Ombudsman and PEKPPP instruments, and the coordinator's comparison
page shows where the same fact was scored differently."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from personas import PDF, Cast, png

from patuh.assessments.models import Answer, Assessment, Cycle
from patuh.assessments.services import assessment_kinds
from patuh.core.models import AuditEvent
from patuh.locker import services
from patuh.locker.models import UnitDocument

ROLES = (
    "anonymous",
    "national_admin",
    "regional_admin",
    "other_regional_admin",
    "assessor",
    "unassigned_assessor",
    "verifier",
    "coordinator",
    "outsider",
    "operator",
    "other_unit_operator",
)
READERS = {"national_admin", "regional_admin", "assessor", "verifier", "coordinator", "operator"}
WRITERS = {"national_admin", "coordinator", "operator"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def dinsos(cast: Cast):
    return cast.langkat.units.get(code="dinsos")


@pytest.fixture
def pekppp(cast: Cast, dinsos) -> Assessment:
    """A PEKPPP 2024 evaluation of Sumatera Utara with the self-assessment of Langkat's
    Dinas Sosial."""
    # the demo's own PEKPPP 2024 cycle of North Sumatra gives way to this one
    Cycle.objects.filter(program="pekppp", year=2024, province=cast.sumut).delete()
    cycle = Cycle.objects.create(
        year=2024,
        name="PEKPPP 2024 Sumatera Utara",
        instrument_code="pekppp-2024",
        province=cast.sumut,
    )
    return Assessment.objects.create(cycle=cycle, service_unit=dinsos, kind="self")


def _card(html: str, code: str) -> str:
    """The workspace card of one indicator."""
    match = re.search(rf'id="ind-{re.escape(code)}".*?(?=id="ind-|\Z)', html, re.S)
    assert match, f"no card {code}"
    return match.group(0)


def _pdf(name: str = "maklumat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


# -- the acceptance: one document, both instruments ------------------------------------------


def test_a_document_attached_once_shows_on_its_mapped_indicators_of_both_instruments(
    media, cast: Cast, dinsos, pekppp, login
):
    document = services.add_document(
        dinsos, "maklumat_pelayanan", actor=cast.coordinator, upload=_pdf(), title="Maklumat 2024"
    )
    client = login(cast.coordinator)
    ombudsman = cast.assessment("self", dinsos)
    marker = f'data-unit-document="{document.pk}"'

    page = client.get(f"/assessments/{ombudsman.pk}/").content.decode()
    assert marker in _card(page, "PR-06")
    assert "Dari dokumen unit" in _card(page, "PR-06")
    assert marker not in _card(page, "PR-01")

    official = cast.assessment("official", dinsos)  # the assessor's card shows it too
    page = login(cast.assessor).get(f"/assessments/{official.pk}/").content.decode()
    assert marker in _card(page, "PR-06")

    page = client.get(f"/assessments/{pekppp.pk}/").content.decode()
    assert marker in _card(page, "KP-05")
    assert marker not in _card(page, "KP-01")
    assert f"/unit-documents/{document.pk}/" in _card(page, "KP-05")

    locker = client.get(f"/units/{dinsos.pk}/documents/").content.decode()
    assert f'data-use="{cast.cycle_current.instrument_code}:PR-06"' in locker
    assert 'data-use="pekppp-2024:KP-05"' in locker
    assert "2024" in locker
    # an instrument without a cycle of the unit is listed too
    assert 'data-use="opini-2025:PR-06"' in locker


def test_a_removed_document_leaves_the_cards(media, cast: Cast, dinsos, pekppp, login):
    document = services.add_document(
        dinsos, "maklumat_pelayanan", actor=cast.coordinator, upload=_pdf()
    )
    client = login(cast.coordinator)
    assert (
        f'data-unit-document="{document.pk}"'
        in client.get(f"/assessments/{pekppp.pk}/").content.decode()
    )
    services.remove_document(document, actor=cast.coordinator, reason="Sudah tidak berlaku")
    page = client.get(f"/assessments/{pekppp.pk}/").content.decode()
    assert f'data-unit-document="{document.pk}"' not in page


def test_the_workspace_reads_the_documents_in_one_query_however_many(
    media, cast: Cast, dinsos, login
):
    client = login(cast.coordinator)
    assessment = cast.assessment("self", dinsos)
    services.add_document(
        dinsos, "maklumat_pelayanan", actor=cast.coordinator, url="https://a.example/1"
    )
    client.get(f"/assessments/{assessment.pk}/")
    with CaptureQueriesContext(connection) as one:
        client.get(f"/assessments/{assessment.pk}/")
    for kind in ("sop_pengaduan", "sk_pengelola_pengaduan", "standar_pelayanan"):
        services.add_document(dinsos, kind, actor=cast.coordinator, url=f"https://a.example/{kind}")
    client.get(f"/assessments/{assessment.pk}/")
    with CaptureQueriesContext(connection) as four:
        page = client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert page.count("data-unit-documents") == 4  # PR-06, PG-2, PG-3, IN-S6
    assert len(four) == len(one)
    assert sum("locker_unitdocument" in q["sql"] for q in four.captured_queries) == 1


# -- the page and its permissions ------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_the_locker_page(media, cast: Cast, role):
    users = cast.users(ROLES)
    users["anonymous"] = None
    client = _client(users, role)
    response = client.get(f"/units/{cast.langkat_dinkes.pk}/documents/")
    if role == "anonymous":
        assert response.status_code == 302
    elif role in READERS:
        assert response.status_code == 200
        assert ("data-upload" in response.content.decode()) == (role in WRITERS)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", sorted(set(ROLES) - {"anonymous"}))
def test_who_uploads(media, cast: Cast, role):
    users = cast.users(ROLES)
    client = _client(users, role)  # (signing in is audited: before the count)
    before = AuditEvent.objects.count()
    response = client.post(
        f"/units/{cast.langkat_dinkes.pk}/documents/",
        {"kind": "sop_pengaduan", "file": _pdf("sop.pdf"), "title": "SOP"},
    )
    stored = UnitDocument.objects.filter(service_unit=cast.langkat_dinkes).count()
    if role in WRITERS:
        assert response.status_code == 302
        assert stored == 1
        event = AuditEvent.objects.order_by("pk").last()
        assert event.action == "unit_document.added"
        assert event.new["kind"] == "sop_pengaduan"
        assert event.new["name"] == "sop.pdf"
    else:
        assert response.status_code == (403 if role in READERS else 404)
        assert stored == 0
        assert AuditEvent.objects.count() == before


def _client(users, role):
    from django.test import Client

    client = Client()
    if users.get(role) is not None:
        client.force_login(users[role])
    return client


def test_another_governments_coordinator_cannot_touch_langkats_documents(media, cast: Cast, login):
    document = services.add_document(
        cast.langkat_dinkes, "maklumat_pelayanan", actor=cast.operator, upload=_pdf()
    )
    lab_unit = cast.outsider.memberships.get().government.units.get(code="dinkes")
    client = login(cast.outsider)
    before = AuditEvent.objects.count()
    for url, data in (
        (f"/units/{lab_unit.pk}/documents/{document.pk}/remove/", {"reason": "x"}),
        (f"/units/{cast.langkat_dinkes.pk}/documents/{document.pk}/remove/", {"reason": "x"}),
        (f"/units/{lab_unit.pk}/documents/{document.pk}/replace/", {"url": "https://x.example"}),
        (
            f"/units/{cast.langkat_dinkes.pk}/documents/",
            {"kind": "kode_etik", "url": "https://x.example"},
        ),
    ):
        assert client.post(url, data).status_code == 404, url
    assert client.get(f"/unit-documents/{document.pk}/").status_code == 404
    document.refresh_from_db()
    assert document.removed_at is None
    assert AuditEvent.objects.count() == before
    assert UnitDocument.objects.count() == 1


def test_removing_needs_a_reason_and_is_audited(media, cast: Cast, login):
    document = services.add_document(
        cast.langkat_dinkes, "maklumat_pelayanan", actor=cast.operator, upload=_pdf()
    )
    client = login(cast.operator)
    url = f"/units/{cast.langkat_dinkes.pk}/documents/{document.pk}/remove/"
    client.post(url, {"reason": "  "})
    document.refresh_from_db()
    assert document.removed_at is None
    assert client.post(url, {"reason": "Maklumat baru ditetapkan"}).status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None
    assert document.removed_by == cast.operator
    event = AuditEvent.objects.order_by("pk").last()
    assert (event.action, event.reason) == ("unit_document.removed", "Maklumat baru ditetapkan")
    page = client.get(f"/units/{cast.langkat_dinkes.pk}/documents/").content.decode()
    assert f'data-unit-document="{document.pk}"' not in page
    assert "Maklumat baru ditetapkan" in page  # listed among the withdrawn ones


def test_replacing_keeps_the_old_version_on_record(media, cast: Cast, login):
    old = services.add_document(
        cast.langkat_dinkes, "standar_pelayanan", actor=cast.operator, upload=_pdf("sp-2023.pdf")
    )
    response = login(cast.coordinator).post(
        f"/units/{cast.langkat_dinkes.pk}/documents/{old.pk}/replace/",
        {"file": _pdf("sp-2024.pdf"), "issued_on": "2024-02-01", "valid_until": "2026-02-01"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    new = old.replaced_by
    assert new is not None
    assert (new.kind, new.original_name, str(new.issued_on)) == (
        "standar_pelayanan",
        "sp-2024.pdf",
        "2024-02-01",
    )
    assert old.removed_at is not None
    event = AuditEvent.objects.order_by("pk").last()
    assert event.action == "unit_document.replaced"
    assert event.new["id"] == new.pk


def test_the_upload_checks_of_evidence_apply(media, cast: Cast, login):
    response = login(cast.operator).post(
        f"/units/{cast.langkat_dinkes.pk}/documents/",
        {"kind": "kode_etik", "file": SimpleUploadedFile("x.html", b"<html><script>1</script>")},
    )
    assert response.status_code == 422
    assert "HTML" in response.content.decode()
    assert not UnitDocument.objects.exists()


def test_an_unknown_kind_and_bad_dates_are_refused(media, cast: Cast, login):
    client = login(cast.operator)
    url = f"/units/{cast.langkat_dinkes.pk}/documents/"
    response = client.post(url, {"kind": "surat_cinta", "url": "https://a.example"})
    assert response.status_code == 422
    assert "tidak dikenal" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "kode_etik",
            "url": "https://a.example",
            "issued_on": "2024-05-01",
            "valid_until": "2024-01-01",
        },
    )
    assert response.status_code == 422
    assert not UnitDocument.objects.exists()


def test_a_picture_gets_a_thumbnail_served_inline(media, cast: Cast, login):
    document = services.add_document(
        cast.langkat_dinkes,
        "publikasi_standar_pelayanan",
        actor=cast.operator,
        upload=SimpleUploadedFile("papan.png", png()),
    )
    response = login(cast.assessor).get(f"/unit-documents/{document.pk}/thumbnail/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")


# -- the comparison page -----------------------------------------------------------------------


def _set(assessment: Assessment, code: str, value: int) -> None:
    Answer.objects.update_or_create(
        assessment=assessment, indicator_code=code, defaults={"value": value}
    )


@pytest.fixture
def same_year_pekppp(cast: Cast, dinsos) -> Assessment:
    # one cycle per year and province: beside a regional Ombudsman cycle, a national one
    cycle = Cycle.objects.create(
        year=cast.cycle_current.year,
        name="PEKPPP",
        instrument_code="pekppp-2024",
        province=None if cast.cycle_current.province_id else cast.sumut,
    )
    return Assessment.objects.create(cycle=cycle, service_unit=dinsos, kind="self")


def test_the_comparison_flags_a_fact_scored_differently(
    cast: Cast, dinsos, same_year_pekppp, login
):
    best = assessment_kinds(cast.cycle_current, cast.langkat)[0]
    ombudsman = Assessment.objects.get(cycle=cast.cycle_current, service_unit=dinsos, kind=best)
    _set(ombudsman, "PG-2", 0)  # no SOP pengaduan, says the Ombudsman
    Answer.objects.filter(assessment=ombudsman, indicator_code="IN-S6").delete()
    _set(same_year_pekppp, "KS-01", 5)  # full marks for the complaint desk, says PEKPPP
    page = login(cast.coordinator).get(
        f"/cycles/{cast.cycle_current.year}/governments/12.05/perbandingan/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    rows = re.findall(r'<tr data-fact="sop_pengaduan"[^>]*>.*?</tr>', html, re.S)
    dinsos_row = next(row for row in rows if dinsos.name in row)
    assert "data-disagrees" in dinsos_row
    assert "1,00" in dinsos_row
    assert "0,34" in html  # the threshold, from the vocabulary
    assert "data-missing-pekppp" not in html
    instruments = re.search(r"<p[^>]*data-programme-instruments>.*?</p>", html, re.S).group(0)
    assert "sementara" in instruments  # PEKPPP 2024's weights are provisional
    # a fact neither side has scored is left out
    assert 'data-fact="standar_pelayanan"' not in html


def test_self_vs_official_lists_the_gaps(cast: Cast, dinsos, login):
    kinds = assessment_kinds(cast.cycle_current, cast.langkat)
    assert "self" in kinds
    other = "official" if "official" in kinds else "pre_evaluation"
    mine = Assessment.objects.get(cycle=cast.cycle_current, service_unit=dinsos, kind="self")
    theirs = Assessment.objects.get(cycle=cast.cycle_current, service_unit=dinsos, kind=other)
    _set(mine, "PG-2", 3)
    _set(theirs, "PG-2", 0)
    html = (
        login(cast.coordinator)
        .get(f"/cycles/{cast.cycle_current.year}/governments/12.05/perbandingan/")
        .content.decode()
    )
    row = next(
        r for r in re.findall(r'<tr data-gap="PG-2">.*?</tr>', html, re.S) if dinsos.name in r
    )
    assert "1,00" in row
    # only an Ombudsman cycle this year: PEKPPP is said to be missing
    assert "data-missing-pekppp" in html


def test_with_only_a_pekppp_cycle_the_ombudsman_side_is_missing(cast: Cast, pekppp, login):
    html = (
        login(cast.coordinator).get("/cycles/2024/governments/12.05/perbandingan/").content.decode()
    )
    assert "data-missing-ombudsman" in html
    assert "Penilaian resmi (penilai/evaluator) belum ada." in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("regional_admin", 200),
        ("assessor", 200),
        ("verifier", 200),
        ("national_admin", 200),
        ("operator", 403),
        ("outsider", 404),
        ("other_regional_admin", 404),
        ("anonymous", 302),
    ],
)
def test_who_sees_the_comparison(cast: Cast, role, status):
    users = cast.users(ROLES)
    response = _client(users, role).get(
        f"/cycles/{cast.cycle_current.year}/governments/12.05/perbandingan/"
    )
    assert response.status_code == status


def test_the_workspace_and_the_government_page_link_to_the_new_pages(cast: Cast, login):
    assessment = cast.assessment("self")
    page = login(cast.operator).get(f"/assessments/{assessment.pk}/").content.decode()
    assert f'href="/units/{cast.langkat_dinkes.pk}/documents/" data-locker-link' in page
    coordinator_page = login(cast.coordinator).get("/cycles/2023/governments/12.05/")
    assert "/cycles/2023/governments/12.05/perbandingan/" in coordinator_page.content.decode()
    operator_page = login(cast.operator).get("/cycles/2023/governments/12.05/")
    if operator_page.status_code == 200:
        assert "data-comparison-link" not in operator_page.content.decode()
