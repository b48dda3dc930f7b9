import pytest

from bilan.analysis.suppression import suppress_table, suppress_vector
from tests.analysis.disclosure import disclosed_cells


def test_it_hides_small_cells_and_their_complement_in_the_row_and_column():
    counts = [[20, 3, 30], [25, 12, 40], [18, 15, 22]]
    bases = [sum(row) for row in counts]
    hidden = suppress_table(counts, bases, 5)
    assert hidden[0][1]
    assert sum(hidden[0]) >= 2 and sum(row[1] for row in hidden) >= 2
    # The cheapest cycle through the 3: 20 and 18 + 15 (53) rather than 20 and 25 + 12 (57).
    assert hidden == [[True, True, False], [False, False, False], [True, True, False]]
    assert disclosed_cells(hidden, bases) == []


def test_it_hides_a_whole_stratum_whose_base_is_small_and_protects_it_against_the_totals():
    counts = [[40, 35, 25], [30, 22, 18], [2, 1, 0]]
    bases = [sum(row) for row in counts]
    hidden = suppress_table(counts, bases, 5)
    assert hidden[2] == [True, True, True]
    assert any(hidden[0]) or any(hidden[1])
    assert disclosed_cells(hidden, bases) == []


def test_it_breaks_a_bridge_the_simple_row_and_column_rule_would_miss():
    # Two hidden 2×2 blocks joined by a single hidden cell: every line holds
    # two hidden cells, yet the joining cell is determined by the totals.
    counts = [[1, 2, 50, 60], [3, 4, 70, 80], [90, 2, 1, 3], [95, 85, 4, 2]]
    bases = [sum(row) for row in counts]
    hidden = suppress_table(counts, bases, 5)
    for r in range(4):
        for c in range(4):
            if counts[r][c] < 5:
                assert hidden[r][c]
    assert disclosed_cells(hidden, bases) == []


def test_it_leaves_large_tables_alone():
    counts = [[10, 20], [30, 40]]
    assert suppress_table(counts, [30, 70], 5) == [[False, False], [False, False]]


def test_it_applies_no_suppression_with_a_zero_threshold():
    assert suppress_table([[0, 1], [2, 3]], [1, 5], 0) == [[False, False], [False, False]]


def test_it_only_applies_primary_suppression_to_a_single_stratum():
    # The only row equals the published totals: there is nothing more to protect.
    assert suppress_table([[2, 30]], [32], 5) == [[True, False]]


@pytest.mark.parametrize("counts, expected", [
    ([30, 3, 12], [False, True, True]),
    ([30, 3, 2], [False, True, True]),
    ([30, 20, 12], [False, False, False]),
    ([0, 30, 12], [True, False, False]),   # an empty stratum has nothing to hide
])
def test_it_suppresses_means_of_small_strata_with_a_complement(counts, expected):
    assert suppress_vector(counts, 5) == expected
