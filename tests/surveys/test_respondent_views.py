"""The respondent pages through Django's test client, on the real database."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bilan.surveys.models import CampaignState, Response, ResponseStatus

pytestmark = pytest.mark.django_db


def url(name, token, *args):
    return reverse(f"respondent:{name}", args=[token, *args])


def text_of(page) -> str:
    """The page's HTML with entities decoded (&nbsp; becomes U+00A0, &#x27; an apostrophe)."""
    return htmllib.unescape(page.content.decode())


def title_of(page) -> str:
    return re.search(r"<title>(.*?)</title>", text_of(page), re.S).group(1).strip()


def post_section(client, token, section, data, action="next"):
    return client.post(url("section", token, section), {**data, "action": action})


def form_data(answers: dict) -> dict:
    """Answers as the browser posts them (grid rows and 'other' texts as separate fields)."""
    data = {}
    for code, value in answers.items():
        if code.endswith(".other"):
            data[code.replace(".other", "__other")] = value
        elif isinstance(value, dict):
            data.update({f"{code}__{row}": column for row, column in value.items()})
        else:
            data[code] = value
    return data


def answer_everything(client, token, complete_answers):
    for section, answers in complete_answers.items():
        page = post_section(client, token, section, form_data(answers))
        assert page.status_code == 302, (section, text_of(page)[:3000])


def test_the_start_page_shows_the_campaign_and_a_start_button(client, token, invitation):
    page = client.get(url("start", token))
    html = text_of(page)
    assert page.status_code == 200
    assert "Bilan des RUPN 2023-2024" in html
    assert ">Commencer</a>" in html
    assert "Date limite de réponse" in html
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_every_section_page_renders_with_its_stepper(client, token, invitation):
    schema = invitation.campaign.questionnaire.schema
    for position, section in enumerate(schema.sections, start=1):
        page = client.get(url("section", token, section.code))
        html = text_of(page)
        assert page.status_code == 200, section.code
        assert f"Étape {position} sur {len(schema.sections)}" in html
        assert f"étape {position} sur {len(schema.sections)}" in title_of(page)
        assert "Enregistrer et continuer" in html and "Enregistrer et quitter" in html


def test_a_section_shows_radios_checkboxes_other_text_and_a_grid(client, token):
    info = text_of(client.get(url("section", token, "info")))
    assert 'type="checkbox" name="INFO_SOURCES" value="social_networks"' in info
    assert 'name="INFO_SOURCES__other"' in info
    assert 'maxlength="2000"' in info and "<textarea" in info
    assert 'type="radio" name="INFO_SURVEYS_COLLEAGUES" value="yes"' in info
    partners = text_of(client.get(url("section", token, "partners")))
    assert 'name="PART_RELATIONS__srane"' in partners
    assert 'class="fr-sr-only">SRANE\xa0: </span>Moyennes' in partners


def test_a_dependent_question_carries_its_condition_and_a_note_for_pages_without_js(client, token):
    html = text_of(client.get(url("section", token, "workshops")))
    block = re.search(r'<div class="bilan-question" id="question-WS_WORKED"[^>]*>', html).group(0)
    assert "data-bilan-conditions=" in block and "WS_HELD" in block
    assert "Répondez si vous avez répondu «\xa0Oui\xa0» à la question «\xa0Avez-vous mis en place" in html


def test_a_required_question_is_marked(client, token):
    html = text_of(client.get(url("section", token, "workshops")))
    assert "(réponse obligatoire)" in html
    assert "marquées d'un astérisque" in html


def test_saving_a_section_stores_answers_and_strata_and_goes_on(client, token, invitation):
    page = post_section(client, token, "workshops", {"WS_HELD": "yes", "WS_WORKED": "partly", "WS_THEMES": ["pix"]})
    assert page.status_code == 302
    assert page["Location"] == url("section", token, "projects")
    response = Response.objects.get(invitation=invitation)
    assert response.answers == {"WS_HELD": "yes", "WS_WORKED": "partly", "WS_THEMES": ["pix"]}
    assert (response.school_type, response.departement_code) == ("college", "86")
    assert response.status == ResponseStatus.DRAFT and response.last_section == "workshops"
    invitation.refresh_from_db()
    assert invitation.started_at is not None and invitation.submitted_at is None


def test_the_server_drops_the_answer_to_a_question_hidden_by_the_same_page(client, token, invitation):
    post_section(client, token, "workshops", {"WS_HELD": "no", "WS_WORKED": "yes", "WS_THEMES": ["pix"]})
    assert Response.objects.get(invitation=invitation).answers == {"WS_HELD": "no"}


def test_changing_an_answer_drops_the_answers_it_now_hides(client, token, invitation):
    post_section(client, token, "workshops", {"WS_HELD": "yes", "WS_PEDAGOGY": "yes", "WS_PEDAGOGY_THEMES": "QCM"})
    post_section(client, token, "workshops", {"WS_HELD": "no", "WS_PEDAGOGY": "yes", "WS_PEDAGOGY_THEMES": "QCM"})
    assert Response.objects.get(invitation=invitation).answers == {"WS_HELD": "no"}


def test_an_error_is_shown_next_to_its_field_and_in_the_summary_and_nothing_is_saved(client, token, invitation):
    page = post_section(client, token, "info", {"INFO_SOURCES": ["newsletters"], "INFO_PERSONS": "x",
                                                "INFO_MISSING": "y" * 2001})
    html = text_of(page)
    assert page.status_code == 200
    assert title_of(page).startswith("Erreur\xa0: 1 réponse à corriger")
    assert 'href="#id_INFO_MISSING"' in html
    assert '<div id="id_INFO_MISSING-desc-error">' in html
    assert 'aria-describedby="id_INFO_MISSING-desc-error"' in html
    assert "2000 caractères au plus (2001 saisis)." in html
    assert not Response.objects.filter(invitation=invitation).exists()


def test_an_unknown_choice_is_refused_in_french(client, token):
    page = post_section(client, token, "workshops", {"WS_HELD": "maybe"})
    assert page.status_code == 200
    assert "Sélectionnez un choix valide" in text_of(page)


def test_save_and_quit_then_resume_from_the_same_link(client, token):
    page = post_section(client, token, "info", {"INFO_SOURCES": ["social_networks"], "INFO_NETWORKS": ["mastodon"]},
                        action="quit")
    assert page["Location"] == url("saved", token)
    saved = text_of(client.get(page["Location"]))
    assert "Vos réponses sont enregistrées" in saved and "même lien" in saved
    start = text_of(client.get(url("start", token)))
    assert ">Reprendre</a>" in start and url("section", token, "info") in start
    again = text_of(client.get(url("section", token, "info")))
    assert re.search(r'name="INFO_NETWORKS" value="mastodon"[^>]*checked', again)


def test_previous_saves_and_goes_back(client, token, invitation):
    page = post_section(client, token, "exchanges", {"EXCH_WANT_METHODS": "yes"}, action="previous")
    assert page["Location"] == url("section", token, "info")
    assert Response.objects.get(invitation=invitation).answers == {"EXCH_WANT_METHODS": "yes"}


def test_the_review_page_lists_the_missing_required_answers_by_section(client, token):
    post_section(client, token, "workshops", {"WS_HELD": "yes"})
    page = client.get(url("review", token))
    html = text_of(page)
    assert page.status_code == 200
    assert "Partie «\xa0Mettre en place des mini-ateliers de formation\xa0»\xa0:" in html
    assert "Ces ateliers ont-ils bien fonctionné\u202f?\xa0: Réponse obligatoire</a>" in html
    assert url("section", token, "workshops") + "#id_WS_WORKED_0" in html


def test_submitting_incomplete_answers_names_the_section_and_question(client, token, invitation):
    page = client.post(url("review", token))
    assert page.status_code == 200
    assert title_of(page).startswith("Erreur\xa0:")
    assert "Envoi impossible" in text_of(page)
    assert not Response.objects.filter(invitation=invitation, status=ResponseStatus.SUBMITTED).exists()


def test_a_complete_submission_gives_a_receipt(client, token, invitation, complete_answers):
    answer_everything(client, token, complete_answers)
    page = client.post(url("review", token))
    assert page["Location"] == url("receipt", token)
    receipt = client.get(page["Location"])
    html = text_of(receipt)
    assert receipt.status_code == 200
    assert "Merci, vos réponses ont bien été envoyées" in html
    assert "jusqu'au" in html and "même lien" in html
    assert "Plus de temps de décharge." in html and "Tchap" in html
    response = Response.objects.get(invitation=invitation)
    assert response.status == ResponseStatus.SUBMITTED
    assert response.submitted_on == timezone.localdate()
    assert (response.school_type, response.departement_code) == ("college", "86")


def test_a_second_submit_leaves_one_response(client, token, invitation, complete_answers):
    answer_everything(client, token, complete_answers)
    client.post(url("review", token))
    first = Response.objects.get(invitation=invitation)
    page = client.post(url("review", token))
    assert page["Location"] == url("receipt", token)
    assert Response.objects.filter(invitation=invitation).count() == 1
    assert Response.objects.get(invitation=invitation).revision == first.revision


def test_answers_stay_editable_after_submit_and_each_edit_bumps_the_revision(client, token, invitation,
                                                                             complete_answers):
    answer_everything(client, token, complete_answers)
    client.post(url("review", token))
    before = Response.objects.get(invitation=invitation).revision
    page = post_section(client, token, "suggestions", {"SUGGESTIONS": "Un forum académique."})
    assert page.status_code == 302
    response = Response.objects.get(invitation=invitation)
    assert response.answers["SUGGESTIONS"] == "Un forum académique."
    assert response.status == ResponseStatus.SUBMITTED and response.revision == before + 1


def test_after_submit_a_required_answer_cannot_be_removed(client, token, invitation, complete_answers):
    answer_everything(client, token, complete_answers)
    client.post(url("review", token))
    page = post_section(client, token, "workshops", {})
    assert page.status_code == 200
    assert "Réponse obligatoire." in text_of(page)
    assert Response.objects.get(invitation=invitation).answers["WS_HELD"] == "no"


def test_the_receipt_before_submitting_leads_to_the_review(client, token):
    page = client.get(url("receipt", token))
    assert page["Location"] == url("review", token)


@pytest.mark.parametrize("bad_token, status, words", [
    ("abc", 404, "Lien incomplet ou mal copié"),
    ("A" * 32, 404, "Lien inconnu"),
    ("%C3%A9" * 3, 404, "Lien incomplet ou mal copié"),
])
def test_a_malformed_or_unknown_link_gets_a_clear_page(client, db, bad_token, status, words):
    page = client.get(f"/r/{bad_token}/")
    assert page.status_code == status
    assert words in text_of(page)
    assert client.post(f"/r/{bad_token}/envoyer/").status_code == status


def test_an_unknown_section_gets_a_clear_page(client, token):
    page = client.get(url("section", token, "nowhere"))
    assert page.status_code == 404
    assert "n'a pas de partie «\xa0nowhere\xa0»" in text_of(page)


def test_a_draft_campaign_link_is_forbidden_with_a_clear_page(client, token, campaign):
    type(campaign).objects.filter(pk=campaign.pk).update(state=CampaignState.DRAFT)
    page = client.get(url("start", token))
    assert page.status_code == 403
    assert "pas encore ouvert" in text_of(page)


def test_a_campaign_before_its_opening_is_forbidden(client, token, campaign):
    type(campaign).objects.filter(pk=campaign.pk).update(opens_at=timezone.now() + timedelta(days=2))
    page = client.get(url("section", token, "info"))
    assert page.status_code == 403
    assert "Il ouvrira le" in text_of(page)


@pytest.mark.parametrize("change", [
    {"state": CampaignState.CLOSED},
    {"state": CampaignState.ARCHIVED},
    {"closes_at": timezone.now() - timedelta(minutes=1)},
])
def test_a_closed_campaign_link_is_gone_and_refuses_saving(client, token, campaign, invitation, change):
    type(campaign).objects.filter(pk=campaign.pk).update(**change)
    for page in (client.get(url("start", token)),
                 post_section(client, token, "workshops", {"WS_HELD": "yes"}),
                 client.post(url("review", token))):
        assert page.status_code == 410
        assert "est clos depuis le" in text_of(page)
    assert not Response.objects.filter(invitation=invitation).exists()


def test_after_closing_a_submitted_respondent_can_still_read_the_receipt(client, token, campaign, invitation,
                                                                         complete_answers):
    answer_everything(client, token, complete_answers)
    client.post(url("review", token))
    type(campaign).objects.filter(pk=campaign.pk).update(state=CampaignState.CLOSED)
    start = client.get(url("start", token))
    assert start.status_code == 410
    assert url("receipt", token) in text_of(start)
    receipt = client.get(url("receipt", token))
    assert receipt.status_code == 200
    assert "ne peuvent plus être modifiées" in text_of(receipt)
    assert post_section(client, token, "suggestions", {"SUGGESTIONS": "Trop tard"}).status_code == 410


def test_pages_are_not_cached_and_are_french(client, token):
    page = client.get(url("start", token))
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert '<html lang="fr"' in text_of(page)


def test_the_receipt_says_updated_only_after_an_edit_that_follows_the_sending(client, token, invitation,
                                                                              complete_answers):
    # Every section saved before the sending bumps the revision too: right after a first sending
    # the receipt must not say the answers were updated since.
    answer_everything(client, token, complete_answers)
    page = client.post(url("review", token))
    receipt = text_of(client.get(page["Location"]))
    assert "Envoi du " in receipt and "mises à jour depuis" not in receipt
    post_section(client, token, "suggestions", {"SUGGESTIONS": "Un forum académique."})
    client.post(url("review", token))
    assert "réponses mises à jour depuis" in text_of(client.get(url("receipt", token)))
