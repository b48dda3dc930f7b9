"""The journal page in Chromium: axe-core clean, nothing wider than the screen, the filter by keyboard."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bilan.audit.models import Action, AuditEntry
from bilan.audit.services import record
from bilan.core.models import Membership, Role
from bilan.roster.models import Academie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pilot_reads_and_filters_the_journal(live_server, new_page, assert_accessible):
    academie = Academie.objects.create(code="poitiers", name="Poitiers")
    pilot = get_user_model().objects.create_user("pilote-navigateur", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=academie, role=Role.PILOT)
    client = Client()
    client.force_login(pilot)  # writes the login entry
    record(pilot, Action.EXPORT, academie=academie, target="résultats 2023-2024 (xlsx) " + "x" * 120)
    record(pilot, Action.REPORT_PUBLISHED, academie=academie, target="2023-2024 v1")
    errors = []
    page = new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.goto(live_server.url + "/academie/poitiers/journal/")
    assert page.get_by_role("heading", level=1).inner_text() == "Journal des actions de l’académie de Poitiers"
    assert page.locator("tbody tr").count() == AuditEntry.objects.count() == 3
    assert_accessible(page, "journal des actions")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The filter, by keyboard only.
    page.get_by_label("Type d’action").focus()
    page.get_by_label("Type d’action").select_option("report_published")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**action=report_published**")
    assert page.locator("tbody tr").count() == 1 and "Compte-rendu publié" in page.locator("tbody").inner_text()
    assert_accessible(page, "journal filtré")
    assert errors == []
