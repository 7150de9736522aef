import re

import pytest
from django.test import Client

from patuh.demo.stories import LANGKAT_2023, calibrated, synthetic_government_answers
from patuh.scoring import format_score, load_instrument, score_government

LANGKAT_2023_URL = "/cycles/2023/governments/12.05/"


def _unit_scores(html: str) -> dict[str, str]:
    rows = re.findall(r'data-unit="([^"]+)">.*?data-unit-score>([\d.]+)<', html, re.DOTALL)
    return dict(rows)


def _ranking_scores(html: str) -> list[float]:
    return [float(score) for score in re.findall(r"data-score>([\d.]+)<", html)]


def test_the_home_page_says_what_patuh_is(client):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Penilaian Penyelenggaraan Pelayanan Publik" in text
    assert "/accounts/login/" in text
    assert "/cycles/2023/" not in text


def test_the_home_page_lists_the_cycles_for_a_coordinator(login, coordinator):
    text = login(coordinator).get("/").content.decode()
    assert "/cycles/2023/" in text
    assert "/cycles/2022/" in text
    assert "Data sintetis" in text


@pytest.mark.parametrize("url", ["/cycles/2023/", LANGKAT_2023_URL])
def test_assessment_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_government_page_shows_the_scoring_cores_unit_scores(login, coordinator):
    instrument = load_instrument("ombudsman-2023")
    expected = score_government(
        instrument, synthetic_government_answers(calibrated(LANGKAT_2023), instrument)
    )

    response = login(coordinator).get(LANGKAT_2023_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert _unit_scores(html) == {unit.code: format_score(unit.score) for unit in expected.units}
    assert f"data-government-score>{format_score(expected.score)}<" in html
    assert expected.band.opinion in html


def test_the_government_page_explains_points_lost_and_the_plan(login, coordinator):
    html = login(coordinator).get(LANGKAT_2023_URL).content.decode()
    assert "Penjelasan: poin yang hilang per indikator" in html
    assert "Rencana menuju kategori berikutnya" in html
    assert "Puskesmas Karang Rejo" in html
    assert "Puskesmas Tanjung Beringin" in html
    assert "Belum diisi" in html
    assert "Tidak berlaku (N/A)" in html


def test_it_shows_the_synthetic_label_and_the_provisional_notice(login, coordinator):
    for url in ("/cycles/2023/", LANGKAT_2023_URL):
        html = login(coordinator).get(url).content.decode()
        assert "Data sintetis" in html
        assert "Bobot dan aturan sementara." in html


def test_it_rejects_other_pemda(login, outsider):
    client = login(outsider)
    assert client.get(LANGKAT_2023_URL).status_code == 404
    assert client.get(LANGKAT_2023_URL + "?jenis=self").status_code == 404
    assert client.get("/cycles/2022/governments/12.10/").status_code == 200


def test_the_cycle_page_shows_a_coordinator_only_its_government(login, outsider):
    html = login(outsider).get("/cycles/2023/").content.decode()
    assert "Kabupaten Labuhanbatu" in html
    assert "/governments/12.05/" not in html
    assert len(_ranking_scores(html)) == 1


@pytest.mark.parametrize("persona", ["regional_admin", "verifier"])
def test_ombudsman_staff_see_every_sumut_government_sorted_by_score(db, request, login, persona):
    user = request.getfixturevalue(persona)
    response = login(user).get("/cycles/2023/")
    assert response.status_code == 200
    scores = _ranking_scores(response.content.decode())
    assert len(scores) == 33
    assert scores == sorted(scores, reverse=True)
    assert login(user).get(LANGKAT_2023_URL).status_code == 200


def test_a_unit_operator_sees_only_its_unit(login, operator):
    response = login(operator).get(LANGKAT_2023_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert list(_unit_scores(html)) == ["dinkes"]
    assert 'id="unit-puskesmas-karang-rejo"' not in html
    assert "Rencana menuju kategori berikutnya" not in html
    assert login(operator).get("/cycles/2023/governments/12.10/").status_code == 404


def test_langkat_2023_has_a_self_assessment_tab(login, coordinator):
    client = login(coordinator)
    html = client.get(LANGKAT_2023_URL).content.decode()
    assert "?jenis=self" in html
    self_page = client.get(LANGKAT_2023_URL + "?jenis=self")
    assert self_page.status_code == 200
    assert "Penilaian mandiri" in self_page.content.decode()
    assert client.get(LANGKAT_2023_URL + "?jenis=pre_evaluation").status_code == 404


@pytest.mark.parametrize(
    "url", ["/cycles/2019/", "/cycles/2019/governments/12.05/", "/cycles/2023/governments/99.99/"]
)
def test_unknown_cycles_and_governments_are_404(login, assessor, url):
    assert login(assessor).get(url).status_code == 404


def test_a_government_outside_the_cycle_is_404(login, verifier):
    assert login(verifier).get("/cycles/2023/governments/13.71/").status_code == 404


def test_the_cycle_page_runs_a_bounded_number_of_queries(
    login, verifier, django_assert_max_num_queries
):
    client = login(verifier)
    with django_assert_max_num_queries(14):
        client.get("/cycles/2023/")


def test_logging_in_with_a_demo_account(db):
    client = Client()
    page = client.get("/accounts/login/")
    assert "Masuk ke Patuh" in page.content.decode()
    response = client.post(
        "/accounts/login/",
        {"username": "koordinator.langkat", "password": "patuh-demo", "next": LANGKAT_2023_URL},
    )
    assert response.status_code == 302
    assert response["Location"] == LANGKAT_2023_URL
    assert client.get(LANGKAT_2023_URL).status_code == 200


def test_a_wrong_password_is_refused_in_bahasa_indonesia(db):
    response = Client().post(
        "/accounts/login/", {"username": "koordinator.langkat", "password": "salah"}
    )
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_logout_is_a_post(login, coordinator):
    client = login(coordinator)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/cycles/2023/").status_code == 302


def test_the_language_switcher_sets_the_language(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html


def test_the_government_page_runs_a_bounded_number_of_queries(
    login, coordinator, django_assert_max_num_queries
):
    client = login(coordinator)
    # 13 for the page itself, plus one each for the navbar's second-factor link and the
    # rapor and data-export permission checks
    with django_assert_max_num_queries(16):
        assert client.get(LANGKAT_2023_URL).status_code == 200
