from collections import Counter

import pytest

from bilan.interop.answers_formats import GOOGLE_FORMS_CSV, LIMESURVEY_CSV, parse_answers
from bilan.interop.limesurvey import parse_lss
from bilan.interop.mapping import (
    apply_mapping,
    import_records,
    infer_questionnaire,
    normalise,
    preview,
    propose_mapping,
)
from bilan.questionnaire import QuestionType


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_columns_are_matched_by_text_when_headings_differ_slightly(questionnaire):
    data = _csv(
        "Horodateur,Dans quel type d’etablissement exercez vous,Avez-vous anime des ateliers cette annee,"
        "Combien d'heures par semaine y consacrez-vous\n"
        "2024-06-01 10:00,Lycée,Oui,\"3,5\"\n"
    )
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    mapping = propose_mapping(questionnaire, parsed)
    assert {m.question for m in mapping.matches.values()} == {"ROLE", "ATELIERS", "HEURES"}
    assert all(m.how == "text" and 0.75 <= m.score <= 1 for m in mapping.matches.values())
    records = import_records(questionnaire, parsed, mapping)
    assert records[0].answers == {"ROLE": "lycee", "ATELIERS": "yes", "HEURES": 3.5}


def test_the_pilot_can_assign_a_column_no_question_matched(questionnaire):
    data = _csv("Horodateur,Votre ressenti (1 à 5)\n2024-06-01 10:00,4\n2024-06-02 11:00,2\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    mapping = propose_mapping(questionnaire, parsed)
    assert mapping.unmatched == [1]
    shown = preview(questionnaire, parsed, mapping)
    assert shown["columns"][1]["status"] == "aucune question trouvée"
    mapping.assign(1, "SATISF")
    assert mapping.unmatched == []
    records = import_records(questionnaire, parsed, mapping, strict=True)
    assert [r.answers["SATISF"] for r in records] == [4, 2]
    assert preview(questionnaire, parsed, mapping)["columns"][1] == {
        "index": 1, "heading": "Votre ressenti (1 à 5)", "target": "SATISF", "status": "choisi"}


def test_an_ignored_column_is_left_out(questionnaire):
    data = _csv("Horodateur,Un commentaire ?,Note interne\n2024-06-01,Bien,à revoir\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    mapping = propose_mapping(questionnaire, parsed)
    mapping.ignore(2)
    records = import_records(questionnaire, parsed, mapping, strict=True)
    assert records[0].answers == {"COMMENT": "Bien"}


def test_limesurvey_answers_map_onto_a_questionnaire_imported_from_limesurvey(data_dir):
    imported = parse_lss((data_dir / "old_layout.lss").read_bytes())
    data = _csv(
        "id,submitdate,ROLE,ROLE[other],OUTILS[SQ001],OUTILS[SQ002],FREQ[SQ001],FREQ[SQ002],ATELIERS,"
        "ATELIERS_DETAIL,HEURES,NB[DEB],NB[EXP]\n"
        "1,2024-05-02 09:00:00,A1,,Y,Y,F1,F2,Y,Café numérique,3,2,5\n"
        "2,2024-05-03 09:00:00,-oth-,EREA,,,,F1,N,,,0,1\n"
    )
    parsed = parse_answers(data)
    assert parsed.format == LIMESURVEY_CSV
    mapping = propose_mapping(imported.questionnaire, parsed, imported.source_codes)
    assert mapping.unmatched == []
    first, second = import_records(imported.questionnaire, parsed, mapping, strict=True)
    assert first.answers == {
        "ROLE": "A1", "OUTILS": ["SQ001", "SQ002"], "FREQ": {"SQ001": "F1", "SQ002": "F2"}, "ATELIERS": "yes",
        "ATELIERS_DETAIL": "Café numérique", "HEURES": 3, "NB_DEB": 2, "NB_EXP": 5,
    }
    # ROLE 'other' hides OUTILS (condition ROLE in A1, A2), so nothing is read there
    assert second.answers == {"ROLE": "other", "ROLE.other": "EREA", "FREQ": {"SQ002": "F1"}, "ATELIERS": "no",
                              "NB_DEB": 0, "NB_EXP": 1}


def test_answers_to_hidden_questions_are_reported_not_silently_lost(data_dir):
    imported = parse_lss((data_dir / "old_layout.lss").read_bytes())
    data = _csv("id,ROLE,ROLE[other],OUTILS[SQ001],OUTILS[SQ002]\n1,-oth-,EREA,Y,\n")
    parsed = parse_answers(data, LIMESURVEY_CSV)
    mapping = propose_mapping(imported.questionnaire, parsed, imported.source_codes)
    (record,) = import_records(imported.questionnaire, parsed, mapping)
    assert "OUTILS" not in record.answers
    assert record.hidden == ["OUTILS"]


def test_an_out_of_range_number_is_a_problem_with_line_and_column(questionnaire):
    data = _csv("Horodateur,Êtes-vous satisfait·e de votre mission ?\n2024-06-01,4\n2024-06-02,9\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    records, problems = apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    assert len(records) == 1
    assert [(p.line, p.column) for p in problems] == [(3, "Êtes-vous satisfait·e de votre mission ?")]
    assert "au plus 5" in problems[0].message


def test_several_answers_in_a_one_answer_grid_row_are_a_problem(questionnaire):
    data = _csv("Horodateur,À quelle fréquence accompagnez-vous ces publics ? [Élèves]\n"
                "2024-06-01,\"Souvent, Parfois\"\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    _, problems = apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    assert len(problems) == 1 and "n'en accepte qu'une" in problems[0].message


def test_an_unknown_option_of_a_multiple_choice_without_other_is_a_problem(data_dir):
    imported = parse_lss((data_dir / "old_layout.lss").read_bytes())
    data = _csv("Horodateur,Quels outils utilisez-vous ?\n2024-06-01,\"ENT; Moodle\"\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    mapping = propose_mapping(imported.questionnaire, parsed)
    _, problems = apply_mapping(imported.questionnaire, parsed, mapping)
    assert [str(p) for p in problems] == [
        "ligne 2, colonne «\xa0Quels outils utilisez-vous ?\xa0»\xa0: «\xa0Moodle\xa0» ne correspond à aucun choix "
        "de la question OUTILS (choix\xa0: ENT, Pix)"]


def test_a_tick_column_with_an_odd_value_is_a_problem(questionnaire):
    data = _csv("id;OUTILS[ent];OUTILS[pix]\n1;Y;peut-être\n")
    parsed = parse_answers(data, LIMESURVEY_CSV)
    _, problems = apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    assert len(problems) == 1
    assert problems[0].column == "OUTILS[pix]" and "case cochée" in problems[0].message


def test_a_questionnaire_is_proposed_from_the_google_forms_sample(samples):
    parsed = parse_answers((samples / "FormsPreprocessors_sample_data.csv").read_bytes())
    imported = infer_questionnaire(parsed, title="Enquête Google Forms")
    questionnaire = imported.questionnaire
    assert len(questionnaire.questions) == 11
    types = Counter(q.type for q in questionnaire.questions)
    assert types == {QuestionType.SINGLE: 2, QuestionType.MULTIPLE: 7, QuestionType.NUMBER: 1, QuestionType.GRID: 1}
    assert questionnaire.question("Q1").text == "Gender"
    grid = questionnaire.question("Q6")
    assert grid.text == "Lastvisit" and [r.label for r in grid.rows] == ["SM", "CVS", "DS", "Vendor"]
    assert questionnaire.question("Q7_english").text == "You have studied — English"
    assert len(imported.warnings) == 1 and "grille à cases à cocher" in imported.warnings[0]


def test_the_google_forms_sample_round_trips_through_the_proposed_questionnaire(samples):
    raw = (samples / "FormsPreprocessors_sample_data.csv").read_bytes()
    parsed = parse_answers(raw)
    imported = infer_questionnaire(parsed)
    questionnaire = imported.questionnaire
    mapping = propose_mapping(questionnaire, parsed, imported.source_codes)
    assert mapping.unmatched == []
    records = import_records(questionnaire, parsed, mapping, strict=True)
    assert len(records) == 20
    # naive count from the raw text: rows whose Fruit cell lists Apple
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    fruit = questionnaire.question("Q4")
    apple = next(c.code for c in fruit.choices if c.label == "Apple")
    assert sum(apple in r.answers.get("Q4", []) for r in records) == sum(
        "Apple" in row["Fruit"].split(";") for row in rows)
    week = next(c.code for c in questionnaire.question("Q6").columns if c.label == "Within a week")
    assert sum(r.answers.get("Q6", {}).get("sm") == week for r in records) == sum(
        row["Lastvisit [SM]"] == "Within a week" for row in rows)
    assert sum(r.answers.get("Q5", 0) for r in records) == sum(int(row["Price"] or 0) for row in rows)


def test_normalise_ignores_case_accents_and_punctuation():
    assert normalise("  Êtes-vous satisfait·e ?") == normalise("etes vous satisfait e")


@pytest.mark.parametrize("value, expected", [("Oui", "yes"), ("non", "no"), ("Y", "yes"), ("0", "no")])
def test_yes_no_values_are_read_in_french_and_english(questionnaire, value, expected):
    data = _csv(f"Horodateur,Avez-vous animé des ateliers cette année ?\n2024-06-01,{value}\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    records = import_records(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    assert records[0].answers == {"ATELIERS": expected}


def test_assigning_a_column_to_an_unknown_question_is_refused(questionnaire):
    from bilan.interop.answers_formats import InteropError

    parsed = parse_answers(_csv("Horodateur,Divers\n2024-06-01,x\n"), GOOGLE_FORMS_CSV)
    mapping = propose_mapping(questionnaire, parsed)
    mapping.assign(1, "NOPE")
    with pytest.raises(InteropError) as error:
        apply_mapping(questionnaire, parsed, mapping)
    assert (error.value.line, error.value.column) == (1, "Divers")


def test_a_limesurvey_export_with_full_texts_and_full_answers_is_read(questionnaire):
    data = _csv(
        "Response ID,Date submitted,Dans quel type d'établissement exercez-vous ?,"
        "Quels outils utilisez-vous avec vos collègues ? [ENT],Quels outils utilisez-vous avec vos collègues ? [Pix],"
        "À quelle fréquence accompagnez-vous ces publics ? [Élèves],Avez-vous animé des ateliers cette année ?\n"
        "7,2024-06-01 10:00:00,Lycée professionnel,Oui,Non,Parfois,Non\n"
    )
    parsed = parse_answers(data)
    assert parsed.format == LIMESURVEY_CSV
    mapping = propose_mapping(questionnaire, parsed)
    (record,) = import_records(questionnaire, parsed, mapping, strict=True)
    assert record.answers == {"ROLE": "lp", "OUTILS": ["ent"], "FREQ": {"eleves": "parfois"}, "ATELIERS": "no"}
    assert record.submitted_at == "2024-06-01 10:00:00"


def test_a_value_seen_again_is_reported_again_with_its_own_line(questionnaire):
    """Each distinct cell value is converted once (apply_mapping remembers it): its problem must come
    back on every line that holds it, and its answer on every record, none shared between records."""
    data = _csv("Horodateur,Êtes-vous satisfait·e de votre mission ?\n"
                "2024-06-01,9\n2024-06-02,4\n2024-06-03,9\n2024-06-04,4\n")
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    records, problems = apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    assert [p.line for p in problems] == [2, 4]
    assert [r.line for r in records] == [3, 5] and records[0].answers == records[1].answers == {"SATISF": 4}
    records[0].answers["SATISF"] = 1
    assert records[1].answers == {"SATISF": 4}


def test_rows_are_read_the_same_past_the_memory_of_distinct_values(questionnaire, monkeypatch):
    import bilan.interop.mapping as mapping

    data = _csv("Horodateur,Êtes-vous satisfait·e de votre mission ?\n"
                + "".join(f"2024-06-0{i},{value}\n" for i, value in enumerate([1, 2, 3, 9, 2, 9], start=1)))
    parsed = parse_answers(data, GOOGLE_FORMS_CSV)
    expected = apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed))
    monkeypatch.setattr(mapping, "MEMORY_PER_QUESTION", 1)  # one value remembered, the others converted each time
    assert apply_mapping(questionnaire, parsed, propose_mapping(questionnaire, parsed)) == expected
