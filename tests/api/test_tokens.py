"""API tokens (issue 13, finding 10): stored hashed, expiring, revocable from the account's page,
last use recorded; the API is rate-limited per account with a French 429."""

import datetime as dt
import hashlib
import html
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html
from rest_framework.test import APIClient

from bilan.api import tokens
from bilan.api.models import ApiToken
from bilan.core.models import Role
from tests.api.conftest import account

NBSP = "\u00a0"
PAGE = "/compte/jetons-api/"


def api(secret) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def every_stored_text() -> str:
    """Every value of every table, as text: what a copy of the database would give away."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the introspection
            values.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(values)


# ----------------------------------------------------------------------------- storage

def test_the_database_holds_no_clear_token(campaign, django_user_model):
    django_user_model.objects.create_user("lecteur", password="motdepasse-test-1")
    out = io.StringIO()
    call_command("api_token", "lecteur", stdout=out, stderr=io.StringIO())
    secret = out.getvalue().strip()
    assert len(secret) >= 32 and api(secret).get("/api/campaigns/").status_code == 200
    stored = every_stored_text()
    assert secret not in stored, "the token is stored in clear"
    assert secret[8:] not in stored
    token = ApiToken.objects.get(user__username="lecteur")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) <= 10


def test_the_secret_holds_at_least_128_random_bits(db, django_user_model):
    user = django_user_model.objects.create_user("lecteur")
    secrets = {tokens.issue(user, "x")[1] for _ in range(20)}
    assert len(secrets) == 20
    # "bilan_" then token_urlsafe(32): 43 characters of 6 bits = 256 bits.
    assert all(len(s) == len(tokens.PREFIX) + 43 for s in secrets)


# ----------------------------------------------------------------------------- expiry

def test_a_token_expires_after_the_set_number_of_days(db, django_user_model, settings):
    user = django_user_model.objects.create_user("lecteur")
    now = timezone.now()
    assert tokens.issue(user, "défaut", now=now)[0].expires_at == now + dt.timedelta(days=90)
    settings.BILAN_API_TOKEN_DAYS = 30
    token, _ = tokens.issue(user, "court", now=now)
    assert token.expires_at == now + dt.timedelta(days=30)
    # Valid strictly before its expiry instant: one second before yes, at the instant no.
    assert token.usable_at(token.expires_at - dt.timedelta(seconds=1))
    assert not token.usable_at(token.expires_at)


def test_an_expired_token_is_refused_and_one_about_to_expire_is_not(campaign):
    user, _, client = account("lecteur", campaign.academie, Role.READER)
    token = ApiToken.objects.get(user=user)
    token.expires_at = timezone.now() + dt.timedelta(seconds=30)
    token.save()
    assert client.get("/api/campaigns/").status_code == 200
    token.expires_at = timezone.now()  # the instant has come by the time the request is read
    token.save()
    response = client.get("/api/campaigns/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Ce jeton d'API a expiré le ")
    assert f"{NBSP}: créez-en un nouveau." in response.json()["detail"]


def test_a_revoked_token_or_a_deactivated_account_is_refused(campaign):
    user, _, client = account("lecteur", campaign.academie, Role.READER)
    assert client.get("/api/campaigns/").status_code == 200
    assert tokens.revoke(ApiToken.objects.get(user=user))
    response = client.get("/api/campaigns/")
    assert response.status_code == 401 and "révoqué" in response.json()["detail"]
    user2, _, client2 = account("lecteur2", campaign.academie, Role.READER)
    user2.is_active = False
    user2.save()
    response = client2.get("/api/campaigns/")
    assert response.status_code == 401 and response.json()["detail"] == "Le compte de ce jeton d'API est désactivé."
    assert api("bilan_" + "x" * 500).get("/api/campaigns/").status_code == 401


def test_the_last_use_is_recorded_at_most_once_a_minute(campaign):
    user, _, client = account("lecteur", campaign.academie, Role.READER)
    token = ApiToken.objects.get(user=user)
    assert token.last_used_at is None
    before = timezone.now()
    client.get("/api/campaigns/")
    token.refresh_from_db()
    assert before <= token.last_used_at <= timezone.now()
    # 59 seconds ago: not written again; 60 seconds ago: written.
    for age, rewritten in ((59, False), (60, True)):
        earlier = timezone.now() - dt.timedelta(seconds=age)
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=earlier)
        client.get("/api/campaigns/")
        token.refresh_from_db()
        assert (token.last_used_at != earlier) is rewritten, age


# ----------------------------------------------------------------------------- rate limit

def test_the_api_is_rate_limited_per_account_in_french(campaign, settings):
    settings.BILAN_API_RATE = "3/minute"
    _, _, reader = account("lecteur", campaign.academie, Role.READER)
    _, _, pilot = account("pilote", campaign.academie, Role.PILOT)
    assert [reader.get("/api/campaigns/").status_code for _ in range(3)] == [200, 200, 200]
    response = reader.get("/api/campaigns/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert int(response["Retry-After"]) >= 1
    detail = response.json()["detail"]
    assert detail.startswith(f"Trop de requêtes{NBSP}: la limite est de 3{NBSP}requêtes par minute par compte.")
    assert "Réessayez dans " in detail
    assert pilot.get("/api/campaigns/").status_code == 200, "the limit is per account"
    assert APIClient().get("/api/campaigns/").status_code == 401, "anonymous: refused before any count"


def test_the_default_rate_is_600_an_hour(settings):
    assert settings.BILAN_API_RATE == "600/hour"


# ----------------------------------------------------------------------------- the page

@pytest.fixture
def staff(campaign, django_user_model):
    from bilan.core.models import Membership

    people = {}
    for name, role in (("pilote", Role.PILOT), ("lecteur", Role.READER)):
        user = django_user_model.objects.create_user(name, password="motdepasse-test-1")
        Membership.objects.create(user=user, academie=campaign.academie, role=role)
        people[name] = user
    return people


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_is_for_logged_in_accounts(db):
    response = Client().get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith(reverse("core:login"))
    assert reverse("api_tokens:list") == PAGE


def test_a_reader_creates_a_token_shown_once_and_listed(staff):
    client = logged_in(staff["lecteur"])
    page = client.get(PAGE)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Aucun jeton pour l’instant" in page.content.decode()
    response = client.post(PAGE, {"action": "create", "label": "  Tableau   de bord  "})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    tree = lxml_html.fromstring(response.content.decode())
    secret = tree.get_element_by_id("jeton-secret").get("value")
    assert secret.startswith("bilan_") and tree.get_element_by_id("jeton-secret").get("readonly") is not None
    token = ApiToken.objects.get(user=staff["lecteur"])
    assert token.label == "Tableau de bord" and token.token_hash == tokens.hash_secret(secret)
    assert api(secret).get("/api/campaigns/enquete-2024/").status_code == 200
    listed = client.get(PAGE).content.decode()
    assert secret not in listed, "shown once only"
    item = lxml_html.fromstring(listed).get_element_by_id(f"jeton-{token.pk}").text_content()
    assert "Tableau de bord" in item and "Actif" in item and token.prefix in item
    assert "Dernière utilisation" in item and "à" in item  # used once above: a date and time


@pytest.mark.parametrize("data, message, field", [
    ({}, "Le formulaire ne dit pas quelle action faire.", None),
    ({"action": "détruire"}, f"Action «{NBSP}détruire{NBSP}» inconnue.", None),
    ({"action": "create", "label": "   "}, "Saisissez un libellé", "create-label"),
    ({"action": "create", "label": "x" * 101}, "Assurez-vous que cette valeur comporte au plus 100 caractères",
     "create-label"),
    ({"action": "revoke"}, "Le formulaire ne dit pas quel jeton révoquer.", None),
    ({"action": "revoke", "token": "douze"}, "Le jeton à révoquer doit être désigné par son numéro", None),
])
def test_a_malformed_post_is_refused_in_french(staff, data, message, field):
    response = logged_in(staff["pilote"]).post(PAGE, data)
    assert response.status_code == 200
    tree = lxml_html.fromstring(response.content.decode())
    assert message in tree.get_element_by_id("erreurs").text_content()
    if field:
        assert tree.get_element_by_id(field) is not None
    assert not ApiToken.objects.exists()


def test_revoking_ones_token_and_not_anothers(staff):
    mine, _ = tokens.issue(staff["pilote"], "Script")
    theirs, their_secret = tokens.issue(staff["lecteur"], "Le sien")
    client = logged_in(staff["pilote"])
    assert client.post(PAGE, {"action": "revoke", "token": theirs.pk}).status_code == 404
    assert client.post(PAGE, {"action": "revoke", "token": theirs.pk + 1000}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None and api(their_secret).get("/api/campaigns/").status_code == 200
    response = client.post(PAGE, {"action": "revoke", "token": mine.pk}, follow=True)
    assert f"Le jeton «{NBSP}Script{NBSP}» est révoqué{NBSP}: il ne donne plus accès à l'API." \
        in html.unescape(response.content.decode())
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    item = lxml_html.fromstring(response.content.decode()).get_element_by_id(f"jeton-{mine.pk}").text_content()
    assert "Révoqué le" in item
    again = client.post(PAGE, {"action": "revoke", "token": mine.pk}, follow=True)
    assert "était déjà révoqué" in again.content.decode()


def test_the_page_refuses_other_methods(staff):
    assert logged_in(staff["pilote"]).put(PAGE).status_code == 405


def test_the_home_page_links_to_the_tokens(staff):
    assert f'href="{PAGE}"' in logged_in(staff["lecteur"]).get("/").content.decode()


# ----------------------------------------------------------------------------- the command

def test_the_command_prints_a_new_token_and_renew_revokes_the_others(staff):
    def run(*args):
        out = io.StringIO()
        call_command("api_token", "lecteur", *args, stdout=out, stderr=io.StringIO())
        return out.getvalue().strip()

    first = run()
    second = run("--label", "Rectorat", "--days", "7")
    assert first != second
    assert api(first).get("/api/campaigns/").status_code == 200
    token = ApiToken.objects.get(token_hash=tokens.hash_secret(second))
    assert token.label == "Rectorat" and token.expires_at - token.created_at == dt.timedelta(days=7)
    third = run("--renew")
    assert api(first).get("/api/campaigns/").status_code == 401
    assert api(second).get("/api/campaigns/").status_code == 401
    assert api(third).get("/api/campaigns/").status_code == 200
    with pytest.raises(CommandError, match="inconnu"):
        call_command("api_token", "personne", stdout=io.StringIO())
    with pytest.raises(CommandError, match="entre 1 et 366"):
        call_command("api_token", "lecteur", "--days", "0", stdout=io.StringIO())
