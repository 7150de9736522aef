"""Hostile survey files for ``patuh survey import`` and the upload on the unit's …/jawaban/
page: random bytes, random cells, files cut short, Windows-1252 and UTF-8-with-BOM text. An
import either stores every row or raises :class:`AnswersError` naming the place, and then the
database holds exactly what it held before: nothing half-written.

Each example runs in its own savepoint, rolled back after it, so examples do not see each
other's rows (the test's own transaction is rolled back by pytest-django as usual)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from patuh.scoring.errors import AnswersError
from patuh.scoring.spreadsheets import CP1252_NOTE
from patuh.surveys.imports import ImportSummary, import_file
from patuh.surveys.models import SurveyResponse

ELEMENTS = [f"U{n}" for n in range(1, 10)]
PERCEPTION = [f"OU-{n}" for n in range(1, 6)]
FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
FOLDER = Path(tempfile.mkdtemp(prefix="patuh-fuzz-import-"))

BAD = st.sampled_from(
    [
        "0",
        "5",
        "²",
        "na",
        "maybe",
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "\x00",
        "9" * 5000,
        "x" * 50_000,
    ]
)
CELLS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(),
    st.text(max_size=12),
    st.sampled_from(["1", "2", "3", "4", "4.0", "ya", "tidak", "Yes", "no", ""]),
    BAD,
)


def _csv(rows: list[list[object]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(
            [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write(name: str, data: bytes) -> Path:
    path = FOLDER / name
    path.write_bytes(data)
    return path


def _attempt(path: Path, unit, cycle, kind: str = "skm") -> ImportSummary | AnswersError:
    """Import ``path`` in a savepoint that is rolled back afterwards; a refusal must leave
    the table exactly as it was."""
    with transaction.atomic():
        before = SurveyResponse.objects.count()
        try:
            outcome: ImportSummary | AnswersError = import_file(path, unit, cycle, kind)
        except AnswersError as error:
            outcome = error
        after = SurveyResponse.objects.count()
        transaction.set_rollback(True)
    if isinstance(outcome, AnswersError):
        assert after == before, "a refused import left rows behind"
        assert outcome.source == str(path)
        assert outcome.problems
        assert all(problem.reason for problem in outcome.problems)
    else:
        assert after - before == outcome.created
    return outcome


@FUZZ
@given(
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".csv", ".xlsx"]),
    kind=st.sampled_from(["skm", "perception"]),
)
@example(data=b"PK\x03\x04" + b"\x00" * 100, suffix=".xlsx", kind="skm")
@example(data=b"\xff\xfeU\x001\x00", suffix=".csv", kind="skm")
def test_random_bytes_are_imported_or_refused_and_nothing_stays(
    langkat_dinkes, cycle_2023, data, suffix, kind
):
    _attempt(_write(f"acak{suffix}", data), langkat_dinkes, cycle_2023, kind)


@FUZZ
@given(
    rows=st.lists(st.lists(CELLS, min_size=9, max_size=12), min_size=1, max_size=6),
    form=st.sampled_from(["csv", "xlsx"]),
    with_id=st.booleans(),
)
def test_random_cells_are_imported_whole_or_refused_naming_the_cell(
    langkat_dinkes, cycle_2023, rows, form, with_id
):
    header = [*ELEMENTS, "service", "age_group", "x"]
    if with_id:
        header = ["respondent_id", *header]
        rows = [[f"r{n % 3}", *row] for n, row in enumerate(rows)]  # ids may repeat
    table = [header, *[["" if cell is None else cell for cell in row] for row in rows]]
    data = _csv(table).encode("utf-8") if form == "csv" else _xlsx(table)
    outcome = _attempt(_write(f"sel.{form}", data), langkat_dinkes, cycle_2023)
    if isinstance(outcome, AnswersError):
        assert len(outcome.message()) < 100_000  # a 50 000-character cell is not echoed whole


@FUZZ
@given(
    answers=st.lists(
        st.lists(
            st.sampled_from(["1", "2", "3", "4", "4", "3", "tidak", "5", ""]),
            min_size=9,
            max_size=9,
        ),
        min_size=1,
        max_size=5,
    )
)
def test_good_rows_are_all_stored_or_the_first_bad_cell_is_named(
    langkat_dinkes, cycle_2023, answers
):
    table = [["respondent_id", *ELEMENTS], *[[f"r{n}", *row] for n, row in enumerate(answers)]]
    path = _write("oracle.csv", _csv(table).encode())
    outcome = _attempt(path, langkat_dinkes, cycle_2023)
    bad = [
        (number, column)
        for number, row in enumerate(answers, start=2)
        for column, cell in enumerate(row)
        if cell not in ("1", "2", "3", "4")
    ]
    if bad:
        number, column = bad[0]
        letter = "BCDEFGHIJ"[column]
        assert isinstance(outcome, AnswersError)
        assert f"baris {number}, kolom {letter} (U{column + 1})" in outcome.message()
    else:
        assert isinstance(outcome, ImportSummary)
        assert outcome.created == len(answers)


VALID_TABLE = [
    ["respondent_id", *ELEMENTS, "service"],
    *[[f"r{n}", *[(n + k) % 4 + 1 for k in range(9)], "Café"] for n in range(40)],
]
VALID_XLSX = _xlsx(VALID_TABLE)
VALID_CSV = _csv(VALID_TABLE).encode("utf-8")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1))
def test_a_truncated_workbook_is_refused_and_nothing_stays(langkat_dinkes, cycle_2023, cut):
    outcome = _attempt(_write("terpotong.xlsx", VALID_XLSX[:cut]), langkat_dinkes, cycle_2023)
    assert isinstance(outcome, AnswersError)


@FUZZ
@given(
    position=st.integers(min_value=0, max_value=len(VALID_XLSX) - 1),
    byte=st.integers(min_value=0, max_value=255),
)
def test_a_damaged_workbook_is_imported_or_refused_and_nothing_stays(
    langkat_dinkes, cycle_2023, position, byte
):
    data = bytearray(VALID_XLSX)
    data[position] = byte
    _attempt(_write("rusak.xlsx", bytes(data)), langkat_dinkes, cycle_2023)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(VALID_CSV)))
def test_a_truncated_csv_is_imported_or_refused_and_nothing_stays(langkat_dinkes, cycle_2023, cut):
    _attempt(_write("terpotong.csv", VALID_CSV[:cut]), langkat_dinkes, cycle_2023)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_windows_1252_and_bom_files_import_with_their_accents(
    langkat_dinkes, cycle_2023, encoding, delimiter
):
    """A CSV saved by Excel on Windows (Windows-1252) or with a byte-order mark imports the
    same as UTF-8: the header is found and "Pendidikan Tinggi – S1" arrives intact."""
    table = [["respondent_id", *ELEMENTS, "service"]]
    table += [[f"w{n}", *[4] * 9, "Pendidikan Tinggi – S1 di Café"] for n in range(3)]
    padding = [["w-pad", *[3] * 9, "x" * 5000]]  # accents only after the first 4 KB
    path = _write("enc.csv", _csv(table[:1] + padding + table[1:], delimiter).encode(encoding))
    summary = import_file(path, langkat_dinkes, cycle_2023, "skm")
    assert summary.created == 4
    assert summary.notes == ((CP1252_NOTE,) if encoding == "cp1252" else ())
    stored = SurveyResponse.objects.get(unit=langkat_dinkes, respondent_id="w1")
    assert stored.profile["service"] == "Pendidikan Tinggi – S1 di Café"


def test_a_late_undecodable_byte_is_refused_naming_the_line_and_nothing_stays(
    langkat_dinkes, cycle_2023
):
    """Found by fuzzing: a byte that is neither UTF-8 nor Windows-1252 after the first 4 KB
    raised UnicodeDecodeError half-way through the import."""
    rows = _csv([["respondent_id", *ELEMENTS], *[[f"z{n}", *[4] * 9] for n in range(400)]])
    path = _write("telat.csv", rows.encode() + b"z-last,4,4,4,4,4,4,4,4,\x81\r\n")
    before = SurveyResponse.objects.count()
    with pytest.raises(AnswersError, match=r"baris 402: berkas bukan teks UTF-8 maupun"):
        import_file(path, langkat_dinkes, cycle_2023, "skm")
    assert SurveyResponse.objects.count() == before


def test_a_refused_import_via_the_command_exits_2_with_the_message(langkat_dinkes, tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(VALID_XLSX[:-200])
    before = SurveyResponse.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command(
            "survey",
            "import",
            str(path),
            "--unit",
            "12.05/dinkes",
            "--cycle",
            "2023",
            stdout=io.StringIO(),
        )
    assert raised.value.returncode == 2
    assert "bukan berkas Excel (.xlsx) yang sah" in str(raised.value)
    assert SurveyResponse.objects.count() == before


def test_nul_characters_never_reach_the_database(langkat_dinkes, cycle_2023):
    """PostgreSQL refuses a NUL in text: ids and profile cells are stored without one."""
    table = [["respondent_id", *ELEMENTS, "service"], ["a\x00b", *[4] * 9, "Pus\x00kesmas"]]
    import_file(_write("nul.csv", _csv(table).encode()), langkat_dinkes, cycle_2023, "skm")
    stored = SurveyResponse.objects.get(unit=langkat_dinkes, respondent_id="ab")
    assert stored.profile == {"service": "Puskesmas"}


@settings(FUZZ, max_examples=15)
@given(
    data=st.one_of(
        st.binary(max_size=800),
        st.just(VALID_XLSX[:-100]),
        st.just(_csv([["respondent_id", *ELEMENTS], ["u", *["=1+1"] * 9]]).encode("cp1252")),
    ),
    suffix=st.sampled_from([".csv", ".xlsx"]),
)
def test_the_upload_on_the_responses_page_never_fails_and_keeps_nothing_on_refusal(
    login, operator, langkat_dinkes, data, suffix
):
    """The web upload answers with a redirect and a message (never a server error), and a
    refused file leaves no response behind."""
    client = login(operator)
    url = "/survei/12.05/dinkes/jawaban/"
    with transaction.atomic():
        before = SurveyResponse.objects.count()
        response = client.post(
            url, {"file": SimpleUploadedFile(f"jawaban{suffix}", data), "kind": "skm"}, follow=True
        )
        after = SurveyResponse.objects.count()
        transaction.set_rollback(True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tidak ada yang diimpor" in text or "jawaban baru" in text
    if "Tidak ada yang diimpor" in text:
        assert after == before
