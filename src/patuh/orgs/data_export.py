"""A government's own data, all of it, in one ZIP: "a government can export all of its data".

The archive holds one JSON file per kind of record under ``data/`` (the government, its units
and products, people, cycles, every assessment with its answers, respondents, sampled
products, evidence, comments and change requests, the audit events concerning them, service
standards, follow-up actions, the Ombudsman's products, survey responses and the published
result snapshots), the evidence and proof files themselves under ``files/`` (their storage
names), a ``README.txt`` in Bahasa Indonesia and a ``manifest.json`` with the size and
SHA-256 of every other member.

Left out: survey respondents' device and address hashes, passwords and e-mail addresses,
image thumbnails (made from the evidence files, which are included) and everything about
other governments. Who may export: :func:`can_export` (the government's coordinators, the
regional office admins of its province and national admins).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

import patuh
from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.access import is_national_admin, roles_of
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessorAssignment,
    ChangeRequest,
    Comment,
    Cycle,
    CycleStage,
    Evidence,
    ProductObservation,
    Respondent,
    StageOverride,
)
from patuh.core.backup import CHUNK, ExactJSONEncoder, HashingWriter, read_snapshot, zip_entry
from patuh.core.models import AuditEvent
from patuh.core.services import record_event
from patuh.followup.models import FollowUpAction, OmbudsmanProduct
from patuh.orgs.models import Government, ServiceProduct, ServiceUnit
from patuh.results.models import ResultSnapshot
from patuh.standards.models import ServiceStandard
from patuh.surveys.models import SurveyResponse

FORMAT = "patuh-government-export"
FORMAT_VERSION = 1
EXPORTED = "government.data_exported"
DATA_DIR = "data/"
FILES_DIR = "files/"
README = "README.txt"
MANIFEST = "manifest.json"
SURVEY_PRIVATE_FIELDS = ("device_hash", "address_hash")
"""Keyed hashes of a respondent's device and network address: abuse protection only."""
ID_CHUNK = 500


def can_export(user: Any, government: Government) -> bool:
    """National admins, the regional office admins of the government's province and the
    government's own coordinators."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_national_admin(user):
        return True
    for membership in roles_of(user):
        if membership.role == Role.GOVERNMENT_COORDINATOR and (
            membership.government_id == government.pk
        ):
            return True
        if membership.role == Role.REGIONAL_OFFICE_ADMIN and (
            government.province_id is not None and membership.province_id == government.province_id
        ):
            return True
    return False


def export_filename(government: Government) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d")
    return f"data-{government.region_code}-{stamp}.zip"


@dataclass
class ExportSummary:
    path: Path
    counts: dict[str, int]
    files: int
    file_bytes: int
    missing_files: list[str]
    manifest_sha256: str
    archive_bytes: int = 0
    members: list[str] = field(default_factory=list)


class _Rows:
    """Turns rows into JSON objects: users by username, other relations by id, stored files
    by their path in the archive, values as the database holds them."""

    def __init__(self) -> None:
        self.user_model = get_user_model()
        self._usernames: dict[int, str] = {}
        self.files: dict[str, str] = {}
        """storage name → the kind that referred to it"""
        self.seen: dict[str, set[int]] = {}
        """model label → ids written, for finding the audit events about them"""

    def username(self, user_id: int | None) -> str | None:
        if user_id is None:
            return None
        if user_id not in self._usernames:
            self._usernames[user_id] = (
                self.user_model._base_manager.filter(pk=user_id)
                .values_list(self.user_model.USERNAME_FIELD, flat=True)
                .first()
                or f"#{user_id}"
            )
        return self._usernames[user_id]

    def row(
        self, obj: models.Model, *, exclude: Iterable[str] = (), **extra: Any
    ) -> dict[str, Any]:
        left_out = set(exclude)
        self.seen.setdefault(obj._meta.label_lower, set()).add(obj.pk)
        data: dict[str, Any] = {"id": obj.pk}
        for item in obj._meta.concrete_fields:
            if item.primary_key or item.name in left_out:
                continue
            value = getattr(obj, item.attname)
            if item.is_relation:
                if item.related_model is self.user_model:
                    data[item.name] = self.username(value)
                else:
                    data[f"{item.name}_id"] = value
            elif isinstance(item, models.FileField):
                name = value.name if value else ""
                if name:
                    self.files.setdefault(name, obj._meta.label_lower)
                data[item.name] = FILES_DIR + name if name else None
            else:
                data[item.name] = value
        data.update(extra)
        return data


def _kinds(government: Government, rows: _Rows) -> Iterator[tuple[str, Iterator[dict[str, Any]]]]:
    """``(kind, its rows)`` in the order they are written. Audit events come last: they are
    found from the ids of everything written before them."""
    units = ServiceUnit.objects.filter(government=government).order_by("code")
    unit_ids = list(units.values_list("pk", flat=True))
    assessments = Assessment.objects.filter(service_unit__government=government)
    of_assessments = {"assessment__service_unit__government": government}

    def each(queryset: Any, **options: Any) -> Iterator[dict[str, Any]]:
        for obj in queryset.order_by("pk").iterator(chunk_size=2000):
            yield rows.row(obj, **options)

    def government_rows() -> Iterator[dict[str, Any]]:
        province = government.province
        yield rows.row(
            government,
            province_code=province.region_code if province else None,
            province_name=province.name if province else None,
        )

    def people_rows() -> Iterator[dict[str, Any]]:
        memberships = Membership.objects.filter(
            Q(government=government) | Q(service_unit_id__in=unit_ids)
        ).select_related("user")
        for membership in memberships.order_by("pk"):
            user = membership.user
            yield rows.row(membership, full_name=user.get_full_name(), active=user.is_active)

    def cycle_rows() -> Iterator[dict[str, Any]]:
        cycle_ids = (
            set(assessments.values_list("cycle_id", flat=True))
            | set(
                AssessorAssignment.objects.filter(government=government).values_list(
                    "cycle_id", flat=True
                )
            )
            | set(
                FollowUpAction.objects.filter(government=government).values_list(
                    "cycle_id", flat=True
                )
            )
            | set(
                ResultSnapshot.objects.filter(government=government).values_list(
                    "cycle_id", flat=True
                )
            )
        )
        cycles = Cycle.objects.filter(pk__in=cycle_ids)
        for cycle in cycles.order_by("year", "pk"):
            stages = [
                rows.row(stage, exclude=("cycle",))
                for stage in CycleStage.objects.filter(cycle=cycle).order_by("pk")
            ]
            overrides = [
                rows.row(override)
                for override in StageOverride.objects.filter(stage__cycle=cycle)
                .filter(Q(government=government) | Q(government__isnull=True))
                .order_by("pk")
            ]
            yield rows.row(cycle, stages=stages, stage_overrides=overrides)

    def assessment_rows() -> Iterator[dict[str, Any]]:
        for obj in (
            assessments.select_related("cycle", "service_unit").order_by("pk").iterator(2000)
        ):
            yield rows.row(obj, cycle_year=obj.cycle.year, unit_code=obj.service_unit.code)

    def evidence_rows() -> Iterator[dict[str, Any]]:
        # thumbnails are made from the files, which are included
        yield from each(Evidence.objects.filter(**of_assessments), exclude=("thumbnail",))

    def snapshot_rows() -> Iterator[dict[str, Any]]:
        published = ResultSnapshot.objects.filter(government=government, published_at__isnull=False)
        for obj in published.select_related("cycle").order_by("pk").iterator(2000):
            yield rows.row(obj, cycle_year=obj.cycle.year)

    yield "government", government_rows()
    yield "units", each(units)
    yield "products", each(ServiceProduct.objects.filter(unit__government=government))
    yield "people", people_rows()
    yield "cycles", cycle_rows()
    yield "assessor_assignments", each(AssessorAssignment.objects.filter(government=government))
    yield "assessments", assessment_rows()
    yield "answers", each(Answer.objects.filter(**of_assessments))
    yield "respondents", each(Respondent.objects.filter(**of_assessments))
    yield "product_observations", each(ProductObservation.objects.filter(**of_assessments))
    yield "evidence", evidence_rows()
    yield "comments", each(Comment.objects.filter(**of_assessments))
    yield "change_requests", each(ChangeRequest.objects.filter(**of_assessments))
    yield (
        "service_standards",
        each(ServiceStandard.objects.filter(product__unit__government=government)),
    )
    yield "follow_up_actions", each(FollowUpAction.objects.filter(government=government))
    yield "ombudsman_products", each(OmbudsmanProduct.objects.filter(government=government))
    yield (
        "survey_responses",
        each(SurveyResponse.objects.filter(unit_id__in=unit_ids), exclude=SURVEY_PRIVATE_FIELDS),
    )
    yield "result_snapshots", snapshot_rows()
    yield "audit_events", _audit_rows(government, rows)


def _chunks(values: list[Any], size: int = ID_CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _audit_rows(government: Government, rows: _Rows) -> Iterator[dict[str, Any]]:
    """The audit events about anything written so far, or recorded in the history of the
    government, one of its units or one of its assessments; in the order they happened.

    Events whose context is a cycle (shared by every government) count only through their
    object."""
    contexts = {
        Government._meta.label_lower,
        ServiceUnit._meta.label_lower,
        Assessment._meta.label_lower,
    }
    found: set[int] = set()
    seen = {label: sorted(ids) for label, ids in rows.seen.items()}
    seen.pop(Membership._meta.label_lower, None)
    seen.pop(Cycle._meta.label_lower, None)
    seen.pop(CycleStage._meta.label_lower, None)
    for label, ids in seen.items():
        for chunk in _chunks([str(pk) for pk in ids]):
            found.update(
                AuditEvent.objects.filter(object_type=label, object_id__in=chunk).values_list(
                    "pk", flat=True
                )
            )
            if label in contexts:
                found.update(
                    AuditEvent.objects.filter(context_type=label, context_id__in=chunk).values_list(
                        "pk", flat=True
                    )
                )
    for chunk in _chunks(sorted(found)):
        for event in AuditEvent.objects.filter(pk__in=chunk).order_by("pk"):
            yield rows.row(event)


def _write_json(
    zf: zipfile.ZipFile, name: str, items: Iterator[dict[str, Any]]
) -> tuple[int, dict]:
    """A JSON array, one object a line, streamed into the member ``name``."""
    count = 0
    with zf.open(zip_entry(name), "w", force_zip64=True) as member:
        sink = HashingWriter(member)
        text = io.TextIOWrapper(sink, encoding="utf-8", newline="\n", write_through=True)
        text.write("[")
        for item in items:
            text.write(",\n" if count else "\n")
            text.write(json.dumps(item, cls=ExactJSONEncoder, ensure_ascii=False, sort_keys=True))
            count += 1
        text.write("\n]\n" if count else "]\n")
        text.flush()
        text.detach()
    return count, {"size": sink.size, "sha256": sink.sha256.hexdigest()}


def _copy_file(zf: zipfile.ZipFile, storage_name: str) -> dict[str, Any] | None:
    try:
        source = default_storage.open(storage_name, "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        return None
    entry = zip_entry(FILES_DIR + storage_name)
    with source, zf.open(entry, "w", force_zip64=True) as member:
        sink = HashingWriter(member)
        while chunk := source.read(CHUNK):
            sink.write(chunk)
    return {"size": sink.size, "sha256": sink.sha256.hexdigest()}


KIND_DESCRIPTIONS = {
    "government": N_("pemerintah ini dan provinsinya"),
    "units": N_("unit layanan"),
    "products": N_("produk/jenis layanan setiap unit"),
    "people": N_("pengguna yang memegang peran di pemerintah atau unitnya (tanpa e-mail)"),
    "cycles": N_("siklus penilaian yang memuat pemerintah ini, dengan tahap dan perpanjangannya"),
    "assessor_assignments": N_("penilai yang ditugaskan ke pemerintah ini"),
    "assessments": N_("setiap penilaian (mandiri, pra-evaluasi, resmi) setiap unit, dengan status"),
    "answers": N_("jawaban setiap indikator; 'parts' memuat nilai per responden/produk"),
    "respondents": N_("responden yang diwawancarai (jabatan, tanpa nama)"),
    "product_observations": N_("produk layanan sampel dan publikasi standarnya"),
    "evidence": N_("bukti: metadata, tautan, dan jalur berkasnya di folder files/"),
    "comments": N_("komentar dan balasan per indikator"),
    "change_requests": N_("permintaan perbaikan dari verifikator"),
    "service_standards": N_("standar pelayanan setiap produk, semua versinya"),
    "follow_up_actions": N_("tindak lanjut rapor, dengan bukti penyelesaiannya"),
    "ombudsman_products": N_("produk Ombudsman (tindakan korektif, saran, rekomendasi)"),
    "survey_responses": N_("jawaban survei warga (tanpa sidik perangkat dan alamat)"),
    "result_snapshots": N_("potret hasil yang sudah dipublikasikan"),
    "audit_events": N_(
        "jejak audit: setiap perubahan atas data di atas, siapa, kapan, dan mengapa"
    ),
}


def _readme(government: Government, counts: dict[str, int], actor: Any, created: str) -> str:
    lines = [
        _("DATA PEMERINTAH DARI PATUH"),
        "=" * 26,
        "",
        _("Pemerintah: %(name)s (kode %(code)s)")
        % {"name": government.name, "code": government.region_code},
        _("Dibuat: %(time)s") % {"time": created},
        _("Diminta oleh: %(user)s")
        % {"user": getattr(actor, "username", None) or _("perintah patuh (CLI)")},
        "",
        _(
            "Arsip ini memuat seluruh data pemerintah di atas yang tersimpan di Patuh. Setiap "
            "jenis data ada dalam satu berkas JSON di folder data/ (satu objek per baris di "
            "dalam sebuah larik JSON). Setiap objek memiliki 'id'; rujukan ke objek lain "
            "ditulis sebagai '<nama>_id', dan pengguna ditulis dengan nama penggunanya."
        ),
        "",
        _("Isi folder data/:"),
    ]
    for kind, description in KIND_DESCRIPTIONS.items():
        lines.append(
            f"  {kind}.json — {_(description)} ({_('%(count)d baris') % {'count': counts[kind]}})"
        )
    lines += [
        "",
        _(
            "Folder files/ memuat berkas bukti dan bukti tindak lanjut apa adanya, dengan nama "
            "penyimpanannya; kolom 'file' dan 'proof_file' di JSON menunjuk ke sana. Nama "
            "berkas asal ada di kolom 'original_name' / 'proof_original_name', dan SHA-256-nya "
            "di kolom 'sha256' / 'proof_sha256'."
        ),
        "",
        _(
            "Waktu ditulis dalam format ISO 8601 dengan zona waktu (UTC). Angka desimal "
            "(nilai, poin) ditulis sebagai teks agar tidak berubah presisinya."
        ),
        "",
        _(
            "Potret hasil: kolom 'payload' adalah hasil lengkap dalam JSON, dan 'checksum' "
            "adalah SHA-256 dari teks 'payload' itu, sama dengan yang tercetak di rapor."
        ),
        "",
        _(
            "Jejak audit: setiap catatan memuat 'hash' (SHA-256 isinya bersama "
            "'previous_hash'). Catatan di sini hanya sebagian dari rantai nasional, sehingga "
            "hash-nya dapat dicocokkan dengan Patuh tetapi rantainya tidak lengkap di sini."
        ),
        "",
        _(
            "Tidak disertakan: kata sandi dan alamat e-mail pengguna, sidik perangkat dan "
            "alamat jaringan responden survei, gambar kecil (thumbnail) bukti, dan data "
            "pemerintah lain."
        ),
        "",
        _(
            "manifest.json mencatat ukuran dan SHA-256 setiap berkas lain di arsip ini. "
            "Untuk memeriksanya, mis.: sha256sum data/answers.json"
        ),
        "",
    ]
    return "\n".join(lines)


def write_government_export(
    government: Government, out: Path, *, actor: Any = None, via: str = "web"
) -> ExportSummary:
    """Write the government's data to the ZIP ``out`` and record the export in the audit
    trail. The data is read in one snapshot."""
    out = Path(out)
    rows = _Rows()
    counts: dict[str, int] = {}
    members: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    file_bytes = 0
    created = timezone.now().isoformat()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with read_snapshot():
            for kind, items in _kinds(government, rows):
                name = f"{DATA_DIR}{kind}.json"
                counts[kind], members[name] = _write_json(zf, name, items)
        for storage_name in sorted(rows.files):
            info = _copy_file(zf, storage_name)
            if info is None:
                missing.append(storage_name)
                continue
            members[FILES_DIR + storage_name] = info
            file_bytes += info["size"]
        readme = _readme(government, counts, actor, created).encode("utf-8")
        zf.writestr(README, readme)
        members[README] = {"size": len(readme), "sha256": hashlib.sha256(readme).hexdigest()}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "government": {"region_code": government.region_code, "name": government.name},
            "created_at": created,
            "created_by": getattr(actor, "username", None),
            "patuh_version": patuh.__version__,
            "counts": counts,
            "files": len(rows.files) - len(missing),
            "missing_files": missing,
            "members": members,
        }
        manifest_bytes = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
        zf.writestr(MANIFEST, manifest_bytes)
    manifest_sha256 = hashlib.sha256(manifest_bytes).hexdigest()
    record_event(
        actor=actor,
        action=EXPORTED,
        obj=government,
        new={
            "via": via,
            "files": manifest["files"],
            "counts": counts,
            "manifest_sha256": manifest_sha256,
        },
    )
    return ExportSummary(
        path=out,
        counts=counts,
        files=manifest["files"],
        file_bytes=file_bytes,
        missing_files=missing,
        manifest_sha256=manifest_sha256,
        archive_bytes=os.path.getsize(out),
        members=[*members, MANIFEST],
    )
