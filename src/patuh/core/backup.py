"""Whole-instance backup and restore: ``patuh backup OUT`` and ``patuh restore IN``.

A backup is one ZIP archive:

- ``database/<app>.<model>.jsonl`` — every row of every model, one JSON object a line
  (Django's ``jsonl`` serialisation, so it restores onto SQLite or PostgreSQL alike).
  Datetimes keep their microseconds: the audit trail's hash chain covers them.
- ``files/<storage name>`` — every stored file a row refers to (evidence and its thumbnails,
  follow-up proofs, report job outputs), under the name the row holds.
- ``manifest.json`` — format version, creation time, Patuh and Django versions, the source
  database engine, the applied migrations, the row count of every model and the size and
  SHA-256 of every other member, and where the audit trail's hash chain ended
  (``audit``: events, head id and hash) for ``patuh audit verify --against BACKUP``.

Content types and permissions are not dumped: ``patuh migrate`` creates them on the target,
and the few references to them (admin log entries, group and user permissions) are written
as natural keys (``["app_label", "model"]``, ``["codename", "app_label", "model"]``), so they
survive different ids on the target. Sessions and django-axes' login records are left out.

The dump is read in one snapshot: a ``REPEATABLE READ, READ ONLY`` transaction on
PostgreSQL, one read transaction on SQLite (in WAL mode writers carry on meanwhile).

A restore checks the archive completely before it writes anything (every member's SHA-256,
no member missing or extra, every file a row names present), refuses a target that is not
empty or not migrated to the same migrations, then loads every row in one transaction and
writes the files; on any error the transaction is rolled back and the files it wrote are
removed. PostgreSQL sequences are reset afterwards, so new rows do not collide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import django
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer as JsonlDeserializer
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connections,
    router,
    transaction,
)
from django.db import models as db_models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import signals
from django.utils import timezone
from django.utils.translation import gettext as _

import patuh
from patuh.core.audit_chain import chain_head, verify
from patuh.core.models import AuditEvent
from patuh.core.services import refresh_planner_statistics

FORMAT = "patuh-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database/"
FILES_DIR = "files/"
CHUNK = 1024 * 1024

EXCLUDED_MODELS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})
"""Created by ``migrate`` on the target (content types, permissions) or worthless after a
restore (sessions: everyone logs in again)."""
EXCLUDED_APPS = frozenset({"axes"})
"""django-axes' login attempts and lockouts: operational, not the platform's data."""
NATURAL_KEY_MODELS = (ContentType, Permission)
"""References to these are written as natural keys: their ids differ between instances."""
STORED_COMPRESSED = frozenset(
    {".jpg", ".jpeg", ".png", ".webp", ".gif", ".zip", ".docx", ".xlsx", ".pptx", ".odt"}
)
"""Stored files already compressed: written into the archive as they are."""


EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


class BackupError(Exception):
    """A backup could not be written; the message says why (in Bahasa Indonesia).

    ``returncode``: 2 when the command's input is at fault (the output path), 1 otherwise."""

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.returncode = EXIT_BAD_INPUT if bad_input else EXIT_FAILURE


class RestoreError(Exception):
    """A restore was refused or failed; nothing was left behind. The message says why.

    ``returncode``: 2 when the archive is at fault (missing, not a backup, altered), 1 when
    the target or the database is."""

    def __init__(self, message: str, *, bad_input: bool = False) -> None:
        super().__init__(message)
        self.returncode = EXIT_BAD_INPUT if bad_input else EXIT_FAILURE


# --- What is backed up ----------------------------------------------------------------------


def backup_models(using: str = DEFAULT_DB_ALIAS) -> list[type[db_models.Model]]:
    """Every concrete model whose rows are backed up, in app and model order."""
    chosen = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        if meta.label_lower in EXCLUDED_MODELS:
            continue
        if not router.allow_migrate_model(using, model):
            continue
        chosen.append(model)
    return chosen


def file_fields(model: type[db_models.Model]) -> list[db_models.FileField]:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, db_models.FileField)]
    for item in fields:
        if item.storage is not default_storage:
            raise BackupError(
                _("Kolom berkas %(field)s memakai penyimpanan selain bawaan; belum didukung.")
                % {"field": f"{model._meta.label}.{item.name}"}
            )
    return fields


def member_for(label: str) -> str:
    return f"{DATABASE_DIR}{label}.jsonl"


# --- Serialisation --------------------------------------------------------------------------


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder, without cutting datetimes and times to milliseconds."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JsonlSerializer):
    """``jsonl``, with natural keys for content types and permissions only."""

    def _natural_for(self, field: Any) -> None:
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, NATURAL_KEY_MODELS)

    def handle_fk_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        self._natural_for(field)
        super().handle_m2m_field(obj, field)


class HashingWriter(io.RawIOBase):
    """A binary sink that counts and hashes what passes through to ``target``."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.sha256 = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.target.write(chunk)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return len(chunk)


# --- Consistent reads -----------------------------------------------------------------------


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every query inside sees the database as of one moment.

    PostgreSQL: a ``REPEATABLE READ, READ ONLY`` transaction. SQLite: a deferred read
    transaction (the settings make Django's own transactions ``IMMEDIATE``, which would lock
    writers out for the whole backup); in WAL mode writers carry on meanwhile. Inside an
    existing transaction (tests, a caller's ``atomic``) that transaction is the snapshot."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            cursor.execute("SELECT count(*) FROM sqlite_master")  # the snapshot starts here
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations of the installed code not applied to the database yet."""
    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _require_migrated(using: str, error: type[Exception]) -> None:
    pending = pending_migrations(using)
    if pending:
        raise error(
            _("Basis data belum dimigrasi (%(names)s). Jalankan dulu: patuh migrate")
            % {"names": ", ".join(pending[:5]) + (" …" if len(pending) > 5 else "")}
        )


# --- Backup ---------------------------------------------------------------------------------


@dataclass
class BackupSummary:
    path: Path
    rows: dict[str, int]
    files: int
    file_bytes: int
    archive_bytes: int
    missing_files: list[str]
    seconds: float
    audit: dict[str, Any] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def output_path(out: Path) -> Path:
    """Where ``patuh backup OUT`` writes: ``OUT`` itself, or a dated file inside a folder.

    Refuses a path that exists or whose folder does not."""
    if out.is_dir():
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        out = out / f"patuh-backup-{stamp}.zip"
    if out.exists():
        raise BackupError(
            _("%(path)s sudah ada; pilih nama berkas lain.") % {"path": out}, bad_input=True
        )
    if not out.parent.is_dir():
        raise BackupError(_("Folder %(path)s tidak ada.") % {"path": out.parent}, bad_input=True)
    if not os.access(out.parent, os.W_OK):
        raise BackupError(
            _("Folder %(path)s tidak dapat ditulisi.") % {"path": out.parent}, bad_input=True
        )
    return out


def create_backup(
    out: Path,
    *,
    allow_missing_files: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> BackupSummary:
    """Write the backup archive to ``out`` (see :func:`output_path`) and return its summary.

    The archive is written beside ``out`` under a temporary name and renamed when complete,
    so ``out`` is never a half-written backup. It holds password hashes: readable by its
    owner only."""
    started = time.monotonic()
    out = output_path(Path(out))
    _require_migrated(using, BackupError)
    connection = connections[using]
    partial = out.with_name(f".{out.name}.partial")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:
        raise BackupError(
            _("Tidak dapat menulis %(path)s: %(error)s") % {"path": out, "error": error.strerror}
        ) from error
    members: dict[str, dict[str, Any]] = {}
    rows: dict[str, int] = {}
    models_info: list[dict[str, Any]] = []
    referenced: dict[str, str] = {}
    missing: list[str] = []
    file_bytes = 0
    try:
        with (
            os.fdopen(descriptor, "wb") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf,
        ):
            with read_snapshot(using):
                migrations = applied_migrations(using)
                audit = chain_head(AuditEvent.objects.using(using))
                for model in backup_models(using):
                    label = model._meta.label_lower
                    name = member_for(label)
                    count, info = _dump_model(zf, name, model, referenced, using)
                    rows[label] = count
                    members[name] = info
                    models_info.append({"model": label, "member": name, "rows": count})
                    if progress:
                        progress(f"{label}: {count}")
            for storage_name in sorted(referenced):
                info = _copy_file(zf, storage_name)
                if info is None:
                    missing.append(storage_name)
                    continue
                members[FILES_DIR + storage_name] = info
                file_bytes += info["size"]
            if missing and not allow_missing_files:
                shown = ", ".join(missing[:10])
                raise BackupError(
                    _(
                        "%(count)d berkas yang dirujuk basis data tidak ada di penyimpanan "
                        "(%(names)s). Periksa MEDIA_ROOT, atau jalankan ulang dengan "
                        "--allow-missing-files untuk mencatatnya di manifest."
                    )
                    % {"count": len(missing), "names": shown}
                )
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "patuh_version": patuh.__version__,
                "django_version": django.get_version(),
                "source": {
                    "engine": connection.settings_dict["ENGINE"],
                    "vendor": connection.vendor,
                },
                "migrations": migrations,
                "excluded_models": sorted(EXCLUDED_MODELS),
                "excluded_apps": sorted(EXCLUDED_APPS),
                "natural_keys": sorted(m._meta.label_lower for m in NATURAL_KEY_MODELS),
                "models": models_info,
                "rows": rows,
                "files": len(referenced) - len(missing),
                "missing_files": missing,
                "audit": audit,
                "members": members,
            }
            zf.writestr(
                MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=False)
            )
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupSummary(
        path=out,
        rows=rows,
        files=len(referenced) - len(missing),
        file_bytes=file_bytes,
        archive_bytes=out.stat().st_size,
        missing_files=missing,
        seconds=time.monotonic() - started,
        audit=audit,
    )


def _dump_model(
    zf: zipfile.ZipFile,
    name: str,
    model: type[db_models.Model],
    referenced: dict[str, str],
    using: str,
) -> tuple[int, dict[str, Any]]:
    """Stream one model's rows into the member ``name``; note the files they refer to."""
    fields = file_fields(model)
    label = model._meta.label_lower
    counter = [0]

    def rows() -> Iterator[db_models.Model]:
        queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
        for obj in queryset.iterator(chunk_size=2000):
            counter[0] += 1
            for item in fields:
                value = getattr(obj, item.attname)
                stored = getattr(value, "name", value)
                if stored:
                    referenced.setdefault(str(stored), label)
            yield obj

    with zf.open(zip_entry(name), "w", force_zip64=True) as member:
        sink = HashingWriter(member)
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="\n", write_through=True)
        Serializer().serialize(rows(), stream=text, cls=ExactJSONEncoder)
        text.flush()
        text.detach()
    return counter[0], {"size": sink.size, "sha256": sink.sha256.hexdigest()}


def _copy_file(zf: zipfile.ZipFile, storage_name: str) -> dict[str, Any] | None:
    """Copy one stored file into the archive; ``None`` when storage does not have it."""
    try:
        source = default_storage.open(storage_name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        return None
    compress = (
        zipfile.ZIP_STORED
        if PurePosixPath(storage_name).suffix.lower() in STORED_COMPRESSED
        else zipfile.ZIP_DEFLATED
    )
    entry = zip_entry(FILES_DIR + storage_name, compress)
    with source, zf.open(entry, "w", force_zip64=True) as member:
        sink = HashingWriter(member)
        while chunk := source.read(CHUNK):
            sink.write(chunk)
    return {"size": sink.size, "sha256": sink.sha256.hexdigest()}


def zip_entry(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A member to stream into, dated now (``ZipFile.open(name, "w")`` would date it 1980)."""
    now = timezone.localtime()
    info = zipfile.ZipInfo(name, date_time=now.timetuple()[:6])
    info.compress_type = compress_type
    return info


# --- Checking an archive --------------------------------------------------------------------


def safe_member_name(name: str) -> bool:
    """A relative POSIX path without ``..``, drive letters or backslashes."""
    if not name or "\\" in name or name.startswith("/") or "\x00" in name:
        return False
    parts = PurePosixPath(name).parts
    return all(part not in ("", ".", "..") and ":" not in part for part in parts)


def _sha256_of(zf: zipfile.ZipFile, name: str, expected_size: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with zf.open(name) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > expected_size:
                break  # longer than the manifest says: no need to read on
            digest.update(chunk)
    return digest.hexdigest(), size


def read_manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError as error:
        raise RestoreError(
            _("Arsip tidak memuat %(name)s.") % {"name": MANIFEST}, bad_input=True
        ) from error
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile) as error:
        raise RestoreError(
            _("%(name)s rusak: %(error)s") % {"name": MANIFEST, "error": error}, bad_input=True
        ) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(_("Arsip ini bukan cadangan Patuh."), bad_input=True)
    if manifest.get("format_version") != FORMAT_VERSION:
        raise RestoreError(
            _("Versi format cadangan %(version)s tidak didukung (didukung: %(supported)s).")
            % {"version": manifest.get("format_version"), "supported": FORMAT_VERSION},
            bad_input=True,
        )
    for key, kind in (("members", dict), ("models", list), ("migrations", list)):
        if not isinstance(manifest.get(key), kind):
            raise RestoreError(
                _("%(name)s tidak lengkap: %(key)s.") % {"name": MANIFEST, "key": key},
                bad_input=True,
            )
    return manifest


def verify_archive(zf: zipfile.ZipFile) -> dict[str, Any]:
    """The manifest, once every member is present, expected and matches its SHA-256.

    Raises :class:`RestoreError` naming the first member that does not."""
    manifest = read_manifest(zf)
    members: dict[str, Any] = manifest["members"]
    present = {info.filename for info in zf.infolist() if not info.is_dir()}
    extra = sorted(present - set(members) - {MANIFEST})
    if extra:
        raise RestoreError(
            _("Anggota arsip %(name)s tidak tercatat di manifest.") % {"name": extra[0]},
            bad_input=True,
        )
    for name, expected in members.items():
        if not safe_member_name(name) or not name.startswith((DATABASE_DIR, FILES_DIR)):
            raise RestoreError(
                _("Nama anggota arsip tidak aman: %(name)s.") % {"name": name}, bad_input=True
            )
        if name not in present:
            raise RestoreError(_("Anggota arsip %(name)s hilang.") % {"name": name}, bad_input=True)
        try:
            sha256, size = _sha256_of(zf, name, int(expected["size"]))
        except (zipfile.BadZipFile, OSError, KeyError, TypeError, ValueError) as error:
            raise RestoreError(
                _("Anggota arsip %(name)s rusak: %(error)s") % {"name": name, "error": error},
                bad_input=True,
            ) from error
        if size != expected["size"] or sha256 != expected["sha256"]:
            raise RestoreError(
                _(
                    "Anggota arsip %(name)s tidak cocok dengan SHA-256 di manifest "
                    "(diubah atau rusak). Tidak ada yang dipulihkan."
                )
                % {"name": name},
                bad_input=True,
            )
    for entry in manifest["models"]:
        if entry.get("member") not in members:
            raise RestoreError(
                _("Data model %(model)s tidak ada di arsip.") % {"model": entry.get("model")},
                bad_input=True,
            )
    return manifest


# --- Restore --------------------------------------------------------------------------------


@dataclass
class RestoreSummary:
    rows: dict[str, int]
    files: int
    file_bytes: int
    skipped_files: int
    audit_events: int
    audit_breaks: int
    seconds: float
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def nonempty_models(
    labels: Iterable[str] | None = None, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """``{model label: rows}`` of the backed-up models that already hold rows."""
    chosen = backup_models(using)
    if labels is not None:
        wanted = set(labels)
        chosen = [m for m in chosen if m._meta.label_lower in wanted]
    counts = {}
    for model in chosen:
        count = model._base_manager.using(using).count()
        if count:
            counts[model._meta.label_lower] = count
    return counts


def _model_for(label: str) -> type[db_models.Model]:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError) as error:
        raise RestoreError(
            _("Model %(model)s dari cadangan tidak dikenal oleh instalasi ini.") % {"model": label}
        ) from error


def check_target(manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a target that is not migrated like the source or not empty."""
    _require_migrated(using, RestoreError)
    target = set(applied_migrations(using))
    source = set(manifest["migrations"])
    if source != target:
        behind = sorted(source - target)
        ahead = sorted(target - source)
        parts = []
        if behind:
            parts.append(
                _("belum diterapkan di tujuan: %(names)s") % {"names": ", ".join(behind[:8])}
            )
        if ahead:
            parts.append(_("tidak ada di cadangan: %(names)s") % {"names": ", ".join(ahead[:8])})
        raise RestoreError(
            _(
                "Migrasi basis data tujuan berbeda dengan sumber cadangan (%(diff)s). Pulihkan "
                "dengan versi Patuh yang sama dengan sumbernya (jalankan patuh migrate), lalu "
                "perbarui Patuh."
            )
            % {"diff": "; ".join(parts)}
        )
    labels = [entry["model"] for entry in manifest["models"]]
    for label in labels:
        _model_for(label)
    filled = nonempty_models(labels, using)
    if filled:
        listed = ", ".join(f"{label} ({count} baris)" for label, count in filled.items())
        raise RestoreError(
            _(
                "Instansi tujuan tidak kosong: %(models)s. Pulihkan ke instansi yang baru "
                "dimigrasi (patuh migrate tanpa patuh demo atau data lain)."
            )
            % {"models": listed}
        )


def _files_to_write(zf: zipfile.ZipFile, manifest: dict[str, Any]) -> tuple[list[str], int]:
    """The archive's files that storage does not hold yet, and how many it holds already
    (same bytes). A name taken by other bytes refuses the restore."""
    to_write: list[str] = []
    already = 0
    for member, expected in manifest["members"].items():
        if not member.startswith(FILES_DIR):
            continue
        name = member[len(FILES_DIR) :]
        try:
            exists = default_storage.exists(name)
        except SuspiciousFileOperation as error:
            raise RestoreError(_("Nama berkas tidak aman: %(name)s.") % {"name": name}) from error
        if not exists:
            to_write.append(name)
            continue
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        if digest.hexdigest() != expected["sha256"]:
            raise RestoreError(
                _(
                    "Penyimpanan berkas tujuan sudah memuat %(name)s dengan isi lain. "
                    "Pulihkan ke instansi yang kosong."
                )
                % {"name": name}
            )
        already += 1
    return to_write, already


def restore_backup(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str], None] | None = None,
) -> RestoreSummary:
    """Restore the archive at ``path`` onto this (empty, migrated) instance."""
    started = time.monotonic()
    path = Path(path)
    if not path.is_file():
        raise RestoreError(_("Berkas %(path)s tidak ada.") % {"path": path}, bad_input=True)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise RestoreError(
            _("%(path)s bukan arsip ZIP yang dapat dibaca: %(error)s")
            % {"path": path, "error": error},
            bad_input=True,
        ) from error
    with zf:
        manifest = verify_archive(zf)
        if progress:
            progress(_("Arsip utuh: SHA-256 semua anggota cocok dengan manifest."))
        check_target(manifest, using)
        to_write, already = _files_to_write(zf, manifest)
        written: list[str] = []
        file_bytes = 0
        try:
            with transaction.atomic(using=using):
                rows = _load_rows(zf, manifest, using, progress)
                for name in to_write:
                    file_bytes += _write_file(zf, name, written)
                if progress:
                    progress(_("Berkas ditulis: %(count)d") % {"count": len(written)})
                _finish_database(manifest, using)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    refresh_planner_statistics(using)
    ContentType.objects.clear_cache()
    events, breaks = verify(AuditEvent.objects.using(using).order_by("id").iterator(2000))
    return RestoreSummary(
        rows=rows,
        files=len(written),
        file_bytes=file_bytes,
        skipped_files=already,
        audit_events=events,
        audit_breaks=len(breaks),
        seconds=time.monotonic() - started,
        manifest=manifest,
    )


class _RowWriter:
    """Inserts one model's rows as they are (``raw``: no ``save()``, no ``auto_now``).

    In batches where Django's ``save_base(raw=True)``, as ``loaddata`` uses it, would do no
    more than one INSERT (no signal receivers, no many-to-many, no parent table); one by one
    otherwise."""

    BATCH = 1000

    def __init__(self, model: type[db_models.Model], using: str) -> None:
        meta = model._meta
        self.model = model
        self.using = using
        self.fields = [f for f in meta.local_concrete_fields if not f.generated]
        self.batched = not (
            meta.parents
            or meta.many_to_many
            or signals.pre_save.has_listeners(model)
            or signals.post_save.has_listeners(model)
        )
        self.pending: list[db_models.Model] = []

    def add(self, item: Any) -> None:
        if self.batched and not item.m2m_data and not item.deferred_fields:
            self.pending.append(item.object)
            if len(self.pending) >= self.BATCH:
                self.flush()
        else:
            item.save(using=self.using, force_insert=True)

    def flush(self) -> None:
        if not self.pending:
            return
        operations = connections[self.using].ops
        size = max(1, operations.bulk_batch_size(self.fields, self.pending))
        manager = self.model._base_manager
        for start in range(0, len(self.pending), size):
            manager._insert(
                self.pending[start : start + size], fields=self.fields, using=self.using, raw=True
            )
        self.pending.clear()


def _load_rows(
    zf: zipfile.ZipFile,
    manifest: dict[str, Any],
    using: str,
    progress: Callable[[str], None] | None,
) -> dict[str, int]:
    connection = connections[using]
    archived_files = {
        member[len(FILES_DIR) :] for member in manifest["members"] if member.startswith(FILES_DIR)
    } | set(manifest.get("missing_files") or [])
    rows: dict[str, int] = {}
    deferred = []
    with connection.constraint_checks_disabled():
        for entry in manifest["models"]:
            label, member = entry["model"], entry["member"]
            model = _model_for(label)
            fields = file_fields(model)
            writer = _RowWriter(model, using)
            count = 0
            with zf.open(member) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8")
                objects = JsonlDeserializer(
                    text, using=using, ignorenonexistent=False, handle_forward_references=True
                )
                try:
                    for item in objects:
                        obj = item.object
                        if obj._meta.label_lower != label:
                            raise RestoreError(
                                _("%(member)s memuat baris model lain (%(model)s).")
                                % {"member": member, "model": obj._meta.label_lower}
                            )
                        for file_field in fields:
                            stored = getattr(obj, file_field.attname)
                            stored = getattr(stored, "name", stored)
                            if stored and str(stored) not in archived_files:
                                raise RestoreError(
                                    _(
                                        "Berkas %(name)s (dirujuk oleh %(model)s #%(pk)s) tidak "
                                        "ada di arsip. Tidak ada yang dipulihkan."
                                    )
                                    % {"name": stored, "model": label, "pk": obj.pk},
                                    bad_input=True,
                                )
                        writer.add(item)
                        if item.deferred_fields:
                            deferred.append(item)
                        count += 1
                    writer.flush()
                except (DeserializationError, ObjectDoesNotExist) as error:
                    raise RestoreError(
                        _("Baris %(member)s tidak dapat dimuat: %(error)s")
                        % {"member": member, "error": error}
                    ) from error
                except (IntegrityError, DatabaseError) as error:
                    raise RestoreError(
                        _("Basis data menolak baris %(model)s: %(error)s")
                        % {"model": label, "error": error}
                    ) from error
            if count != entry["rows"]:
                raise RestoreError(
                    _("%(member)s memuat %(count)d baris, manifest mencatat %(expected)d.")
                    % {"member": member, "count": count, "expected": entry["rows"]}
                )
            rows[label] = count
            if progress:
                progress(f"{label}: {count}")
        for item in deferred:
            try:
                item.save_deferred_fields(using=using)
            except (DeserializationError, ObjectDoesNotExist) as error:
                raise RestoreError(str(error)) from error
    return rows


def _write_file(zf: zipfile.ZipFile, name: str, written: list[str]) -> int:
    with zf.open(FILES_DIR + name) as member:
        saved = default_storage.save(name, File(member, name=PurePosixPath(name).name))
    written.append(saved)
    if saved != name:
        raise RestoreError(
            _("Penyimpanan menyimpan %(name)s dengan nama lain (%(saved)s).")
            % {"name": name, "saved": saved}
        )
    return int(zf.getinfo(FILES_DIR + name).file_size)


def _finish_database(manifest: dict[str, Any], using: str) -> None:
    """Check every reference between the restored rows, then move the id sequences past them
    (PostgreSQL; SQLite needs nothing)."""
    connection = connections[using]
    models = [_model_for(entry["model"]) for entry in manifest["models"]]
    try:
        connection.check_constraints(table_names=[model._meta.db_table for model in models])
    except IntegrityError as error:
        raise RestoreError(
            _("Rujukan antarbaris di cadangan tidak utuh: %(error)s") % {"error": error}
        ) from error
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def recorded_chain_head(path: Path) -> dict[str, Any]:
    """The audit chain's head recorded in the manifest of the backup at ``path``.

    Raises :class:`RestoreError` (bad input) when the file is not a readable Patuh backup or
    was made before backups recorded it."""
    path = Path(path)
    if not path.is_file():
        raise RestoreError(_("Berkas %(path)s tidak ada.") % {"path": path}, bad_input=True)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = read_manifest(zf)
    except (zipfile.BadZipFile, OSError) as error:
        raise RestoreError(
            _("%(path)s bukan arsip ZIP yang dapat dibaca: %(error)s")
            % {"path": path, "error": error},
            bad_input=True,
        ) from error
    audit = manifest.get("audit")
    if not isinstance(audit, dict) or "head_id" not in audit or "events" not in audit:
        raise RestoreError(
            _(
                "Manifest %(path)s tidak mencatat ujung rantai jejak audit (cadangan dari "
                "versi Patuh yang lebih lama)."
            )
            % {"path": path},
            bad_input=True,
        )
    return audit
