"""The helpers of bilan/analysis/stats.py at their edges, against independent computations.

Empty bases, counts of 0 and equal to the base, zero variance, one and two observations for means, rounding
exactly at one half; for the year-over-year helpers, the limits of their guards (p-values of 0 and 1, two
pairs, a correlation of ±1). Found missing by mutation testing (tools/mutation.py, docs/methodology.md).
"""

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy.stats import norm, ttest_ind_from_stats

from bilan.analysis.stats import (
    FDR_LEVEL,
    SIGNIFICANCE_LEVEL,
    Z95,
    benjamini_hochberg,
    overlap_means_test,
    overlap_proportion_test,
    pearson_from_sums,
    percent,
    percent_rounded,
    two_means_test,
    two_proportion_test,
    wilson_interval,
)


def _wilson_roots(count: float, base: float, z: float) -> tuple[float, float]:
    """The Wilson bounds as the roots in p of (count/base − p)² = z² p (1 − p) / base."""
    share = count / base
    a = 1 + z * z / base
    b = -(2 * share + z * z / base)
    c = share * share
    root = math.sqrt(b * b - 4 * a * c)
    return (-b - root) / (2 * a), (-b + root) / (2 * a)


def test_the_95_percent_quantile_is_the_normal_one():
    assert abs(Z95 - norm.ppf(0.975)) < 1e-12
    assert SIGNIFICANCE_LEVEL == 0.05  # the level the pages and the report state


@pytest.mark.parametrize("count, base", [(0, 1), (1, 1), (1, 2), (0, 3), (3, 3), (1, 7), (6, 7), (17, 40),
                                         (2.5, 7.5), (999, 1000)])
def test_wilson_bounds_are_the_roots_of_the_score_equation(count, base):
    low, high = wilson_interval(count, base)
    expected_low, expected_high = _wilson_roots(count, base, Z95)
    assert low == pytest.approx(max(0.0, expected_low), abs=1e-12)
    assert high == pytest.approx(min(1.0, expected_high), abs=1e-12)


@pytest.mark.parametrize("z", [1.0, 2.5758])
def test_wilson_uses_the_quantile_it_is_given(z):
    low, high = wilson_interval(3, 10, z=z)
    assert (low, high) == pytest.approx(_wilson_roots(3, 10, z), abs=1e-12)


def test_wilson_reaches_zero_and_one_at_the_ends_only():
    # At 0 the lower bound is 0 up to float rounding (2.8e-17 for 0 of 12): it prints as 0 %.
    assert wilson_interval(0, 12)[0] == pytest.approx(0.0, abs=1e-15)
    assert wilson_interval(12, 12)[1] == 1.0
    assert wilson_interval(1, 12)[0] > 0.01 and wilson_interval(11, 12)[1] < 0.99


def test_wilson_stays_within_zero_and_one_when_a_weighted_count_passes_its_base():
    low, high = wilson_interval(10.5, 10)  # rounding of weights can give a share a hair above 1
    assert 0.0 <= low <= high == 1.0


@pytest.mark.parametrize("base", [0, 0.0, -1])
def test_wilson_has_no_interval_without_a_positive_base(base):
    assert wilson_interval(0, base) is None


def _z_two_proportions(count_1, base_1, count_2, base_2) -> float:
    """The pooled z from the chi-squared of the 2 × 2 table (no continuity correction), signed."""
    table = [[count_1, base_1 - count_1], [count_2, base_2 - count_2]]
    total = base_1 + base_2
    columns = [count_1 + count_2, total - count_1 - count_2]
    chi2 = sum((table[i][j] - [base_1, base_2][i] * columns[j] / total) ** 2
               / ([base_1, base_2][i] * columns[j] / total) for i in range(2) for j in range(2))
    return math.copysign(math.sqrt(chi2), count_1 / base_1 - count_2 / base_2)


@pytest.mark.parametrize("counts", [(7, 20, 2, 30), (2, 30, 7, 20), (1, 1, 0, 1), (0, 5, 5, 5), (40, 41, 3, 4)])
def test_the_two_proportion_test_is_the_chi_squared_test_of_the_table(counts):
    z, p_value = two_proportion_test(*counts)
    expected = _z_two_proportions(*counts)
    assert z == pytest.approx(expected, rel=1e-12)
    assert p_value == pytest.approx(2 * norm.sf(abs(expected)), rel=1e-9)


@pytest.mark.parametrize("counts", [(0, 0, 1, 10), (1, 10, 0, 0), (0, 0, 0, 0), (0, 8, 0, 3), (8, 8, 3, 3)])
def test_two_proportions_are_not_tested_on_an_empty_group_or_without_variance(counts):
    assert two_proportion_test(*counts) is None


def test_two_equal_proportions_give_a_p_value_of_one():
    assert two_proportion_test(3, 10, 6, 20) == (0.0, 1.0)


@pytest.mark.parametrize("means", [
    (10.0, 4.0, 2, 9.0, 1.0, 2),      # two observations each: the smallest defined test
    (3.2, 0.5, 12, 4.1, 2.25, 30),
    (5.0, 0.0, 7, 4.0, 1.0, 3),       # one group without variance: still defined
])
def test_the_two_means_test_is_welchs_statistic_with_a_normal_p_value(means):
    mean_1, variance_1, n_1, mean_2, variance_2, n_2 = means
    z, p_value = two_means_test(*means)
    welch = ttest_ind_from_stats(mean_1, math.sqrt(variance_1), n_1, mean_2, math.sqrt(variance_2), n_2,
                                 equal_var=False)
    assert z == pytest.approx(welch.statistic, rel=1e-12)
    assert p_value == pytest.approx(2 * norm.sf(abs(welch.statistic)), rel=1e-9)


@pytest.mark.parametrize("means", [
    (10.0, 4.0, 1, 9.0, 4.0, 10), (10.0, 4.0, 10, 9.0, 4.0, 1), (10.0, 0.0, 0, 9.0, 4.0, 10),
    (10.0, 0.0, 5, 9.0, 0.0, 8),      # no variance in either group
])
def test_two_means_are_not_tested_under_two_observations_or_without_variance(means):
    assert two_means_test(*means) is None


@pytest.mark.parametrize("count, base, expected", [(1, 4, 25.0), (0, 3, 0.0), (3, 3, 100.0), (1.5, 6.0, 25.0),
                                                   (1, 3, 100 / 3)])
def test_percent_is_exact(count, base, expected):
    assert percent(count, base) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("base", [0, 0.0])
def test_percent_has_no_value_without_a_base(base):
    assert percent(0, base) is None


def _half_up(count: int, base: int) -> int:
    return math.floor(Fraction(100 * count, base) + Fraction(1, 2))


@pytest.mark.parametrize("count, base", [
    (1, 200), (1, 201), (1, 199),   # 0.5 % exactly → 1; just under and just over
    (3, 8), (5, 8), (7, 8),         # 37.5, 62.5, 87.5 exactly → up
    (1, 400), (1, 3), (2, 3),       # 0.25 → 0; 33.3 → 33; 66.7 → 67
    (0, 1), (1, 1), (7, 7), (199, 200), (399, 400),
])
def test_percent_rounded_rounds_half_up_exactly(count, base):
    rounded = percent_rounded(count, base)
    assert rounded == _half_up(count, base) and type(rounded) is int


def test_percent_rounded_at_one_half_goes_up_and_just_below_it_goes_down():
    assert percent_rounded(1, 200) == 1   # 0.5 %
    assert percent_rounded(399, 400) == 100  # 99.75 %
    assert percent_rounded(1, 201) == 0   # 0.4975 %
    assert percent_rounded(0, 0) is None


# ------------------------------------------------- the year-over-year helpers at their edges (same module)
def test_the_false_discovery_rate_is_five_percent():
    assert FDR_LEVEL == 0.05  # the rate the pages and the report state


@pytest.mark.parametrize("p_values", [[0.0, 1.0], [1.0], [0.0]])
def test_benjamini_hochberg_takes_p_values_of_exactly_zero_and_one(p_values):
    assert benjamini_hochberg(p_values) == [min(1.0, p * len(p_values)) for p in p_values]


@pytest.mark.parametrize("bad", [-0.001, 1.001, float("nan")])
def test_benjamini_hochberg_refuses_a_p_value_outside_zero_and_one(bad):
    with pytest.raises(ValueError, match="p-valeur hors de"):
        benjamini_hochberg([0.5, bad])


def _pearson(pairs):
    xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
    return pearson_from_sums(len(pairs), sum(xs), sum(ys), sum(x * x for x in xs), sum(y * y for y in ys),
                             sum(x * y for x, y in pairs))


@pytest.mark.parametrize("pairs", [
    [(0, 0), (1, 1)],                          # two pairs: the fewest with a correlation
    [(0, 0.2), (0.5, 0.1), (0.25, 0.4)],       # small spreads (sums of squares under 1)
    [(1, 3), (2, 1), (3, 2), (4, 5), (5, 4)],
])
def test_pearson_from_sums_is_the_sample_correlation(pairs):
    expected = np.corrcoef([x for x, _ in pairs], [y for _, y in pairs])[0, 1]
    assert _pearson(pairs) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("pairs", [[(1, 2)], [], [(3, 1), (3, 2), (3, 5)], [(1, 4), (2, 4)]])
def test_pearson_from_sums_is_zero_under_two_pairs_or_with_a_constant_side(pairs):
    assert _pearson(pairs) == 0.0


@pytest.mark.parametrize("bases", [(0, 10), (10, 0)])
def test_the_overlap_proportion_test_has_no_value_on_an_empty_year(bases):
    base_1, base_2 = bases
    assert overlap_proportion_test(0, base_1, 0, base_2, paired=2, paired_ones_1=0, paired_ones_2=0,
                                   paired_ones_both=0) is None


@pytest.mark.parametrize("counts", [(1, 1, 3, 10), (3, 10, 1, 1)])
def test_the_overlap_proportion_test_refuses_more_pairs_than_a_year_has(counts):
    with pytest.raises(ValueError, match="incohérents"):
        overlap_proportion_test(*counts, paired=2, paired_ones_1=1, paired_ones_2=1, paired_ones_both=1)


@pytest.mark.parametrize("sizes", [(1, 10), (10, 1)])
def test_the_overlap_means_test_needs_two_observations_each_year(sizes):
    n_1, n_2 = sizes
    assert overlap_means_test(5.0, 1.0, n_1, 4.0, 1.0, n_2, paired=0, correlation=0.0) is None
    assert overlap_means_test(5.0, 1.0, n_1, 4.0, 1.0, n_2, paired=2, correlation=0.5) is None


def test_the_overlap_means_test_with_two_observations_and_no_pair_is_the_independent_test():
    assert overlap_means_test(5.0, 1.0, 2, 4.0, 2.0, 2, paired=0, correlation=0.0) \
        == two_means_test(5.0, 1.0, 2, 4.0, 2.0, 2)


def test_the_overlap_means_test_uses_the_correlation_from_two_pairs_on():
    one_pair = overlap_means_test(5.0, 1.0, 10, 4.0, 2.0, 12, paired=1, correlation=0.5)
    two_pairs = overlap_means_test(5.0, 1.0, 10, 4.0, 2.0, 12, paired=2, correlation=0.5)
    assert one_pair == two_means_test(5.0, 1.0, 10, 4.0, 2.0, 12)
    spread = 1.0 / 10 + 2.0 / 12 - 2 * 0.5 * 2 * math.sqrt(2.0) / 120
    assert two_pairs[0] == pytest.approx(1.0 / math.sqrt(spread), rel=1e-12)


@pytest.mark.parametrize("correlation", [-1.0, 0.5, 1.0])
def test_the_overlap_means_test_takes_a_correlation_up_to_one(correlation):
    assert overlap_means_test(5.0, 1.0, 10, 4.0, 2.0, 12, paired=3, correlation=correlation) is not None


@pytest.mark.parametrize("correlation", [-1.001, 1.001])
def test_the_overlap_means_test_refuses_a_correlation_beyond_one(correlation):
    with pytest.raises(ValueError, match="incohérents"):
        overlap_means_test(5.0, 1.0, 10, 4.0, 2.0, 12, paired=3, correlation=correlation)
