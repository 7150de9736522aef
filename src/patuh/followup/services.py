"""Follow-up verbs: turn a published rapor into actions, assign, progress and complete them
with proof; record Ombudsman products and their follow-up. Each writes one audit row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.evidence_files import EvidenceFileError, check_evidence_file
from patuh.assessments.models import Assessment, AssessmentKind, AssessmentStatus, CycleStage
from patuh.core.services import record_event
from patuh.followup.models import (
    ActionStatus,
    FollowUpAction,
    OmbudsmanProduct,
    ProductFollowUpStatus,
)
from patuh.notifications.events import follow_up_assigned
from patuh.scoring.engine import MISSING

DEFAULT_DAYS_TO_FOLLOW_UP = 90
_CENT = Decimal("0.01")


def _due_date(cycle: Any) -> dt.date:
    """The end of the cycle's follow-up stage, else 90 days after today."""
    stage = CycleStage.objects.filter(cycle=cycle, stage="follow_up").first()
    if stage is not None and stage.ends_on is not None and stage.ends_on >= timezone.localdate():
        return stage.ends_on
    return timezone.localdate() + dt.timedelta(days=DEFAULT_DAYS_TO_FOLLOW_UP)


def create_actions_for_rapor(cycle: Any, government: Any, *, actor: Any) -> int:
    """One action per indicator that lost points in a published unit result; idempotent."""
    from patuh.assessments.services import score_assessments

    result = score_assessments(cycle, government, AssessmentKind.OFFICIAL)
    if result is None:
        return 0
    published = set(
        Assessment.objects.filter(
            cycle=cycle,
            service_unit__government=government,
            kind=AssessmentKind.OFFICIAL,
            status=AssessmentStatus.PUBLISHED,
        ).values_list("service_unit__code", "service_unit_id")
    )
    unit_ids = dict(published)
    existing = set(
        FollowUpAction.objects.filter(cycle=cycle, government=government).values_list(
            "service_unit_id", "indicator_code"
        )
    )
    due = _due_date(cycle)
    new = []
    for unit in result.units:
        unit_id = unit_ids.get(unit.code)
        if unit_id is None:
            continue
        for item in unit.explanation:
            if (unit_id, item.code) in existing:
                continue
            new.append(
                FollowUpAction(
                    cycle=cycle,
                    government=government,
                    service_unit_id=unit_id,
                    indicator_code=item.code,
                    indicator_name=item.name[:300],
                    value=None if item.status == MISSING else item.value.quantize(_CENT),
                    points_lost=item.points_lost.quantize(_CENT),
                    rubric_text="" if item.status == MISSING else (item.rubric_text or ""),
                    due_on=due,
                )
            )
    with transaction.atomic():
        FollowUpAction.objects.bulk_create(new)
        if new:
            record_event(
                actor=actor,
                action="follow_up.created",
                obj=government,
                new={"cycle": cycle.year, "actions": len(new)},
                context=cycle,
            )
    return len(new)


def _state(action: FollowUpAction) -> dict[str, Any]:
    return {
        "indicator": action.indicator_code,
        "status": action.status,
        "owner": action.owner.username if action.owner else None,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "proof_note": action.proof_note,
        "url": action.proof_url,
        "name": action.proof_original_name,
        "sha256": action.proof_sha256,
    }


def assign(
    action: FollowUpAction, *, owner: Any, due_on: dt.date | None, actor: Any
) -> FollowUpAction:
    old = _state(action)
    previous_owner_id = action.owner_id
    with transaction.atomic():
        action.owner = owner
        action.due_on = due_on
        action.save(update_fields=["owner", "due_on"])
        record_event(
            actor=actor,
            action="follow_up.assigned",
            obj=action,
            old=old,
            new=_state(action),
            context=action.cycle,
        )
        follow_up_assigned(action, previous_owner_id=previous_owner_id, actor=actor)
    return action


def start(action: FollowUpAction, *, actor: Any) -> FollowUpAction:
    if action.status != ActionStatus.OPEN:
        return action
    old = _state(action)
    with transaction.atomic():
        action.status = ActionStatus.IN_PROGRESS
        action.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="follow_up.started",
            obj=action,
            old=old,
            new=_state(action),
            context=action.cycle,
        )
    return action


def complete(
    action: FollowUpAction,
    *,
    actor: Any,
    note: str,
    url: str = "",
    upload: Any = None,
) -> FollowUpAction:
    """Close an action with proof: a note and a file or a link (at least one of the two)."""
    note, url = note.strip(), url.strip()
    if not note:
        raise ValidationError(_("Tulis apa yang sudah diperbaiki."), code="note_required")
    if not url and upload is None:
        raise ValidationError(_("Lampirkan bukti: berkas atau tautan."), code="proof_required")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError(
                _("Tautan harus alamat web lengkap yang diawali http:// atau https://."),
                code="url",
            ) from error
    checked = None
    if upload is not None:
        try:
            checked = check_evidence_file(upload, max_bytes=settings.PATUH_EVIDENCE_MAX_BYTES)
        except EvidenceFileError as error:
            raise ValidationError(str(error), code="proof_file") from error
    old = _state(action)
    with transaction.atomic():
        action.status = ActionStatus.DONE
        action.proof_note = note
        action.proof_url = url
        action.completed_at = timezone.now()
        action.completed_by = actor
        if checked is not None:
            action.proof_content_type = checked.content_type
            action.proof_extension = checked.extension
            action.proof_sha256 = checked.sha256
            action.proof_original_name = (getattr(upload, "name", "") or "bukti")[-255:]
            action.proof_file.save("proof", upload, save=False)
        action.save()
        record_event(
            actor=actor,
            action="follow_up.completed",
            obj=action,
            old=old,
            new=_state(action),
            context=action.cycle,
        )
    return action


def reopen(action: FollowUpAction, *, actor: Any, reason: str) -> FollowUpAction:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Alasan membuka kembali wajib diisi."), code="reason_required")
    old = _state(action)
    with transaction.atomic():
        action.status = ActionStatus.IN_PROGRESS
        action.completed_at = None
        action.save(update_fields=["status", "completed_at"])
        record_event(
            actor=actor,
            action="follow_up.reopened",
            obj=action,
            old=old,
            new=_state(action),
            reason=reason,
            context=action.cycle,
        )
    return action


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def share(self) -> float | None:
        return None if not self.total else self.done / self.total

    @property
    def percent(self) -> int:
        return 0 if not self.total else round(100 * self.done / self.total)


def progress(actions: Any) -> Progress:
    actions = list(actions)
    return Progress(sum(1 for a in actions if a.is_done), len(actions))


# -- Ombudsman products ------------------------------------------------------------------------


def record_product(
    government: Any,
    *,
    kind: str,
    reference: str,
    issued_on: dt.date,
    subject: str,
    actor: Any,
) -> OmbudsmanProduct:
    reference, subject = reference.strip(), subject.strip()
    if not reference or not subject:
        raise ValidationError(_("Nomor dan pokok produk wajib diisi."), code="required")
    if OmbudsmanProduct.objects.filter(government=government, reference=reference).exists():
        raise ValidationError(
            _("Produk bernomor %(reference)s sudah tercatat.") % {"reference": reference},
            code="exists",
        )
    with transaction.atomic():
        product = OmbudsmanProduct.objects.create(
            government=government,
            kind=kind,
            reference=reference,
            issued_on=issued_on,
            subject=subject,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="ombudsman_product.recorded",
            obj=product,
            new={"kind": kind, "reference": reference, "issued_on": issued_on.isoformat()},
            context=government,
        )
    return product


def set_product_status(
    product: OmbudsmanProduct, status: str, *, actor: Any, note: str = ""
) -> OmbudsmanProduct:
    if status not in ProductFollowUpStatus.values:
        raise ValidationError(_("Status tidak dikenal."))
    old = {"status": product.follow_up_status}
    with transaction.atomic():
        product.follow_up_status = status
        product.followed_up_on = (
            timezone.localdate() if status == ProductFollowUpStatus.FOLLOWED_UP else None
        )
        if note.strip():
            product.note = note.strip()
        product.save(update_fields=["follow_up_status", "followed_up_on", "note"])
        record_event(
            actor=actor,
            action="ombudsman_product.status_changed",
            obj=product,
            old=old,
            new={"status": status},
            reason=note,
            context=product.government,
        )
    return product


def products_followed_up(government_ids: list[int], until: dt.date) -> dict[int, bool | None]:
    """Per government: ``True`` when every Ombudsman product issued up to ``until`` has been
    followed up, ``False`` when one has not, ``None`` when none is recorded (the instrument's
    "Tanpa Maladministrasi" suffix then is not given: there is no follow-up to credit)."""
    result: dict[int, bool | None] = {}
    for government_id, status in OmbudsmanProduct.objects.filter(
        government_id__in=government_ids, issued_on__lte=until
    ).values_list("government_id", "follow_up_status"):
        done = status == ProductFollowUpStatus.FOLLOWED_UP
        result[government_id] = result.get(government_id, True) and done
    return result


def product_counts(government_ids: list[int], until: dt.date) -> dict[int, tuple[int, int]]:
    """Per government with a product issued up to ``until``: how many Ombudsman products were
    addressed to it, and how many of them are followed up to completion. The 2025+ compliance
    level is derived from these two numbers by the instrument's rule
    (:meth:`patuh.scoring.model.Compliance.level_from_products`)."""
    counts: dict[int, tuple[int, int]] = {}
    for government_id, status in OmbudsmanProduct.objects.filter(
        government_id__in=government_ids, issued_on__lte=until
    ).values_list("government_id", "follow_up_status"):
        issued, done = counts.get(government_id, (0, 0))
        counts[government_id] = (issued + 1, done + (status == ProductFollowUpStatus.FOLLOWED_UP))
    return counts
