"""A bounded schemathesis run against /api/v1/schema/: every operation, generated requests
(valid and invalid), as a national admin and as the assessor assigned to Langkat. No request
may end in a server error, and every response must match the schema (status code, content
type, body).

The WSGI app runs in this process on the test's own database connection, so every write a
generated request makes is rolled back with the test. Generated path parameters are mixed
with real ids (Langkat's assessments, their evidence, a published result…) so that requests
reach the code behind the 404s, and most generated saves carry the current
``expected_version`` so that they reach ``save_answer`` itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.api.tokens import create_token
from patuh.assessments import evidence
from patuh.assessments.models import Answer, Assessment
from patuh.results.models import ResultSnapshot
from patuh.scoring import load_instrument
from patuh.surveys import services as survey_services
from patuh.wsgi import application

ASSESSOR_EXAMPLES = 6
ADMIN_EXAMPLES = 15
"""Generated requests per operation, on top of the assessor's coverage phase (boundary and
invalid values of every parameter and body field); the whole run stays under 90 seconds."""
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SCHEMA_URL = "/api/v1/schema/?format=json"
schema = schemathesis.openapi.from_wsgi(
    SCHEMA_URL,
    application,
    config=SchemathesisConfig.from_dict(
        # the coverage phase also sends the methods an operation does not take: these four
        # are the ones a client could mean (TRACE, QUERY… add time, not information)
        {"phases": {"coverage": {"unexpected-methods": ["DELETE", "PATCH", "POST", "PUT"]}}}
    ),
)
admin_schema = schemathesis.openapi.from_wsgi(
    SCHEMA_URL,
    application,
    config=SchemathesisConfig.from_dict(
        # the schema's request examples (path parameters filled in) and generated requests;
        # the boundary values are the assessor's run, who may also write
        {"phases": {"coverage": {"enabled": False}, "examples": {"fill-missing": True}}}
    ),
)

KNOWN: dict[str, list[Any]] = {}
"""Real values for path parameters, filled by the ``known_ids`` fixture before each test."""
CALLS: Counter[tuple[str, str, int]] = Counter()
"""Requests made per persona, operation and status code (printed at the end with ``-s``)."""
PERSONA: list[str] = [""]


SECONDS: Counter[str] = Counter()
"""Time spent per documented operation, all personas."""


def after_call(context: Any, case: Any, response: Any) -> None:
    CALLS[(PERSONA[0], f"{case.method} {case.operation.path}", response.status_code)] += 1
    SECONDS[f"{case.method} {case.operation.path}"] += response.elapsed


schema.hook(after_call)
admin_schema.hook(after_call)


@pytest.fixture(scope="module", autouse=True)
def _report_calls():
    yield
    documented = {
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in item
        if method in ("get", "put", "patch", "post", "delete")
    }
    reached = {operation for _persona, operation, _status in CALLS} & documented
    print(
        f"\nschemathesis: {len(reached)} of {len(documented)} operations, "
        f"{sum(CALLS.values())} requests"
    )
    for (persona, operation, status), count in sorted(CALLS.items()):
        print(f"  {persona}: {operation} → {status}: {count}")
    for operation, seconds in SECONDS.most_common(8):
        print(f"  {seconds:6.1f} s  {operation}")


def _choices(case: Any, name: str) -> list[Any]:
    if name == "id":  # /api/v1/<resource>/{id}/: the resource's own ids
        resource = case.operation.path.split("/")[2]
        return KNOWN.get(f"{resource}:id", [])
    return KNOWN.get(name, [])


def use_real_ids(case: Any) -> None:
    """Swap some generated path parameters for real ones, deterministically (the examples
    of the coverage phase are built before any fixture runs), and give two valid saves in
    three the version stored now so that they reach ``save_answer`` (the others mostly get
    409); the schema's examples (versions 0 and 1) are among the two."""
    for name, value in list(case.path_parameters.items()):
        choices = _choices(case, name)
        if not choices or isinstance(value, bool):
            continue
        if isinstance(value, int):
            index = value % (len(choices) + 1)
        elif isinstance(value, str):
            index = len(value) % (len(choices) + 1)
        else:
            continue
        if index < len(choices):  # the last slot keeps the generated value
            case.path_parameters[name] = choices[index]
    owner = KNOWN["evidence_owner"].get(case.path_parameters.get("evidence_pk"))
    if owner is not None and case.path_parameters.get("assessment_pk") in KNOWN["assessment_pk"]:
        case.path_parameters["assessment_pk"] = owner
    body = case.body
    pk = case.path_parameters.get("assessment_pk")
    code = case.path_parameters.get("indicator_code")
    if (
        case.method in ("PUT", "PATCH")
        and isinstance(body, dict)
        and isinstance(body.get("expected_version"), int)
        and not isinstance(body["expected_version"], bool)
        and body["expected_version"] % 3 != 2
        and isinstance(pk, int)
        and isinstance(code, str)
    ):
        answer = Answer.objects.filter(assessment_id=pk, indicator_code=code).first()
        body["expected_version"] = answer.version if answer else 0


@pytest.fixture
def same_connection():
    """Keep Django's request signals from closing the test's connection mid-transaction
    (the test client does the same for its requests)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    cache.clear()


@pytest.fixture
def known_ids(db, settings, tmp_path, cycle_current, langkat, labuhanbatu, assessor):
    settings.MEDIA_ROOT = tmp_path
    now = Assessment.objects.filter(cycle=cycle_current, service_unit__government=langkat)
    official = now.get(kind="official", service_unit__code="dinkes")
    item = evidence.add_file(
        official,
        "PR-06",
        SimpleUploadedFile("maklumat.pdf", b"%PDF-1.4\n%%EOF\n"),
        actor=assessor,
    )
    link = evidence.add_link(official, "PR-01", "https://example.org/a", actor=assessor)
    response = survey_services.submit(
        official.service_unit,
        cycle_current,
        "skm",
        {q.code: 3 for q in survey_services.questions("skm", cycle_current)},
        {},
    )
    assessments = [
        official.pk,  # the assessor fills it
        now.get(kind="official", service_unit__code="dinsos").pk,  # and this one
        now.get(kind="self", service_unit__code="dinkes").pk,  # the unit's: 403
        Assessment.objects.filter(cycle__year=2023, service_unit__government=langkat)
        .order_by("pk")
        .first()
        .pk,  # seen, not assigned that year: 403
        Assessment.objects.filter(cycle=cycle_current, service_unit__government=labuhanbatu)
        .order_by("pk")
        .first()
        .pk,  # not assigned: 404 for the assessor
    ]
    KNOWN.clear()
    KNOWN.update(
        {
            "assessment_pk": assessments,
            "assessments:id": assessments,
            "units:id": [official.service_unit_id, labuhanbatu.units.first().pk],
            "cycles:id": [
                cycle_current.pk,
                *Assessment.objects.values_list("cycle", flat=True)[:1],
            ],
            "results:id": list(
                ResultSnapshot.objects.filter(published_at__isnull=False).values_list(
                    "pk", flat=True
                )[:2]
            )
            + list(
                ResultSnapshot.objects.filter(published_at__isnull=True).values_list(
                    "pk", flat=True
                )[:1]
            ),
            "survey-responses:id": [response.pk],
            "indicator_code": [*load_instrument(cycle_current.instrument_code).indicators, "U1"],
            "evidence_pk": [item.pk, link.pk],
            "evidence_owner": {item.pk: official.pk, link.pk: official.pk},
            "region_code": ["12.05", "12.10", "11"],
            "year": [2022, 2023, cycle_current.year],
        }
    )
    yield
    KNOWN.clear()


@pytest.fixture
def national_admin_token(db, django_user_model) -> str:
    user = django_user_model.objects.create_user("nadia.nasional", password="x")
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return create_token(user, actor=None).key


@pytest.fixture
def assessor_token(assessor) -> str:
    return create_token(assessor, actor=None).key


HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": list(HealthCheck),
}


@admin_schema.parametrize()
@settings(max_examples=ADMIN_EXAMPLES, phases=[Phase.explicit, Phase.generate], **HYPOTHESIS)
def test_as_a_national_admin(case, known_ids, same_connection, national_admin_token):
    PERSONA[0] = "national admin"
    use_real_ids(case)
    case.call_and_validate(
        headers={"Authorization": f"Token {national_admin_token}"}, checks=CHECKS
    )


@schema.parametrize()
@settings(max_examples=ASSESSOR_EXAMPLES, phases=[Phase.explicit, Phase.generate], **HYPOTHESIS)
def test_as_the_assigned_assessor(case, known_ids, same_connection, assessor_token):
    PERSONA[0] = "assessor"
    use_real_ids(case)
    case.call_and_validate(headers={"Authorization": f"Token {assessor_token}"}, checks=CHECKS)
