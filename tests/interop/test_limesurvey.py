from collections import Counter

import pytest
import yaml

from bilan.interop.answers_formats import InteropError
from bilan.interop.limesurvey import parse_limesurvey_txt, parse_lss, parse_relevance, strip_html, to_yaml_dict
from bilan.questionnaire import Condition, QuestionType, parse_questionnaire


def _types(imported):
    return Counter(q.type.value for q in imported.questionnaire.questions)


def test_it_reads_the_new_layout_answers_lss_with_a_multiple_choice_and_an_array(samples):
    imported = parse_lss((samples / "answers.lss").read_bytes())
    questionnaire = imported.questionnaire
    assert questionnaire.title == "Survey with Question Answers"
    assert questionnaire.codes == ("Q01", "Q02")
    multiple, grid = questionnaire.questions
    assert multiple.type is QuestionType.MULTIPLE
    assert multiple.text == "This is the first question"
    assert [c.label for c in multiple.choices] == ["First option", "Second option", "Third option"]
    assert grid.type is QuestionType.GRID
    assert [r.label for r in grid.rows] == ["Color", "Milkiness", "Creaminess", "Mouthfeel", "Aftertaste"]
    assert (grid.columns[0].code, grid.columns[0].label) == ("AO01", "Too much")
    assert len(grid.columns) == 5
    assert questionnaire.sections[0].title == "Group One"
    assert imported.warnings == []


def test_it_reads_survey_lss_and_reports_the_file_upload_it_cannot_map(samples):
    imported = parse_lss((samples / "survey.lss").read_bytes())
    questionnaire = imported.questionnaire
    assert len(questionnaire.questions) == 3
    assert [s.title for s in questionnaire.sections] == ["First Group", "Second Group"]
    first = questionnaire.question("G01Q01")
    assert first.type is QuestionType.LONGTEXT
    assert first.text == "Text for first question"  # HTML stripped
    assert first.help == "This is a question help text."
    scale = questionnaire.question("G01Q02")
    assert (scale.type, scale.min, scale.max, scale.required) == (QuestionType.SCALE, 1, 5, True)
    assert questionnaire.question("G02Q04").type is QuestionType.YESNO
    assert len(imported.warnings) == 1
    assert "G02Q03" in imported.warnings[0] and "envoi de fichier" in imported.warnings[0]


def test_it_reads_the_dbversion_426_lss(samples):
    imported = parse_lss((samples / "limesurvey_survey_432535.lss").read_bytes())
    questionnaire = imported.questionnaire
    assert questionnaire.code == "limesurvey-432535"
    assert _types(imported) == {"scale": 1, "longtext": 1}
    assert questionnaire.question("G01Q01").text == "Text for question 1"
    assert questionnaire.question("G01Q01").help == "Help for question 1"
    assert questionnaire.sections[0].description == "A group"


def test_it_reads_the_tab_separated_limesurvey_txt(samples):
    imported = parse_limesurvey_txt((samples / "limesurvey-form.txt").read_bytes())
    questionnaire = imported.questionnaire
    assert questionnaire.title == "Platforms Consultation"
    assert len(questionnaire.sections) == 5
    # 244 questions in the file, 3 arrays of texts (;) cannot be mapped
    assert len(questionnaire.questions) == 241
    assert _types(imported) == {"single": 134, "longtext": 94, "multiple": 11, "grid": 2}
    role = questionnaire.question("a6251561")
    assert role.text.startswith("Please indicate your role for the purpose of this consultation")
    assert len(role.choices) == 9 and role.choices[0].label == "An individual citizen"
    assert "&#160;" not in role.text and "\xa0" not in role.text
    grid = questionnaire.question("m1707")
    assert [c.label for c in grid.columns] == ["Never", "Sometimes", "Often", "Always"]
    assert len(grid.rows) == 11
    # « a == 'x' OR a == 'y' » became one « in » condition
    assert questionnaire.question("a6251576").conditions == (Condition("a6251561", "in", ["v1570", "v1567"]),)
    # a ticked option of a multiple choice became « includes »
    assert questionnaire.question("a6251638").conditions == (Condition("a6251625", "includes", "v1637"),)
    unmapped = [w for w in imported.warnings if "tableau de textes" in w]
    assert len(unmapped) == 3
    assert any("m1707_a6251723" in w for w in imported.warnings)  # condition on a grid row: reported


def test_it_reads_the_old_layout_with_texts_inline_in_the_base_language(data_dir):
    imported = parse_lss((data_dir / "old_layout.lss").read_bytes())
    questionnaire = imported.questionnaire
    assert questionnaire.title == "Ancien bilan des RUPN"
    assert [s.title for s in questionnaire.sections] == ["Profil", "Pratiques"]
    role = questionnaire.question("ROLE")
    assert role.text == "Dans quel type d'établissement exercez-vous ?"
    assert [(c.code, c.label) for c in role.choices] == [("A1", "Collège"), ("A2", "Lycée")]
    assert role.other and role.required
    assert questionnaire.question("OUTILS").choices[1].label == "Pix"
    assert questionnaire.question("OUTILS").conditions == (Condition("ROLE", "in", ["A1", "A2"]),)
    assert questionnaire.question("ATELIERS_DETAIL").conditions == (Condition("ATELIERS", "equals", "yes"),)
    assert questionnaire.question("HEURES").conditions == (Condition("OUTILS", "includes", "SQ002"),)
    assert [q.code for q in questionnaire.questions if q.code.startswith("NB")] == ["NB_DEB", "NB_EXP"]
    assert imported.source_codes["NB_DEB"] == "NB[DEB]"
    assert "MERCI" not in questionnaire.codes
    assert any("MERCI" in w for w in imported.warnings)
    assert any("DETAIL2" in w and "condition" in w for w in imported.warnings)


@pytest.mark.parametrize("name", ["answers.lss", "survey.lss", "limesurvey_survey_432535.lss", "limesurvey-form.txt"])
def test_an_imported_questionnaire_round_trips_through_our_yaml(samples, name):
    data = (samples / name).read_bytes()
    imported = parse_lss(data) if name.endswith(".lss") else parse_limesurvey_txt(data)
    text = yaml.safe_dump(to_yaml_dict(imported.questionnaire), allow_unicode=True, sort_keys=False)
    reloaded = parse_questionnaire(text)
    assert reloaded == imported.questionnaire


def test_it_refuses_an_xml_file_with_a_doctype(samples):
    data = (samples / "survey.lss").read_bytes().replace(
        b"<document>", b'<!DOCTYPE d [<!ENTITY x "boom">]>\n<document>', 1)
    with pytest.raises(InteropError, match="DOCTYPE"):
        parse_lss(data)


def test_a_truncated_lss_gets_the_line_of_the_break(samples):
    data = (samples / "answers.lss").read_bytes()
    truncated = b"\n".join(data.split(b"\n")[:40])
    with pytest.raises(InteropError) as error:
        parse_lss(truncated)
    assert error.value.line is not None and error.value.line >= 40
    assert "XML mal formé" in str(error.value)


def test_a_txt_without_its_columns_is_refused_on_line_1():
    with pytest.raises(InteropError) as error:
        parse_limesurvey_txt(b"class\tname\nQ\tQ1\n")
    assert error.value.line == 1
    assert "type/scale" in str(error.value)


def test_a_txt_in_latin_1_is_refused_with_its_line(samples):
    text = (samples / "limesurvey-form.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    lines[69] = lines[69].replace("\t", "\tréférent ", 1)
    data = "\n".join(lines).encode("latin-1", errors="replace")
    with pytest.raises(InteropError) as error:
        parse_limesurvey_txt(data)
    assert error.value.line == 70
    assert "UTF-8" in str(error.value)


def test_relevance_equations_are_split_into_simple_comparisons():
    assert parse_relevance('((Q1.NAOK == "Y"))') == ([("Q1", "==", "Y")], "all")
    assert parse_relevance("Q1 == 'A1' or Q1 == 'A2'") == ([("Q1", "==", "A1"), ("Q1", "==", "A2")], "any")
    assert parse_relevance("Q1 == 'A1' && !is_empty(Q2)") == ([("Q1", "==", "A1"), ("Q2", "answered", "yes")], "all")
    assert parse_relevance("Q1 == 'A1' and Q2 == 'B' or Q3 == 'C'") is None
    assert parse_relevance("sum(Q1, Q2) > 3") is None


def test_html_is_stripped_and_entities_decoded():
    assert strip_html("<p>Texte&nbsp;<strong>gras</strong><br/>suite &#8211; fin</p>") == "Texte gras suite – fin"
