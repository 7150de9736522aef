"""The assessment workflow: every change of status is one verb here, one transaction, one
audit row (who, when, old status, new status, why).

    draft ──submit──▶ submitted ──verify──▶ verified ──finalise──▶ final ──publish──▶ published
                         │  ▲                  │                     │                  │
          request_changes│  │submit            │request_changes      └──────reopen──────┘
                         ▼  │                  ▼                       (reason required)
                     changes_requested ◀───────┘◀──────────────────────────────┘

A unit can also be dropped from the campaign (with a reason) and restored. Verifying,
requesting changes, finalising, publishing and reopening are for verifiers and national
admins; submitting is for the people who fill the assessment (see ``access.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from patuh.assessments.models import (
    Assessment,
    AssessmentStatus,
    ChangeRequest,
)
from patuh.core.services import record_event
from patuh.notifications.events import assessments_moved, government_published
from patuh.scoring import load_instrument

S = AssessmentStatus

ACTIONS = {
    "submit": "assessment.submitted",
    "request_changes": "assessment.changes_requested",
    "verify": "assessment.verified",
    "finalise": "assessment.finalised",
    "publish": "assessment.published",
    "reopen": "assessment.reopened",
    "return_to_draft": "assessment.returned_to_draft",
    "drop": "assessment.dropped",
    "restore": "assessment.restored",
}
"""verb → the audit action it writes."""
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT, S.CHANGES_REQUESTED}), S.SUBMITTED),
    "request_changes": (
        frozenset({S.SUBMITTED, S.VERIFIED, S.CHANGES_REQUESTED}),
        S.CHANGES_REQUESTED,
    ),
    "verify": (frozenset({S.SUBMITTED}), S.VERIFIED),
    "finalise": (frozenset({S.VERIFIED}), S.FINAL),
    "publish": (frozenset({S.FINAL}), S.PUBLISHED),
    "reopen": (frozenset({S.FINAL, S.PUBLISHED}), S.CHANGES_REQUESTED),
    "return_to_draft": (frozenset({S.SUBMITTED}), S.DRAFT),
    "drop": (frozenset({S.DRAFT, S.SUBMITTED, S.CHANGES_REQUESTED, S.VERIFIED}), S.DROPPED),
    "restore": (frozenset({S.DROPPED}), S.DRAFT),
}
"""verb → (statuses it starts from, status it leads to)."""
REASON_REQUIRED = frozenset({"reopen", "drop", "restore", "return_to_draft"})


class TransitionRefused(ValidationError):
    pass


def _reason_needed(verb: str) -> str:
    return {
        "reopen": _("Alasan membuka kembali penilaian final wajib diisi."),
        "drop": _("Alasan mengeluarkan unit dari kampanye wajib diisi."),
        "restore": _("Alasan mengembalikan unit ke kampanye wajib diisi."),
        "return_to_draft": _("Alasan mengembalikan penilaian ke draf wajib diisi."),
    }[verb]


def transition(
    assessment: Assessment, verb: str, *, actor: Any, reason: str = "", notify: bool = True
) -> Assessment:
    """Move ``assessment`` along ``verb``; refuse with a clear message when it may not.

    The people the change concerns are notified (see :mod:`patuh.notifications.events`);
    ``notify=False`` leaves that to a caller moving many at once."""
    sources, target = TRANSITIONS[verb]
    reason = reason.strip()
    if verb in REASON_REQUIRED and not reason:
        raise TransitionRefused(_reason_needed(verb), code="reason_required")
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.status not in sources:
            raise TransitionRefused(
                _("Tidak dapat %(action)s: status penilaian sekarang %(status)s.")
                % {"action": verb_label(verb), "status": locked.get_status_display()},
                code="wrong_status",
            )
        old = locked.status
        locked.status = target
        locked.status_note = reason
        fields = ["status", "status_note", "updated_at"]
        if verb == "submit":
            locked.submitted_at = timezone.now()
            locked.submitted_by = actor
            fields += ["submitted_at", "submitted_by"]
            locked.change_requests.filter(answered_at__isnull=True).update(
                answered_at=timezone.now()
            )
        locked.save(update_fields=fields)
        record_event(
            actor=actor,
            action=ACTIONS[verb],
            obj=locked,
            old={"status": old},
            new={"status": target},
            reason=reason,
        )
        if verb == "finalise" and locked.kind == "official":
            _snapshot_when_all_final(locked, actor)
        if notify:
            assessments_moved(verb, [locked], actor=actor, reason=reason)
    assessment.refresh_from_db()
    return assessment


def _snapshot_when_all_final(assessment: Assessment, actor: Any) -> None:
    """The last unit of a government to become final freezes the government's result."""
    from patuh.results.services import all_final, take_snapshot

    government = assessment.service_unit.government
    if all_final(assessment.cycle, government):
        take_snapshot(assessment.cycle, government, actor=actor)


def verb_label(verb: str) -> str:
    return {
        "submit": _("mengajukan"),
        "request_changes": _("meminta perbaikan"),
        "verify": _("memverifikasi"),
        "finalise": _("memfinalkan"),
        "publish": _("memublikasikan"),
        "reopen": _("membuka kembali"),
        "return_to_draft": _("mengembalikan ke draf"),
        "drop": _("mengeluarkan"),
        "restore": _("mengembalikan"),
    }[verb]


def request_changes(
    assessment: Assessment,
    items: Iterable[tuple[str, str]],
    *,
    actor: Any,
) -> list[ChangeRequest]:
    """Ask for changes on indicators (code, what to fix): the assessment goes back to its
    assessors, who may then change those indicators only, and resubmit."""
    items = [(code.strip(), note.strip()) for code, note in items]
    if not items:
        raise TransitionRefused(_("Pilih indikator yang perlu diperbaiki."), code="empty")
    indicators = load_instrument(assessment.cycle.instrument_code).indicators
    for code, note in items:
        if code not in indicators:
            raise TransitionRefused(
                _("Indikator '%(code)s' tidak ada di instrumen siklus ini.") % {"code": code}
            )
        if not note:
            raise TransitionRefused(
                _("%(code)s: tulis apa yang perlu diperbaiki.") % {"code": code},
                code="note_required",
            )
    with transaction.atomic():
        transition(
            assessment,
            "request_changes",
            actor=actor,
            reason="; ".join(f"{code}: {note}" for code, note in items),
        )
        created = []
        for code, note in items:
            request = ChangeRequest.objects.create(
                assessment=assessment, indicator_code=code, note=note, requested_by=actor
            )
            record_event(
                actor=actor,
                action="change_request.added",
                obj=request,
                new={"indicator": code, "note": note},
                context=assessment,
            )
            created.append(request)
    return created


def open_change_requests(assessment: Assessment) -> dict[str, list[ChangeRequest]]:
    requests: dict[str, list[ChangeRequest]] = {}
    for request in assessment.change_requests.filter(answered_at__isnull=True).select_related(
        "requested_by"
    ):
        requests.setdefault(request.indicator_code, []).append(request)
    return requests


def transition_many(
    assessments: Iterable[Assessment], verb: str, *, actor: Any, reason: str = ""
) -> tuple[int, int]:
    """Apply ``verb`` to every assessment whose status allows it; returns (moved, skipped)."""
    sources, _target = TRANSITIONS[verb]
    moved: list[Assessment] = []
    skipped = 0
    with transaction.atomic():
        for assessment in assessments:
            if assessment.status in sources:
                moved.append(transition(assessment, verb, actor=actor, reason=reason, notify=False))
            else:
                skipped += 1
        assessments_moved(verb, moved, actor=actor, reason=reason)
    return len(moved), skipped


def reopen(
    assessment: Assessment,
    *,
    actor: Any,
    reason: str,
    indicators: Iterable[tuple[str, str]] = (),
) -> Assessment:
    """Unlock a final or published assessment for its assessors: the only way to change one.

    With ``indicators`` (code, what to fix) only those open; without, every indicator does."""
    items = list(indicators)
    with transaction.atomic():
        transition(assessment, "reopen", actor=actor, reason=reason)
        for code, note in items:
            request = ChangeRequest.objects.create(
                assessment=assessment, indicator_code=code, note=note or reason, requested_by=actor
            )
            record_event(
                actor=actor,
                action="change_request.added",
                obj=request,
                new={"indicator": code, "note": request.note},
                context=assessment,
            )
    return assessment


def publish_government(cycle: Any, government: Any, *, actor: Any) -> int:
    """Publish a government's official results of ``cycle``: every unit must be final. Each
    unmet indicator of the published rapor becomes a follow-up action (the Ombudsman's rapor:
    not for a PEKPPP cycle). Returns how many assessments were published."""
    from patuh.followup.services import create_actions_for_rapor

    assessments = list(
        Assessment.objects.filter(cycle=cycle, service_unit__government=government, kind="official")
        .exclude(status=S.DROPPED)
        .select_related("service_unit")
        .order_by("service_unit__code")
    )
    if not assessments:
        raise TransitionRefused(_("Tidak ada penilaian resmi untuk dipublikasikan."))
    waiting = [a.service_unit.name for a in assessments if a.status not in (S.FINAL, S.PUBLISHED)]
    if waiting:
        raise TransitionRefused(
            _("Belum dapat dipublikasikan: %(count)s unit belum final (%(units)s).")
            % {"count": len(waiting), "units": ", ".join(waiting)},
            code="not_final",
        )
    from patuh.results.services import publish_snapshot

    with transaction.atomic():
        moved, _skipped = transition_many(assessments, "publish", actor=actor)
        publish_snapshot(cycle, government, actor=actor)
        if cycle.program != "pekppp":
            create_actions_for_rapor(cycle, government, actor=actor)
        government_published(cycle, government, actor=actor, count=moved)
    return moved
