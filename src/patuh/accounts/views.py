"""Login with the optional second factor, password change and the authenticator app page.

A user with a confirmed authenticator app who types the right password is not logged in yet:
the login waits in the session (``PENDING_KEY``) for five minutes while ``/accounts/login/code/``
asks for the app's code, or one of the user's recovery codes. Wrong codes of either kind count
as failed logins for django-axes' lockout too, and after ``MAX_CODE_FAILURES`` the waiting login
is dropped.

Recovery codes are shown in the response that makes them (confirming the app, or asking for a
new set) and nowhere else: only their digests are stored, so they cannot be shown again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from patuh.accounts import services, signals, totp
from patuh.accounts.forms import CodeForm, LoginCodeForm, PasswordConfirmForm
from patuh.accounts.models import TOTPDevice

PENDING_KEY = "patuh_pending_login"
PENDING_SECONDS = 5 * 60
MAX_CODE_FAILURES = 5
ISSUER = "Patuh"


def _safe_next(request: HttpRequest, url: str | None) -> str:
    """``url`` if it stays on this site, else ``""``."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


# --- login, first step ----------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if services.confirmed_device(user) is not None:
            _start_pending(self.request, user, self.get_redirect_url())
            services.record_account_event(services.LOGIN_PENDING, request=self.request, user=user)
            return redirect("login_code")
        response = super().form_valid(form)
        if services.totp_required(user):
            messages.warning(
                self.request,
                _("Peran Anda wajib memakai verifikasi dua langkah. Pasang sekarang."),
            )
            query = urlencode({"next": self.get_success_url()})
            return HttpResponseRedirect(f"{reverse('two_factor')}?{query}")
        return response


# --- login, second step ---------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    user: Any
    device: TOTPDevice
    backend: str
    next: str
    seconds_left: int


def _start_pending(request: HttpRequest, user: Any, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "started": time.time(),
        "failures": 0,
    }


def _drop_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def _pending(request: HttpRequest) -> Pending | None:
    """The login waiting for its code, or ``None`` (none, expired, or no longer valid)."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True).first()
    device = services.confirmed_device(user) if user is not None else None
    if (
        user is None
        or device is None
        or not constant_time_compare(data.get("hash", ""), user.get_session_auth_hash())
    ):
        _drop_pending(request)
        return None
    seconds_left = int(data["started"] + PENDING_SECONDS - time.time())
    if seconds_left <= 0:
        _drop_pending(request)
        services.record_account_event(
            services.LOGIN_DROPPED,
            request=request,
            user=user,
            reason=_("Kode verifikasi tidak dimasukkan dalam 5 menit."),
        )
        return None
    return Pending(user, device, data["backend"], data.get("next", ""), seconds_left)


def _count_code_failure(request: HttpRequest) -> int:
    data = request.session[PENDING_KEY]
    data["failures"] = data.get("failures", 0) + 1
    request.session.modified = True
    return data["failures"]


def _recovery_login_message(request: HttpRequest, remaining: int) -> None:
    """Tell a user who logged in with a recovery code how many are left, and where to get more."""
    link = format_html(
        '<a href="{}" class="alert-link">{}</a>',
        reverse("two_factor"),
        _("Buat kode pemulihan baru"),
    )
    if remaining:
        text = ngettext(
            "Anda masuk dengan kode pemulihan; kode itu tidak bisa dipakai lagi. "
            "Tersisa %(count)d kode pemulihan.",
            "Anda masuk dengan kode pemulihan; kode itu tidak bisa dipakai lagi. "
            "Tersisa %(count)d kode pemulihan.",
            remaining,
        ) % {"count": remaining}
    else:
        text = _(
            "Anda masuk dengan kode pemulihan terakhir Anda. Tanpa ponsel, Anda tidak akan "
            "bisa masuk lagi."
        )
    messages.warning(request, format_html("{} {}", text, link))


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the code from the user's authenticator app, or a recovery code.

    ``?recovery=1`` labels the field for a recovery code; the field accepts either kind.
    """
    pending = _pending(request)
    if pending is None:
        messages.info(request, _("Silakan masuk lagi dengan nama pengguna dan kata sandi."))
        return redirect("login")
    credentials = {"username": pending.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        _drop_pending(request)
        return get_lockout_response(request, None, credentials)

    recovery_mode = request.GET.get("recovery") == "1"
    form = LoginCodeForm(request.POST or None, recovery_mode=recovery_mode)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        remaining = None
        if form.kind == LoginCodeForm.RECOVERY:
            remaining = services.use_recovery_code(pending.device, code, request=request)
            accepted = remaining is not None
        else:
            accepted = services.use_code(pending.device, code)
        if accepted:
            _drop_pending(request)
            setattr(
                request,
                signals.SECOND_FACTOR_ATTRIBUTE,
                "recovery_code" if remaining is not None else "totp",
            )
            login(request, pending.user, backend=pending.backend)
            if remaining is not None:
                _recovery_login_message(request, remaining)
            next_url = _safe_next(request, pending.next)
            return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))
        failures = _count_code_failure(request)
        # counts for django-axes' lockout, and writes the failed-login audit row
        user_login_failed.send(
            sender=__name__,
            credentials=credentials,
            request=request,
            stage="recovery_code" if form.kind == LoginCodeForm.RECOVERY else "code",
        )
        locked = getattr(request, "axes_locked_out", False)
        if locked or failures >= MAX_CODE_FAILURES:
            _drop_pending(request)
            services.record_account_event(
                services.LOGIN_DROPPED,
                request=request,
                user=pending.user,
                reason=_("Terlalu banyak kode verifikasi yang salah."),
                failures=failures,
            )
            if locked:
                return get_lockout_response(request, None, credentials)
            messages.error(
                request,
                _("Terlalu banyak kode yang salah. Silakan masuk lagi dari awal."),
            )
            return redirect("login")
        if form.kind == LoginCodeForm.RECOVERY:
            form.add_error(
                "code",
                _(
                    "Kode pemulihan salah atau sudah dipakai. Setiap kode pemulihan hanya "
                    "bisa dipakai sekali."
                ),
            )
        else:
            form.add_error(
                "code",
                _("Kode salah atau sudah dipakai. Masukkan kode yang sedang tampil di aplikasi."),
            )
    return render(
        request,
        "registration/login_code.html",
        {
            "form": form,
            "recovery_mode": recovery_mode,
            "minutes_left": max(1, round(pending.seconds_left / 60)),
        },
    )


# --- password -------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password, new twice, the password rules), audited."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password_change")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            services.record_account_event(
                services.PASSWORD_CHANGED,
                request=self.request,
                user=self.request.user,
                actor=self.request.user,
            )
        messages.success(
            self.request,
            _("Kata sandi diganti. Sesi di perangkat lain telah diakhiri."),
        )
        return response


# --- the authenticator app ------------------------------------------------------------------


def _qr_svg(uri: str) -> str:
    import segno

    return segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=_("Kode QR untuk aplikasi autentikator")
    )


def _group(secret: str) -> str:
    """The secret in blocks of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _recovery_password_form(data: Any = None) -> PasswordConfirmForm:
    """The password form for new recovery codes. Its field keeps the name ``password`` (which
    django-axes masks in what it records of a failed attempt); only its HTML id differs from the
    switch-off form's on the same page."""
    return PasswordConfirmForm(data, auto_id="id_recovery_%s")


def _two_factor_on(
    request: HttpRequest,
    device: TOTPDevice,
    *,
    disable_form: PasswordConfirmForm | None = None,
    recovery_form: PasswordConfirmForm | None = None,
) -> HttpResponse:
    """The two-step page of a user whose app is confirmed: its state, the recovery codes left,
    and the password forms to make new codes or switch it off."""
    return render(
        request,
        "accounts/two_factor.html",
        {
            "device": device,
            "recovery": services.recovery_code_status(device),
            "recovery_form": recovery_form or _recovery_password_form(),
            "disable_form": disable_form or PasswordConfirmForm(),
            "required": services.totp_required(request.user),
        },
    )


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], *, next_url: str, first_set: bool
) -> HttpResponse:
    """The one and only showing of a set of recovery codes, with a plain-text download of the
    same codes built into the page (nothing on the server can produce them again)."""
    user = request.user
    made = timezone.localtime()
    lines = [
        _("Kode pemulihan Patuh untuk akun %(username)s") % {"username": user.get_username()},
        _("Dibuat %(date)s") % {"date": made.strftime("%Y-%m-%d %H:%M")},
        "",
        *codes,
        "",
        _(
            "Setiap kode hanya bisa dipakai sekali, untuk masuk bila aplikasi autentikator "
            "tidak ada. Simpan di tempat aman."
        ),
    ]
    text = "\r\n".join(lines) + "\r\n"
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": codes,
            "made": made,
            "first_set": first_set,
            "download_href": "data:text/plain;charset=utf-8," + quote(text, safe=""),
            "download_name": f"patuh-kode-pemulihan-{user.get_username()}.txt",
            "next": next_url or reverse("two_factor"),
        },
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app (QR code and a code to confirm), or see that it is on.

    Confirming answers with the new recovery codes, shown this once, and a link on to ``next``.
    """
    user = request.user
    if not services.may_use_totp(user):
        raise PermissionDenied(_("Verifikasi dua langkah hanya tersedia untuk akun Ombudsman."))
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    device = services.confirmed_device(user)
    if device is not None:
        return _two_factor_on(request, device)

    device = services.enrolment_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_device(
            device, form.cleaned_data["code"], actor=user, request=request
        )
        if codes is not None:
            messages.success(
                request,
                _("Verifikasi dua langkah aktif. Setiap kali masuk, Anda akan diminta kodenya."),
            )
            return _recovery_codes_page(request, codes, next_url=next_url, first_set=True)
        form.add_error(
            "code",
            _(
                "Kode tidak cocok. Periksa jam di ponsel Anda, lalu masukkan kode yang sedang "
                "tampil."
            ),
        )
    uri = totp.provisioning_uri(device.secret, account=user.get_username(), issuer=ISSUER)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "form": form,
            "qr_svg": _qr_svg(uri),
            "secret": _group(device.secret),
            "next": next_url,
            "required": services.totp_required(user),
        },
    )


def _password_checked(request: HttpRequest, form: PasswordConfirmForm) -> bool:
    """Whether the form holds the user's own password, checked through ``authenticate`` so a
    wrong one is a failed login (audited, and counted by django-axes' lockout)."""
    if not form.is_valid():
        return False
    user = request.user
    checked = authenticate(
        request, username=user.get_username(), password=form.cleaned_data["password"]
    )
    if checked is not None and checked.pk == user.pk:
        return True
    form.add_error("password", _("Kata sandi salah."))
    return False


@sensitive_post_parameters("password")
@never_cache
@login_required
@require_POST
def regenerate_recovery_codes(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, after the password; the old codes stop working."""
    user = request.user
    device = services.confirmed_device(user)
    if device is None:
        return redirect("two_factor")
    form = _recovery_password_form(request.POST)
    if _password_checked(request, form):
        codes = services.regenerate_recovery_codes(device, actor=user, request=request)
        messages.success(
            request, _("Kode pemulihan baru dibuat. Kode pemulihan yang lama tidak berlaku lagi.")
        )
        return _recovery_codes_page(request, codes, next_url="", first_set=False)
    return _two_factor_on(request, device, recovery_form=form)


@sensitive_post_parameters("password")
@login_required
@require_POST
def disable_two_factor(request: HttpRequest) -> HttpResponse:
    """Switch the second factor off; the password is checked like a login (and can lock out)."""
    user = request.user
    device = services.confirmed_device(user)
    if device is None:
        return redirect("two_factor")
    if services.totp_required(user):
        raise PermissionDenied(
            _("Peran Anda wajib memakai verifikasi dua langkah; ia tidak dapat dimatikan.")
        )
    form = PasswordConfirmForm(request.POST)
    if _password_checked(request, form):
        services.disable_device(
            user,
            actor=user,
            reason=_("Dimatikan oleh pemilik akun."),
            request=request,
        )
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
        return redirect("two_factor")
    return _two_factor_on(request, device, disable_form=form)
