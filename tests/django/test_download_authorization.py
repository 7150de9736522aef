"""Every URL that serves a file × every role: who downloads it (200), who is refused (403),
who must not learn it exists (404), and who is sent to the login page (302).

The files belong to Kabupaten Langkat (12.05) in Sumatera Utara: evidence of its Dinas
Kesehatan's self-assessment and official assessment (a PDF and a picture with its thumbnail)
and of its Dinas Sosial, two documents of its Dinas Kesehatan's locker (a PDF and a picture's
thumbnail), the proof of a follow-up action of its published 2022 rapor, its
rapor (2023 not published yet, 2022 published), the cycle's results workbook, two
background jobs' files (a ZIP of rapor and a workbook), the evidence file through the REST
API and the government's own data export (a ZIP). The public files (the survey poster,
the printable service standard) are there to show what anyone may fetch, and that a draft
standard is not among it.

Every private download that is served must come as an attachment (a thumbnail inline) with
``X-Content-Type-Options: nosniff``, ``Cache-Control: private, no-store`` and a sandboxing
Content-Security-Policy — set by the view itself, not only by the middleware (the last tests
call the views without any middleware).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import personas
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from openpyxl import load_workbook
from personas import PDF, Cast, SignsIn, add_pdf, add_png

from patuh.assessments import workspace_views as workspace
from patuh.assessments.models import Assessment, AssessmentKind, Cycle
from patuh.followup import services as followup
from patuh.followup import views as followup_views
from patuh.followup.models import FollowUpAction
from patuh.locker import services as locker
from patuh.locker import views as locker_views
from patuh.reports import views as report_views
from patuh.reports.models import JobKind, JobStatus, ReportJob
from patuh.standards.models import ServiceStandard, StandardStatus

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
"""``operator``: Langkat's Dinas Kesehatan; ``other_unit_operator``: Langkat's Dinas Sosial;
``outsider``: Labuhanbatu's coordinator; ``other_regional_admin``: the Aceh office's admin;
``assessor``: assigned to Langkat; ``unassigned_assessor``: of Sumatera Utara, unassigned."""

WHOLE_LANGKAT = {"national_admin", "regional_admin", "assessor", "verifier", "coordinator"}
"""Who sees Langkat and every one of its units."""
DINKES = WHOLE_LANGKAT | {"operator"}
DINSOS = WHOLE_LANGKAT | {"other_unit_operator"}
BATCH_RUNNERS = {"national_admin", "regional_admin", "verifier"}
"""Who runs rapor batches for the Sumatera Utara cycle (and so may fetch their files)."""
PRIVATE = "private"
PUBLIC = "public"


def expected(allowed: set[str], refused: set[str] = frozenset()) -> dict[str, int]:
    """200 for ``allowed``, 403 for ``refused``, 302 (login) for anonymous, 404 otherwise."""
    return personas.expected(ROLES, allowed, refused, anonymous=302)


@dataclass
class Files(SignsIn):
    users: dict[str, Any]
    self_pdf: int
    self_image: int
    official_pdf: int
    dinsos_pdf: int
    proof_action: int
    rapor_job: int
    export_job: int
    published_product: int
    draft_product: int
    year: int
    self_assessment: int
    unit_pdf: int = 0
    unit_image: int = 0


RAPOR_STUB = b"%PDF-1.7\n% rapor (stub: rendering is tested in test_reports.py)\n%%EOF\n"


@pytest.fixture
def files(db, settings, tmp_path, monkeypatch, cycle_2022, cycle_2023, cast: Cast) -> Files:
    settings.MEDIA_ROOT = tmp_path
    # the matrix checks who gets the rapor, not how it is drawn (WeasyPrint takes seconds)
    monkeypatch.setattr(report_views, "render_rapor_pdf", lambda cycle, government: RAPOR_STUB)
    langkat, langkat_dinkes, operator = cast.langkat, cast.langkat_dinkes, cast.operator
    dinsos = langkat.units.get(code="dinsos")
    users = cast.users(ROLES)
    self_pdf = add_pdf(cast.assessment("self"), "PR-06", "maklumat.pdf", actor=operator)
    self_image = add_png(cast.assessment("self"), "PR-10", "atribut-petugas.png", actor=operator)
    official_pdf = add_pdf(
        cast.assessment("official"), "PR-06", "berita-acara.pdf", actor=cast.assessor
    )
    dinsos_pdf = add_pdf(
        cast.assessment("self", dinsos),
        "PR-06",
        "maklumat-dinsos.pdf",
        actor=users["other_unit_operator"],
    )
    action = FollowUpAction.objects.filter(
        cycle=cycle_2022, government=langkat, service_unit=langkat_dinkes
    ).first()
    followup.complete(
        action,
        actor=operator,
        note="Maklumat dipasang",
        upload=SimpleUploadedFile("foto-maklumat.pdf", PDF),
    )

    def job(kind: str, creator: Any, content: bytes) -> ReportJob:
        made = ReportJob.objects.create(
            kind=kind,
            cycle=cycle_2023,
            province=cast.sumut,
            created_by=creator,
            status=JobStatus.DONE,
        )
        made.file.save("berkas", ContentFile(content))
        return made

    # a PEKPPP 2024 cycle of North Sumatra (found by its instrument) assessing Langkat's dinsos
    Cycle.objects.filter(
        year=2024, province=cast.sumut, instrument_code__startswith="pekppp"
    ).delete()
    pekppp = Cycle.objects.create(
        year=2024, name="PEKPPP 2024 uji", instrument_code="pekppp-2024", province=cast.sumut
    )
    Assessment.objects.create(cycle=pekppp, service_unit=dinsos, kind=AssessmentKind.OFFICIAL)
    rapor_job = job(JobKind.RAPOR_BATCH, cast.regional_admin, b"PK\x05\x06" + b"\0" * 18)
    export_job = job(JobKind.EXPORT, cast.verifier, b"PK\x05\x06" + b"\0" * 18)
    standards = ServiceStandard.objects.filter(product__unit__government=langkat)
    published = standards.filter(status=StandardStatus.PUBLISHED).first().product
    draft = (
        standards.filter(status=StandardStatus.DRAFT)
        .exclude(product__standards__status=StandardStatus.PUBLISHED)
        .first()
        .product
    )
    unit_pdf = locker.add_document(
        langkat_dinkes,
        "maklumat_pelayanan",
        actor=operator,
        upload=SimpleUploadedFile("maklumat-unit.pdf", PDF),
    )
    unit_image = locker.add_document(
        langkat_dinkes,
        "publikasi_standar_pelayanan",
        actor=operator,
        upload=SimpleUploadedFile("papan-informasi.png", personas.png()),
    )
    return Files(
        users,
        self_pdf.pk,
        self_image.pk,
        official_pdf.pk,
        dinsos_pdf.pk,
        action.pk,
        rapor_job.pk,
        export_job.pk,
        published.pk,
        draft.pk,
        cast.cycle_current.year,
        cast.assessment("self").pk,
        unit_pdf.pk,
        unit_image.pk,
    )


@dataclass(frozen=True)
class Row:
    name: str
    url: Any
    codes: dict[str, int]
    kind: str = PRIVATE
    disposition: str = "attachment"
    content_type: str = ""


def _current_cycle_id(f: Files) -> int:
    from patuh.assessments.models import Cycle

    return Cycle.objects.get(year=f.year, province__region_code="12").pk


def _print_url(product: str) -> Any:
    def url(f: Files) -> str:
        from patuh.orgs.models import ServiceProduct

        item = ServiceProduct.objects.select_related("unit__government").get(pk=getattr(f, product))
        unit = item.unit
        return f"/publik/unit/{unit.government.region_code}/{unit.code}/{item.pk}/cetak/"

    return url


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEES_THE_CYCLE = set(ROLES) - {"anonymous", "unassigned_assessor", "other_regional_admin"}
CYCLE_MANAGERS = {"national_admin", "regional_admin"}
ROWS = [
    Row(
        "self-assessment evidence (PDF)",
        lambda f: f"/evidence/{f.self_pdf}/",
        expected(DINKES),
        content_type="application/pdf",
    ),
    Row(
        "self-assessment evidence thumbnail",
        lambda f: f"/evidence/{f.self_image}/thumbnail/",
        expected(DINKES),
        disposition="inline",
        content_type="image/jpeg",
    ),
    Row(
        "self-assessment evidence (picture itself)",
        lambda f: f"/evidence/{f.self_image}/",
        expected(DINKES),
        content_type="image/png",
    ),
    Row(
        "official assessment evidence",
        lambda f: f"/evidence/{f.official_pdf}/",
        expected(DINKES),
        content_type="application/pdf",
    ),
    Row(
        "another unit's evidence (Dinas Sosial)",
        lambda f: f"/evidence/{f.dinsos_pdf}/",
        expected(DINSOS),
        content_type="application/pdf",
    ),
    Row(
        "unit document from the locker (PDF)",
        lambda f: f"/unit-documents/{f.unit_pdf}/",
        expected(DINKES),
        content_type="application/pdf",
    ),
    Row(
        "unit document thumbnail",
        lambda f: f"/unit-documents/{f.unit_image}/thumbnail/",
        expected(DINKES),
        disposition="inline",
        content_type="image/jpeg",
    ),
    Row(
        "follow-up proof",
        lambda f: f"/follow-up/proof/{f.proof_action}/",
        expected(DINKES),
        content_type="application/pdf",
    ),
    Row(
        "rapor PDF, not published (2023)",
        lambda f: "/cycles/2023/governments/12.05/rapor.pdf",
        expected(WHOLE_LANGKAT, refused={"operator", "other_unit_operator"}),
        content_type="application/pdf",
    ),
    Row(
        "rapor PDF, published (2022)",
        lambda f: "/cycles/2022/governments/12.05/rapor.pdf",
        expected(WHOLE_LANGKAT, refused={"operator", "other_unit_operator"}),
        content_type="application/pdf",
    ),
    Row(
        "another government's rapor (Labuhanbatu 2022)",
        lambda f: "/cycles/2022/governments/12.10/rapor.pdf",
        expected(BATCH_RUNNERS | {"outsider"}),
        content_type="application/pdf",
    ),
    Row(
        "results workbook of the cycle",
        lambda f: "/cycles/2023/export.xlsx",
        expected(SEES_THE_CYCLE),
        content_type=XLSX,
    ),
    Row(
        "PEKPPP result sheet PDF (2024)",
        lambda f: "/pekppp/2024/governments/12.05/rapor.pdf",
        expected(WHOLE_LANGKAT, refused={"operator", "other_unit_operator"}),
        content_type="application/pdf",
    ),
    Row(
        "PEKPPP results workbook (2024)",
        lambda f: "/pekppp/2024/export.xlsx",
        expected(SEES_THE_CYCLE),
        content_type=XLSX,
    ),
    Row(
        "rapor batch ZIP (the regional admin's job)",
        lambda f: f"/jobs/{f.rapor_job}/download/",
        expected(BATCH_RUNNERS),
        content_type="application/zip",
    ),
    Row(
        "export job workbook (the verifier's job)",
        lambda f: f"/jobs/{f.export_job}/download/",
        expected(BATCH_RUNNERS),
        content_type=XLSX,
    ),
    Row(
        "evidence file through the API",
        lambda f: f"/api/v1/assessments/{f.self_assessment}/evidence/{f.self_pdf}/file/",
        {**expected(DINKES), "anonymous": 401},  # the API answers 401, not a login page
        content_type="application/pdf",
    ),
    Row(
        "a government's own data (ZIP export)",
        lambda f: "/governments/12.05/export/",
        expected({"national_admin", "regional_admin", "coordinator"}),
        content_type="application/zip",
    ),
    Row(
        "government-level figures of the cycle in progress (CSV export)",
        lambda f: f"/cycles/manage/{_current_cycle_id(f)}/government-data/export.csv",
        expected(CYCLE_MANAGERS, refused=SEES_THE_CYCLE - CYCLE_MANAGERS),
        content_type="text/csv; charset=utf-8",
    ),
    Row(
        "survey poster (public)",
        lambda f: "/survei/12.05/dinkes/poster.pdf",
        dict.fromkeys(ROLES, 200),
        kind=PUBLIC,
        disposition="inline",
        content_type="application/pdf",
    ),
    Row(
        "printable published service standard (public)",
        _print_url("published_product"),
        dict.fromkeys(ROLES, 200),
        kind=PUBLIC,
        disposition="",
    ),
    Row(
        "printable draft service standard",
        _print_url("draft_product"),
        dict.fromkeys(ROLES, 404),
        kind=PUBLIC,
    ),
]


def _url_names() -> set[str]:
    from django.urls import get_resolver

    names = set()

    def walk(patterns: Any, namespace: str = "") -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    # /api/ serves the very views of /api/v1/ (api:), checked in test_api_versions.py
    return {name for name in names if not name.startswith("api-unversioned:")}


FILE_WORDS = ("download", "file", "thumbnail", "pdf", "xlsx", "csv", "zip", "export", "rapor")
FILE_WORDS += ("poster", "proof", "print", "cetak")


def test_the_matrix_covers_every_url_that_serves_a_file(files: Files):
    from django.urls import resolve

    looks_like_a_file = {
        name
        for name in _url_names()
        if not name.startswith("admin:") and any(word in name.lower() for word in FILE_WORDS)
    }
    covered = {resolve(row.url(files)).view_name for row in ROWS}
    assert looks_like_a_file == covered, (looks_like_a_file - covered, covered - looks_like_a_file)
    assert len(covered) == 15


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_each_role_downloads_exactly_what_it_should(files: Files, row: Row, role: str) -> None:
    url = row.url(files)
    response = files.client(role).get(url)
    assert response.status_code == row.codes[role], (row.name, role, url)
    if response.status_code in (302, 401):
        assert role == "anonymous"
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code != 200:
        return
    if row.content_type:
        assert response["Content-Type"] == row.content_type
    if row.disposition:
        assert response["Content-Disposition"].startswith(f"{row.disposition};"), response[
            "Content-Disposition"
        ]
    assert response["X-Content-Type-Options"] == "nosniff"
    if row.kind == PRIVATE:
        assert response["Cache-Control"] == "private, no-store"
        assert "sandbox" in response["Content-Security-Policy"]


def test_nothing_private_is_served_to_the_public_published_or_not(files: Files) -> None:
    client = files.client("anonymous")
    for row in ROWS:
        if row.kind == PRIVATE:
            response = client.get(row.url(files))
            assert response.status_code in (302, 401), row.name
            if response.status_code == 302:
                assert response["Location"].startswith("/accounts/login/"), row.name
    # the unpublished result has no public page either; the published one links no download
    assert client.get("/publik/2023/12.05/").status_code == 404
    page = client.get("/publik/2022/12.05/")
    assert page.status_code == 200
    text = page.content.decode()
    for fragment in ("rapor.pdf", "export.xlsx", "/evidence/", "/follow-up/proof/", "/jobs/"):
        assert fragment not in text


def test_the_workbook_holds_only_governments_whose_every_unit_the_user_sees(files: Files):
    def governments_in(role: str) -> set[str]:
        response = files.client(role).get("/cycles/2023/export.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        codes = set()
        for sheet in ("Pemerintah", "Unit", "Jawaban"):
            codes |= {row[0] for row in list(book[sheet].iter_rows(values_only=True))[1:]}
        return codes

    assert governments_in("coordinator") == {"12.05"}
    assert governments_in("outsider") == {"12.10"}
    assert "12.05" in governments_in("assessor")
    # a unit operator sees one unit of Langkat: the others' scores and answers stay out
    assert governments_in("operator") == set()
    assert governments_in("other_unit_operator") == set()
    assert {"12.05", "12.10"} <= governments_in("regional_admin")


# --- the views set the protective headers themselves -------------------------------------


def _call(view: Any, user: Any, *args: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    return view(request, *args)


def _api_file(user: Any, assessment: int, item: int) -> Any:
    from rest_framework.test import APIRequestFactory, force_authenticate

    from patuh.api.views import EvidenceViewSet

    request = APIRequestFactory().get("/")
    force_authenticate(request, user=user)
    view = EvidenceViewSet.as_view({"get": "file"})
    return view(request, assessment_pk=assessment, evidence_pk=item)


def test_every_private_download_view_protects_its_response_without_any_middleware(files: Files):
    from patuh.orgs import views as org_views

    verifier = files.users["verifier"]
    verifier_admin = files.users["national_admin"]  # the data export is for admins
    responses = {
        "evidence": _call(workspace.download_evidence, verifier, files.self_pdf),
        "thumbnail": _call(workspace.evidence_thumbnail, verifier, files.self_image),
        "proof": _call(followup_views.proof, verifier, files.proof_action),
        "unit document": _call(locker_views.download_document, verifier, files.unit_pdf),
        "unit thumbnail": _call(locker_views.document_thumbnail, verifier, files.unit_image),
        "rapor": _call(report_views.rapor_pdf, verifier, 2023, "12.05"),
        "export": _call(report_views.export_workbook, verifier, 2023),
        "job": _call(report_views.job_download, verifier, files.rapor_job),
        "government export": _call(org_views.government_export, verifier_admin, "12.05"),
        "api": _api_file(verifier, files.self_assessment, files.self_pdf),
    }
    for name, response in responses.items():
        assert response.status_code == 200, name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Cache-Control"] == "private, no-store", name
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox", name
        disposition = "inline;" if "thumbnail" in name else "attachment;"
        assert response["Content-Disposition"].startswith(disposition), name
        if hasattr(response, "close"):
            response.close()


def test_the_views_refuse_without_any_middleware_too(files: Files):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    outsider = files.users["outsider"]
    for view, args in (
        (workspace.download_evidence, (files.self_pdf,)),
        (workspace.evidence_thumbnail, (files.self_image,)),
        (followup_views.proof, (files.proof_action,)),
        (locker_views.download_document, (files.unit_pdf,)),
        (locker_views.document_thumbnail, (files.unit_image,)),
        (report_views.rapor_pdf, (2023, "12.05")),
        (report_views.job_download, (files.rapor_job,)),
    ):
        with pytest.raises(Http404):
            _call(view, outsider, *args)
    with pytest.raises(PermissionDenied):
        _call(report_views.rapor_pdf, files.users["operator"], 2023, "12.05")
    assert _call(workspace.download_evidence, AnonymousUser(), files.self_pdf).status_code == 302
