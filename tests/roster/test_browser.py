"""A pilot imports next year's roster in Chromium: a file with a bad row, its error, the corrected
file, the preview, the confirmation; axe-core on each page, no console error, 360 and 1280 px wide."""

import re

import pytest
from django.contrib.auth import get_user_model

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie, Mandate
from tests.pages import logged_in_page, screenshot
from tests.roster.test_pages import NEXT, current_mandates, row_of, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NBSP = "\u00a0"






def check_widths(page, label, assert_accessible):
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{label}: wider than {width} px"
    page.set_viewport_size({"width": 360, "height": 740})
    assert_accessible(page, label)


def test_a_pilot_corrects_a_bad_row_then_imports_the_roster(live_server, new_page, assert_accessible, tmp_path):
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-referentiel", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    rows = [row_of(mandate) for mandate in current_mandates()]
    bad = [*rows[:2], [*rows[2][:7], "sans-arobase.fr"], *rows[3:]]  # line 4 of the file
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "referents.xlsx").write_bytes(xlsx(bad))
    (tmp_path / "referents.xlsx").write_bytes(xlsx(rows))

    page = logged_in_page(new_page, live_server, pilot)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/academie/poitiers/referentiel/")
    page.get_by_role("heading", name=re.compile("Référentiel des référent·es 2025-2026")).wait_for()
    check_widths(page, "référentiel", assert_accessible)
    page.get_by_role("link", name="Importer un fichier de référentiel").click()
    page.wait_for_url(re.compile("/referentiel/importer/"))
    assert page.get_by_label("Année scolaire").input_value() == NEXT
    check_widths(page, "import du référentiel", assert_accessible)

    page.get_by_label("Fichier du référentiel").set_input_files(str(tmp_path / "bad" / "referents.xlsx"))
    page.get_by_role("button", name="Voir l’aperçu").click()
    alert = page.locator("#lignes-en-erreur")
    alert.wait_for()
    assert (f"ligne 4, colonne «{NBSP}Courriel{NBSP}»{NBSP}: adresse de courriel «{NBSP}sans-arobase.fr{NBSP}» "
            "invalide") in alert.inner_text()
    assert page.get_by_role("button", name="Confirmer l’import").count() == 0
    check_widths(page, "fichier avec une ligne en erreur", assert_accessible)
    screenshot(page, "referentiel-erreur.png")

    page.get_by_label("Fichier du référentiel").set_input_files(str(tmp_path / "referents.xlsx"))
    page.get_by_role("button", name="Voir l’aperçu").click()
    page.get_by_role("button", name="Confirmer l’import").wait_for()
    assert page.locator("#lignes-en-erreur").count() == 0
    assert f"0{NBSP}nouveau ou nouvelle référent·e" in page.locator("#resume-changements").inner_text()
    check_widths(page, "aperçu du fichier corrigé", assert_accessible)
    screenshot(page, "referentiel-apercu.png")
    assert not Mandate.objects.filter(school_year=NEXT).exists()

    page.get_by_role("button", name="Confirmer l’import").click()
    page.get_by_text(f"Référentiel {NEXT} importé depuis").wait_for()
    assert Mandate.objects.filter(school_year=NEXT).count() == len(rows)
    page.get_by_role("heading", name=re.compile(f"Référentiel des référent·es {NEXT}")).wait_for()
    check_widths(page, "référentiel importé", assert_accessible)
    page.get_by_role("link", name=re.compile("Établissements sans référent·e")).click()
    page.get_by_role("heading", name=re.compile("Établissements sans référent·e")).wait_for()
    check_widths(page, "établissements sans référent·e", assert_accessible)
    assert not errors, errors
