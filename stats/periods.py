"""Reporting periods: a range of calendar quarters in the reporting time zone.

Dates are never published finer than a quarter, so a period is always whole quarters: from the
first day of ``first`` to the last day of ``last``, local time (``settings.TIME_ZONE``). An
intake made late on 31 March in Toronto belongs to Q1 whatever the UTC date says.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

QUARTER_PATTERN = re.compile(r"(\d{4})-Q([1-4])")
MAX_QUARTERS = 40  # ten years in one release
DEFAULT_QUARTERS = 4


def reporting_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def parse_quarter(label: str) -> tuple[int, int]:
    """``"2026-Q3"`` → ``(2026, 3)``; ``ValueError`` for anything else."""
    match = QUARTER_PATTERN.fullmatch(label or "")
    if match is None:
        raise ValueError(f"not a quarter: {label!r}")
    return int(match[1]), int(match[2])


def quarter_label(year: int, quarter: int) -> str:
    return f"{year:04d}-Q{quarter}"


def quarter_index(label: str) -> int:
    year, quarter = parse_quarter(label)
    return year * 4 + quarter - 1


def label_of_index(index: int) -> str:
    return quarter_label(index // 4, index % 4 + 1)


def quarter_start(index: int) -> datetime.datetime:
    year, quarter = index // 4, index % 4 + 1
    return datetime.datetime(year, 3 * quarter - 2, 1, tzinfo=reporting_zone())


def current_quarter() -> str:
    today = timezone.localdate()
    return quarter_label(today.year, (today.month - 1) // 3 + 1)


@dataclass(frozen=True)
class Period:
    """Whole quarters from ``first`` to ``last``, both included (labels like ``"2026-Q1"``)."""

    first: str
    last: str

    def __post_init__(self) -> None:
        first, last = quarter_index(self.first), quarter_index(self.last)
        if first > last:
            raise ValueError("the first quarter comes after the last")
        if last - first + 1 > MAX_QUARTERS:
            raise ValueError(f"a period spans at most {MAX_QUARTERS} quarters")

    @classmethod
    def default(cls) -> Period:
        """The current quarter and the three before it."""
        last = quarter_index(current_quarter())
        return cls(label_of_index(last - DEFAULT_QUARTERS + 1), label_of_index(last))

    @property
    def quarters(self) -> tuple[str, ...]:
        first, last = quarter_index(self.first), quarter_index(self.last)
        return tuple(label_of_index(index) for index in range(first, last + 1))

    @property
    def start(self) -> datetime.datetime:
        """The first instant of the period (aware, reporting time zone)."""
        return quarter_start(quarter_index(self.first))

    @property
    def end(self) -> datetime.datetime:
        """The first instant after the period (exclusive bound)."""
        return quarter_start(quarter_index(self.last) + 1)

    @property
    def slug(self) -> str:
        """For file names: ``2026Q1-2026Q4``."""
        return f"{self.first.replace('-', '')}-{self.last.replace('-', '')}"


def recent_quarters(count: int = 24) -> list[str]:
    """The current quarter and the ``count - 1`` before it, newest first (filter choices)."""
    last = quarter_index(current_quarter())
    return [label_of_index(index) for index in range(last, last - count, -1)]
