"""``patuh api-token USERNAME [--revoke]``: create (print once) or revoke a user's API token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from patuh.api.tokens import create_token, revoke_token


class Command(BaseCommand):
    help = (
        "Buat token API untuk pengguna (token lama berhenti berlaku) dan cetak sekali, "
        "atau cabut dengan --revoke. Tercatat di riwayat audit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="nama pengguna")
        parser.add_argument("--revoke", action="store_true", help="cabut token pengguna ini")
        parser.add_argument(
            "--reason", default="", help="alasan, dicatat di riwayat audit (pilihan)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        model = get_user_model()
        try:
            user = model._default_manager.get_by_natural_key(options["username"])
        except model.DoesNotExist as error:
            raise CommandError(
                f"Pengguna '{options['username']}' tidak ditemukan.", returncode=2
            ) from error
        reason = options["reason"] or "patuh api-token"
        if options["revoke"]:
            if revoke_token(user, actor=None, reason=reason):
                self.stdout.write(f"Token API {user.get_username()} dicabut.")
            else:
                self.stdout.write(f"{user.get_username()} tidak memiliki token API.")
            return
        if not user.is_active:
            raise CommandError(f"Pengguna '{user.get_username()}' tidak aktif.", returncode=2)
        token = create_token(user, actor=None, reason=reason)
        self.stdout.write(token.key)
