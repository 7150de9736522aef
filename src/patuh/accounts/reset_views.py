"""Password reset by e-mail: Django's views with Patuh's pages, a rate limit and audit rows.

The request page answers the same whether or not an account has the address (no user
enumeration). Requests are counted per network address (``ADDRESS_LIMIT`` an hour, beyond which
the page says to wait) and per e-mail address (``EMAIL_LIMIT`` an hour, beyond which nothing more
is sent, silently). Each request is an ``account.password_reset_requested`` event, each new
password set from a link an ``account.password_reset`` event. The link is Django's signed,
single-use token, valid for ``PASSWORD_RESET_TIMEOUT`` seconds.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from patuh.accounts import services
from patuh.accounts.forms import NewPasswordForm, PasswordResetRequestForm
from patuh.core.net import client_address

logger = logging.getLogger(__name__)

PASSWORD_RESET_REQUESTED = "account.password_reset_requested"
PASSWORD_RESET = "account.password_reset"

ADDRESS_LIMIT = 10
"""Reset requests one network address may make in an hour."""
EMAIL_LIMIT = 3
"""Reset e-mails sent to one address in an hour."""
WINDOW_SECONDS = 3600


def _count(key: str) -> int:
    """Add one to the hourly counter ``key``; the count including this one."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def _site_url() -> str:
    return getattr(settings, "PATUH_SITE_URL", "http://127.0.0.1:8000").rstrip("/")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        request: HttpRequest = self.request
        address = client_address(request)
        if _count(f"patuh:reset-address:{address}") > ADDRESS_LIMIT:
            form.add_error(
                None,
                _("Terlalu banyak permintaan dari jaringan Anda. Coba lagi dalam satu jam."),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        email = form.cleaned_data["email"]
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        may_send = _count(f"patuh:reset-email:{digest}") <= EMAIL_LIMIT
        users = list(form.get_users(email))
        for user in users or [None]:
            services.record_account_event(
                PASSWORD_RESET_REQUESTED,
                request=request,
                user=user,
                email=email if user is None else user.email,
                sent=bool(user is not None and may_send),
            )
        if users and may_send:
            try:
                form.save(
                    request=request,
                    use_https=request.is_secure(),
                    token_generator=self.token_generator,
                    from_email=self.from_email,
                    email_template_name=self.email_template_name,
                    subject_template_name=self.subject_template_name,
                    extra_email_context={"site_url": _site_url()},
                )
            except Exception:  # any backend error; the page must not tell more than usual
                logger.warning("Password reset e-mail could not be sent", exc_info=True)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.record_account_event(
                PASSWORD_RESET, request=self.request, user=form.user, actor=form.user
            )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
