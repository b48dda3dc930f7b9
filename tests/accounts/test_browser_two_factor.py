"""In Chromium: a pilot opens « Double authentification » from the header, enrols with the key shown
in text (as a keyboard or screen-reader user would), then logs in with password and code; each page
passes axe-core at 360 and 1280 px, without a console error."""

from __future__ import annotations

import base64
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bilan.core.models import Membership, Role
from bilan.roster.models import Academie
from tests.accounts.test_browser import check, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tableau-Blanc-Interactif-7"


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(base64.b32decode(secret))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(page, base: str, username: str):
    page.goto(base + "/connexion/")
    page.get_by_label("Identifiant", exact=True).fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def test_a_pilot_enrols_and_logs_in_with_a_code(live_server, new_page, assert_accessible):
    academie = Academie.objects.create(code="guyane", name="Guyane")
    pilot = get_user_model().objects.create_user("pilote-2fa", password=PASSWORD)
    Membership.objects.create(user=pilot, academie=academie, role=Role.PILOT)
    errors: list[str] = []

    page = watch(new_page(), errors)
    log_in(page, live_server.url, "pilote-2fa")
    page.wait_for_url(live_server.url + "/")
    page.set_viewport_size({"width": 1280, "height": 900})  # the header's tools show as links on a desktop
    page.get_by_role("link", name="Double authentification").click()
    page.wait_for_url(re.compile("/compte/double-authentification/"))
    assert page.get_by_role("img", name=re.compile("QR code")).is_visible()
    check(page, "activer la double authentification", assert_accessible)

    secret = "".join(page.locator("#cle-secrete").inner_text().split())
    field = page.get_by_label("Code à six chiffres")
    field.fill("12")
    field.press("Enter")
    page.get_by_text("Le code se compose de six chiffres").first.wait_for()
    check(page, "code refusé à l'activation", assert_accessible)
    page.get_by_label("Code à six chiffres").fill(code_for(secret))
    page.get_by_role("button", name="Activer la double authentification").click()
    page.get_by_text("La double authentification est activée").first.wait_for()
    assert TOTPDevice.objects.filter(user=pilot, confirmed=True).count() == 1
    check(page, "double authentification activée", assert_accessible)

    # A new browser: the password alone leads to the code page, not to the staff pages.
    page = watch(new_page(), errors)
    log_in(page, live_server.url, "pilote-2fa")
    page.wait_for_url(re.compile("/connexion/code/"))
    page.goto(live_server.url + "/academie/guyane/equipe/")
    page.wait_for_url(re.compile("/connexion/"))
    log_in(page, live_server.url, "pilote-2fa")
    page.wait_for_url(re.compile("/connexion/code/"))
    check(page, "code de connexion", assert_accessible)
    page.get_by_label("Code à six chiffres").fill(code_for(secret, steps_ahead=1))
    page.get_by_role("button", name="Valider le code").click()
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + "/academie/guyane/equipe/")
    assert page.get_by_role("heading", level=1).count() == 1 and "/equipe/" in page.url
    assert not errors, errors
