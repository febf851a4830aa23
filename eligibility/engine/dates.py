"""Calendar arithmetic used by the rules (README 2.3 and 4.1, 4.11).

Two conventions for 29 February coexist on purpose:

* birthdays (ages) fall on 1 March in common years (README 2.3);
* anniversaries and deadlines (the one-year rule, 12-month bars) fall on 28 February.
"""

from __future__ import annotations

from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def parse_date(value: object) -> date | None:
    """Turn a validated ``YYYY-MM-DD`` string into a date; anything else is unknown."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    return None


def is_leap(year: int) -> bool:
    """Gregorian leap-year test."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def birthday(born: date, years: int) -> date:
    """Date of the ``years``-th birthday; a 29 February birthday is 1 March in common years."""
    year = born.year + years
    if born.month == 2 and born.day == 29 and not is_leap(year):
        return date(year, 3, 1)
    return born.replace(year=year)


def age_on(born: date, on: date) -> int:
    """Whole years of age on ``on`` (a birthday counts from the day itself)."""
    month, day = born.month, born.day
    if month == 2 and day == 29 and not is_leap(on.year):
        month, day = 3, 1  # the birthday falls on 1 March in a common year
    years = on.year - born.year - ((on.month, on.day) < (month, day))
    return max(years, 0)


def anniversary(start: date, years: int) -> date:
    """``start`` plus whole years; 29 February becomes 28 February in common years."""
    year = start.year + years
    if start.month == 2 and start.day == 29 and not is_leap(year):
        return date(year, 2, 28)
    return start.replace(year=year)


def add_months(start: date, months: int) -> date:
    """``start`` plus calendar months, clamped to the end of a shorter month."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, _days_in_month(year, month))
    return date(year, month, day)


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def whole_months(start: date, last_day: date) -> int:
    """Whole months worked from ``start`` to ``last_day`` inclusive (README 4.11).

    Months = (y2 - y1) * 12 + (m2 - m1), minus 1 if d2 < d1, where (y2, m2, d2) is the day
    after ``last_day``.
    """
    after = last_day + ONE_DAY
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if after.day < start.day:
        months -= 1
    return max(months, 0)


def days_between(earlier: date, later: date) -> int:
    """Calendar days from ``earlier`` to ``later`` (negative if reversed)."""
    return (later - earlier).days


def within_days(first: date, second: date, days: int) -> bool:
    """True when the two dates are at most ``days`` calendar days apart, either side."""
    return abs((second - first).days) <= days
