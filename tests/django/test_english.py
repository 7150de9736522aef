"""The English catalogue: pages follow the language cookie, and stay Bahasa without it."""

import pytest
from django.conf import settings

from patuh.assessments.models import Assessment

LOGIN_URL = "/accounts/login/"
LANGKAT_2023_URL = "/cycles/2023/governments/12.05/"
READINESS_2023_URL = "/cycles/2023/governments/12.05/readiness/"
FOLLOW_UP_2022_URL = "/cycles/2022/governments/12.10/follow-up/"
PUBLIC_STANDARDS_URL = "/publik/unit/12.05/disdukcapil/"
HTMX = {"HTTP_HX_REQUEST": "true"}

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

WORKSPACE_STRINGS = {
    "Narasumber dan produk sampel": "Interviewees and sampled products",
    "Hasil sementara": "Provisional result",
    "Riwayat perubahan": "Change history",
    "Tambah bukti": "Add evidence",
    "Ajukan penilaian": "Submit assessment",
    "Rencana perbaikan": "Improvement plan",
    "Mandiri vs resmi": "Self vs official",
}

READINESS_STRINGS = {
    "Kesiapan unit layanan": "Service unit readiness in",
    "Komentar terbuka": "Open comments",
    "Kesenjangan terbesar": "Largest gap",
    "Bandingkan mandiri dan resmi per indikator": (
        "Compare self and official assessments by indicator"
    ),
}

FOLLOW_UP_STRINGS = {
    "Tindak lanjut rapor": "Report card follow-up",
    "Kemajuan pemerintah": "Government progress",
    "Produk Ombudsman": "Ombudsman products",
    "Penanggung jawab": "Owner",
    "Tenggat": "Due date",
}

PUBLIC_STANDARDS_STRINGS = {
    "Standar pelayanan publik": "Public service standards",
    "Sistem, mekanisme dan prosedur": "System, mechanism and procedure",
    "Biaya/tarif": "Costs/fees",
    "Maklumat pelayanan": "Service pledge (maklumat)",
}


@pytest.fixture
def self_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


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
    # Langkat 2023 is in the top category (published: 91.40 A); 2022 (87.80 B) has a plan
    assert "Already in the highest category." in html
    plan = _in_english(login(coordinator)).get("/cycles/2022/governments/12.05/")
    assert "improving the following" in plan.content.decode()


def test_the_government_page_is_in_bahasa_without_the_cookie(login, coordinator):
    response = login(coordinator).get(LANGKAT_2023_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    html = response.content.decode()
    _assert_shows(html, GOVERNMENT_STRINGS, english=False)
    assert "Data sintetis — bukan hasil penilaian resmi" in html


def test_the_workspace_is_in_english_with_the_cookie(login, operator, self_dinkes):
    response = _in_english(login(operator)).get(f"/assessments/{self_dinkes.pk}/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    _assert_shows(response.content.decode(), WORKSPACE_STRINGS, english=True)


def test_the_workspace_is_in_bahasa_without_the_cookie(login, operator, self_dinkes):
    response = login(operator).get(f"/assessments/{self_dinkes.pk}/")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    _assert_shows(response.content.decode(), WORKSPACE_STRINGS, english=False)


@pytest.mark.parametrize("english", [True, False])
def test_the_readiness_page_follows_the_cookie(login, coordinator, english):
    client = login(coordinator)
    response = (_in_english(client) if english else client).get(READINESS_2023_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    _assert_shows(response.content.decode(), READINESS_STRINGS, english=english)


def test_a_refused_save_explains_itself_in_english(login, operator, self_dinkes):
    client = _in_english(login(operator))
    url = f"/assessments/{self_dinkes.pk}/indicators/PR-07/"
    response = client.post(url, {"version": "0", "value": "na", "na_reason": ""}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "PR-07: a reason is required for &#x27;not applicable&#x27;." in html
    assert "alasan wajib" not in html


@pytest.mark.parametrize("english", [True, False])
def test_the_follow_up_page_follows_the_cookie(login, outsider, english):
    client = login(outsider)
    response = (_in_english(client) if english else client).get(FOLLOW_UP_2022_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    _assert_shows(response.content.decode(), FOLLOW_UP_STRINGS, english=english)


@pytest.mark.django_db
@pytest.mark.parametrize("english", [True, False])
def test_the_public_service_standard_page_follows_the_cookie(client, english):
    response = (_in_english(client) if english else client).get(PUBLIC_STANDARDS_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    _assert_shows(response.content.decode(), PUBLIC_STANDARDS_STRINGS, english=english)


PUBLIC_RANKING_2022_URL = "/publik/2022/"
CYCLE_DASHBOARD_2023_URL = "/dashboard/2023/"

PUBLIC_RANKING_STRINGS = {
    "Peringkat hasil penilaian": "Ranking of assessment results",
    "Perubahan": "Change",
    "Zona": "Zone",
}

PUBLISHED_SECTION_STRINGS = {
    "Hasil yang dipublikasikan": "Published results",
    "Penilaian Ombudsman RI (dipublikasikan)": "Ombudsman RI assessment (published)",
    "Sumber": "Source",
}

CYCLE_DASHBOARD_STRINGS = {
    "Sebaran zona": "Zone distribution",
    "Sebaran kategori": "Category distribution",
}


@pytest.mark.django_db
@pytest.mark.parametrize("english", [True, False])
def test_the_public_ranking_follows_the_cookie(client, english):
    response = (_in_english(client) if english else client).get(PUBLIC_RANKING_2022_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    html = response.content.decode()
    # published figures keep their sources' own (Bahasa) titles, e.g. "… Zona Merah", so the
    # page's own wording is checked before that section and the section's headings apart
    own, published = html.split('id="published"', 1)
    _assert_shows(own, PUBLIC_RANKING_STRINGS, english=english)
    _assert_shows(published, PUBLISHED_SECTION_STRINGS, english=english)


@pytest.mark.parametrize("english", [True, False])
def test_the_cycle_dashboard_follows_the_cookie(login, verifier, english):
    client = login(verifier)
    response = (_in_english(client) if english else client).get(CYCLE_DASHBOARD_2023_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    _assert_shows(response.content.decode(), CYCLE_DASHBOARD_STRINGS, english=english)


PUBLIC_SKM_FORM_URL = "/survei/12.05/dinkes/skm/"

PUBLIC_SKM_FORM_STRINGS = {
    "Tentang Anda": "About you",
    "Kirim jawaban": "Submit answers",
    "Saya setuju mengisi survei ini.": "I agree to take part in this survey.",
}


@pytest.mark.django_db
@pytest.mark.parametrize("english", [True, False])
def test_the_public_survey_form_follows_the_cookie(client, english):
    response = (_in_english(client) if english else client).get(PUBLIC_SKM_FORM_URL)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("en" if english else "id")
    _assert_shows(response.content.decode(), PUBLIC_SKM_FORM_STRINGS, english=english)
