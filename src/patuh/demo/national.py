"""The national synthetic demo: every province, kabupaten/kota and 39 ministries/agencies.

``patuh demo --scale national [--survey-responses N] [--seed S]`` loads, into a database
without other assessment data:

- the 38 provinces and 514 kabupaten/kota of the packaged Kemendagri list (real codes and
  names) and 39 kementerian/lembaga (real names, codes ``KL.01``…``KL.39``);
- 7 service units per government, 2 service products per unit;
- three national cycles: 2022 (``ombudsman-2022``) and 2023 (``ombudsman-2023``) published,
  with their snapshots and follow-up actions, and this year's on the 2025+ method
  (``opini-2025``) with every official assessment answered and still in draft, and every
  government's government-level figures (Output from secondary data, the public-trust index)
  entered with their year, source and the note "Data sintetis untuk demonstrasi";
- per assessment 4 interviewed officials (and 2 complaint officials); in the past cycles
  per government 30 perception respondents spread over its units (their answers in the
  Output indicators and as perception survey responses; the 2025+ method has no unit-level
  perception indicators); and N SKM responses (default 1,000,000) spread over the units in
  this year's cycle;
- the national demo logins (``admin``, ``verifikator``; password ``patuh-demo``).

Governments with a figure the Ombudsman published for 2022 or 2023 (the packaged dataset)
are calibrated to land on it, as in the Sumatera Utara demo.

Everything is **synthetic** and flagged so (``is_synthetic``, cycles named "data sintetis",
:data:`patuh.demo.stories.SYNTHETIC_LABEL` in the command's summary). The
rows depend only on the seed and the cycle years: the same seed gives the same rows (see
:func:`checksum`). Large tables are written in chunks (``COPY`` on PostgreSQL, batched
``INSERT`` elsewhere), so memory stays bounded whatever N is. Loading runs in one
transaction: a failed load leaves nothing behind. A second run with the same parameters
changes nothing; with other parameters, or on a database holding other assessment data, it
refuses and says why.

:func:`plan_governments`, :func:`units_of` and :func:`skm_rows` are plain Python (what rows
to make); :func:`load_national` writes them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from typing import Any

from patuh.demo.stories import (
    KABUPATEN_UNITS,
    POPULATION,
    PRODUCTS,
    USERS_PER_GOVERNMENT,
    Story,
    UnitStory,
    calibrated,
    mean_quality,
    spread,
    synthetic_government_answers,
    synthetic_government_figures,
)

DEFAULT_SEED = 1
DEFAULT_SURVEY_RESPONSES = 1_000_000
UNITS_PER_GOVERNMENT = 7
PRODUCTS_PER_UNIT = 2
PERCEPTION_RESPONDENTS_PER_GOVERNMENT = USERS_PER_GOVERNMENT
"""Service users per government in the Output indicators and the perception survey (30)."""
CHUNK = 10_000
"""Rows generated and written at a time."""

PAST_CYCLES: tuple[tuple[int, str], ...] = ((2022, "ombudsman-2022"), (2023, "ombudsman-2023"))
"""Published national cycles; this year's cycle uses :data:`CURRENT_INSTRUMENT`."""
CURRENT_INSTRUMENT = "opini-2025"
MARKER = "Demo nasional sintetis"
NATIONAL_USERS = ("admin", "verifikator")
"""The demo logins with a national scope (see :data:`patuh.demo.load.DEMO_USERS`)."""

KEMENTERIAN = (
    "Kementerian Agama",
    "Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional",
    "Kementerian Dalam Negeri",
    "Kementerian Desa, Pembangunan Daerah Tertinggal, dan Transmigrasi",
    "Kementerian Energi dan Sumber Daya Mineral",
    "Kementerian Hukum dan Hak Asasi Manusia",
    "Kementerian Investasi/Badan Koordinasi Penanaman Modal",
    "Kementerian Kelautan dan Perikanan",
    "Kementerian Kesehatan",
    "Kementerian Ketenagakerjaan",
    "Kementerian Keuangan",
    "Kementerian Komunikasi dan Informatika",
    "Kementerian Koperasi dan Usaha Kecil dan Menengah",
    "Kementerian Lingkungan Hidup dan Kehutanan",
    "Kementerian Luar Negeri",
    "Kementerian Pariwisata dan Ekonomi Kreatif",
    "Kementerian Pekerjaan Umum dan Perumahan Rakyat",
    "Kementerian Pemuda dan Olahraga",
    "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi",
    "Kementerian Perdagangan",
    "Kementerian Perhubungan",
    "Kementerian Perindustrian",
    "Kementerian Pertanian",
    "Kementerian Sosial",
)
LEMBAGA = (
    "Arsip Nasional Republik Indonesia",
    "Badan Informasi Geospasial",
    "Badan Kepegawaian Negara",
    "Badan Meteorologi, Klimatologi, dan Geofisika",
    "Badan Narkotika Nasional",
    "Badan Nasional Penanggulangan Bencana",
    "Badan Pelindungan Pekerja Migran Indonesia",
    "Badan Pengawas Obat dan Makanan",
    "Badan Pengawas Tenaga Nuklir",
    "Badan Pusat Statistik",
    "Badan Standardisasi Nasional",
    "Kejaksaan Republik Indonesia",
    "Kepolisian Negara Republik Indonesia",
    "Lembaga Administrasi Negara",
    "Perpustakaan Nasional Republik Indonesia",
)

# (code, name, unit type, products, yearly users)
_KL_PRODUCTS = ("Penerbitan izin atau rekomendasi", "Layanan informasi dan konsultasi")
_LAYOUTS: dict[str, tuple[tuple[str, str, str, tuple[str, str], int], ...]] = {
    "kabupaten": tuple(
        (code, name, type_, PRODUCTS[type_], POPULATION[type_])
        for code, name, type_ in KABUPATEN_UNITS
    ),
    "provinsi": (
        ("dinkes", "Dinas Kesehatan", "dinkes", PRODUCTS["dinkes"], 4_000),
        ("disdik", "Dinas Pendidikan", "disdik", PRODUCTS["disdik"], 9_000),
        ("dinsos", "Dinas Sosial", "dinsos", PRODUCTS["dinsos"], 12_000),
        ("dpmptsp", "DPMPTSP", "dpmptsp", PRODUCTS["dpmptsp"], 6_000),
        ("rsud-1", "RSUD Provinsi I", "rsud", ("Rawat jalan", "Rawat inap"), 60_000),
        ("rsud-2", "RSUD Provinsi II", "rsud", ("Rawat jalan", "Rawat inap"), 45_000),
        (
            "samsat",
            "UPT Samsat",
            "lainnya",
            ("Pembayaran pajak kendaraan bermotor", "Balik nama kendaraan bermotor"),
            90_000,
        ),
    ),
    "kl": tuple(
        (code, name, "unit_kl", _KL_PRODUCTS, population)
        for code, name, population in (
            ("ptsp", "Pelayanan Terpadu Satu Pintu", 20_000),
            ("perizinan", "Layanan Perizinan", 8_000),
            ("informasi", "Layanan Informasi Publik", 5_000),
            ("pengaduan", "Layanan Pengaduan", 3_000),
            ("kanwil-1", "Kantor Wilayah I", 15_000),
            ("kanwil-2", "Kantor Wilayah II", 12_000),
            ("upt", "Unit Pelaksana Teknis", 7_000),
        )
    ),
}
_LAYOUTS["kota"] = _LAYOUTS["kabupaten"]
_LAYOUTS["kementerian"] = _LAYOUTS["lembaga"] = _LAYOUTS["kl"]


class NationalDemoRefused(Exception):
    """The database holds data the national demo would clash with; nothing was written."""


# -- what to make (plain Python) ----------------------------------------------------------


@dataclass(frozen=True)
class GovernmentPlan:
    code: str
    name: str
    kind: str
    province_code: str | None
    """``None`` for a kementerian/lembaga."""


@dataclass(frozen=True)
class Params:
    seed: int = DEFAULT_SEED
    survey_responses: int = DEFAULT_SURVEY_RESPONSES
    provinces: int | None = None
    """Only the first N provinces (by code) and their kabupaten/kota; ``None``: all 38."""
    ministries: int | None = None
    """Only the first N kementerian/lembaga; ``None``: all 39."""

    @property
    def marker(self) -> str:
        return (
            f"{MARKER}: seed={self.seed} provinsi={self.provinces or 'semua'} "
            f"kl={self.ministries if self.ministries is not None else 'semua'} "
            f"skm={self.survey_responses}"
        )


def ministries(limit: int | None = None) -> list[GovernmentPlan]:
    """24 kementerian and 15 lembaga, coded ``KL.01``…``KL.39`` (not an official code list)."""
    named = [(name, "kementerian") for name in KEMENTERIAN] + [
        (name, "lembaga") for name in LEMBAGA
    ]
    plans = [
        GovernmentPlan(f"KL.{number:02d}", name, kind, None)
        for number, (name, kind) in enumerate(named, start=1)
    ]
    return plans if limit is None else plans[:limit]


def plan_governments(params: Params) -> list[GovernmentPlan]:
    """Every government the demo assesses, provinces first, in code order."""
    from patuh.orgs.regions import PROVINCE_GOVERNMENT_PREFIX, read_provinces, read_regencies

    provinces = sorted(read_provinces())
    if params.provinces is not None:
        provinces = provinces[: params.provinces]
    codes = {code for code, _ in provinces}
    plans = [
        GovernmentPlan(code, PROVINCE_GOVERNMENT_PREFIX + name, "provinsi", code)
        for code, name in provinces
    ]
    plans += [
        GovernmentPlan(code, name, kind, province)
        for code, province, name, kind in sorted(read_regencies())
        if province in codes
    ]
    return plans + ministries(params.ministries)


def _rng(params: Params, *parts: object) -> random.Random:
    return random.Random("/".join(["patuh-national", str(params.seed), *map(str, parts)]))


def units_of(government: GovernmentPlan, params: Params) -> tuple[UnitStory, ...]:
    """The government's seven units with their synthetic quality (0–1) and yearly users."""
    rng = _rng(params, "units", government.code)
    base = rng.uniform(0.3, 0.92)
    units = []
    layout = _LAYOUTS[government.kind]
    respondents = spread(PERCEPTION_RESPONDENTS_PER_GOVERNMENT, len(layout))
    for (code, name, type_, products, population), service_users in zip(
        layout, respondents, strict=True
    ):
        quality = min(0.98, max(0.1, base + rng.gauss(0, 0.14)))
        users = int(population * rng.uniform(0.5, 1.6))
        na = ("PR-11",) if type_ == "puskesmas" else ()
        units.append(
            UnitStory(
                code,
                name,
                type_,
                products,
                round(quality, 2),
                users,
                na,
                service_users=service_users,
            )
        )
    return tuple(units)


def answers_seed(government: GovernmentPlan, params: Params, year: int) -> str:
    return f"patuh-national/{params.seed}/answers/{government.code}/{year}"


def story_of(government: GovernmentPlan, params: Params, year: int, instrument: str) -> Story:
    """The government's units in ``year``: each year drifts the qualities a little. Where the
    Ombudsman published the government's figure for that year, the story is
    :func:`~patuh.demo.stories.calibrated` to it, as in the Sumatera Utara demo."""
    rng = _rng(params, "drift", government.code, year)
    drift = rng.uniform(-0.1, 0.08)
    units = tuple(
        replace(
            unit, quality=round(min(0.98, max(0.05, unit.quality + drift + rng.gauss(0, 0.04))), 2)
        )
        for unit in units_of(government, params)
    )
    story = Story(
        code=f"nasional-{government.code}-{year}",
        government_code=government.code,
        government_name=government.name,
        government_kind=government.kind,
        year=year,
        instrument_code=instrument,
        units=units,
        province_code=government.province_code or "",
    )
    return calibrated(story, seed=answers_seed(government, params, year))


SKM_LEVELS = (1, 2, 3, 4)
_SKM_JSON = "{" + ", ".join(f'"U{n}": %d' for n in range(1, 10)) + "}"
"""One SKM response as the JSON text ``json.dumps`` writes for ``{"U1": 3, …, "U9": 4}``."""


def skm_weights(quality: float) -> list[float]:
    """Cumulative chances of answering 1–4 in a unit of ``quality`` (0–1): a normal curve
    centred between 1.6 and 3.8, cut at the half-levels, so a better unit is rated better."""
    centre, spread = 1.6 + 2.2 * quality, 0.75

    def below(level: float) -> float:
        return 0.5 * (1 + math.erf((level - centre) / (spread * math.sqrt(2))))

    return [below(1.5), below(2.5), below(3.5), 1.0]


def skm_shares(total: int, units: int) -> list[int]:
    """``total`` responses over ``units`` units: as even as possible, the first ones one more."""
    if units == 0:
        return []
    base, extra = divmod(total, units)
    return [base + (1 if index < extra else 0) for index in range(units)]


def skm_rows(params: Params, units: list[tuple[str, float]]) -> Iterator[tuple[int, str, str]]:
    """``(unit index, respondent id, answers as JSON text)`` for every SKM response, unit by
    unit, made lazily; a unit's answers depend only on the seed, its key and its quality."""
    shares = skm_shares(params.survey_responses, len(units))
    for index, ((key, quality), share) in enumerate(zip(units, shares, strict=True)):
        rng = _rng(params, "skm", key)
        weights = skm_weights(quality)
        for number in range(1, share + 1):
            levels = rng.choices(SKM_LEVELS, cum_weights=weights, k=9)
            yield index, f"sintetis-{number:06d}", _SKM_JSON % tuple(levels)


# -- writing (Django) -------------------------------------------------------------------------


@dataclass
class NationalSummary:
    params: Params
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    already_loaded: bool = False


def _chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def fast_insert(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert ``rows`` (already in database form: JSON as text, datetimes adapted) into
    ``model``'s table: ``COPY`` on PostgreSQL, batched ``executemany`` elsewhere. Rows are
    consumed lazily, ``CHUNK`` at a time; they must not come from a query on the same
    connection (PostgreSQL runs nothing else during a ``COPY``). Returns the number of rows."""
    from django.db import connection

    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
        for chunk in _chunks(rows):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _stamp(year: int) -> Any:
    """A fixed moment in the cycle year, in the database's form (rows stay deterministic)."""
    from django.db import connection

    moment = dt.datetime(year, 8, 1, 9, 0, tzinfo=dt.UTC)
    return connection.ops.adapt_datetimefield_value(moment)


def _stages(year: int) -> list[tuple[str, dt.date, dt.date]]:
    return [
        ("sosialisasi", dt.date(year, 5, 2), dt.date(year, 5, 31)),
        ("self_assessment", dt.date(year, 6, 1), dt.date(year, 7, 15)),
        ("pre_evaluation", dt.date(year, 6, 15), dt.date(year, 6, 30)),
        ("data_collection", dt.date(year, 7, 16), dt.date(year, 10, 31)),
        ("verification", dt.date(year, 11, 1), dt.date(year, 11, 20)),
        ("determination", dt.date(year, 11, 21), dt.date(year, 11, 30)),
        ("publication", dt.date(year, 12, 1), dt.date(year, 12, 10)),
        ("report_card_handover", dt.date(year, 12, 11), dt.date(year, 12, 20)),
        ("follow_up", dt.date(year + 1, 1, 5), dt.date(year + 1, 6, 30)),
    ]


def cycle_years() -> list[tuple[int, str]]:
    from patuh.demo.current import current_year

    years = list(PAST_CYCLES)
    if current_year() not in dict(years):
        years.append((current_year(), CURRENT_INSTRUMENT))
    return years


def loaded_marker() -> str | None:
    """The parameters the national demo was loaded with, or ``None``."""
    from patuh.assessments.models import CycleStage

    note = (
        CycleStage.objects.filter(
            cycle__province__isnull=True, cycle__is_synthetic=True, note__startswith=MARKER
        )
        .values_list("note", flat=True)
        .first()
    )
    return note


def _refuse_or_skip(params: Params) -> bool:
    """``True`` when the same national demo is already there; raises when another is, or
    when the database holds assessment data the demo would clash with."""
    from patuh.assessments.models import Cycle
    from patuh.orgs.models import ServiceUnit

    marker = loaded_marker()
    if marker is not None:
        if marker == params.marker:
            return True
        raise NationalDemoRefused(
            f"Demo nasional sudah dimuat dengan parameter lain ({marker}); tidak ada yang "
            f"diubah. Muat ke basis data kosong (PATUH_VAR_DIR=… atau DATABASE_URL=…) untuk "
            f"{params.marker}."
        )
    if Cycle.objects.exists() or ServiceUnit.objects.exists():
        raise NationalDemoRefused(
            "Basis data ini sudah berisi siklus atau unit layanan (mis. demo Sumatera Utara); "
            "demo nasional dimuat ke basis data tanpa data penilaian: gunakan basis data "
            "terpisah (PATUH_VAR_DIR=… untuk SQLite atau DATABASE_URL=…). Tidak ada yang diubah."
        )
    return False


def load_national(params: Params, progress: Callable[[str], None] | None = None) -> NationalSummary:
    """Load the national demo (see the module's docstring); idempotent for equal ``params``."""
    from django.db import transaction

    from patuh.core.services import refresh_planner_statistics

    summary = NationalSummary(params)
    say = progress or (lambda message: None)
    with transaction.atomic():
        if _refuse_or_skip(params):
            summary.already_loaded = True
            summary.counts = counts()
            return summary
        _load(params, summary, say)
    refresh_planner_statistics()
    summary.counts = counts()
    return summary


def _timed(summary: NationalSummary, name: str, say: Callable[[str], None]) -> Any:
    class _Timer:
        def __enter__(self) -> None:
            self.start = time.perf_counter()

        def __exit__(self, *exc: object) -> None:
            elapsed = time.perf_counter() - self.start
            summary.seconds[name] = elapsed
            say(f"  {name}: {elapsed:.1f} s")

    return _Timer()


def _load(params: Params, summary: NationalSummary, say: Callable[[str], None]) -> None:
    from patuh.orgs.models import CodeSystem, Government
    from patuh.orgs.regions import load_regions

    plans = plan_governments(params)
    with _timed(summary, "wilayah dan K/L", say):
        load_regions()
        Government.objects.bulk_create(
            [
                Government(
                    kind=plan.kind,
                    region_code=plan.code,
                    code_system=CodeSystem.OTHER,
                    name=plan.name,
                )
                for plan in plans
                if plan.province_code is None
            ]
        )
        by_code = {g.region_code: g for g in Government.objects.all()}
        governments = [(plan, by_code[plan.code]) for plan in plans]
    with _timed(summary, "unit dan produk", say):
        units = _load_units(governments, params)
    with _timed(summary, "pengguna", say):
        _load_users()
    for year, instrument_code in cycle_years():
        with _timed(summary, f"siklus {year}", say):
            _load_cycle(params, year, instrument_code, governments, units)
    with _timed(summary, "jawaban SKM", say):
        _load_skm(params, governments, units)


def _load_units(
    governments: list[tuple[GovernmentPlan, Any]], params: Params
) -> dict[tuple[int, str], Any]:
    from patuh.orgs.models import ServiceProduct, ServiceUnit

    ServiceUnit.objects.bulk_create(
        [
            ServiceUnit(
                government=government,
                code=unit.code,
                name=unit.name,
                type=unit.type,
                yearly_user_population=unit.yearly_user_population,
                is_synthetic=True,
            )
            for plan, government in governments
            for unit in units_of(plan, params)
        ],
        batch_size=2000,
    )
    units = {
        (unit.government_id, unit.code): unit
        for unit in ServiceUnit.objects.filter(government__in=[g for _, g in governments])
    }
    ServiceProduct.objects.bulk_create(
        [
            ServiceProduct(unit=units[(government.pk, unit.code)], name=name)
            for plan, government in governments
            for unit in units_of(plan, params)
            for name in unit.products[:PRODUCTS_PER_UNIT]
        ],
        batch_size=2000,
    )
    return units


def _load_users() -> None:
    from patuh.accounts.models import Membership
    from patuh.demo.load import DEMO_USERS, demo_user

    for demo in DEMO_USERS:
        if demo.username not in NATIONAL_USERS:
            continue
        user, _ = demo_user(demo)
        Membership.objects.get_or_create(user=user, role=demo.role)


def _cycle_name(year: int) -> str:
    return f"Penilaian Penyelenggaraan Pelayanan Publik {year} — Nasional (data sintetis)"


def _load_cycle(
    params: Params,
    year: int,
    instrument_code: str,
    governments: list[tuple[GovernmentPlan, Any]],
    units: dict[tuple[int, str], Any],
) -> None:
    from django.contrib.auth import get_user_model

    from patuh.assessments.models import (
        Answer,
        Assessment,
        AssessmentKind,
        AssessmentStatus,
        Cycle,
        CycleStage,
    )
    from patuh.results.services import cycle_results, take_snapshots
    from patuh.scoring import load_instrument
    from patuh.surveys.models import Channel, SurveyKind, SurveyResponse
    from patuh.surveys.services import NO, YES

    published = year != cycle_years()[-1][0]
    cycle = Cycle.objects.create(
        year=year, name=_cycle_name(year), instrument_code=instrument_code, is_synthetic=True
    )
    CycleStage.objects.bulk_create(
        [
            CycleStage(
                cycle=cycle,
                stage=stage,
                starts_on=start,
                ends_on=end,
                note=params.marker if stage == "sosialisasi" else "Jadwal demo nasional.",
            )
            for stage, start, end in _stages(year)
        ]
    )
    status = AssessmentStatus.PUBLISHED if published else AssessmentStatus.DRAFT
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                cycle=cycle,
                service_unit=units[(government.pk, unit.code)],
                kind=AssessmentKind.OFFICIAL,
                status=status,
                is_synthetic=True,
            )
            for plan, government in governments
            for unit in units_of(plan, params)
        ],
        batch_size=2000,
    )
    by_unit = {a.service_unit_id: a.pk for a in assessments}
    if any(pk is None for pk in by_unit.values()):
        by_unit = dict(Assessment.objects.filter(cycle=cycle).values_list("service_unit_id", "pk"))
    instrument = load_instrument(instrument_code)
    _people_and_products(cycle, instrument, by_unit)
    perception = [
        ind.code
        for ind in instrument.indicators.values()
        if ind.data_source == "user_survey" and ind.dimension_code == "OU"
    ]
    low = {code: int(instrument.indicators[code].scale.minimum) for code in perception}
    stamp = _stamp(year)
    answer_rows: list[tuple[Any, ...]] = []
    perception_rows: list[tuple[Any, ...]] = []
    for plan, government in governments:
        story = story_of(plan, params, year, instrument_code)
        answers = synthetic_government_answers(
            story,
            instrument,
            kind=AssessmentKind.OFFICIAL,
            seed=answers_seed(plan, params, year),
        )
        for unit_answers in answers.units:
            unit = units[(government.pk, unit_answers.code)]
            assessment_id = by_unit[unit.pk]
            for code, value in unit_answers.answers.items():
                answer_rows.append((assessment_id, code, json.dumps(value), "{}", "", "", 1, stamp))
            lists = {code: unit_answers.answers.get(code) for code in perception}
            respondents = max((len(v) for v in lists.values() if isinstance(v, list)), default=0)
            for number in range(respondents):
                reply = {
                    code: (NO if values[number] != low[code] else YES)
                    for code, values in lists.items()
                    if isinstance(values, list) and number < len(values)
                }
                perception_rows.append(
                    (
                        unit.pk,
                        cycle.pk,
                        SurveyKind.PERCEPTION.value,
                        f"persepsi-{number + 1:02d}",
                        json.dumps(reply),
                        "{}",
                        Channel.ENUMERATOR.value,
                        "",
                        "",
                        stamp,
                        "",
                    )
                )
    fast_insert(
        Answer,
        [
            "assessment_id",
            "indicator_code",
            "value",
            "parts",
            "na_reason",
            "note",
            "version",
            "updated_at",
        ],
        answer_rows,
    )
    fast_insert(SurveyResponse, SURVEY_COLUMNS, perception_rows)
    if instrument.government_elements:
        _government_figures(params, cycle, governments, stamp)
    if published:
        admin = get_user_model().objects.filter(username="admin").first()
        rows = cycle_results(cycle)
        take_snapshots(cycle, actor=admin, publish=True, rows=rows)
        _follow_up(cycle, rows)


def _government_figures(
    params: Params, cycle: Any, governments: list[tuple[GovernmentPlan, Any]], stamp: Any
) -> None:
    """Every government's synthetic government-level figures for ``cycle``, written in bulk
    like the rest of the national demo (no audit rows; the Sumatera Utara demo writes its
    figures through :func:`patuh.assessments.government_data.record_government_answer`)."""
    from patuh.assessments.models import GovernmentAnswer

    rows = (
        (
            cycle.pk,
            government.pk,
            figure.code,
            figure.value,
            figure.year,
            figure.source,
            figure.note,
            1,
            stamp,
        )
        for plan, government in governments
        for figure in synthetic_government_figures(
            plan.code,
            plan.kind,
            cycle.year,
            mean_quality(story_of(plan, params, cycle.year, cycle.instrument_code).units),
        )
    )
    fast_insert(
        GovernmentAnswer,
        [
            "cycle_id",
            "government_id",
            "indicator_code",
            "value",
            "year",
            "source",
            "note",
            "version",
            "updated_at",
        ],
        rows,
    )


def _people_and_products(cycle: Any, instrument: Any, by_unit: dict[int, int]) -> None:
    """What :func:`patuh.assessments.services.prepare_assessments` creates for each
    assessment: the interviewed officials of every respondent group the instrument uses (4
    implementers, 2 complaint officials) and one observation per product of the unit."""
    from patuh.assessments.models import RESPONDENTS_PER_UNIT, ProductObservation, Respondent
    from patuh.orgs.models import ServiceProduct

    groups = sorted({ind.respondents for ind in instrument.indicators.values() if ind.respondents})
    fast_insert(
        Respondent,
        ["assessment_id", "group", "position", "title"],
        (
            (assessment_id, group, position, "")
            for assessment_id in by_unit.values()
            for group in groups
            for position in range(1, RESPONDENTS_PER_UNIT.get(group, 0) + 1)
        ),
    )
    products = list(
        ServiceProduct.objects.filter(unit_id__in=list(by_unit))
        .order_by("unit_id", "pk")
        .values_list("unit_id", "pk")
    )  # read before writing: a PostgreSQL connection runs one COPY and nothing else
    fast_insert(
        ProductObservation,
        ["assessment_id", "product_id", "published_physically", "published_electronically", "note"],
        ((by_unit[unit_id], product_id, False, False, "") for unit_id, product_id in products),
    )


SURVEY_COLUMNS = [
    "unit_id",
    "cycle_id",
    "kind",
    "respondent_id",
    "answers",
    "profile",
    "channel",
    "device_hash",
    "address_hash",
    "submitted_at",
    "void_reason",
]


def _follow_up(cycle: Any, rows: list[Any]) -> None:
    """One follow-up action per indicator that lost points in each published unit result, as
    :func:`patuh.followup.services.create_actions_for_rapor` makes them, due at the end of
    the cycle's follow-up stage."""
    from decimal import Decimal

    from django.db import connection

    from patuh.assessments.models import CycleStage
    from patuh.followup.models import ActionStatus, FollowUpAction
    from patuh.orgs.models import ServiceUnit
    from patuh.scoring.engine import MISSING

    cent = Decimal("0.01")
    due = CycleStage.objects.get(cycle=cycle, stage="follow_up").ends_on
    due_on = connection.ops.adapt_datefield_value(due)
    stamp = _stamp(cycle.year)
    unit_ids = {
        (government_id, code): pk
        for pk, government_id, code in ServiceUnit.objects.values_list(
            "pk", "government_id", "code"
        )
    }
    blank = ("",) * 7  # proof note, url, file, original name, content type, extension, sha256
    fast_insert(
        FollowUpAction,
        [
            "cycle_id",
            "government_id",
            "service_unit_id",
            "indicator_code",
            "indicator_name",
            "value",
            "points_lost",
            "rubric_text",
            "status",
            "due_on",
            "proof_note",
            "proof_url",
            "proof_file",
            "proof_original_name",
            "proof_content_type",
            "proof_extension",
            "proof_sha256",
            "created_at",
        ],
        (
            (
                cycle.pk,
                row.government.pk,
                unit_ids[(row.government.pk, unit.code)],
                item.code,
                item.name[:300],
                None if item.status == MISSING else item.value.quantize(cent),
                item.points_lost.quantize(cent),
                "" if item.status == MISSING else (item.rubric_text or ""),
                ActionStatus.OPEN.value,
                due_on,
                *blank,
                stamp,
            )
            for row in rows
            for unit in row.result.units
            for item in unit.explanation
        ),
    )


def _load_skm(
    params: Params,
    governments: list[tuple[GovernmentPlan, Any]],
    units: dict[tuple[int, str], Any],
) -> None:
    from patuh.assessments.models import Cycle
    from patuh.surveys.models import Channel, SurveyKind, SurveyResponse

    year = cycle_years()[-1][0]
    cycle = Cycle.objects.get(year=year, province__isnull=True)
    ordered = [
        (units[(government.pk, unit.code)], f"{plan.code}/{unit.code}", unit.quality)
        for plan, government in governments
        for unit in units_of(plan, params)
    ]
    stamp = _stamp(year)
    unit_ids = [unit.pk for unit, _, _ in ordered]
    rows = (
        (
            unit_ids[index],
            cycle.pk,
            SurveyKind.SKM.value,
            respondent,
            answers,
            "{}",
            Channel.IMPORT.value,
            "",
            "",
            stamp,
            "",
        )
        for index, respondent, answers in skm_rows(
            params, [(key, quality) for _, key, quality in ordered]
        )
    )
    fast_insert(SurveyResponse, SURVEY_COLUMNS, rows)


# -- what is there ------------------------------------------------------------------------------


def counts() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from patuh.assessments.models import (
        Answer,
        Assessment,
        Cycle,
        GovernmentAnswer,
        ProductObservation,
        Respondent,
    )
    from patuh.followup.models import FollowUpAction
    from patuh.orgs.models import Government, Province, ServiceProduct, ServiceUnit
    from patuh.results.models import ResultSnapshot
    from patuh.surveys.models import SurveyResponse

    governments = Government.objects.filter(units__isnull=False).distinct()
    return {
        "provinces": Province.objects.count(),
        "governments": governments.count(),
        "provinsi": governments.filter(kind="provinsi").count(),
        "kabupaten_kota": governments.filter(kind__in=["kabupaten", "kota"]).count(),
        "kementerian_lembaga": governments.filter(kind__in=["kementerian", "lembaga"]).count(),
        "units": ServiceUnit.objects.count(),
        "products": ServiceProduct.objects.count(),
        "cycles": Cycle.objects.count(),
        "assessments": Assessment.objects.count(),
        "answers": Answer.objects.count(),
        "government_answers": GovernmentAnswer.objects.count(),
        "respondents": Respondent.objects.count(),
        "product_observations": ProductObservation.objects.count(),
        "snapshots": ResultSnapshot.objects.count(),
        "follow_up_actions": FollowUpAction.objects.count(),
        "perception_responses": SurveyResponse.objects.filter(kind="perception").count(),
        "skm_responses": SurveyResponse.objects.filter(kind="skm").count(),
        "users": get_user_model().objects.count(),
    }


_CHECKED: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("orgs.Government", "region_code", ("region_code", "kind", "name", "province__region_code")),
    (
        "orgs.ServiceUnit",
        "government__region_code",
        ("government__region_code", "code", "name", "type", "yearly_user_population"),
    ),
    ("orgs.ServiceProduct", "unit__code", ("unit__government__region_code", "unit__code", "name")),
    (
        "assessments.Assessment",
        "cycle__year",
        ("cycle__year", "service_unit__government__region_code", "service_unit__code", "status"),
    ),
    (
        "assessments.Answer",
        "indicator_code",
        (
            "assessment__cycle__year",
            "assessment__service_unit__government__region_code",
            "assessment__service_unit__code",
            "indicator_code",
            "value",
        ),
    ),
    (
        "assessments.GovernmentAnswer",
        "indicator_code",
        (
            "cycle__year",
            "government__region_code",
            "indicator_code",
            "value",
            "year",
            "source",
        ),
    ),
    (
        "assessments.Respondent",
        "position",
        (
            "assessment__cycle__year",
            "assessment__service_unit__government__region_code",
            "assessment__service_unit__code",
            "group",
            "position",
        ),
    ),
    (
        "results.ResultSnapshot",
        "checksum",
        ("cycle__year", "government__region_code", "score", "category", "checksum"),
    ),
    (
        "followup.FollowUpAction",
        "indicator_code",
        (
            "cycle__year",
            "government__region_code",
            "service_unit__code",
            "indicator_code",
            "points_lost",
            "due_on",
        ),
    ),
    (
        "surveys.SurveyResponse",
        "respondent_id",
        (
            "cycle__year",
            "unit__government__region_code",
            "unit__code",
            "kind",
            "respondent_id",
            "answers",
        ),
    ),
)


def checksum() -> dict[str, str]:
    """SHA-256 per table of the demo's rows by natural key (no ids, no timestamps): equal
    for two loads with the same seed and cycle years on the same database engine."""
    from django.apps import apps

    sums = {}
    for label, _, fields in _CHECKED:
        model = apps.get_model(label)
        digest = hashlib.sha256()
        rows = model.objects.order_by(*fields).values_list(*fields)
        for row in rows.iterator(chunk_size=CHUNK):
            digest.update(json.dumps(row, sort_keys=True, default=str).encode())
            digest.update(b"\n")
        sums[label] = digest.hexdigest()
    return sums
