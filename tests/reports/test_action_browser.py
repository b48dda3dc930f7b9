"""A pilot adds an action linked to a finding, moves it up the plan and sees it, in Chromium,
with axe-core on each page, no console error, and no page wider than the screen."""

import re

import pytest
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.reports.models import Action
from bilan.roster.models import Academie
from tests.pages import logged_in_page, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Former aux usages de l'IA"






def check_widths(page, assert_accessible, label):
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{label}: wider than {width} px"
        assert_accessible(page, f"{label} ({width} px)")
    page.set_viewport_size({"width": 360, "height": 740})


def test_a_pilot_adds_an_action_linked_to_a_finding_and_reorders_it(live_server, new_page, assert_accessible):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-plan", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Next year's plan shows last year's actions beside their figures.
    page.goto(live_server.url + "/campagnes/2024-2025/plan-d-action/")
    page.get_by_role("heading", name="Actions de l’an dernier").wait_for()
    check_widths(page, assert_accessible, "plan d'action 2024-2025")
    screenshot(page, "plan-d-action-suivi.png")

    page.goto(live_server.url + "/campagnes/2023-2024/plan-d-action/")
    check_widths(page, assert_accessible, "plan d'action 2023-2024")
    page.get_by_role("link", name="Ajouter une action").click()
    page.wait_for_url(re.compile("/plan-d-action/nouvelle/"))
    check_widths(page, assert_accessible, "nouvelle action")

    # A date that does not exist is refused, next to its field; the form keeps what was typed.
    page.get_by_label("Intitulé").fill(TITLE)
    page.get_by_label("Responsable").fill("SRANE")
    page.get_by_label("Échéance").fill("31/02/2026")
    page.get_by_label("Constat visé n° 1").select_option("SCI_A11Y_KNOWN|no")
    page.get_by_label("Ce que mesure le constat n° 1").fill("ne connaissent pas l'accessibilité numérique")
    page.get_by_role("button", name="Ajouter l’action au plan").click()
    page.locator("#erreurs").wait_for()
    assert "une date réelle est attendue" in page.locator("#action-due_date-desc-error").inner_text()
    assert page.get_by_label("Intitulé").input_value() == TITLE
    check_widths(page, assert_accessible, "nouvelle action refusée")
    assert not Action.objects.filter(title=TITLE).exists()

    page.get_by_label("Échéance").fill("30/06/2026")
    page.get_by_role("button", name="Ajouter l’action au plan").click()
    page.get_by_text(f"Action « {TITLE} » ajoutée au plan.").wait_for()
    added = Action.objects.get(title=TITLE)
    assert added.indicators == [{"q": "SCI_A11Y_KNOWN", "c": "no",
                                 "statement": "ne connaissent pas l'accessibilité numérique"}]
    item = page.locator(f"#action-{added.pk}")
    assert "30\u00a0juin 2026" in item.inner_text()
    assert "Avez-vous des connaissances sur l'accessibilité numérique" in item.inner_text()

    # Up one place with the keyboard: focus the button, press Enter.
    count = Action.objects.filter(campaign__slug="2023-2024").count()
    item.get_by_role("button", name=re.compile("^Monter l’action")).focus()
    page.keyboard.press("Enter")
    page.get_by_text("montée d'un rang").wait_for()
    order = list(Action.objects.filter(campaign__slug="2023-2024").values_list("title", flat=True))
    assert order.index(TITLE) == count - 2
    titles = page.locator("ol.bilan-action-list > li h3").all_inner_texts()
    assert TITLE in titles[count - 2]
    check_widths(page, assert_accessible, "plan après déplacement")
    screenshot(page, "plan-d-action.png")
    assert not errors, errors
