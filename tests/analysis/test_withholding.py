"""No figure on fewer respondents than the threshold for anyone but a pilot: each rule at its limit and one past it."""

import pytest

from bilan.analysis import AnswerTable, analyse
from bilan.analysis.withholding import below, withhold_small_bases
from tests.analysis.conftest import record


def results_of(mini, records, previous_records=None):
    previous = AnswerTable.from_records(mini, previous_records) if previous_records is not None else None
    return analyse(mini, AnswerTable.from_records(mini, records), previous=previous,
                   previous_questionnaire=mini if previous is not None else None, small_cell=5)


def answering(n, **answers):
    return [record("college", "86", **answers) for _ in range(n)]


@pytest.mark.parametrize(("count", "threshold", "hidden"), [
    (5, 5, False), (4, 5, True), (0, 5, True), (0, 0, False), (1, 0, False), (None, 1, True)])
def test_below_is_strict_at_the_threshold(count, threshold, hidden):
    assert below(count, threshold) is hidden


def test_at_the_threshold_everything_shows_one_under_nothing_does(mini):
    at_limit = withhold_small_bases(results_of(mini, answering(5, HELD="yes", SAT=3)), 5)
    assert not at_limit.withheld
    assert at_limit.question("HELD").options and not at_limit.question("HELD").withheld

    under = withhold_small_bases(results_of(mini, answering(4, HELD="yes", SAT=3)), 5)
    assert under.withheld and under.respondents == 4
    for question in under.questions:
        assert question.withheld and not question.options and not question.rows and question.numeric is None
        assert not question.breakdowns
    assert not withhold_small_bases(results_of(mini, answering(4, HELD="yes")), 4).withheld


def test_a_question_answered_by_fewer_is_withheld_alone(mini):
    records = answering(5, HELD="no") + answering(1, HELD="yes", WORKED="yes", SAT=4)
    shown = withhold_small_bases(results_of(mini, records), 5)
    assert not shown.withheld
    assert not shown.question("HELD").withheld and shown.question("HELD").options
    assert shown.question("WORKED").withheld and shown.question("WORKED").options == []
    assert shown.question("SAT").withheld and shown.question("SAT").numeric is None
    # five answers exactly: shown
    records = answering(5, HELD="yes", WORKED="no")
    assert not withhold_small_bases(results_of(mini, records), 5).question("WORKED").withheld


def test_a_grid_with_one_row_under_the_threshold_is_withheld(mini):
    records = answering(5, RES={"edubase": "known"}) + answering(1, RES={"edubase": "used", "pix": "used"})
    shown = withhold_small_bases(results_of(mini, records), 5)
    assert shown.question("RES").withheld and shown.question("RES").rows == []
    records = answering(5, RES={"edubase": "known", "pix": "used"})
    assert not withhold_small_bases(results_of(mini, records), 5).question("RES").withheld


def test_a_comparison_on_a_small_previous_base_is_dropped(mini):
    current = answering(6, HELD="yes", SAT=4)
    at_limit = withhold_small_bases(results_of(mini, current, answering(5, HELD="no", SAT=2)), 5)
    assert at_limit.question("HELD").option("yes").previous is not None
    assert at_limit.question("SAT").numeric.previous is not None

    under = withhold_small_bases(results_of(mini, current, answering(4, HELD="no", SAT=2)), 5)
    assert under.question("HELD").option("yes").previous is None
    assert under.question("SAT").numeric.previous is None
    assert under.question("HELD").options, "this year's figures stay"


def test_the_pilots_copy_is_untouched(mini):
    results = results_of(mini, answering(2, HELD="yes"))
    withhold_small_bases(results, 5)
    assert not results.withheld and results.question("HELD").options
