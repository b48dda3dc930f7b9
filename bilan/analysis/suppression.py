"""Small-cell suppression for breakdown tables (strata × options).

A breakdown shows, for each stratum (row), its base and a count per option
(column); the overall count of each option is published elsewhere. So every
row total and every column total is known, and a hidden cell must not be
recoverable from them by subtraction.

Primary suppression hides every cell under the threshold (zeros included:
"nobody among the 3 EREA" is a disclosure too) and every cell of a row whose
base is under the threshold. Complementary suppression then hides more cells
until no hidden cell can be computed from the totals. With known row and
column totals, a hidden cell is determined exactly when it is a *bridge* of
the bipartite graph whose nodes are rows and columns and whose edges are the
hidden cells (the null space of that system is its cycle space). So while a
hidden cell is a bridge, the cheapest set of visible cells that puts it on a
cycle (a shortest path, cost = counts) is hidden too. This covers the classic
rule "one hidden cell in a row or a column: hide the next smallest" and the
cases it misses (two hidden blocks joined by a single cell).

Rows with a zero base are left out of the graph: their cells are known to be
0 and protect nothing. A table with fewer than two such rows, or fewer than
two columns, gets primary suppression only: its cells equal the published
totals anyway. A column nobody chose is left visible (its zeros are
public through its total).

This is the first pass, table by table. It prevents exact disclosure within a
table, not bounds, nor what linked tables tell together: the engine then runs
the auditor (:mod:`bilan.analysis.audit`) over every published figure and
hides more with :func:`widen` where a hidden cell can still be narrowed to an
interval smaller than the threshold. Strata too small to publish answers for
are merged beforehand (:func:`merge_small_strata`).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence


def suppress_table(counts: Sequence[Sequence[int]], row_bases: Sequence[int], threshold: int) -> list[list[bool]]:
    """Return a mask (True = hidden) of the same shape as ``counts``."""
    hidden = [[False] * len(row) for row in counts]
    if threshold <= 0 or not counts:
        return hidden
    rows = range(len(counts))
    # A column nobody chose is 0 in every row, and its total says so: hiding its cells protects nothing.
    live_columns = [c for c in range(len(counts[0])) if any(counts[r][c] for r in rows)]
    for r in rows:
        for c in live_columns:
            if row_bases[r] < threshold or counts[r][c] < threshold:
                hidden[r][c] = True
    live_rows = [r for r in rows if row_bases[r] > 0]
    while (bridge := _find_bridge(hidden, live_rows, live_columns)) is not None:
        cells = _cheapest_cycle(counts, hidden, live_rows, live_columns, bridge)
        if cells is None:   # no cycle can go through it: a single row, or a single live column
            break
        for r, c in cells:
            hidden[r][c] = True
    return hidden


def suppress_vector(counts: Sequence[int], threshold: int) -> list[bool]:
    """One-dimensional version for per-stratum summaries (e.g. means) with a known total."""
    hidden = [n < threshold for n in counts]
    live = [i for i, n in enumerate(counts) if n > 0]
    if sum(hidden[i] for i in live) == 1 and len(live) >= 2:
        candidates = [i for i in live if not hidden[i]]
        hidden[min(candidates, key=lambda i: (counts[i], i))] = True
    return hidden


def _reachable(hidden, live_rows, live_columns, start: tuple[str, int], goal: tuple[str, int],
               skip: tuple[int, int]) -> bool:
    """Whether ``goal`` can be reached from ``start`` along hidden cells (rows and columns as nodes),
    without the cell ``skip``."""
    seen, stack = {start}, [start]
    while stack:
        kind, index = stack.pop()
        if (kind, index) == goal:
            return True
        if kind == "r":
            neighbours = [("c", c) for c in live_columns if hidden[index][c] and (index, c) != skip]
        else:
            neighbours = [("r", r) for r in live_rows if hidden[r][index] and (r, index) != skip]
        for neighbour in neighbours:
            if neighbour not in seen:
                seen.add(neighbour)
                stack.append(neighbour)
    return False


def _find_bridge(hidden, live_rows, live_columns) -> tuple[int, int] | None:
    """A hidden cell on no cycle of hidden cells (the totals give it back), or None."""
    for r in live_rows:
        for c in live_columns:
            if hidden[r][c] and not _reachable(hidden, live_rows, live_columns, ("r", r), ("c", c), (r, c)):
                return r, c
    return None


def _cheapest_cycle(counts, hidden, live_rows, live_columns, bridge) -> list[tuple[int, int]] | None:
    """Visible cells to hide so that ``bridge`` lies on a cycle, as cheaply as possible; None when no cycle can.

    A shortest path from the bridge's row to its column through the other
    cells, where a hidden cell costs nothing and a visible one its count
    plus one (so fewer cells are preferred); the path and the bridge make a
    cycle. Dijkstra on at most a few dozen nodes.
    """
    r0, c0 = bridge
    start, goal = ("r", r0), ("c", c0)
    distance = {start: 0.0}
    previous: dict = {}
    queue = [(0.0, start)]
    done = set()
    while queue:
        length, node = heapq.heappop(queue)
        if node in done:
            continue
        done.add(node)
        kind, index = node
        neighbours = [("c", c) for c in live_columns] if kind == "r" else [("r", r) for r in live_rows]
        for neighbour in neighbours:
            r, c = (index, neighbour[1]) if kind == "r" else (neighbour[1], index)
            if (r, c) == bridge or neighbour in done:
                continue
            cost = 0.0 if hidden[r][c] else counts[r][c] + 1.0
            if length + cost < distance.get(neighbour, math.inf):
                distance[neighbour] = length + cost
                previous[neighbour] = node
                heapq.heappush(queue, (length + cost, neighbour))
    if goal not in previous:
        return None
    cells, node = [], goal
    while node != start:
        before = previous[node]
        r, c = (before[1], node[1]) if before[0] == "r" else (node[1], before[1])
        if not hidden[r][c]:
            cells.append((r, c))
        node = before
    return cells


def merge_small_strata(sizes: Sequence[int], threshold: int,
                       neighbours: Sequence[int | None] | None = None) -> list[list[int]]:
    """Groups of strata (indexes, in order) each with at least ``threshold`` respondents.

    The smallest group under the threshold joins its named neighbour
    (``neighbours[i]``, e.g. EREA with the lycées professionnels) when there is
    one, else the smallest other group (the first on ties); again until every
    group reaches the threshold or only one is left. A stratum of 3 respondents
    is never a row of a table of answers: its answers are read with its
    neighbour's, or in the totals.
    """
    groups = [[i] for i in range(len(sizes))]
    if threshold <= 0:
        return groups

    def size(group: list[int]) -> int:
        return sum(sizes[i] for i in group)

    while len(groups) > 1:
        small = [g for g in groups if size(g) < threshold]
        if not small:
            break
        group = min(small, key=lambda g: (size(g), g[0]))
        others = [g for g in groups if g is not group]
        wanted = [neighbours[i] for i in group if neighbours and neighbours[i] is not None]
        partner = next((g for g in others if any(n in g for n in wanted)), None)
        if partner is None:
            partner = min(others, key=lambda g: (size(g), g[0]))
        groups = [g for g in others if g is not partner] + [sorted(group + partner)]
        groups.sort(key=lambda g: g[0])
    return groups


def widen(counts: Sequence[Sequence[int]], hidden: list[list[bool]], row: int, column: int,
          usable_rows: Sequence[int] | None = None) -> list[tuple[int, int]]:
    """Visible cells to hide so that the hidden cell (``row``, ``column``) gets room to move.

    A hidden cell pinned by the other published figures gains a degree of
    freedom with a rectangle: another row r, another column c, and the cells
    (row, c), (r, column), (r, c), each visible one hidden. The cheapest such
    rectangle (fewest counts hidden) among the rows ``usable_rows`` (by default
    all) and the columns with someone in them. Empty when none is left: every
    cell of those rows and columns is already hidden.
    """
    if not counts:
        return []
    rows = range(len(counts)) if usable_rows is None else usable_rows
    columns = [c for c in range(len(counts[0])) if any(counts[r][c] for r in range(len(counts)))]
    best, best_cost = [], None
    for r in rows:
        if r == row:
            continue
        for c in columns:
            if c == column:
                continue
            cells = [(rr, cc) for rr, cc in ((row, c), (r, column), (r, c)) if not hidden[rr][cc]]
            if not cells:
                continue
            cost = (sum(counts[rr][cc] for rr, cc in cells), len(cells))
            if best_cost is None or cost < best_cost:
                best, best_cost = cells, cost
    return best
