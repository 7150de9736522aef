"""Integration tests share one database with the demo loaded once per session.

Each test runs in a transaction that is rolled back, so the demo stays intact; tests here
must not use ``transactional_db`` (its flush would empty the shared data).

Personas (in the spirit of alice/bob/charlie): ``assessor`` (Ombudsman Perwakilan Sumatera
Utara, assigned to Langkat in the cycle in progress), ``regional_admin`` (that office's
admin), ``verifier`` (headquarters), ``coordinator`` (Pemkab Langkat), ``operator`` (Dinas
Kesehatan Langkat) and ``outsider`` (the coordinator of another kabupaten, Labuhanbatu).
"""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from personas import Cast

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment, AssessorAssignment, Cycle
from patuh.demo.current import current_year
from patuh.orgs.models import Government, Province, ServiceUnit

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and throttles count in the cache, which a rollback does not undo."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _fast_passwords):
    with django_db_blocker.unblock():
        call_command("demo", stdout=io.StringIO())


def _persona(username: str, role: str, **scope) -> object:
    user = get_user_model().objects.create_user(username, password="rahasia-uji")
    Membership.objects.create(user=user, role=role, **scope)
    return user


@pytest.fixture
def sumut(db) -> Province:
    return Province.objects.get(region_code="12")


@pytest.fixture
def langkat(db) -> Government:
    return Government.objects.get(region_code="12.05")


@pytest.fixture
def labuhanbatu(db) -> Government:
    return Government.objects.get(region_code="12.10")


@pytest.fixture
def cycle_2023(db) -> Cycle:
    return Cycle.objects.get(year=2023)


@pytest.fixture
def cycle_2022(db) -> Cycle:
    return Cycle.objects.get(year=2022)


@pytest.fixture
def cycle_current(db) -> Cycle:
    """The demo's cycle in progress (this year), its windows open around today."""
    return Cycle.objects.get(year=current_year())


@pytest.fixture
def langkat_dinkes(langkat) -> ServiceUnit:
    return langkat.units.get(code="dinkes")


@pytest.fixture
def langkat_dinkes_2023(cycle_2023, langkat_dinkes) -> Assessment:
    return Assessment.objects.get(cycle=cycle_2023, service_unit=langkat_dinkes, kind="official")


@pytest.fixture
def assessor(sumut, langkat, cycle_current):
    user = _persona("andi.penilai", Role.ASSESSOR, province=sumut)
    AssessorAssignment.objects.create(cycle=cycle_current, government=langkat, assessor=user)
    return user


@pytest.fixture
def regional_admin(sumut):
    return _persona("rina.perwakilan", Role.REGIONAL_OFFICE_ADMIN, province=sumut)


@pytest.fixture
def verifier(db):
    return _persona("vera.verifikator", Role.VERIFIER)


@pytest.fixture
def coordinator(langkat):
    return _persona("kiki.koordinator", Role.GOVERNMENT_COORDINATOR, government=langkat)


@pytest.fixture
def operator(langkat_dinkes):
    return _persona("opi.operator", Role.UNIT_OPERATOR, service_unit=langkat_dinkes)


@pytest.fixture
def outsider(labuhanbatu):
    return _persona("olan.luar", Role.GOVERNMENT_COORDINATOR, government=labuhanbatu)


@pytest.fixture
def cast(
    sumut,
    langkat,
    langkat_dinkes,
    cycle_current,
    regional_admin,
    assessor,
    verifier,
    coordinator,
    operator,
    outsider,
) -> Cast:
    """The personas above and the places they belong to, as one object (see personas.py)."""
    return Cast(
        sumut,
        langkat,
        langkat_dinkes,
        cycle_current,
        regional_admin,
        assessor,
        verifier,
        coordinator,
        operator,
        outsider,
    )


@pytest.fixture
def login():
    """``login(user)`` → a test client signed in as ``user``."""

    def _login(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login
