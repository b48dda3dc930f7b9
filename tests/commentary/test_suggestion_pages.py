"""The suggestions page: every member shown, accepting the ticked ones, dividing a suggestion in two, dismissing."""

import html
import re

import pytest
from django.test import Client

from bilan.commentary import services
from bilan.commentary.models import ThemeDecision, ThemeRecord

pytestmark = pytest.mark.django_db

QUESTION = "MOB_COMMENTS"
PAGE = f"/campagnes/2023-2024/commentaires/{QUESTION}/suggestions/"
ACTION = f"/campagnes/2023-2024/commentaires/{QUESTION}/action/"


def _page(response) -> str:
    """The page's text, entities decoded and no-break spaces as spaces (the page typesets French)."""
    return html.unescape(response.content.decode()).replace("\u00a0", " ").replace("\u202f", " ")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _members_in(campaign, code):
    """The comments the team put in the theme (the automatic pass may add similar ones; it obeys these)."""
    forced = set(ThemeDecision.objects.filter(response__campaign=campaign, question_code=QUESTION, theme_code=code,
                                              include=True).values_list("response_id", flat=True))
    shown = {rid for rid, theme, *_ in services.automatic_pass(campaign)[QUESTION]["assignments"] if theme == code}
    assert forced <= shown
    return forced


@pytest.fixture
def suggestion(seed_campaign):
    found = services.suggestions(seed_campaign, QUESTION)
    assert found and len(found[0].member_ids) >= 3, "the demo leaves suggestions of several comments"
    return found[0]


def test_the_page_lists_every_member_ticked_for_a_pilot_and_as_quotes_for_a_reader(personas, seed_campaign, suggestion):
    page = _page(client_for(personas["pilot"]).get(PAGE))
    for response_id, text in suggestion.members:
        assert re.search(rf'<input type="checkbox" id="s1-c{response_id}" name="members" value="{response_id}"'
                         r"\s+checked>", page)
        assert text in page
    assert "Diviser" in page and "Écarter" in page
    reader = _page(client_for(personas["reader"]).get(PAGE))
    assert all(text in reader for _, text in suggestion.members)
    assert 'name="members"' not in reader and "/action/" not in reader


def test_accepting_with_some_members_unticked_leaves_them_without_the_theme(personas, seed_campaign, suggestion):
    ticked, left = suggestion.member_ids[:-1], suggestion.member_ids[-1]
    response = client_for(personas["pilot"]).post(ACTION, {
        "action": "accept", "label": "Prêts de matériel", "members": ticked, "everyone": suggestion.member_ids,
    }, follow=True)
    assert "Suggestion acceptée" in _page(response)
    record = ThemeRecord.objects.get(label="Prêts de matériel")
    assert _members_in(seed_campaign, record.code) == set(ticked)
    assert left not in _members_in(seed_campaign, record.code)


def test_dividing_a_suggestion_makes_two_themes_of_the_ticked_and_the_unticked(personas, seed_campaign, suggestion):
    ticked, unticked = suggestion.member_ids[:2], suggestion.member_ids[2:]
    page = client_for(personas["pilot"]).post(ACTION, {
        "action": "split_suggestion", "label": "Premier sujet", "other_label": "Second sujet", "members": ticked,
        "everyone": suggestion.member_ids,
    }, follow=True)
    assert "Suggestion divisée" in _page(page)
    first, second = ThemeRecord.objects.get(label="Premier sujet"), ThemeRecord.objects.get(label="Second sujet")
    assert _members_in(seed_campaign, first.code) == set(ticked)
    assert _members_in(seed_campaign, second.code) == set(unticked)


@pytest.mark.parametrize("change, message", [
    ({"members": "all"}, "Décochez au moins un commentaire"),
    ({"other_label": "premier SUJET"}, "Choisissez un libellé différent de celui du premier thème."),
    ({"other_label": ""}, "Saisissez un libellé."),
    ({"members": "none"}, "Cochez au moins un commentaire de la suggestion."),
    ({"members": "foreign"}, "Un commentaire coché ne fait pas partie de la suggestion."),
])
def test_a_refused_division_says_why_keeps_the_ticks_and_saves_nothing(personas, seed_campaign, suggestion, change,
                                                                      message):
    ids = suggestion.member_ids
    others = [c.id for c in services.comments_of(seed_campaign, QUESTION) if c.id not in set(ids)]
    members = {"all": ids, "none": [], "foreign": [ids[0], others[0]]}.get(change.get("members"), ids[:1])
    themes_before = ThemeRecord.objects.count()
    data = {"action": "split_suggestion", "label": "Premier sujet", "other_label": "Second sujet",
            "members": members, "everyone": ids, **{k: v for k, v in change.items() if k != "members"}}
    response = client_for(personas["pilot"]).post(ACTION, data)
    page = _page(response)
    assert response.status_code == 200 and message in page
    assert ThemeRecord.objects.count() == themes_before
    # The form comes back open on this suggestion, the pilot's ticks as they were.
    if change.get("members") is None:
        assert re.search(rf'id="s1-c{ids[0]}" name="members" value="{ids[0]}"\s+checked>', page)
        assert re.search(rf'id="s1-c{ids[1]}" name="members" value="{ids[1]}">', page)
        assert "<details class=\"fr-mt-2w\" open>" in page


def test_the_service_divides_both_or_neither(seed_campaign, suggestion):
    ids = suggestion.member_ids
    themes_before = ThemeRecord.objects.count()
    with pytest.raises(services.CommentaryError):
        services.split_suggestion(seed_campaign, QUESTION, "Un", ids[:1], "un", ids[1:])
    with pytest.raises(services.CommentaryError):
        services.split_suggestion(seed_campaign, QUESTION, "Un", ids, "Deux", [])
    with pytest.raises(services.CommentaryError):
        services.split_suggestion(seed_campaign, QUESTION, "Un", ids[:2], "Deux", ids[1:])
    assert ThemeRecord.objects.count() == themes_before
    first, second = services.split_suggestion(seed_campaign, QUESTION, "Un", ids[:1], "Deux", ids[1:])
    assert (_members_in(seed_campaign, first.code), _members_in(seed_campaign, second.code)) == (
        set(ids[:1]), set(ids[1:]))
