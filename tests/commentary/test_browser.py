"""A pilot merges two themes and marks a quote for publication, in Chromium, with axe-core on each page."""

import re

import pytest
from django.contrib.auth import get_user_model

from bilan.commentary.models import PublishedQuote, ThemeRecord
from bilan.commentary.services import comment_digest
from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie, Referent
from bilan.surveys.models import Campaign
from tests.pages import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]




def test_a_pilot_merges_two_themes_and_marks_a_quote(live_server, new_page, assert_accessible):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-navigateur", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    # The first automatic pass loads the models (several seconds): done here, not under the page's timeout.
    comment_digest(Campaign.objects.get(slug="2023-2024"))
    page = logged_in_page(new_page, live_server, pilot)

    page.goto(live_server.url + "/campagnes/2023-2024/commentaires/")
    assert_accessible(page, "commentaires de la campagne")
    page.get_by_role("link", name=re.compile("fait défaut")).first.click()
    page.wait_for_url(re.compile("/commentaires/INFO_MISSING/"))
    assert_accessible(page, "commentaires d'une question (pilote)")

    # A refused form is drawn again with its error right under the field, on a phone and on a desktop.
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.get_by_label("Thème à fusionner (il disparaît)").select_option("mission")
        page.get_by_label("dans le thème").select_option("mission")
        page.get_by_role("button", name="Fusionner").click()
        error = page.locator("#merge-target-desc-error")
        error.wait_for()
        assert "On ne peut pas fusionner un thème avec lui-même." in error.inner_text()
        field, message = page.locator("#merge-target").bounding_box(), error.bounding_box()
        assert 0 <= message["y"] - (field["y"] + field["height"]) < 40 and abs(message["x"] - field["x"]) < 20
        assert page.locator("#merge-target").get_attribute("aria-invalid") == "true"
        assert page.locator("#erreurs").get_by_role("link", name=re.compile("lui-même")).is_visible()
        assert ThemeRecord.objects.get(code="mission").merged_into == ""
        assert_accessible(page, f"fusion refusée ({width} px)")
        # Nothing wider than the screen: the per-comment forms (« Déplacer vers ») shrink to the line.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 360, "height": 740})

    page.get_by_label("Thème à fusionner (il disparaît)").select_option("calendrier-pix")
    page.get_by_label("dans le thème").select_option("evolutions-ent")
    page.get_by_role("button", name="Fusionner").click()
    page.get_by_text("Thèmes fusionnés.").wait_for()
    assert ThemeRecord.objects.get(code="calendrier-pix").merged_into == "evolutions-ent"
    assert page.locator("#theme-calendrier-pix").count() == 0
    assert_accessible(page, "après la fusion")

    page.locator("#theme-ia").get_by_role("button", name=re.compile("^Publier cette citation")).first.click()
    page.get_by_text("Citation retenue pour publication").first.wait_for()
    quote = PublishedQuote.objects.get(question_code="INFO_MISSING")
    assert "IA" in quote.text
    assert page.get_by_role("heading", name="Citations retenues pour publication").is_visible()
    names = set(Referent.objects.values_list("last_name", flat=True))
    assert not any(re.search(rf"\b{re.escape(n)}\b", quote.text) for n in names)
    assert_accessible(page, "après la citation retenue")


def test_a_pilot_divides_a_suggestion_with_the_keyboard(live_server, new_page, assert_accessible):
    from bilan.commentary.services import suggestions

    load_demo()
    pilot = get_user_model().objects.create_user("pilote-suggestions", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    campaign = Campaign.objects.get(slug="2023-2024")
    found = suggestions(campaign, "MOB_COMMENTS")[0]  # loads the models here, not under the page's timeout
    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(live_server.url + "/campagnes/2023-2024/commentaires/MOB_COMMENTS/suggestions/")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page, f"thèmes suggérés ({width} px)")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Untick the first comment, open « Diviser en deux thèmes », name both themes and divide: keys only.
    first = page.locator(f"#s1-c{found.member_ids[0]}")
    first.focus()
    page.keyboard.press("Space")
    assert not first.is_checked()
    page.locator("#suggestion-1 summary").focus()
    page.keyboard.press("Enter")
    page.locator("#accept-label-1").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("Tablettes en classe")
    page.locator("#split-other-1").focus()
    page.keyboard.type("Autre sujet")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text("Suggestion divisée").wait_for()
    main, other = ThemeRecord.objects.get(label="Tablettes en classe"), ThemeRecord.objects.get(label="Autre sujet")
    assert main.question_codes == ["MOB_COMMENTS"] and other.question_codes == ["MOB_COMMENTS"]
    assert_accessible(page, "après la division d'une suggestion")
    assert not errors, errors
