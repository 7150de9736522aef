"""Hostile visit-checklist exports for ``patuh checklist import``: a KoboToolbox XLSX or an ODK
Central ZIP of CSV files (and ``media/``), as random bytes, with random cells, cut short,
damaged, in Windows-1252, or with odd members. The import either records everything or
raises :class:`AnswersError` naming the place, and then nothing stays: no answer, no
evidence, no audit event, no position, and no photo file left in storage.

Each example runs in its own savepoint, rolled back after it."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from PIL import Image

from patuh.assessments.checklist_import import ChecklistImport, import_checklist
from patuh.assessments.models import Answer, Assessment, AssessmentStatus, Evidence, Respondent
from patuh.core.models import AuditEvent
from patuh.fieldforms.xlsform import checklist_fields
from patuh.scoring import load_instrument
from patuh.scoring.errors import AnswersError

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-checklist-"))
INSTRUMENT = "opini-2025"
"""The instrument of the demo's cycle in progress, whose assessment the exports fill."""
REPEATS = (
    ("rep_implementers", 4, ["implementer_position"]),
    ("rep_complaint_officials", 2, ["complaint_official_position"]),
    ("rep_service_users", 3, []),
    ("rep_products", 2, ["product_name"]),
)
CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=10),
    st.sampled_from(
        ["na", "3", "3.0", "²", "9" * 5000, "yes", "=cmd|' /C calc'!A0", "papan.jpg", "../x", ""]
    ),
)


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


PHOTO = _photo()


def _tables(instrument_code: str, positions: tuple[str, ...] = ()) -> dict[str, list[list]]:
    """The tables of one submission of ``patuh xlsform checklist`` (as KoboToolbox names
    them), every answer valid."""
    instrument = load_instrument(instrument_code)
    refs = checklist_fields(instrument, "dinkes")
    dimension = instrument.dimensions[0]
    photo = f"photo_{dimension.code}_{dimension.variables[-1].code}"
    top = [ref for ref in refs if ref.repeat is None]
    tables = {
        "patuh_checklist": [
            [
                "start",
                "unit_code",
                *[f"dim_x/{ref.field}" for ref in top],
                f"dim_x/{photo}",
                "_index",
            ],
            ["2026-11-24", "dinkes", *["2" for _ in top], "papan.jpg", 1],
        ]
    }
    for repeat, count, extra in REPEATS:
        fields = [ref for ref in refs if ref.repeat == repeat]
        rows = [[*extra, *[ref.field for ref in fields], "_parent_index"]]
        for number in range(count):
            cells = [positions[number % len(positions)] if positions else f"Jabatan {number + 1}"]
            cells = cells if extra else []
            cells += ["no" if ref.answer == "yes_no" else "3" for ref in fields]
            rows.append([*cells, 1])
        tables[repeat] = rows
    return tables


def _kobo_bytes(tables: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in tables.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(
                [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _odk_bytes(tables: dict[str, list[list]], encoding: str = "utf-8", media: bool = True) -> bytes:
    """ODK Central's ZIP: KEY/PARENT_KEY, group paths joined with "-", photos in media/."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for title, rows in tables.items():
            header = [str(h).replace("dim_x/", "dim_x-") for h in rows[0]]
            body = [list(row) + [None] * (len(header) - len(row)) for row in rows[1:]]
            link = "KEY" if title == "patuh_checklist" else "PARENT_KEY"
            header = [link if h in ("_index", "_parent_index") else h for h in header]
            for row in body:
                if link in header:
                    row[header.index(link)] = "uuid:abc"
            name = "patuh_checklist.csv" if link == "KEY" else f"patuh_checklist-{title}.csv"
            text = io.StringIO()
            csv.writer(text).writerows([header, *body])
            archive.writestr(name, text.getvalue().encode(encoding))
        if media:
            archive.writestr("media/papan.jpg", PHOTO)
    return out.getvalue()


@pytest.fixture
def official(cycle_current, langkat_dinkes, settings):
    settings.MEDIA_ROOT = FOLDER / "media"
    return Assessment.objects.get(cycle=cycle_current, service_unit=langkat_dinkes, kind="official")


def _state(assessment) -> tuple:
    media = FOLDER / "media"
    files = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return (
        Answer.objects.filter(assessment=assessment).count(),
        Evidence.objects.filter(assessment=assessment).count(),
        AuditEvent.objects.count(),
        sorted(Respondent.objects.filter(assessment=assessment).values_list("pk", "title")),
        files,
    )


def _attempt(path: Path, assessment, media: Path | None = None) -> ChecklistImport | AnswersError:
    """Import in a savepoint rolled back afterwards; a refusal must change nothing at all.
    Stored photo files of a successful example are removed with the rollback's rows."""
    with transaction.atomic():
        before = _state(assessment)
        try:
            outcome: ChecklistImport | AnswersError = import_checklist(
                path, assessment, actor=None, media=media
            )
        except AnswersError as error:
            outcome = error
        after = _state(assessment)
        if not isinstance(outcome, AnswersError):
            for evidence in Evidence.objects.filter(assessment=assessment):
                for stored in (evidence.file, evidence.thumbnail):
                    if stored:
                        stored.storage.delete(stored.name)
        transaction.set_rollback(True)
    if isinstance(outcome, AnswersError):
        assert after == before, "a refused import left something behind"
        assert outcome.source == str(path)
        assert outcome.problems
        assert all(problem.reason for problem in outcome.problems)
    return outcome


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


@FUZZ
@given(data=st.binary(max_size=1500), suffix=st.sampled_from([".xlsx", ".zip"]))
@example(data=b"PK\x05\x06" + b"\x00" * 18, suffix=".zip")
@example(data=b"PK\x03\x04" + b"\x00" * 40, suffix=".xlsx")
def test_random_bytes_are_refused_and_nothing_stays(official, data, suffix):
    _attempt(_write(f"acak{suffix}", data), official)


@settings(FUZZ, max_examples=12)
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(["patuh_checklist", *[r[0] for r in REPEATS]]),
            st.integers(0, 4),
            st.integers(0, 60),
            CELLS,
        ),
        min_size=1,
        max_size=5,
    ),
    form=st.sampled_from(["xlsx", "zip"]),
)
def test_an_export_with_random_cells_is_imported_or_refused_naming_the_cell(official, edits, form):
    tables = _tables(official.cycle.instrument_code)
    for title, row, column, value in edits:
        rows = tables[title]
        while len(rows) <= row:
            rows.append([])
        while len(rows[row]) <= column:
            rows[row].append(None)
        rows[row][column] = value
    data = _kobo_bytes(tables) if form == "xlsx" else _odk_bytes(tables)
    _attempt(_write(f"sel.{form}", data), official, media=FOLDER / "lampiran")


@pytest.fixture(scope="module")
def valid_exports() -> dict[str, bytes]:
    tables = _tables(INSTRUMENT)
    return {"xlsx": _kobo_bytes(tables), "zip": _odk_bytes(tables)}


@FUZZ
@given(cut=st.integers(min_value=0, max_value=10**6), form=st.sampled_from(["xlsx", "zip"]))
def test_a_truncated_export_is_refused_and_nothing_stays(official, valid_exports, cut, form):
    data = valid_exports[form]
    outcome = _attempt(_write(f"terpotong.{form}", data[: cut % len(data)]), official)
    assert isinstance(outcome, AnswersError)


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=10**6),
    byte=st.integers(min_value=0, max_value=255),
    form=st.sampled_from(["xlsx", "zip"]),
)
def test_a_damaged_export_is_imported_or_refused_and_nothing_stays(
    official, valid_exports, position, byte, form
):
    data = bytearray(valid_exports[form])
    data[position % len(data)] = byte
    _attempt(_write(f"rusak.{form}", bytes(data)), official)


def test_the_instrument_of_the_fixture_cycle_is_the_one_the_exports_use(official):
    assert official.cycle.instrument_code == INSTRUMENT


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_an_odk_zip_in_windows_1252_or_with_a_bom_imports_its_accents(official, encoding):
    tables = _tables(INSTRUMENT, positions=("Kepala Seksi – Pelayanan", "Staf Café"))
    path = _write("odk.zip", _odk_bytes(tables, encoding))
    outcome = _attempt(path, official)
    assert isinstance(outcome, ChecklistImport), outcome
    assert outcome.photos == 1


def test_positions_in_windows_1252_arrive_intact(official, settings):
    tables = _tables(INSTRUMENT, positions=("Kepala Seksi – Pelayanan",))
    import_checklist(_write("odk.zip", _odk_bytes(tables, "cp1252")), official, actor=None)
    titles = set(official.respondents.filter(group="implementers").values_list("title", flat=True))
    assert titles == {"Kepala Seksi – Pelayanan"}
    for evidence in Evidence.objects.filter(assessment=official):
        evidence.file.storage.delete(evidence.file.name)
        if evidence.thumbnail:
            evidence.thumbnail.storage.delete(evidence.thumbnail.name)


def _only_repeats() -> dict[str, list[list]]:
    return {k: v for k, v in _tables(INSTRUMENT).items() if k.startswith("rep_")}


def _with_main_cell(field: str, value: str) -> dict[str, list[list]]:
    tables = _tables(INSTRUMENT)
    header = tables["patuh_checklist"][0]
    tables["patuh_checklist"][1][header.index(f"dim_x/{field}")] = value
    return tables


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("repeats.xlsx", lambda: _kobo_bytes(_only_repeats()), "lembar kiriman tidak ada"),
        ("pangkat.xlsx", lambda: _kobo_bytes(_with_main_cell("ind_IN_S1", "²")), "'²' bukan"),
        ("digit.xlsx", lambda: _kobo_bytes(_with_main_cell("ind_IN_S1", "9" * 5000)), "bukan"),
        ("utf16.zip", lambda: _odk_bytes(_tables(INSTRUMENT), "utf-16"), "UTF-16"),
    ],
)
def test_inputs_that_used_to_escape_as_exceptions_are_refused_with_a_message(
    official, name, data, reason
):
    """Found by fuzzing: a workbook of repeat sheets only (StopIteration), a level written
    "²" or with 5000 digits (ValueError from int()), a CSV that is not UTF-8."""
    outcome = _attempt(_write(name, data()), official)
    assert isinstance(outcome, AnswersError)
    assert reason in outcome.message()


def test_a_media_member_named_dot_dot_is_ignored_not_written_outside(official):
    tables = _tables(INSTRUMENT)
    data = io.BytesIO(_odk_bytes(tables))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr("media/..", b"x")
        archive.writestr("media/../../luar.jpg", PHOTO)
    outcome = _attempt(_write("titik.zip", data.getvalue()), official)
    assert isinstance(outcome, ChecklistImport)
    assert not (FOLDER / "luar.jpg").exists()


def test_file_names_too_long_for_the_file_system_are_named_not_raised(official):
    """Found by fuzzing: a photo cell or a media/ member named with 300 letters made
    ``Path.is_file`` / ``write_bytes`` raise OSError (File name too long)."""
    long_name = "f" * 300 + ".jpg"
    outcome = _attempt(_write("nama.xlsx", _kobo_bytes(_with_photo(long_name))), official)
    assert isinstance(outcome, AnswersError)
    assert "tidak ada di folder media" in outcome.message()
    data = io.BytesIO(_odk_bytes(_tables(INSTRUMENT)))
    with zipfile.ZipFile(data, "a") as archive:
        archive.writestr(f"media/{long_name}", PHOTO)
    outcome = _attempt(_write("nama.zip", data.getvalue()), official)
    assert isinstance(outcome, AnswersError)
    assert "foto tidak dapat dibuka (File name too long)" in outcome.message()


def _with_photo(filename: str) -> dict[str, list[list]]:
    tables = _tables(INSTRUMENT)
    tables["patuh_checklist"][1][-2] = filename  # the photo column, before _index
    return tables


def test_a_damaged_media_member_is_named(official):
    data = bytearray(_odk_bytes(_tables(INSTRUMENT)))
    start = data.index(PHOTO[:64])
    data[start + 100] ^= 0xFF  # stored uncompressed: the CRC no longer matches
    outcome = _attempt(_write("foto-rusak.zip", bytes(data)), official)
    assert isinstance(outcome, AnswersError)
    assert "media/papan.jpg: isi ZIP rusak" in outcome.message()


def test_a_refused_import_removes_the_photos_it_had_already_stored(official):
    """A second photo missing from media/ refuses the import after the first was copied to
    storage: the copy is deleted with the rolled-back rows."""
    tables = _tables(INSTRUMENT)
    instrument = load_instrument(INSTRUMENT)
    second = instrument.dimensions[1]
    column = f"dim_x/photo_{second.code}_{second.variables[0].code}".replace("-", "_")
    tables["patuh_checklist"][0].append(column)
    tables["patuh_checklist"][1].append("tidak-ada.jpg")
    outcome = _attempt(_write("satu-foto.zip", _odk_bytes(tables)), official)
    assert isinstance(outcome, AnswersError)
    assert "foto 'tidak-ada.jpg' tidak ada di folder media" in outcome.message()


def test_positions_on_a_submitted_assessment_are_refused_not_raised(official):
    """Found by fuzzing: renaming a respondent of a locked assessment raised ValidationError
    out of the import (the answers' own refusals were collected, the positions' were not)."""
    Assessment.objects.filter(pk=official.pk).update(status=AssessmentStatus.SUBMITTED)
    tables = _tables(INSTRUMENT, positions=("Jabatan baru",))
    outcome = _attempt(_write("terkunci.xlsx", _kobo_bytes(tables)), official)
    assert isinstance(outcome, AnswersError)
    assert "lembar rep_implementers, baris 2" in outcome.message()


def test_the_command_exits_2_with_the_message(official):
    path = _write("terpotong.zip", _odk_bytes(_tables(INSTRUMENT))[:300])
    with pytest.raises(CommandError) as raised:
        call_command(
            "checklist",
            "import",
            str(path),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            str(official.cycle.year),
        )
    assert raised.value.returncode == 2
    assert "bukan berkas ZIP" in str(raised.value)


def test_a_missing_zip_is_refused_with_a_message(official):
    with pytest.raises(AnswersError, match="tidak dapat dibaca"):
        import_checklist(FOLDER / "tidak-ada.zip", official, actor=None)
