"""Importing survey responses from CSV or XLSX (a paper-form tally, an ODK/KoboCollect export):
the SKM (U1…U9, 1–4), the perception survey (OU-1…, ya/tidak) or the PEKPPP F-03 (F3-01…F3-14,
0–5; a column may also be named ``F3_01`` or ``r_F3_01``).

One pass over the file, one row at a time, inside one transaction: rows are inserted in
batches while they are good; the first bad row stops the inserting, the scan goes on to report
every bad row (row, column, reason), and the transaction is rolled back, so nothing is written
unless every row is good. Each response keeps a stable respondent id (the file's own id column
when it has one, otherwise a digest of the row), so importing the same file again changes
nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import reset_queries, transaction

from patuh.core.services import record_event
from patuh.scoring.errors import AnswersError, Problem
from patuh.scoring.spreadsheets import shown
from patuh.scoring.survey_files import MAX_PROBLEMS_LISTED, _column_letter, _declined, _rows
from patuh.surveys.models import Channel, SurveyKind, SurveyResponse
from patuh.surveys.services import NO, PROFILE_CHOICES, YES, questions

BATCH = 5000
ID_COLUMNS = ("respondent_id", "_uuid", "instanceid", "_id")
"""Columns that name a respondent, in order of preference: Kobo exports carry ``_uuid``, ODK
Central ``meta-instanceID`` (matched by its ending)."""
YES_WORDS = {"ya", "yes", "y", "1", "true"}
NO_WORDS = {"tidak", "no", "n", "0", "false"}


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    created: int
    already_there: int
    notes: tuple[str, ...] = ()
    """How the file was read, when worth saying (a Windows-1252 CSV)."""


def _aliases(code: str) -> tuple[str, ...]:
    """Column names that carry an indicator: ``OU-1`` itself, or the XLSForm question name
    ``r_OU_1`` (``patuh xlsform perception``), upper-cased like :func:`_normalise`."""
    plain = code.upper()
    return (plain, plain.replace("-", "_"), "R_" + plain.replace("-", "_"))


def _normalise(name: Any) -> str:
    """``group_x/age_group`` → ``AGE_GROUP``: Kobo prefixes a question with its groups
    (ODK Central joins them with ``-``; indicator columns are matched by their ending)."""
    text = str(name or "").strip()
    return text.rsplit("/", 1)[-1].strip().upper()


@dataclass
class _Plan:
    path: Path
    kind: str
    codes: list[str]
    columns: dict[str, int]
    id_column: int | None
    profile_columns: dict[str, int]
    consent_column: int | None = None


def _plan(path: Path, kind: str, cycle: Any, notes: list[str]) -> tuple[_Plan, Iterator[list[Any]]]:
    rows = _rows(path, notes)
    header = next(rows, None)
    if header is None:
        raise AnswersError(str(path), [Problem("baris 1", "berkas kosong")])
    names = [_normalise(cell) for cell in header]
    raw_names = [str(cell or "").strip().lower() for cell in header]
    codes = [question.code for question in questions(kind, cycle)]
    if not codes:
        raise AnswersError(
            str(path),
            [Problem("", f"siklus {cycle.name} tidak memakai survei {SurveyKind(kind).label}")],
        )
    full = [str(cell or "").strip().upper() for cell in header]
    columns = {}
    for code in codes:
        found = next(
            (
                index
                for alias in _aliases(code)
                for index, name in enumerate(full)
                if name == alias or name.endswith(("/" + alias, "-" + alias))
            ),
            None,
        )
        if found is not None:
            columns[code] = found
    missing = [code for code in codes if code not in columns]
    if missing:
        raise AnswersError(
            str(path), [Problem("baris 1", f"kolom tidak ada: {', '.join(missing)}")]
        )
    id_column = next(
        (
            index
            for wanted in ID_COLUMNS
            for index, name in enumerate(raw_names)
            if name == wanted or name.endswith(("/" + wanted, "-" + wanted))
        ),
        None,
    )
    profile_columns = {
        field: names.index(field.upper())
        for field in [*PROFILE_CHOICES, "service"]
        if field.upper() in names
    }
    consent = names.index("CONSENT") if "CONSENT" in names else None
    return _Plan(path, kind, codes, columns, id_column, profile_columns, consent), rows


SCALES = {SurveyKind.SKM: ("1", "2", "3", "4"), SurveyKind.F03: ("0", "1", "2", "3", "4", "5")}
"""The answers of the surveys answered with a number; the perception survey is ya/tidak."""


def _value(kind: str, text: str) -> Any:
    if kind in SCALES:
        if text.endswith(".0"):
            text = text[:-2]
        return int(text) if text in SCALES[kind] else None
    lowered = text.lower()
    if lowered in YES_WORDS:
        return YES
    if lowered in NO_WORDS:
        return NO
    return None


def _parse(plan: _Plan, number: int, row: list[Any]) -> tuple[dict[str, Any], list[Problem]]:
    answers: dict[str, Any] = {}
    problems = []
    for code, index in plan.columns.items():
        cell = row[index] if index < len(row) else None
        text = "" if cell is None else str(cell).strip()
        if text == "":
            problems.append(
                Problem(f"baris {number}, kolom {_column_letter(index)} ({code})", "kosong")
            )
            continue
        value = _value(plan.kind, text)
        if value is None:
            allowed = (
                ", ".join(SCALES[plan.kind][:-1]) + " atau " + SCALES[plan.kind][-1]
                if plan.kind in SCALES
                else "ya atau tidak"
            )
            problems.append(
                Problem(
                    f"baris {number}, kolom {_column_letter(index)} ({code})",
                    f"jawaban '{shown(text)}' harus {allowed}",
                )
            )
            continue
        answers[code] = value
    return answers, problems


def _respondent_id(plan: _Plan, row: list[Any], answers: dict[str, Any], seen: dict) -> str:
    if plan.id_column is not None:
        cell = row[plan.id_column] if plan.id_column < len(row) else None
        text = "" if cell is None else _stored(cell, 64)
        if text:
            return text
    digest = hashlib.sha256(repr(row).encode()).hexdigest()[:40]
    occurrence = seen.get(digest, 0)  # identical rows in one file are distinct respondents
    seen[digest] = occurrence + 1
    return f"{digest}-{occurrence}"


def _profile(plan: _Plan, row: list[Any]) -> dict[str, str]:
    profile = {}
    for field, index in plan.profile_columns.items():
        cell = row[index] if index < len(row) else None
        if cell not in (None, ""):
            profile[field] = _stored(cell, 200)
    return profile


def _stored(cell: Any, length: int) -> str:
    """A cell kept as text: no NUL (no database text column holds one), at most ``length``."""
    return str(cell).replace("\x00", "").strip()[:length]


def count_rows(path: str | Path) -> int:
    """The data rows of a file (blank rows left out), read once without checking them: the
    length of a background import's progress bar. An unreadable file counts 0 here and is
    named properly by :func:`import_file`."""
    try:
        rows = _rows(Path(path), [])
        next(rows, None)
        return sum(1 for row in rows if any(cell not in (None, "") for cell in row))
    except AnswersError:
        return 0


PROGRESS_EVERY = 500
"""Rows between two progress reports of a background import."""


def import_file(
    path: str | Path,
    unit: Any,
    cycle: Any,
    kind: str,
    *,
    channel: str = Channel.IMPORT,
    entered_by: Any = None,
    progress: Callable[[int], None] | None = None,
    saving: Callable[[], None] | None = None,
) -> ImportSummary:
    """Check and insert in one pass inside one transaction: any bad row rolls everything
    back, and the scan goes on to the end so every bad row is reported.

    With ``progress`` (a background import) the file is read twice: first only checked,
    outside any transaction, calling ``progress(rows_read)`` every :data:`PROGRESS_EVERY`
    rows so the job page can show it; then, when every row is good, ``saving()`` is called
    and the rows are inserted in one transaction. The database is never held for the time
    the checking takes."""
    path = Path(path)
    if not path.exists():
        raise AnswersError(str(path), [Problem("", "berkas tidak ditemukan")])
    user = entered_by if getattr(entered_by, "is_authenticated", False) else None
    if progress is not None:
        _scan(path, unit, cycle, kind, channel, user, write=False, progress=progress)
        if saving is not None:
            saving()
    before = SurveyResponse.objects.filter(unit=unit, cycle=cycle, kind=kind).count()
    with transaction.atomic():
        total, notes = _scan(path, unit, cycle, kind, channel, user, write=True)
        after = SurveyResponse.objects.filter(unit=unit, cycle=cycle, kind=kind).count()
        created = after - before
        if created:
            record_event(
                actor=user,
                action="survey.responses_imported",
                obj=unit,
                new={"kind": kind, "cycle": cycle.pk, "rows": total, "created": created},
                reason=path.name,
                context=unit,
            )
    return ImportSummary(
        rows=total, created=created, already_there=total - created, notes=tuple(notes)
    )


def _scan(
    path: Path,
    unit: Any,
    cycle: Any,
    kind: str,
    channel: str,
    user: Any,
    *,
    write: bool,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """One pass over the file: every row checked, the good ones inserted in batches when
    ``write`` (until a bad one is found); raises :class:`AnswersError` naming every bad row.
    Returns the respondent rows read and the notes on how the file was read."""
    notes: list[str] = []
    plan, rows = _plan(path, kind, cycle, notes)
    seen: dict[str, int] = {}
    ids: set[str] = set()
    problems: list[Problem] = []
    problem_count = total = read = 0
    batch: list[SurveyResponse] = []
    for number, row in enumerate(rows, start=2):
        if not any(cell not in (None, "") for cell in row):
            continue
        read += 1
        if progress is not None and read % PROGRESS_EVERY == 0:
            progress(read)
        if _declined(row, plan.consent_column):
            continue  # the person declined the survey (ODK/Kobo consent question)
        total += 1
        answers, found = _parse(plan, number, row)
        respondent = _respondent_id(plan, row, answers, seen)
        if plan.id_column is not None:
            if respondent in ids:
                found.append(
                    Problem(
                        f"baris {number}", f"ID responden '{shown(respondent)}' muncul dua kali"
                    )
                )
            ids.add(respondent)
        if found:
            problem_count += len(found)
            problems.extend(found[: max(0, MAX_PROBLEMS_LISTED - len(problems))])
            batch = []
            continue
        if problem_count or not write:
            continue  # already refused, or only checking: keep looking for bad rows
        batch.append(
            SurveyResponse(
                unit=unit,
                cycle=cycle,
                kind=kind,
                respondent_id=respondent,
                answers=answers,
                profile=_profile(plan, row),
                channel=channel,
                entered_by=user,
            )
        )
        if len(batch) >= BATCH:
            SurveyResponse.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
            reset_queries()  # with DEBUG on, Django would keep every batch's SQL
    if progress is not None:
        progress(read)
    if problem_count:
        if problem_count > len(problems):
            problems.append(Problem("", f"dan {problem_count - len(problems)} kesalahan lain"))
        raise AnswersError(str(path), problems)  # leaves the transaction: nothing stays
    if batch:
        SurveyResponse.objects.bulk_create(batch, ignore_conflicts=True)
    return total, notes
