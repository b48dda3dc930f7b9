"""Logins that resist (issue 13, finding 3): throttling by account and by address, a log of every
attempt, TOTP two-factor authentication for pilots, sessions that end after a working day idle.

The limits are the shipped settings (10 failures, 15 minutes): each rule is tested at its limit
and one past it.
"""

from __future__ import annotations

import base64
import logging
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from bilan.core.models import Membership, Role
from bilan.core.security import client_ip
from bilan.roster.models import Academie

pytestmark = pytest.mark.django_db

PASSWORD = "motdepasse-test-1"
LOGIN = "/connexion/"
HOME = "/"
LIMIT = 10
NBSP = "\u00a0"


@pytest.fixture
def pilot(db):
    academie = Academie.objects.create(code="guyane", name="Guyane")
    user = get_user_model().objects.create_user("pilote-guyane", password=PASSWORD)
    Membership.objects.create(user=user, academie=academie, role=Role.PILOT)
    return user


@pytest.fixture
def colleague(pilot):
    user = get_user_model().objects.create_user("lecteur-guyane", password=PASSWORD)
    Membership.objects.create(user=user, academie=pilot.memberships.get().academie, role=Role.READER)
    return user


def attempt(client: Client, username: str, password: str, address: str = "127.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return client.get(HOME).status_code == 200


def test_the_shipped_limits():
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_thirty_wrong_passwords_are_throttled_and_logged(pilot, caplog):
    client = Client()
    caplog.set_level(logging.INFO, logger="bilan.security")
    statuses = [attempt(client, "pilote-guyane", f"essai-{n}").status_code for n in range(30)]
    # Nine refusals on the login page, then the French lockout page from the tenth on.
    assert statuses[:LIMIT - 1] == [200] * (LIMIT - 1)
    assert statuses[LIMIT - 1:] == [429] * (30 - LIMIT + 1)
    locked = attempt(client, "pilote-guyane", PASSWORD)
    assert locked.status_code == 429 and not logged_in(client)
    page = locked.content.decode()
    assert "Connexion suspendue" in page and f"15{NBSP}minutes" in page and f"10{NBSP}tentatives" in page
    assert "Account locked" not in page and 'lang="fr"' in page

    # The log: each failure with its username and address, through bilan.security and axes' table.
    failures = [r for r in caplog.records if r.name == "bilan.security" and r.outcome == "failure"]
    assert len(failures) == 31
    assert all(r.username == "pilote-guyane" and r.address == "127.0.0.1" for r in failures)
    assert "locked out" in failures[-1].getMessage()
    rows = AccessFailureLog.objects.filter(username="pilote-guyane", ip_address="127.0.0.1")
    assert rows.count() >= LIMIT and all(row.attempt_time for row in rows)
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(("failures", "opens"), [(LIMIT - 1, True), (LIMIT, False)])
def test_an_account_is_locked_exactly_at_the_limit(pilot, failures, opens):
    client = Client()
    for n in range(failures):
        # From a new address each time: only the account's count reaches the limit.
        attempt(client, "pilote-guyane", f"essai-{n}", address=f"192.0.2.{n + 1}")
    response = attempt(client, "pilote-guyane", PASSWORD, address="198.51.100.7")
    assert (response.status_code, logged_in(client)) == ((302, True) if opens else (429, False))


@pytest.mark.parametrize(("failures", "opens"), [(LIMIT - 1, True), (LIMIT, False)])
def test_an_address_is_locked_exactly_at_the_limit_whatever_the_account(pilot, colleague, failures, opens):
    client = Client()
    for n in range(failures):
        # A different (invented) account each time: only the address's count reaches the limit.
        attempt(client, f"compte-{n}", "essai", address="203.0.113.5")
    response = attempt(client, "lecteur-guyane", PASSWORD, address="203.0.113.5")
    assert (response.status_code, logged_in(client)) == ((302, True) if opens else (429, False))
    # The same account from another address is not concerned by that address's lock.
    assert attempt(Client(), "lecteur-guyane", PASSWORD, address="198.51.100.8").status_code == 302


def test_the_lock_ends_after_the_cool_off(pilot):
    client = Client()
    for n in range(LIMIT):
        attempt(client, "pilote-guyane", f"essai-{n}")
    assert attempt(client, "pilote-guyane", PASSWORD).status_code == 429
    # Fourteen minutes after the last failure: still locked.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))
    assert attempt(client, "pilote-guyane", PASSWORD).status_code == 429
    # That refusal counted as a failure and started the cool-off again; sixteen minutes later it is over.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert attempt(client, "pilote-guyane", PASSWORD).status_code == 302 and logged_in(client)


def test_a_successful_login_is_logged(pilot, caplog):
    caplog.set_level(logging.INFO, logger="bilan.security")
    assert attempt(Client(), "pilote-guyane", PASSWORD, address="198.51.100.9").status_code == 302
    [record] = [r for r in caplog.records if r.name == "bilan.security"]
    assert (record.outcome, record.username, record.address) == ("success", "pilote-guyane", "198.51.100.9")
    row = AccessLog.objects.get()
    assert (row.username, row.ip_address) == ("pilote-guyane", "198.51.100.9")


@pytest.mark.parametrize(("proxies", "expected"), [(0, "10.0.0.1"), (1, "203.0.113.9"), (2, "198.51.100.1"),
                                                   (3, "10.0.0.1")])
def test_the_address_behind_proxies_is_the_one_they_appended(settings, proxies, expected):
    settings.BILAN_PROXY_COUNT = proxies
    # The client wrote 198.51.100.1 itself (forgeable); the one proxy appended 203.0.113.9.
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip(request) == expected


# --- Two-factor authentication ------------------------------------------------------------------

def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def test_a_pilot_with_two_factor_cannot_log_in_with_the_password_alone(pilot):
    device = enrol(pilot)
    client = Client()
    response = attempt(client, "pilote-guyane", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("core:login_code")
    assert not logged_in(client)
    assert client.get(reverse("core:login_code")).status_code == 200
    assert client.get("/academie/guyane/equipe/").status_code == 302  # no staff page opens
    response = client.post(reverse("core:login_code"), {"code": code(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in(client)
    assert client.get("/academie/guyane/equipe/").status_code == 200


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(pilot, caplog):
    device = enrol(pilot)
    right = code(device)
    wrong = "000000" if right != "000000" else "111111"
    client = Client()
    attempt(client, "pilote-guyane", PASSWORD)
    caplog.set_level(logging.INFO, logger="bilan.security")
    response = client.post(reverse("core:login_code"), {"code": wrong})
    assert response.status_code == 200 and not logged_in(client)
    assert "Ce code n’est pas le bon" in response.content.decode()
    assert AccessFailureLog.objects.filter(username="pilote-guyane").count() == 1
    assert any(r.getMessage().startswith("login failed") for r in caplog.records if r.name == "bilan.security")
    for bad in ("12345", "abcdef", "1234567"):
        response = client.post(reverse("core:login_code"), {"code": bad})
        assert "six chiffres" in response.content.decode() and not logged_in(client)


def test_wrong_codes_lock_the_account_like_wrong_passwords(pilot):
    enrol(pilot)
    client = Client()
    attempt(client, "pilote-guyane", PASSWORD)
    statuses = [client.post(reverse("core:login_code"), {"code": f"{n:06d}"}).status_code for n in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    assert attempt(client, "pilote-guyane", PASSWORD).status_code == 429


def test_the_code_page_needs_the_password_first_and_not_long_ago(pilot):
    device = enrol(pilot)
    client = Client()
    assert client.get(reverse("core:login_code"))["Location"] == LOGIN
    attempt(client, "pilote-guyane", PASSWORD)
    session = client.session
    session["bilan_2fa_pending"]["at"] -= 301
    session.save()
    assert client.post(reverse("core:login_code"), {"code": code(device)})["Location"] == LOGIN
    assert not logged_in(client)


def test_a_session_opened_without_the_code_opens_no_page(pilot):
    enrol(pilot)
    client = Client()
    client.force_login(pilot)  # any path but the two-step login
    response = client.get("/academie/guyane/equipe/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert not logged_in(client)


def test_a_pilot_enrols_from_the_page_then_needs_the_code(pilot):
    client = Client()
    attempt(client, "pilote-guyane", PASSWORD)
    page = client.get(reverse("core:two_factor"))
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and 'role="img"' in text
    key = client.session["bilan_2fa_new_key"]
    candidate = TOTPDevice(user=pilot, key=key)
    shown = text.split('id="cle-secrete"')[1].split(">", 1)[1].split("<")[0]
    assert "".join(shown.split()) == base64.b32encode(candidate.bin_key).decode()
    refused = client.post(reverse("core:two_factor"), {"code": "000000" if code(candidate) != "000000" else "1" * 6})
    assert "Ce code n’est pas le bon" in refused.content.decode() and not TOTPDevice.objects.exists()
    assert client.post(reverse("core:two_factor"), {"code": code(candidate)}).status_code == 302
    device = TOTPDevice.objects.get(user=pilot, confirmed=True)
    assert "La double authentification est activée" in client.get(reverse("core:two_factor")).content.decode()
    client.post(reverse("core:logout"))

    client = Client()
    assert attempt(client, "pilote-guyane", PASSWORD)["Location"] == reverse("core:login_code")
    assert not logged_in(client)
    # The code used to confirm cannot be used again; the next one can.
    client.post(reverse("core:login_code"), {"code": code(device, steps_ahead=1)})
    assert logged_in(client)


def test_two_factor_can_be_required_of_pilots(pilot, colleague, settings):
    settings.BILAN_PILOT_2FA_REQUIRED = True
    client = Client()
    attempt(client, "pilote-guyane", PASSWORD)
    assert client.get("/academie/guyane/equipe/")["Location"] == reverse("core:two_factor")
    assert client.get(reverse("core:two_factor")).status_code == 200
    reader = Client()
    attempt(reader, "lecteur-guyane", PASSWORD)
    assert logged_in(reader)


# --- Sessions -----------------------------------------------------------------------------------

def test_a_session_ends_after_a_working_day_idle_and_each_request_renews_it(pilot):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    client = Client()
    attempt(client, "pilote-guyane", PASSWORD)
    session = Session.objects.get()
    assert abs((session.expire_date - timezone.now()) - timedelta(hours=8)) < timedelta(minutes=1)
    # Seven hours and 59 minutes idle: the next request opens the page and renews the eight hours.
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert logged_in(client)
    assert Session.objects.get().expire_date - timezone.now() > timedelta(hours=7, minutes=59)
    # Eight hours and one minute idle: the session is over.
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
