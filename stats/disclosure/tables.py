"""The tables disclosure control takes in (``Table``) and gives back (``ProtectedTable``).

A ``Table`` holds interior counts only. Its row, column and grand totals are always computed
here from the counts, never passed in, so a published total can never disagree with the cells
it sums (a disagreement would itself leak the difference).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from stats.disclosure.coarsening import check_coarse_labels

Published = int | str
"""A published value: an exact count, or a marker standing for a hidden one."""

HIDDEN_MARKER = "x"
"""Marks a count hidden to protect another one (complementary suppression) or a whole
population withheld; as Statistics Canada's "x", it means "not published"."""

TOTAL_LABEL = "Total"


def small_count_marker(min_cell: int) -> str:
    """The marker of a count from 1 to ``min_cell - 1``: ``"<11"`` for the default k."""
    return f"<{min_cell}"


class InconsistentTablesError(ValueError):
    """Tables of one population disagree on a shared margin, so they cannot be the same data."""


class UnsupportedLinkageError(ValueError):
    """The two-way tables of one population are linked in a shape whose safety is not proven."""


@dataclass(frozen=True, eq=False)
class Table:
    """A one- or two-way table of counts of one population (intakes, referrals, …).

    ``population`` names what is counted. Tables of the same population are linked: a
    dimension they share has the same margin in every one of them and they share the grand
    total, and disclosure control protects them together. Tables of different populations are
    treated as unrelated.

    ``labels`` gives, per dimension, every category in display order (categories with a zero
    count included); ``counts`` maps a tuple of labels, one per dimension, to a count, and
    combinations left out count zero.
    """

    name: str
    population: str
    dimensions: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    counts: Mapping[tuple[str, ...], int]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        object.__setattr__(self, "labels", tuple(tuple(labels) for labels in self.labels))
        _check_shape(self)
        for dimension, labels in zip(self.dimensions, self.labels, strict=True):
            check_coarse_labels(dimension, labels)
        object.__setattr__(self, "counts", MappingProxyType(_checked_counts(self)))

    @classmethod
    def one_way(cls, name: str, *, population: str, dimension: str, counts: Mapping[str, int],
                labels: Sequence[str] | None = None) -> Table:
        """A table over one dimension; ``labels`` defaults to the sorted keys of ``counts``."""
        labels = tuple(labels) if labels is not None else tuple(sorted(counts))
        return cls(name, population, (dimension,), (labels,),
                   {(label,): count for label, count in counts.items()})

    @classmethod
    def two_way(cls, name: str, *, population: str, rows: str, columns: str,
                counts: Mapping[tuple[str, str], int], row_labels: Sequence[str] | None = None,
                column_labels: Sequence[str] | None = None) -> Table:
        """A table of ``rows`` × ``columns``; labels default to the sorted labels in ``counts``."""
        row_labels = tuple(row_labels or sorted({row for row, _ in counts}))
        column_labels = tuple(column_labels or sorted({column for _, column in counts}))
        return cls(name, population, (rows, columns), (row_labels, column_labels), dict(counts))

    @classmethod
    def from_records(cls, name: str, *, population: str, dimensions: Sequence[str],
                     records: Iterable[Sequence[str]],
                     labels: Sequence[Sequence[str]] | None = None) -> Table:
        """Count ``records`` (one tuple of labels per counted unit) into a table."""
        tally = Counter(tuple(record) for record in records)
        if labels is None:
            labels = [sorted({key[axis] for key in tally}) for axis in range(len(dimensions))]
        return cls(name, population, tuple(dimensions), tuple(map(tuple, labels)), dict(tally))

    def count(self, *labels: str) -> int:
        return self.counts.get(tuple(labels), 0)

    def margin(self, dimension: str) -> dict[str, int]:
        """Count per label of ``dimension``, summed over the other dimension if any."""
        axis = self.dimensions.index(dimension)
        sums = dict.fromkeys(self.labels[axis], 0)
        for key, count in self.counts.items():
            sums[key[axis]] += count
        return sums

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _check_shape(table: Table) -> None:
    if not table.name or not table.population:
        raise ValueError("a table needs a name and a population")
    if len(table.dimensions) not in (1, 2) or len(set(table.dimensions)) != len(table.dimensions):
        raise ValueError(f"{table.name}: one or two distinct dimensions are supported")
    if len(table.labels) != len(table.dimensions):
        raise ValueError(f"{table.name}: give one tuple of labels per dimension")
    for labels in table.labels:
        if not labels or len(set(labels)) != len(labels):
            raise ValueError(f"{table.name}: labels must be non-empty and distinct")
        if not all(isinstance(label, str) and label for label in labels):
            raise ValueError(f"{table.name}: labels must be non-empty strings")


def _checked_counts(table: Table) -> dict[tuple[str, ...], int]:
    """Counts keyed by label tuples; every key known, every count a non-negative int."""
    known = [set(labels) for labels in table.labels]
    checked = {}
    for key, count in table.counts.items():
        key = tuple(key)
        if len(key) != len(known) or any(label not in labels for label, labels in
                                         zip(key, known, strict=True)):
            raise ValueError(f"{table.name}: {key!r} is not a combination of the labels")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{table.name}: counts must be non-negative integers")
        checked[key] = count
    return checked


@dataclass(frozen=True)
class ProtectedTable:
    """A table as it may be published: every value an ``int`` or a marker.

    ``cells`` is keyed like ``Table.counts`` (and has every combination); ``row_totals`` and
    ``column_totals`` are keyed by label and are empty for a one-way table (its cells are its
    only margin). ``withheld`` says the whole population was withheld because no pattern of
    hidden cells could protect it (see ``stats.disclosure``): then every value is
    ``HIDDEN_MARKER``.
    """

    name: str
    population: str
    dimensions: tuple[str, ...]
    labels: tuple[tuple[str, ...], ...]
    cells: Mapping[tuple[str, ...], Published]
    row_totals: Mapping[str, Published]
    column_totals: Mapping[str, Published]
    total: Published
    withheld: bool

    def value(self, *labels: str) -> Published:
        return self.cells[tuple(labels)]

    def grid(self) -> list[list[Published]]:
        """Header row, then one row per label, then the total row: ready for CSV or XLSX."""
        if len(self.dimensions) == 1:
            rows = [[label, self.cells[(label,)]] for label in self.labels[0]]
            return [[self.dimensions[0], "Count"], *rows, [TOTAL_LABEL, self.total]]
        row_labels, column_labels = self.labels
        header = [f"{self.dimensions[0]} / {self.dimensions[1]}", *column_labels, TOTAL_LABEL]
        rows = [[row, *(self.cells[(row, column)] for column in column_labels),
                 self.row_totals[row]] for row in row_labels]
        footer = [TOTAL_LABEL, *(self.column_totals[column] for column in column_labels),
                  self.total]
        return [header, *rows, footer]
