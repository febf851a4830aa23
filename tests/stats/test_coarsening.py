"""Coarse categories: quarter, age band, province."""

from __future__ import annotations

import datetime

import pytest

from stats.disclosure import (
    AGE_BAND_LABELS,
    GEOGRAPHY_LABELS,
    OTHER_OR_UNKNOWN,
    age_band,
    age_band_on,
    coarsen_geography,
    quarter_of,
)


@pytest.mark.parametrize(("day", "quarter"), [
    (datetime.date(2026, 1, 1), "2026-Q1"),
    (datetime.date(2026, 3, 31), "2026-Q1"),
    (datetime.date(2026, 4, 1), "2026-Q2"),
    (datetime.date(2026, 9, 30), "2026-Q3"),
    (datetime.date(2026, 12, 31), "2026-Q4"),
    (datetime.datetime(2025, 7, 14, 23, 59), "2025-Q3"),
])
def test_a_date_is_published_as_its_quarter(day, quarter):
    assert quarter_of(day) == quarter


@pytest.mark.parametrize(("age", "band"), [
    (0, "0-17"), (17, "0-17"), (18, "18-24"), (24, "18-24"), (25, "25-34"), (34, "25-34"),
    (35, "35-49"), (49, "35-49"), (50, "50+"), (103, "50+"), (None, "Unknown"),
])
def test_an_age_is_published_as_its_band(age, band):
    assert age_band(age) == band
    assert band in AGE_BAND_LABELS


def test_a_negative_age_is_an_error():
    with pytest.raises(ValueError, match="negative"):
        age_band(-1)


def test_the_band_turns_over_on_the_birthday():
    born = datetime.date(2008, 6, 15)

    assert age_band_on(born, datetime.date(2026, 6, 14)) == "0-17"
    assert age_band_on(born, datetime.date(2026, 6, 15)) == "18-24"


def test_an_unknown_or_impossible_birth_date_gives_an_unknown_band():
    intake_day = datetime.date(2026, 1, 1)

    assert age_band_on(None, intake_day) == "Unknown"
    assert age_band_on(datetime.date(2026, 1, 2), intake_day) == "Unknown"


@pytest.mark.parametrize(("location", "published"), [
    ("ON", "ON"), ("qc", "QC"), ("CA-BC", "BC"), (" ca_nl ", "NL"), ("YT", "YT"),
    ("US-TX", OTHER_OR_UNKNOWN), ("TX", OTHER_OR_UNKNOWN), ("US", OTHER_OR_UNKNOWN),
    ("Toronto", OTHER_OR_UNKNOWN), ("M5V 2T6", OTHER_OR_UNKNOWN), ("", OTHER_OR_UNKNOWN),
    (None, OTHER_OR_UNKNOWN),
])
def test_geography_is_never_finer_than_a_province(location, published):
    assert coarsen_geography(location) == published
    assert published in GEOGRAPHY_LABELS
