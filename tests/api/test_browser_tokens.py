"""A reader creates an API token, copies it and revokes it, in Chromium, with axe-core on each page."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bilan.api.models import ApiToken
from bilan.api.tokens import hash_secret

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_creates_copies_and_revokes_a_token(live_server, new_page, assert_accessible):
    reader = get_user_model().objects.create_user("lecteur-navigateur", password="motdepasse-test-1")
    client = Client()
    client.force_login(reader)
    page = new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Jetons d’API (accès de vos outils aux résultats)").click()
    page.wait_for_url("**/compte/jetons-api/")
    assert_accessible(page, "jetons d'API (aucun)")

    # Keyboard only: the label, then the button.
    page.get_by_label("Libellé").focus()
    page.keyboard.type("Tableau de bord")
    page.keyboard.press("Enter")
    secret = page.locator("#jeton-secret").input_value()
    assert ApiToken.objects.get(user=reader).token_hash == hash_secret(secret)
    page.get_by_role("button", name="Copier le jeton").click()
    page.get_by_text("Jeton copié.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == secret
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page, f"jeton créé ({width} px)")
    page.set_viewport_size({"width": 360, "height": 740})

    page.get_by_role("button", name="Révoquer le jeton « Tableau de bord »").click()
    page.get_by_text("est révoqué").wait_for()
    assert ApiToken.objects.get(user=reader).revoked_at is not None
    assert secret not in page.content()
    assert_accessible(page, "jeton révoqué")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not errors, errors
