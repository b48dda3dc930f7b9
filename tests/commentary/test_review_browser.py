"""A pilot reviews ten comments with the keyboard alone, in Chromium, axe-core clean at 360 and 1280 px."""

import re

import pytest
from django.contrib.auth import get_user_model

from bilan.commentary.models import CommentReview
from bilan.commentary.review import review_state
from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie
from bilan.surveys.models import Campaign
from tests.pages import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "SUGGESTIONS"


def test_a_pilot_reviews_ten_comments_with_the_keyboard_alone(live_server, new_page, assert_accessible):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-relecture", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    campaign = Campaign.objects.get(slug="2023-2024")
    # The first pass loads the models (seconds): done here, not under the page's timeout.
    review_state(campaign, QUESTION)
    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + f"/campagnes/2023-2024/commentaires/{QUESTION}/")
    page.get_by_role("link", name=re.compile("Relire les commentaires un par un")).click()
    page.wait_for_url(re.compile("/relecture/$"))
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"relecture ({width} px)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Tab alone reaches the themes and the button (the page works without the one-key shortcuts).
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "confirmer":
            break
    else:
        pytest.fail("the « Confirmer ces thèmes » button is not reachable with Tab")

    first_theme = page.locator("input[data-key='1']").get_attribute("value")
    for done in range(1, 11):
        comment = int(page.locator("input[name=response]").get_attribute("value"))
        was_checked = page.locator("input[data-key='1']").is_checked()
        page.keyboard.press("Escape")          # nothing focused in particular: the shortcuts work page-wide
        page.keyboard.press("1")               # toggles the first theme
        with page.expect_navigation():
            page.keyboard.press("Enter")       # confirms
        page.get_by_text(re.compile(rf"^{done}\s+commentaires? relus? sur")).wait_for()
        saved = CommentReview.objects.get(response_id=comment, question_code=QUESTION)
        assert (first_theme in saved.themes) == (not was_checked)
        assert int(page.locator("input[name=response]").get_attribute("value")) != comment
    assert CommentReview.objects.filter(question_code=QUESTION).count() == 10

    # S passes a comment over without deciding.
    comment = page.locator("input[name=response]").get_attribute("value")
    with page.expect_navigation():
        page.keyboard.press("s")
    assert page.locator("input[name=response]").get_attribute("value") != comment
    assert not CommentReview.objects.filter(response_id=int(comment)).exists()
    assert_accessible(page, "relecture après dix décisions")
    assert errors == []
