"""The queries behind every published table: one function per table, one GROUP BY each.

Every count is computed by the database (``values(...).annotate(Count(...))`` or conditional
aggregates); Python only relabels the grouped rows into the coarse published categories
(``coarsening``) and builds the ``Table``. Nothing here reads a client or any encrypted field:
intakes are counted from the case's plain columns (``created_at``, ``close_reason``,
``screening_outcomes`` and the statistical record ``stat_*``), referrals from the stable
columns listed in ``referrals.models.referral``.

Populations
-----------
- ``intakes``: cases created in the period (reporting time zone), except cases closed as
  duplicates of another case (the same person asking twice is one intake). Drafts count: the
  person asked. Purged cases count through the statistical record they keep.
- ``referrals``: referrals *sent* in the period (drafts were never sent), by the quarter of
  ``sent_at``.

Time to accept
--------------
``answered_at − sent_at`` of the accepted referrals. On PostgreSQL the median per group is
``percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`` (the ``Median`` aggregate below), one
GROUP BY query. SQLite has no ordered-set aggregates: there the database returns the durations
of each group in order (one query, a group label and a duration per accepted referral, nothing
else) and the median is taken in Python with the same interpolation (the mean of the two middle
values for an even count), so both back ends publish the same number.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractQuarter, ExtractYear

from eligibility.engine import PATHWAYS
from eligibility.engine.model import OUTCOMES
from intake.models import Case, CloseReason
from northstar.accounts.models import Organisation
from referrals.models import Referral, ReferralStatus, ServiceType
from stats.disclosure import (
    AGE_BAND,
    AGE_BAND_LABELS,
    GEOGRAPHY,
    GEOGRAPHY_LABELS,
    OTHER_OR_UNKNOWN,
    QUARTER,
    UNKNOWN_AGE,
    Table,
    coarsen_geography,
)
from stats.periods import Period, quarter_label, reporting_zone

INTAKES = "intakes"
REFERRALS = "referrals"

NATIONALITY = "nationality"
SERVICE_TYPE = "service_type"
ANSWER = "answer"
PARTNER = "partner"

NOT_SCREENED = "NOT_SCREENED"
OUTCOME_LABELS = (*OUTCOMES, NOT_SCREENED)
COUNTRY_CODE = re.compile(r"[A-Z]{2}")

ACCEPTED, DECLINED, EXPIRED, WITHDRAWN, WAITING = (
    "accepted", "declined", "expired", "withdrawn", "waiting")
ANSWERS = (ACCEPTED, DECLINED, EXPIRED, WITHDRAWN, WAITING)
ACCEPTED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
                     ReferralStatus.COMPLETED, ReferralStatus.HANDED_BACK)

ANSWER_OF_REFERRAL = CaseWhen(
    When(status=ReferralStatus.DECLINED, then=Value(DECLINED)),
    # Accepted, whatever happened next (in progress, completed, handed back, or withdrawn by
    # the network after the partner had accepted: ``answered_at`` is set).
    When(Q(status__in=ACCEPTED_STATUSES) | Q(answered_at__isnull=False), then=Value(ACCEPTED)),
    When(status=ReferralStatus.EXPIRED, then=Value(EXPIRED)),
    When(status=ReferralStatus.WITHDRAWN, then=Value(WITHDRAWN)),
    default=Value(WAITING),
)
"""How the partner answered, from the referral's stable columns, in the database."""


def outcome_dimension(pathway: str) -> str:
    return f"outcome:{pathway}"


def screening_table_name(pathway: str) -> str:
    return f"screening_{pathway}"


# --- populations -----------------------------------------------------------------------------


def intakes_in(period: Period) -> QuerySet[Case]:
    return (Case.objects.filter(created_at__gte=period.start, created_at__lt=period.end)
            .exclude(close_reason=CloseReason.DUPLICATE).order_by())


def referrals_in(period: Period) -> QuerySet[Referral]:
    return Referral.objects.filter(sent_at__gte=period.start, sent_at__lt=period.end).order_by()


def quarter_of_field(field: str) -> dict:
    """Year and quarter of ``field`` in the reporting time zone, computed by the database."""
    zone = reporting_zone()
    return {"year": ExtractYear(field, tzinfo=zone), "quarter": ExtractQuarter(field, tzinfo=zone)}


# --- intakes -----------------------------------------------------------------------------------


def intakes_by_quarter_and_province(period: Period) -> Table:
    rows = (intakes_in(period).values("stat_province", **quarter_of_field("created_at"))
            .annotate(count=Count("id")))
    counts = Counter()
    for row in rows:
        key = (quarter_label(row["year"], row["quarter"]), coarsen_geography(row["stat_province"]))
        counts[key] += row["count"]
    return Table.two_way("intakes_by_quarter_and_province", population=INTAKES, rows=QUARTER,
                         columns=GEOGRAPHY, counts=counts, row_labels=period.quarters,
                         column_labels=GEOGRAPHY_LABELS)


def intakes_by_age_band(period: Period) -> Table:
    rows = intakes_in(period).values("stat_age_band").annotate(count=Count("id"))
    counts = Counter()
    for row in rows:
        band = row["stat_age_band"]
        counts[band if band in AGE_BAND_LABELS else UNKNOWN_AGE] += row["count"]
    return Table.one_way("intakes_by_age_band", population=INTAKES, dimension=AGE_BAND,
                         counts=counts, labels=AGE_BAND_LABELS)


def intakes_by_nationality(period: Period, *, shown_from: int) -> Table:
    """First nationality (ISO 3166-1 alpha-2). A nationality with fewer than ``shown_from``
    intakes in the period (k) is pooled into "Other/unknown" with the unknown ones, so that
    the table does not name a rare nationality at all: "<11 from country X" would tell a
    reader that someone from X asked for help that quarter."""
    rows = intakes_in(period).values("stat_nationality").annotate(count=Count("id"))
    by_code = Counter()
    for row in rows:
        code = (row["stat_nationality"] or "").upper()
        by_code[code if COUNTRY_CODE.fullmatch(code) else OTHER_OR_UNKNOWN] += row["count"]
    shown = sorted((code for code, count in by_code.items()
                    if code != OTHER_OR_UNKNOWN and count >= shown_from),
                   key=lambda code: (-by_code[code], code))
    counts = Counter()
    for code, count in by_code.items():
        counts[code if code in shown else OTHER_OR_UNKNOWN] += count
    return Table.one_way("intakes_by_nationality", population=INTAKES, dimension=NATIONALITY,
                         counts=counts, labels=(*shown, OTHER_OR_UNKNOWN))


def screening_outcomes_by_pathway(period: Period) -> list[Table]:
    """One table per pathway (the outcome word of the case's current screening), all from one
    query: the cases grouped by their combination of outcomes (each row reads each pathway's
    word once; conditional counts would read it once per pathway and word, 70 times a row).
    "Not screened" holds cases without an outcome for the pathway (never screened, or facts
    the engine refused)."""
    words = {f"p{p}": KeyTextTransform(pathway, "screening_outcomes")
             for p, pathway in enumerate(PATHWAYS)}
    combinations = intakes_in(period).values(**words).annotate(count=Count("id"))
    by_pathway = {pathway: Counter() for pathway in PATHWAYS}
    total = 0
    for row in combinations:
        total += row["count"]
        for p, pathway in enumerate(PATHWAYS):
            by_pathway[pathway][row[f"p{p}"]] += row["count"]
    tables = []
    for pathway in PATHWAYS:
        counts = {outcome: by_pathway[pathway][outcome] for outcome in OUTCOMES}
        counts[NOT_SCREENED] = total - sum(counts.values())
        tables.append(Table.one_way(screening_table_name(pathway), population=INTAKES,
                                    dimension=outcome_dimension(pathway), counts=counts,
                                    labels=OUTCOME_LABELS))
    return tables


# --- referrals ---------------------------------------------------------------------------------


def service_labels(seen: Iterable[str]) -> tuple[str, ...]:
    known = tuple(ServiceType.values)
    return (*known, OTHER_OR_UNKNOWN) if set(seen) - set(known) else known


def service_label(value: str) -> str:
    return value if value in ServiceType.values else OTHER_OR_UNKNOWN


def referrals_by_quarter_and_service(period: Period) -> Table:
    rows = list(referrals_in(period).values("service_type", **quarter_of_field("sent_at"))
                .annotate(count=Count("id")))
    counts = Counter()
    for row in rows:
        key = (quarter_label(row["year"], row["quarter"]), service_label(row["service_type"]))
        counts[key] += row["count"]
    return Table.two_way("referrals_by_quarter_and_service", population=REFERRALS, rows=QUARTER,
                         columns=SERVICE_TYPE, counts=counts, row_labels=period.quarters,
                         column_labels=service_labels(row["service_type"] for row in rows))


def referrals_by_service_and_answer(period: Period) -> Table:
    rows = list(referrals_in(period).values("service_type", answer=ANSWER_OF_REFERRAL)
                .annotate(count=Count("id")))
    counts = Counter()
    for row in rows:
        counts[(service_label(row["service_type"]), row["answer"])] += row["count"]
    return Table.two_way("referrals_by_service_and_answer", population=REFERRALS,
                         rows=SERVICE_TYPE, columns=ANSWER, counts=counts,
                         row_labels=service_labels(row["service_type"] for row in rows),
                         column_labels=ANSWERS)


def referrals_by_partner_and_answer(period: Period) -> Table:
    """Every partner organisation is a row (zero when it received nothing in the period)."""
    rows = list(referrals_in(period).values("partner__name", answer=ANSWER_OF_REFERRAL)
                .annotate(count=Count("id")))
    partners = set(Organisation.objects.filter(kind=Organisation.Kind.PARTNER)
                   .values_list("name", flat=True))
    partners |= {row["partner__name"] for row in rows}
    counts = Counter()
    for row in rows:
        counts[(row["partner__name"], row["answer"])] += row["count"]
    return Table.two_way("referrals_by_partner_and_answer", population=REFERRALS, rows=PARTNER,
                         columns=ANSWER, counts=counts,
                         row_labels=sorted(partners) or (OTHER_OR_UNKNOWN,),
                         column_labels=ANSWERS)


def referrals_by_province(period: Period) -> Table:
    """The province the referred client is headed to (the case's statistical record)."""
    rows = referrals_in(period).values("stat_province").annotate(count=Count("id"))
    counts = Counter()
    for row in rows:
        counts[coarsen_geography(row["stat_province"])] += row["count"]
    return Table.one_way("referrals_by_province", population=REFERRALS, dimension=GEOGRAPHY,
                         counts=counts, labels=GEOGRAPHY_LABELS)


# --- time to accept ----------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's continuous median, ``percentile_cont(0.5)``; works on intervals too."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


@dataclass(frozen=True)
class MedianWait:
    """The median time to accept of a group and how many accepted referrals it is over."""

    count: int
    median: datetime.timedelta


ALL = "__all__"
WAIT = ExpressionWrapper(F("answered_at") - F("sent_at"), output_field=DurationField())


def accepted_in(period: Period) -> QuerySet[Referral]:
    return (referrals_in(period).alias(answer=ANSWER_OF_REFERRAL)
            .filter(answer=ACCEPTED, answered_at__isnull=False, answered_at__gte=F("sent_at")))


def median_wait_to_accept(period: Period, *,
                          by: str | None) -> dict[str, MedianWait | None]:
    """Median ``answered_at − sent_at`` of accepted referrals per ``by`` (``"service_type"``,
    ``"partner__name"``) or over all of them (``by=None``, key ``ALL``). One query."""
    accepted = accepted_in(period)
    if connection.vendor == "postgresql":
        if by is None:
            row = accepted.aggregate(count=Count("id"), median=Median(WAIT))
            return {ALL: MedianWait(row["count"], row["median"])} if row["count"] else {}
        rows = accepted.values(by).annotate(count=Count("id"), median=Median(WAIT))
        groups = [(row[by], MedianWait(row["count"], row["median"])) for row in rows]
    else:
        ordered = (accepted.annotate(group=F(by) if by else Value(ALL), wait=WAIT)
                   .order_by("group", "wait").values_list("group", "wait"))
        groups = []
        for label, rows in groupby(ordered, key=lambda row: row[0]):
            waits = [wait for _, wait in rows]
            groups.append((label, MedianWait(len(waits), middle_of(waits))))
    return published_groups(groups, by)


def published_groups(groups: list[tuple[str, MedianWait]],
                     by: str | None) -> dict[str, MedianWait | None]:
    """Keyed by the published label. Service types outside the taxonomy share the label
    "Other/unknown"; medians cannot be merged, so such a shared label gets ``None`` (not
    published) when more than one group falls into it."""
    medians: dict[str, MedianWait | None] = {}
    for label, wait in groups:
        published = service_label(label) if by == "service_type" else label
        medians[published] = None if published in medians else wait
    return medians


def middle_of(ordered: list[datetime.timedelta]) -> datetime.timedelta:
    """The median of values in order, as ``percentile_cont(0.5)`` computes it."""
    half = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[half]
    return (ordered[half - 1] + ordered[half]) / 2
