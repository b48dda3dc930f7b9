import pytest

from bilan.analysis.weighting import poststratification


def test_it_gives_weights_that_sum_to_the_population():
    sample = {("college", "16"): 30, ("college", "86"): 10, ("lycee", "16"): 5, ("lycee", "86"): 5}
    population = {("college", "16"): 100, ("college", "86"): 100, ("lycee", "16"): 50, ("lycee", "86"): 50}
    weighting = poststratification(sample, population)
    n = sum(sample.values())
    assert sum(weighting.weights[c] * sample[c] for c in sample) == pytest.approx(n)
    assert sum(weighting.expansion[c] * sample[c] for c in sample) == pytest.approx(300)
    assert weighting.population == 300
    assert weighting.weights[("college", "16")] == pytest.approx((100 / 300) / (30 / 50))
    assert weighting.notes == []


def test_it_merges_the_cells_of_a_school_type_when_one_has_no_respondent():
    sample = {("college", "16"): 10, ("lycee", "16"): 4}
    population = {("college", "16"): 60, ("college", "86"): 40, ("lycee", "16"): 20}
    weighting = poststratification(sample, population, {"college": "Collège"})
    assert [sorted(group) for group in weighting.strata if group[0][0] == "college"] == [
        [("college", "16"), ("college", "86")]]
    assert weighting.expansion[("college", "16")] == pytest.approx(100 / 10)
    assert sum(weighting.expansion[c] * sample[c] for c in sample) == pytest.approx(120)
    assert "Collège" in weighting.notes[0] and "pondérées ensemble" in weighting.notes[0]


def test_it_leaves_out_a_school_type_without_any_respondent_and_says_so():
    sample = {("college", "16"): 10}
    population = {("college", "16"): 60, ("erea", "86"): 7}
    weighting = poststratification(sample, population)
    assert weighting.population == 60
    assert "exclu" in weighting.notes[0] and "7 personnes" in weighting.notes[0]


def test_it_gives_no_weight_to_respondents_outside_the_roster():
    sample = {("college", "16"): 10, ("other", "17"): 2}
    weighting = poststratification(sample, {("college", "16"): 50})
    assert weighting.weights[("other", "17")] == 0.0
    assert weighting.respondents == 10
    assert "absent du référentiel" in weighting.notes[0]
