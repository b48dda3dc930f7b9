"""Section forms built from a questionnaire that uses every question type."""

import pytest

from bilan.questionnaire import AnswerErrors, parse_questionnaire
from bilan.surveys import respondent
from bilan.surveys.forms import SectionForm
from bilan.surveys.services import invite_one, register_questionnaire

ALL_TYPES_YAML = """
code: all-types
version: "1"
title: Tous les types
sections:
  - code: only
    title: Une seule page
    questions:
      - code: HOURS
        type: number
        text: "Combien d'heures par semaine ?"
        integer: false
        min: 0
        max: 40
      - code: PUPILS
        type: number
        text: Combien d'élèves ?
      - code: EASE
        type: scale
        text: Facilité
        min: 1
        max: 5
        min_label: Très difficile
        max_label: Très facile
      - code: ROLE
        type: single
        text: Votre fonction
        choices:
          - {code: teacher, label: Enseignant·e}
          - {code: librarian, label: Professeur·e documentaliste}
        other: true
        other_label: Autre fonction
      - code: TOOLS
        type: multiple
        text: Outils
        max_choices: 2
        choices:
          - {code: ent, label: ENT}
          - {code: pix, label: Pix}
          - {code: pronote, label: Pronote}
"""
SCHEMA = parse_questionnaire(ALL_TYPES_YAML)
SECTION = SCHEMA.section("only")


@pytest.fixture
def all_types_invitation(campaign, referent):
    campaign.questionnaire = register_questionnaire(ALL_TYPES_YAML)
    campaign.save()
    return invite_one(campaign, referent)[0]


def rendered(form) -> str:
    return "".join(str(item.bound.as_field_group()) for item in form.bound_items())


def test_numbers_get_a_text_input_with_the_right_keyboard():
    html = rendered(SectionForm(SCHEMA, SECTION, {}))
    assert 'name="HOURS" inputmode="decimal"' in html.replace('class="fr-input" ', "")
    assert 'name="PUPILS" inputmode="numeric"' in html.replace('class="fr-input" ', "")


def test_a_scale_is_a_row_of_radios_with_its_end_labels():
    html = rendered(SectionForm(SCHEMA, SECTION, {}))
    assert html.count('type="radio" name="EASE"') == 5
    assert "1 (Très difficile)" in html and "5 (Très facile)" in html


def test_a_single_choice_with_other_has_its_text_field_shown_only_with_other():
    form = SectionForm(SCHEMA, SECTION, {})
    item = next(item for item in form.bound_items() if item.code == "ROLE")
    assert item.other_field == "ROLE__other"
    assert '"operator": "equals", "value": "other"' in item.other_conditions_json
    assert "Autre fonction (précisez)" in str(item.other_bound.as_field_group())


def test_max_choices_is_told_in_the_help():
    html = rendered(SectionForm(SCHEMA, SECTION, {}))
    assert "2 choix au plus." in html


def test_posted_values_become_stored_answers(all_types_invitation):
    form = SectionForm(SCHEMA, SECTION, {}, data={
        "HOURS": "2,5", "PUPILS": "120", "EASE": "4", "ROLE": "other", "ROLE__other": "CPE", "TOOLS": ["pix", "ent"]})
    assert form.is_valid(), form.errors
    saved = respondent.save_section(all_types_invitation, "only", form.raw_answers())
    assert saved == {"HOURS": 2.5, "PUPILS": 120, "EASE": 4, "ROLE": "other", "ROLE.other": "CPE",
                     "TOOLS": ["ent", "pix"]}
    again = SectionForm(SCHEMA, SECTION, saved)
    assert again["HOURS"].value() == "2,5" and again["ROLE__other"].value() == "CPE"


@pytest.mark.parametrize("field, value, message", [
    ("HOURS", "41", "La valeur doit être au plus 40."),
    ("PUPILS", "12,5", "Un nombre entier est attendu."),
    ("HOURS", "beaucoup", "«\xa0beaucoup\xa0» n'est pas un nombre."),
    ("TOOLS", ["ent", "pix", "pronote"], "Au plus 2 choix."),
])
def test_bad_values_get_a_french_message_on_their_field(all_types_invitation, field, value, message):
    form = SectionForm(SCHEMA, SECTION, {}, data={field: value})
    assert form.is_valid()
    with pytest.raises(AnswerErrors) as caught:
        respondent.save_section(all_types_invitation, "only", form.raw_answers())
    form.add_answer_errors(caught.value.errors)
    assert form.errors[field] == [message]
    anchor, _question, summary_message = form.error_summary()[0]
    assert summary_message == message and anchor.startswith(f"id_{field}")
