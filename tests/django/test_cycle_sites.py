"""Sites as the Ombudsman chooses them: from the 2025 cycle the regional office picks the
entities and units of the official assessment (a sample), the pemda never adds units, and the
unit kinds of the 2025 sample (panti sosial, sekolah, Imigrasi, Lapas, Bapas) exist."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from personas import persona
from rest_framework.test import APIClient

from patuh.accounts.roles import Role
from patuh.assessments import campaigns
from patuh.assessments.models import Answer, Assessment, Cycle
from patuh.core.models import AuditEvent
from patuh.orgs.models import UNIT_SECTORS, Government, Sector, ServiceUnit, UnitType, sector_of
from patuh.scoring import UNIT_TYPES, load_instrument

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(sumut) -> Cycle:
    """A regional 2025 cycle of Sumatera Utara on the 2025+ method, nothing chosen yet."""
    return Cycle.objects.create(
        year=2025, name="Opini 2025 Sumatera Utara", instrument_code="opini-2025", province=sumut
    )


@pytest.fixture
def national_admin(db):
    return persona("nina.nasional", Role.NATIONAL_ADMIN)


@pytest.fixture
def aceh_admin(db):
    from patuh.orgs.models import Province

    return persona(
        "ahmad.aceh", Role.REGIONAL_OFFICE_ADMIN, province=Province.objects.get(region_code="11")
    )


def url(cycle: Cycle) -> str:
    return f"/cycles/manage/{cycle.pk}/sites/"


def official(cycle: Cycle) -> dict[str, str]:
    return dict(
        Assessment.objects.filter(cycle=cycle, kind="official").values_list(
            "service_unit__code", "status"
        )
    )


# -- which cycles choose their sites -------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "chosen"),
    [
        ("opini-2025", True),
        ("ombudsman-2025", True),
        ("ombudsman-2023", False),
        ("ombudsman-2022", False),
        ("kepatuhan-2021", False),
        ("pekppp-2023", False),  # not the Ombudsman's
        ("skm-2017", False),
    ],
)
def test_sites_are_chosen_on_the_ombudsmans_2025_instruments_only(code, chosen):
    assert campaigns.sites_are_chosen(Cycle(year=2025, instrument_code=code)) is chosen


# -- the page and who reaches it -----------------------------------------------------------


def test_the_manage_page_links_to_the_sites_page_instead_of_the_all_units_campaign(
    login, regional_admin, cycle
):
    html = login(regional_admin).get(f"/cycles/manage/{cycle.pk}/").content.decode()
    assert f'href="{url(cycle)}"' in html
    official_row = html[html.index('data-kind="official"') :]
    official_row = official_row[: official_row.index("</tr>")]
    assert "Buat untuk semua unit" not in official_row
    assert "Pilih lokus" in official_row


def test_an_older_cycles_manage_page_keeps_the_all_units_campaign(
    login, regional_admin, cycle_2023
):
    html = login(regional_admin).get(f"/cycles/manage/{cycle_2023.pk}/").content.decode()
    assert "/sites/" not in html
    official_row = html[html.index('data-kind="official"') :]
    assert "Buat untuk semua unit" in official_row[: official_row.index("</tr>")]


def test_the_regional_and_national_admins_open_the_sites_page(
    login, regional_admin, national_admin, cycle
):
    for user in (regional_admin, national_admin):
        response = login(user).get(url(cycle))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Lokus penilaian" in html
        assert 'data-government="12.05"' in html  # Langkat, a government of the province
        assert 'data-government="11.01"' not in html  # Aceh's are another office's


def test_the_page_groups_units_by_sector(login, regional_admin, cycle, langkat):
    ServiceUnit.objects.create(
        government=langkat, code="panti-1", name="Panti Sosial Langkat", type="panti_sosial"
    )
    html = login(regional_admin).get(url(cycle)).content.decode()
    block = html[html.index('data-government="12.05"') :]
    block = block[: block.index("</fieldset>")]
    assert "Kesehatan" in block
    assert "Sosial" in block
    social = block[block.index(">Sosial<") :]
    social = social[: social.index("data-sector")]
    assert "Panti Sosial Langkat" in social
    assert "Dinas Sosial" in social
    assert "Puskesmas" not in social


def test_a_coordinator_an_operator_and_an_assessor_are_refused_the_sites_page(
    login, coordinator, operator, assessor, cycle, langkat_dinkes
):
    for user in (coordinator, operator, assessor):
        client = login(user)
        assert client.get(url(cycle)).status_code in (403, 404)
        response = client.post(url(cycle), {"unit": [langkat_dinkes.pk]})
        assert response.status_code in (403, 404)
    assert official(cycle) == {}
    assert not AuditEvent.objects.filter(
        action="cycle.sites_chosen", object_id=str(cycle.pk)
    ).exists()


def test_another_provinces_office_does_not_find_the_cycle(login, aceh_admin, cycle, langkat):
    client = login(aceh_admin)
    assert client.get(url(cycle)).status_code == 404
    unit = langkat.units.first()
    assert client.post(url(cycle), {"unit": [unit.pk]}).status_code == 404
    assert official(cycle) == {}


def test_anonymous_visitors_are_sent_to_sign_in(client, cycle):
    response = client.get(url(cycle))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_older_cycle_has_no_sites_to_choose(login, regional_admin, cycle_2023):
    response = login(regional_admin).get(url(cycle_2023), follow=True)
    assert response.redirect_chain[-1][0] == f"/cycles/manage/{cycle_2023.pk}/"
    assert "lokus tidak dipilih" in response.content.decode()


# -- choosing and removing sites -----------------------------------------------------------


def test_choosing_units_creates_their_official_assessments_and_an_audit_row(
    login, regional_admin, cycle, langkat
):
    dinkes, dinsos = langkat.units.get(code="dinkes"), langkat.units.get(code="dinsos")
    client = login(regional_admin)
    response = client.post(url(cycle), {"unit": [dinkes.pk, dinsos.pk]}, follow=True)
    assert official(cycle) == {"dinkes": "draft", "dinsos": "draft"}
    created = Assessment.objects.get(cycle=cycle, service_unit=dinkes, kind="official")
    assert created.respondents.exists()  # prepared for entry like any campaign
    event = AuditEvent.objects.get(action="cycle.sites_chosen", object_id=str(cycle.pk))
    assert event.actor == regional_admin
    assert event.old == {"units": []}
    assert event.new["units"] == ["12.05/dinkes", "12.05/dinsos"]
    html = response.content.decode()
    assert "2 ditambahkan" in html
    counts = html[html.index('id="site-counts"') :]
    assert "<strong data-entities>1</strong>" in counts
    assert "<strong data-units>2</strong>" in counts
    assert (
        not Assessment.objects.filter(cycle=cycle, kind="official")
        .exclude(service_unit__government=langkat)
        .exists()
    )


def test_ticking_an_entity_alone_chooses_all_its_units(login, regional_admin, cycle, langkat):
    login(regional_admin).post(url(cycle), {"government": ["12.05"]})
    assert set(official(cycle)) == set(langkat.units.values_list("code", flat=True))


def test_removing_a_site_needs_a_reason_and_drops_its_assessment(
    login, regional_admin, cycle, langkat
):
    dinkes, dinsos = langkat.units.get(code="dinkes"), langkat.units.get(code="dinsos")
    client = login(regional_admin)
    client.post(url(cycle), {"unit": [dinkes.pk, dinsos.pk]})
    refused = client.post(url(cycle), {"unit": [dinkes.pk], "government": ["12.05"]}, follow=True)
    assert "Alasan mengeluarkan lokus wajib diisi" in refused.content.decode()
    assert official(cycle) == {"dinkes": "draft", "dinsos": "draft"}
    client.post(
        url(cycle),
        {"unit": [dinkes.pk], "government": ["12.05"], "reason": "Diganti sampel Disdik"},
    )
    assert official(cycle) == {"dinkes": "draft", "dinsos": "dropped"}
    dropped = Assessment.objects.get(cycle=cycle, service_unit=dinsos, kind="official")
    assert AuditEvent.objects.filter(action="assessment.dropped", object_id=dropped.pk).exists()
    event = AuditEvent.objects.filter(action="cycle.sites_chosen").latest("pk")
    assert event.old == {"units": ["12.05/dinkes", "12.05/dinsos"]}
    assert event.new["units"] == ["12.05/dinkes"]
    assert event.new["dropped"] == ["12.05/dinsos"]
    assert event.reason == "Diganti sampel Disdik"
    # choosing it again restores the same assessment
    client.post(url(cycle), {"unit": [dinkes.pk, dinsos.pk], "government": ["12.05"]})
    dropped.refresh_from_db()
    assert dropped.status == "draft"


def test_unticking_an_entity_removes_all_its_sites(login, regional_admin, cycle, langkat):
    client = login(regional_admin)
    client.post(url(cycle), {"government": ["12.05"]})
    dinkes = langkat.units.get(code="dinkes")
    client.post(url(cycle), {"unit": [dinkes.pk], "reason": "Langkat tidak disampel"})
    assert set(official(cycle).values()) == {"dropped"}


def test_a_site_whose_assessment_has_answers_is_not_removed(login, regional_admin, cycle, langkat):
    dinkes, dinsos = langkat.units.get(code="dinkes"), langkat.units.get(code="dinsos")
    client = login(regional_admin)
    client.post(url(cycle), {"unit": [dinkes.pk, dinsos.pk]})
    answered = Assessment.objects.get(cycle=cycle, service_unit=dinsos, kind="official")
    Answer.objects.create(assessment=answered, indicator_code="IN-S1", value=2)
    events = AuditEvent.objects.count()
    response = client.post(
        url(cycle), {"unit": [], "government": [], "reason": "Keluar"}, follow=True
    )
    html = response.content.decode()
    assert "tidak dapat dikeluarkan" in html
    assert "Dinas Sosial" in html
    assert official(cycle) == {"dinkes": "draft", "dinsos": "draft"}  # nothing changed
    assert AuditEvent.objects.count() == events


def test_the_service_refuses_a_unit_outside_the_cycles_province(regional_admin, cycle):
    aceh = Government.objects.filter(province__region_code="11").first()
    aceh_unit = ServiceUnit.objects.create(government=aceh, code="rsud", name="RSUD", type="rsud")
    with pytest.raises(ValidationError, match="di luar wilayah"):
        campaigns.choose_sites(cycle, [aceh_unit], actor=regional_admin)


def test_the_service_refuses_a_coordinator(coordinator, cycle, langkat_dinkes):
    with pytest.raises(PermissionDenied):
        campaigns.choose_sites(cycle, [langkat_dinkes], actor=coordinator)


def test_a_national_cycle_can_be_narrowed_to_one_province(login, national_admin, sumut):
    cycle = Cycle.objects.create(year=2025, name="Opini 2025", instrument_code="opini-2025")
    client = login(national_admin)
    html = client.get(url(cycle) + "?province=12").content.decode()
    assert 'data-government="12.05"' in html
    assert 'data-government="11.01"' not in html
    langkat = Government.objects.get(region_code="12.05")
    client.post(url(cycle) + "?province=12", {"government": ["12.05"]})
    assert Assessment.objects.filter(cycle=cycle).count() == langkat.units.count()


# -- the all-units campaign and adding one unit ---------------------------------------------


def test_the_all_units_official_campaign_is_refused_pointing_to_the_sites_page(
    login, regional_admin, cycle
):
    with pytest.raises(ValidationError, match="Lokus penilaian"):
        campaigns.create_campaign(cycle, "official", actor=regional_admin)
    response = login(regional_admin).post(
        f"/cycles/manage/{cycle.pk}/", {"action": "campaign", "kind": "official"}, follow=True
    )
    assert "halaman Lokus penilaian" in response.content.decode()
    assert official(cycle) == {}


def test_the_self_assessment_campaign_still_covers_every_unit(regional_admin, cycle, sumut):
    created = campaigns.create_campaign(cycle, "self", actor=regional_admin)
    assert created == ServiceUnit.objects.filter(government__province=sumut).count()


def test_an_older_cycle_still_creates_the_official_campaign_for_every_unit(regional_admin, sumut):
    cycle = Cycle.objects.create(
        year=2024, name="2024", instrument_code="ombudsman-2023", province=sumut
    )
    created = campaigns.create_campaign(cycle, "official", actor=regional_admin)
    assert created == ServiceUnit.objects.filter(government__province=sumut).count()


def test_a_coordinator_never_adds_a_unit_to_an_official_2025_cycle(
    login, coordinator, operator, regional_admin, cycle, langkat
):
    rsud = ServiceUnit.objects.create(government=langkat, code="rsud", name="RSUD", type="rsud")
    for user in (coordinator, operator):
        with pytest.raises(PermissionDenied):
            campaigns.add_unit(cycle, rsud, "official", actor=user, reason="Usulan pemda")
        response = login(user).post(
            f"/cycles/manage/{cycle.pk}/",
            {"action": "add_unit", "unit": rsud.pk, "kind": "official", "reason": "Usulan"},
        )
        assert response.status_code in (403, 404)
    assert official(cycle) == {}
    added = campaigns.add_unit(cycle, rsud, "official", actor=regional_admin, reason="Kunjungan")
    assert added.service_unit == rsud


def test_no_api_route_creates_an_assessment(coordinator, cycle, langkat_dinkes):
    api = APIClient()
    api.force_authenticate(coordinator)
    response = api.post(
        "/api/v1/assessments/",
        {"cycle": cycle.pk, "service_unit": langkat_dinkes.pk, "kind": "official"},
        format="json",
    )
    assert response.status_code in (403, 405)
    assert official(cycle) == {}


def test_the_checklist_command_never_creates_an_assessment(tmp_path: Path, cycle, coordinator):
    export = tmp_path / "kiriman.xlsx"
    export.write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command(
            "checklist",
            "import",
            str(export),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            "2025",
            "--user",
            coordinator.username,
            stdout=io.StringIO(),
        )
    assert error.value.returncode == 2
    assert official(cycle) == {}


# -- the unit kinds of the 2025 sample ------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "label", "sector"),
    [
        ("panti_sosial", "Panti Sosial", "sosial"),
        ("sekolah", "Sekolah", "pendidikan"),
        ("imigrasi", "Kantor Imigrasi", "instansi_vertikal"),
        ("lapas", "Lembaga Pemasyarakatan (Lapas)", "instansi_vertikal"),
        ("bapas", "Balai Pemasyarakatan (Bapas)", "instansi_vertikal"),
        ("polres", "Polres", "instansi_vertikal"),
        ("kantah", "Kantor Pertanahan", "instansi_vertikal"),
        ("rsud", "RSUD", "kesehatan"),
    ],
)
def test_the_2025_unit_kinds_exist_with_their_sector(langkat, code, label, sector):
    unit = ServiceUnit(
        government=langkat, code=f"u-{code.replace('_', '-')}", name=label, type=code
    )
    unit.full_clean()
    unit.save()
    assert unit.get_type_display() == label
    assert unit.sector == sector_of(code) == sector
    assert UNIT_TYPES[code] == label  # the scoring core's answers format knows it too


def test_every_unit_type_has_a_sector_and_is_known_to_scoring():
    assert set(UNIT_SECTORS) == set(UnitType.values)
    assert set(UNIT_SECTORS.values()) <= set(Sector.values)
    assert set(UNIT_TYPES) == set(UnitType.values)


def test_the_api_filters_units_by_the_new_kinds_and_by_sector(national_admin, langkat):
    ServiceUnit.objects.create(government=langkat, code="sd-1", name="SD Negeri 1", type="sekolah")
    api = APIClient()
    api.force_authenticate(national_admin)
    by_type = api.get("/api/v1/units/", {"type": "sekolah"}).json()
    assert [row["code"] for row in by_type["results"]] == ["sd-1"]
    by_sector = api.get("/api/v1/units/", {"sector": "pendidikan", "government": "12.05"}).json()
    types = {row["type"] for row in by_sector["results"]}
    assert "sekolah" in types
    assert types <= {"sekolah", "disdik"}


def test_a_sekolah_gets_a_checklist_form():
    from patuh.fieldforms.xlsform import checklist_fields

    assert checklist_fields(load_instrument("opini-2025"), "sekolah")


# -- the new-cycle form ---------------------------------------------------------------------


def _selected(html: str) -> str:
    select = html[html.index('id="instrument"') :]
    select = select[: select.index("</select>")]
    option = select[: select.index(" selected")]
    return option[option.rindex('value="') + 7 :].split('"')[0]


@pytest.mark.parametrize(
    ("year", "code"),
    [
        (2025, "opini-2025"),
        (2026, "opini-2025"),
        (2023, "ombudsman-2023"),
        (2022, "ombudsman-2022"),
    ],
)
def test_the_new_cycle_form_preselects_the_instrument_of_the_year(
    login, regional_admin, year, code
):
    html = login(regional_admin).get("/cycles/new/", {"year": year}).content.decode()
    assert _selected(html) == code


def test_the_new_cycle_form_lists_the_ombudsman_instruments_with_their_years(login, regional_admin):
    html = login(regional_admin).get("/cycles/new/").content.decode()
    select = html[
        html.index('id="instrument"') : html.index("</select>", html.index('id="instrument"'))
    ]
    for code in ("opini-2025", "ombudsman-2025", "ombudsman-2023", "kepatuhan-2021"):
        assert f'value="{code}"' in select
    assert 'value="pekppp-2023"' not in select
    assert 'value="skm-2017"' not in select
    assert "siklus 2025, 2026" in select
    superseded = select[select.index('value="ombudsman-2025"') :]
    superseded = superseded[: superseded.index("</option>")]
    assert "versi peralihan, digantikan opini-2025" in superseded
    assert 'data-preferred-for=""' in superseded


def test_a_year_the_instrument_does_not_cover_is_refused(login, national_admin):
    client = login(national_admin)
    response = client.post(
        "/cycles/new/", {"year": "2024", "instrument": "opini-2025", "province": "11"}, follow=True
    )
    assert "Instrumen opini-2025 dipakai untuk siklus 2025, 2026, bukan 2024" in (
        response.content.decode()
    )
    assert not Cycle.objects.filter(year=2024, province__region_code="11").exists()
    client.post("/cycles/new/", {"year": "2025", "instrument": "opini-2025", "province": "11"})
    opened = Cycle.objects.get(year=2025, province__region_code="11")
    assert campaigns.sites_are_chosen(opened)


def test_the_national_sites_page_takes_a_few_queries(
    login, national_admin, django_assert_max_num_queries
):
    cycle = Cycle.objects.create(year=2025, name="Opini 2025", instrument_code="opini-2025")
    client = login(national_admin)
    client.get(url(cycle))  # the session and caches
    with django_assert_max_num_queries(20):
        response = client.get(url(cycle))
    assert response.status_code == 200
    assert response.content.decode().count("<fieldset") == Government.objects.count()
