import math

import pytest

from bilan.analysis.stats import (
    Z95,
    percent_rounded,
    round_half_up,
    two_means_test,
    two_proportion_test,
    wilson_interval,
)


def test_it_gives_the_closed_form_wilson_bound_for_zero_successes():
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(Z95 ** 2 / (10 + Z95 ** 2))
    assert high == pytest.approx(0.2775, abs=1e-4)


@pytest.mark.parametrize("count, base, expected", [
    (5, 10, (0.2366, 0.7634)),      # textbook value for p = 0.5, n = 10
    (10, 10, (0.7225, 1.0)),
    (81, 100, (0.7222, 0.8749)),
])
def test_it_matches_known_wilson_intervals(count, base, expected):
    low, high = wilson_interval(count, base)
    assert low == pytest.approx(expected[0], abs=1e-4)
    assert high == pytest.approx(expected[1], abs=1e-4)


def test_it_has_no_interval_without_a_base():
    assert wilson_interval(0, 0) is None


def test_it_matches_the_known_two_proportion_test():
    # 30/100 against 45/100: chi-squared without continuity correction is 4.8, p = 0.02846.
    z, p_value = two_proportion_test(30, 100, 45, 100)
    assert z == pytest.approx(-math.sqrt(4.8))
    assert p_value == pytest.approx(0.028459737, abs=1e-8)


def test_it_cannot_test_two_proportions_without_variance():
    assert two_proportion_test(0, 50, 0, 40) is None
    assert two_proportion_test(3, 0, 1, 10) is None


def test_it_tests_a_difference_of_means():
    z, p_value = two_means_test(10.0, 4.0, 100, 9.0, 4.0, 100)
    assert z == pytest.approx(1.0 / math.sqrt(0.08))
    assert p_value < 0.05


@pytest.mark.parametrize("value, digits, expected", [
    (32.5, 0, 33), (31.49, 0, 31), (0.125, 2, 0.13), (2.675, 2, 2.68), (-0.5, 0, -1)])
def test_it_rounds_half_up_for_display(value, digits, expected):
    assert round_half_up(value, digits) == expected


@pytest.mark.parametrize("count, base, expected", [(1, 8, 13), (145, 446, 33), (3, 200, 2), (0, 5, 0), (1, 0, None)])
def test_it_rounds_percentages_exactly_on_integers(count, base, expected):
    # 1/8 = 12.5 % → 13; 3/200 = 1.5 % → 2, where float rounding could go either way.
    assert percent_rounded(count, base) == expected
