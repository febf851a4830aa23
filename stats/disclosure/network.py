"""The linked tables of one population, written as one circulation network.

Every number a population's tables can publish — an interior cell of a two-way table, a margin
(one label of one dimension, which is also a cell of any one-way table on that dimension) and the
grand total — becomes one arc of a directed graph, and every "this sums to that" between them
becomes conservation of flow at a node:

    hub₀ ─margin(A, a)→ out(A, a) ─cell(a, b)→ in(B, b) ─margin(B, b)→ out(B, b) ─cell(b, c)→ …
         … → in(Z, z) ─margin(Z, z)→ hub₁ ─(next chain)→ … → hubₙ ─total→ hub₀

A chain is a path of dimensions A – B – … – Z joined by the two-way tables A×B, B×C, …; a
dimension that only has one-way tables is a chain of its own, its margins drawn straight from one
hub to the next. Chains are laid in series between hubs and the total closes the loop, so every
chain carries the same total.

Why this shape: the constraint matrix of a network is totally unimodular, so with integer data
the feasible range of every count is an interval with integer ends, and a count can change
(keeping every published number and every bound) exactly when it lies on a cycle of the residual
graph — a search over a graph, exact, with no floating point. Only linkages that fit the drawing
are accepted: per population each dimension may be shared by at most two two-way tables and the
two-way tables may not form a cycle (A×B, B×C, C×A). Those other shapes are the margins of a
three-way table, whose suppression problem is not a network one; a hidden count there can have a
non-empty real range and still a single integer value, so they are refused rather than protected
without proof.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from stats.disclosure.tables import InconsistentTablesError, Table, UnsupportedLinkageError

ArcKey = tuple
TOTAL_KEY: ArcKey = ("total",)


def margin_key(dimension: str, label: str) -> ArcKey:
    return ("margin", dimension, label)


def cell_key(dimensions: Sequence[str], labels: Sequence[str]) -> ArcKey:
    """The same key whichever way round a two-way table is drawn."""
    return ("cell", *sorted(zip(dimensions, labels, strict=True)))


class Status(enum.Enum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # a count from 1 to k−1
    COMPLEMENTARY = "complementary"  # a count ≥ k hidden to protect a primary one
    WITHHELD = "withheld"  # the whole population is withheld


@dataclass
class Arc:
    key: ArcKey
    tail: int
    head: int
    value: int
    status: Status = Status.PUBLISHED


@dataclass
class Network:
    population: str
    arcs: list[Arc] = field(default_factory=list)
    index: dict[ArcKey, int] = field(default_factory=dict)
    leaving: list[list[int]] = field(default_factory=list)
    entering: list[list[int]] = field(default_factory=list)
    withheld: bool = False

    def add_node(self) -> int:
        self.leaving.append([])
        self.entering.append([])
        return len(self.leaving) - 1

    def add_arc(self, key: ArcKey, tail: int, head: int, value: int) -> None:
        self.index[key] = len(self.arcs)
        self.leaving[tail].append(len(self.arcs))
        self.entering[head].append(len(self.arcs))
        self.arcs.append(Arc(key, tail, head, value))

    def arc(self, key: ArcKey) -> Arc:
        return self.arcs[self.index[key]]


def build_networks(tables: Sequence[Table]) -> dict[str, Network]:
    """One network per population, in the order populations first appear."""
    by_population: dict[str, list[Table]] = {}
    for table in tables:
        by_population.setdefault(table.population, []).append(table)
    return {population: _build_network(population, members)
            for population, members in by_population.items()}


def _build_network(population: str, tables: list[Table]) -> Network:
    margins = _shared_margins(tables)
    total = _shared_total(tables)
    pair_tables = _distinct_two_way_tables(tables)
    network = Network(population)
    chains = _chains(population, list(margins), pair_tables)
    hubs = [network.add_node() for _ in range(len(chains) + 1)]
    for chain, (start, end) in zip(chains, pairwise(hubs), strict=True):
        _add_chain(network, chain, start, end, margins, pair_tables)
    network.add_arc(TOTAL_KEY, hubs[-1], hubs[0], total)
    return network


def _shared_margins(tables: list[Table]) -> dict[str, dict[str, int]]:
    """Margin of every dimension, checked equal across the tables that show it."""
    margins: dict[str, dict[str, int]] = {}
    for table in tables:
        for dimension in table.dimensions:
            margin = table.margin(dimension)
            known = margins.setdefault(dimension, margin)
            if set(known) != set(margin):
                raise InconsistentTablesError(
                    f"{table.name}: give {dimension!r} the same labels in every table of "
                    f"population {table.population!r} (zero counts included)")
            if known != margin:
                raise InconsistentTablesError(
                    f"{table.name}: the {dimension!r} margin differs from another table of "
                    f"population {table.population!r}")
    return margins


def _shared_total(tables: list[Table]) -> int:
    totals = {table.total for table in tables}
    if len(totals) != 1:
        raise InconsistentTablesError(
            f"the tables of population {tables[0].population!r} disagree on the total")
    return totals.pop()


def _distinct_two_way_tables(tables: list[Table]) -> dict[frozenset[str], Table]:
    """One table per pair of dimensions; a repeat (even transposed) must hold the same counts."""
    pair_tables: dict[frozenset[str], Table] = {}
    for table in (table for table in tables if len(table.dimensions) == 2):
        known = pair_tables.setdefault(frozenset(table.dimensions), table)
        if _counts_by_dimension(known) != _counts_by_dimension(table):
            raise InconsistentTablesError(f"{table.name} and {known.name} differ")
    return pair_tables


def _counts_by_dimension(table: Table) -> dict[ArcKey, int]:
    return {cell_key(table.dimensions, key): count
            for key, count in table.counts.items() if count}


def _chains(population: str, dimensions: list[str],
            pair_tables: dict[frozenset[str], Table]) -> list[list[str]]:
    """Split the dimensions into paths joined by two-way tables, refusing other shapes."""
    neighbours: dict[str, list[str]] = {dimension: [] for dimension in dimensions}
    for pair in pair_tables:
        first, second = sorted(pair, key=dimensions.index)
        neighbours[first].append(second)
        neighbours[second].append(first)
    _refuse_unsupported_shapes(population, dimensions, neighbours)
    chains, placed = [], set()
    for dimension in dimensions:
        if dimension not in placed and len(neighbours[dimension]) <= 1:
            chain = _walk(dimension, neighbours)
            placed.update(chain)
            chains.append(chain)
    if len(placed) != len(dimensions):
        raise UnsupportedLinkageError(
            f"population {population!r}: the two-way tables form a cycle; its margins are "
            "those of a three-way table, which this method cannot protect with proof")
    return chains


def _refuse_unsupported_shapes(population: str, dimensions: list[str],
                               neighbours: dict[str, list[str]]) -> None:
    for dimension in dimensions:
        if len(neighbours[dimension]) > 2:
            raise UnsupportedLinkageError(
                f"population {population!r}: {dimension!r} is shared by more than two "
                "two-way tables; publish at most two of them, or count them as different "
                "populations only if they truly count different units")


def _walk(start: str, neighbours: dict[str, list[str]]) -> list[str]:
    chain = [start]
    while next_ones := [n for n in neighbours[chain[-1]] if n not in chain]:
        chain.append(next_ones[0])
    return chain


def _add_chain(network: Network, chain: list[str], start: int, end: int,
               margins: dict[str, dict[str, int]],
               pair_tables: dict[frozenset[str], Table]) -> None:
    first = chain[0]
    if len(chain) == 1:
        for label, count in margins[first].items():
            network.add_arc(margin_key(first, label), start, end, count)
        return
    leaving_nodes = {}
    for label, count in margins[first].items():
        leaving_nodes[label] = network.add_node()
        network.add_arc(margin_key(first, label), start, leaving_nodes[label], count)
    for previous, dimension in pairwise(chain):
        is_last = dimension == chain[-1]
        leaving_nodes = _add_link(network, pair_tables[frozenset((previous, dimension))],
                                  (previous, dimension), leaving_nodes, margins[dimension],
                                  end if is_last else None)


def _add_link(network: Network, table: Table, dimensions: tuple[str, str],
              leaving_nodes: dict[str, int], margin: dict[str, int],
              end: int | None) -> dict[str, int]:
    """Cells of one two-way table, then the margin arcs of its far dimension."""
    previous, dimension = dimensions
    entering_nodes = {label: network.add_node() for label in margin}
    for previous_label, tail in leaving_nodes.items():
        for label, head in entering_nodes.items():
            labels_of = {previous: previous_label, dimension: label}
            count = table.count(*(labels_of[name] for name in table.dimensions))
            network.add_arc(cell_key(dimensions, (previous_label, label)), tail, head, count)
    onward_nodes = {}
    for label, count in margin.items():
        head = end if end is not None else network.add_node()
        onward_nodes[label] = head
        network.add_arc(margin_key(dimension, label), entering_nodes[label], head, count)
    return onward_nodes
