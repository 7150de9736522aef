"""Operators imported from XLSX: every row checked first, errors named by row and column,
nothing written unless all rows are good, and importing the same sheet again changes nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from patuh.accounts.invitations import INVITED
from patuh.accounts.models import Invitation, Membership
from patuh.core.models import AuditEvent

PAGE = "/accounts/operators/12.05/"
HEADER = ["Kode unit", "Nama lengkap", "E-mail"]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("operator.xlsx", buffer.getvalue())


GOOD = [
    ["dinkes", "Sari Wulandari", "sari@langkatkab.go.id"],
    ["dinsos", "Budi Santoso", "budi@langkatkab.go.id"],
    [None, None, None],  # an empty row is skipped
    ["DINSOS", "Sari Wulandari", "Sari@LangkatKab.go.id"],  # one person, two units
]


def _upload(client, file, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(PAGE, {"action": "import", "file": file}, follow=True)


@pytest.fixture
def coordinator_client(login, coordinator):
    return login(coordinator)


def test_a_good_sheet_invites_every_operator(
    coordinator_client, django_capture_on_commit_callbacks
):
    response = _upload(coordinator_client, xlsx(GOOD), django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "3 baris diperiksa: 3 undangan dikirim, 0 tidak berubah" in response.content.decode()
    assert sorted(Invitation.objects.values_list("service_unit__code", "email")) == [
        ("dinkes", "sari@langkatkab.go.id"),
        ("dinsos", "budi@langkatkab.go.id"),
        ("dinsos", "sari@langkatkab.go.id"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "budi@langkatkab.go.id",
        "sari@langkatkab.go.id",
        "sari@langkatkab.go.id",
    ]
    assert AuditEvent.objects.filter(action=INVITED).count() == 3


def test_importing_the_same_sheet_again_changes_nothing(
    coordinator_client, django_capture_on_commit_callbacks
):
    _upload(coordinator_client, xlsx(GOOD), django_capture_on_commit_callbacks)
    invitations_before = list(Invitation.objects.values_list("pk", "token_hash", "revoked_at"))
    events_before, sent_before = AuditEvent.objects.count(), len(mail.outbox)
    response = _upload(coordinator_client, xlsx(GOOD), django_capture_on_commit_callbacks)
    assert "3 baris diperiksa: 0 undangan dikirim, 3 tidak berubah" in response.content.decode()
    assert list(Invitation.objects.values_list("pk", "token_hash", "revoked_at")) == (
        invitations_before
    )
    assert AuditEvent.objects.count() == events_before
    assert len(mail.outbox) == sent_before


def test_an_operator_already_in_place_is_left_as_is(
    coordinator_client, operator, django_capture_on_commit_callbacks
):
    operator.email = "opi@langkatkab.go.id"
    operator.save()
    rows = [["dinkes", "Opi Operator", "opi@langkatkab.go.id"]]
    response = _upload(coordinator_client, xlsx(rows), django_capture_on_commit_callbacks)
    assert "0 undangan dikirim, 1 tidak berubah" in response.content.decode()
    assert not Invitation.objects.exists()


def test_every_bad_row_is_named_by_row_and_column_and_nothing_is_written(
    coordinator_client, django_capture_on_commit_callbacks
):
    rows = [
        ["dinkes", "Sari Wulandari", "sari@langkatkab.go.id"],  # good, but not imported
        ["dinas-tidak-ada", "Budi", "budi@langkatkab.go.id"],
        ["dinsos", "", "tono@langkatkab.go.id"],
        ["dinsos", "Tono", "bukan email"],
        ["dinkes", "Sari lagi", "SARI@langkatkab.go.id"],
        ["", "Tanpa Unit", "x@langkatkab.go.id"],
    ]
    before = AuditEvent.objects.count()
    response = _upload(coordinator_client, xlsx(rows), django_capture_on_commit_callbacks)
    assert response.status_code == 422
    problems = response.context["import_problems"]
    assert problems == [
        "baris 3, kolom A (kode unit): unit 'dinas-tidak-ada' tidak ada di Kabupaten Langkat",
        "baris 4, kolom B (nama lengkap): nama lengkap kosong",
        "baris 5, kolom C (e-mail): 'bukan email' bukan alamat e-mail yang sah",
        "baris 6, kolom C (e-mail): sari@langkatkab.go.id sudah tercantum untuk unit ini di "
        "baris 2",
        "baris 7, kolom A (kode unit): kode unit kosong",
    ]
    assert "Tidak ada yang diimpor" in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []
    assert AuditEvent.objects.count() == before


def test_a_missing_column_is_named(coordinator_client, django_capture_on_commit_callbacks):
    file = xlsx([["dinkes", "Sari"]], header=["Kode unit", "Nama lengkap"])
    response = _upload(coordinator_client, file, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert response.context["import_problems"] == [
        "baris 1: kolom 'e-mail' tidak ada di baris judul"
    ]


def test_a_file_that_is_no_spreadsheet_is_refused(
    coordinator_client, django_capture_on_commit_callbacks
):
    file = SimpleUploadedFile("operator.xlsx", b"bukan excel")
    response = _upload(coordinator_client, file, django_capture_on_commit_callbacks)
    assert response.status_code == 422
    assert "bukan berkas Excel" in response.context["import_problems"][0]
    assert not Invitation.objects.exists()


def test_the_sheet_of_current_operators_imports_back_unchanged(
    coordinator_client, operator, django_capture_on_commit_callbacks
):
    operator.email = "opi@langkatkab.go.id"
    operator.first_name = "=Opi"  # a formula-like name stays text
    operator.save()
    _upload(coordinator_client, xlsx(GOOD[:2]), django_capture_on_commit_callbacks)
    response = coordinator_client.get(PAGE + "operator.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == ("kode unit", "nama lengkap", "e-mail")
    assert ("dinkes", "'=Opi", "opi@langkatkab.go.id") in rows
    assert ("dinsos", "Budi Santoso", "budi@langkatkab.go.id") in rows
    events = AuditEvent.objects.count()
    file = SimpleUploadedFile("operator.xlsx", data)
    response = _upload(coordinator_client, file, django_capture_on_commit_callbacks)
    assert "0 undangan dikirim" in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_an_operator_cannot_import(login, operator, django_capture_on_commit_callbacks):
    response = login(operator).post(PAGE, {"action": "import", "file": xlsx(GOOD)})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert Membership.objects.filter(user=operator).count() == 1


def test_another_governments_coordinator_cannot_import_or_download(login, outsider):
    client = login(outsider)
    assert client.post(PAGE, {"action": "import", "file": xlsx(GOOD)}).status_code == 404
    assert client.get(PAGE + "operator.xlsx").status_code == 404
    assert not Invitation.objects.exists()
