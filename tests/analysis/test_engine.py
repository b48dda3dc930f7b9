import json

import pytest

from bilan.analysis import AnalysisError, AnswerTable, analyse
from tests.analysis.conftest import record


def test_it_counts_single_choice_answers_with_their_bases(mini, mini_table):
    results = analyse(mini, mini_table)
    held = results.question("HELD")
    assert (held.base.respondents, held.base.asked, held.base.answered) == (6, 6, 6)
    assert [(o.code, o.count) for o in held.options] == [("yes", 4), ("no", 2)]
    assert held.option("yes").percent == pytest.approx(400 / 6)
    assert held.option("yes").percent_rounded == 67


def test_it_counts_a_conditional_question_only_where_it_was_shown(mini, mini_table):
    worked = analyse(mini, mini_table).question("WORKED")
    # Four said they held workshops; one of them skipped the question; the
    # answer of someone who held none is not counted.
    assert (worked.base.asked, worked.base.answered) == (4, 3)
    assert [o.count for o in worked.options] == [1, 1, 1]
    assert worked.option("no").percent_of_asked == pytest.approx(25.0)
    assert worked.option("no").percent_of_answered == pytest.approx(100 / 3)
    assert worked.option("no").percent == pytest.approx(100 / 6)


def test_it_gives_mentions_and_ranks_multiple_choice_by_frequency(mini, mini_table):
    themes = analyse(mini, mini_table).question("THEMES")
    assert {o.code: o.count for o in themes.options} == {"pix": 2, "ent": 2, "pronote": 1, "other": 1}
    assert themes.base.answered == 4
    assert themes.option("pix").percent_of_mentions == pytest.approx(100 * 2 / 6)
    assert themes.option("other").label == "Autre"
    # pix and ent tie: questionnaire order decides.
    assert themes.ranking == ["pix", "ent", "pronote", "other"]


def test_it_ranks_ties_in_questionnaire_order(mini):
    records = [record(THEMES=["pronote"]), record(THEMES=["ent"]), record(THEMES=["pix", "ent", "pronote"])]
    themes = analyse(mini, AnswerTable.from_records(mini, records)).question("THEMES")
    assert themes.ranking == ["ent", "pronote", "pix", "other"]


def test_it_counts_grid_cells_and_cumulates_ordinal_columns(mini, mini_table):
    results = analyse(mini, mini_table, grid_groups={"RES": {"known_or_used": ["known", "used"]}})
    pix = results.question("RES").row("pix")
    assert pix.base.answered == 5
    assert [(c.code, c.count) for c in pix.columns] == [("unknown", 1), ("known", 2), ("used", 2)]
    assert [(c.code, c.count) for c in pix.cumulative] == [("at_least_known", 4), ("at_least_used", 2)]
    assert pix.groups[0].code == "known_or_used" and pix.groups[0].count == 4
    assert pix.groups[0].percent == pytest.approx(400 / 6)
    edubase = results.question("RES").row("edubase")
    assert edubase.base.answered == 4
    assert results.question("RES").base.answered == 5


def test_it_rejects_a_grid_group_naming_an_unknown_column(mini, mini_table):
    with pytest.raises(AnalysisError, match=r"colonne.*« seen »"):
        analyse(mini, mini_table, grid_groups={"RES": {"seen": ["seen"]}})


def test_it_summarises_scales_and_numbers(mini, mini_table):
    results = analyse(mini, mini_table)
    sat = results.question("SAT").numeric
    assert (sat.n, sat.mean, sat.median, sat.min, sat.max) == (4, 3.5, 3.5, 2.0, 5.0)
    assert [(d.code, d.count) for d in sat.distribution] == [("1", 0), ("2", 1), ("3", 1), ("4", 1), ("5", 1)]
    hours = results.question("HOURS").numeric
    assert (hours.n, hours.median, hours.max) == (3, 2.5, 10.0)
    assert hours.mean == pytest.approx(13.5 / 3)
    assert [(d.code, d.count) for d in hours.distribution] == [("1", 1), ("2,5", 1), ("10", 1)]


def test_it_counts_only_non_empty_comments(mini, mini_table):
    comment = analyse(mini, mini_table).question("COMMENT")
    assert comment.base.answered == 2
    assert comment.options == [] and comment.numeric is None


def test_it_gives_wilson_intervals_on_percentages_of_respondents(mini, mini_table):
    yes = analyse(mini, mini_table).question("HELD").option("yes")
    low, high = yes.ci95
    assert low < yes.percent < high
    assert (low, high) == pytest.approx((30.0, 90.3), abs=0.1)


def test_it_breaks_down_by_school_type_and_departement_with_suppression(mini, mini_table):
    results = analyse(mini, mini_table, small_cell=2)
    by_type = results.question("HELD").breakdown("school_type")
    # LP and EREA have one respondent each: they are read together (EREA's named neighbour is LP).
    assert [row.stratum for row in by_type.rows] == ["college", "lycee", "lp+erea"]
    assert by_type.rows[2].members == ["lp", "erea"]
    college = by_type.rows[0]
    assert (college.respondents, college.answered) == (2, 2)
    # college: 2 yes, 0 no → the 0 is under the threshold, and the 2 must go too
    # (the row total would give it back).
    assert [c.suppressed for c in college.cells] == [True, True]
    assert all(c.count is None and c.percent is None for c in college.cells)
    assert [row.stratum for row in results.question("HELD").breakdown("departement_code").rows] == ["16+17+79", "86"]
    assert ("Lycée professionnel (1\u00a0répondant·e) et EREA (1\u00a0répondant·e) : regroupés dans les tableaux "
            "par type d’établissement (secret statistique : moins de 2\u00a0répondant·es dans une ligne)"
            in results.notes)


def test_it_shows_breakdown_cells_when_nothing_is_small(mini):
    records = [record("college", "86", HELD="yes")] * 6 + [record("lycee", "86", HELD="no")] * 6 \
        + [record("college", "86", HELD="no")] * 5 + [record("lycee", "86", HELD="yes")] * 7
    results = analyse(mini, AnswerTable.from_records(mini, records))
    rows = results.question("HELD").breakdown("school_type").rows
    assert [(c.code, c.count, c.suppressed) for c in rows[0].cells] == [("yes", 6, False), ("no", 5, False)]
    assert rows[1].cells[0].percent == pytest.approx(700 / 13)
    assert rows[1].cells[0].percent_of_answered == pytest.approx(700 / 13)


def test_it_compares_with_the_previous_year_on_the_same_codes(mini):
    this_year = [record(HELD="yes")] * 45 + [record(HELD="no")] * 55
    last_year = [record(HELD="yes")] * 30 + [record(HELD="no")] * 70
    results = analyse(mini, AnswerTable.from_records(mini, this_year),
                      previous=AnswerTable.from_records(mini, last_year))
    comparison = results.question("HELD").option("yes").previous
    assert comparison.previous_count == 30 and comparison.previous_base == 100
    assert comparison.difference_points == pytest.approx(15.0)
    assert comparison.p_value == pytest.approx(0.028459737, abs=1e-8)
    assert comparison.significant
    assert results.previous_respondents == 100


def test_it_compares_a_conditional_question_on_those_asked_when_told(mini):
    this_year = [record(HELD="yes", WORKED="no")] * 10 + [record(HELD="no")] * 90
    last_year = [record(HELD="yes", WORKED="no")] * 10 + [record(HELD="yes", WORKED="yes")] * 10
    previous = AnswerTable.from_records(mini, last_year)
    table = AnswerTable.from_records(mini, this_year)
    on_respondents = analyse(mini, table, previous=previous).question("WORKED").option("no").previous
    assert (on_respondents.current_percent, on_respondents.previous_percent) == (10.0, 50.0)
    on_asked = analyse(mini, table, previous=previous, comparison_base="asked").question("WORKED").option("no").previous
    assert on_asked.basis == "asked" and on_asked.previous_base == 20
    assert (on_asked.current_percent, on_asked.previous_percent, on_asked.difference_points) == (100.0, 50.0, 50.0)
    assert on_asked.significant


def test_it_does_not_flag_a_small_difference_as_significant(mini):
    results = analyse(mini, AnswerTable.from_records(mini, [record(HELD="yes")] * 11 + [record(HELD="no")] * 9),
                      previous=AnswerTable.from_records(mini, [record(HELD="yes")] * 10 + [record(HELD="no")] * 10))
    comparison = results.question("HELD").option("yes").previous
    assert comparison.difference_points == pytest.approx(5.0)
    assert not comparison.significant


def test_it_notes_questions_missing_from_the_previous_year(mini, mini_table):
    from bilan.questionnaire import parse_questionnaire
    from tests.analysis.conftest import MINI_YAML
    older = parse_questionnaire(MINI_YAML.replace("code: COMMENT", "code: REMARKS")
                                .replace("code: SAT, type: scale", "code: SAT, type: number"))
    previous = AnswerTable.from_records(older, [record(HELD="no", SAT=3)])
    results = analyse(mini, mini_table, previous=previous, previous_questionnaire=older)
    assert "absente" in results.question("COMMENT").notes[0]
    assert "type différent" in results.question("SAT").notes[0]
    assert results.question("HELD").option("no").previous.previous_count == 1


def test_it_gives_response_rates_by_stratum_against_the_roster(mini, mini_table):
    roster = {("college", "86"): 4, ("college", "16"): 2, ("lycee", "86"): 2, ("lycee", "17"): 3,
              ("lp", "79"): 5, ("erea", "86"): 1, ("erea", "16"): 3}
    rates = analyse(mini, mini_table, roster=roster).response_rates
    assert (rates.overall.invited, rates.overall.respondents) == (20, 6)
    assert rates.overall.percent == pytest.approx(30.0)
    by_type = {r.stratum: (r.invited, r.respondents) for r in rates.by_school_type}
    assert by_type == {"college": (6, 2), "lycee": (5, 2), "lp": (5, 1), "erea": (4, 1)}
    assert {r.stratum: r.respondents for r in rates.by_departement}["86"] == 3


def test_it_puts_post_stratified_estimates_beside_raw_ones(mini):
    # Sample: 8 college (all yes) and 2 lycee (all no); population: half and half.
    records = [record("college", "86", HELD="yes")] * 8 + [record("lycee", "86", HELD="no")] * 2
    # No secret statistique here (small_cell=0): the 2 lycée answers are the point of the example.
    results = analyse(mini, AnswerTable.from_records(mini, records),
                      roster={("college", "86"): 50, ("lycee", "86"): 50}, small_cell=0)
    yes = results.question("HELD").option("yes")
    assert yes.percent == pytest.approx(80.0)
    assert yes.weighted_percent == pytest.approx(50.0)
    assert results.weighting.weights == {"college × 86": pytest.approx(0.625), "lycee × 86": pytest.approx(2.5)}
    assert results.weighting.effective_n == pytest.approx(100 / 15.625)


def test_it_leaves_weights_out_without_a_roster(mini, mini_table):
    results = analyse(mini, mini_table)
    assert results.weighting is None and results.response_rates is None
    assert results.question("HELD").option("yes").weighted_percent is None
    assert any("pas de référentiel fourni" in note for note in results.notes)


def test_it_rejects_an_unknown_weighting_method(mini, mini_table):
    with pytest.raises(AnalysisError, match="pondération « raking » inconnue"):
        analyse(mini, mini_table, weights="raking")


def test_it_rejects_a_malformed_roster(mini, mini_table):
    with pytest.raises(AnalysisError, match="effectif -3 invalide pour college × 86"):
        analyse(mini, mini_table, roster={("college", "86"): -3})


def test_it_analyses_an_empty_campaign(mini):
    results = analyse(mini, AnswerTable.from_records(mini, []))
    held = results.question("HELD")
    assert results.respondents == 0 and held.option("yes").count == 0
    assert held.option("yes").percent is None and held.option("yes").ci95 is None


def test_it_serialises_to_the_documented_json_shape(mini, mini_table):
    data = json.loads(json.dumps(analyse(mini, mini_table, previous=mini_table).to_dict()))
    assert data["format"] == "bilan-results/1"
    assert data["respondents"] == 6
    worked = next(q for q in data["questions"] if q["code"] == "WORKED")
    assert set(worked) >= {"code", "type", "text", "base", "options", "ranking", "breakdowns"}
    assert worked["base"] == {"respondents": 6, "asked": 4, "answered": 3}
    option = worked["options"][0]
    assert set(option) >= {"code", "label", "count", "percent", "ci95", "previous"}
    assert option["previous"]["difference_points"] == 0.0
    grid = next(q for q in data["questions"] if q["code"] == "RES")
    assert grid["rows"][1]["columns"][2] | {"ci95": None, "previous": None} == {
        "code": "used", "label": "Je l'ai utilisé", "count": 2, "percent": pytest.approx(100 / 3),
        "percent_of_asked": pytest.approx(100 / 3), "percent_of_answered": 40.0, "percent_rounded": 33,
        "ci95": None, "percent_of_mentions": None, "weighted_percent": None, "weighted_ci95": None,
        "previous": None}


CHAIN_YAML = """
code: chaine
version: "1"
title: Chaîne de conditions
sections:
  - code: s
    title: Partie unique
    questions:
      - {code: HELD, type: yesno, text: "Avez-vous tenu des ateliers ?"}
      - {code: WORKED, type: yesno, text: "Ont-ils fonctionné ?", when: {question: HELD, equals: "yes"}}
      - {code: AGAIN, type: yesno, text: "Les referiez-vous ?", when: {question: WORKED, equals: "yes"}}
      - {code: WHY_NOT, type: yesno, text: "Faute de temps ?", when: {question: WORKED, answered: false}}
"""


def test_asked_follows_the_chain_of_conditions():
    """A stale answer (WORKED kept after HELD turned « no », as imported data may hold) shows nothing:
    AGAIN depends on WORKED, which was not shown; WHY_NOT (shown when WORKED has no answer) was."""
    from bilan.questionnaire import parse_questionnaire

    chain = parse_questionnaire(CHAIN_YAML)
    records = [
        record(HELD="yes", WORKED="yes", AGAIN="yes"),
        record(HELD="no", WORKED="yes", AGAIN="yes", WHY_NOT="yes"),  # stale WORKED and AGAIN
        record(HELD="yes", WORKED="no"),
    ]
    results = analyse(chain, AnswerTable.from_records(chain, records))
    again, why_not = results.question("AGAIN"), results.question("WHY_NOT")
    assert (again.base.asked, again.base.answered) == (1, 1)
    assert why_not.base.asked == 1  # the second respondent: WORKED was not shown, so it has no answer
    assert results.question("WORKED").base.asked == 2
