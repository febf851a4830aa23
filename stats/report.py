"""One statistical release: the fixed set of tables for a period, protected together.

``build_release(period)`` runs the queries of ``aggregates`` in one consistent snapshot, passes
*every* count table to ``suppress`` in one call (tables of one population are protected as a
linked set, so no ``"<k"`` can be worked out from another table of the same release), then
derives the rates and medians from the protected numbers only. The dashboard and every export
format render this same ``Release``: what an admin sees on screen is what a file contains.

Derived statistics (acceptance rate, median days to accept) are not counts and are not passed
to ``suppress``. They follow two rules so that they never reveal what suppression hid:

- a rate ``accepted / (accepted + declined)`` is published only when both counts are published
  exactly (each is then 0 or at least k, so a non-zero denominator is at least k): the rate
  adds nothing an outsider could not compute from the tables. Otherwise it is ``"x"``.
- a median is published only over at least k accepted referrals whose count is itself
  published; otherwise ``"x"``. It is rounded to a tenth of a day.
- ``".."`` means there is nothing to compute (no answered, or no accepted, referrals), which
  the published zeros already say.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from eligibility.engine import PATHWAYS
from stats import aggregates, labels
from stats.aggregates import ACCEPTED, ALL, DECLINED, MedianWait
from stats.disclosure import HIDDEN_MARKER, ProtectedTable, Published, Table, suppress
from stats.periods import Period

NOT_APPLICABLE = ".."
TOTAL = "total"
COUNT = "count"
SECONDS_PER_DAY = 86400

Value = Published | float
Progress = Callable[[int], None]


def min_cell() -> int:
    """k, read when a release is built (never at import time)."""
    return int(settings.STATS_MIN_CELL)


@dataclass(frozen=True)
class Column:
    key: str
    label: str


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: tuple[Value, ...]
    is_total: bool = False


@dataclass(frozen=True)
class ReleaseTable:
    """A table ready to render: a heading column, value columns, rows (the last one the total
    row for count tables). ``kind`` is ``"counts"`` or ``"derived"``."""

    slug: str
    section: str
    title: str
    kind: str
    row_heading: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    withheld: bool = False
    population: str = ""

    def value(self, row_key: str, column_key: str) -> Value:
        row = next(row for row in self.rows if row.key == row_key)
        return row.values[[column.key for column in self.columns].index(column_key)]

    @property
    def body_rows(self) -> tuple[Row, ...]:
        return tuple(row for row in self.rows if not row.is_total)

    @property
    def total(self) -> Value | None:
        """The grand total of a count table (bottom-right)."""
        return self.rows[-1].values[-1] if self.kind == "counts" else None


@dataclass(frozen=True)
class Release:
    period: Period
    min_cell: int
    tables: tuple[ReleaseTable, ...]
    footnotes: tuple[str, ...] = field(default=())

    @property
    def largest_small_count(self) -> int:
        return self.min_cell - 1

    def table(self, slug: str) -> ReleaseTable:
        return next(table for table in self.tables if table.slug == slug)

    @property
    def withheld_populations(self) -> list[str]:
        return sorted({table.population for table in self.tables if table.withheld})

    @property
    def small_totals(self) -> bool:
        """True when a population's total itself is hidden (below k, or withheld): the
        dashboard then explains why nearly every number is a marker."""
        return any(table.kind == "counts" and not isinstance(table.total, int)
                   for table in self.tables)


# --- building ---------------------------------------------------------------------------------


def build_release(period: Period, *, progress: Progress | None = None) -> Release:
    """Query, protect and derive every table of the release for ``period``.

    ``progress(percent)`` is called as the work advances (export jobs show it)."""
    report = progress or (lambda percent: None)
    k = min_cell()
    report(5)
    with consistent_snapshot():
        counts, medians = query_everything(period, k)
    report(50)  # progress is written outside the snapshot, so the progress page sees it
    protected = {table.name: table for table in suppress(counts, min_cell=k)}
    report(80)
    tables = (
        *intake_tables(protected),
        *referral_tables(protected),
        acceptance_table(
            "acceptance_by_service", _("Acceptance and time to accept, by service"),
            protected["referrals_by_service_and_answer"], medians["service_type"],
            medians[None], _("Service"), k, _("All services"), labels.service_label),
        acceptance_table(
            "acceptance_by_partner", _("Acceptance and time to accept, by partner"),
            protected["referrals_by_partner_and_answer"], medians["partner__name"],
            medians[None], _("Partner organisation"), k, _("All partners"),
            labels.partner_label),
    )
    return Release(period=period, min_cell=k, tables=tables, footnotes=footnotes(k))


@contextmanager
def consistent_snapshot():
    """Every query of a release sees the same data: one transaction, REPEATABLE READ on
    PostgreSQL (when it is the outermost transaction; SQLite transactions are snapshots).
    Without it a referral sent between two queries would make two tables disagree on a margin
    and ``suppress`` would refuse them."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def query_everything(period: Period, k: int) -> tuple[list[Table], dict]:
    """Every count table (one GROUP BY query each) and the medians (one query per grouping)."""
    tables = [
        aggregates.intakes_by_quarter_and_province(period),
        aggregates.intakes_by_age_band(period),
        aggregates.intakes_by_nationality(period, shown_from=k),
        *aggregates.screening_outcomes_by_pathway(period),
        aggregates.referrals_by_quarter_and_service(period),
        aggregates.referrals_by_service_and_answer(period),
        aggregates.referrals_by_partner_and_answer(period),
        aggregates.referrals_by_province(period),
    ]
    medians = {by: aggregates.median_wait_to_accept(period, by=by)
               for by in ("service_type", "partner__name", None)}
    return tables, medians


# --- count tables -----------------------------------------------------------------------------


def intake_tables(protected: dict[str, ProtectedTable]) -> list[ReleaseTable]:
    section = _("Intakes")
    tables = [
        counts_table(protected["intakes_by_quarter_and_province"], section,
                     _("Intakes by quarter and province of destination")),
        counts_table(protected["intakes_by_age_band"], section, _("Intakes by age band")),
        counts_table(protected["intakes_by_nationality"], section,
                     _("Intakes by nationality (first citizenship)")),
    ]
    screening = _("Screening outcomes")
    for pathway in PATHWAYS:
        title = _("Screening outcome: %(pathway)s") % {"pathway": labels.pathway_name(pathway)}
        tables.append(counts_table(protected[aggregates.screening_table_name(pathway)],
                                   screening, title))
    return tables


def referral_tables(protected: dict[str, ProtectedTable]) -> list[ReleaseTable]:
    section = _("Referrals")
    return [
        counts_table(protected["referrals_by_quarter_and_service"], section,
                     _("Referrals sent, by quarter and service")),
        counts_table(protected["referrals_by_service_and_answer"], section,
                     _("Referrals sent, by service and the partner's answer")),
        counts_table(protected["referrals_by_partner_and_answer"], section,
                     _("Referrals sent, by partner and answer")),
        counts_table(protected["referrals_by_province"], section,
                     _("Referrals sent, by province of destination")),
    ]


def counts_table(table: ProtectedTable, section: str, title: str) -> ReleaseTable:
    """A protected table as rows: one-way → one "Count" column; two-way → a column per
    label of the second dimension and a total column; the last row holds the totals."""
    first = table.dimensions[0]
    if len(table.dimensions) == 1:
        columns = (Column(COUNT, _("Count")),)
        rows = [Row(label, labels.label_for(first, label), (table.value(label),))
                for label in table.labels[0]]
        rows.append(Row(TOTAL, _("Total"), (table.total,), is_total=True))
    else:
        second = table.dimensions[1]
        columns = (*(Column(label, labels.label_for(second, label)) for label in table.labels[1]),
                   Column(TOTAL, _("Total")))
        rows = [Row(row, labels.label_for(first, row),
                    (*(table.value(row, column) for column in table.labels[1]),
                     table.row_totals[row])) for row in table.labels[0]]
        rows.append(Row(TOTAL, _("Total"), (*(table.column_totals[column]
                                               for column in table.labels[1]), table.total),
                        is_total=True))
    return ReleaseTable(slug=table.name, section=section, title=title, kind="counts",
                        row_heading=labels.dimension_name(first), columns=columns,
                        rows=tuple(rows), withheld=table.withheld, population=table.population)


# --- derived statistics -----------------------------------------------------------------------


def acceptance_table(slug: str, title: str, answers: ProtectedTable,
                     medians: dict[str, MedianWait | None], overall: dict[str, MedianWait | None],
                     row_heading: str, k: int, all_label: str,
                     label_of: Callable[[str], str]) -> ReleaseTable:
    """Rate of acceptance among answered referrals and median days to accept, per row of a
    protected ``… × answer`` table and for all rows together (from its column totals)."""
    rows = []
    for label in answers.labels[0]:
        accepted, declined = answers.value(label, ACCEPTED), answers.value(label, DECLINED)
        rows.append(Row(label, label_of(label), (acceptance_rate(accepted, declined),
                                                median_days(accepted, medians.get(label), k))))
    accepted, declined = answers.column_totals[ACCEPTED], answers.column_totals[DECLINED]
    rows.append(Row(TOTAL, all_label, (acceptance_rate(accepted, declined),
                                       median_days(accepted, overall.get(ALL), k)),
                    is_total=True))
    columns = (Column("acceptance_rate", _("Accepted, % of answered")),
               Column("median_days_to_accept", _("Median days to accept")))
    return ReleaseTable(slug=slug, section=_("Partner answers"), title=title, kind="derived",
                        row_heading=row_heading, columns=columns, rows=tuple(rows),
                        withheld=answers.withheld, population=answers.population)


def acceptance_rate(accepted: Published, declined: Published) -> Value:
    if not (isinstance(accepted, int) and isinstance(declined, int)):
        return HIDDEN_MARKER
    answered = accepted + declined
    if answered == 0:
        return NOT_APPLICABLE
    return int((Decimal(100 * accepted) / answered).quantize(Decimal(1), ROUND_HALF_UP))


def median_days(accepted: Published, wait: MedianWait | None, k: int) -> Value:
    if accepted == 0:
        return NOT_APPLICABLE
    if not isinstance(accepted, int) or accepted < k or wait is None or wait.count < k:
        return HIDDEN_MARKER
    days = Decimal(wait.median.total_seconds()) / SECONDS_PER_DAY
    return float(days.quantize(Decimal("0.1"), ROUND_HALF_UP))


# --- notes ------------------------------------------------------------------------------------


def footnotes(k: int) -> tuple[str, ...]:
    small = f"<{k}"
    return (
        _("No number in this release singles out a person. Counts are of intakes or referrals, "
          "never of records; places are no finer than a Canadian province or territory, dates "
          "no finer than a calendar quarter (Toronto time)."),
        _("“%(small)s”: a count from 1 to %(largest)s. Small counts are not published.")
        % {"small": small, "largest": k - 1},
        _("“x” in a count table: a count of at least %(k)s, hidden so that a small count "
          "cannot be worked out from totals or from another table of this release. When a "
          "table is marked as withheld, every number of it is “x” and may be any number, "
          "because no pattern of hidden cells could protect its small counts.") % {"k": k},
        _("0 means that nobody is in that category."),
        _("“x” for a rate or a median: not published, because the counts it depends on are "
          "hidden or fewer than %(k)s accepted referrals are behind it (a rate is "
          "accepted ÷ (accepted + declined); a median is in days, rounded to a tenth). “..”: "
          "nothing to compute (no answered or no accepted referrals).") % {"k": k},
        _("Intakes: cases opened in the period, except duplicates of another case. Province: "
          "where in Canada the client intends to go (or has family); “Other/unknown” "
          "otherwise. Nationality: first citizenship (ISO 3166-1 code); nationalities with "
          "fewer than %(k)s intakes in the period are counted under “Other/unknown”. Age "
          "band: age at intake. Screening: each case's current screening outcome per "
          "pathway; “Not screened” when there is none.") % {"k": k},
        _("Referrals: referrals sent to a partner in the period, by the quarter they were "
          "sent. Answer: accepted (including referrals later completed, handed back or "
          "withdrawn after acceptance), declined, expired without an answer, withdrawn "
          "before an answer, or still waiting."),
        _("The tables of this release are protected together. Do not combine them with "
          "another release covering overlapping data: differences between releases can "
          "reveal small counts."),
    )
