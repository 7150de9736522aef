import pytest
from django.conf import settings


@pytest.mark.django_db
def test_it_speaks_bahasa_indonesia_even_when_the_browser_asks_for_english(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert 'lang="id"' in response.content.decode()


@pytest.mark.django_db
def test_it_switches_to_the_language_the_user_chose(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get("/accounts/login/")
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_it_ignores_an_unsupported_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/accounts/login/").headers["Content-Language"] == "id"
