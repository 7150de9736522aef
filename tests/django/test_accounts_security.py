"""Accounts: argon2, lockout after repeated failures, password rules, session expiry, the
optional authenticator-app second factor, and an audit row for every login, logout and failure.

Every test logs in through the real login page (``client.post``): django-axes needs the request
in ``authenticate()``, so ``client.login()`` cannot be used.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from patuh import settings as project_settings
from patuh.accounts import services, totp
from patuh.accounts.models import TOTPDevice
from patuh.accounts.views import MAX_CODE_FAILURES, PENDING_KEY, PENDING_SECONDS
from patuh.core.audit_chain import verify
from patuh.core.models import AuditEvent

PASSWORD = "rahasia-uji"  # the personas' password (tests/django/conftest.py)
PROTECTED = "/accounts/password/"
CODE_PAGE = "/accounts/login/code/"


def _login(client: Client, username: str, password: str = PASSWORD, address="10.1.1.1", **data):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, **data},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT="Mozilla/5.0 (uji) " + "x" * 400,
    )


def _is_logged_in(client: Client) -> bool:
    return client.get(PROTECTED).status_code == 200


def _events(action: str, username: str):
    return AuditEvent.objects.filter(action=action, new__username=username).order_by("id")


def _wrong_code(secret: str) -> str:
    now = time.time()
    valid = {totp.code_at(secret, now + drift) for drift in (-60, -30, 0, 30, 60)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _inline_code(html: str) -> list[str]:
    """What the Content-Security-Policy would block: inline scripts, handlers, style=."""
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", html)


@pytest.fixture
def device(assessor) -> TOTPDevice:
    """The assessor's confirmed authenticator app."""
    return TOTPDevice.objects.create(
        user=assessor, secret=totp.generate_secret(), confirmed_at=timezone.now()
    )


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_user(
        "sari.super", password=PASSWORD, is_staff=True, is_superuser=True
    )


# --- argon2 ---------------------------------------------------------------------------------


def test_a_changed_password_is_stored_with_argon2(client, assessor):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assessor.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        assessor.save(update_fields=["password"])
        client.force_login(assessor)
        response = client.post(
            PROTECTED,
            {
                "old_password": PASSWORD,
                "new_password1": "Sawit-Langkat-2025!",
                "new_password2": "Sawit-Langkat-2025!",
            },
        )
        assert response.status_code == 302
        assessor.refresh_from_db()
        assert assessor.password.startswith("argon2$argon2id$")
        assert assessor.check_password("Sawit-Langkat-2025!")


def test_an_older_hash_is_upgraded_to_argon2_at_the_next_login(client, assessor):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assessor.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        assessor.save(update_fields=["password"])
        assert _login(client, assessor.username).status_code == 302
        assessor.refresh_from_db()
        assert assessor.password.startswith("argon2$")


# --- lockout --------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_at_that_address(client, assessor):
    for _attempt in range(4):
        response = _login(client, assessor.username, "salah-sekali")
        assert response.status_code == 200
        assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    locked = _login(client, assessor.username, "salah-sekali")
    assert locked.status_code == 429
    assert _login(client, assessor.username, "salah-lagi").status_code == 429

    right = _login(client, assessor.username)  # even the right password, while locked
    assert right.status_code == 429
    page = right.content.decode()
    assert "Terlalu banyak percobaan masuk" in page
    assert "30 menit" in page
    assert not _is_logged_in(client)


def test_the_lockout_holds_only_that_username_from_that_address(client, assessor, verifier):
    for _attempt in range(5):
        _login(client, assessor.username, "salah-sekali", address="10.9.9.9")
    assert _login(client, assessor.username, address="10.9.9.9").status_code == 429
    assert _login(Client(), assessor.username, address="10.2.2.2").status_code == 302
    assert _login(Client(), verifier.username, address="10.9.9.9").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, assessor):
    for _attempt in range(4):
        _login(client, assessor.username, "salah-sekali")
    assert _login(client, assessor.username).status_code == 302
    client.post("/accounts/logout/")
    for _attempt in range(4):
        assert _login(client, assessor.username, "salah-sekali").status_code == 200
    assert _login(client, assessor.username).status_code == 302


def test_a_lockout_is_audited(client, assessor):
    for _attempt in range(5):
        _login(client, assessor.username, "salah-sekali", address="10.7.7.7")
    [event] = _events(services.LOCKED_OUT, assessor.username)
    assert event.object_id == str(assessor.pk)
    assert event.actor is None
    assert event.new["address"] == "10.7.7.7"
    assert event.new["failure_limit"] == 5
    failures = _events(services.LOGIN_FAILED, assessor.username)
    assert [f.new["locked_out"] for f in failures] == [False] * 4 + [True]


# --- password rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "rule"),
    [
        ("Pendek-1", "password_too_short"),  # shorter than 10
        ("qwertyuiop", "password_too_common"),  # in the common-passwords list
        ("4820193756", "password_entirely_numeric"),  # digits only
        ("andi.penilai", "password_too_similar"),  # the username
    ],
)
def test_a_weak_new_password_is_refused(client, assessor, new_password, rule):
    _login(client, assessor.username)
    response = client.post(
        PROTECTED,
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["new_password2"]
    assert error.code == rule
    assert str(error.message % (error.params or {})) in response.content.decode()
    assessor.refresh_from_db()
    assert assessor.check_password(PASSWORD)
    assert not _events(services.PASSWORD_CHANGED, assessor.username).exists()


def test_a_password_change_needs_the_old_password_and_is_audited(client, assessor):
    _login(client, assessor.username)
    new = "Kopi-Sidikalang-77"
    wrong_old = client.post(
        PROTECTED, {"old_password": "bukan-ini-1", "new_password1": new, "new_password2": new}
    )
    assert wrong_old.status_code == 200
    assert not _events(services.PASSWORD_CHANGED, assessor.username).exists()

    response = client.post(
        PROTECTED, {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert _is_logged_in(client)  # this session stays
    [event] = _events(services.PASSWORD_CHANGED, assessor.username)
    assert event.actor == assessor
    assert new not in str(event.new)
    assert PASSWORD not in str(event.new)


def test_the_password_page_needs_a_login(client):
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- session expiry -------------------------------------------------------------------------


def test_the_session_cookie_ends_when_the_browser_closes(client, assessor):
    response = _login(client, assessor.username)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()


def test_a_session_ends_after_a_working_day_on_the_server(client, assessor, monkeypatch):
    _login(client, assessor.username)
    assert client.session.get_expiry_age() == 8 * 60 * 60
    stored = Session.objects.get(session_key=client.session.session_key)
    assert abs(stored.expire_date - (timezone.now() + dt.timedelta(hours=8))) < dt.timedelta(
        minutes=1
    )

    def later(hours: float) -> SimpleNamespace:
        return SimpleNamespace(now=lambda: timezone.now() + dt.timedelta(hours=hours))

    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone", later(7.9))
    assert _is_logged_in(client)
    monkeypatch.setattr("django.contrib.sessions.backends.db.timezone", later(8.1))
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- the second factor: login ---------------------------------------------------------------


def test_with_an_authenticator_the_password_alone_does_not_log_in(client, assessor, device):
    response = _login(client, assessor.username)
    assert response.status_code == 302
    assert response["Location"] == CODE_PAGE
    assert not _is_logged_in(client)
    assert _events(services.LOGIN_PENDING, assessor.username).exists()
    assert not _events(services.LOGIN, assessor.username).exists()
    page = client.get(CODE_PAGE).content.decode()
    assert "Kode verifikasi" in page
    assert 'autocomplete="one-time-code"' in page


def test_the_right_code_completes_the_login_and_keeps_next(client, assessor, device):
    _login(client, assessor.username, next=PROTECTED)
    response = client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})
    assert response.status_code == 302
    assert response["Location"] == PROTECTED
    assert _is_logged_in(client)
    [event] = _events(services.LOGIN, assessor.username)
    assert event.actor == assessor
    assert event.new["second_factor"] == "totp"
    assert PENDING_KEY not in client.session


def test_an_unsafe_next_is_dropped(client, assessor, device):
    _login(client, assessor.username, next="https://phishing.example/masuk")
    response = client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})
    assert response["Location"] == "/"


def test_a_wrong_code_does_not_log_in_and_is_audited(client, assessor, device):
    _login(client, assessor.username)
    response = client.post(CODE_PAGE, {"code": _wrong_code(device.secret)})
    assert response.status_code == 200
    assert "Kode salah atau sudah dipakai" in response.content.decode()
    assert not _is_logged_in(client)
    [failure] = _events(services.LOGIN_FAILED, assessor.username)
    assert failure.new["stage"] == "code"
    assert failure.object_id == str(assessor.pk)


def test_a_code_works_only_once(client, assessor, device):
    code = totp.code_at(device.secret)
    _login(client, assessor.username)
    assert client.post(CODE_PAGE, {"code": code}).status_code == 302
    client.post("/accounts/logout/")

    _login(client, assessor.username)
    replay = client.post(CODE_PAGE, {"code": code})
    assert replay.status_code == 200
    assert not _is_logged_in(client)


def test_a_login_waiting_for_its_code_expires_after_five_minutes(client, assessor, device):
    _login(client, assessor.username)
    session = client.session
    pending = session[PENDING_KEY]
    pending["started"] -= PENDING_SECONDS + 1
    session[PENDING_KEY] = pending
    session.save()

    response = client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert not _is_logged_in(client)
    [dropped] = _events(services.LOGIN_DROPPED, assessor.username)
    assert "5 menit" in dropped.reason


def test_the_code_page_without_a_password_first_sends_to_login(client, assessor, device):
    response = client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})
    assert response["Location"] == "/accounts/login/"
    assert not _is_logged_in(client)


@override_settings(AXES_FAILURE_LIMIT=20)
def test_too_many_wrong_codes_drop_the_waiting_login(client, assessor, device):
    _login(client, assessor.username)
    wrong = _wrong_code(device.secret)
    for _attempt in range(MAX_CODE_FAILURES - 1):
        assert client.post(CODE_PAGE, {"code": wrong}).status_code == 200
    response = client.post(CODE_PAGE, {"code": wrong})
    assert response["Location"] == "/accounts/login/"
    assert client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})["Location"] == (
        "/accounts/login/"
    )
    assert not _is_logged_in(client)
    [dropped] = _events(services.LOGIN_DROPPED, assessor.username)
    assert dropped.new["failures"] == MAX_CODE_FAILURES


def test_wrong_codes_count_towards_the_lockout(client, assessor, device):
    for _attempt in range(3):
        _login(client, assessor.username, "salah-sekali")
    _login(client, assessor.username)
    wrong = {"code": _wrong_code(device.secret)}
    assert client.post(CODE_PAGE, wrong, REMOTE_ADDR="10.1.1.1").status_code == 200
    assert client.post(CODE_PAGE, wrong, REMOTE_ADDR="10.1.1.1").status_code == 429  # 5th
    assert _login(client, assessor.username).status_code == 429
    assert _events(services.LOCKED_OUT, assessor.username).exists()


def test_the_admin_login_refuses_an_account_with_an_authenticator(superuser):
    TOTPDevice.objects.create(
        user=superuser, secret=totp.generate_secret(), confirmed_at=timezone.now()
    )
    client = Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": superuser.username, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "verifikasi dua langkah" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_admin_login_still_works_without_an_authenticator(superuser):
    client = Client()
    client.post("/admin/login/", {"username": superuser.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 200


def test_the_admin_shows_an_authenticator_but_never_its_secret(superuser, device):
    client = Client()
    client.force_login(superuser)
    for url in ("/admin/accounts/totpdevice/", f"/admin/accounts/totpdevice/{device.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200
        assert device.secret not in response.content.decode()


def test_an_admin_removes_a_lost_authenticator_and_it_is_audited(superuser, assessor, device):
    client = Client()
    client.force_login(superuser)
    url = f"/admin/accounts/totpdevice/{device.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    [event] = _events(services.TOTP_DISABLED, assessor.username)
    assert event.actor == superuser
    assert event.reason == "Dihapus melalui admin."


# --- the second factor: enrolment -----------------------------------------------------------


def test_an_assessor_sets_up_an_authenticator_app(client, assessor):
    _login(client, assessor.username)
    page = client.get("/accounts/2fa/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html
    device = TOTPDevice.objects.get(user=assessor)
    assert device.confirmed_at is None
    assert device.secret[:4] in html
    assert _inline_code(html) == []
    assert client.get("/accounts/2fa/").context["secret"].replace(" ", "") == device.secret

    wrong = client.post("/accounts/2fa/", {"code": _wrong_code(device.secret)})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert device.confirmed_at is None

    confirmed = client.post("/accounts/2fa/", {"code": totp.code_at(device.secret)})
    assert confirmed.status_code == 200  # the recovery codes, shown this once
    assert len(confirmed.context["codes"]) == 10
    assert _inline_code(confirmed.content.decode()) == []
    device.refresh_from_db()
    assert device.confirmed_at is not None
    [event] = _events(services.TOTP_ENABLED, assessor.username)
    assert event.actor == assessor
    assert device.secret not in str(event.new)


@pytest.mark.parametrize("persona", ["coordinator", "operator"])
def test_the_authenticator_is_offered_only_to_ombudsman_roles(client, request, persona):
    user = request.getfixturevalue(persona)
    _login(client, user.username)
    assert client.get("/accounts/2fa/").status_code == 403
    assert "/accounts/2fa/" not in client.get("/").content.decode()
    assert "/accounts/password/" in client.get("/").content.decode()


@pytest.mark.parametrize("persona", ["assessor", "regional_admin", "verifier"])
def test_ombudsman_roles_see_the_authenticator_link(client, request, persona):
    user = request.getfixturevalue(persona)
    _login(client, user.username)
    assert "/accounts/2fa/" in client.get("/").content.decode()
    assert client.get("/accounts/2fa/").status_code == 200


def test_switching_the_authenticator_off_needs_the_password_and_is_audited(
    client, assessor, device
):
    _login(client, assessor.username)
    client.post(CODE_PAGE, {"code": totp.code_at(device.secret)})
    page = client.get("/accounts/2fa/").content.decode()
    assert 'data-two-factor="on"' in page
    assert _inline_code(page) == []

    refused = client.post("/accounts/2fa/disable/", {"password": "bukan-ini-1"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(user=assessor).exists()
    assert _events(services.LOGIN_FAILED, assessor.username).exists()

    response = client.post("/accounts/2fa/disable/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    [event] = _events(services.TOTP_DISABLED, assessor.username)
    assert event.actor == assessor
    client.post("/accounts/logout/")
    assert _login(client, assessor.username)["Location"] == "/"


@override_settings(PATUH_REQUIRE_TOTP_FOR=["assessor"])
def test_a_required_authenticator_is_set_up_right_after_login(client, assessor, verifier):
    response = _login(client, assessor.username, next=PROTECTED)
    assert response["Location"] == "/accounts/2fa/?next=%2Faccounts%2Fpassword%2F"
    page = client.get(response["Location"]).content.decode()
    assert "wajib memakai verifikasi dua langkah" in page
    device = TOTPDevice.objects.get(user=assessor)
    confirm = client.post(
        "/accounts/2fa/", {"code": totp.code_at(device.secret), "next": PROTECTED}
    )
    assert confirm.status_code == 200  # the recovery codes first, then on to next
    assert confirm.context["next"] == PROTECTED
    assert f'href="{PROTECTED}"' in confirm.content.decode()
    assert client.post("/accounts/2fa/disable/", {"password": PASSWORD}).status_code == 403
    assert _login(Client(), verifier.username)["Location"] == "/"  # not a required role


# --- the audit trail ------------------------------------------------------------------------


def test_every_login_logout_and_failure_is_audited(client, assessor):
    _login(client, assessor.username, "salah-sekali", address="10.3.3.3")
    _login(client, "tidak.ada", "apa-saja-123", address="10.3.3.3")
    _login(client, assessor.username, address="10.3.3.3")
    client.post("/accounts/logout/", REMOTE_ADDR="10.3.3.3")

    [failed] = _events(services.LOGIN_FAILED, assessor.username)
    assert (failed.actor, failed.object_type, failed.object_id) == (
        None,
        "auth.user",
        str(assessor.pk),
    )
    assert failed.new["address"] == "10.3.3.3"
    assert failed.new["stage"] == "password"
    assert len(failed.new["user_agent"]) == services.USER_AGENT_LENGTH

    [unknown] = _events(services.LOGIN_FAILED, "tidak.ada")
    assert (unknown.actor, unknown.object_type, unknown.object_id) == (None, "auth.user", "")

    [login] = _events(services.LOGIN, assessor.username)
    assert login.actor == assessor
    assert login.new["address"] == "10.3.3.3"
    [logout] = _events(services.LOGOUT, assessor.username)
    assert logout.actor == assessor

    rows = AuditEvent.objects.filter(action__startswith="account.")
    assert rows.count() == 4
    for row in rows:
        assert "salah-sekali" not in str(row.new)
        assert PASSWORD not in str(row.new)
        assert "apa-saja-123" not in str(row.new)


def test_login_events_keep_the_audit_chain_whole(client, assessor):
    _login(client, assessor.username, "salah-sekali")
    _login(client, assessor.username)
    count, breaks = verify(AuditEvent.objects.order_by("id").iterator())
    assert count > 0
    assert breaks == []


def test_the_account_pages_carry_no_inline_code(client, assessor):
    for _attempt in range(5):
        locked = _login(client, assessor.username, "salah-sekali")
    assert _inline_code(locked.content.decode()) == []
    other = Client()
    _login(other, assessor.username, address="10.4.4.4")
    for url in (PROTECTED, "/accounts/2fa/"):
        assert _inline_code(other.get(url).content.decode()) == [], url
