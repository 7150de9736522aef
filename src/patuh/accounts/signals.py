"""Audit rows for Django's login signals and django-axes' lockout signal.

Connected in ``AccountsConfig.ready``. Django's login views are not atomic, so each row is
written in its own transaction and stays even when the login itself fails.
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from patuh.accounts import services

SECOND_FACTOR_ATTRIBUTE = "patuh_second_factor"
"""Set on the request by the code step, so the login row says which factor completed it."""


@receiver(user_logged_in, dispatch_uid="patuh.accounts.audit_login")
def audit_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    facts = {}
    second_factor = getattr(request, SECOND_FACTOR_ATTRIBUTE, None)
    if second_factor:
        facts["second_factor"] = second_factor
    services.record_account_event(services.LOGIN, request=request, user=user, actor=user, **facts)


@receiver(user_logged_out, dispatch_uid="patuh.accounts.audit_logout")
def audit_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:  # logging out a visitor who was not logged in
        return
    services.record_account_event(services.LOGOUT, request=request, user=user, actor=user)


@receiver(user_login_failed, dispatch_uid="patuh.accounts.audit_login_failed")
def audit_login_failed(
    sender: Any,
    credentials: dict[str, Any],
    request: HttpRequest | None = None,
    stage: str = "password",
    **kwargs: Any,
) -> None:
    """A wrong password, a wrong code (``stage="code"``) or any attempt while locked out.

    ``credentials`` is already cleansed by Django; only the username is taken from it.
    """
    field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(field) or credentials.get("username") or "")
    services.record_account_event(
        services.LOGIN_FAILED,
        request=request,
        user=services.account_named(username),
        username=username,
        stage=stage,
        locked_out=bool(getattr(request, "axes_locked_out", False)),
    )


@receiver(user_locked_out, dispatch_uid="patuh.accounts.audit_locked_out")
def audit_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    """Sent by django-axes at the failure that reaches the limit, and at each attempt after."""
    services.record_account_event(
        services.LOCKED_OUT,
        request=request,
        user=services.account_named(username),
        username=username or "",
        failure_limit=settings.AXES_FAILURE_LIMIT,
    )
