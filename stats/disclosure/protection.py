"""Primary and complementary suppression on the network of ``stats.disclosure.network``.

The method and what it guarantees are explained in the docstring of ``stats.disclosure``; this
module is the mechanics:

- ``attacker_bounds`` — what an outsider knows about each number from what is published;
- ``is_protected`` — exact test that a hidden number is not determined by everything else;
- ``cheapest_protecting_path`` — Cox's network heuristic: the cheapest set of further numbers to
  hide so that a hidden one sits on a cycle along which it can move;
- ``protect`` — both suppressions, the withholding fallback and a final proof check.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator

from stats.disclosure.network import Arc, Network, Status


class DisclosureControlError(RuntimeError):
    """A hidden number is still determined after protection. The method rules this out; the
    error exists so that a bug stops the export instead of publishing a disclosive table."""


def attacker_bounds(arc: Arc, min_cell: int) -> tuple[int, float]:
    """The range an outsider who knows this method can be sure a number lies in.

    ``"<k"`` says 1..k−1; a complementary ``"x"`` is known to be ≥ k (every smaller non-zero
    count is already primary); in a withheld population nothing is known beyond ≥ 0.
    """
    if arc.status is Status.PRIMARY:
        return 1, min_cell - 1
    if arc.status is Status.COMPLEMENTARY:
        return min_cell, math.inf
    if arc.status is Status.WITHHELD:
        return 0, math.inf
    return arc.value, arc.value


class ResidualGraph:
    """For each node, the moves by one unit that hidden numbers allow: (arc, next node).

    A hidden arc below its upper bound can carry one more unit (tail → head); above its lower
    bound, one less (head → tail). Published arcs cannot move. Kept up to date as arcs are
    hidden, so each search is a plain walk over lists.
    """

    def __init__(self, network: Network, min_cell: int) -> None:
        self.network = network
        self.min_cell = min_cell
        self.moves: list[list[tuple[int, int]]] = [[] for _ in network.leaving]
        for index in range(len(network.arcs)):
            self._add_moves(index)

    def hide(self, index: int, status: Status) -> None:
        self.network.arcs[index].status = status
        self._add_moves(index)

    def _add_moves(self, index: int) -> None:
        arc = self.network.arcs[index]
        lowest, highest = attacker_bounds(arc, self.min_cell)
        if arc.value < highest:
            self.moves[arc.tail].append((index, arc.head))
        if arc.value > lowest:
            self.moves[arc.head].append((index, arc.tail))

    def reachable(self, start: int, goal: int, skip: int) -> bool:
        """Breadth-first search that never uses the arc ``skip``."""
        seen, queue = {start}, [start]
        for node in queue:
            if node == goal:
                return True
            for index, next_node in self.moves[node]:
                if index != skip and next_node not in seen:
                    seen.add(next_node)
                    queue.append(next_node)
        return False


def is_protected(graph: ResidualGraph, index: int) -> bool:
    """Whether the hidden number ``index`` can take another integer value.

    Exact: a feasible circulation can raise (lower) one arc iff the residual graph has a cycle
    through that arc forwards (backwards), and with integer data the change can be a whole 1.
    """
    arc = graph.network.arcs[index]
    lowest, highest = attacker_bounds(arc, graph.min_cell)
    can_rise = arc.value < highest and graph.reachable(arc.head, arc.tail, index)
    can_fall = arc.value > lowest and graph.reachable(arc.tail, arc.head, index)
    return can_rise or can_fall


def _candidate_moves(graph: ResidualGraph, node: int,
                     skip: int) -> Iterator[tuple[int, int, int]]:
    """(cost, arc, next node): hidden arcs move for free; a published non-zero count may be
    hidden at the cost of its value, moving up always and down only if it exceeds k (as a
    complementary cell it is known to be ≥ k). Zeros are never hidden."""
    network, min_cell = graph.network, graph.min_cell
    yield from ((0, index, next_node) for index, next_node in graph.moves[node]
                if index != skip)
    for index in network.leaving[node]:
        arc = network.arcs[index]
        if index != skip and arc.status is Status.PUBLISHED and arc.value >= min_cell:
            yield arc.value, index, arc.head
    for index in network.entering[node]:
        arc = network.arcs[index]
        if index != skip and arc.status is Status.PUBLISHED and arc.value > min_cell:
            yield arc.value, index, arc.tail


def _cheapest_path(graph: ResidualGraph, start: int, goal: int,
                   skip: int) -> tuple[tuple[int, int], list[int]] | None:
    """Dijkstra on (value hidden, cells hidden); returns that cost and the arcs to hide.

    Ties go to the path found first, and nodes and arcs are visited in the order the tables
    list their labels, so the choice is deterministic.
    """
    best = {start: (0, 0)}
    came_by: dict[int, tuple[int, int]] = {}
    heap = [(0, 0, start)]
    while heap:
        value, cells, node = heapq.heappop(heap)
        if node == goal:
            return (value, cells), _published_arcs_on_path(graph.network, came_by, start, goal)
        if (value, cells) > best[node]:
            continue
        for cost, index, next_node in _candidate_moves(graph, node, skip):
            reached = (value + cost, cells + (cost > 0))
            if reached < best.get(next_node, (math.inf, math.inf)):
                best[next_node] = reached
                came_by[next_node] = (index, node)
                heapq.heappush(heap, (*reached, next_node))
    return None


def _published_arcs_on_path(network: Network, came_by: dict[int, tuple[int, int]],
                            start: int, goal: int) -> list[int]:
    arcs, node = [], goal
    while node != start:
        index, node = came_by[node]
        arcs.append(index)
    return [index for index in reversed(arcs) if network.arcs[index].status is Status.PUBLISHED]


def cheapest_protecting_path(graph: ResidualGraph, index: int) -> list[int] | None:
    """Published arcs whose hiding puts ``index`` on a residual cycle, cheapest first.

    Both ways round are tried (the hidden number rising, or falling) where its bounds allow;
    ``None`` when no set of published non-zero numbers can do it.
    """
    arc = graph.network.arcs[index]
    lowest, highest = attacker_bounds(arc, graph.min_cell)
    options = []
    if arc.value < highest:
        options.append(_cheapest_path(graph, arc.head, arc.tail, index))
    if arc.value > lowest:
        options.append(_cheapest_path(graph, arc.tail, arc.head, index))
    found = [option for option in options if option is not None]
    return min(found, key=lambda option: option[0])[1] if found else None


def protect(network: Network, min_cell: int) -> None:
    """Set every arc's status: primary, then complementary, else withhold the population."""
    for arc in network.arcs:
        if 0 < arc.value < min_cell:
            arc.status = Status.PRIMARY
    graph = ResidualGraph(network, min_cell)
    for index, arc in enumerate(network.arcs):
        if arc.status is not Status.PRIMARY or is_protected(graph, index):
            continue
        path = cheapest_protecting_path(graph, index)
        if path is None:
            graph = _withhold(network, min_cell)
            break
        for step in path:
            graph.hide(step, Status.COMPLEMENTARY)
    _check_every_hidden_number_protected(graph)


def _withhold(network: Network, min_cell: int) -> ResidualGraph:
    """Hide every number of the population, zeros included: nothing can then be derived,
    because every arc lies on a directed cycle (hub to hub, closed by the total) with no
    upper bound."""
    network.withheld = True
    for arc in network.arcs:
        arc.status = Status.WITHHELD
    return ResidualGraph(network, min_cell)


def _check_every_hidden_number_protected(graph: ResidualGraph) -> None:
    for index, arc in enumerate(graph.network.arcs):
        if arc.status is not Status.PUBLISHED and not is_protected(graph, index):
            raise DisclosureControlError(
                f"population {graph.network.population!r}: a hidden number is still determined")
