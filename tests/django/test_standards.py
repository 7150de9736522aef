"""Service standards: the verbs (drafts, publication, versions, audit), who may change what, the
staff pages and the public pages an anonymous citizen reads."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from patuh.accounts.models import Membership
from patuh.accounts.roles import Role
from patuh.assessments.models import Assessment
from patuh.core.models import AuditEvent
from patuh.orgs.models import ServiceProduct, ServiceUnit
from patuh.scoring import load_instrument
from patuh.standards.components import (
    COMPONENT_CODES,
    COMPONENT_INDICATORS,
    INDICATOR_COMPONENT_CODES,
    INTERNAL_CODES,
    PUBLIC_CODES,
    SERVICE_PLEDGE,
    anchor,
    component_for_indicator,
    components_for_indicator,
    indicators_for_component,
)
from patuh.standards.demo import load_demo_standards
from patuh.standards.links import public_link
from patuh.standards.models import (
    ServiceStandard,
    StandardStatus,
    current_standard,
    current_standards,
)
from patuh.standards.services import (
    DRAFT_SAVED,
    STANDARD_PUBLISHED,
    VERSION_STARTED,
    StandardConflict,
    new_version_from,
    publish,
    save_draft,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
ADOPTED = datetime.date(2024, 3, 1)
PLEDGE = "Kami sanggup melayani sesuai standar; bila tidak, kami siap menerima sanksi."

FULL = {code: f"Teks komponen {code} versi satu" for code in COMPONENT_CODES}
FULL["a"] = "RAHASIA-DASAR-HUKUM internal"
FULL["k"] = "RAHASIA-JUMLAH-PELAKSANA 4 orang"
FULL["b"] = "KTP dan formulir permohonan PUBLIK-PERSYARATAN"


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def spp_irt(langkat_dinkes) -> ServiceProduct:
    return langkat_dinkes.products.get(name__startswith="Sertifikat Produksi Pangan")


@pytest.fixture
def depot(langkat_dinkes) -> ServiceProduct:
    return langkat_dinkes.products.get(name__startswith="Sertifikat laik higiene")


@pytest.fixture
def published(spp_irt, operator) -> ServiceStandard:
    """Version 1 of SPP-IRT, published."""
    return publish(save_draft(spp_irt, FULL, PLEDGE, ADOPTED, operator), operator)


@pytest.fixture
def with_draft(published, operator) -> ServiceStandard:
    """Version 2 of SPP-IRT, a draft with text the public must never see."""
    new_version_from(published, operator)
    return save_draft(
        published.product,
        {**FULL, "d": "RAHASIA-DRAF jangka waktu baru"},
        PLEDGE,
        ADOPTED,
        operator,
    )


@pytest.fixture
def national_admin(db):
    user = get_user_model().objects.create_user("nana.admin", password="rahasia-uji")
    Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    return user


def _edit_url(product: ServiceProduct) -> str:
    return f"/units/{product.unit_id}/standards/{product.pk}/"


def _form(components: dict[str, str], *, pledge: str = PLEDGE, adopted: str = "2024-03-01"):
    data = {f"component_{code}": text for code, text in components.items()}
    return {**data, "service_pledge": pledge, "adopted_on": adopted}


def _events(unit: ServiceUnit) -> list[str]:
    return list(
        AuditEvent.objects.filter(context_type="orgs.serviceunit", context_id=str(unit.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# -- the component list ------------------------------------------------------------------------


def test_the_fourteen_components_split_into_six_public_and_eight_internal():
    assert "".join(COMPONENT_CODES) == "abcdefghijklmn"
    assert "".join(PUBLIC_CODES) == "bcdefj"
    assert len(INTERNAL_CODES) == 8


@pytest.mark.parametrize(
    ("indicator", "component"),
    [
        ("PR-01", "b"),
        ("PR-02", "c"),
        ("PR-03", "d"),
        ("PR-04", "e"),
        ("PR-05", "f"),
        ("PR-06", SERVICE_PLEDGE),
        ("pr-01", "b"),
        ("PR-07", None),
        ("IN-S6", "a"),
        ("IN-S7", "g"),
        ("IN-S8", "g"),
        ("IN-K1", "h"),
        ("IN-S1", "i"),
        ("IN-S2", "k"),
        ("IN-S3", "l"),
        ("IN-S4", "m"),
        ("IN-S5", "n"),
        ("PG-1", "j"),
        ("IN-S9", None),
        ("OU-1", None),
    ],
)
def test_each_indicator_names_the_component_it_checks(indicator, component):
    assert component_for_indicator(indicator) == component


@pytest.mark.parametrize("component", [*COMPONENT_CODES, SERVICE_PLEDGE])
def test_every_component_maps_to_an_indicator_of_ombudsman_2023(component):
    codes = list(load_instrument("ombudsman-2023").indicators)
    assert indicators_for_component(component, codes)


def test_every_mapped_code_exists_in_the_instrument_and_names_known_components():
    instrument = load_instrument("ombudsman-2023")
    assert set(INDICATOR_COMPONENT_CODES) <= set(instrument.indicators)
    for code, components in INDICATOR_COMPONENT_CODES.items():
        assert set(components) <= {*COMPONENT_CODES, SERVICE_PLEDGE}, code
        for component in components:
            assert code in COMPONENT_INDICATORS[component]


def test_the_langkat_checklist_is_traceable_to_indicators():
    # methodology notes §8: the Sekda's checklist item → the indicator that evidences it
    assert COMPONENT_INDICATORS["a"] == ("IN-S6",)
    assert COMPONENT_INDICATORS["i"] == ("IN-S1",)
    assert COMPONENT_INDICATORS["n"] == ("IN-S5",)
    assert {"IN-S7", "IN-S8"} <= set(COMPONENT_INDICATORS["g"])
    assert {"IN-S3"} <= set(COMPONENT_INDICATORS["l"])
    assert {f"IN-K{n}" for n in range(1, 7)} <= set(COMPONENT_INDICATORS["h"])
    assert {f"PG-{n}" for n in range(1, 9)} <= set(COMPONENT_INDICATORS["j"])
    assert components_for_indicator("PG-8") == ("j", "g")


def test_the_2022_instrument_maps_only_what_it_has():
    codes = list(load_instrument("ombudsman-2022").indicators)
    assert "IN-K5" not in indicators_for_component("h", codes)
    assert indicators_for_component("a", codes) == ["IN-S6"]


def test_an_internal_component_anchors_at_its_product_on_the_public_page():
    assert anchor(12, "a") == "produk-12"
    assert anchor(12, "j") == "produk-12-komponen-j"
    assert anchor(12, SERVICE_PLEDGE) == "produk-12-maklumat"


def test_the_component_module_does_not_load_django():
    code = (
        "import sys, patuh.standards.components as c; "
        "assert c.component_for_indicator('PR-03') == 'd'; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules)"
    )
    src = Path(__file__).resolve().parents[2] / "src"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=src)


# -- the verbs ---------------------------------------------------------------------------------


def test_a_first_save_creates_draft_version_one_and_a_second_updates_it(spp_irt, operator):
    draft = save_draft(spp_irt, {"b": "  KTP  "}, "", ADOPTED, operator)
    assert (draft.version, draft.status, draft.revision) == (1, StandardStatus.DRAFT, 1)
    assert draft.components == {**dict.fromkeys(COMPONENT_CODES, ""), "b": "KTP"}
    assert draft.created_by == operator
    again = save_draft(spp_irt, {"b": "KTP", "c": "Alur"}, PLEDGE, ADOPTED, operator)
    assert (again.pk, again.version, again.revision) == (draft.pk, 1, 2)
    assert spp_irt.standards.count() == 1
    assert current_standard(spp_irt) is None
    events = AuditEvent.objects.filter(object_id=str(draft.pk), action=DRAFT_SAVED).order_by("id")
    assert [e.context_id for e in events] == [str(spp_irt.unit_id)] * 2
    assert events[0].old is None
    assert events[1].old["components"]["c"] == ""
    assert events[1].new["components"]["c"] == "Alur"
    assert events[1].actor == operator


def test_a_draft_needs_an_adoption_date(spp_irt, operator):
    with pytest.raises(ValidationError, match="Tanggal penetapan wajib diisi"):
        save_draft(spp_irt, FULL, PLEDGE, None, operator)
    assert not spp_irt.standards.exists()


def test_unknown_components_and_overlong_text_are_refused(spp_irt, operator):
    with pytest.raises(ValidationError, match="Komponen tidak dikenal: z"):
        save_draft(spp_irt, {"z": "?"}, "", ADOPTED, operator)
    with pytest.raises(ValidationError, match=r"Komponen c \(Sistem, mekanisme dan prosedur\)"):
        save_draft(spp_irt, {"c": "x" * 5001}, "", ADOPTED, operator)
    with pytest.raises(ValidationError, match="Maklumat pelayanan terlalu panjang"):
        save_draft(spp_irt, {}, "x" * 3001, ADOPTED, operator)
    assert not spp_irt.standards.exists()


def test_publishing_an_incomplete_draft_names_what_is_missing(spp_irt, operator):
    partial = {**FULL, "d": "", "j": "  "}
    draft = save_draft(spp_irt, partial, "", ADOPTED, operator)
    with pytest.raises(ValidationError) as refused:
        publish(draft, operator)
    message = " ".join(refused.value.messages)
    assert "d (Jangka waktu penyelesaian)" in message
    assert "j (Penanganan pengaduan, saran dan masukan)" in message
    assert "Maklumat pelayanan" in message
    assert "b (Persyaratan)" not in message
    draft.refresh_from_db()
    assert draft.status == StandardStatus.DRAFT
    assert STANDARD_PUBLISHED not in _events(spp_irt.unit)


def test_internal_components_are_not_needed_to_publish(spp_irt, operator):
    public_only = {code: FULL[code] for code in PUBLIC_CODES}
    standard = publish(save_draft(spp_irt, public_only, PLEDGE, ADOPTED, operator), operator)
    assert standard.status == StandardStatus.PUBLISHED
    assert standard.published_at is not None
    assert current_standard(spp_irt) == standard


def test_a_standard_adopted_in_the_future_waits(spp_irt, operator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    draft = save_draft(spp_irt, FULL, PLEDGE, tomorrow, operator)
    with pytest.raises(ValidationError, match="belum tiba"):
        publish(draft, operator)


def test_versions_the_latest_published_is_current_and_older_stay_readable(
    published, operator, spp_irt
):
    assert (published.version, current_standard(spp_irt)) == (1, published)
    with pytest.raises(ValidationError, match="sudah dipublikasikan"):
        publish(published, operator)
    second = new_version_from(published, operator)
    assert (second.version, second.status) == (2, StandardStatus.DRAFT)
    assert second.components == published.components
    assert (second.service_pledge, second.adopted_on) == (published.service_pledge, ADOPTED)
    with pytest.raises(ValidationError, match="Sudah ada draf versi 2"):
        new_version_from(published, operator)
    assert current_standard(spp_irt) == published  # a draft does not replace it

    later = datetime.date(2025, 1, 2)
    second = save_draft(spp_irt, {**FULL, "d": "3 hari kerja"}, PLEDGE, later, operator)
    publish(second, operator)
    assert current_standard(spp_irt) == second
    assert current_standards([spp_irt]) == {spp_irt.pk: second}
    published.refresh_from_db()
    assert (published.status, published.text("d")) == ("published", FULL["d"])
    assert _events(spp_irt.unit) == [
        DRAFT_SAVED,
        STANDARD_PUBLISHED,
        VERSION_STARTED,
        DRAFT_SAVED,
        STANDARD_PUBLISHED,
    ]


def test_a_new_version_cannot_be_adopted_before_the_one_it_replaces(published, operator):
    new_version_from(published, operator)
    draft = save_draft(published.product, FULL, PLEDGE, datetime.date(2023, 1, 1), operator)
    with pytest.raises(ValidationError, match="sebelum tanggal penetapan versi 1"):
        publish(draft, operator)


def test_only_drafts_of_published_versions_are_copied(spp_irt, operator):
    draft = save_draft(spp_irt, FULL, PLEDGE, ADOPTED, operator)
    with pytest.raises(ValidationError, match="Hanya versi yang sudah dipublikasikan"):
        new_version_from(draft, operator)


def test_a_draft_changed_by_someone_else_is_not_overwritten(spp_irt, operator, coordinator):
    first = save_draft(spp_irt, {"b": "dari operator"}, "", ADOPTED, operator, expected_revision=0)
    with pytest.raises(StandardConflict):
        save_draft(spp_irt, {"b": "tanpa draf"}, "", ADOPTED, coordinator, expected_revision=0)
    save_draft(spp_irt, {"b": "koordinator"}, "", ADOPTED, coordinator, expected_revision=1)
    with pytest.raises(StandardConflict, match="sudah diubah oleh pengguna lain"):
        save_draft(spp_irt, {"b": "operator lagi"}, "", ADOPTED, operator, expected_revision=1)
    first.refresh_from_db()
    assert (first.text("b"), first.revision) == ("koordinator", 2)


def test_the_database_keeps_one_draft_per_product(with_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandard.objects.create(
            product=with_draft.product, version=9, adopted_on=ADOPTED, status="draft"
        )


# -- permissions --------------------------------------------------------------------------------


def test_the_operator_edits_and_publishes_its_own_unit(login, operator, depot):
    client = login(operator)
    assert client.get(f"/units/{depot.unit_id}/standards/").status_code == 200
    page = client.get(_edit_url(depot))
    assert page.status_code == 200
    assert 'id="standard-form"' in page.content.decode()
    response = client.post(_edit_url(depot), {**_form(FULL), "revision": "0", "action": "publish"})
    assert response.status_code == 302
    standard = current_standard(depot)
    assert (standard.version, standard.text("b"), standard.created_by) == (1, FULL["b"], operator)
    assert "dipublikasikan" in client.get(_edit_url(depot)).content.decode()


@pytest.mark.parametrize("who", ["coordinator", "national_admin"])
def test_the_coordinator_and_national_admins_may_edit_too(request, login, who, depot):
    client = login(request.getfixturevalue(who))
    assert client.get(_edit_url(depot)).status_code == 200
    response = client.post(_edit_url(depot), {**_form(FULL), "action": "save"})
    assert response.status_code == 302
    assert depot.standards.get().is_draft


def test_the_operator_sees_no_other_unit(login, operator, langkat):
    other = langkat.units.get(code="disdik")
    product = other.products.first()
    client = login(operator)
    assert client.get(f"/units/{other.pk}/standards/").status_code == 404
    assert client.get(_edit_url(product)).status_code == 404


def test_an_outsider_gets_404_everywhere_in_another_government(login, outsider, published):
    product = published.product
    client = login(outsider)
    unit_id = product.unit_id
    assert client.get(f"/units/{unit_id}/standards/").status_code == 404
    assert client.get(_edit_url(product)).status_code == 404
    assert client.post(_edit_url(product), _form(FULL)).status_code == 404
    assert client.get(f"{_edit_url(product)}versions/1/").status_code == 404
    assert client.post(f"{_edit_url(product)}new-version/").status_code == 404


def test_a_product_of_another_unit_is_not_found_under_this_one(login, operator, langkat_dinkes):
    foreign = ServiceProduct.objects.exclude(unit=langkat_dinkes).first()
    assert (
        login(operator)
        .get(
            _edit_url(foreign).replace(f"/units/{foreign.unit_id}/", f"/units/{langkat_dinkes.pk}/")
        )
        .status_code
        == 404
    )


@pytest.mark.parametrize("who", ["verifier", "assessor", "regional_admin"])
def test_read_only_roles_read_but_get_403_on_edit(request, login, who, with_draft):
    client = login(request.getfixturevalue(who))
    product = with_draft.product
    listing = client.get(f"/units/{product.unit_id}/standards/")
    assert listing.status_code == 200
    assert f'href="{_edit_url(product)}"' not in listing.content.decode()
    assert client.get(_edit_url(product)).status_code == 403
    posted = client.post(_edit_url(product), {**_form(FULL), "action": "publish"})
    assert posted.status_code == 403
    assert client.post(f"{_edit_url(product)}new-version/").status_code == 403
    # every version stays readable, internal components included
    version = client.get(f"{_edit_url(product)}versions/1/")
    assert version.status_code == 200
    assert "RAHASIA-DASAR-HUKUM" in version.content.decode()
    assert with_draft.product.standards.get(version=2).is_draft


def test_anonymous_staff_pages_ask_to_log_in(client, published):
    response = client.get(f"/units/{published.product.unit_id}/standards/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# -- the staff pages ----------------------------------------------------------------------------


def test_publishing_an_incomplete_form_saves_the_draft_and_says_what_is_missing(
    login, operator, depot
):
    client = login(operator)
    data = {**_form({**FULL, "e": "", "f": ""}), "revision": "0", "action": "publish"}
    response = client.post(_edit_url(depot), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "Draf versi 1 tersimpan, tetapi belum dipublikasikan." in html
    assert "e (Biaya/tarif)" in html
    assert "f (Produk pelayanan)" in html
    draft = depot.standards.get()
    assert (draft.is_draft, draft.revision) == (True, 1)
    assert 'name="revision" value="1"' in html  # the form continues from the saved draft


def test_an_htmx_save_answers_with_the_form_only(login, operator, depot):
    client = login(operator)
    response = client.post(
        _edit_url(depot), {**_form({"b": "Syarat"}), "revision": "0", "action": "save"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<form id="standard-form"')
    assert "data-saved" in html
    assert 'name="revision" value="1"' in html
    assert "<nav" not in html
    assert 'id="versions" hx-swap-oob="true"' in html  # the history follows
    assert "Anda mengisi draf versi 1." in html


def test_a_missing_date_is_refused_with_the_form_kept(login, operator, depot):
    client = login(operator)
    response = client.post(_edit_url(depot), {**_form({"b": "Syarat X"}, adopted=""), **HTMX})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Tanggal penetapan wajib diisi." in html
    assert "Syarat X" in html
    assert not depot.standards.exists()


def test_a_stale_form_gets_409_and_keeps_the_text(login, operator, coordinator, depot):
    save_draft(depot, {"b": "dari koordinator"}, "", ADOPTED, coordinator)
    response = login(operator).post(
        _edit_url(depot), {**_form({"b": "dari operator"}), "revision": "0"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "dari operator" in html
    assert depot.standards.get().text("b") == "dari koordinator"


def test_with_only_published_versions_the_edit_page_offers_a_new_version(
    login, operator, published
):
    client = login(operator)
    page = client.get(_edit_url(published.product)).content.decode()
    assert 'id="standard-form"' not in page
    assert "Buat versi baru" in page
    response = client.post(f"{_edit_url(published.product)}new-version/")
    assert response.status_code == 302
    page = client.get(_edit_url(published.product)).content.decode()
    assert 'id="standard-form"' in page
    assert "draf versi 2" in page
    assert FULL["b"] in page


def test_the_unit_page_lists_current_versions_and_drafts(login, coordinator, with_draft):
    html = login(coordinator).get(f"/units/{with_draft.product.unit_id}/standards/")
    html = html.content.decode()
    assert with_draft.product.name in html
    assert f"/standards/{with_draft.product_id}/versions/1/" in html
    assert f"/standards/{with_draft.product_id}/versions/2/" in html
    assert "/publik/unit/12.05/dinkes/" in html


# -- the public pages ---------------------------------------------------------------------------

PUBLIC_URL = "/publik/unit/12.05/dinkes/"


def test_the_public_page_shows_only_published_public_components(with_draft):
    response = Client().get(PUBLIC_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dinas Kesehatan" in html
    assert "Kabupaten Langkat" in html
    assert with_draft.product.name in html
    for code in PUBLIC_CODES:
        assert FULL[code] in html
        assert f'id="{anchor(with_draft.product_id, code)}"' in html
    assert PLEDGE in html
    assert f'id="{anchor(with_draft.product_id, SERVICE_PLEDGE)}"' in html
    assert "Versi 1" in html
    assert "1 Maret 2024" in html
    assert "RAHASIA-DRAF" not in html  # the draft's text
    assert "RAHASIA-DASAR-HUKUM" not in html  # internal components
    assert "RAHASIA-JUMLAH-PELAKSANA" not in html
    for code in INTERNAL_CODES:
        assert FULL[code] not in html


def test_the_public_page_follows_the_latest_published_version(with_draft, operator):
    publish(with_draft, operator)
    html = Client().get(PUBLIC_URL).content.decode()
    assert "RAHASIA-DRAF jangka waktu baru" in html
    assert FULL["d"] not in html
    assert "Versi 2" in html


def test_a_unit_with_nothing_published_says_so(db):
    html = Client().get("/publik/unit/12.05/dinsos/").content.decode()
    assert "Belum ada standar pelayanan yang dipublikasikan" in html


def test_a_draft_alone_is_not_published(spp_irt, operator):
    save_draft(spp_irt, {**FULL, "b": "RAHASIA-DRAF-SAJA"}, PLEDGE, ADOPTED, operator)
    html = Client().get(PUBLIC_URL).content.decode()
    assert "Belum ada standar pelayanan yang dipublikasikan" in html
    assert "RAHASIA-DRAF-SAJA" not in html


@pytest.mark.parametrize(
    "url", ["/publik/unit/12.05/tidak-ada/", "/publik/unit/99.99/dinkes/", "/publik/unit/x/y/"]
)
def test_an_unknown_unit_is_404(db, url):
    assert Client().get(url).status_code == 404


def test_the_print_page_is_an_a4_sheet_with_the_public_url(with_draft):
    product = with_draft.product
    response = Client().get(f"{PUBLIC_URL}{product.pk}/cetak/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/static/standards/print.css"' in html
    assert "http://testserver/publik/unit/12.05/dinkes/" in html
    assert product.name in html
    assert "Dinas Kesehatan" in html
    assert PLEDGE in html
    assert "Versi 1" in html
    for code in PUBLIC_CODES:
        assert FULL[code] in html
    assert "RAHASIA" not in html
    assert "style=" not in html
    assert "<style" not in html
    assert "<script>" not in html
    assert "onclick" not in html
    css = Path(finders.find("standards/print.css")).read_text()
    assert "@page { size: A4; margin: 15mm }" in css


def test_the_print_page_of_an_unpublished_product_is_404(depot, spp_irt, operator):
    save_draft(depot, FULL, PLEDGE, ADOPTED, operator)
    assert Client().get(f"{PUBLIC_URL}{depot.pk}/cetak/").status_code == 404
    assert Client().get(f"/publik/unit/12.05/disdik/{spp_irt.pk}/cetak/").status_code == 404


# -- demo and admin -----------------------------------------------------------------------------


def test_the_demo_standards_load_once(db, langkat):
    disdukcapil = langkat.units.get(code="disdukcapil")
    if ServiceStandard.objects.filter(product__unit=disdukcapil).exists():
        assert load_demo_standards() == 0  # the demo loader already ran it
    else:
        assert load_demo_standards() == 3
        assert load_demo_standards() == 0
    ktp = disdukcapil.products.get(name="Penerbitan KTP-el")
    assert [(s.version, s.status) for s in ktp.standards.all()] == [
        (2, "published"),
        (1, "published"),
    ]
    assert current_standard(ktp).version == 2
    kk = disdukcapil.products.get(name="Penerbitan Kartu Keluarga")
    assert kk.standards.get().is_draft
    html = Client().get("/publik/unit/12.05/disdukcapil/").content.decode()
    assert "SP4N-LAPOR!" in html
    assert "Versi 2" in html


def test_the_admin_shows_a_standard_read_only(admin_client, published):
    changelist = admin_client.get("/admin/standards/servicestandard/", {"q": "Langkat"})
    assert changelist.status_code == 200
    detail = admin_client.get(f"/admin/standards/servicestandard/{published.pk}/change/")
    assert detail.status_code == 200
    assert admin_client.get("/admin/standards/servicestandard/add/").status_code == 403


def test_links_from_an_indicator_to_the_public_page(langkat_dinkes, spp_irt):
    base = "/publik/unit/12.05/dinkes/"
    assert public_link(langkat_dinkes) == base
    assert public_link(langkat_dinkes, spp_irt.pk) == f"{base}#produk-{spp_irt.pk}"
    assert public_link(langkat_dinkes, spp_irt.pk, "PR-03") == (
        f"{base}#produk-{spp_irt.pk}-komponen-d"
    )
    assert (
        public_link(langkat_dinkes, spp_irt.pk, "PR-06") == f"{base}#produk-{spp_irt.pk}-maklumat"
    )
    assert public_link(langkat_dinkes, spp_irt.pk, "PR-08") == f"{base}#produk-{spp_irt.pk}"
    assert public_link(langkat_dinkes, spp_irt.pk, "IN-S6") == f"{base}#produk-{spp_irt.pk}"
    assert public_link(langkat_dinkes, spp_irt.pk, "PG-2") == (
        f"{base}#produk-{spp_irt.pk}-komponen-j"
    )


def test_the_in_s6_card_links_to_the_units_service_standard(
    login, operator, cycle_current, langkat_dinkes
):
    assessment = Assessment.objects.get(
        cycle=cycle_current, service_unit=langkat_dinkes, kind="self"
    )
    html = login(operator).get(f"/assessments/{assessment.pk}/").content.decode()
    card = html[html.index('id="ind-IN-S6"') : html.index('id="ind-IN-S7"')]
    product = assessment.product_observations.order_by("product__name").first().product_id
    assert "data-standard-links" in card
    assert f'href="/publik/unit/12.05/dinkes/#produk-{product}"' in card
    complaints = html[html.index('id="ind-PG-2"') : html.index('id="ind-PG-3"')]
    assert f'href="/publik/unit/12.05/dinkes/#produk-{product}-komponen-j"' in complaints
    outreach = html[html.index('id="ind-IN-S9"') : html.index('id="ind-PR-01"')]
    assert "data-standard-links" not in outreach
