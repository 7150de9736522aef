"""Every workspace URL × every role: who sees (200), who is refused an action (403), who must
not even learn the object exists (404), and who is sent to the login page (302).

The objects are Langkat's Dinas Kesehatan assessments in the cycle in progress: its
self-assessment (filled by the unit's operator and the pemda's coordinator) and its official
assessment (filled by the assessor assigned to Langkat).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import personas
import pytest
from personas import Cast, SignsIn, add_pdf, add_png
from PIL import Image

from patuh.assessments import comments
from patuh.assessments.models import Answer, Assessment, Comment
from patuh.core.models import AuditEvent

ROLES = (
    "anonymous",
    "national_admin",
    "regional_admin",
    "assessor",
    "unassigned_assessor",
    "verifier",
    "coordinator",
    "operator",
    "other_unit_operator",
    "outsider",
)
VIEWERS = {
    "national_admin",
    "regional_admin",
    "assessor",
    "verifier",
    "coordinator",
    "operator",
}
"""Everyone who may see Langkat Dinas Kesehatan's assessments."""


def expected(allowed: set[str], refused: set[str] = frozenset()) -> dict[str, int]:
    """200 for ``allowed``, 403 for ``refused``, 302 (login) for anonymous, 404 otherwise."""
    return personas.expected(ROLES, allowed, refused, anonymous=302)


@dataclass
class World(SignsIn):
    users: dict[str, Any]
    self_assessment: Assessment
    official: Assessment
    file_id: int
    image_id: int
    comment_id: int
    year: int
    cycle_id: int

    @property
    def product_id(self) -> int:
        return self.self_assessment.service_unit.products.order_by("pk").first().pk


@pytest.fixture
def world(db, settings, tmp_path, cast: Cast) -> World:
    settings.MEDIA_ROOT = tmp_path
    users = cast.users(ROLES)
    self_assessment = cast.assessment("self")
    official = cast.assessment("official")
    item = add_pdf(self_assessment, "PR-06", "maklumat.pdf", actor=cast.operator)
    image = add_png(self_assessment, "PR-10", "atribut-petugas.png", actor=cast.operator)
    comment = comments.add_comment(
        self_assessment, "PR-06", "Maklumat belum ditandatangani.", actor=cast.coordinator
    )
    return World(
        users,
        self_assessment,
        official,
        item.pk,
        image.pk,
        comment.pk,
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


def _save(assessment_attr: str, code: str = "IN-S1") -> Any:
    return lambda w: f"/assessments/{getattr(w, assessment_attr).pk}/indicators/{code}/"


SELF_FILLERS = {"coordinator", "operator"}
VERIFIERS = {"national_admin", "verifier"}
STANDARD_KEEPERS = {"national_admin", "coordinator", "operator"}
CASES = [
    Case("home", "GET", lambda w: "/", {}, dict.fromkeys(ROLES, 200)),
    Case(
        "cycle",
        "GET",
        lambda w: f"/cycles/{w.year}/",
        {},
        expected(VIEWERS | {"other_unit_operator", "outsider"}),
    ),
    Case(
        "government result",
        "GET",
        lambda w: "/cycles/2023/governments/12.05/",
        {},
        expected(VIEWERS | {"other_unit_operator"}),
    ),
    Case(
        "readiness",
        "GET",
        lambda w: f"/cycles/{w.year}/governments/12.05/readiness/",
        {},
        expected(VIEWERS | {"other_unit_operator"}),
    ),
    Case(
        "compare",
        "GET",
        lambda w: "/cycles/2023/governments/12.05/compare/",
        {},
        expected(VIEWERS | {"other_unit_operator"}),
    ),
    Case(
        "manage cycle",
        "GET",
        lambda w: f"/cycles/manage/{w.cycle_id}/",
        {},
        expected(
            {"national_admin", "regional_admin"},
            refused={
                "assessor",
                "verifier",
                "coordinator",
                "operator",
                "other_unit_operator",
                "outsider",
            },
        ),
    ),
    Case(
        "choose a cycle's sites",
        "GET",
        lambda w: f"/cycles/manage/{w.cycle_id}/sites/",
        {},
        expected(
            {"national_admin", "regional_admin"},
            refused={
                "assessor",
                "verifier",
                "coordinator",
                "operator",
                "other_unit_operator",
                "outsider",
            },
        ),
    ),
    Case(
        "open a cycle",
        "GET",
        lambda w: "/cycles/new/",
        {},
        {
            role: 302
            if role == "anonymous"
            else 200
            if role in ("national_admin", "regional_admin")
            else 403
            for role in ROLES
        },
    ),
    Case(
        "manage cycle: assign",
        "POST",
        lambda w: f"/cycles/manage/{w.cycle_id}/",
        lambda w: {
            "action": "assign",
            "government": "12.10",
            "assessor": w.users["unassigned_assessor"].pk,
        },
        {
            **expected(
                set(),
                refused={
                    "assessor",
                    "verifier",
                    "coordinator",
                    "operator",
                    "other_unit_operator",
                    "outsider",
                },
            ),
            "national_admin": 302,
            "regional_admin": 302,
        },
    ),
    Case(
        "self-assessment page",
        "GET",
        lambda w: f"/assessments/{w.self_assessment.pk}/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "official assessment page",
        "GET",
        lambda w: f"/assessments/{w.official.pk}/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "result panel",
        "GET",
        lambda w: f"/assessments/{w.self_assessment.pk}/result/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "history",
        "GET",
        lambda w: f"/assessments/{w.self_assessment.pk}/history/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "save a self-assessment answer",
        "POST",
        _save("self_assessment"),
        {"value": "2"},
        {**expected(set(), refused=VIEWERS - SELF_FILLERS), "operator": 302, "coordinator": 302},
    ),
    Case(
        "save an official answer",
        "POST",
        _save("official"),
        {"version": "0", "value": "2"},
        {**expected(set(), refused=VIEWERS - {"assessor"}), "assessor": 302},
    ),
    Case(
        "respondents and products",
        "POST",
        lambda w: f"/assessments/{w.official.pk}/people/",
        {},
        {**expected(set(), refused=VIEWERS - {"assessor"}), "assessor": 302},
    ),
    Case(
        "add evidence",
        "POST",
        lambda w: f"/assessments/{w.self_assessment.pk}/indicators/PR-01/evidence/",
        {"url": "https://example.org/persyaratan", "title": "Persyaratan"},
        {**expected(set(), refused=VIEWERS - SELF_FILLERS), "operator": 302, "coordinator": 302},
    ),
    Case(
        "download evidence",
        "GET",
        lambda w: f"/evidence/{w.file_id}/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "evidence thumbnail",
        "GET",
        lambda w: f"/evidence/{w.image_id}/thumbnail/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "comment",
        "POST",
        lambda w: f"/assessments/{w.self_assessment.pk}/indicators/PR-06/comments/",
        {"body": "Catatan"},
        {**expected(set()), **dict.fromkeys(VIEWERS, 302)},
    ),
    Case(
        "resolve a comment",
        "POST",
        lambda w: f"/assessments/{w.self_assessment.pk}/comments/{w.comment_id}/resolve/",
        {"resolved": "1"},
        {**expected(set()), **dict.fromkeys(VIEWERS, 302)},
    ),
    Case(
        "verify (workflow)",
        "POST",
        lambda w: f"/assessments/{w.official.pk}/workflow/verify/",
        {},
        {**expected(set(), refused=VIEWERS - VERIFIERS), **dict.fromkeys(VERIFIERS, 302)},
    ),
    Case(
        "request changes",
        "POST",
        lambda w: f"/assessments/{w.official.pk}/indicators/IN-S1/request-changes/",
        {"note": "Lampirkan SK"},
        {**expected(set(), refused=VIEWERS - VERIFIERS), **dict.fromkeys(VERIFIERS, 302)},
    ),
    Case(
        "publish a government",
        "POST",
        lambda w: f"/cycles/{w.year}/governments/12.05/workflow/publish/",
        {},
        {
            **expected(set(), refused=VIEWERS - VERIFIERS | {"other_unit_operator"}),
            **dict.fromkeys(VERIFIERS, 302),
        },
    ),
    Case(
        "follow-up page",
        "GET",
        lambda w: f"/cycles/{w.year}/governments/12.05/follow-up/",
        {},
        expected(VIEWERS | {"other_unit_operator"}),
    ),
    Case(
        "service standards of the unit",
        "GET",
        lambda w: f"/units/{w.self_assessment.service_unit_id}/standards/",
        {},
        expected(VIEWERS),
    ),
    Case(
        "edit a service standard",
        "GET",
        lambda w: f"/units/{w.self_assessment.service_unit_id}/standards/{w.product_id}/",
        {},
        expected(STANDARD_KEEPERS, refused=VIEWERS - STANDARD_KEEPERS),
    ),
    Case(
        "public service standard page",
        "GET",
        lambda w: "/publik/unit/12.05/dinkes/",
        {},
        dict.fromkeys(ROLES, 200),
    ),
    Case(
        "submit",
        "POST",
        lambda w: f"/assessments/{w.self_assessment.pk}/submit/",
        {},
        {**expected(set(), refused=VIEWERS - SELF_FILLERS), "operator": 302, "coordinator": 302},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_each_role_gets_exactly_what_it_should(world: World, case: Case, role: str) -> None:
    url = case.url(world)
    data = case.data(world) if callable(case.data) else case.data
    client = world.client(role)
    response = client.get(url) if case.method == "GET" else client.post(url, data)
    assert response.status_code == case.codes[role], (case.name, role, url)
    if response.status_code == 302:
        login_page = response["Location"].startswith("/accounts/login/")
        assert login_page == (role == "anonymous"), response["Location"]


def test_refused_and_hidden_saves_change_nothing(world: World) -> None:
    # signing in is audited too, so every client signs in before the count is taken
    clients = [world.client(role) for role in ROLES if role not in SELF_FILLERS]
    before = AuditEvent.objects.count()
    for client in clients:
        client.post(
            f"/assessments/{world.self_assessment.pk}/indicators/IN-S1/",
            {"version": "1", "value": "0"},
        )
    assert AuditEvent.objects.count() == before
    assert Answer.objects.get(assessment=world.self_assessment, indicator_code="IN-S1").version == 1


def test_another_pemdas_coordinator_gets_404_on_langkats_assessment_files_and_comments(
    world: World,
) -> None:
    client = world.client("outsider")
    assessment = world.self_assessment.pk
    for url in (
        f"/assessments/{assessment}/",
        f"/assessments/{assessment}/history/",
        f"/evidence/{world.file_id}/",
        f"/evidence/{world.file_id}/thumbnail/",
    ):
        assert client.get(url).status_code == 404, url
    for url, data in (
        (f"/assessments/{assessment}/indicators/PR-06/comments/", {"body": "Halo"}),
        (f"/assessments/{assessment}/comments/{world.comment_id}/resolve/", {"resolved": "1"}),
    ):
        assert client.post(url, data).status_code == 404, url
    assert Comment.objects.filter(assessment=world.self_assessment).count() == 1


def test_evidence_is_served_as_an_attachment_that_browsers_will_not_sniff(world: World) -> None:
    response = world.client("verifier").get(f"/evidence/{world.file_id}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="maklumat.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_a_thumbnail_is_a_small_jpeg_served_inline(world: World) -> None:
    response = world.client("operator").get(f"/evidence/{world.image_id}/thumbnail/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert max(thumbnail.size) == 320


def test_a_pekppp_f02_is_filled_by_its_evaluator_and_its_pages_keep_the_scope(
    world: World, cast: Cast
) -> None:
    """The PEKPPP routes (``/pekppp/<year>/…``) and the F-02 of a PEKPPP cycle beside the
    Ombudsman's: every role as above, plus the KemenPAN-RB evaluator assigned to Langkat.
    The Ombudsman's assessor sees what its assignment lets it see but never fills the F-02."""
    from patuh.accounts.roles import Role
    from patuh.assessments.models import AssessorAssignment, Cycle

    Cycle.objects.filter(program="pekppp", year=2024, province=cast.sumut).delete()
    pekppp = Cycle.objects.create(
        year=2024, name="PEKPPP 2024", instrument_code="pekppp-2024", province=cast.sumut
    )
    f02 = Assessment.objects.create(cycle=pekppp, service_unit=cast.langkat_dinkes, kind="official")
    Assessment.objects.create(cycle=pekppp, service_unit=cast.langkat_dinkes, kind="self")
    import datetime as dt

    from patuh.assessments.models import CycleStage, Stage

    CycleStage.objects.create(
        cycle=pekppp,
        stage=Stage.DATA_COLLECTION,
        starts_on=dt.date.today() - dt.timedelta(days=1),
        ends_on=dt.date.today() + dt.timedelta(days=9),
    )
    evaluator = personas.persona("eva.langkat", Role.EVALUATOR, province=cast.sumut)
    AssessorAssignment.objects.create(cycle=pekppp, government=cast.langkat, assessor=evaluator)
    world.users["evaluator"] = evaluator
    roles = (*ROLES, "evaluator")
    page = personas.expected(roles, VIEWERS | {"other_unit_operator", "evaluator"}, anonymous=302)
    save = personas.expected(roles, set(), refused=VIEWERS, anonymous=302)
    save["evaluator"] = 302  # saved; a plain form post goes back to the page
    for role in roles:
        client = world.client(role)
        response = client.get("/pekppp/2024/governments/12.05/")
        assert response.status_code == page[role], ("page", role)
        response = client.post(
            f"/assessments/{f02.pk}/indicators/KP-01/", {"value": "2", "version": "0"}
        )
        assert response.status_code == save[role], ("save", role)
    assert list(f02.answers.values_list("indicator_code", "value")) == [("KP-01", 2)]
