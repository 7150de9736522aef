"""The public survey endpoint (anonymous POST to /survei/<wilayah>/<unit>/skm/ and
…/persepsi/) fed hostile bodies: random field names and values, missing and repeated fields,
answers out of range, huge strings, bytes that are not UTF-8, too many fields, a body over
Django's limit. The answer is always 200, 400, 422 or 429 with something to read — never a
server error (the test client re-raises any exception) — and a response is stored exactly
when the submission is valid.

Each example runs in its own savepoint, rolled back after it, with the rate-limit cache
emptied, so examples neither see each other's responses nor use up the hourly allowance."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from patuh.surveys.models import SurveyResponse
from patuh.surveys.services import PROFILE_CHOICES

SKM = [f"U{n}" for n in range(1, 10)]
PERCEPTION = [f"OU-{n}" for n in range(1, 6)]
FIELDS = [*SKM, *PERCEPTION, "consent", "situs_web", *PROFILE_CHOICES, "service"]
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
URLS = {"skm": "/survei/12.05/dinkes/skm/", "persepsi": "/survei/12.05/dinkes/persepsi/"}
VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4", " 4 ", "ya", "tidak", "Ya", "5", "0", "-1", "", "1"]),
    st.sampled_from(["on", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "4\x00", "٣"]),
    st.text(max_size=20),
    st.text(min_size=5000, max_size=20_000, alphabet="ab4"),
)


def _valid(slug: str, fields: list[tuple[str, str]]) -> bool:
    """What the view must accept: consent, no honeypot, and every question answered with one
    of its choices (the last value of a repeated field counts)."""
    posted = dict(fields)
    if posted.get("situs_web") or not posted.get("consent"):
        return False
    questions, choices = (
        (SKM, {"1", "2", "3", "4"}) if slug == "skm" else (PERCEPTION, {"ya", "tidak"})
    )
    return all(posted.get(code, "").strip() in choices for code in questions)


def _post(slug: str, body: bytes, content_type: str = "application/x-www-form-urlencoded"):
    """POST ``body``; returns the response and how many responses it stored."""
    cache.clear()
    with transaction.atomic():
        before = SurveyResponse.objects.count()
        response = Client(enforce_csrf_checks=False).post(
            URLS[slug], body, content_type=content_type
        )
        stored = SurveyResponse.objects.count() - before
        transaction.set_rollback(True)
    assert response.status_code in (200, 400, 422, 429), response.status_code
    assert response.content.strip(), "an answer with nothing to read"
    if response.status_code in (422, 429):
        assert b"data-error" in response.content  # the message is shown on the form
    return response, stored


def _encode(fields: list[tuple[str, str]]) -> bytes:
    return b"&".join(
        quote_from_bytes(name.encode("utf-8", "surrogatepass")).encode()
        + b"="
        + quote_from_bytes(value.encode("utf-8", "surrogatepass")).encode()
        for name, value in fields
    )


@pytest.fixture
def perception_asked(cycle_current):
    """The cycle in progress on an instrument with unit-level perception indicators (OU-1…
    OU-5); the demo's is on the 2025+ method, which has none."""
    cycle_current.instrument_code = "ombudsman-2025"
    cycle_current.save()
    return cycle_current


@FUZZ
@given(
    slug=st.sampled_from(["skm", "persepsi"]),
    answers=st.lists(st.tuples(st.sampled_from(FIELDS), VALUES), max_size=25),
    extra=st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=4),
    consent=st.sampled_from([None, "1", "", "0"]),
)
@example(slug="skm", answers=[(code, "4") for code in SKM], extra=[], consent="1")
@example(slug="persepsi", answers=[(c, "tidak") for c in PERCEPTION], extra=[], consent="1")
@example(slug="skm", answers=[(c, "4") for c in SKM] + [("U1", "9")], extra=[], consent="1")
@example(slug="skm", answers=[(c, "4") for c in SKM] + [("situs_web", "x")], extra=[], consent="1")
@example(slug="skm", answers=[(code, "4") for code in SKM], extra=[], consent=None)
@example(slug="persepsi", answers=[(c, "ya") for c in PERCEPTION], extra=[], consent="")
def test_any_form_body_is_answered_and_stored_only_when_valid(
    langkat_dinkes, perception_asked, slug, answers, extra, consent
):
    fields = list(answers) + list(extra)
    if consent is not None:
        fields.append(("consent", consent))
    response, stored = _post(slug, _encode(fields))
    if _valid(slug, fields):
        assert (response.status_code, stored) == (200, 1)
    else:
        assert stored == 0
        assert response.status_code in (200, 422)  # 200: the honeypot's thank-you page


@FUZZ
@given(slug=st.sampled_from(["skm", "persepsi"]), body=st.binary(max_size=3000))
@example(slug="skm", body=b"U1=%ff%fe&consent=1&U2=\xff\xfe")
@example(slug="skm", body=b"%" * 100)
@example(slug="persepsi", body=b"consent=1&" + b"&".join(b"OU-1=ya" for _ in range(1200)))
def test_bytes_that_are_not_a_form_or_not_utf8_never_store_a_response(
    langkat_dinkes, perception_asked, slug, body
):
    response, stored = _post(slug, body)
    assert stored == 0 or response.status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"consent=1&" + b"U1=" + b"4" * 3_000_000, "application/x-www-form-urlencoded"),
        (b"&".join(b"f%d=1" % n for n in range(1500)), "application/x-www-form-urlencoded"),
        (
            b'--batas\r\nContent-Disposition: form-data; name="U1"\r\n\r\n4',
            "multipart/form-data; boundary=batas",
        ),
        (b"--batas\r\n\r\n\xff\xfe", "multipart/form-data; boundary=batas"),
        (b'{"U1": 4}', "application/json"),
        (b"consent=1", "multipart/form-data"),
    ],
    ids=["over-2.5MB", "1500-fields", "multipart-cut", "multipart-garbage", "json", "no-boundary"],
)
def test_oversized_and_malformed_bodies_are_refused_without_a_server_error(
    langkat_dinkes, body, content_type
):
    response, stored = _post("skm", body, content_type)
    assert stored == 0
    assert response.status_code in (400, 422)


def test_the_rate_limit_answers_429_with_a_message(langkat_dinkes, settings):
    settings.PATUH_SURVEY_RATE_PER_HOUR = 2
    cache.clear()
    body = _encode([*[(code, "4") for code in SKM], ("consent", "1")])
    client = Client(enforce_csrf_checks=False)
    with transaction.atomic():
        codes = [
            client.post(
                URLS["skm"], body, content_type="application/x-www-form-urlencoded"
            ).status_code
            for _ in range(3)
        ]
        transaction.set_rollback(True)
    assert codes == [200, 200, 429]


def test_a_valid_submission_stores_exactly_the_answers(langkat_dinkes):
    fields = [(code, str(n % 4 + 1)) for n, code in enumerate(SKM)]
    fields += [("consent", "1"), ("age_group", "=cmd|' /C calc'!A0"), ("service", "x" * 5000)]
    cache.clear()
    response = Client(enforce_csrf_checks=False).post(
        URLS["skm"], _encode(fields), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    stored = SurveyResponse.objects.filter(unit=langkat_dinkes).latest("pk")
    assert stored.answers == {code: n % 4 + 1 for n, code in enumerate(SKM)}
    assert stored.profile == {"service": "lainnya"}  # a choice not offered is not stored
