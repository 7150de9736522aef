"""XLSForm workbooks for offline data collection with ODK Collect or KoboCollect.

Three kinds of form are built from an instrument (:mod:`patuh.scoring`):

- ``skm``: the Survei Kepuasan Masyarakat questionnaire (elements ``U1`` … ``U9``);
- ``perception``: the Ombudsman service-user survey (maladministration perception ``OU-*``
  as yes/no, plus any other indicator the instrument asks of service users, e.g. ``KM-*``);
- ``checklist``: the assessor's visit checklist of one unit type.

Each function returns an :class:`openpyxl.Workbook` with the standard XLSForm sheets
``survey``, ``choices`` and ``settings``; labels are in the column
``label::Bahasa Indonesia (id)``. Question names are stable XML names derived from indicator
codes (``-`` becomes ``_``), unique across the whole form, so an export of the submissions can
be read back by name whatever group path the exporting tool puts in front of it:

=================  ==========================================================
``U1`` … ``U9``    SKM element answers (1–4)
``ind_<CODE>``     an indicator answered once per unit: level, or ``na``
``na_<CODE>``      reason an ``ind_<CODE>`` is not applicable
``r_<CODE>``       one respondent's answer (in a ``rep_<group>`` repeat)
``p_<CODE>``       one service product's answer (in the ``rep_products`` repeat)
``pna_<CODE>``     reason a ``p_<CODE>`` is not applicable for that product
=================  ==========================================================

See ``docs/xlsform.md``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from patuh.scoring.model import UNIT_TYPES, Dimension, Indicator, Instrument

LANGUAGE = "Bahasa Indonesia (id)"
FORM_KINDS = ("skm", "perception", "checklist")

_LABEL = f"label::{LANGUAGE}"
_HINT = f"hint::{LANGUAGE}"
_CONSTRAINT_MESSAGE = f"constraint_message::{LANGUAGE}"
SURVEY_COLUMNS = (
    "type",
    "name",
    _LABEL,
    _HINT,
    "required",
    "relevant",
    "constraint",
    _CONSTRAINT_MESSAGE,
    "calculation",
    "default",
    "repeat_count",
    "appearance",
    "parameters",
)
CHOICE_COLUMNS = ("list_name", "name", _LABEL)
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "instance_name")
_COLUMN_OF = {
    "label": _LABEL,
    "hint": _HINT,
    "constraint_message": _CONSTRAINT_MESSAGE,
}

SKM_ELEMENTS = tuple(f"U{number}" for number in range(1, 10))
PERCEPTION_DIMENSION = "OU"
"""Indicators of this dimension asked of service users are yes/no questions."""

NA = "na"
YES, NO = "yes", "no"
IMAGE_PARAMETERS = "max-pixels=1600"
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
"""Stricter than XML: no ``-``, ``.`` or ``/``, so a name is always the last segment of an
export column whatever separator the exporting tool puts between group names."""

DATA_SOURCE_LABELS = {
    "interview": "wawancara",
    "observation": "observasi",
    "document": "studi dokumen",
    "user_survey": "survei pengguna layanan",
    "complaint_records": "catatan pengaduan",
    "self_report": "laporan mandiri",
}


@dataclass(frozen=True)
class _RespondentGroup:
    label: str
    default_count: int | None
    detail_field: str
    detail_label: str


RESPONDENT_GROUP_SETUP: dict[str, _RespondentGroup] = {
    "implementers": _RespondentGroup(
        "Narasumber pelaksana layanan", 4, "implementer_position", "Jabatan narasumber"
    ),
    "complaint_officials": _RespondentGroup(
        "Pengelola pengaduan", 2, "complaint_official_position", "Jabatan pengelola pengaduan"
    ),
    "service_users": _RespondentGroup(
        "Pengguna layanan", None, "service_user_service", "Layanan yang digunakan"
    ),
}
"""Repeat per respondent group: label, default count (``None``: add as many as needed) and
the one descriptive text field (a position, never a name)."""

PRODUCTS_DEFAULT = 2
PRODUCTS_BY_UNIT_TYPE = {"polres": 5, "unit_kl": 5}
"""Sampled service products per unit: 2 for pemda units and Kantah, 5 for K/L units and
Polres (INSTRUMENTS.md §1, What is assessed)."""

AGE_GROUPS = (
    ("lt20", "Di bawah 20 tahun"),
    ("20_29", "20–29 tahun"),
    ("30_39", "30–39 tahun"),
    ("40_49", "40–49 tahun"),
    ("50_59", "50–59 tahun"),
    ("60plus", "60 tahun ke atas"),
)
SEXES = (("l", "Laki-laki"), ("p", "Perempuan"))
EDUCATION = (
    ("sd", "SD ke bawah"),
    ("smp", "SMP/sederajat"),
    ("sma", "SMA/sederajat"),
    ("diploma", "D1/D2/D3/D4"),
    ("s1", "S1"),
    ("s2plus", "S2 ke atas"),
)
OCCUPATIONS = (
    ("asn", "PNS/ASN"),
    ("tni", "TNI"),
    ("polri", "POLRI"),
    ("swasta", "Pegawai swasta"),
    ("wirausaha", "Wirausaha"),
    ("pelajar", "Pelajar/mahasiswa"),
    ("lainnya", "Lainnya"),
)
VISIT_STAGES = (
    ("self_assessment", "Penilaian mandiri oleh unit/pemda"),
    ("monitoring", "Pemantauan internal (mis. oleh Sekda)"),
    ("pre_evaluation", "Pra-evaluasi Ombudsman"),
    ("assessment", "Pengambilan data (kunjungan penilaian)"),
)


class FieldFormError(ValueError):
    """The instrument or unit type does not fit the form asked for (message in Bahasa)."""


@dataclass(frozen=True)
class FieldRef:
    """Where one indicator's answer is in a form: its question name, the repeat it is in
    (``None`` at the top level) and the kind of answer (``level``: a level number or
    ``na``; ``yes_no``: ``yes``/``no``, for the maladministration perception questions)."""

    indicator: str
    field: str
    repeat: str | None
    answer: str


def field_name(prefix: str, code: str) -> str:
    """Question name for an indicator code: ``field_name("ind", "IN-S1") == "ind_IN_S1"``."""
    base = code.replace("-", "_")
    return f"{prefix}_{base}" if prefix else base


def _respondent_repeat(group: str) -> str:
    return f"rep_{group}"


def _count_field(group: str) -> str:
    return f"{group}_count"


def _is_perception(indicator: Indicator) -> bool:
    return (
        indicator.dimension_code == PERCEPTION_DIMENSION
        and indicator.answered_per == "respondent"
        and indicator.respondents == "service_users"
    )


def _by_service_users(indicator: Indicator) -> bool:
    return indicator.answered_per == "respondent" and indicator.respondents == "service_users"


# -- the form builder -------------------------------------------------------------------------


class _Form:
    """Rows of the ``survey`` and ``choices`` sheets, with the names checked as they come."""

    def __init__(self) -> None:
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []
        self._names: set[str] = set()
        self._lists: dict[str, tuple[tuple[str, str], ...]] = {}

    def add(self, type_: str, name: str | None = None, **columns: Any) -> None:
        row = {"type": type_}
        if name is not None:
            if not _XML_NAME.match(name):
                raise FieldFormError(f"nama pertanyaan '{name}' bukan nama XML yang sah")
            if name in self._names:
                raise FieldFormError(f"nama pertanyaan '{name}' dipakai dua kali")
            self._names.add(name)
            row["name"] = name
        for key, value in columns.items():
            if value is None or value == "":
                continue
            row[_COLUMN_OF.get(key, key)] = str(value)
        self.survey.append(row)

    def end(self, type_: str) -> None:
        self.survey.append({"type": type_})

    def choice_list(self, list_name: str, items: Iterable[tuple[str, str]]) -> str:
        items = tuple(items)
        known = self._lists.get(list_name)
        if known is not None:
            if known != items:
                raise FieldFormError(f"daftar pilihan '{list_name}' didefinisikan dua kali")
            return list_name
        self._lists[list_name] = items
        for name, label in items:
            self.choices.append({"list_name": list_name, "name": name, _LABEL: label})
        return list_name

    def workbook(self, settings: dict[str, str]) -> Workbook:
        digest = hashlib.sha256(
            json.dumps([self.survey, self.choices, settings], sort_keys=True).encode("utf-8")
        ).hexdigest()[:8]
        settings = {**settings, "version": f"{settings['version']}-{digest}"}
        book = Workbook()
        book.remove(book.active)
        _sheet(book, "survey", SURVEY_COLUMNS, self.survey)
        _sheet(book, "choices", CHOICE_COLUMNS, self.choices)
        _sheet(book, "settings", SETTINGS_COLUMNS, [settings])
        return book


def _sheet(book: Workbook, title: str, columns: tuple[str, ...], rows: list[dict[str, str]]):
    sheet = book.create_sheet(title)
    used = [c for c in columns if c in ("type", "list_name") or any(c in row for row in rows)]
    sheet.append(used)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column) for column in used])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(used, start=1):
        width = max(len(column), *(len(row.get(column, "")) for row in rows))
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = min(width + 2, 60)
    return sheet


def _settings(kind: str, instrument: Instrument, title: str, suffix: str = "") -> dict[str, str]:
    form_id = f"patuh_{kind}_{instrument.code.replace('-', '_')}{suffix}"
    return {
        "form_title": title,
        "form_id": form_id,
        "version": str(instrument.version),
        "default_language": LANGUAGE,
    }


def _metadata(form: _Form) -> None:
    for meta in ("start", "end", "today", "deviceid"):
        form.add(meta, meta)


def _yes_no(form: _Form) -> str:
    return form.choice_list("yes_no", ((YES, "Ya"), (NO, "Tidak")))


def _hint(indicator: Indicator, with_source: bool = True) -> str:
    parts = [indicator.description] if indicator.description else []
    if with_source:
        source = DATA_SOURCE_LABELS.get(indicator.data_source, indicator.data_source)
        parts.append(f"Sumber data: {source}.")
    if indicator.provisional:
        parts.append("Indikator ini bersifat sementara (belum resmi).")
    return " ".join(parts)


def _level_choices(form: _Form, indicator: Indicator, with_na: bool) -> str:
    items = [(str(level), f"{level} — {text}") for level, text in indicator.rubric.items()]
    if with_na:
        items.append((NA, "Tidak berlaku (N/A)"))
    return form.choice_list(field_name("lvl", indicator.code), items)


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + "." if dot else text


# -- citizen surveys ---------------------------------------------------------------------------


def _citizen_start(form: _Form, instrument: Instrument, intro: str) -> str:
    """Metadata, unit, consent and respondent profile; returns the consent condition."""
    _metadata(form)
    form.add("calculate", "instrument_code", calculation=f"'{instrument.code}'")
    form.add("calculate", "respondent_id", calculation="once(uuid())")
    form.add(
        "text",
        "unit_code",
        label="Kode unit layanan",
        hint="Diisi petugas survei sebelum formulir diserahkan kepada responden.",
        required="yes",
    )
    form.add("text", "unit_name", label="Nama unit layanan", required="yes")
    form.add("note", "intro", label=intro)
    yes_no = _yes_no(form)
    form.add(
        "select_one " + yes_no,
        "consent",
        label="Apakah Anda bersedia mengisi survei ini?",
        required="yes",
    )
    form.add(
        "note",
        "consent_declined",
        label="Terima kasih. Survei tidak dilanjutkan; simpan formulir ini sebagai tidak bersedia.",
        relevant=f"${{consent}} = '{NO}'",
    )
    gate = f"${{consent}} = '{YES}'"
    choices = [
        ("age_group", "Kelompok umur", AGE_GROUPS),
        ("sex", "Jenis kelamin", SEXES),
        ("education", "Pendidikan terakhir", EDUCATION),
        ("occupation", "Pekerjaan utama", OCCUPATIONS),
    ]
    for name, label, items in choices:
        form.add(
            "select_one " + form.choice_list(name, items),
            name,
            label=label,
            required="yes",
            relevant=gate,
        )
    form.add(
        "text",
        "occupation_other",
        label="Pekerjaan lainnya",
        relevant=f"{gate} and ${{occupation}} = 'lainnya'",
    )
    form.add(
        "text",
        "service_used",
        label="Jenis layanan yang Anda terima hari ini",
        required="yes",
        relevant=gate,
    )
    return gate


_PRIVACY = (
    "Jawaban Anda rahasia dan hanya dipakai dalam bentuk rekapitulasi. Survei ini tidak "
    "menanyakan nama, nomor telepon atau alamat Anda. Anda boleh berhenti kapan saja."
)


def skm_fields(instrument: Instrument) -> list[FieldRef]:
    """The SKM elements and their question names (``U1`` … ``U9``, top level)."""
    missing = [code for code in SKM_ELEMENTS if code not in instrument.indicators]
    if missing:
        which = "U1…U9" if len(missing) == len(SKM_ELEMENTS) else ", ".join(missing)
        raise FieldFormError(
            f"instrumen '{instrument.code}' bukan instrumen SKM: unsur {which} tidak ada "
            f"(formulir skm memerlukan unsur U1…U9, mis. skm-2017)"
        )
    return [FieldRef(code, field_name("", code), None, "level") for code in SKM_ELEMENTS]


def skm_form(instrument: Instrument) -> Workbook:
    """The Survei Kepuasan Masyarakat questionnaire (PermenPAN-RB 14/2017) as an XLSForm."""
    fields = skm_fields(instrument)
    form = _Form()
    gate = _citizen_start(
        form,
        instrument,
        "Survei Kepuasan Masyarakat. Kami meminta pendapat Anda tentang pelayanan yang baru "
        "Anda terima di unit layanan ini, untuk perbaikan pelayanan. " + _PRIVACY,
    )
    form.add(
        "note",
        "skm_instructions",
        label="Pilih satu jawaban untuk setiap pertanyaan berikut.",
        relevant=gate,
    )
    for ref in fields:
        element = instrument.indicators[ref.indicator]
        items = [(str(level), text) for level, text in element.rubric.items()]
        list_name = form.choice_list(field_name("skm", element.code), items)
        if element.description:
            about = element.description.rstrip(".")
            question = f"{element.code}. Bagaimana pendapat Anda tentang {about[:1].lower()}"
            question += f"{about[1:]}?"
        else:
            question = f"{element.code}. {element.name}"
        form.add(
            "select_one " + list_name,
            ref.field,
            label=question,
            hint=f"Unsur: {element.name}",
            required="yes",
            relevant=gate,
        )
    form.add("text", "comment", label="Saran atau masukan (tidak wajib)", relevant=gate)
    title = f"SKM — {instrument.name}"
    return form.workbook(_settings("skm", instrument, title))


def perception_fields(instrument: Instrument) -> list[FieldRef]:
    """The questions of the service-user survey: ``OU-*`` as yes/no, any other indicator
    asked of service users (e.g. ``KM-*`` in ``ombudsman-2025``) with its rubric levels."""
    indicators = [ind for ind in instrument.indicators.values() if _by_service_users(ind)]
    if not any(_is_perception(ind) for ind in indicators):
        raise FieldFormError(
            f"instrumen '{instrument.code}' tidak memuat indikator persepsi maladministrasi "
            f"(OU-…, dijawab per pengguna layanan); formulir perception memerlukannya, "
            f"mis. ombudsman-2023"
        )
    return [
        FieldRef(ind.code, field_name("r", ind.code), None, _answer_kind(ind)) for ind in indicators
    ]


def _answer_kind(indicator: Indicator) -> str:
    return "yes_no" if _is_perception(indicator) else "level"


def _perception_question(form: _Form, indicator: Indicator, name: str, **columns: Any) -> None:
    """One service user's answer: yes/no for ``OU-*``, the rubric levels otherwise."""
    if _is_perception(indicator):
        form.add(
            "select_one " + _yes_no(form),
            name,
            label=(
                f"{indicator.code}. {indicator.name}: apakah Anda pernah mengalami atau "
                f"melihat hal ini di unit layanan ini?"
            ),
            hint=_first_sentence(indicator.description) if indicator.description else None,
            **columns,
        )
    else:
        form.add(
            "select_one " + _level_choices(form, indicator, with_na=False),
            name,
            label=f"{indicator.code}. {indicator.name}",
            hint=_hint(indicator, with_source=False) or None,
            **columns,
        )


def perception_form(instrument: Instrument) -> Workbook:
    """The Ombudsman maladministration-perception survey of service users as an XLSForm."""
    fields = perception_fields(instrument)
    form = _Form()
    gate = _citizen_start(
        form,
        instrument,
        "Survei persepsi pengguna layanan. Kami menanyakan apakah Anda pernah mengalami atau "
        "melihat maladministrasi di unit layanan ini. " + _PRIVACY,
    )
    for ref in fields:
        indicator = instrument.indicators[ref.indicator]
        _perception_question(form, indicator, ref.field, required="yes", relevant=gate)
    form.add("text", "comment", label="Cerita atau masukan (tidak wajib)", relevant=gate)
    title = f"Survei Persepsi Maladministrasi — {instrument.name}"
    return form.workbook(_settings("perception", instrument, title))


# -- the assessor's checklist -----------------------------------------------------------------


def _assessor_answered(indicator: Indicator) -> bool:
    return not _by_service_users(indicator)


def _check_unit_type(unit_type: str) -> None:
    if unit_type not in UNIT_TYPES:
        known = ", ".join(UNIT_TYPES)
        raise FieldFormError(f"jenis unit '{unit_type}' tidak dikenal (yang dikenal: {known})")


def _check_checklist_instrument(instrument: Instrument) -> None:
    if not any(_assessor_answered(ind) for ind in instrument.indicators.values()):
        raise FieldFormError(
            f"instrumen '{instrument.code}' hanya memuat pertanyaan untuk pengguna layanan; "
            f"formulir checklist memerlukan indikator yang dinilai penilai (IN, PR, PG, …), "
            f"mis. ombudsman-2023"
        )


def checklist_fields(instrument: Instrument, unit_type: str) -> list[FieldRef]:
    """Every indicator that applies to ``unit_type``, in instrument order, with its question
    name and repeat (``rep_implementers``, ``rep_complaint_officials``, ``rep_service_users``,
    ``rep_products`` or ``None``)."""
    _check_unit_type(unit_type)
    _check_checklist_instrument(instrument)
    refs = []
    for ind in instrument.indicators.values():
        if not ind.applies_to_unit_type(unit_type):
            continue
        if ind.answered_per == "respondent":
            group = ind.respondents or "implementers"
            refs.append(
                FieldRef(
                    ind.code,
                    field_name("r", ind.code),
                    _respondent_repeat(group),
                    _answer_kind(ind),
                )
            )
        elif ind.answered_per == "product":
            refs.append(FieldRef(ind.code, field_name("p", ind.code), "rep_products", "level"))
        else:
            refs.append(FieldRef(ind.code, field_name("ind", ind.code), None, "level"))
    if not refs:
        raise FieldFormError(
            f"tidak ada indikator instrumen '{instrument.code}' yang berlaku untuk jenis unit "
            f"'{unit_type}'"
        )
    return refs


def _codes(indicators: list[Indicator]) -> str:
    """``IN-S1…IN-S9``, or per dimension: ``OU-1…OU-5, KM-1…KM-3``."""
    runs: dict[str, list[str]] = {}
    for ind in indicators:
        runs.setdefault(ind.dimension_code, []).append(ind.code)
    return ", ".join(
        codes[0] if len(codes) == 1 else f"{codes[0]}…{codes[-1]}" for codes in runs.values()
    )


class _Checklist:
    def __init__(self, instrument: Instrument, unit_type: str):
        self.instrument = instrument
        self.unit_type = unit_type
        self.form = _Form()
        self.applicable = [
            ind for ind in instrument.indicators.values() if ind.applies_to_unit_type(unit_type)
        ]
        self.codes = {ind.code for ind in self.applicable}
        self.emitted: set[str] = set()

    def build(self) -> Workbook:
        form = self.form
        _metadata(form)
        form.add("calculate", "instrument_code", calculation=f"'{self.instrument.code}'")
        form.add("calculate", "unit_type", calculation=f"'{self.unit_type}'")
        form.add(
            "note",
            "intro",
            label=(
                f"Daftar periksa penilai: {self.instrument.name}, jenis unit "
                f"{UNIT_TYPES[self.unit_type]}. Pilih tingkat rubrik setiap indikator; "
                f"kosongkan yang belum dinilai dan pilih N/A hanya bila indikator tidak "
                f"berlaku untuk unit ini."
            ),
        )
        form.add("text", "unit_code", label="Kode unit layanan", required="yes")
        form.add("text", "unit_name", label="Nama unit layanan", required="yes")
        form.add(
            "select_one " + form.choice_list("visit_stage", VISIT_STAGES),
            "visit_stage",
            label="Tahap kunjungan",
        )
        form.add("date", "visit_date", label="Tanggal kunjungan", default="today()")
        form.add("text", "assessor", label="Penilai (nama atau kode petugas)")
        for dimension in self.instrument.dimensions:
            self.dimension(dimension)
        form.add("text", "visit_notes", label="Catatan umum kunjungan", appearance="multiline")
        title = f"Daftar Periksa Penilai — {UNIT_TYPES[self.unit_type]} — {self.instrument.name}"
        settings = _settings("checklist", self.instrument, title, f"_{self.unit_type}")
        settings["instance_name"] = (
            "concat(${unit_code}, ' — ', ${unit_name}, ' — ', ${visit_date})"
        )
        return form.workbook(settings)

    def dimension(self, dimension: Dimension) -> None:
        indicators = [ind for ind in dimension.indicators if ind.code in self.codes]
        if not indicators:
            return
        form = self.form
        form.add(
            "begin group",
            field_name("dim", dimension.code),
            label=f"{dimension.code} — {dimension.name}",
        )
        for variable in dimension.variables:
            own = [ind for ind in variable.indicators if ind.code in self.codes]
            once = [ind for ind in own if ind.answered_per == "none"]
            for ind in own:
                if ind.answered_per == "respondent":
                    self.respondents(ind.respondents or "implementers")
                elif ind.answered_per == "product":
                    self.products()
                else:
                    self.single(ind)
            if once:
                form.add(
                    "image",
                    field_name("photo", f"{dimension.code}_{variable.code}"),
                    label=f"Foto bukti: {variable.name} ({_codes(once)})",
                    hint="Tidak wajib. Foto dokumen, papan informasi atau sarana yang dinilai.",
                    parameters=IMAGE_PARAMETERS,
                )
        moved = [
            ind
            for ind in indicators
            if ind.answered_per == "respondent"
            and ind.respondents == "service_users"
            and ind.dimension_code != self._service_users_home()
        ]
        if moved:
            form.add(
                "note",
                field_name("moved", dimension.code),
                label=(
                    f"{_codes(moved)} dijawab per pengguna layanan di bagian "
                    f"'{RESPONDENT_GROUP_SETUP['service_users'].label}'."
                ),
            )
        form.add(
            "text",
            field_name("notes", dimension.code),
            label=f"Catatan penilai: {dimension.name}",
            appearance="multiline",
        )
        form.end("end group")

    def _service_users_home(self) -> str | None:
        for ind in self.applicable:
            if ind.answered_per == "respondent" and ind.respondents == "service_users":
                return ind.dimension_code
        return None

    def single(self, ind: Indicator) -> None:
        name = field_name("ind", ind.code)
        self.form.add(
            "select_one " + _level_choices(self.form, ind, with_na=True),
            name,
            label=f"{ind.code} — {ind.name}",
            hint=_hint(ind),
        )
        self.form.add(
            "text",
            field_name("na", ind.code),
            label=f"Alasan {ind.code} tidak berlaku",
            relevant=f"${{{name}}} = '{NA}'",
        )

    def respondents(self, group: str) -> None:
        key = _respondent_repeat(group)
        if key in self.emitted:
            return
        self.emitted.add(key)
        setup = RESPONDENT_GROUP_SETUP[group]
        indicators = [
            ind
            for ind in self.applicable
            if ind.answered_per == "respondent" and (ind.respondents or "implementers") == group
        ]
        form = self.form
        count = None
        if setup.default_count is not None:
            count = _count_field(group)
            form.add(
                "integer",
                count,
                label=f"Jumlah {setup.label.lower()} yang diwawancarai",
                hint=f"Bawaan {setup.default_count}; boleh diubah.",
                default=setup.default_count,
                required="yes",
                constraint=". >= 1 and . <= 50",
                constraint_message="Isi 1 sampai 50.",
            )
        form.add(
            "begin repeat",
            key,
            label=f"{setup.label} ({_codes(indicators)})",
            repeat_count=f"${{{count}}}" if count else None,
        )
        form.add("text", setup.detail_field, label=setup.detail_label, required="yes")
        for ind in indicators:
            name = field_name("r", ind.code)
            if _by_service_users(ind):
                _perception_question(form, ind, name)
            else:
                form.add(
                    "select_one " + _level_choices(form, ind, with_na=False),
                    name,
                    label=f"{ind.code} — {ind.name}",
                    hint=_hint(ind),
                )
        form.end("end repeat")

    def products(self) -> None:
        if "rep_products" in self.emitted:
            return
        self.emitted.add("rep_products")
        indicators = [ind for ind in self.applicable if ind.answered_per == "product"]
        form = self.form
        default = PRODUCTS_BY_UNIT_TYPE.get(self.unit_type, PRODUCTS_DEFAULT)
        form.add(
            "integer",
            "products_count",
            label="Jumlah produk layanan yang disampel",
            hint=f"Bawaan {default} untuk jenis unit ini; boleh diubah.",
            default=default,
            required="yes",
            constraint=". >= 1 and . <= 50",
            constraint_message="Isi 1 sampai 50.",
        )
        form.add(
            "begin repeat",
            "rep_products",
            label=f"Produk layanan ({_codes(indicators)})",
            repeat_count="${products_count}",
        )
        form.add("text", "product_name", label="Nama produk layanan", required="yes")
        yes_no = _yes_no(form)
        form.add(
            "select_one " + yes_no,
            "published_physical",
            label=(
                "Standar pelayanan produk ini dipublikasikan secara fisik (papan, banner, brosur)?"
            ),
        )
        form.add(
            "select_one " + yes_no,
            "published_electronic",
            label=(
                "Standar pelayanan produk ini dipublikasikan secara elektronik "
                "(situs, media sosial)?"
            ),
            hint="Komponen yang hanya dipublikasikan secara fisik belum terpenuhi penuh.",
        )
        for ind in indicators:
            name = field_name("p", ind.code)
            form.add(
                "select_one " + _level_choices(form, ind, with_na=True),
                name,
                label=f"{ind.code} — {ind.name}",
                hint=_hint(ind),
            )
            form.add(
                "text",
                field_name("pna", ind.code),
                label=f"Alasan {ind.code} tidak berlaku untuk produk ini",
                relevant=f"${{{name}}} = '{NA}'",
            )
        form.add(
            "image",
            "photo_product",
            label="Foto bukti publikasi standar pelayanan produk ini",
            hint="Tidak wajib.",
            parameters=IMAGE_PARAMETERS,
        )
        form.add("text", "product_notes", label="Catatan produk layanan")
        form.end("end repeat")


def checklist_form(instrument: Instrument, unit_type: str) -> Workbook:
    """The assessor's visit checklist of one unit type as an XLSForm.

    One group per dimension; an indicator answered once per unit is a choice of its rubric
    levels (or ``na`` with a reason), indicators answered per respondent are in one repeat per
    respondent group and those answered per service product in one repeat per product; each
    variable with indicators answered once per unit has an optional photo question.
    Indicators that do not apply to ``unit_type`` are left out.
    """
    checklist_fields(instrument, unit_type)  # validates the instrument and the unit type
    return _Checklist(instrument, unit_type).build()
