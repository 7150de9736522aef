"""Locker verbs: add a unit document (file or link), replace it, remove it. Each writes one
audit row (``unit_document.added`` / ``.replaced`` / ``.removed``) in the unit's history.

Files go through the same checks and storage as assessment evidence
(:func:`patuh.assessments.evidence.checked_upload`); nothing is deleted: a removed or replaced
document stays on record with who removed it and why.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.evidence import checked_upload, store_file
from patuh.core.services import record_event
from patuh.locker.models import UnitDocument
from patuh.orgs.models import ServiceUnit
from patuh.scoring.documents import document_kinds

ADDED = "unit_document.added"
REPLACED = "unit_document.replaced"
REMOVED = "unit_document.removed"


def _state(document: UnitDocument) -> dict[str, Any]:
    state: dict[str, Any] = {
        "kind": document.kind,
        "title": document.title,
        "issued_on": document.issued_on.isoformat() if document.issued_on else None,
        "valid_until": document.valid_until.isoformat() if document.valid_until else None,
    }
    if document.file:
        state.update(
            name=document.original_name,
            content_type=document.content_type,
            size=document.size,
            sha256=document.sha256,
        )
    else:
        state["url"] = document.url
    return state


def _new_document(
    unit: ServiceUnit,
    kind: str,
    *,
    actor: Any,
    upload: Any = None,
    url: str = "",
    title: str = "",
    issued_on: date | None = None,
    valid_until: date | None = None,
) -> tuple[UnitDocument, Any, bytes | None]:
    if kind not in document_kinds():
        raise ValidationError(_("Jenis dokumen '%(kind)s' tidak dikenal.") % {"kind": kind})
    if issued_on and valid_until and valid_until < issued_on:
        raise ValidationError(_("Tanggal berlaku sampai tidak boleh sebelum tanggal terbit."))
    document = UnitDocument(
        service_unit=unit,
        kind=kind,
        title=title.strip()[:200],
        issued_on=issued_on,
        valid_until=valid_until,
        uploaded_by=actor,
    )
    thumbnail = None
    if upload is not None:
        checked, thumbnail, original = checked_upload(upload)
        document.original_name = original
        document.content_type = checked.content_type
        document.extension = checked.extension
        document.size = checked.size
        document.sha256 = checked.sha256
    else:
        url = url.strip()
        if not url:
            raise ValidationError(_("Pilih berkas atau isi tautan."))
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError(
                _("Tautan harus alamat web lengkap yang diawali http:// atau https://."),
                code="url",
            ) from error
        document.url = url
    return document, upload, thumbnail


def _save(document: UnitDocument, upload: Any, thumbnail: bytes | None) -> None:
    if upload is not None:
        store_file(document, upload, thumbnail)
    document.save()


def add_document(unit: ServiceUnit, kind: str, *, actor: Any, **fields: Any) -> UnitDocument:
    """Keep a document of ``kind`` (a file ``upload=`` or a link ``url=``) for the unit;
    :class:`ValidationError` says why it was refused."""
    document, upload, thumbnail = _new_document(unit, kind, actor=actor, **fields)
    with transaction.atomic():
        _save(document, upload, thumbnail)
        record_event(actor=actor, action=ADDED, obj=document, new=_state(document), context=unit)
    return document


def replace_document(
    old: UnitDocument, *, actor: Any, reason: str = "", **fields: Any
) -> UnitDocument:
    """A new version of ``old`` (same kind): the old one is withdrawn and points to it."""
    if old.removed_at is not None:
        raise ValidationError(_("Dokumen ini sudah ditarik; unggah dokumen baru."))
    document, upload, thumbnail = _new_document(old.service_unit, old.kind, actor=actor, **fields)
    with transaction.atomic():
        _save(document, upload, thumbnail)
        old.removed_at = timezone.now()
        old.removed_by = actor
        old.removal_reason = reason.strip() or _("Diganti dengan versi baru.")
        old.replaced_by = document
        old.save(update_fields=["removed_at", "removed_by", "removal_reason", "replaced_by"])
        record_event(
            actor=actor,
            action=REPLACED,
            obj=old,
            old=_state(old),
            new={**_state(document), "id": document.pk},
            reason=old.removal_reason,
            context=old.service_unit,
        )
    return document


def remove_document(document: UnitDocument, *, actor: Any, reason: str) -> UnitDocument:
    """Withdraw a document; the file and the record stay for the history."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan penarikan dokumen wajib diisi."), code="reason_required")
    if document.removed_at is not None:
        return document
    with transaction.atomic():
        document.removed_at = timezone.now()
        document.removed_by = actor
        document.removal_reason = reason
        document.save(update_fields=["removed_at", "removed_by", "removal_reason"])
        record_event(
            actor=actor,
            action=REMOVED,
            obj=document,
            old=_state(document),
            reason=reason,
            context=document.service_unit,
        )
    return document
