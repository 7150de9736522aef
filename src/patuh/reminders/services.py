"""E-mail reminders before a stage window closes, for the forms still waiting to be submitted.

:func:`send_due_reminders` runs once a day (``patuh reminders send``). For every cycle stage
that opens a kind of assessment (``KIND_STAGE``) and whose window closes in exactly 3 days or
exactly 1 day, it e-mails each person responsible for an assessment of that kind still in
``OPEN_STATUSES`` one message listing those forms:

- self-assessments: the unit's operators and the government's coordinators;
- pre-evaluation and official assessments: the assessors assigned to the government in the cycle.

The closing date is computed per government: the latest of the stage's ``ends_on`` and the
``open_until`` of any :class:`~patuh.assessments.models.StageOverride` for that government or
for all governments. A :class:`~patuh.reminders.models.ReminderSent` row, written in the same
transaction as the e-mail, makes the run idempotent: each notice (3 days, 1 day) goes once per
window and recipient, and a recipient whose e-mail failed is tried again on the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import stages as stage_clock
from patuh.assessments.models import (
    KIND_STAGE,
    OPEN_STATUSES,
    STAGE_ORDER,
    Assessment,
    AssessmentKind,
    AssessorAssignment,
    CycleStage,
)
from patuh.reminders.models import REMINDER_DAYS, ReminderKind, ReminderSent

logger = logging.getLogger(__name__)

DEFAULT_SITE_URL = "http://127.0.0.1:8000"

SENT = "sent"
WOULD_SEND = "would_send"
SKIPPED_NO_EMAIL = "skipped_no_email"
ALREADY_SENT = "already_sent"
FAILED = "failed"


@dataclass
class Notice:
    """One message due to one person: the unsubmitted forms of one stage window."""

    stage: CycleStage
    closes_on: dt.date
    days_before: int
    recipient: Any
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def assessment_ids(self) -> list[int]:
        return [assessment.pk for assessment in self.assessments]


@dataclass(frozen=True)
class Outcome:
    notice: Notice
    status: str
    """One of ``sent``, ``would_send`` (dry run), ``skipped_no_email``, ``already_sent``,
    ``failed``."""
    error: str = ""


@dataclass
class Summary:
    """What a run did. In a dry run, ``sent`` counts the messages that would have been sent."""

    sent: int = 0
    skipped_no_email: int = 0
    already_sent: int = 0
    failed: int = 0
    dry_run: bool = False
    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)
        counter = SENT if outcome.status == WOULD_SEND else outcome.status
        setattr(self, counter, getattr(self, counter) + 1)


def site_url() -> str:
    return getattr(settings, "PATUH_SITE_URL", DEFAULT_SITE_URL).rstrip("/")


def assessment_url(assessment: Assessment) -> str:
    return site_url() + reverse("assessments:assessment", args=[assessment.pk])


def send_due_reminders(
    today: dt.date | None = None, connection: Any = None, *, dry_run: bool = False
) -> Summary:
    """Send the notices due ``today`` (by default :func:`patuh.assessments.stages.today`).

    ``connection`` is a Django e-mail backend instance (by default one from ``EMAIL_BACKEND``).
    With ``dry_run`` nothing is sent or recorded; the summary says what would be.
    """
    today = stage_clock.today() if today is None else today
    summary = Summary(dry_run=dry_run)
    with translation.override(settings.LANGUAGE_CODE):
        notices = due_notices(today)
        if not notices:
            return summary
        if connection is None and not dry_run:
            connection = get_connection()
        already = _already_sent(notices)
        for notice in notices:
            summary.add(_deliver(notice, connection, already, dry_run=dry_run))
    return summary


def due_notices(today: dt.date) -> list[Notice]:
    """The messages due ``today``, one per (stage window, closing date, notice, recipient)."""
    targets = {today + dt.timedelta(days=days): days for days in REMINDER_DAYS}
    kinds_by_stage: dict[str, list[str]] = defaultdict(list)
    for kind, stage in KIND_STAGE.items():
        kinds_by_stage[str(stage)].append(kind)
    cycle_stages = (
        CycleStage.objects.filter(
            stage__in=list(kinds_by_stage), starts_on__isnull=False, ends_on__isnull=False
        )
        .filter(Q(ends_on__in=list(targets)) | Q(overrides__open_until__in=list(targets)))
        .distinct()
        .select_related("cycle")
        .prefetch_related("overrides")
    )
    notices: dict[tuple[int, dt.date, int], Notice] = {}
    for cycle_stage in cycle_stages:
        closing = _closing_dates(cycle_stage)
        due = [
            (assessment, closes_on)
            for assessment in _open_assessments(cycle_stage, kinds_by_stage[cycle_stage.stage])
            if (closes_on := closing(assessment.service_unit.government_id)) in targets
        ]
        recipients = _recipients(cycle_stage, [assessment for assessment, _closes in due])
        for assessment, closes_on in due:
            for user in recipients(assessment):
                key = (cycle_stage.pk, closes_on, user.pk)
                notice = notices.get(key)
                if notice is None:
                    notice = notices[key] = Notice(cycle_stage, closes_on, targets[closes_on], user)
                if assessment not in notice.assessments:
                    notice.assessments.append(assessment)
    return sorted(
        notices.values(),
        key=lambda n: (
            -n.stage.cycle.year,
            n.stage.cycle_id,
            STAGE_ORDER.get(n.stage.stage, 99),
            n.closes_on,
            n.recipient.username,
        ),
    )


def _closing_dates(cycle_stage: CycleStage) -> Any:
    """``closing(government_id)`` → the window's last day for that government."""
    for_all: dt.date | None = None
    for_government: dict[int, dt.date] = {}
    for override in cycle_stage.overrides.all():
        if override.government_id is None:
            for_all = max(filter(None, (for_all, override.open_until)))
        else:
            known = for_government.get(override.government_id)
            for_government[override.government_id] = max(filter(None, (known, override.open_until)))
    base = max(filter(None, (cycle_stage.ends_on, for_all)))

    def closing(government_id: int) -> dt.date:
        return max(filter(None, (base, for_government.get(government_id))))

    return closing


def _open_assessments(cycle_stage: CycleStage, kinds: list[str]) -> list[Assessment]:
    return list(
        Assessment.objects.filter(
            cycle_id=cycle_stage.cycle_id, kind__in=kinds, status__in=OPEN_STATUSES
        )
        .select_related("cycle", "service_unit__government")
        .order_by("service_unit__government__region_code", "service_unit__name", "kind", "pk")
    )


def _recipients(cycle_stage: CycleStage, assessments: list[Assessment]) -> Any:
    """``recipients(assessment)`` → the active users responsible for filling it in."""
    unit_ids = {a.service_unit_id for a in assessments if a.kind == AssessmentKind.SELF}
    self_government_ids = {
        a.service_unit.government_id for a in assessments if a.kind == AssessmentKind.SELF
    }
    assessed_government_ids = {
        a.service_unit.government_id for a in assessments if a.kind != AssessmentKind.SELF
    }
    operators: dict[int, list[Any]] = defaultdict(list)
    coordinators: dict[int, list[Any]] = defaultdict(list)
    assessors: dict[int, list[Any]] = defaultdict(list)
    if unit_ids:
        for membership in _memberships(Role.UNIT_OPERATOR, service_unit_id__in=unit_ids):
            operators[membership.service_unit_id].append(membership.user)
    if self_government_ids:
        for membership in _memberships(
            Role.GOVERNMENT_COORDINATOR, government_id__in=self_government_ids
        ):
            coordinators[membership.government_id].append(membership.user)
    if assessed_government_ids:
        for assignment in AssessorAssignment.objects.filter(
            cycle_id=cycle_stage.cycle_id,
            government_id__in=assessed_government_ids,
            assessor__is_active=True,
        ).select_related("assessor"):
            assessors[assignment.government_id].append(assignment.assessor)

    def recipients(assessment: Assessment) -> Iterable[Any]:
        government_id = assessment.service_unit.government_id
        if assessment.kind == AssessmentKind.SELF:
            people = [*operators[assessment.service_unit_id], *coordinators[government_id]]
        else:
            people = assessors[government_id]
        return list({user.pk: user for user in people}.values())

    return recipients


def _memberships(role: str, **scope: Any) -> Iterable[Membership]:
    return Membership.objects.filter(role=role, user__is_active=True, **scope).select_related(
        "user"
    )


def _already_sent(notices: list[Notice]) -> set[tuple[int, dt.date, int, int]]:
    rows = ReminderSent.objects.filter(
        kind=ReminderKind.WINDOW_CLOSING,
        stage_id__in={n.stage.pk for n in notices},
        recipient_id__in={n.recipient.pk for n in notices},
    ).values_list("stage_id", "closes_on", "recipient_id", "days_before")
    return set(rows)


def _deliver(notice: Notice, connection: Any, already: set, *, dry_run: bool) -> Outcome:
    key = (notice.stage.pk, notice.closes_on, notice.recipient.pk, notice.days_before)
    if key in already:
        return Outcome(notice, ALREADY_SENT)
    if not notice.recipient.email:
        return Outcome(notice, SKIPPED_NO_EMAIL)
    if dry_run:
        return Outcome(notice, WOULD_SEND)
    message = build_message(notice, connection)
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                stage=notice.stage,
                recipient=notice.recipient,
                days_before=notice.days_before,
                kind=ReminderKind.WINDOW_CLOSING,
                closes_on=notice.closes_on,
                email=notice.recipient.email,
                assessment_ids=notice.assessment_ids,
            )
            message.send(fail_silently=False)
    except IntegrityError:
        # another run recorded this notice between our check and our insert
        return Outcome(notice, ALREADY_SENT)
    except Exception as error:  # any backend error: SMTP, socket, API client, …
        logger.warning(
            "Reminder to %s (stage %s, H-%s) failed",
            notice.recipient.email,
            notice.stage.pk,
            notice.days_before,
            exc_info=True,
        )
        return Outcome(notice, FAILED, error=str(error) or error.__class__.__name__)
    return Outcome(notice, SENT)


def when_label(days_before: int) -> str:
    if days_before == 1:
        return _("besok")
    return ngettext("%(days)d hari lagi", "%(days)d hari lagi", days_before) % {"days": days_before}


def build_message(notice: Notice, connection: Any = None) -> EmailMultiAlternatives:
    """The e-mail of one notice: plain text and HTML, in the active language."""
    stage_label = notice.stage.get_stage_display()
    closes_on = date_format(notice.closes_on, "j F Y")
    user = notice.recipient
    context = {
        "recipient_name": user.get_full_name() or user.username,
        "stage_label": stage_label,
        "cycle_name": notice.stage.cycle.name,
        "closes_on": closes_on,
        "when": when_label(notice.days_before),
        "days_before": notice.days_before,
        "site_url": site_url(),
        "items": [
            {
                "unit": assessment.service_unit.name,
                "government": assessment.service_unit.government.name,
                "kind": assessment.get_kind_display(),
                "status": assessment.get_status_display(),
                "url": assessment_url(assessment),
            }
            for assessment in notice.assessments
        ],
    }
    subject = _("[Patuh] Tahap %(stage)s ditutup %(when)s (%(date)s)") % {
        "stage": stage_label,
        "when": when_label(notice.days_before),
        "date": closes_on,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("reminders/window_closing.txt", context),
        to=[user.email],
        connection=connection,
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(
        render_to_string("reminders/window_closing.html", context), "text/html"
    )
    return message
