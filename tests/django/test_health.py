"""``/healthz`` for load balancers and monitoring: no login, a real database query and a
cache round trip, 200 or 503, nothing said beyond ok/error, never cached, and answered over
plain HTTP when the rest of the site redirects to HTTPS."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_login(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


def test_a_failing_cache_makes_it_503_without_saying_why(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("redis://geheim:6379 refused")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error"}
    assert "geheim" not in response.content.decode()


def test_a_cache_that_forgets_is_an_error(client, monkeypatch):
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


def test_a_failing_database_makes_it_503(client, monkeypatch):
    from patuh.core import views

    def broken():
        raise OperationalError("could not connect to server at 10.0.0.5")

    monkeypatch.setattr(views, "_database_ok", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok"}
    assert "10.0.0.5" not in response.content.decode()


def test_it_only_reads(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/healthz").status_code == 200


@pytest.mark.parametrize(("path", "redirected"), [("/healthz", False), ("/", True)])
def test_it_is_exempt_from_the_https_redirect(client, path, redirected):
    from django.conf import settings

    with override_settings(SECURE_SSL_REDIRECT=True):
        response = client.get(path)
    assert (response.status_code == 301) is redirected
    assert r"^healthz/?$" in settings.SECURE_REDIRECT_EXEMPT
