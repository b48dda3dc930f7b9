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
hidden cell is a bridge, the smallest visible cell that reconnects the two
sides is hidden too; this includes the classic rule "one hidden cell in a row
or a column: hide the next smallest".

Rows with a zero base are left out of the graph: their cells are known to be
0 and protect nothing. A table with fewer than two such rows, or fewer than
two columns, gets primary suppression only: its cells equal the published
totals anyway. Only exact disclosure is prevented (not bounds), and each
table is protected on its own.
"""

from __future__ import annotations

from typing import Sequence


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
        cell = _reconnecting_cell(counts, hidden, live_rows, n_columns, bridge)
        if cell is None:
            return hidden
        hidden[cell[0]][cell[1]] = True


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


def _reconnecting_cell(counts, hidden, live_rows, n_columns, bridge) -> tuple[int, int] | None:
    r0, c0 = bridge
    component = _components(hidden, live_rows, n_columns, skip=bridge)
    # Each side of the bridge; an isolated endpoint is its own side.
    row_side = {key for key, label in component.items() if label == component.get(("r", r0))} or {("r", r0)}
    column_side = {key for key, label in component.items() if label == component.get(("c", c0))} or {("c", c0)}
    row_side.add(("r", r0))
    column_side.add(("c", c0))
    joining, touching = [], []
    for r in live_rows:
        for c in range(n_columns):
            if hidden[r][c]:
                continue
            row_node, column_node = ("r", r), ("c", c)
            if (row_node in row_side and column_node in column_side) or (
                    row_node in column_side and column_node in row_side):
                joining.append((counts[r][c], r, c))
            elif row_node in row_side | column_side or column_node in row_side | column_side:
                touching.append((counts[r][c], r, c))
    # Hiding a joining cell puts the bridge on a cycle; otherwise grow a side and try again.
    pool = joining or touching
    if not pool:
        return None
    _, r, c = min(pool)
    return r, c
