"""Work-experience arithmetic shared by the CRS, FSW and CEC (README 4.11).

A job counts when it is TEER 0-3 and authorized; self-employed and full-time-student work
never count as Canadian experience. Each job is clipped to a look-back window ending on the
screening date; whole months are weighted by min(hours, 30) / 30. Amounts are kept in
"month-hours" (months x weighted hours) so that 12 full-time months are exactly 360.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache

from .dates import ONE_DAY, anniversary, parse_date, whole_months
from .facts import Case
from .tables import fsw_table

COUNTED, UNKNOWN, UNAUTHORIZED, EXCLUDED = "counted", "unknown", "unauthorized", "excluded"
YEAR = 360  # 12 months x 30 hours


@dataclass(frozen=True)
class Job:
    """One entry of ``economic.work_history`` with its counting category."""

    index: int
    canadian: bool
    teer: int
    start: date
    end: date | None
    hours: Fraction | int
    category: str
    skilled_trade: bool


def read_jobs(case: Case) -> list[Job] | None:
    """The client's jobs, or None when the work history is unknown."""
    economic = case.economic or {}
    history = economic.get("work_history")
    if history is None:
        return None
    return [_job(index, job) for index, job in enumerate(history)]


def _job(index: int, job: dict) -> Job:
    thresholds = fsw_table()["thresholds"]
    canadian = job["country"] == "CA"
    hours = job["hours_per_week"]
    if isinstance(hours, float) and not hours.is_integer():
        hours = Fraction(str(hours))
    hours = min(hours, thresholds["full_time_hours"])
    not_canadian_experience = job.get("self_employed") or job.get("full_time_student")
    if job["teer"] > thresholds["skilled_teer_max"] or (canadian and not_canadian_experience):
        category = EXCLUDED
    elif job.get("authorized") is None:
        category = UNKNOWN
    else:
        category = COUNTED if job["authorized"] else UNAUTHORIZED
    return Job(
        index,
        canadian,
        job["teer"],
        parse_date(job["start"]),
        parse_date(job.get("end")),
        hours,
        category,
        bool(job.get("skilled_trade")),
    )


@lru_cache(maxsize=256)
def window_start(today: date, years: int) -> date:
    """First day of the look-back window of ``years`` ending on ``today``."""
    return anniversary(today, -years) + ONE_DAY


def month_hours(job: Job, first_day: date, last_day: date) -> int | Fraction:
    """Weighted months of ``job`` inside [first_day, last_day]."""
    start = max(job.start, first_day)
    end = min(job.end or last_day, last_day)
    if end < start:
        return 0
    return whole_months(start, end) * job.hours


@dataclass
class Tally:
    """Month-hours by kind inside one window, for the chosen categories."""

    canadian: int | Fraction = 0
    foreign: int | Fraction = 0
    canadian_teer_2_3: int | Fraction = 0
    longest_job: int | Fraction = 0

    @property
    def canadian_years(self) -> int:
        """Whole years of Canadian experience."""
        return int(self.canadian // YEAR)

    @property
    def foreign_years(self) -> int:
        """Whole years of experience outside Canada."""
        return int(self.foreign // YEAR)

    @property
    def total_years(self) -> int:
        """Whole years of experience anywhere."""
        return int((self.canadian + self.foreign) // YEAR)


def tally(
    jobs: list[Job], today: date, years: int, categories: tuple[str, ...] = (COUNTED,)
) -> Tally:
    """Add up the jobs of the given categories over the ``years`` ending on ``today``."""
    first_day = window_start(today, years)
    result = Tally()
    for job in jobs:
        if job.category not in categories:
            continue
        amount = month_hours(job, first_day, today)
        if job.canadian:
            result.canadian += amount
            if job.teer >= 2:
                result.canadian_teer_2_3 += amount
        else:
            result.foreign += amount
        result.longest_job = max(result.longest_job, amount)
    return result


def jobs_in_window(jobs: list[Job], today: date, years: int, category: str) -> list[Job]:
    """Jobs of one category that overlap the window."""
    first_day = window_start(today, years)
    return [job for job in jobs if job.category == category and month_hours(job, first_day, today)]
