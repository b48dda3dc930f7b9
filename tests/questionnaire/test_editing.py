"""Editing a questionnaire as data: each transformation, reloaded through the one loader."""

import copy

import pytest

from bilan.questionnaire import QuestionType, load_builtin
from bilan.questionnaire.compare import Status, compare_questionnaires
from bilan.questionnaire.editing import (
    EditError,
    add_option,
    add_question,
    add_section,
    check,
    find_question,
    make_code,
    move_question,
    move_section,
    next_version,
    problems_by_question,
    remove_question,
    remove_section,
    rename_section,
    set_condition,
    set_options,
    to_data,
    update_question,
)


@pytest.fixture
def data():
    return to_data(load_builtin())


def codes_of(data, section_index):
    return [q["code"] for q in data["sections"][section_index]["questions"]]


def test_make_code_from_wording_is_ascii_unique_and_starts_with_a_letter():
    assert make_code("Utilisez-vous l'ENT ?", set()) == "UTILISEZ_VOUS_L_ENT"
    assert make_code("Utilisez-vous l'ENT ?", {"UTILISEZ_VOUS_L_ENT"}) == "UTILISEZ_VOUS_L_ENT_2"
    assert make_code("2 ateliers", set()) == "Q_2_ATELIERS"
    assert make_code("Élève", set(), upper=False) == "eleve"
    assert make_code("!!!", set(), upper=False, fallback="choix") == "choix"
    assert len(make_code("mot " * 40, set())) <= 40


def test_next_version_takes_the_closing_year_and_the_first_free_number():
    assert next_version("2024-2025", set()) == "2025-1"
    assert next_version("2024-2025", {"2025-1"}) == "2025-2"
    assert next_version("n'importe", set()) == "v-1"


def test_rewording_keeps_every_code_and_stays_comparable(data):
    original = load_builtin()
    update_question(data, "INFO_MISSING", text="Qu'est-ce qui vous a manqué ?")
    new, problems = check(data)
    assert problems == {}
    result = compare_questionnaires(original, new)
    assert result.status_of("INFO_MISSING") is Status.WORDING
    assert result.counts[Status.WORDING] == 1 and result.counts[Status.SAME] == len(original.questions) - 1


def test_adding_a_choice_gives_it_a_code_and_keeps_the_others(data):
    _, question = find_question(data, "EXCH_METHODS")
    before = [c["code"] for c in question["choices"]]
    code = add_option(question, "choices", "Réunion de rentrée")
    assert code == "reunion_de_rentree"
    assert [c["code"] for c in question["choices"]] == before + [code]
    new, problems = check(data)
    assert problems == {} and new.question("EXCH_METHODS").choice_label(code) == "Réunion de rentrée"


def test_set_options_renames_removes_and_never_reuses_the_reserved_other_code(data):
    _, question = find_question(data, "EXCH_METHODS")
    set_options(question, "choices", [("cafe", "Café numérique (mensuel)"), ("", "Autre"), ("", "Autre")])
    assert question["choices"] == [{"code": "cafe", "label": "Café numérique (mensuel)"},
                                   {"code": "autre", "label": "Autre"}, {"code": "autre_2", "label": "Autre"}]
    _, question = find_question(data, "INFO_SOURCES")
    set_options(question, "choices", [("", "Other")])
    assert question["choices"][0]["code"] == "other_2"


def test_a_single_choice_left_is_refused_by_the_loader_with_the_question_named(data):
    _, question = find_question(data, "EXCH_METHODS")
    set_options(question, "choices", [("cafe", "Café")])
    update_question(data, "EXCH_METHODS", other=False)
    new, problems = check(data)
    assert new is None
    assert problems == {
        "EXCH_METHODS": ["question EXCH_METHODS : une question à choix doit proposer au moins deux choix"]}


def test_changing_type_drops_what_the_new_type_does_not_take_and_adds_what_it_needs(data):
    question = update_question(data, "EXCH_METHODS", qtype=QuestionType.LONGTEXT)
    assert "choices" not in question and "other" not in question
    question = update_question(data, "EXCH_DETAILS", qtype="grid")
    assert "max_length" not in question and question["rows"] and len(question["columns"]) == 2
    question = update_question(data, "INFO_PERSONS", qtype="single")
    assert len(question["choices"]) == 2
    assert check(data)[1] == {}


def test_move_question_within_and_across_sections(data):
    first = codes_of(data, 0)
    assert move_question(data, first[1], -1)
    assert codes_of(data, 0)[:2] == [first[1], first[0]]
    data2 = to_data(load_builtin())
    assert move_question(data2, first[0], -1) is False
    last = codes_of(data2, 0)[-1]
    assert move_question(data2, last, +1) is True
    assert codes_of(data2, 1)[0] == last and last not in codes_of(data2, 0)
    assert check(data2)[1] == {}


def test_moving_a_question_above_the_one_its_condition_reads_is_refused_by_the_loader(data):
    assert move_question(data, "INFO_NETWORKS", -1)
    new, problems = check(data)
    assert new is None and "INFO_NETWORKS" in problems
    assert "doit être déclarée avant" in problems["INFO_NETWORKS"][0]


def test_sections_add_rename_move_remove(data):
    count = len(data["sections"])
    code = add_section(data, "Bien-être numérique")
    assert code == "bien_etre_numerique" and len(data["sections"]) == count + 1
    rename_section(data, code, "Sobriété numérique", description="Nouveau thème")
    assert move_section(data, code, -1) and data["sections"][-2]["code"] == code
    assert not move_section(data, data["sections"][0]["code"], -1)
    new, problems = check(data)
    assert problems == {} and new.section(code).title == "Sobriété numérique"
    assert new.section(code).description == "Nouveau thème"
    remove_section(data, code)
    assert len(data["sections"]) == count
    with pytest.raises(EditError, match="« nulle »"):
        remove_section(data, "nulle")


def test_add_and_remove_question(data):
    code = add_question(data, "info", "Combien d'ateliers ?", QuestionType.NUMBER)
    assert code == "COMBIEN_D_ATELIERS" and codes_of(data, 0)[-1] == code
    assert check(data)[1] == {}
    remove_question(data, code)
    assert code not in codes_of(data, 0)
    with pytest.raises(EditError):
        remove_question(data, code)


def test_conditions_equals_for_a_single_answer_includes_for_a_multiple_one(data):
    set_condition(data, "INFO_MISSING", "INFO_SURVEYS_COLLEAGUES", "yes")
    assert find_question(data, "INFO_MISSING")[1]["when"] == {"question": "INFO_SURVEYS_COLLEAGUES", "equals": "yes"}
    assert check(data)[1] != {}  # INFO_SURVEYS_COLLEAGUES comes after INFO_MISSING: refused
    set_condition(data, "INFO_MISSING", "INFO_SOURCES", "websites")
    assert find_question(data, "INFO_MISSING")[1]["when"] == {"question": "INFO_SOURCES", "includes": "websites"}
    new, problems = check(data)
    assert problems == {} and new.question("INFO_MISSING").is_shown({"INFO_SOURCES": ["websites"]})
    assert not new.question("INFO_MISSING").is_shown({"INFO_SOURCES": ["trainings"]})
    set_condition(data, "INFO_MISSING", None)
    assert "when" not in find_question(data, "INFO_MISSING")[1]


def test_a_condition_on_a_choice_that_does_not_exist_names_it(data):
    set_condition(data, "INFO_MISSING", "INFO_SOURCES", "nope")
    problems = check(data)[1]
    assert "« nope »" in problems["INFO_MISSING"][0]


def test_problems_without_a_question_are_grouped_under_the_empty_code():
    assert problems_by_question(["la clé « title » du questionnaire est absente ou vide", "question Q1 : x"]) == {
        "": ["la clé « title » du questionnaire est absente ou vide"], "Q1": ["question Q1 : x"]}


def test_data_is_not_shared_with_the_parsed_questionnaire(data):
    copy_before = copy.deepcopy(data)
    update_question(data, "INFO_MISSING", help="Aide")
    assert copy_before != data and check(copy_before)[1] == {}
