"""API tokens: several named ones per user, stored as a SHA-256 digest, each with an expiry.

The key (``patuh_`` followed by 43 random URL-safe characters, 256 bits) is shown once when it
is made and never stored. A plain SHA-256 rather than a password hash suffices: a key that
random cannot be guessed from its digest, and an unsalted digest can be looked up directly
by an index. Rather than an HMAC keyed with ``SECRET_KEY``, so that rotating that key or
restoring a backup onto another instance keeps integrations working.

``prefix`` — the key's first characters — is stored in clear so that a user can tell their
tokens apart and an administrator can recognise a key found where it should not be.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EXPIRING_SOON = timedelta(days=14)
"""A token this close to its expiry is flagged on the token page and in ``--list``."""


class TokenStatus(models.TextChoices):
    ACTIVE = "active", _("aktif")
    EXPIRING = "expiring", _("segera kedaluwarsa")
    EXPIRED = "expired", _("kedaluwarsa")
    REVOKED = "revoked", _("dicabut")


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("pengguna"),
    )
    name = models.CharField(
        _("nama"), max_length=100, help_text=_("Untuk apa token ini, mis. integrasi SIMPEL.")
    )
    prefix = models.CharField(_("awalan"), max_length=16, db_index=True)
    digest = models.CharField(_("SHA-256 kunci"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    expires_at = models.DateTimeField(_("berlaku sampai"))
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token API")
        verbose_name_plural = _("token API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def status(self, now=None) -> TokenStatus:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return TokenStatus.REVOKED
        if self.expires_at <= now:
            return TokenStatus.EXPIRED
        if self.expires_at - now <= EXPIRING_SOON:
            return TokenStatus.EXPIRING
        return TokenStatus.ACTIVE

    @property
    def is_usable(self) -> bool:
        return self.status() in (TokenStatus.ACTIVE, TokenStatus.EXPIRING)
