import textwrap

import pytest

from bilan.questionnaire import QuestionnaireError, QuestionType, load_builtin, parse_questionnaire

VALID = """
code: mini
version: "1"
title: Mini
sections:
  - code: s1
    title: Première section
    questions:
      - code: Q1
        type: yesno
        text: Avez-vous mis en place des ateliers ?
        required: true
      - code: Q2
        type: longtext
        text: Pourquoi ?
        when: {question: Q1, equals: "no"}
      - code: Q3
        type: multiple
        text: Thèmes
        choices: [{code: pix, label: Pix}, {code: ent, label: ENT}]
        other: true
      - code: Q4
        type: grid
        text: Ressources
        rows: [{code: pix, label: Pix}]
        columns: [{code: unknown, label: Je ne connais pas}, {code: known, label: Je connais}]
"""


def load(yaml_text):
    return parse_questionnaire(textwrap.dedent(yaml_text))


def test_it_loads_a_valid_questionnaire_with_conditions():
    questionnaire = load(VALID)
    assert questionnaire.codes == ("Q1", "Q2", "Q3", "Q4")
    assert questionnaire.question("Q3").choice_codes == ("pix", "ent", "other")
    q2 = questionnaire.question("Q2")
    assert not q2.is_shown({"Q1": "yes"})
    assert q2.is_shown({"Q1": "no"})


def problems_of(yaml_text):
    with pytest.raises(QuestionnaireError) as caught:
        load(yaml_text)
    return "\n".join(caught.value.problems)


@pytest.mark.parametrize(
    "change, expected",
    [
        (("code: Q2", "code: Q1"), "question Q1 : code en double"),
        (("question: Q1, equals", "question: Q9, equals"),
         "question Q2 : la condition porte sur la question inconnue Q9"),
        (("equals: \"no\"", "equals: \"peut-être\""),
         "question Q2 : la condition sur Q1 cite le choix « peut-être »"),
        (("type: longtext", "type: essay"), "question Q2 : type « essay » inconnu"),
        (("choices: [{code: pix, label: Pix}, {code: ent, label: ENT}]", "choices: []"),
         "question Q3 : une question à choix doit proposer au moins deux choix"),
        (("{code: ent, label: ENT}", "{code: pix, label: Pix bis}"),
         "question Q3 : code « pix » en double dans les choix"),
        (("{code: ent, label: ENT}", "{code: ent}"), "question Q3 : le choix « ent » n'a pas de libellé"),
        (("rows: [{code: pix, label: Pix}]", "rows: []"), "question Q4 : une grille doit avoir des lignes"),
        (("text: Pourquoi ?", "text: ''"), "question Q2 : intitulé (text) absent"),
        (("code: Q3", "code: 3Q"), "code absent ou invalide"),
        (("question: Q1, equals: \"no\"", "question: Q1"),
         "question Q2 : une condition sur Q1 prend exactement un opérateur"),
    ],
)
def test_it_rejects_a_malformed_questionnaire_naming_the_code(change, expected):
    old, new = change
    assert old in VALID
    assert expected in problems_of(VALID.replace(old, new, 1))


def test_it_rejects_a_condition_on_a_later_question():
    text = VALID.replace('when: {question: Q1, equals: "no"}', "when: {question: Q3, includes: pix}")
    expected = "question Q2 : la condition porte sur la question inconnue Q3 (elle doit être déclarée avant)"
    assert expected in problems_of(text)


def test_it_reports_yaml_syntax_errors_with_line_and_column():
    problems = problems_of("code: x\nsections: [\n  - a: b\n")
    assert "YAML mal formé, ligne" in problems and "colonne" in problems


def test_it_reports_every_problem_at_once():
    text = VALID.replace("code: Q2", "code: Q1", 1).replace("type: grid", "type: matrix", 1)
    problems = problems_of(text)
    assert "Q1 : code en double" in problems and "« matrix » inconnu" in problems


def test_it_rejects_a_file_that_is_not_a_questionnaire():
    assert "le fichier doit décrire un questionnaire" in problems_of("- juste\n- une liste\n")
    assert "la clé « version » du questionnaire est absente" in problems_of("code: x\ntitle: t\nsections: []\n")


def test_the_builtin_questionnaire_covers_the_seed_report_sections():
    questionnaire = load_builtin("bilan-rupn")
    assert [s.code for s in questionnaire.sections] == [
        "info", "exchanges", "workshops", "projects", "steering", "partners", "next_year",
        "suggestions", "mobile", "science", "skills", "resources",
    ]
    grid = questionnaire.question("RES_KNOWLEDGE")
    assert grid.type is QuestionType.GRID
    assert [row.code for row in grid.rows] == ["edubase", "apps_education", "pix", "lumni", "internet_sans_crainte"]
    assert [c.code for c in grid.columns] == ["unknown", "known", "used"]
    assert questionnaire.question("WS_THEMES").conditions[0].question == "WS_HELD"
