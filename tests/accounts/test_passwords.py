"""« Mot de passe oublié »: the same answer for any address, a French e-mail over real SMTP, a new password."""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from bilan.core.models import Membership, Role
from bilan.roster.models import Academie
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db

SITE = "https://bilan.ac-poitiers.fr"
STRONG = "Nouveau-Cartable-2026"
User = get_user_model()


def text(response) -> str:
    return html.unescape(response.content.decode())


def ask(email: str):
    """The whole visit: the form, then the page it leads to."""
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": email})
    assert response.status_code == 302
    return response["Location"], text(client.get(response["Location"]))


def test_the_login_page_offers_the_forgotten_password_page():
    page = text(Client().get(reverse("core:login")))
    assert f'href="{reverse("accounts:password_reset")}"' in page and "Mot de passe oublié" in page
    form = text(Client().get(reverse("accounts:password_reset")))
    assert "Adresse électronique" in form and "Recevoir le lien" in form


def test_an_unknown_address_gets_the_same_answer_as_a_known_one(personas, smtp, settings):
    settings.SITE_URL = SITE
    personas["reader"].email = "lecteur@ac-poitiers.fr"
    personas["reader"].save()
    known = ask("Lecteur@ac-poitiers.fr")
    unknown = ask("personne@ac-poitiers.fr")
    assert known == unknown
    assert urlsplit(known[0]).path == reverse("accounts:password_reset_done")
    assert "Si l’adresse saisie correspond à un compte" in known[1]
    assert smtp.handler.recipients() == ["lecteur@ac-poitiers.fr"]


def test_the_emailed_link_sets_a_new_password_once(personas, smtp, settings):
    settings.SITE_URL = SITE
    reader = personas["reader"]
    reader.email = "lecteur@ac-poitiers.fr"
    reader.save()
    ask("lecteur@ac-poitiers.fr")
    [mail] = smtp.handler.received
    assert mail.subject == "Bilan\u00a0: choisir un nouveau mot de passe"
    assert "Votre identifiant de connexion\u00a0: lecteur-test" in mail.text
    link = link_in(mail.text, SITE)
    assert "/mot-de-passe/nouveau/" in link

    client = Client()
    opened = client.get(urlsplit(link).path)
    assert opened.status_code == 302
    assert "Choisir un nouveau mot de passe" in text(client.get(opened["Location"]))
    saved = client.post(opened["Location"], {"new_password1": STRONG, "new_password2": STRONG})
    assert saved.status_code == 302 and saved["Location"] == reverse("accounts:password_reset_complete")
    assert "Mot de passe enregistré" in text(client.get(saved["Location"]))
    assert Client().post(reverse("core:login"), {"username": "lecteur-test", "password": STRONG})["Location"] == "/"
    assert "Ce lien ne fonctionne plus" in text(Client().get(urlsplit(link).path))


def test_an_invited_colleague_whose_link_expired_gets_a_new_one(db, smtp, settings):
    settings.SITE_URL = SITE
    academie = Academie.objects.create(code="guyane", name="Guyane")
    invited = User.objects.create_user("invite@ac-guyane.fr", email="invite@ac-guyane.fr")
    invited.set_unusable_password()
    invited.save()
    Membership.objects.create(user=invited, academie=academie, role=Role.READER)
    # An account without a password and without any académie (access removed) gets nothing.
    gone = User.objects.create_user("parti@ac-guyane.fr", email="parti@ac-guyane.fr")
    gone.set_unusable_password()
    gone.save()
    ask("invite@ac-guyane.fr")
    ask("parti@ac-guyane.fr")
    assert smtp.handler.recipients() == ["invite@ac-guyane.fr"]


def test_a_malformed_address_is_refused_in_french(db):
    response = Client().post(reverse("accounts:password_reset"), {"email": "pas-une-adresse"})
    assert response.status_code == 200
    page = text(response)
    assert "Saisissez une adresse électronique valide" in page and 'id="erreurs"' in page
