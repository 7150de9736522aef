"""The ``patuh`` commands that need no database: scoring, instruments, answers files.

Every bad input ends with a message naming the file and the place in it, and exit status 2;
never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

from patuh.scoring import (
    UNIT_TYPES,
    GovernmentResult,
    Instrument,
    Problem,
    ScoringError,
    UnknownInstrument,
    WhatIfPlan,
    format_score,
    instrument_codes,
    load_instrument,
    load_instrument_file,
    score_government,
)
from patuh.scoring.answer_files import (
    answers_to_mapping,
    read_answers_file,
    write_answers_xlsx,
)
from patuh.scoring.pekppp import PekpppResult, SurveyPart, survey_parts

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"patuh: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="patuh", description="Patuh — penilaian pelayanan publik.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    score = commands.add_parser("score", help="nilai satu berkas jawaban (JSON atau XLSX)")
    score.add_argument("file", help="berkas jawaban patuh.answers/1 (.json atau .xlsx)")
    score.add_argument("--format", choices=["table", "json"], default="table")
    score.add_argument("--instrument-file", help="pakai berkas instrumen YAML ini")

    instruments = commands.add_parser("instruments", help="pustaka instrumen")
    actions = instruments.add_subparsers(dest="action", required=True, parser_class=_Parser)
    actions.add_parser("list", help="daftar instrumen")
    show = actions.add_parser("show", help="isi satu instrumen")
    show.add_argument("code")
    validate = actions.add_parser("validate", help="periksa berkas instrumen YAML atau XLSX")
    validate.add_argument("file")
    export = actions.add_parser("export", help="ekspor instrumen ke Excel")
    export.add_argument("code")
    export.add_argument("out", help="berkas .xlsx")
    export.add_argument("--instrument-file", help="ekspor berkas YAML ini, bukan instrumen bawaan")
    imp = actions.add_parser("import", help="impor instrumen dari Excel menjadi YAML")
    imp.add_argument("file", help="berkas .xlsx hasil ekspor yang telah diubah")
    imp.add_argument(
        "--out",
        help="berkas YAML tujuan (bawaan: KODE.yaml di folder "
        "PATUH_INSTRUMENTS_DIR atau folder kerja)",
    )

    answers = commands.add_parser("answers", help="berkas jawaban")
    answer_actions = answers.add_subparsers(dest="action", required=True, parser_class=_Parser)
    convert = answer_actions.add_parser("convert", help="ubah JSON ⇄ XLSX")
    convert.add_argument("file")
    convert.add_argument("out")
    template = answer_actions.add_parser("template", help="templat XLSX kosong untuk diisi")
    template.add_argument("code", help="kode instrumen")
    template.add_argument("out")
    template.add_argument("--unit-type", default="lainnya", choices=list(UNIT_TYPES))

    survey = commands.add_parser("survey", help="survei kepuasan masyarakat (SKM)")
    survey_actions = survey.add_subparsers(dest="action", required=True, parser_class=_Parser)
    survey_score = survey_actions.add_parser(
        "score", help="hitung NRR, IKM dan indeks dari berkas jawaban (CSV atau XLSX, kolom U1…U9)"
    )
    survey_score.add_argument("file", help="berkas jawaban, satu baris per responden")
    survey_score.add_argument("--instrument", default="skm-2017")
    survey_score.add_argument("--format", choices=["table", "json"], default="table")
    return parser


OVERVIEW = """\
patuh — Penilaian Penyelenggaraan Pelayanan Publik

Tanpa basis data:
  patuh score FILE [--format table|json]  — nilai satu berkas jawaban
  patuh instruments list | show CODE | validate FILE | export CODE OUT.xlsx | import IN.xlsx
  patuh answers convert IN OUT | template CODE OUT.xlsx
  patuh survey score JAWABAN.csv|.xlsx [--instrument skm-2017] [--format table|json]
  patuh xlsform skm|perception|checklist … --out FORM.xlsx  — formulir ODK/KoboCollect

Basis data dan data demo:
  patuh migrate  — buat atau perbarui basis data
  patuh demo [--scale national [--survey-responses N] [--seed S]]  — data dan login demo
  patuh regions load  — provinsi dan kabupaten/kota (kode Kemendagri)
  patuh published check [FILE] | load [FILE] | list [--year TAHUN] [--government KODE]
      — hasil yang dipublikasikan Ombudsman RI dan KemenPAN-RB

Penilaian, survei, laporan:
  patuh checklist import BERKAS --unit KODE/UNIT --cycle TAHUN --user PENGGUNA [--media DIR]
  patuh survey import JAWABAN.csv|.xlsx --unit KODE/UNIT --cycle TAHUN --kind skm|perception
  patuh complaints import EKSPOR.csv|.xlsx --unit KODE/UNIT [--dry-run]  — ekspor SP4N-LAPOR!
  patuh complaints stats --unit KODE/UNIT|--government KODE [--year TAHUN] [--format json]
  patuh government-data import BERKAS.csv|.xlsx --cycle ID [--dry-run] [--reason TEKS]
      [--actor PENGGUNA] | export --cycle ID [--format csv|json] | template --cycle ID
      — data tingkat pemerintah siklus 2025+ (Output data sekunder, kepercayaan masyarakat)
  patuh report rapor --government KODE --cycle TAHUN --out RAPOR.pdf
  patuh report export --cycle TAHUN [--province KODE] --out HASIL.xlsx|.csv
  patuh jobs work [--once] | requeue [--older-than MENIT] | list [--status S]  [--format json]
      — tugas di latar belakang (rapor, ekspor, impor survei besar)
  patuh reminders send [--today YYYY-MM-DD] [--dry-run] [--format json]  — pengingat tenggat
  patuh notifications send | overdue [--today YYYY-MM-DD] [--dry-run]  [--format json]
      — kirim ulang e-mail notifikasi; beri tahu tindak lanjut yang lewat tenggat

Administrasi dan pemeliharaan:
  patuh api-token PENGGUNA [--name NAMA] [--days HARI] | --list [--format json]
      | --revoke [--prefix AWALAN]  — token API (dicetak sekali, kedaluwarsa)
  patuh audit verify [--against CADANGAN.zip] [--format json]  — periksa rantai jejak audit
  patuh backup OUT.zip|FOLDER [--format json]  — cadangkan seluruh instansi
  patuh restore IN.zip  — pulihkan cadangan ke instansi kosong
  patuh export_government KODE OUT.zip  — semua data satu pemerintah
  patuh housekeeping [--dry-run] [--format json]  — perawatan harian: sesi, tugas macet,
      keluaran lama, catatan penguncian, identitas pelapor lewat retensi
  patuh runserver, patuh createsuperuser, patuh help PERINTAH  — bantuan satu perintah

Status keluar: 0 berhasil, 2 masukan salah, 1 gagal.
"""


def print_overview() -> None:
    print(OVERVIEW, end="")


def run_native(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "score":
            return _score(args)
        if args.command == "instruments":
            return _instruments(args)
        if args.command == "answers":
            return _answers(args)
        if args.command == "survey":
            return _survey(args)
    except ScoringError as exc:
        print(f"patuh: {exc.message()}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # the reader went away (``patuh score … | head``): not an error of the input
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"patuh: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


# -- score -------------------------------------------------------------------------------


def _score(args: argparse.Namespace) -> int:
    answers = read_answers_file(args.file)
    instrument = (
        load_instrument_file(args.instrument_file)
        if args.instrument_file
        else _instrument_of(answers.instrument_code, args.file)
    )
    try:
        result = score_government(instrument, answers.government)
    except ScoringError as exc:
        exc.source = args.file
        raise
    parts = survey_parts(instrument, answers.government, result) if instrument.user_survey else None
    if args.format == "json":
        data = result_to_json(result)
        if parts is not None:
            add_pekppp_json(data, parts)
        print(dumps_with_decimals(data))
    else:
        print(render_table(result, pekppp=parts))
    return 0


def _pekppp_flags(parts: PekpppResult, code: str | None) -> dict[str, bool]:
    """Which of a unit's (``code``) or the government's (``None``) IPP, category, F-03 index
    and composite rest on a provisional part of the instrument."""
    instrument = parts.instrument
    provisional = {note.path for note in instrument.provisional_notes}
    unit = next((u for u in parts.ipp.units if u.code == code), None)
    band = parts.ipp.band if unit is None else unit.band
    ipp = any(
        f"dimensions.{dim.code}" in provisional for dim in instrument.dimensions if dim.counted
    ) or (unit is None and "instrumen" in provisional)
    f03 = "user_survey" in provisional or (unit is None and "instrumen" in provisional)
    return {
        "ipp": ipp,
        "category": f"bands.{band.category}" in provisional,
        "f03": f03,
        "composite": ipp or f03 or "composite" in provisional,
    }


def _pekppp_part_json(part: SurveyPart, decimals: int) -> dict[str, Any]:
    return {
        "respondents": part.respondents,
        "f03": None if part.f03 is None else _Fixed(part.f03, decimals),
        "composite": None if part.composite is None else _Fixed(part.composite, decimals),
        "composite_category": None if part.composite_band is None else part.composite_band.category,
    }


def add_pekppp_json(data: dict[str, Any], parts: PekpppResult) -> None:
    """Add to ``patuh score --format json`` what a PEKPPP instrument with F-03 gives: per
    unit and for the government the IPP (F-02), the F-03 index, the composite and its
    category, which of them are provisional, and each unit's answers that are not counted."""
    result = parts.ipp
    d = result.instrument.result.decimals
    government = data["government"]
    government["ipp"] = _Fixed(result.score, d)
    government.update(_pekppp_part_json(parts.government, d))
    government["flags"] = _pekppp_flags(parts, None)
    for unit_json, unit in zip(data["units"], result.units, strict=True):
        unit_json["ipp"] = _Fixed(unit.score, d)
        unit_json.update(_pekppp_part_json(parts.units[unit.code], d))
        unit_json["flags"] = _pekppp_flags(parts, unit.code)
        unit_json["not_counted"] = {
            ind.code: None
            if ind.value is None or ind.status != "answered"
            else _as_given(ind.value)
            for ind in unit.indicators.values()
            if not ind.counted
        }


def _pekppp_lines(parts: PekpppResult) -> list[str]:
    """The PEKPPP table: IPP (F-02) and its category, the F-03 index and the composite per
    unit and for the government, each flagged ``[sementara]`` where provisional."""
    result = parts.ipp
    instrument = result.instrument
    d = instrument.result.decimals

    provisional = {note.path for note in instrument.provisional_notes}

    def cell(value: Decimal | None) -> str:
        return "-" if value is None else format_score(value, d)

    def flagged(text: str, flag: bool) -> str:
        return f"{text}*" if flag else text

    rows = [
        ("Pemerintah", result.name, result.score, result.band, parts.government, None),
        *(
            (unit.code, unit.name, unit.score, unit.band, parts.units[unit.code], unit.code)
            for unit in result.units
        ),
    ]
    code_width = max(len(row[0]) for row in rows)
    name_width = max(len("Nama"), *(len(row[1]) for row in rows))
    header = (
        f"{'Kode':<{code_width}}  {'Nama':<{name_width}}  {'IPP':>6}  Kat  "
        f"{'F-03':>6}  {'Resp':>5}  {'Gabungan':>8}  Kat"
    )
    lines = ["IPP PEKPPP (F-02) dan indeks F-03:", header, "-" * len(header)]
    for code, name, ipp, band, part, unit_code in rows:
        flags = _pekppp_flags(parts, unit_code)
        composite_category = (
            flagged(
                part.composite_band.category,
                f"bands.{part.composite_band.category}" in provisional,
            )
            if part.composite_band
            else "-"
        )
        lines.append(
            f"{code:<{code_width}}  {name:<{name_width}}  "
            f"{flagged(format_score(ipp, d), flags['ipp']):>6}  "
            f"{flagged(band.category, flags['category']):<3}  "
            f"{flagged(cell(part.f03), flags['f03'] and part.f03 is not None):>6}  "
            f"{part.respondents:>5}  "
            f"{flagged(cell(part.composite), flags['composite'] and part.composite is not None):>8}"
            f"  {composite_category}"
        )
    lines.append("* sementara: bertumpu pada bagian instrumen yang belum resmi (lihat di bawah).")
    rule = instrument.composite
    if rule is not None:
        lines.append(
            f"Gabungan = {format_score(rule.evaluator_weight)} × IPP F-02 + "
            f"{format_score(rule.survey_weight)} × F-03"
            + (" [sementara]" if rule.provisional else "")
            + f"; IPP dan kategorinya tetap dari F-02. Sumber: {rule.source}"
        )
    for unit in result.units:
        extra = [ind for ind in unit.indicators.values() if not ind.counted]
        if extra:
            shown = ", ".join(
                f"{ind.code} "
                + (
                    format_score(ind.value)
                    if ind.status == "answered" and ind.value is not None
                    else "belum diisi"
                )
                for ind in extra
            )
            lines.append(f"  {unit.code} tidak dihitung (informasi tambahan): {shown}")
    return lines


def _survey(args: argparse.Namespace) -> int:
    from patuh.scoring.survey_files import render_skm_table, score_skm_file, skm_result_json

    instrument = load_instrument(args.instrument)
    if set(instrument.indicators) != {f"U{number}" for number in range(1, 10)}:
        raise UnknownInstrument(
            "", [Problem("--instrument", f"{args.instrument} bukan instrumen SKM (unsur U1…U9)")]
        )
    notes: list[str] = []
    result = score_skm_file(args.file, instrument, notes)
    for note in notes:
        print(f"patuh: {args.file}: catatan: {note}", file=sys.stderr)
    if args.format == "json":
        data = skm_result_json(result)
        data["nrr"] = {code: _Fixed(value, 4) for code, value in data["nrr"].items()}
        data["ikm"] = _Fixed(data["ikm"], 4)
        data["index"] = _Fixed(data["index"], 2)
        print(dumps_with_decimals(data))
    else:
        print(render_skm_table(result), end="")
    return 0


def _instrument_of(code: str, answers_file: str) -> Instrument:
    """The packaged instrument an answers file names; an unknown code names the file."""
    try:
        return load_instrument(code)
    except UnknownInstrument as exc:
        problems = [Problem("instrument", problem.reason) for problem in exc.problems]
        raise UnknownInstrument(answers_file, problems) from None


class _Fixed:
    """A number printed with a fixed number of decimals in JSON."""

    def __init__(self, value: Decimal, decimals: int):
        self.text = format_score(value, decimals)


def dumps_with_decimals(data: Any) -> str:
    """``json.dumps`` that prints scores with their decimals (``80.10``, not ``80.1``)."""
    marker = "\u0000fixed:"

    def encode(obj: Any) -> Any:
        if isinstance(obj, _Fixed):
            return f"{marker}{obj.text}"
        raise TypeError(f"not JSON serialisable: {obj!r}")

    text = json.dumps(data, default=encode, ensure_ascii=False, indent=2)
    return re.sub(r'"\\u0000fixed:(-?[0-9.]+)"', r"\1", text)


def _plan_json(plan: WhatIfPlan, decimals: int) -> dict[str, Any]:
    return {
        "current_category": plan.current.category,
        "target_category": plan.target.category if plan.target else None,
        "target_score": _Fixed(plan.target.minimum, decimals) if plan.target else None,
        "reachable": plan.reachable,
        "projected_score": _Fixed(plan.projected_score, decimals),
        "steps": [
            {
                "unit": step.unit_code,
                "indicator": step.indicator_code,
                "name": step.indicator_name,
                "from": _Fixed(step.from_value, 2),
                "to": _Fixed(step.to_value, 2),
                "gain": _Fixed(step.gain, decimals),
            }
            for step in plan.steps
        ],
    }


def _certificate_json(result: GovernmentResult) -> dict[str, Any] | None:
    certificate = result.certificate
    if certificate is None:
        return None
    return {
        "status": certificate.status,
        "reason": certificate.reason,
        "withheld_unless": certificate.rule.withheld_unless,
        "note": certificate.rule.note,
        "provisional": certificate.provisional,
    }


CERTIFICATE_TEXT = {
    "awarded": "diberikan",
    "withheld": "ditahan",
    "not_determined": "belum dapat ditentukan",
}


def certificate_text(result: GovernmentResult) -> str | None:
    """``diberikan`` / ``ditahan — <why>`` / ``belum dapat ditentukan — <why>``, flagged when
    the rule is provisional; ``None`` when the instrument has no certificate rule."""
    certificate = result.certificate
    if certificate is None:
        return None
    text = CERTIFICATE_TEXT[certificate.status]
    if certificate.reason:
        text += f" — {certificate.reason}"
    return text + (" [sementara]" if certificate.provisional else "")


def _as_given(value: Decimal) -> _Fixed:
    """A figure printed with the decimals it was entered with (``72.5``, ``4.21``)."""
    text = format(value.normalize(), "f")
    return _Fixed(value, len(text.split(".")[1]) if "." in text else 0)


def _government_level_json(result: GovernmentResult) -> dict[str, Any]:
    """What the 2025+ method adds to ``government`` (nothing for instruments before it):
    the government-level elements with every figure's year and source, the units' part,
    the graded compliance, the award and the provisional parts the result rests on."""
    instrument = result.instrument
    if not (instrument.government_elements or instrument.compliance or instrument.award_name):
        return {}
    d = instrument.result.decimals
    notes = {note.path: note.note for note in instrument.provisional_notes}
    compliance = instrument.compliance
    return {
        "units_score": None if result.units_score is None else _Fixed(result.units_score, d),
        "elements": [
            {
                "code": element.code,
                "name": element.element.name,
                "kind": element.element.kind,
                "weight": _Fixed(element.element.weight, 3),
                "score": _Fixed(element.score, d),
                "points": _Fixed(element.points, d),
                "indicators": [
                    {
                        "indicator": ind.code,
                        "name": ind.indicator.name,
                        "status": ind.status,
                        "value": None if ind.value is None else _as_given(ind.value),
                        "year": ind.year,
                        "source": ind.source,
                        "points_lost": _Fixed(ind.points_lost, d),
                    }
                    for ind in element.indicators
                ],
            }
            for element in result.elements
        ],
        "missing": result.government_missing,
        "compliance": None
        if compliance is None
        else {
            "indicator": compliance.code,
            "level": result.compliance.code if result.compliance else None,
            "label": result.compliance.label if result.compliance else None,
            "suffix": result.compliance.suffix if result.compliance else None,
            "provisional": compliance.provisional,
        },
        "award": None
        if result.award is None
        else {
            "name": result.award.name,
            "awarded": result.award.awarded,
            "categories": list(instrument.award_categories),
            "provisional": "award" in notes,
        },
        "zones_note": instrument.zones_dropped_note or None,
        "provisional": [{"path": path, "note": notes[path]} for path in result.provisional_parts],
    }


def government_json(result: GovernmentResult) -> dict[str, Any]:
    """The ``government`` object of :func:`result_to_json`: score, category, opinion, zone
    (``None`` from 2025), quality label, certificate and the 2025+ layers."""
    d = result.instrument.result.decimals
    return {
        "code": result.code,
        "name": result.name,
        "kind": result.kind,
        "score": _Fixed(result.score, d),
        "category": result.band.category,
        "opinion": result.opinion,
        "zone": result.band.zone,
        "quality_label": result.band.quality_label,
        "certificate": _certificate_json(result),
        **_government_level_json(result),
    }


def government_data(result: GovernmentResult) -> dict[str, Any]:
    """:func:`government_json` as plain data with exact decimals: what a result snapshot's
    payload holds under ``government`` (``ResultSnapshot.data``), for pages that show a live
    result the way they show a snapshot."""
    return json.loads(dumps_with_decimals(government_json(result)), parse_float=Decimal)


def result_to_json(result: GovernmentResult) -> dict[str, Any]:
    instrument = result.instrument
    d = instrument.result.decimals
    return {
        "instrument": instrument.code,
        "instrument_version": instrument.version,
        "provisional": instrument.provisional,
        "provisional_notes": [
            {"path": note.path, "note": note.note} for note in instrument.provisional_notes
        ],
        "synthetic": result.synthetic,
        "government": government_json(result),
        "units": [
            {
                "code": unit.code,
                "name": unit.name,
                "type": unit.type,
                "score": _Fixed(unit.score, d),
                "category": unit.band.category,
                "opinion": unit.band.opinion,
                "zone": unit.band.zone,
                "quality_label": unit.band.quality_label,
                "dimensions": {
                    code: None if dim.score is None else _Fixed(dim.score, d)
                    for code, dim in unit.dimensions.items()
                },
                "missing": unit.missing,
                "not_applicable": unit.not_applicable,
                "explanation": [
                    {
                        "indicator": ind.code,
                        "name": ind.name,
                        "dimension": ind.dimension_code,
                        "status": ind.status,
                        "value": None if ind.value is None else _Fixed(ind.value, 2),
                        "points_lost": _Fixed(ind.points_lost, d),
                    }
                    for ind in unit.explanation
                ],
            }
            for unit in result.units
        ],
        "what_if": {
            "government": _plan_json(result.what_if, d),
            "units": {unit.code: _plan_json(unit.what_if, d) for unit in result.units},
        },
    }


def _band_text(category: str, opinion: str, zone: str | None) -> str:
    return f"{category} — {opinion}" + (f" (zona {zone})" if zone else "")


def _plan_lines(plan: WhatIfPlan, decimals: int, who: str) -> list[str]:
    if plan.target is None:
        return [f"  {who}: sudah di kategori tertinggi ({plan.current.category})."]
    if not plan.steps:
        return [f"  {who}: tidak ada indikator yang dapat dinaikkan."]
    head = (
        f"  {who}: ke {plan.target.category} (≥ {format_score(plan.target.minimum, decimals)}) "
        f"dengan {len(plan.steps)} perbaikan"
        + ("" if plan.reachable else " — belum cukup walau semua dinaikkan")
        + f", perkiraan nilai {format_score(plan.projected_score, decimals)}:"
    )
    lines = [head]
    for step in plan.steps:
        unit = f"{step.unit_code} " if who.startswith("Pemerintah") else ""
        lines.append(
            f"      {unit}{step.indicator_code} {step.indicator_name}: "
            f"{format_score(step.from_value)} → {format_score(step.to_value, 0)} "
            f"(+{format_score(step.gain, decimals)})"
        )
    return lines


def _government_level_lines(result: GovernmentResult) -> list[str]:
    """The 2025+ layers in the table: the units' part, each government-level element with
    its figures (year, source), the graded compliance and the award, each flagged
    ``[sementara]`` when its rule is provisional."""
    instrument = result.instrument
    d = instrument.result.decimals
    provisional = {note.path for note in instrument.provisional_notes}

    def flag(path: str) -> str:
        return " [sementara]" if path in provisional else ""

    lines: list[str] = []
    if result.units_score is not None:
        lines.append(
            f"Bagian unit: {format_score(result.units_score, d)} "
            f"(bobot {format_score(instrument.unit_weight, 3)}%)"
        )
    for element in result.elements:
        path = f"government_elements.{element.code}"
        lines.append(
            f"{element.code:<11}: {format_score(element.score, d)} {element.element.name} "
            f"(bobot {format_score(element.element.weight, 3)}%){flag(path)}"
        )
        for ind in element.indicators:
            if ind.value is None:
                lines.append(f"      {ind.code:<9} belum diisi — {ind.indicator.name}")
                continue
            origin = ", ".join(
                part for part in (ind.source, str(ind.year) if ind.year else None) if part
            )
            lines.append(
                f"      {ind.code:<9} {ind.value} dari {ind.indicator.scale} — "
                f"{ind.indicator.name}" + (f" ({origin})" if origin else "")
            )
    if instrument.compliance is not None:
        level = result.compliance.label if result.compliance else "belum diisi"
        lines.append(f"Kepatuhan  : {level}{flag('compliance')}")
    if result.award is not None:
        awarded = "diberikan" if result.award.awarded else "tidak (hanya Kualitas Tertinggi)"
        lines.append(f"Penghargaan: {result.award.name} — {awarded}{flag('award')}")
    return lines


def render_table(result: GovernmentResult, top: int = 5, pekppp: PekpppResult | None = None) -> str:
    instrument = result.instrument
    d = instrument.result.decimals
    dims = [dim.code for dim in instrument.dimensions if dim.counted]
    lines = [
        f"Instrumen  : {instrument.code} (versi {instrument.version}) — {instrument.name}",
        f"Pemerintah : {result.name} ({result.code}, {result.kind})"
        + ("  [DATA SINTETIS]" if result.synthetic else ""),
        f"Nilai      : {format_score(result.score, d)}  "
        f"{_band_text(result.band.category, result.opinion, result.band.zone)}"
        + (
            f"  · kualitas pelayanan {result.band.quality_label}"
            if result.band.quality_label
            else ""
        ),
    ]
    certificate = certificate_text(result)
    if certificate:
        lines.append(f"Piagam     : {certificate}")
    lines += _government_level_lines(result)
    if pekppp is not None:
        lines += ["", *_pekppp_lines(pekppp)]
    lines.append("")
    name_width = max(len("Unit"), *(len(u.name) for u in result.units))
    code_width = max(len("Kode"), *(len(u.code) for u in result.units))
    header = f"{'Kode':<{code_width}}  {'Unit':<{name_width}}  {'Nilai':>6}  Kat  " + "  ".join(
        f"{c:>6}" for c in dims
    )
    lines += [header, "-" * len(header)]
    for unit in result.units:
        cells = "  ".join(
            f"{format_score(unit.dimensions[c].score, d) if unit.dimensions[c].applicable else 'N/A':>6}"  # noqa: E501
            for c in dims
        )
        lines.append(
            f"{unit.code:<{code_width}}  {unit.name:<{name_width}}  "
            f"{format_score(unit.score, d):>6}  {unit.band.category:<3}  {cells}"
        )
    lines += ["", f"Poin yang hilang terbesar per unit (maks. {top}):"]
    for unit in result.units:
        lost = unit.explanation
        total_lost = sum((i.points_lost for i in lost), Decimal(0))
        lines.append(f"  {unit.code} {unit.name}: total −{format_score(total_lost, d)}")
        for ind in lost[:top]:
            state = (
                "belum diisi"
                if ind.status == "missing"
                else (f"nilai {format_score(ind.value)} dari {ind.indicator.scale.maximum}")
            )
            lines.append(
                f"      {ind.code:<7} −{format_score(ind.points_lost, d):>5}  {ind.name} ({state})"
            )
        if unit.missing:
            lines.append(f"      belum diisi: {', '.join(unit.missing)}")
        if unit.not_applicable:
            lines.append(f"      N/A: {', '.join(unit.not_applicable)}")
    lines += ["", "Rencana perbaikan (paling sedikit indikator ke kategori berikutnya):"]
    lines += _plan_lines(result.what_if, d, "Pemerintah")
    for unit in result.units:
        lines += _plan_lines(unit.what_if, d, f"{unit.code}")
    if instrument.provisional:
        lines += ["", "SEMENTARA — bagian instrumen ini belum resmi:"]
        lines += [f"  - {note.path}: {note.note}" for note in instrument.provisional_notes]
    return "\n".join(lines)


# -- instruments -------------------------------------------------------------------------


def _instruments(args: argparse.Namespace) -> int:
    from patuh.scoring import instrument_excel

    if args.action == "list":
        for code in instrument_codes():
            inst = load_instrument(code)
            flag = "  [sementara]" if inst.provisional else ""
            print(
                f"{inst.code:<16} {inst.version:<8} {len(inst.indicators):>3} indikator  "
                f"{inst.name}{flag}"
            )
        return 0
    if args.action == "show":
        print(describe_instrument(load_instrument(args.code)))
        return 0
    if args.action == "validate":
        path = Path(args.file)
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            inst = instrument_excel.read_instrument_xlsx(path)
        else:
            inst = load_instrument_file(path)
        print(
            f"{path}: sah — {inst.code} versi {inst.version}, {len(inst.dimensions)} dimensi, "
            f"{len(inst.indicators)} indikator"
            + (f", {len(inst.provisional_notes)} bagian sementara" if inst.provisional else "")
        )
        return 0
    if args.action == "export":
        inst = (
            load_instrument_file(args.instrument_file)
            if args.instrument_file
            else load_instrument(args.code)
        )
        instrument_excel.write_instrument_xlsx(inst, args.out)
        print(f"{args.out}: {inst.code} versi {inst.version} diekspor")
        return 0
    if args.action == "import":
        inst = instrument_excel.read_instrument_xlsx(Path(args.file))
        out = Path(args.out) if args.out else instrument_excel.default_import_path(inst.code)
        if out.stem != inst.code:  # the loader requires the file to be named after the code
            print(
                f"patuh: {out}: nama berkas tujuan harus {inst.code}.yaml "
                "(sama dengan kode instrumen)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(instrument_excel.instrument_to_yaml(inst), encoding="utf-8")
        print(
            f"{out}: {inst.code} versi {inst.version} diimpor dan sah "
            f"({len(inst.indicators)} indikator)"
        )
        return 0
    raise AssertionError(args.action)


def describe_instrument(inst: Instrument) -> str:
    lines = [
        f"{inst.code} versi {inst.version} — {inst.name} ({inst.owner})",
        f"Skala jawaban {inst.scale}, nilai {inst.result.minimum}–{inst.result.maximum}, "
        f"agregasi pemerintah: {inst.government_aggregation}",
        "",
    ]
    for dim in inst.dimensions:
        flag = "  [sementara]" if dim.provisional_note else ""
        kind = (
            "tidak dihitung"
            if not dim.counted
            else f"indikator {'setara' if dim.indicator_weights == 'equal' else 'berbobot'}"
        )
        lines.append(f"{dim.code} {dim.name} — bobot {dim.weight}, {kind}{flag}")
        for var in dim.variables:
            lines.append(f"  {var.code}: {var.name}")
            for ind in var.indicators:
                weight = f" (bobot {ind.weight})" if ind.weight is not None and ind.counted else ""
                weight += "" if ind.counted else " (tidak dihitung)"
                flag = "  [sementara]" if ind.provisional else ""
                lines.append(f"    {ind.code:<7} {ind.name}{weight}{flag}")
                if ind.documents:
                    lines.append(f"            dokumen unit: {', '.join(ind.documents)}")
    if inst.government_elements:
        lines += ["", "Unsur tingkat pemerintah (jawaban per pemerintah, bukan per unit):"]
        for element in inst.government_elements:
            flag = "  [sementara]" if element.provisional_note else ""
            kind = "data sekunder" if element.kind == "secondary_data" else "survei"
            lines.append(f"{element.code} {element.name} — bobot {element.weight}, {kind}{flag}")
            for ind in element.indicators:
                needs = ", wajib tahun dan sumber" if ind.needs_year_and_source else ""
                flag = "  [sementara]" if ind.provisional else ""
                lines.append(f"    {ind.code:<9} {ind.name} (skala {ind.scale}{needs}){flag}")
    if inst.compliance is not None:
        flag = "  [sementara]" if inst.compliance.provisional else ""
        lines += ["", f"{inst.compliance.code} {inst.compliance.name} — tingkat:{flag}"]
        for level in inst.compliance.levels:
            suffix = (
                f" → akhiran {inst.opinion_suffix.text}"
                if (level.suffix and inst.opinion_suffix)
                else ""
            )
            lines.append(f"    {level.code:<12} {level.label}{suffix}")
    if inst.award_name:
        lines += ["", f"Penghargaan {inst.award_name}: kategori {', '.join(inst.award_categories)}"]
    if inst.user_survey is not None:
        survey = inst.user_survey
        flag = "  [sementara]" if survey.provisional else ""
        lines += ["", f"{survey.code} {survey.name} — skala {survey.scale}, per responden{flag}"]
        for item in survey.items:
            form = f" ({item.form_code})" if item.form_code else ""
            lines.append(f"    {item.code:<7} {item.name}{form}")
    if inst.composite is not None:
        rule = inst.composite
        flag = "  [sementara]" if rule.provisional else ""
        lines += [
            "",
            f"{rule.name}: {format_score(rule.evaluator_weight)} × nilai + "
            f"{format_score(rule.survey_weight)} × indeks survei{flag}",
        ]
    lines += ["", "Kategori:"]
    for band in inst.bands:
        zone = f", zona {band.zone}" if band.zone else ""
        label = f", kualitas pelayanan {band.quality_label}" if band.quality_label else ""
        limits = "–".join(
            format_score(v, inst.result.decimals) for v in (band.minimum, band.maximum)
        )
        lines.append(f"  {band.category:<3} {limits}  {band.opinion}{zone}{label}")
    if inst.zones_dropped_note:
        lines.append(f"  Tanpa zona: {inst.zones_dropped_note}")
    if inst.provisional:
        lines += ["", "Bagian sementara:"]
        lines += [f"  - {note.path}: {note.note}" for note in inst.provisional_notes]
    return "\n".join(lines)


# -- answers -----------------------------------------------------------------------------


def _answers(args: argparse.Namespace) -> int:
    from patuh.scoring.answer_files import AnswersFile
    from patuh.scoring.answers import GovernmentAnswers, UnitAnswers, check_answers
    from patuh.scoring.errors import AnswersError

    if args.action == "convert":
        answers = read_answers_file(args.file)
        instrument = _instrument_of(answers.instrument_code, args.file)
        problems = check_answers(instrument, answers.government)
        if problems:  # the XLSX form lists only the instrument's indicators: never drop data
            raise AnswersError(args.file, problems)
        out = Path(args.out)
        if out.suffix.lower() == ".xlsx":
            write_answers_xlsx(answers, instrument, out)
        elif out.suffix.lower() == ".json":
            out.write_text(
                json.dumps(answers_to_mapping(answers), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
        else:
            print("patuh: berkas tujuan harus .json atau .xlsx", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"{out}: ditulis")
        return 0
    if args.action == "template":
        inst = load_instrument(args.code)
        unit = UnitAnswers("UNIT-1", "Nama unit layanan", args.unit_type, {})
        template = AnswersFile(
            inst.code, GovernmentAnswers("00.00", "Nama pemerintah", "kabupaten", (unit,))
        )
        write_answers_xlsx(template, inst, args.out)
        print(f"{args.out}: templat {inst.code} ditulis")
        return 0
    raise AssertionError(args.action)
