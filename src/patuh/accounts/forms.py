from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from patuh.accounts import recovery, totp


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


class LoginCodeForm(forms.Form):
    """The login's second step: six digits from the app, or one of the recovery codes.

    The field takes either, told apart by their shape (six digits, or eight symbols of the
    recovery alphabet); ``recovery_mode`` only changes the label and the keyboard a phone shows.
    After validation ``kind`` is ``"totp"`` or ``"recovery"``.
    """

    TOTP = "totp"
    RECOVERY = "recovery"

    code = forms.CharField(max_length=24)

    def __init__(self, *args, recovery_mode: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = ""
        field = self.fields["code"]
        attrs = {"autofocus": True, "class": "form-control", "spellcheck": "false"}
        if recovery_mode:
            field.label = _("Kode pemulihan")
            field.help_text = _("Salah satu kode yang Anda simpan, misalnya 7k3m-q9xz.")
            attrs.update(autocomplete="off", autocapitalize="none", inputmode="text")
        else:
            field.label = _("Kode verifikasi")
            attrs.update(autocomplete="one-time-code", inputmode="numeric")
        field.widget.attrs.update(attrs)

    def clean_code(self) -> str:
        typed = self.cleaned_data["code"]
        digits = totp.normalise(typed)
        if len(digits) == totp.DIGITS and digits.isascii() and digits.isdigit():
            self.kind = self.TOTP
            return digits
        if recovery.is_code(typed):
            self.kind = self.RECOVERY
            return recovery.normalise(typed)
        raise ValidationError(
            _(
                "Masukkan kode 6 angka dari aplikasi autentikator, atau kode pemulihan "
                "8 karakter (misalnya 7k3m-q9xz)."
            ),
            code="format",
        )


class PasswordConfirmForm(forms.Form):
    """The user's own password, asked again before switching the second factor off or making
    new recovery codes."""

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


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault("class", "form-control")


class InviteOperatorForm(forms.Form):
    """A coordinator invites one person to be the operator of one of the government's units."""

    unit = forms.ModelChoiceField(label=_("Unit layanan"), queryset=None, empty_label=None)
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), max_length=254)

    def __init__(self, *args, government, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = government.units.order_by("name")
        self.fields["unit"].label_from_instance = lambda unit: f"{unit.name} ({unit.code})"
        _bootstrap(self)
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["email"].widget.attrs["autocomplete"] = "off"


class AcceptInvitationForm(UserCreationForm):
    """The invitee's username and password (twice), checked with the project's password rules
    against the invitation's name and e-mail."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["username"].label = _("Nama pengguna")
        self.fields["password1"].label = _("Kata sandi")
        self.fields["password2"].label = _("Ulangi kata sandi")
        self.fields["username"].help_text = _(
            "Huruf, angka dan @ . + - _ saja; dipakai untuk masuk ke Patuh."
        )


class PasswordResetRequestForm(PasswordResetForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
        self.fields["email"].label = _("E-mail akun Anda")


class NewPasswordForm(SetPasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _bootstrap(self)
