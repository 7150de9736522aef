"""Evidence uploads: the type comes from the bytes; exactly PDF, JPEG, PNG, WebP, DOCX and
XLSX pass, everything else is refused with a message that says why."""

from __future__ import annotations

import ast
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from PIL import Image, ImageFile

import patuh.assessments
from patuh.assessments.evidence_files import (
    ALLOWED_TYPES,
    IMAGE_TYPES,
    REFUSED_TYPES,
    CheckedFile,
    EvidenceFileError,
    check_evidence_file,
    identify,
    make_thumbnail,
    sniff_content_type,
)

MB = 1024 * 1024
LIMIT = 5 * MB
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
OLE = "application/x-ole-storage"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --- building files in memory ------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB", **save) -> bytes:
    image = Image.new(mode, size, "red" if mode != "P" else 1)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], *, odf_mimetype: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if odf_mimetype is not None:
            archive.writestr("mimetype", odf_mimetype, compress_type=zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ooxml(folder: str, main: str) -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types/>',
            "_rels/.rels": b'<?xml version="1.0"?><Relationships/>',
            f"{folder}/{main}": b'<?xml version="1.0"?><root/>',
        }
    )


def odf(mimetype: str) -> bytes:
    return zip_bytes(
        {"content.xml": b"<office:document-content/>", "META-INF/manifest.xml": b"<m/>"},
        odf_mimetype=mimetype,
    )


def ole_entry(name: str) -> bytes:
    """A compound-file directory entry for a stream, as Office writes it."""
    raw = (name + "\0").encode("utf-16-le")
    return (raw.ljust(64, b"\0") + len(raw).to_bytes(2, "little") + b"\x02").ljust(128, b"\0")


def ole(stream_name: str | None = None) -> bytes:
    header = OLE_SIGNATURE.ljust(512, b"\0")
    root = ole_entry("Root Entry")
    entry = ole_entry(stream_name) if stream_name else b"\0" * 128
    return header + b"\xff" * 512 + root + entry + b"\0" * 256


def pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< >>\n%%EOF\n"


def xlsx_from_openpyxl() -> bytes:
    out = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Bukti"
    workbook.save(out)
    return out.getvalue()


def check(data: bytes, max_bytes: int = LIMIT) -> CheckedFile:
    return check_evidence_file(io.BytesIO(data), max_bytes=max_bytes)


def refusal(data: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(EvidenceFileError) as info:
        check(data, max_bytes)
    return str(info.value)


class CountingStream(io.BytesIO):
    """Remembers the largest read request and how many bytes it handed out."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.handed_out = 0
        self.largest_request = 0

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            size = len(self.getbuffer())
        self.largest_request = max(self.largest_request, size)
        chunk = super().read(size)
        self.handed_out += len(chunk)
        return chunk


# --- the module stays plain Python -------------------------------------------------------


def test_the_module_does_not_import_django():
    path = Path(patuh.assessments.__file__).parent / "evidence_files.py"
    imported = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
    assert not [name for name in imported if name.split(".")[0] == "django"]


def test_exactly_the_six_types_of_the_allow_list_are_accepted():
    assert set(ALLOWED_TYPES) == {
        "application/pdf",
        "image/jpeg",
        "image/png",
        "image/webp",
        DOCX,
        XLSX,
    }
    assert all(label.strip() for label in ALLOWED_TYPES.values())
    assert {"image/jpeg", "image/png", "image/webp"} == IMAGE_TYPES
    assert not set(REFUSED_TYPES) & set(ALLOWED_TYPES)
    assert {"image/gif", PPTX, ODT, ODS, OLE} <= set(REFUSED_TYPES)


# --- accepted types ----------------------------------------------------------------------

ACCEPTED = [
    pytest.param(pdf(), "application/pdf", ".pdf", id="pdf"),
    pytest.param(image_bytes("PNG"), "image/png", ".png", id="png"),
    pytest.param(image_bytes("JPEG"), "image/jpeg", ".jpg", id="jpeg"),
    pytest.param(image_bytes("WEBP"), "image/webp", ".webp", id="webp"),
    pytest.param(ooxml("word", "document.xml"), DOCX, ".docx", id="docx"),
    pytest.param(ooxml("xl", "workbook.xml"), XLSX, ".xlsx", id="xlsx"),
    pytest.param(xlsx_from_openpyxl(), XLSX, ".xlsx", id="xlsx-openpyxl"),
]


@pytest.mark.parametrize(("data", "content_type", "extension"), ACCEPTED)
def test_allowed_types_are_accepted_with_their_canonical_extension(data, content_type, extension):
    checked = check(data)
    assert checked == CheckedFile(
        content_type=content_type,
        extension=extension,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    assert checked.content_type in ALLOWED_TYPES


def test_sniffing_needs_only_the_head_for_non_zip_types():
    assert sniff_content_type(pdf()[:8]) == "application/pdf"
    assert sniff_content_type(image_bytes("PNG")[:16]) == "image/png"
    assert sniff_content_type(image_bytes("WEBP")[:16]) == "image/webp"
    assert identify(OLE_SIGNATURE) == OLE
    assert identify(odf(ODT)) == ODT  # the stored mimetype member is in the head
    assert sniff_content_type(OLE_SIGNATURE) is None  # recognised, but not allowed
    assert sniff_content_type(odf(ODT)) is None


def test_zip_containers_are_told_apart_by_member_names():
    head = b"PK\x03\x04" + b"\0" * 60

    def names(*members: str):
        return lambda: list(members)

    assert sniff_content_type(head, names("[Content_Types].xml", "word/document.xml")) == DOCX
    assert sniff_content_type(head, names("[Content_Types].xml", "xl/workbook.xml")) == XLSX
    assert identify(head, names("[Content_Types].xml", "ppt/slides/s1.xml")) == PPTX
    assert sniff_content_type(head, names("[Content_Types].xml", "ppt/slides/s1.xml")) is None
    assert sniff_content_type(head, names("word/document.xml")) is None
    assert sniff_content_type(head, names("[Content_Types].xml", "other/x.xml")) is None
    assert sniff_content_type(head) is None  # no way to look inside

    def broken() -> list[str]:
        raise zipfile.BadZipFile("rusak")

    assert sniff_content_type(head, broken) is None


def test_a_png_is_a_png_whatever_the_browser_or_name_claims():
    # There is no name argument at all: a PNG uploaded as "laporan.pdf" is still a PNG.
    assert check(image_bytes("PNG")).extension == ".png"
    # (tests/django/test_evidence_uploads.py posts each of the six under a wrong name)


# --- refused types -----------------------------------------------------------------------

DANGEROUS = [
    pytest.param(b"<!DOCTYPE html><html><body>hai</body></html>", id="html"),
    pytest.param(b"\xef\xbb\xbf  \n<html><script>alert(1)</script></html>", id="html-bom"),
    pytest.param("<html>hai</html>".encode("utf-16"), id="html-utf16"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', id="svg"),
    pytest.param(b'<?xml version="1.0"?><svg/>', id="xml"),
    pytest.param(b"#!/bin/sh\nrm -rf /\n", id="shell-script"),
    pytest.param(b"#!/usr/bin/env node\nrequire('child_process')\n", id="js-script"),
    pytest.param(b"#!/usr/bin/env python3\nimport os\n", id="python-script"),
    pytest.param(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\0" * 100, id="windows-exe"),
    pytest.param(b"\x7fELF\x02\x01\x01" + b"\0" * 100, id="elf"),
    pytest.param(b"\xcf\xfa\xed\xfe" + b"\0" * 100, id="mach-o"),
    pytest.param(b"\xca\xfe\xba\xbe" + b"\0" * 100, id="java-class"),
    pytest.param(b"Laporan\n<script>alert(1)</script>", id="text-with-script"),
]


@pytest.mark.parametrize("data", DANGEROUS)
def test_markup_scripts_and_programs_are_refused_and_the_message_says_so(data):
    assert sniff_content_type(data) is None
    message = refusal(data)
    assert "HTML" in message
    assert "SVG" in message
    assert "skrip" in message
    assert "program" in message
    assert "PDF" in message  # and lists what is allowed


@pytest.mark.parametrize(
    ("data", "why"),
    [
        pytest.param(b"MZ\x90\x00" + b"\0" * 100, "adalah program", id="windows-exe"),
        pytest.param(b"\x7fELF\x02\x01\x01" + b"\0" * 100, "adalah program", id="elf"),
        pytest.param(b"#!/usr/bin/env node\nx()\n", "adalah skrip", id="js-script"),
        pytest.param(b"<!DOCTYPE html><html></html>", "berisi kode HTML", id="html"),
        pytest.param(
            b"<svg xmlns='http://www.w3.org/2000/svg'/>", "berisi kode HTML, SVG", id="svg"
        ),
        pytest.param(b'<?xml version="1.0"?><a/>', "SVG atau XML", id="xml"),
    ],
)
def test_the_refusal_names_what_the_file_is(data, why):
    assert why in refusal(data)


OTHER_REFUSED = [
    pytest.param(b"Ini hanya teks biasa.\n", id="plain-text"),
    pytest.param(b"alert(document.cookie);\n", id="javascript-without-shebang"),
    pytest.param(zip_bytes({"a.txt": b"isi"}), id="plain-zip"),
    pytest.param(zip_bytes({"[Content_Types].xml": b"<T/>"}), id="ooxml-without-part"),
    pytest.param(odf("application/vnd.oasis.opendocument.presentation"), id="odp"),
    pytest.param(b"PK\x03\x04" + b"\0" * 40, id="broken-zip"),
    pytest.param(b"BM" + b"\0" * 60, id="bmp"),
]


@pytest.mark.parametrize("data", OTHER_REFUSED)
def test_other_types_are_refused_with_the_list_of_allowed_types(data):
    message = refusal(data)
    assert "tidak diterima" in message
    for label in ALLOWED_TYPES.values():
        assert label in message
    assert "program" not in message


def docm(*, vba: bool = True, declared: bool = True) -> bytes:
    """A Word document with macros: a vbaProject.bin part and/or the DOCM content type."""
    main = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if declared
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    members = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
            f'ContentType="{main}"/></Types>'
        ).encode(),
        "word/document.xml": b"<w:document/>",
    }
    if vba:
        members["word/vbaProject.bin"] = OLE_SIGNATURE + b"macro"
    return zip_bytes(members)


def xlsm() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": b'<Types><Override ContentType="application/'
            b'vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )


KNOWN_REFUSED = [
    pytest.param(image_bytes("GIF", mode="P"), "GIF tidak diterima", "PNG atau JPEG", id="gif"),
    pytest.param(
        ooxml("ppt", "presentation.xml"), "PowerPoint (PPTX) tidak diterima", "PDF", id="pptx"
    ),
    pytest.param(odf(ODT), "ODT tidak diterima", "simpan sebagai PDF atau DOCX", id="odt"),
    pytest.param(odf(ODS), "ODS tidak diterima", "simpan sebagai XLSX atau PDF", id="ods"),
    pytest.param(ole("WordDocument"), "DOC (Word lama) tidak diterima", "DOCX", id="ole-doc"),
    pytest.param(ole("Workbook"), "XLS (Excel lama) tidak diterima", "XLSX", id="ole-xls"),
    pytest.param(ole("PowerPoint Document"), "PPT (PowerPoint lama)", "PDF", id="ole-ppt"),
    pytest.param(ole(), "Office lama (DOC/XLS/PPT) tidak diterima", "DOCX", id="ole-unknown"),
    pytest.param(docm(), "makro", "tanpa makro", id="docm"),
    pytest.param(docm(declared=False), "makro", "tanpa makro", id="docx-with-vbaproject"),
    pytest.param(docm(vba=False), "makro", "tanpa makro", id="docm-content-type-only"),
    pytest.param(xlsm(), "makro", "XLSX", id="xlsm"),
    pytest.param(zip_bytes({"a.txt": b"isi"}), "ZIP tidak diterima", "satu per satu", id="zip"),
    pytest.param(
        zip_bytes({"[Content_Types].xml": b"<T/>", "x/y.xml": b"<y/>"}),
        "ZIP tidak diterima",
        "PDF",
        id="ooxml-of-no-allowed-kind",
    ),
    pytest.param(b"Rar!\x1a\x07\x01\x00" + b"\0" * 40, "RAR/7z", "satu per satu", id="rar"),
    pytest.param(b"7z\xbc\xaf\x27\x1c" + b"\0" * 40, "RAR/7z", "satu per satu", id="7z"),
    pytest.param(image_bytes("BMP"), "BMP tidak diterima", "PNG atau JPEG", id="bmp"),
    pytest.param(image_bytes("TIFF"), "TIFF tidak diterima", "PNG", id="tiff"),
]


@pytest.mark.parametrize(("data", "what", "instead"), KNOWN_REFUSED)
def test_known_types_outside_the_allow_list_are_refused_saying_what_to_save_as(data, what, instead):
    assert sniff_content_type(data) is None
    message = refusal(data)
    assert what in message
    assert instead in message
    assert "Jenis yang diterima: PDF" in message


def jpeg_with_comment(comment: bytes) -> bytes:
    data = image_bytes("JPEG", size=(64, 48))
    segment = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
    return data[:2] + segment + data[2:]


def png_with_text(text: bytes) -> bytes:
    import struct
    import zlib

    data = image_bytes("PNG")
    chunk = b"tEXt" + b"Comment\0" + text
    encoded = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk))
    return data[:33] + encoded + data[33:]  # after the signature and IHDR


def docx_stored_with_html() -> bytes:
    """A DOCX whose first part is stored uncompressed and carries an HTML page."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/><html><script>alert(1)</script></html>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return out.getvalue()


POLYGLOTS = [
    pytest.param(
        pdf()[:9] + b"<html><script>alert(1)</script></html>\n" + pdf()[9:],
        "PDF",
        id="pdf-with-html",
    ),
    pytest.param(pdf().replace(b"%%EOF", b"<svg onload=alert(1)>%%EOF"), "PDF", id="pdf-with-svg"),
    pytest.param(
        jpeg_with_comment(b"<html><body onload=alert(1)>"), "Gambar JPEG", id="jpeg-comment"
    ),
    pytest.param(png_with_text(b"<script>alert(1)</script>"), "Gambar PNG", id="png-text-chunk"),
    pytest.param(docx_stored_with_html(), "Dokumen Word (DOCX)", id="docx-stored-html"),
]


@pytest.mark.parametrize(("data", "looks_like"), POLYGLOTS)
def test_a_polyglot_that_starts_as_an_allowed_type_but_carries_markup_is_refused(data, looks_like):
    head = data[:8192]
    assert ALLOWED_TYPES[identify(head, lambda: zipfile.ZipFile(io.BytesIO(data)).namelist())] == (
        looks_like
    )
    message = refusal(data)
    assert f"tampak sebagai {looks_like}" in message
    assert "poliglot" in message
    assert "HTML" in message


def test_markup_words_far_into_a_file_are_not_a_polyglot():
    # beyond the window browsers sniff, e.g. text inside a long PDF, the file is accepted
    data = pdf()[:9] + b"%" + b"x" * 2000 + b"\n(<html> adalah tag HTML) Tj\n" + pdf()[9:]
    assert check(data).content_type == "application/pdf"


def test_an_empty_file_is_refused():
    assert "kosong" in refusal(b"")


def test_one_byte_over_the_limit_is_refused_and_the_message_gives_the_limit_in_mb():
    data = pdf().ljust(MB + 1, b"\n")
    message = refusal(data, max_bytes=MB)
    assert "terlalu besar" in message
    assert "1 MB" in message


def test_a_fractional_limit_is_written_with_a_decimal_comma():
    message = refusal(pdf().ljust(MB * 3, b"\n"), max_bytes=MB * 5 // 2)
    assert "2,5 MB" in message


def test_exactly_at_the_limit_is_accepted():
    data = pdf().ljust(MB, b"\n")
    assert check(data, max_bytes=MB).size == MB


def test_the_stream_is_read_in_chunks_and_never_beyond_the_limit_plus_one():
    stream = CountingStream(pdf().ljust(10 * MB, b"\n"))
    with pytest.raises(EvidenceFileError):
        check_evidence_file(stream, max_bytes=2 * MB)
    assert stream.handed_out <= 2 * MB + 1
    assert stream.largest_request < 2 * MB
    assert stream.tell() == 0


def test_a_corrupt_png_header_is_refused():
    data = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"rusak" * 20
    assert sniff_content_type(data) == "image/png"
    message = refusal(data)
    assert "Gambar PNG" in message
    assert "rusak" in message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused(fmt):
    noisy = Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192))
    out = io.BytesIO()
    noisy.save(out, fmt)
    data = out.getvalue()
    assert "rusak" in refusal(data[: len(data) // 2])


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused_after_weasyprint_loosened_pillow(fmt, monkeypatch):
    # importing WeasyPrint (the rapor) sets this process-wide; the check must not inherit it
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    noisy = Image.frombytes("RGB", (200, 200), bytes(range(256)) * 468 + bytes(192))
    out = io.BytesIO()
    noisy.save(out, fmt)
    data = out.getvalue()
    assert "rusak" in refusal(data[: len(data) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # and the process's choice is restored


def test_the_digest_equals_hashlib_and_the_stream_is_rewound():
    data = image_bytes("PNG", size=(64, 64))
    stream = io.BytesIO(data)
    stream.seek(10)  # a partly read upload is still checked whole
    checked = check_evidence_file(stream, max_bytes=LIMIT)
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert checked.size == len(data)
    assert stream.tell() == 0
    assert stream.read() == data


def test_the_stream_is_rewound_after_a_refusal_too():
    stream = io.BytesIO(b"<html></html>")
    with pytest.raises(EvidenceFileError):
        check_evidence_file(stream, max_bytes=LIMIT)
    assert stream.tell() == 0


def test_an_image_at_the_decompression_bomb_limit_is_refused(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert "piksel" in refusal(image_bytes("PNG", size=(100, 100)))  # over twice the limit
    assert check(image_bytes("PNG", size=(40, 40))).content_type == "image/png"  # warning only


# --- thumbnails --------------------------------------------------------------------------


def open_jpeg(data: bytes) -> Image.Image:
    assert data.startswith(b"\xff\xd8\xff")
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert image.mode == "RGB"
    return image


@pytest.mark.parametrize(
    ("fmt", "mode"),
    [("PNG", "RGB"), ("PNG", "RGBA"), ("JPEG", "RGB"), ("WEBP", "RGB")],
)
def test_a_thumbnail_is_a_jpeg_within_max_side_keeping_the_aspect_ratio(fmt, mode):
    stream = io.BytesIO(image_bytes(fmt, size=(1000, 500), mode=mode))
    thumbnail = open_jpeg(make_thumbnail(stream))
    assert thumbnail.size == (320, 160)
    assert stream.tell() == 0


def test_max_side_is_respected_and_small_images_are_not_enlarged():
    tall = open_jpeg(make_thumbnail(io.BytesIO(image_bytes("PNG", size=(300, 900))), max_side=90))
    assert tall.size == (30, 90)
    small = open_jpeg(make_thumbnail(io.BytesIO(image_bytes("PNG", size=(40, 30)))))
    assert small.size == (40, 30)


def test_a_thumbnail_follows_the_exif_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    data = image_bytes("JPEG", size=(400, 200), exif=exif.tobytes())
    assert open_jpeg(make_thumbnail(io.BytesIO(data))).size == (160, 320)


def test_transparency_is_laid_on_white():
    data = image_bytes("PNG", size=(50, 50), mode="RGBA")
    transparent = Image.new("RGBA", (50, 50), (0, 0, 0, 0))
    out = io.BytesIO()
    transparent.save(out, "PNG")
    r, g, b = open_jpeg(make_thumbnail(io.BytesIO(out.getvalue()))).getpixel((25, 25))
    assert min(r, g, b) > 240
    assert open_jpeg(make_thumbnail(io.BytesIO(data)))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(pdf(), id="pdf"),
        pytest.param(ooxml("word", "document.xml"), id="docx"),
        pytest.param(b"<svg/>", id="svg"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + b"rusak" * 10, id="corrupt-png"),
    ],
)
def test_no_thumbnail_for_what_is_not_a_readable_image(data):
    stream = io.BytesIO(data)
    assert make_thumbnail(stream) is None
    assert stream.tell() == 0


def test_no_thumbnail_for_a_decompression_bomb(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    assert make_thumbnail(io.BytesIO(image_bytes("PNG", size=(40, 40)))) is None  # warning
    assert make_thumbnail(io.BytesIO(image_bytes("PNG", size=(100, 100)))) is None  # error
    assert make_thumbnail(io.BytesIO(image_bytes("PNG", size=(30, 30)))) is not None


# --- arbitrary bytes ---------------------------------------------------------------------

PREFIXES = [
    b"",
    b"%PDF-",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF89a",
    b"RIFF\x10\x00\x00\x00WEBPVP8 ",
    b"PK\x03\x04",
    b"PK\x03\x04\x14\x00\x00\x00\x00\x00" + b"\0" * 16 + b"\x08\x00\x00\x00mimetype",
    OLE_SIGNATURE,
]


@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=2048))
def test_arbitrary_bytes_never_raise_anything_but_evidence_file_error(prefix, body):
    data = prefix + body
    assert sniff_content_type(data) in {None, *ALLOWED_TYPES}
    assert sniff_content_type(data, lambda: ["[Content_Types].xml", "xl/a"]) in {
        None,
        *ALLOWED_TYPES,
    }
    try:
        checked = check(data, max_bytes=1024)
    except EvidenceFileError as error:
        message = str(error)
    else:
        assert checked.content_type in ALLOWED_TYPES
        assert 0 < checked.size <= 1024
        message = "diterima"
    assert message  # a refusal always says why
    thumbnail = make_thumbnail(io.BytesIO(data))
    assert thumbnail is None or thumbnail.startswith(b"\xff\xd8\xff")
