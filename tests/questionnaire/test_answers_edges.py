"""Each rule of clean_answers exactly at its limit and one past it, and every message it writes.

Found missing by mutation testing (tools/mutation.py, docs/methodology.md): each test here kills mutants of
bilan/questionnaire/answers.py that the older tests let through.
"""

import pytest

from bilan.french import NBSP, NNBSP
from bilan.questionnaire import AnswerErrors, clean_answers
from bilan.questionnaire.schema import Choice, Condition, Question, Questionnaire, QuestionType, Section


def _questionnaire(*questions: Question) -> Questionnaire:
    return Questionnaire("t", "1", "Test", sections=(Section("s", "S", questions=questions),))


def _choices(*codes: str) -> tuple[Choice, ...]:
    return tuple(Choice(code, code.capitalize()) for code in codes)


def _error(questionnaire: Questionnaire, answers: dict, *, partial: bool = True) -> dict[str, str]:
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(questionnaire, answers, partial=partial)
    return caught.value.errors


def _one(question: Question, value, *, partial: bool = True):
    """The cleaned value, or the message, of one answer to ``question`` in a fresh questionnaire."""
    questionnaire = _questionnaire(question)
    try:
        return clean_answers(questionnaire, {question.code: value}, partial=partial).get(question.code)
    except AnswerErrors as error:
        return error.errors[question.code]


NUMBER = Question("N", QuestionType.NUMBER, "Nombre", "s", min=2, max=10)
DECIMAL = Question("D", QuestionType.NUMBER, "Décimal", "s", integer=False, min=0.5, max=2.5)
FREE = Question("F", QuestionType.NUMBER, "Sans limite", "s", integer=False)
SCALE = Question("E", QuestionType.SCALE, "Échelle", "s", min=1, max=5)


@pytest.mark.parametrize("value, expected", [
    (2, 2), (1, "la valeur doit être au moins 2"),
    (10, 10), (11, "la valeur doit être au plus 10"),
])
def test_a_whole_number_is_accepted_at_its_limits_and_refused_one_past(value, expected):
    assert _one(NUMBER, value) == expected


@pytest.mark.parametrize("value, expected", [
    (0.5, 0.5), (0.4, "la valeur doit être au moins 0,5"),
    (2.5, 2.5), (2.6, "la valeur doit être au plus 2,5"),
])
def test_a_decimal_number_is_accepted_at_its_limits_and_refused_one_past(value, expected):
    assert _one(DECIMAL, value) == expected


@pytest.mark.parametrize("value, expected", [(1, 1), (0, "la valeur doit être au moins 1"),
                                             (5, 5), (6, "la valeur doit être au plus 5")])
def test_a_scale_is_accepted_at_its_ends_and_refused_one_past(value, expected):
    assert _one(SCALE, value) == expected


def test_a_number_without_limits_takes_any_value():
    assert _one(FREE, -1000.5) == -1000.5
    assert _one(FREE, 10 ** 9) == 10 ** 9


def test_whole_numbers_are_stored_as_integers_and_decimals_as_floats():
    for question, value in ((NUMBER, "7"), (NUMBER, 7.0), (SCALE, "3")):
        cleaned = _one(question, value)
        assert cleaned == int(float(value)) and type(cleaned) is int
    cleaned = _one(DECIMAL, "2")
    assert cleaned == 2.0 and type(cleaned) is float
    assert _one(DECIMAL, "1,5") == 1.5


@pytest.mark.parametrize("text, expected", [
    (f"1{NNBSP}234,5", 1234.5), (f"1{NBSP}234", 1234.0), ("1 234", 1234.0), (" 2,25 ", 2.25),
])
def test_numbers_are_read_the_french_way(text, expected):
    assert _one(FREE, text) == expected


@pytest.mark.parametrize("question, value, message", [
    (NUMBER, 2.5, "un nombre entier est attendu"),
    (SCALE, 2.5, "un nombre entier est attendu"),
    (NUMBER, True, "un nombre est attendu"),
    (NUMBER, [3], "un nombre est attendu"),
    (FREE, float("nan"), "un nombre est attendu"),
    (FREE, "inf", "un nombre est attendu"),
    (FREE, float("-inf"), "un nombre est attendu"),
    (FREE, "douze", "« douze » n'est pas un nombre"),
])
def test_what_is_no_number_is_named(question, value, message):
    assert _one(question, value) == message


def test_a_decimal_is_accepted_where_decimals_are():
    assert _one(FREE, 2.5) == 2.5


TEXT = Question("T", QuestionType.TEXT, "Texte", "s", max_length=5, required=True)


@pytest.mark.parametrize("value, expected", [
    ("abcde", "abcde"), ("  abcde  ", "abcde"), ("abcdef", "5 caractères au plus (6 saisis)"),
    (12, "un texte est attendu"),
])
def test_a_text_is_accepted_at_its_length_and_refused_one_past(value, expected):
    assert _one(TEXT, value) == expected


@pytest.mark.parametrize("empty", [None, "", [], {}])
def test_an_empty_answer_is_no_answer(empty):
    questionnaire = _questionnaire(TEXT)
    assert clean_answers(questionnaire, {"T": empty}, partial=True) == {}
    assert _error(questionnaire, {"T": empty}, partial=False) == {"T": "réponse obligatoire"}


def test_each_text_is_checked_for_itself():
    """Free texts are never remembered: each one is cleaned as written."""
    questionnaire = _questionnaire(TEXT)
    assert clean_answers(questionnaire, {"T": "un"}, partial=True) == {"T": "un"}
    assert clean_answers(questionnaire, {"T": "deux"}, partial=True) == {"T": "deux"}


MULTIPLE = Question("M", QuestionType.MULTIPLE, "Plusieurs", "s", choices=_choices("a", "b", "c"), max_choices=2)


@pytest.mark.parametrize("value, expected", [
    (["c", "a"], ["a", "c"]), (["a", "a", "b"], ["a", "b"]), ("b", ["b"]),
    (["a", "b", "c"], "au plus 2 choix"),
    (["x", "y"], "choix inconnu : « x », « y »"),
    (3, "une liste de choix est attendue"),
    ([1], "choix inconnu : « 1 »"),
])
def test_a_multiple_choice_is_accepted_up_to_its_limit_and_refused_one_past(value, expected):
    assert _one(MULTIPLE, value) == expected


def test_values_that_are_not_remembered_are_each_judged_for_themselves():
    questionnaire = _questionnaire(MULTIPLE)
    assert _error(questionnaire, {"M": [1]}) == {"M": "choix inconnu : « 1 »"}
    assert _error(questionnaire, {"M": [2]}) == {"M": "choix inconnu : « 2 »"}


def test_a_choice_without_limit_takes_every_choice():
    unlimited = Question("U", QuestionType.MULTIPLE, "Tous", "s", choices=_choices("a", "b", "c"))
    assert _one(unlimited, ["a", "b", "c"]) == ["a", "b", "c"]


GRID = Question("G", QuestionType.GRID, "Grille", "s", required=True,
                rows=(Choice("r1", "Première"), Choice("r2", "Deuxième"), Choice("r3", "Troisième")),
                columns=_choices("x", "y"))


@pytest.mark.parametrize("value, expected", [
    ({"r2": "y", "r1": "x", "r3": ""}, {"r1": "x", "r2": "y"}),
    ({"r9": "x"}, "ligne « r9 » inconnue"),
    ({"r1": "z"}, "ligne « r1 » : colonne « z » inconnue"),
    ({"r1": ["x"]}, "ligne « r1 » : colonne « ['x'] » inconnue"),
    ("x", "une réponse par ligne est attendue"),
])
def test_a_grid_keeps_known_cells_in_row_order_and_names_a_bad_one(value, expected):
    assert _one(GRID, value) == expected


def test_a_required_grid_names_every_missing_row_on_submit():
    assert _one(GRID, {"r2": "x"}, partial=False) == "répondez pour chaque ligne (manque : Première, Troisième)"
    assert _one(GRID, {"r1": "x", "r2": "x", "r3": "y"}, partial=False) == {"r1": "x", "r2": "x", "r3": "y"}


def test_an_optional_grid_may_leave_rows_empty_on_submit():
    optional = Question("O", QuestionType.GRID, "Grille", "s", rows=GRID.rows, columns=GRID.columns)
    assert _one(optional, {"r2": "x"}, partial=False) == {"r2": "x"}


WITH_OTHER = Question("W", QuestionType.SINGLE, "Avec autre", "s", other=True, other_label="Autre lieu",
                      choices=_choices("school", "another_school"))


def test_the_other_text_is_kept_only_with_the_other_choice():
    questionnaire = _questionnaire(WITH_OTHER)
    assert clean_answers(questionnaire, {"W": "other", "W.other": " Musée "}) == {"W": "other", "W.other": "Musée"}
    assert clean_answers(questionnaire, {"W": "school", "W.other": "Musée"}) == {"W": "school"}


def test_the_other_text_is_asked_for_only_when_other_is_chosen_on_submit():
    questionnaire = _questionnaire(WITH_OTHER)
    assert _error(questionnaire, {"W": "other", "W.other": "  "}, partial=False) == {"W": "précisez « Autre lieu »"}
    assert clean_answers(questionnaire, {"W": "other"}, partial=True) == {"W": "other"}
    # A code that merely contains « other » is no « autre » answer.
    assert clean_answers(questionnaire, {"W": "another_school"}) == {"W": "another_school"}


def test_every_problem_is_in_the_error_text():
    questionnaire = _questionnaire(NUMBER, TEXT)
    with pytest.raises(AnswerErrors) as caught:
        clean_answers(questionnaire, {"N": 1, "T": "abcdef"}, partial=True)
    assert str(caught.value) == "N : la valeur doit être au moins 2; T : 5 caractères au plus (6 saisis)"


def _late_questionnaire() -> Questionnaire:
    # DETAIL is shown while HELD is unanswered; HELD comes later (the loader refuses this, code may build it).
    return _questionnaire(
        Question("DETAIL", QuestionType.SINGLE, "Détail", "s", choices=_choices("a"), other=True,
                 conditions=(Condition("HELD", "answered", False),)),
        Question("HELD", QuestionType.YESNO, "Tenu ?", "s"),
    )


def test_an_answer_hidden_by_a_later_answer_is_dropped_with_its_other_text():
    late = _late_questionnaire()
    assert clean_answers(late, {"DETAIL": "other", "DETAIL.other": "x", "HELD": "yes"}, partial=True) \
        == {"HELD": "yes"}
    assert clean_answers(late, {"DETAIL": "other", "DETAIL.other": "x"}, partial=True) \
        == {"DETAIL": "other", "DETAIL.other": "x"}


def test_answers_outside_the_page_are_kept_as_they_are_even_when_hidden():
    late = _late_questionnaire()
    assert clean_answers(late, {"DETAIL": "a", "HELD": "yes"}, partial=True, codes=["HELD"]) \
        == {"DETAIL": "a", "HELD": "yes"}


def test_checked_values_are_remembered_by_kind():
    questionnaire = _questionnaire(NUMBER, MULTIPLE, GRID, WITH_OTHER)
    clean_answers(questionnaire, {"N": 3, "M": ["a"], "G": {"r1": "x"}, "W": "school"}, partial=True)
    assert set(questionnaire.checked_values) == {
        ("N", (int, 3)), ("M", (list, ("a",))), ("G", (dict, (("r1", "x"),))), ("W", "school")}


def test_the_memory_of_checked_values_stops_at_fifty_thousand():
    questionnaire = _questionnaire(NUMBER)
    memory = questionnaire.checked_values
    memory.update({("other", (int, index)): (True, index) for index in range(49_999)})
    assert clean_answers(questionnaire, {"N": 3}, partial=True) == {"N": 3}
    assert len(memory) == 50_000 and ("N", (int, 3)) in memory
    assert clean_answers(questionnaire, {"N": 4}, partial=True) == {"N": 4}
    assert len(memory) == 50_000 and ("N", (int, 4)) not in memory
