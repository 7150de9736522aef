"""Move DRF's plain tokens (``authtoken.Token``, the key in clear) into ``api.ApiToken``.

Each key keeps working: its SHA-256 is stored, its first 8 characters become the prefix and
it expires ``PATUH_API_TOKEN_DAYS`` days after this migration runs. The clear keys are then
deleted. Going back does not bring them back (nothing holds them any more): the moved
tokens simply stay.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone

MOVED_NAME = "Token lama (dipindahkan)"


def move_plain_tokens(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("api", "ApiToken")
    alias = schema_editor.connection.alias
    expires_at = timezone.now() + timedelta(
        days=min(settings.PATUH_API_TOKEN_DAYS, settings.PATUH_API_TOKEN_MAX_DAYS)
    )
    plain = Token.objects.using(alias).all()
    ApiToken.objects.using(alias).bulk_create(
        [
            ApiToken(
                user_id=token.user_id,
                name=MOVED_NAME,
                prefix=token.key[:8],
                digest=hashlib.sha256(token.key.encode("utf-8")).hexdigest(),
                created_at=token.created,
                expires_at=expires_at,
            )
            for token in plain
        ]
    )
    plain.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_api_token"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(move_plain_tokens, migrations.RunPython.noop)]
