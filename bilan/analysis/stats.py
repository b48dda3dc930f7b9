"""Small statistical helpers on counts (pure Python, no dependency)."""

from __future__ import annotations

import math

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
