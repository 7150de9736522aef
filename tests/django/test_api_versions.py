"""The API under ``/api/v1/`` (the schema and reference describe it), the unversioned
``/api/`` still answering as before for older clients, and ``?ordering=`` on the list
endpoints from an explicit allow-list per endpoint."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

LIST_ENDPOINTS = {
    "governments": {"region_code", "name", "kind"},
    "units": {"government", "code", "name", "type"},
    "cycles": {"year", "province"},
    "assessments": {"cycle", "government", "unit", "kind", "status", "updated_at"},
    "survey-responses": {"submitted_at", "unit", "kind"},
    "results": {"cycle", "government", "score", "published_at"},
}


@pytest.fixture(autouse=True)
def _no_throttle_carry_over():
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def schema() -> dict:
    response = APIClient().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def test_the_names_of_the_api_resolve_under_v1(db):
    assert reverse("api:root") == "/api/v1/"
    assert reverse("api:schema") == "/api/v1/schema/"
    assert reverse("api:government-list") == "/api/v1/governments/"


def test_the_unversioned_api_has_exactly_the_routes_and_views_of_v1(db):
    """So the route-coverage tests (test_idor.py, test_download_authorization.py), which
    check the api: names, cover both."""
    from django.urls import get_resolver

    def routes(namespace: str) -> dict[str, tuple[str, object]]:
        (included,) = [
            p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == namespace
        ]
        return {
            p.name: (
                str(p.pattern),
                getattr(p.callback, "cls", p.callback),
                getattr(p.callback, "actions", None),
            )
            for p in included.url_patterns
        }

    assert routes("api-unversioned") == routes("api")
    assert len(routes("api")) > 20


def test_the_unversioned_api_answers_as_v1_does(coordinator):
    client = signed_in(coordinator)
    versioned = client.get("/api/v1/governments/")
    unversioned = client.get("/api/governments/")
    assert versioned.status_code == unversioned.status_code == 200
    assert versioned.json() == unversioned.json()
    assert client.get("/api/v1/rankings/2022/").json() == client.get("/api/rankings/2022/").json()


def test_an_unknown_path_under_v1_is_a_json_404(coordinator):
    response = signed_in(coordinator).get("/api/v1/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_schema_describes_v1_only_and_says_so(schema):
    paths = list(schema["paths"])
    assert "/api/v1/governments/" in paths
    assert all(path.startswith("/api/v1/") for path in paths), paths
    assert schema["info"]["version"] == "1"


def test_the_legacy_schema_address_serves_the_same_v1_schema(schema):
    response = APIClient().get("/api/schema/?format=json")
    assert list(response.json()["paths"]) == list(schema["paths"])


def test_the_reference_page_points_to_the_v1_schema(client, coordinator):
    client.force_login(coordinator)
    page = client.get("/api/v1/docs/").content.decode()
    assert 'href="/api/v1/schema/"' in page


@pytest.mark.parametrize(("endpoint", "allowed"), sorted(LIST_ENDPOINTS.items()))
def test_each_list_endpoint_documents_its_ordering_fields(schema, endpoint, allowed):
    (parameter,) = [
        p
        for p in schema["paths"][f"/api/v1/{endpoint}/"]["get"]["parameters"]
        if p["name"] == "ordering"
    ]
    for name in allowed:
        assert name in parameter["description"]


def test_governments_are_ordered_by_name_descending(verifier):
    client = signed_in(verifier)
    rows = client.get("/api/v1/governments/?ordering=-name&page_size=200").json()["results"]
    names = [row["name"] for row in rows]
    assert len(names) > 1
    assert names == sorted(names, reverse=True)
    default = client.get("/api/v1/governments/?page_size=200").json()["results"]
    codes = [row["region_code"] for row in default]
    assert codes == sorted(codes)  # without ?ordering= the usual order


def test_several_ordering_fields_apply_in_turn(verifier):
    client = signed_in(verifier)
    rows = client.get("/api/v1/cycles/?ordering=year,-province&page_size=200").json()["results"]
    years = [row["year"] for row in rows]
    assert years == sorted(years)


def test_ordering_stays_within_the_users_scope(coordinator):
    rows = signed_in(coordinator).get("/api/v1/governments/?ordering=-name").json()["results"]
    assert [row["region_code"] for row in rows] == ["12.05"]


@pytest.mark.parametrize("ordering", ["password", "-service_unit__government__name", "nama"])
def test_ordering_by_a_field_outside_the_allow_list_is_a_400_naming_it(verifier, ordering):
    response = signed_in(verifier).get(f"/api/v1/assessments/?ordering={ordering}")
    assert response.status_code == 400
    (message,) = response.json()["ordering"]
    assert f"'{ordering.removeprefix('-')}'" in message
    assert "updated_at" in message  # the choices are named
