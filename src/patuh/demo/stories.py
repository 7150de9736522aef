"""The two seed stories as data, and a deterministic generator of synthetic answers.

Plain Python (no Django): the web demo, the example files and the tests share it.

The stories' governments, units, products and dates come from INSTRUMENTS.md §6; every
answer produced here is **synthetic** — plausible, reproducible, and never an official
result. Anything built from this module carries :data:`SYNTHETIC_LABEL`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from patuh.scoring import NA, GovernmentAnswers, Indicator, Instrument, UnitAnswers

SYNTHETIC_LABEL = "Data sintetis — bukan hasil penilaian resmi"

PROVINCE_CODE = "12"
PROVINCE_NAME = "Sumatera Utara"

INTERVIEWEES_PER_UNIT = 4
"""Officials interviewed per unit for the competence indicators."""
COMPLAINT_INTERVIEWEES_PER_UNIT = 2
"""Complaint officials interviewed per unit for the complaint-management indicators."""
USERS_PER_GOVERNMENT = 30
"""Service users interviewed per government for the maladministration-perception indicators."""

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


@dataclass(frozen=True)
class StageStory:
    stage: str
    """A cycle stage code: sosialisasi, self_assessment, pre_evaluation, data_collection, …"""
    starts_on: date
    ends_on: date
    note: str


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
    self_optimism: float = 0.2
    """How much higher the pemda rates itself than the official assessment does."""
    province_code: str = PROVINCE_CODE
    synthetic: bool = True
    label: str = SYNTHETIC_LABEL


def _unit(
    code: str,
    name: str,
    type: str,
    products: tuple[str, str],
    quality: float,
    population: int,
    *,
    not_applicable: tuple[str, ...] = (),
    missing: tuple[str, ...] = (),
) -> UnitStory:
    return UnitStory(code, name, type, products, quality, population, not_applicable, missing)


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

LABUHANBATU_2022 = Story(
    code="labuhanbatu-2022",
    government_code="12.10",
    government_name="Kabupaten Labuhanbatu",
    government_kind="kabupaten",
    year=2022,
    instrument_code="ombudsman-2022",
    units=(
        _unit("disdik", "Dinas Pendidikan", "disdik", PRODUCTS["disdik"], 0.58, 7_200),
        _unit("dinkes", "Dinas Kesehatan", "dinkes", PRODUCTS["dinkes"], 0.80, 2_100),
        _unit(
            "dinsos", "Dinas Sosial", "dinsos", PRODUCTS["dinsos"], 0.42, 15_500, missing=("PG-5",)
        ),
        _unit("disdukcapil", "Disdukcapil", "disdukcapil", PRODUCTS["disdukcapil"], 0.93, 71_000),
        _unit("dpmptsp", "DPMPTSP", "dpmptsp", PRODUCTS["dpmptsp"], 0.86, 3_900),
        _unit(
            "puskesmas-sigambal",
            "Puskesmas Sigambal",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.66,
            28_000,
            not_applicable=("PR-11",),
        ),
        _unit(
            "puskesmas-aek-paing",
            "Puskesmas Aek Paing",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.30,
            21_000,
            not_applicable=("PR-11",),
            missing=("IN-S5",),
        ),
    ),
    stages=(
        StageStory(
            "sosialisasi",
            date(2022, 8, 1),
            date(2022, 8, 1),
            "Lokakarya penilaian oleh Ombudsman RI Perwakilan Sumatera Utara.",
        ),
        StageStory(
            "self_assessment",
            date(2022, 8, 4),
            date(2022, 8, 4),
            "Kamis 4 Agustus 2022: rapat teknis Kabupaten Labuhanbatu dipimpin Asisten III "
            "bersama Dinas Pendidikan, Dinas Kesehatan, Dinas Sosial, Disdukcapil dan DPMPTSP.",
        ),
        StageStory(
            "data_collection",
            date(2022, 8, 15),
            date(2022, 8, 19),
            "Penilaian seluruh kabupaten/kota di Sumatera Utara direncanakan pada pekan ketiga "
            "Agustus 2022.",
        ),
    ),
    summary=(
        "Ombudsman RI Perwakilan Sumatera Utara menggelar lokakarya penilaian pada 1 Agustus "
        "2022. Pada Kamis 4 Agustus 2022 Asisten III memimpin rapat teknis persiapan bersama "
        "Dinas Pendidikan, Dinas Kesehatan, Dinas Sosial, Disdukcapil dan DPMPTSP; penilaian "
        "seluruh kabupaten/kota di Sumatera Utara direncanakan pada pekan ketiga Agustus 2022."
    ),
)

LANGKAT_2023 = Story(
    code="langkat-2023",
    government_code="12.05",
    government_name="Kabupaten Langkat",
    government_kind="kabupaten",
    year=2023,
    instrument_code="ombudsman-2023",
    units=(
        _unit("dinkes", "Dinas Kesehatan", "dinkes", PRODUCTS["dinkes"], 0.86, 2_800),
        _unit(
            "dinsos", "Dinas Sosial", "dinsos", PRODUCTS["dinsos"], 0.62, 17_000, missing=("IN-S9",)
        ),
        _unit("dpmptsp", "DPMPTSP", "dpmptsp", PRODUCTS["dpmptsp"], 0.94, 4_300),
        _unit("disdukcapil", "Disdukcapil", "disdukcapil", PRODUCTS["disdukcapil"], 0.88, 83_000),
        _unit("disdik", "Dinas Pendidikan", "disdik", PRODUCTS["disdik"], 0.50, 8_100),
        _unit(
            "puskesmas-karang-rejo",
            "Puskesmas Karang Rejo",
            "puskesmas",
            PRODUCTS["puskesmas"],
            0.74,
            26_000,
            not_applicable=("PR-11",),
        ),
        _unit(
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
            "Surat Ombudsman RI nomor B/1673/PC.02/V/2023 tanggal 31 Mei 2023 tentang "
            "penilaian penyelenggaraan pelayanan publik 2023 (Juli–Oktober 2023).",
        ),
        StageStory(
            "pre_evaluation",
            date(2023, 6, 26),
            date(2023, 6, 26),
            "Laporan pra-evaluasi Ombudsman RI Perwakilan Sumatera Utara.",
        ),
        StageStory(
            "self_assessment",
            date(2023, 7, 18),
            date(2023, 7, 20),
            "Monitoring Sekda Kabupaten Langkat ke Dinas Kesehatan, Dinas Sosial, DPMPTSP, "
            "Disdukcapil, Puskesmas Karang Rejo dan Puskesmas Tanjung Beringin.",
        ),
        StageStory(
            "data_collection",
            date(2023, 7, 1),
            date(2023, 10, 31),
            "Masa penilaian Juli–Oktober 2023; kunjungan penilaian Ombudsman ke Kabupaten "
            "Langkat pada 25 Juli 2023.",
        ),
    ),
    summary=(
        "Surat Ombudsman RI B/1673/PC.02/V/2023 (31 Mei 2023) mengumumkan penilaian 2023 "
        "(Juli–Oktober 2023). Ombudsman RI Perwakilan Sumatera Utara melaporkan pra-evaluasi "
        "pada 26 Juni 2023. Sekda Kabupaten Langkat memonitor enam unit layanan pada 18–20 Juli "
        "2023, dan Ombudsman berkunjung untuk penilaian pada 25 Juli 2023."
    ),
    kinds=("self", "official"),
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
            UnitStory(code, name, type_, PRODUCTS[type_], round(quality, 2), population, na)
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
    """
    instrument_code = CYCLE_INSTRUMENTS[year]
    seeded = [story for story in STORIES if story.government_code == government_code]
    for story in seeded:
        if story.year == year:
            return story
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
    return Story(
        code=f"{government_code}-{year}",
        government_code=government_code,
        government_name=government_name,
        government_kind=government_kind,
        year=year,
        instrument_code=instrument_code,
        units=units,
    )


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
    rng: random.Random, indicator: Indicator, unit: UnitStory, quality: float, users: int
) -> int | list[int]:
    if indicator.data_source == "user_survey":
        low, high = int(indicator.scale.minimum), int(indicator.scale.maximum)
        clean_share = 0.55 + 0.45 * quality
        return [high if rng.random() < clean_share else low for _ in range(users)]
    if indicator.answered_per == "respondent":
        return [_level(rng, indicator, quality) for _ in range(_respondents(indicator))]
    if indicator.answered_per == "product":
        return [_level(rng, indicator, quality) for _ in range(max(1, len(unit.products)))]
    return _level(rng, indicator, quality)


def _quality(story: Story, unit: UnitStory, kind: str) -> float:
    if kind == "self":
        return min(0.99, unit.quality + story.self_optimism)
    if kind == "pre_evaluation":
        return max(0.0, unit.quality - 0.1)
    return unit.quality


def synthetic_government_answers(
    story: Story, instrument: Instrument, kind: str = "official", seed: str | None = None
) -> GovernmentAnswers:
    """Reproducible synthetic answers for every unit of ``story`` on ``instrument``.

    Interview indicators get one value per interviewed official (4, or 2 complaint
    officials), Proses indicators one per sampled product, maladministration perception one
    0-or-3 answer per service user (about 30 per government, spread over its units). A few
    indicators are N/A and a few deliberately missing, as the story says. The same story,
    instrument, kind and seed always give the same answers.
    """
    rng = random.Random(seed or f"patuh-demo/{story.code}/{instrument.code}/{kind}")
    users_left = USERS_PER_GOVERNMENT
    units = []
    for position, unit in enumerate(story.units):
        units_left = len(story.units) - position
        users = max(1, round(users_left / units_left))
        users_left -= users
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
                value = _value(rng, indicator, unit, quality, users)
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
