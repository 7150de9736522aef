"""The REST API: reads, filters, pagination, saves through the audited services (with the
version conflict and validation errors), evidence, token authentication, the public results
and rankings, the schema and the reference page."""

from __future__ import annotations

import io
import itertools
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from patuh.api.models import ApiToken
from patuh.api.tokens import TOKEN_CREATED, TOKEN_REVOKED, create_token
from patuh.assessments import evidence as evidence_verbs
from patuh.assessments.access import AssessmentAccess
from patuh.assessments.models import Answer, Assessment, Evidence
from patuh.assessments.services import ANSWER_RECORDED
from patuh.assessments.workspace import live_result
from patuh.core.models import AuditEvent
from patuh.results.models import ResultSnapshot
from patuh.results.services import publish_snapshot, ranking
from patuh.surveys import services as survey_services
from patuh.surveys.models import SurveyResponse

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    """The rate limits count in the cache, which outlives each test's rollback."""
    cache.clear()
    yield
    cache.clear()


CLIENTS = itertools.count()
"""Each client its own token name: a second token of the same name would replace the first."""


def api(user: Any = None) -> APIClient:
    """A client authenticated with ``user``'s API token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token = create_token(user, actor=None, name=f"uji {next(CLIENTS)}")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def self_assessment(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="self")


@pytest.fixture
def official(cycle_current, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="official")


def _version(assessment: Assessment, code: str) -> int:
    answer = Answer.objects.filter(assessment=assessment, indicator_code=code).first()
    return answer.version if answer else 0


def _answer_url(assessment: Assessment, code: str) -> str:
    return f"/api/v1/assessments/{assessment.pk}/answers/{code}/"


# -- authentication ---------------------------------------------------------------------------


def test_a_token_in_the_authorization_header_signs_the_user_in(coordinator):
    token = create_token(coordinator, actor=coordinator)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/governments/")
    assert response.status_code == 200
    assert [row["region_code"] for row in response.json()["results"]] == ["12.05"]


def test_no_token_or_a_wrong_one_is_401(coordinator):
    response = APIClient().get("/api/v1/governments/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get("/api/v1/governments/").status_code == 401


def test_a_revoked_token_stops_working_at_once(coordinator):
    client = api(coordinator)
    assert client.get("/api/v1/cycles/").status_code == 200
    call_command("api_token", coordinator.username, "--revoke", stdout=io.StringIO())
    assert client.get("/api/v1/cycles/").status_code == 401


def test_an_inactive_users_token_is_refused(coordinator):
    client = api(coordinator)
    coordinator.is_active = False
    coordinator.save()
    assert client.get("/api/v1/cycles/").status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/governments/",
        "/api/v1/governments/12.05/",
        "/api/v1/units/",
        "/api/v1/cycles/",
        "/api/v1/assessments/",
        "/api/v1/assessments/1/",
        "/api/v1/assessments/1/result/",
        "/api/v1/assessments/1/answers/",
        "/api/v1/assessments/1/evidence/",
        "/api/v1/survey-responses/",
    ],
)
def test_anonymous_gets_401_on_everything_private(db, url):
    assert APIClient().get(url).status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/",
        "/api/v1/results/",
        "/api/v1/rankings/",
        "/api/v1/rankings/2022/",
        "/api/v1/schema/",
    ],
)
def test_anonymous_reads_the_public_endpoints(db, url):
    assert APIClient().get(url).status_code == 200


def test_anonymous_clients_are_rate_limited_by_their_real_address(db, monkeypatch):
    from patuh.api.throttling import AnonymousRate

    monkeypatch.setattr(AnonymousRate, "THROTTLE_RATES", {"anon": "3/minute"})
    client = APIClient()
    for n in range(3):
        assert (
            client.get("/api/v1/rankings/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code == 200
        )
    refused = client.get("/api/v1/rankings/", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


def test_an_unknown_api_address_is_a_json_404(db):
    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert api_detail(response)


def api_detail(response: Any) -> str:
    return response.json()["detail"]


# -- reads, filters, pagination ---------------------------------------------------------------


def test_lists_are_scoped_like_the_web(operator, coordinator, regional_admin, outsider):
    units = api(operator).get("/api/v1/units/").json()
    assert [(u["government"], u["code"]) for u in units["results"]] == [("12.05", "dinkes")]
    langkat_units = api(coordinator).get("/api/v1/units/").json()
    assert langkat_units["count"] == 7
    assert {u["government"] for u in langkat_units["results"]} == {"12.05"}
    assessments = api(outsider).get("/api/v1/assessments/?government=12.05").json()
    assert assessments["count"] == 0
    everything = api(regional_admin).get("/api/v1/assessments/").json()
    assert everything["count"] == Assessment.objects.for_user(regional_admin).count()


def test_filters_narrow_the_lists(coordinator, regional_admin):
    client = api(regional_admin)
    rows = client.get("/api/v1/assessments/?cycle=2023&kind=self&government=12.05").json()
    assert rows["count"] == 6  # the six units the Sekda monitored
    assert {(r["year"], r["kind"], r["government"]) for r in rows["results"]} == {
        (2023, "self", "12.05")
    }
    finals = client.get("/api/v1/assessments/?cycle=2023&status=final&province=12").json()
    assert finals["count"] == Assessment.objects.filter(cycle__year=2023, status="final").count()
    unit = client.get("/api/v1/units/?government=12.05&type=dinkes").json()["results"]
    assert [u["code"] for u in unit] == ["dinkes"]
    by_unit = client.get(f"/api/v1/assessments/?unit={unit[0]['id']}&cycle=2023").json()
    assert {r["kind"] for r in by_unit["results"]} == {"self", "official"}
    governments = client.get("/api/v1/governments/?province=12&kind=kota").json()
    assert governments["count"] > 0
    assert {g["kind"] for g in governments["results"]} == {"kota"}
    assert client.get("/api/v1/governments/?q=Langkat").json()["results"][0]["region_code"] == (
        "12.05"
    )
    assert [c["year"] for c in client.get("/api/v1/cycles/?year=2022").json()["results"]] == [2022]


@pytest.mark.parametrize(
    "query",
    ["kind=weekly", "status=lost", "cycle=tahun-lalu", "unit=-4", "cycle=99999999999999999999"],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(regional_admin, query):
    response = api(regional_admin).get(f"/api/v1/assessments/?{query}")
    assert response.status_code == 400
    assert set(response.json()) == {query.split("=")[0]}


def test_lists_are_paginated(regional_admin):
    client = api(regional_admin)
    first = client.get("/api/v1/assessments/?page_size=5").json()
    assert len(first["results"]) == 5
    assert first["count"] == Assessment.objects.for_user(regional_admin).count()
    assert first["previous"] is None
    second = client.get(first["next"].replace("http://testserver", "")).json()
    assert {r["id"] for r in first["results"]}.isdisjoint({r["id"] for r in second["results"]})
    assert len(client.get("/api/v1/assessments/").json()["results"]) == 50
    assert len(client.get("/api/v1/assessments/?page_size=1000").json()["results"]) == 200
    assert client.get("/api/v1/assessments/?page=99999").status_code == 404


def test_an_assessment_shows_its_live_score_and_what_the_user_may_do(
    coordinator, verifier, self_assessment
):
    data = api(coordinator).get(f"/api/v1/assessments/{self_assessment.pk}/").json()
    live = live_result(self_assessment)
    assert data["summary"]["draft"] is True
    assert data["summary"]["unit_score"] == f"{live.unit.rounded:.2f}"
    assert data["summary"]["government_category"] == live.government.band.category
    assert data["permissions"]["can_edit"] is True
    refused = api(verifier).get(f"/api/v1/assessments/{self_assessment.pk}/").json()
    assert refused["permissions"]["can_edit"] is False
    reason = AssessmentAccess(verifier, self_assessment).edit_refusal
    assert refused["permissions"]["edit_refusal"] == reason
    assert data["result_url"].endswith(f"/api/v1/assessments/{self_assessment.pk}/result/")


def test_the_result_explains_the_score_indicator_by_indicator(verifier, langkat_dinkes_2023):
    data = api(verifier).get(f"/api/v1/assessments/{langkat_dinkes_2023.pk}/result/").json()
    live = live_result(langkat_dinkes_2023)
    unit = data["unit"]
    assert unit["score"] == f"{live.unit.rounded:.2f}"
    assert (unit["category"], unit["zone"]) == (live.unit.band.category, live.unit.band.zone)
    assert [d["code"] for d in unit["dimensions"]] == list(live.unit.dimensions)
    assert {i["code"] for i in unit["indicators"]} == set(live.unit.indicators)
    points = sum(Decimal(i["points"]) for i in unit["indicators"])
    assert abs(points - live.unit.score) < Decimal("0.01")
    for item in unit["indicators"]:
        expected = live.unit.indicators[item["code"]]
        assert Decimal(item["points_lost"]) == pytest.approx(
            expected.points_lost, abs=Decimal("0.001")
        )
    assert data["government"]["code"] == "12.05"
    assert data["draft"] is True  # submitted, not final yet


def test_the_answers_list_every_indicator_with_its_version(operator, self_assessment):
    client = api(operator)
    rows = client.get(f"/api/v1/assessments/{self_assessment.pk}/answers/?page_size=200").json()
    from patuh.scoring import load_instrument

    instrument = load_instrument(self_assessment.cycle.instrument_code)
    assert [r["indicator_code"] for r in rows["results"]] == list(instrument.indicators)
    by_code = {r["indicator_code"]: r for r in rows["results"]}
    assert by_code["IN-S1"]["version"] == _version(self_assessment, "IN-S1")
    assert by_code["IN-S1"]["editable"] is True
    assert [p["key"][0] for p in by_code["IN-K1"]["part_keys"]] == ["r"] * 4
    inputs = client.get(f"/api/v1/assessments/{self_assessment.pk}/answers/?dimension=IN").json()
    assert {r["dimension"] for r in inputs["results"]} == {"IN"}
    one = client.get(_answer_url(self_assessment, "IN-S1")).json()
    assert one == by_code["IN-S1"]
    assert client.get(_answer_url(self_assessment, "XX-99")).status_code == 404


# -- saving answers ---------------------------------------------------------------------------


def test_put_saves_through_the_service_with_an_audit_row(operator, self_assessment):
    version = _version(self_assessment, "IN-S1")
    before = AuditEvent.objects.filter(action=ANSWER_RECORDED).count()
    response = api(operator).put(
        _answer_url(self_assessment, "IN-S1"),
        {"value": 1, "note": "Pengawasan dua kali setahun", "expected_version": version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["value"], data["version"], data["updated_by"]) == (1, version + 1, "opi.operator")
    answer = Answer.objects.get(assessment=self_assessment, indicator_code="IN-S1")
    assert (answer.value, answer.note, answer.version) == (
        1,
        "Pengawasan dua kali setahun",
        version + 1,
    )
    event = AuditEvent.objects.filter(action=ANSWER_RECORDED).order_by("-id").first()
    assert AuditEvent.objects.filter(action=ANSWER_RECORDED).count() == before + 1
    assert (event.actor, event.object_id, event.new["value"]) == (operator, str(answer.pk), 1)


def test_patch_changes_only_what_is_sent(coordinator, self_assessment):
    answer = Answer.objects.get(assessment=self_assessment, indicator_code="IN-S1")
    response = api(coordinator).patch(
        _answer_url(self_assessment, "IN-S1"),
        {"note": "Catatan saja", "expected_version": answer.version},
        format="json",
    )
    assert response.status_code == 200
    answer.refresh_from_db()
    assert (answer.note, response.json()["value"]) == ("Catatan saja", answer.value)


def test_a_stale_version_is_a_409_with_both_values_and_saves_nothing(
    operator, coordinator, self_assessment
):
    version = _version(self_assessment, "IN-S1")
    url = _answer_url(self_assessment, "IN-S1")
    first = api(coordinator).put(url, {"value": 2, "expected_version": version}, format="json")
    assert first.status_code == 200
    as_operator = api(operator)  # its token's audit row comes before the count
    events = AuditEvent.objects.count()
    second = as_operator.put(url, {"value": 0, "expected_version": version}, format="json")
    assert second.status_code == 409
    data = second.json()
    assert data["current"]["value"] == 2
    assert data["current"]["version"] == version + 1
    assert data["current"]["updated_by"] == coordinator.username
    assert data["submitted"] == {
        "value": 0,
        "part": None,
        "na_reason": None,
        "note": None,
        "expected_version": version,
    }
    assert data["detail"]
    assert Answer.objects.get(assessment=self_assessment, indicator_code="IN-S1").value == 2
    assert AuditEvent.objects.count() == events
    # overwriting knowingly: send the version just read
    third = as_operator.put(url, {"value": 0, "expected_version": version + 1}, format="json")
    assert third.status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 7}, "value"),
        ({"value": -1}, "value"),
        ({"value": "tiga"}, "value"),
        ({"value": True}, "value"),
        ({"value": []}, "value"),
        ({"value": {"a": 1}}, "value"),
        ({"value": None}, "value"),
        ({"value": "na"}, "na_reason"),
        ({"value": 2, "part": "r999999"}, "part"),
        ({"value": 2}, "expected_version"),
        ({"value": 2, "expected_version": -1}, "expected_version"),
        ({"value": 2, "expected_version": "satu"}, "expected_version"),
    ],
)
def test_an_invalid_value_is_a_400_naming_the_field(operator, self_assessment, body, field):
    if field != "expected_version":
        body = {**body, "expected_version": _version(self_assessment, "IN-S1")}
    client = api(operator)
    before = (
        AuditEvent.objects.count(),
        Answer.objects.get(assessment=self_assessment, indicator_code="IN-S1").version,
    )
    response = client.put(_answer_url(self_assessment, "IN-S1"), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    after = (
        AuditEvent.objects.count(),
        Answer.objects.get(assessment=self_assessment, indicator_code="IN-S1").version,
    )
    assert after == before


def test_na_with_a_reason_and_one_respondents_part_are_saved(assessor, official):
    client = api(assessor)
    url = _answer_url(official, "IN-S1")
    response = client.put(
        url,
        {
            "value": "na",
            "na_reason": "Tidak ada pengawas",
            "expected_version": _version(official, "IN-S1"),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["value"], response.json()["na_reason"]) == ("na", "Tidak ada pengawas")
    row = client.get(_answer_url(official, "IN-K1")).json()
    key = row["part_keys"][1]["key"]
    saved = client.put(
        _answer_url(official, "IN-K1"),
        {"part": key, "value": 3, "expected_version": row["version"]},
        format="json",
    )
    assert saved.status_code == 200, saved.json()
    assert saved.json()["parts"][key] == 3


def test_a_refused_save_is_a_403_with_the_web_pages_reason(verifier, self_assessment):
    response = api(verifier).put(
        _answer_url(self_assessment, "IN-S1"), {"value": 2, "expected_version": 1}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == AssessmentAccess(verifier, self_assessment).edit_refusal


def test_a_submitted_assessment_refuses_its_fillers_with_the_reason(
    coordinator, langkat_dinkes_2023, cycle_2023
):
    submitted = Assessment.objects.get(
        cycle=cycle_2023, service_unit=langkat_dinkes_2023.service_unit, kind="self"
    )
    assert submitted.status == "submitted"
    response = api(coordinator).put(
        _answer_url(submitted, "IN-S1"), {"value": 2, "expected_version": 1}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == AssessmentAccess(coordinator, submitted).edit_refusal


def test_submitting_locks_the_answers_with_the_reason(operator, self_assessment):
    client = api(operator)
    response = client.post(
        f"/api/v1/assessments/{self_assessment.pk}/submit/", {"note": "Lengkap"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["permissions"]["can_edit"] is False
    assert AuditEvent.objects.filter(
        action="assessment.submitted", object_id=str(self_assessment.pk)
    ).exists()
    refused = client.put(
        _answer_url(self_assessment, "IN-S1"),
        {"value": 2, "expected_version": _version(self_assessment, "IN-S1")},
        format="json",
    )
    assert refused.status_code == 403
    self_assessment.refresh_from_db()
    assert refused.json()["detail"] == AssessmentAccess(operator, self_assessment).edit_refusal
    again = client.post(f"/api/v1/assessments/{self_assessment.pk}/submit/", {}, format="json")
    assert again.status_code == 403


# -- evidence ---------------------------------------------------------------------------------


def test_a_file_is_uploaded_checked_and_listed(operator, self_assessment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = api(operator)
    url = f"/api/v1/assessments/{self_assessment.pk}/evidence/"
    response = client.post(
        url,
        {
            "indicator_code": "PR-06",
            "title": "Maklumat",
            "file": SimpleUploadedFile("maklumat.pdf", PDF, content_type="application/pdf"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["indicator_code"], data["kind"], data["content_type"]) == (
        "PR-06",
        "file",
        "application/pdf",
    )
    assert data["size"] == len(PDF)
    assert data["uploaded_by"] == operator.username
    assert data["download_url"].endswith(f"/evidence/{data['id']}/")
    item = Evidence.objects.get(pk=data["id"])
    assert AuditEvent.objects.filter(
        action=evidence_verbs.EVIDENCE_ADDED, object_id=str(item.pk)
    ).exists()
    listed = client.get(f"{url}?indicator=PR-06").json()
    assert [row["id"] for row in listed["results"]] == [item.pk]
    download = client.get(data["file_url"].replace("http://testserver", ""))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_dangerous_file_is_refused_with_the_reason(operator, self_assessment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = api(operator).post(
        f"/api/v1/assessments/{self_assessment.pk}/evidence/",
        {
            "indicator_code": "PR-06",
            "file": SimpleUploadedFile("x.pdf", b"<html><script>alert(1)</script></html>"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "HTML" in response.json()["file"][0]
    assert not Evidence.objects.filter(assessment=self_assessment).exists()


def test_a_link_is_added_and_withdrawn_with_a_reason(coordinator, self_assessment):
    client = api(coordinator)
    created = client.post(
        f"/api/v1/assessments/{self_assessment.pk}/evidence/",
        {"indicator_code": "PR-01", "url": "https://example.org/persyaratan"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    item = created.json()
    withdraw = f"/api/v1/assessments/{self_assessment.pk}/evidence/{item['id']}/withdraw/"
    assert client.post(withdraw, {}, format="json").status_code == 400
    response = client.post(withdraw, {"reason": "Tautan salah"}, format="json")
    assert response.status_code == 200
    assert response.json()["removed_at"] is not None
    listed = client.get(f"/api/v1/assessments/{self_assessment.pk}/evidence/").json()
    assert item["id"] not in [row["id"] for row in listed["results"]]
    withdrawn = client.get(f"/api/v1/assessments/{self_assessment.pk}/evidence/?withdrawn=true")
    assert item["id"] in [row["id"] for row in withdrawn.json()["results"]]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"indicator_code": "PR-01"}, "non_field_errors"),
        ({"indicator_code": "ZZ-1", "url": "https://example.org"}, "indicator_code"),
        ({"indicator_code": "PR-01", "url": "javascript:alert(1)"}, "url"),
    ],
)
def test_bad_evidence_is_a_400(coordinator, self_assessment, body, field):
    response = api(coordinator).post(
        f"/api/v1/assessments/{self_assessment.pk}/evidence/", body, format="json"
    )
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", 'multipart/form-data; boundary=""', "text/plain"]
)
def test_a_malformed_body_is_a_4xx_not_an_error(coordinator, self_assessment, content_type):
    response = api(coordinator).generic(
        "POST",
        f"/api/v1/assessments/{self_assessment.pk}/evidence/",
        b"--x\r\nrusak",
        content_type=content_type,
    )
    assert response.status_code in (400, 415)
    assert "detail" in response.json()


# -- survey responses -------------------------------------------------------------------------


def _skm_response(unit: Any, cycle: Any) -> SurveyResponse:
    answers = {q.code: 4 for q in survey_services.questions("skm", cycle)}
    return survey_services.submit(
        unit,
        cycle,
        "skm",
        answers,
        {"sex": "p"},
        device_hash=survey_services.fingerprint("perangkat"),
        address_hash=survey_services.fingerprint("10.0.0.1"),
    )


def test_survey_responses_are_listed_without_fingerprints(
    operator, outsider, langkat_dinkes, cycle_current
):
    response = _skm_response(langkat_dinkes, cycle_current)
    rows = api(operator).get("/api/v1/survey-responses/?kind=skm&cycle=" + str(cycle_current.year))
    data = rows.json()["results"]
    assert [row["id"] for row in data] == [response.pk]
    assert data[0]["answers"]["U1"] == 4
    assert "device_hash" not in data[0]
    assert "address_hash" not in data[0]
    assert response.device_hash not in rows.content.decode()
    assert api(outsider).get("/api/v1/survey-responses/").json()["count"] == 0
    assert api(outsider).get(f"/api/v1/survey-responses/{response.pk}/").status_code == 404
    assert api(operator).get("/api/v1/survey-responses/?voided=true").json()["count"] == 0


# -- public results and rankings --------------------------------------------------------------


def test_public_results_are_only_the_published_ones(db, cycle_2023):
    client = APIClient()
    rows = client.get("/api/v1/results/?page_size=200").json()
    published = ResultSnapshot.objects.filter(published_at__isnull=False)
    assert rows["count"] == published.count() == 33
    assert {row["year"] for row in rows["results"]} == {2022}
    unpublished = ResultSnapshot.objects.filter(cycle=cycle_2023).first()
    assert unpublished.published_at is None
    assert client.get(f"/api/v1/results/{unpublished.pk}/").status_code == 404
    assert client.get("/api/v1/results/?cycle=2023").json()["count"] == 0


def test_a_public_result_shows_what_the_public_page_shows(db, cycle_2022, labuhanbatu):
    snapshot = ResultSnapshot.objects.current().get(cycle=cycle_2022, government=labuhanbatu)
    data = APIClient().get(f"/api/v1/results/{snapshot.pk}/").json()
    assert (data["government"], data["score"], data["checksum"]) == (
        "12.10",
        f"{snapshot.score:.2f}",
        snapshot.checksum,
    )
    assert [unit["code"] for unit in data["units"]] == [u["code"] for u in snapshot.data["units"]]
    assert "answers" not in data
    assert data["public_url"].endswith("/publik/2022/12.10/")


def test_publishing_makes_a_result_public(verifier, cycle_2023):
    government = ResultSnapshot.objects.current().filter(cycle=cycle_2023).first().government
    client = APIClient()
    assert (
        client.get(f"/api/v1/results/?cycle=2023&government={government.region_code}").json()[
            "count"
        ]
        == 0
    )
    publish_snapshot(cycle_2023, government, actor=verifier)
    rows = client.get(f"/api/v1/results/?cycle=2023&government={government.region_code}").json()
    assert rows["count"] == 1


def test_the_ranking_matches_the_public_ranking_page(db, cycle_2022):
    data = APIClient().get("/api/v1/rankings/2022/").json()
    expected = ranking(cycle_2022, published_only=True)
    (section,) = data["sections"]
    assert [g["group"] for g in section["groups"]] == list(expected.groups)
    for group in section["groups"]:
        ranked = expected.groups[group["group"]]
        assert [(e["government"], e["rank"]) for e in group["entries"]] == [
            (item.entry.key, item.rank) for item in ranked
        ]
        for earlier, later in itertools.pairwise(group["entries"]):
            assert (later["rank"] == earlier["rank"]) == (later["score"] == earlier["score"])
    assert section["count"] == 33
    assert sum(section["zones"].values()) == 33
    assert section["previous_cycle"] is None


def test_rankings_exist_only_for_published_years(db):
    client = APIClient()
    assert [row["year"] for row in client.get("/api/v1/rankings/").json()] == [2022]
    assert client.get("/api/v1/rankings/2023/").status_code == 404
    assert client.get("/api/v1/rankings/2022/?province=99").status_code == 404
    north = client.get("/api/v1/rankings/2022/?province=12").json()
    assert north["province"] == "12"
    assert north["sections"][0]["count"] == 33


# -- the token page and command, the schema and the reference page ----------------------------


def test_the_token_page_needs_a_login(client):
    response = client.get("/api/v1/token/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_token_page_creates_shows_once_and_revokes_with_audit_rows(login, coordinator):
    client = login(coordinator)
    page = client.get("/api/v1/token/").content.decode()
    assert 'data-token-state="none"' in page
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    created = client.post(
        "/api/v1/token/", {"action": "create", "once": once, "name": "SIMPEL", "days": "30"}
    )
    key = re.search(r"data-token>([^<]+)<", created.content.decode()).group(1)
    token = ApiToken.objects.get(user=coordinator)
    assert key.startswith(token.prefix)
    assert "no-store" in created["Cache-Control"]
    again = client.get("/api/v1/token/").content.decode()
    assert key not in again
    assert f'data-token-prefix="{token.prefix}" data-token-state="active"' in again
    event = AuditEvent.objects.filter(action=TOKEN_CREATED).order_by("-id").first()
    assert event.actor == coordinator
    assert key not in str(event.old) + str(event.new) + event.object_id
    assert api_with(key).get("/api/v1/cycles/").status_code == 200
    client.post("/api/v1/token/", {"action": "revoke", "token": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action=TOKEN_REVOKED, actor=coordinator).exists()
    assert api_with(key).get("/api/v1/cycles/").status_code == 401


def api_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_the_command_prints_a_new_token_and_revokes_it(coordinator):
    out = io.StringIO()
    call_command("api_token", coordinator.username, stdout=out)
    key = out.getvalue().strip()
    assert api_with(key).get("/api/v1/cycles/").status_code == 200
    call_command("api_token", coordinator.username, stdout=io.StringIO())
    assert api_with(key).get("/api/v1/cycles/").status_code == 401  # replaced: same name
    call_command("api_token", coordinator.username, "--revoke", stdout=io.StringIO())
    assert not ApiToken.objects.filter(user=coordinator, revoked_at__isnull=True).exists()
    actions = AuditEvent.objects.filter(
        action__in=[TOKEN_CREATED, TOKEN_REVOKED], object_id=str(coordinator.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == sorted([TOKEN_CREATED] * 2 + [TOKEN_REVOKED] * 2)


def test_the_schema_is_public_openapi(db):
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/assessments/{assessment_pk}/answers/{indicator_code}/" in schema["paths"]
    put = schema["paths"]["/api/v1/assessments/{assessment_pk}/answers/{indicator_code}/"]["put"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(put["responses"])


def test_the_reference_page_lists_every_endpoint_under_the_strict_csp(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    html = response.content.decode()
    assert (
        'data-operation="PUT /api/v1/assessments/{assessment_pk}/answers/{indicator_code}/"' in html
    )
    assert "<script>" not in html
    assert " style=" not in html
