"""In Chromium: a pilot invites a reader, who opens the link of the e-mail received over SMTP, chooses a
password and lands on the home page; the password pages pass axe-core, at 360 and 1280 px, without a
console error."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bilan.core.models import Membership, Role
from bilan.demo.loader import load_demo
from bilan.roster.models import Academie
from tests.accounts.conftest import link_in
from tests.pages import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (360, 1280)
PASSWORD = "Tableau-Blanc-Interactif-7"


def watch(page, errors: list[str]):
    page.on("console", lambda message: errors.append(f"{page.url}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return page


def check(page, label: str, assert_accessible):
    """axe-core clean, and nothing wider than the screen, on a phone and on a desktop."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{label}: wider than {width} px"
        assert_accessible(page, f"{label} ({width} px)")
    page.set_viewport_size({"width": 360, "height": 740})


def shoot(page, name: str):
    """The pilot's guide's pictures (docs/guide-pilote.md), when BILAN_SCREENSHOTS names a folder."""
    if os.environ.get("BILAN_SCREENSHOTS"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=str(Path(os.environ["BILAN_SCREENSHOTS"]) / name), full_page=True)
        page.set_viewport_size({"width": 360, "height": 740})


def wait_for_mail(smtp, count: int):
    deadline = time.monotonic() + 10
    while len(smtp.handler.received) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.handler.received) == count
    return smtp.handler.received[-1]


def test_a_pilot_invites_a_reader_who_chooses_a_password(live_server, new_page, assert_accessible, smtp, settings):
    settings.SITE_URL = live_server.url
    load_demo()
    pilot = get_user_model().objects.create_user("pilote-equipe", password="motdepasse-test-1",
                                                 first_name="Dominique", last_name="Martin")
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)
    errors: list[str] = []

    page = watch(logged_in_page(new_page, live_server, pilot), errors)
    page.goto(live_server.url + "/academie/poitiers/equipe/")
    assert page.get_by_role("heading", name="Équipe de l’académie de Poitiers").is_visible()
    check(page, "équipe", assert_accessible)

    page.get_by_label("Adresse électronique").fill("camille.leroy@ac-poitiers.fr")
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom", exact=True).fill("Leroy")
    page.locator("label[for='invite-role_0']").click()  # « Lecteur·rice » (the DSFR hides the radio itself)
    page.get_by_role("button", name="Envoyer l’invitation").click()
    page.get_by_text("Invitation envoyée à camille.leroy@ac-poitiers.fr").wait_for()
    assert page.get_by_role("heading", name="Camille Leroy").is_visible()
    check(page, "équipe après l'invitation", assert_accessible)
    shoot(page, "equipe.png")

    mail = wait_for_mail(smtp, 1)
    assert mail.recipient == "camille.leroy@ac-poitiers.fr"
    link = link_in(mail.text, live_server.url)

    reader = watch(new_page(), errors)
    reader.goto(link)
    reader.wait_for_url(re.compile("/set-password/$"))
    assert reader.get_by_role("heading", name="Choisir votre mot de passe").is_visible()
    check(reader, "choisir son mot de passe", assert_accessible)
    shoot(reader, "choisir-mot-de-passe.png")
    reader.locator("#id_new_password1").fill("court")
    reader.locator("#id_new_password2").fill("court")
    reader.get_by_role("button", name="Enregistrer et me connecter").click()
    reader.locator("#erreurs").wait_for()
    assert "trop court" in reader.locator("#erreurs").inner_text()
    check(reader, "mot de passe refusé", assert_accessible)
    reader.locator("#id_new_password1").fill(PASSWORD)
    reader.locator("#id_new_password2").fill(PASSWORD)
    reader.get_by_role("button", name="Enregistrer et me connecter").click()
    reader.wait_for_url(live_server.url + "/")
    reader.get_by_text("Mot de passe enregistré").wait_for()
    assert reader.get_by_text("Bilan des RUPN 2023/2024").first.is_visible()
    assert reader.get_by_text("Administration").count() == 0
    # A reader: the team page is not theirs (asked outside the browser, where the 404 is no console error).
    colleague = Client()
    colleague.force_login(get_user_model().objects.get(email="camille.leroy@ac-poitiers.fr"))
    assert colleague.get("/academie/poitiers/equipe/").status_code == 404

    # The link has served: the page says so and offers a new one.
    visitor = watch(new_page(), errors)
    visitor.goto(link)
    assert visitor.get_by_role("heading", name="Ce lien ne fonctionne plus").is_visible()
    check(visitor, "lien expiré ou utilisé", assert_accessible)

    # « Mot de passe oublié » from the login page.
    visitor.goto(live_server.url + "/connexion/")
    check(visitor, "connexion", assert_accessible)
    visitor.get_by_role("link", name="Mot de passe oublié").click()
    visitor.wait_for_url(re.compile("/mot-de-passe/oublie/$"))
    check(visitor, "mot de passe oublié", assert_accessible)
    visitor.get_by_label("Adresse électronique").fill("camille.leroy@ac-poitiers.fr")
    visitor.get_by_role("button", name="Recevoir le lien").click()
    visitor.wait_for_url(re.compile("/mot-de-passe/oublie/envoye/$"))
    check(visitor, "courriel envoyé", assert_accessible)
    reset = link_in(wait_for_mail(smtp, 2).text, live_server.url)
    visitor.goto(reset)
    visitor.wait_for_url(re.compile("/set-password/$"))
    check(visitor, "nouveau mot de passe", assert_accessible)
    visitor.locator("#id_new_password1").fill(PASSWORD + "-2")
    visitor.locator("#id_new_password2").fill(PASSWORD + "-2")
    visitor.get_by_role("button", name="Enregistrer le mot de passe").click()
    visitor.get_by_role("heading", name="Mot de passe enregistré").wait_for()
    check(visitor, "mot de passe enregistré", assert_accessible)

    assert not errors, "console errors:\n" + "\n".join(errors)


def test_a_pilot_resets_a_lost_phone_from_the_team_page(live_server, new_page, assert_accessible):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    load_demo()
    poitiers = Academie.objects.get(code="poitiers")
    pilot = get_user_model().objects.create_user("pilote-equipe", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=poitiers, role=Role.PILOT)
    colleague = get_user_model().objects.create_user("claude.petit@ac-poitiers.fr", password="motdepasse-test-1",
                                                     first_name="Claude", last_name="Petit",
                                                     email="claude.petit@ac-poitiers.fr")
    Membership.objects.create(user=colleague, academie=poitiers, role=Role.READER)
    TOTPDevice.objects.create(user=colleague, name="Téléphone", confirmed=True)
    errors: list[str] = []
    page = watch(logged_in_page(new_page, live_server, pilot), errors)
    page.goto(live_server.url + "/academie/poitiers/equipe/")
    check(page, "équipe, double authentification", assert_accessible)
    button = page.get_by_role("button", name="Réinitialiser la double authentification de Claude Petit")
    button.focus()
    page.keyboard.press("Enter")
    page.get_by_text("La double authentification de Claude Petit est réinitialisée").wait_for()
    check(page, "équipe après la réinitialisation", assert_accessible)
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not errors, "console errors:\n" + "\n".join(errors)
