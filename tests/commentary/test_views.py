import pytest
from django.test import Client

from bilan.commentary.models import PublishedQuote, ThemeRecord
from bilan.questionnaire import load_builtin
from tests.breadcrumb import check_breadcrumb

pytestmark = pytest.mark.django_db

INDEX = "/campagnes/2023-2024/commentaires/"
QUESTION = INDEX + "INFO_MISSING/"
ACTION = QUESTION + "action/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_anonymous_visitor_is_sent_to_the_login_page(personas, seed_campaign):
    assert Client().get(INDEX).status_code == 302


@pytest.mark.parametrize("url", [INDEX, QUESTION, QUESTION + "suggestions/"])
def test_an_outsider_gets_not_found(personas, seed_campaign, url):
    assert client_for(personas["outsider"]).get(url).status_code == 404


def test_a_reader_sees_themes_and_quotes_but_no_forms(personas, seed_campaign):
    index = client_for(personas["reader"]).get(INDEX).content.decode()
    assert "Comment utiliser l&#x27;IA" in index or "Comment utiliser l'IA" in index
    page = client_for(personas["reader"]).get(QUESTION).content.decode()
    assert "Thèmes par nombre de répondant·es" in page
    assert "Fusionner" not in page and "Publier cette citation" not in page and "/action/" not in page


def test_a_reader_cannot_change_anything(personas, seed_campaign):
    response = client_for(personas["reader"]).post(ACTION, {"action": "merge", "theme": "rien", "target": "mission"})
    assert response.status_code == 404
    assert ThemeRecord.objects.get(code="rien").merged_into == ""


def test_a_pilot_merges_two_themes(personas, seed_campaign):
    response = client_for(personas["pilot"]).post(ACTION, {"action": "merge", "theme": "rien", "target": "mission"},
                                                  follow=True)
    assert "Thèmes fusionnés." in response.content.decode()
    assert ThemeRecord.objects.get(code="rien").merged_into == "mission"


def test_a_pilot_marks_a_quote_for_publication(personas, seed_campaign):
    from bilan.commentary.services import automatic_pass

    assignments = automatic_pass(seed_campaign)["INFO_MISSING"]["assignments"]
    response_id = next(rid for rid, code, *_ in assignments if code == "ia")
    page = client_for(personas["pilot"]).post(ACTION, {"action": "mark", "response": response_id, "theme": "ia"},
                                              follow=True).content.decode()
    assert "Citation retenue pour publication" in page
    assert PublishedQuote.objects.filter(response_id=response_id, question_code="INFO_MISSING").exists()


def test_a_bad_request_gets_a_french_message_and_changes_nothing(personas, seed_campaign):
    page = client_for(personas["pilot"]).post(ACTION, {"action": "merge", "theme": "rien", "target": "rien"},
                                              follow=True).content.decode()
    assert "On ne peut pas fusionner un thème avec lui-même." in page


def test_an_unknown_question_is_not_found(personas, seed_campaign):
    assert client_for(personas["pilot"]).get(INDEX + "NOPE/").status_code == 404


def test_each_comments_page_has_the_one_breadcrumb_back_to_the_comments(personas, seed_campaign):
    client = client_for(personas["reader"])
    comments = f"Commentaires — {seed_campaign.title}"
    label = load_builtin().question("INFO_MISSING").label
    check_breadcrumb(client, INDEX, comments)
    assert check_breadcrumb(client, QUESTION, comments, label)[1] == (comments, INDEX)
    check_breadcrumb(client, QUESTION + "suggestions/", comments, f"Thèmes suggérés — {label}")


def test_every_comment_action_form_performs_its_action():
    from bilan.commentary.forms import ACTION_FORMS, CommentaryForm

    for name, form in ACTION_FORMS.items():
        assert issubclass(form, CommentaryForm) and form.name == name
        assert callable(getattr(form, "perform", None)), f"the « {name} » form has no perform()"
