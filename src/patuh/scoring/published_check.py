"""Checking published figures against the instruments' bands (plain Python, no Django).

A published figure is never corrected here; the check says whether what was published is
consistent with the published method, so a typo in the dataset (or in an instrument's bands)
is found before anyone reads it on the public site.

Rules, for each figure:

1. **Instrument.** By program (``ombudsman``: the instruments owned by the Ombudsman RI;
   ``pekppp``: the ``pekppp-*`` instruments of KemenPAN-RB) and year (an instrument whose
   ``cycles`` contain the year; of several, the one made for the fewest cycles). No
   instrument: the figure is *not checkable*.
2. **Score** (rounded half-up to the instrument's decimals, as a computed score would be):
   it must fall in a band, and that band decides what the other columns must say:

   - ``category`` equals the band's category (case-insensitive). Up to 2021 the Ombudsman
     published a zone as the category (``hijau``): a category that is one of the
     instrument's zones but none of its categories is compared with the band's zone.
   - ``zone`` equals the band's zone, when both exist.
   - ``label``: a zone label (``Zona Hijau``) is compared with the band's zone; an opinion
     (``Kualitas Sedang``, ``Kepatuhan Tinggi``, ``kategori tinggi``) with the band's opinion,
     case-insensitive, the ``Tanpa Maladministrasi`` suffix stripped and a leading
     ``Kualitas``/``Kepatuhan``/``kategori``/``predikat`` ignored on both sides; a 2025
     quality-of-service label (``Sangat Baik``, ``Baik``, ``Cukup``, ``Kurang``) with the
     band's ``quality_label`` when the instrument has one, otherwise it is not checkable.
     A label none of these recognise is not checkable.
3. **No score**: the category must exist in the instrument, and the zone and the label must
   agree with the band of that category (or, without a category, exist in the instrument).

A figure *agrees* when at least one of its columns was checked and none disagrees; it is
*not checkable* when nothing could be checked (informational, never a failure).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .loader import list_instruments
from .model import Band, Instrument
from .numbers import format_score, round_half_up
from .published import PublishedFigure

AGREE = "agree"
DISAGREE = "disagree"
NOT_CHECKABLE = "not_checkable"

SUFFIX = "tanpa maladministrasi"
LABEL_PREFIXES = ("kualitas ", "kepatuhan ", "kategori ", "predikat ", "opini ")
QUALITY_LABELS = ("sangat baik", "baik", "cukup", "kurang", "sangat kurang", "buruk")
"""The 2025 quality-of-service labels (``kualitas pelayanan``) of the Ombudsman."""


@dataclass(frozen=True)
class Finding:
    """What the check found for one figure."""

    figure: PublishedFigure
    outcome: str
    """:data:`AGREE`, :data:`DISAGREE` or :data:`NOT_CHECKABLE`."""
    instrument_code: str = ""
    disagreements: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    """What could not be checked, and why (informational)."""

    @property
    def where(self) -> str:
        figure = self.figure
        return f"baris {figure.row} ({figure.entity_name}, {figure.program} {figure.year})"

    def messages(self) -> list[str]:
        return [f"{self.where}: {text}" for text in self.disagreements]


@dataclass(frozen=True)
class CheckReport:
    findings: tuple[Finding, ...] = field(default=())

    def _count(self, outcome: str) -> int:
        return sum(1 for finding in self.findings if finding.outcome == outcome)

    @property
    def total(self) -> int:
        return len(self.findings)

    @property
    def agree(self) -> int:
        return self._count(AGREE)

    @property
    def disagree(self) -> int:
        return self._count(DISAGREE)

    @property
    def not_checkable(self) -> int:
        return self._count(NOT_CHECKABLE)

    @property
    def checked(self) -> int:
        return self.agree + self.disagree

    @property
    def ok(self) -> bool:
        return self.disagree == 0

    def disagreements(self) -> list[str]:
        return [message for finding in self.findings for message in finding.messages()]

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "total": self.total,
            "checked": self.checked,
            "agree": self.agree,
            "disagree": self.disagree,
            "not_checkable": self.not_checkable,
            "disagreements": [
                {
                    "row": finding.figure.row,
                    "entity_name": finding.figure.entity_name,
                    "program": finding.figure.program,
                    "year": finding.figure.year,
                    "instrument": finding.instrument_code,
                    "messages": list(finding.disagreements),
                }
                for finding in self.findings
                if finding.outcome == DISAGREE
            ],
            "not_checkable_rows": [
                {
                    "row": finding.figure.row,
                    "entity_name": finding.figure.entity_name,
                    "program": finding.figure.program,
                    "year": finding.figure.year,
                    "instrument": finding.instrument_code,
                    "notes": list(finding.notes),
                }
                for finding in self.findings
                if finding.outcome == NOT_CHECKABLE
            ],
        }


def instrument_for(
    program: str, year: int, instruments: Sequence[Instrument] | None = None
) -> Instrument | None:
    """The instrument a published figure of ``program`` in ``year`` was assessed with (or a
    new cycle of that year takes): one still in force before one superseded, then the one
    made for the fewest years."""
    candidates = [
        instrument
        for instrument in (list_instruments() if instruments is None else instruments)
        if _belongs_to(instrument, program) and year in instrument.cycles
    ]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda instrument: (
            bool(instrument.superseded_by),
            len(instrument.cycles),
            instrument.code,
        ),
    )


def _belongs_to(instrument: Instrument, program: str) -> bool:
    if program == "ombudsman":
        return instrument.owner.lower().startswith("ombudsman")
    if program == "pekppp":
        return instrument.code.startswith("pekppp")
    return False


def check_published(
    figures: Iterable[PublishedFigure], instruments: Sequence[Instrument] | None = None
) -> CheckReport:
    """Check every figure; see the module's docstring for the rules."""
    instruments = list_instruments() if instruments is None else list(instruments)
    return CheckReport(tuple(check_figure(figure, instruments) for figure in figures))


def check_figure(figure: PublishedFigure, instruments: Sequence[Instrument]) -> Finding:
    instrument = instrument_for(figure.program, figure.year, instruments)
    if instrument is None:
        return Finding(
            figure,
            NOT_CHECKABLE,
            notes=(f"tidak ada instrumen {figure.program} untuk tahun {figure.year}",),
        )
    checks = _Checks(instrument)
    if figure.score is not None:
        _check_scored(figure, instrument, checks)
    else:
        _check_unscored(figure, instrument, checks)
    if checks.disagreements:
        outcome = DISAGREE
    elif checks.passed:
        outcome = AGREE
    else:
        outcome = NOT_CHECKABLE
    return Finding(
        figure,
        outcome,
        instrument.code,
        tuple(checks.disagreements),
        tuple(checks.notes),
    )


@dataclass
class _Checks:
    instrument: Instrument
    passed: int = 0
    disagreements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def compare(self, matches: bool, message: str) -> None:
        if matches:
            self.passed += 1
        else:
            self.disagreements.append(f"{message} ({self.instrument.code})")


def _same(left: str | None, right: str | None) -> bool:
    return (left or "").strip().lower() == (right or "").strip().lower()


def _categories(instrument: Instrument) -> set[str]:
    return {band.category.lower() for band in instrument.bands}


def _zones(instrument: Instrument) -> set[str]:
    return {band.zone.lower() for band in instrument.bands if band.zone}


def _core(text: str) -> str:
    """An opinion or label without case, the "Tanpa Maladministrasi" suffix and a leading
    "Kualitas"/"Kepatuhan"/"kategori"/"predikat"/"opini"."""
    text = " ".join(text.lower().split())
    if text.endswith(SUFFIX):
        text = text.removesuffix(SUFFIX).strip()
    for prefix in LABEL_PREFIXES:
        if text.startswith(prefix):
            return text.removeprefix(prefix).strip()
    return text


def _label_kind(figure: PublishedFigure, label: str) -> tuple[str, str]:
    """(``zone``/``quality``/``opinion``, the normalised text) of a published label."""
    text = " ".join(label.lower().split())
    if text.startswith("zona "):
        return "zone", text.removeprefix("zona ").strip()
    if figure.program == "ombudsman" and text in QUALITY_LABELS:
        return "quality", text
    return "opinion", _core(text)


def _opinion_matches(band: Band, core: str) -> bool:
    return core in (_core(band.opinion), band.category.lower())


def _check_scored(figure: PublishedFigure, instrument: Instrument, checks: _Checks) -> None:
    assert figure.score is not None
    score = round_half_up(figure.score, instrument.result.decimals)
    shown = format_score(score, instrument.result.decimals)
    try:
        band = instrument.band_for(score)
    except ValueError:
        checks.compare(False, f"nilai {shown} di luar semua kategori instrumen")
        return
    if figure.category:
        if figure.category.lower() in _categories(instrument):
            checks.compare(
                _same(figure.category, band.category),
                f"dipublikasikan kategori {figure.category} tetapi nilai {shown} masuk "
                f"kategori {band.category}",
            )
        elif figure.category.lower() in _zones(instrument):
            checks.compare(
                _same(figure.category, band.zone),
                f"dipublikasikan {figure.category} tetapi nilai {shown} masuk zona {band.zone}",
            )
        else:
            checks.compare(
                False, f"kategori {figure.category} tidak ada di instrumen {instrument.code}"
            )
    if figure.zone:
        if band.zone:
            checks.compare(
                _same(figure.zone, band.zone),
                f"dipublikasikan zona {figure.zone} tetapi nilai {shown} masuk zona {band.zone}",
            )
        else:
            checks.notes.append(f"zona {figure.zone}: instrumen tidak memakai zona")
    if figure.label:
        kind, text = _label_kind(figure, figure.label)
        if kind == "zone":
            if band.zone:
                checks.compare(
                    _same(text, band.zone),
                    f"dipublikasikan '{figure.label}' tetapi nilai {shown} masuk zona {band.zone}",
                )
            else:
                checks.notes.append(f"label '{figure.label}': instrumen tidak memakai zona")
        elif kind == "quality":
            quality = getattr(band, "quality_label", None)
            if quality:
                checks.compare(
                    _same(text, quality),
                    f"dipublikasikan kualitas pelayanan '{figure.label}' tetapi nilai {shown} "
                    f"masuk '{quality}'",
                )
            else:
                checks.notes.append(
                    f"label kualitas pelayanan '{figure.label}' tidak dapat diperiksa: "
                    "instrumen belum memuat label kualitas pelayanan"
                )
        elif any(_opinion_matches(other, text) for other in instrument.bands):
            checks.compare(
                _opinion_matches(band, text),
                f"dipublikasikan '{figure.label}' tetapi nilai {shown} masuk {band.category} "
                f"({band.opinion})",
            )
        else:
            checks.notes.append(f"label '{figure.label}' tidak dikenal instrumen")


def _check_unscored(figure: PublishedFigure, instrument: Instrument, checks: _Checks) -> None:
    band: Band | None = None
    if figure.category:
        named = [b for b in instrument.bands if _same(b.category, figure.category)]
        by_zone = [b for b in instrument.bands if _same(b.zone, figure.category)]
        checks.compare(
            bool(named or by_zone),
            f"kategori {figure.category} tidak ada di instrumen {instrument.code}",
        )
        if len(named) == 1:
            band = named[0]
    if figure.zone:
        if not _zones(instrument):
            checks.notes.append(f"zona {figure.zone}: instrumen tidak memakai zona")
        elif band is not None and band.zone:
            checks.compare(
                _same(figure.zone, band.zone),
                f"dipublikasikan kategori {band.category} dengan zona {figure.zone}, "
                f"padahal kategori {band.category} berzona {band.zone}",
            )
        else:
            checks.compare(
                figure.zone.lower() in _zones(instrument),
                f"zona {figure.zone} tidak ada di instrumen {instrument.code}",
            )
    if figure.label:
        kind, text = _label_kind(figure, figure.label)
        if kind == "zone":
            if not _zones(instrument):
                checks.notes.append(f"label '{figure.label}': instrumen tidak memakai zona")
            elif band is not None and band.zone:
                checks.compare(
                    _same(text, band.zone),
                    f"dipublikasikan kategori {band.category} dengan '{figure.label}', "
                    f"padahal kategori {band.category} berzona {band.zone}",
                )
            else:
                checks.compare(
                    text in _zones(instrument),
                    f"zona '{figure.label}' tidak ada di instrumen {instrument.code}",
                )
        elif kind == "quality":
            qualities = {
                str(getattr(b, "quality_label", "") or "").lower() for b in instrument.bands
            } - {""}
            if qualities:
                checks.compare(
                    text in qualities,
                    f"label kualitas pelayanan '{figure.label}' tidak ada di instrumen "
                    f"{instrument.code}",
                )
            else:
                checks.notes.append(
                    f"label kualitas pelayanan '{figure.label}' tidak dapat diperiksa: "
                    "instrumen belum memuat label kualitas pelayanan"
                )
        elif band is not None:
            checks.compare(
                _opinion_matches(band, text),
                f"dipublikasikan kategori {band.category} dengan '{figure.label}', padahal "
                f"opini kategori {band.category} adalah {band.opinion}",
            )
        elif any(_opinion_matches(other, text) for other in instrument.bands):
            checks.passed += 1
        else:
            checks.notes.append(f"label '{figure.label}' tidak dikenal instrumen")
