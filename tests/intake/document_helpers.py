"""Build the files of the document tests: good PDFs, JPEGs and PNGs (with metadata to strip)
and the corpus of bad files. Everything is generated; every name and marker is fictional."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, PngImagePlugin

from intake.services import case_create

PDF_MARKER = b"QZXPDFCONTENTMARKER"
GPS_MARKER = "QZXEXIFMARKER"


def new_case(actor, given_name: str = "Testperson", family_name: str = "Documents"):
    return case_create(actor=actor, given_name=given_name, family_name=family_name)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


# --- PDF ----------------------------------------------------------------------------------

def make_pdf(objects: list[bytes] | None = None, *, text: bytes = b"Hello",
             trailer_extra: bytes = b"", header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
             padding: int = 0) -> bytes:
    """A well-formed PDF (correct xref offsets). ``objects`` replace the default catalog,
    pages, page and content stream (objects 1-4); ``padding`` adds a comment of that many
    bytes before the cross-reference table, to reach a given size."""
    content = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = objects or [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content +
        b"\nendstream",
    ]
    out = bytearray(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    if padding:
        out += b"%" + b"x" * (padding - 2) + b"\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R ".encode() + trailer_extra +
            f">>\nstartxref\n{xref}\n%%EOF\n".encode())
    return bytes(out)


def pdf_of_size(size: int) -> bytes:
    padding = size - len(make_pdf(text=PDF_MARKER))
    pdf = make_pdf(text=PDF_MARKER, padding=padding)
    pdf = make_pdf(text=PDF_MARKER, padding=padding - (len(pdf) - size))  # startxref digits
    assert len(pdf) == size
    return pdf


def pdf_with_catalog(catalog: bytes, *extra: bytes) -> bytes:
    """A PDF whose catalog (object 1) is ``catalog``; ``extra`` become objects 5, 6, …"""
    default = make_pdf()
    content = default[default.index(b"4 0 obj\n") + 8:default.index(b"\nendobj\n", default.index(
        b"4 0 obj\n"))]
    return make_pdf([catalog, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                     content, *extra])


def pdf_with_object_stream(hidden: bytes, catalog_entry: bytes = b"/Names 6 0 R") -> bytes:
    """``hidden`` (object 6) stored compressed inside an object stream (object 5), referred
    to from the catalog by ``catalog_entry``."""
    header = b"6 0 "
    data = zlib.compress(header + hidden)
    stream = (b"<< /Type /ObjStm /N 1 /First " + str(len(header)).encode() +
              b" /Filter /FlateDecode /Length " + str(len(data)).encode() +
              b" >>\nstream\n" + data + b"\nendstream")
    return pdf_with_catalog(b"<< /Type /Catalog /Pages 2 0 R " + catalog_entry + b" >>", stream)


# --- images -------------------------------------------------------------------------------

def gradient(size=(64, 48), mode: str = "RGB") -> Image.Image:
    """A smooth picture (JPEG re-encoding changes it only by rounding)."""
    width, height = size
    image = Image.new("RGB", size)
    image.putdata([((x * 255) // width, (y * 255) // height, 128)
                   for y in range(height) for x in range(width)])
    return image.convert(mode)


def gps_exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "QZXCAMERA"
    exif[ExifTags.Base.ImageDescription] = GPS_MARKER
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (45.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (73.0, 34.0, 1.0)
    return exif


def jpeg_bytes(image: Image.Image | None = None, *, exif: Image.Exif | None = None,
               comment: bytes | None = None, quality: int = 90) -> bytes:
    out = io.BytesIO()
    options = {"quality": quality}
    if exif is not None:
        options["exif"] = exif.tobytes()
    if comment is not None:
        options["comment"] = comment
    (image or gradient()).save(out, "JPEG", **options)
    return out.getvalue()


def png_bytes(image: Image.Image | None = None, *, text: dict[str, str] | None = None,
              exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    info = PngImagePlugin.PngInfo()
    for key, value in (text or {}).items():
        info.add_text(key, value)
        info.add_itxt(key + "-intl", value)
    options = {"pnginfo": info}
    if exif is not None:
        options["exif"] = exif.tobytes()
    (image or gradient()).save(out, "PNG", **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG that claims 10 gigapixels (1 bit per pixel; a few compressed rows)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + width // 8) * 16, 9)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", rows) +
            png_chunk(b"IEND", b""))


def other_format(format_name: str) -> bytes:
    out = io.BytesIO()
    gradient((16, 16)).save(out, format_name)
    return out.getvalue()


def zip_bytes() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<html><script>alert(1)</script></html>")
    return out.getvalue()


# --- the media folder ---------------------------------------------------------------------

def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []
