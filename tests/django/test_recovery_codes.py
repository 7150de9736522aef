"""Recovery codes of the second factor: made when the authenticator app is confirmed and shown
once, each good for one login in place of the app's code, counted like wrong codes when wrong,
replaced after the password, deleted with the app, and never written anywhere in clear.

Logins go through the real login pages (django-axes needs the request in ``authenticate()``).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.utils import timezone

from patuh.accounts import recovery, services, totp
from patuh.accounts.models import RecoveryCode, TOTPDevice
from patuh.accounts.views import MAX_CODE_FAILURES
from patuh.core.models import AuditEvent

PASSWORD = "rahasia-uji"  # the personas' password (tests/django/conftest.py)
CODE_PAGE = "/accounts/login/code/"
TWO_FACTOR = "/accounts/2fa/"
REGENERATE = "/accounts/2fa/recovery-codes/"
PROTECTED = "/accounts/password/"
CODE_SHAPE = re.compile(r"^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$")


def _login(client: Client, username: str, password: str = PASSWORD, **data):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password, **data},
        REMOTE_ADDR="10.7.7.7",
    )


def _enter_code(client: Client, code: str, *, recovery_mode: bool = False):
    url = f"{CODE_PAGE}?recovery=1" if recovery_mode else CODE_PAGE
    return client.post(url, {"code": code}, REMOTE_ADDR="10.7.7.7")


def _is_logged_in(client: Client) -> bool:
    return client.get(PROTECTED).status_code == 200


def _events(action: str, username: str):
    return AuditEvent.objects.filter(action=action, new__username=username).order_by("id")


def _inline_code(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", html)


def _unused(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, used_at__isnull=True).count()


def _wrong_recovery_code(codes: list[str]) -> str:
    typed = {recovery.normalise(code) for code in codes}
    return next(
        c for c in ("zzzz-zzzz", "yyyy-yyyy", "xxxx-xxxx") if c.replace("-", "") not in typed
    )


@pytest.fixture
def enrolled(assessor) -> tuple[TOTPDevice, list[str]]:
    """The assessor's authenticator app, confirmed through the service, and its codes."""
    device = services.enrolment_device(assessor)
    codes = services.confirm_device(device, totp.code_at(device.secret), actor=assessor)
    assert codes is not None
    device.refresh_from_db()
    return device, codes


@pytest.fixture
def signed_in(client, assessor, enrolled) -> Client:
    """The assessor logged in with password and a recovery code."""
    _device, codes = enrolled
    _login(client, assessor.username)
    assert _enter_code(client, codes[-1])["Location"] == "/"
    return client


# --- the codes themselves (no database) -----------------------------------------------------


def test_a_set_is_ten_different_codes_of_at_least_40_bits():
    codes = recovery.generate()
    assert len(codes) == len(set(codes)) == 10
    assert all(CODE_SHAPE.match(code) for code in codes), codes
    assert len(set(recovery.ALPHABET)) == 32
    assert recovery.BITS == 40
    assert not set("ilou") & set(recovery.ALPHABET)


def test_a_code_is_read_the_way_people_type_it():
    assert recovery.normalise(" 7K3M q9xz ") == "7k3mq9xz"
    assert recovery.normalise("7k3m-q9xz") == "7k3mq9xz"
    assert recovery.normalise("Oa1L-ibcd") == "0a111bcd"
    assert recovery.is_code("7K3M-Q9XZ")
    for typed in ("", "7k3m-q9x", "7k3m-q9xzz", "7k3m-q9xu", "123456", "７k3m-q9xz"):
        assert not recovery.is_code(typed), typed


def test_the_digest_is_keyed_and_salted():
    key, other_key = recovery.derive_key("satu"), recovery.derive_key("dua")
    stored = recovery.digest("7k3m-q9xz", salt="garam", key=key)
    assert stored == recovery.digest("7K3M Q9XZ", salt="garam", key=key)
    assert stored != recovery.digest("7k3m-q9xz", salt="garam-lain", key=key)
    assert stored != recovery.digest("7k3m-q9xz", salt="garam", key=other_key)
    assert recovery.matches("7k3mq9xz", salt="garam", stored=stored, keys=[other_key, key])
    assert not recovery.matches("7k3mq9xy", salt="garam", stored=stored, keys=[key])
    assert not recovery.matches("7k3mq9xz", salt="garam", stored=stored, keys=[other_key])


def test_the_module_does_not_need_django():
    program = (
        "import sys, patuh.accounts.recovery; print([m for m in sys.modules if 'django' in m])"
    )
    result = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- made at confirmation, shown once -------------------------------------------------------


def test_confirming_the_app_shows_ten_codes_once(client, assessor):
    client.force_login(assessor)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=assessor)
    response = client.post(TWO_FACTOR, {"code": totp.code_at(device.secret)})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    codes = response.context["codes"]
    assert len(codes) == 10
    for code in codes:
        assert CODE_SHAPE.match(code)
        assert f'<code class="user-select-all" data-recovery-code>{code}</code>' in html
    assert "Verifikasi dua langkah aktif" in html
    assert _inline_code(html) == []
    assert RecoveryCode.objects.filter(device=device, used_at__isnull=True).count() == 10

    # the plain-text download is built into the page, of these same codes
    href = re.search(r'href="(data:text/plain;charset=utf-8,[^"]+)" download="([^"]+)"', html)
    assert href is not None
    assert href.group(2) == f"patuh-kode-pemulihan-{assessor.username}.txt"
    text = unquote(href.group(1).split(",", 1)[1])
    assert [line for line in text.splitlines() if CODE_SHAPE.match(line)] == codes
    assert assessor.username in text

    # never again: not on the page, not at any address
    later = client.get(TWO_FACTOR).content.decode()
    assert 'data-recovery-codes="10"' in later
    assert "Tersisa 10 kode pemulihan" in later
    for code in codes:
        assert code not in later
    assert client.get(REGENERATE).status_code == 405
    again = client.post(TWO_FACTOR, {"code": totp.code_at(device.secret, time.time() + 30)})
    assert "codes" not in again.context
    assert _unused(assessor) == 10


def test_a_wrong_confirmation_code_makes_no_codes(client, assessor):
    client.force_login(assessor)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=assessor)
    valid = {totp.code_at(device.secret, time.time() + d) for d in (-30, 0, 30, 60)}
    wrong = next(c for c in ("000000", "111111", "222222") if c not in valid)
    assert "codes" not in client.post(TWO_FACTOR, {"code": wrong}).context
    assert not RecoveryCode.objects.exists()


@pytest.mark.parametrize(
    ("next_url", "link"), [(PROTECTED, PROTECTED), ("https://phishing.example/", TWO_FACTOR)]
)
def test_the_codes_page_leads_on_to_a_safe_next(client, assessor, next_url, link):
    client.force_login(assessor)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=assessor)
    response = client.post(TWO_FACTOR, {"code": totp.code_at(device.secret), "next": next_url})
    assert response.context["next"] == link
    assert f'<a class="btn btn-primary" href="{link}">' in response.content.decode()


def test_the_stored_value_is_a_keyed_digest_not_the_code(assessor, enrolled, settings):
    device, codes = enrolled
    rows = list(RecoveryCode.objects.filter(device=device))
    assert len(rows) == 10
    assert len({row.salt for row in rows}) == 10
    key = recovery.derive_key(settings.SECRET_KEY)
    typed = [recovery.normalise(code) for code in codes]
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row.digest)
        for code, plain in zip(codes, typed, strict=True):
            assert code not in row.digest
            assert plain not in row.digest
            assert plain not in row.salt
            assert row.digest != hashlib.sha256(plain.encode()).hexdigest()
        matching = [c for c in codes if recovery.digest(c, salt=row.salt, key=key) == row.digest]
        assert len(matching) == 1


# --- logging in with one --------------------------------------------------------------------


def test_a_recovery_code_logs_in_once(client, assessor, enrolled):
    _device, codes = enrolled
    _login(client, assessor.username, next=PROTECTED)
    response = _enter_code(client, codes[0], recovery_mode=True)
    assert response["Location"] == PROTECTED
    page = client.get(PROTECTED)
    assert page.status_code == 200
    [login] = _events(services.LOGIN, assessor.username)
    assert login.new["second_factor"] == "recovery_code"
    [used] = _events(services.RECOVERY_CODE_USED, assessor.username)
    assert used.new["remaining"] == 9
    assert _unused(assessor) == 9

    page = page.content.decode()
    assert "Anda masuk dengan kode pemulihan" in page
    assert "Tersisa 9 kode pemulihan" in page
    assert f'href="{TWO_FACTOR}"' in page

    client.post("/accounts/logout/")
    _login(client, assessor.username)
    replay = _enter_code(client, codes[0], recovery_mode=True)
    assert replay.status_code == 200
    assert "Kode pemulihan salah atau sudah dipakai" in replay.content.decode()
    assert not _is_logged_in(client)
    [failed] = _events(services.LOGIN_FAILED, assessor.username)
    assert failed.new["stage"] == "recovery_code"
    assert _unused(assessor) == 9

    assert _enter_code(client, codes[1])["Location"] == "/"  # another code still works


def test_the_field_takes_either_kind_of_code_however_it_is_typed(client, assessor, enrolled):
    device, codes = enrolled
    _login(client, assessor.username)
    typed = codes[2].upper().replace("-", " ")
    assert _enter_code(client, typed)["Location"] == "/"
    client.post("/accounts/logout/")

    _login(client, assessor.username)
    next_step = totp.code_at(device.secret, time.time() + 30)
    assert _enter_code(client, next_step, recovery_mode=True)["Location"] == "/"
    assert _unused(assessor) == 9


def test_a_malformed_code_is_explained(client, assessor, enrolled):
    _login(client, assessor.username)
    response = _enter_code(client, "abc", recovery_mode=True)
    assert response.status_code == 200
    assert "kode pemulihan 8 karakter" in response.content.decode()


def test_the_code_page_offers_the_recovery_code(client, assessor, enrolled):
    _login(client, assessor.username)
    page = client.get(CODE_PAGE).content.decode()
    assert "Pakai kode pemulihan" in page
    assert f'href="{CODE_PAGE}?recovery=1"' in page
    recovery_page = client.get(f"{CODE_PAGE}?recovery=1").content.decode()
    assert '<label class="form-label" for="id_code">Kode pemulihan</label>' in recovery_page
    assert 'action="/accounts/login/code/?recovery=1"' in recovery_page
    assert 'autocomplete="off"' in recovery_page
    assert "Pakai kode dari aplikasi autentikator" in recovery_page
    assert _inline_code(page) == _inline_code(recovery_page) == []


def test_the_last_code_says_so(client, assessor, enrolled):
    device, codes = enrolled
    keys = services._recovery_keys()
    for row in RecoveryCode.objects.filter(device=device):
        if not recovery.matches(codes[0], salt=row.salt, stored=row.digest, keys=keys):
            RecoveryCode.objects.filter(pk=row.pk).update(used_at=timezone.now())
    assert _unused(assessor) == 1
    _login(client, assessor.username)
    assert _enter_code(client, codes[0])["Location"] == "/"
    page = client.get(PROTECTED).content.decode()
    assert "kode pemulihan terakhir" in page
    [used] = _events(services.RECOVERY_CODE_USED, assessor.username)
    assert used.new["remaining"] == 0
    two_factor = client.get(TWO_FACTOR).content.decode()
    assert 'data-recovery-codes="0"' in two_factor
    assert "Semua kode pemulihan sudah terpakai" in two_factor


def test_a_code_claimed_by_a_racing_request_is_refused(assessor, enrolled, monkeypatch):
    device, codes = enrolled
    real_matches = recovery.matches

    def matches_then_lose_the_race(code, *, salt, stored, keys):
        found = real_matches(code, salt=salt, stored=stored, keys=keys)
        if found:  # another request claims it between the read and the update
            RecoveryCode.objects.filter(digest=stored).update(used_at=timezone.now())
        return found

    monkeypatch.setattr(recovery, "matches", matches_then_lose_the_race)
    assert services.use_recovery_code(device, codes[0]) is None
    assert not _events(services.RECOVERY_CODE_USED, assessor.username).exists()
    monkeypatch.undo()
    assert services.use_recovery_code(device, codes[0]) is None
    assert services.use_recovery_code(device, codes[1]) == 8


@override_settings(AXES_FAILURE_LIMIT=20)
def test_wrong_recovery_codes_drop_the_waiting_login(client, assessor, enrolled):
    _device, codes = enrolled
    _login(client, assessor.username)
    wrong = _wrong_recovery_code(codes)
    for _attempt in range(MAX_CODE_FAILURES - 1):
        assert _enter_code(client, wrong, recovery_mode=True).status_code == 200
    assert _enter_code(client, wrong, recovery_mode=True)["Location"] == "/accounts/login/"
    assert _enter_code(client, codes[0])["Location"] == "/accounts/login/"
    assert not _is_logged_in(client)
    assert _unused(assessor) == 10
    [dropped] = _events(services.LOGIN_DROPPED, assessor.username)
    assert dropped.new["failures"] == MAX_CODE_FAILURES


def test_wrong_recovery_codes_count_towards_the_lockout(client, assessor, enrolled):
    _device, codes = enrolled
    for _attempt in range(3):
        _login(client, assessor.username, "salah-sekali")
    _login(client, assessor.username)
    wrong = _wrong_recovery_code(codes)
    assert _enter_code(client, wrong).status_code == 200
    assert _enter_code(client, wrong).status_code == 429  # the 5th failure
    assert _login(client, assessor.username).status_code == 429
    assert _events(services.LOCKED_OUT, assessor.username).exists()
    assert _unused(assessor) == 10


# --- new codes ------------------------------------------------------------------------------


def test_new_codes_replace_the_old_ones(client, signed_in, assessor, enrolled):
    _device, old_codes = enrolled
    page = client.get(TWO_FACTOR).content.decode()
    assert "Tersisa 9 kode pemulihan" in page
    assert 'action="/accounts/2fa/recovery-codes/"' in page
    assert page.count('id="id_password"') == page.count('id="id_recovery_password"') == 1

    response = client.post(REGENERATE, {"password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    new_codes = response.context["codes"]
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert "Kode pemulihan yang lama tidak berlaku lagi" in response.content.decode()
    assert _unused(assessor) == 10
    [event] = _events(services.RECOVERY_CODES_REGENERATED, assessor.username)
    assert event.actor == assessor
    assert event.new["recovery_codes"] == 10
    assert event.new["replaced_unused"] == 9

    client.post("/accounts/logout/")
    _login(client, assessor.username)
    assert _enter_code(client, old_codes[0]).status_code == 200
    assert _enter_code(client, new_codes[0])["Location"] == "/"


def test_new_codes_need_the_password(client, signed_in, assessor, enrolled):
    device, _codes = enrolled
    before = sorted(RecoveryCode.objects.filter(device=device).values_list("digest", flat=True))
    for typed in ("bukan-ini-1", ""):
        refused = client.post(REGENERATE, {"password": typed}, REMOTE_ADDR="10.7.7.7")
        assert refused.status_code == 200
        assert "codes" not in refused.context
        assert 'id="id_recovery_password_error"' in refused.content.decode()
    assert (
        "Kata sandi salah"
        in client.post(
            REGENERATE, {"password": "bukan-ini-2"}, REMOTE_ADDR="10.7.7.7"
        ).content.decode()
    )
    after = sorted(RecoveryCode.objects.filter(device=device).values_list("digest", flat=True))
    assert after == before
    assert not _events(services.RECOVERY_CODES_REGENERATED, assessor.username).exists()
    failures = _events(services.LOGIN_FAILED, assessor.username)
    assert failures.count() == 2  # the empty password never reaches authenticate()
    assert "bukan-ini" not in str(list(failures.values_list("new", flat=True)))


def test_wrong_passwords_for_new_codes_lock_out(client, signed_in, assessor, enrolled):
    for _attempt in range(5):
        client.post(REGENERATE, {"password": "bukan-ini-1"}, REMOTE_ADDR="10.7.7.7")
    refused = client.post(REGENERATE, {"password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    assert "codes" not in refused.context
    assert _events(services.LOCKED_OUT, assessor.username).exists()
    assert not _events(services.RECOVERY_CODES_REGENERATED, assessor.username).exists()


def test_new_codes_need_a_confirmed_app(client, assessor):
    client.force_login(assessor)
    response = client.post(REGENERATE, {"password": PASSWORD})
    assert response["Location"] == TWO_FACTOR
    assert not RecoveryCode.objects.exists()
    assert (
        Client().post(REGENERATE, {"password": PASSWORD})["Location"].startswith("/accounts/login/")
    )


def test_an_app_set_up_before_recovery_codes_is_told_to_make_some(client, assessor):
    TOTPDevice.objects.create(
        user=assessor, secret=totp.generate_secret(), confirmed_at=timezone.now()
    )
    client.force_login(assessor)
    page = client.get(TWO_FACTOR).content.decode()
    assert 'data-recovery-codes="none"' in page
    assert "Anda belum punya kode pemulihan" in page
    response = client.post(REGENERATE, {"password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    assert len(response.context["codes"]) == 10
    assert "Anda belum punya kode pemulihan" not in client.get(TWO_FACTOR).content.decode()


@pytest.mark.parametrize(("used", "warned"), [(7, False), (8, True), (9, True)])
def test_the_page_warns_when_few_codes_are_left(client, assessor, enrolled, used, warned):
    device, _codes = enrolled
    pks = list(RecoveryCode.objects.filter(device=device).values_list("pk", flat=True)[:used])
    RecoveryCode.objects.filter(pk__in=pks).update(used_at=timezone.now())
    client.force_login(assessor)
    page = client.get(TWO_FACTOR).content.decode()
    assert f'data-recovery-codes="{10 - used}"' in page
    assert ("hampir habis" in page) is warned


# --- switched off with the app --------------------------------------------------------------


def test_switching_the_app_off_deletes_the_codes(client, signed_in, assessor, enrolled):
    assert client.post("/accounts/2fa/disable/", {"password": PASSWORD}).status_code == 302
    assert not RecoveryCode.objects.exists()
    [event] = _events(services.TOTP_DISABLED, assessor.username)
    assert event.new["recovery_codes_deleted"] == 10
    client.post("/accounts/logout/")
    assert _login(client, assessor.username)["Location"] == "/"


def test_an_admin_reset_deletes_the_codes(assessor, enrolled):
    device, _codes = enrolled
    admin = get_user_model().objects.create_user(
        "sari.super", password=PASSWORD, is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    listing = client.get("/admin/accounts/totpdevice/").content.decode()
    assert "kode pemulihan tersisa" in listing.lower()
    assert '<td class="field-unused_recovery_codes">10</td>' in listing
    row = RecoveryCode.objects.filter(device=device).first()
    for url in ("/admin/accounts/recoverycode/", f"/admin/accounts/recoverycode/{row.pk}/change/"):
        shown = client.get(url)
        assert shown.status_code == 200
        assert row.digest not in shown.content.decode()
        assert row.salt not in shown.content.decode()
    response = client.post(f"/admin/accounts/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not RecoveryCode.objects.exists()
    [event] = _events(services.TOTP_DISABLED, assessor.username)
    assert event.actor == admin
    assert event.new["recovery_codes_deleted"] == 10


# --- the secret key and the audit trail -----------------------------------------------------


def test_codes_survive_a_secret_key_rotation_while_the_old_key_is_a_fallback(
    assessor, enrolled, settings
):
    device, codes = enrolled
    old_key = settings.SECRET_KEY
    with override_settings(SECRET_KEY="kunci-baru-" + "x" * 50, SECRET_KEY_FALLBACKS=[old_key]):
        assert services.use_recovery_code(device, codes[0]) == 9
    with override_settings(SECRET_KEY="kunci-baru-" + "x" * 50, SECRET_KEY_FALLBACKS=[]):
        assert services.use_recovery_code(device, codes[1]) is None


def test_no_audit_row_holds_a_code(client, assessor, enrolled):
    _device, codes = enrolled
    _login(client, assessor.username)
    _enter_code(client, _wrong_recovery_code(codes))
    _enter_code(client, codes[0])
    client.post(REGENERATE, {"password": PASSWORD}, REMOTE_ADDR="10.7.7.7")
    rows = AuditEvent.objects.filter(object_type="auth.user", object_id=str(assessor.pk))
    actions = set(rows.values_list("action", flat=True))
    assert {
        services.TOTP_ENABLED,
        services.LOGIN_FAILED,
        services.RECOVERY_CODE_USED,
        services.RECOVERY_CODES_REGENERATED,
    } <= actions
    written = " ".join(f"{row.old} {row.new} {row.reason}" for row in rows)
    for code in codes:
        assert code not in written
        assert recovery.normalise(code) not in written
    for row in RecoveryCode.objects.all():
        assert row.digest not in written
