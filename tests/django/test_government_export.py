"""A government exports all of its own data: ``/governments/<code>/export/`` and
``patuh export_government``.

Langkat's coordinator gets a ZIP with every kind of Langkat's records and its evidence files,
and nothing of Labuhanbatu's; everyone else who is not Langkat's coordinator, its province's
regional office admin or a national admin gets a 404 (as for a government that does not
exist); every export leaves an audit row.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import evidence
from patuh.assessments.models import Assessment, AssessmentStatus, Evidence
from patuh.core.models import AuditEvent
from patuh.followup import services as followup
from patuh.followup.models import FollowUpAction
from patuh.orgs.data_export import EXPORTED, KIND_DESCRIPTIONS
from patuh.orgs.models import Province
from patuh.surveys import services as surveys

URL = "/governments/12.05/export/"
PNG_HEADER = b"\x89PNG\r\n\x1a\n"


def _png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _open_assessment(cycle, government) -> Assessment:
    """A draft of the cycle in progress (self-assessment first, official otherwise)."""
    return (
        Assessment.objects.filter(
            cycle=cycle, service_unit__government=government, status=AssessmentStatus.DRAFT
        )
        .order_by("-kind", "service_unit__code")
        .first()
    )


@pytest.fixture
def stored(settings, tmp_path, cycle_current, langkat, labuhanbatu, operator, outsider):
    """Evidence files in Langkat and in Labuhanbatu, a Labuhanbatu follow-up proof and a
    Langkat survey response with its device and address hashes."""
    settings.MEDIA_ROOT = tmp_path
    langkat_png = _png((10, 130, 60))
    own = evidence.add_file(
        _open_assessment(cycle_current, langkat),
        "PR-01",
        SimpleUploadedFile("papan-langkat.png", langkat_png),
        actor=operator,
        title="Papan Langkat",
    )
    other = evidence.add_file(
        _open_assessment(cycle_current, labuhanbatu),
        "PR-01",
        SimpleUploadedFile("papan-labuhanbatu.png", _png((200, 20, 20))),
        actor=outsider,
        title="Papan Labuhanbatu",
    )
    action = FollowUpAction.objects.filter(government=labuhanbatu).order_by("pk").first()
    followup.complete(
        action,
        actor=outsider,
        note="Sudah",
        upload=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\nlabuhanbatu\n%%EOF\n"),
    )
    action.refresh_from_db()
    response = surveys.submit(
        own.assessment.service_unit,
        cycle_current,
        "skm",
        {f"U{i}": 4 for i in range(1, 10)},
        {"sex": "l"},
        device_hash="d" * 64,
        address_hash="a" * 64,
    )
    return {
        "own": own,
        "own_bytes": langkat_png,
        "other": other,
        "proof": action,
        "response": response,
    }


def _archive(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _data(archive: zipfile.ZipFile, kind: str) -> list[dict]:
    return json.loads(archive.read(f"data/{kind}.json"))


def test_the_coordinator_downloads_all_of_langkats_data_and_none_of_labuhanbatus(
    login, coordinator, langkat, labuhanbatu, stored
):
    response = login(coordinator).get(URL)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="data-12.05-')
    assert response["X-Content-Type-Options"] == "nosniff"
    archive = _archive(response)
    names = set(archive.namelist())

    # every kind of record, a README in Bahasa, a manifest with every member's SHA-256
    assert {f"data/{kind}.json" for kind in KIND_DESCRIPTIONS} <= names
    readme = archive.read("README.txt").decode()
    assert "Kabupaten Langkat" in readme
    assert "Tidak disertakan" in readme
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["government"]["region_code"] == "12.05"
    assert set(manifest["members"]) == names - {"manifest.json"}
    for name, expected in manifest["members"].items():
        data = archive.read(name)
        assert expected == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}

    # Langkat's records, all of them
    assert _data(archive, "government")[0]["region_code"] == "12.05"
    unit_ids = {row["id"] for row in _data(archive, "units")}
    assert unit_ids == set(langkat.units.values_list("pk", flat=True))
    assessments = {row["id"] for row in _data(archive, "assessments")}
    assert assessments == set(
        Assessment.objects.filter(service_unit__government=langkat).values_list("pk", flat=True)
    )
    answers = _data(archive, "answers")
    assert answers
    assert {row["assessment_id"] for row in answers} <= assessments
    assert all("parts" in row and "value" in row for row in answers)  # per respondent/product
    assert {row["government_id"] for row in _data(archive, "follow_up_actions")} == {langkat.pk}
    assert _data(archive, "result_snapshots")
    assert all(row["published_at"] for row in _data(archive, "result_snapshots"))
    assert _data(archive, "respondents")
    assert _data(archive, "service_standards")

    # the evidence file itself, under the path its row gives; no thumbnail
    own = stored["own"]
    row = next(row for row in _data(archive, "evidence") if row["id"] == own.pk)
    assert row["file"] == f"files/{own.file.name}"
    assert archive.read(row["file"]) == stored["own_bytes"]
    assert "thumbnail" not in row
    assert not any("thumbnails" in name for name in names)

    # survey responses without the device and address hashes
    # (the demo's F-03 respondents of Langkat's PEKPPP lokus are Langkat's data too)
    survey = next(r for r in _data(archive, "survey_responses") if r["id"] == stored["response"].pk)
    assert "device_hash" not in survey
    assert "address_hash" not in survey

    # the audit events about Langkat's objects, such as the evidence upload
    events = _data(archive, "audit_events")
    assert any(e["action"] == "evidence.added" and e["object_id"] == str(own.pk) for e in events)
    assert not any(
        e["object_type"] == "assessments.evidence" and e["object_id"] == str(stored["other"].pk)
        for e in events
    )

    # nothing of Labuhanbatu's: not its files, not its name, not its people
    assert f"files/{stored['other'].file.name}" not in names
    assert f"files/{stored['proof'].proof_file.name}" not in names
    for name in names - {"manifest.json"}:
        content = archive.read(name)
        # cycles are shared by every government of the province; the demo's notes on the
        # 2022 stages tell Labuhanbatu's story
        if name != "data/cycles.json":
            assert b"labuhanbatu" not in content.lower(), name
        assert b"d" * 64 not in content
        assert b"a" * 64 not in content
    other_units = set(labuhanbatu.units.values_list("pk", flat=True))
    assert not other_units & {row["service_unit_id"] for row in _data(archive, "assessments")}

    # and the export itself is on the audit trail
    event = AuditEvent.objects.get(action=EXPORTED, object_id=str(langkat.pk))
    assert event.actor == coordinator
    assert event.object_type == "orgs.government"
    assert event.new["via"] == "web"
    assert event.new["manifest_sha256"] == hashlib.sha256(archive.read("manifest.json")).hexdigest()


@pytest.mark.parametrize("who", ["outsider", "operator", "assessor", "verifier"])
def test_everyone_else_gets_a_404_and_nothing_is_recorded(request, login, langkat, who):
    user = request.getfixturevalue(who)
    assert login(user).get(URL).status_code == 404
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_anonymous_visitors_are_sent_to_log_in(db, client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action=EXPORTED).exists()


def test_an_unknown_government_is_a_404_too(login, coordinator):
    assert login(coordinator).get("/governments/99.99/export/").status_code == 404


def test_the_provinces_regional_office_and_national_admins_may_export(
    login, regional_admin, django_user_model, langkat
):
    assert _archive(login(regional_admin).get(URL)).read("data/government.json")
    national = django_user_model.objects.create_user("nina.nasional", password="rahasia-uji")
    Membership.objects.create(user=national, role=Role.NATIONAL_ADMIN)
    assert _archive(login(national).get(URL)).read("manifest.json")
    elsewhere = django_user_model.objects.create_user("ali.aceh", password="rahasia-uji")
    aceh = Province.objects.get(region_code="11")
    Membership.objects.create(user=elsewhere, role=Role.REGIONAL_OFFICE_ADMIN, province=aceh)
    assert login(elsewhere).get(URL).status_code == 404
    assert AuditEvent.objects.filter(action=EXPORTED, object_id=str(langkat.pk)).count() == 2


def test_the_link_shows_only_to_those_who_may_export(login, coordinator, operator):
    page = "/cycles/2023/governments/12.05/"
    shown = login(coordinator).get(page)
    assert shown.status_code == 200
    assert "data-government-export-link" in shown.content.decode()
    assert URL in shown.content.decode()
    hidden = login(operator).get(page)
    assert hidden.status_code == 200
    assert "data-government-export-link" not in hidden.content.decode()


def test_the_command_writes_the_same_archive_and_records_it(langkat, stored, tmp_path):
    out = tmp_path / "langkat.zip"
    stdout = io.StringIO()
    call_command("export_government", "12.05", str(out), stdout=stdout)
    assert "Kabupaten Langkat" in stdout.getvalue()
    with zipfile.ZipFile(out) as archive:
        assert f"files/{stored['own'].file.name}" in archive.namelist()
        assert len(_data(archive, "units")) == langkat.units.count()
    event = AuditEvent.objects.get(action=EXPORTED, object_id=str(langkat.pk))
    assert event.actor is None
    assert event.new["via"] == "cli"
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("export_government", "12.05", str(out))
    with pytest.raises(CommandError, match=r"99\.99"):
        call_command("export_government", "99.99", str(tmp_path / "x.zip"))
    assert Evidence.objects.filter(pk=stored["own"].pk).exists()
