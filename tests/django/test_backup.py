"""``patuh backup`` and ``patuh restore``, run as the operator would: separate processes, each
instance with its own ``PATUH_VAR_DIR`` (SQLite database and media folder).

The source is the demo plus evidence files (with a thumbnail), a follow-up proof, a report
job's workbook, a comment, a survey response, a group with permissions and an admin log
entry. The restore target is freshly migrated, with its content types deleted and created
again so that their ids differ from the source's (references to them travel as natural keys).

These tests use no test database of their own, so they do not touch the shared demo data.
With ``DATABASE_URL`` pointing to PostgreSQL, the last test also restores the SQLite backup
into a new PostgreSQL database (``<name>_restore_<random>``, dropped afterwards) and back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

MANIFEST = "manifest.json"
EXCLUDED_FROM_DUMP = ["contenttypes", "auth.permission", "sessions", "axes"]

SEED = """
import io

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from patuh.assessments import comments, evidence
from patuh.assessments.models import Assessment
from patuh.demo.current import current_year
from patuh.followup import services as followup
from patuh.followup.models import FollowUpAction
from patuh.orgs.models import Government
from patuh.reports import jobs
from patuh.surveys import services as surveys

User = get_user_model()
operator = User.objects.get(username="operator.dinkes.langkat")
admin = User.objects.get(username="admin")
own = Assessment.objects.get(
    cycle__year=current_year(),
    service_unit__government__region_code="12.05",
    service_unit__code="dinkes",
    kind="self",
)
png = io.BytesIO()
Image.new("RGB", (640, 480), (20, 120, 200)).save(png, format="PNG")
evidence.add_file(
    own, "PR-01", SimpleUploadedFile("papan.png", png.getvalue()), actor=operator, title="Papan"
)
pdf = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\\n%%EOF\\n")
evidence.add_file(own, "PR-02", pdf, actor=operator)
comments.add_comment(own, "PR-01", "Foto papan sudah diunggah.", actor=operator)
action = FollowUpAction.objects.filter(government__region_code="12.10").order_by("pk").first()
followup.complete(
    action, actor=admin, note="Papan alur dipasang",
    upload=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\\nbukti\\n%%EOF\\n"),
)
surveys.submit(
    own.service_unit, own.cycle, "skm", {f"U{i}": 3 for i in range(1, 10)}, {"sex": "p"},
    device_hash="d" * 64, address_hash="a" * 64,
)
job = jobs.run(jobs.queue_export(own.cycle, None, actor=admin))
assert job.file, job.error
group = Group.objects.create(name="pengamat")
group.permissions.add(Permission.objects.get(codename="view_government"))
operator.groups.add(group)
operator.user_permissions.add(Permission.objects.get(codename="view_serviceunit"))
LogEntry.objects.create(
    user=admin, content_type=ContentType.objects.get_for_model(Government),
    object_id="1", object_repr="Kabupaten Langkat", action_flag=ADDITION, change_message="[]",
)
"""

SHIFT_CONTENT_TYPES = """
from django.contrib.contenttypes.models import ContentType
ContentType.objects.all().delete()
"""

NATURAL_KEYS = """
import json
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
print(json.dumps({
    "log": [(e.pk, e.content_type.app_label, e.content_type.model)
            for e in LogEntry.objects.all()],
    "groups": {g.name: sorted(p.codename for p in g.permissions.all())
               for g in Group.objects.all()},
    "users": {
        u.username: [sorted(g.name for g in u.groups.all()),
                     sorted(p.codename for p in u.user_permissions.all())]
        for u in User.objects.all()
    },
}))
"""

LOGIN = """
from django.test import Client
client = Client()
response = client.post(
    "/accounts/login/", {"username": "koordinator.langkat", "password": "patuh-demo"}
)
assert response.status_code == 302, response.status_code
assert client.get("/cycles/2023/governments/12.05/").status_code == 200
print("login ok")
"""

NEW_ROWS = """
from patuh.core.services import record_event
from patuh.orgs.models import Government, Province
province = Province.objects.get(region_code="12")
government = Government.objects.create(
    kind="kabupaten", region_code="99.99", name="Kabupaten Uji", province=province
)
record_event(actor=None, action="test.created", obj=government, new={"name": government.name})
print("new rows", government.pk)
"""


# --- helpers --------------------------------------------------------------------------------


def patuh(var_dir: Path, *args: str, database_url: str | None = None, check: bool = True):
    """Run ``patuh`` in its own process, on the instance living in ``var_dir``."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDIA_ROOT")}
    env["PATUH_VAR_DIR"] = str(var_dir)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", "patuh.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if check:
        assert result.returncode == 0, f"patuh {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def sqlite_path(var_dir: Path) -> Path:
    return var_dir / "patuh.sqlite3"


def media_files(var_dir: Path) -> dict[str, bytes]:
    media = var_dir / "media"
    if not media.exists():
        return {}
    return {
        path.relative_to(media).as_posix(): path.read_bytes()
        for path in media.rglob("*")
        if path.is_file()
    }


NOT_COMPARED = {
    "django_migrations",  # applied at different times
    "django_content_type",  # created by migrate on each side, ids differ on purpose
    "auth_permission",
    "django_session",
    "sqlite_sequence",
    # refer to content types/permissions by id: compared through their natural keys
    "django_admin_log",
    "auth_group_permissions",
    "auth_user_user_permissions",
}


def table_rows(var_dir: Path) -> dict[str, list[tuple]]:
    """Every row of every table, straight from SQLite (no Django involved)."""
    connection = sqlite3.connect(sqlite_path(var_dir))
    try:
        names = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
            )
            if name not in NOT_COMPARED and not name.startswith("axes_")
        ]
        tables = {}
        for name in names:
            rows = connection.execute(f'SELECT * FROM "{name}"').fetchall()
            if name == "auth_user_groups":
                rows = [row[1:] for row in rows]  # a many-to-many row's own id is not kept
            tables[name] = sorted(rows, key=repr)
        return tables
    finally:
        connection.close()


def data_row_count(var_dir: Path) -> int:
    """Rows in the tables a restore writes to (what migrate creates is left out)."""
    return sum(len(rows) for rows in table_rows(var_dir).values())


def dump(var_dir: Path, *apps: str, database_url: str | None = None) -> list[dict]:
    excluded = [arg for app in EXCLUDED_FROM_DUMP for arg in ("-e", app)]
    result = patuh(
        var_dir,
        "dumpdata",
        "--natural-foreign",
        *excluded,
        *apps,
        database_url=database_url,
    )
    return sorted(json.loads(result.stdout), key=lambda row: (row["model"], str(row["pk"])))


def shell(var_dir: Path, script: str, database_url: str | None = None) -> str:
    return patuh(var_dir, "shell", "-c", script, database_url=database_url).stdout


def last_json(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


def rewrite(
    source: Path,
    target: Path,
    *,
    change: dict[str, Callable[[bytes], bytes]] | None = None,
    drop: tuple[str, ...] = (),
    consistent: bool = False,
    manifest_change: Callable[[dict], None] | None = None,
) -> Path:
    """A copy of the archive with members changed or dropped. ``consistent`` also rewrites
    the manifest to match (an archive whose hashes agree but whose content is wrong)."""
    change = change or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        manifest = json.loads(old.read(MANIFEST))
        for info in old.infolist():
            name = info.filename
            if name == MANIFEST or name in drop:
                continue
            data = old.read(name)
            if name in change:
                data = change[name](data)
                if consistent:
                    manifest["members"][name] = {
                        "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest(),
                    }
            new.writestr(name, data)
        if consistent:
            for name in drop:
                manifest["members"].pop(name)
        if manifest_change:
            manifest_change(manifest)
        new.writestr(MANIFEST, json.dumps(manifest))
    return target


def file_member(archive: Path, folder: str) -> str:
    with zipfile.ZipFile(archive) as zf:
        return next(n for n in zf.namelist() if n.startswith(f"files/{folder}/"))


# --- the instances --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("backup")


@pytest.fixture(scope="module")
def source(workdir) -> Path:
    """The demo with stored files of every kind."""
    var_dir = workdir / "source"
    patuh(var_dir, "migrate", "--noinput", "-v0")
    patuh(var_dir, "demo")
    shell(var_dir, SEED)
    return var_dir


@pytest.fixture(scope="module")
def archive(source, workdir) -> Path:
    out = workdir / "cadangan.zip"
    result = patuh(source, "backup", str(out))
    assert "Cadangan ditulis" in result.stdout
    return out


@pytest.fixture(scope="module")
def empty_template(workdir) -> Path:
    """A migrated instance whose content types were created twice (ids unlike the source's)."""
    var_dir = workdir / "empty"
    patuh(var_dir, "migrate", "--noinput", "-v0")
    shell(var_dir, SHIFT_CONTENT_TYPES)
    patuh(var_dir, "migrate", "--noinput", "-v0")
    return var_dir


@pytest.fixture
def empty_target(empty_template, tmp_path) -> Path:
    var_dir = tmp_path / "target"
    var_dir.mkdir()
    for path in empty_template.glob("patuh.sqlite3*"):
        shutil.copy2(path, var_dir / path.name)
    assert data_row_count(var_dir) == 0
    return var_dir


def assert_nothing_written(var_dir: Path) -> None:
    assert data_row_count(var_dir) == 0
    assert media_files(var_dir) == {}


# --- tests ----------------------------------------------------------------------------------


def test_the_manifest_describes_every_member(archive, source):
    with zipfile.ZipFile(archive) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        names = set(zf.namelist()) - {MANIFEST}
        assert set(manifest["members"]) == names
        for name, expected in manifest["members"].items():
            data = zf.read(name)
            assert expected == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    assert manifest["format"] == "patuh-backup"
    assert manifest["format_version"] == 1
    assert manifest["created_at"]
    assert manifest["patuh_version"]
    assert manifest["django_version"]
    assert manifest["source"]["vendor"] == "sqlite"
    # row counts agree with the source database, table by table
    connection = sqlite3.connect(sqlite_path(source))
    assert manifest["rows"]["orgs.government"] == 552
    for label in ("core.auditevent", "assessments.answer", "auth.user", "surveys.surveyresponse"):
        table = label.replace(".", "_")
        (count,) = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert manifest["rows"][label] == count > 0
    connection.close()
    # every stored file, under its storage name; nothing login-related or recreated by migrate
    stored = {f"files/{name}" for name in media_files(source)}
    assert {n for n in names if n.startswith("files/")} == stored
    assert {name.split("/")[1] for name in stored} == {"evidence", "follow-up", "reports"}
    assert manifest["files"] == len(stored) == 5
    for excluded in ("sessions.session", "contenttypes.contenttype", "auth.permission"):
        assert excluded not in manifest["rows"]
    assert not any(label.startswith("axes.") for label in manifest["rows"])
    assert os.stat(archive).st_mode & 0o077 == 0  # password hashes inside: owner only


def test_a_round_trip_restores_every_row_every_file_and_the_audit_chain(
    source, archive, empty_target
):
    result = patuh(empty_target, "restore", str(archive))
    assert "jejak audit utuh" in result.stdout
    # every row of every table, byte for byte as SQLite holds it (microseconds included)
    assert table_rows(empty_target) == table_rows(source)
    # Django's own dump of both, references to content types and permissions by natural key
    assert dump(empty_target, "admin", "auth") == dump(source, "admin", "auth")
    assert last_json(shell(empty_target, NATURAL_KEYS)) == last_json(shell(source, NATURAL_KEYS))
    # every stored file, same name, same bytes
    assert media_files(empty_target) == media_files(source)
    # the hash chain verifies, a demo user logs in, new rows follow on without colliding
    verified = patuh(empty_target, "audit", "verify").stdout
    assert verified == patuh(source, "audit", "verify").stdout
    assert "login ok" in shell(empty_target, LOGIN)
    assert "new rows" in shell(empty_target, NEW_ROWS)
    patuh(empty_target, "audit", "verify")


@pytest.mark.parametrize("member", ["database/orgs.government.jsonl", "files/evidence"])
def test_a_tampered_archive_is_refused_naming_the_member(archive, empty_target, tmp_path, member):
    if member == "files/evidence":
        member = file_member(archive, "evidence")
        changed = {member: lambda data: data + b"\x00"}
    else:
        changed = {member: lambda data: data.replace(b"Langkat", b"Langkut", 1)}
    tampered = rewrite(archive, tmp_path / "diubah.zip", change=changed)
    result = patuh(empty_target, "restore", str(tampered), check=False)
    assert result.returncode == 2  # the archive is at fault
    assert member in result.stderr
    assert "SHA-256" in result.stderr
    assert "Traceback" not in result.stderr
    assert_nothing_written(empty_target)


def test_an_archive_missing_a_file_member_is_refused(archive, empty_target, tmp_path):
    member = file_member(archive, "follow-up")
    broken = rewrite(archive, tmp_path / "kurang.zip", drop=(member,))
    result = patuh(empty_target, "restore", str(broken), check=False)
    assert result.returncode == 2
    assert f"{member} hilang" in result.stderr
    assert_nothing_written(empty_target)


def test_a_file_a_row_needs_but_the_archive_lacks_is_refused(archive, empty_target, tmp_path):
    """The manifest agrees with the members, but a row names a file that is not there: the
    rows loaded so far are rolled back."""
    member = file_member(archive, "evidence")
    broken = rewrite(archive, tmp_path / "kurang.zip", drop=(member,), consistent=True)
    result = patuh(empty_target, "restore", str(broken), check=False)
    assert result.returncode == 2
    assert member.removeprefix("files/") in result.stderr
    assert "tidak ada di arsip" in result.stderr
    assert_nothing_written(empty_target)


def test_a_failure_after_the_files_are_written_removes_them_and_the_rows(
    archive, empty_target, tmp_path
):
    """A consistent archive whose rows refer to a user it does not hold (every demo user has
    a membership): the reference check fails after the files were written; rows and files
    are gone again."""
    member = "database/auth.user.jsonl"

    def without_first_user(data: bytes) -> bytes:
        return b"".join(data.splitlines(keepends=True)[1:])

    def fewer_rows(manifest: dict) -> None:
        manifest["rows"]["auth.user"] -= 1
        for entry in manifest["models"]:
            if entry["model"] == "auth.user":
                entry["rows"] -= 1

    broken = rewrite(
        archive,
        tmp_path / "rujukan.zip",
        change={member: without_first_user},
        consistent=True,
        manifest_change=fewer_rows,
    )
    result = patuh(empty_target, "restore", "-v2", str(broken), check=False)
    assert result.returncode == 1
    assert "Berkas ditulis: 5" in result.stdout  # the files were written before the failure
    assert "Rujukan antarbaris" in result.stderr
    assert_nothing_written(empty_target)


def test_a_non_empty_target_is_refused_saying_what_it_holds(source, archive):
    before = data_row_count(source)
    result = patuh(source, "restore", str(archive), check=False)
    assert result.returncode == 1  # the target is at fault, not the archive
    assert "tidak kosong" in result.stderr
    assert "auth.user (" in result.stderr
    assert "orgs.government (552 baris)" in result.stderr
    assert "assessments.assessment (" in result.stderr
    assert data_row_count(source) == before


def test_an_unmigrated_target_is_refused(archive, tmp_path):
    var_dir = tmp_path / "kosong"
    result = patuh(var_dir, "restore", str(archive), check=False)
    assert result.returncode == 1
    assert "patuh migrate" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_output_path_is_refused_without_a_traceback(source, archive, tmp_path):
    missing = patuh(source, "backup", str(tmp_path / "tidak-ada" / "b.zip"), check=False)
    assert missing.returncode == 2
    assert "tidak ada" in missing.stderr
    assert "Traceback" not in missing.stderr
    existing = patuh(source, "backup", str(archive), check=False)
    assert existing.returncode == 2
    assert "sudah ada" in existing.stderr
    assert "Traceback" not in existing.stderr
    not_an_archive = tmp_path / "bukan.zip"
    not_an_archive.write_text("bukan arsip")
    refused = patuh(source, "restore", str(not_an_archive), check=False)
    assert refused.returncode == 2
    assert "bukan arsip ZIP" in refused.stderr


REHASH_FROM_THE_FIRST_EVENT = """
from django.db import connection
from patuh.core.audit_chain import event_digest
from patuh.core.models import AuditEvent
with connection.cursor() as cursor:
    first = AuditEvent.objects.order_by("id").first()
    cursor.execute("UPDATE core_auditevent SET reason = 'disamarkan' WHERE id = %s", [first.pk])
    previous = ""
    for event in AuditEvent.objects.order_by("id"):
        event.previous_hash = previous
        event.hash = event_digest(event)
        cursor.execute(
            "UPDATE core_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
            [event.previous_hash, event.hash, event.pk],
        )
        previous = event.hash
print("rehashed", first.pk)
"""


def test_the_manifest_records_the_audit_chains_head(source, archive):
    with zipfile.ZipFile(archive) as zf:
        audit = json.loads(zf.read(MANIFEST))["audit"]
    connection = sqlite3.connect(sqlite_path(source))
    head_id, head_hash = connection.execute(
        "SELECT id, hash FROM core_auditevent ORDER BY id DESC LIMIT 1"
    ).fetchone()
    (events,) = connection.execute("SELECT count(*) FROM core_auditevent").fetchone()
    connection.close()
    assert audit == {"events": events, "head_id": head_id, "head_hash": head_hash}


def test_a_backup_as_json_says_what_it_wrote(source, tmp_path):
    result = patuh(source, "backup", str(tmp_path), "--format", "json")
    summary = json.loads(result.stdout)
    assert Path(summary["path"]).parent == tmp_path
    assert Path(summary["path"]).stat().st_size == summary["archive_bytes"]
    assert summary["files"] == 5
    assert summary["missing_files"] == []
    assert summary["rows"] > 552
    assert summary["audit"]["head_id"] is not None


def test_the_live_chain_is_verified_against_a_backup(source, archive, tmp_path):
    result = patuh(source, "audit", "verify", "--against", str(archive))
    assert "jejak audit utuh" in result.stdout
    assert f"sesuai dengan cadangan {archive}" in result.stdout
    # someone edits the first event and recomputes every hash after it: the chain alone
    # verifies, the backup's head gives it away
    var_dir = tmp_path / "diubah"
    var_dir.mkdir()
    for path in source.glob("patuh.sqlite3*"):
        shutil.copy2(path, var_dir / path.name)
    assert "rehashed" in shell(var_dir, REHASH_FROM_THE_FIRST_EVENT)
    patuh(var_dir, "audit", "verify")
    tampered = patuh(var_dir, "audit", "verify", "--against", str(archive), check=False)
    assert tampered.returncode == 1
    assert "ujung rantai saat pencadangan, kini ber-hash" in tampered.stderr
    assert "Traceback" not in tampered.stderr


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


@pytest.mark.skipif(_postgres_url() is None, reason="DATABASE_URL does not point to PostgreSQL")
def test_sqlite_to_postgresql_and_back(source, archive, empty_template, tmp_path):
    import psycopg

    base = urlsplit(_postgres_url())
    name = f"{base.path.lstrip('/') or 'patuh'}_restore_{uuid.uuid4().hex[:8]}"
    admin_url = base._replace(path="/postgres", scheme="postgresql").geturl()
    target_url = base._replace(path=f"/{name}").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        pg_dir = tmp_path / "pg"
        patuh(pg_dir, "migrate", "--noinput", "-v0", database_url=target_url)
        patuh(pg_dir, "restore", str(archive), database_url=target_url)
        assert dump(pg_dir, database_url=target_url) == dump(source)
        assert media_files(pg_dir) == media_files(source)
        assert patuh(pg_dir, "audit", "verify", database_url=target_url).stdout == (
            patuh(source, "audit", "verify").stdout
        )
        # sequences were moved past the restored ids: new rows do not collide
        assert "new rows" in shell(pg_dir, NEW_ROWS, database_url=target_url)
        patuh(pg_dir, "audit", "verify", database_url=target_url)
        # and back: PostgreSQL's backup restores onto SQLite (the extra rows included)
        back = tmp_path / "kembali.zip"
        patuh(pg_dir, "backup", str(back), database_url=target_url)
        sqlite_dir = tmp_path / "sqlite"
        sqlite_dir.mkdir()
        for path in empty_template.glob("patuh.sqlite3*"):
            shutil.copy2(path, sqlite_dir / path.name)
        patuh(sqlite_dir, "restore", str(back))
        assert dump(sqlite_dir) == dump(pg_dir, database_url=target_url)
        patuh(sqlite_dir, "audit", "verify")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
