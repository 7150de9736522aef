"""Instruments to and from Excel, so an official can type real weights in a spreadsheet.

The workbook has one sheet per level (Instrumen, Dimensi, Variabel, Indikator, Kategori).
Importing rebuilds the YAML mapping and validates it with the same rules as the YAML loader;
each problem is reported by sheet, row and column.
"""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import InstrumentError, Problem
from .loader import FORMAT, instrument_from_mapping, parse_yaml
from .model import Instrument
from .spreadsheets import open_xlsx, safe_row, sheet_rows, shown, unescape_cell

SHEET_INSTRUMENT = "Instrumen"
SHEET_DIMENSIONS = "Dimensi"
SHEET_VARIABLES = "Variabel"
SHEET_INDICATORS = "Indikator"
SHEET_BANDS = "Kategori"

DIMENSION_COLUMNS = [
    "code",
    "name",
    "weight",
    "indicator_weights",
    "provisional_note",
    "counted",
]
VARIABLE_COLUMNS = ["dimension", "code", "name", "provisional_note"]
INDICATOR_COLUMNS = [
    "dimension",
    "variable",
    "code",
    "name",
    "description",
    "data_source",
    "answered_per",
    "weight",
    "scale_min",
    "scale_max",
    "applies_to",
    "provisional_note",
    "respondents",
    "counted",
    "documents",
]
RUBRIC_LEVELS = range(0, 11)
_RUBRIC = re.compile(r"rubric_([0-9]{1,2})")
"""A rubric column: ``rubric_0`` … ``rubric_10`` (ASCII digits: ``rubric_²`` is no level)."""
BAND_COLUMNS = ["category", "opinion", "min", "max", "zone", "provisional_note", "quality_label"]
OPTIONAL_COLUMNS = frozenset({"quality_label", "counted", "documents"})
"""Columns a workbook written before they existed may lack."""
INSTRUMENT_FIELDS = [
    "format",
    "code",
    "version",
    "name",
    "owner",
    "description",
    "cycles",
    "sources",
    "scale_min",
    "scale_max",
    "result_min",
    "result_max",
    "result_decimals",
    "government_aggregation",
    "provisional_note",
    "follow_up_method",
    "follow_up_note",
    "follow_up_provisional_note",
    "opinion_suffix_text",
    "opinion_suffix_when",
    "opinion_suffix_provisional_note",
    "certificate_note",
    "certificate_withheld_unless",
    "certificate_provisional_note",
    "government_level",
    "superseded_by",
]


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _provisional(node: dict[str, Any], note: str | None) -> dict[str, Any]:
    if note:
        node["provisional"] = True
        node["provisional_note"] = note
    return node


def instrument_to_mapping(inst: Instrument) -> dict[str, Any]:
    """The ``patuh.instrument/1`` mapping of ``inst`` (what the YAML file holds)."""
    top_note = next((n.note for n in inst.provisional_notes if n.path == "instrumen"), None)
    follow_note = next(
        (n.note for n in inst.provisional_notes if n.path == "follow_up_adjustment"), None
    )
    data: dict[str, Any] = {
        "format": FORMAT,
        "code": inst.code,
        "version": inst.version,
        "name": inst.name,
        "owner": inst.owner,
    }
    if inst.description:
        data["description"] = inst.description
    if inst.sources:
        data["sources"] = list(inst.sources)
    if inst.cycles:
        data["cycles"] = list(inst.cycles)
    data["scale"] = {"min": _number(inst.scale.minimum), "max": _number(inst.scale.maximum)}
    data["result"] = {
        "min": _number(inst.result.minimum),
        "max": _number(inst.result.maximum),
        "decimals": inst.result.decimals,
    }
    data["government_aggregation"] = inst.government_aggregation
    if inst.superseded_by:
        data["superseded_by"] = inst.superseded_by
    _provisional(data, top_note)
    follow: dict[str, Any] = {"method": inst.follow_up_adjustment}
    if inst.follow_up_note:
        follow["note"] = inst.follow_up_note
    data["follow_up_adjustment"] = _provisional(follow, follow_note)
    if inst.opinion_suffix:
        data["opinion_suffix"] = _provisional(
            {"text": inst.opinion_suffix.text, "when": inst.opinion_suffix.when},
            inst.opinion_suffix.provisional_note,
        )
    if inst.certificate:
        rule: dict[str, Any] = {}
        if inst.certificate.withheld_unless:
            rule["withheld_unless"] = inst.certificate.withheld_unless
        rule["note"] = inst.certificate.note
        data["certificate"] = _provisional(rule, inst.certificate.provisional_note)
    band_notes = {
        n.path.removeprefix("bands."): n.note
        for n in inst.provisional_notes
        if n.path.startswith("bands.")
    }
    data["dimensions"] = []
    for dim in inst.dimensions:
        variables = []
        for var in dim.variables:
            indicators = []
            for ind in var.indicators:
                node: dict[str, Any] = {"code": ind.code, "name": ind.name}
                if ind.description:
                    node["description"] = ind.description
                node["data_source"] = ind.data_source
                node["answered_per"] = ind.answered_per
                if ind.respondents:
                    node["respondents"] = ind.respondents
                if ind.weight is not None:
                    node["weight"] = _number(ind.weight)
                if ind.scale != inst.scale:
                    node["scale"] = {
                        "min": _number(ind.scale.minimum),
                        "max": _number(ind.scale.maximum),
                    }
                if ind.applies_to is not None:
                    node["applies_to"] = sorted(ind.applies_to)
                if not ind.counted and dim.counted:
                    node["counted"] = False
                if ind.documents:
                    node["documents"] = list(ind.documents)
                node["rubric"] = dict(ind.rubric)
                indicators.append(_provisional(node, ind.provisional_note))
            variables.append(
                _provisional(
                    {"code": var.code, "name": var.name, "indicators": indicators},
                    var.provisional_note,
                )
            )
        data["dimensions"].append(
            _provisional(
                {
                    "code": dim.code,
                    "name": dim.name,
                    "weight": _number(dim.weight),
                    **({} if dim.counted else {"counted": False}),
                    "indicator_weights": dim.indicator_weights,
                    "variables": variables,
                },
                dim.provisional_note,
            )
        )
    data["bands"] = [
        _provisional(
            {
                "category": band.category,
                "opinion": band.opinion,
                "min": _number(band.minimum),
                "max": _number(band.maximum),
                **({"zone": band.zone} if band.zone else {}),
                **({"quality_label": band.quality_label} if band.quality_label else {}),
            },
            band_notes.get(band.category),
        )
        for band in inst.bands
    ]
    data.update(government_level_mapping(inst))
    return data


def _compliance_level(level: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"code": level.code, "label": level.label, "suffix": level.suffix}
    if level.min_followed_up_share is not None:
        share = level.min_followed_up_share
        node["min_followed_up_share"] = int(share) if share == share.to_integral() else float(share)
    if level.no_products:
        node["no_products"] = True
    return node


def government_level_mapping(inst: Instrument) -> dict[str, Any]:
    """The parts of the YAML mapping kept as one YAML text in the workbook: the 2025+
    ``government_elements``, ``compliance``, ``award`` and ``zones_note``, and PEKPPP's
    ``user_survey`` (F-03) and ``composite`` (empty for instruments with none of them)."""
    notes = {n.path: n.note for n in inst.provisional_notes}
    data: dict[str, Any] = {}
    if inst.government_elements:
        data["government_elements"] = [
            _provisional(
                {
                    "code": element.code,
                    "name": element.name,
                    "kind": element.kind,
                    "weight": _number(element.weight),
                    "indicators": [
                        _provisional(
                            {
                                "code": ind.code,
                                "name": ind.name,
                                **({"description": ind.description} if ind.description else {}),
                                "scale": {
                                    "min": _number(ind.scale.minimum),
                                    "max": _number(ind.scale.maximum),
                                },
                                **(
                                    {"weight": _number(ind.weight)}
                                    if ind.weight is not None
                                    else {}
                                ),
                            },
                            ind.provisional_note,
                        )
                        for ind in element.indicators
                    ],
                },
                element.provisional_note,
            )
            for element in inst.government_elements
        ]
    if inst.compliance is not None:
        compliance = inst.compliance
        node: dict[str, Any] = {"code": compliance.code, "name": compliance.name}
        if compliance.note:
            node["note"] = compliance.note
        if compliance.derivation_note:
            node["derivation_note"] = compliance.derivation_note
        node["levels"] = [_compliance_level(level) for level in compliance.levels]
        data["compliance"] = _provisional(node, compliance.provisional_note)
    if inst.award_name:
        award: dict[str, Any] = {"name": inst.award_name, "categories": list(inst.award_categories)}
        if inst.award_note:
            award["note"] = inst.award_note
        data["award"] = _provisional(award, notes.get("award"))
    if inst.zones_dropped_note:
        data["zones_note"] = inst.zones_dropped_note
    survey = inst.user_survey
    if survey is not None:
        node = {"code": survey.code, "name": survey.name}
        node["scale"] = {"min": _number(survey.scale.minimum), "max": _number(survey.scale.maximum)}
        if survey.note:
            node["note"] = survey.note
        _provisional(node, survey.provisional_note)
        node["items"] = [
            {
                "code": item.code,
                **({"form_code": item.form_code} if item.form_code else {}),
                **({"aspect": item.aspect} if item.aspect else {}),
                "name": item.name,
            }
            for item in survey.items
        ]
        data["user_survey"] = node
    if inst.composite is not None:
        rule = inst.composite
        node = {
            "name": rule.name,
            "evaluator_weight": _number(rule.evaluator_weight),
            "survey_weight": _number(rule.survey_weight),
        }
        if rule.source:
            node["source"] = rule.source
        if rule.note:
            node["note"] = rule.note
        data["composite"] = _provisional(node, rule.provisional_note)
    return data


def instrument_to_yaml(inst: Instrument) -> str:
    return yaml.safe_dump(
        instrument_to_mapping(inst), allow_unicode=True, sort_keys=False, width=100
    )


def default_import_path(code: str) -> Path:
    folder = os.environ.get("PATUH_INSTRUMENTS_DIR", "").split(os.pathsep)[0]
    return Path(folder or ".") / f"{code}.yaml"


# -- write -------------------------------------------------------------------------------


def write_instrument_xlsx(inst: Instrument, path: str | Path) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    data = instrument_to_mapping(inst)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SHEET_INSTRUMENT
    follow = data.get("follow_up_adjustment", {})
    suffix = data.get("opinion_suffix", {})
    certificate = data.get("certificate", {})
    values = {
        "format": data["format"],
        "code": data["code"],
        "version": data["version"],
        "name": data["name"],
        "owner": data["owner"],
        "description": data.get("description"),
        "cycles": ", ".join(str(c) for c in data.get("cycles", [])),
        "sources": "\n".join(data.get("sources", [])),
        "scale_min": data["scale"]["min"],
        "scale_max": data["scale"]["max"],
        "result_min": data["result"]["min"],
        "result_max": data["result"]["max"],
        "result_decimals": data["result"]["decimals"],
        "government_aggregation": data["government_aggregation"],
        "provisional_note": data.get("provisional_note"),
        "follow_up_method": follow.get("method"),
        "follow_up_note": follow.get("note"),
        "follow_up_provisional_note": follow.get("provisional_note"),
        "opinion_suffix_text": suffix.get("text"),
        "opinion_suffix_when": suffix.get("when"),
        "opinion_suffix_provisional_note": suffix.get("provisional_note"),
        "certificate_note": certificate.get("note"),
        "certificate_withheld_unless": certificate.get("withheld_unless"),
        "certificate_provisional_note": certificate.get("provisional_note"),
        "superseded_by": data.get("superseded_by"),
        # the 2025+ government-level parts as one YAML text: edited like the YAML file
        "government_level": yaml.safe_dump(
            government_level_mapping(inst), allow_unicode=True, sort_keys=False, width=100
        )
        if government_level_mapping(inst)
        else None,
    }
    sheet.append(["field", "value"])
    for key in INSTRUMENT_FIELDS:
        sheet.append(safe_row([key, values[key]]))

    def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
        ws = workbook.create_sheet(title)
        ws.append(columns)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(safe_row(row))
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 18
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    dims, variables, indicators = [], [], []
    max_level = max(max(ind.rubric) for ind in inst.indicators.values())
    rubric_columns = [f"rubric_{level}" for level in range(0, max_level + 1)]
    for dim in data["dimensions"]:
        dims.append(
            [
                dim["code"],
                dim["name"],
                dim["weight"],
                dim["indicator_weights"],
                dim.get("provisional_note"),
                None if dim.get("counted", True) else "false",
            ]
        )
        for var in dim["variables"]:
            variables.append([dim["code"], var["code"], var["name"], var.get("provisional_note")])
            for ind in var["indicators"]:
                scale = ind.get("scale", data["scale"])
                indicators.append(
                    [
                        dim["code"],
                        var["code"],
                        ind["code"],
                        ind["name"],
                        ind.get("description"),
                        ind["data_source"],
                        ind["answered_per"],
                        ind.get("weight"),
                        scale["min"],
                        scale["max"],
                        ", ".join(ind.get("applies_to", [])) or None,
                        ind.get("provisional_note"),
                        ind.get("respondents"),
                        None if ind.get("counted", True) else "false",
                        ", ".join(ind.get("documents", [])) or None,
                    ]
                    + [ind["rubric"].get(level) for level in range(0, max_level + 1)]
                )
    table(SHEET_DIMENSIONS, DIMENSION_COLUMNS, dims)
    table(SHEET_VARIABLES, VARIABLE_COLUMNS, variables)
    table(SHEET_INDICATORS, INDICATOR_COLUMNS + rubric_columns, indicators)
    table(
        SHEET_BANDS,
        BAND_COLUMNS,
        [
            [
                b["category"],
                b["opinion"],
                b["min"],
                b["max"],
                b.get("zone"),
                b.get("provisional_note"),
                b.get("quality_label"),
            ]
            for b in data["bands"]
        ],
    )
    workbook.save(path)


# -- read --------------------------------------------------------------------------------


class _Origins:
    """Where each node of the rebuilt mapping came from, to report problems by cell."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, int, dict[str, str]]] = {}
        self.exact: dict[str, str] = {}
        """Paths that stand for a whole column (a sum of weights), located in full."""

    def add(self, path: str, sheet: str, row: int, columns: dict[str, str]) -> None:
        self.rows[path] = (sheet, row, columns)

    def locate(self, where: str) -> str:
        if where in self.exact:
            return self.exact[where]
        best = ""
        for path in self.rows:
            if (where == path or where.startswith(path + ".")) and len(path) > len(best):
                best = path
        if not best:
            return where
        sheet, row, columns = self.rows[best]
        rest = where[len(best) :].lstrip(".")
        key = rest.split(".")[0] if rest else ""
        column = columns.get(key) or columns.get(f"rubric_{key}" if key == "rubric" else key)
        if key == "rubric" and "." in rest:
            column = columns.get(f"rubric_{rest.split('.')[1]}")
        cell = f", kolom {column} ({key})" if column else ""
        return f"lembar {sheet}, baris {row}{cell}"


def _cell(value: Any) -> Any:
    value = unescape_cell(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_instrument_xlsx(path: str | Path) -> Instrument:
    from openpyxl.utils import get_column_letter

    path = Path(path)
    source = str(path)
    workbook = open_xlsx(path, InstrumentError)
    problems: list[Problem] = []
    origins = _Origins()
    required = [SHEET_INSTRUMENT, SHEET_DIMENSIONS, SHEET_VARIABLES, SHEET_INDICATORS, SHEET_BANDS]
    missing = [name for name in required if name not in workbook.sheetnames]
    if missing:
        workbook.close()
        raise InstrumentError(
            source,
            [
                Problem(
                    "",
                    f"lembar tidak ada: {', '.join(missing)} "
                    f"(yang ada: {', '.join(workbook.sheetnames)})",
                )
            ],
        )

    def rows(
        sheet_name: str, columns: list[str], prefix: str = ""
    ) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
        iterator = sheet_rows(workbook[sheet_name], source, InstrumentError)
        header = [str(h).strip() if h is not None else "" for h in next(iterator, ())]
        letters = {name: get_column_letter(i + 1) for i, name in enumerate(header) if name}
        for name in columns:
            if name not in letters and name not in OPTIONAL_COLUMNS:
                problems.append(
                    Problem(f"lembar {sheet_name}, baris 1", f"kolom '{name}' tidak ada")
                )
        unknown = [
            h for h in header if h and h not in columns and not (prefix and _RUBRIC.fullmatch(h))
        ]
        for name in unknown:
            problems.append(
                Problem(
                    f"lembar {sheet_name}, baris 1, kolom {letters[name]}",
                    f"kolom '{name}' tidak dikenal",
                )
            )
        out = []
        for number, raw in enumerate(iterator, start=2):
            values = {
                header[i]: _cell(v) for i, v in enumerate(raw) if i < len(header) and header[i]
            }
            if all(v is None for v in values.values()):
                continue
            out.append((number, values, letters))
        return out

    try:
        meta_rows = rows(SHEET_INSTRUMENT, ["field", "value"])
        meta: dict[str, Any] = {}
        meta_row: dict[str, int] = {}
        for number, values, _ in meta_rows:
            key = values.get("field")
            if key not in INSTRUMENT_FIELDS:
                problems.append(
                    Problem(
                        f"lembar {SHEET_INSTRUMENT}, baris {number}, kolom A",
                        f"isian '{shown(key)}' tidak dikenal",
                    )
                )
                continue
            meta[key] = values.get("value")
            meta_row[key] = number
        dim_rows = rows(SHEET_DIMENSIONS, DIMENSION_COLUMNS)
        var_rows = rows(SHEET_VARIABLES, VARIABLE_COLUMNS)
        ind_rows = rows(SHEET_INDICATORS, INDICATOR_COLUMNS, prefix="rubric_")
        band_rows = rows(SHEET_BANDS, BAND_COLUMNS)
    finally:
        workbook.close()
    if problems:
        raise InstrumentError(source, problems)

    def as_int(value: Any, where: str) -> Any:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value)
            except ValueError:
                problems.append(Problem(where, f"'{shown(value)}' bukan bilangan bulat"))
        return value

    def with_note(node: dict[str, Any], note: Any) -> dict[str, Any]:
        if note is not None:
            node["provisional"] = True
            node["provisional_note"] = str(note)
        return node

    for key, number in meta_row.items():
        origins.add(_META_PATHS.get(key, key), SHEET_INSTRUMENT, number, {key: "B"})

    def meta_at(key: str) -> str:
        return f"lembar {SHEET_INSTRUMENT}, baris {meta_row.get(key, '?')}, kolom B ({key})"

    data: dict[str, Any] = {
        "format": meta.get("format"),
        "code": meta.get("code"),
        "version": None if meta.get("version") is None else str(meta.get("version")),
        "name": meta.get("name"),
        "owner": meta.get("owner"),
    }
    if meta.get("description"):
        data["description"] = meta["description"]
    if meta.get("sources"):
        data["sources"] = [s for s in str(meta["sources"]).splitlines() if s.strip()]
    if meta.get("cycles") is not None:
        data["cycles"] = [
            as_int(c.strip(), meta_at("cycles"))
            for c in str(meta["cycles"]).split(",")
            if c.strip()
        ]
    data["scale"] = {
        "min": as_int(meta.get("scale_min"), meta_at("scale_min")),
        "max": as_int(meta.get("scale_max"), meta_at("scale_max")),
    }
    data["result"] = {
        "min": meta.get("result_min"),
        "max": meta.get("result_max"),
        "decimals": as_int(meta.get("result_decimals", 2), meta_at("result_decimals")),
    }
    data["government_aggregation"] = meta.get("government_aggregation") or "mean"
    if meta.get("superseded_by"):
        data["superseded_by"] = str(meta["superseded_by"]).strip()
    with_note(data, meta.get("provisional_note"))
    follow = {"method": meta.get("follow_up_method") or "none"}
    if meta.get("follow_up_note") is not None:
        follow["note"] = meta["follow_up_note"]
    data["follow_up_adjustment"] = with_note(follow, meta.get("follow_up_provisional_note"))
    certificate_keys = ("certificate_note", "certificate_withheld_unless")
    if any(meta.get(key) is not None for key in certificate_keys):
        rule = {"note": meta.get("certificate_note")}
        if meta.get("certificate_withheld_unless") is not None:
            rule["withheld_unless"] = meta["certificate_withheld_unless"]
        data["certificate"] = with_note(rule, meta.get("certificate_provisional_note"))
    if meta.get("opinion_suffix_text"):
        data["opinion_suffix"] = with_note(
            {"text": meta["opinion_suffix_text"], "when": meta.get("opinion_suffix_when")},
            meta.get("opinion_suffix_provisional_note"),
        )

    if meta.get("government_level"):
        try:
            extra = parse_yaml(str(meta["government_level"]), meta_at("government_level"))
        except InstrumentError as exc:
            problems += [Problem(meta_at("government_level"), p.reason) for p in exc.problems]
            extra = None
        known = {
            "government_elements",
            "compliance",
            "award",
            "zones_note",
            "user_survey",
            "composite",
        }
        if not isinstance(extra, dict) or not set(extra) <= known:
            problems.append(
                Problem(
                    meta_at("government_level"),
                    "harus YAML berisi government_elements, compliance, award, zones_note, "
                    "user_survey atau composite",
                )
            )
        else:
            data.update(extra)

    dimensions: dict[str, dict[str, Any]] = {}
    for number, values, letters in dim_rows:
        code = str(values.get("code"))
        if code in dimensions:
            problems.append(
                Problem(
                    f"lembar {SHEET_DIMENSIONS}, baris {number}, kolom {letters['code']}",
                    f"kode dimensi ganda '{code}'",
                )
            )
            continue
        node = {
            "code": code,
            "name": values.get("name"),
            "weight": values.get("weight"),
            "indicator_weights": values.get("indicator_weights") or "equal",
            "variables": [],
        }
        if values.get("counted") is not None:
            node["counted"] = _counted(values["counted"])
        dimensions[code] = with_note(node, values.get("provisional_note"))
        origins.add(f"dimensions.{code}", SHEET_DIMENSIONS, number, letters)
    if dim_rows:
        origins.exact["dimensions"] = (
            f"lembar {SHEET_DIMENSIONS}, baris {_row_span([n for n, _, _ in dim_rows])}, "
            f"kolom {dim_rows[0][2]['weight']} (weight)"
        )
    variables: dict[tuple[str, str], dict[str, Any]] = {}
    for number, values, letters in var_rows:
        dim_code, code = str(values.get("dimension")), str(values.get("code"))
        if dim_code not in dimensions:
            problems.append(
                Problem(
                    f"lembar {SHEET_VARIABLES}, baris {number}, kolom {letters['dimension']}",
                    f"dimensi '{dim_code}' tidak ada di lembar {SHEET_DIMENSIONS}",
                )
            )
            continue
        node = with_note(
            {"code": code, "name": values.get("name"), "indicators": []},
            values.get("provisional_note"),
        )
        variables[(dim_code, code)] = node
        dimensions[dim_code]["variables"].append(node)
        origins.add(f"dimensions.{dim_code}.variables.{code}", SHEET_VARIABLES, number, letters)
    scale_default = data["scale"]
    indicator_rows: dict[str, list[int]] = {}
    for number, values, letters in ind_rows:
        dim_code, var_code = str(values.get("dimension")), str(values.get("variable"))
        variable = variables.get((dim_code, var_code))
        if variable is None:
            problems.append(
                Problem(
                    f"lembar {SHEET_INDICATORS}, baris {number}, kolom {letters['variable']}",
                    f"variabel '{dim_code}/{var_code}' tidak ada di lembar {SHEET_VARIABLES}",
                )
            )
            continue
        code = str(values.get("code"))
        node: dict[str, Any] = {"code": code, "name": values.get("name")}
        if values.get("description"):
            node["description"] = values["description"]
        node["data_source"] = values.get("data_source")
        node["answered_per"] = values.get("answered_per") or "none"
        if values.get("respondents"):
            node["respondents"] = values["respondents"]
        if values.get("counted") is not None:
            node["counted"] = _counted(values["counted"])
        if values.get("weight") is not None:
            node["weight"] = values["weight"]
        here = f"lembar {SHEET_INDICATORS}, baris {number}"
        scale = {
            "min": as_int(
                values.get("scale_min"), f"{here}, kolom {letters['scale_min']} (scale_min)"
            ),
            "max": as_int(
                values.get("scale_max"), f"{here}, kolom {letters['scale_max']} (scale_max)"
            ),
        }
        if scale != scale_default:
            node["scale"] = scale
        if values.get("applies_to"):
            node["applies_to"] = [
                t.strip() for t in str(values["applies_to"]).split(",") if t.strip()
            ]
        if values.get("documents"):
            node["documents"] = [
                t.strip() for t in str(values["documents"]).split(",") if t.strip()
            ]
        node["rubric"] = {
            int(key.removeprefix("rubric_")): str(text)
            for key, text in values.items()
            if _RUBRIC.fullmatch(key) and text is not None
        }
        variable["indicators"].append(with_note(node, values.get("provisional_note")))
        origins.add(
            f"dimensions.{dim_code}.variables.{var_code}.indicators.{code}",
            SHEET_INDICATORS,
            number,
            letters,
        )
        indicator_rows.setdefault(dim_code, []).append(number)
        origins.exact[f"dimensions.{dim_code}.indicators"] = (
            f"lembar {SHEET_INDICATORS}, baris {_row_span(indicator_rows[dim_code])}, "
            f"kolom {letters['weight']} (weight)"
        )
    data["dimensions"] = list(dimensions.values())
    data["bands"] = []
    for number, values, letters in band_rows:
        node = {
            "category": values.get("category"),
            "opinion": values.get("opinion"),
            "min": values.get("min"),
            "max": values.get("max"),
        }
        if values.get("zone"):
            node["zone"] = values["zone"]
        if values.get("quality_label") is not None:
            node["quality_label"] = values["quality_label"]
        data["bands"].append(with_note(node, values.get("provisional_note")))
        origins.add(f"bands.{values.get('category')}", SHEET_BANDS, number, letters)
        origins.add(f"bands[{len(data['bands']) - 1}]", SHEET_BANDS, number, letters)
    if problems:
        raise InstrumentError(source, problems)
    try:
        return instrument_from_mapping(data, source)
    except InstrumentError as exc:
        located = [Problem(origins.locate(p.where), p.reason) for p in exc.problems]
        raise InstrumentError(source, located) from None


def _counted(value: Any) -> Any:
    """A ``counted`` cell: ``false``/``tidak``/``0`` or ``true``/``ya``/``1``; anything else
    is passed on for the loader to name."""
    text = str(value).strip().lower()
    if isinstance(value, bool):
        return value
    return {"false": False, "tidak": False, "0": False, "true": True, "ya": True, "1": True}.get(
        text, value
    )


def _row_span(numbers: list[int]) -> str:
    """``[2, 3, 4]`` → ``"2–4"``; rows that are not consecutive are listed."""
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


_META_PATHS = {
    "scale_min": "scale",
    "scale_max": "scale",
    "result_min": "result",
    "result_max": "result",
    "result_decimals": "result.decimals",
    "follow_up_method": "follow_up_adjustment.method",
    "follow_up_note": "follow_up_adjustment.note",
    "follow_up_provisional_note": "follow_up_adjustment.provisional_note",
    "certificate_note": "certificate.note",
    "certificate_withheld_unless": "certificate.withheld_unless",
    "certificate_provisional_note": "certificate.provisional_note",
    "opinion_suffix_text": "opinion_suffix.text",
    "opinion_suffix_when": "opinion_suffix.when",
    "opinion_suffix_provisional_note": "opinion_suffix.provisional_note",
}
