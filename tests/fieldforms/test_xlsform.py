"""XLSForm workbooks convert with pyxform to XForms holding the right questions and choices."""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from xform_reader import JR, XForm, to_xform

import patuh.fieldforms
from patuh.fieldforms import (
    LANGUAGE,
    FieldFormError,
    checklist_fields,
    checklist_form,
    perception_fields,
    perception_form,
    skm_form,
)
from patuh.scoring import Instrument, load_instrument

CHECKLIST_CASES = [
    ("ombudsman-2023", "dinkes"),
    ("ombudsman-2023", "puskesmas"),
    ("ombudsman-2023", "dpmptsp"),
    ("ombudsman-2025", "dinkes"),
    ("ombudsman-2025", "puskesmas"),
    ("ombudsman-2025", "polres"),
]
METADATA = {"start", "end", "today", "deviceid", "instanceID"}
PERSONAL = ("phone", "telp", "telepon", "hp", "whatsapp", "wa", "email", "nik", "alamat")


@pytest.fixture(scope="module")
def skm() -> Instrument:
    return load_instrument("skm-2017")


def _restricted(instrument: Instrument, applies_to: dict[str, set[str]]) -> Instrument:
    """A copy of ``instrument`` whose listed indicators apply only to the given unit types."""

    def indicator(ind):
        if ind.code in applies_to:
            return dataclasses.replace(ind, applies_to=frozenset(applies_to[ind.code]))
        return ind

    dimensions = tuple(
        dataclasses.replace(
            dim,
            variables=tuple(
                dataclasses.replace(var, indicators=tuple(indicator(i) for i in var.indicators))
                for var in dim.variables
            ),
        )
        for dim in instrument.dimensions
    )
    return dataclasses.replace(instrument, dimensions=dimensions)


def _field(code: str, prefix: str) -> str:
    return f"{prefix}_{code.replace('-', '_')}"


def _assert_clean(form: XForm) -> None:
    assert form.warnings == []
    names = form.names()
    assert len(names) == len(set(names)), "question names must be unique across the form"


def _assert_no_personal_data(form: XForm) -> None:
    for name in form.names():
        lowered = name.lower()
        assert not any(word in lowered.split("_") for word in PERSONAL), name
        assert lowered in ("unit_name", "product_name") or "name" not in lowered, name
        assert "nama" not in lowered, name
    for control in form.controls.values():
        label = control.label.lower()
        assert "nomor telepon" not in label or "tidak menanyakan" in label, control.label
        assert "nama anda" not in label, control.label
        assert "nama responden" not in label, control.label


def _assert_gated(form: XForm, after: str = "consent") -> None:
    """Every question after the consent question is shown only when consent is 'yes'."""
    ungated = {
        "instrument_code",
        "respondent_id",
        "unit_code",
        "unit_name",
        "intro",
        "consent",
        "consent_declined",
        *METADATA,
    }
    gated = [p for p in form.binds if p.rsplit("/", 1)[1] not in ungated]
    assert gated
    for path in gated:
        relevant = form.binds[path].get("relevant", "")
        assert "/data/consent" in relevant, path
        assert "'yes'" in relevant, (path, relevant)
    assert "'no'" in form.bind("consent_declined")["relevant"]
    assert form.bind("consent")["required"] == "true()"


def _assert_citizen_common(form: XForm, instrument: Instrument, kind: str) -> None:
    _assert_clean(form)
    _assert_no_personal_data(form)
    _assert_gated(form)
    data = form.instance
    assert data.get("id") == f"patuh_{kind}_{instrument.code.replace('-', '_')}"
    assert data.get("version").startswith(f"{instrument.version}-")
    assert form.bind("respondent_id")["calculate"] == "once(uuid())"
    assert form.bind("instrument_code")["calculate"] == f"'{instrument.code}'"
    for meta in ("start", "end", "today", "deviceid"):
        assert form.bind(meta).get(f"{JR}preload"), meta
    profile = {
        "age_group": 6,
        "sex": 2,
        "education": 6,
        "occupation": 7,
    }
    for name, count in profile.items():
        control = form.control(name)
        assert control.tag == "select1"
        assert len(control.choices) == count
    assert form.control("service_used").tag == "input"
    assert form.control("consent").choices == [("yes", "Ya"), ("no", "Tidak")]


# -- SKM -------------------------------------------------------------------------------------


def test_skm_form_has_u1_to_u9_with_the_official_labels(skm, tmp_path):
    form = to_xform(skm_form(skm), tmp_path)
    _assert_citizen_common(form, skm, "skm")
    for number in range(1, 10):
        code = f"U{number}"
        # top level, no group: an ODK Central or Kobo CSV export has a column named U1 …
        assert form.path(code) == f"/data/{code}"
        control = form.control(code)
        assert control.tag == "select1"
        expected = [(str(level), text) for level, text in skm.indicators[code].rubric.items()]
        assert control.choices == expected
        assert [name for name, _ in control.choices] == ["1", "2", "3", "4"]
        assert control.label.startswith(f"{code}. ")
        assert form.bind(code)["required"] == "true()"
    assert [label for _, label in form.control("U1").choices] == [
        "Tidak sesuai",
        "Kurang sesuai",
        "Sesuai",
        "Sangat sesuai",
    ]
    assert [label for _, label in form.control("U4").choices] == [
        "Sangat mahal",
        "Cukup mahal",
        "Murah",
        "Gratis",
    ]
    assert [label for _, label in form.control("U8").choices][-1] == "Dikelola dengan baik"
    assert form.control("comment").tag == "input"
    assert "required" not in form.bind("comment")


def test_skm_form_is_stable(skm, tmp_path):
    first = to_xform(skm_form(skm), tmp_path, "a")
    second = to_xform(skm_form(skm), tmp_path, "b")
    assert first.instance.get("version") == second.instance.get("version")
    assert first.xml == second.xml


def test_skm_workbook_has_the_standard_sheets(skm):
    book = skm_form(skm)
    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [cell.value for cell in book["survey"][1]]
    assert header[:3] == ["type", "name", f"label::{LANGUAGE}"]
    settings = dict(zip(*book["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_id"] == "patuh_skm_skm_2017"
    assert settings["default_language"] == LANGUAGE
    assert settings["version"].startswith("2017.1-")


@pytest.mark.parametrize("code", ["ombudsman-2023", "pekppp-2023", "kepatuhan-2021"])
def test_skm_form_refuses_an_instrument_without_u1_to_u9(code):
    with pytest.raises(FieldFormError, match="bukan instrumen SKM"):
        skm_form(load_instrument(code))


# -- perception ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["ombudsman-2022", "ombudsman-2023", "ombudsman-2025"])
def test_perception_form_asks_ou1_to_ou5_as_yes_no(code, tmp_path):
    instrument = load_instrument(code)
    form = to_xform(perception_form(instrument), tmp_path)
    _assert_citizen_common(form, instrument, "perception")
    for number in range(1, 6):
        indicator = instrument.indicators[f"OU-{number}"]
        name = f"r_OU_{number}"
        assert form.path(name) == f"/data/{name}"
        control = form.control(name)
        assert control.choices == [("yes", "Ya"), ("no", "Tidak")]
        assert control.label.startswith(f"OU-{number}. {indicator.name}")
        assert "pernah mengalami atau melihat" in control.label
        assert form.bind(name)["required"] == "true()"
    fields = perception_fields(instrument)
    ou = [ref for ref in fields if ref.indicator.startswith("OU-")]
    assert [ref.answer for ref in ou] == ["yes_no"] * 5
    others = [ref for ref in fields if not ref.indicator.startswith("OU-")]
    if code == "ombudsman-2025":
        # the public-trust questions are asked of the same service users, on their rubric
        assert [ref.indicator for ref in others] == ["KM-1", "KM-2", "KM-3"]
        km = form.control("r_KM_1")
        rubric = instrument.indicators["KM-1"].rubric
        assert km.choices == [(str(lvl), f"{lvl} — {text}") for lvl, text in rubric.items()]
    else:
        assert others == []
    names = set(form.names())
    assert not any(n.startswith(("ind_", "p_", "r_IN", "r_PG")) for n in names)


@pytest.mark.parametrize("code", ["skm-2017", "pekppp-2023", "kepatuhan-2021"])
def test_perception_form_refuses_an_instrument_without_ou(code):
    with pytest.raises(FieldFormError, match="persepsi maladministrasi"):
        perception_form(load_instrument(code))


# -- checklist -------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "unit_type"), CHECKLIST_CASES)
def test_checklist_has_every_applicable_indicator_once(code, unit_type, tmp_path):
    instrument = load_instrument(code)
    form = to_xform(checklist_form(instrument, unit_type), tmp_path)
    _assert_clean(form)
    data = form.instance
    assert data.get("id") == f"patuh_checklist_{code.replace('-', '_')}_{unit_type}"
    assert form.bind("unit_type")["calculate"] == f"'{unit_type}'"
    assert form.bind("instrument_code")["calculate"] == f"'{code}'"
    assert form.bind("unit_code")["required"] == "true()"
    assert form.bind("unit_name")["required"] == "true()"

    names = form.names()
    for ind in instrument.indicators.values():
        candidates = [_field(ind.code, prefix) for prefix in ("ind", "r", "p")]
        assert sum(names.count(c) for c in candidates) == 1, ind.code
        if ind.answered_per == "none":
            name = _field(ind.code, "ind")
            assert form.path(name) == f"/data/dim_{ind.dimension_code}/{name}"
            assert form.repeat_of(name) is None
            expected = [(str(lvl), f"{lvl} — {text}") for lvl, text in ind.rubric.items()]
            assert form.control(name).choices == [*expected, ("na", "Tidak berlaku (N/A)")]
            reason = _field(ind.code, "na")
            assert (
                form.bind(reason)["relevant"].replace(" ", "")
                == f"/data/dim_{ind.dimension_code}/{name}='na'"
            )
        elif ind.answered_per == "product":
            name = _field(ind.code, "p")
            assert form.repeat_of(name) == "/data/dim_PR/rep_products"
            choices = [value for value, _ in form.control(name).choices]
            assert choices == [*map(str, ind.rubric), "na"]
        else:
            name = _field(ind.code, "r")
            assert form.repeat_of(name).endswith(f"/rep_{ind.respondents}")
            choices = [value for value, _ in form.control(name).choices]
            if ind.dimension_code == "OU":
                assert choices == ["yes", "no"]
            else:
                assert choices == list(map(str, ind.rubric))

    # the respondent repeats and their counts
    implementers = form.repeats["/data/dim_IN/rep_implementers"]
    assert "implementers_count" in implementers[f"{JR}count"]
    assert form.default("implementers_count") == "4"
    officials = form.repeats["/data/dim_PG/rep_complaint_officials"]
    assert "complaint_officials_count" in officials[f"{JR}count"]
    assert form.default("complaint_officials_count") == "2"
    users = form.repeats["/data/dim_OU/rep_service_users"]
    assert f"{JR}count" not in users
    assert form.repeat_of("implementer_position") == "/data/dim_IN/rep_implementers"
    assert form.repeat_of("complaint_official_position") == "/data/dim_PG/rep_complaint_officials"

    def in_repeat(repeat: str) -> list[str]:
        return sorted(n for n in names if n.startswith("r_") and form.repeat_of(n) == repeat)

    assert in_repeat("/data/dim_IN/rep_implementers") == [f"r_IN_K{i}" for i in range(1, 7)]
    assert in_repeat("/data/dim_PG/rep_complaint_officials") == ["r_PG_7"]
    expected_users = [f"r_OU_{i}" for i in range(1, 6)]
    if code == "ombudsman-2025":
        expected_users += ["r_KM_1", "r_KM_2", "r_KM_3"]
    assert in_repeat("/data/dim_OU/rep_service_users") == sorted(expected_users)

    # the product repeat
    products = form.repeats["/data/dim_PR/rep_products"]
    assert "products_count" in products[f"{JR}count"]
    assert form.default("products_count") == ("5" if unit_type == "polres" else "2")
    for name in ("product_name", "published_physical", "published_electronic", "photo_product"):
        assert form.repeat_of(name) == "/data/dim_PR/rep_products", name
    assert form.control("published_physical").choices == [("yes", "Ya"), ("no", "Tidak")]
    assert sorted(n for n in names if n.startswith("p_")) == [f"p_PR_{i:02d}" for i in range(1, 12)]

    # photo evidence: optional image questions
    for name in ("photo_IN_facilities", "photo_PG_complaint_management", "photo_product"):
        control = form.control(name)
        assert control.tag == "upload"
        assert control.attrib["mediatype"] == "image/*"
        assert form.bind(name)["type"] == "binary"
        assert "required" not in form.bind(name)
    for dimension in instrument.dimensions:
        assert f"notes_{dimension.code}" in names

    # the field map the importer will use agrees with the XForm
    for ref in checklist_fields(instrument, unit_type):
        path = form.path(ref.field)
        if ref.repeat is None:
            assert form.repeat_of(ref.field) is None
        else:
            assert form.repeat_of(ref.field).endswith("/" + ref.repeat), path


def test_checklist_leaves_out_indicators_that_do_not_apply(tmp_path):
    instrument = _restricted(
        load_instrument("ombudsman-2023"),
        {"IN-S8": {"rsud"}, "PR-07": {"rsud", "puskesmas"}, "PG-7": {"dinkes"}, "IN-K5": {"rsud"}},
    )
    dinkes = to_xform(checklist_form(instrument, "dinkes"), tmp_path, "dinkes")
    _assert_clean(dinkes)
    names = set(dinkes.names())
    assert {"ind_IN_S8", "na_IN_S8", "p_PR_07", "pna_PR_07", "r_IN_K5"}.isdisjoint(names)
    assert {"ind_IN_S7", "ind_IN_S9", "p_PR_06", "r_IN_K4", "r_PG_7"} <= names
    assert "lvl_IN_S8" not in dinkes.xml

    puskesmas = to_xform(checklist_form(instrument, "puskesmas"), tmp_path, "puskesmas")
    names = set(puskesmas.names())
    assert "p_PR_07" in names
    assert "ind_IN_S8" not in names
    # no indicator of the complaint officials applies: no repeat, no count for them
    assert "r_PG_7" not in names
    assert "complaint_officials_count" not in names
    assert "/data/dim_PG/rep_complaint_officials" not in puskesmas.repeats

    everything = to_xform(checklist_form(instrument, "lainnya"), tmp_path, "lainnya")
    assert {"ind_IN_S8", "p_PR_07", "r_PG_7", "r_IN_K5"} <= set(everything.names())


def test_checklist_skips_a_dimension_with_no_applicable_indicator(tmp_path):
    instrument = load_instrument("ombudsman-2023")
    pg = [ind.code for ind in instrument.dimensions_by_code["PG"].indicators]
    restricted = _restricted(instrument, {code: {"rsud"} for code in pg})
    form = to_xform(checklist_form(restricted, "disdik"), tmp_path)
    assert not any(path.startswith("/data/dim_PG") for path in form.binds)
    assert "notes_PG" not in form.names()


@pytest.mark.parametrize("code", ["kepatuhan-2021", "pekppp-2023", "ombudsman-2022"])
def test_checklist_of_other_assessor_instruments_converts(code, tmp_path):
    instrument = load_instrument(code)
    form = to_xform(checklist_form(instrument, "disdukcapil"), tmp_path)
    _assert_clean(form)
    fields = checklist_fields(instrument, "disdukcapil")
    assert len(fields) == len(instrument.indicators)
    for ref in fields:
        form.path(ref.field)


def test_checklist_refuses_an_unknown_unit_type_or_a_citizen_only_instrument(skm):
    with pytest.raises(FieldFormError, match=r"jenis unit 'kecamatan' tidak dikenal.*dinkes"):
        checklist_form(load_instrument("ombudsman-2023"), "kecamatan")
    with pytest.raises(FieldFormError, match="skm-2017"):
        checklist_form(skm, "dinkes")


def test_checklist_refuses_a_unit_type_to_which_nothing_applies():
    instrument = load_instrument("ombudsman-2023")
    restricted = _restricted(instrument, {code: {"rsud"} for code in instrument.indicators})
    with pytest.raises(FieldFormError, match="tidak ada indikator"):
        checklist_form(restricted, "dinkes")


# -- plain Python ----------------------------------------------------------------------------


def test_the_fieldforms_package_does_not_import_django():
    folder = Path(patuh.fieldforms.__file__).parent
    for path in folder.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            else:
                continue
            assert all(m.split(".")[0] != "django" for m in modules), path
    code = (
        "import sys\n"
        "from patuh.fieldforms.cli import run\n"
        "from patuh.fieldforms import checklist_form\n"
        "from patuh.scoring import load_instrument\n"
        "checklist_form(load_instrument('ombudsman-2023'), 'dinkes')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_the_2025_checklist_has_the_unit_indicators_only(tmp_path):
    """opini-2025: Input, Proses and Pengaduan are asked per unit; the government-level
    figures (secondary-data Output, public trust) and the compliance level are not."""
    instrument = load_instrument("opini-2025")
    form = to_xform(checklist_form(instrument, "dinkes"), tmp_path)
    _assert_clean(form)
    fields = checklist_fields(instrument, "dinkes")
    applicable = [i for i in instrument.indicators.values() if i.applies_to_unit_type("dinkes")]
    assert len(fields) == len(applicable) > 0
    for ref in fields:
        form.path(ref.field)
    names = " ".join(form.names())
    for code in [*instrument.government_indicators, "KP"]:
        assert code not in names, code
        assert code.replace("-", "_") not in names, code
    with pytest.raises(FieldFormError, match="persepsi maladministrasi"):
        perception_form(instrument)
