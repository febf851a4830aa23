"""A ``Release`` as a file: CSV, XLSX or JSON. Same tables, same numbers, same notes.

Only what the release holds is written: titles, category names, protected numbers, markers and
the notes. Nothing is read from the database here.

Spreadsheet formula injection: a text cell that a spreadsheet would run as a formula (starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — a partner organisation's name is
the only text not written by us) is written as text. In CSV it gets a leading ``'`` (OWASP's
advice); in XLSX the cell is stored with the string type, so no formula is ever stored.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font

from stats.report import Release, ReleaseTable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_LIMIT = 31
REPLACEMENT_CHARACTER = "\ufffd"
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class ExportFormat:
    code: str
    content_type: str
    extension: str


FORMATS = {
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv"),
    "xlsx": ExportFormat(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "json": ExportFormat("json", "application/json", "json"),
}


def neutralised(value):
    """A CSV cell that no spreadsheet will evaluate: text starting like a formula gets ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def render(release: Release, export_format: str) -> bytes:
    return {"csv": render_csv, "xlsx": render_xlsx, "json": render_json}[export_format](release)


def heading_rows(release: Release) -> list[list]:
    return [
        [_("Northstar anonymised statistics")],
        [_("Period"), release.period.first, release.period.last],
        [_("Smallest published count (k)"), release.min_cell],
    ]


def table_rows(table: ReleaseTable) -> list[list]:
    rows = [[table.title]]
    if table.withheld:
        rows.append([_("Withheld: the small counts of this population could not be protected, "
                       "so none of its numbers are published.")])
    rows.append([table.row_heading, *(column.label for column in table.columns)])
    rows.extend([row.label, *row.values] for row in table.rows)
    return rows


def render_csv(release: Release) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    rows = [*heading_rows(release), []]
    for table in release.tables:
        rows += [*table_rows(table), []]
    rows += [[_("Notes")], *([note] for note in release.footnotes)]
    for row in rows:
        writer.writerow([neutralised(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM tells Excel it is UTF-8


def render_xlsx(release: Release) -> bytes:
    """A "Notes" sheet first, then one sheet per section with its tables one under another."""
    workbook = Workbook()
    notes = workbook.active
    notes.title = sheet_name(_("Notes"), set())
    for row in [*heading_rows(release), [], *([note] for note in release.footnotes)]:
        append(notes, row)
    notes["A1"].font = Font(bold=True)
    names = {notes.title}
    sheets = {}
    for table in release.tables:
        if table.section not in sheets:
            sheets[table.section] = workbook.create_sheet(sheet_name(table.section, names))
            names.add(sheets[table.section].title)
        sheet = sheets[table.section]
        for index, row in enumerate(table_rows(table)):
            append(sheet, row, bold=index == 0)
        sheet.append([])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def append(sheet, values: list, *, bold: bool = False) -> None:
    cells = []
    for value in values:
        if isinstance(value, str):
            # XML cannot hold most control characters: one in a partner's name would make the
            # whole file fail. Each is shown as U+FFFD instead.
            value = ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, value)
        cell = Cell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
        if bold:
            cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)


def sheet_name(title: str, taken: set[str]) -> str:
    base = str(title).translate(SHEET_NAME_FORBIDDEN).strip()[:SHEET_NAME_LIMIT] or "Sheet"
    name, number = base, 2
    while name in taken:
        suffix = f" {number}"
        name, number = base[:SHEET_NAME_LIMIT - len(suffix)] + suffix, number + 1
    return name


def release_document(release: Release) -> dict:
    """The release as plain data (the JSON export, and what tests compare the others with)."""
    return {
        "title": _("Northstar anonymised statistics"),
        "period": {"from": release.period.first, "to": release.period.last,
                   "quarters": list(release.period.quarters)},
        "min_cell": release.min_cell,
        "markers": {"small_count": f"<{release.min_cell}", "hidden": "x",
                    "not_applicable": ".."},
        "tables": [table_document(table) for table in release.tables],
        "notes": list(release.footnotes),
    }


def table_document(table: ReleaseTable) -> dict:
    return {
        "id": table.slug,
        "section": table.section,
        "title": table.title,
        "kind": table.kind,
        "withheld": table.withheld,
        "row_heading": table.row_heading,
        "columns": [{"key": column.key, "label": column.label} for column in table.columns],
        "rows": [{"key": row.key, "label": row.label, "total": row.is_total,
                  "values": dict(zip((column.key for column in table.columns), row.values,
                                     strict=True))} for row in table.rows],
    }


def render_json(release: Release) -> bytes:
    return json.dumps(release_document(release), ensure_ascii=False, indent=2).encode("utf-8")
