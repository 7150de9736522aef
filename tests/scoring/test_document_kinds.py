"""The evidence locker's vocabulary of document kinds and the indicator mapping."""

from __future__ import annotations

import copy
import dataclasses
from decimal import Decimal
from pathlib import Path

import pytest

from patuh.scoring import instrument_from_mapping, load_instrument
from patuh.scoring.documents import (
    document_kinds,
    kinds_from_mapping,
    normalised,
    program_of,
    shared_kinds,
    uses,
    where_it_counts,
)
from patuh.scoring.errors import InstrumentError
from patuh.scoring.instrument_excel import (
    instrument_to_mapping,
    read_instrument_xlsx,
    write_instrument_xlsx,
)

OMBUDSMAN = load_instrument("ombudsman-2023")
OPINI = load_instrument("opini-2025")
PEKPPP = load_instrument("pekppp-2024")


def test_the_vocabulary_names_every_kind_in_indonesian_with_a_threshold():
    kinds = document_kinds()
    for code in (
        "maklumat_pelayanan",
        "standar_pelayanan",
        "sop_pengaduan",
        "sk_pengelola_pengaduan",
        "laporan_skm",
        "rencana_tindak_lanjut_skm",
        "sk_inovasi",
        "kode_etik",
        "jadwal_layanan",
    ):
        assert kinds[code].name, code
        assert kinds[code].description, code
    assert kinds.disagreement_threshold == Decimal("0.34")


def test_every_kind_counts_somewhere():
    for code in document_kinds().kinds:
        assert where_it_counts(code), code


def test_the_maklumat_counts_for_the_ombudsman_indicator_and_pekppp_kp05():
    found = where_it_counts("maklumat_pelayanan")
    assert ("ombudsman-2023", "PR-06") in found
    assert ("opini-2025", "PR-06") in found
    assert ("pekppp-2024", "KP-05") in found
    assert found == sorted(found)
    assert all(code in {"PR-06", "KP-05", "KP-5"} for _, code in found)


def test_standar_pelayanan_skm_and_complaint_documents_map_where_the_indicator_asks():
    assert {("pekppp-2024", "KP-01"), ("pekppp-2024", "KP-04"), ("ombudsman-2023", "IN-S6")} <= set(
        where_it_counts("standar_pelayanan")
    )
    assert [c for i, c in where_it_counts("laporan_skm") if i == "pekppp-2024"] == [
        "KP-06",
        "KP-07",
    ]
    assert [c for i, c in where_it_counts("rencana_tindak_lanjut_skm") if i == "pekppp-2024"] == [
        "KP-08",
        "KP-09",
    ]
    sop = set(where_it_counts("sop_pengaduan"))
    assert {("ombudsman-2023", "PG-2"), ("pekppp-2024", "KS-01")} <= sop
    sk = set(where_it_counts("sk_pengelola_pengaduan"))
    assert {("opini-2025", "PG-3"), ("pekppp-2024", "KS-01")} <= sk
    # The SKM is no Ombudsman indicator: nothing Ombudsman counts it.
    assert not [i for i, _ in where_it_counts("laporan_skm") if i.startswith("ombudsman")]


def test_uses_carry_names_and_programme():
    (use,) = [u for u in uses("maklumat_pelayanan") if u.instrument_code == "pekppp-2024"]
    assert use.program == "pekppp"
    assert use.indicator_name.startswith("Siklus Maklumat")
    assert program_of(OMBUDSMAN) == "ombudsman"
    assert program_of(load_instrument("skm-2017")) is None


def test_an_unknown_kind_is_an_error_not_an_empty_list():
    with pytest.raises(KeyError, match="tidak dikenal"):
        where_it_counts("surat_cinta")


def test_shared_kinds_are_the_facts_both_programmes_score():
    shared = shared_kinds(OMBUDSMAN, PEKPPP)
    assert "maklumat_pelayanan" in shared
    assert "sop_pengaduan" in shared
    assert "laporan_skm" not in shared
    assert shared_kinds(OPINI, PEKPPP) == shared


def test_normalised_puts_both_scales_on_zero_to_one():
    assert normalised(Decimal(2), OMBUDSMAN.indicators["PR-06"]) == Decimal("0.6667")
    assert normalised(Decimal(4), PEKPPP.indicators["KP-05"]) == Decimal("0.8000")
    assert normalised(Decimal(0), PEKPPP.indicators["KP-05"]) == Decimal("0")


def _with_documents(documents: object) -> dict:
    mapping = copy.deepcopy(instrument_to_mapping(OMBUDSMAN))
    mapping["dimensions"][0]["variables"][0]["indicators"][0]["documents"] = documents
    return mapping


def test_an_unknown_kind_code_in_an_instrument_names_the_indicator():
    with pytest.raises(InstrumentError) as error:
        instrument_from_mapping(_with_documents(["maklumat_pelayanan", "sk_palsu"]), "uji")
    (problem,) = error.value.problems
    assert problem.where == "dimensions.IN.variables.competence.indicators.IN-K1.documents"
    assert "sk_palsu" in problem.reason


@pytest.mark.parametrize("documents", [[], "maklumat_pelayanan", [["x"]]])
def test_documents_must_be_a_non_empty_list_of_codes(documents):
    with pytest.raises(InstrumentError, match=r"IN-K1\.documents"):
        instrument_from_mapping(_with_documents(documents), "uji")


def test_a_kind_named_twice_is_refused():
    with pytest.raises(InstrumentError, match="dua kali"):
        instrument_from_mapping(_with_documents(["kode_etik", "kode_etik"]), "uji")


def test_the_vocabulary_itself_is_validated():
    raw = {
        "format": "patuh.document-kinds/1",
        "comparison": {"disagreement_threshold": "1.5"},
        "kinds": [
            {"code": "Maklumat", "name": "x"},
            {"code": "sop", "name": ""},
            {"code": "sop", "name": "SOP"},
        ],
    }
    with pytest.raises(InstrumentError) as error:
        kinds_from_mapping(raw)
    wheres = {p.where for p in error.value.problems}
    assert wheres == {
        "comparison.disagreement_threshold",
        "kinds[0].code",
        "kinds.sop.name",
        "kinds.sop",
    }


@pytest.mark.parametrize("code", ["ombudsman-2023", "opini-2025", "pekppp-2024"])
def test_the_excel_round_trip_keeps_the_documents(code, tmp_path: Path):
    instrument = load_instrument(code)
    path = tmp_path / f"{code}.xlsx"
    write_instrument_xlsx(instrument, path)
    back = read_instrument_xlsx(path)
    assert {c: i.documents for c, i in back.indicators.items()} == {
        c: i.documents for c, i in instrument.indicators.items()
    }
    assert dataclasses.replace(back, source_path="", source_sha256="") == dataclasses.replace(
        instrument, source_path="", source_sha256=""
    )


def test_an_unknown_kind_in_a_workbook_is_reported_at_its_row(tmp_path: Path):
    import openpyxl

    path = tmp_path / "salah.xlsx"
    write_instrument_xlsx(PEKPPP, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Indikator"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("documents") + 1
    sheet.cell(row=2, column=column, value="maklumat_pelayanan, sk_palsu")
    book.save(path)
    with pytest.raises(InstrumentError, match="sk_palsu") as error:
        read_instrument_xlsx(path)
    assert "baris 2" in str(error.value)
