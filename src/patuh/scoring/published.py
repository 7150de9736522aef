"""Published results: the figures the Ombudsman RI and KemenPAN-RB have made public, each with
its source. Plain Python (no Django): the ``patuh published`` commands, the database loader,
the demo's calibration and the tests all read the packaged dataset through this module.

The dataset is ``scoring/data/published-results.csv``, one published figure a row:

``program``         ``ombudsman`` or ``pekppp``
``year``            the assessment year (the cycle), not the year of publication
``entity_name``     the name as Kemendagri writes it (``Kabupaten Langkat``), or the unit's name
``entity_kind``     ``provinsi``, ``kabupaten``, ``kota``, ``kementerian``, ``lembaga``,
                    ``polres`` or ``unit``
``kemendagri_code`` the Kemendagri region code of a pemda (``12.05``); empty otherwise
``parent``          for a unit, the government it belongs to
``score``           the published score (empty when only a category or label was published)
``category``        the published category (A–E, A…F for PEKPPP; hijau/kuning/merah up to 2021)
``zone``            the published zone (hijau, kuning, merah), or one derived from the category
``label``           the published wording (opinion, predicate, quality label)
``rank``            the published rank, as written
``source_title``, ``source_url``, ``source_date``, ``confidence``, ``note``: where it comes from
and how sure it is.

A figure is never computed here: it is what was published. Checking it against an
instrument's bands is :mod:`patuh.scoring.published_check`'s work.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import Problem, ScoringError

PACKAGED_PATH = Path(__file__).resolve().parent / "data" / "published-results.csv"

PROGRAMS = ("ombudsman", "pekppp")
ENTITY_KINDS = ("provinsi", "kabupaten", "kota", "kementerian", "lembaga", "polres", "unit")
GOVERNMENT_ENTITY_KINDS = ("provinsi", "kabupaten", "kota", "kementerian", "lembaga")
CONFIDENCES = ("high", "medium", "low")
COLUMNS = (
    "program",
    "year",
    "entity_name",
    "entity_kind",
    "kemendagri_code",
    "parent",
    "score",
    "category",
    "zone",
    "label",
    "rank",
    "source_title",
    "source_url",
    "source_date",
    "confidence",
    "note",
)
REQUIRED = ("program", "year", "entity_name", "entity_kind", "source_title", "confidence")


class PublishedDataError(ScoringError):
    """A published-results file is unreadable or has bad rows (each named by row and column)."""


@dataclass(frozen=True)
class PublishedFigure:
    """One published figure, exactly as published, with its source."""

    row: int
    """Line of the file (the header is line 1)."""
    program: str
    year: int
    entity_name: str
    entity_kind: str
    region_code: str
    parent: str
    score: Decimal | None
    category: str
    zone: str
    label: str
    rank: str
    source_title: str
    source_url: str
    source_date: str
    confidence: str
    note: str

    @property
    def key(self) -> tuple[str, int, str, str, str]:
        """What identifies a figure: one entity (under its parent) in one program and year."""
        return (self.program, self.year, self.entity_kind, self.entity_name, self.parent)

    @property
    def is_government(self) -> bool:
        return self.entity_kind in GOVERNMENT_ENTITY_KINDS


def read_published(path: Path | str | None = None) -> list[PublishedFigure]:
    """Every figure of a published-results CSV (the packaged dataset by default).

    Raises :class:`PublishedDataError` naming every bad row and column; nothing is returned
    unless every row is good.
    """
    source = Path(path) if path is not None else PACKAGED_PATH
    try:
        raw = source.read_bytes()
    except OSError as error:
        raise PublishedDataError(
            str(source), [Problem("", f"tidak dapat dibaca ({error})")]
        ) from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PublishedDataError(
            str(source), [Problem("", "bukan teks UTF-8; simpan sebagai CSV UTF-8")]
        ) from None
    return parse_published(io.StringIO(text, newline=""), str(source))


def parse_published(lines: Iterable[str], source: str = "") -> list[PublishedFigure]:
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise PublishedDataError(
            source, [Problem("baris 1", f"kolom tidak ada: {', '.join(missing)}")]
        )
    figures: list[PublishedFigure] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, int, str, str, str], int] = {}
    for number, record in enumerate(reader, start=2):
        figure = _figure(number, record, problems)
        if figure is None:
            continue
        first = seen.setdefault(figure.key, number)
        if first != number:
            problems.append(
                Problem(
                    f"baris {number}",
                    f"{figure.entity_name} {figure.program} {figure.year} sudah ada di baris "
                    f"{first}",
                )
            )
            continue
        figures.append(figure)
    if problems:
        raise PublishedDataError(source, problems)
    return figures


def _figure(
    number: int, record: dict[str, str | None], problems: list[Problem]
) -> PublishedFigure | None:
    where = f"baris {number}"
    values = {column: (record.get(column) or "").strip() for column in COLUMNS}
    if None in record:
        problems.append(Problem(where, "lebih banyak sel daripada kolom judul"))
        return None
    before = len(problems)
    for column in REQUIRED:
        if not values[column]:
            problems.append(Problem(f"{where}, kolom {column}", "wajib diisi"))
    if values["program"] and values["program"] not in PROGRAMS:
        problems.append(
            Problem(
                f"{where}, kolom program", f"'{values['program']}' bukan {' atau '.join(PROGRAMS)}"
            )
        )
    if values["entity_kind"] and values["entity_kind"] not in ENTITY_KINDS:
        problems.append(
            Problem(
                f"{where}, kolom entity_kind",
                f"'{values['entity_kind']}' bukan salah satu dari {', '.join(ENTITY_KINDS)}",
            )
        )
    if values["confidence"] and values["confidence"] not in CONFIDENCES:
        problems.append(
            Problem(
                f"{where}, kolom confidence",
                f"'{values['confidence']}' bukan high, medium atau low",
            )
        )
    year = 0
    if values["year"]:
        try:
            year = int(values["year"])
        except ValueError:
            problems.append(Problem(f"{where}, kolom year", f"'{values['year']}' bukan tahun"))
        else:
            if not 2013 <= year <= 2100:
                problems.append(Problem(f"{where}, kolom year", f"{year} di luar 2013–2100"))
    score: Decimal | None = None
    if values["score"]:
        try:
            score = Decimal(values["score"].replace(",", "."))
        except InvalidOperation:
            problems.append(Problem(f"{where}, kolom score", f"'{values['score']}' bukan angka"))
        else:
            if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
                problems.append(
                    Problem(f"{where}, kolom score", f"{values['score']} di luar 0–100")
                )
                score = None
    if values["entity_kind"] == "unit" and not values["parent"]:
        problems.append(
            Problem(f"{where}, kolom parent", "unit layanan harus menyebut pemerintahnya")
        )
    if not (score is not None or values["category"] or values["zone"] or values["label"]):
        problems.append(
            Problem(where, "tidak ada nilai, kategori, zona atau label yang dipublikasikan")
        )
    if len(problems) > before:
        return None
    return PublishedFigure(
        row=number,
        program=values["program"],
        year=year,
        entity_name=values["entity_name"],
        entity_kind=values["entity_kind"],
        region_code=values["kemendagri_code"],
        parent=values["parent"],
        score=score,
        category=values["category"],
        zone=values["zone"],
        label=values["label"],
        rank=values["rank"],
        source_title=values["source_title"],
        source_url=values["source_url"],
        source_date=values["source_date"],
        confidence=values["confidence"],
        note=values["note"],
    )


def published_for(
    figures: Iterable[PublishedFigure], region_code: str, year: int, program: str = "ombudsman"
) -> PublishedFigure | None:
    """The published figure of a government (by Kemendagri code) in a year, if any."""
    for figure in figures:
        if (
            figure.program == program
            and figure.year == year
            and figure.region_code == region_code
            and figure.is_government
        ):
            return figure
    return None
