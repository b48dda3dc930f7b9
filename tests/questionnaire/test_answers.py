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
