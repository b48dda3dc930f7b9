from collections import Counter

from bilan.demo.synthetic import synthetic_answers, synthetic_questionnaire, synthetic_roster
from bilan.questionnaire import clean_answers
from bilan.questionnaire.schema import QuestionType


def test_it_mixes_every_question_type_with_conditions():
    questionnaire = synthetic_questionnaire(60, seed=1)
    assert len(questionnaire.questions) == 60
    types = Counter(q.type for q in questionnaire.questions)
    assert set(types) == set(QuestionType)
    assert sum(bool(q.conditions) for q in questionnaire.questions) >= 5


def test_its_records_obey_the_questionnaire():
    questionnaire = synthetic_questionnaire(30, seed=4)
    for record in synthetic_answers(questionnaire, 300, seed=2, columnar=False):
        # Already clean: known codes, conditions applied, hidden answers absent.
        assert clean_answers(questionnaire, record["answers"], partial=True) == record["answers"]


def test_it_is_reproducible_from_its_seed():
    questionnaire = synthetic_questionnaire(12, seed=3)
    assert synthetic_questionnaire(12, seed=3) == questionnaire
    assert synthetic_answers(questionnaire, 200, seed=5).equals(synthetic_answers(questionnaire, 200, seed=5))
    assert not synthetic_answers(questionnaire, 200, seed=5).equals(synthetic_answers(questionnaire, 200, seed=6))


def test_it_spreads_answers_over_every_stratum():
    questionnaire = synthetic_questionnaire(5, seed=1)
    columns = synthetic_answers(questionnaire, 5000, seed=1)
    assert set(columns.get_column("school_type").unique()) == {"college", "lycee", "lp", "erea", "other"}
    assert set(columns.get_column("departement_code").unique()) == {"16", "17", "79", "86"}
    roster = synthetic_roster(15000, seed=1)
    assert sum(roster.values()) == 15000 and len(roster) == 20
