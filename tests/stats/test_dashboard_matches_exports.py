"""Acceptance 3: the figures on the dashboard equal those in every export of the same period.

Every value cell of the dashboard carries ``data-stat="<table>|<row>|<column>"``; the JSON
export names the same numbers by the same keys. The CSV and XLSX exports are compared with the
JSON one table by table and cell by cell (tests/stats/test_exports.py), and here again with
the dashboard through it.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from stats.models import ExportJob
from tests.helpers import sign_in
from tests.stats.stats_helpers import (
    assert_rows_match,
    csv_rows,
    expected_rows,
    json_values,
    mixed_release_data,
    xlsx_sheets,
)

PERIOD = {"from_quarter": "2026-Q1", "to_quarter": "2026-Q2"}


class StatCells(HTMLParser):
    """Collects the text of every element with a ``data-stat`` attribute."""

    def __init__(self):
        super().__init__()
        self.cells: dict[tuple[str, str, str], str] = {}
        self.current: tuple[str, str, str] | None = None

    def handle_starttag(self, tag, attrs):
        stat = dict(attrs).get("data-stat")
        if stat:
            table, row, column = stat.split("|")
            self.current = (table, row, column)
            self.cells[self.current] = ""

    def handle_data(self, data):
        if self.current is not None:
            self.cells[self.current] += data

    def handle_endtag(self, tag):
        self.current = None


def dashboard_cells(client, period: dict) -> dict[tuple[str, str, str], str]:
    response = client.get("/stats/", period)
    assert response.status_code == 200
    parser = StatCells()
    parser.feed(response.content.decode())
    return parser.cells


def export(client, django_capture_on_commit_callbacks, export_format: str) -> bytes:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/stats/exports/", {**PERIOD, "format": export_format})
    job = ExportJob.objects.order_by("-created_at").first()
    response = client.get(f"/stats/exports/{job.pk}/download/")
    assert response.status_code == 200
    return response.content


@pytest.mark.django_db
def test_dashboard_figures_equal_the_exports(client, admin_user, settings,
                                             django_capture_on_commit_callbacks):
    settings.STATS_MIN_CELL = 5
    mixed_release_data(admin_user)
    sign_in(client, admin_user)
    shown = dashboard_cells(client, PERIOD)

    exported = export(client, django_capture_on_commit_callbacks, "json")
    published = json_values(exported)
    assert set(shown) == set(published)
    assert shown == {key: str(value) for key, value in published.items()}
    kinds = set(shown.values())
    assert {"<5", "x", ".."} <= kinds  # the comparison covers every kind of value
    assert "12" in kinds and any("." in value and value != ".." for value in kinds)

    document = json.loads(exported)
    rows = csv_rows(export(client, django_capture_on_commit_callbacks, "csv"))
    position = 4
    for table in document["tables"]:
        position = assert_rows_match(rows, expected_rows(table, as_csv=True), position)
    sheets = xlsx_sheets(export(client, django_capture_on_commit_callbacks, "xlsx"))
    positions: dict[str, int] = {}
    for table in document["tables"]:
        sheet = table["section"]
        positions[sheet] = assert_rows_match(sheets[sheet], expected_rows(table, as_csv=False),
                                             positions.get(sheet, 0))


@pytest.mark.django_db
def test_dashboard_shows_the_chosen_period_and_the_defaults_otherwise(client, admin_user):
    sign_in(client, admin_user)
    html = client.get("/stats/", {"from_quarter": "2025-Q3", "to_quarter": "2026-Q1"}).content
    assert "From 2025-Q3 to 2026-Q1." in html.decode()
    assert 'data-stat="intakes_by_quarter_and_province|2025-Q4|total"' in html.decode()
    html = client.get("/stats/", {"from_quarter": "2026-Q2", "to_quarter": "2025-Q1"})
    assert "is not after the" in html.content.decode()


@pytest.mark.django_db
def test_dashboard_renders_when_everything_is_suppressed(client, admin_user):
    """The demo network has a handful of cases: every number is hidden, with a clear note."""
    from tests.stats.stats_helpers import at, make_cases

    make_cases(admin_user, 3, created_at=at(2026, 2, 1), province="ON", nationality="MX")
    sign_in(client, admin_user)
    response = client.get("/stats/", PERIOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Most numbers of this period are hidden." in html
    cells = dashboard_cells(client, PERIOD)
    assert cells[("intakes_by_quarter_and_province", "total", "total")] == "<11"
    assert "3" not in {value for key, value in cells.items() if key[0].startswith("intakes")}
    assert "<script" not in html.split("</footer>")[0]  # charts are inline SVG, no script
    assert " style=" not in html


@pytest.mark.django_db
def test_statistics_are_in_the_navigation_of_admins_only(client, admin_user):
    from tests.factories import UserFactory

    sign_in(client, admin_user)
    assert 'href="/stats/">Statistics</a>' in client.get("/").content.decode()
    sign_in(client, UserFactory(coordinator=True, counsellor=True))
    assert 'href="/stats/"' not in client.get("/").content.decode()
