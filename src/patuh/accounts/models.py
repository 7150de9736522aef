"""Memberships: which role a user holds, over which province, government or unit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from patuh.accounts.roles import REQUIRED_SCOPE, Role

SCOPE_FIELDS = ("province", "government", "service_unit")


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("pengguna"),
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    province = models.ForeignKey(
        "orgs.Province",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("provinsi"),
    )
    government = models.ForeignKey(
        "orgs.Government",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("pemerintah"),
    )
    service_unit = models.ForeignKey(
        "orgs.ServiceUnit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("unit layanan"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        ordering = ["user__username", "role"]

    def __str__(self) -> str:
        target = self.province or self.government or self.service_unit
        label = self.get_role_display()
        return f"{self.user} — {label}" + (f" ({target})" if target else "")

    def clean(self) -> None:
        required = REQUIRED_SCOPE.get(self.role)
        given = {name for name in SCOPE_FIELDS if getattr(self, f"{name}_id") is not None}
        if required is None:
            allowed: set[str] = set()
        elif required == "province_or_government":
            allowed = {"province", "government"}
            if len(given) != 1 or not given <= allowed:
                raise ValidationError(
                    _("Penilai harus ditugaskan ke satu provinsi atau satu pemda.")
                )
        elif required == "national_or_province":
            allowed = {"province"}
            if not given <= allowed:
                raise ValidationError(
                    _("Evaluator KemenPAN-RB bersifat nasional atau untuk satu provinsi saja.")
                )
        else:
            allowed = {required}
            if given != allowed:
                raise ValidationError(
                    _("Peran ini harus diisi dengan %(field)s saja.")
                    % {"field": self._meta.get_field(required).verbose_name}
                )
        if given - allowed:
            raise ValidationError(
                _("Peran ini tidak dibatasi wilayah: kosongkan provinsi/pemda/unit.")
            )


class TOTPDevice(models.Model):
    """A user's authenticator app: the shared secret of the optional second factor (RFC 6238).

    Unconfirmed until the user has typed one code from it; only a confirmed device is asked
    for at login. ``last_used_step`` is the time step of the last code accepted: that code, and
    any older one, is refused from then on.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="totp_device",
        verbose_name=_("pengguna"),
    )
    secret = models.CharField(_("rahasia"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("dikonfirmasi"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("langkah waktu terakhir"), null=True, blank=True)

    class Meta:
        verbose_name = _("aplikasi autentikator")
        verbose_name_plural = _("aplikasi autentikator")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """One of the one-time codes that stand in for the authenticator app at login.

    A set is made when the app is confirmed and again whenever the user asks for new ones
    (which deletes the old set). Only ``digest``, a keyed HMAC-SHA256 of ``salt`` and the code,
    is kept (see ``accounts/recovery.py``): the code itself is shown once and never again.
    ``used_at`` is set when the code logs someone in; from then on it is refused.
    """

    device = models.ForeignKey(
        TOTPDevice,
        on_delete=models.CASCADE,
        related_name="recovery_codes",
        verbose_name=_("aplikasi autentikator"),
    )
    salt = models.CharField(_("garam"), max_length=32)
    digest = models.CharField(_("sidik kode"), max_length=64)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")
        ordering = ["device", "pk"]

    def __str__(self) -> str:
        return f"{self.device} #{self.pk}"


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        """Neither accepted nor withdrawn; expired ones included (the page says so)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An e-mailed, one-time link inviting a person to be the operator of a service unit.

    Only the SHA-256 of the link's token is stored: the database alone cannot open an
    invitation. It works once, until ``expires_at``, and not after it is withdrawn.
    """

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("nama lengkap"), max_length=150)
    role = models.CharField(
        _("peran"), max_length=32, choices=Role.choices, default=Role.UNIT_OPERATOR
    )
    service_unit = models.ForeignKey(
        "orgs.ServiceUnit",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("unit layanan"),
    )
    token_hash = models.CharField(_("sidik token"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("diundang oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    accepted_at = models.DateTimeField(_("diterima"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("diterima oleh"),
    )
    revoked_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["service_unit", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.service_unit}"
