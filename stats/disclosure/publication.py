"""``suppress``: from the tables of one export to the tables that may be published."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product

from stats.disclosure.network import (
    TOTAL_KEY,
    Arc,
    Network,
    Status,
    build_networks,
    cell_key,
    margin_key,
)
from stats.disclosure.protection import protect
from stats.disclosure.tables import (
    HIDDEN_MARKER,
    ProtectedTable,
    Published,
    Table,
    small_count_marker,
)

DEFAULT_MIN_CELL = 11
SMALLEST_MIN_CELL = 3


def suppress(tables: Sequence[Table], *, min_cell: int) -> list[ProtectedTable]:
    """Protect every table of one export together; one ``ProtectedTable`` per input, in order.

    Pass *all* tables that will be shown side by side (the whole dashboard or export), since
    tables of one population are protected as a linked set. ``min_cell`` is k
    (``settings.STATS_MIN_CELL``); it must be at least 3, as ``"<2"`` would say "exactly 1".
    See ``stats.disclosure`` for the method and its guarantee.

    Raises ``InconsistentTablesError`` when tables of one population disagree on a shared
    margin or total, and ``UnsupportedLinkageError`` for linkages the method cannot prove safe.
    """
    if min_cell < SMALLEST_MIN_CELL:
        raise ValueError(f"min_cell must be at least {SMALLEST_MIN_CELL}")
    networks = build_networks(tables)
    for network in networks.values():
        protect(network, min_cell)
    return [_render(table, networks[table.population], min_cell) for table in tables]


def _render(table: Table, network: Network, min_cell: int) -> ProtectedTable:
    def shown(key: tuple) -> Published:
        return _published_value(network.arc(key), min_cell)

    if len(table.dimensions) == 1:
        dimension = table.dimensions[0]
        cells = {(label,): shown(margin_key(dimension, label)) for label in table.labels[0]}
        row_totals, column_totals = {}, {}
    else:
        cells = {labels: shown(cell_key(table.dimensions, labels))
                 for labels in product(*table.labels)}
        rows, columns = table.dimensions
        row_totals = {label: shown(margin_key(rows, label)) for label in table.labels[0]}
        column_totals = {label: shown(margin_key(columns, label)) for label in table.labels[1]}
    return ProtectedTable(
        name=table.name, population=table.population, dimensions=table.dimensions,
        labels=table.labels, cells=cells, row_totals=row_totals, column_totals=column_totals,
        total=shown(TOTAL_KEY), withheld=network.withheld,
    )


def _published_value(arc: Arc, min_cell: int) -> Published:
    if arc.status is Status.PUBLISHED:
        return arc.value
    if arc.status is Status.PRIMARY:
        return small_count_marker(min_cell)
    return HIDDEN_MARKER
