"""Account verbs: the login audit trail and the optional second factor (an authenticator app,
with one-time recovery codes for when the phone is not at hand).

Every login, logout, failed login and lockout is one audit row filed under the account
(``auth.user``): who, from which address and browser, and for a failure the username that was
tried. A password is never recorded. A failed login for a username that does not exist has no
account to file under; it is recorded with an empty object id and the username in ``new``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from patuh.accounts import recovery, totp
from patuh.accounts.models import RecoveryCode, TOTPDevice
from patuh.accounts.roles import OMBUDSMAN_ROLES
from patuh.core.models import AuditEvent
from patuh.core.net import client_address
from patuh.core.services import record_event

LOGIN = "account.login"
LOGIN_FAILED = "account.login_failed"
LOGIN_PENDING = "account.login_pending"
"""The password was right; the login waits for the authenticator code."""
LOGIN_DROPPED = "account.login_dropped"
"""A login waiting for its code was given up: too many wrong codes, or too late."""
LOGOUT = "account.logout"
LOCKED_OUT = "account.locked_out"
PASSWORD_CHANGED = "account.password_changed"
TOTP_ENABLED = "account.totp_enabled"
TOTP_DISABLED = "account.totp_disabled"
RECOVERY_CODE_USED = "account.recovery_code_used"
"""A login completed with a recovery code; the row says how many are left, never the code."""
RECOVERY_CODES_REGENERATED = "account.recovery_codes_regenerated"

RECOVERY_CODES_FEW = 2
"""At or below this many unused recovery codes the user is told to make new ones."""

USER_AGENT_LENGTH = 200


class _NoAccount:
    """Stands for the account a failed login named when no such account exists."""

    pk = ""

    def __init__(self) -> None:
        self._meta = get_user_model()._meta


def account_named(username: str | None) -> Any:
    """The account with this username, or ``None``."""
    if not username:
        return None
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist:
        return None


def request_facts(request: HttpRequest | None) -> dict[str, str]:
    """Where a request came from: the client's address and its browser, truncated."""
    if request is None:
        return {}
    agent = request.META.get("HTTP_USER_AGENT", "") or ""
    return {"address": client_address(request), "user_agent": agent[:USER_AGENT_LENGTH]}


def record_account_event(
    action: str,
    *,
    request: HttpRequest | None,
    user: Any = None,
    username: str = "",
    actor: Any = None,
    reason: str = "",
    **facts: Any,
) -> AuditEvent:
    """One audit row about an account. ``actor`` is set only once the user is logged in."""
    subject = user if user is not None else _NoAccount()
    new = {
        "username": username or (user.get_username() if user is not None else ""),
        **request_facts(request),
        **facts,
    }
    return record_event(actor=actor, action=action, obj=subject, new=new, reason=str(reason))


# --- the optional second factor -------------------------------------------------------------


def may_use_totp(user: Any) -> bool:
    """Whether the user is offered an authenticator app: the Ombudsman's roles and superusers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.memberships.filter(role__in=OMBUDSMAN_ROLES).exists()


def totp_required(user: Any) -> bool:
    """Whether a role of the user is in ``PATUH_REQUIRE_TOTP_FOR`` (none by default)."""
    roles = getattr(settings, "PATUH_REQUIRE_TOTP_FOR", [])
    if not roles or not getattr(user, "is_authenticated", False):
        return False
    return user.memberships.filter(role__in=roles).exists()


def confirmed_device(user: Any) -> TOTPDevice | None:
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The user's device waiting for confirmation, made with a new secret the first time.

    Opening the enrolment page again shows the same secret, so a QR code already scanned
    stays good until it is confirmed.
    """
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, defaults={"secret": totp.generate_secret()}
    )
    return device


def confirm_device(
    device: TOTPDevice, code: str, *, actor: Any, request: HttpRequest | None = None
) -> list[str] | None:
    """Switch the second factor on once the user has typed a code from the app.

    Returns the new recovery codes, to be shown to the user this once (only their digests are
    kept), or ``None`` when the code was wrong and nothing changed.
    """
    step = totp.matching_step(device.secret, code)
    if step is None:
        return None
    with transaction.atomic():
        device.confirmed_at = timezone.now()
        device.last_used_step = step
        device.save(update_fields=["confirmed_at", "last_used_step"])
        codes = _issue_recovery_codes(device)
        record_account_event(
            TOTP_ENABLED,
            request=request,
            user=device.user,
            actor=actor,
            recovery_codes=len(codes),
        )
    return codes


def use_code(device: TOTPDevice, code: str) -> bool:
    """Accept a login code once. ``False`` for a wrong code, an expired one or a replay.

    The step is claimed with a conditional update, so two requests racing with the same code
    cannot both win.
    """
    step = totp.matching_step(device.secret, code, after_step=device.last_used_step)
    if step is None:
        return False
    claimed = (
        TOTPDevice.objects.filter(pk=device.pk)
        .filter(Q(last_used_step__isnull=True) | Q(last_used_step__lt=step))
        .update(last_used_step=step)
    )
    if claimed:
        device.last_used_step = step
    return bool(claimed)


def disable_device(
    user: Any, *, actor: Any, reason: str = "", request: HttpRequest | None = None
) -> bool:
    """Remove the user's authenticator app and its recovery codes; the next login asks for the
    password only. Every way of switching the second factor off (the user's page, the admin)
    comes through here."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user).first()
        if device is None:
            return False
        was_confirmed = device.confirmed
        deleted_codes, _ = device.recovery_codes.all().delete()
        device.delete()
        if was_confirmed:
            record_account_event(
                TOTP_DISABLED,
                request=request,
                user=user,
                actor=actor,
                reason=reason,
                recovery_codes_deleted=deleted_codes,
            )
    return was_confirmed


# --- recovery codes -------------------------------------------------------------------------


@dataclass(frozen=True)
class RecoveryCodeStatus:
    """What the two-step page says about the user's recovery codes."""

    unused: int
    total: int
    created_at: datetime | None

    @property
    def never_made(self) -> bool:
        """The app was set up before recovery codes existed, so there never were any."""
        return self.total == 0

    @property
    def few_left(self) -> bool:
        return self.total > 0 and self.unused <= RECOVERY_CODES_FEW


def _recovery_keys() -> list[bytes]:
    """The HMAC keys to check a code under: from ``SECRET_KEY``, then each fallback key."""
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [recovery.derive_key(secret) for secret in secret_keys]


def _issue_recovery_codes(device: TOTPDevice) -> list[str]:
    """Replace the device's recovery codes with a new set; returns the codes, for display."""
    device.recovery_codes.all().delete()
    codes = recovery.generate()
    key = _recovery_keys()[0]
    now = timezone.now()
    rows = []
    for code in codes:
        salt = recovery.new_salt()
        digest = recovery.digest(code, salt=salt, key=key)
        rows.append(RecoveryCode(device=device, salt=salt, digest=digest, created_at=now))
    RecoveryCode.objects.bulk_create(rows)
    return codes


def recovery_code_status(device: TOTPDevice) -> RecoveryCodeStatus:
    """How many of the device's recovery codes are left, and when the set was made."""
    figures = device.recovery_codes.aggregate(
        total=Count("pk"),
        unused=Count("pk", filter=Q(used_at__isnull=True)),
        created_at=Max("created_at"),
    )
    return RecoveryCodeStatus(figures["unused"], figures["total"], figures["created_at"])


def regenerate_recovery_codes(
    device: TOTPDevice, *, actor: Any, request: HttpRequest | None = None
) -> list[str]:
    """A new set of recovery codes for a confirmed device; every older code stops working.

    The caller checks the password first. Returns the new codes, to be shown this once.
    """
    with transaction.atomic():
        before = recovery_code_status(device)
        codes = _issue_recovery_codes(device)
        record_account_event(
            RECOVERY_CODES_REGENERATED,
            request=request,
            user=device.user,
            actor=actor,
            recovery_codes=len(codes),
            replaced_unused=before.unused,
        )
    return codes


def use_recovery_code(
    device: TOTPDevice, code: str, *, request: HttpRequest | None = None
) -> int | None:
    """Accept a recovery code once, in place of the app's code at login.

    Returns how many unused codes remain after this one (``0`` is a success too), or ``None``
    for a wrong code or one already used. The code is claimed with a conditional update, so
    two requests racing with the same code cannot both win. The audit row, written in the same
    transaction, says how many remain and never which code it was.
    """
    if not recovery.is_code(code):
        return None
    keys = _recovery_keys()
    with transaction.atomic():
        unused = list(device.recovery_codes.filter(used_at__isnull=True))
        found = None
        for candidate in unused:  # every candidate is checked: the time says nothing
            if recovery.matches(code, salt=candidate.salt, stored=candidate.digest, keys=keys):
                found = candidate
        if found is None:
            return None
        claimed = RecoveryCode.objects.filter(pk=found.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            return None
        remaining = device.recovery_codes.filter(used_at__isnull=True).count()
        record_account_event(
            RECOVERY_CODE_USED, request=request, user=device.user, remaining=remaining
        )
    return remaining
