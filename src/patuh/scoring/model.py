"""Instrument model: frozen dataclasses built by :mod:`patuh.scoring.loader`."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

UNIT_TYPES: dict[str, str] = {
    "dinkes": "Dinas Kesehatan",
    "puskesmas": "Puskesmas",
    "disdik": "Dinas Pendidikan",
    "dinsos": "Dinas Sosial",
    "dpmptsp": "DPMPTSP",
    "disdukcapil": "Disdukcapil",
    "rsud": "RSUD",
    "panti_sosial": "Panti Sosial",
    "sekolah": "Sekolah",
    "imigrasi": "Kantor Imigrasi",
    "lapas": "Lembaga Pemasyarakatan (Lapas)",
    "bapas": "Balai Pemasyarakatan (Bapas)",
    "polres": "Polres",
    "kantah": "Kantor Pertanahan",
    "unit_kl": "Unit Kementerian/Lembaga",
    "lainnya": "Lainnya",
}
"""Unit types of the answers format; ``lainnya`` applies every indicator."""

GOVERNMENT_KINDS: dict[str, str] = {
    "kementerian": "Kementerian",
    "lembaga": "Lembaga",
    "provinsi": "Pemerintah Provinsi",
    "kabupaten": "Pemerintah Kabupaten",
    "kota": "Pemerintah Kota",
}

DATA_SOURCES = (
    "interview",
    "observation",
    "document",
    "user_survey",
    "complaint_records",
    "self_report",
)
ANSWERED_PER = ("none", "respondent", "product")
RESPONDENT_GROUPS = ("implementers", "complaint_officials", "service_users")
CERTIFICATE_CONDITIONS = ("all_ombudsman_products_followed_up",)
"""What a certificate rule's ``withheld_unless`` may name; the same input as the 2025
"Tanpa Maladministrasi" suffix (:attr:`GovernmentAnswers.ombudsman_products_followed_up`)."""
"""Who answers a per-respondent indicator: the unit's interviewed implementers (4 by default),
its complaint officials (2) or its service users (the perception survey)."""


@dataclass(frozen=True)
class ProvisionalNote:
    """A part of an instrument that is our best reading, not an official figure."""

    path: str
    note: str


@dataclass(frozen=True)
class Scale:
    minimum: Decimal
    maximum: Decimal

    @property
    def span(self) -> Decimal:
        return self.maximum - self.minimum

    @property
    def levels(self) -> tuple[int, ...]:
        return tuple(range(int(self.minimum), int(self.maximum) + 1))

    def contains(self, value: Decimal) -> bool:
        return self.minimum <= value <= self.maximum

    def __str__(self) -> str:
        return f"{self.minimum}–{self.maximum}"


@dataclass(frozen=True)
class ResultRange:
    minimum: Decimal
    maximum: Decimal
    decimals: int

    @property
    def span(self) -> Decimal:
        return self.maximum - self.minimum


@dataclass(frozen=True)
class Band:
    """A category: inclusive ``minimum`` and ``maximum`` on the rounded score."""

    category: str
    opinion: str
    minimum: Decimal
    maximum: Decimal
    zone: str | None = None
    quality_label: str | None = None
    """The quality-of-service label (*kualitas pelayanan*, 2025: "Sangat Baik" …) printed
    beside the opinion, when the instrument has one."""

    def contains(self, rounded_score: Decimal) -> bool:
        return self.minimum <= rounded_score <= self.maximum


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    description: str
    dimension_code: str
    variable_code: str
    scale: Scale
    rubric: dict[int, str]
    data_source: str
    answered_per: str
    weight: Decimal | None = None
    applies_to: frozenset[str] | None = None
    provisional_note: str | None = None
    respondents: str | None = None
    """For ``answered_per: respondent``: one of :data:`RESPONDENT_GROUPS`."""
    counted: bool = True
    """``False`` for a supplementary item (PEKPPP's *Informasi Tambahan*): answered and
    shown, weight 0, never part of the score."""
    documents: tuple[str, ...] = ()
    """Kinds of unit document (``scoring/data/document-kinds.yaml``) that are evidence for
    this indicator: a document of such a kind in the unit's locker counts here."""

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None

    def applies_to_unit_type(self, unit_type: str) -> bool:
        return unit_type == "lainnya" or self.applies_to is None or unit_type in self.applies_to

    def rubric_for(self, value: Decimal) -> str:
        """Rubric text of the level at or just below ``value`` (a mean may fall between)."""
        level = max((lvl for lvl in self.rubric if lvl <= value), default=min(self.rubric))
        return self.rubric[level]


@dataclass(frozen=True)
class Variable:
    code: str
    name: str
    indicators: tuple[Indicator, ...]
    provisional_note: str | None = None


@dataclass(frozen=True)
class Dimension:
    code: str
    name: str
    weight: Decimal
    indicator_weights: str
    variables: tuple[Variable, ...]
    provisional_note: str | None = None
    counted: bool = True
    """``False`` for a supplementary aspect of weight 0 whose indicators are all not
    counted (answered and shown only)."""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for var in self.variables for ind in var.indicators)


@dataclass(frozen=True)
class OpinionSuffix:
    text: str
    when: str
    provisional_note: str | None = None


@dataclass(frozen=True)
class CertificateRule:
    """When a government gets the instrument's certificate (*piagam*).

    Without ``withheld_unless`` every assessed government gets it; with it, the certificate is
    withheld unless the condition holds, and is not determined while the condition's input is
    unknown. The certificate never changes the score or the category.
    """

    withheld_unless: str | None = None
    """One of :data:`CERTIFICATE_CONDITIONS`, or ``None``."""
    note: str = ""
    """What the rule is and where it comes from, for readers of the result."""
    provisional_note: str | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None


GOVERNMENT_ELEMENT_KINDS = ("survey", "secondary_data")
"""Government-level elements (2025+): ``survey`` is the public-trust survey (*Survei
Kepercayaan Masyarakat*) of the general public, one figure per government; ``secondary_data``
is a national data series (BPS, KemenPAN-RB, Kemendagri, Bappenas), each value entered with
its year and source."""


@dataclass(frozen=True)
class GovernmentIndicator:
    """One government-level figure: a survey result or a secondary-data series value."""

    code: str
    name: str
    description: str
    scale: Scale
    """The range the figure is published on (e.g. an index 0–100 or 1–5)."""
    element_code: str
    needs_year_and_source: bool
    """Secondary data: every value must say its year and source."""
    weight: Decimal | None = None
    provisional_note: str | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None


@dataclass(frozen=True)
class GovernmentElement:
    """A scored part whose answers belong to the government as a whole, not to a unit; its
    ``weight`` (percent) counts in the same 100 as the unit-level dimensions."""

    code: str
    name: str
    kind: str
    weight: Decimal
    indicators: tuple[GovernmentIndicator, ...]
    provisional_note: str | None = None


@dataclass(frozen=True)
class ComplianceLevel:
    """A grade of compliance with Ombudsman products (*tingkat kepatuhan*)."""

    code: str
    label: str
    suffix: bool
    """Whether a government at this level gets the opinion suffix (``Tanpa Maladministrasi``)."""
    min_followed_up_share: Decimal | None = None
    """When the level is derived from the recorded Ombudsman products: the least share (0–1)
    of them followed up to completion that reaches this level."""
    no_products: bool = False
    """The level of a government with no Ombudsman product addressed to it."""


@dataclass(frozen=True)
class Compliance:
    """Compliance with Ombudsman products as a graded level, answered per government."""

    code: str
    """The key of the answer in ``government.answers``."""
    name: str
    levels: tuple[ComplianceLevel, ...]
    note: str = ""
    provisional_note: str | None = None
    derivation_note: str = ""
    """How the level is derived from recorded Ombudsman products, in words."""

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None

    def level(self, code: str) -> ComplianceLevel | None:
        return next((level for level in self.levels if level.code == code), None)

    @property
    def derivable(self) -> bool:
        """Whether the instrument says how to derive the level from recorded products."""
        return any(level.min_followed_up_share is not None for level in self.levels)

    def level_from_products(self, issued: int, followed_up: int) -> ComplianceLevel | None:
        """The level of a government to which ``issued`` Ombudsman products were addressed,
        ``followed_up`` of them followed up to completion: the level marked ``no_products``
        when there were none, else the first level (in the instrument's order) whose least
        share the government reaches; ``None`` when the instrument gives no rule."""
        if not self.derivable:
            return None
        if issued <= 0:
            return next((level for level in self.levels if level.no_products), None)
        share = Decimal(min(max(followed_up, 0), issued)) / Decimal(issued)
        for level in self.levels:
            if level.min_followed_up_share is not None and share >= level.min_followed_up_share:
                return level
        return None


@dataclass(frozen=True)
class SurveyItem:
    """One item of a users' questionnaire answered per respondent (PEKPPP's F-03)."""

    code: str
    position: int
    """Its place in the questionnaire (1, 2, …), kept apart from the printed form code,
    which may skip numbers."""
    form_code: str
    aspect: str
    name: str


@dataclass(frozen=True)
class UserSurvey:
    """A users' questionnaire answered per unit by its respondents, each item one whole
    number on ``scale``; its index is the mean of the respondents' means."""

    code: str
    name: str
    scale: Scale
    items: tuple[SurveyItem, ...]
    note: str = ""
    provisional_note: str | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None

    @cached_property
    def items_by_code(self) -> dict[str, SurveyItem]:
        return {item.code: item for item in self.items}


@dataclass(frozen=True)
class Composite:
    """A combination of a unit's evaluator score and its users' survey index, both on the
    result range: ``evaluator_weight × score + survey_weight × survey index``."""

    name: str
    evaluator_weight: Decimal
    survey_weight: Decimal
    source: str = ""
    note: str = ""
    provisional_note: str | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_note is not None


@dataclass(frozen=True)
class Instrument:
    code: str
    version: str
    name: str
    owner: str
    description: str
    scale: Scale
    result: ResultRange
    government_aggregation: str
    dimensions: tuple[Dimension, ...]
    bands: tuple[Band, ...]
    follow_up_adjustment: str = "none"
    follow_up_note: str = ""
    """What following up Ombudsman products does (or does not do) to the score, with its
    source."""
    opinion_suffix: OpinionSuffix | None = None
    certificate: CertificateRule | None = None
    cycles: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    government_elements: tuple[GovernmentElement, ...] = ()
    """Parts scored from government-level answers (2025+: public trust, secondary Output)."""
    compliance: Compliance | None = None
    """Graded compliance with Ombudsman products (2025+); decides the opinion suffix."""
    award_name: str = ""
    award_note: str = ""
    award_categories: tuple[str, ...] = ()
    """Categories whose governments get the instrument's award (2025+: the *Opini Ombudsman
    RI* at Kualitas Tertinggi only); empty when the instrument has none."""
    zones_dropped_note: str = ""
    """Why the instrument has no zones (2025+), for readers of the result."""
    superseded_by: str = ""
    """The code of the instrument that replaces this one for its cycles (a transitional
    version kept loadable for files scored with it); new cycles take the replacement."""
    user_survey: UserSurvey | None = None
    """A users' questionnaire answered per unit (PEKPPP F-03); never part of ``score``."""
    composite: Composite | None = None
    """An optional combination of ``score`` and the users' survey index (needs
    ``user_survey``)."""
    provisional_notes: tuple[ProvisionalNote, ...] = field(default=())
    source_path: str = ""
    source_sha256: str = field(default="", compare=False)
    """SHA-256 of the file the instrument was read from (packaged instruments)."""

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_notes)

    @property
    def has_zones(self) -> bool:
        """Whether the bands carry colour zones (up to 2024); none are published from 2025."""
        return any(band.zone for band in self.bands)

    @cached_property
    def indicators(self) -> dict[str, Indicator]:
        return {ind.code: ind for dim in self.dimensions for ind in dim.indicators}

    @cached_property
    def government_indicators(self) -> dict[str, GovernmentIndicator]:
        return {ind.code: ind for el in self.government_elements for ind in el.indicators}

    @property
    def unit_weight(self) -> Decimal:
        """Percent of the score that comes from the units (100 without government elements)."""
        return sum((dim.weight for dim in self.dimensions), Decimal(0))

    @cached_property
    def dimensions_by_code(self) -> dict[str, Dimension]:
        return {dim.code: dim for dim in self.dimensions}

    def band_for(self, rounded_score: Decimal) -> Band:
        for band in self.bands:
            if band.contains(rounded_score):
                return band
        raise ValueError(f"score {rounded_score} is outside every band of {self.code}")

    def bands_ascending(self) -> list[Band]:
        return sorted(self.bands, key=lambda band: band.minimum)
