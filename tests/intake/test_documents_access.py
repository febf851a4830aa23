"""Documents: who reaches them, closed cases, audit and timeline, removal, atomicity, key
rotation, tampering, the purge hook, the case-page panel and the access-matrix rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from intake.documents import (
    CaseReadOnly,
    DocumentUnavailable,
    case_documents_purge,
    document_add,
    document_open,
    document_remove,
    documents_purge_hook,
    rotate_document_keys,
)
from intake.documents.selectors import documents_panel
from intake.models import CaseEvent, Document
from intake.services import case_close, case_reopen
from northstar.audit.models import AuditEvent
from northstar.security.rotation import models_with_encrypted_fields, rotate_all, rotate_model
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.intake.document_helpers import make_pdf, media_files, new_case, png_bytes, upload
from tests.security.matrix_intake_documents import ROWS
from tests.security.test_access_matrix import expected_status, make_persona

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.intake.urls_documents_test")]

PDF = "application/pdf"
NAME = "QZXNAME passport.pdf"


def add_pdf(actor, case=None, name: str = NAME, data: bytes | None = None) -> Document:
    return document_add(actor=actor, case=case or new_case(actor), kind="identity",
                        uploaded_file=upload(name, data or make_pdf(), PDF))


def urls(document: Document) -> dict[str, str]:
    number = document.case.number
    return {
        "upload": reverse("intake:documents:upload", args=[number]),
        "download": reverse("intake:documents:download", args=[number, document.pk]),
        "remove": reverse("intake:documents:remove", args=[number, document.pk]),
    }


def stored_names() -> list[str]:
    return sorted(path.relative_to(settings.MEDIA_ROOT).as_posix() for path in media_files())


# --- access ---------------------------------------------------------------------------------

def test_another_counsellor_gets_404_everywhere_and_changes_nothing(client, counsellor):
    document = add_pdf(counsellor)
    sign_in(client, UserFactory(counsellor=True))
    links = urls(document)
    assert client.get(links["upload"]).status_code == 404
    assert client.post(links["upload"], {"file": upload("x.pdf", make_pdf(), PDF),
                                         "kind": "other"}).status_code == 404
    assert client.get(links["download"]).status_code == 404
    assert client.post(links["remove"]).status_code == 404
    assert Document.objects.get().removed_at is None
    assert Document.objects.count() == 1
    assert stored_names() == [document.storage_name]
    assert not AuditEvent.objects.filter(action="case.document_downloaded").exists()


@pytest.mark.parametrize("persona", ["partner", "admin"])
def test_partner_and_admin_are_refused_by_the_policy(client, counsellor, persona):
    document = add_pdf(counsellor)
    user = UserFactory(partner=True) if persona == "partner" else UserFactory(admin=True)
    sign_in(client, user)
    links = urls(document)
    assert client.get(links["upload"]).status_code == 403
    assert client.get(links["download"]).status_code == 403
    assert client.post(links["remove"]).status_code == 403
    assert Document.objects.get().removed_at is None


def test_coordinator_sees_and_adds_documents_on_any_case(client, counsellor, coordinator):
    document = add_pdf(counsellor)
    sign_in(client, coordinator)
    links = urls(document)
    assert client.get(links["download"]).status_code == 200
    assert client.get(links["upload"]).status_code == 200
    response = client.post(links["upload"], {"file": upload("b.png", png_bytes(), "image/png"),
                                             "kind": "other"})
    assert response.status_code == 302
    assert Document.objects.filter(case=document.case, uploaded_by=coordinator).count() == 1


def test_a_document_is_only_reachable_through_its_own_case(client, counsellor):
    document = add_pdf(counsellor)
    other_case = new_case(counsellor, given_name="Other")
    sign_in(client, counsellor)
    wrong_download = reverse("intake:documents:download", args=[other_case.number, document.pk])
    wrong_remove = reverse("intake:documents:remove", args=[other_case.number, document.pk])
    assert client.get(wrong_download).status_code == 404
    assert client.post(wrong_remove).status_code == 404
    assert client.get(reverse("intake:documents:download",
                              args=["NS-0000-0000", document.pk])).status_code == 404
    assert Document.objects.get().removed_at is None


def test_upload_page_shows_the_form(client, counsellor):
    case = new_case(counsellor)
    sign_in(client, counsellor)
    response = client.get(reverse("intake:documents:upload", args=[case.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"' in page
    assert " style=" not in page


# --- closed cases ---------------------------------------------------------------------------

def test_closed_case_takes_no_upload_and_no_removal_but_still_downloads(client, counsellor):
    document = add_pdf(counsellor)
    case_close(actor=counsellor, case=document.case, reason="other")
    sign_in(client, counsellor)
    links = urls(document)
    closed = "Documents cannot be added to or removed from a closed case."
    for response in (
        client.get(links["upload"]),
        client.post(links["upload"], {"file": upload("new.pdf", make_pdf(), PDF),
                                      "kind": "other"}),
        client.post(links["remove"]),
    ):
        assert response.status_code == 403
        assert closed in response.content.decode()
    assert client.get(links["download"]).status_code == 200
    assert Document.objects.count() == 1
    assert Document.objects.get().removed_at is None
    assert stored_names() == [document.storage_name]
    with pytest.raises(CaseReadOnly):
        add_pdf(counsellor, case=document.case)
    with pytest.raises(CaseReadOnly):
        document_remove(actor=counsellor, document=document)
    assert stored_names() == [document.storage_name]

    case_reopen(actor=counsellor, case=document.case)
    assert client.get(links["upload"]).status_code == 200


# --- audit and timeline ---------------------------------------------------------------------

def test_add_download_and_remove_are_audited_and_on_the_timeline_without_the_name(
        client, counsellor, django_capture_on_commit_callbacks):
    case = new_case(counsellor)
    data = make_pdf()
    sign_in(client, counsellor)
    client.post(reverse("intake:documents:upload", args=[case.number]),
                {"file": upload(NAME, data, PDF), "kind": "identity"})
    document = Document.objects.get()
    client.get(urls(document)["download"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(urls(document)["remove"])

    rows = list(AuditEvent.objects.filter(action__startswith="case.document").order_by("id")
                .values_list("action", "actor_id", "object_type", "object_id", "details"))
    assert rows == [
        ("case.document_added", counsellor.pk, "intake.case", str(case.pk),
         {"document": document.pk, "content_type": PDF, "size": len(data)}),
        ("case.document_downloaded", counsellor.pk, "intake.case", str(case.pk),
         {"document": document.pk}),
        ("case.document_removed", counsellor.pk, "intake.case", str(case.pk),
         {"document": document.pk}),
    ]
    events = list(case.events.filter(kind__startswith="document").order_by("id")
                  .values_list("kind", "actor_id", "details"))
    assert events == [
        (CaseEvent.Kind.DOCUMENT_ADDED, counsellor.pk, {"document": document.pk}),
        (CaseEvent.Kind.DOCUMENT_REMOVED, counsellor.pk, {"document": document.pk}),
    ]
    everything = str(list(AuditEvent.objects.values_list("details", flat=True))) + str(
        list(CaseEvent.objects.values_list("details", flat=True)))
    assert "QZXNAME" not in everything and "passport" not in everything


# --- removal --------------------------------------------------------------------------------

def test_remove_deletes_the_file_after_commit_and_keeps_the_row(
        client, counsellor, django_capture_on_commit_callbacks):
    document = add_pdf(counsellor)
    keep = add_pdf(counsellor, case=document.case, name="other.pdf")
    sign_in(client, counsellor)
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(urls(document)["remove"])
        assert len(stored_names()) == 2  # nothing deleted before the commit
    for callback in callbacks:
        callback()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{document.case.number}/")
    document.refresh_from_db()
    assert document.removed_at is not None and document.removed_by == counsellor
    assert stored_names() == [keep.storage_name]
    assert client.get(urls(document)["download"]).status_code == 404
    assert client.post(urls(document)["remove"]).status_code == 404
    with pytest.raises(DocumentUnavailable):
        document_open(actor=counsellor, document=document)
    assert client.get(urls(keep)["download"]).status_code == 200


# --- atomicity ------------------------------------------------------------------------------

def test_a_failed_database_write_leaves_no_file_behind(counsellor, monkeypatch):
    case = new_case(counsellor)

    def failing_audit(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("intake.documents.services.audit_record", failing_audit)
    with pytest.raises(RuntimeError):
        add_pdf(counsellor, case=case)
    assert Document.objects.count() == 0
    assert media_files() == []
    assert not case.events.filter(kind=CaseEvent.Kind.DOCUMENT_ADDED).exists()


def test_a_failed_storage_write_leaves_no_row(counsellor, monkeypatch):
    case = new_case(counsellor)

    def failing_write(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("intake.documents.services.blob_write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        add_pdf(counsellor, case=case)
    assert Document.objects.count() == 0
    assert not case.events.filter(kind=CaseEvent.Kind.DOCUMENT_ADDED).exists()


# --- key rotation ---------------------------------------------------------------------------

def header_key(document: Document) -> bytes:
    blob = (Path(settings.MEDIA_ROOT) / document.storage_name).read_bytes()
    return blob[5:5 + blob[4]]


def test_rotation_moves_every_stored_file_to_the_active_key(
        settings, counsellor, django_capture_on_commit_callbacks):
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"
    pdf = make_pdf(text=b"rotate me")
    documents = [add_pdf(counsellor, data=pdf),
                 document_add(actor=counsellor, case=new_case(counsellor), kind="other",
                              uploaded_file=upload("a.png", png_bytes(), "image/png"))]
    removed = add_pdf(counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(actor=counsellor, document=removed)
    png = document_open(actor=counsellor, document=documents[1]).content
    old_names = {document.storage_name for document in documents}
    assert [(d.key_id, header_key(d)) for d in documents] == [("test1", b"test1")] * 2

    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test2"
    with django_capture_on_commit_callbacks(execute=True):
        report = rotate_document_keys(batch_size=1)
    rotate_all()  # the encrypted fields (cases, clients, the document's name)

    assert (report.model, report.rows) == ("intake.Document (stored files)", 2)
    for document in documents:
        document.refresh_from_db()
    assert [(d.key_id, header_key(d)) for d in documents] == [("test2", b"test2")] * 2
    assert not old_names & {document.storage_name for document in documents}
    assert stored_names() == sorted(document.storage_name for document in documents)
    assert rotate_document_keys().rows == 0

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]  # test2 only
    assert document_open(actor=counsellor, document=documents[0]).content == pdf
    assert document_open(actor=counsellor, document=documents[1]).content == png


def test_a_file_under_a_dropped_key_is_unavailable_not_an_error_page(
        settings, client, counsellor):
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = "test1"
    document = add_pdf(counsellor)
    settings.FIELD_ENCRYPTION_ACTIVE_KEY_ID = ""
    # Every encrypted column moves to test2, but the stored file is left behind (as if the
    # document step of the rotation had been skipped) before the old key is dropped.
    for model in models_with_encrypted_fields():
        rotate_model(model)
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS.split(",")[0]
    sign_in(client, counsellor)
    assert client.get(urls(document)["download"]).status_code == 404


# --- tampering ------------------------------------------------------------------------------

def test_a_modified_stored_file_does_not_decrypt(client, counsellor):
    document = add_pdf(counsellor)
    path = Path(settings.MEDIA_ROOT) / document.storage_name
    blob = bytearray(path.read_bytes())
    blob[-20] ^= 0x01
    path.write_bytes(bytes(blob))
    sign_in(client, counsellor)
    assert client.get(urls(document)["download"]).status_code == 404
    assert not AuditEvent.objects.filter(action="case.document_downloaded").exists()


def test_a_row_pointed_at_another_documents_file_or_type_does_not_decrypt(counsellor):
    first = add_pdf(counsellor)
    second = add_pdf(counsellor)
    Document.objects.filter(pk=first.pk).update(storage_name="documents/swap")
    Document.objects.filter(pk=second.pk).update(storage_name=first.storage_name)
    with pytest.raises(DocumentUnavailable):
        document_open(actor=counsellor, document=second)
    Document.objects.filter(pk=second.pk).update(storage_name=second.storage_name)
    Document.objects.filter(pk=first.pk).update(storage_name=first.storage_name,
                                                content_type="image/png")
    with pytest.raises(DocumentUnavailable):
        document_open(actor=counsellor, document=first)
    assert document_open(actor=counsellor, document=second).content == make_pdf()


# --- purge ----------------------------------------------------------------------------------

def test_purge_deletes_every_file_and_blanks_the_names_even_on_a_closed_case(
        counsellor, django_capture_on_commit_callbacks):
    case = new_case(counsellor)
    documents = [add_pdf(counsellor, case=case), add_pdf(counsellor, case=case, name="b.pdf")]
    other = add_pdf(counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        document_remove(actor=counsellor, document=documents[1])
    case_close(actor=counsellor, case=case, reason="other")
    with django_capture_on_commit_callbacks(execute=True):
        assert case_documents_purge(actor=None, case=case) == 1
    assert stored_names() == [other.storage_name]
    assert list(Document.objects.filter(case=case).values_list("original_name", flat=True)) \
        == ["", ""]
    assert not Document.objects.filter(case=case, removed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="case.documents_purged",
                                     details={"documents": 1}).count() == 1


def test_the_purge_hook_runs_in_the_case_purge(counsellor, monkeypatch,
                                              django_capture_on_commit_callbacks):
    from intake import lifecycle

    monkeypatch.setattr(lifecycle, "PURGE_HOOKS", [documents_purge_hook])
    document = add_pdf(counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        lifecycle.case_purge(case=document.case, reason="erasure", actor=counsellor)
    document.refresh_from_db()
    assert (document.removed_at is not None, document.original_name) == (True, "")
    assert media_files() == []


def test_an_unknown_kind_is_a_programming_error(counsellor):
    with pytest.raises(ValueError, match="unknown document kind 'passport'"):
        document_add(actor=counsellor, case=new_case(counsellor), kind="passport",
                     uploaded_file=upload("a.pdf", make_pdf(), PDF))
    assert media_files() == []


# --- the case page's panel ------------------------------------------------------------------

def panel(user, case) -> str:
    return render_to_string("intake/partials/_documents.html", documents_panel(user, case))


def test_documents_panel_lists_documents_with_links_and_the_upload_form(counsellor):
    document = add_pdf(counsellor, name="Court <order> & co.pdf")
    html = panel(counsellor, document.case)
    links = urls(document)
    assert "Court &lt;order&gt; &amp; co.pdf" in html
    assert f'href="{links["download"]}"' in html
    assert f'action="{links["remove"]}"' in html
    assert f'action="{links["upload"]}"' in html and 'enctype="multipart/form-data"' in html
    assert "Identity document" in html and "PDF" in html
    assert "<caption" in html and 'scope="col"' in html
    assert " style=" not in html and "<script" not in html


def test_documents_panel_of_a_closed_case_has_no_upload_or_remove(counsellor):
    document = add_pdf(counsellor)
    case = case_close(actor=counsellor, case=document.case, reason="other")
    html = panel(counsellor, case)
    links = urls(document)
    assert f'href="{links["download"]}"' in html
    assert links["remove"] not in html and links["upload"] not in html
    assert "documents cannot be added or removed" in html


# --- access-matrix rows ---------------------------------------------------------------------

@pytest.mark.parametrize("view_name", sorted(ROWS))
def test_matrix_rows_hold(view_name):
    """The rows the lead merges into the access matrix, checked here against these URLs."""
    row = ROWS[view_name]
    url = reverse(view_name, kwargs=row.kwargs())
    failures = []
    for persona in ("anonymous", "counsellor", "coordinator", "partner", "admin", "superuser",
                    "password_only", "deactivated"):
        for method in ("GET", "POST"):
            client = make_persona(persona)
            response = client.get(url) if method == "GET" else client.post(url, {})
            status, location = expected_status(row, persona, method)
            if response.status_code != status or (
                    location and not response.get("Location", "").startswith(location)):
                failures.append(f"{persona} {method}: {response.status_code}, expected {status}")
    assert failures == []
