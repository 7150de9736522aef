"""The register's verbs: log a complaint, dispose it, record its follow-up, close it, erase
identities past their retention. Each is one transaction with one audit row.

Audit rows never carry a complainant's name or contact (the trail is append-only and kept
for ever; an identity must be erasable): they record only whether one was given.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.complaints.clock import Dates
from patuh.complaints.models import Complaint, Source
from patuh.core.services import record_event
from patuh.orgs.models import ServiceUnit

AUDITED_FIELDS = (
    "tracking_id",
    "channel",
    "complaint_class",
    "category",
    "subject",
    "received_on",
    "forwarded_on",
    "disposition_to",
    "followed_up_on",
    "closed_on",
    "anonymous",
    "source",
)


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """What an audit row keeps of a complaint: never the identity itself."""
    values: dict[str, Any] = {}
    for name in AUDITED_FIELDS:
        value = getattr(complaint, name)
        values[name] = value.isoformat() if isinstance(value, date) else value
    values["identity_given"] = complaint.has_identity
    values["unit"] = f"{complaint.unit.government.region_code}/{complaint.unit.code}"
    return values


def dates_of(complaint: Complaint) -> Dates:
    """The dates the clock reads."""
    return Dates(
        complaint.received_on, complaint.forwarded_on, complaint.followed_up_on, complaint.closed_on
    )


def next_register_number(unit: ServiceUnit, received_on: date) -> str:
    """A walk-in's register number when it has no SP4N-LAPOR! tracking ID: ``REG-2026-0007``."""
    prefix = f"REG-{received_on.year}-"
    taken = Complaint.objects.filter(unit=unit, tracking_id__startswith=prefix).count()
    number = taken + 1
    while Complaint.objects.filter(unit=unit, tracking_id=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


def _check(complaint: Complaint) -> None:
    """The model's own rules, with messages a person can act on."""
    problems = {}
    if complaint.received_on and complaint.received_on > timezone.localdate():
        problems["received_on"] = _("Tanggal diterima tidak boleh di masa depan.")
    for name in ("forwarded_on", "followed_up_on", "closed_on"):
        value = getattr(complaint, name)
        if value and complaint.received_on and value < complaint.received_on:
            problems[name] = _("Tanggal ini sebelum tanggal diterima.")
        if value and value > timezone.localdate():
            problems[name] = _("Tanggal ini di masa depan.")
    if (
        complaint.closed_on
        and complaint.followed_up_on
        and complaint.closed_on < complaint.followed_up_on
    ):
        problems["closed_on"] = _("Tanggal selesai sebelum tanggal tindak lanjut.")
    if complaint.closed_on and not complaint.followed_up_on:
        problems["closed_on"] = _("Pengaduan baru dapat diselesaikan setelah ditindaklanjuti.")
    taken = Complaint.objects.filter(unit=complaint.unit, tracking_id=complaint.tracking_id)
    if taken.exclude(pk=complaint.pk).exists():
        problems["tracking_id"] = _("Nomor %(number)s sudah ada di register unit ini.") % {
            "number": complaint.tracking_id
        }
    if problems:
        raise ValidationError(problems)
    complaint.full_clean()  # choices, lengths, a tracking ID the unit already has


def log_complaint(*, actor: Any, unit: ServiceUnit, reason: str = "", **fields: Any) -> Complaint:
    """A complaint received at the front office (or typed in from a letter, a call, a post)."""
    if fields.get("anonymous"):
        fields["complainant_name"] = fields["complainant_contact"] = ""
    with transaction.atomic():
        complaint = Complaint(unit=unit, source=Source.WALK_IN_FORM, created_by=actor, **fields)
        if not complaint.tracking_id:
            complaint.tracking_id = next_register_number(unit, complaint.received_on)
        _check(complaint)
        complaint.save()
        record_event(
            actor=actor,
            action="complaints.logged",
            obj=complaint,
            new=snapshot(complaint),
            reason=reason,
        )
    return complaint


def _change(
    complaint: Complaint, actor: Any, action: str, changes: dict[str, Any], reason: str
) -> Complaint:
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().select_related("unit__government")
        complaint = locked.get(pk=complaint.pk)
        old = snapshot(complaint)
        for name, value in changes.items():
            setattr(complaint, name, value)
        _check(complaint)
        complaint.save()
        record_event(
            actor=actor,
            action=action,
            obj=complaint,
            old=old,
            new=snapshot(complaint),
            reason=reason,
        )
    return complaint


def dispose(
    complaint: Complaint, *, actor: Any, forwarded_on: date, disposition_to: str, reason: str = ""
) -> Complaint:
    """The disposition: to which section or officer the complaint went, and when."""
    return _change(
        complaint,
        actor,
        "complaints.disposed",
        {"forwarded_on": forwarded_on, "disposition_to": disposition_to.strip()},
        reason,
    )


def record_follow_up(
    complaint: Complaint, *, actor: Any, followed_up_on: date, follow_up: str, reason: str = ""
) -> Complaint:
    if not follow_up.strip():
        raise ValidationError({"follow_up": _("Tuliskan tindak lanjutnya.")})
    return _change(
        complaint,
        actor,
        "complaints.followed_up",
        {"followed_up_on": followed_up_on, "follow_up": follow_up.strip()},
        reason,
    )


def close(
    complaint: Complaint, *, actor: Any, closed_on: date, closure_note: str = "", reason: str = ""
) -> Complaint:
    return _change(
        complaint,
        actor,
        "complaints.closed",
        {"closed_on": closed_on, "closure_note": closure_note.strip()},
        reason,
    )


def identities_past_retention(today: date | None = None) -> tuple[date, Any]:
    """Complaints closed more than ``PATUH_COMPLAINT_RETENTION_DAYS`` ago that still carry an
    identity, and the cut-off date."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=settings.PATUH_COMPLAINT_RETENTION_DAYS)
    rows = Complaint.objects.filter(closed_on__lt=cutoff, identity_erased_at__isnull=True).filter(
        ~Q(complainant_name="") | ~Q(complainant_contact="")
    )
    return cutoff, rows


def erase_identities(*, actor: Any = None, dry_run: bool = False, today: date | None = None) -> int:
    """Erase the names and contacts past retention (UU 27/2022); one audit row per complaint,
    naming the retention that applied. The complaint's dates and class stay for the figures."""
    cutoff, rows = identities_past_retention(today)
    if dry_run:
        return rows.count()
    erased = 0
    now = timezone.now()
    for complaint in rows.select_related("unit__government"):
        with transaction.atomic():
            complaint.complainant_name = complaint.complainant_contact = ""
            complaint.identity_erased_at = now
            complaint.save(
                update_fields=[
                    "complainant_name",
                    "complainant_contact",
                    "identity_erased_at",
                    "updated_at",
                ]
            )
            record_event(
                actor=actor,
                action="complaints.identity_erased",
                obj=complaint,
                old={"identity_given": True},
                new={"identity_given": False, "closed_before": cutoff.isoformat()},
                reason=_("Masa retensi %(days)s hari setelah selesai telah lewat")
                % {"days": settings.PATUH_COMPLAINT_RETENTION_DAYS},
            )
        erased += 1
    return erased
