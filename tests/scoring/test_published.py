"""The published-results check: each published figure against its instrument's bands.

Golden rows are taken from the packaged dataset; crafted rows show that the check can fail
and that it names the row."""

from __future__ import annotations

import dataclasses
import io
from decimal import Decimal

import pytest

from patuh.scoring import Band, load_instrument
from patuh.scoring.published import (
    COLUMNS,
    PublishedDataError,
    parse_published,
    published_for,
    read_published,
)
from patuh.scoring.published_check import (
    AGREE,
    DISAGREE,
    NOT_CHECKABLE,
    check_figure,
    check_published,
    instrument_for,
)


@pytest.fixture(scope="module")
def packaged():
    return read_published()


def csv_rows(*rows: dict[str, str]) -> list:
    """Figures parsed from CSV rows (unnamed columns empty; a source always given)."""
    out = io.StringIO()
    out.write(",".join(COLUMNS) + "\n")
    for row in rows:
        values = {"source_title": "Uji", "confidence": "high", **row}
        out.write(",".join(values.get(column, "") for column in COLUMNS) + "\n")
    return parse_published(io.StringIO(out.getvalue()), "uji.csv")


def figure(**values):
    base = {"program": "ombudsman", "entity_kind": "kabupaten", "entity_name": "Kabupaten Uji"}
    return csv_rows({**base, **values})[0]


def test_the_packaged_dataset_passes_the_check(packaged):
    report = check_published(packaged)
    assert report.disagreements() == []
    assert report.ok
    assert report.total == len(packaged) == 194
    assert report.checked + report.not_checkable == report.total
    assert report.checked >= 140


def test_labuhanbatu_2022_published_c_agrees(packaged):
    labuhanbatu = published_for(packaged, "12.10", 2022)
    assert (labuhanbatu.score, labuhanbatu.category) == (Decimal("59.94"), "C")
    finding = check_figure(labuhanbatu, [load_instrument("ombudsman-2022")])
    assert finding.outcome == AGREE
    assert finding.instrument_code == "ombudsman-2022"


def test_a_score_and_category_that_disagree_fail_naming_the_row():
    figures = csv_rows(
        {"program": "ombudsman", "year": "2022", "entity_name": "Kabupaten Labuhanbatu",
         "entity_kind": "kabupaten", "kemendagri_code": "12.10", "score": "59.94",
         "category": "C"},
        {"program": "ombudsman", "year": "2022", "entity_name": "Kabupaten Uji",
         "entity_kind": "kabupaten", "score": "59.94", "category": "A"},
    )  # fmt: skip
    report = check_published(figures)
    assert not report.ok
    assert (report.agree, report.disagree) == (1, 1)
    assert report.disagreements() == [
        "baris 3 (Kabupaten Uji, ombudsman 2022): dipublikasikan kategori A tetapi nilai 59.94 "
        "masuk kategori C (ombudsman-2022)"
    ]


def test_the_score_is_rounded_half_up_before_it_is_placed_in_a_band():
    assert check_figure(figure(year="2023", score="87.995", category="A"), _all()).outcome == AGREE
    assert check_figure(figure(year="2023", score="87.994", category="A"), _all()).outcome == (
        DISAGREE
    )


def _all():
    from patuh.scoring import list_instruments

    return list_instruments()


def test_2018_zone_rows_are_checked_under_the_compliance_survey(packaged):
    rows_2018 = [f for f in packaged if f.year == 2018]
    assert rows_2018
    for row in rows_2018:
        finding = check_figure(row, _all())
        assert finding.instrument_code == "kepatuhan-2021"
        assert finding.outcome == AGREE, finding.messages()
    # 75.77 is kuning (51.00–80.99): a row published as hijau fails, category and label alike
    wrong = figure(year="2018", score="75.77", category="hijau", zone="hijau", label="Zona Hijau")
    finding = check_figure(wrong, _all())
    assert finding.outcome == DISAGREE
    assert len(finding.disagreements) == 3
    assert "nilai 75.77 masuk zona kuning (kepatuhan-2021)" in finding.disagreements[0]


def test_a_kepatuhan_label_is_compared_with_the_opinion():
    good = check_figure(figure(year="2019", score="85.00", label="Kepatuhan Tinggi"), _all())
    assert good.outcome == AGREE
    bad = check_figure(figure(year="2019", score="55.00", label="Kepatuhan Tinggi"), _all())
    assert bad.outcome == DISAGREE


def test_a_pekppp_row_is_checked_under_pekppp(packaged):
    madiun = published_for(packaged, "35.77", 2024, program="pekppp")
    finding = check_figure(madiun, _all())
    assert finding.instrument_code == "pekppp-2024"
    assert finding.outcome == AGREE
    # an Ombudsman-scale number is outside every PEKPPP band (1–5)
    outside = check_figure(
        figure(program="pekppp", year="2024", score="85.00", category="A"), _all()
    )
    assert outside.outcome == DISAGREE
    assert "di luar semua kategori" in outside.disagreements[0]
    wrong = check_figure(figure(program="pekppp", year="2024", score="4.67", category="B"), _all())
    assert wrong.outcome == DISAGREE


def test_a_2025_opinion_label_is_compared_without_its_suffix():
    sedang = figure(year="2025", score="62.57", label="Kualitas Sedang Tanpa Maladministrasi")
    assert check_figure(sedang, _all()).outcome == AGREE
    tinggi = figure(year="2025", score="84.43", label="kategori tinggi")
    assert check_figure(tinggi, _all()).outcome == AGREE
    wrong = figure(year="2025", score="62.57", label="Kualitas Tertinggi Tanpa Maladministrasi")
    finding = check_figure(wrong, _all())
    assert finding.outcome == DISAGREE
    assert "masuk C (Kualitas Sedang)" in finding.disagreements[0]


def test_an_opinion_without_a_score_must_exist_in_the_instrument():
    known = figure(year="2025", label="Kualitas Tertinggi Tanpa Maladministrasi")
    assert check_figure(known, _all()).outcome == AGREE
    assert check_figure(figure(year="2024", category="F"), _all()).outcome == DISAGREE
    mismatch = check_figure(figure(year="2024", category="A", label="Kualitas Rendah"), _all())
    assert mismatch.outcome == DISAGREE


def test_a_quality_label_is_not_checkable_without_the_instrument_s_quality_labels():
    instrument = load_instrument("ombudsman-2025")
    plain = dataclasses.replace(
        instrument,
        bands=tuple(
            Band(b.category, b.opinion, b.minimum, b.maximum, b.zone) for b in instrument.bands
        ),
    )
    polres = figure(year="2025", entity_kind="polres", score="92.36", label="sangat baik")
    finding = check_figure(polres, [plain])
    assert finding.outcome == NOT_CHECKABLE
    assert "tidak dapat diperiksa" in finding.notes[0]
    # with the packaged instrument it is either checked and agrees, or not checkable
    assert check_figure(polres, [instrument]).outcome in (AGREE, NOT_CHECKABLE)


def test_a_year_without_an_instrument_is_not_checkable():
    finding = check_figure(figure(year="2014", score="70.00", category="kuning"), _all())
    assert finding.outcome == NOT_CHECKABLE
    assert instrument_for("ombudsman", 2020) is None


def test_the_instrument_is_picked_by_program_and_year():
    assert instrument_for("ombudsman", 2018).code == "kepatuhan-2021"
    assert instrument_for("ombudsman", 2022).code == "ombudsman-2022"
    assert instrument_for("ombudsman", 2024).code == "ombudsman-2023"
    # the transitional 2025 file is superseded by the Perom 61/2025 method
    assert instrument_for("ombudsman", 2025).code == "opini-2025"
    # the 2024 F-02 form (30 indicators) is the one in force for 2024 and 2025; the earlier
    # reading stays the instrument of 2023
    assert instrument_for("pekppp", 2023).code == "pekppp-2023"
    assert instrument_for("pekppp", 2024).code == "pekppp-2024"
    assert instrument_for("pekppp", 2025).code == "pekppp-2024"


def test_a_bad_file_names_its_row_and_column():
    with pytest.raises(PublishedDataError, match="baris 2, kolom score"):
        csv_rows({"program": "ombudsman", "year": "2022", "entity_name": "X",
                  "entity_kind": "kota", "score": "sembilan"})  # fmt: skip
