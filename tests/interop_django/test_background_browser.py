"""In Chromium: a pilot imports a large answers file, follows the job's page while the worker runs
it, and reads the result; axe-core on each page, no console error, 360 and 1280 px wide."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from bilan.core.models import Membership, Role
from bilan.surveys.models import Response
from tests.interop_django.test_background_import import _file
from tests.pages import logged_in_page
from tests.roster.test_browser import check_widths

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pilot_follows_a_background_import(live_server, new_page, assert_accessible, enquete_campaign,
                                              settings, tmp_path):
    settings.BILAN_IMPORT_BACKGROUND_ROWS = 100
    settings.SITE_URL = "https://bilan.example.org"  # the worker refuses a local address with DEBUG off
    pilot = get_user_model().objects.create_user("pilote-import", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=enquete_campaign.academie, role=Role.PILOT)
    (tmp_path / "reponses-2023.csv").write_bytes(_file(400))

    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/campagnes/{enquete_campaign.slug}/reponses/import/")
    page.get_by_label(re.compile("Fichier de réponses")).set_input_files(str(tmp_path / "reponses-2023.csv"))
    page.get_by_role("button", name="Lire le fichier").click()
    page.get_by_role("button", name="Importer ces réponses").click()

    page.get_by_role("heading", name=re.compile("Import de « reponses-2023.csv »")).wait_for()
    expect(page.locator("#travail-resume")).to_contain_text("En attente")
    check_widths(page, "travail en attente", assert_accessible)
    assert not Response.objects.exists()

    call_command("worker", max_passes=1, interval=0)  # the page reloads itself once the job has ended

    expect(page.locator(".fr-alert--success")).to_contain_text("400 réponse(s) importée(s)", timeout=15_000)
    check_widths(page, "travail terminé", assert_accessible)
    page.get_by_role("link", name="Voir les résultats").click()
    page.wait_for_url(re.compile("/resultats/"))
    assert Response.objects.filter(campaign=enquete_campaign).count() == 400
    assert not errors, errors
