"""The answering services on their own: links, saving, conditions, submitting once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bilan.questionnaire import AnswerErrors
from bilan.surveys import respondent
from bilan.surveys.forms import SectionForm
from bilan.surveys.models import CampaignState, Response, ResponseStatus
from bilan.surveys.services import invite_one, register_questionnaire
from tests.surveys.concurrency import submit_all_at_once

CROSS_PAGE_YAML = """
code: cross-page
version: "1"
title: Deux pages liées
sections:
  - code: first
    title: Première page
    questions:
      - {code: HAS_PROJECT, type: yesno, text: "Avez-vous un projet ?", required: true}
  - code: second
    title: Deuxième page
    questions:
      - code: PROJECT_NAME
        type: text
        text: Quel est ce projet ?
        when: {question: HAS_PROJECT, equals: "yes"}
        required: true
      - {code: REMARKS, type: longtext, text: Remarques}
"""


@pytest.fixture
def cross_page_invitation(campaign, referent):
    campaign.questionnaire = register_questionnaire(CROSS_PAGE_YAML)
    campaign.save()
    return invite_one(campaign, referent)[0]


def test_resolve_finds_the_invitation_of_a_valid_link(token, invitation):
    assert respondent.resolve(token) == invitation


@pytest.mark.parametrize("bad, error", [("", respondent.MalformedLink), ("trop-court", respondent.MalformedLink),
                                        ("x" * 32, respondent.UnknownLink)])
def test_resolve_rejects_malformed_and_unknown_links(db, bad, error):
    with pytest.raises(error) as caught:
        respondent.resolve(bad)
    assert caught.value.status == 404


def test_resolve_tells_a_closed_campaign_from_one_not_yet_open(token, campaign):
    campaign.state = CampaignState.CLOSED
    campaign.save()
    with pytest.raises(respondent.CampaignClosed) as caught:
        respondent.resolve(token)
    assert caught.value.status == 410
    campaign.state = CampaignState.DRAFT
    campaign.save()
    with pytest.raises(respondent.CampaignNotYetOpen) as caught:
        respondent.resolve(token)
    assert caught.value.status == 403


def test_an_older_link_of_the_same_invitation_still_works(campaign, referent):
    first_invitation, first_token = invite_one(campaign, referent)
    _, second_token = invite_one(campaign, referent)
    assert first_token != second_token
    assert respondent.resolve(first_token) == respondent.resolve(second_token) == first_invitation


def test_save_section_refuses_a_question_of_another_section(invitation):
    with pytest.raises(AnswerErrors) as caught:
        respondent.save_section(invitation, "workshops", {"WS_HELD": "yes", "PROJ_CONSULTED": "often"})
    assert caught.value.errors == {"PROJ_CONSULTED": "question d'une autre partie"}
    assert not Response.objects.exists()


def test_save_section_refuses_an_unknown_section(invitation):
    with pytest.raises(respondent.UnknownSection):
        respondent.save_section(invitation, "nowhere", {})


def test_save_section_replaces_only_its_own_answers(invitation):
    respondent.save_section(invitation, "workshops", {"WS_HELD": "no"})
    respondent.save_section(invitation, "projects", {"PROJ_CONSULTED": "often", "PROJ_TOPICS": "Un ENT"})
    respondent.save_section(invitation, "projects", {"PROJ_CONSULTED": "never"})
    assert respondent.load_answers(invitation) == {"WS_HELD": "no", "PROJ_CONSULTED": "never"}


def test_an_answer_on_one_page_drops_a_now_hidden_answer_on_another(cross_page_invitation):
    respondent.save_section(cross_page_invitation, "first", {"HAS_PROJECT": "yes"})
    respondent.save_section(cross_page_invitation, "second", {"PROJECT_NAME": "Radio du collège", "REMARKS": "Rien"})
    assert respondent.load_answers(cross_page_invitation)["PROJECT_NAME"] == "Radio du collège"
    respondent.save_section(cross_page_invitation, "first", {"HAS_PROJECT": "no"})
    assert respondent.load_answers(cross_page_invitation) == {"HAS_PROJECT": "no", "REMARKS": "Rien"}


def test_a_question_hidden_by_another_page_is_not_on_the_form(cross_page_invitation):
    schema = cross_page_invitation.campaign.questionnaire.schema
    section = schema.section("second")
    assert [item.code for item in SectionForm(schema, section, {"HAS_PROJECT": "no"}).items] == ["REMARKS"]
    shown = SectionForm(schema, section, {"HAS_PROJECT": "yes"}).items
    assert [item.code for item in shown] == ["PROJECT_NAME", "REMARKS"]
    assert '"answers": {"HAS_PROJECT": "yes"}' in shown[0].conditions_json


def test_submit_names_the_section_and_question_of_each_missing_answer(invitation, complete_answers):
    for section, answers in complete_answers.items():
        if section != "partners":
            respondent.save_section(invitation, section, answers)
    respondent.save_section(invitation, "partners", {"PART_RELATIONS": {"srane": "good"}})
    with pytest.raises(respondent.IncompleteAnswers) as caught:
        respondent.submit(invitation)
    problems = {(p.section_code, p.question_code): p.message for p in caught.value.problems}
    assert problems == {
        ("partners", "PART_RELATIONS"): "Répondez pour chaque ligne (manque : Collectivité territoriale, "
                                        "Direction de l'établissement)",
        ("partners", "PART_ASSISTANCE"): "Réponse obligatoire",
    }
    assert caught.value.problems[0].section_title == "Relations avec les partenaires"
    assert Response.objects.get(invitation=invitation).status == ResponseStatus.DRAFT


def save_everything(invitation, complete_answers):
    for section, answers in complete_answers.items():
        respondent.save_section(invitation, section, answers)


def test_submit_copies_the_strata_and_dates_and_a_second_submit_changes_nothing(invitation, complete_answers):
    save_everything(invitation, complete_answers)
    first = respondent.submit(invitation)
    second = respondent.submit(invitation)
    assert first.pk == second.pk and Response.objects.count() == 1
    response = Response.objects.get()
    assert (response.school_type, response.departement_code) == ("college", "86")
    assert response.status == ResponseStatus.SUBMITTED and response.revision == first.revision
    assert response.submitted_on == timezone.localdate()
    invitation.refresh_from_db()
    assert invitation.submitted_at is not None and invitation.started_at <= invitation.submitted_at


def test_the_strata_come_from_the_invitation_not_the_current_roster(invitation, school, complete_answers):
    school.type = "lycee"
    school.save()
    save_everything(invitation, complete_answers)
    assert respondent.submit(invitation).school_type == "college"


def test_an_anonymous_campaign_keeps_its_draft_like_any_other(invitation, campaign):
    campaign.anonymous = True
    campaign.save()
    respondent.save_section(invitation, "workshops", {"WS_HELD": "no"})
    assert respondent.load_answers(invitation) == {"WS_HELD": "no"}


def test_nothing_is_saved_after_the_campaign_closes(invitation, campaign):
    campaign.closes_at = timezone.now() - timedelta(seconds=1)
    campaign.save()
    with pytest.raises(respondent.CampaignClosed):
        respondent.save_section(invitation, "workshops", {"WS_HELD": "no"})
    assert not Response.objects.exists()


def test_the_summary_shows_labels_in_french(invitation, complete_answers):
    save_everything(invitation, complete_answers)
    schema = invitation.campaign.questionnaire.schema
    summary = {s.code: s for s in respondent.summarise(schema, respondent.load_answers(invitation))}
    info = {line.code: line for line in summary["info"].lines}
    assert info["INFO_SOURCES"].items == ["Lettres d'information (équipes départementales, SRANE…)", "Réseaux sociaux"]
    assert info["INFO_MISSING"].answered is False
    partners = {line.code: line for line in summary["partners"].lines}
    assert partners["PART_RELATIONS"].items[1] == "SRANE : Moyennes"
    assert "WS_WORKED" not in {line.code for line in summary["workshops"].lines}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_leave_one_response(campaign, referent, complete_answers):
    invitation, _ = invite_one(campaign, referent)
    save_everything(invitation, complete_answers)
    # More than two requests at once make the race window wide enough to
    # catch a missing row lock reliably.
    submitters = 8
    results, _, failures = submit_all_at_once(invitation, submitters)
    assert failures == []
    assert len(results) == submitters and len(set(results)) == 1
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Response.objects.get(invitation=invitation).revision == len(complete_answers) + 1
