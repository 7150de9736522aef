"""Every API endpoint and method × every role, down to the status code, mirroring the web
matrix (tests/django/test_workspace_authorization.py) and docs/roles.md: who reads (200),
who is refused a change (403), who must not learn the object exists (404), who must sign in
first (401). Then IDOR attempts: changing ids in the URL or the body never reaches another
government's, unit's or assessment's data, and writes nothing.

The objects are Langkat's Dinas Kesehatan assessments in the cycle in progress: its
self-assessment (filled by the unit's operator and the pemda's coordinator) and its official
assessment (filled by the assessor assigned to Langkat).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import personas
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from personas import PDF, Cast, add_pdf
from rest_framework.test import APIClient

from patuh.api.tokens import create_token
from patuh.assessments import evidence
from patuh.assessments.models import (
    Answer,
    Assessment,
    AssessorAssignment,
    Evidence,
    Respondent,
)
from patuh.assessments.services import prepare_assessments
from patuh.core.models import AuditEvent
from patuh.orgs.models import Government
from patuh.results.models import ResultSnapshot
from patuh.surveys import services as survey_services

CLIENTS = itertools.count()

ROLES = (
    "anonymous",
    "national_admin",
    "regional_admin",
    "other_regional_admin",
    "assessor",
    "unassigned_assessor",
    "verifier",
    "coordinator",
    "operator",
    "other_unit_operator",
    "outsider",
)
VIEWERS = frozenset(
    {"national_admin", "regional_admin", "assessor", "verifier", "coordinator", "operator"}
)
"""Everyone who may see Langkat Dinas Kesehatan's assessments (as in the web matrix)."""
SIGNED_IN = frozenset(ROLES) - {"anonymous"}
SELF_FILLERS = frozenset({"coordinator", "operator"})
OFFICIAL_FILLERS = frozenset({"assessor"})


def expected(
    allowed: frozenset[str] | set[str],
    refused: frozenset[str] | set[str] = frozenset(),
    ok: int = 200,
) -> dict[str, int]:
    """``ok`` for ``allowed``, 403 for ``refused``, 401 for anonymous, 404 otherwise."""
    return personas.expected(ROLES, allowed, refused, anonymous=401, ok=ok)


PUBLIC = dict.fromkeys(ROLES, 200)


@dataclass
class World:
    users: dict[str, Any]
    self_assessment: Assessment
    official: Assessment
    file_id: int
    link_id: int
    response_id: int
    result_id: int
    year: int
    cycle_id: int

    def client(self, role: str) -> APIClient:
        client = APIClient()
        if role != "anonymous":
            # its own name: a second token of the same name would replace the first
            token = create_token(self.users[role], actor=None, name=f"uji {next(CLIENTS)}")
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    def version(self, assessment: Assessment, code: str) -> int:
        answer = Answer.objects.filter(assessment=assessment, indicator_code=code).first()
        return answer.version if answer else 0


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db, settings, tmp_path, cast: Cast) -> World:
    settings.MEDIA_ROOT = tmp_path
    users = cast.users(ROLES, aceh_admin="ari.aceh")
    self_assessment = cast.assessment("self")
    official = cast.assessment("official")
    item = add_pdf(self_assessment, "PR-06", "maklumat.pdf", actor=cast.operator)
    link = evidence.add_link(
        self_assessment, "PR-01", "https://example.org/persyaratan", actor=cast.operator
    )
    response = survey_services.submit(
        cast.langkat_dinkes,
        cast.cycle_current,
        "skm",
        {q.code: 3 for q in survey_services.questions("skm", cast.cycle_current)},
        {},
    )
    published = ResultSnapshot.objects.filter(published_at__isnull=False).first()
    return World(
        users,
        self_assessment,
        official,
        item.pk,
        link.pk,
        response.pk,
        published.pk,
        cast.cycle_current.year,
        cast.cycle_current.pk,
    )


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: Any
    data: Any
    codes: dict[str, int]
    format: str = "json"


def _answer(attr: str, code: str = "IN-S1") -> Any:
    return lambda w: f"/api/v1/assessments/{getattr(w, attr).pk}/answers/{code}/"


def _save_body(attr: str, code: str = "IN-S1", value: int = 2) -> Any:
    return lambda w: {"value": value, "expected_version": w.version(getattr(w, attr), code)}


CASES = [
    Case("api root", "GET", lambda w: "/api/v1/", None, PUBLIC),
    Case("schema", "GET", lambda w: "/api/v1/schema/", None, PUBLIC),
    Case("governments", "GET", lambda w: "/api/v1/governments/", None, expected(SIGNED_IN)),
    Case(
        "Langkat",
        "GET",
        lambda w: "/api/v1/governments/12.05/",
        None,
        expected(VIEWERS | {"other_unit_operator"}),
    ),
    Case("units", "GET", lambda w: "/api/v1/units/", None, expected(SIGNED_IN)),
    Case(
        "Langkat Dinas Kesehatan",
        "GET",
        lambda w: f"/api/v1/units/{w.self_assessment.service_unit_id}/",
        None,
        expected(VIEWERS),
    ),
    Case("cycles", "GET", lambda w: "/api/v1/cycles/", None, expected(SIGNED_IN)),
    Case(
        "the cycle in progress",
        "GET",
        lambda w: f"/api/v1/cycles/{w.cycle_id}/",
        None,
        expected(VIEWERS | {"other_unit_operator", "outsider"}),
    ),
    Case("assessments", "GET", lambda w: "/api/v1/assessments/", None, expected(SIGNED_IN)),
    Case(
        "self-assessment",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "official assessment",
        "GET",
        lambda w: f"/api/v1/assessments/{w.official.pk}/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "result",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/result/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "answers",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/answers/",
        None,
        expected(VIEWERS),
    ),
    Case("one answer", "GET", _answer("self_assessment"), None, expected(VIEWERS)),
    Case(
        "save a self-assessment answer (PUT)",
        "PUT",
        _answer("self_assessment"),
        _save_body("self_assessment"),
        expected(SELF_FILLERS, refused=VIEWERS - SELF_FILLERS),
    ),
    Case(
        "save a self-assessment answer (PATCH)",
        "PATCH",
        _answer("self_assessment"),
        _save_body("self_assessment"),
        expected(SELF_FILLERS, refused=VIEWERS - SELF_FILLERS),
    ),
    Case(
        "save an official answer",
        "PUT",
        _answer("official"),
        _save_body("official"),
        expected(OFFICIAL_FILLERS, refused=VIEWERS - OFFICIAL_FILLERS),
    ),
    Case(
        "evidence",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/evidence/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "one evidence item",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/evidence/{w.file_id}/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "download evidence",
        "GET",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/evidence/{w.file_id}/file/",
        None,
        expected(VIEWERS),
    ),
    Case(
        "add evidence (link)",
        "POST",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/evidence/",
        {"indicator_code": "PR-02", "url": "https://example.org/alur"},
        expected(SELF_FILLERS, refused=VIEWERS - SELF_FILLERS, ok=201),
    ),
    Case(
        "add evidence (file)",
        "POST",
        lambda w: f"/api/v1/assessments/{w.official.pk}/evidence/",
        lambda w: {
            "indicator_code": "PR-06",
            "file": SimpleUploadedFile("foto.pdf", PDF),
        },
        expected(OFFICIAL_FILLERS, refused=VIEWERS - OFFICIAL_FILLERS, ok=201),
        format="multipart",
    ),
    Case(
        "withdraw evidence",
        "POST",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/evidence/{w.link_id}/withdraw/",
        {"reason": "Salah unggah"},
        expected(SELF_FILLERS, refused=VIEWERS - SELF_FILLERS),
    ),
    Case(
        "submit the self-assessment",
        "POST",
        lambda w: f"/api/v1/assessments/{w.self_assessment.pk}/submit/",
        {"note": "Siap diperiksa"},
        expected(SELF_FILLERS, refused=VIEWERS - SELF_FILLERS),
    ),
    Case(
        "submit the official assessment",
        "POST",
        lambda w: f"/api/v1/assessments/{w.official.pk}/submit/",
        {},
        expected(OFFICIAL_FILLERS, refused=VIEWERS - OFFICIAL_FILLERS),
    ),
    Case(
        "survey responses", "GET", lambda w: "/api/v1/survey-responses/", None, expected(SIGNED_IN)
    ),
    Case(
        "one survey response",
        "GET",
        lambda w: f"/api/v1/survey-responses/{w.response_id}/",
        None,
        expected(VIEWERS),
    ),
    Case("published results", "GET", lambda w: "/api/v1/results/", None, PUBLIC),
    Case("a published result", "GET", lambda w: f"/api/v1/results/{w.result_id}/", None, PUBLIC),
    Case("ranking years", "GET", lambda w: "/api/v1/rankings/", None, PUBLIC),
    Case("a ranking", "GET", lambda w: "/api/v1/rankings/2022/", None, PUBLIC),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_role_gets_exactly_what_it_should(world: World, case: Case, role: str) -> None:
    url = case.url(world)
    data = case.data(world) if callable(case.data) else case.data
    client = world.client(role)  # its token's audit row comes before the count
    events = AuditEvent.objects.count()
    response = getattr(client, case.method.lower())(url, data, format=case.format)
    assert response.status_code == case.codes[role], (case.name, role, url, response.content)
    if case.method != "GET" and response.status_code >= 400:
        assert AuditEvent.objects.count() == events, "a refused write left an audit row"
    if case.method != "GET" and response.status_code < 300:
        assert AuditEvent.objects.count() == events + 1, "a write without its audit row"


WEB_TWINS = {
    "the cycle in progress": "cycle",
    "self-assessment": "self-assessment page",
    "official assessment": "official assessment page",
    "result": "result panel",
    "save a self-assessment answer (PUT)": "save a self-assessment answer",
    "save a self-assessment answer (PATCH)": "save a self-assessment answer",
    "save an official answer": "save an official answer",
    "add evidence (link)": "add evidence",
    "download evidence": "download evidence",
    "submit the self-assessment": "submit",
}
"""API case → the web matrix's case for the same action."""


def _web_outcome(role: str, code: int) -> str:
    if code == 302:
        return "sign in" if role == "anonymous" else "done"
    return {200: "done", 403: "refused", 404: "hidden"}[code]


def _api_outcome(role: str, code: int) -> str:
    if code == 401:
        return "sign in"
    return "done" if code < 300 else {403: "refused", 404: "hidden"}[code]


def test_every_action_has_the_web_matrix_outcome_for_every_role() -> None:
    """Same action, same outcome: done (200/201 here, 200 or a redirect there), refused
    (403), hidden (404), sign in first (401 here, the login redirect there)."""
    from test_workspace_authorization import CASES as WEB_CASES
    from test_workspace_authorization import ROLES as WEB_ROLES

    web = {case.name: case.codes for case in WEB_CASES}
    api = {case.name: case.codes for case in CASES}
    for api_name, web_name in WEB_TWINS.items():
        for role in WEB_ROLES:
            assert _api_outcome(role, api[api_name][role]) == _web_outcome(
                role, web[web_name][role]
            ), (api_name, role)


def test_the_token_page_is_for_every_signed_in_user(world: World) -> None:
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(world.users[role])
        response = client.get("/api/v1/token/")
        assert response.status_code == (302 if role == "anonymous" else 200), role


def test_the_lists_hold_only_what_each_role_sees(world: World) -> None:
    dinkes = world.self_assessment.service_unit
    for role in SIGNED_IN:
        user = world.users[role]
        client = world.client(role)
        rows = client.get(f"/api/v1/assessments/?page_size=200&cycle={world.year}").json()
        visible = Assessment.objects.for_user(user).filter(cycle__year=world.year)
        assert rows["count"] == visible.count(), role
        governments = client.get("/api/v1/governments/?page_size=200").json()
        assert governments["count"] == Government.objects.for_user(user).count(), role
        responses = client.get("/api/v1/survey-responses/").json()["results"]
        # the demo's F-03 respondents of Langkat's PEKPPP lokus are left out here
        responses = [r for r in responses if r["kind"] != "f03"]
        assert ([r["id"] for r in responses] == [world.response_id]) == (role in VIEWERS), role
        units = {u["id"] for u in client.get("/api/v1/units/?page_size=200").json()["results"]}
        assert (dinkes.pk in units) == (role in VIEWERS), role
    assert world.client("other_regional_admin").get("/api/v1/assessments/").json()["count"] == 0
    assert world.client("unassigned_assessor").get("/api/v1/cycles/").json()["count"] == 0


# -- IDOR -------------------------------------------------------------------------------------


@pytest.fixture
def snapshot_of_everything():
    """Answers, evidence and the audit trail as they are; compare after the attempts (the
    API tokens the attempts' clients are given are not what is being compared)."""

    def take() -> tuple[Any, ...]:
        return (
            sorted(
                Answer.objects.values_list(
                    "pk", "assessment_id", "indicator_code", "value", "note", "version"
                )
            ),
            sorted(Evidence.objects.values_list("pk", "assessment_id", "removed_at")),
            AuditEvent.objects.exclude(action__startswith="api_token.").count(),
        )

    return take


def _put(client: APIClient, url: str, body: dict[str, Any]) -> int:
    return client.put(url, body, format="json").status_code


def test_another_governments_assessment_is_404_in_every_url(
    world: World, labuhanbatu, snapshot_of_everything
) -> None:
    """The Labuhanbatu coordinator (government A) replays Langkat's (B) ids."""
    before = snapshot_of_everything()
    client = world.client("outsider")
    a = world.self_assessment.pk
    for url in (
        f"/api/v1/assessments/{a}/",
        f"/api/v1/assessments/{a}/result/",
        f"/api/v1/assessments/{a}/answers/",
        f"/api/v1/assessments/{a}/answers/IN-S1/",
        f"/api/v1/assessments/{a}/evidence/",
        f"/api/v1/assessments/{a}/evidence/{world.file_id}/",
        f"/api/v1/assessments/{a}/evidence/{world.file_id}/file/",
        f"/api/v1/survey-responses/{world.response_id}/",
        f"/api/v1/units/{world.self_assessment.service_unit_id}/",
    ):
        assert client.get(url).status_code == 404, url
    assert (
        _put(client, f"/api/v1/assessments/{a}/answers/IN-S1/", {"value": 0, "expected_version": 1})
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/assessments/{a}/answers/IN-S1/",
            {"note": "x", "expected_version": 1},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/assessments/{a}/evidence/",
            {"indicator_code": "PR-01", "url": "https://example.org"},
            format="json",
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/assessments/{a}/evidence/{world.link_id}/withdraw/",
            {"reason": "x"},
            format="json",
        ).status_code
        == 404
    )
    assert client.post(f"/api/v1/assessments/{a}/submit/", {}, format="json").status_code == 404
    assert snapshot_of_everything() == before
    assert Assessment.objects.get(pk=a).status == "draft"


def test_another_units_assessment_in_the_same_government_is_404(
    world: World, langkat, cycle_current, snapshot_of_everything
) -> None:
    """The Dinas Kesehatan operator tries the Dinas Sosial self-assessment next door."""
    dinsos = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat.units.get(code="dinsos"), kind="self"
    )
    before = snapshot_of_everything()
    client = world.client("operator")
    url = f"/api/v1/assessments/{dinsos.pk}/answers/IN-S1/"
    assert client.get(url).status_code == 404
    assert (
        _put(client, url, {"value": 0, "expected_version": world.version(dinsos, "IN-S1")}) == 404
    )
    assert snapshot_of_everything() == before


def test_an_assessor_reaches_only_the_governments_assigned_to_it(
    world: World, labuhanbatu, cycle_current, snapshot_of_everything
) -> None:
    other = Assessment.objects.filter(
        cycle=cycle_current, service_unit__government=labuhanbatu, kind="official"
    ).first()
    assert not AssessorAssignment.objects.filter(
        assessor=world.users["assessor"], government=labuhanbatu
    ).exists()
    before = snapshot_of_everything()
    client = world.client("assessor")
    url = f"/api/v1/assessments/{other.pk}/answers/IN-S1/"
    assert client.get(url).status_code == 404
    assert _put(client, url, {"value": 0, "expected_version": world.version(other, "IN-S1")}) == 404
    submit = client.post(f"/api/v1/assessments/{other.pk}/submit/", {}, format="json")
    assert submit.status_code == 404
    assert snapshot_of_everything() == before
    assert Assessment.objects.get(pk=other.pk).status == "draft"


def test_an_indicator_outside_the_assessments_instrument_is_refused(
    world: World, snapshot_of_everything
) -> None:
    """An SKM element (another instrument) in the URL, an unknown code in the body."""
    before = snapshot_of_everything()
    client = world.client("assessor")
    assert (
        _put(
            client,
            f"/api/v1/assessments/{world.official.pk}/answers/U1/",
            {"value": 1, "expected_version": 0},
        )
        == 404
    )
    response = client.post(
        f"/api/v1/assessments/{world.official.pk}/evidence/",
        {"indicator_code": "U1", "url": "https://example.org"},
        format="json",
    )
    assert response.status_code == 400
    assert "indicator_code" in response.json()
    assert snapshot_of_everything() == before


def test_evidence_of_another_assessment_is_404_under_this_one(
    world: World, langkat, cycle_current, snapshot_of_everything
) -> None:
    """The operator names its own assessment in the URL and the neighbour's evidence id."""
    dinsos = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat.units.get(code="dinsos"), kind="self"
    )
    foreign = evidence.add_link(
        dinsos, "PR-01", "https://example.org/dinsos", actor=world.users["other_unit_operator"]
    )
    before = snapshot_of_everything()
    client = world.client("operator")
    base = f"/api/v1/assessments/{world.self_assessment.pk}/evidence/{foreign.pk}"
    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/file/").status_code == 404
    assert (
        client.post(f"{base}/withdraw/", {"reason": "bukan milik saya"}, format="json").status_code
        == 404
    )
    # and the evidence of its own assessment under an assessment it cannot see
    own = f"/api/v1/assessments/{dinsos.pk}/evidence/{world.file_id}/"
    assert client.get(own).status_code == 404
    assert snapshot_of_everything() == before
    foreign.refresh_from_db()
    assert foreign.removed_at is None


def test_ids_in_the_body_do_not_redirect_a_write(
    world: World, langkat, cycle_current, snapshot_of_everything
) -> None:
    """Extra fields naming another assessment, indicator or version are ignored: the URL
    decides what is written, and nothing of the other assessment changes."""
    dinsos = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat.units.get(code="dinsos"), kind="self"
    )
    theirs = snapshot_of_everything()[0]
    theirs = [row for row in theirs if row[1] == dinsos.pk]
    client = world.client("operator")
    mine = world.self_assessment
    response = client.put(
        f"/api/v1/assessments/{mine.pk}/answers/IN-S1/",
        {
            "value": 1,
            "expected_version": world.version(mine, "IN-S1"),
            "assessment": dinsos.pk,
            "assessment_id": dinsos.pk,
            "indicator_code": "PR-01",
            "version": 99,
            "updated_by": world.users["other_unit_operator"].pk,
        },
        format="json",
    )
    assert response.status_code == 200
    saved = Answer.objects.get(assessment=mine, indicator_code="IN-S1")
    assert saved.value == 1
    assert saved.updated_by == world.users["operator"]
    created = client.post(
        f"/api/v1/assessments/{mine.pk}/evidence/",
        {"indicator_code": "PR-01", "url": "https://example.org/x", "assessment": dinsos.pk},
        format="json",
    )
    assert created.status_code == 201
    assert Evidence.objects.get(pk=created.json()["id"]).assessment_id == mine.pk
    after = [row for row in snapshot_of_everything()[0] if row[1] == dinsos.pk]
    assert after == theirs
    assert not Evidence.objects.filter(assessment=dinsos).exists()


def test_a_respondent_of_another_assessment_is_not_a_part_of_this_one(
    world: World, langkat, cycle_current, snapshot_of_everything
) -> None:
    other = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat.units.get(code="dinsos"), kind="official"
    )
    prepare_assessments([other, world.official])
    foreign = Respondent.objects.filter(assessment=other, group="implementers").first()
    before = snapshot_of_everything()
    response = world.client("assessor").put(
        f"/api/v1/assessments/{world.official.pk}/answers/IN-K1/",
        {
            "part": foreign.part_key,
            "value": 3,
            "expected_version": world.version(world.official, "IN-K1"),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "part" in response.json()
    assert snapshot_of_everything() == before


@pytest.mark.parametrize(
    ("version", "status"),
    [(-1, 400), (2**31, 400), (None, 400), ("1; DROP", 400), ("stale", 409), ("ahead", 409)],
)
def test_expected_version_games_change_nothing(
    world: World, snapshot_of_everything, version: Any, status: int
) -> None:
    mine = world.self_assessment
    current = world.version(mine, "IN-S1")
    if version == "stale":
        version = current - 1
    elif version == "ahead":
        version = current + 5
    before = snapshot_of_everything()
    response = world.client("coordinator").put(
        f"/api/v1/assessments/{mine.pk}/answers/IN-S1/",
        {"value": 0, "expected_version": version},
        format="json",
    )
    assert response.status_code == status, response.json()
    assert snapshot_of_everything() == before


def test_refused_and_hidden_saves_change_nothing(world: World, snapshot_of_everything) -> None:
    before = snapshot_of_everything()
    for role in ROLES:
        if role in SELF_FILLERS:
            continue
        for method in ("put", "patch"):
            getattr(world.client(role), method)(
                f"/api/v1/assessments/{world.self_assessment.pk}/answers/IN-S1/",
                {"value": 0, "note": "x", "expected_version": 1},
                format="json",
            )
        world.client(role).post(
            f"/api/v1/assessments/{world.self_assessment.pk}/evidence/{world.file_id}/withdraw/",
            {"reason": "x"},
            format="json",
        )
    assert snapshot_of_everything() == before
