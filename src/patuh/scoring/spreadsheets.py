"""Spreadsheets in and out, safely: what every CSV and XLSX reader and writer must get right.

Reading (hostile or damaged files):

- whatever a broken, truncated or crafted file makes openpyxl, ``zipfile``, ``zlib`` or the
  XML parser raise becomes the reader's own error (a
  :class:`~patuh.scoring.errors.ScoringError` subclass, passed in as ``error``) naming the
  place (sheet and row) with a message for a person — never a traceback;
- a file larger than :data:`MAX_FILE_BYTES`, or an archive that would unpack to more than
  :data:`MAX_UNPACKED_BYTES` or far more than its size (a "zip bomb"), is refused unread;
- CSV text is UTF-8, with or without a byte-order mark; a file that is not UTF-8 is read as
  Windows-1252 (what Excel on Windows saves as "CSV") with a note; one that is neither (or
  mixes both) is refused naming its line.

Writing: :func:`safe_cell` neutralises text a spreadsheet would run as a formula
(``=cmd|' /C calc'!A0``, ``@SUM(1+1)``, ``+1+1``, ``-2+3``) by a leading apostrophe and drops
the control characters XLSX cannot hold; every CSV/XLSX writer in Patuh passes its cells
through it, and the readers of Patuh's own workbooks undo it with :func:`unescape_cell`.

No Django here: the scoring core and the web apps share this module.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from .errors import Problem, ScoringError

FORMULA_TRIGGERS = ("=", "+", "-", "@")
"""A cell whose text starts with one of these (after any blanks) is a formula to a spreadsheet;
so is one starting with a tab or a carriage return."""
ESCAPE = "'"

MAX_FILE_BYTES = 512 * 1024 * 1024
"""A CSV or XLSX table (a survey of a million respondents is ~30 MB of CSV)."""
MAX_TEXT_FILE_BYTES = 16 * 1024 * 1024
"""A JSON answers file or a YAML instrument (real ones are a few hundred kilobytes)."""
MAX_UNPACKED_BYTES = 2 * 1024 * 1024 * 1024
"""Everything inside one XLSX or ZIP, unpacked."""
MAX_UNPACK_RATIO = 250
"""Unpacked size over packed size of one large member; sheets of identical rows reach ~20,
a zip bomb ~1000."""
_RATIO_FROM_BYTES = 8 * 1024 * 1024

_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]|[\ud800-\udfff]")
"""Control characters (other than tab, line feed, carriage return) and lone surrogates:
XML 1.0, so XLSX, cannot hold them."""
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SHOWN_CHARS = 60

ErrorType = type[ScoringError]


# -- writing -----------------------------------------------------------------------------


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell that is never evaluated: text that would be read as a
    formula gets a leading apostrophe and characters XLSX cannot hold are dropped. Numbers,
    dates, booleans and ``None`` are returned as they are (a negative *number* is no formula)."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL_XLSX.sub("", value)
    return ESCAPE + text if _formula_like(text) else text


def _formula_like(text: str) -> bool:
    """Whether a spreadsheet would run ``text``, or :func:`unescape_cell` would take its
    leading apostrophe for ours (``'=A1`` is kept as ``''=A1``, so it reads back unchanged)."""
    core = text.lstrip(ESCAPE)
    return core[:1] in ("\t", "\r") or core.lstrip()[:1] in FORMULA_TRIGGERS


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def unescape_cell(value: Any) -> Any:
    """The text :func:`safe_cell` was given, read back from one of Patuh's own workbooks:
    ``'=A1`` → ``=A1``; an apostrophe that :func:`safe_cell` would not have added stays."""
    if isinstance(value, str) and value.startswith(ESCAPE):
        rest = value[len(ESCAPE) :]
        if safe_cell(rest) == value:
            return rest
    return value


def shown(value: Any, limit: int = _SHOWN_CHARS) -> str:
    """A cell quoted in a message: at most ``limit`` characters, control characters escaped."""
    text = (value if isinstance(value, str) else str(value))[: limit * 2]
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


BAD_TEXT_REASON = "teks berisi karakter kendali atau karakter yang tidak sah (\\u0000, \\ud800 …)"


def bad_text_at(raw: Any) -> str | None:
    """Where parsed JSON or YAML holds text no file, terminal or database can hold: a lone
    surrogate (``"\\ud800"``) or a control character (``"\\u0001"``); ``None`` if nowhere.
    Refused on reading, such text would otherwise fail far from the file, when printed or
    saved."""
    stack: list[tuple[str, Any]] = [("", raw)]
    seen: set[int] = set()  # YAML aliases may share a node, or make one contain itself
    while stack:
        where, value = stack.pop()
        if isinstance(value, Mapping | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, str):
            if _ILLEGAL_XLSX.search(value):
                return where or "(isi berkas)"
        elif isinstance(value, Mapping):
            for key, item in value.items():
                place = f"{where}.{key}" if where else str(key)
                if isinstance(key, str) and _ILLEGAL_XLSX.search(key):
                    return shown(place, 120)
                stack.append((place, item))
        elif isinstance(value, list):
            stack.extend((f"{where}[{index}]", item) for index, item in enumerate(value))
    return None


# -- sizes -------------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size} byte"


def check_size(path: Path, error: ErrorType, limit: int | None = None) -> None:
    """Refuse a file larger than ``limit`` (:data:`MAX_FILE_BYTES`) before reading it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except OSError as exc:
        reason = f"berkas tidak dapat dibaca: {exc.strerror}"
        raise error(str(path), [Problem("", reason)]) from None
    if not path.is_file():
        raise error(str(path), [Problem("", "bukan berkas biasa (sebuah folder?)")])
    if size > limit:
        raise error(
            str(path),
            [
                Problem(
                    "",
                    f"berkas terlalu besar ({_megabytes(size)}; paling besar "
                    f"{_megabytes(limit)}); bagi menjadi beberapa berkas",
                )
            ],
        )


def check_archive(archive: zipfile.ZipFile, source: str, error: ErrorType) -> None:
    """Refuse an archive that would unpack to too much: a zip bomb never gets unpacked."""
    total = 0
    for member in archive.infolist():
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FROM_BYTES and ratio > MAX_UNPACK_RATIO:
            raise error(
                source,
                [
                    Problem(
                        member.filename,
                        f"isi terkompresi tidak wajar ({_megabytes(member.file_size)} dari "
                        f"{_megabytes(member.compress_size)}); berkas ditolak",
                    )
                ],
            )
    if total > MAX_UNPACKED_BYTES:
        raise error(
            source,
            [
                Problem(
                    "",
                    f"isi berkas terlalu besar setelah dibuka ({_megabytes(total)}; paling "
                    f"besar {_megabytes(MAX_UNPACKED_BYTES)})",
                )
            ],
        )


def utf8_text(data: bytes, source: str, error: ErrorType) -> str:
    """``data`` as UTF-8 text (a byte-order mark is skipped); ``error`` names the first line
    that is not UTF-8 (a file saved as Windows-1252)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(
            source,
            [
                Problem(
                    f"baris {line}",
                    f"berkas bukan teks UTF-8 (byte 0x{data[exc.start : exc.start + 1].hex()}); "
                    "simpan ulang dengan pengodean UTF-8",
                )
            ],
        ) from None


# -- XLSX --------------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return shown(f"{type(exc).__name__}: {text}" if text else type(exc).__name__, 120)


def open_xlsx(path: Path, error: ErrorType) -> Any:
    """An openpyxl workbook in read-only mode, or ``error`` saying why the file is not one."""
    import openpyxl

    source = str(path)
    check_size(path, error)
    try:
        with zipfile.ZipFile(path) as archive:
            check_archive(archive, source, error)
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ScoringError:
        raise
    except Exception as exc:  # openpyxl, zipfile, zlib and XML parsers raise many kinds
        raise error(
            source,
            [
                Problem(
                    "",
                    "bukan berkas Excel (.xlsx) yang sah, atau berkasnya rusak atau terpotong "
                    f"({_reason(exc)})",
                )
            ],
        ) from None


def sheet_rows(sheet: Any, source: str, error: ErrorType, **options: Any) -> Iterator[tuple]:
    """``sheet.iter_rows(values_only=True, **options)``, where a damaged sheet (cut short, bad
    XML, a bad CRC) raises ``error`` naming the sheet and the last row read."""
    title = getattr(sheet, "title", "?")
    if not hasattr(sheet, "iter_rows"):
        raise error(source, [Problem(f"lembar '{title}'", "bukan lembar berisi tabel")])
    read = 0
    rows = sheet.iter_rows(values_only=True, **options)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:
            where = f"lembar '{title}'" + (f", setelah baris {read}" if read else "")
            raise error(
                source,
                [Problem(where, f"isi lembar rusak atau terpotong ({_reason(exc)})")],
            ) from None
        read += 1
        yield row


def worksheets(workbook: Any) -> list[Any]:
    """The sheets holding tables (a chart sheet has no rows)."""
    return [sheet for sheet in workbook.worksheets if hasattr(sheet, "iter_rows")]


# -- CSV ---------------------------------------------------------------------------------

CP1252_NOTE = (
    "berkas bukan UTF-8 dan dibaca sebagai Windows-1252 (CSV dari Excel di Windows); "
    "periksa huruf seperti é atau –"
)


def csv_encoding(lines: Iterable[bytes], source: str, error: ErrorType, where: str = "") -> str:
    """``"utf-8-sig"`` when every line is UTF-8 (a byte-order mark is skipped), else
    ``"cp1252"``; ``error`` names the first line that is neither, or a file mixing both."""
    prefix = f"{where}, " if where else ""
    first_bad = first_utf8 = None
    cp1252_bad = None
    for number, line in enumerate(lines, start=1):
        if number == 1 and line.startswith(_UTF16_BOMS):
            raise error(
                source,
                [
                    Problem(
                        f"{prefix}baris 1",
                        "berkas berformat UTF-16 ('Unicode Text'); simpan sebagai CSV UTF-8",
                    )
                ],
            )
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            first_bad = first_bad or number
            if cp1252_bad is None:
                try:
                    line.decode("cp1252")
                except UnicodeDecodeError as exc:
                    cp1252_bad = (number, line[exc.start : exc.start + 1])
        else:
            first_utf8 = first_utf8 or number  # a byte-order mark says UTF-8 too
    if first_bad is None:
        return "utf-8-sig"
    if cp1252_bad is not None:
        number, byte = cp1252_bad
        raise error(
            source,
            [
                Problem(
                    f"{prefix}baris {number}",
                    f"berkas bukan teks UTF-8 maupun Windows-1252 (byte 0x{byte.hex()}); "
                    "simpan ulang sebagai CSV UTF-8",
                )
            ],
        )
    if first_utf8 is not None:
        raise error(
            source,
            [
                Problem(
                    f"{prefix}baris {first_bad}",
                    f"berkas mencampur UTF-8 (baris {first_utf8}) dan pengodean lain; "
                    "simpan ulang sebagai CSV UTF-8",
                )
            ],
        )
    return "cp1252"


def _delimiter(head: bytes, encoding: str) -> str:
    """``;`` when the start of the file has more of them than commas (Excel in a locale
    whose decimal mark is a comma), else ``,``."""
    sample = head.decode(encoding, errors="replace")
    return ";" if sample.count(";") > sample.count(",") else ","


def _csv_reader(
    handle: IO[str], delimiter: str, source: str, error: ErrorType, where: str
) -> Iterator[list[str]]:
    prefix = f"{where}, " if where else ""
    reader = csv.reader(handle, delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            reason = (
                f"sel lebih dari {csv.field_size_limit()} karakter"
                if "field larger" in str(exc)
                else f"baris CSV tidak dapat dibaca ({shown(str(exc))})"
            )
            raise error(source, [Problem(f"{prefix}baris {reader.line_num}", reason)]) from None
        yield row


def csv_rows(path: Path, error: ErrorType, notes: list[str] | None = None) -> Iterator[list[str]]:
    """The rows of a CSV file, read one at a time (``,`` or ``;`` separated)."""
    source = str(path)
    check_size(path, error)
    with path.open("rb") as raw:
        encoding = csv_encoding(raw, source, error)
        raw.seek(0)
        delimiter = _delimiter(raw.read(4096), encoding)
    if encoding != "utf-8-sig" and notes is not None:
        notes.append(CP1252_NOTE)
    with path.open(encoding=encoding, newline="") as handle:
        yield from _csv_reader(handle, delimiter, source, error, "")


def csv_rows_from_bytes(
    data: bytes, source: str, error: ErrorType, where: str, notes: list[str] | None = None
) -> list[list[str]]:
    """All rows of a CSV held in memory (a member of a ZIP); ``where`` names it."""
    encoding = csv_encoding(io.BytesIO(data), source, error, where)
    if encoding != "utf-8-sig" and notes is not None:
        notes.append(f"{where}: {CP1252_NOTE}")
    delimiter = _delimiter(data[:4096], encoding)
    text = io.StringIO(data.decode(encoding), newline="")
    return list(_csv_reader(text, delimiter, source, error, where))
