"""``patuh api-token USERNAME``: make a token (its key printed, alone, once), list a user's
tokens or revoke them. Every change is audited; see :mod:`patuh.api.tokens`.

Exit status 0 when done, 2 for bad input (unknown or inactive user, a lifetime beyond
``PATUH_API_TOKEN_MAX_DAYS``, an unknown prefix)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from patuh.api import tokens


def _moment(value: Any) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else "—"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


class Command(BaseCommand):
    help = (
        "Buat token API untuk pengguna dan cetak kuncinya sekali (token aktif dengan nama yang "
        "sama berhenti berlaku), tampilkan tokennya dengan --list, atau cabut dengan --revoke. "
        "Tercatat di riwayat audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="nama pengguna")
        parser.add_argument(
            "--name",
            default=tokens.DEFAULT_NAME,
            metavar="NAMA",
            help=f"untuk apa token ini (bawaan «{tokens.DEFAULT_NAME}»)",
        )
        parser.add_argument(
            "--days",
            type=int,
            metavar="HARI",
            help="masa berlaku dalam hari (bawaan PATUH_API_TOKEN_DAYS, paling lama "
            "PATUH_API_TOKEN_MAX_DAYS)",
        )
        parser.add_argument(
            "--revoke",
            action="store_true",
            help="cabut semua token pengguna ini (atau satu dengan --prefix)",
        )
        parser.add_argument(
            "--prefix", default="", metavar="AWALAN", help="dengan --revoke: hanya token ini"
        )
        parser.add_argument("--list", action="store_true", help="tampilkan token pengguna ini")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--reason",
            default="",
            metavar="ALASAN",
            help="alasan, dicatat di riwayat audit (pilihan)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(options["username"])
        except model.DoesNotExist as error:
            raise CommandError(
                _("Pengguna '%(user)s' tidak ditemukan.") % {"user": options["username"]},
                returncode=2,
            ) from error
        if options["list"] and options["revoke"]:
            raise CommandError(_("Pilih salah satu: --list atau --revoke."), returncode=2)
        if options["prefix"] and not options["revoke"]:
            raise CommandError(_("--prefix hanya berlaku bersama --revoke."), returncode=2)
        if options["list"]:
            self._list(user, options["format"])
        elif options["revoke"]:
            self._revoke(user, options)
        else:
            self._create(user, options)

    def _create(self, user: Any, options: dict[str, Any]) -> None:
        try:
            made = tokens.create_token(
                user,
                actor=None,
                name=options["name"],
                days=options["days"],
                reason=options["reason"] or "patuh api-token",
            )
        except tokens.TokenError as error:
            raise CommandError(str(error), returncode=2) from error
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "key": made.key,
                        "name": made.token.name,
                        "prefix": made.token.prefix,
                        "expires_at": made.token.expires_at.isoformat(),
                    }
                )
            )
            return
        self.stdout.write(made.key)  # alone on its line: scripts read it

    def _revoke(self, user: Any, options: dict[str, Any]) -> None:
        prefix = options["prefix"]
        if prefix and not tokens.tokens_for(user).filter(prefix=prefix).exists():
            raise CommandError(
                _("%(user)s tidak memiliki token berawalan %(prefix)s.")
                % {"user": user.get_username(), "prefix": prefix},
                returncode=2,
            )
        count = tokens.revoke_all(
            user, actor=None, reason=options["reason"] or "patuh api-token", prefix=prefix
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps({"revoked": count}))
        elif count:
            self.stdout.write(
                _("%(count)s token API %(user)s dicabut.")
                % {"count": count, "user": user.get_username()}
            )
        else:
            self.stdout.write(
                _("%(user)s tidak memiliki token API yang belum dicabut.")
                % {"user": user.get_username()}
            )

    def _list(self, user: Any, output: str) -> None:
        now = timezone.now()
        listed = list(tokens.tokens_for(user))
        if output == "json":
            rows = [
                {
                    "name": token.name,
                    "prefix": token.prefix,
                    "status": token.status(now).value,
                    "created_at": token.created_at.isoformat(),
                    "expires_at": token.expires_at.isoformat(),
                    "last_used_at": _iso(token.last_used_at),
                    "revoked_at": _iso(token.revoked_at),
                }
                for token in listed
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        if not listed:
            self.stdout.write(
                _("%(user)s belum memiliki token API.") % {"user": user.get_username()}
            )
            return
        for token in listed:
            self.stdout.write(
                f"{token.prefix:<16} {token.status(now).label!s:<20} "
                f"{_('dibuat')} {_moment(token.created_at)}  "
                f"{_('berlaku sampai')} {_moment(token.expires_at)}  "
                f"{_('terakhir dipakai')} {_moment(token.last_used_at)}  {token.name}"
            )
