"""Facts the published record confirms: the government score is the mean of its units
(2022–24), following up Ombudsman products withholds the certificate instead of changing the
score (2023–24), and the 2025 quality-of-service labels (provisional)."""

from decimal import Decimal

import pytest

from patuh.scoring import (
    GovernmentAnswers,
    InstrumentError,
    UnitAnswers,
    format_score,
    instrument_from_mapping,
    load_instrument,
    score_government,
)
from patuh.scoring.engine import (
    CERTIFICATE_AWARDED,
    CERTIFICATE_NOT_DETERMINED,
    CERTIFICATE_WITHHELD,
    aggregate_units,
)
from patuh.scoring.instrument_excel import (
    instrument_to_mapping,
    read_instrument_xlsx,
    write_instrument_xlsx,
)

REMBANG_2024 = {
    "dinsos": Decimal("100"),
    "puskesmas-pancur": Decimal("99.65"),
    "disdukcapil": Decimal("99.30"),
    "dinkes": Decimal("99.16"),
    "puskesmas-sulang": Decimal("99.08"),
    "disdik": Decimal("97.72"),
    "dpmptsp": Decimal("97.40"),
}
"""Kabupaten Rembang 2024, published 98.90 (jatengpers.com, Dec 2024)."""


def _government(instrument, followed_up, value=3):
    units = [
        UnitAnswers(
            "dinkes", "Dinas Kesehatan", "dinkes", dict.fromkeys(instrument.indicators, value)
        )
    ]
    return GovernmentAnswers("12.05", "Kabupaten Langkat", "kabupaten", units, followed_up)


# -- the government is the mean of its units ------------------------------------------------


def test_rembang_2024_is_the_exact_mean_of_its_seven_units():
    score, weights = aggregate_units("mean", REMBANG_2024)
    # 692.31 / 7 = 98.90142857…
    assert score.quantize(Decimal("0.0001")) == Decimal("98.9014")
    assert format_score(score, 2) == "98.90"
    assert set(weights.values()) == {Decimal(1) / Decimal(7)}
    assert load_instrument("ombudsman-2023").band_for(Decimal("98.90")).category == "A"


def test_product_weighting_stays_an_option():
    products = dict.fromkeys(REMBANG_2024, 2) | {"dinsos": 5}
    score, weights = aggregate_units("product_weighted", REMBANG_2024, products)
    assert weights["dinsos"] == Decimal(5) / Decimal(17)
    assert score > Decimal("98.9014")


@pytest.mark.parametrize("code", ["ombudsman-2022", "ombudsman-2023"])
def test_the_mean_of_units_is_no_longer_provisional_for_2022_to_2024(code):
    instrument = load_instrument(code)
    assert instrument.government_aggregation == "mean"
    assert "instrumen" not in [note.path for note in instrument.provisional_notes]
    assert any("Rembang" in source and "98,9014" in source for source in instrument.sources)


def test_the_mean_of_units_stays_provisional_for_2025():
    instrument = load_instrument("ombudsman-2025")
    top = [note.note for note in instrument.provisional_notes if note.path == "instrumen"]
    assert len(top) == 1
    assert "2025" in top[0]
    assert "belum dikonfirmasi" in top[0]


# -- follow-up withholds the certificate, not points ------------------------------------------


@pytest.mark.parametrize(
    ("followed_up", "status", "reason"),
    [
        (True, CERTIFICATE_AWARDED, None),
        (False, CERTIFICATE_WITHHELD, "produk Ombudsman belum ditindaklanjuti tuntas"),
        (None, CERTIFICATE_NOT_DETERMINED, "status tindak lanjut produk Ombudsman belum diketahui"),
    ],
)
def test_2023_follow_up_decides_the_certificate(followed_up, status, reason):
    instrument = load_instrument("ombudsman-2023")
    result = score_government(instrument, _government(instrument, followed_up, value=2))
    assert result.certificate is not None
    assert (result.certificate.status, result.certificate.reason) == (status, reason)
    assert result.certificate.provisional


def test_follow_up_changes_neither_score_nor_opinion_in_2023():
    instrument = load_instrument("ombudsman-2023")
    done = score_government(instrument, _government(instrument, True, value=2))
    not_done = score_government(instrument, _government(instrument, False, value=2))
    assert done.score == not_done.score
    assert (done.band, done.opinion) == (not_done.band, not_done.opinion)
    assert instrument.follow_up_adjustment == "none"
    assert "tidak mengubah nilai" in instrument.follow_up_note
    assert "Papua" in instrument.follow_up_note
    assert "follow_up_adjustment" not in [n.path for n in instrument.provisional_notes]


def test_2022_gives_every_assessed_government_its_certificate():
    instrument = load_instrument("ombudsman-2022")
    assert instrument.cycles == (2022,)
    assert instrument.certificate is not None
    assert instrument.certificate.withheld_unless is None
    result = score_government(instrument, _government(instrument, False))
    assert result.certificate is not None
    assert result.certificate.awarded


def test_the_2023_instrument_covers_2023_and_2024_only():
    assert load_instrument("ombudsman-2023").cycles == (2023, 2024)


def test_2025_keeps_its_suffix_and_has_no_certificate_rule_here():
    instrument = load_instrument("ombudsman-2025")
    result = score_government(instrument, _government(instrument, True))
    assert result.certificate is None
    assert result.opinion.endswith("Tanpa Maladministrasi")


# -- 2025 quality labels ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "label"),
    [
        ("92.36", "Sangat Baik"),
        ("87.85", "Baik"),
        ("78.19", "Baik"),
        ("69.63", "Cukup"),
        ("57.61", "Cukup"),
        ("53.38", "Kurang"),
        ("10.00", "Sangat Kurang"),
    ],
)
def test_2025_observed_scores_get_their_observed_quality_label(score, label):
    assert load_instrument("ombudsman-2025").band_for(Decimal(score)).quality_label == label


def test_the_2025_labels_are_flagged_provisional_and_the_lowest_says_it_is_unknown():
    instrument = load_instrument("ombudsman-2025")
    notes = {n.path: n.note for n in instrument.provisional_notes}
    for band in instrument.bands:
        assert "label" in notes[f"bands.{band.category}"].lower()
    assert "belum diketahui" in notes["bands.E"]


def test_instruments_before_2025_have_no_quality_label():
    for code in ("ombudsman-2022", "ombudsman-2023"):
        assert {band.quality_label for band in load_instrument(code).bands} == {None}


def test_a_government_result_carries_its_band_quality_label():
    instrument = load_instrument("ombudsman-2025")
    result = score_government(instrument, _government(instrument, None))
    assert result.quality_label == "Sangat Baik"
    assert result.units[0].band.quality_label == "Sangat Baik"


# -- validation and the Excel round trip -----------------------------------------------------


def _mapping(**changes):
    data = instrument_to_mapping(load_instrument("ombudsman-2023"))
    data.update(changes)
    return data


def test_an_unknown_certificate_condition_is_named():
    bad = _mapping(certificate={"withheld_unless": "bribes_paid", "note": "x"})
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(bad, "x.yaml")
    assert "certificate.withheld_unless" in str(caught.value)
    assert "bribes_paid" in str(caught.value)


def test_a_certificate_rule_needs_its_note():
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(_mapping(certificate={}), "x.yaml")
    assert "certificate.note" in str(caught.value)


def test_an_empty_quality_label_is_refused():
    data = _mapping()
    data["bands"][0]["quality_label"] = "  "
    with pytest.raises(InstrumentError) as caught:
        instrument_from_mapping(data, "x.yaml")
    assert "bands.A.quality_label" in str(caught.value)


@pytest.mark.parametrize("code", ["ombudsman-2022", "ombudsman-2023", "ombudsman-2025"])
def test_certificate_follow_up_note_and_labels_survive_excel(tmp_path, code):
    instrument = load_instrument(code)
    path = tmp_path / f"{code}.xlsx"
    write_instrument_xlsx(instrument, path)
    back = read_instrument_xlsx(path)
    assert back.certificate == instrument.certificate
    assert back.follow_up_note == instrument.follow_up_note
    assert [b.quality_label for b in back.bands] == [b.quality_label for b in instrument.bands]
