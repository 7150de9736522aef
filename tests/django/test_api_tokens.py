"""Hashed, expiring API tokens: only a digest is stored, every key expires, a user holds one
per integration; the header contract ``Authorization: Token <key>`` is unchanged. The token
page, ``patuh api-token``, the move of DRF's plain tokens, housekeeping, the schema and the
admin."""

from __future__ import annotations

import hashlib
import importlib
import io
import json
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token, TokenProxy
from rest_framework.test import APIClient

from patuh.api import tokens
from patuh.api.models import ApiToken, TokenStatus
from patuh.core import replicas
from patuh.core.models import AuditEvent


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    cache.clear()
    yield
    cache.clear()


def api_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def returncode(*args: str) -> int:
    with pytest.raises(CommandError) as raised:
        command(*args)
    return raised.value.returncode


def audit_text() -> str:
    return " ".join(
        f"{event.old} {event.new} {event.reason} {event.object_id}"
        for event in AuditEvent.objects.filter(action__startswith="api_token.")
    )


# -- what is stored ---------------------------------------------------------------------------


def test_only_a_digest_of_the_key_is_stored(coordinator):
    made = tokens.create_token(coordinator, actor=coordinator, name="SIMPEL")
    assert re.fullmatch(r"patuh_[A-Za-z0-9_-]{43}", made.key)
    row = ApiToken.objects.get(pk=made.token.pk)
    assert row.digest == hashlib.sha256(made.key.encode()).hexdigest()
    assert row.prefix == made.key[:14]
    stored = " ".join(str(value) for value in ApiToken.objects.values().get(pk=row.pk).values())
    assert made.key not in stored
    assert made.key[14:] not in stored  # nothing of the secret part beyond the prefix
    assert made.key not in audit_text()


def test_a_new_token_expires_after_the_default_lifetime(coordinator, settings):
    settings.PATUH_API_TOKEN_DAYS = 30
    before = timezone.now()
    token = tokens.create_token(coordinator, actor=None).token
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)


@pytest.mark.parametrize("days", [0, -1, 366])
def test_a_lifetime_outside_one_to_the_maximum_is_refused(coordinator, settings, days):
    settings.PATUH_API_TOKEN_MAX_DAYS = 365
    with pytest.raises(tokens.TokenError, match="1 sampai 365 hari"):
        tokens.create_token(coordinator, actor=None, days=days)
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=tokens.TOKEN_CREATED).exists()


# -- authentication ---------------------------------------------------------------------------


def test_the_header_contract_is_unchanged(coordinator):
    key = tokens.create_token(coordinator, actor=None).key
    assert api_with(key).get("/api/v1/governments/").status_code == 200
    lower = APIClient()
    lower.credentials(HTTP_AUTHORIZATION=f"token {key}")  # DRF's keyword is case-insensitive
    assert lower.get("/api/v1/governments/").status_code == 200
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert bearer.get("/api/v1/governments/").status_code == 401


def test_an_unknown_key_is_401_saying_so(db):
    response = api_with("patuh_" + "x" * 43).get("/api/v1/cycles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Token API tidak dikenal."


def test_an_expired_token_is_401_naming_when_it_expired(coordinator):
    made = tokens.create_token(coordinator, actor=None)
    ApiToken.objects.filter(pk=made.token.pk).update(
        expires_at=datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    )
    response = api_with(made.key).get("/api/v1/cycles/")
    assert response.status_code == 401
    # 03:04 UTC is 10:04 in Jakarta (the site's TIME_ZONE)
    assert "kedaluwarsa pada 2 Januari 2026 10:04 WIB" in response.json()["detail"]


def test_a_revoked_token_is_401_saying_when(coordinator):
    made = tokens.create_token(coordinator, actor=None)
    assert tokens.revoke_token(made.token, actor=coordinator, reason="bocor")
    response = api_with(made.key).get("/api/v1/cycles/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Token API ini sudah dicabut pada ")
    assert not tokens.revoke_token(made.token, actor=coordinator)  # once is enough
    assert AuditEvent.objects.filter(action=tokens.TOKEN_REVOKED).count() == 1


def test_an_inactive_users_token_is_refused(coordinator):
    key = tokens.create_token(coordinator, actor=None).key
    coordinator.is_active = False
    coordinator.save()
    response = api_with(key).get("/api/v1/cycles/")
    assert response.status_code == 401
    assert "tidak aktif" in response.json()["detail"]


def test_last_used_is_written_at_most_once_a_minute(coordinator):
    made = tokens.create_token(coordinator, actor=None)
    client = api_with(made.key)
    assert client.get("/api/v1/cycles/").status_code == 200
    first = ApiToken.objects.get(pk=made.token.pk).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/cycles/").status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "api_apitoken" in q["sql"]]
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at == first
    ApiToken.objects.filter(pk=made.token.pk).update(last_used_at=first - timedelta(minutes=2))
    assert client.get("/api/v1/cycles/").status_code == 200
    assert ApiToken.objects.get(pk=made.token.pk).last_used_at > first


def test_a_user_holds_one_token_per_integration(coordinator):
    simpel = tokens.create_token(coordinator, actor=None, name="SIMPEL")
    dashboard = tokens.create_token(coordinator, actor=None, name="dasbor provinsi")
    assert api_with(simpel.key).get("/api/v1/cycles/").status_code == 200
    assert api_with(dashboard.key).get("/api/v1/cycles/").status_code == 200
    tokens.revoke_token(dashboard.token, actor=None)
    assert api_with(simpel.key).get("/api/v1/cycles/").status_code == 200
    assert api_with(dashboard.key).get("/api/v1/cycles/").status_code == 401


def test_a_new_token_under_the_same_name_replaces_the_old_one(coordinator):
    old = tokens.create_token(coordinator, actor=None, name="SIMPEL")
    new = tokens.create_token(coordinator, actor=None, name=" SIMPEL ")
    assert api_with(old.key).get("/api/v1/cycles/").status_code == 401
    assert api_with(new.key).get("/api/v1/cycles/").status_code == 200
    created = AuditEvent.objects.filter(action=tokens.TOKEN_CREATED).order_by("-id").first()
    assert created.old == {"replaced": [old.token.prefix]}
    revoked = AuditEvent.objects.get(action=tokens.TOKEN_REVOKED)
    assert revoked.new["revoked_at"]
    assert "nama sama" in revoked.reason


def test_token_reads_never_go_to_a_lagging_replica(monkeypatch):
    monkeypatch.setattr(replicas, "replica_configured", lambda: True)
    with replicas.replica_reads():
        assert replicas.ReplicaRouter().db_for_read(ApiToken) == "default"


# -- moving the old plain tokens --------------------------------------------------------------


def test_old_plain_tokens_are_moved_hashed_and_keep_working(coordinator, operator, settings):
    settings.PATUH_API_TOKEN_DAYS = 90
    old = Token.objects.create(user=coordinator)
    other = Token.objects.create(user=operator)
    migration = importlib.import_module("patuh.api.migrations.0002_move_plain_tokens")
    migration.move_plain_tokens(django_apps, SimpleNamespace(connection=connection))

    assert not Token.objects.exists()  # the clear keys are gone
    moved = ApiToken.objects.get(user=coordinator)
    assert moved.digest == hashlib.sha256(old.key.encode()).hexdigest()
    assert moved.prefix == old.key[:8]
    assert moved.created_at == old.created
    assert moved.name == migration.MOVED_NAME
    expected = timezone.now() + timedelta(days=90)
    assert abs((moved.expires_at - expected).total_seconds()) < 60
    assert ApiToken.objects.filter(user=operator).count() == 1
    assert api_with(old.key).get("/api/v1/cycles/").status_code == 200
    assert api_with(other.key).get("/api/v1/cycles/").status_code == 200
    assert tokens.prefix_of(old.key) == moved.prefix  # --revoke --prefix finds it


# -- patuh api-token --------------------------------------------------------------------------


def test_the_command_prints_only_the_key(coordinator):
    out = command(coordinator.username)
    assert out.count("\n") == 1
    key = out.strip()
    assert key.startswith("patuh_")
    assert api_with(key).get("/api/v1/cycles/").status_code == 200
    assert ApiToken.objects.get(user=coordinator).name == tokens.DEFAULT_NAME


def test_the_command_takes_a_name_and_a_lifetime(coordinator):
    key = command(coordinator.username, "--name", "SIMPEL", "--days", "7").strip()
    token = ApiToken.objects.get(digest=tokens.digest_of(key))
    assert token.name == "SIMPEL"
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert token.status() == TokenStatus.EXPIRING


def test_the_command_in_json_gives_the_key_and_its_expiry(coordinator):
    data = json.loads(command(coordinator.username, "--format", "json"))
    assert set(data) == {"key", "name", "prefix", "expires_at"}
    assert data["key"].startswith(data["prefix"])


@pytest.mark.parametrize(
    "args",
    [
        ["tidak.ada"],
        ["tidak.ada", "--list"],
        ["{user}", "--days", "0"],
        ["{user}", "--days", "366"],
        ["{user}", "--name", ""],
        ["{user}", "--prefix", "patuh_abc"],
        ["{user}", "--list", "--revoke"],
        ["{user}", "--revoke", "--prefix", "patuh_tidakada"],
    ],
)
def test_bad_input_exits_2_and_changes_nothing(coordinator, settings, args):
    settings.PATUH_API_TOKEN_MAX_DAYS = 365
    tokens.create_token(coordinator, actor=None)
    events = AuditEvent.objects.count()
    assert returncode(*[arg.format(user=coordinator.username) for arg in args]) == 2
    assert AuditEvent.objects.count() == events
    assert tokens.active_tokens(coordinator).count() == 1


def test_an_inactive_user_gets_no_token(coordinator):
    coordinator.is_active = False
    coordinator.save()
    assert returncode(coordinator.username) == 2
    assert not ApiToken.objects.exists()


def test_the_command_lists_a_users_tokens(coordinator, operator):
    simpel = tokens.create_token(coordinator, actor=None, name="SIMPEL").token
    old = tokens.create_token(coordinator, actor=None, name="lama").token
    tokens.revoke_token(old, actor=None)
    rows = json.loads(command(coordinator.username, "--list", "--format", "json"))
    assert [(row["name"], row["prefix"], row["status"]) for row in rows] == [
        ("lama", old.prefix, "revoked"),
        ("SIMPEL", simpel.prefix, "active"),
    ]
    assert rows[0]["revoked_at"]
    assert rows[1]["last_used_at"] is None
    text = command(coordinator.username, "--list")
    assert f"{simpel.prefix}  " in text
    assert "SIMPEL" in text
    assert "dicabut" in text
    assert "belum memiliki token" in command(operator.username, "--list")


def test_the_command_revokes_one_token_by_prefix_or_all(coordinator):
    simpel = tokens.create_token(coordinator, actor=None, name="SIMPEL")
    dashboard = tokens.create_token(coordinator, actor=None, name="dasbor")
    other = tokens.create_token(coordinator, actor=None, name="lain")
    out = command(coordinator.username, "--revoke", "--prefix", simpel.token.prefix)
    assert "1 token" in out
    assert api_with(simpel.key).get("/api/v1/cycles/").status_code == 401
    assert api_with(dashboard.key).get("/api/v1/cycles/").status_code == 200
    data = json.loads(
        command(coordinator.username, "--revoke", "--reason", "pegawai pindah", "--format", "json")
    )
    assert data == {"revoked": 2}
    assert api_with(other.key).get("/api/v1/cycles/").status_code == 401
    assert "tidak memiliki token" in command(coordinator.username, "--revoke")
    assert (
        AuditEvent.objects.filter(action=tokens.TOKEN_REVOKED, reason="pegawai pindah").count() == 2
    )


# -- the token page ---------------------------------------------------------------------------


def create_on_page(client, **data: str):
    """Open the token page and send its creation form, as a browser does."""
    page = client.get("/api/v1/token/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    return client.post("/api/v1/token/", {"action": "create", "once": once, **data})


def test_the_page_shows_a_new_key_once_and_lists_the_tokens(login, coordinator):
    client = login(coordinator)
    response = create_on_page(client, name="SIMPEL", days="10")
    assert response.status_code == 200
    html = response.content.decode()
    key = re.search(r"data-token>([^<]+)<", html).group(1)
    assert "hanya ditampilkan sekali" in html
    token = ApiToken.objects.get(user=coordinator)
    assert (token.name, token.created_by) == ("SIMPEL", coordinator)
    listed = client.get("/api/v1/token/").content.decode()
    assert key not in listed
    assert "data-token>" not in listed
    row = re.search(rf'<tr data-token-prefix="{token.prefix}"[\s\S]*?</tr>', listed).group(0)
    assert 'data-token-state="expiring"' in row  # 10 days left: flagged
    assert "data-expiring" in row
    assert "SIMPEL" in row
    assert "belum pernah" in row
    assert key not in audit_text()


def test_reloading_the_page_that_shows_a_key_makes_no_second_token(login, coordinator):
    client = login(coordinator)
    page = client.get("/api/v1/token/").content.decode()
    form = {
        "action": "create",
        "once": re.search(r'name="once" value="([^"]+)"', page).group(1),
        "name": "SIMPEL",
        "days": "30",
    }
    first = client.post("/api/v1/token/", form)
    key = re.search(r"data-token>([^<]+)<", first.content.decode()).group(1)
    again = client.post("/api/v1/token/", form, follow=True)
    assert "Formulir ini sudah dikirim" in again.content.decode()
    assert "data-token>" not in again.content.decode()
    assert ApiToken.objects.filter(user=coordinator).count() == 1
    assert api_with(key).get("/api/v1/cycles/").status_code == 200
    missing = client.post("/api/v1/token/", {**form, "once": ""})
    assert missing.status_code == 302
    assert ApiToken.objects.filter(user=coordinator).count() == 1


def test_a_token_far_from_expiry_is_not_flagged(login, coordinator):
    token = tokens.create_token(coordinator, actor=None, name="SIMPEL", days=90).token
    html = login(coordinator).get("/api/v1/token/").content.decode()
    assert f'data-token-prefix="{token.prefix}" data-token-state="active"' in html
    assert "data-expiring" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "days": "30"}, "Beri nama token"),
        ({"name": "SIMPEL", "days": "366"}, "lebih kecil dari atau sama dengan 365"),
        ({"name": "SIMPEL", "days": "0"}, "lebih besar dari atau sama dengan 1"),
        ({"name": "SIMPEL", "days": "satu"}, "bilangan"),
    ],
)
def test_the_page_refuses_a_bad_name_or_lifetime(login, coordinator, settings, data, message):
    settings.PATUH_API_TOKEN_MAX_DAYS = 365
    response = create_on_page(login(coordinator), **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html
    assert message in html
    assert "data-token>" not in html
    assert not ApiToken.objects.exists()


def test_the_page_revokes_only_ones_own_tokens(login, coordinator, operator):
    mine = tokens.create_token(coordinator, actor=None, name="SIMPEL")
    theirs = tokens.create_token(operator, actor=None, name="SIMPEL")
    client = login(coordinator)
    assert (
        client.post("/api/v1/token/", {"action": "revoke", "token": theirs.token.pk}).status_code
        == 404
    )
    assert client.post("/api/v1/token/", {"action": "revoke", "token": "x"}).status_code == 404
    assert api_with(theirs.key).get("/api/v1/cycles/").status_code == 200
    response = client.post("/api/v1/token/", {"action": "revoke", "token": mine.token.pk})
    assert response.status_code == 302
    assert api_with(mine.key).get("/api/v1/cycles/").status_code == 401
    event = AuditEvent.objects.get(action=tokens.TOKEN_REVOKED)
    assert (event.actor, event.object_id) == (coordinator, str(coordinator.pk))
    assert event.old["prefix"] == mine.token.prefix
    html = client.get("/api/v1/token/").content.decode()
    assert "dicabut" in html
    assert f'data-token-prefix="{mine.token.prefix}" data-token-state="revoked"' in html


# -- housekeeping -----------------------------------------------------------------------------


def test_housekeeping_deletes_tokens_long_revoked_or_expired(coordinator, settings):
    settings.PATUH_API_TOKEN_KEEP_DAYS = 30
    now = timezone.now()
    live = tokens.create_token(coordinator, actor=None, name="hidup").token
    ages = {
        "lama dicabut": {"revoked_at": now - timedelta(days=31)},
        "baru dicabut": {"revoked_at": now - timedelta(days=2)},
        "lama kedaluwarsa": {"expires_at": now - timedelta(days=31)},
        "baru kedaluwarsa": {"expires_at": now - timedelta(days=2)},
    }
    for name, fields in ages.items():
        token = tokens.create_token(coordinator, actor=None, name=name).token
        ApiToken.objects.filter(pk=token.pk).update(**fields)

    out = io.StringIO()
    call_command("housekeeping", "--dry-run", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["api_tokens"] == 2
    assert ApiToken.objects.count() == 5

    out = io.StringIO()
    call_command("housekeeping", stdout=out)
    assert "token API lama (dicabut atau kedaluwarsa) dihapus: 2" in out.getvalue()
    assert sorted(ApiToken.objects.values_list("name", flat=True)) == sorted(
        [live.name, "baru dicabut", "baru kedaluwarsa"]
    )
    event = AuditEvent.objects.get(action="core.housekeeping")
    assert (event.new["api_tokens"], event.new["api_token_keep_days"]) == (2, 30)


# -- the schema and the admin -----------------------------------------------------------------


def test_the_schema_documents_the_token_scheme(db):
    schema = APIClient().get("/api/v1/schema/?format=json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "Authorization")
    assert "patuh_" in scheme["description"]
    cycles = schema["paths"]["/api/v1/cycles/"]["get"]
    assert {"tokenAuth": []} in cycles["security"]


def test_drf_plain_tokens_are_not_offered_in_the_admin():
    assert not admin.site.is_registered(TokenProxy)
    assert admin.site.is_registered(ApiToken)


def test_an_administrator_finds_a_key_by_prefix_and_revokes_it(
    db, login, django_user_model, coordinator
):
    boss = django_user_model.objects.create_superuser("admin.pusat", password="x")
    made = tokens.create_token(coordinator, actor=None, name="SIMPEL")
    client = login(boss)
    found = client.get("/admin/api/apitoken/", {"q": made.token.prefix}).content.decode()
    assert made.token.prefix in found
    assert made.key not in found
    response = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke", "_selected_action": [made.token.pk]},
    )
    assert response.status_code == 302
    assert api_with(made.key).get("/api/v1/cycles/").status_code == 401
    assert AuditEvent.objects.get(action=tokens.TOKEN_REVOKED).actor == boss
    assert client.get("/admin/api/apitoken/add/").status_code == 403
