"""An outsider's best attempt to recover hidden counts, by linear programming.

Built from the tables alone — not from the network the implementation uses — so it checks the
implementation rather than repeating it. Every number of every table is a variable; the sums
inside each table, the equality of a margin shared by tables of one population and of their
grand totals are equations; each published number is fixed; each marker gives the bounds it
publicly implies. For every hidden number, HiGHS minimises and maximises it.

Two readings of the markers:
- ``STRICT``: ``"<k"`` is 1..k−1, ``"x"`` is ≥ k (≥ 0 when the population is withheld) — what
  someone who knows the method can conclude; the implementation promises width ≥ 1 here.
- ``NON_NEGATIVE``: hidden numbers are only known to be ≥ 0 (Acceptance 1 as written). Its
  feasible set contains the strict one, so its ranges can only be wider.
"""

from __future__ import annotations

import importlib
import math
import os
from dataclasses import dataclass

import pytest

from stats.disclosure import HIDDEN_MARKER, ProtectedTable, Table, small_count_marker


def _required(module_name: str):
    """scipy is a test-only dependency: skip without it locally, fail without it in CI."""
    if os.environ.get("CI") == "true":
        return importlib.import_module(module_name)
    return pytest.importorskip(module_name, reason="needs scipy and numpy (requirements/test.in)")


np = _required("numpy")
linprog = _required("scipy.optimize").linprog

STRICT = "strict"
NON_NEGATIVE = "non-negative"


@dataclass(frozen=True)
class Quantity:
    """One number of one table, with its true and published value."""

    table: int
    role: str  # "cell", "row", "column" or "total"
    labels: tuple[str, ...]
    true_value: int
    shown: int | str
    withheld: bool


@dataclass(frozen=True)
class Interval:
    quantity: Quantity
    low: float
    high: float


def quantities(tables: list[Table], published: list[ProtectedTable]) -> list[Quantity]:
    found = []
    for index, (table, shown) in enumerate(zip(tables, published, strict=True)):
        def add(role, labels, true_value, value, index=index, shown=shown):
            found.append(Quantity(index, role, labels, true_value, value, shown.withheld))

        for labels, value in shown.cells.items():
            add("cell", labels, table.count(*labels), value)
        if len(table.dimensions) == 2:
            for axis, role, totals in ((0, "row", shown.row_totals),
                                       (1, "column", shown.column_totals)):
                margin = table.margin(table.dimensions[axis])
                for label, value in totals.items():
                    add(role, (label,), margin[label], value)
        add("total", (), table.total, shown.total)
    return found


def attacker_intervals(tables: list[Table], published: list[ProtectedTable], min_cell: int,
                       reading: str = STRICT) -> list[Interval]:
    """Exact range (up to solver tolerance) of every hidden number under ``reading``."""
    found = quantities(tables, published)
    position = {(q.table, q.role, q.labels): i for i, q in enumerate(found)}
    equations = _equations(tables, position)
    bounds = [_bounds(q, min_cell, reading) for q in found]
    matrix = np.zeros((len(equations), len(found)))
    for row, terms in enumerate(equations):
        for column, coefficient in terms:
            matrix[row, column] += coefficient
    rhs = np.zeros(len(equations))
    representative = _same_number_classes(len(found), equations)
    ranges: dict[int, tuple[float, float]] = {}
    intervals = []
    for i, quantity in enumerate(found):
        if not isinstance(quantity.shown, int):
            if representative[i] not in ranges:
                ranges[representative[i]] = _range(i, matrix, rhs, bounds)
            intervals.append(Interval(quantity, *ranges[representative[i]]))
    return intervals


def _same_number_classes(size: int, equations: list[list[tuple[int, int]]]) -> list[int]:
    """One representative per group of variables an equation ``a − b = 0`` makes equal (a
    margin shown in two tables, the shared total): one LP pair per group is enough."""
    parent = list(range(size))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for terms in equations:
        if len(terms) == 2 and sorted(c for _, c in terms) == [-1, 1]:
            parent[root(terms[0][0])] = root(terms[1][0])
    return [root(i) for i in range(size)]


def _bounds(quantity: Quantity, min_cell: int, reading: str) -> tuple[float, float | None]:
    if isinstance(quantity.shown, int):
        return quantity.shown, quantity.shown
    if reading == NON_NEGATIVE or quantity.withheld:
        return 0, None
    if quantity.shown == small_count_marker(min_cell):
        return 1, min_cell - 1
    assert quantity.shown == HIDDEN_MARKER
    return min_cell, None


def _equations(tables: list[Table], position: dict) -> list[list[tuple[int, int]]]:
    equations = []
    for index, table in enumerate(tables):
        equations += _sums_within(index, table, position)
    for first, second in _same_population_pairs(tables):
        equations += _links_between(first, second, tables, position)
    return equations


def _sums_within(index: int, table: Table, position: dict) -> list[list[tuple[int, int]]]:
    cell = {labels: position[(index, "cell", labels)]
            for labels in _all_labels(table)}
    total = position[(index, "total", ())]
    if len(table.dimensions) == 1:
        return [[*((c, 1) for c in cell.values()), (total, -1)]]
    sums = []
    for axis, role in ((0, "row"), (1, "column")):
        for label in table.labels[axis]:
            members = [c for labels, c in cell.items() if labels[axis] == label]
            sums.append([*((c, 1) for c in members), (position[(index, role, (label,))], -1)])
    rows = [position[(index, "row", (label,))] for label in table.labels[0]]
    sums.append([*((r, 1) for r in rows), (total, -1)])
    return sums


def _all_labels(table: Table) -> list[tuple[str, ...]]:
    if len(table.dimensions) == 1:
        return [(label,) for label in table.labels[0]]
    return [(row, column) for row in table.labels[0] for column in table.labels[1]]


def _same_population_pairs(tables: list[Table]) -> list[tuple[int, int]]:
    return [(i, j) for i in range(len(tables)) for j in range(i + 1, len(tables))
            if tables[i].population == tables[j].population]


def _margin_position(index: int, table: Table, dimension: str, label: str,
                     position: dict) -> int:
    if len(table.dimensions) == 1:
        return position[(index, "cell", (label,))]
    role = "row" if table.dimensions[0] == dimension else "column"
    return position[(index, role, (label,))]


def _links_between(first: int, second: int, tables: list[Table],
                   position: dict) -> list[list[tuple[int, int]]]:
    links = [[(position[(first, "total", ())], 1), (position[(second, "total", ())], -1)]]
    a, b = tables[first], tables[second]
    if set(a.dimensions) == set(b.dimensions) and len(a.dimensions) == 2:
        raise NotImplementedError("the generators never repeat a two-way table")
    for dimension in set(a.dimensions) & set(b.dimensions):
        for label in a.labels[a.dimensions.index(dimension)]:
            links.append([(_margin_position(first, a, dimension, label, position), 1),
                          (_margin_position(second, b, dimension, label, position), -1)])
    return links


def _range(column: int, matrix, rhs, bounds) -> tuple[float, float]:
    objective = np.zeros(matrix.shape[1])
    objective[column] = 1
    lowest = _optimum(objective, matrix, rhs, bounds)
    highest = -_optimum(-objective, matrix, rhs, bounds)
    return lowest, highest


def _optimum(objective, matrix, rhs, bounds) -> float:
    result = linprog(objective, A_eq=matrix, b_eq=rhs, bounds=bounds, method="highs")
    if result.status == 3:  # unbounded: the hidden number has no finite upper end
        return -math.inf
    assert result.status == 0, f"the published tables must be feasible: {result.message}"
    return result.fun


TOLERANCE = 1e-6


def assert_markers_truthful(tables: list[Table], published: list[ProtectedTable],
                            min_cell: int) -> None:
    """No published number in 1..k−1, and every value or marker says something true."""
    small = small_count_marker(min_cell)
    for quantity in quantities(tables, published):
        shown, true_value = quantity.shown, quantity.true_value
        if isinstance(shown, int):
            assert shown == true_value and not 1 <= shown < min_cell, quantity
        elif quantity.withheld:
            assert shown == HIDDEN_MARKER, quantity
        elif shown == small:
            assert 1 <= true_value < min_cell, quantity
        else:
            assert shown == HIDDEN_MARKER and true_value >= min_cell, quantity


def assert_nothing_derivable(tables: list[Table], published: list[ProtectedTable],
                             min_cell: int, reading: str = STRICT) -> list[Interval]:
    """Every hidden number keeps a range: ≥ 1 with integer ends (two or more integer values)
    under the strict reading, > 0 under the non-negative one."""
    intervals = attacker_intervals(tables, published, min_cell, reading)
    for interval in intervals:
        low, high, true_value = interval.low, interval.high, interval.quantity.true_value
        assert low - TOLERANCE <= true_value <= high + TOLERANCE, interval
        if reading == STRICT:
            assert high - low >= 1 - TOLERANCE, interval
            assert abs(low - round(low)) < TOLERANCE, interval
            assert math.isinf(high) or abs(high - round(high)) < TOLERANCE, interval
        else:
            assert high - low > TOLERANCE, interval
    return intervals
