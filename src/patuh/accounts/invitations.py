"""Operators of a government's units: invitations by e-mail, and ending a membership.

A government's coordinator (or a national admin) invites a person by e-mail to be the operator
of one of the government's units. The e-mail carries a one-time link whose token is random
(256 bits) and stored only as its SHA-256; it works until ``PATUH_INVITATION_DAYS`` have passed,
once, and not after it is withdrawn. Opening it, the invitee chooses a username and a password
(the project's password rules), gets the membership and is logged in; an invitee who already
has an account with that e-mail logs in first and accepts.

Removing an operator ends the membership (the row is deleted, its content kept in the audit
event); the account itself is never deleted, so everything it did stays attributed.

Every change is one audit event: ``account.invited``, ``account.invitation_revoked``,
``account.invitation_accepted``, ``account.membership_ended``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from patuh.accounts.models import Invitation, Membership
from patuh.accounts.roles import Role
from patuh.accounts.scopes import forget_scope
from patuh.accounts.services import request_facts
from patuh.core.services import record_event

logger = logging.getLogger(__name__)

INVITED = "account.invited"
INVITATION_REVOKED = "account.invitation_revoked"
INVITATION_ACCEPTED = "account.invitation_accepted"
MEMBERSHIP_ENDED = "account.membership_ended"

INVITED_NOW = "invited"
RESENT = "resent"
ALREADY_OPERATOR = "already_operator"
ALREADY_INVITED = "already_invited"


class InvitationUnusable(Exception):
    """The invitation was accepted or withdrawn, or it expired; the message says which."""


def may_manage_operators(user: Any, government: Any) -> bool:
    """The government's coordinators and national admins manage its units' operators."""
    from patuh.assessments.access import is_national_admin, roles_of

    return is_national_admin(user) or any(
        m.role == Role.GOVERNMENT_COORDINATOR and m.government_id == government.pk
        for m in roles_of(user)
    )


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def normal_email(email: str) -> str:
    return email.strip().lower()


def lifetime() -> dt.timedelta:
    return dt.timedelta(days=getattr(settings, "PATUH_INVITATION_DAYS", 7))


def account_with_email(email: str) -> Any:
    """The account with this e-mail (the oldest, should several share it), or ``None``."""
    return (
        get_user_model()
        ._default_manager.filter(email__iexact=normal_email(email))
        .order_by("pk")
        .first()
    )


def _membership_facts(membership: Membership) -> dict[str, Any]:
    unit = membership.service_unit
    return {
        "username": membership.user.get_username(),
        "role": membership.role,
        "service_unit": unit.code if unit else None,
        "government": unit.government.region_code if unit else None,
    }


@dataclass(frozen=True)
class Invited:
    outcome: str
    """:data:`INVITED_NOW`, :data:`RESENT`, :data:`ALREADY_OPERATOR` or :data:`ALREADY_INVITED`."""
    invitation: Invitation | None


def invite_operator(
    unit: Any,
    *,
    email: str,
    full_name: str,
    actor: Any,
    resend: bool = False,
    request: HttpRequest | None = None,
) -> Invited:
    """Invite ``email`` to be the operator of ``unit``; the e-mail leaves after the commit.

    Nothing happens for a person already operator of the unit, nor (unless ``resend``) for one
    with a pending invitation that has not expired; ``resend`` withdraws it and sends a new link.
    """
    email = normal_email(email)
    if Membership.objects.filter(
        role=Role.UNIT_OPERATOR, service_unit=unit, user__email__iexact=email
    ).exists():
        return Invited(ALREADY_OPERATOR, None)
    now = timezone.now()
    with transaction.atomic():
        pending = list(
            Invitation.objects.pending()
            .select_for_update()
            .filter(service_unit=unit, email__iexact=email)
        )
        live = [invitation for invitation in pending if invitation.expires_at > now]
        if live and not resend:
            return Invited(ALREADY_INVITED, live[0])
        for old in pending:
            _revoke(old, actor=actor, reason=_("Diganti undangan baru."), now=now)
        token = secrets.token_urlsafe(32)
        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name.strip(),
            role=Role.UNIT_OPERATOR,
            service_unit=unit,
            token_hash=token_digest(token),
            invited_by=actor,
            expires_at=now + lifetime(),
        )
        record_event(
            actor=actor,
            action=INVITED,
            obj=invitation,
            new={
                "email": email,
                "full_name": invitation.full_name,
                "role": invitation.role,
                "service_unit": unit.code,
                "government": unit.government.region_code,
                "expires_at": invitation.expires_at.isoformat(),
                **request_facts(request),
            },
            context=unit.government,
        )
        transaction.on_commit(lambda: send_invitation(invitation, token))
    return Invited(RESENT if live else INVITED_NOW, invitation)


def invitation_url(token: str) -> str:
    site = getattr(settings, "PATUH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("invitation", args=[token])


def send_invitation(invitation: Invitation, token: str) -> bool:
    """Send the invitation's e-mail; a failure is logged (the coordinator can resend)."""
    unit = invitation.service_unit
    inviter = invitation.invited_by
    context = {
        "full_name": invitation.full_name,
        "unit": unit.name,
        "government": unit.government.name,
        "inviter": inviter.get_full_name() or inviter.get_username(),
        "url": invitation_url(token),
        "expires": date_format(timezone.localtime(invitation.expires_at), "j F Y H:i"),
        "site_url": getattr(settings, "PATUH_SITE_URL", "").rstrip("/"),
    }
    message = EmailMultiAlternatives(
        subject=_("[Patuh] Undangan menjadi operator %(unit)s") % {"unit": unit.name},
        body=render_to_string("accounts/invitation_email.txt", context),
        to=[invitation.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except Exception:  # any backend error: SMTP, socket, API client, …
        logger.warning("Invitation %s could not be sent", invitation.pk, exc_info=True)
        return False
    return True


def find_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 128:
        return None
    return (
        Invitation.objects.select_related("service_unit__government", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


def unusable_because(invitation: Invitation, now: dt.datetime | None = None) -> str:
    """Why the invitation can no longer be used, or ``""``."""
    if invitation.accepted_at is not None:
        return _("Undangan ini sudah dipakai. Silakan masuk dengan akun Anda.")
    if invitation.revoked_at is not None:
        return _("Undangan ini sudah dibatalkan oleh koordinator.")
    if invitation.expires_at <= (now or timezone.now()):
        return _(
            "Undangan ini sudah kedaluwarsa. Minta koordinator pemerintah Anda mengirim "
            "undangan baru."
        )
    return ""


def accept_invitation(
    invitation: Invitation, user: Any, *, request: HttpRequest | None = None
) -> Membership:
    """Give ``user`` (a new, unsaved account, or the invitee's existing one) the invitation's
    membership. The invitation is claimed with a conditional update, so a link opened twice at
    once is accepted once."""
    new_account = user.pk is None
    now = timezone.now()
    with transaction.atomic():
        problem = unusable_because(invitation, now)
        if problem:
            raise InvitationUnusable(problem)
        if new_account:
            user.save()
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now, accepted_by=user)
        if not claimed:  # accepted or withdrawn meanwhile; the new account is rolled back
            invitation.refresh_from_db()
            raise InvitationUnusable(
                unusable_because(invitation, now) or _("Undangan ini tidak berlaku.")
            )
        invitation.accepted_at, invitation.accepted_by = now, user
        membership, _created = Membership.objects.get_or_create(
            user=user, role=invitation.role, service_unit=invitation.service_unit
        )
        record_event(
            actor=user,
            action=INVITATION_ACCEPTED,
            obj=invitation,
            new={
                **_membership_facts(membership),
                "email": invitation.email,
                "new_account": new_account,
                **request_facts(request),
            },
            context=invitation.service_unit.government,
        )
    forget_scope(user)
    if hasattr(user, "_patuh_memberships"):
        del user._patuh_memberships
    return membership


def _revoke(invitation: Invitation, *, actor: Any, reason: str, now: dt.datetime) -> None:
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action=INVITATION_REVOKED,
        obj=invitation,
        old={"email": invitation.email, "service_unit": invitation.service_unit.code},
        reason=str(reason),
        context=invitation.service_unit.government,
    )


def revoke_invitation(invitation: Invitation, *, actor: Any, reason: str = "") -> None:
    """Withdraw a pending invitation: its link stops working."""
    with transaction.atomic():
        locked = Invitation.objects.pending().select_for_update().filter(pk=invitation.pk).first()
        if locked is None:
            return
        _revoke(locked, actor=actor, reason=reason, now=timezone.now())


def end_membership(membership: Membership, *, actor: Any, reason: str = "") -> None:
    """Remove an operator from a unit: the membership ends, the account stays."""
    with transaction.atomic():
        government = membership.service_unit.government
        facts = _membership_facts(membership)
        user = membership.user
        membership.delete()
        record_event(
            actor=actor,
            action=MEMBERSHIP_ENDED,
            obj=user,
            old=facts,
            reason=str(reason),
            context=government,
        )
    forget_scope(user)
