"""A deployment on several machines: a shared cache, replica reads, evidence on an object store."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from moto import mock_aws
from PIL import Image

from patuh.assessments import evidence as evidence_service
from patuh.assessments.models import Assessment
from patuh.core import replicas
from patuh.core.checks import SESSION_ENGINES_IN_PROCESS_MEMORY
from patuh.orgs.models import Government

BUCKET = "patuh-bukti-uji"


def test_marked_reads_go_to_the_replica_and_writes_to_the_primary(monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    router = replicas.ReplicaRouter()
    assert router.db_for_read(Government) == "default"
    with replicas.replica_reads():
        assert router.db_for_read(Government) == "replica"
        assert router.db_for_write(Government) == "default"
        # the session and the user of a just-finished login are read from the primary
        from django.contrib.sessions.models import Session

        assert router.db_for_read(Session) == "default"
    assert router.db_for_read(Government) == "default"
    assert not router.allow_migrate("replica", "orgs")


def test_without_a_replica_everything_reads_the_primary():
    router = replicas.ReplicaRouter()
    with replicas.replica_reads():
        assert router.db_for_read(Government) == "default"


REPLICA_PROBE = """
import json
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client()
counts = {}
for url in ("/publik/", "/accounts/login/"):
    with CaptureQueriesContext(connections["default"]) as primary, \\
         CaptureQueriesContext(connections["replica"]) as replica:
        status = client.get(url).status_code
    counts[url] = {"status": status, "primary": len(primary), "replica": len(replica)}
print(json.dumps(counts))
"""


def test_public_pages_read_from_the_replica_when_one_is_configured(tmp_path):
    database = tmp_path / "patuh.sqlite3"
    environment = {
        **os.environ,
        "PATUH_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        # a replica in step with the primary: the same file, opened as another connection
        "DATABASE_REPLICA_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "patuh.settings",
    }
    patuh = str(Path(sys.executable).with_name("patuh"))
    subprocess.run([patuh, "migrate", "--noinput", "-v", "0"], env=environment, check=True)
    result = subprocess.run(
        [sys.executable, "-c", REPLICA_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    counts = json.loads(result.stdout.strip().splitlines()[-1])
    assert counts["/publik/"]["status"] == 200
    assert counts["/publik/"]["replica"] > 0
    assert counts["/publik/"]["primary"] == 0
    assert counts["/accounts/login/"]["replica"] == 0


def test_sessions_are_not_kept_in_process_memory(settings):
    assert settings.SESSION_ENGINE not in SESSION_ENGINES_IN_PROCESS_MEMORY


def test_check_deploy_warns_when_the_cache_is_per_process(tmp_path):
    environment = {
        key: value for key, value in os.environ.items() if key not in ("CACHE_URL", "DATABASE_URL")
    }
    environment.update(
        DEBUG="False",
        SECRET_KEY="x" * 60 + "-not-a-real-secret-but-long-and-varied-0123456789",
        ALLOWED_HOSTS="patuh.example.go.id",
        PATUH_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    patuh = str(Path(sys.executable).with_name("patuh"))
    result = subprocess.run(
        [patuh, "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "patuh.W001" in result.stderr + result.stdout


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


S3_STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "region_name": "us-east-1",
            "access_key": "uji",
            "secret_key": "uji",
            "default_acl": "private",
            "file_overwrite": False,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def object_store():
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        with override_settings(STORAGES=S3_STORAGES):
            yield boto3.client("s3", region_name="us-east-1")


def test_evidence_is_stored_on_the_object_store_and_served_through_the_checked_view(
    object_store, login, operator, cycle_current, langkat_dinkes, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media-that-must-stay-empty"
    assessment = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="self"
    )
    content = _png()
    evidence = evidence_service.add_file(
        assessment,
        "PR-01",
        SimpleUploadedFile("papan-informasi.png", content),
        actor=operator,
    )
    keys = [item["Key"] for item in object_store.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert evidence.file.name in keys
    assert evidence.thumbnail.name in keys
    stored = object_store.get_object(Bucket=BUCKET, Key=evidence.file.name)["Body"].read()
    assert stored == content
    assert not Path(settings.MEDIA_ROOT).exists()

    response = login(operator).get(f"/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
