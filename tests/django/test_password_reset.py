"""Password reset by e-mail (no user enumeration, rate-limited, audited, one-time links) and
the outgoing mail settings read from ``EMAIL_URL``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from django.core import mail
from django.test import Client

from patuh.accounts import reset_views
from patuh.core.models import AuditEvent

RESET = "/accounts/password/reset/"
STRONG = "Sungai-Wampu-2025"


def _inline_code(html: str) -> list[str]:
    return re.findall(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", html)


@pytest.fixture
def operator_with_email(operator):
    operator.email = "opi@langkatkab.go.id"
    operator.save()
    return operator


def _request(client: Client, email: str, address: str = "10.2.2.2"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def _link(message) -> str:
    url = re.search(r"https?://\S+/accounts/password/reset/\S+/\S+/", message.body).group(0)
    return "/" + url.split("/", 3)[3]


def test_a_reset_link_is_mailed_and_sets_a_new_password_once(client, operator_with_email):
    page = client.get(RESET)
    assert page.status_code == 200
    assert _inline_code(page.content.decode()) == []
    response = _request(client, "OPI@langkatkab.go.id")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    [message] = mail.outbox
    assert message.to == ["opi@langkatkab.go.id"]
    assert "opi.operator" in message.body
    link = _link(message)
    form_page = client.get(link, follow=True)  # Django swaps the token into the session
    assert form_page.context["validlink"] is True
    assert _inline_code(form_page.content.decode()) == []
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": STRONG, "new_password2": STRONG},
    )
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/complete/"
    operator_with_email.refresh_from_db()
    assert operator_with_email.check_password(STRONG)
    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False
    assert "tidak berlaku" in again.content.decode()
    actions = list(
        AuditEvent.objects.filter(object_type="auth.user", object_id=str(operator_with_email.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [reset_views.PASSWORD_RESET_REQUESTED, reset_views.PASSWORD_RESET]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db):
    response = _request(client, "tidak.ada@contoh.go.id")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []
    event = AuditEvent.objects.get(action=reset_views.PASSWORD_RESET_REQUESTED)
    assert event.object_id == ""
    assert event.new["email"] == "tidak.ada@contoh.go.id"
    assert event.new["sent"] is False


def test_a_weak_new_password_is_refused(client, operator_with_email):
    _request(client, "opi@langkatkab.go.id")
    form_page = client.get(_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert not AuditEvent.objects.filter(action=reset_views.PASSWORD_RESET).exists()


def test_one_address_gets_few_mails_an_hour_and_the_page_does_not_tell(client, operator_with_email):
    for number in range(reset_views.EMAIL_LIMIT + 2):
        response = _request(client, "opi@langkatkab.go.id", address=f"10.3.3.{number}")
        assert response.status_code == 302
    assert len(mail.outbox) == reset_views.EMAIL_LIMIT


def test_one_network_address_is_slowed_down(client, db):
    for number in range(reset_views.ADDRESS_LIMIT):
        assert _request(client, f"orang{number}@contoh.go.id").status_code == 302
    response = _request(client, "orang-lagi@contoh.go.id")
    assert response.status_code == 429
    assert "Terlalu banyak permintaan" in response.content.decode()
    assert _request(client, "orang-lagi@contoh.go.id", address="10.9.9.9").status_code == 302


def test_the_login_and_lockout_pages_link_to_the_reset(client, db):
    assert RESET in client.get("/accounts/login/").content.decode()


# --- EMAIL_URL ------------------------------------------------------------------------------

PROBE = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_FILE_PATH", "EMAIL_TIMEOUT")}))
"""


def _mail_settings(tmp_path, **environment: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("EMAIL_") and key != "DJANGO_SETTINGS_MODULE"
    }
    env.update(DJANGO_SETTINGS_MODULE="patuh.settings", PATUH_VAR_DIR=str(tmp_path), **environment)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_mail_goes_to_the_console_by_default(tmp_path):
    found = _mail_settings(tmp_path)
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_url_configures_smtp_with_starttls(tmp_path):
    found = _mail_settings(
        tmp_path, EMAIL_URL="smtp+tls://patuh%40langkatkab.go.id:s%3Acret%2F1@smtp.go.id:587"
    )
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (found["EMAIL_HOST"], found["EMAIL_PORT"]) == ("smtp.go.id", 587)
    assert found["EMAIL_HOST_USER"] == "patuh@langkatkab.go.id"
    assert found["EMAIL_HOST_PASSWORD"] == "s:cret/1"
    assert (found["EMAIL_USE_TLS"], found["EMAIL_USE_SSL"]) == (True, False)
    assert found["EMAIL_TIMEOUT"] == 20


def test_email_url_with_ssl_defaults_to_port_465(tmp_path):
    found = _mail_settings(tmp_path, EMAIL_URL="smtp+ssl://mail.go.id")
    assert (found["EMAIL_PORT"], found["EMAIL_USE_SSL"], found["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_a_file_backend_writes_under_an_absolute_folder(tmp_path):
    found = _mail_settings(tmp_path, EMAIL_URL="filemail:///var/lib/patuh/mail")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert found["EMAIL_FILE_PATH"] == "/var/lib/patuh/mail"


def test_email_backend_alone_still_works(tmp_path):
    found = _mail_settings(tmp_path, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.locmem.EmailBackend"
