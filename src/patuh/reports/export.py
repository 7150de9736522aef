"""A cycle's results as an Excel workbook (one sheet per level, plus the raw answers) or CSV.

Written with openpyxl's write-only mode, row by row, to a file: a national export does not
hold the workbook in memory. Numbers are written as numbers with the same two-decimal
rounding as every page and the rapor. Every cell goes through
:func:`~patuh.scoring.spreadsheets.safe_cell` on its way out: text a spreadsheet would run
as a formula (a name or note typed as ``=cmd|' /C calc'!A0``) is written as plain text."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from patuh.assessments.models import Answer, AssessmentKind, AssessmentStatus, Cycle
from patuh.assessments.services import score_cycle
from patuh.orgs.models import Government
from patuh.scoring import load_instrument, round_half_up
from patuh.scoring.spreadsheets import safe_row

SHEETS = ("Pemerintah", "Unit", "Dimensi", "Indikator", "Jawaban", "Survei")


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(round_half_up(value, 2))


PEKPPP_COLUMNS = [
    "IPP",
    "kategori",
    "label",
    "F-03",
    "komposit",
    "kategori komposit",
    "jumlah responden F-03",
    "bagian sementara",
]
"""The PEKPPP figures of a government or a unit, in the order of its sheet's columns."""


def _pekppp_cells(figures: Any) -> list[Any]:
    return [
        _number(figures.ipp),
        figures.category,
        figures.label,
        _number(figures.f03),
        _number(figures.composite),
        figures.composite_category,
        figures.respondents,
        ", ".join(figures.provisional_parts),
    ]


def _pekppp_rows(
    results: list[Any], instrument: Any
) -> tuple[Iterator[list[Any]], Iterator[list[Any]]]:
    """The government and unit sheets of a PEKPPP cycle: the IPP (F-02) with its category
    and label, the F-03 index, the composite and its category, the F-03 respondents and
    which of them are provisional; per unit also each aspect's score and the supplementary
    items (not counted). No zone, opinion suffix or Ombudsman-only layer."""
    from patuh.reports.pekppp import (
        counted_dimensions,
        government_figures,
        unit_figures,
        with_parts,
    )

    dimensions = counted_dimensions(instrument)
    supplementary = [
        ind.code for dim in instrument.dimensions for ind in dim.indicators if not ind.counted
    ]

    def government_rows() -> Iterator[list[Any]]:
        yield ["kode", "pemerintah", "jenis", *PEKPPP_COLUMNS, "jumlah unit", "sintetis"]
        for row in results:
            parts = with_parts(row.result, row.pekppp)
            yield [
                row.government.region_code,
                row.government.name,
                row.government.kind,
                *_pekppp_cells(government_figures(parts)),
                len(row.result.units),
                row.synthetic,
            ]

    def unit_rows() -> Iterator[list[Any]]:
        yield [
            "kode pemerintah",
            "kode unit",
            "unit",
            "jenis unit",
            *PEKPPP_COLUMNS,
            *[f"nilai {dim.code}" for dim in dimensions],
            *[f"{code} (tidak dihitung)" for code in supplementary],
        ]
        for row in results:
            parts = with_parts(row.result, row.pekppp)
            for unit, figures in zip(row.result.units, unit_figures(parts), strict=True):
                indicators = unit.indicators
                yield [
                    row.government.region_code,
                    unit.code,
                    unit.name,
                    unit.type,
                    *_pekppp_cells(figures),
                    *[_number(unit.dimensions[dim.code].score) for dim in dimensions],
                    *[
                        _number(indicators[code].value)
                        if indicators[code].status == "answered"
                        else None
                        for code in supplementary
                    ],
                ]

    return government_rows(), unit_rows()


def rows(cycle: Cycle, governments: Any = None) -> dict[str, Iterator[list[Any]]]:
    """The rows of every sheet, header first, as they are: the writers neutralise them. A
    PEKPPP cycle's government and unit sheets carry its IPP figures
    (:func:`_pekppp_rows`)."""
    from patuh.reports.pekppp import is_pekppp

    governments = governments if governments is not None else Government.objects.all()
    results = score_cycle(cycle, governments)
    instrument = load_instrument(cycle.instrument_code)
    elements = [element.code for element in instrument.government_elements]

    def government_rows() -> Iterator[list[Any]]:
        # the 2025+ layers after the columns every year has; the zone is empty from 2025
        yield [
            "kode",
            "pemerintah",
            "jenis",
            "nilai",
            "kategori",
            "opini",
            "zona",
            "sintetis",
            "label kualitas",
            "penghargaan",
            "nilai bagian unit",
            "kepatuhan",
            *[f"nilai {code}" for code in elements],
        ]
        for row in results:
            r = row.result
            scores = {element.code: element.score for element in r.elements}
            yield [
                row.government.region_code,
                row.government.name,
                row.government.kind,
                _number(r.score),
                r.band.category,
                r.opinion,
                r.band.zone,
                row.synthetic,
                r.quality_label,
                None if r.award is None else (r.award.name if r.award.awarded else ""),
                _number(r.units_score),
                None if r.compliance is None else r.compliance.label,
                *[_number(scores.get(code)) for code in elements],
            ]

    def unit_rows() -> Iterator[list[Any]]:
        yield [
            "kode pemerintah",
            "kode unit",
            "unit",
            "jenis unit",
            "nilai",
            "kategori",
            "zona",
            "label kualitas",
        ]
        for row in results:
            for unit in row.result.units:
                yield [
                    row.government.region_code,
                    unit.code,
                    unit.name,
                    unit.type,
                    _number(unit.score),
                    unit.band.category,
                    unit.band.zone,
                    unit.band.quality_label,
                ]

    def dimension_rows() -> Iterator[list[Any]]:
        yield ["kode pemerintah", "kode unit", "dimensi", "bobot", "nilai"]
        for row in results:
            for unit in row.result.units:
                for dimension in unit.dimensions.values():
                    yield [
                        row.government.region_code,
                        unit.code,
                        dimension.code,
                        _number(dimension.weight),
                        _number(dimension.score),
                    ]

    def indicator_rows() -> Iterator[list[Any]]:
        yield [
            "kode pemerintah",
            "kode unit",
            "indikator",
            "status",
            "nilai",
            "bobot efektif",
            "poin",
            "poin hilang",
        ]
        for row in results:
            for unit in row.result.units:
                for item in unit.indicators.values():
                    yield [
                        row.government.region_code,
                        unit.code,
                        item.code,
                        item.status,
                        _number(item.value),
                        float(item.weight),
                        _number(item.points),
                        _number(item.points_lost),
                    ]

    def answer_rows() -> Iterator[list[Any]]:
        yield ["kode pemerintah", "kode unit", "indikator", "jawaban", "alasan N/A", "catatan"]
        answers = (
            Answer.objects.filter(
                assessment__cycle=cycle,
                assessment__kind=AssessmentKind.OFFICIAL,
                assessment__service_unit__government__in=governments,
            )
            .exclude(assessment__status=AssessmentStatus.DROPPED)
            .order_by(
                "assessment__service_unit__government__region_code",
                "assessment__service_unit__code",
                "indicator_code",
            )
            .values_list(
                "assessment__service_unit__government__region_code",
                "assessment__service_unit__code",
                "indicator_code",
                "value",
                "na_reason",
                "note",
            )
            .iterator(chunk_size=5000)
        )
        for government, unit, code, value, na_reason, note in answers:
            shown = ", ".join(str(v) for v in value) if isinstance(value, list) else value
            yield [government, unit, code, str(shown), na_reason, note]

    def survey_rows() -> Iterator[list[Any]]:
        from patuh.orgs.models import ServiceUnit
        from patuh.surveys.models import SurveyResponse
        from patuh.surveys.services import perception_summary, skm_summary

        yield [
            "kode pemerintah",
            "kode unit",
            "responden SKM",
            "IKM",
            "indeks",
            "mutu",
            "sampel memadai",
            "responden persepsi",
            *[f"{code} dilaporkan (%)" for code in ("OU-1", "OU-2", "OU-3", "OU-4", "OU-5")],
        ]
        unit_ids = (
            SurveyResponse.objects.filter(cycle=cycle, unit__government__in=governments)
            .values_list("unit", flat=True)
            .distinct()
        )
        for unit in (
            ServiceUnit.objects.filter(pk__in=unit_ids)
            .select_related("government")
            .order_by("government__region_code", "code")
        ):
            skm = skm_summary(unit, cycle)
            shares = {share.code: share for share in perception_summary(unit, cycle)}
            respondents = max((share.respondents for share in shares.values()), default=0)
            yield [
                unit.government.region_code,
                unit.code,
                skm.respondents,
                None if skm.result is None else float(round_half_up(skm.result.ikm, 4)),
                None if skm.result is None else _number(skm.result.index),
                None if skm.result is None else skm.result.band.category,
                skm.adequate,
                respondents,
                *[
                    None
                    if code not in shares or shares[code].share is None
                    else _number(shares[code].share * 100)
                    for code in ("OU-1", "OU-2", "OU-3", "OU-4", "OU-5")
                ],
            ]

    sheets = (
        _pekppp_rows(results, instrument)
        if is_pekppp(instrument)
        else (government_rows(), unit_rows())
    )
    return {
        "Pemerintah": sheets[0],
        "Unit": sheets[1],
        "Dimensi": dimension_rows(),
        "Indikator": indicator_rows(),
        "Jawaban": answer_rows(),
        "Survei": survey_rows(),
    }


def write_workbook(cycle: Cycle, path: Path, governments: Any = None) -> Path:
    workbook = Workbook(write_only=True)
    for title, sheet_rows in rows(cycle, governments).items():
        sheet = workbook.create_sheet(title)
        for row in sheet_rows:
            sheet.append(safe_row(row))
    workbook.save(path)
    return path


def write_csv(cycle: Cycle, path: Path, sheet: str = "Unit", governments: Any = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in rows(cycle, governments)[sheet]:
            writer.writerow(safe_row(row))
    return path
