"""Loads the rule tables in ``eligibility/rules/`` once, lazily, and answers dated look-ups.

Every table that changes with the law lives in a JSON file with effective dates; the rules
only ask questions of this module (for example "is Mexico visa-exempt on 2024-02-28?").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

ELIGIBILITY_DIR = Path(__file__).resolve().parent.parent
RULES_DIR = ELIGIBILITY_DIR / "rules"
CONTRACT_DIR = ELIGIBILITY_DIR / "contract"


@cache
def load(name: str) -> dict:
    """The parsed content of ``eligibility/rules/<name>.json``."""
    return json.loads((RULES_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def contract_schema(name: str) -> dict:
    """The parsed JSON Schema ``eligibility/contract/<name>.schema.json``."""
    return json.loads((CONTRACT_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _as_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Dated:
    """One row of a dated table: in effect from ``start`` to ``end`` inclusive (None = open)."""

    start: date | None
    end: date | None
    row: dict

    def in_effect(self, on: date) -> bool:
        """True when the row applies on ``on``."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


def _dated(row: dict) -> Dated:
    return Dated(_as_date(row.get("from")), _as_date(row.get("until")), row)


class DatedIndex:
    """Rows keyed by a value (a country, a pause id); several dated rows may share a key."""

    def __init__(self, rows: list[dict], key: str) -> None:
        self._rows: dict[str, list[Dated]] = {}
        for row in rows:
            self._rows.setdefault(row[key], []).append(_dated(row))

    def get(self, value: str, on: date) -> dict | None:
        """The row for ``value`` in effect on ``on``, or None."""
        for dated in self._rows.get(value, ()):
            if dated.in_effect(on):
                return dated.row
        return None

    def __contains__(self, value: str) -> bool:
        return value in self._rows


@cache
def ruleset() -> dict:
    """Rule-set metadata: version, law-verified date, disclaimer template."""
    return load("ruleset")


@cache
def rules_version() -> str:
    """The rule-set as-of date, e.g. ``2026-11-22``."""
    return ruleset()["rules_version"]


def version_on(name: str, on: date | None) -> dict:
    """The version of a versioned table (``versions`` list) in effect on ``on``."""
    versions = _versions(name)
    if on is not None:
        for dated in versions:
            if dated.in_effect(on):
                return dated.row
    return versions[-1].row


@cache
def _versions(name: str) -> list[Dated]:
    return [_dated(row) for row in load(name)["versions"]]


@cache
def visa_exempt_index() -> DatedIndex:
    """Citizenships that may enter Canada without a visa (R190), with dates."""
    return DatedIndex(load("visas")["canada_visa_exempt"], "country")


@cache
def conditional_eta_index() -> DatedIndex:
    """Citizenships in the R7.01 conditional-eTA table, with dates."""
    return DatedIndex(load("visas")["conditional_eta"], "country")


@cache
def us_visa_index() -> DatedIndex:
    """Whether a national would need a visa to enter the United States (R159.5(g))."""
    return DatedIndex(load("visas")["us_visa"], "country")


@cache
def info_sharing_index() -> DatedIndex:
    """A101(1)(c.1) information-sharing partner countries, with dates."""
    return DatedIndex(load("info_sharing_countries")["countries"], "country")


@cache
def pause_index() -> DatedIndex:
    """Program intake pauses keyed by id (``pgp_intake`` ...)."""
    return DatedIndex(load("program_pauses")["pauses"], "id")


def processing_time(figure: str) -> dict:
    """A processing-time caveat figure with its as-of date."""
    return load("processing_times")["figures"][figure]


@cache
def crs_table() -> dict:
    """The CRS grid (LAW 8.2)."""
    return load("crs")


@cache
def fsw_table() -> dict:
    """The FSW grid, funds table and program thresholds."""
    return load("fsw")


def settlement_funds_required(family_size: int) -> int:
    """Minimum settlement funds (CAD) for a family of ``family_size`` (R76(1)(b)(i))."""
    funds = fsw_table()["settlement_funds"]
    table = funds["by_family_size"]
    largest = max(int(size) for size in table)
    if family_size <= largest:
        return table[str(family_size)]
    return table[str(largest)] + (family_size - largest) * funds["each_additional_person"]


@cache
def draw_cutoffs() -> dict:
    """Recent Express Entry cut-offs with their as-of date."""
    return load("draw_cutoffs")


def band_points(rows: list[dict], value: int, key: str, column: str) -> int:
    """Points of the last row whose ``key`` threshold is at or below ``value``."""
    points = 0
    for row in rows:
        if value >= row[key]:
            points = row[column]
    return points


_BANDS: dict[tuple, tuple] = {}


def band_lookup(rows: list[dict], key: str, column: str, top: int = 12) -> tuple:
    """``band_points`` for every value 0..top, computed once per table (language levels)."""
    cache_key = (id(rows), key, column)
    found = _BANDS.get(cache_key)
    if found is None:
        found = tuple(band_points(rows, value, key, column) for value in range(top + 1))
        _BANDS[cache_key] = found
    return found


def range_points(rows: list[dict], value: int, column: str) -> int:
    """Points of the row whose [min, max] range holds ``value``."""
    for row in rows:
        if value >= row["min"] and (row["max"] is None or value <= row["max"]):
            return row[column]
    return 0
