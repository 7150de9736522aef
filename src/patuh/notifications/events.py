"""Who hears of what: one function per place an event happens, called by the verb that
makes it happen (the assessment workflow, follow-up, background jobs).

Recipients, per event:

- **changes requested** (a verifier's request, a reopen; a coordinator returning a
  self-assessment to draft): the people who fill the assessment — the unit's operators and
  the government's coordinators for a self-assessment, the assessors assigned to the
  government in that cycle for a pre-evaluation or an official assessment;
- **submitted**: who reviews next — the government's coordinators for a self-assessment, the
  verifiers for the Ombudsman's assessments;
- **verified**: the unit's operators and the government's coordinators;
- **published**: the government's coordinators and the operators of its units;
- **follow-up assigned**: the new owner; **overdue**: the owner and the coordinators;
- **job finished / failed**: whoever asked for the job.

The actor is never told of their own action. Texts are written in the site's language
(``LANGUAGE_CODE``), whatever language the actor's page was in: they are read by others.
A verb that moves many assessments at once sends each person one notification per
government and kind, not one per unit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from patuh.accounts.roles import Role
from patuh.notifications.models import Event, OverdueNotice
from patuh.notifications.services import notify

VERB_EVENTS = {
    "request_changes": Event.CHANGES_REQUESTED,
    "reopen": Event.CHANGES_REQUESTED,
    "return_to_draft": Event.CHANGES_REQUESTED,
    "submit": Event.SUBMITTED,
    "verify": Event.VERIFIED,
}
"""Workflow verb → the event it notifies (publishing notifies once per government, from
:func:`patuh.assessments.workflow.publish_government`)."""


def _users(**membership: Any) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, **{f"memberships__{k}": v for k, v in membership.items()})
        .distinct()
        .order_by("username")
    )


def unit_operators(unit_ids: Iterable[int]) -> list[Any]:
    return _users(role=Role.UNIT_OPERATOR, service_unit_id__in=list(unit_ids))


def government_operators(government_id: int) -> list[Any]:
    return _users(role=Role.UNIT_OPERATOR, service_unit__government_id=government_id)


def coordinators(government_id: int) -> list[Any]:
    return _users(role=Role.GOVERNMENT_COORDINATOR, government_id=government_id)


def verifiers() -> list[Any]:
    return _users(role=Role.VERIFIER)


def assigned_assessors(cycle_id: int, government_id: int) -> list[Any]:
    from patuh.assessments.models import AssessorAssignment

    return [
        a.assessor
        for a in AssessorAssignment.objects.filter(
            cycle_id=cycle_id, government_id=government_id, assessor__is_active=True
        )
        .select_related("assessor")
        .order_by("assessor__username")
    ]


def recipients_for(event: str, assessment: Any) -> list[Any]:
    """The people ``event`` on ``assessment`` concerns (see the module docstring)."""
    unit = assessment.service_unit
    is_self = assessment.kind == "self"
    if event == Event.CHANGES_REQUESTED:
        if is_self:
            return unit_operators([unit.pk]) + coordinators(unit.government_id)
        return assigned_assessors(assessment.cycle_id, unit.government_id)
    if event == Event.SUBMITTED:
        return coordinators(unit.government_id) if is_self else verifiers()
    if event == Event.VERIFIED:
        return unit_operators([unit.pk]) + coordinators(unit.government_id)
    return []


def _assessment_text(event: str, assessment: Any, reason: str) -> tuple[str, str]:
    unit = assessment.service_unit
    names = {
        "unit": unit.name,
        "government": unit.government.name,
        "kind": assessment.get_kind_display(),
        "year": assessment.cycle.year,
    }
    title = {
        Event.CHANGES_REQUESTED: _("Perbaikan diminta: %(unit)s, %(government)s"),
        Event.SUBMITTED: _("Diajukan untuk diperiksa: %(unit)s, %(government)s"),
        Event.VERIFIED: _("Terverifikasi: %(unit)s, %(government)s"),
    }[event] % names
    body = _("%(kind)s %(year)s.") % names
    if reason:
        body += " " + (_("Catatan: %(reason)s") % {"reason": reason})
    return title, body


def _group_text(event: str, first: Any, count: int) -> tuple[str, str]:
    names = {"count": count, "government": first.service_unit.government.name}
    title = {
        Event.CHANGES_REQUESTED: ngettext(
            "Perbaikan diminta pada %(count)d penilaian %(government)s",
            "Perbaikan diminta pada %(count)d penilaian %(government)s",
            count,
        ),
        Event.SUBMITTED: ngettext(
            "%(count)d penilaian %(government)s diajukan untuk diperiksa",
            "%(count)d penilaian %(government)s diajukan untuk diperiksa",
            count,
        ),
        Event.VERIFIED: ngettext(
            "%(count)d penilaian %(government)s terverifikasi",
            "%(count)d penilaian %(government)s terverifikasi",
            count,
        ),
    }[event] % names
    body = _("%(kind)s %(year)s.") % {
        "kind": first.get_kind_display(),
        "year": first.cycle.year,
    }
    return title, body


def assessments_moved(verb: str, assessments: list[Any], *, actor: Any, reason: str = "") -> None:
    """After ``verb`` moved ``assessments``: tell the people concerned (nothing for verbs
    that concern no one else, e.g. finalise or drop)."""
    event = VERB_EVENTS.get(verb)
    if event is None or not assessments:
        return
    if verb == "return_to_draft":
        assessments = [a for a in assessments if a.kind == "self"]
    per_person: dict[tuple[int, int, int, str], list[Any]] = defaultdict(list)
    people: dict[int, Any] = {}
    cached: dict[tuple[str, int, int, int], list[Any]] = {}
    for assessment in assessments:
        unit = assessment.service_unit
        key = (assessment.kind, assessment.cycle_id, unit.government_id, unit.pk)
        if key not in cached:
            cached[key] = recipients_for(event, assessment)
        for user in cached[key]:
            people[user.pk] = user
            group = (user.pk, assessment.cycle_id, unit.government_id, assessment.kind)
            if assessment not in per_person[group]:
                per_person[group].append(assessment)
    # people told the same thing (one assessment, or one government's group) share a call
    messages: dict[tuple[str, str, str], tuple[Any, list[Any]]] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for (user_id, _cycle, _government, _kind), group in per_person.items():
            first = group[0]
            if len(group) == 1:
                title, body = _assessment_text(event, first, reason)
                url = reverse("assessments:assessment", args=[first.pk])
                obj = first
            else:
                title, body = _group_text(event, first, len(group))
                government = first.service_unit.government
                from patuh.assessments.programs import cycle_url

                url = cycle_url("government", first.cycle, government.region_code)
                url += f"?jenis={first.kind}"
                obj = government
            messages.setdefault((title, body, url), (obj, []))[1].append(people[user_id])
    for (title, body, url), (obj, users) in messages.items():
        notify(event, users, title=title, body=body, url=url, obj=obj, actor=actor)


def government_published(cycle: Any, government: Any, *, actor: Any, count: int) -> None:
    """The official results of ``government`` in ``cycle`` were published."""
    recipients = coordinators(government.pk) + government_operators(government.pk)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Hasil %(government)s %(year)s dipublikasikan") % {
            "government": government.name,
            "year": cycle.year,
        }
        body = ngettext(
            "%(count)d penilaian resmi dipublikasikan. Rapor dan tindak lanjutnya sudah tersedia.",
            "%(count)d penilaian resmi dipublikasikan. Rapor dan tindak lanjutnya sudah tersedia.",
            count,
        ) % {"count": count}
    notify(
        Event.PUBLISHED,
        recipients,
        title=title,
        body=body,
        url=reverse("followup:page", args=[cycle.year, government.region_code]),
        obj=government,
        actor=actor,
    )


def _action_url(action: Any) -> str:
    url = reverse("followup:page", args=[action.cycle.year, action.government.region_code])
    return f"{url}#action-{action.pk}"


def follow_up_assigned(action: Any, *, previous_owner_id: int | None, actor: Any) -> None:
    """A follow-up action got a new owner: tell the owner (not when the owner stayed)."""
    if action.owner_id is None or action.owner_id == previous_owner_id:
        return
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Tindak lanjut untuk Anda: %(code)s, %(unit)s") % {
            "code": action.indicator_code,
            "unit": action.service_unit.name,
        }
        body = action.indicator_name
        if action.due_on:
            body += " " + _("Tenggat: %(date)s.") % {"date": date_format(action.due_on, "j F Y")}
    notify(
        Event.FOLLOWUP_ASSIGNED,
        [action.owner],
        title=title,
        body=body,
        url=_action_url(action),
        obj=action,
        actor=actor,
    )


def overdue_actions(today: dt.date) -> Any:
    """Unfinished follow-up actions past their due date whose notice for that due date has
    not gone out yet."""
    from django.db.models import Exists, OuterRef

    from patuh.followup.models import ActionStatus, FollowUpAction

    already = OverdueNotice.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))
    return (
        FollowUpAction.objects.filter(due_on__lt=today)
        .exclude(status=ActionStatus.DONE)
        .exclude(Exists(already))
        .select_related("cycle", "government", "service_unit", "owner")
        .order_by("government__region_code", "service_unit__name", "indicator_code", "pk")
    )


def notify_overdue(today: dt.date | None = None, *, dry_run: bool = False) -> dict[str, Any]:
    """``patuh notifications overdue``: tell each owner and the coordinators of unfinished
    actions past their due date — once per action and due date (a new due date that passes
    is told again). Each person gets one notification per government, listing its actions."""
    today = today or timezone.localdate()
    actions = list(overdue_actions(today))
    per_person: dict[tuple[int, int, int], list[Any]] = defaultdict(list)
    people: dict[int, Any] = {}
    coordinator_cache: dict[int, list[Any]] = {}
    for action in actions:
        if action.government_id not in coordinator_cache:
            coordinator_cache[action.government_id] = coordinators(action.government_id)
        owner = [action.owner] if action.owner else []
        recipients = [*owner, *coordinator_cache[action.government_id]]
        for user in recipients:
            people[user.pk] = user
            group = per_person[(user.pk, action.cycle_id, action.government_id)]
            if action not in group:
                group.append(action)
    summary = {
        "today": today.isoformat(),
        "dry_run": dry_run,
        "actions": [action.pk for action in actions],
        "notifications": 0,
        "recipients": sorted(people[pk].username for pk in {key[0] for key in per_person}),
    }
    if dry_run or not actions:
        summary["notifications"] = 0 if not dry_run else len(per_person)
        return summary
    with transaction.atomic():
        OverdueNotice.objects.bulk_create(
            [OverdueNotice(action=action, due_on=action.due_on) for action in actions],
            ignore_conflicts=True,
        )
        with translation.override(settings.LANGUAGE_CODE):
            for (user_id, _cycle, _government), group in per_person.items():
                first = group[0]
                if len(group) == 1:
                    title = _("Lewat tenggat: %(code)s, %(unit)s") % {
                        "code": first.indicator_code,
                        "unit": first.service_unit.name,
                    }
                    body = _("%(name)s Tenggat: %(date)s.") % {
                        "name": first.indicator_name,
                        "date": date_format(first.due_on, "j F Y"),
                    }
                    url, obj = _action_url(first), first
                else:
                    title = ngettext(
                        "%(count)d tindak lanjut %(government)s lewat tenggat",
                        "%(count)d tindak lanjut %(government)s lewat tenggat",
                        len(group),
                    ) % {"count": len(group), "government": first.government.name}
                    body = "; ".join(
                        f"{a.indicator_code} {a.service_unit.name} "
                        f"({date_format(a.due_on, 'j M Y')})"
                        for a in group
                    )
                    url = reverse(
                        "followup:page", args=[first.cycle.year, first.government.region_code]
                    )
                    obj = first.government
                summary["notifications"] += len(
                    notify(
                        Event.FOLLOWUP_OVERDUE,
                        [people[user_id]],
                        title=title,
                        body=body,
                        url=url,
                        obj=obj,
                    )
                )
    return summary


def job_ended(job: Any) -> None:
    """A background job finished or failed: tell whoever asked for it."""
    if job.created_by_id is None or job.status not in ("done", "failed"):
        return
    done = job.status == "done"
    with translation.override(settings.LANGUAGE_CODE):
        names = {"kind": job.get_kind_display(), "year": job.cycle.year}
        if done:
            title = _("Selesai: %(kind)s %(year)s") % names
            body = (
                _("Berkasnya siap diunduh dari halaman tugas.")
                if job.file
                else _("Hasilnya ada di halaman tugas.")
            )
        else:
            title = _("Gagal: %(kind)s %(year)s") % names
            body = job.error or _("Lihat catatan di halaman tugas.")
    notify(
        Event.JOB_FINISHED if done else Event.JOB_FAILED,
        [job.created_by],
        title=title,
        body=body[:2000],
        url=reverse("reports:job", args=[job.pk]),
        obj=job,
    )
