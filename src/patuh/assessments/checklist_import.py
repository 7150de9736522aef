"""Importing a visit checklist collected offline (``patuh xlsform checklist``) from a
KoboToolbox XLSX export (one sheet of submissions, one per repeat, rows linked by
``_parent_index``) or an ODK Central ZIP of CSV files (``FORM.csv`` and ``FORM-rep_….csv``,
linked by ``KEY``/``PARENT_KEY``, photos in ``media/``); photos named in their cells are read
from the media folder.

Every answer goes through :func:`~patuh.assessments.services.record_answer` and every photo
through :func:`~patuh.assessments.evidence.add_file`, so each is checked and audited. The
whole import is one transaction: any bad cell is reported (sheet, row, column) and nothing is
written.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from patuh.assessments import evidence
from patuh.assessments.models import Assessment
from patuh.assessments.services import record_answer, rename_respondent
from patuh.fieldforms.xlsform import checklist_fields
from patuh.scoring import load_instrument
from patuh.scoring.errors import AnswersError, Problem
from patuh.scoring.spreadsheets import (
    check_archive,
    check_size,
    csv_rows_from_bytes,
    open_xlsx,
    sheet_rows,
    shown,
    worksheets,
)
from patuh.scoring.survey_files import _column_letter

REPEAT_GROUPS = {
    "rep_implementers": ("implementers", "implementer_position"),
    "rep_complaint_officials": ("complaint_officials", "complaint_official_position"),
    "rep_service_users": ("service_users", None),
}
YES = {"yes", "ya", "1", "true"}
NO = {"no", "tidak", "0", "false"}


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]

    def column(self, name: str) -> int | None:
        """The column whose header is ``name`` or ends with ``/name`` (KoboToolbox group paths)
        or ``-name`` (ODK Central's)."""
        wanted = name.lower()
        for index, title in enumerate(self.header):
            if title == wanted or title.endswith(("/" + wanted, "-" + wanted)):
                return index
        return None

    def cell(self, row: list[Any], name: str) -> str:
        index = self.column(name)
        if index is None or index >= len(row) or row[index] is None:
            return ""
        return str(row[index]).replace("\x00", "").strip()  # no database text holds a NUL


@dataclass
class ChecklistImport:
    answers: int = 0
    photos: int = 0
    problems: list[Problem] = field(default_factory=list)


MAX_ZIP_CSV_BYTES = 64 * 1024 * 1024
"""One CSV inside an ODK Central ZIP, unpacked (it is read whole)."""


def _read(path: Path) -> dict[str, Sheet]:
    """Sheets by name: a KoboToolbox XLSX (one sheet per table) or an ODK Central ZIP of CSV
    files (``FORM.csv`` and ``FORM-rep_….csv``; its ``media/`` folder holds the photos).
    A damaged, oversized or wrongly encoded file raises :class:`AnswersError` naming the place."""
    check_size(path, AnswersError)
    if path.suffix.lower() == ".zip":
        return _read_zip(path)
    workbook = open_xlsx(path, AnswersError)
    sheets = {}
    try:
        for worksheet in worksheets(workbook):
            rows = list(sheet_rows(worksheet, str(path), AnswersError))
            if not rows:
                continue
            sheets[worksheet.title] = _sheet(worksheet.title, rows)
    finally:
        workbook.close()
    return sheets


def _sheet(name: str, rows: list[Any]) -> Sheet:
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    return Sheet(name, header, [(n, list(r)) for n, r in enumerate(rows[1:], start=2)])


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise AnswersError(
            str(path), [Problem("", "bukan berkas ZIP, atau berkasnya rusak")]
        ) from None
    try:
        check_archive(archive, str(path), AnswersError)
    except AnswersError:
        archive.close()
        raise
    return archive


def _member(archive: zipfile.ZipFile, name: str, source: str) -> bytes:
    """One member's bytes; a damaged one (bad CRC, cut short, encrypted) is named."""
    try:
        return archive.read(name)
    except Exception as error:  # zipfile and zlib raise many kinds for a damaged member
        raise AnswersError(
            source,
            [Problem(name, f"isi ZIP rusak atau terkunci sandi ({shown(error, 120)})")],
        ) from None


def _read_zip(path: Path) -> dict[str, Sheet]:
    sheets = {}
    with _open_zip(path) as archive:
        for info in archive.infolist():
            member = info.filename
            if not member.lower().endswith(".csv") or member.startswith("media/"):
                continue
            if info.file_size > MAX_ZIP_CSV_BYTES:
                raise AnswersError(
                    str(path),
                    [
                        Problem(
                            member,
                            "berkas CSV terlalu besar (paling besar "
                            f"{MAX_ZIP_CSV_BYTES // (1024 * 1024)} MB)",
                        )
                    ],
                )
            stem = Path(member).stem
            name = stem.rsplit("-", 1)[1] if "-rep_" in stem else stem
            rows = csv_rows_from_bytes(
                _member(archive, member, str(path)), str(path), AnswersError, member
            )
            if rows:
                sheets[name] = _sheet(name, rows)
    return sheets


def _zip_media(path: Path, folder: Path) -> Path | None:
    """Unpack an ODK Central export's ``media/`` photos into ``folder`` (each at most the
    evidence size limit: a bigger one would be refused anyway)."""
    if path.suffix.lower() != ".zip":
        return None
    found = False
    with _open_zip(path) as archive:
        for info in archive.infolist():
            name = Path(info.filename).name
            if not info.filename.startswith("media/") or info.is_dir() or name in ("", ".", ".."):
                continue
            found = True
            if info.file_size > settings.PATUH_EVIDENCE_MAX_BYTES:
                continue  # left out: reported as a photo missing from the media folder
            data = _member(archive, info.filename, str(path))
            try:
                (folder / name).write_bytes(data)
            except OSError as error:  # a name too long for the file system
                reason = f"foto tidak dapat dibuka ({error.strerror})"
                raise AnswersError(str(path), [Problem(shown(info.filename), reason)]) from None
    return folder if found else None


def _level(text: str, answer: str, levels: Any = ()) -> Any:
    """The cell as an answer: a rubric level, ``"na"``, or 0/3 for yes/no; ``None`` if not."""
    lowered = text.lower()
    if answer == "yes_no":
        if lowered in YES:
            return 0  # experienced or saw the form of maladministration
        if lowered in NO:
            return 3
        return None
    if lowered == "na":
        return "na"
    if lowered.endswith(".0"):
        lowered = lowered[:-2]
    if not (lowered.isascii() and lowered.isdigit() and len(lowered) <= 3):
        return None  # "²" is a digit to Python but no number; 5000 digits are no level
    return int(lowered) if int(lowered) in levels else None


def import_checklist(
    path: str | Path, assessment: Assessment, *, actor: Any, media: str | Path | None = None
) -> ChecklistImport:
    path = Path(path)
    sheets = _read(path)
    if not sheets:
        raise AnswersError(str(path), [Problem("", "berkas kosong")])
    repeat_names = {name for name in sheets if name in {*REPEAT_GROUPS, "rep_products"}}
    main = next((sheet for name, sheet in sheets.items() if name not in repeat_names), None)
    if main is None:
        raise AnswersError(
            str(path),
            [Problem("", "lembar kiriman tidak ada (hanya lembar pengulangan rep_…)")],
        )
    unit = assessment.service_unit
    submissions = [
        (number, row) for number, row in main.rows if main.cell(row, "unit_code") in ("", unit.code)
    ]
    if len(submissions) != 1:
        raise AnswersError(
            str(path),
            [
                Problem(
                    f"lembar {main.name}",
                    f"harus tepat satu kiriman untuk unit '{unit.code}', ada {len(submissions)}",
                )
            ],
        )
    number, submission = submissions[0]
    parent = main.cell(submission, "_index") or main.cell(submission, "key") or "1"
    instrument = load_instrument(assessment.cycle.instrument_code)
    refs = checklist_fields(instrument, unit.type)
    result = ChecklistImport()

    def bad(sheet: Sheet, row_number: int, name: str, reason: str) -> None:
        index = sheet.column(name)
        where = f"lembar {sheet.name}, baris {row_number}"
        if index is not None:
            where += f", kolom {_column_letter(index)} ({name})"
        result.problems.append(Problem(where, reason))

    children: dict[str, list[tuple[int, list[Any]]]] = defaultdict(list)
    for name in repeat_names:
        sheet = sheets[name]
        for row_number, row in sheet.rows:
            link = sheet.cell(row, "_parent_index") or sheet.cell(row, "parent_key")
            if link in ("", parent):
                children[name].append((row_number, row))

    values: dict[str, Any] = {}
    na_reasons: dict[str, str] = {}
    for ref in refs:
        if ref.repeat is None:
            text = main.cell(submission, ref.field)
            if not text:
                continue
            value = _level(text, ref.answer, instrument.indicators[ref.indicator].rubric)
            if value is None:
                bad(main, number, ref.field, f"jawaban '{shown(text)}' bukan tingkat rubrik")
                continue
            values[ref.indicator] = value
            if value == "na":
                na_reasons[ref.indicator] = main.cell(submission, "na_" + ref.field[4:])
            continue
        sheet = sheets.get(ref.repeat)
        if sheet is None:
            continue
        items = []
        for row_number, row in children[ref.repeat]:
            text = sheet.cell(row, ref.field)
            if not text:
                continue
            value = _level(text, ref.answer, instrument.indicators[ref.indicator].rubric)
            if value is None:
                bad(sheet, row_number, ref.field, f"jawaban '{shown(text)}' bukan tingkat rubrik")
                continue
            items.append(value)
        if items:
            values[ref.indicator] = items
    if result.problems:
        raise AnswersError(str(path), result.problems)

    photos = _photos(main, submission, children, sheets, instrument)
    unpacked = tempfile.TemporaryDirectory()
    stored: list[Any] = []  # files written to storage: removed again if nothing stays
    committed = False
    try:
        with unpacked:
            folder = Path(media) if media else _zip_media(path, Path(unpacked.name))
            with transaction.atomic():
                _record(assessment, values, na_reasons, path, actor, result)
                result.problems += _positions(assessment, children, sheets, actor)
                _attach(assessment, photos, folder, actor, result, stored)
                if result.problems:
                    transaction.set_rollback(True)
                    raise AnswersError(str(path), result.problems)
            committed = True
    finally:
        if not committed:
            _remove_files(stored)
    return result


def _record(assessment, values, na_reasons, path, actor, result) -> None:
    for code, value in values.items():
        try:
            record_answer(
                assessment,
                code,
                value,
                actor,
                reason=f"impor daftar periksa {path.name}",
                na_reason=na_reasons.get(code) or None,
            )
        except ValidationError as error:
            result.problems.append(Problem(code, " ".join(error.messages)))
            continue
        result.answers += 1


def _attach(assessment, photos, folder, actor, result, stored) -> None:
    for code, filename in photos:
        photo = folder / Path(filename).name if folder else None
        if photo is None or not _is_file(photo):
            result.problems.append(
                Problem(code, f"foto '{shown(filename)}' tidak ada di folder media")
            )
            continue
        with photo.open("rb") as handle:
            try:
                added = evidence.add_file(
                    assessment, code, _Named(handle, photo.name), actor=actor, title=filename
                )
            except ValidationError as error:
                result.problems.append(Problem(code, " ".join(error.messages)))
                continue
        stored += [added.file, added.thumbnail]
        result.photos += 1


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; a name the file system refuses (too long) is no file."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def _remove_files(files: list[Any]) -> None:
    """Photos already copied to storage by an import that was rolled back."""
    for stored_file in files:
        if stored_file:
            stored_file.storage.delete(stored_file.name)


class _Named:
    """A file handle with the name ``add_file`` reads."""

    def __init__(self, handle: Any, name: str) -> None:
        self._handle = handle
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._handle, attribute)


def _photos(main, submission, children, sheets, instrument) -> list[tuple[str, str]]:
    """(indicator to attach to, file name) for every photo cell of the submission."""
    found = []
    for dimension in instrument.dimensions:
        for variable in dimension.variables:
            name = f"photo_{dimension.code}_{variable.code}".replace("-", "_")
            filename = main.cell(submission, name)
            if filename and variable.indicators:
                found.append((variable.indicators[0].code, filename))
    products = sheets.get("rep_products")
    first_product_indicator = next(
        (i.code for i in instrument.indicators.values() if i.answered_per == "product"), None
    )
    if products is not None and first_product_indicator:
        for _number, row in children.get("rep_products", []):
            filename = products.cell(row, "photo_product")
            if filename:
                found.append((first_product_indicator, filename))
    return found


def _positions(assessment, children, sheets, actor) -> list[Problem]:
    """The interviewees' positions (jabatan) from each respondent repeat."""
    problems = []
    for repeat, (group, column) in REPEAT_GROUPS.items():
        if column is None or repeat not in sheets:
            continue
        respondents = list(assessment.respondents.filter(group=group).order_by("position"))
        for respondent, (number, row) in zip(respondents, children.get(repeat, []), strict=False):
            title = sheets[repeat].cell(row, column)
            if title:
                try:
                    rename_respondent(respondent, title, actor=actor)
                except ValidationError as error:
                    where = f"lembar {repeat}, baris {number}"
                    problems.append(Problem(where, " ".join(error.messages)))
    return problems
