"""An independent check that hidden breakdown cells cannot be computed back.

Row totals (stratum bases) and column totals (overall counts) are public.
A hidden cell is disclosed when its unit vector lies in the row space of the
linear system those totals impose on the hidden cells. A row base given as
None is hidden: that row's total is no equation. A cell of a column whose
published total is 0 is known to be 0 by everyone and hides nothing (a row
withheld whole hides it with the rest): it is not counted as disclosed.
"""

import numpy as np


def disclosed_cells(hidden, row_bases, column_totals=None):
    live = [r for r in range(len(hidden)) if row_bases[r] is None or row_bases[r] > 0]
    unknowns = [(r, c) for r in live for c in range(len(hidden[r])) if hidden[r][c]]
    if len(live) < 2 or not unknowns or len(hidden[0]) < 2:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    constraints = []
    for r in live:
        if row_bases[r] is None:
            continue
        constraints.append([1.0 if cell[0] == r else 0.0 for cell in unknowns])
    for c in range(len(hidden[0])):
        constraints.append([1.0 if cell[1] == c else 0.0 for cell in unknowns])
    system = np.array(constraints)
    rank = np.linalg.matrix_rank(system)
    disclosed = []
    for cell, i in index.items():
        probe = np.zeros(len(unknowns))
        probe[i] = 1.0
        known_zero = column_totals is not None and column_totals[cell[1]] == 0
        if not known_zero and np.linalg.matrix_rank(np.vstack([system, probe])) == rank:
            disclosed.append(cell)
    return disclosed
