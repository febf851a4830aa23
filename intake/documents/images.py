"""JPEG and PNG: check the structure, decode fully, then re-encode the pixels into a new file.

The new file carries pixels only: EXIF (camera, GPS position, dates), XMP, IPTC, comments, PNG
text chunks, ICC profiles (after converting the colours to sRGB) and anything appended after
the image are gone, and nothing of the uploaded byte stream reaches the stored file, whatever a
crafted file hid in it. The EXIF orientation is applied to the pixels first so that photos stay
upright. PNG is lossless, so the pixels are identical; JPEG is re-encoded with the original's
quantisation tables and chroma subsampling, so the pixels differ only by rounding.

Refused: a payload appended after the image's end (an archive, web page code, a PDF or a
program: a polyglot), files that do not decode completely (truncated or damaged), and images
over ``MAX_PIXELS`` (checked from the header before decoding, so a small "decompression bomb"
never gets decoded). Other data after the end is common and harmless (phone cameras append
motion-photo videos, extra MPO frames, vendor trailers): it is dropped by the re-encoding.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import warnings

from PIL import Image, ImageCms, ImageOps, JpegImagePlugin

from intake.documents.errors import DocumentRejected
from intake.documents.sniff import JPEG, PNG

# Pillow's DEBUG messages quote metadata values (an EXIF description, GPS coordinates) while it
# parses them: keep them out of the logs whatever the logging configuration says.
logging.getLogger("PIL").setLevel(logging.INFO)

MAX_MEGAPIXELS = 50
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000
PILLOW_FORMATS = {JPEG: ["JPEG", "MPO"], PNG: ["PNG"]}
PAYLOAD = re.compile(
    rb"PK\x03\x04|PK\x05\x06|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|%PDF-|\x7fELF|<\?php|<%"
    rb"|<(?:html|script|svg|iframe|body|object|embed|head)[\s>/]|<!doctype\s+html", re.IGNORECASE)
EXECUTABLE_STARTS = (b"MZ", b"#!")
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError,
                 TypeError, ZeroDivisionError)
PNG_MODES = frozenset({"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"})
JPEG_MODES = frozenset({"L", "RGB", "CMYK"})


def clean_image(data: bytes, content_type: str) -> bytes:
    """The re-encoded image, or ``DocumentRejected``."""
    check_structure(data, content_type)
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[content_type]) as probe:
                check_pixels(probe)
                probe.verify()
            with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS[content_type]) as image:
                image.load()
                return reencode(image, content_type)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise DocumentRejected("too_many_pixels", megapixels=MAX_MEGAPIXELS) from error
        except DECODE_ERRORS as error:
            raise DocumentRejected("damaged") from error


def check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise DocumentRejected("damaged")
    if width * height > MAX_PIXELS:
        raise DocumentRejected("too_many_pixels", megapixels=MAX_MEGAPIXELS)


def check_structure(data: bytes, content_type: str) -> None:
    """Walk the PNG chunks or JPEG segments to the image's end; refuse a payload after it."""
    rest = data[png_end(data) if content_type == PNG else jpeg_end(data):]
    if rest.lstrip(b"\x00\r\n\t ").startswith(EXECUTABLE_STARTS) or PAYLOAD.search(rest):
        raise DocumentRejected("trailing_data")


def png_end(data: bytes) -> int:
    position = 8
    while True:
        if position + 8 > len(data):
            raise DocumentRejected("damaged")
        length, chunk_type = struct.unpack(">I4s", data[position:position + 8])
        position += 12 + length
        if position > len(data):
            raise DocumentRejected("damaged")
        if chunk_type == b"IEND":
            return position


def jpeg_end(data: bytes) -> int:
    """The offset just past the first image's end-of-image marker."""
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            raise DocumentRejected("damaged")
        while position < len(data) and data[position] == 0xFF:
            position += 1  # fill bytes
        if position >= len(data):
            break
        marker = data[position]
        position += 1
        if marker == 0xD9:
            return position
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:
            continue  # markers without a length
        if position + 2 > len(data):
            break
        length = int.from_bytes(data[position:position + 2], "big")
        if length < 2:
            raise DocumentRejected("damaged")
        position += length
        if marker == 0xDA:
            position = end_of_scan(data, position)
    raise DocumentRejected("damaged")


def end_of_scan(data: bytes, position: int) -> int:
    """Skip entropy-coded data: 0xFF is followed by 0x00 (stuffing), a restart marker or more
    0xFF inside it; any other marker ends it."""
    while True:
        found = data.find(b"\xff", position)
        if found == -1 or found + 1 >= len(data):
            raise DocumentRejected("damaged")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position = found + 2
        elif following == 0xFF:
            position = found + 1
        else:
            return found


def reencode(image: Image.Image, content_type: str) -> bytes:
    quantization = getattr(image, "quantization", None)
    sampling = JpegImagePlugin.get_sampling(image) if content_type == JPEG else -1
    transparency = image.info.get("transparency")
    icc_profile = image.info.get("icc_profile")
    ImageOps.exif_transpose(image, in_place=True)  # in place: one full-size copy fewer
    pixels = to_srgb(image, icc_profile) if icc_profile else image
    pixels.info = {}  # nothing of the original's metadata is carried over
    output = io.BytesIO()
    if content_type == PNG:
        if pixels.mode not in PNG_MODES:
            pixels = pixels.convert("RGBA")
        options = {"transparency": transparency} if transparency is not None and \
            pixels.mode in ("P", "L", "RGB") else {}
        pixels.save(output, "PNG", **options)
    else:
        if pixels.mode not in JPEG_MODES:
            pixels = pixels.convert("RGB")
        options = {"qtables": quantization} if quantization else {"quality": 95}
        if sampling != -1:
            options["subsampling"] = sampling
        pixels.save(output, "JPEG", optimize=True, **options)
    return output.getvalue()


def to_srgb(image: Image.Image, icc_profile: bytes) -> Image.Image:
    """Convert to sRGB so the profile can be dropped without changing how colours look; a
    profile that cannot be used is simply dropped."""
    output_mode = {"RGB": "RGB", "RGBA": "RGBA", "CMYK": "RGB"}.get(image.mode)
    if output_mode is None:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                              outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image
    return converted if converted is not None else image
