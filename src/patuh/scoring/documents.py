"""Document kinds of the evidence locker and where each one counts.

A service unit keeps its standing documents (maklumat, standar pelayanan, SOP pengaduan, SK
petugas pengaduan, laporan SKM …) once, in its locker. Which indicators a kind of document
is evidence for is instrument data: an indicator lists the kind codes it asks for under
``documents:``. The shared vocabulary is ``scoring/data/document-kinds.yaml``; an instrument
naming a kind that is not in it fails to load (see :mod:`patuh.scoring.loader`).

Everything here is plain Python and pure: :func:`where_it_counts` reads only the packaged
(or given) instruments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InstrumentError, Problem
from .model import Indicator, Instrument

FORMAT = "patuh.document-kinds/1"
PACKAGED_PATH = Path(__file__).resolve().parent / "data" / "document-kinds.yaml"
KIND_CODE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
PROGRAMS = ("ombudsman", "pekppp")
"""The two programmes a document is compared across: the Ombudsman assessment and
KemenPAN-RB's PEKPPP evaluation."""


@dataclass(frozen=True)
class DocumentKind:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class DocumentKinds:
    """The vocabulary: kinds by code, in file order, and the comparison threshold."""

    kinds: dict[str, DocumentKind]
    disagreement_threshold: Decimal

    def __contains__(self, code: object) -> bool:
        return code in self.kinds

    def __getitem__(self, code: str) -> DocumentKind:
        return self.kinds[code]


@dataclass(frozen=True)
class Use:
    """One indicator a kind of document counts for."""

    instrument_code: str
    instrument_name: str
    program: str | None
    indicator_code: str
    indicator_name: str


def program_of(instrument: Instrument) -> str | None:
    """``ombudsman`` or ``pekppp`` (the rule of :mod:`patuh.scoring.published_check`), or
    ``None`` for any other instrument (SKM)."""
    if instrument.code.startswith("pekppp"):
        return "pekppp"
    if instrument.owner.lower().startswith("ombudsman"):
        return "ombudsman"
    return None


def kinds_from_mapping(raw: Any, source: str = "document-kinds.yaml") -> DocumentKinds:
    """Validate the vocabulary; raise :class:`InstrumentError` listing every problem."""
    problems: list[Problem] = []
    if not isinstance(raw, Mapping):
        raise InstrumentError(source, [Problem("", "harus pemetaan dengan kunci kinds")])
    if raw.get("format") != FORMAT:
        problems.append(Problem("format", f"harus {FORMAT}"))
    unknown_keys = sorted(set(raw) - {"format", "comparison", "kinds"})
    if unknown_keys:
        problems.append(Problem("", f"kunci tidak dikenal: {', '.join(map(str, unknown_keys))}"))
    threshold = Decimal("0.34")
    comparison = raw.get("comparison", {})
    if not isinstance(comparison, Mapping):
        problems.append(Problem("comparison", "harus pemetaan"))
    elif "disagreement_threshold" in comparison:
        try:
            threshold = Decimal(str(comparison["disagreement_threshold"]))
        except InvalidOperation:
            threshold = Decimal(-1)
        if not Decimal(0) < threshold < Decimal(1):
            problems.append(
                Problem("comparison.disagreement_threshold", "harus angka antara 0 dan 1")
            )
    kinds: dict[str, DocumentKind] = {}
    items = raw.get("kinds")
    if not isinstance(items, list) or not items:
        problems.append(Problem("kinds", "harus daftar jenis dokumen yang tidak kosong"))
        items = []
    for index, item in enumerate(items):
        where = f"kinds[{index}]"
        if not isinstance(item, Mapping):
            problems.append(Problem(where, "harus pemetaan code, name, description"))
            continue
        code = item.get("code")
        if not isinstance(code, str) or not KIND_CODE.fullmatch(code):
            problems.append(
                Problem(f"{where}.code", "harus huruf kecil, angka dan garis bawah (snake_case)")
            )
            continue
        where = f"kinds.{code}"
        if code in kinds:
            problems.append(Problem(where, "kode jenis dokumen ganda"))
        extra = sorted(set(item) - {"code", "name", "description"})
        if extra:
            problems.append(Problem(where, f"kunci tidak dikenal: {', '.join(map(str, extra))}"))
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(Problem(f"{where}.name", "wajib diisi"))
            name = ""
        description = item.get("description", "")
        if not isinstance(description, str):
            problems.append(Problem(f"{where}.description", "harus teks"))
            description = ""
        kinds[code] = DocumentKind(code, name.strip(), " ".join(description.split()))
    if problems:
        raise InstrumentError(source, problems)
    return DocumentKinds(kinds, threshold)


@cache
def document_kinds() -> DocumentKinds:
    """The packaged vocabulary (validated once, then cached)."""
    from .loader import parse_yaml

    text = PACKAGED_PATH.read_text(encoding="utf-8")
    return kinds_from_mapping(parse_yaml(text, PACKAGED_PATH.name), PACKAGED_PATH.name)


def _instruments(instruments: Iterable[Instrument] | None) -> list[Instrument]:
    if instruments is not None:
        return list(instruments)
    from .loader import list_instruments

    return list_instruments()


def where_it_counts(
    kind: str, instruments: Iterable[Instrument] | None = None
) -> list[tuple[str, str]]:
    """``(instrument code, indicator code)`` of every indicator that names ``kind`` in its
    ``documents``, over the packaged instruments (or the given ones), sorted by instrument
    code then instrument order. An unknown kind is an error, not an empty list."""
    return [(use.instrument_code, use.indicator_code) for use in uses(kind, instruments)]


def uses(kind: str, instruments: Iterable[Instrument] | None = None) -> list[Use]:
    """Like :func:`where_it_counts`, with names and programme for display."""
    if kind not in document_kinds():
        raise KeyError(f"jenis dokumen tidak dikenal: {kind!r}")
    found: list[Use] = []
    for instrument in sorted(_instruments(instruments), key=lambda i: i.code):
        for indicator in instrument.indicators.values():
            if kind in indicator.documents:
                found.append(
                    Use(
                        instrument.code,
                        instrument.name,
                        program_of(instrument),
                        indicator.code,
                        indicator.name,
                    )
                )
    return found


def indicators_for(kind: str, instrument: Instrument) -> list[Indicator]:
    """The indicators of one instrument that name ``kind``, in instrument order."""
    return [ind for ind in instrument.indicators.values() if kind in ind.documents]


def shared_kinds(first: Instrument, second: Instrument) -> list[str]:
    """Kinds mapped in both instruments, in vocabulary order: the facts the two score."""
    used_first = {kind for ind in first.indicators.values() for kind in ind.documents}
    used_second = {kind for ind in second.indicators.values() for kind in ind.documents}
    return [code for code in document_kinds().kinds if code in used_first & used_second]


def normalised(value: Decimal, indicator: Indicator) -> Decimal:
    """``value`` on 0–1 of the indicator's scale (a 2 on 0–3 is 0.6667, 4 on 0–5 is 0.8)."""
    span = indicator.scale.span
    if span == 0:
        return Decimal(0)
    return ((value - indicator.scale.minimum) / span).quantize(Decimal("0.0001"))
