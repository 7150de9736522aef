"""Load and validate instrument files (``patuh.instrument/1``, see ``docs/instruments.md``).

Validation collects every problem before failing, each with the file, the path inside the
file (by code where there is one, e.g. ``dimensions.IN.indicators.IN-K1.rubric``) and a
reason in Bahasa Indonesia.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from .documents import document_kinds
from .errors import InstrumentError, Problem, UnknownInstrument
from .model import (
    ANSWERED_PER,
    CERTIFICATE_CONDITIONS,
    DATA_SOURCES,
    GOVERNMENT_ELEMENT_KINDS,
    RESPONDENT_GROUPS,
    UNIT_TYPES,
    Band,
    CertificateRule,
    Compliance,
    ComplianceLevel,
    Composite,
    Dimension,
    GovernmentElement,
    GovernmentIndicator,
    Indicator,
    Instrument,
    OpinionSuffix,
    ProvisionalNote,
    ResultRange,
    Scale,
    SurveyItem,
    UserSurvey,
    Variable,
)
from .numbers import HUNDRED, format_score, quantum, to_decimal
from .spreadsheets import (
    BAD_TEXT_REASON,
    MAX_TEXT_FILE_BYTES,
    bad_text_at,
    check_size,
    utf8_text,
)

FORMAT = "patuh.instrument/1"
INSTRUMENT_CODE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
NODE_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(-[A-Za-z0-9_]+)*$")
WEIGHT_TOLERANCE = Decimal("0.0001")
MAX_NUMBER = 10**9
"""Weights, results and band limits are at most this large (real ones are 0–100): larger
ones cannot be rounded to a score's decimals."""
MAX_SCALE_LEVELS = 100
"""Levels of one answer scale, each with its rubric text (real scales have 2–11)."""
OPINION_SUFFIX_CONDITIONS = ("all_ombudsman_products_followed_up", "compliance_level")
"""``compliance_level`` (2025+): the suffix is given when the government's graded compliance
(:attr:`Instrument.compliance`) is at a level marked ``suffix: true``."""
NO_ZONES_FROM = 2025
"""Ombudsman instruments for cycles from 2025 have no colour zones: "From 2025 the survey no
longer produces colour zones green, yellow, red; the result is the Ombudsman opinion" (member
Hery Susanto, topindonesia.id)."""
GOVERNMENT_AGGREGATIONS = ("mean", "product_weighted")
FOLLOW_UP_METHODS = ("none",)

_TOP_KEYS = {
    "format": True,
    "code": True,
    "version": True,
    "name": True,
    "owner": True,
    "description": False,
    "sources": False,
    "cycles": False,
    "scale": True,
    "result": True,
    "government_aggregation": False,
    "provisional": False,
    "provisional_note": False,
    "follow_up_adjustment": False,
    "opinion_suffix": False,
    "certificate": False,
    "dimensions": True,
    "government_elements": False,
    "compliance": False,
    "award": False,
    "zones_note": False,
    "superseded_by": False,
    "user_survey": False,
    "composite": False,
    "bands": True,
}
_USER_SURVEY_KEYS = {
    "code": True,
    "name": True,
    "scale": True,
    "items": True,
    "note": False,
    "provisional": False,
    "provisional_note": False,
}
_SURVEY_ITEM_KEYS = {"code": True, "form_code": False, "aspect": False, "name": True}
_COMPOSITE_KEYS = {
    "name": True,
    "evaluator_weight": True,
    "survey_weight": True,
    "source": False,
    "note": False,
    "provisional": False,
    "provisional_note": False,
}
_ELEMENT_KEYS = {
    "code": True,
    "name": True,
    "kind": True,
    "weight": True,
    "indicators": True,
    "provisional": False,
    "provisional_note": False,
}
_GOVERNMENT_INDICATOR_KEYS = {
    "code": True,
    "name": True,
    "description": False,
    "scale": True,
    "weight": False,
    "provisional": False,
    "provisional_note": False,
}
_COMPLIANCE_KEYS = {
    "code": True,
    "name": True,
    "levels": True,
    "note": False,
    "derivation_note": False,
    "provisional": False,
    "provisional_note": False,
}
_AWARD_KEYS = {
    "name": True,
    "categories": True,
    "note": False,
    "provisional": False,
    "provisional_note": False,
}
_DIMENSION_KEYS = {
    "code": True,
    "name": True,
    "weight": True,
    "indicator_weights": False,
    "variables": True,
    "counted": False,
    "provisional": False,
    "provisional_note": False,
}
_VARIABLE_KEYS = {
    "code": True,
    "name": True,
    "indicators": True,
    "provisional": False,
    "provisional_note": False,
}
_INDICATOR_KEYS = {
    "code": True,
    "name": True,
    "description": False,
    "data_source": True,
    "answered_per": False,
    "respondents": False,
    "weight": False,
    "scale": False,
    "applies_to": False,
    "rubric": True,
    "counted": False,
    "documents": False,
    "provisional": False,
    "provisional_note": False,
}
_BAND_KEYS = {
    "category": True,
    "opinion": True,
    "min": True,
    "max": True,
    "zone": False,
    "quality_label": False,
    "provisional": False,
    "provisional_note": False,
}


MAX_YAML_ALIASES = 100
"""Aliases (``*name``) in one file: enough to share a rubric, too few for a "billion laughs"
file whose few kilobytes stand for millions of nodes."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys instead of silently keeping the last, limits
    aliases, and reports a scalar it cannot build (``!!int abc``, a 13th month, an integer of
    5000 digits) as a YAML error at its line instead of letting Python's exception escape."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_YAML_ALIASES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"lebih dari {MAX_YAML_ALIASES} alias (*nama) dalam satu berkas",
                    self.peek_event().start_mark,
                )
        return super().compose_node(parent, index)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, OverflowError, IndexError) as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"nilai tidak dapat dibaca ({exc})", node.start_mark
            ) from None


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "kunci harus teks atau angka, bukan daftar atau pemetaan",
                key_node.start_mark,
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"kunci {key!r} muncul dua kali (pertama di baris {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def parse_yaml(text: str, source: str) -> Any:
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)
    except RecursionError:
        reason = "YAML tidak valid: terlalu dalam bersarang"
        raise InstrumentError(source, [Problem("", reason)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"baris {mark.line + 1}, kolom {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InstrumentError(source, [Problem(where, f"YAML tidak valid: {reason}")]) from None
    bad_text = bad_text_at(raw)
    if bad_text is not None:
        raise InstrumentError(source, [Problem(bad_text, BAD_TEXT_REASON)])
    return raw


class _Validator:
    """Walks the raw mapping, records problems and builds the frozen model."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []
        self.provisional: list[ProvisionalNote] = []
        self._top_keys: set[str] = set()

    # -- helpers -----------------------------------------------------------------
    def problem(self, where: str, reason: str) -> None:
        self.problems.append(Problem(where.lstrip("."), reason))

    def mapping(self, raw: Any, where: str, keys: dict[str, bool]) -> dict[str, Any] | None:
        if not isinstance(raw, Mapping):
            self.problem(where, "harus berupa pemetaan (kunci: nilai)")
            return None
        for key in raw:
            if key not in keys:
                known = ", ".join(sorted(keys))
                self.problem(f"{where}.{key}", f"kunci tidak dikenal (yang dikenal: {known})")
        for key, required in keys.items():
            if required and key not in raw:
                self.problem(f"{where}.{key}", "wajib diisi")
        return dict(raw)

    def text(self, raw: Mapping[str, Any], key: str, where: str, default: str = "") -> str:
        value = raw.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str) or (key in raw and not value.strip()):
            self.problem(f"{where}.{key}", "harus berupa teks yang tidak kosong")
            return default
        return value.strip()

    def number(self, raw: Mapping[str, Any], key: str, where: str) -> Decimal | None:
        if key not in raw:
            return None
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.problem(f"{where}.{key}", f"harus berupa angka, bukan {value!r}")
            return None
        try:
            number = to_decimal(value)
        except (InvalidOperation, ValueError):
            self.problem(f"{where}.{key}", f"harus berupa angka, bukan {value!r}")
            return None
        if not number.is_finite():
            self.problem(f"{where}.{key}", "harus berupa angka terhingga")
            return None
        if abs(number) > MAX_NUMBER:
            self.problem(f"{where}.{key}", f"angka terlalu besar (paling besar {MAX_NUMBER:,})")
            return None
        return number

    def code(self, raw: Mapping[str, Any], where: str, pattern: re.Pattern[str]) -> str:
        value = raw.get("code")
        if not isinstance(value, str) or not pattern.match(value):
            self.problem(f"{where}.code", f"kode tidak valid: {value!r}")
            return str(value)
        return value

    def provisional_note(self, raw: Mapping[str, Any], where: str) -> str | None:
        flag = raw.get("provisional", False)
        note = raw.get("provisional_note")
        if not isinstance(flag, bool):
            self.problem(f"{where}.provisional", "harus true atau false")
            return None
        if flag and not (isinstance(note, str) and note.strip()):
            self.problem(
                f"{where}.provisional_note",
                "wajib diisi jika provisional: true (jelaskan apa yang belum resmi)",
            )
            return None
        if note is not None and not flag:
            self.problem(f"{where}.provisional_note", "hanya boleh ada jika provisional: true")
            return None
        if flag:
            self.provisional.append(ProvisionalNote(where or "instrumen", note.strip()))
            return note.strip()
        return None

    def scale(self, raw: Any, where: str) -> Scale | None:
        mapping = self.mapping(raw, where, {"min": True, "max": True})
        if mapping is None:
            return None
        low, high = mapping.get("min"), mapping.get("max")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high)):
            self.problem(where, f"min dan max skala harus bilangan bulat, bukan {low!r}–{high!r}")
            return None
        if low >= high:
            self.problem(where, f"skala tidak dikenal: min {low} harus lebih kecil dari max {high}")
            return None
        if high - low >= MAX_SCALE_LEVELS:
            self.problem(
                where,
                f"skala {low}–{high} terlalu lebar: paling banyak {MAX_SCALE_LEVELS} tingkat "
                "(setiap tingkat butuh teks rubrik)",
            )
            return None
        return Scale(Decimal(low), Decimal(high))

    # -- nodes -------------------------------------------------------------------
    def instrument(self, raw: Any, expected_code: str | None) -> Instrument | None:
        top = self.mapping(raw, "", _TOP_KEYS)
        if top is None:
            return None
        if top.get("format") != FORMAT:
            self.problem("format", f"harus '{FORMAT}', bukan {top.get('format')!r}")
        code = self.code(top, "", INSTRUMENT_CODE)
        if expected_code and code != expected_code:
            self.problem("code", f"kode '{code}' harus sama dengan nama berkas '{expected_code}'")
        version = top.get("version")
        if "version" in top and (
            not isinstance(version, str | int | float) or isinstance(version, bool)
        ):
            self.problem("version", 'wajib diisi (teks, misalnya "2023.1")')
        name = self.text(top, "name", "")
        owner = self.text(top, "owner", "")
        description = self.text(top, "description", "", default="")
        self.provisional_note(top, "")
        scale = self.scale(top.get("scale"), "scale") if "scale" in top else None
        result = self.result_range(top.get("result")) if "result" in top else None

        aggregation = top.get("government_aggregation", "mean")
        if aggregation not in GOVERNMENT_AGGREGATIONS:
            self.problem(
                "government_aggregation",
                f"harus salah satu dari {', '.join(GOVERNMENT_AGGREGATIONS)}",
            )
        follow_up = self.follow_up(top.get("follow_up_adjustment"))
        suffix = self.opinion_suffix(top.get("opinion_suffix"))
        certificate = self.certificate(top.get("certificate"))
        cycles = self.cycles(top.get("cycles", []))
        sources = self.sources(top.get("sources", []))

        elements = self.government_elements(top.get("government_elements"))
        compliance = self.compliance(top.get("compliance"))
        dimensions = self.dimensions(top.get("dimensions"), scale, elements) if scale else ()
        self.unique_codes(dimensions, elements, compliance)
        self._top_keys = set(top)
        user_survey = self.user_survey(top.get("user_survey"), result)
        composite = self.composite(top.get("composite"), user_survey)
        if user_survey is not None:
            known = {dim.code for dim in dimensions} | {
                ind.code for dim in dimensions for ind in dim.indicators
            }
            for item in user_survey.items:
                if item.code in known:
                    self.problem(
                        f"user_survey.items.{item.code}",
                        f"kode '{item.code}' sudah dipakai sebagai kode dimensi atau indikator",
                    )
        if suffix and suffix.when == "compliance_level" and compliance is None:
            self.problem("opinion_suffix.when", "compliance_level butuh bagian compliance")
        bands = self.bands(top.get("bands"), result) if result else ()
        award_name, award_note, award_categories = self.award(top.get("award"), bands)
        zones_note = self.text(top, "zones_note", "", default="")
        superseded_by = self.text(top, "superseded_by", "", default="")
        if superseded_by == code:
            self.problem("superseded_by", "instrumen tidak dapat menggantikan dirinya sendiri")
        if owner.lower().startswith("ombudsman") and cycles and min(cycles) >= NO_ZONES_FROM:
            for band in bands:
                if band.zone is not None:
                    self.problem(
                        f"bands.{band.category}.zone",
                        f"zona tidak dipakai sejak {NO_ZONES_FROM}: hasil Ombudsman adalah opini, "
                        "bukan zona",
                    )
        if self.problems:
            return None
        assert scale is not None
        assert result is not None
        return Instrument(
            code=code,
            version=str(version),
            name=name,
            owner=owner,
            description=description,
            scale=scale,
            result=result,
            government_aggregation=aggregation,
            dimensions=dimensions,
            bands=bands,
            follow_up_adjustment=follow_up[0],
            follow_up_note=follow_up[1],
            opinion_suffix=suffix,
            certificate=certificate,
            cycles=cycles,
            sources=sources,
            government_elements=elements,
            compliance=compliance,
            award_name=award_name,
            award_note=award_note,
            award_categories=award_categories,
            zones_dropped_note=zones_note,
            superseded_by=superseded_by,
            user_survey=user_survey,
            composite=composite,
            provisional_notes=tuple(self.provisional),
            source_path=self.source,
        )

    def result_range(self, raw: Any) -> ResultRange | None:
        mapping = self.mapping(raw, "result", {"min": True, "max": True, "decimals": False})
        if mapping is None:
            return None
        low, high = self.number(mapping, "min", "result"), self.number(mapping, "max", "result")
        decimals = mapping.get("decimals", 2)
        if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 4:
            self.problem("result.decimals", "harus bilangan bulat 0–4")
            return None
        if low is None or high is None or low >= high:
            self.problem("result", "min harus lebih kecil dari max")
            return None
        return ResultRange(low, high, decimals)

    def follow_up(self, raw: Any) -> tuple[str, str]:
        """The method and its note (what following up does to the score, and the source)."""
        if raw is None:
            return "none", ""
        mapping = self.mapping(
            raw,
            "follow_up_adjustment",
            {"method": True, "note": False, "provisional": False, "provisional_note": False},
        )
        if mapping is None:
            return "none", ""
        method = mapping.get("method")
        if method not in FOLLOW_UP_METHODS:
            self.problem(
                "follow_up_adjustment.method",
                f"metode tidak dikenal {method!r} (yang ada: {', '.join(FOLLOW_UP_METHODS)})",
            )
        note = self.text(mapping, "note", "follow_up_adjustment", default="")
        self.provisional_note(mapping, "follow_up_adjustment")
        return str(method), note

    def certificate(self, raw: Any) -> CertificateRule | None:
        if raw is None:
            return None
        mapping = self.mapping(
            raw,
            "certificate",
            {
                "withheld_unless": False,
                "note": True,
                "provisional": False,
                "provisional_note": False,
            },
        )
        if mapping is None:
            return None
        condition = mapping.get("withheld_unless")
        if condition is not None and condition not in CERTIFICATE_CONDITIONS:
            self.problem(
                "certificate.withheld_unless",
                f"syarat tidak dikenal {condition!r} (yang ada: "
                f"{', '.join(CERTIFICATE_CONDITIONS)})",
            )
            condition = None
        note = self.text(mapping, "note", "certificate", default="")
        provisional = self.provisional_note(mapping, "certificate")
        return CertificateRule(condition, note, provisional)

    def opinion_suffix(self, raw: Any) -> OpinionSuffix | None:
        if raw is None:
            return None
        mapping = self.mapping(
            raw,
            "opinion_suffix",
            {"text": True, "when": True, "provisional": False, "provisional_note": False},
        )
        if mapping is None:
            return None
        text = self.text(mapping, "text", "opinion_suffix")
        when = mapping.get("when")
        if when not in OPINION_SUFFIX_CONDITIONS:
            self.problem(
                "opinion_suffix.when",
                f"syarat tidak dikenal {when!r} (yang ada: {', '.join(OPINION_SUFFIX_CONDITIONS)})",
            )
        note = self.provisional_note(mapping, "opinion_suffix")
        return OpinionSuffix(text=text, when=str(when), provisional_note=note)

    def cycles(self, raw: Any) -> tuple[int, ...]:
        if not isinstance(raw, list) or not all(
            isinstance(y, int) and not isinstance(y, bool) for y in raw
        ):
            self.problem("cycles", "harus daftar tahun (bilangan bulat)")
            return ()
        return tuple(raw)

    def sources(self, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list) or not all(isinstance(s, str) for s in raw):
            self.problem("sources", "harus daftar teks")
            return ()
        return tuple(raw)

    def user_survey(self, raw: Any, result: ResultRange | None) -> UserSurvey | None:
        """A users' questionnaire answered per unit (PEKPPP F-03): items on one whole-number
        scale, which must be the result range (its index sits beside the score)."""
        if raw is None:
            return None
        where = "user_survey"
        mapping = self.mapping(raw, where, _USER_SURVEY_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, where, NODE_CODE)
        name = self.text(mapping, "name", where)
        note = self.text(mapping, "note", where, default="")
        provisional = self.provisional_note(mapping, where)
        scale = self.scale(mapping.get("scale"), f"{where}.scale") if "scale" in mapping else None
        if (
            scale is not None
            and result is not None
            and (scale.minimum != result.minimum or scale.maximum != result.maximum)
        ):
            self.problem(
                f"{where}.scale",
                f"skala {scale} harus sama dengan rentang hasil "
                f"{format_score(result.minimum, 0)}–{format_score(result.maximum, 0)}",
            )
        raw_items = mapping.get("items")
        if not isinstance(raw_items, list) or not raw_items:
            self.problem(f"{where}.items", "harus daftar butir yang tidak kosong")
            return None
        items: list[SurveyItem] = []
        for position, raw_item in enumerate(raw_items, start=1):
            item_where = f"{where}.items[{position - 1}]"
            item = self.mapping(raw_item, item_where, _SURVEY_ITEM_KEYS)
            if item is None:
                continue
            item_code = self.code(item, item_where, NODE_CODE)
            item_where = f"{where}.items.{item_code}"
            if any(known.code == item_code for known in items):
                self.problem(f"{item_where}.code", f"kode butir ganda '{item_code}'")
                continue
            items.append(
                SurveyItem(
                    item_code,
                    position,
                    self.text(item, "form_code", item_where, default=""),
                    self.text(item, "aspect", item_where, default=""),
                    self.text(item, "name", item_where),
                )
            )
        if scale is None or len(items) != len(raw_items):
            return None
        return UserSurvey(code, name, scale, tuple(items), note, provisional)

    def composite(self, raw: Any, survey: UserSurvey | None) -> Composite | None:
        """``evaluator_weight × score + survey_weight × survey index``; the two weights
        are shares (0–1) that add up to 1."""
        if raw is None:
            return None
        where = "composite"
        mapping = self.mapping(raw, where, _COMPOSITE_KEYS)
        if mapping is None:
            return None
        name = self.text(mapping, "name", where)
        source = self.text(mapping, "source", where, default="")
        note = self.text(mapping, "note", where, default="")
        provisional = self.provisional_note(mapping, where)
        evaluator = self.number(mapping, "evaluator_weight", where)
        survey_weight = self.number(mapping, "survey_weight", where)
        if "user_survey" not in self._top_keys:
            self.problem(where, "butuh bagian user_survey (indeks survei pengguna)")
        if evaluator is None or survey_weight is None:
            return None
        for key, value in (("evaluator_weight", evaluator), ("survey_weight", survey_weight)):
            if not Decimal(0) <= value <= 1:
                self.problem(f"{where}.{key}", f"{value} harus antara 0 dan 1")
        if abs(evaluator + survey_weight - 1) > WEIGHT_TOLERANCE:
            self.problem(
                where, f"evaluator_weight + survey_weight = {evaluator + survey_weight}, harus 1"
            )
        if survey is None:
            return None
        return Composite(name, evaluator, survey_weight, source, note, provisional)

    def government_elements(self, raw: Any) -> tuple[GovernmentElement, ...]:
        """Parts scored from government-level answers; their weights count with the
        dimensions' in the one 100."""
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem("government_elements", "harus daftar unsur tingkat pemerintah")
            return ()
        elements: list[GovernmentElement] = []
        for index, item in enumerate(raw):
            where = f"government_elements[{index}]"
            mapping = self.mapping(item, where, _ELEMENT_KEYS)
            if mapping is None:
                continue
            code = self.code(mapping, where, NODE_CODE)
            where = f"government_elements.{code}"
            name = self.text(mapping, "name", where)
            kind = mapping.get("kind")
            if kind not in GOVERNMENT_ELEMENT_KINDS:
                self.problem(
                    f"{where}.kind",
                    f"jenis tidak dikenal {kind!r} "
                    f"(yang ada: {', '.join(GOVERNMENT_ELEMENT_KINDS)})",
                )
            weight = self.number(mapping, "weight", where)
            if weight is not None and weight <= 0:
                self.problem(f"{where}.weight", "harus lebih besar dari 0")
            note = self.provisional_note(mapping, where)
            indicators_raw = mapping.get("indicators")
            if not isinstance(indicators_raw, list) or not indicators_raw:
                self.problem(f"{where}.indicators", "harus daftar indikator yang tidak kosong")
                continue
            indicators = []
            for position, indicator_raw in enumerate(indicators_raw):
                indicator = self.government_indicator(
                    indicator_raw, f"{where}.indicators[{position}]", code, kind == "secondary_data"
                )
                if indicator is not None:
                    indicators.append(indicator)
            if weight is None or kind not in GOVERNMENT_ELEMENT_KINDS:
                continue
            elements.append(
                GovernmentElement(code, name, str(kind), weight, tuple(indicators), note)
            )
        return tuple(elements)

    def government_indicator(
        self, raw: Any, where: str, element_code: str, secondary: bool
    ) -> GovernmentIndicator | None:
        mapping = self.mapping(raw, where, _GOVERNMENT_INDICATOR_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, where, NODE_CODE)
        where = f"{where.rsplit('.indicators', 1)[0]}.{code}"
        name = self.text(mapping, "name", where)
        description = self.text(mapping, "description", where, default="")
        scale_raw = mapping.get("scale")
        scale = self.number_scale(scale_raw, f"{where}.scale")
        weight = self.number(mapping, "weight", where)
        if weight is not None and weight <= 0:
            self.problem(f"{where}.weight", "harus lebih besar dari 0")
        note = self.provisional_note(mapping, where)
        if scale is None:
            return None
        return GovernmentIndicator(
            code, name, description, scale, element_code, secondary, weight, note
        )

    def number_scale(self, raw: Any, where: str) -> Scale | None:
        """A figure's published range: any numbers, ``min`` below ``max`` (an index 0–100,
        a ratio 1–5)."""
        mapping = self.mapping(raw, where, {"min": True, "max": True})
        if mapping is None:
            return None
        low, high = self.number(mapping, "min", where), self.number(mapping, "max", where)
        if low is None or high is None:
            return None
        if low >= high:
            self.problem(where, f"min {low} harus lebih kecil dari max {high}")
            return None
        return Scale(low, high)

    def compliance(self, raw: Any) -> Compliance | None:
        if raw is None:
            return None
        mapping = self.mapping(raw, "compliance", _COMPLIANCE_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, "compliance", NODE_CODE)
        name = self.text(mapping, "name", "compliance")
        note = self.text(mapping, "note", "compliance", default="")
        derivation_note = self.text(mapping, "derivation_note", "compliance", default="")
        provisional = self.provisional_note(mapping, "compliance")
        levels_raw = mapping.get("levels")
        if not isinstance(levels_raw, list) or not levels_raw:
            self.problem("compliance.levels", "harus daftar tingkat kepatuhan yang tidak kosong")
            return None
        levels: list[ComplianceLevel] = []
        for index, item in enumerate(levels_raw):
            where = f"compliance.levels[{index}]"
            level = self.mapping(
                item,
                where,
                {
                    "code": True,
                    "label": True,
                    "suffix": False,
                    "min_followed_up_share": False,
                    "no_products": False,
                },
            )
            if level is None:
                continue
            level_code = self.code(level, where, NODE_CODE)
            label = self.text(level, "label", where)
            suffix = level.get("suffix", False)
            no_products = level.get("no_products", False)
            if not isinstance(suffix, bool):
                self.problem(f"{where}.suffix", "harus true atau false")
                continue
            if not isinstance(no_products, bool):
                self.problem(f"{where}.no_products", "harus true atau false")
                continue
            share: Decimal | None = None
            if "min_followed_up_share" in level:
                share = self.number(level, "min_followed_up_share", where)
                if share is None:
                    continue
                if not Decimal(0) <= share <= 1:
                    self.problem(f"{where}.min_followed_up_share", f"{share} harus antara 0 dan 1")
                    continue
                if no_products:
                    self.problem(where, "no_products dan min_followed_up_share tidak boleh bersama")
                    continue
            if any(known.code == level_code for known in levels):
                self.problem(f"{where}.code", f"tingkat ganda '{level_code}'")
                continue
            levels.append(ComplianceLevel(level_code, label, suffix, share, no_products))
        shares = [level.min_followed_up_share for level in levels]
        given = [share for share in shares if share is not None]
        if given:
            if given != sorted(given, reverse=True):
                self.problem(
                    "compliance.levels",
                    "min_followed_up_share harus menurun dari tingkat pertama ke terakhir",
                )
            if min(given) != 0:
                self.problem(
                    "compliance.levels",
                    "satu tingkat harus min_followed_up_share 0, agar setiap pemerintah "
                    "dengan produk mendapat tingkat",
                )
            if sum(level.no_products for level in levels) != 1:
                self.problem(
                    "compliance.levels",
                    "tepat satu tingkat harus no_products: true bila tingkat diturunkan dari "
                    "produk Ombudsman",
                )
        return Compliance(code, name, tuple(levels), note, provisional, derivation_note)

    def award(self, raw: Any, bands: tuple[Band, ...]) -> tuple[str, str, tuple[str, ...]]:
        """The award's name, note and the categories that get it."""
        if raw is None:
            return "", "", ()
        mapping = self.mapping(raw, "award", _AWARD_KEYS)
        if mapping is None:
            return "", "", ()
        name = self.text(mapping, "name", "award")
        note = self.text(mapping, "note", "award", default="")
        self.provisional_note(mapping, "award")
        categories = mapping.get("categories")
        if not isinstance(categories, list) or not categories:
            self.problem("award.categories", "harus daftar kategori yang tidak kosong")
            return name, note, ()
        known = {band.category for band in bands}
        for category in categories:
            if bands and category not in known:
                self.problem("award.categories", f"kategori {category!r} tidak ada di bands")
        return name, note, tuple(str(c) for c in categories)

    def dimensions(
        self, raw: Any, scale: Scale, elements: tuple[GovernmentElement, ...] = ()
    ) -> tuple[Dimension, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem("dimensions", "harus daftar dimensi yang tidak kosong")
            return ()
        dimensions = []
        for index, item in enumerate(raw):
            dimension = self.dimension(item, index, scale)
            if dimension is not None:
                dimensions.append(dimension)
        if len(dimensions) == len(raw):
            total = sum((d.weight for d in dimensions), Decimal(0))
            total += sum((e.weight for e in elements), Decimal(0))
            if abs(total - HUNDRED) > WEIGHT_TOLERANCE:
                what = "dimensi dan unsur tingkat pemerintah" if elements else "dimensi"
                self.problem("dimensions", f"jumlah bobot {what} {total}, harus 100")
        return tuple(dimensions)

    def dimension(self, raw: Any, index: int, scale: Scale) -> Dimension | None:
        label = raw.get("code") if isinstance(raw, Mapping) else None
        where = f"dimensions.{label}" if isinstance(label, str) else f"dimensions[{index}]"
        mapping = self.mapping(raw, where, _DIMENSION_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, where, NODE_CODE)
        name = self.text(mapping, "name", where)
        weight = self.number(mapping, "weight", where)
        counted = self.flag(mapping, "counted", where)
        if weight is not None and counted and weight <= 0:
            self.problem(f"{where}.weight", "bobot harus lebih dari 0")
        if weight is not None and not counted and weight != 0:
            self.problem(f"{where}.weight", "bobot harus 0 karena counted: false (tidak dihitung)")
        mode = mapping.get("indicator_weights", "equal")
        if mode not in ("equal", "explicit"):
            self.problem(f"{where}.indicator_weights", "harus 'equal' atau 'explicit'")
        note = self.provisional_note(mapping, where)
        raw_variables = mapping.get("variables")
        if not isinstance(raw_variables, list) or not raw_variables:
            self.problem(f"{where}.variables", "harus daftar variabel yang tidak kosong")
            return None
        variables = []
        for v_index, raw_variable in enumerate(raw_variables):
            variable = self.variable(raw_variable, where, v_index, code, mode, scale, counted)
            if variable is not None:
                variables.append(variable)
        indicators = [ind for var in variables for ind in var.indicators if ind.counted]
        if counted and variables and len(variables) == len(raw_variables) and not indicators:
            self.problem(
                f"{where}.indicators",
                "semua indikator counted: false; dimensi yang dihitung butuh indikator yang "
                "dihitung (atau beri dimensi counted: false dan bobot 0)",
            )
        if mode == "explicit" and indicators and all(i.weight is not None for i in indicators):
            total = sum((i.weight for i in indicators if i.weight is not None), Decimal(0))
            if abs(total - HUNDRED) > WEIGHT_TOLERANCE:
                self.problem(f"{where}.indicators", f"jumlah bobot indikator {total}, harus 100")
        if weight is None or len(variables) != len(raw_variables):
            return None
        return Dimension(code, name, weight, str(mode), tuple(variables), note, counted)

    def flag(self, raw: Mapping[str, Any], key: str, where: str, default: bool = True) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.problem(f"{where}.{key}", "harus true atau false")
            return default
        return value

    def variable(
        self,
        raw: Any,
        parent: str,
        index: int,
        dimension: str,
        mode: Any,
        scale: Scale,
        counted: bool = True,
    ) -> Variable | None:
        label = raw.get("code") if isinstance(raw, Mapping) else None
        where = (
            f"{parent}.variables.{label}"
            if isinstance(label, str)
            else (f"{parent}.variables[{index}]")
        )
        mapping = self.mapping(raw, where, _VARIABLE_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, where, NODE_CODE)
        name = self.text(mapping, "name", where)
        note = self.provisional_note(mapping, where)
        raw_indicators = mapping.get("indicators")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            self.problem(f"{where}.indicators", "harus daftar indikator yang tidak kosong")
            return None
        indicators = []
        for i_index, raw_indicator in enumerate(raw_indicators):
            indicator = self.indicator(
                raw_indicator, where, i_index, dimension, code, mode, scale, counted
            )
            if indicator is not None:
                indicators.append(indicator)
        if len(indicators) != len(raw_indicators):
            return None
        return Variable(code, name, tuple(indicators), note)

    def indicator(
        self,
        raw: Any,
        parent: str,
        index: int,
        dimension: str,
        variable: str,
        mode: Any,
        default_scale: Scale,
        dimension_counted: bool = True,
    ) -> Indicator | None:
        label = raw.get("code") if isinstance(raw, Mapping) else None
        where = (
            f"{parent}.indicators.{label}"
            if isinstance(label, str)
            else (f"{parent}.indicators[{index}]")
        )
        mapping = self.mapping(raw, where, _INDICATOR_KEYS)
        if mapping is None:
            return None
        code = self.code(mapping, where, NODE_CODE)
        name = self.text(mapping, "name", where)
        description = self.text(mapping, "description", where, default="")
        data_source = mapping.get("data_source")
        if data_source not in DATA_SOURCES:
            self.problem(
                f"{where}.data_source",
                f"sumber data tidak dikenal {data_source!r} (yang dikenal: "
                f"{', '.join(DATA_SOURCES)})",
            )
        answered_per = mapping.get("answered_per", "none")
        if answered_per not in ANSWERED_PER:
            self.problem(
                f"{where}.answered_per", f"harus salah satu dari {', '.join(ANSWERED_PER)}"
            )
        respondents = mapping.get("respondents")
        if answered_per == "respondent":
            if respondents is None:
                respondents = "service_users" if data_source == "user_survey" else "implementers"
            elif respondents not in RESPONDENT_GROUPS:
                self.problem(
                    f"{where}.respondents",
                    f"harus salah satu dari {', '.join(RESPONDENT_GROUPS)}",
                )
        elif respondents is not None:
            self.problem(
                f"{where}.respondents", "hanya untuk indikator dengan answered_per: respondent"
            )
            respondents = None
        weight = self.number(mapping, "weight", where)
        counted = self.flag(mapping, "counted", where, default=dimension_counted)
        if counted and not dimension_counted:
            self.problem(
                f"{where}.counted",
                "dimensinya counted: false, maka indikatornya juga tidak dihitung",
            )
        if mode == "explicit" and weight is None and counted:
            self.problem(f"{where}.weight", "wajib diisi karena indicator_weights: explicit")
        if mode != "explicit" and "weight" in mapping:
            self.problem(
                f"{where}.weight",
                "bobot indikator hanya boleh diisi jika indicator_weights: explicit",
            )
        if weight is not None and counted and weight <= 0:
            self.problem(f"{where}.weight", "bobot harus lebih dari 0")
        if weight is not None and not counted and weight != 0:
            self.problem(f"{where}.weight", "bobot harus 0 karena counted: false (tidak dihitung)")
        scale = (
            self.scale(mapping["scale"], f"{where}.scale") if "scale" in mapping else default_scale
        )
        applies_to = self.applies_to(mapping.get("applies_to"), where)
        rubric = self.rubric(mapping.get("rubric"), where, scale)
        note = self.provisional_note(mapping, where)
        documents = self.documents(mapping.get("documents"), where)
        if scale is None or rubric is None:
            return None
        return Indicator(
            code=code,
            name=name,
            description=description,
            dimension_code=dimension,
            variable_code=variable,
            scale=scale,
            rubric=rubric,
            data_source=str(data_source),
            answered_per=str(answered_per),
            respondents=str(respondents) if respondents else None,
            weight=(weight if counted else Decimal(0)) if mode == "explicit" else None,
            applies_to=applies_to,
            provisional_note=note,
            counted=counted,
            documents=documents,
        )

    def documents(self, raw: Any, where: str) -> tuple[str, ...]:
        """``documents: [kind codes]``: each a kind of the shared vocabulary, none twice."""
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(f"{where}.documents", "harus daftar kode jenis dokumen yang tidak kosong")
            return ()
        vocabulary = document_kinds()
        unknown = [str(code) for code in raw if not isinstance(code, str) or code not in vocabulary]
        if unknown:
            self.problem(
                f"{where}.documents",
                f"jenis dokumen tidak dikenal: {', '.join(unknown)} (lihat "
                "scoring/data/document-kinds.yaml)",
            )
        if len(set(map(str, raw))) != len(raw):
            self.problem(f"{where}.documents", "jenis dokumen disebut dua kali")
        return tuple(
            dict.fromkeys(code for code in raw if isinstance(code, str) and code in vocabulary)
        )

    def applies_to(self, raw: Any, where: str) -> frozenset[str] | None:
        if raw is None:
            return None
        if not isinstance(raw, list) or not raw:
            self.problem(f"{where}.applies_to", "harus daftar jenis unit yang tidak kosong")
            return None
        unknown = [t for t in raw if t not in UNIT_TYPES]
        if unknown:
            self.problem(
                f"{where}.applies_to", f"jenis unit tidak dikenal: {', '.join(map(str, unknown))}"
            )
        return frozenset(t for t in raw if t in UNIT_TYPES)

    def rubric(self, raw: Any, where: str, scale: Scale | None) -> dict[int, str] | None:
        if not isinstance(raw, Mapping):
            self.problem(f"{where}.rubric", "harus pemetaan tingkat nilai ke teks rubrik")
            return None
        if scale is None:
            return None
        levels = set(scale.levels)
        rubric: dict[int, str] = {}
        for key, text in raw.items():
            if isinstance(key, bool) or not isinstance(key, int) or key not in levels:
                self.problem(f"{where}.rubric.{key}", f"tingkat {key!r} di luar skala {scale}")
                continue
            if not isinstance(text, str) or not text.strip():
                self.problem(f"{where}.rubric.{key}", "teks rubrik kosong")
                continue
            rubric[key] = text.strip()
        missing = sorted(levels - set(raw))
        if missing:
            self.problem(
                f"{where}.rubric",
                f"teks rubrik belum ada untuk tingkat {', '.join(map(str, missing))}",
            )
        return dict(sorted(rubric.items()))

    def unique_codes(
        self,
        dimensions: tuple[Dimension, ...],
        elements: tuple[GovernmentElement, ...] = (),
        compliance: Compliance | None = None,
    ) -> None:
        seen: dict[str, str] = {}

        def visit() -> Iterator[tuple[str, str]]:
            for dim in dimensions:
                yield dim.code, f"dimensions.{dim.code}"
                for var in dim.variables:
                    yield var.code, f"dimensions.{dim.code}.variables.{var.code}"
                    for ind in var.indicators:
                        yield ind.code, f"dimensions.{dim.code}.variables.{var.code}.indicators"
            for element in elements:
                yield element.code, f"government_elements.{element.code}"
                for ind in element.indicators:
                    yield ind.code, f"government_elements.{element.code}.indicators"
            if compliance is not None:
                yield compliance.code, "compliance.code"

        for code, where in visit():
            if code in seen:
                self.problem(where, f"kode ganda '{code}' (sudah dipakai di {seen[code]})")
            else:
                seen[code] = where

    def bands(self, raw: Any, result: ResultRange) -> tuple[Band, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem("bands", "harus daftar kategori yang tidak kosong")
            return ()
        bands: list[Band] = []
        for index, item in enumerate(raw):
            where = f"bands[{index}]"
            mapping = self.mapping(item, where, _BAND_KEYS)
            if mapping is None:
                continue
            category = self.text(mapping, "category", where)
            where = f"bands.{category}" if category else where
            opinion = self.text(mapping, "opinion", where)
            low = self.number(mapping, "min", where)
            high = self.number(mapping, "max", where)
            zone = mapping.get("zone")
            if zone is not None and not isinstance(zone, str):
                self.problem(f"{where}.zone", "harus teks")
            quality_label = (
                self.text(mapping, "quality_label", where) if "quality_label" in mapping else None
            )
            self.provisional_note(mapping, where)
            if low is None or high is None:
                continue
            if low > high:
                self.problem(where, f"batas bawah {low} lebih besar dari batas atas {high}")
                continue
            bands.append(Band(category, opinion, low, high, zone, quality_label or None))
        if len(bands) != len(raw):
            return tuple(bands)
        step = quantum(result.decimals)

        def fmt(value: Decimal) -> str:
            return format_score(value, result.decimals)

        ordered = sorted(bands, key=lambda b: b.minimum)
        categories = [b.category for b in bands]
        for category in {c for c in categories if categories.count(c) > 1}:
            self.problem(f"bands.{category}", "kategori ganda")
        if ordered[0].minimum != result.minimum:
            self.problem(
                "bands",
                f"kategori terendah mulai di {fmt(ordered[0].minimum)}, "
                f"harus di {fmt(result.minimum)} (ada celah)",
            )
        if ordered[-1].maximum != result.maximum:
            self.problem(
                "bands",
                f"kategori tertinggi berakhir di {fmt(ordered[-1].maximum)}, "
                f"harus di {fmt(result.maximum)}",
            )
        for lower, upper in pairwise(ordered):
            expected = lower.maximum + step
            if upper.minimum > expected:
                self.problem(
                    f"bands.{upper.category}",
                    f"celah antara {lower.category} (s.d. {fmt(lower.maximum)}) dan "
                    f"{upper.category} (mulai {fmt(upper.minimum)})",
                )
            elif upper.minimum < expected:
                self.problem(
                    f"bands.{upper.category}",
                    f"tumpang tindih dengan {lower.category}: {lower.category} s.d. "
                    f"{fmt(lower.maximum)}, {upper.category} mulai {fmt(upper.minimum)}",
                )
        return tuple(sorted(bands, key=lambda b: b.minimum, reverse=True))


def instrument_from_mapping(
    raw: Any, source: str = "", expected_code: str | None = None
) -> Instrument:
    """Validate an already-parsed mapping; raise :class:`InstrumentError` with every problem."""
    validator = _Validator(source)
    instrument = validator.instrument(raw, expected_code)
    if instrument is None:
        raise InstrumentError(source, validator.problems)
    return instrument


def load_instrument_file(path: str | Path) -> Instrument:
    """Load and validate one YAML instrument file from anywhere on disk."""
    path = Path(path)
    check_size(path, InstrumentError, MAX_TEXT_FILE_BYTES)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InstrumentError(
            str(path), [Problem("", f"berkas tidak dapat dibaca: {exc.strerror}")]
        ) from None
    text = utf8_text(data, str(path), InstrumentError)
    return instrument_from_mapping(parse_yaml(text, str(path)), str(path), path.stem)


def _packaged_files() -> dict[str, Any]:
    """Instrument files by code: the packaged ones, overridden by any in the folders named
    by ``PATUH_INSTRUMENTS_DIR`` (``os.pathsep``-separated; first folder wins)."""
    folders: list[Any] = [resources.files("patuh.scoring") / "instruments"]
    extra = [Path(p) for p in os.environ.get("PATUH_INSTRUMENTS_DIR", "").split(os.pathsep) if p]
    folders += [folder for folder in reversed(extra) if folder.is_dir()]
    files: dict[str, Any] = {}
    for folder in folders:
        for entry in folder.iterdir():
            if entry.name.endswith(".yaml"):
                files[entry.name.removesuffix(".yaml")] = entry
    return files


def instrument_codes() -> list[str]:
    """Codes of the instruments shipped with Patuh, sorted."""
    return sorted(_packaged_files())


@cache
def load_instrument(code: str) -> Instrument:
    """The packaged instrument with this code (validated once, then cached)."""
    files = _packaged_files()
    if code not in files:
        known = ", ".join(sorted(files))
        raise UnknownInstrument(
            "", [Problem("", f"instrumen '{code}' tidak dikenal (yang tersedia: {known})")]
        )
    entry = files[code]
    source = f"instruments/{entry.name}"
    raw = entry.read_bytes()
    instrument = instrument_from_mapping(parse_yaml(raw.decode("utf-8"), source), source, code)
    return dataclasses.replace(instrument, source_sha256=hashlib.sha256(raw).hexdigest())


def list_instruments() -> list[Instrument]:
    return [load_instrument(code) for code in instrument_codes()]
