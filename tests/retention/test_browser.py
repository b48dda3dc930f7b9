"""A pilot reads « Données personnelles », then erases a referent's data with the keyboard, in Chromium:
axe-core on each page, no console error, 360 and 1280 px wide."""

import re

import pytest
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie, Referent
from tests.roster.test_browser import check_widths, logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pilot_reads_the_periods_then_erases_a_referent(live_server, new_page, assert_accessible):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-donnees", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    person = Referent.objects.filter(mandates__school__departement__academie__code="poitiers").order_by("pk").first()

    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/")
    page.get_by_role("link", name=re.compile("Données personnelles et durées de conservation")).first.click()
    page.get_by_role("heading", name="Données personnelles et durées de conservation").wait_for()
    check_widths(page, "données personnelles", assert_accessible)

    page.goto(f"{live_server.url}/academie/poitiers/referentiel/referents/{person.pk}/")
    page.get_by_role("link", name="Effacer ses données…").click()
    page.get_by_role("heading", name=re.compile("Effacer les données de")).wait_for()
    check_widths(page, "effacement", assert_accessible)
    page.get_by_role("button", name="Effacer les données").press("Enter")  # unticked: the browser refuses
    page.wait_for_timeout(300)
    assert Referent.objects.filter(pk=person.pk).exists()
    box = page.get_by_label(re.compile("Je confirme"))
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.get_by_role("button", name="Effacer les données").press("Enter")
    page.wait_for_url(re.compile("/referentiel/"))
    assert not Referent.objects.filter(pk=person.pk).exists()
    assert not errors, errors
