"""Evidence verbs: attach a file or a link to an indicator, carry last cycle's forward,
confirm it, withdraw it. Each writes one audit row in the assessment's history.

Files are checked from their bytes (:mod:`patuh.assessments.evidence_files`), stored under a
random name, and never deleted: a withdrawn item stays on record with who withdrew it and why.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.evidence_files import (
    CheckedFile,
    EvidenceFileError,
    check_evidence_file,
    make_thumbnail,
)
from patuh.assessments.models import Assessment, Evidence, EvidenceKind
from patuh.assessments.services import ensure_open
from patuh.core.services import record_event
from patuh.scoring import load_instrument

EVIDENCE_ADDED = "evidence.added"
EVIDENCE_CARRIED = "evidence.carried_forward"
EVIDENCE_CONFIRMED = "evidence.confirmed"
EVIDENCE_REMOVED = "evidence.removed"


def _check_indicator(assessment: Assessment, indicator_code: str) -> None:
    ensure_open(assessment)
    if indicator_code not in load_instrument(assessment.cycle.instrument_code).indicators:
        raise ValidationError(
            _("Indikator '%(code)s' tidak ada di instrumen siklus ini.") % {"code": indicator_code}
        )


def _state(evidence: Evidence) -> dict[str, Any]:
    state: dict[str, Any] = {
        "indicator": evidence.indicator_code,
        "kind": evidence.kind,
        "title": evidence.title,
    }
    if evidence.kind == EvidenceKind.FILE:
        state.update(
            name=evidence.original_name,
            content_type=evidence.content_type,
            size=evidence.size,
            sha256=evidence.sha256,
        )
    else:
        state["url"] = evidence.url
    return state


def checked_upload(upload: Any) -> tuple[CheckedFile, bytes | None, str]:
    """Check an uploaded file from its bytes (type, size, digest) and make its thumbnail:
    the checks every stored file goes through, here and in the unit's document locker.
    Returns the check, the JPEG thumbnail (images only) and the uploader's file name;
    :class:`ValidationError` says why a file is refused."""
    try:
        checked = check_evidence_file(upload, max_bytes=settings.PATUH_EVIDENCE_MAX_BYTES)
    except EvidenceFileError as error:
        raise ValidationError(str(error), code="evidence_file") from error
    original = (getattr(upload, "name", "") or "berkas")[-255:]
    return checked, make_thumbnail(upload), original


def store_file(record: Any, upload: Any, thumbnail: bytes | None) -> None:
    """Save ``upload`` (and its thumbnail) under the random names of ``record``'s ``file`` and
    ``thumbnail`` fields, without saving the record."""
    record.file.save("upload", upload, save=False)
    if thumbnail is not None:
        record.thumbnail.save("thumbnail.jpg", ContentFile(thumbnail), save=False)


def add_file(
    assessment: Assessment, indicator_code: str, upload: Any, *, actor: Any, title: str = ""
) -> Evidence:
    """Store an uploaded file as evidence; :class:`ValidationError` says why it was refused."""
    _check_indicator(assessment, indicator_code)
    checked, thumbnail, original = checked_upload(upload)
    evidence = Evidence(
        assessment=assessment,
        indicator_code=indicator_code,
        kind=EvidenceKind.FILE,
        title=title.strip()[:200],
        original_name=original,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
        confirmed_at=timezone.now(),
        confirmed_by=actor,
    )
    with transaction.atomic():
        store_file(evidence, upload, thumbnail)
        evidence.save()
        record_event(
            actor=actor,
            action=EVIDENCE_ADDED,
            obj=evidence,
            new=_state(evidence),
            context=assessment,
        )
    return evidence


def add_link(
    assessment: Assessment, indicator_code: str, url: str, *, actor: Any, title: str = ""
) -> Evidence:
    """Record a link (a web page, a shared drive folder) as evidence."""
    _check_indicator(assessment, indicator_code)
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError(
            _("Tautan harus alamat web lengkap yang diawali http:// atau https://."), code="url"
        ) from error
    with transaction.atomic():
        evidence = Evidence.objects.create(
            assessment=assessment,
            indicator_code=indicator_code,
            kind=EvidenceKind.LINK,
            title=title.strip()[:200],
            url=url,
            uploaded_by=actor,
            confirmed_at=timezone.now(),
            confirmed_by=actor,
        )
        record_event(
            actor=actor,
            action=EVIDENCE_ADDED,
            obj=evidence,
            new=_state(evidence),
            context=assessment,
        )
    return evidence


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The same unit's assessment of the same kind in the latest earlier cycle."""
    return (
        Assessment.objects.filter(
            service_unit=assessment.service_unit,
            kind=assessment.kind,
            cycle__year__lt=assessment.cycle.year,
        )
        .select_related("cycle")
        .order_by("-cycle__year")
        .first()
    )


def carry_forward(assessment: Assessment, indicator_code: str, *, actor: Any) -> list[Evidence]:
    """Copy the previous cycle's evidence of this indicator, to be re-confirmed one by one.

    The stored file is shared, not copied; items already carried are not carried twice.
    """
    _check_indicator(assessment, indicator_code)
    previous = previous_assessment(assessment)
    if previous is None:
        return []
    already = set(
        assessment.evidence.filter(
            indicator_code=indicator_code, carried_from__isnull=False
        ).values_list("carried_from_id", flat=True)
    )
    carried = []
    with transaction.atomic():
        for source in previous.evidence.filter(
            indicator_code=indicator_code, removed_at__isnull=True
        ).order_by("pk"):
            if source.pk in already:
                continue
            copy = Evidence.objects.create(
                assessment=assessment,
                indicator_code=indicator_code,
                kind=source.kind,
                title=source.title,
                file=source.file.name,
                thumbnail=source.thumbnail.name,
                url=source.url,
                original_name=source.original_name,
                content_type=source.content_type,
                extension=source.extension,
                size=source.size,
                sha256=source.sha256,
                uploaded_by=actor,
                carried_from=source,
            )
            record_event(
                actor=actor,
                action=EVIDENCE_CARRIED,
                obj=copy,
                new={**_state(copy), "from_cycle": previous.cycle.year},
                context=assessment,
            )
            carried.append(copy)
    return carried


def confirm(evidence: Evidence, *, actor: Any) -> Evidence:
    """Re-confirm carried-forward evidence as still true this cycle."""
    if evidence.confirmed_at is not None:
        return evidence
    ensure_open(evidence.assessment)
    with transaction.atomic():
        evidence.confirmed_at = timezone.now()
        evidence.confirmed_by = actor
        evidence.save(update_fields=["confirmed_at", "confirmed_by"])
        record_event(
            actor=actor,
            action=EVIDENCE_CONFIRMED,
            obj=evidence,
            old={"confirmed": False},
            new={"confirmed": True},
            context=evidence.assessment,
        )
    return evidence


def remove(evidence: Evidence, *, actor: Any, reason: str) -> Evidence:
    """Withdraw evidence from the indicator; the file and the record stay for the history."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan penarikan bukti wajib diisi."), code="reason_required")
    if evidence.removed_at is not None:
        return evidence
    ensure_open(evidence.assessment)
    with transaction.atomic():
        evidence.removed_at = timezone.now()
        evidence.save(update_fields=["removed_at"])
        record_event(
            actor=actor,
            action=EVIDENCE_REMOVED,
            obj=evidence,
            old=_state(evidence),
            reason=reason,
            context=evidence.assessment,
        )
    return evidence
