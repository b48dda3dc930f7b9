"""The team page: invite a colleague (e-mail over real SMTP, link, password, home), change a role,
remove access, the last-pilot rule, and what a forged académie gets."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from bilan.accounts.tokens import InvitationTokenGenerator, invitation_token_generator
from bilan.core.models import Membership, Role
from bilan.roster.models import Academie
from tests.accounts.conftest import link_in

pytestmark = pytest.mark.django_db

SITE = "https://bilan.ac-poitiers.fr"
NBSP = "\u00a0"
STRONG = "Cartable-Numerique-2025"
User = get_user_model()


def team_url(code="poitiers") -> str:
    return reverse("accounts:team", args=[code])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invite(client, email, role="reader", code="poitiers", **extra):
    return client.post(team_url(code), {"action": "invite", "email": email, "role": role,
                                        "first_name": "Camille", "last_name": "Durand", **extra})


def text(response) -> str:
    """The page as read: entities decoded (« l'académie » is written l&#x27;académie)."""
    return html.unescape(response.content.decode())


def path_of(link: str) -> str:
    return urlsplit(link).path


# ----------------------------------------------------------------------------- invitation

def test_an_invited_colleague_follows_the_link_sets_a_password_and_sees_the_academie(personas, smtp, settings):
    settings.SITE_URL = SITE
    pilot = client_for(personas["pilot"])
    response = invite(pilot, "Camille.Durand@AC-Poitiers.fr")
    assert response.status_code == 302 and response["Location"] == team_url()
    page = text(pilot.get(team_url()))
    assert "Invitation envoyée à camille.durand@ac-poitiers.fr (lecteur·rice)" in page
    assert f"valable 7{NBSP}jours" in page and "En attente" in page

    user = User.objects.get(email="camille.durand@ac-poitiers.fr")
    assert not user.has_usable_password() and user.username == "camille.durand@ac-poitiers.fr"
    assert Membership.objects.get(user=user).role == Role.READER

    [mail] = smtp.handler.received
    assert mail.recipient == "camille.durand@ac-poitiers.fr"
    assert "académie de Poitiers" in mail.subject
    assert "comme lecteur·rice" in mail.text and "Bonjour Camille" in mail.text
    link = link_in(mail.text, SITE)
    assert f"{SITE}/mot-de-passe/oublie/" in mail.text, "no way to a new link once this one expired"

    colleague = Client()
    opened = colleague.get(path_of(link))
    assert opened.status_code == 302 and opened["Location"].endswith("/set-password/")  # the token leaves the URL
    form = text(colleague.get(opened["Location"]))
    assert "Choisir votre mot de passe" in form and "camille.durand@ac-poitiers.fr" in form
    done = colleague.post(opened["Location"], {"new_password1": STRONG, "new_password2": STRONG})
    assert done.status_code == 302 and done["Location"] == reverse("dashboard:home")
    home = colleague.get(done["Location"])
    assert home.wsgi_request.user == user
    home_page = text(home)
    assert "Mot de passe enregistré" in home_page and "Bilan des RUPN 2023/2024" in home_page
    assert colleague.get(reverse("results:overview", args=["2023-2024"])).status_code == 200
    assert colleague.get(team_url()).status_code == 404  # a reader

    user.refresh_from_db()
    assert user.check_password(STRONG) and user.last_login is not None
    # The link worked once.
    again = Client().get(path_of(link))
    assert again.status_code == 200 and "Ce lien ne fonctionne plus" in text(again)
    assert "En attente" not in text(pilot.get(team_url()))


def test_a_weak_or_mistyped_password_is_refused_in_french(personas, smtp, settings):
    settings.SITE_URL = SITE
    invite(client_for(personas["pilot"]), "faible@ac-poitiers.fr")
    colleague = Client()
    form_url = colleague.get(path_of(link_in(smtp.handler.received[0].text, SITE)))["Location"]
    weak = text(colleague.post(form_url, {"new_password1": "azerty", "new_password2": "azerty"}))
    assert "Ce mot de passe est trop court" in weak and "Ce mot de passe est trop courant" in weak
    assert 'id="erreurs"' in weak
    mistyped = text(colleague.post(form_url, {"new_password1": STRONG, "new_password2": STRONG + "x"}))
    assert "Les deux mots de passe ne correspondent pas" in mistyped
    assert not User.objects.get(email="faible@ac-poitiers.fr").has_usable_password()


@pytest.mark.parametrize("days", [7, 2])
def test_the_link_works_until_the_last_second_of_its_validity(personas, settings, monkeypatch, days):
    settings.BILAN_ACCOUNT_INVITE_DAYS = days
    user = User.objects.create_user("invite-limite", email="limite@ac-poitiers.fr")
    user.set_unusable_password()
    user.save()
    sent = datetime(2026, 11, 2, 9, 30, 0)  # noqa: DTZ001  Django's token clock is naive local time
    clock = {"now": sent}
    monkeypatch.setattr(InvitationTokenGenerator, "_now", lambda self: clock["now"])
    token = invitation_token_generator.make_token(user)
    url = reverse("accounts:set_password", kwargs={"uidb64": _uid(user), "token": token})

    clock["now"] = sent + timedelta(days=days)
    assert invitation_token_generator.check_token(user, token)
    assert Client().get(url).status_code == 302

    clock["now"] = sent + timedelta(days=days, seconds=1)
    assert not invitation_token_generator.check_token(user, token)
    expired = Client().get(url)
    assert expired.status_code == 200
    page = text(expired)
    assert "Ce lien ne fonctionne plus" in page and "a expiré ou a déjà servi" in page
    assert f'href="{reverse("accounts:password_reset")}"' in page


def test_a_forgotten_password_link_is_not_an_invitation_link(personas):
    user = personas["reader"]
    token = default_token_generator.make_token(user)
    url = reverse("accounts:set_password", kwargs={"uidb64": _uid(user), "token": token})
    assert "Ce lien ne fonctionne plus" in text(Client().get(url))


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def test_an_existing_account_keeps_its_password_and_is_told_it_may_log_in(personas, smtp, settings):
    settings.SITE_URL = SITE
    outsider = personas["outsider"]  # pilot of Limoges, with a password
    outsider.email = "pilote@ac-limoges.fr"
    outsider.save()
    response = invite(client_for(personas["pilot"]), "PILOTE@ac-limoges.fr", role="pilot")
    assert response.status_code == 302
    outsider.refresh_from_db()
    assert outsider.check_password("motdepasse-test-1")
    assert Membership.objects.get(user=outsider, academie__code="poitiers").role == Role.PILOT
    [mail] = smtp.handler.received
    assert "compte habituel" in mail.text and "/mot-de-passe/choisir/" not in mail.text
    assert f"{SITE}/connexion/" in mail.text


def test_inviting_someone_already_in_the_team_saves_nothing(personas, smtp):
    reader = personas["reader"]
    reader.email = "lecteur@ac-poitiers.fr"
    reader.save()
    page = text(invite(client_for(personas["pilot"]), "lecteur@ac-poitiers.fr", role="pilot"))
    assert "a déjà accès à l'académie, comme lecteur·rice" in page and 'id="erreurs"' in page
    assert Membership.objects.get(user=reader).role == Role.READER
    assert smtp.handler.received == []


def test_an_invitation_the_mail_server_refuses_saves_nothing(personas, smtp):
    smtp.handler.refuse.add("inconnu@ac-poitiers.fr")
    page = text(invite(client_for(personas["pilot"]), "inconnu@ac-poitiers.fr"))
    assert "Le courriel pour «\u00a0inconnu@ac-poitiers.fr\u00a0» n'a pas pu partir" in page
    assert not User.objects.filter(email="inconnu@ac-poitiers.fr").exists()


@pytest.mark.parametrize("data, message", [
    ({"email": ""}, "Saisissez l'adresse électronique de la personne à inviter."),
    ({"email": "pas-une-adresse"}, "Saisissez une adresse électronique valide"),
    ({"email": "x@ac-poitiers.fr", "role": "admin"}, f"Rôle «{NBSP}admin{NBSP}» inconnu"),
    ({"email": "x" * 140 + "@ac-poitiers.fr"}, "au plus 150 caractères"),
])
def test_a_malformed_invitation_is_refused_in_french(personas, data, message):
    before = User.objects.count()
    page = client_for(personas["pilot"]).post(team_url(), {"action": "invite", "role": "reader", **data})
    assert page.status_code == 200 and message in text(page)
    assert User.objects.count() == before


# ----------------------------------------------------------------------------- roles and access

def test_a_pilot_changes_a_role_and_removes_access(personas):
    pilot, reader = client_for(personas["pilot"]), personas["reader"]
    membership = Membership.objects.get(user=reader)
    response = pilot.post(team_url(), {"action": "role", "member": membership.pk, "role": "pilot"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.PILOT
    assert client_for(reader).get(team_url()).status_code == 200  # now a pilot
    assert "lecteur-test est désormais pilote." in text(pilot.get(team_url()))

    response = pilot.post(team_url(), {"action": "remove", "member": membership.pk})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=reader.pk).exists()  # the account stays, without access
    assert client_for(reader).get(reverse("results:overview", args=["2023-2024"])).status_code == 404


def _alone(pilot_name="seul-pilote"):
    academie = Academie.objects.create(code="guyane", name="Guyane")
    user = User.objects.create_user(pilot_name, password="motdepasse-test-1")
    return academie, Membership.objects.create(user=user, academie=academie, role=Role.PILOT)


def test_the_last_pilot_can_neither_step_down_nor_leave(db):
    academie, own = _alone()
    client = client_for(own.user)
    url = team_url("guyane")
    for data in ({"action": "role", "member": own.pk, "role": "reader"}, {"action": "remove", "member": own.pk}):
        page = client.post(url, data)
        assert page.status_code == 200
        assert "Vous êtes le seul pilote de l'académie" in text(page)
        own.refresh_from_db()
        assert own.role == Role.PILOT

    # One pilot more, and the first may step down; the second is then the last one.
    second = Membership.objects.create(user=User.objects.create_user("second-pilote"), academie=academie,
                                       role=Role.PILOT)
    assert client.post(url, {"action": "role", "member": own.pk, "role": "reader"}).status_code == 302
    own.refresh_from_db()
    assert own.role == Role.READER
    other = client_for(second.user)
    page = text(other.post(url, {"action": "remove", "member": second.pk}))
    assert "Vous êtes le seul pilote de l'académie" in page
    assert Membership.objects.filter(pk=second.pk).exists()


def test_a_pilot_who_is_not_the_last_may_leave_and_is_sent_home(db):
    academie, own = _alone()
    Membership.objects.create(user=User.objects.create_user("autre-pilote"), academie=academie, role=Role.PILOT)
    response = client_for(own.user).post(team_url("guyane"), {"action": "remove", "member": own.pk})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:home")
    assert not Membership.objects.filter(pk=own.pk).exists()


# ----------------------------------------------------------------------------- each sees only their académie

def test_the_team_page_is_for_the_academies_pilots_only(personas):
    assert client_for(personas["pilot"]).get(team_url()).status_code == 200
    for persona in ("reader", "outsider"):
        assert client_for(personas[persona]).get(team_url()).status_code == 404
    assert client_for(personas["pilot"]).get(team_url("limoges")).status_code == 404
    assert client_for(personas["pilot"]).get(team_url("nulle-part")).status_code == 404
    anonymous = Client().get(team_url())
    assert anonymous.status_code == 302 and urlsplit(anonymous["Location"]).path == reverse("core:login")


def test_the_team_page_lists_only_its_academie(personas):
    page = text(client_for(personas["pilot"]).get(team_url()))
    assert "pilote-test" in page and "lecteur-test" in page
    assert "pilote-limoges" not in page


def test_a_forged_academie_cannot_invite_or_change_anyone(personas, smtp):
    pilot = client_for(personas["pilot"])
    users, memberships = User.objects.count(), list(Membership.objects.values_list("pk", "role"))
    # Another académie's address: the 404, whatever the POST says.
    assert invite(pilot, "intrus@ac-limoges.fr", code="limoges").status_code == 404
    limoges = Membership.objects.get(user=personas["outsider"])
    assert pilot.post(team_url("limoges"), {"action": "remove", "member": limoges.pk}).status_code == 404
    # Its own address, with a member of another académie: refused as unknown here.
    page = text(pilot.post(team_url(), {"action": "role", "member": limoges.pk, "role": "reader"}))
    assert f"Personne n°{NBSP}{limoges.pk} introuvable dans l'équipe de cette académie." in page
    page = text(pilot.post(team_url(), {"action": "remove", "member": limoges.pk}))
    assert "introuvable dans l'équipe de cette académie" in page
    assert User.objects.count() == users and list(Membership.objects.values_list("pk", "role")) == memberships
    assert smtp.handler.received == []
    # A field naming another académie in the body is ignored: the invitation is into the page's académie.
    assert invite(pilot, "nouveau@ac-poitiers.fr", academie="limoges").status_code == 302
    assert Membership.objects.get(user__email="nouveau@ac-poitiers.fr").academie.code == "poitiers"
    # A reader of the académie cannot post either.
    assert invite(client_for(personas["reader"]), "autre@ac-poitiers.fr").status_code == 404



# ----------------------------------------------------------------------------- a lost phone

def _with_phone(user) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def _reset(client, membership):
    return client.post(team_url(), {"action": "reset_2fa", "member": membership.pk})


def test_a_pilot_resets_the_second_factor_of_a_colleague_who_lost_their_phone(personas):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from bilan.audit.models import AuditEntry

    reader = personas["reader"]
    _with_phone(reader)
    pilot = client_for(personas["pilot"])
    page = text(pilot.get(team_url()))
    assert "Réinitialiser la double authentification" in page and "activée" in page
    done = _reset(pilot, Membership.objects.get(user=reader))
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=reader).exists()
    assert "est réinitialisée" in text(pilot.get(team_url()))
    entry = AuditEntry.objects.get(action="second_factor_reset")
    assert entry.user == personas["pilot"] and entry.target == reader.get_username()
    again = text(_reset(pilot, Membership.objects.get(user=reader)))  # nothing left to reset
    assert "n'a pas de double authentification à réinitialiser" in again


def test_a_second_factor_is_not_reset_for_an_account_of_another_academie_nor_ones_own(personas):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    outsider = personas["outsider"]  # pilot of Limoges, made a reader of Poitiers too
    Membership.objects.create(user=outsider, academie=Academie.objects.get(code="poitiers"), role=Role.READER)
    _with_phone(outsider)
    pilot = client_for(personas["pilot"])
    refused = text(_reset(pilot, Membership.objects.get(user=outsider, academie__code="poitiers")))
    assert "une académie que vous ne pilotez pas" in refused
    own = text(_reset(pilot, Membership.objects.get(user=personas["pilot"])))
    assert "votre propre compte" in own
    assert TOTPDevice.objects.filter(user=outsider).count() == 1
    # A reader of the académie cannot reset anyone's: the team page is the pilots'.
    assert _reset(client_for(personas["reader"]), Membership.objects.get(user=personas["pilot"])).status_code == 404
