"""Small statistical helpers on counts (pure Python, no dependency)."""

from __future__ import annotations

import math
from collections.abc import Sequence

# Re-exported: results are rounded for display exactly as the report writes them.
from bilan.french import round_half_up  # noqa: F401

Z95 = 1.959963984540054  # two-sided 95 % quantile of the normal law
SIGNIFICANCE_LEVEL = 0.05


def wilson_interval(count: float, base: float, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval of ``count / base`` as shares in [0, 1]; None when ``base`` is 0.

    ``base`` may be an effective sample size (not an integer) for weighted
    estimates; ``count`` is then ``share * base``.
    """
    if base <= 0:
        return None
    p = count / base
    z2 = z * z
    denominator = 1 + z2 / base
    centre = (p + z2 / (2 * base)) / denominator
    half = z * math.sqrt(max(p * (1 - p), 0.0) / base + z2 / (4 * base * base)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_test(count_1: int, base_1: int, count_2: int, base_2: int) -> tuple[float, float] | None:
    """Pooled two-proportion z-test: ``(z, two-sided p-value)``, None when undefined.

    ``z`` is positive when the first proportion is the larger. Undefined when a
    base is 0 or when both proportions are 0 % or both 100 % (no variance):
    then there is nothing to test.
    """
    if base_1 <= 0 or base_2 <= 0:
        return None
    pooled = (count_1 + count_2) / (base_1 + base_2)
    variance = pooled * (1 - pooled) * (1 / base_1 + 1 / base_2)
    if variance <= 0:
        return None
    z = (count_1 / base_1 - count_2 / base_2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def two_means_test(mean_1: float, variance_1: float, n_1: int,
                   mean_2: float, variance_2: float, n_2: int) -> tuple[float, float] | None:
    """Large-sample z-test of a difference of means (unequal variances)."""
    if n_1 < 2 or n_2 < 2:
        return None
    spread = variance_1 / n_1 + variance_2 / n_2
    if spread <= 0:
        return None
    z = (mean_1 - mean_2) / math.sqrt(spread)
    return z, math.erfc(abs(z) / math.sqrt(2))


def percent(count: float, base: float) -> float | None:
    """Exact percentage (0–100) or None when the base is empty."""
    return 100.0 * count / base if base else None


def percent_rounded(count: int, base: int) -> int | None:
    """Whole percentage rounded half-up, computed exactly on integers (no float edge cases)."""
    if not base:
        return None
    return (200 * count + base) // (2 * base)


# --------------------------------------------------------------------- year-over-year significance
FDR_LEVEL = 0.05  # Benjamini–Hochberg false discovery rate across a campaign's comparisons
RELATIVE_TOLERANCE = 1e-12


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (q-values), in the order given.

    With the p-values sorted, ``p_(1) ≤ … ≤ p_(m)``, ``q_(i) = min over j ≥ i of
    min(1, m · p_(j) / j)`` (the step-up rule, made monotone): rejecting every
    hypothesis with ``q ≤ α`` controls the false discovery rate at ``α`` for
    independent or positively dependent tests (Benjamini & Hochberg 1995). Tied
    p-values get the same q-value. Raises ValueError on a p-value outside [0, 1].
    """
    m = len(p_values)
    for p in p_values:
        if not 0.0 <= p <= 1.0:  # also refuses NaN
            raise ValueError(f"p-valeur hors de [0, 1] : {p!r}")
    order = sorted(range(m), key=lambda i: p_values[i])
    q_values = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        index = order[rank - 1]
        running = min(running, p_values[index] * m / rank)
        q_values[index] = running
    return q_values


def phi_coefficient(paired: int, ones_1: int, ones_2: int, ones_both: int) -> float:
    """Pearson (phi) correlation of two 0/1 variables over ``paired`` pairs, 0 when either is constant.

    ``ones_1`` / ``ones_2``: pairs whose first / second value is 1; ``ones_both``: pairs where both are.
    """
    spread = ones_1 * (paired - ones_1) * ones_2 * (paired - ones_2)
    if paired < 2 or spread <= 0:
        return 0.0
    return (paired * ones_both - ones_1 * ones_2) / math.sqrt(spread)


def pearson_from_sums(n: int, sum_x: float, sum_y: float, sum_xx: float, sum_yy: float,
                      sum_xy: float) -> float:
    """Pearson correlation from the sums of ``n`` pairs; 0 when fewer than 2 pairs or a constant side."""
    if n < 2:
        return 0.0
    sxx = sum_xx - sum_x * sum_x / n
    syy = sum_yy - sum_y * sum_y / n
    sxy = sum_xy - sum_x * sum_y / n
    if sxx <= 0 or syy <= 0:
        return 0.0
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def overlap_proportion_test(count_1: int, base_1: int, count_2: int, base_2: int, *, paired: int,
                            paired_ones_1: int, paired_ones_2: int,
                            paired_ones_both: int) -> tuple[float, float] | None:
    """Two proportions on partially overlapping samples: ``(z, two-sided p-value)``, None when undefined.

    ``count_k / base_k`` are the two proportions over all their units; ``paired``
    units are in both samples, of which ``paired_ones_1`` count in the first,
    ``paired_ones_2`` in the second and ``paired_ones_both`` in both. The statistic
    of Derrick, Dobson-Mckittrick, Toher & White (2015), as computed by
    ``Prop.test`` in their R package Partiallyoverlapping 2.0::

        p̄ = (count_1 + count_2) / (base_1 + base_2)
        r = phi correlation of the paired units' two 0/1 values (0 if either is constant)
        z = (p_1 − p_2) / sqrt(p̄ (1 − p̄) (1/base_1 + 1/base_2 − 2 r · paired / (base_1 · base_2)))

    i.e. the pooled variance minus twice the covariance the paired units bring. With
    no pair (or fewer than 2, where ``r`` is undefined) it is the pooled two-proportion
    z-test; with every unit paired, a McNemar-type test whose variance is
    ``2 p̄ (1 − p̄) (1 − r) / n``.
    """
    if paired < 2:
        return two_proportion_test(count_1, base_1, count_2, base_2)
    if base_1 <= 0 or base_2 <= 0:
        return None
    if not (paired <= min(base_1, base_2) and 0 <= paired_ones_both <= min(paired_ones_1, paired_ones_2)
            and paired_ones_1 <= min(paired, count_1) and paired_ones_2 <= min(paired, count_2)):
        raise ValueError("effectifs appariés incohérents avec les effectifs des deux années")
    pooled = (count_1 + count_2) / (base_1 + base_2)
    r = phi_coefficient(paired, paired_ones_1, paired_ones_2, paired_ones_both)
    independent = pooled * (1 - pooled) * (1 / base_1 + 1 / base_2)
    variance = independent - pooled * (1 - pooled) * 2 * r * paired / (base_1 * base_2)
    # Relative: all units paired with r = 1 leaves a rounding residue, not a variance.
    if variance <= RELATIVE_TOLERANCE * independent:
        return None
    z = (count_1 / base_1 - count_2 / base_2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def overlap_means_test(mean_1: float, variance_1: float, n_1: int, mean_2: float, variance_2: float, n_2: int,
                       *, paired: int, correlation: float) -> tuple[float, float] | None:
    """Two means on partially overlapping samples (large-sample z): ``(z, two-sided p-value)`` or None.

    The variance of the difference is that of two independent means minus twice
    the covariance of the ``paired`` units (Derrick, Russ, Toher & White 2017,
    unequal variances)::

        Var = s_1²/n_1 + s_2²/n_2 − 2 r · paired · s_1 s_2 / (n_1 n_2)

    with ``s_k²`` the sample variances over all units and ``r`` the Pearson
    correlation of the paired units' values. As :func:`two_means_test` (to which
    it reduces without pairs), the p-value is from the normal law.
    """
    if n_1 < 2 or n_2 < 2:
        return None
    if paired < 2:
        return two_means_test(mean_1, variance_1, n_1, mean_2, variance_2, n_2)
    if paired > min(n_1, n_2) or not -1.0 <= correlation <= 1.0:
        raise ValueError("effectifs appariés ou corrélation incohérents")
    independent = variance_1 / n_1 + variance_2 / n_2
    spread = independent - 2 * correlation * paired * math.sqrt(variance_1 * variance_2) / (n_1 * n_2)
    if spread <= RELATIVE_TOLERANCE * independent:
        return None
    z = (mean_1 - mean_2) / math.sqrt(spread)
    return z, math.erfc(abs(z) / math.sqrt(2))
