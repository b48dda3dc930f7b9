"""In Chromium: a pilot creates next year's campaign from the demo's 2023-2024 one with the form, sees it on the
home page with its stage in the cycle, and opens it; every page passes axe-core, at 360 and 1280 px, without a
console error."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie
from bilan.surveys.models import Campaign, CampaignState
from tests.pages import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)




def check(page, label: str, assert_accessible):
    """axe-core clean, and nothing wider than the screen, on a phone and on a desktop."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{label}: wider than {width} px"
        assert_accessible(page, f"{label} ({width} px)")
    page.set_viewport_size({"width": 360, "height": 740})


def test_a_pilot_creates_next_years_campaign_from_the_2023_2024_one(live_server, new_page, assert_accessible):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-campagnes", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    client = Client()
    client.force_login(pilot)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    page.goto(live_server.url + "/")
    check(page, "accueil", assert_accessible)
    page.get_by_role("link", name=re.compile("^Nouvelle campagne")).click()
    page.wait_for_url(re.compile("/academie/poitiers/campagnes/nouvelle/"))
    check(page, "nouvelle campagne", assert_accessible)
    screenshot(page, "campagne-nouvelle.png")

    page.locator("#id_source").select_option("2023-2024")
    page.locator("#id_school_year").fill("2026-2027")
    page.locator("#id_title").fill("Bilan des RUPN 2026/2027")
    page.locator("#id_slug").fill("2026-2027")
    page.locator("#id_opens_at").fill("2027-05-03T09:00")
    # At the opening minute first: refused, under its field, nothing saved.
    page.locator("#id_closes_at").fill("2027-05-03T09:00")
    page.get_by_role("button", name="Créer la campagne").click()
    page.locator("#erreurs").wait_for()
    assert "doit venir après l'ouverture" in page.locator("#id_closes_at").locator("xpath=..").inner_text()
    assert not Campaign.objects.filter(slug="2026-2027").exists()
    check(page, "création refusée", assert_accessible)

    page.locator("#id_closes_at").fill("2027-06-30T23:00")
    page.get_by_role("button", name="Créer la campagne").click()
    page.wait_for_url(re.compile("/campagnes/2026-2027/$"))
    campaign = Campaign.objects.get(slug="2026-2027")
    assert campaign.previous.slug == "2023-2024" and campaign.state == CampaignState.DRAFT
    assert page.get_by_text("Étape 1 sur 5").is_visible()
    check(page, "campagne créée", assert_accessible)
    screenshot(page, "campagne.png")

    # On a phone the breadcrumb is folded behind its button.
    page.get_by_role("button", name="Voir le fil d’Ariane").click()
    page.get_by_role("link", name="Campagnes", exact=True).first.click()
    page.wait_for_url(live_server.url + "/")
    item = page.locator("li", has=page.get_by_role("link", name="Bilan des RUPN 2026/2027", exact=True))
    assert "Étape 1 sur 5\u00a0: Préparation" in item.text_content()
    assert "Prochaine chose à faire\u00a0: Importer le référentiel" in item.text_content()
    check(page, "accueil avec la nouvelle campagne", assert_accessible)
    screenshot(page, "accueil.png")
    item.get_by_role("link", name="Bilan des RUPN 2026/2027", exact=True).click()
    page.wait_for_url(re.compile("/campagnes/2026-2027/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Bilan des RUPN 2026/2027"

    # Its settings, then opening it from its page.
    page.get_by_role("link", name="Réglages (titre, dates, anonymat)").click()
    page.wait_for_url(re.compile("/campagnes/2026-2027/reglages/$"))
    check(page, "réglages", assert_accessible)
    page.locator("#id_title").fill("Bilan des RUPN 2026/2027 (réseau)")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    page.get_by_text("Réglages enregistrés.").wait_for()
    page.get_by_role("button", name="Ouvrir la campagne").click()
    page.get_by_text("Campagne ouverte.").wait_for()
    assert Campaign.objects.get(slug="2026-2027").state == CampaignState.OPEN
    assert page.get_by_text("Étape 2 sur 5").is_visible()
    check(page, "campagne ouverte", assert_accessible)
    assert not errors, "console errors:\n" + "\n".join(errors)
