"""Small fixtures for the statistics tests: cases and referrals with exact, known columns.

Cases are made directly (not through the intake services) so each test controls exactly the
columns statistics read: ``created_at``, ``close_reason``, ``screening_outcomes`` and the
statistical record. ``tests/stats/test_stats_canary.py`` goes through the real services.
"""

from __future__ import annotations

import datetime
import io
import json
import zipfile
from zoneinfo import ZoneInfo

from intake.case_numbers import new_case_number
from intake.models import Case, Client
from northstar.accounts.models import Organisation
from referrals.models import Referral, ReferralStatus

TORONTO = ZoneInfo("America/Toronto")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """An aware datetime, Toronto time (the reporting time zone)."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=TORONTO)


def make_case(actor, *, created_at: datetime.datetime, province: str = "", age_band: str = "",
              nationality: str = "", outcomes: dict | None = None,
              close_reason: str = "") -> Case:
    client = Client.objects.create(given_name="Fictional")
    return Case.objects.create(
        client=client, number=new_case_number(), created_by=actor, created_at=created_at,
        stat_province=province, stat_age_band=age_band, stat_nationality=nationality,
        screening_outcomes=outcomes or {}, close_reason=close_reason)


def make_cases(actor, count: int, **columns) -> list[Case]:
    return [make_case(actor, **columns) for _ in range(count)]


def partner(name: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        name=name, defaults={"kind": Organisation.Kind.PARTNER})
    return organisation


def make_referral(case: Case, actor, *, to: Organisation, service_type: str, status: str,
                  sent_at: datetime.datetime | None, answered_after: datetime.timedelta | None
                  = None, province: str = "") -> Referral:
    answered_at = sent_at + answered_after if answered_after is not None else None
    return Referral.objects.create(
        case=case, partner=to, service_type=service_type, status=status, created_by=actor,
        created_at=sent_at or at(2026, 1, 1), sent_at=sent_at, answered_at=answered_at,
        decline_reason="no_capacity" if status == ReferralStatus.DECLINED else "",
        stat_province=province)


def make_referrals(count: int, case: Case, actor, **columns) -> list[Referral]:
    return [make_referral(case, actor, **columns) for _ in range(count)]


def xlsx_text(content: bytes) -> str:
    """Every XML part of an XLSX file, decompressed (shared strings, sheets, properties)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def json_values(content: bytes) -> dict[tuple[str, str, str], object]:
    """(table id, row key, column key) → published value, from a JSON export."""
    document = json.loads(content)
    return {(table["id"], row["key"], column): value
            for table in document["tables"] for row in table["rows"]
            for column, value in row["values"].items()}


def csv_rows(content: bytes) -> list[list[str]]:
    import csv

    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_sheets(content: bytes) -> dict[str, list[list]]:
    """Sheet title → rows of cell values (``None`` for empty cells trimmed at the end)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in workbook.worksheets:
        rows = []
        for row in sheet.iter_rows(values_only=True):
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            rows.append(values)
        sheets[sheet.title] = rows
    return sheets


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def expected_rows(table: dict, *, as_csv: bool) -> list[list]:
    """The rows a table of a JSON export must have in CSV (``as_csv``: text, and text that
    starts like a formula behind a ``'``) or XLSX (typed values): title, the withheld notice
    if any, the header, then label and values per row."""
    def shown(value):
        if not as_csv:
            return value
        text = str(value)
        return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text

    rows = [[shown(table["title"])]]
    if table["withheld"]:
        rows.append([None])  # the notice's text is checked separately
    rows.append([shown(table["row_heading"]),
                 *(shown(column["label"]) for column in table["columns"])])
    for row in table["rows"]:
        rows.append([shown(row["label"]), *(shown(row["values"][column["key"]])
                                            for column in table["columns"])])
    return rows


def assert_rows_match(found: list[list], expected: list[list], start: int) -> int:
    """Compare ``expected`` with ``found`` from ``start``; return where the next table is."""
    for offset, row in enumerate(expected):
        actual = found[start + offset]
        if row == [None]:
            assert len(actual) == 1 and actual[0], actual
            continue
        assert actual == row, (start + offset, actual, row)
    return start + len(expected) + 1  # a blank row follows each table


def mixed_release_data(actor) -> None:
    """Intakes and referrals in 2026-Q1..Q2 that give, with k = 5, exact counts, "<5",
    complementary "x", published rates and medians, and ".." (for the two-quarter period)."""
    from referrals.models import ReferralStatus

    day = datetime.timedelta(days=1)
    refugee = "refugee_claim"
    make_cases(actor, 12, created_at=at(2026, 2, 3), province="ON", age_band="25-34",
               nationality="MX", outcomes={refugee: "LIKELY_ELIGIBLE"})
    make_cases(actor, 3, created_at=at(2026, 3, 4), province="QC", age_band="0-17",
               nationality="HN")
    make_cases(actor, 7, created_at=at(2026, 5, 6), province="BC", age_band="50+",
               nationality="MX", outcomes={refugee: "LIKELY_INELIGIBLE"})
    make_cases(actor, 2, created_at=at(2026, 6, 7), province="ON", nationality="VE")
    case = Case.objects.order_by("pk").first()
    aurore, bridge = partner("Aurore (test)"), partner("Bridge (test)")
    for index in range(8):
        make_referral(case, actor, to=aurore, service_type="legal_aid",
                      status=ReferralStatus.ACCEPTED, sent_at=at(2026, 1, 10),
                      answered_after=day * (index + 1), province="ON")
    for _ in range(6):
        make_referral(case, actor, to=bridge, service_type="shelter",
                      status=ReferralStatus.DECLINED, sent_at=at(2026, 2, 10),
                      answered_after=day, province="QC")
    for _ in range(2):
        make_referral(case, actor, to=bridge, service_type="shelter",
                      status=ReferralStatus.COMPLETED, sent_at=at(2026, 4, 10),
                      answered_after=day, province="QC")
    make_referral(case, actor, to=bridge, service_type="medical", status=ReferralStatus.SENT,
                  sent_at=at(2026, 5, 10), province="ON")
