"""Evidence and follow-up proof uploads over HTTP: the type comes from the bytes whatever the
name, exactly six types pass, refusals say why and store nothing, stored names are random,
and a body over ``PATUH_UPLOAD_MAX_BYTES`` is stopped while it streams in, with a clear message.

The byte checks themselves are unit-tested in tests/scoring/test_evidence_files.py.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import (
    FileUploadHandler,
    MemoryFileUploadHandler,
    TemporaryFileUploadHandler,
)
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from openpyxl import Workbook
from PIL import Image

from patuh.assessments.models import Assessment, Evidence
from patuh.core.models import AuditEvent
from patuh.core.uploads import CappedUploadHandler, upload_max_bytes
from patuh.followup.models import ActionStatus, FollowUpAction

HTMX = {"HTTP_HX_REQUEST": "true"}
MB = 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def image(fmt: str, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (80, 60), "red" if mode != "P" else 1).save(out, fmt)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", b"<office:document-content/>")
    return out.getvalue()


PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


@pytest.fixture
def self_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()]


def post_evidence(client, assessment: Assessment, name: str, data: bytes, code: str = "PR-01"):
    return client.post(
        f"/assessments/{assessment.pk}/indicators/{code}/evidence/",
        {"title": "Bukti", "file": SimpleUploadedFile(name, data, content_type="text/html")},
        **HTMX,
    )


# --- the six types, typed from their bytes ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        pytest.param("laporan.exe", PDF, "application/pdf", ".pdf", id="pdf-named-exe"),
        pytest.param("foto.html", image("JPEG"), "image/jpeg", ".jpg", id="jpeg-named-html"),
        pytest.param("foto.pdf", image("PNG"), "image/png", ".png", id="png-named-pdf"),
        pytest.param("gambar", image("WEBP"), "image/webp", ".webp", id="webp-without-name"),
        pytest.param("surat.xlsx", docx(), DOCX, ".docx", id="docx-named-xlsx"),
        pytest.param("tabel.svg", xlsx(), XLSX, ".xlsx", id="xlsx-named-svg"),
    ],
)
def test_each_allowed_type_is_accepted_from_its_bytes_whatever_its_name(
    login, operator, self_dinkes, media, name, data, content_type, extension
):
    response = post_evidence(login(operator), self_dinkes, name, data)
    assert response.status_code == 200, response.content.decode()[:500]
    item = Evidence.objects.get(assessment=self_dinkes, indicator_code="PR-01", kind="file")
    assert (item.content_type, item.extension) == (content_type, extension)
    assert item.original_name == name  # kept for the download's name, never for the type
    assert re.fullmatch(rf"evidence/\d{{4}}/[0-9a-f]{{32}}\{extension}", item.file.name)
    assert item.file.read() == data


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        pytest.param("laporan.pdf", b"<!DOCTYPE html><html><script>x</script>", "HTML", id="html"),
        pytest.param("logo.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG", id="svg"),
        pytest.param("data.xlsx", b'<?xml version="1.0"?><a/>', "XML", id="xml"),
        pytest.param("run.pdf", b"#!/bin/sh\nrm -rf /\n", "skrip", id="shell-script"),
        pytest.param("setup.pdf", b"MZ\x90\x00" + b"\0" * 200, "program", id="exe"),
        pytest.param("foto.png", image("GIF", mode="P"), "GIF tidak diterima", id="gif"),
        pytest.param(
            "surat.docx", odt(), "ODT tidak diterima; simpan sebagai PDF atau DOCX", id="odt"
        ),
        pytest.param(
            "surat.docx",
            zip_of(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<d/>",
                    "word/vbaProject.bin": b"macro",
                }
            ),
            "makro",
            id="docm",
        ),
        pytest.param("arsip.pdf", zip_of({"a.txt": b"isi"}), "ZIP tidak diterima", id="zip"),
        pytest.param(
            "scan.pdf",
            PDF[:9] + b"<script>alert(1)</script>\n" + PDF[9:],
            "poliglot",
            id="polyglot",
        ),
    ],
)
def test_a_refused_file_says_why_and_nothing_is_stored_or_recorded(
    login, operator, self_dinkes, media, name, data, why
):
    client = login(operator)  # (logging in is audited too)
    events = AuditEvent.objects.count()
    response = post_evidence(client, self_dinkes, name, data)
    assert response.status_code == 422
    assert why in response.content.decode()
    assert not Evidence.objects.filter(assessment=self_dinkes, indicator_code="PR-01").exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.count() == events


def test_stored_names_are_random_and_never_the_uploaded_name(login, operator, self_dinkes, media):
    client = login(operator)
    for _ in range(2):
        assert post_evidence(client, self_dinkes, "maklumat.pdf", PDF).status_code == 200
    names = list(
        Evidence.objects.filter(assessment=self_dinkes, kind="file").values_list("file", flat=True)
    )
    assert len(set(names)) == 2  # the same bytes twice: two different names
    assert all("maklumat" not in name for name in names)
    assert all(re.fullmatch(r"evidence/\d{4}/[0-9a-f]{32}\.pdf", name) for name in names)


# --- follow-up proof goes through the same check ------------------------------------------

FOLLOW_UP_URL = "/cycles/2022/governments/12.10/follow-up/"


@pytest.fixture
def proof_action(labuhanbatu, cycle_2022) -> FollowUpAction:
    return FollowUpAction.objects.filter(
        cycle=cycle_2022, government=labuhanbatu, status=ActionStatus.OPEN
    ).first()


def complete(client, action: FollowUpAction, name: str, data: bytes):
    return client.post(
        FOLLOW_UP_URL,
        {
            "action": "complete",
            "id": action.pk,
            "note": "Sudah diperbaiki",
            "file": SimpleUploadedFile(name, data),
        },
        follow=True,
    )


@pytest.mark.parametrize(
    ("name", "data", "why"),
    [
        pytest.param("bukti.pdf", b"<html><script>alert(1)</script></html>", "HTML", id="html"),
        pytest.param("bukti.png", image("GIF", mode="P"), "GIF tidak diterima", id="gif"),
        pytest.param("bukti.docx", odt(), "ODT tidak diterima", id="odt"),
    ],
)
def test_follow_up_proof_is_refused_by_the_same_rules(
    login, outsider, proof_action, media, name, data, why
):
    # ``outsider`` is Labuhanbatu's coordinator, who may complete its actions
    page = complete(login(outsider), proof_action, name, data).content.decode()
    assert why in page
    proof_action.refresh_from_db()
    assert proof_action.status == ActionStatus.OPEN
    assert not proof_action.proof_file
    assert stored_files(media) == []


def test_follow_up_proof_is_typed_from_its_bytes_and_stored_under_a_random_name(
    login, outsider, proof_action, media
):
    complete(login(outsider), proof_action, "foto-papan.pdf", image("PNG"))
    proof_action.refresh_from_db()
    assert proof_action.status == ActionStatus.DONE
    assert proof_action.proof_content_type == "image/png"
    assert re.fullmatch(r"follow-up/2022/[0-9a-f]{32}\.png", proof_action.proof_file.name)


# --- the streaming size cap ----------------------------------------------------------------


class CountingHandler(FileUploadHandler):
    """Placed after the capped handler: counts the file bytes that got past it."""

    passed: list[int] = []

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        CountingHandler.passed.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        CountingHandler.passed[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


HANDLERS = [
    "patuh.core.uploads.CappedUploadHandler",
    f"{__name__}.CountingHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


@pytest.fixture
def capped(settings):
    """A 1 MB cap on request bodies, under the 20 MB evidence limit, with a byte counter."""
    settings.PATUH_UPLOAD_MAX_BYTES = MB
    settings.PATUH_EVIDENCE_MAX_BYTES = 20 * MB
    settings.FILE_UPLOAD_HANDLERS = HANDLERS
    CountingHandler.passed = []
    return MB


def big_pdf(size: int) -> bytes:
    return PDF[:9] + b"%" + b"x" * (size - len(PDF) - 1) + PDF[9:]


def test_the_settings_put_the_capped_handler_first_with_a_margin_over_the_evidence_limit():
    from django.conf import settings

    assert settings.FILE_UPLOAD_HANDLERS[0] == "patuh.core.uploads.CappedUploadHandler"
    assert settings.PATUH_UPLOAD_MAX_BYTES > settings.PATUH_EVIDENCE_MAX_BYTES
    assert upload_max_bytes() == settings.PATUH_UPLOAD_MAX_BYTES


def test_without_the_setting_the_cap_is_the_evidence_limit_plus_a_margin(settings):
    del settings.PATUH_UPLOAD_MAX_BYTES
    settings.PATUH_EVIDENCE_MAX_BYTES = 5 * MB
    assert upload_max_bytes() == 6 * MB


def test_an_evidence_upload_over_the_cap_is_stopped_and_the_user_told_the_limit(
    login, operator, self_dinkes, media, capped
):
    client = login(operator)
    events = AuditEvent.objects.count()
    response = post_evidence(client, self_dinkes, "besar.pdf", big_pdf(3 * MB))
    assert response.status_code == 422
    assert "Berkas terlalu besar (maks. 1 MB)" in response.content.decode()
    assert sum(CountingHandler.passed) == 0  # declared too large: not one byte went on
    assert not Evidence.objects.filter(assessment=self_dinkes, indicator_code="PR-01").exists()
    assert stored_files(media) == []
    assert AuditEvent.objects.count() == events


def test_without_javascript_the_cap_message_comes_back_on_the_page(
    login, operator, self_dinkes, media, capped
):
    response = login(operator).post(
        f"/assessments/{self_dinkes.pk}/indicators/PR-01/evidence/",
        {"file": SimpleUploadedFile("besar.pdf", big_pdf(3 * MB))},
        follow=True,
    )
    assert response.status_code == 200
    assert "Berkas terlalu besar (maks. 1 MB)" in response.content.decode()
    assert stored_files(media) == []


def test_the_message_gives_the_evidence_limit_when_it_is_the_smaller(
    login, operator, self_dinkes, media, capped, settings
):
    settings.PATUH_EVIDENCE_MAX_BYTES = MB // 2
    response = post_evidence(login(operator), self_dinkes, "besar.pdf", big_pdf(3 * MB))
    assert "Berkas terlalu besar (maks. 0,5 MB)" in response.content.decode()


def test_an_upload_under_the_cap_passes_untouched(login, operator, self_dinkes, media, capped):
    data = big_pdf(MB // 2)
    assert post_evidence(login(operator), self_dinkes, "sedang.pdf", data).status_code == 200
    assert CountingHandler.passed == [len(data)]
    assert Evidence.objects.get(assessment=self_dinkes, indicator_code="PR-01").size == len(data)


def test_a_follow_up_proof_over_the_cap_is_stopped_with_the_same_message(
    login, outsider, proof_action, media, capped
):
    page = complete(login(outsider), proof_action, "besar.pdf", big_pdf(3 * MB)).content.decode()
    assert "Berkas terlalu besar (maks. 1 MB)" in page
    assert "Lampirkan bukti" not in page  # not the misleading "attach a proof"
    proof_action.refresh_from_db()
    assert proof_action.status == ActionStatus.OPEN
    assert stored_files(media) == []


def test_a_body_that_declares_less_than_it_sends_is_stopped_as_it_streams(capped):
    """Content-Length under the cap, 3 MB of file: the counter stops it after one MB."""
    body = encode_multipart(
        BOUNDARY,
        {"csrfmiddlewaretoken": "t0ken", "file": SimpleUploadedFile("b.pdf", big_pdf(3 * MB))},
    )
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(MB // 2)}
    capped_handler = CappedUploadHandler()
    counting = CountingHandler()
    handlers = [
        capped_handler,
        counting,
        MemoryFileUploadHandler(),
        TemporaryFileUploadHandler(),
    ]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert capped_handler.stopped
    assert capped_handler.received <= MB
    assert sum(CountingHandler.passed) <= MB  # the storing handlers never saw more
    assert sum(CountingHandler.passed) > MB // 2  # it streamed up to the cap, then stopped
    assert not files
    assert post["csrfmiddlewaretoken"] == "t0ken"  # fields before the file are kept


def test_a_body_declared_over_the_cap_is_refused_before_any_file_byte(capped):
    body = encode_multipart(
        BOUNDARY, {"title": "x", "file": SimpleUploadedFile("b.pdf", big_pdf(2 * MB))}
    )
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    capped_handler = CappedUploadHandler()
    post, files = MultiPartParser(
        meta, io.BytesIO(body), [capped_handler, CountingHandler(), MemoryFileUploadHandler()]
    ).parse()
    assert capped_handler.stopped
    assert capped_handler.received == 0
    assert CountingHandler.passed == []  # the next handlers never even heard of the file
    assert not files
    assert post["title"] == "x"
