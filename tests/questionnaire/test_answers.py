import pytest

from bilan.questionnaire import AnswerErrors, clean_answers, load_builtin

Q = load_builtin("bilan-rupn")


def test_it_drops_answers_to_hidden_questions():
    cleaned = clean_answers(Q, {"WS_HELD": "no", "WS_THEMES": ["pix"]}, partial=True, codes=["WS_HELD", "WS_THEMES"])
    assert cleaned == {"WS_HELD": "no"}


def test_it_requires_shown_required_questions_on_submit():
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(Q, {"WS_HELD": "yes"}, codes=["WS_HELD", "WS_WORKED", "WS_THEMES", "WS_PEDAGOGY"])
    assert set(caught.value.errors) == {"WS_WORKED", "WS_THEMES", "WS_PEDAGOGY"}
    assert caught.value.errors["WS_WORKED"] == "réponse obligatoire"


def test_it_accepts_partial_answers_when_saving():
    assert clean_answers(Q, {"WS_HELD": "yes"}, partial=True, codes=["WS_HELD", "WS_THEMES"]) == {"WS_HELD": "yes"}


@pytest.mark.parametrize(
    "code, value, message",
    [
        ("WS_HELD", "peut-être", "choix « peut-être » inconnu"),
        ("INFO_SOURCES", ["newsletters", "tv"], "choix inconnu : « tv »"),
        ("RES_KNOWLEDGE", {"edubase": "loved"}, "ligne « edubase » : colonne « loved » inconnue"),
        ("INFO_PERSONS", "x" * 301, "300 caractères au plus (301 saisis)"),
    ],
)
def test_it_names_the_problem_of_a_bad_value(code, value, message):
    answers = {"INFO_SOURCES": ["resource_persons"], code: value}
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(Q, answers, partial=True)
    assert caught.value.errors[code] == message


def test_it_keeps_the_other_text_and_orders_multiple_choices():
    cleaned = clean_answers(Q, {"INFO_SOURCES": ["other", "websites"], "INFO_SOURCES.other": " Podcasts "},
                            partial=True, codes=["INFO_SOURCES"])
    assert cleaned == {"INFO_SOURCES": ["websites", "other"], "INFO_SOURCES.other": "Podcasts"}


def test_it_asks_to_specify_other_on_submit():
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(Q, {"INFO_SOURCES": ["other"]}, codes=["INFO_SOURCES"])
    assert caught.value.errors["INFO_SOURCES"] == "précisez « Autre source »"


def test_it_requires_every_row_of_a_required_grid():
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(Q, {"RES_KNOWLEDGE": {"edubase": "known"}}, codes=["RES_KNOWLEDGE"])
    assert "manque : Apps Éducation" in caught.value.errors["RES_KNOWLEDGE"]


def test_it_rejects_unknown_question_codes():
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(Q, {"NOPE": "x"}, partial=True)
    assert caught.value.errors == {"NOPE": "question inconnue"}


def test_a_remembered_value_is_judged_by_its_kind_not_by_equality():
    """clean_answers remembers each value it checked: ``True`` equals ``1`` in Python, yet is no scale answer."""
    from bilan.questionnaire.schema import Question, Questionnaire, QuestionType, Section

    question = Question("NOTE", QuestionType.SCALE, "Note", "s", min=1, max=5)
    scale = Questionnaire("t", "1", "Test", sections=(Section("s", "S", questions=(question,)),))
    assert clean_answers(scale, {question.code: 3}, partial=True, codes=[question.code]) == {question.code: 3}
    with pytest.raises(AnswerErrors):
        clean_answers(scale, {question.code: True}, partial=True, codes=[question.code])
    assert clean_answers(scale, {question.code: 3.0}, partial=True, codes=[question.code]) == {question.code: 3}
    with pytest.raises(AnswerErrors):
        clean_answers(scale, {question.code: 3.5}, partial=True, codes=[question.code])


def test_a_remembered_list_is_never_shared_between_two_answers():
    first = clean_answers(Q, {"INFO_SOURCES": ["newsletters"]}, partial=True, codes=["INFO_SOURCES"])
    first["INFO_SOURCES"].append("changed")
    again = clean_answers(Q, {"INFO_SOURCES": ["newsletters"]}, partial=True, codes=["INFO_SOURCES"])
    assert again == {"INFO_SOURCES": ["newsletters"]}


def test_a_condition_on_a_later_answer_is_judged_once_every_answer_is_read():
    from bilan.questionnaire.schema import Condition, Question, Questionnaire, QuestionType, Section

    # The loader refuses such a questionnaire; one built in code may still have it.
    later = Questionnaire("t", "1", "Test", sections=(Section("s", "S", questions=(
        Question("DETAIL", QuestionType.TEXT, "Détail", "s", conditions=(Condition("HELD", "equals", "yes"),)),
        Question("HELD", QuestionType.YESNO, "Tenu ?", "s"),
        Question("AFTER", QuestionType.TEXT, "Après", "s", conditions=(Condition("HELD", "equals", "no"),)),
    )),))
    assert later.late_conditioned_codes == {"DETAIL"}
    # DETAIL is judged before HELD is read (not shown then), and again once every answer is read.
    assert clean_answers(later, {"DETAIL": "x", "HELD": "no", "AFTER": "y"}, partial=True) \
        == {"HELD": "no", "AFTER": "y"}
    assert clean_answers(later, {"DETAIL": "x", "HELD": "yes", "AFTER": "y"}, partial=True) == {"HELD": "yes"}
