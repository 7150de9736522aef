"""Fixtures shared by the concurrency tests: a small assessment of its own, committed for real."""

from __future__ import annotations

from typing import Any

import pytest

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment, AssessorAssignment, Cycle
from patuh.orgs.models import Government, Province, ServiceUnit


@pytest.fixture
def assessment(transactional_db) -> Assessment:
    province = Province.objects.create(region_code="99", name="Provinsi Uji")
    government = Government.objects.create(
        kind="kabupaten", region_code="99.01", name="Kabupaten Uji", province=province
    )
    unit = ServiceUnit.objects.create(
        government=government, code="dinkes", name="Dinas Kesehatan", type="dinkes"
    )
    cycle = Cycle.objects.create(
        year=2023, name="Siklus uji", instrument_code="ombudsman-2023", province=province
    )
    return Assessment.objects.create(cycle=cycle, service_unit=unit, kind="official")


@pytest.fixture
def assessors(assessment, django_user_model, settings) -> list[Any]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    users = []
    for name in ("ani", "budi", "citra", "dedi", "eka", "fajar", "gita", "hadi"):
        user = django_user_model.objects.create_user(name, password="x")
        Membership.objects.create(
            user=user, role=Role.ASSESSOR, province=assessment.service_unit.government.province
        )
        AssessorAssignment.objects.create(
            cycle=assessment.cycle, government=assessment.service_unit.government, assessor=user
        )
        users.append(user)
    return users
