"""A release arranged for the dashboard: tables with their cells, bar charts, the screening
matrix. Every number shown comes from the ``Release`` unchanged; each value cell carries
``data-stat="<table>|<row>|<column>"`` so that a reader (and the test that compares the
dashboard with the exports) can tell which published number it is."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from eligibility.engine import PATHWAYS
from stats import aggregates, labels
from stats.report import COUNT, TOTAL, Release, ReleaseTable, Value

BAR_AREA = 320  # width of the longest bar, in SVG units
LABEL_AREA = 230
BAR_HEIGHT = 22
BAR_GAP = 6


@dataclass(frozen=True)
class Cell:
    value: Value
    stat: str
    is_number: bool


@dataclass(frozen=True)
class DisplayRow:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool


@dataclass(frozen=True)
class Bar:
    label: str
    value: Value
    width: int
    y: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart drawn as inline SVG (attributes only: no script, no style)."""

    title: str
    bars: tuple[Bar, ...]
    height: int
    width: int = LABEL_AREA + BAR_AREA + 70
    label_x: int = LABEL_AREA - 8
    bar_x: int = LABEL_AREA
    bar_height: int = BAR_HEIGHT


@dataclass(frozen=True)
class DisplayTable:
    slug: str
    title: str
    row_heading: str
    column_labels: tuple[str, ...]
    rows: tuple[DisplayRow, ...]
    withheld: bool
    chart: Chart | None


@dataclass(frozen=True)
class Section:
    title: str
    tables: tuple[DisplayTable, ...]


def cell(slug: str, row_key: str, column_key: str, value: Value) -> Cell:
    return Cell(value, f"{slug}|{row_key}|{column_key}", isinstance(value, int | float))


def display_table(table: ReleaseTable, *, with_chart: bool) -> DisplayTable:
    rows = tuple(
        DisplayRow(row.label, tuple(cell(table.slug, row.key, column.key, value)
                                    for column, value in zip(table.columns, row.values,
                                                             strict=True)), row.is_total)
        for row in table.rows)
    return DisplayTable(table.slug, table.title, table.row_heading,
                        tuple(column.label for column in table.columns), rows, table.withheld,
                        chart_of(table) if with_chart else None)


def chart_of(table: ReleaseTable) -> Chart:
    """Bars of the last column (the count, or the row total) of each row but the total. A
    hidden value has no bar, only its marker."""
    values = [(row.label, row.values[-1]) for row in table.body_rows]
    largest = max((value for _, value in values if isinstance(value, int)), default=0)
    bars = []
    for index, (label, value) in enumerate(values):
        width = round(BAR_AREA * value / largest) if isinstance(value, int) and largest else 0
        y = index * (BAR_HEIGHT + BAR_GAP)
        bars.append(Bar(label, value, width, y, y + BAR_HEIGHT - 6, LABEL_AREA + width + 6))
    title = _("Bar chart of “%(column)s” by %(heading)s") % {
        "column": table.columns[-1].label, "heading": table.row_heading.lower()}
    return Chart(title, tuple(bars), len(bars) * (BAR_HEIGHT + BAR_GAP))


def screening_matrix(release: Release) -> DisplayTable:
    """The nine one-way screening tables side by side: a row per pathway, a column per
    outcome. The numbers are those of each pathway's own protected table."""
    tables = [release.table(aggregates.screening_table_name(p)) for p in PATHWAYS]
    outcomes = [row.key for row in tables[0].body_rows]
    rows = tuple(
        DisplayRow(labels.pathway_name(pathway),
                   tuple(cell(table.slug, key, COUNT, table.value(key, COUNT))
                         for key in (*outcomes, TOTAL)), is_total=False)
        for pathway, table in zip(PATHWAYS, tables, strict=True))
    return DisplayTable("screening", _("Screening outcomes by pathway"), _("Pathway"),
                        (*(labels.outcome_label(key) for key in outcomes), _("Total")), rows,
                        any(table.withheld for table in tables), None)


CHARTED = {"intakes_by_quarter_and_province", "intakes_by_age_band",
           "referrals_by_quarter_and_service", "referrals_by_service_and_answer"}


def dashboard_sections(release: Release) -> list[Section]:
    screening = {aggregates.screening_table_name(pathway) for pathway in PATHWAYS}
    sections: dict[str, list[DisplayTable]] = {}
    for table in release.tables:
        if table.slug in screening:
            if table.slug == aggregates.screening_table_name(PATHWAYS[0]):
                sections.setdefault(table.section, []).append(screening_matrix(release))
            continue
        sections.setdefault(table.section, []).append(
            display_table(table, with_chart=table.slug in CHARTED))
    return [Section(title, tuple(tables)) for title, tables in sections.items()]
