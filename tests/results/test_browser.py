"""The results pages in real Chromium, at 360 px, checked by axe-core."""

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_overview_and_a_section_page_have_no_axe_violation(live_server, new_page, assert_accessible):
    from django.contrib.auth.models import User

    load_demo()
    reader = User.objects.create_user(username="lecteur-navigateur", password="x-lecteur-2024")
    Membership.objects.create(user=reader, academie=Academie.objects.get(code="poitiers"), role=Role.READER)
    client = Client()
    client.force_login(reader)
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])

    page.goto(live_server.url + reverse("results:overview", args=["2023-2024"]))
    assert page.locator("h1").inner_text() == "Résultats — Bilan des RUPN 2023/2024"
    assert "145\u00a0réponses sur 446" in page.locator("main").inner_text()
    assert_accessible(page, "vue d'ensemble des résultats")

    page.get_by_role("link", name="Connaissance et usages des ressources institutionnelles").click()
    page.wait_for_url("**/section/resources/")
    chart = page.locator("img.bilan-chart").first
    assert chart.get_attribute("alt").startswith("Barres empilées, Ressources institutionnelles")
    assert chart.evaluate("img => img.naturalWidth") > 0
    table = page.locator("table", has=page.locator("caption", has_text="Ressources institutionnelles : données"))
    assert "Lumni enseignement" in table.inner_text()
    assert_accessible(page, "section des résultats")

    # The breakdown accordions (DSFR JS), by mouse then by keyboard; their titles carry the row's label.
    by_type = page.get_by_role("button", name="Par type d'établissement — Édubase")
    panel = page.locator("#" + by_type.get_attribute("aria-controls"))
    assert by_type.get_attribute("aria-expanded") == "false" and not panel.is_visible()
    by_type.click()
    expect(panel).to_be_visible()
    assert by_type.get_attribute("aria-expanded") == "true"
    assert "Je l'ai utilisé" in panel.locator("thead").inner_text()
    by_departement = page.get_by_role("button", name="Par département — Édubase")
    by_departement.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#" + by_departement.get_attribute("aria-controls"))).to_be_visible()
    page.keyboard.press("Space")
    expect(page.locator("#" + by_departement.get_attribute("aria-controls"))).to_be_hidden()
    assert_accessible(page, "section, volets ouverts")

    # The stratum filter, with the keyboard only.
    page.locator("#filter-type").focus()
    page.keyboard.press("ArrowDown")  # « Collège »
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**type=college**")
    assert "89\u00a0répondant·es (Collège)" in page.locator("main").inner_text()
    assert_accessible(page, "section filtrée")
