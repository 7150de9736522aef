"""The two seed stories as data, and a deterministic generator of synthetic answers.

Plain Python (no Django): the web demo, the example files and the tests share it.

The stories' governments, units, products and dates come from INSTRUMENTS.md §6; every
answer produced here is **synthetic** — plausible, reproducible, and never an official
result. Anything built from this module carries :data:`SYNTHETIC_LABEL`.

Where the Ombudsman published a government's figure for a demo year (the packaged dataset
read by :mod:`patuh.scoring.published`), :func:`calibrated` shifts the qualities of all its
units by one amount until the synthetic official assessment lands on the published category
and within half a point of the published score: the demo never contradicts a published result.

For the 2025+ method (``opini-2025``) :func:`synthetic_government_figures` makes the
government-level figures (Output from secondary data, the public-trust index), each with its
data year, a source and :data:`SYNTHETIC_FIGURE_NOTE`; no published value exists for them in
the packaged dataset, so none is contradicted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache, lru_cache

from patuh.scoring import (
    NA,
    GovernmentAnswers,
    Indicator,
    Instrument,
    UnitAnswers,
    load_instrument,
    score_government,
)
from patuh.scoring.published import PublishedFigure, published_for, read_published

SYNTHETIC_LABEL = "Data sintetis — bukan hasil penilaian resmi"
SYNTHETIC_FIGURE_NOTE = "Data sintetis untuk demonstrasi"
"""The note on every government-level figure the demo makes up (see
:func:`synthetic_government_figures`)."""
PUBLISHED_FIGURE_NOTE = "Nilai terpublikasi (bukan sintetis), dipakai dalam data demonstrasi"
"""The note on a figure the demo takes from the packaged published dataset."""

PROVINCE_CODE = "12"
PROVINCE_NAME = "Sumatera Utara"

INTERVIEWEES_PER_UNIT = 4
"""Officials interviewed per unit for the competence indicators."""
COMPLAINT_INTERVIEWEES_PER_UNIT = 2
"""Complaint officials interviewed per unit for the complaint-management indicators."""
USERS_PER_GOVERNMENT = 30
"""Service users per government in the national demo's perception indicators (see
:func:`spread`); the Sumatera Utara demo gives every unit its own number."""
SERVICE_USERS_PER_UNIT = (9, 16)
"""Fewest and most service users a demo unit interviews for the perception indicators."""
ILLUSTRATIVE = "ilustratif"
"""Marks a unit name the sources do not give: the story needed one and invented it."""
CALIBRATION_TOLERANCE = Decimal("0.5")
"""How far from a published score the demo's official result may land (same category)."""

_NA_CANDIDATES = ("PR-07", "PR-11", "IN-S3")
_MISSING_CANDIDATES = ("IN-S5", "IN-S9", "PG-5", "PR-09")


@dataclass(frozen=True)
class UnitStory:
    code: str
    name: str
    type: str
    products: tuple[str, ...]
    quality: float
    """0–1: how well the unit meets the standard in the story year's official assessment."""
    yearly_user_population: int | None = None
    not_applicable: tuple[str, ...] = ()
    """Indicators the synthetic answers mark N/A."""
    missing: tuple[str, ...] = ()
    """Indicators the synthetic answers deliberately leave out."""
    service_users: int = 12
    """Service users interviewed in the unit for the maladministration-perception indicators."""
    illustrative: bool = False
    """The name is invented for the story (not from the sources); it then ends in
    "(ilustratif)" wherever it is shown."""


@dataclass(frozen=True)
class StageStory:
    stage: str
    """A cycle stage code: sosialisasi, self_assessment, pre_evaluation, data_collection, …"""
    starts_on: date
    ends_on: date
    note: str
    held: bool = True
    """``True`` when the sources say it happened on those dates; ``False`` when they only
    say it was planned (the note then says "direncanakan")."""


@dataclass(frozen=True)
class Story:
    code: str
    government_code: str
    """Kemendagri region code (not the BPS code)."""
    government_name: str
    government_kind: str
    year: int
    instrument_code: str
    units: tuple[UnitStory, ...]
    stages: tuple[StageStory, ...] = ()
    summary: str = ""
    kinds: tuple[str, ...] = ("official",)
    """Kinds of assessment in the story (``self``, ``pre_evaluation``, ``official``)."""
    kind_units: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Which units a kind covers, as (kind, unit codes); a kind not named covers every unit."""
    quality_shift: float = 0.0
    """Added to every unit's quality when answers are generated (see :func:`calibrated`)."""
    self_optimism: float = 0.2
    """How much higher the pemda rates itself than the official assessment does."""
    province_code: str = PROVINCE_CODE
    synthetic: bool = True
    label: str = SYNTHETIC_LABEL

    def units_of_kind(self, kind: str) -> tuple[UnitStory, ...]:
        """The units an assessment of ``kind`` covers (every unit unless the story says)."""
        codes = dict(self.kind_units).get(kind)
        if codes is None:
            return self.units
        return tuple(unit for unit in self.units if unit.code in codes)


def illustrative_name(name: str) -> str:
    """``name`` marked as invented for the story: "Puskesmas Sigambal (ilustratif)"."""
    return f"{name} ({ILLUSTRATIVE})"


def service_users_for(government_code: str, unit_code: str) -> int:
    """The unit's perception respondents: 9–16, the same every time for that unit."""
    rng = random.Random(f"patuh-demo/service-users/{government_code}/{unit_code}")
    return rng.randint(*SERVICE_USERS_PER_UNIT)


def spread(total: int, count: int) -> list[int]:
    """``total`` respondents spread as evenly as possible over ``count`` units (at least 1)."""
    shares = []
    left = total
    for position in range(count):
        share = max(1, round(left / (count - position)))
        shares.append(share)
        left -= share
    return shares


def _unit(
    government_code: str,
    code: str,
    name: str,
    type: str,
    products: tuple[str, str],
    quality: float,
    population: int,
    *,
    not_applicable: tuple[str, ...] = (),
    missing: tuple[str, ...] = (),
    illustrative: bool = False,
) -> UnitStory:
    return UnitStory(
        code,
        illustrative_name(name) if illustrative else name,
        type,
        products,
        quality,
        population,
        not_applicable,
        missing,
        service_users_for(government_code, code),
        illustrative,
    )


PRODUCTS: dict[str, tuple[str, str]] = {
    "disdik": (
        "Legalisasi fotokopi ijazah/STTB",
        "Surat keterangan pengganti ijazah yang hilang atau rusak",
    ),
    "dinkes": (
        "Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)",
        "Sertifikat laik higiene sanitasi depot air minum",
    ),
    "dinsos": (
        "Pendaftaran dan pemutakhiran Data Terpadu Kesejahteraan Sosial (DTKS)",
        "Surat rekomendasi Penerima Bantuan Iuran Jaminan Kesehatan (PBI-JK)",
    ),
    "disdukcapil": ("Penerbitan KTP-el", "Penerbitan Kartu Keluarga"),
    "dpmptsp": (
        "Persetujuan Bangunan Gedung (PBG)",
        "Surat Izin Praktik tenaga kesehatan",
    ),
    "puskesmas": ("Pelayanan rawat jalan poli umum", "Surat keterangan sehat"),
}

POPULATION: dict[str, int] = {
    "disdik": 6_000,
    "dinkes": 2_500,
    "dinsos": 14_000,
    "disdukcapil": 65_000,
    "dpmptsp": 3_500,
    "puskesmas": 24_000,
}

LABUHANBATU = "12.10"
LANGKAT = "12.05"

LABUHANBATU_2022 = Story(
    code="labuhanbatu-2022",
    government_code=LABUHANBATU,
    government_name="Kabupaten Labuhanbatu",
    government_kind="kabupaten",
    year=2022,
    instrument_code="ombudsman-2022",
    units=(
        _unit(LABUHANBATU, "disdik", "Dinas Pendidikan", "disdik", PRODUCTS["disdik"], 0.58, 7_200),
        _unit(LABUHANBATU, "dinkes", "Dinas Kesehatan", "dinkes", PRODUCTS["dinkes"], 0.80, 2_100),
        _unit(
            LABUHANBATU,
            "dinsos",
            "Dinas Sosial",
            "dinsos",
            PRODUCTS["dinsos"],
            0.42,
            15_500,
            missing=("PG-5",),
        ),
        _unit(
            LABUHANBATU,
            "disdukcapil",
            "Disdukcapil",
            "disdukcapil",
            PRODUCTS["disdukcapil"],
            0.93,
            71_000,
        ),
        _unit(LABUHANBATU, "dpmptsp", "DPMPTSP", "dpmptsp", PRODUCTS["dpmptsp"], 0.86, 3_900),
        # The sources name no Puskesmas of Labuhanbatu: these two are invented for the story.
        _unit(
            LABUHANBATU,
            "puskesmas-sigambal",
            "Puskesmas Sigambal",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.66,
            28_000,
            not_applicable=("PR-11",),
            illustrative=True,
        ),
        _unit(
            LABUHANBATU,
            "puskesmas-aek-paing",
            "Puskesmas Aek Paing",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.30,
            21_000,
            not_applicable=("PR-11",),
            missing=("IN-S5",),
            illustrative=True,
        ),
    ),
    stages=(
        StageStory(
            "sosialisasi",
            date(2022, 8, 1),
            date(2022, 8, 1),
            "Terlaksana 1 Agustus 2022: lokakarya penilaian oleh Ombudsman RI Perwakilan "
            "Sumatera Utara.",
        ),
        StageStory(
            "self_assessment",
            date(2022, 8, 4),
            date(2022, 8, 4),
            "Terlaksana Kamis 4 Agustus 2022: rapat teknis persiapan Kabupaten Labuhanbatu "
            "dipimpin Asisten III bersama Dinas Pendidikan, Dinas Kesehatan, Dinas Sosial, "
            "Disdukcapil dan DPMPTSP.",
        ),
        StageStory(
            "data_collection",
            date(2022, 8, 15),
            date(2022, 8, 21),
            "Direncanakan: penilaian seluruh kabupaten/kota di Sumatera Utara pada pekan "
            "ketiga Agustus 2022. Tanggal pelaksanaannya tidak disebut sumber.",
            held=False,
        ),
    ),
    summary=(
        "Ombudsman RI Perwakilan Sumatera Utara menggelar lokakarya penilaian pada 1 Agustus "
        "2022. Pada Kamis 4 Agustus 2022 Asisten III memimpin rapat teknis persiapan bersama "
        "Dinas Pendidikan, Dinas Kesehatan, Dinas Sosial, Disdukcapil dan DPMPTSP; penilaian "
        "seluruh kabupaten/kota di Sumatera Utara direncanakan pada pekan ketiga Agustus 2022. "
        "Nama kedua Puskesmas bersifat ilustratif."
    ),
)

LANGKAT_MONITORED_UNITS = (
    "dinkes",
    "dinsos",
    "dpmptsp",
    "disdukcapil",
    "puskesmas-karang-rejo",
    "puskesmas-tanjung-beringin",
)
"""The six units the Sekda monitored on 18–20 July 2023 (not Dinas Pendidikan)."""

LANGKAT_2023 = Story(
    code="langkat-2023",
    government_code=LANGKAT,
    government_name="Kabupaten Langkat",
    government_kind="kabupaten",
    year=2023,
    instrument_code="ombudsman-2023",
    units=(
        _unit(LANGKAT, "dinkes", "Dinas Kesehatan", "dinkes", PRODUCTS["dinkes"], 0.56, 2_800),
        _unit(
            LANGKAT,
            "dinsos",
            "Dinas Sosial",
            "dinsos",
            PRODUCTS["dinsos"],
            0.50,
            17_000,
            missing=("IN-S9",),
        ),
        _unit(LANGKAT, "dpmptsp", "DPMPTSP", "dpmptsp", PRODUCTS["dpmptsp"], 0.94, 4_300),
        _unit(
            LANGKAT,
            "disdukcapil",
            "Disdukcapil",
            "disdukcapil",
            PRODUCTS["disdukcapil"],
            0.90,
            83_000,
        ),
        _unit(LANGKAT, "disdik", "Dinas Pendidikan", "disdik", PRODUCTS["disdik"], 0.46, 8_100),
        _unit(
            LANGKAT,
            "puskesmas-karang-rejo",
            "Puskesmas Karang Rejo",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.80,
            26_000,
            not_applicable=("PR-11",),
        ),
        _unit(
            LANGKAT,
            "puskesmas-tanjung-beringin",
            "Puskesmas Tanjung Beringin",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.40,
            19_000,
            not_applicable=("PR-11",),
            missing=("PG-5",),
        ),
    ),
    stages=(
        StageStory(
            "sosialisasi",
            date(2023, 5, 31),
            date(2023, 5, 31),
            "Surat pemberitahuan Ombudsman RI nomor B/1673/PC.02/V/2023 tanggal 31 Mei 2023: "
            "penilaian penyelenggaraan pelayanan publik 2023 direncanakan Juli–Oktober 2023.",
        ),
        StageStory(
            "pre_evaluation",
            date(2023, 6, 26),
            date(2023, 6, 26),
            "Terlaksana 26 Juni 2023: laporan pra-evaluasi Ombudsman RI Perwakilan Sumatera Utara.",
        ),
        StageStory(
            "self_assessment",
            date(2023, 7, 18),
            date(2023, 7, 20),
            "Terlaksana 18–20 Juli 2023: monitoring Sekda Kabupaten Langkat ke enam unit "
            "layanan — Dinas Kesehatan, Dinas Sosial, DPMPTSP, Disdukcapil, Puskesmas Karang "
            "Rejo dan Puskesmas Tanjung Beringin.",
        ),
        StageStory(
            "data_collection",
            date(2023, 7, 1),
            date(2023, 10, 31),
            "Direncanakan Juli–Oktober 2023 (surat B/1673/PC.02/V/2023). Terlaksana 25 Juli "
            "2023: kunjungan penilaian Ombudsman ke Kabupaten Langkat.",
            held=False,
        ),
    ),
    summary=(
        "Surat pemberitahuan Ombudsman RI B/1673/PC.02/V/2023 (31 Mei 2023) mengumumkan "
        "penilaian 2023, direncanakan Juli–Oktober 2023. Ombudsman RI Perwakilan Sumatera Utara "
        "melaporkan pra-evaluasi pada 26 Juni 2023. Sekda Kabupaten Langkat memonitor enam unit "
        "layanan pada 18–20 Juli 2023, dan Ombudsman berkunjung untuk penilaian pada 25 Juli "
        "2023."
    ),
    kinds=("self", "official"),
    kind_units=(("self", LANGKAT_MONITORED_UNITS),),
    self_optimism=0.2,
)

STORIES: tuple[Story, ...] = (LABUHANBATU_2022, LANGKAT_2023)

CYCLE_INSTRUMENTS: dict[int, str] = {2022: "ombudsman-2022", 2023: "ombudsman-2023"}
"""The demo's cycles for Sumatera Utara and the instrument each uses."""


def story_of_year(year: int) -> Story:
    """The seed story whose dates make the stages of that year's cycle."""
    return next(story for story in STORIES if story.year == year)


KABUPATEN_UNITS: tuple[tuple[str, str, str], ...] = (
    ("dinkes", "Dinas Kesehatan", "dinkes"),
    ("puskesmas-1", "Puskesmas I", "puskesmas"),
    ("puskesmas-2", "Puskesmas II", "puskesmas"),
    ("disdik", "Dinas Pendidikan", "disdik"),
    ("dinsos", "Dinas Sosial", "dinsos"),
    ("dpmptsp", "DPMPTSP", "dpmptsp"),
    ("disdukcapil", "Disdukcapil", "disdukcapil"),
)
"""The seven units assessed in a kabupaten/kota: (code, name, unit type)."""


def generic_units(government_code: str) -> tuple[UnitStory, ...]:
    """The seven units typically assessed in a kabupaten/kota, with synthetic qualities."""
    rng = random.Random(f"patuh-demo/units/{government_code}")
    base = rng.uniform(0.35, 0.92)
    units = []
    for code, name, type_ in KABUPATEN_UNITS:
        quality = min(0.98, max(0.1, base + rng.gauss(0, 0.14)))
        population = int(POPULATION[type_] * rng.uniform(0.5, 1.6))
        na = ("PR-11",) if type_ == "puskesmas" else ()
        units.append(
            UnitStory(
                code,
                name,
                type_,
                PRODUCTS[type_],
                round(quality, 2),
                population,
                na,
                service_users=service_users_for(government_code, code),
            )
        )
    return tuple(units)


def units_for(government_code: str) -> tuple[UnitStory, ...]:
    """The units a demo government has: its seed story's, else the generic seven."""
    for story in STORIES:
        if story.government_code == government_code:
            return story.units
    return generic_units(government_code)


def story_for(government_code: str, government_name: str, government_kind: str, year: int) -> Story:
    """The story to generate a government's synthetic answers in a demo cycle.

    The seed story itself when there is one for that government and year; the same
    government's units in another year (with a drift in quality); else the generic units.
    Either way :func:`calibrated` to the government's published figure of that year, if any.
    """
    instrument_code = CYCLE_INSTRUMENTS[year]
    seeded = [story for story in STORIES if story.government_code == government_code]
    for story in seeded:
        if story.year == year:
            return calibrated(story)
    rng = random.Random(f"patuh-demo/drift/{government_code}/{year}")
    units = units_for(government_code)
    # A seed story's government improves towards its story year; others drift at random.
    random_drift = rng.uniform(-0.12, 0.08)
    story_drift = (-0.08 if year < seeded[0].year else 0.03) if seeded else None
    drift = random_drift if story_drift is None else story_drift
    units = tuple(
        replace(
            unit, quality=round(min(0.98, max(0.05, unit.quality + drift + rng.gauss(0, 0.04))), 2)
        )
        for unit in units
    )
    return calibrated(
        Story(
            code=f"{government_code}-{year}",
            government_code=government_code,
            government_name=government_name,
            government_kind=government_kind,
            year=year,
            instrument_code=instrument_code,
            units=units,
        )
    )


# -- calibration to the published figures -------------------------------------------------


@cache
def published_figures() -> tuple[PublishedFigure, ...]:
    """The packaged dataset of published figures, read once."""
    return tuple(read_published())


def published_target(
    story: Story, instrument: Instrument
) -> tuple[Decimal, Decimal, Decimal] | None:
    """What the story's official result must be to agree with what was published for its
    government and year, as (lowest, aim, highest): the published score (the aim) ±
    :data:`CALIBRATION_TOLERANCE` within the published category's band, or the middle of that
    band when only the category was published. ``None`` when nothing usable was published (no
    figure, or a category the instrument has no band for, such as the zones of 2018)."""
    figure = published_for(published_figures(), story.government_code, story.year)
    if figure is None:
        return None
    band = next((b for b in instrument.bands if b.category == figure.category), None)
    if figure.score is not None:
        aim = figure.score
    elif band is not None:
        aim = (band.minimum + band.maximum) / 2
    else:
        return None
    low, high = aim - CALIBRATION_TOLERANCE, aim + CALIBRATION_TOLERANCE
    if band is not None:
        low, high = max(low, band.minimum), min(high, band.maximum)
    return low, min(max(aim, low), high), high


_SHIFT_RANGE = (-1.5, 1.5)
_SHIFT_STEPS = 40


def official_score(story: Story, instrument: Instrument, seed: str | None = None) -> Decimal:
    """The rounded government score of the story's synthetic official assessment."""
    answers = synthetic_government_answers(story, instrument, kind="official", seed=seed)
    return score_government(instrument, answers).rounded


def calibrated(story: Story, seed: str | None = None) -> Story:
    """``story`` with the one quality shift that makes its official result agree with the
    government's published figure of that year; ``story`` itself when none was published.

    The generator draws the same random numbers whatever the quality, so the score grows
    with the shift: a bisection finds where the score crosses the published one and keeps the
    nearer side. Every unit moves by the same shift, so good and weak units stay so. When
    the answers cannot reach the target, the nearest reachable score is kept. ``seed``: the
    one the answers will be generated with.
    """
    return _calibrated(story, seed)


@lru_cache(maxsize=4096)
def _calibrated(story: Story, seed: str | None) -> Story:
    instrument = load_instrument(story.instrument_code)
    target = published_target(story, instrument)
    if target is None:
        return story
    low, aim, high = target

    def score(shift: float) -> Decimal:
        return official_score(replace(story, quality_shift=shift), instrument, seed)

    below, above = _SHIFT_RANGE
    if score(below) >= aim:
        return replace(story, quality_shift=below)
    if score(above) < aim:
        return replace(story, quality_shift=above)
    for _ in range(_SHIFT_STEPS):
        middle = (below + above) / 2
        if score(middle) >= aim:
            above = middle
        else:
            below = middle

    def distance(shift: float) -> tuple[bool, Decimal]:
        reached = score(shift)
        return (not low <= reached <= high, abs(reached - aim))

    return replace(story, quality_shift=min((above, below), key=distance))


# -- synthetic answers -------------------------------------------------------------------


def _level(rng: random.Random, indicator: Indicator, quality: float) -> int:
    low, high = int(indicator.scale.minimum), int(indicator.scale.maximum)
    raw = low + (high - low) * quality + rng.gauss(0, 0.8)
    return min(high, max(low, round(raw)))


def _respondents(indicator: Indicator) -> int:
    if indicator.dimension_code == "PG":
        return COMPLAINT_INTERVIEWEES_PER_UNIT
    return INTERVIEWEES_PER_UNIT


def _value(
    rng: random.Random, indicator: Indicator, unit: UnitStory, quality: float
) -> int | list[int]:
    if indicator.data_source == "user_survey":
        low, high = int(indicator.scale.minimum), int(indicator.scale.maximum)
        clean_share = 0.55 + 0.45 * quality
        return [high if rng.random() < clean_share else low for _ in range(unit.service_users)]
    if indicator.answered_per == "respondent":
        return [_level(rng, indicator, quality) for _ in range(_respondents(indicator))]
    if indicator.answered_per == "product":
        return [_level(rng, indicator, quality) for _ in range(max(1, len(unit.products)))]
    return _level(rng, indicator, quality)


def _quality(story: Story, unit: UnitStory, kind: str) -> float:
    """The quality the answers are drawn with; above 1 every answer tends to the top."""
    quality = unit.quality + story.quality_shift
    if kind == "self":
        return quality + story.self_optimism
    if kind == "pre_evaluation":
        return quality - 0.1
    return quality


def synthetic_government_answers(
    story: Story, instrument: Instrument, kind: str = "official", seed: str | None = None
) -> GovernmentAnswers:
    """Reproducible synthetic answers for the units of ``story`` an assessment of ``kind``
    covers, on ``instrument``.

    Interview indicators get one value per interviewed official (4, or 2 complaint
    officials), Proses indicators one per sampled product, maladministration perception one
    0-or-3 answer per service user (the unit's :attr:`UnitStory.service_users`). A few
    indicators are N/A and a few deliberately missing, as the story says. The same story,
    instrument, kind and seed always give the same answers, and the random draws do not
    depend on the qualities (what :func:`calibrated` relies on).
    """
    rng = random.Random(seed or f"patuh-demo/{story.code}/{instrument.code}/{kind}")
    units = []
    for unit in story.units_of_kind(kind):
        quality = _quality(story, unit, kind)
        not_applicable = set(unit.not_applicable)
        missing = set(unit.missing)
        if rng.random() < 0.2:
            not_applicable.add(rng.choice(_NA_CANDIDATES))
        if kind == "self" and rng.random() < 0.3:
            missing.add(rng.choice(_MISSING_CANDIDATES))
        answers: dict[str, object] = {}
        for dimension in instrument.dimensions:
            for indicator in dimension.indicators:
                if not indicator.applies_to_unit_type(unit.type) or indicator.code in missing:
                    continue
                value = _value(rng, indicator, unit, quality)
                answers[indicator.code] = NA if indicator.code in not_applicable else value
        units.append(
            UnitAnswers(
                code=unit.code,
                name=unit.name,
                type=unit.type,
                answers=answers,
                products=len(unit.products),
                synthetic=story.synthetic,
            )
        )
    return GovernmentAnswers(
        code=story.government_code,
        name=story.government_name,
        kind=story.government_kind,
        units=units,
        synthetic=story.synthetic,
        extra={"label": story.label, "story": story.code, "kind": kind},
    )


# -- synthetic government-level figures (2025+ method) -----------------------------------


@dataclass(frozen=True)
class FigureSeries:
    """How the demo makes one government-level figure: its range for a government of
    quality 0 and 1, its noise, and where such a figure would come from."""

    code: str
    low: float
    high: float
    noise: float
    source: str
    """With ``{year}``: the data year."""
    data_lag: int
    """How many years before the cycle the data is from (secondary data: the year before;
    the public-trust survey: the cycle's own year)."""


FIGURE_SERIES: tuple[FigureSeries, ...] = (
    FigureSeries("OU-IPP", 2.6, 4.7, 0.2, "KemenPAN-RB, PEKPPP {year}", 1),
    FigureSeries("OU-IPM", 66.0, 80.0, 1.5, "BPS, Indeks Pembangunan Manusia {year}", 1),
    FigureSeries("OU-SPM", 58.0, 96.0, 4.0, "Kemendagri, capaian penerapan SPM {year}", 1),
    FigureSeries("OU-RPJMD", 52.0, 92.0, 5.0, "Bappenas, capaian kinerja pembangunan {year}", 1),
    FigureSeries(
        "KM-IKM", 56.0, 88.0, 3.0, "Ombudsman RI, Survei Kepercayaan Masyarakat {year}", 0
    ),
)
"""The figures of ``opini-2025``'s government elements (Output from secondary data, public
trust); the sources name where the real series would come from, the values are synthetic."""

KOTA_IPM_BONUS = 5.0
"""Cities have a higher human-development index than kabupaten (as BPS's figures do)."""


@dataclass(frozen=True)
class SyntheticFigure:
    code: str
    value: Decimal
    year: int
    source: str
    note: str = SYNTHETIC_FIGURE_NOTE


def synthetic_government_figures(
    government_code: str,
    government_kind: str,
    cycle_year: int,
    quality: float,
    codes: tuple[str, ...] | None = None,
) -> list[SyntheticFigure]:
    """Reproducible synthetic government-level figures for a government of ``quality``
    (0–1) in the ``cycle_year`` cycle, each with its data year, a source and
    :data:`SYNTHETIC_FIGURE_NOTE`. ``codes``: only these (default every
    :data:`FIGURE_SERIES`). The same arguments always give the same figures; none is a
    published value."""
    rng = random.Random(f"patuh-demo/figures/{government_code}/{cycle_year}")
    figures = []
    for series in FIGURE_SERIES:
        raw = series.low + (series.high - series.low) * quality + rng.gauss(0, series.noise)
        if series.code == "OU-IPM" and government_kind == "kota":
            raw += KOTA_IPM_BONUS
        if codes is not None and series.code not in codes:
            continue
        top = 5.0 if series.code == "OU-IPP" else 100.0
        bottom = 1.0 if series.code == "OU-IPP" else 0.0
        value = Decimal(str(round(min(top, max(bottom, raw)), 2)))
        year = cycle_year - series.data_lag
        figure = SyntheticFigure(series.code, value, year, series.source.format(year=year))
        if series.code == "OU-IPP":
            figure = _published_ipp(government_code, year) or figure
        figures.append(figure)
    return figures


def _published_ipp(government_code: str, year: int) -> SyntheticFigure | None:
    """The government's Indeks Pelayanan Publik as KemenPAN-RB published it for ``year``
    (the packaged dataset), so the demo does not contradict it; ``None`` when none was."""
    published = published_for(published_figures(), government_code, year, program="pekppp")
    if published is None or published.score is None:
        return None
    return SyntheticFigure(
        "OU-IPP",
        published.score,
        year,
        f"KemenPAN-RB, PEKPPP {year} ({published.source_title})",
        note=PUBLISHED_FIGURE_NOTE,
    )


def mean_quality(units: tuple[UnitStory, ...]) -> float:
    """The mean quality of ``units`` (what a government's synthetic figures follow)."""
    return sum(unit.quality for unit in units) / len(units) if units else 0.5
