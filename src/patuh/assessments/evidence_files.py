"""Checks on uploaded evidence files (bukti dukung), in plain Python without Django.

The type is decided from the file's bytes only, never from its name or the browser's claim.
Only documents and pictures are accepted; markup (HTML, SVG, XML), scripts and programs are
refused, because a stored file is later served back to other users.
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from PIL import Image, ImageOps

OLE_STORAGE = "application/x-ole-storage"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"

ALLOWED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "Gambar JPEG",
    "image/png": "Gambar PNG",
    "image/webp": "Gambar WebP",
    "image/gif": "Gambar GIF",
    DOCX: "Dokumen Word (DOCX)",
    XLSX: "Lembar kerja Excel (XLSX)",
    PPTX: "Presentasi PowerPoint (PPTX)",
    ODT: "Dokumen OpenDocument (ODT)",
    ODS: "Lembar kerja OpenDocument (ODS)",
    OLE_STORAGE: "Dokumen Office lama (DOC/XLS/PPT)",
}
IMAGE_TYPES: frozenset[str] = frozenset(t for t in ALLOWED_TYPES if t.startswith("image/"))

EXTENSIONS: dict[str, str] = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "image/gif": ".gif",
    DOCX: ".docx",
    XLSX: ".xlsx",
    PPTX: ".pptx",
    ODT: ".odt",
    ODS: ".ods",
    OLE_STORAGE: ".ole",  # refined to .doc/.xls/.ppt by check_evidence_file when it can tell
}

HEAD_BYTES = 8192
_CHUNK = 64 * 1024
_MB = 1024 * 1024

_PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE_STORAGE),
)
_ODF_TYPES = {ODT.encode(), ODS.encode()}
_OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))

_PROGRAM_MAGIC = (
    b"MZ",  # Windows/DOS executable
    b"\x7fELF",  # Linux executable
    b"\xfe\xed\xfa\xce",  # Mach-O
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",  # Mach-O universal, Java class
    b"#!",  # script with an interpreter line
)
_MARKUP_WORDS = (b"<html", b"<svg", b"<script", b"<!doctype", b"<?xml", b"<?php", b"<body")


class EvidenceFileError(ValueError):
    """An uploaded evidence file is refused; the message is for the user."""


@dataclass(frozen=True)
class CheckedFile:
    """An accepted evidence file: its real type, storage extension, size and digest."""

    content_type: str
    extension: str
    size: int
    sha256: str


def sniff_content_type(head: bytes, zip_names: Callable[[], list[str]] | None = None) -> str | None:
    """The allowed content type that ``head`` (the file's first bytes) shows, else None.

    ``zip_names`` lists a ZIP container's member names; it is called only for ZIP files.
    """
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(head, zip_names)
    return None


def _sniff_zip(head: bytes, zip_names: Callable[[], list[str]] | None) -> str | None:
    odf = _odf_mimetype(head)
    if odf is not None:
        return odf.decode() if odf in _ODF_TYPES else None
    if zip_names is None:
        return None
    try:
        names = list(zip_names())
    except Exception:  # a broken container is simply not an allowed type
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return None  # macro-enabled (DOCM/XLSM/PPTM): scripts are refused
    for folder, content_type in _OOXML_FOLDERS:
        if any(name.startswith(folder) for name in names):
            return content_type
    return None


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


def _looks_dangerous(head: bytes) -> bool:
    """Whether the bytes look like markup (HTML, SVG, XML), a script or a program."""
    if head.startswith(_PROGRAM_MAGIC):
        return True
    text = head[:1024]
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if text.startswith(bom):
            text = text[len(bom) :]
            break
    text = text.replace(b"\x00", b"").lstrip().lower()
    return text.startswith(b"<") or any(word in text for word in _MARKUP_WORDS)


def _megabytes(n: int) -> str:
    text = f"{n / _MB:.2f}".rstrip("0").rstrip(".")
    if text == "0":
        return f"{max(1, round(n / 1024))} KB"
    return text.replace(".", ",") + " MB"


def _allowed_list() -> str:
    return ", ".join(dict.fromkeys(ALLOWED_TYPES.values()))


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

        content_type = sniff_content_type(head, lambda: _zip_names(stream))
        if content_type is None:
            reason = (
                "Berkas HTML, SVG, XML, skrip, dan program tidak diterima demi keamanan. "
                if _looks_dangerous(head)
                else "Jenis berkas ini tidak diterima. "
            )
            raise EvidenceFileError(f"{reason}Jenis yang diterima: {_allowed_list()}.")
        if content_type in IMAGE_TYPES:
            _check_image(stream, content_type)
        extension = EXTENSIONS[content_type]
        if content_type == OLE_STORAGE:
            extension = _ole_extension(stream) or extension
        return CheckedFile(content_type, extension, size, digest.hexdigest())
    finally:
        stream.seek(0)


def _zip_names(stream: BinaryIO) -> list[str]:
    stream.seek(0)
    with zipfile.ZipFile(stream) as archive:
        return archive.namelist()


def _check_image(stream: BinaryIO, content_type: str) -> None:
    """Raise EvidenceFileError unless Pillow can open (and, where cheap, decode) the image."""
    label = ALLOWED_TYPES[content_type]
    stream.seek(0)
    try:
        with warnings.catch_warnings():
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
