"""Year-over-year significance: Benjamini–Hochberg across a campaign, and the test for overlapping samples."""

import math

import numpy as np
import polars as pl
import pytest
from scipy.stats import binom, false_discovery_control, norm

from bilan.analysis import AnalysisError, AnswerTable, analyse
from bilan.analysis.results import Comparison, Estimate, QuestionResult
from bilan.analysis.significance import control_false_discoveries, method_note
from bilan.analysis.stats import (
    benjamini_hochberg,
    overlap_means_test,
    overlap_proportion_test,
    pearson_from_sums,
    phi_coefficient,
    two_means_test,
    two_proportion_test,
)
from bilan.questionnaire import parse_questionnaire
from tests.analysis.conftest import record


# --------------------------------------------------------------------- Benjamini–Hochberg
@pytest.mark.parametrize("seed", range(20))
def test_it_adjusts_p_values_as_scipy_does(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 60))
    p_values = rng.uniform(size=size) ** 3
    p_values[: size // 4] = p_values[0]  # ties
    if seed % 3 == 0:
        p_values[-1] = 1.0
    assert benjamini_hochberg(list(p_values)) == pytest.approx(list(false_discovery_control(p_values)), abs=1e-12)


@pytest.mark.parametrize("p_values, expected", [
    ([], []),
    ([0.03], [0.03]),                                      # one p-value: unchanged
    ([1.0, 1.0], [1.0, 1.0]),
    ([0.02, 0.02, 0.02], [0.02, 0.02, 0.02]),              # all equal: unchanged
    ([0.01, 0.04, 0.03, 0.005], [0.02, 0.04, 0.04, 0.02]),  # by hand: 4·p/rank, then running minimum
    ([0.04, 0.01, 0.04], [0.04, 0.03, 0.04]),              # ties share their q-value
    ([0.5, 0.001], [0.5, 0.002]),
])
def test_it_adjusts_p_values_at_the_edges(p_values, expected):
    assert benjamini_hochberg(p_values) == pytest.approx(expected)


def test_it_keeps_q_values_monotone_in_p():
    p_values = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205]
    q_values = benjamini_hochberg(p_values)
    assert q_values == sorted(q_values)
    assert all(q >= p for p, q in zip(p_values, q_values, strict=True))


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan])
def test_it_refuses_a_p_value_outside_zero_one(bad):
    with pytest.raises(ValueError, match="hors de"):
        benjamini_hochberg([0.2, bad])


def _comparison(p_value, count=10, previous_count=12):
    return Comparison(basis="respondents", current_percent=count, previous_count=previous_count, previous_base=100,
                      previous_percent=previous_count, difference_points=count - previous_count, z=None,
                      p_value=p_value, significant=False)


def _question_with(*comparisons):
    question = QuestionResult(code="Q", type="single", text="", label="", section="", base=None)
    for number, comparison in enumerate(comparisons):
        question.options.append(Estimate(code=f"o{number}", label="", count=comparison.previous_count, percent=None,
                                         percent_of_asked=None, percent_of_answered=None, percent_rounded=None,
                                         ci95=None, previous=comparison))
    return question


@pytest.mark.parametrize("p_value, flagged", [(0.05, False), (0.0499999, True)])
def test_it_flags_under_a_q_value_of_five_percent_strictly(p_value, flagged):
    comparison = _comparison(p_value)
    assert control_false_discoveries([_question_with(comparison)]) == 1
    assert comparison.q_value == pytest.approx(p_value)
    assert comparison.significant is flagged


def test_it_flags_what_bh_rejects_and_not_what_a_lone_p_value_would():
    # Two tests, p = 0.03 and 0.04: q = min(2 × 0.03 / 1, 2 × 0.04 / 2) = 0.04 for both (step-up).
    low, high = _comparison(0.03), _comparison(0.04)
    control_false_discoveries([_question_with(low, high)])
    assert low.q_value == pytest.approx(0.04) and high.q_value == pytest.approx(0.04)
    assert low.significant and high.significant
    lone, other = _comparison(0.03), _comparison(0.6)
    control_false_discoveries([_question_with(lone, other)])
    assert lone.q_value == pytest.approx(0.06) and not lone.significant


def test_it_leaves_an_untested_comparison_out_of_the_family():
    untested, tested = _comparison(None), _comparison(0.04)
    assert control_false_discoveries([_question_with(untested, tested)]) == 1
    assert untested.q_value is None and not untested.significant
    assert tested.q_value == pytest.approx(0.04) and tested.significant


# --------------------------------------------------------------------- overlapping samples: proportions
# The example of Derrick, Dobson-Mckittrick, Toher & White (2015), as in the R package Partiallyoverlapping
# (Prop.test, p = 0.053): 15 paired units, 9 units of sample 1 only, 6 of sample 2 only.
DERRICK_A = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, None, None, None, None, None, None]
DERRICK_B = [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, None, None, None, None, None, None, None, None, None,
             1, 1, 1, 1, 1, 1]


def _overlap_inputs(first, second):
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    ones = [a for a in first if a is not None], [b for b in second if b is not None]
    return {"count_1": sum(ones[0]), "base_1": len(ones[0]), "count_2": sum(ones[1]), "base_2": len(ones[1]),
            "paired": len(pairs), "paired_ones_1": sum(a for a, _ in pairs),
            "paired_ones_2": sum(b for _, b in pairs), "paired_ones_both": sum(a * b for a, b in pairs)}, pairs


def _by_hand(first, second):
    """The statistic from its definition, with numpy's correlation of the paired 0/1 vectors."""
    inputs, pairs = _overlap_inputs(first, second)
    n1, n2, n12 = inputs["base_1"], inputs["base_2"], len(pairs)
    p1, p2 = inputs["count_1"] / n1, inputs["count_2"] / n2
    pooled = (inputs["count_1"] + inputs["count_2"]) / (n1 + n2)
    x, y = np.array(pairs, dtype=float).T
    r = np.corrcoef(x, y)[0, 1] if x.std() and y.std() else 0.0
    z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2)))
    return z, 2 * norm.sf(abs(z))


def test_it_matches_the_published_example_of_the_overlap_test():
    inputs, _ = _overlap_inputs(DERRICK_A, DERRICK_B)
    z, p_value = overlap_proportion_test(**inputs)
    assert p_value == pytest.approx(0.053, abs=5e-4)
    assert (z, p_value) == pytest.approx(_by_hand(DERRICK_A, DERRICK_B), abs=1e-12)


def test_it_is_a_mcnemar_type_test_when_every_unit_is_paired():
    # 2×2 table of 60 pairs: 20 yes–yes, 14 yes–no, 5 no–yes, 21 no–no.
    first = [1] * 20 + [1] * 14 + [0] * 5 + [0] * 21
    second = [1] * 20 + [0] * 14 + [1] * 5 + [0] * 21
    z, p_value = overlap_proportion_test(**_overlap_inputs(first, second)[0])
    n, b, c = 60, 14, 5
    pooled = (34 + 25) / 120
    phi = (20 * 21 - 14 * 5) / math.sqrt(34 * 26 * 25 * 35)
    assert z == pytest.approx(((b - c) / n) / math.sqrt(2 * pooled * (1 - pooled) * (1 - phi) / n), abs=1e-12)
    assert p_value == pytest.approx(_by_hand(first, second)[1], abs=1e-12)
    # Pairing narrows the variance: the independent test on the same margins is less sure.
    assert p_value < two_proportion_test(34, 60, 25, 60)[1]


@pytest.mark.parametrize("paired", [0, 1])
def test_it_is_the_pooled_test_without_two_pairs(paired):
    inputs = {"paired": paired, "paired_ones_1": paired, "paired_ones_2": 0, "paired_ones_both": 0}
    assert overlap_proportion_test(30, 100, 45, 100, **inputs) == two_proportion_test(30, 100, 45, 100)


def test_it_uses_the_pairs_from_two_on():
    inputs = {"paired": 2, "paired_ones_1": 1, "paired_ones_2": 1, "paired_ones_both": 1}  # r = 1 on two pairs
    z, p_value = overlap_proportion_test(30, 100, 45, 100, **inputs)
    pooled = 75 / 200
    expected = (0.30 - 0.45) / math.sqrt(pooled * (1 - pooled) * (2 / 100 - 2 * 2 / 100 ** 2))
    assert z == pytest.approx(expected, abs=1e-12)
    assert p_value < two_proportion_test(30, 100, 45, 100)[1]


def test_it_cannot_test_overlapping_proportions_without_variance_or_units():
    both = {"paired": 10, "paired_ones_1": 10, "paired_ones_2": 10, "paired_ones_both": 10}
    assert overlap_proportion_test(40, 40, 50, 50, **both) is None           # 100 % both years
    none = {"paired": 10, "paired_ones_1": 0, "paired_ones_2": 0, "paired_ones_both": 0}
    assert overlap_proportion_test(0, 40, 0, 50, **none) is None             # 0 % both years
    same = {"paired": 30, "paired_ones_1": 12, "paired_ones_2": 12, "paired_ones_both": 12}
    assert overlap_proportion_test(12, 30, 12, 30, **same) is None           # the same 30 answers twice (r = 1)
    empty = {"paired": 0, "paired_ones_1": 0, "paired_ones_2": 0, "paired_ones_both": 0}
    assert overlap_proportion_test(0, 0, 3, 10, **empty) is None             # an empty group


def test_it_refuses_paired_counts_the_totals_cannot_hold():
    with pytest.raises(ValueError, match="incohérents"):
        overlap_proportion_test(5, 20, 5, 20, paired=21, paired_ones_1=1, paired_ones_2=1, paired_ones_both=1)
    with pytest.raises(ValueError, match="incohérents"):
        overlap_proportion_test(5, 20, 5, 20, paired=10, paired_ones_1=6, paired_ones_2=1, paired_ones_both=1)
    with pytest.raises(ValueError, match="incohérents"):
        overlap_proportion_test(5, 20, 5, 20, paired=10, paired_ones_1=2, paired_ones_2=2, paired_ones_both=3)


@pytest.mark.parametrize("counts", [(0, 0, 0), (10, 3, 3), (10, 10, 10), (10, 0, 0), (6, 3, 0), (7, 4, 2)])
def test_it_gives_the_phi_correlation_of_the_2x2_table(counts):
    paired, ones_1, ones_2 = counts[0], counts[1], counts[2]
    both = min(ones_1, ones_2) if counts != (6, 3, 0) else 0
    x = np.array([1] * ones_1 + [0] * (paired - ones_1), dtype=float)
    y = np.array([1] * both + [0] * (ones_1 - both) + [1] * (ones_2 - both) + [0] * (paired - ones_1 - ones_2 + both),
                 dtype=float)
    expected = np.corrcoef(x, y)[0, 1] if paired >= 2 and x.std() and y.std() else 0.0
    assert phi_coefficient(paired, ones_1, ones_2, both) == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------- overlapping samples: means
def test_it_tests_means_of_overlapping_samples_by_their_corrected_variance():
    # The example of Derrick, Russ, Toher & White (2017), in Partiallyoverlapping's Partover.test.
    a_unpaired, a_paired = [20, 21, 16, 18, 14, 12, 14, 17], [14, 15, 18, 20, 11, 19, 14, 15]
    b_unpaired, b_paired = [10, 16, 18, 16, 15, 14, 13, 10], [15, 10, 15, 17, 13, 19, 12, 13]
    a, b = np.array(a_unpaired + a_paired, float), np.array(b_unpaired + b_paired, float)
    r = np.corrcoef(a_paired, b_paired)[0, 1]
    variance = a.var(ddof=1) / 16 + b.var(ddof=1) / 16 - 2 * r * 8 * a.std(ddof=1) * b.std(ddof=1) / (16 * 16)
    expected = (a.mean() - b.mean()) / math.sqrt(variance)
    x, y = np.array(a_paired, float), np.array(b_paired, float)
    correlation = pearson_from_sums(8, x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum())
    assert correlation == pytest.approx(r, abs=1e-12)
    z, p_value = overlap_means_test(a.mean(), a.var(ddof=1), 16, b.mean(), b.var(ddof=1), 16,
                                    paired=8, correlation=correlation)
    assert z == pytest.approx(expected, abs=1e-12)
    assert p_value == pytest.approx(2 * norm.sf(abs(expected)), abs=1e-12)


@pytest.mark.parametrize("paired", [0, 1])
def test_it_is_the_independent_means_test_without_two_pairs(paired):
    assert (overlap_means_test(10.0, 4.0, 100, 9.0, 4.0, 100, paired=paired, correlation=0.9)
            == two_means_test(10.0, 4.0, 100, 9.0, 4.0, 100))


def test_it_cannot_test_overlapping_means_without_variance_or_units():
    assert overlap_means_test(3.0, 0.0, 20, 3.0, 0.0, 20, paired=10, correlation=0.0) is None
    assert overlap_means_test(3.0, 1.0, 1, 2.0, 1.0, 20, paired=1, correlation=0.0) is None
    assert overlap_means_test(3.0, 1.0, 10, 3.0, 1.0, 10, paired=10, correlation=1.0) is None
    with pytest.raises(ValueError, match="incohérents"):
        overlap_means_test(3.0, 1.0, 10, 2.0, 1.0, 10, paired=11, correlation=0.5)


@pytest.mark.parametrize("n", [0, 1])
def test_it_has_no_correlation_under_two_pairs(n):
    assert pearson_from_sums(n, 3.0, 2.0, 9.0, 4.0, 6.0) == 0.0


def test_it_has_no_correlation_with_a_constant_side():
    assert pearson_from_sums(3, 6.0, 3.0, 12.0, 5.0, 6.0) == 0.0   # x = 2, 2, 2


# --------------------------------------------------------------------- respondent keys
def test_it_keeps_one_key_per_respondent(mini):
    records = [record(HELD="yes"), record(HELD="no"), record(HELD="yes")]
    table = AnswerTable.from_records(mini, records, respondent_keys=[7, None, 9])
    assert table.respondent_keys.to_list() == [7, None, 9]
    named = AnswerTable.from_records(mini, records, respondent_keys=["x7", None, 9])
    assert named.respondent_keys.to_list() == ["x7", None, "9"]
    assert AnswerTable.from_records(mini, records).respondent_keys is None
    with pytest.raises(AnalysisError, match="en double"):
        AnswerTable.from_records(mini, records, respondent_keys=[7, 8, 7])
    with pytest.raises(AnalysisError, match="2 clés de répondant pour 3 réponses"):
        AnswerTable.from_records(mini, records, respondent_keys=[7, 8])


def test_it_reads_keys_with_the_chunks_of_json_answers(mini):
    chunks = [(['{"HELD": "yes"}', '{"HELD": "no"}'], ["college", "lp"], ["86", "86"], [11, 12]),
              (['{"HELD": "no"}'], ["lycee"], ["79"], [13])]
    table = AnswerTable.from_json_chunks(mini, chunks)
    assert table.respondent_keys.to_list() == [11, 12, 13]
    partly = AnswerTable.from_json_chunks(mini, [chunks[0], (*chunks[1][:3], [None])])
    assert partly.respondent_keys.to_list() == [11, 12, None]
    unkeyed = AnswerTable.from_json_chunks(mini, [chunk[:3] for chunk in chunks])
    assert unkeyed.respondent_keys is None


# --------------------------------------------------------------------- in the engine
def _held(answers):
    return [record(HELD="yes" if a else "no") for a in answers]


def test_it_pairs_the_respondents_of_both_years_in_the_engine(mini):
    # 40 answered both years (keys 0–39), 20 only this year, 30 only last year.
    rng = np.random.default_rng(3)
    this_year = rng.random(60) < 0.6
    last_year = np.concatenate([np.where(rng.random(40) < 0.8, this_year[:40], rng.random(40) < 0.4),
                                rng.random(30) < 0.4])
    current = AnswerTable.from_records(mini, _held(this_year), respondent_keys=list(range(60)))
    previous = AnswerTable.from_records(mini, _held(last_year), respondent_keys=[*range(40), *range(100, 130)])
    results = analyse(mini, current, previous=previous)
    assert results.paired_respondents == 40
    comparison = results.question("HELD").option("yes").previous
    first = [int(v) for v in this_year] + [None] * 30
    second = [int(v) for v in last_year[:40]] + [None] * 20 + [int(v) for v in last_year[40:]]
    assert comparison.method == "overlap"
    assert (comparison.z, comparison.p_value) == pytest.approx(_by_hand(first, second), abs=1e-12)
    # The same tables without keys: the pooled test on the same counts.
    plain = analyse(mini, AnswerTable.from_records(mini, _held(this_year)),
                    previous=AnswerTable.from_records(mini, _held(last_year)))
    unpaired = plain.question("HELD").option("yes").previous
    assert plain.paired_respondents is None and unpaired.method == "z-pooled"
    assert (unpaired.z, unpaired.p_value) == two_proportion_test(int(this_year.sum()), 60, int(last_year.sum()), 70)


def test_it_keeps_the_pooled_test_when_no_one_answered_both_years(mini):
    current = AnswerTable.from_records(mini, _held([1, 0, 1, 1]), respondent_keys=["a", "b", "c", "d"])
    previous = AnswerTable.from_records(mini, _held([0, 0, 1, 0]), respondent_keys=["e", "f", "g", "h"])
    results = analyse(mini, current, previous=previous)
    assert results.paired_respondents == 0
    comparison = results.question("HELD").option("yes").previous
    assert comparison.method == "z-pooled"
    assert (comparison.z, comparison.p_value) == two_proportion_test(3, 4, 1, 4)


@pytest.mark.parametrize("empty_year", ["current", "previous"])
def test_it_pairs_nobody_with_an_empty_year(mini, empty_year):
    empty = AnswerTable.from_records(mini, [], respondent_keys=[])
    full = AnswerTable.from_records(mini, [record(HELD="yes", SAT=3), record(HELD="no", SAT=4)], respondent_keys=[1, 2])
    current, previous = (empty, full) if empty_year == "current" else (full, empty)
    results = analyse(mini, current, previous=previous)
    assert results.paired_respondents == 0
    comparison = results.question("HELD").option("yes").previous
    assert (comparison.p_value, comparison.q_value, comparison.significant) == (None, None, False)
    assert comparison.method == "z-pooled"


def test_it_pairs_integer_keys_with_text_keys(mini):
    current = AnswerTable.from_records(mini, _held([1, 0, 1]), respondent_keys=[1, 2, 3])
    previous = AnswerTable.from_records(mini, _held([0, 1, 1]), respondent_keys=["1", "2", "x"])
    assert analyse(mini, current, previous=previous).paired_respondents == 2


def test_it_pairs_on_the_base_of_both_years(mini):
    # WORKED is asked only to those who held workshops: on the base "asked", a pair counts only when
    # the question was asked both years.
    this_year = [record(HELD="yes", WORKED="yes"), record(HELD="yes", WORKED="no"), record(HELD="no"),
                 record(HELD="yes", WORKED="yes"), record(HELD="yes", WORKED="yes")]
    last_year = [record(HELD="yes", WORKED="no"), record(HELD="yes", WORKED="no"), record(HELD="yes", WORKED="yes"),
                 record(HELD="no"), record(HELD="yes", WORKED="yes")]
    keys = ["a", "b", "c", "d", "e"]
    results = analyse(mini, AnswerTable.from_records(mini, this_year, respondent_keys=keys),
                      previous=AnswerTable.from_records(mini, last_year, respondent_keys=keys),
                      comparison_base="asked")
    comparison = results.question("WORKED").option("yes").previous
    # Asked both years: a, b, e (c not this year, d not last year). "yes": a–no, b–no, e–yes.
    expected = overlap_proportion_test(3, 4, 2, 4, paired=3, paired_ones_1=2, paired_ones_2=1, paired_ones_both=1)
    assert comparison.method == "overlap"
    assert (comparison.z, comparison.p_value) == pytest.approx(expected)


def test_it_pairs_means_on_those_who_answered_both_years(mini):
    this_year = [record(SAT=s) for s in (4, 5, 2, 3, 4, 5, 1)]
    last_year = [record(SAT=s) for s in (3, 5, 2, 2, 4)] + [record(), record(SAT=1)]
    keys = list("abcdefg")
    results = analyse(mini, AnswerTable.from_records(mini, this_year, respondent_keys=keys),
                      previous=AnswerTable.from_records(mini, last_year, respondent_keys=keys))
    comparison = results.question("SAT").numeric.previous
    x, y = np.array([4, 5, 2, 3, 4, 1], float), np.array([3, 5, 2, 2, 4, 1], float)   # f did not answer last year
    now, before = np.array([4, 5, 2, 3, 4, 5, 1], float), np.array([3, 5, 2, 2, 4, 1], float)
    expected = overlap_means_test(now.mean(), now.var(ddof=1), 7, before.mean(), before.var(ddof=1), 6,
                                  paired=6, correlation=float(np.corrcoef(x, y)[0, 1]))
    assert comparison.method == "overlap"
    assert (comparison.z, comparison.p_value) == pytest.approx(expected, abs=1e-12)


def test_it_counts_a_duplicated_grid_cell_once_in_the_family(mini):
    rng = np.random.default_rng(5)
    cells = ["unknown", "known", "used"]

    def grid(n):
        return [record(RES={"edubase": cells[rng.integers(3)], "pix": cells[rng.integers(3)]},
                       HELD="yes" if rng.random() < 0.5 else "no") for _ in range(n)]
    results = analyse(mini, AnswerTable.from_records(mini, grid(80)), previous=AnswerTable.from_records(mini, grid(90)))
    row = results.question("RES").row("pix")
    last, at_least_last = row.columns[-1].previous, row.cumulative[-1].previous
    assert at_least_last.p_value == last.p_value and at_least_last.q_value == last.q_value
    family = []
    for question in results.questions:
        family += [o.previous.p_value for o in question.options if o.previous and o.previous.p_value is not None]
        for grid_row in question.rows:
            # per row: 3 columns and "at least known"; "at least used" is the column "used" again
            family += [e.previous.p_value for e in (*grid_row.columns, grid_row.cumulative[0])]
        if question.numeric and question.numeric.previous and question.numeric.previous.p_value is not None:
            family.append(question.numeric.previous.p_value)
    q_values = dict(zip(family, benjamini_hochberg(family), strict=False))
    assert last.q_value == pytest.approx(q_values[last.p_value])
    assert control_false_discoveries(results.questions) == len(family)


def test_it_puts_q_values_methods_and_pairs_in_the_json(mini):
    current = AnswerTable.from_records(mini, _held([1, 0, 1, 1, 0]), respondent_keys=list("abcde"))
    previous = AnswerTable.from_records(mini, _held([0, 0, 1, 0, 0]), respondent_keys=list("abcxy"))
    data = analyse(mini, current, previous=previous).to_dict()
    assert data["paired_respondents"] == 3
    comparison = data["questions"][0]["options"][0]["previous"]
    assert set(comparison) >= {"p_value", "q_value", "significant", "method"}
    assert comparison["method"] == "overlap"


def test_it_states_the_method_under_a_table(mini):
    current = AnswerTable.from_records(mini, _held([1, 0, 1]), respondent_keys=["a", "b", "c"])
    keyed = analyse(mini, current, previous=AnswerTable.from_records(mini, _held([0, 1]), respondent_keys=["a", "b"]))
    note = method_note(keyed.question("HELD"), keyed.paired_respondents)
    assert note == ("Évolutions\u00a0: test de comparaison de deux proportions, échantillons en partie appariés "
                    "(2\u00a0personnes ont répondu les deux années)\u00a0; «\u00a0significatif\u00a0»\u00a0: taux de "
                    "fausses découvertes contrôlé à 5\u00a0% (Benjamini–Hochberg) sur l'ensemble des évolutions "
                    "de la campagne.")
    plain = analyse(mini, AnswerTable.from_records(mini, _held([1, 0, 1])),
                    previous=AnswerTable.from_records(mini, _held([0, 1])))
    assert "échantillons indépendants\u00a0;" in method_note(plain.question("HELD"), plain.paired_respondents)
    means = analyse(mini, AnswerTable.from_records(mini, [record(SAT=s) for s in (2, 4, 5)]),
                    previous=AnswerTable.from_records(mini, [record(SAT=s) for s in (1, 3, 3)]))
    assert method_note(means.question("SAT"), None).startswith(
        "Évolutions\u00a0: test de comparaison de deux moyennes, échantillons indépendants")
    alone = analyse(mini, AnswerTable.from_records(mini, _held([1, 0, 1])))
    assert method_note(alone.question("HELD"), None) is None


# --------------------------------------------------------------------- many tests, nothing changed
OPTIONS = 44
WIDE_YAML = f"""
code: wide
version: "1"
title: Beaucoup d'options
sections:
  - code: s
    title: Partie unique
    questions:
      - code: TOOLS
        type: multiple
        text: Outils utilisés
        choices: [{", ".join(f"{{code: t{i}, label: Outil {i}}}" for i in range(OPTIONS))}]
"""


@pytest.fixture(scope="module")
def wide():
    return parse_questionnaire(WIDE_YAML, source="wide")


def _year(wide, chosen: np.ndarray, keys) -> AnswerTable:
    columns = {f"TOOLS|t{i}": pl.Series(chosen[:, i], dtype=pl.Boolean) for i in range(OPTIONS)}
    n = chosen.shape[0]
    table = AnswerTable.from_columns(wide, {"school_type": ["college"] * n, "departement_code": ["86"] * n, **columns})
    return table.with_respondent_keys(keys)


def _campaign(wide, seed: int, *, shift: dict[int, tuple[float, float]] | None = None, n: int = 150,
              paired: int = 56):
    """Two years of 44 independent options; ``paired`` respondents of this year answered last year too,
    keeping each previous answer with probability 0.7 (else drawn again from the same share)."""
    rng = np.random.default_rng(seed)
    shares = rng.uniform(0.1, 0.6, OPTIONS)
    before_shares = shares.copy()
    for option, (now, before) in (shift or {}).items():
        shares[option], before_shares[option] = now, before
    previous = rng.random((n, OPTIONS)) < before_shares
    current = rng.random((n, OPTIONS)) < shares
    if not shift:
        kept = rng.random((paired, OPTIONS)) < 0.7
        current[:paired] = np.where(kept, previous[:paired], current[:paired])
    keys_before = [f"r{i}" for i in range(n)]
    keys_now = keys_before[:paired] + [f"n{i}" for i in range(n - paired)]
    return analyse(wide, _year(wide, current, keys_now), previous=_year(wide, previous, keys_before), weights=None,
                   breakdowns=False)


def _flags(results):
    comparisons = [o.previous for o in results.question("TOOLS").options if o.previous is not None]
    return ([c for c in comparisons if c.significant],
            [c for c in comparisons if c.p_value is not None and c.p_value < 0.05])


def test_it_keeps_false_discoveries_under_five_percent_when_nothing_changed(wide):
    seeds = 200
    under_fdr = naive = 0
    for seed in range(seeds):
        results = _campaign(wide, seed)
        assert results.paired_respondents == 56
        flagged, naive_flags = _flags(results)
        under_fdr += bool(flagged)
        naive += bool(naive_flags)
    # Under the global null the FDR is the chance of at least one flag: ≤ 5 %, up to a binomial margin
    # (the 99.9th percentile of 200 draws at 5 %).
    assert under_fdr <= binom.ppf(0.999, seeds, 0.05)
    # The rule "p < 0.05 test by test" flags something in most campaigns (1 − 0.95^44 ≈ 90 %).
    assert naive >= 0.7 * seeds


def test_it_finds_planted_changes(wide):
    planted = {3: (0.55, 0.25), 17: (0.2, 0.5), 40: (0.45, 0.15)}   # 30 points, n = 150 each year
    for seed in range(20):
        results = _campaign(wide, 1000 + seed, shift=planted, paired=0)
        flagged = {o.code for o in results.question("TOOLS").options if o.previous and o.previous.significant}
        assert {f"t{i}" for i in planted} <= flagged
        assert len(flagged - {f"t{i}" for i in planted}) <= 2
