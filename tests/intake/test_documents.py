"""Documents (issue 4, acceptance 4): bad files are refused with a clear message and leave
nothing behind; good files are stored encrypted, stripped of metadata, and come back intact."""

from __future__ import annotations

import html
import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from PIL import ExifTags, Image, ImageChops, ImageCms

from intake.documents import MAX_BYTES, DocumentRejected, document_add, document_open
from intake.models import CaseEvent, Document
from northstar.audit.models import AuditEvent
from tests.canary import database_text, media_text
from tests.helpers import sign_in
from tests.intake.document_helpers import (
    GPS_MARKER,
    PDF_MARKER,
    gps_exif,
    gradient,
    jpeg_bytes,
    make_pdf,
    media_files,
    new_case,
    other_format,
    pdf_of_size,
    pdf_with_catalog,
    pdf_with_object_stream,
    png_bomb,
    png_bytes,
    upload,
    zip_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.intake.urls_documents_test")]

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DATA = Path(__file__).parent / "data" / "documents"
HTML_PAGE = b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<circle r='4'/></svg>")
CATALOG = b"<< /Type /Catalog /Pages 2 0 R "

NOT_ACCEPTED = "This file is not a PDF, JPEG or PNG (it looks like {})."
TOO_LARGE = "Files must be 10 MB or smaller."
BAD_NAME = ("The file name contains characters that are not allowed (control or text-direction "
            "characters). Rename the file and try again.")
DAMAGED = ("The file is damaged or incomplete. Save or scan it again and upload the new copy.")
TRAILING = ("The file has extra data hidden after its end. Save or scan it again and upload the "
            "new copy.")
POLYGLOT = ("The file mixes a PDF with web page code (HTML or script). Print it to a new PDF and "
            "upload that.")
ACTIVE = ("The PDF contains scripts, automatic actions or attached files, which are not "
          "accepted. Print it to a new PDF and upload that.")
ENCRYPTED = ("The PDF is password-protected or encrypted, so it cannot be checked. Remove the "
             "password and upload it again.")
MISMATCH = ("This file is a {}, but its name or type says {}. Check that you chose the right "
            "file.")
BOMB = "The image is too large (more than 50 megapixels). Resize it and upload it again."

# (id, file name, content factory, declared type, expected message)
CORPUS = [
    ("html-named-pdf", "letter.pdf", lambda: HTML_PAGE, PDF,
     NOT_ACCEPTED.format("a web page (HTML)")),
    ("svg-named-png", "photo.png", lambda: SVG, PNG, NOT_ACCEPTED.format("an SVG image")),
    ("png-named-and-declared-pdf", "scan.pdf", png_bytes, PDF, MISMATCH.format("PNG image", "PDF")),
    ("jpeg-declared-png", "photo.png", jpeg_bytes, PNG, MISMATCH.format("JPEG image", "PNG image")),
    ("html-before-pdf-header", "form.pdf", lambda: HTML_PAGE + b"\n" + make_pdf(), PDF,
     NOT_ACCEPTED.format("a web page (HTML)")),
    ("pdf-html-polyglot", "form.pdf",
     lambda: make_pdf(header=b"%PDF-1.7\n%<html><script>alert(1)</script></html>\n"), PDF,
     POLYGLOT),
    ("jpeg-with-trailing-zip", "photo.jpg", lambda: jpeg_bytes() + zip_bytes(), JPEG, TRAILING),
    ("jpeg-with-trailing-html", "photo.jpg", lambda: jpeg_bytes() + HTML_PAGE, JPEG, TRAILING),
    ("png-with-trailing-html", "photo.png", lambda: png_bytes() + HTML_PAGE, PNG, TRAILING),
    ("jpeg-with-appended-pdf", "photo.jpg", lambda: jpeg_bytes() + make_pdf(), JPEG, TRAILING),
    ("png-with-appended-program", "photo.png", lambda: png_bytes() + b"MZ\x90\x00" + bytes(64),
     PNG, TRAILING),
    ("pdf-with-trailing-zip", "form.pdf", lambda: make_pdf() + zip_bytes(), PDF, TRAILING),
    ("gif-named-jpg", "photo.jpg", lambda: other_format("GIF"), JPEG,
     NOT_ACCEPTED.format("a GIF image")),
    ("webp", "photo.webp", lambda: other_format("WEBP"), "image/webp",
     NOT_ACCEPTED.format("a WebP image")),
    ("tiff", "scan.tiff", lambda: other_format("TIFF"), "image/tiff",
     NOT_ACCEPTED.format("a TIFF image")),
    ("bmp-named-png", "scan.png", lambda: other_format("BMP"), PNG,
     NOT_ACCEPTED.format("a BMP image")),
    ("exe-named-pdf", "invoice.pdf", lambda: b"MZ\x90\x00\x03" + bytes(200), PDF,
     NOT_ACCEPTED.format("a Windows program")),
    ("elf-named-pdf", "invoice.pdf", lambda: b"\x7fELF\x02\x01\x01" + bytes(200), PDF,
     NOT_ACCEPTED.format("a Linux program")),
    ("zip-named-pdf", "documents.pdf", zip_bytes, PDF,
     NOT_ACCEPTED.format("a ZIP archive or Office document")),
    ("text-named-pdf", "notes.pdf", lambda: b"Just some notes\nabout the case\n", PDF,
     NOT_ACCEPTED.format("plain text")),
    ("unknown-binary", "blob.pdf", lambda: bytes(range(256)) * 4, PDF,
     "This file is not a PDF, JPEG or PNG."),
    ("empty", "empty.pdf", lambda: b"", PDF, "The file is empty."),
    ("eleven-megabytes", "big.pdf", lambda: pdf_of_size(11 * 1024 * 1024), PDF, TOO_LARGE),
    ("ten-megabytes-plus-one-byte", "big.pdf", lambda: pdf_of_size(MAX_BYTES + 1), PDF,
     TOO_LARGE),
    ("name-with-nul", "passport\x00.pdf", make_pdf, PDF, BAD_NAME),
    ("name-with-newlines", "passport\r\nX-Injected: 1.pdf", make_pdf, PDF, BAD_NAME),
    ("name-with-right-to-left-override", "invoice\u202efdp.exe", make_pdf, PDF, BAD_NAME),
    ("pdf-javascript-open-action", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), PDF, ACTIVE),
    ("pdf-launch-additional-action", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/AA << /O << /S /Launch /F (cmd.exe) >> >> >>"), PDF, ACTIVE),
    ("pdf-javascript-hex-escaped", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/Names << /J#61va#53cript 5 0 R >> >>", b"<< /Names [(a) 6 0 R] >>"),
     PDF, ACTIVE),
    ("pdf-javascript-in-object-stream", "form.pdf", lambda: pdf_with_object_stream(
        b"<< /JavaScript << /Names [(a) << /S /JavaScript /JS (app.alert(1)) >>] >> >>"),
     PDF, ACTIVE),
    ("pdf-open-action-uri-beacon", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/OpenAction << /S /URI /URI (https://tracker.example/open) >> >>"),
     PDF, ACTIVE),
    ("pdf-open-action-reference-to-uri", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/OpenAction 5 0 R >>", b"<< /S /URI /URI (https://tracker.example) >>"),
     PDF, ACTIVE),
    ("pdf-goto-open-action-chained-to-uri", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/OpenAction << /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >> >>",
        b"<< /S /URI /URI (https://tracker.example) >>"), PDF, ACTIVE),
    ("pdf-javascript-link", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/Annots [<< /Subtype /Link /A << /S /URI /URI (javascript:alert(1)) >> >>]"
        b" >>"), PDF, ACTIVE),
    ("pdf-javascript-behind-a-fake-stream-in-a-comment", "form.pdf", lambda: pdf_with_catalog(
        b"<< /Type /Catalog /Pages 2 0 R /Filter /FlateDecode %stream\n"
        b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> %endstream\n>>"), PDF, ACTIVE),
    ("pdf-html-inside-a-compressed-stream", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b">>", b"<< /Filter /FlateDecode /Length 40 >>\nstream\n"
        b"<html><script>alert(1)</script></html>\nendstream"), PDF, POLYGLOT),
    ("pdf-embedded-file", "form.pdf", lambda: pdf_with_catalog(
        CATALOG + b"/Names << /EmbeddedFiles 5 0 R >> >>",
        b"<< /Names [(payload.exe) 6 0 R] >>"), PDF, ACTIVE),
    ("pdf-encrypted", "form.pdf", lambda: make_pdf(trailer_extra=b"/Encrypt 9 0 R "), PDF,
     ENCRYPTED),
    ("pdf-truncated", "form.pdf", lambda: make_pdf()[:-40], PDF, DAMAGED),
    ("png-decompression-bomb", "photo.png", png_bomb, PNG, BOMB),
    ("jpeg-truncated", "photo.jpg", lambda: jpeg_bytes()[:-300], JPEG, DAMAGED),
    ("png-truncated", "photo.png", lambda: png_bytes()[:-30], PNG, DAMAGED),
    ("png-corrupt-checksum", "photo.png",
     lambda: png_bytes()[:-20] + bytes([png_bytes()[-20] ^ 0xFF]) + png_bytes()[-19:], PNG,
     DAMAGED),
]
NAME_CASES = {"name-with-nul", "name-with-newlines", "name-with-right-to-left-override"}


def corpus(exclude: set[str] = frozenset()):
    return [pytest.param(name, make, declared, message, id=case_id)
            for case_id, name, make, declared, message in CORPUS if case_id not in exclude]


def test_the_corpus_is_large_and_distinct():
    assert len(CORPUS) - len(NAME_CASES) >= 15  # bad by content alone
    assert len({(name, make()) for _, name, make, _, _ in CORPUS}) == len(CORPUS)


def assert_nothing_stored(case, audit_before: int) -> None:
    assert Document.objects.count() == 0
    assert media_files() == []
    assert not CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.DOCUMENT_ADDED).exists()
    assert AuditEvent.objects.count() == audit_before


@pytest.mark.parametrize(("name", "make", "declared", "message"), corpus())
def test_bad_file_is_refused_by_the_service(counsellor, name, make, declared, message):
    case = new_case(counsellor)
    audit_before = AuditEvent.objects.count()
    with pytest.raises(DocumentRejected) as refused:
        document_add(actor=counsellor, case=case, uploaded_file=upload(name, make(), declared),
                     kind="identity")
    assert str(refused.value) == message
    assert_nothing_stored(case, audit_before)


@pytest.mark.parametrize(("name", "make", "declared", "message"),
                         corpus(exclude=NAME_CASES))
def test_bad_file_is_refused_on_the_upload_page(client, counsellor, name, make, declared,
                                                message):
    case = new_case(counsellor)
    sign_in(client, counsellor)
    audit_before = AuditEvent.objects.count()
    response = client.post(reverse("intake:documents:upload", args=[case.number]),
                           {"file": upload(name, make(), declared), "kind": "identity"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": [message]}
    assert html.escape(message) in response.content.decode()
    assert_nothing_stored(case, audit_before)


def test_control_characters_in_a_name_never_reach_the_database_or_storage_over_http(
        client, counsellor):
    """Over HTTP, Django's multipart parser already drops non-printable characters from file
    names (and a line break cannot be sent inside the header at all); the service refuses
    them from any other caller (above). Either way the stored name is clean and the storage
    only knows random names."""
    case = new_case(counsellor)
    sign_in(client, counsellor)
    for name in ("passport\x00.pdf", "passport\r\nX-Injected: 1.pdf", "invoice\u202efdp.exe"):
        response = client.post(reverse("intake:documents:upload", args=[case.number]),
                               {"file": upload(name, make_pdf(), PDF), "kind": "other"})
        assert response.status_code == 302
    stored = [document.original_name for document in Document.objects.all()]
    assert len(stored) == 3
    assert all(char.isprintable() for name in stored for char in name)
    assert sorted(path.relative_to(settings.MEDIA_ROOT).as_posix() for path in media_files()) \
        == sorted(Document.objects.values_list("storage_name", flat=True))


def test_upload_without_a_file_says_so(client, counsellor):
    case = new_case(counsellor)
    sign_in(client, counsellor)
    response = client.post(reverse("intake:documents:upload", args=[case.number]),
                            {"kind": "other"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Choose a file to upload."]}


# --- good files -----------------------------------------------------------------------------

def stored_blob(document: Document) -> bytes:
    return (Path(settings.MEDIA_ROOT) / document.storage_name).read_bytes()


def download(client, document: Document):
    return client.get(reverse("intake:documents:download",
                              args=[document.case.number, document.pk]))


def test_pdf_is_stored_encrypted_under_a_random_name_and_comes_back_byte_identical(
        client, counsellor):
    case = new_case(counsellor)
    data = make_pdf(text=PDF_MARKER)
    name = "Statement QZXNAMEMARKER.pdf"
    sign_in(client, counsellor)
    response = client.post(reverse("intake:documents:upload", args=[case.number]),
                           {"file": upload(name, data, PDF), "kind": "court"})

    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.number}/")
    document = Document.objects.get()
    assert (document.case, document.kind, document.content_type, document.size,
            document.original_name, document.uploaded_by, document.key_id) == (
        case, "court", PDF, len(data), name, counsellor, "test2")
    assert re.fullmatch(r"documents/[0-9a-f]{32}", document.storage_name)
    files = media_files()
    assert [path.relative_to(settings.MEDIA_ROOT).as_posix() for path in files] == [
        document.storage_name]
    blob = stored_blob(document)
    assert blob.startswith(b"NSD1\x05test2")
    assert len(blob) == len(data) + 4 + 1 + 5 + 12 + 16
    for secret in (data, PDF_MARKER, b"%PDF", b"QZXNAMEMARKER", b"Statement"):
        assert secret not in blob
    with connection.cursor() as cursor:
        cursor.execute("SELECT original_name FROM intake_document")
        (raw_name,) = cursor.fetchone()
    assert raw_name.startswith("ns1:test2:") and "QZXNAMEMARKER" not in raw_name

    downloaded = download(client, document)
    assert downloaded.status_code == 200
    assert downloaded.content == data
    assert downloaded["Content-Type"] == PDF
    assert downloaded["Content-Disposition"] == (
        "attachment; filename=\"Statement_QZXNAMEMARKER.pdf\"; "
        "filename*=UTF-8''Statement%20QZXNAMEMARKER.pdf")
    assert downloaded["Content-Length"] == str(len(data))
    assert downloaded["X-Content-Type-Options"] == "nosniff"
    assert downloaded["Cache-Control"] == "no-store"
    assert downloaded["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_pdf_of_exactly_ten_megabytes_is_accepted_without_a_temporary_file(
        client, counsellor, monkeypatch):
    def no_temporary_files(*args, **kwargs):
        raise AssertionError("the upload went to a temporary file on disk")

    monkeypatch.setattr("django.core.files.uploadhandler.TemporaryUploadedFile",
                        no_temporary_files)
    case = new_case(counsellor)
    data = pdf_of_size(MAX_BYTES)
    sign_in(client, counsellor)
    response = client.post(reverse("intake:documents:upload", args=[case.number]),
                           {"file": upload("large.pdf", data, PDF), "kind": "other"})
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.size == MAX_BYTES
    assert download(client, document).content == data


@pytest.mark.parametrize("data", [
    pytest.param(lambda: pdf_with_catalog(CATALOG + b"/OpenAction [3 0 R /Fit] >>"),
                 id="destination"),
    pytest.param(lambda: pdf_with_catalog(CATALOG + b"/OpenAction 5 0 R >>", b"[3 0 R /Fit]"),
                 id="reference-to-destination"),  # as pdfTeX/hyperref writes it
    pytest.param(lambda: pdf_with_catalog(
        CATALOG + b"/OpenAction << /S /GoTo /D [3 0 R /FitH 792] >> >>"), id="goto-action"),
    pytest.param(lambda: pdf_with_object_stream(b"[3 0 R /Fit]", b"/OpenAction 6 0 R"),
                 id="reference-into-object-stream"),
    pytest.param(lambda: pdf_with_catalog(
        CATALOG + b"/Annots [<< /Subtype /Link /A << /S /URI /URI (https://example.org) >> >>]"
        b" >>"), id="clickable-web-link"),
    pytest.param(lambda: (DATA / "browser-print.pdf").read_bytes(), id="printed-by-a-browser"),
])
def test_ordinary_pdfs_with_navigation_and_links_are_accepted_unchanged(counsellor, data):
    content = data()
    document = document_add(actor=counsellor, case=new_case(counsellor),
                            uploaded_file=upload("letter.pdf", content, PDF), kind="other")
    assert document_open(actor=counsellor, document=document).content == content


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_jpeg_loses_exif_and_gps_and_keeps_its_pixels(client, counsellor):
    original = jpeg_bytes(gradient((96, 64)), exif=gps_exif(), comment=b"QZXCOMMENTMARKER")
    assert decoded(original).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # positive control
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="identity",
                            uploaded_file=upload("IMG_0001.JPG", original, JPEG))
    sign_in(client, counsellor)
    response = download(client, document)

    assert response.status_code == 200
    assert response["Content-Type"] == JPEG
    image = decoded(response.content)
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert not {"exif", "comment", "icc_profile", "xmp"} & set(image.info)
    for marker in (b"QZXCOMMENTMARKER", GPS_MARKER.encode(), b"QZXCAMERA", b"Exif"):
        assert marker not in response.content
    assert image.size == (96, 64)
    difference = ImageChops.difference(image.convert("RGB"), decoded(original).convert("RGB"))
    assert max(high for _, high in difference.getextrema()) <= 8  # rounding only
    assert document.size == len(response.content)


def test_a_camera_trailer_after_a_jpeg_is_accepted_and_dropped(counsellor):
    """Phones append motion-photo videos and vendor trailers after the image: harmless, and
    gone after re-encoding (an archive, page code or program there is refused, above)."""
    trailer = b"\x00\x00\x00\x18ftypmp42" + bytes(range(1, 200)) * 8 + b"QZXTRAILER" + b"SEFT"
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="identity",
                            uploaded_file=upload("20260101_motion.jpg", jpeg_bytes() + trailer,
                                                 JPEG))
    content = document_open(actor=counsellor, document=document).content
    assert b"QZXTRAILER" not in content and b"ftypmp42" not in content
    assert decoded(content).size == (64, 48)


def test_jpeg_orientation_is_applied_before_the_exif_goes(counsellor):
    original = jpeg_bytes(gradient((96, 64)), exif=gps_exif(orientation=6))
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="identity",
                            uploaded_file=upload("portrait.jpg", original, JPEG))
    image = decoded(document_open(actor=counsellor, document=document).content)
    assert image.size == (64, 96)
    assert dict(image.getexif()) == {}


def test_png_loses_text_exif_and_icc_and_keeps_identical_pixels(client, counsellor):
    source = gradient((40, 30), "RGBA")
    out = io.BytesIO()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "QZXPNGTEXTMARKER")
    info.add_itxt("Location", "QZXPNGITXTMARKER")
    source.save(out, "PNG", pnginfo=info, exif=gps_exif().tobytes(), icc_profile=srgb)
    original = out.getvalue()
    assert decoded(original).text  # positive control
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="medical",
                            uploaded_file=upload("scan.png", original, PNG))
    sign_in(client, counsellor)
    response = download(client, document)

    image = decoded(response.content)
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (40, 30))
    assert image.text == {}
    assert dict(image.getexif()) == {}
    assert not {"exif", "icc_profile", "Author", "Location"} & set(image.info)
    for marker in (b"QZXPNGTEXTMARKER", b"QZXPNGITXTMARKER", GPS_MARKER.encode()):
        assert marker not in response.content
    assert ImageChops.difference(image, source).getbbox() is None


def test_palette_png_keeps_its_transparency(counsellor):
    source = gradient((20, 20)).convert("P")
    out = io.BytesIO()
    source.save(out, "PNG", transparency=0)
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="other",
                            uploaded_file=upload("logo.png", out.getvalue(), PNG))
    image = decoded(document_open(actor=counsellor, document=document).content)
    assert (image.mode, image.info.get("transparency")) == ("P", 0)
    assert image.tobytes() == source.tobytes()


# --- names ----------------------------------------------------------------------------------

def test_path_traversal_name_is_kept_only_as_a_base_name_in_the_database(counsellor):
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="other",
                            uploaded_file=upload("../../etc/passwd.pdf", make_pdf(), PDF))
    assert document.original_name == "passwd.pdf"
    assert [path.relative_to(settings.MEDIA_ROOT).as_posix() for path in media_files()] == [
        document.storage_name]
    everything = Path(settings.MEDIA_ROOT).parent
    assert list(everything.rglob("*passwd*")) == []
    assert not Path("/etc/passwd.pdf").exists()


def test_backslash_path_from_a_browser_is_reduced_to_its_last_part(client, counsellor):
    case = new_case(counsellor)
    sign_in(client, counsellor)
    response = client.post(reverse("intake:documents:upload", args=[case.number]), {
        "file": upload("..\\..\\Windows\\win.ini.pdf", make_pdf(), PDF), "kind": "other"})
    assert response.status_code == 302
    assert Document.objects.get().original_name == "win.ini.pdf"


@pytest.mark.parametrize(("name", "disposition"), [
    ("Résumé de l'audience.pdf",
     "attachment; filename=\"Resume_de_l_audience.pdf\"; "
     "filename*=UTF-8''R%C3%A9sum%C3%A9%20de%20l%27audience.pdf"),
    ('a"; filename=evil.html',
     "attachment; filename=\"a_filename_evil.pdf\"; "
     "filename*=UTF-8''a%22%3B%20filename%3Devil.pdf"),
    ("ملف.pdf", "attachment; filename=\"document.pdf\"; filename*=UTF-8''%D9%85%D9%84%D9%81.pdf"),
    ("notes.txt", "attachment; filename=\"notes.pdf\"; filename*=UTF-8''notes.pdf"),
    ("...", "attachment; filename=\"document.pdf\"; filename*=UTF-8''document.pdf"),
])
def test_download_name_is_safe_and_has_the_right_extension(client, counsellor, name,
                                                           disposition):
    document = document_add(actor=counsellor, case=new_case(counsellor), kind="other",
                            uploaded_file=upload(name, make_pdf(), PDF))
    sign_in(client, counsellor)
    assert download(client, document)["Content-Disposition"] == disposition


# --- canary ---------------------------------------------------------------------------------

def test_no_marker_from_a_document_reaches_the_media_folder_the_database_or_the_logs(
        client, counsellor, caplog):
    caplog.set_level(logging.DEBUG)
    case = new_case(counsellor)
    sign_in(client, counsellor)
    uploads = [
        ("QZXNAMEPDF statement.pdf", make_pdf(text=PDF_MARKER), PDF),
        ("QZXNAMEJPEG photo.jpg", jpeg_bytes(exif=gps_exif(), comment=b"QZXJPEGCOMMENT"), JPEG),
        ("QZXNAMEPNG scan.png", png_bytes(text={"Author": "QZXPNGAUTHOR"}), PNG),
    ]
    for name, data, content_type in uploads:
        response = client.post(reverse("intake:documents:upload", args=[case.number]),
                               {"file": upload(name, data, content_type), "kind": "identity"})
        assert response.status_code == 302
    for document in Document.objects.all():
        assert download(client, document).status_code == 200
    markers = ["QZXNAMEPDF", "QZXNAMEJPEG", "QZXNAMEPNG", PDF_MARKER.decode(), GPS_MARKER,
               "QZXCAMERA", "QZXJPEGCOMMENT", "QZXPNGAUTHOR"]

    assert len(media_files()) == 3
    media = media_text()
    assert [m for m in markers if m in media] == []
    assert [m for m in markers if m in database_text()] == []
    assert [m for m in markers if m in caplog.text] == []
    # Positive control: the counsellor sees the names on the upload result.
    assert sorted(d.original_name for d in Document.objects.all()) == sorted(
        name for name, _, _ in uploads)
