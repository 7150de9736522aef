"""Web hardening: the Content-Security-Policy, CSRF, error pages and production settings.

The policy forbids inline scripts, handler attributes and style attributes, so the crawl below
parses every kind of page Patuh renders and fails on any of them: a template that slips one in
breaks this test before it breaks a browser.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import path

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment

SECRET_IN_EXCEPTION = "kata-sandi-basis-data-bocor"


class _InlineCodeFinder(HTMLParser):
    """Collects what a strict Content-Security-Policy would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.post_forms_without_token = 0
        self._in_post_form = False
        self._form_has_token = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and not named.get("src"):
            self.problems.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{name}= handler on <{tag}> at line {self.getpos()[0]}")
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")
        if tag == "form" and (named.get("method") or "get").lower() == "post":
            self._in_post_form, self._form_has_token = True, False
        if tag == "input" and named.get("name") == "csrfmiddlewaretoken" and named.get("value"):
            self._form_has_token = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._in_post_form:
            if not self._form_has_token:
                self.post_forms_without_token += 1
            self._in_post_form = False


def _inline_code(html: str) -> tuple[list[str], int]:
    finder = _InlineCodeFinder()
    finder.feed(html)
    return finder.problems, finder.post_forms_without_token


def _pages(year_current: int, langkat_dinkes, self_assessment, cycle_current) -> list[str]:
    unit = f"{langkat_dinkes.government.region_code}/{langkat_dinkes.code}"
    product = langkat_dinkes.products.first()
    return [
        "/",
        f"/cycles/{year_current}/",
        f"/cycles/{year_current}/governments/12.05/",
        f"/cycles/{year_current}/governments/12.05/readiness/",
        f"/cycles/{year_current}/governments/12.05/compare/",
        "/cycles/2022/governments/12.05/follow-up/",
        f"/assessments/{self_assessment.pk}/",
        f"/assessments/{self_assessment.pk}/history/",
        f"/cycles/manage/{cycle_current.pk}/",
        "/cycles/new/",
        f"/units/{langkat_dinkes.pk}/standards/",
        f"/units/{langkat_dinkes.pk}/standards/{product.pk}/",
        "/dashboard/2023/",
        "/dashboard/governments/12.05/",
        f"/dashboard/units/{langkat_dinkes.pk}/",
        f"/survei/{unit}/jawaban/",
        "/accounts/operators/12.05/",
        "/api/v1/token/",
        "/admin/",
        "/admin/assessments/assessment/",
        f"/admin/assessments/assessment/{self_assessment.pk}/change/",
    ]


PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/complete/",
    "/publik/",
    "/publik/2022/",
    "/publik/2022/12.05/",
    "/publik/unit/12.05/dinkes/",
    "/survei/12.05/dinkes/",
    "/survei/12.05/dinkes/skm/",
    "/survei/12.05/dinkes/persepsi/",
    "/survei/12.05/dinkes/hasil/",
    "/halaman-yang-tidak-ada/",
]


@pytest.fixture
def national_admin(db):
    user = get_user_model().objects.create_user(
        "nadia.admin", password="rahasia-uji", is_staff=True, is_superuser=True
    )
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


@pytest.fixture
def self_assessment(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


def test_the_policy_itself_allows_no_inline_code_and_no_framing():
    policy = settings.PATUH_CONTENT_SECURITY_POLICY
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_the_policy_and_no_inline_code(db, client, url):
    response = client.get(url)
    assert response.status_code in (200, 404)
    assert response["Content-Security-Policy"] == settings.PATUH_CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    problems, forms_without_token = _inline_code(response.content.decode())
    assert problems == []
    assert forms_without_token == 0


def test_signed_in_pages_carry_the_policy_and_no_inline_code(
    login, national_admin, cycle_current, langkat_dinkes, self_assessment
):
    client = login(national_admin)
    failures = {}
    for url in _pages(cycle_current.year, langkat_dinkes, self_assessment, cycle_current):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == settings.PATUH_CONTENT_SECURITY_POLICY, url
        problems, forms_without_token = _inline_code(response.content.decode())
        if url.startswith("/admin/"):
            # Django's admin ships its own templates; what matters is that no script runs
            # inline there, which the policy would block and break.
            problems = [p for p in problems if "style=" not in p]
        if problems or forms_without_token:
            failures[url] = (problems, forms_without_token)
    assert failures == {}


def test_the_crawler_notices_inline_code():
    html = (
        '<script>alert(1)</script><p style="color:red" onclick="x()">'
        '<a href="javascript:evil()">x</a></p><form method="post"></form>'
    )
    problems, forms_without_token = _inline_code(html)
    assert len(problems) == 4
    assert forms_without_token == 1


def test_every_htmx_request_sends_the_csrf_token(operator, self_assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    body = client.get(f"/assessments/{self_assessment.pk}/").content.decode()
    headers = re.findall(r"hx-headers='([^']*)'", body)
    assert len(headers) == 1  # on <body>: every htmx request of the page inherits it
    token = json.loads(headers[0])["X-CSRFToken"]
    response = client.post(
        f"/assessments/{self_assessment.pk}/indicators/PR-08/",
        {"version": "0", "value": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200
    assert self_assessment.answers.get(indicator_code="PR-08").value == 2


def test_a_save_without_the_csrf_token_is_refused(operator, self_assessment):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    code = (
        self_assessment.answers.first().indicator_code
        if self_assessment.answers.exists()
        else "PR-01"
    )
    before = list(self_assessment.answers.values_list("pk", "version"))
    response = client.post(
        f"/assessments/{self_assessment.pk}/indicators/{code}/",
        {"value": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 403
    assert list(self_assessment.answers.values_list("pk", "version")) == before


def test_a_public_survey_post_without_the_csrf_token_is_refused(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/survei/12.05/dinkes/skm/", {"consent": "yes"})
    assert response.status_code == 403


def _boom(request):
    raise RuntimeError(SECRET_IN_EXCEPTION)


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_server_error_shows_the_plain_error_page_and_leaks_nothing(db):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan" in body
    assert SECRET_IN_EXCEPTION not in body
    assert "Traceback" not in body
    assert "settings" not in body.lower()


def test_a_missing_page_leaks_no_url_list(client):
    response = client.get("/admin-tersembunyi/../../etc/passwd")
    assert response.status_code == 404
    body = response.content.decode()
    assert "urlpatterns" not in body
    assert "URLconf" not in body
    assert "Tidak ditemukan" in body


def _production_environment(tmp_path: Path) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="patuh.example.go.id",
        PATUH_VAR_DIR=str(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        CACHE_URL="redis://127.0.0.1:6379/15",
    )
    return environment


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    patuh = Path(sys.executable).with_name("patuh")
    result = subprocess.run(
        [str(patuh), "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
client = Client(raise_request_exception=False)
missing = client.get("/tidak-ada/", secure=True, HTTP_HOST="patuh.example.go.id")
plain = client.get("/publik/", HTTP_HOST="patuh.example.go.id")
print(json.dumps({
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": missing.headers.get("Strict-Transport-Security", ""),
    "missing_status": missing.status_code,
    "missing_body": missing.content.decode(),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "unknown_host": client.get("/", secure=True, HTTP_HOST="evil.example").status_code,
}))
"""


def test_production_settings_turn_on_secure_cookies_hsts_and_no_debug_pages(tmp_path):
    environment = _production_environment(tmp_path)
    environment["DJANGO_SETTINGS_MODULE"] = "patuh.settings"
    patuh = Path(sys.executable).with_name("patuh")
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([str(patuh), *command, "-v", "0"], env=environment, check=True, timeout=300)
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["debug"] is False
    assert probe["session_secure"]
    assert probe["csrf_secure"]
    assert "max-age=31536000" in probe["hsts"]
    assert probe["missing_status"] == 404
    assert "Tidak ditemukan" in probe["missing_body"]
    assert "Using the URLconf" not in probe["missing_body"]
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://")
    assert probe["unknown_host"] == 400


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (0, "198.51.100.9", "10.0.0.2"),  # no proxy configured: a client's own header is ignored
        (1, "198.51.100.9", "198.51.100.9"),  # nginx appended the real client
        (1, "203.0.113.66, 198.51.100.9", "198.51.100.9"),  # the forged first entry is skipped
        (2, "203.0.113.66, 198.51.100.9, 10.0.0.7", "198.51.100.9"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_trusts_only_the_configured_proxies(
    settings, trusted, forwarded, expected
):
    from django.test import RequestFactory

    from patuh.core.net import client_address

    settings.PATUH_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
