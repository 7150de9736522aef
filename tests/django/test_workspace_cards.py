"""The workspace page's indicator cards come from the cache when nothing behind them changed:
the same HTML as a fresh render, the viewer's own CSRF token, and any change seen at once."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from patuh.assessments import comments, evidence
from patuh.assessments.cards import CSRF_PLACEHOLDER
from patuh.assessments.models import Assessment, Respondent
from patuh.assessments.services import record_answer, rename_respondent
from patuh.orgs.models import ServiceProduct
from patuh.scoring import load_instrument

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def self_dinkes(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


def _without_tokens(html: str) -> str:
    html = TOKEN.sub('name="csrfmiddlewaretoken" value=""', html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', '"X-CSRFToken": ""', html)


def _card(html: str, code: str) -> str:
    start = html.index(f'id="ind-{code}"')
    return html[start : html.index('id="ind-', start + 10)]


def test_a_page_from_cached_cards_is_the_page_rendered_afresh(login, operator, self_dinkes):
    client = login(operator)
    url = f"/assessments/{self_dinkes.pk}/"
    cold = client.get(url).content.decode()
    assert any(key.startswith(":1:patuh:card:") for key in cache._cache)
    warm = client.get(url).content.decode()
    assert _without_tokens(warm) == _without_tokens(cold)
    assert CSRF_PLACEHOLDER not in warm
    # one card per indicator of the cycle's instrument (opini-2025: Input, Proses, Pengaduan)
    indicators = load_instrument(self_dinkes.cycle.instrument_code).indicators
    assert warm.count('id="ind-') == len(indicators) >= 30


def test_a_cached_card_carries_the_viewers_own_csrf_token(operator, self_dinkes):
    url = f"/assessments/{self_dinkes.pk}/"
    first = Client(enforce_csrf_checks=True)
    first.force_login(operator)
    first.get(url)  # renders and caches every card
    second = Client(enforce_csrf_checks=True)
    second.force_login(operator)
    html = second.get(url).content.decode()
    card = _card(html, "PR-08")
    token = TOKEN.search(card).group(1)
    response = second.post(
        f"/assessments/{self_dinkes.pk}/indicators/PR-08/",
        {"csrfmiddlewaretoken": token, "version": "0", "value": "3"},
    )
    assert response.status_code == 302
    assert self_dinkes.answers.get(indicator_code="PR-08").value == 3


def test_every_change_behind_a_card_shows_at_once(login, operator, coordinator, self_dinkes):
    client = login(operator)
    url = f"/assessments/{self_dinkes.pk}/"
    record_answer(self_dinkes, "PR-08", 2, operator, note="Papan jam layanan rusak")
    assert "Papan jam layanan rusak" in _card(client.get(url).content.decode(), "PR-08")

    # the same value, only the note changed: nothing but the answer row tells them apart
    record_answer(self_dinkes, "PR-08", 2, operator, note="Jam layanan belum dipasang")
    assert "Jam layanan belum dipasang" in _card(client.get(url).content.decode(), "PR-08")

    comments.add_comment(self_dinkes, "PR-08", "Mohon unggah foto papan", actor=coordinator)
    assert "Mohon unggah foto papan" in _card(client.get(url).content.decode(), "PR-08")

    evidence.add_link(
        self_dinkes, "PR-08", "https://example.org/papan", actor=operator, title="Foto papan"
    )
    assert "Foto papan" in _card(client.get(url).content.decode(), "PR-08")

    respondent = Respondent.objects.filter(assessment=self_dinkes, group="implementers").first()
    rename_respondent(respondent, "Kepala Seksi Pelayanan", actor=operator)
    assert "Kepala Seksi Pelayanan" in _card(client.get(url).content.decode(), "IN-K1")

    product = ServiceProduct.objects.filter(unit=self_dinkes.service_unit).order_by("name").first()
    product.name = "Surat Keterangan Sehat (baru)"
    product.save()
    assert "Surat Keterangan Sehat (baru)" in _card(client.get(url).content.decode(), "PR-03")


def test_cards_differ_by_what_the_viewer_may_do(login, operator, coordinator, self_dinkes):
    url = f"/assessments/{self_dinkes.pk}/"
    self_dinkes.status = "submitted"
    self_dinkes.save()
    # the operator may no longer change a submitted self-assessment; the same cards, cached
    # for another role or state, must not offer it
    locked = login(operator).get(url).content.decode()
    self_dinkes.status = "draft"
    self_dinkes.save()
    open_again = login(operator).get(url).content.decode()
    level_button = re.compile(r'name="value" value="0"[^>]*>')
    assert "disabled" in level_button.search(_card(locked, "PR-08")).group(0)
    assert "disabled" not in level_button.search(_card(open_again, "PR-08")).group(0)


def test_the_page_still_renders_when_the_cache_does_not_answer(
    login, operator, self_dinkes, monkeypatch
):
    from patuh.assessments import cards

    class Broken:
        def get_many(self, keys):
            raise ConnectionError("redis down")

        def set_many(self, values, timeout):
            raise ConnectionError("redis down")

    client = login(operator)
    url = f"/assessments/{self_dinkes.pk}/"
    expected = _without_tokens(client.get(url).content.decode())
    monkeypatch.setattr(cards, "cache", Broken())
    response = client.get(url)
    assert response.status_code == 200
    assert _without_tokens(response.content.decode()) == expected


def test_a_product_added_after_the_assessment_gets_its_observation_on_the_page(
    login, operator, self_dinkes
):
    client = login(operator)
    url = f"/assessments/{self_dinkes.pk}/"
    client.get(url)
    product = ServiceProduct.objects.create(
        unit=self_dinkes.service_unit, name="Surat Rujukan Daring"
    )
    html = client.get(url).content.decode()
    assert f'data-product="{product.pk}"' in html
    assert "Surat Rujukan Daring" in _card(html, "PR-03")
    assert self_dinkes.product_observations.filter(product=product).count() == 1
    client.get(url)  # nothing created twice
    assert self_dinkes.product_observations.filter(product=product).count() == 1


def test_interviewees_removed_from_a_group_are_created_again_for_entry(
    login, operator, self_dinkes
):
    Respondent.objects.filter(assessment=self_dinkes, group="implementers").delete()
    html = login(operator).get(f"/assessments/{self_dinkes.pk}/").content.decode()
    assert Respondent.objects.filter(assessment=self_dinkes, group="implementers").count() == 4
    assert html.count("data-respondent=") >= 4
