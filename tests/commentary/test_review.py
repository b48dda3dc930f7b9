"""The review page's workflow: least confident first, confirmed themes become the team's decisions and
teach the model (this year's and last year's reviews), permissions of each role."""

from html import unescape

import pytest
from django.test import Client

from bilan.commentary import review, services
from bilan.commentary.models import CommentReview, ThemeDecision
from bilan.surveys.models import Campaign

pytestmark = pytest.mark.django_db

QUESTION = "SUGGESTIONS"
PAGE = f"/campagnes/2023-2024/commentaires/{QUESTION}/relecture/"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_first_comment_is_one_the_model_is_least_sure_of(seed_campaign):
    state = review.review_state(seed_campaign, QUESTION)
    comments = services.comments_of(seed_campaign, QUESTION)
    assert state.total == len(comments) > 20 and state.confirmed == 0 and state.learned_from == 0
    assert 0 < state.estimated_wrong < 1
    codes = [t.code for t in state.themes]
    assert set(state.current.proposed) <= set(codes)

    def doubt(item):   # the sum over themes of the binary entropy of its probability
        import math
        return sum(-(p * math.log(p) + (1 - p) * math.log(1 - p)) for p in item.probabilities.values()
                   if 0 < p < 1)
    assert doubt(state.current) >= max(doubt(item) for item in state.waiting)
    assert "@" not in state.current.text   # pseudonymised


def test_confirming_records_the_teams_themes_and_the_next_comment_comes(seed_campaign):
    state = review.review_state(seed_campaign, QUESTION)
    first = state.current
    chosen = first.proposed[:1] or [state.themes[0].code]
    review.confirm_review(seed_campaign, QUESTION, first.response_id, chosen)
    assert CommentReview.objects.get(response_id=first.response_id, question_code=QUESTION).themes == sorted(chosen)
    decisions = dict(ThemeDecision.objects.filter(response_id=first.response_id, question_code=QUESTION)
                     .values_list("theme_code", "include"))
    assert decisions == {t.code: t.code in chosen for t in state.themes}
    # The automatic pass obeys: the comment carries exactly the confirmed themes.
    row = next(r for r in services.question_comments(seed_campaign, QUESTION) if r.response_id == first.response_id)
    assert sorted(row.themes) == sorted(chosen)
    after = review.review_state(seed_campaign, QUESTION)
    assert after.confirmed == 1 and after.learned_from == 1
    assert after.current.response_id != first.response_id


def test_a_theme_of_another_question_or_a_comment_of_another_campaign_is_refused_and_nothing_is_saved(
        seed_campaign):
    item = review.review_state(seed_campaign, QUESTION).current
    with pytest.raises(services.CommentaryError, match="Thème inconnu"):
        review.confirm_review(seed_campaign, QUESTION, item.response_id, ["manque-temps"])  # a WS_DIFFICULTIES theme
    other = services.comments_of(Campaign.objects.get(slug="2022-2023"), QUESTION)[0]
    with pytest.raises(services.CommentaryError, match="introuvable"):
        review.confirm_review(seed_campaign, QUESTION, other.id, [])
    assert not CommentReview.objects.filter(response_id__in=[item.response_id, other.id]).exists()
    assert not ThemeDecision.objects.filter(response_id=item.response_id, question_code=QUESTION).exists()


def test_last_years_reviews_teach_this_years_model(seed_campaign):
    last_year = Campaign.objects.get(slug="2022-2023")
    assert seed_campaign.previous_id == last_year.id
    for comment in services.comments_of(last_year, QUESTION)[:5]:
        review.confirm_review(last_year, QUESTION, comment.id, [])
    assert review.review_state(seed_campaign, QUESTION).learned_from == 5


def test_a_comment_passed_over_is_left_out_of_this_visit_only(seed_campaign):
    state = review.review_state(seed_campaign, QUESTION)
    passed = review.review_state(seed_campaign, QUESTION, skipped=[state.current.response_id])
    assert passed.current.response_id != state.current.response_id
    assert passed.total == state.total and passed.confirmed == state.confirmed


def test_readers_see_the_page_pilots_confirm_outsiders_get_not_found(personas, seed_campaign):
    page = client_for(personas["reader"]).get(PAGE)
    assert page.status_code == 200 and "Confirmer ces thèmes" not in page.content.decode()
    assert client_for(personas["reader"]).post(PAGE + "confirmer/", {"response": "1"}).status_code == 404
    assert client_for(personas["outsider"]).get(PAGE).status_code == 404
    pilot = client_for(personas["pilot"])
    page = pilot.get(PAGE).content.decode()
    assert "Confirmer ces thèmes" in page and "0\u00a0commentaire relu sur" in page
    item = review.review_state(seed_campaign, QUESTION).current
    done = pilot.post(PAGE + "confirmer/", {"response": str(item.response_id), "themes": item.proposed})
    assert done.status_code == 302 and done["Location"] == PAGE
    assert CommentReview.objects.filter(response_id=item.response_id).exists()
    refused = pilot.post(PAGE + "confirmer/", {"themes": item.proposed})
    assert refused.status_code == 200 and "Le commentaire visé manque au formulaire." in refused.content.decode()
    refused = pilot.post(PAGE + "confirmer/", {"response": str(item.response_id), "themes": ["inexistant"]})
    assert refused.status_code == 200
    assert "Le thème «\u00a0inexistant\u00a0» n'existe pas pour cette question" in unescape(refused.content.decode())


def test_once_comments_are_reviewed_the_automatic_pass_follows_the_model(seed_campaign):
    before = services.automatic_pass(seed_campaign)[QUESTION]["assignments"]
    assert {source for *_, source in before} <= {"keyword", "similarity", "manual"}
    state = review.review_state(seed_campaign, QUESTION)
    reviewed = {}
    for item in [state.current, *state.waiting][:4]:
        review.confirm_review(seed_campaign, QUESTION, item.response_id, item.proposed)
        reviewed[item.response_id] = set(item.proposed)
    after = services.automatic_pass(seed_campaign)[QUESTION]["assignments"]
    sources = {source for *_, source in after}
    assert "model" in sources and "similarity" not in sources
    for response_id, themes in reviewed.items():   # the team's answers stand, exactly
        assert {code for rid, code, *_ in after if rid == response_id} == themes
    # Every other comment's confidence is the model's probability, in [0, 1].
    assert all(0 <= confidence <= 1 for *_, confidence, _source in after)
