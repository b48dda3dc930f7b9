import pytest

from bilan.analysis.suppression import merge_small_strata, suppress_table, suppress_vector, widen
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


# --------------------------------------------------------------------- edges
def test_a_count_exactly_at_the_threshold_is_shown_and_one_under_is_hidden():
    assert suppress_table([[5, 20], [6, 21]], [25, 27], 5) == [[False, False], [False, False]]
    assert suppress_table([[4, 20], [6, 21]], [24, 27], 5)[0][0]


def test_a_base_exactly_at_the_threshold_keeps_its_row_and_one_under_hides_it():
    # The second column is empty: its zeros stay; only the base decides (one live column: primary only).
    assert suppress_table([[5, 0], [10, 0]], [5, 10], 5) == [[False, False], [False, False]]
    assert suppress_table([[4, 0], [10, 0]], [4, 10], 5) == [[True, False], [False, False]]


def test_two_strata_of_which_one_is_small_are_both_hidden():
    # The big row is the column totals minus the small one: it must go too.
    counts = [[2, 1], [40, 35]]
    bases = [3, 75]
    hidden = suppress_table(counts, bases, 5)
    assert hidden == [[True, True], [True, True]]
    assert disclosed_cells(hidden, bases) == []


def test_three_groups_of_hidden_cells_are_each_protected():
    counts = [[1, 30, 40, 50, 60, 70], [40, 2, 50, 60, 70, 80], [50, 60, 3, 70, 80, 90],
              [60, 70, 80, 90, 100, 110]]
    bases = [sum(row) for row in counts]
    hidden = suppress_table(counts, bases, 5)
    assert hidden[0][0] and hidden[1][1] and hidden[2][2]
    assert disclosed_cells(hidden, bases) == []


def test_a_column_nobody_chose_stays_visible_its_zeros_are_public():
    counts = [[10, 0, 2], [20, 0, 30], [25, 0, 40]]
    hidden = suppress_table(counts, [sum(row) for row in counts], 5)
    assert [row[1] for row in hidden] == [False, False, False]
    assert hidden[0][2]


def test_an_empty_table_and_a_single_column_table_get_primary_suppression_only():
    assert suppress_table([], [], 5) == []
    assert suppress_table([[3], [40]], [3, 40], 5) == [[True], [False]]


@pytest.mark.parametrize("sizes, threshold, expected", [
    ([30, 20, 5], 5, [[0], [1], [2]]),            # exactly at the threshold: alone
    ([30, 20, 4], 5, [[0], [1, 2]]),              # one under: with the smallest other
    ([30, 20, 4, 3], 5, [[0], [1], [2, 3]]),      # the two small ones together reach it
    ([2, 1], 5, [[0, 1]]),                        # everything small: one group, the totals
    ([30, 1], 0, [[0], [1]]),                     # no threshold: no merge
    ([], 5, []),
])
def test_small_strata_are_merged_until_every_row_reaches_the_threshold(sizes, threshold, expected):
    assert merge_small_strata(sizes, threshold) == expected


def test_a_small_stratum_joins_its_named_neighbour_before_the_smallest():
    # EREA (3) with LP (index 1, 40) rather than with the smallest other (index 2, 10).
    assert merge_small_strata([100, 40, 10, 3], 5, [None, None, None, 1]) == [[0], [1, 3], [2]]


def test_widen_hides_the_cheapest_rectangle_and_nothing_when_none_is_left():
    counts = [[2, 50, 8], [30, 40, 6], [20, 9, 7]]
    hidden = [[True, False, False], [False, False, False], [False, False, False]]
    # Cheapest: rows 0 and 2, columns 0 and 2: 8 + 20 + 7 = 35 (against 8 + 30 + 6 = 44 with row 1).
    assert sorted(widen(counts, hidden, 0, 0)) == [(0, 2), (2, 0), (2, 2)]
    everything = [[True] * 3 for _ in range(3)]
    assert widen(counts, everything, 0, 0) == []
    assert widen(counts, hidden, 0, 0, usable_rows=[0]) == []


def test_no_threshold_or_a_negative_one_hides_nothing_and_one_of_1_hides_zeros():
    counts = [[0, 5], [3, 4]]
    assert suppress_table(counts, [5, 7], -1) == [[False, False], [False, False]]
    assert suppress_table(counts, [5, 7], 1)[0][0]
    assert merge_small_strata([1, 2], -1) == [[0], [1]]
    assert suppress_vector([0, 3], 0) == [False, False]


def test_a_row_nobody_answered_is_no_way_round_but_a_row_of_one_is():
    # Row 1 has a base of 0: its cells are known to be 0, a cycle through them would protect nothing.
    counts = [[3, 10], [0, 0], [20, 30]]
    assert suppress_table(counts, [13, 0, 50], 5) == [[True, True], [True, True], [True, True]]
    # With a base of 1 the row is unknown to the reader: its hidden cells close the cycle at no cost.
    counts = [[3, 10], [1, 0], [20, 30]]
    assert suppress_table(counts, [13, 1, 50], 5) == [[True, True], [True, True], [False, False]]


def test_the_cycle_goes_through_cells_already_hidden_and_prefers_fewer_cells_at_equal_counts():
    # Through the hidden 3 and 4, one more cell (20) closes the cycle of the 2: cost 21, against 22
    # for three visible cells (6, 6 and 7) on the other side.
    counts = [[2, 3, 6], [20, 4, 30], [7, 40, 6]]
    hidden = suppress_table(counts, [sum(row) for row in counts], 5)
    assert hidden == [[True, True, False], [True, True, False], [False, False, False]]


@pytest.mark.parametrize("counts, expected", [
    ([30, 5, 12], [False, False, False]),   # exactly at the threshold: shown
    ([30, 1, 12], [False, True, True]),     # one respondent is a stratum too
    ([30, 3], [True, True]),                # two strata: the other one goes too
])
def test_means_at_the_threshold_and_with_two_strata(counts, expected):
    assert suppress_vector(counts, 5) == expected


def test_widen_takes_the_first_of_equally_cheap_rectangles():
    counts = [[2, 10, 10], [10, 10, 10], [10, 10, 10]]
    hidden = [[True, False, False], [False, False, False], [False, False, False]]
    assert sorted(widen(counts, hidden, 0, 0)) == [(0, 1), (1, 0), (1, 1)]
    assert widen([], [], 0, 0) == []


def test_a_threshold_of_1_merges_a_stratum_nobody_answered_from_and_a_single_row_cannot_widen():
    assert merge_small_strata([0, 3], 1) == [[0, 1]]
    assert widen([[2, 3]], [[True, False]], 0, 0) == []


def test_the_rank_check_counts_a_recoverable_cell_unless_its_column_total_is_zero():
    # Two rows withheld whole (bases hidden); column c1 is shown 0 in the second row.
    hidden = [[True, True], [True, False]]
    assert disclosed_cells(hidden, [None, None]) == [(0, 1)]        # the column total gives it back
    assert disclosed_cells(hidden, [None, None], [3, 0]) == []       # a column nobody chose: 0, no secret
    assert disclosed_cells(hidden, [None, None], [3, 1]) == [(0, 1)]  # one past: the 1 is recovered
