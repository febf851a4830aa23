"""Coarse categories that every published table is built from.

Fine detail singles people out long before small cells do: a birth date, a city or an intake
day narrows a group to one person even when each count looks large. So the statistics layer only
ever sees three coarse variables, and tables that use the well-known dimension names below are
rejected when their labels are finer:

- geography: a Canadian province or territory (two-letter code) or ``"Other/unknown"``;
  nothing finer (no city, no postal code) and no US state, since where a client lives in the US
  is exactly what must never leak;
- time: a calendar quarter, ``"2026-Q3"``, never a month or a day;
- age: five bands, ``"0-17"`` … ``"50+"``, or ``"Unknown"`` (the labels match the
  ``stat_age_band`` the intake app stores).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

GEOGRAPHY = "geography"
QUARTER = "quarter"
AGE_BAND = "age_band"

PROVINCES_AND_TERRITORIES = (
    "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT",
)
OTHER_OR_UNKNOWN = "Other/unknown"
GEOGRAPHY_LABELS = (*PROVINCES_AND_TERRITORIES, OTHER_OR_UNKNOWN)

AGE_BAND_LIMITS = ((0, 17, "0-17"), (18, 24, "18-24"), (25, 34, "25-34"), (35, 49, "35-49"))
OLDEST_BAND = "50+"
UNKNOWN_AGE = "Unknown"
AGE_BAND_LABELS = (*(band for _, _, band in AGE_BAND_LIMITS), OLDEST_BAND, UNKNOWN_AGE)

QUARTER_LABEL = re.compile(r"\d{4}-Q[1-4]")


def quarter_of(moment: datetime.date) -> str:
    """The calendar quarter of a date, e.g. ``"2026-Q3"``.

    A ``datetime`` is accepted as well and read as it is: convert an aware datetime to the
    reporting time zone first (``django.utils.timezone.localtime``), or an intake made late on
    31 March UTC may land in the wrong quarter.
    """
    return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"


def age_band(age: int | None) -> str:
    """The published band of an age in whole years; ``None`` (unknown) gives ``"Unknown"``."""
    if age is None:
        return UNKNOWN_AGE
    if age < 0:
        raise ValueError("an age cannot be negative")
    return next((band for low, high, band in AGE_BAND_LIMITS if low <= age <= high), OLDEST_BAND)


def age_on(date_of_birth: datetime.date, reference: datetime.date) -> int:
    """Age in whole years on ``reference`` (the birthday itself counts)."""
    birthday_reached = (reference.month, reference.day) >= (date_of_birth.month, date_of_birth.day)
    return reference.year - date_of_birth.year - (not birthday_reached)


def age_band_on(date_of_birth: datetime.date | None, reference: datetime.date) -> str:
    """The band of someone born on ``date_of_birth`` on the day ``reference`` (e.g. intake)."""
    if date_of_birth is None or date_of_birth > reference:
        return UNKNOWN_AGE
    return age_band(age_on(date_of_birth, reference))


def coarsen_geography(location: str | None) -> str:
    """A province/territory code, or ``"Other/unknown"`` for anything else.

    Accepts the bare code the intake app stores (``"ON"``) or the ISO 3166-2 form
    (``"CA-ON"``), in any case. Everything else — a US state, a city, a foreign country, an empty
    value — becomes ``"Other/unknown"``: the export never carries geography finer than a
    Canadian province, and it never says where in the US someone lives.
    """
    code = (location or "").strip().upper().replace("_", "-")
    code = code.removeprefix("CA-")
    return code if code in PROVINCES_AND_TERRITORIES else OTHER_OR_UNKNOWN


def check_coarse_labels(dimension: str, labels: Iterable[str]) -> None:
    """Reject labels finer than the published categories for the well-known dimensions.

    Only ``GEOGRAPHY``, ``QUARTER`` and ``AGE_BAND`` are checked; other dimensions (pathway,
    service, outcome, nationality …) are categorical by nature and are the caller's to keep
    coarse.
    """
    allowed = {GEOGRAPHY: GEOGRAPHY_LABELS, AGE_BAND: AGE_BAND_LABELS}.get(dimension)
    for label in labels:
        too_fine = (
            (allowed is not None and label not in allowed)
            or (dimension == QUARTER and not QUARTER_LABEL.fullmatch(label))
        )
        if too_fine:
            raise ValueError(f"label {label!r} is not a published category of {dimension!r}")
