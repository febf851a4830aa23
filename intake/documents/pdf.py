"""PDF checks. A PDF that passes is stored byte for byte; one that fails is refused.

What is refused, and why:

* no ``%PDF-1.x``/``%PDF-2.x`` header at byte 0 (refused earlier, by ``sniff``): readers accept a
  header anywhere in the first kilobyte, which is how HTML/PDF polyglots are built;
* web page code anywhere in the file (``<html``, ``<script``, ``<svg``, ``<iframe``,
  ``<body``, ``<object``, ``<embed``, ``<!doctype html``): the file is also an HTML document
  (a polyglot);
* no ``startxref`` or no ``%%EOF``: truncated or not really a PDF; anything but white space
  after the last ``%%EOF``: a payload appended to the PDF (a ZIP, HTML, …);
* ``/Encrypt``: an encrypted PDF cannot be inspected;
* active content, by PDF name (``#xx`` escapes decoded, as readers do), in the object
  structure and inside object streams (PDF 1.5 compressed objects, decompressed here):
  ``/JavaScript`` ``/JS`` ``/Launch`` ``/SubmitForm`` ``/ImportData`` ``/GoToE`` ``/GoToR``
  ``/RichMedia`` ``/XFA`` ``/AA`` (automatic actions) ``/EmbeddedFile(s)`` (attachments), a
  ``javascript:`` URI, and an ``/OpenAction`` that is anything but a destination in the
  document (``[3 0 R /Fit]`` or a ``/GoTo`` action, directly or through a reference, as
  LaTeX, Word and others write it, is accepted; any other action run on opening, even a
  harmless-looking ``/URI``, could report to a third party that the document was opened);
* object streams we cannot decode to check (filters other than Flate, ASCIIHex, ASCII85, or
  predictors), and object streams that decompress past ``MAX_DECODED_BYTES`` (a bomb).

Stream contents (pages, fonts, images) are not parsed, but their raw bytes are searched for the
long active names too (``/JavaScript``, ``/OpenAction``, ``/Launch``, …): a region that looks
like a stream to us but not to a reader (``stream`` inside a comment or a string) cannot hide
them. The short names ``/JS`` and ``/AA`` are looked for in the object structure and object
streams only: in compressed binary data they occur by chance too often. A PDF crafted to be
parsed differently by this check and by a reader may still get through: downloads are
attachments, never rendered by the browser inside the application.

Not stripped: the PDF's own metadata (author, title, XMP); rewriting a PDF safely needs a PDF
library and is left for later."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from intake.documents.errors import DocumentRejected

MAX_DECODED_BYTES = 64 * 1024 * 1024
EOF_WINDOW = 1024
ACTIVE_NAMES = frozenset({
    b"JavaScript", b"JS", b"Launch", b"SubmitForm", b"ImportData", b"GoToE", b"GoToR",
    b"RichMedia", b"XFA", b"AA", b"EmbeddedFile", b"EmbeddedFiles",
})
# Long enough never to occur by chance in compressed data; searched in stream bodies too.
LONG_ACTIVE_NAMES = frozenset(name for name in ACTIVE_NAMES if len(name) >= 5) | {
    b"OpenAction"}
HTML_MARKERS = re.compile(
    rb"<(?:html|script|svg|iframe|body|object|embed)[\s>/]|<!doctype\s+html", re.IGNORECASE)
STREAM_START = re.compile(rb"\bstream(?:\r\n|\n|\r)")
NAME = re.compile(rb"/([^\x00\t\n\x0c\r ()<>\[\]{}/%]+)")
NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
OPEN_ACTION = re.compile(rb"/OpenAction\s*")
REFERENCE = re.compile(rb"(\d+)\s+\d+\s+R\b")
GOTO = re.compile(rb"/S\s*/GoTo(?![A-Za-z])")
FIRST = re.compile(rb"/First\s+(\d+)")
FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()]+)")
OBJECT_START = re.compile(rb"\d+\s+\d+\s+obj\b")
WHITESPACE = b" \t\r\n\x0c\x00"


def check_pdf(data: bytes) -> bytes:
    """Return ``data`` unchanged if it is an acceptable PDF; raise ``DocumentRejected``."""
    check_ending(data)
    if HTML_MARKERS.search(data):
        raise DocumentRejected("polyglot")
    structure, bodies, object_streams = split_streams(data)
    for body in bodies:
        check_active(decode_names(body), LONG_ACTIVE_NAMES)
    names = decode_names(structure)
    if b"Encrypt" in NAME.findall(names):
        raise DocumentRejected("pdf_encrypted")
    check_active(names)
    packed, decoded_total = [], 0
    for dictionary, body in object_streams:
        decoded = decode_names(decode_object_stream(dictionary, body,
                                                    MAX_DECODED_BYTES - decoded_total))
        decoded_total += len(decoded)
        check_active(decoded)
        first = FIRST.search(dictionary)
        packed.append((int(first[1]) if first else 0, decoded))
    for text in (names, *(decoded for _, decoded in packed)):
        for match in OPEN_ACTION.finditer(text):
            check_open_action(text[match.end():], names, packed)
    return data


def check_ending(data: bytes) -> None:
    end = data.rfind(b"%%EOF")
    if end == -1 or b"startxref" not in data[max(0, end - EOF_WINDOW):end]:
        raise DocumentRejected("damaged")
    if data[end + len(b"%%EOF"):].strip(WHITESPACE):
        raise DocumentRejected("trailing_data")


def split_streams(data: bytes) -> tuple[bytes, list[bytes], list[tuple[bytes, bytes]]]:
    """(the object structure without stream bodies, the bodies of other streams than object
    streams, (dictionary, body) of every object stream)."""
    structure, bodies, object_streams = [], [], []
    position = 0
    for match in STREAM_START.finditer(data):
        if match.start() < position:
            continue  # the word "stream" inside a body we already skipped
        end = data.find(b"endstream", match.end())
        if end == -1:
            raise DocumentRejected("damaged")
        head = data[position:match.start()]
        objects = list(OBJECT_START.finditer(head))
        dictionary = decode_names(head[objects[-1].end():] if objects else head)
        body = data[match.end():end]
        structure.append(head)
        if is_object_stream(dictionary):
            object_streams.append((dictionary, body))  # decoded and checked in full
        else:
            bodies.append(body)
        position = end + len(b"endstream")
    structure.append(data[position:])
    return b"\n".join(structure), bodies, object_streams


def decode_names(text: bytes) -> bytes:
    """Undo ``#xx`` escapes, so that ``/J#61vaScript`` reads ``/JavaScript`` as in a reader."""
    return NAME_ESCAPE.sub(lambda match: bytes([int(match[1], 16)]), text)


def is_object_stream(dictionary: bytes) -> bool:
    names = set(NAME.findall(dictionary))
    return b"ObjStm" in names or {b"N", b"First"} <= names


def check_active(text: bytes, active_names: frozenset[bytes] = ACTIVE_NAMES) -> None:
    if active_names & set(NAME.findall(text)) or b"javascript:" in text.lower():
        raise DocumentRejected("pdf_active")


def check_open_action(value: bytes, structure: bytes, packed: list[tuple[int, bytes]]) -> None:
    """Accept a destination (``[page /Fit]``) or a ``/GoTo`` action without a ``/Next``,
    written in place or behind one reference; refuse anything else."""
    reference = REFERENCE.match(value)
    if reference:
        value = find_object(int(reference[1]), structure, packed)
    if value.startswith(b"["):
        return
    if value.startswith(b"<<"):
        action = value[:value.find(b">>") + 2] if b">>" in value else value
        if GOTO.search(action) and b"/Next" not in action:
            return
    raise DocumentRejected("pdf_active")


def find_object(number: int, structure: bytes, packed: list[tuple[int, bytes]]) -> bytes:
    """The start of object ``number``'s value (stripped), from the file or an object stream;
    empty when it is not there."""
    match = re.search(rb"(?<!\d)%d\s+\d+\s+obj\b\s*" % number, structure)
    if match:
        return structure[match.end():match.end() + 4096]
    for first, decoded in packed:
        header = [int(n) for n in re.findall(rb"\d+", decoded[:first])]
        offsets = dict(zip(header[::2], header[1::2], strict=False))
        if number in offsets:
            start = first + offsets[number]
            return decoded[start:start + 4096].lstrip()
    return b""


def decode_object_stream(dictionary: bytes, body: bytes, budget: int) -> bytes:
    if b"/DecodeParms" in dictionary or b"/DP" in dictionary:
        raise DocumentRejected("pdf_unchecked")
    match = FILTER.search(dictionary)
    filters = NAME.findall(match[1]) if match else []
    for name in filters:
        body = apply_filter(name, body, budget)
    if len(body) > budget:
        raise DocumentRejected("pdf_unchecked")
    return body


def apply_filter(name: bytes, body: bytes, budget: int) -> bytes:
    try:
        if name in (b"FlateDecode", b"Fl"):
            inflater = zlib.decompressobj()
            decoded = inflater.decompress(body, budget + 1)
            if len(decoded) > budget:
                raise DocumentRejected("pdf_unchecked")
            return decoded
        if name in (b"ASCIIHexDecode", b"AHx"):
            hex_digits = re.sub(rb"\s", b"", body).split(b">")[0]
            return binascii.unhexlify(hex_digits + b"0" * (len(hex_digits) % 2))
        if name in (b"ASCII85Decode", b"A85"):
            text = re.sub(rb"\s", b"", body)
            return base64.a85decode(text.removeprefix(b"<~").split(b"~>")[0])
    except (zlib.error, binascii.Error, ValueError) as error:
        raise DocumentRejected("damaged") from error
    raise DocumentRejected("pdf_unchecked")
