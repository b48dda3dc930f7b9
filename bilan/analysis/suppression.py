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
totals anyway. Only exact disclosure is prevented (not bounds), and each
table is protected on its own.
"""

from __future__ import annotations

from collections.abc import Sequence


def suppress_table(counts: Sequence[Sequence[int]], row_bases: Sequence[int], threshold: int) -> list[list[bool]]:
    """Return a mask (True = hidden) of the same shape as ``counts``."""
    n_rows = len(counts)
    n_columns = len(counts[0]) if n_rows else 0
    hidden = [[False] * n_columns for _ in range(n_rows)]
    if not threshold or threshold <= 0:
        return hidden
    for r in range(n_rows):
        row_hidden = row_bases[r] < threshold
        for c in range(n_columns):
            if row_hidden or counts[r][c] < threshold:
                hidden[r][c] = True
    live_rows = [r for r in range(n_rows) if row_bases[r] > 0]
    if len(live_rows) < 2 or n_columns < 2:
        return hidden
    while True:
        bridge = _find_bridge(hidden, live_rows, n_columns)
        if bridge is None:
            return hidden
        cells = _cheapest_cycle(counts, hidden, live_rows, n_columns, bridge)
        if not cells:
            return hidden
        for r, c in cells:
            hidden[r][c] = True


def suppress_vector(counts: Sequence[int], threshold: int) -> list[bool]:
    """One-dimensional version for per-stratum summaries (e.g. means) with a known total."""
    hidden = [bool(threshold) and n < threshold for n in counts]
    live = [i for i, n in enumerate(counts) if n > 0]
    if sum(hidden[i] for i in live) == 1 and len(live) >= 2:
        candidates = [i for i in live if not hidden[i]]
        hidden[min(candidates, key=lambda i: (counts[i], i))] = True
    return hidden


def _components(hidden, live_rows, n_columns, skip=None) -> dict[tuple[str, int], int]:
    """Connected components of the graph of hidden cells, ignoring edge ``skip``."""
    adjacency: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for r in live_rows:
        for c in range(n_columns):
            if hidden[r][c] and (r, c) != skip:
                adjacency.setdefault(("r", r), []).append(("c", c))
                adjacency.setdefault(("c", c), []).append(("r", r))
    component: dict[tuple[str, int], int] = {}
    for start in adjacency:
        if start in component:
            continue
        label = len(component) and max(component.values()) + 1
        stack = [start]
        component[start] = label
        while stack:
            node = stack.pop()
            for neighbour in adjacency[node]:
                if neighbour not in component:
                    component[neighbour] = label
                    stack.append(neighbour)
    return component


def _find_bridge(hidden, live_rows, n_columns) -> tuple[int, int] | None:
    for r in live_rows:
        for c in range(n_columns):
            if not hidden[r][c]:
                continue
            component = _components(hidden, live_rows, n_columns, skip=(r, c))
            row_side, column_side = component.get(("r", r)), component.get(("c", c))
            if row_side is None or column_side is None or row_side != column_side:
                return r, c
    return None


def _cheapest_cycle(counts, hidden, live_rows, n_columns, bridge) -> list[tuple[int, int]]:
    """Visible cells to hide so that ``bridge`` lies on a cycle, as cheaply as possible.

    A shortest path from the bridge's row to its column through the other
    cells, where a hidden cell costs nothing and a visible one its count
    plus one (so fewer cells are preferred); the path and the bridge make a
    cycle. Dijkstra on at most a few dozen nodes.
    """
    r0, c0 = bridge
    nodes = [("r", r) for r in live_rows] + [("c", c) for c in range(n_columns)]
    distance = {node: float("inf") for node in nodes}
    previous: dict = {}
    distance[("r", r0)] = 0.0
    pending = set(nodes)
    while pending:
        node = min(pending, key=distance.__getitem__)
        pending.remove(node)
        if distance[node] == float("inf") or node == ("c", c0):
            break
        kind, index = node
        neighbours = [("c", c) for c in range(n_columns)] if kind == "r" else [("r", r) for r in live_rows]
        for neighbour in neighbours:
            r, c = (index, neighbour[1]) if kind == "r" else (neighbour[1], index)
            if (r, c) == bridge or neighbour not in pending:
                continue
            cost = 0.0 if hidden[r][c] else counts[r][c] + 1.0
            if distance[node] + cost < distance[neighbour]:
                distance[neighbour] = distance[node] + cost
                previous[neighbour] = node
    if distance[("c", c0)] == float("inf"):
        return []
    cells, node = [], ("c", c0)
    while node != ("r", r0):
        before = previous[node]
        r, c = (before[1], node[1]) if before[0] == "r" else (node[1], before[1])
        if not hidden[r][c]:
            cells.append((r, c))
        node = before
    return cells
