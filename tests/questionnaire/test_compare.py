"""Year-over-year comparison of two questionnaire versions, at its edges."""

import copy

import pytest

from bilan.questionnaire import parse_questionnaire
from bilan.questionnaire.compare import Status, compare_questionnaires
from bilan.questionnaire.editing import check, dump, to_data

BASE = {
    "code": "mini", "version": "1", "title": "Mini",
    "sections": [{"code": "s1", "title": "Section", "questions": [
        {"code": "Q1", "type": "single", "text": "Quel outil ?",
         "choices": [{"code": "ent", "label": "ENT"}, {"code": "pix", "label": "Pix"}]},
        {"code": "Q2", "type": "yesno", "text": "Des ateliers ?"},
        {"code": "Q3", "type": "scale", "text": "Satisfaction", "min": 1, "max": 5},
        {"code": "Q4", "type": "grid", "text": "Ressources",
         "rows": [{"code": "a", "label": "A"}],
         "columns": [{"code": "y", "label": "Oui"}, {"code": "n", "label": "Non"}]},
        {"code": "Q5", "type": "longtext", "text": "Remarques"},
    ]}],
}


def schema(data):
    return parse_questionnaire(dump(data))


def compare(change):
    new = copy.deepcopy(BASE)
    change(new["sections"][0]["questions"])
    return compare_questionnaires(schema(BASE), schema(new))


def item(comparison, code):
    return next(i for i in comparison.items if i.code == code)


def test_identical_versions_are_all_comparable():
    result = compare(lambda qs: None)
    assert {i.status for i in result.items} == {Status.SAME}
    assert all(i.comparable for i in result.items)


def test_wording_only_stays_comparable_and_is_flagged():
    def change(qs):
        qs[0]["text"] = "Quel outil utilisez-vous ?"
    found = item(compare(change), "Q1")
    assert found.status is Status.WORDING and found.comparable
    assert any("intitulé modifié" in c and "Quel outil ?" in c for c in found.changes)


def test_same_choices_in_another_order_stay_comparable_flagged():
    def change(qs):
        qs[0]["choices"].reverse()
    found = item(compare(change), "Q1")
    assert found.status is Status.WORDING
    assert found.changes == ("ordre des choix modifié",)


def test_a_choice_relabelled_under_its_code_stays_comparable():
    def change(qs):
        qs[0]["choices"][1]["label"] = "Pix (certification)"
    found = item(compare(change), "Q1")
    assert found.status is Status.WORDING


def test_one_choice_added_makes_the_question_not_comparable_and_names_it():
    def change(qs):
        qs[0]["choices"].append({"code": "moodle", "label": "Moodle"})
    found = item(compare(change), "Q1")
    assert found.status is Status.CHANGED and not found.comparable
    assert found.changes == ("choix ajouté : « Moodle »",)


def test_one_choice_removed_is_not_comparable():
    def change(qs):
        qs[0]["choices"].append({"code": "moodle", "label": "Moodle"})
    old = copy.deepcopy(BASE)
    with_moodle = copy.deepcopy(BASE)
    change(with_moodle["sections"][0]["questions"])
    found = item(compare_questionnaires(schema(with_moodle), schema(old)), "Q1")
    assert found.status is Status.CHANGED and found.changes == ("choix retiré : « Moodle »",)


def test_the_other_option_switched_on_is_a_choice_added():
    def change(qs):
        qs[0]["other"] = True
    found = item(compare(change), "Q1")
    assert found.status is Status.CHANGED and "« Autre »" in found.changes[0]


def test_type_change_is_not_comparable():
    def change(qs):
        qs[0]["type"] = "multiple"
    found = item(compare(change), "Q1")
    assert found.status is Status.CHANGED and found.changes[0].startswith("type modifié : single → multiple")


def test_scale_bounds_and_grid_rows_changes_are_not_comparable():
    def change(qs):
        qs[2]["max"] = 6
        qs[3]["rows"].append({"code": "b", "label": "B"})
    result = compare(change)
    assert item(result, "Q3").status is Status.CHANGED
    assert item(result, "Q3").changes == ("bornes de l'échelle modifiées : 1 à 5 → 1 à 6",)
    assert item(result, "Q4").status is Status.CHANGED
    assert item(result, "Q4").changes == ("ligne ajoutée : « B »",)


def test_condition_change_is_flagged_but_comparable():
    def change(qs):
        qs[4]["when"] = {"question": "Q2", "equals": "yes"}
    found = item(compare(change), "Q5")
    assert found.status is Status.WORDING and "condition" in found.changes[0]


def test_new_and_removed_questions():
    def change(qs):
        qs.pop(4)
        qs.append({"code": "Q6", "type": "text", "text": "Nouvelle"})
    result = compare(change)
    assert item(result, "Q6").status is Status.NEW
    assert item(result, "Q5").status is Status.REMOVED
    assert result.counts[Status.NEW] == 1 and result.counts[Status.REMOVED] == 1
    assert [i.code for i in result.items][-1] == "Q5"  # removed ones after the new version's questions


@pytest.mark.parametrize("builtin", ["bilan-rupn"])
def test_builtin_round_trips_through_the_editor_data(builtin):
    from bilan.questionnaire import load_builtin
    original = load_builtin(builtin)
    reloaded, problems = check(to_data(original))
    assert problems == {}
    assert {i.status for i in compare_questionnaires(original, reloaded).items} == {Status.SAME}
