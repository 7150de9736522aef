"""Checks on uploaded evidence files (bukti dukung), in plain Python without Django.

The type is decided from the file's bytes only, never from its name or the browser's claim.
Exactly six types are accepted: PDF, JPEG, PNG, WebP, DOCX and XLSX. Everything else is
refused with a message that says why and what to save the file as instead: markup (HTML, SVG,
XML), scripts and programs because a stored file is later served back to other users; Office
files with macros because a macro is a program; other known types (GIF, PPTX, OpenDocument,
old Office, archives) because the evidence is read and printed with the six.
"""

from __future__ import annotations

import hashlib
import io
import threading
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageFile, ImageOps

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALLOWED_TYPES: dict[str, str] = {
    PDF: "PDF",
    JPEG: "Gambar JPEG",
    PNG: "Gambar PNG",
    WEBP: "Gambar WebP",
    DOCX: "Dokumen Word (DOCX)",
    XLSX: "Lembar kerja Excel (XLSX)",
}
"""The accepted content types and their labels: exactly these six."""
IMAGE_TYPES: frozenset[str] = frozenset(t for t in ALLOWED_TYPES if t.startswith("image/"))

EXTENSIONS: dict[str, str] = {
    PDF: ".pdf",
    JPEG: ".jpg",
    PNG: ".png",
    WEBP: ".webp",
    DOCX: ".docx",
    XLSX: ".xlsx",
}

# Types recognised from their bytes but refused; each has its own message below.
GIF = "image/gif"
BMP = "image/bmp"
TIFF = "image/tiff"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFFICE_MACROS = "application/x-office-macros"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
OPENDOCUMENT = "application/x-opendocument"
OLE_STORAGE = "application/x-ole-storage"
ZIP = "application/zip"
ARCHIVE = "application/x-archive"

REFUSED_TYPES: dict[str, str] = {
    GIF: "Gambar GIF tidak diterima; simpan sebagai PNG atau JPEG.",
    BMP: "Gambar BMP tidak diterima; simpan sebagai PNG atau JPEG.",
    TIFF: "Gambar TIFF tidak diterima; simpan sebagai PNG, JPEG atau PDF.",
    PPTX: "Presentasi PowerPoint (PPTX) tidak diterima; simpan sebagai PDF.",
    OFFICE_MACROS: (
        "Dokumen Office dengan makro (DOCM/XLSM/PPTM) tidak diterima karena makro dapat "
        "menjalankan perintah di komputer pembacanya; simpan tanpa makro sebagai DOCX atau XLSX."
    ),
    ODT: "ODT tidak diterima; simpan sebagai PDF atau DOCX.",
    ODS: "ODS tidak diterima; simpan sebagai XLSX atau PDF.",
    OPENDOCUMENT: "Dokumen OpenDocument (ODP/ODG) tidak diterima; simpan sebagai PDF.",
    OLE_STORAGE: "Dokumen Office lama (DOC/XLS/PPT) tidak diterima; simpan sebagai DOCX, XLSX "
    "atau PDF.",
    ZIP: "Arsip ZIP tidak diterima; unggah isinya satu per satu sebagai PDF, DOCX, XLSX atau "
    "gambar.",
    ARCHIVE: "Arsip (RAR/7z/GZ) tidak diterima; unggah isinya satu per satu sebagai PDF, DOCX, "
    "XLSX atau gambar.",
}
"""Known types that are refused, with what to save them as instead."""

_OLE_REFUSALS = {
    ".doc": "DOC (Word lama) tidak diterima; simpan sebagai DOCX atau PDF.",
    ".xls": "XLS (Excel lama) tidak diterima; simpan sebagai XLSX atau PDF.",
    ".ppt": "PPT (PowerPoint lama) tidak diterima; simpan sebagai PDF.",
}

HEAD_BYTES = 8192
_PILLOW_FLAG_LOCK = threading.Lock()
POLYGLOT_BYTES = 1024
"""How much of the start of an accepted file is searched for markup: the window in which
browsers (older ones above all) sniff a download's real type."""
_CHUNK = 64 * 1024
_MB = 1024 * 1024
_CONTENT_TYPES_LIMIT = 256 * 1024

_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE_STORAGE),
    (b"Rar!\x1a\x07", ARCHIVE),
    (b"7z\xbc\xaf\x27\x1c", ARCHIVE),
    (b"\x1f\x8b", ARCHIVE),
)
_ODF_TYPES = {ODT.encode(): ODT, ODS.encode(): ODS}
_OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))

_PROGRAM_MAGIC = (
    b"MZ",  # Windows/DOS executable
    b"\x7fELF",  # Linux executable
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
)
_SCRIPT_MAGIC = b"#!"  # a script with an interpreter line
_MARKUP_WORDS = (b"<html", b"<svg", b"<script", b"<!doctype", b"<?xml", b"<?php", b"<body")
_POLYGLOT_WORDS = (
    b"<html",
    b"<svg",
    b"<script",
    b"<!doctype html",
    b"<?php",
    b"<body",
    b"<iframe",
)
"""Markup that has no business near the start of a PDF, an image or an Office file
(``<?xml`` is left out: XMP metadata and Office parts are XML)."""

_SECURITY_NOTE = "Berkas HTML, SVG, XML, skrip, dan program tidak diterima demi keamanan."


class EvidenceFileError(ValueError):
    """An uploaded evidence file is refused; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    """An accepted evidence file: its real type, storage extension, size and digest."""

    content_type: str
    extension: str
    size: int
    sha256: str


def identify(
    head: bytes,
    zip_names: Callable[[], list[str]] | None = None,
    zip_content_types: Callable[[], bytes] | None = None,
) -> str | None:
    """The type ``head`` (the file's first bytes) shows, accepted or not, else None.

    The result is a key of :data:`ALLOWED_TYPES` or of :data:`REFUSED_TYPES`. ``zip_names``
    lists a ZIP container's member names and ``zip_content_types`` reads its
    ``[Content_Types].xml``; they are called only for ZIP files.
    """
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[:2] == b"BM" and len(head) >= 26 and head[6:10] == b"\0\0\0\0":
        return BMP  # "BM", the file size, four reserved zero bytes
    if head.startswith(b"PK\x03\x04"):
        return _identify_zip(head, zip_names, zip_content_types)
    return None


def sniff_content_type(
    head: bytes,
    zip_names: Callable[[], list[str]] | None = None,
    zip_content_types: Callable[[], bytes] | None = None,
) -> str | None:
    """The allowed content type that ``head`` shows, else None (see :func:`identify`)."""
    content_type = identify(head, zip_names, zip_content_types)
    return content_type if content_type in ALLOWED_TYPES else None


def _identify_zip(
    head: bytes,
    zip_names: Callable[[], list[str]] | None,
    zip_content_types: Callable[[], bytes] | None,
) -> str | None:
    odf = _odf_mimetype(head)
    if odf is not None:
        return _ODF_TYPES.get(odf, OPENDOCUMENT)
    if zip_names is None:
        return None
    try:
        names = list(zip_names())
    except Exception:  # a broken container is simply not an allowed type
        return None
    if "[Content_Types].xml" not in names:
        return ZIP
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return OFFICE_MACROS  # macro-enabled (DOCM/XLSM/PPTM): scripts are refused
    if zip_content_types is not None:
        try:
            declared = zip_content_types().lower()
        except Exception:
            return None
        if b"macroenabled" in declared:
            return OFFICE_MACROS
    for folder, content_type in _OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return content_type
    return ZIP


def _odf_mimetype(head: bytes) -> bytes | None:
    """The content of a stored first member named ``mimetype`` (the ODF rule), else None."""
    if len(head) < 30 or head[30:38] != b"mimetype":
        return None
    method = int.from_bytes(head[8:10], "little")
    size = int.from_bytes(head[18:22], "little")
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    if method != 0 or name_len != 8 or size > 200:
        return None
    start = 30 + name_len + extra_len
    return head[start : start + size]


def _danger(head: bytes) -> str:
    """What makes the bytes dangerous to serve back (a program, a script, markup), else ''."""
    if head.startswith(_PROGRAM_MAGIC):
        return "Berkas ini adalah program (EXE/ELF/Mach-O)."
    if head.startswith(_SCRIPT_MAGIC):
        return "Berkas ini adalah skrip (diawali #!)."
    text = head[:1024]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    text = text.replace(b"\x00", b"").lstrip().lower()
    if text.startswith(b"<") or any(word in text for word in _MARKUP_WORDS):
        return "Berkas ini berisi kode HTML, SVG atau XML."
    return ""


def _looks_dangerous(head: bytes) -> bool:
    """Whether the bytes look like markup (HTML, SVG, XML), a script or a program."""
    return bool(_danger(head))


def _polyglot(head: bytes) -> bool:
    """Whether an accepted type's first bytes also carry HTML or script (a polyglot file)."""
    text = head[:POLYGLOT_BYTES].lower()
    return any(word in text for word in _POLYGLOT_WORDS)


def _megabytes(n: int) -> str:
    text = f"{n / _MB:.2f}".rstrip("0").rstrip(".")
    if text == "0":
        return f"{max(1, round(n / 1024))} KB"
    return text.replace(".", ",") + " MB"


def _allowed_list() -> str:
    return ", ".join(dict.fromkeys(ALLOWED_TYPES.values()))


def _refused(reason: str) -> EvidenceFileError:
    return EvidenceFileError(f"{reason} Jenis yang diterima: {_allowed_list()}.")


def check_evidence_file(stream: BinaryIO, *, max_bytes: int) -> CheckedFile:
    """Read ``stream`` from the start in chunks and accept it or raise EvidenceFileError.

    The stream must be seekable; it is left at position 0.
    """
    if max_bytes < 1:
        raise ValueError("max_bytes must be positive")
    stream.seek(0)
    try:
        digest = hashlib.sha256()
        head = b""
        size = 0
        while True:
            chunk = stream.read(min(_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            digest.update(chunk)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            if size > max_bytes:
                raise EvidenceFileError(
                    f"Berkas terlalu besar: ukuran maksimum {_megabytes(max_bytes)}."
                )
        if size == 0:
            raise EvidenceFileError("Berkas kosong: tidak ada isinya.")

        content_type = identify(
            head, lambda: _zip_names(stream), lambda: _zip_content_types(stream)
        )
        if content_type not in ALLOWED_TYPES:
            danger = _danger(head)
            if danger:
                raise _refused(f"{danger} {_SECURITY_NOTE}")
            if content_type == OLE_STORAGE:
                raise _refused(
                    _OLE_REFUSALS.get(_ole_extension(stream) or "", REFUSED_TYPES[OLE_STORAGE])
                )
            if content_type in REFUSED_TYPES:
                raise _refused(REFUSED_TYPES[content_type])
            raise _refused("Jenis berkas ini tidak diterima.")
        if _polyglot(head):
            raise _refused(
                f"Berkas ini tampak sebagai {ALLOWED_TYPES[content_type]} tetapi juga berisi "
                f"kode HTML atau skrip (berkas poliglot). {_SECURITY_NOTE}"
            )
        if content_type in IMAGE_TYPES:
            _check_image(stream, content_type)
        return CheckedFile(content_type, EXTENSIONS[content_type], size, digest.hexdigest())
    finally:
        stream.seek(0)


def _zip_names(stream: BinaryIO) -> list[str]:
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        return archive.namelist()


def _zip_content_types(stream: BinaryIO) -> bytes:
    """The start of an Office file's ``[Content_Types].xml`` (where DOCM/XLSM say so)."""
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive, archive.open("[Content_Types].xml") as member:
        return member.read(_CONTENT_TYPES_LIMIT)


@contextmanager
def _strict_pillow() -> Iterator[None]:
    """Pillow with truncated images refused, whatever the process set globally.

    WeasyPrint (the rapor PDF) sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` when imported,
    which would let a cut-off JPEG through the check in any process that has rendered a rapor.
    """
    with _PILLOW_FLAG_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_image(stream: BinaryIO, content_type: str) -> None:
    """Raise EvidenceFileError unless Pillow can open (and, where cheap, decode) the image."""
    label = ALLOWED_TYPES[content_type]
    stream.seek(0)
    try:
        with _strict_pillow(), warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=[_PIL_FORMATS[content_type]])
            if content_type == "image/jpeg":
                image.draft("RGB", (64, 64))  # decodes every block, at 1/8 scale
                image.load()
            else:
                image.verify()
    except Image.DecompressionBombError as exc:
        raise EvidenceFileError(
            f"{label} ini terlalu besar ukuran pikselnya untuk diproses dengan aman."
        ) from exc
    except Exception as exc:  # Pillow raises many kinds for broken data
        raise EvidenceFileError(
            f"{label} ini rusak atau tidak dapat dibuka. Coba simpan ulang atau pindai ulang."
        ) from exc


def _ole_entry(name: str) -> bytes:
    """The start of a compound-file directory entry for a stream called ``name``."""
    raw = (name + "\0").encode("utf-16-le")
    return raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + b"\x02"


_OLE_STREAMS = (
    (_ole_entry("WordDocument"), ".doc"),
    (_ole_entry("Workbook"), ".xls"),
    (_ole_entry("Book"), ".xls"),
    (_ole_entry("PowerPoint Document"), ".ppt"),
)


def _ole_extension(stream: BinaryIO) -> str | None:
    """.doc, .xls or .ppt from the compound file's directory entries, else None."""
    stream.seek(0)
    while True:
        block = _read_exactly(stream, _CHUNK)  # a multiple of 128: entries stay aligned
        for offset in range(0, len(block) - 66, 128):
            for entry, extension in _OLE_STREAMS:
                if block.startswith(entry, offset):
                    return extension
        if len(block) < _CHUNK:
            return None


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def make_thumbnail(stream: BinaryIO, *, max_side: int = 320) -> bytes | None:
    """A JPEG thumbnail of an image (EXIF orientation applied), else None; rewinds ``stream``."""
    try:
        stream.seek(0)
        content_type = sniff_content_type(stream.read(HEAD_BYTES))
        if content_type not in IMAGE_TYPES:
            return None
        stream.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=[_PIL_FORMATS[content_type]])
            image.draft("RGB", (max_side, max_side))
            image = ImageOps.exif_transpose(image)
            image = _flatten(image)
            image.thumbnail((max_side, max_side))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=80, optimize=True)
            return out.getvalue()
    except Exception:  # any failure (corrupt, bomb, odd mode) means no thumbnail
        return None
    finally:
        stream.seek(0)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, with any transparency laid on white."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")
