"""The personas and objects the authorization tests share.

``test_workspace_authorization.py``, ``test_api_authorization.py``,
``test_download_authorization.py`` and ``test_idor.py`` all start from conftest's personas
(:class:`Cast`, the ``cast`` fixture), add a few more (:meth:`Cast.users`, :func:`persona`),
attach evidence to Langkat's Dinas Kesehatan assessments in the cycle in progress and expect
one status code per role (:func:`expected`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments import evidence
from patuh.assessments.models import Assessment, Cycle, Evidence
from patuh.orgs.models import Government, Province, ServiceUnit

PDF = b"%PDF-1.4\n%%EOF\n"


def persona(username: str, role: str, **scope: Any) -> Any:
    """A new user with one membership (``role`` within ``scope``)."""
    user = get_user_model().objects.create_user(username, password="x")
    Membership.objects.create(user=user, role=role, **scope)
    return user


def expected(
    roles: Iterable[str],
    allowed: frozenset[str] | set[str],
    refused: frozenset[str] | set[str] = frozenset(),
    *,
    anonymous: int,
    ok: int = 200,
) -> dict[str, int]:
    """``ok`` for ``allowed``, 403 for ``refused``, ``anonymous`` for anonymous, 404 otherwise."""
    codes = {}
    for role in roles:
        if role == "anonymous":
            codes[role] = anonymous
        elif role in allowed:
            codes[role] = ok
        elif role in refused:
            codes[role] = 403
        else:
            codes[role] = 404
    return codes


def png(size: tuple[int, int] = (640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def add_pdf(assessment: Assessment, code: str, name: str, actor: Any) -> Evidence:
    return evidence.add_file(assessment, code, SimpleUploadedFile(name, PDF), actor=actor)


def add_png(assessment: Assessment, code: str, name: str, actor: Any) -> Evidence:
    return evidence.add_file(assessment, code, SimpleUploadedFile(name, png()), actor=actor)


class SignsIn:
    """``client(role)``: a test client signed in as ``users[role]`` (or not, for anonymous)."""

    users: dict[str, Any]

    def client(self, role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(self.users[role])
        return client


@dataclass
class Cast:
    """Conftest's personas and the places they belong to."""

    sumut: Province
    langkat: Government
    langkat_dinkes: ServiceUnit
    cycle_current: Cycle
    regional_admin: Any
    assessor: Any
    verifier: Any
    coordinator: Any
    operator: Any
    outsider: Any

    def assessment(self, kind: str, unit: ServiceUnit | None = None) -> Assessment:
        """The ``kind`` assessment of ``unit`` (Langkat's Dinas Kesehatan) this cycle."""
        return Assessment.objects.get(
            cycle=self.cycle_current, service_unit=unit or self.langkat_dinkes, kind=kind
        )

    def users(self, roles: Iterable[str], *, aceh_admin: str = "ahmad.aceh") -> dict[str, Any]:
        """Role → user for every role but anonymous, in the order of ``roles``: conftest's
        personas, and new ones for ``national_admin``, ``other_regional_admin`` (Aceh's
        office, named ``aceh_admin``), ``unassigned_assessor`` (of Sumatera Utara) and
        ``other_unit_operator`` (Langkat's Dinas Sosial)."""
        return {role: self._user(role, aceh_admin) for role in roles if role != "anonymous"}

    def _user(self, role: str, aceh_admin: str) -> Any:
        match role:
            case "national_admin":
                return persona("nina.nasional", Role.NATIONAL_ADMIN)
            case "other_regional_admin":
                return persona(
                    aceh_admin,
                    Role.REGIONAL_OFFICE_ADMIN,
                    province=Province.objects.get(region_code="11"),
                )
            case "unassigned_assessor":
                return persona("udin.penilai", Role.ASSESSOR, province=self.sumut)
            case "other_unit_operator":
                return persona(
                    "oki.dinsos",
                    Role.UNIT_OPERATOR,
                    service_unit=self.langkat.units.get(code="dinsos"),
                )
            case _:
                return getattr(self, role)


def open_pekppp_cycle(province: Province, sites: list[ServiceUnit], actor: Any, year: int) -> Cycle:
    """A PEKPPP cycle of ``province`` opened by ``actor`` (replacing the demo's of that year),
    with its self-assessment and data-collection windows open around today and ``sites`` as
    its lokus (their official assessments created)."""
    import datetime as dt

    from patuh.assessments import campaigns
    from patuh.assessments.models import Program, Stage

    Cycle.objects.filter(program=Program.PEKPPP, year=year, province=province).delete()
    cycle = campaigns.open_cycle(
        year=year, instrument_code="pekppp-2024", province=province, actor=actor
    )
    today = dt.date.today()
    for stage in (Stage.SELF_ASSESSMENT, Stage.DATA_COLLECTION):
        campaigns.set_stage_dates(
            cycle, stage, today - dt.timedelta(days=5), today + dt.timedelta(days=30), actor=actor
        )
    campaigns.choose_sites(cycle, sites, actor=actor)
    return cycle
