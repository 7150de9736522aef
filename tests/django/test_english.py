"""The English catalogue: pages follow the language cookie, and stay Bahasa without it."""

import pytest
from django.conf import settings

LOGIN_URL = "/accounts/login/"
LANGKAT_2023_URL = "/cycles/2023/governments/12.05/"

LOGIN_STRINGS = {
    "Masuk ke Patuh": "Log in to Patuh",
    "Nama pengguna": "Username",
    "Kata sandi": "Password",
    "Beranda": "Home",
}

GOVERNMENT_STRINGS = {
    "Nilai pemerintah": "Government score",
    "Penjelasan: poin yang hilang per indikator": "Explanation: points lost per indicator",
    "Rencana menuju kategori berikutnya": "Plan to reach the next category",
    "Bobot dan aturan sementara.": "Provisional weights and rules.",
    "Tidak berlaku (N/A)": "Not applicable (N/A)",
    "Nilai per dimensi": "Score by dimension",
    "Keluar": "Log out",
}


def _in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _assert_shows(html: str, strings: dict[str, str], *, english: bool) -> None:
    for bahasa, english_text in strings.items():
        shown, hidden = (english_text, bahasa) if english else (bahasa, english_text)
        assert shown in html
        assert hidden not in html


@pytest.mark.django_db
def test_the_login_page_is_in_english_with_the_cookie(client):
    response = _in_english(client).get(LOGIN_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    assert 'lang="en"' in html
    _assert_shows(html, LOGIN_STRINGS, english=True)


@pytest.mark.django_db
def test_the_login_page_is_in_bahasa_without_the_cookie(client):
    response = client.get(LOGIN_URL)
    assert response.headers["Content-Language"] == "id"
    _assert_shows(response.content.decode(), LOGIN_STRINGS, english=False)


def test_the_government_page_is_in_english_with_the_cookie(login, coordinator):
    response = _in_english(login(coordinator)).get(LANGKAT_2023_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    html = response.content.decode()
    _assert_shows(html, GOVERNMENT_STRINGS, english=True)
    assert "Synthetic data — not an official assessment result" in html
    assert "improving the following" in html


def test_the_government_page_is_in_bahasa_without_the_cookie(login, coordinator):
    response = login(coordinator).get(LANGKAT_2023_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    html = response.content.decode()
    _assert_shows(html, GOVERNMENT_STRINGS, english=False)
    assert "Data sintetis — bukan hasil penilaian resmi" in html
