from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from patuh.accounts import totp


class CodeForm(forms.Form):
    """Six digits from the authenticator app."""

    code = forms.CharField(
        label=_("Kode verifikasi"),
        max_length=16,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 \-]*",
                "autofocus": True,
                "class": "form-control",
            }
        ),
    )

    def clean_code(self) -> str:
        code = totp.normalise(self.cleaned_data["code"])
        if len(code) != totp.DIGITS or not code.isascii() or not code.isdigit():
            raise ValidationError(_("Kode terdiri atas 6 angka."), code="format")
        return code


class PasswordConfirmForm(forms.Form):
    """The user's own password, asked again before switching the second factor off."""

    password = forms.CharField(
        label=_("Kata sandi Anda"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin site's login, which asks for no second factor: users who set one up log in
    through Patuh's own login page (and then open the admin)."""

    def confirm_login_allowed(self, user) -> None:
        from patuh.accounts.services import confirmed_device

        super().confirm_login_allowed(user)
        if confirmed_device(user) is not None:
            raise ValidationError(
                _(
                    "Akun ini memakai verifikasi dua langkah. Masuk melalui halaman masuk "
                    "Patuh (/accounts/login/), lalu buka halaman admin."
                ),
                code="second_factor",
            )
