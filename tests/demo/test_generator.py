import re
from collections import Counter, defaultdict

import pytest

from bilan.demo import comments_fr
from bilan.demo.generator import (
    CAMPAIGN_WINDOWS,
    DemoAcademie,
    DemoAnswer,
    allocate,
    build_academie,
    build_campaign_answers,
)
from bilan.questionnaire import clean_answers
from bilan.uai import uai_problem

YEARS = ("2022-2023", "2023-2024")
MAIN_COMMENT_QUESTIONS = ("INFO_MISSING", "EXCH_DETAILS", "WS_DIFFICULTIES", "PROJ_TOPICS", "STEER_DETAILS",
                          "PART_COMMENTS", "NEXT_PROJECTS", "SUGGESTIONS", "MOB_COMMENTS", "SCI_ASSESS_COMMENTS",
                          "SCI_MEMORY_COMMENTS", "SCI_A11Y_COMMENTS", "SKILLS_COMMENTS", "RES_COMMENTS")


def test_it_is_deterministic_for_a_seed(academie, questionnaire, answers_by_year):
    again = build_academie()
    assert again == academie
    assert build_campaign_answers(again, questionnaire, "2023-2024") == answers_by_year["2023-2024"]


def test_another_seed_gives_another_academie_with_the_same_figures(questionnaire):
    other = build_academie(seed=7)
    assert [s.uai for s in other.schools] != [s.uai for s in build_academie().schools]
    answers = build_campaign_answers(other, questionnaire, "2023-2024", seed=7)
    assert len(answers) == 145
    assert sum(1 for a in answers if a.answers["WS_HELD"] == "yes") == 77


def test_it_returns_plain_dataclasses(academie, answers_by_year):
    assert isinstance(academie, DemoAcademie)
    assert all(isinstance(answer, DemoAnswer) for answer in answers_by_year["2023-2024"])


@pytest.mark.parametrize("year", YEARS)
def test_every_answer_passes_clean_answers(year, questionnaire, answers_by_year):
    for answer in answers_by_year[year]:
        assert clean_answers(questionnaire, answer.answers) == answer.answers


def test_it_builds_200_schools_in_realistic_proportions(academie):
    assert len(academie.schools) == 200
    assert Counter(s.type for s in academie.schools) == {"college": 125, "lycee": 45, "lp": 27, "erea": 3}
    assert {s.departement_code for s in academie.schools} == {"16", "17", "79", "86"}
    assert len({(s.name, s.commune) for s in academie.schools}) == 200
    for school in academie.schools:
        assert school.name.split()[0] in ("Collège", "Lycée", "LP", "EREA")
        assert school.commune


def test_uai_codes_are_valid_unique_and_of_their_departement(academie):
    uais = [s.uai for s in academie.schools]
    assert len(set(uais)) == len(uais)
    for school in academie.schools:
        assert uai_problem(school.uai) is None, school.uai
        assert school.uai.startswith("0" + school.departement_code)


def test_emails_are_unique_and_academic(academie):
    emails = [r.email for r in academie.referents]
    assert len(set(emails)) == len(emails)
    for email in emails:
        assert re.fullmatch(r"[a-z-]+\.[a-z-]+\d*@ac-poitiers\.fr", email), email
    assert any(re.search(r"\d@", email) for email in emails), "homonyms get a digit"


def test_it_has_446_referents_in_post_in_2023_2024_with_a_few_serving_two_schools(academie):
    mandates = [m for m in academie.mandates if m.school_year == "2023-2024"]
    people = {m.referent_email for m in mandates}
    assert len(people) == 446
    assert len(academie.in_post("2023-2024")) == 446
    schools_per_person = Counter(m.referent_email for m in mandates)
    assert 3 <= sum(1 for n in schools_per_person.values() if n == 2) <= 15
    assert max(schools_per_person.values()) == 2
    assert {m.school_uai for m in mandates} == {s.uai for s in academie.schools}


@pytest.mark.parametrize("year", YEARS)
def test_each_referent_has_one_primary_school_per_year(year, academie):
    primaries = defaultdict(int)
    for mandate in academie.mandates:
        if mandate.school_year == year and mandate.primary:
            primaries[mandate.referent_email] += 1
    assert set(primaries) == {r.email for r in academie.in_post(year)}
    assert set(primaries.values()) == {1}


def test_the_roster_turns_over_between_years(academie):
    before = {r.email for r in academie.in_post("2022-2023")}
    after = {r.email for r in academie.in_post("2023-2024")}
    assert 430 <= len(before) <= 450
    assert 20 <= len(after - before) <= 80
    assert 20 <= len(before - after) <= 80


@pytest.mark.parametrize("year", YEARS)
def test_respondents_are_distinct_referents_in_post_with_their_primary_stratum(year, academie, answers_by_year):
    answers = answers_by_year[year]
    emails = [a.referent_email for a in answers]
    assert len(set(emails)) == len(emails)
    for answer in answers:
        school = academie.primary_school(answer.referent_email, year)
        assert (answer.school_uai, answer.school_type, answer.departement_code) == \
            (school.uai, school.type, school.departement_code)


@pytest.mark.parametrize("year", YEARS)
def test_answers_are_submitted_within_the_campaign_window(year, answers_by_year):
    window = CAMPAIGN_WINDOWS[year]
    days = [a.submitted_on for a in answers_by_year[year]]
    assert all(window.opens_on <= day <= window.closes_on for day in days)
    assert len(set(days)) > 10


def test_respondents_spread_over_the_four_departements(answers_by_year):
    by_departement = Counter(a.departement_code for a in answers_by_year["2023-2024"])
    assert set(by_departement) == {"16", "17", "79", "86"}
    assert min(by_departement.values()) >= 20


def test_the_2022_2023_rate_rounds_to_42_percent(academie, answers_by_year):
    rate = 100 * len(answers_by_year["2022-2023"]) / len(academie.in_post("2022-2023"))
    assert int(rate + 0.5) == 42


def test_the_previous_year_differs_where_the_report_compares(answers_by_year):
    def percent(year, code, value):
        answers = answers_by_year[year]
        hits = sum(1 for a in answers if value == a.answers.get(code) or value in (a.answers.get(code) or []))
        return round(100 * hits / len(answers))

    assert percent("2022-2023", "SCI_ASSESS_KNOWN", "no") == 62
    assert percent("2022-2023", "INFO_SOURCES", "social_networks") == 25
    assert percent("2023-2024", "SCI_ASSESS_KNOWN", "no") == 57


def test_comment_rates_are_realistic(answers_by_year, questionnaire):
    answers = answers_by_year["2023-2024"]
    for code in MAIN_COMMENT_QUESTIONS:
        question = questionnaire.question(code)
        eligible = [a for a in answers if question.is_shown(a.answers)]
        written = [a for a in eligible if a.answers.get(code)]
        assert 0.2 <= len(written) / len(eligible) <= 0.6, code


def test_only_two_missing_information_comments_mention_ai(answers_by_year):
    texts = [a.answers["INFO_MISSING"] for a in answers_by_year["2023-2024"] if "INFO_MISSING" in a.answers]
    about_ai = [t for t in texts if re.search(r"\bIA\b", t)]
    assert len(about_ai) == 2
    assert all(t.startswith("Comment utiliser l'IA") for t in about_ai)
    assert not any(re.search(r"(?i)\bia\b|intelligence artificielle", t) for t in texts if t not in about_ai)


def test_seren_it_comments_come_from_charente_maritime(answers_by_year):
    for year in YEARS:
        authors = [a.departement_code for a in answers_by_year[year]
                   if "Seren-IT" in a.answers.get("PART_COMMENTS", "")]
        assert set(authors) <= {"17"}
    assert len([a for a in answers_by_year["2023-2024"] if "Seren-IT" in a.answers.get("PART_COMMENTS", "")]) >= 3


@pytest.mark.parametrize("code, words", [
    ("SUGGESTIONS", ["présentiel", "matériel qui fonctionne", "ENT", "wifi", "IA", "BYOD"]),
    ("NEXT_PROJECTS", ["parents", "Apps éducation", "tablettes"]),
    ("WS_DIFFICULTIES", ["temps", "découragement", "agenda"]),
])
def test_the_report_themes_can_be_found_in_the_comments(code, words, answers_by_year):
    texts = [a.answers[code] for a in answers_by_year["2023-2024"] if code in a.answers]
    for word in words:
        hits = [t for t in texts if re.search(rf"(?i)\b{re.escape(word)}", t)]
        assert len(hits) >= 2, (code, word)


def test_a_few_comments_name_people_schools_emails_or_phones(answers_by_year):
    answers = answers_by_year["2023-2024"]
    comments = [(a, code) for a in answers for code in comments_fr.BANK
                if isinstance(a.answers.get(code), str)]
    named = [(a, code) for a, code in comments if code in a.personal_data]
    assert 0.05 <= len(named) / len(comments) <= 0.10
    for answer, code in named:
        for fragment in answer.personal_data[code]:
            assert fragment in answer.answers[code]
    written = " ".join(answer.answers[code] for answer, code in named)
    assert re.search(r"@ac-poitiers\.fr", written)
    assert re.search(r"0\d( \d\d){4}", written)


def test_comment_themes_are_recorded_for_every_generated_text(answers_by_year):
    for answer in answers_by_year["2023-2024"]:
        for code, theme in answer.comment_themes.items():
            assert theme in comments_fr.BANK[code]
            assert code in answer.answers


def test_multiple_choice_others_carry_their_text(answers_by_year):
    for answer in answers_by_year["2023-2024"]:
        for code, value in answer.answers.items():
            if isinstance(value, list) and "other" in value:
                assert answer.answers[f"{code}.other"]


def test_it_refuses_a_year_without_targets(academie, questionnaire):
    with pytest.raises(ValueError, match="2025-2026"):
        build_campaign_answers(academie, questionnaire, "2025-2026")
    with pytest.raises(ValueError, match="2025-2026"):
        build_academie(school_years=("2023-2024", "2025-2026"))


def test_it_asks_for_the_2024_2025_roster_before_its_answers(academie, questionnaire):
    with pytest.raises(ValueError, match="pas de mandats en 2024-2025"):
        build_campaign_answers(academie, questionnaire, "2024-2025")


@pytest.fixture(scope="module")
def three_years():
    return build_academie(school_years=("2022-2023", "2023-2024", "2024-2025"))


def test_adding_2024_2025_leaves_the_first_two_years_unchanged(three_years, academie):
    assert [m for m in three_years.mandates if m.school_year != "2024-2025"] == academie.mandates
    assert three_years.schools == academie.schools
    assert 440 <= len(three_years.in_post("2024-2025")) <= 460


def test_2024_2025_answers_are_valid_and_show_the_actions_effect(three_years, questionnaire, answers_by_year):
    answers = build_campaign_answers(three_years, questionnaire, "2024-2025")
    for answer in answers:
        assert clean_answers(questionnaire, answer.answers) == answer.answers
    assert len(answers) / len(three_years.in_post("2024-2025")) > 0.4  # reminders were sent again

    def share_not_knowing(records):
        return sum(1 for a in records if a.answers["SCI_MEMORY_KNOWN"] == "no") / len(records)

    assert share_not_knowing(answers) < share_not_knowing(answers_by_year["2023-2024"]) - 0.05


def test_smartphones_are_used_more_in_lycees_than_in_colleges(answers_by_year):
    answers = answers_by_year["2023-2024"]

    def share(school_type):
        of_type = [a for a in answers if a.school_type == school_type]
        return sum(1 for a in of_type if a.answers["MOB_PHONE_IN_CLASS"] == "yes") / len(of_type)

    assert share("lycee") > share("college") + 0.1


@pytest.mark.parametrize("total, spec, expected", [
    (10, {"a": 3, "b": 7}, {"a": 3, "b": 7}),
    (10, {"a": 4, "b": 1.0, "c": 1.0}, {"a": 4, "b": 3, "c": 3}),
    (7, {"a": 0.5, "b": 0.25, "c": 0.25}, {"a": 3, "b": 2, "c": 2}),  # 3.5 / 1.75 / 1.75
    (8, {"a": 2, "b": 0.5, "_skip": 0.5}, {"a": 2, "b": 3, "_skip": 3}),
])
def test_allocate_splits_exactly(total, spec, expected):
    assert allocate(total, spec) == expected


def test_allocate_refuses_counts_that_do_not_add_up():
    with pytest.raises(ValueError, match="ne font pas 10"):
        allocate(10, {"a": 3, "b": 4})


def test_it_answers_questions_it_has_no_target_for(academie):
    """A later questionnaire version with new questions still gets valid answers."""
    from bilan.questionnaire import builtin_path, parse_questionnaire

    extra = """
  - code: extra
    title: Questions ajoutées
    questions:
      - code: NEW_TOOLS
        type: multiple
        text: Quels outils utilisez-vous ?
        required: true
        choices:
          - {code: a, label: A}
          - {code: b, label: B}
      - code: NEW_SATISFACTION
        type: scale
        text: Votre satisfaction
        min: 1
        max: 5
        required: true
"""
    text = builtin_path("bilan-rupn").read_text(encoding="utf-8").rstrip() + "\n" + extra
    questionnaire = parse_questionnaire(text, source="test")
    answers = build_campaign_answers(academie, questionnaire, "2022-2023")
    for answer in answers:
        assert clean_answers(questionnaire, answer.answers) == answer.answers
        assert answer.answers["NEW_TOOLS"]
        assert 1 <= answer.answers["NEW_SATISFACTION"] <= 5
