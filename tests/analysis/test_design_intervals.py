"""Design-based intervals of post-stratified estimates (``weighting.poststratified_ratio``), checked against an
independent computation: the Taylor-linearised variance of the weighted ratio, built respondent by respondent
from per-respondent weights, as survey packages compute it for a stratified design with a finite-population
correction."""

import math

import numpy as np
import pytest

from bilan.analysis import AnswerTable, analyse
from bilan.analysis.stats import Z95
from bilan.analysis.weighting import normal_interval, poststratified_ratio
from tests.analysis.conftest import record


def linearised(strata, population):
    """Independent reference. ``strata``: {g: [(y, d), …]} per respondent (d = 1 in the base);
    ``population``: {g: N_g}. Weights w = N_g / n_g; z_i = w_i d_i (y_i − R) / Σ w d;
    Var = Σ_g (1 − n_g/N_g) n_g/(n_g − 1) Σ_i (z_i − z̄_g)² (strata with n_g ≥ 2)."""
    rows = [(g, population[g] / len(members), y, d) for g, members in strata.items() for y, d in members]
    w = np.array([r[1] for r in rows])
    y = np.array([r[2] for r in rows], dtype=float)
    d = np.array([r[3] for r in rows], dtype=float)
    ratio = float(np.sum(w * d * y) / np.sum(w * d))
    z = w * d * (y - ratio) / np.sum(w * d)
    variance = 0.0
    for g, members in strata.items():
        n = len(members)
        zg = z[np.array([r[0] == g for r in rows])]
        variance += (1 - n / population[g]) * n / (n - 1) * float(np.sum((zg - zg.mean()) ** 2))
    return ratio, variance


def sums(strata, population):
    """The per-stratum sums the production function takes, from the same respondents."""
    keys = list(strata)
    return ([population[g] for g in keys], [len(strata[g]) for g in keys],
            [sum(d for _, d in strata[g]) for g in keys], [sum(y * d for y, d in strata[g]) for g in keys],
            [sum(y * y * d for y, d in strata[g]) for g in keys])


@pytest.mark.parametrize("seed", range(12))
def test_a_share_matches_the_linearised_variance_to_1e_9(seed):
    rng = np.random.default_rng(seed)
    strata, population = {}, {}
    for g in range(int(rng.integers(1, 8))):
        n = int(rng.integers(2, 40))
        population[g] = n + int(rng.integers(0, 120))
        strata[g] = [(int(rng.random() < rng.random()), 1) for _ in range(n)]
    expected = linearised(strata, population)
    ratio, variance = poststratified_ratio(*sums(strata, population))
    assert ratio == pytest.approx(expected[0], abs=1e-12)
    assert abs(variance - expected[1]) <= 1e-9 * max(expected[1], 1e-3)


@pytest.mark.parametrize("seed", range(12))
def test_a_mean_over_those_who_answered_matches_the_linearised_variance_to_1e_9(seed):
    rng = np.random.default_rng(100 + seed)
    strata, population = {}, {}
    for g in range(int(rng.integers(1, 6))):
        n = int(rng.integers(2, 30))
        population[g] = n + int(rng.integers(0, 80))
        strata[g] = [(float(rng.integers(1, 6)), int(rng.random() < 0.8)) for _ in range(n)]
        strata[g][0] = (strata[g][0][0], 1)   # at least one answer
    expected = linearised(strata, population)
    ratio, variance = poststratified_ratio(*sums(strata, population))
    assert ratio == pytest.approx(expected[0], abs=1e-12)
    assert abs(variance - expected[1]) <= 1e-9 * max(expected[1], 1e-3)


def test_the_textbook_formula_for_a_share():
    # Var = Σ W_g² (1 − n_g/N_g) s_g² / n_g, s_g² = n_g/(n_g − 1) p_g (1 − p_g).
    population, respondents, counts = [60, 40], [10, 20], [3, 15]
    ratio, variance = poststratified_ratio(population, respondents, respondents, counts, counts)
    expected = sum((big / 100) ** 2 * (1 - n / big) * (n / (n - 1) * (c / n) * (1 - c / n)) / n
                   for big, n, c in zip(population, respondents, counts, strict=True))
    assert ratio == pytest.approx(0.6 * 0.3 + 0.4 * 0.75)
    assert variance == pytest.approx(expected, rel=1e-12)


def test_one_stratum_is_a_simple_random_sample_with_its_correction():
    ratio, variance = poststratified_ratio([50], [10], [10], [4], [4])
    assert ratio == pytest.approx(0.4)
    assert variance == pytest.approx((1 - 10 / 50) * (10 / 9 * 0.4 * 0.6) / 10, rel=1e-12)


def test_a_stratum_where_everyone_answered_adds_no_variance_and_one_missing_does():
    census = poststratified_ratio([10, 30], [10, 12], [10, 12], [5, 6], [5, 6])
    without_first = poststratified_ratio([10, 30], [0, 12], [0, 12], [0, 6], [0, 6])   # same second stratum
    assert census[1] == pytest.approx(without_first[1] * (30 / 40) ** 2, rel=1e-12)
    one_missing = poststratified_ratio([11, 30], [10, 12], [10, 12], [5, 6], [5, 6])
    first = (11 / 41) ** 2 * (1 - 10 / 11) * (10 / 9 * 0.25) / 10
    second = (30 / 41) ** 2 * (1 - 12 / 30) * (12 / 11 * 0.25) / 12
    assert first > 0 and one_missing[1] == pytest.approx(first + second, rel=1e-12)


def test_a_census_has_a_zero_width_interval_and_more_respondents_than_the_roster_counts_as_one():
    assert poststratified_ratio([10, 4], [10, 4], [10, 4], [3, 1], [3, 1])[1] == 0.0
    assert poststratified_ratio([10, 4], [12, 4], [12, 4], [3, 1], [3, 1])[1] == 0.0
    ratio, variance = poststratified_ratio([10], [10], [10], [3], [3])
    assert normal_interval(ratio, variance, 0.0, 1.0) == (pytest.approx(0.3), pytest.approx(0.3))


def test_a_single_respondent_stratum_takes_the_estimated_population_variance():
    population, respondents, counts = [40, 20], [8, 1], [2, 1]
    ratio, variance = poststratified_ratio(population, respondents, respondents, counts, counts)
    p = 40 / 60 * 2 / 8 + 20 / 60 * 1
    assert ratio == pytest.approx(p)
    first = (40 / 60) ** 2 * (1 - 8 / 40) * (8 / 7 * 0.25 * 0.75) / 8
    single = (20 / 60) ** 2 * (1 - 1 / 20) * p * (1 - p) / 1
    assert variance == pytest.approx(first + single, rel=1e-12)
    # Two respondents: the stratum's own variance again (here zero: both have the characteristic).
    two = poststratified_ratio([40, 20], [8, 2], [8, 2], [2, 2], [2, 2])
    assert two[1] == pytest.approx(first, rel=1e-12)


def test_a_single_respondent_who_is_the_whole_stratum_adds_nothing():
    alone = poststratified_ratio([40, 1], [8, 1], [8, 1], [2, 1], [2, 1])
    first = (40 / 41) ** 2 * (1 - 8 / 40) * (8 / 7 * 0.25 * 0.75) / 8
    assert alone[1] == pytest.approx(first, rel=1e-12)


@pytest.mark.parametrize("count", [0, 12])
def test_no_variance_when_every_stratum_is_at_0_or_100_percent(count):
    ratio, variance = poststratified_ratio([50, 30], [12, 12], [12, 12], [count, count], [count, count])
    assert (ratio, variance) == (pytest.approx(count / 12), 0.0)
    assert normal_interval(ratio, variance, 0.0, 1.0) == (pytest.approx(count / 12), pytest.approx(count / 12))


def test_a_stratum_at_0_percent_adds_no_variance_beside_one_that_varies():
    mixed = poststratified_ratio([50, 30], [12, 12], [12, 12], [0, 6], [0, 6])
    alone = (30 / 80) ** 2 * (1 - 12 / 30) * (12 / 11 * 0.25) / 12
    assert mixed[1] == pytest.approx(alone, rel=1e-12)


def test_empty_strata_are_ignored_and_an_empty_base_gives_nothing():
    with_empty = poststratified_ratio([50, 30, 20], [10, 0, 5], [10, 0, 5], [4, 0, 1], [4, 0, 1])
    without = poststratified_ratio([50, 20], [10, 5], [10, 5], [4, 1], [4, 1])
    assert with_empty == (pytest.approx(without[0]), pytest.approx(without[1]))
    assert poststratified_ratio([50], [0], [0], [0], [0]) is None
    assert poststratified_ratio([], [], [], [], []) is None
    assert poststratified_ratio([50], [10], [0], [0], [0]) is None   # nobody answered


def test_the_interval_is_clipped_to_its_bounds():
    assert normal_interval(0.02, 0.0004, 0.0, 1.0) == (0.0, pytest.approx(0.02 + Z95 * 0.02))
    assert normal_interval(0.99, 0.0004, 0.0, 1.0) == (pytest.approx(0.99 - Z95 * 0.02), 1.0)
    assert normal_interval(3.0, 0.25) == (pytest.approx(3 - Z95 * 0.5), pytest.approx(3 + Z95 * 0.5))


# ------------------------------------------------------------------ through the engine
def test_the_engine_puts_the_design_based_interval_beside_the_weighted_percent(mini):
    # college × 16 has no respondent: college's cells are weighted together (one stratum of 70 people).
    people = {("college", "86"): [("yes", 4), ("no", 1)], ("lycee", "86"): [("yes", 1), ("no", 3)],
              ("lycee", "17"): [("yes", 2), ("no", 2)], ("lp", "79"): [("yes", 1)]}
    records = [record(st, dep, HELD=answer, SAT=3 + (i % 3) if answer == "yes" else None)
               for (st, dep), answers in people.items() for answer, k in answers for i in range(k)]
    roster = {("college", "86"): 40, ("college", "16"): 30, ("lycee", "86"): 20, ("lycee", "17"): 8, ("lp", "79"): 6}
    # small_cell=0: no disclosure control in this tiny example (it would hide weighted figures of small counts).
    results = analyse(mini, AnswerTable.from_records(mini, records), roster=roster, small_cell=0)
    strata_population = {"college": 70, ("lycee", "86"): 20, ("lycee", "17"): 8, "lp": 6}
    strata = {"college": ("college", "86"), ("lycee", "86"): ("lycee", "86"), ("lycee", "17"): ("lycee", "17"),
              "lp": ("lp", "79")}
    rows = {g: [r for r in records if (r["school_type"], r["departement_code"]) == cell] for g, cell in strata.items()}
    yes = results.question("HELD").option("yes")
    # By hand, as the textbook writes it; lp (1 respondent of 6) takes p̂ (1 − p̂).
    p = (70 * 4 / 5 + 20 * 1 / 4 + 8 * 2 / 4 + 6 * 1) / 104
    reference = {g: [(int(r["answers"]["HELD"] == "yes"), 1) for r in members] for g, members in rows.items()}
    multi = {g: m for g, m in reference.items() if len(m) > 1}
    variance = 0.0
    for g, members in multi.items():
        n, big = len(members), strata_population[g]
        share = sum(y for y, _ in members) / n
        variance += (big / 104) ** 2 * (1 - n / big) * (n / (n - 1) * share * (1 - share)) / n
    variance += (6 / 104) ** 2 * (1 - 1 / 6) * p * (1 - p)
    assert yes.weighted_percent == pytest.approx(100 * p, abs=1e-9)
    low, high = yes.weighted_ci95
    assert low == pytest.approx(100 * (p - Z95 * math.sqrt(variance)), abs=1e-9)
    assert high == pytest.approx(100 * (p + Z95 * math.sqrt(variance)), abs=1e-9)


def test_the_engine_matches_the_reference_for_a_share_and_a_weighted_mean(mini):
    rng = np.random.default_rng(7)
    cells = {("college", "86"): 9, ("college", "16"): 6, ("lycee", "86"): 7, ("lp", "79"): 5}
    roster = {cell: n + int(rng.integers(0, 30)) for cell, n in cells.items()}
    records, members = [], {}
    for cell, n in cells.items():
        for _ in range(n):
            held = "yes" if rng.random() < 0.6 else "no"
            sat = int(rng.integers(1, 6)) if rng.random() < 0.8 else None
            records.append(record(*cell, HELD=held, **({"SAT": sat} if sat is not None else {})))
            members.setdefault(cell, []).append((held, sat))
    # small_cell=0: no disclosure control in this tiny example (it would hide weighted figures of small counts).
    results = analyse(mini, AnswerTable.from_records(mini, records), roster=roster, small_cell=0)
    p, variance = linearised({g: [(int(h == "yes"), 1) for h, _ in m] for g, m in members.items()}, roster)
    low, high = results.question("HELD").option("yes").weighted_ci95
    assert low == pytest.approx(100 * max(0.0, p - Z95 * math.sqrt(variance)), abs=1e-9)
    assert high == pytest.approx(100 * min(1.0, p + Z95 * math.sqrt(variance)), abs=1e-9)
    mean, variance = linearised({g: [(s or 0, int(s is not None)) for _, s in m] for g, m in members.items()},
                                roster)
    numeric = results.question("SAT").numeric
    assert numeric.weighted_mean == pytest.approx(mean, abs=1e-12)
    assert numeric.weighted_mean_ci95[0] == pytest.approx(mean - Z95 * math.sqrt(variance), abs=1e-9)
    assert numeric.weighted_mean_ci95[1] == pytest.approx(mean + Z95 * math.sqrt(variance), abs=1e-9)


def test_a_census_of_every_stratum_gives_the_weighted_figure_itself(mini):
    records = [record("college", "86", HELD="yes")] * 3 + [record("lycee", "86", HELD="no")] * 2
    results = analyse(mini, AnswerTable.from_records(mini, records), roster={("college", "86"): 3, ("lycee", "86"): 2},
                      small_cell=0)
    yes = results.question("HELD").option("yes")
    assert yes.weighted_ci95 == (pytest.approx(60.0), pytest.approx(60.0))


def test_response_rates_are_exact_with_no_interval(mini, mini_table):
    roster = {("college", "86"): 4, ("college", "16"): 2, ("lycee", "86"): 2, ("lycee", "17"): 3,
              ("lp", "79"): 5, ("erea", "86"): 1, ("erea", "16"): 3}
    results = analyse(mini, mini_table, roster=roster)
    rates = results.response_rates
    erea_86 = next(rate for rate in rates.by_cell if rate.stratum == "erea × 86")
    assert (erea_86.invited, erea_86.respondents, erea_86.percent) == (1, 1, 100.0)
    data = results.to_dict()["response_rates"]
    for rate in [data["overall"], *data["by_school_type"], *data["by_departement"], *data["by_cell"]]:
        assert set(rate) == {"stratum", "invited", "respondents", "percent"}
