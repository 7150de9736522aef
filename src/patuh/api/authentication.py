"""``Authorization: Token <key>`` checked against the hashed, expiring tokens of
:mod:`patuh.api.models`.

The header is parsed exactly as DRF's ``TokenAuthentication`` does (the class is a subclass
of it), so clients see no change; only the lookup differs: by the key's SHA-256, with a
sentence saying why a known key is refused (revoked, expired — and when —, user inactive).
"""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from patuh.api.models import TokenStatus
from patuh.api.tokens import find_token, note_use


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'j F Y H:i')} {local.tzname()}"


class ApiTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        token = find_token(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Token API tidak dikenal."))
        status = token.status()
        if status == TokenStatus.REVOKED:
            raise exceptions.AuthenticationFailed(
                _("Token API ini sudah dicabut pada %(when)s.") % {"when": _when(token.revoked_at)}
            )
        if status == TokenStatus.EXPIRED:
            raise exceptions.AuthenticationFailed(
                _(
                    "Token API ini kedaluwarsa pada %(when)s. Buat token baru di "
                    "/api/v1/token/ atau minta administrator."
                )
                % {"when": _when(token.expires_at)}
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Pengguna tidak aktif atau telah dihapus."))
        note_use(token)
        return token.user, token
