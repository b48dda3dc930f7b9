"""The invitations page (outreach:invitations): who will be invited, the message, queueing once,
the counts (page and JSON), the worker's heartbeat, « Relancer maintenant », and a real worker sending.

How the end-to-end tests run a worker against the test database (reusable by other tests):

- in-process, on any database: the ``smtp`` fixture (tests/outreach/conftest.py) starts aiosmtpd's
  ``Controller`` on 127.0.0.1 at a free port and points ``settings.EMAIL_*`` at it; set
  ``settings.SITE_URL`` to a public https address (the worker refuses to start on a loopback one
  when DEBUG is off), then ``run_worker_in_process(passes=1)`` below: Django's ``call_command``
  of the real ``worker`` command (``--max-passes 1 --interval 0``), signal handlers restored after.
- as a separate process, on PostgreSQL only (an in-memory SQLite test database is invisible to
  another process): ``worker_process(smtp)`` below starts ``<venv>/bin/bilan worker --interval 0.2
  --max-passes N`` with ``DATABASE_URL`` pointing at the test database (tests/outreach/test_workers.py's
  ``process_env``), ``EMAIL_HOST=127.0.0.1``, ``EMAIL_PORT=<smtp.port>`` and ``SITE_URL`` set; the
  test waits for its exit (``communicate``) and reads the messages from ``smtp.handler.received``.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bilan.core.models import Membership, Role
from bilan.outreach.models import MailKind, MailStatus, OutgoingMail, WorkerHeartbeat
from bilan.outreach.services import (
    PREVIEW_TOKEN,
    InvitationsRefused,
    invitation_plan,
    invitations_blocker,
    queue_announced_invitations,
    queue_invitations,
    record_heartbeat,
    send_due,
    worker_state,
)
from bilan.roster.models import Academie, Departement, Mandate, Referent, School, SchoolType
from bilan.surveys.models import AccessToken, CampaignState

from .conftest import SCHOOL_YEAR, build_roster, make_campaign

PUBLIC = "https://bilan.ac-poitiers.fr"
NBSP = "\u00a0"
BILAN = str(Path(sys.executable).with_name("bilan"))


def member(username: str, academie, role: str | None):
    user = get_user_model().objects.create_user(username=username, password="motdepasse-test-1")
    if role:
        Membership.objects.create(user=user, academie=academie, role=role)
    return user


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def campaign(db):
    return make_campaign(build_roster(12))


@pytest.fixture
def pilot(campaign):
    return client_for(member("pilote", campaign.academie, Role.PILOT))


def page_url(campaign) -> str:
    return reverse("outreach:invitations", args=[campaign.slug])


def status_url(campaign) -> str:
    return reverse("outreach:invitations_status", args=[campaign.slug])


def text(response) -> str:
    # Layout whitespace folded; the no-break spaces of French typography are kept.
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(response.content.decode()))


def run_worker_in_process(passes: int = 1) -> None:
    """The real ``bilan worker`` command, in this process (see the module's docstring)."""
    saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        call_command("worker", "--max-passes", str(passes), "--interval", "0", "--worker-id", "worker-essai")
    finally:
        signal.signal(signal.SIGINT, saved[0])
        signal.signal(signal.SIGTERM, saved[1])


# ----------------------------------------------------------------------------- who will be invited

def test_the_page_counts_the_roster_without_invitation_and_lists_refused_addresses_apart(campaign, pilot):
    refused = Referent.objects.get(email="rupn003@ac-poitiers.fr")
    refused.email_bad, refused.email_bad_reason = True, "550 utilisateur inconnu"
    refused.save()
    plan = invitation_plan(campaign)
    assert (plan.new, plan.not_mailed, plan.already, plan.to_queue) == (11, 0, 0, 11)
    assert [p.email for p in plan.refused] == ["rupn003@ac-poitiers.fr"]
    page = text(pilot.get(page_url(campaign)))
    assert "11 personnes recevront une invitation" in page
    assert "Mettre en file les invitations (11)" in page
    assert "rupn003@ac-poitiers.fr" in page and "550 utilisateur inconnu" in page
    # What the page announced is what the button queues.
    assert queue_invitations(campaign) == 11
    assert invitation_plan(campaign).to_queue == 0
    assert "0 personne recevra une invitation" in text(pilot.get(page_url(campaign)))


def test_only_the_campaigns_academie_is_invited(campaign):
    other = Academie.objects.create(code="limoges", name="Limoges")
    departement = Departement.objects.create(academie=other, code="87", name="Haute-Vienne")
    school = School.objects.create(uai="0870001A", name="Collège de Limoges", type=SchoolType.COLLEGE,
                                   commune="Limoges", departement=departement)
    stranger = Referent.objects.create(first_name="Autre", last_name="Académie", email="x@ac-limoges.fr")
    Mandate.objects.create(referent=stranger, school=school, school_year=SCHOOL_YEAR)
    assert invitation_plan(campaign).to_queue == 12
    assert queue_invitations(campaign) == 12
    assert not campaign.invitations.filter(referent=stranger).exists()


def test_a_corrected_address_is_counted_and_mailed_again(campaign):
    queue_invitations(campaign)
    OutgoingMail.objects.filter(recipient="rupn001@ac-poitiers.fr").update(status=MailStatus.BOUNCED)
    plan = invitation_plan(campaign)
    assert (plan.corrected, plan.already, plan.to_queue) == (1, 11, 1)
    assert queue_invitations(campaign) == 1


# ----------------------------------------------------------------------------- the preview

def test_the_preview_is_a_real_message_with_links_on_site_url(campaign, pilot, settings):
    settings.SITE_URL = PUBLIC
    response = pilot.get(page_url(campaign))
    page = response.content.decode()
    link = f"{PUBLIC}/r/{PREVIEW_TOKEN}/"
    assert response.context["preview"].text_body.count(link) >= 1
    assert link in response.context["preview"].html_body
    assert "Prénom0" in response.context["preview"].text_body  # the first person to be invited, not a sample
    assert "127.0.0.1" not in response.context["preview"].text_body + response.context["preview"].html_body
    assert 'id="apercu-objet"' in page and "une adresse locale" not in page
    # And the queued messages themselves use the same address.
    queue_invitations(campaign)
    assert all(mail.text_body.count(f"{PUBLIC}/r/") for mail in OutgoingMail.objects.all())


def test_a_loopback_site_url_is_flagged_on_the_page(campaign, pilot, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    page = text(pilot.get(page_url(campaign)))
    assert "Les liens commencent par http://127.0.0.1:8000, une adresse locale" in page


# ----------------------------------------------------------------------------- queueing once

def post_invite(client, campaign, expected):
    return client.post(page_url(campaign), {"action": "invite", "expected": str(expected)})


def test_queueing_from_the_page_twice_queues_once(campaign, pilot):
    first = post_invite(pilot, campaign, 12)
    assert first.status_code == 302 and first["Location"].endswith("/invitations/#envoi")
    assert OutgoingMail.objects.filter(kind=MailKind.INVITATION, status=MailStatus.QUEUED).count() == 12
    assert AccessToken.objects.count() == 12
    second = post_invite(pilot, campaign, 12)  # the double click
    assert second.status_code == 302
    assert OutgoingMail.objects.count() == 12 and AccessToken.objects.count() == 12
    page = text(pilot.get(second["Location"]))
    assert "Rien de nouveau à mettre en file" in page
    assert f"12{NBSP}en attente" in page


def test_a_count_that_changed_since_the_page_was_shown_is_refused_and_nothing_is_queued(campaign, pilot):
    response = post_invite(pilot, campaign, 11)
    assert response.status_code == 200
    assert ("Le nombre d'invitations a changé depuis l'affichage de la page (11 annoncées, 12 maintenant)"
            in text(response))
    assert not OutgoingMail.objects.exists() and not campaign.invitations.exists()


@pytest.mark.parametrize("state", [CampaignState.DRAFT, CampaignState.CLOSED, CampaignState.ARCHIVED])
def test_only_an_open_campaign_queues_invitations(campaign, pilot, state):
    campaign.state = state
    campaign.save()
    page = text(pilot.get(page_url(campaign)))
    assert "Mettre en file les invitations" not in page
    assert "les invitations ne se mettent en file que lorsqu'elle est ouverte" in page
    response = post_invite(pilot, campaign, 12)
    assert response.status_code == 200 and not OutgoingMail.objects.exists()


def test_the_closing_moment_is_the_limit(campaign):
    just_before = campaign.closes_at - timedelta(microseconds=1)
    assert invitations_blocker(campaign, just_before) is None
    assert "date de clôture" in invitations_blocker(campaign, campaign.closes_at)
    with pytest.raises(InvitationsRefused):
        queue_announced_invitations(campaign, 12, campaign.closes_at)
    assert queue_announced_invitations(campaign, 12, just_before) == 12


# ----------------------------------------------------------------------------- heartbeat

def test_a_heartbeat_exactly_at_the_limit_is_fresh_and_one_second_more_is_stale(db, settings):
    settings.BILAN_WORKER_STALE_SECONDS = 180
    seen = timezone.now()
    assert not worker_state(seen).fresh  # nobody ever reported
    record_heartbeat("w1", now=seen)
    assert worker_state(seen + timedelta(seconds=180)).fresh
    assert not worker_state(seen + timedelta(seconds=181)).fresh
    settings.BILAN_WORKER_STALE_SECONDS = 600
    assert worker_state(seen + timedelta(seconds=600)).fresh
    assert not worker_state(seen + timedelta(seconds=601)).fresh


def test_each_pass_and_batch_beats_and_a_new_process_gets_its_own_row(db):
    start = timezone.now()
    record_heartbeat("w1", now=start)
    record_heartbeat("w1", new_pass=False, now=start + timedelta(seconds=5))
    record_heartbeat("w1", now=start + timedelta(seconds=10))
    beat = WorkerHeartbeat.objects.get(worker_id="w1")
    assert (beat.passes, beat.last_seen, beat.pid) == (2, start + timedelta(seconds=10), os.getpid())
    # A process silent for a week is forgotten when another one starts.
    record_heartbeat("w2", now=start + timedelta(days=7, seconds=11))
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["w2"]


def test_the_page_warns_when_mails_wait_and_no_worker_reported(campaign, pilot, settings):
    settings.BILAN_WORKER_STALE_SECONDS = 180
    page = text(pilot.get(page_url(campaign)))
    assert "Aucun worker" not in page  # nothing waits: nothing to warn about
    post_invite(pilot, campaign, 12)
    page = text(pilot.get(page_url(campaign)))
    assert (f"Aucun worker n'a jamais donné signe de vie{NBSP}: 12{NBSP}courriels en attente ne partiront pas. "
            f"Sur le serveur, démarrez l'envoi avec la commande «{NBSP}bilan worker{NBSP}»") in page
    record_heartbeat("w1", now=timezone.now() - timedelta(seconds=170))
    assert "Aucun worker" not in text(pilot.get(page_url(campaign)))
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(seconds=200))
    assert "Aucun worker n'a donné signe de vie depuis le " in text(pilot.get(page_url(campaign)))


def test_send_due_run_by_cron_also_beats(campaign, settings, smtp):
    settings.SITE_URL = PUBLIC
    call_command("send_due", "--worker-id", "cron-a")
    assert WorkerHeartbeat.objects.get(worker_id="cron-a").command == "send-due"


# ----------------------------------------------------------------------------- the JSON endpoint

def test_the_status_json_is_for_the_campaigns_pilots_only(campaign, pilot):
    queue_invitations(campaign)
    OutgoingMail.objects.filter(recipient="rupn000@ac-poitiers.fr").update(status=MailStatus.SENT)
    OutgoingMail.objects.filter(recipient="rupn001@ac-poitiers.fr").update(status=MailStatus.BOUNCED)
    response = pilot.get(status_url(campaign))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["counts"]["invitation"] == {"queued": 10, "sending": 0, "sent": 1, "failed": 0, "bounced": 1,
                                            "cancelled": 0}
    assert data["counts"]["reminder"]["queued"] == 0
    assert data["summary"] == (f"Invitations{NBSP}: 10{NBSP}en attente, 1{NBSP}envoyée, 0{NBSP}en échec, "
                               f"1{NBSP}adresse refusée, 0{NBSP}annulée.")
    assert data["worker"]["fresh"] is False and data["warning"].startswith("Aucun worker")
    reader = client_for(member("lecteur", campaign.academie, Role.READER))
    outsider = client_for(member("autre", Academie.objects.create(code="limoges", name="Limoges"), Role.PILOT))
    for client in (reader, outsider):
        assert client.get(status_url(campaign)).status_code == 404
        assert client.get(page_url(campaign)).status_code == 404
        assert client.post(page_url(campaign), {"action": "invite", "expected": "12"}).status_code == 404
    assert Client().get(status_url(campaign)).status_code == 302
    assert pilot.post(status_url(campaign)).status_code == 405
    assert not campaign.invitations.exclude(outgoing_mails__isnull=False).exists()


# ----------------------------------------------------------------------------- relancer maintenant

def test_remind_now_reaches_non_respondents_only_and_a_double_submit_queues_once(db):
    campaign = make_campaign(build_roster(12), opens_at=timezone.now() - timedelta(days=8))
    client = client_for(member("pilote", campaign.academie, Role.PILOT))
    queue_invitations(campaign, campaign.opens_at)
    OutgoingMail.objects.update(status=MailStatus.SENT, sent_at=campaign.opens_at)
    answered = campaign.invitations.get(referent__email="rupn004@ac-poitiers.fr")
    answered.submitted_at = timezone.now()
    answered.save()
    page = text(client.get(page_url(campaign)))
    assert "11 personnes recevraient une relance maintenant" in page
    assert "Relancer maintenant (11)" in page
    for _ in range(2):
        response = client.post(page_url(campaign), {"action": "remind", "expected": "11"})
        assert response.status_code == 302 and response["Location"].endswith("#relancer")
    reminders = OutgoingMail.objects.filter(kind=MailKind.REMINDER)
    assert reminders.count() == 11
    assert not reminders.filter(invitation=answered).exists()
    assert "0 personne recevrait une relance maintenant" in text(client.get(page_url(campaign)))


def test_remind_now_respects_the_minimal_gap(campaign, pilot):
    queue_invitations(campaign)  # invited just now: too soon for a reminder (3 days by default)
    assert "0 personne recevrait une relance maintenant" in text(pilot.get(page_url(campaign)))
    pilot.post(page_url(campaign), {"action": "remind", "expected": "0"})
    assert not OutgoingMail.objects.filter(kind=MailKind.REMINDER).exists()


# ----------------------------------------------------------------------------- a real worker sends

# The worker closes its database connection between passes (close_old_connections): in a test
# wrapped in a transaction, that would end the test's own transaction on PostgreSQL.
@pytest.mark.django_db(transaction=True)
def test_the_worker_command_sends_what_the_page_queued_and_the_counts_move_to_sent(campaign, pilot, smtp, settings):
    settings.SITE_URL = PUBLIC
    assert post_invite(pilot, campaign, 12).status_code == 302
    before = json.loads(pilot.get(status_url(campaign)).content)
    assert before["counts"]["invitation"]["queued"] == 12 and before["warning"]
    run_worker_in_process(passes=1)
    after = json.loads(pilot.get(status_url(campaign)).content)
    assert after["counts"]["invitation"]["sent"] == 12 and after["counts"]["invitation"]["queued"] == 0
    assert after["worker"]["fresh"] is True and after["warning"] is None
    assert sorted(smtp.handler.recipients()) == [f"rupn{i:03d}@ac-poitiers.fr" for i in range(12)]
    assert all(f"{PUBLIC}/r/" in message.text for message in smtp.handler.received)
    beat = WorkerHeartbeat.objects.get(worker_id="worker-essai")
    assert (beat.command, beat.pid, beat.passes) == ("worker", os.getpid(), 1)
    assert "12 envoyées" in text(pilot.get(page_url(campaign))).replace(NBSP, " ")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_sends_the_queued_invitations_and_reports_its_heartbeat(smtp):
    campaign = make_campaign(build_roster(12))
    client = client_for(member("pilote", campaign.academie, Role.PILOT))
    assert post_invite(client, campaign, 12).status_code == 302
    worker = worker_process(smtp, passes=2)
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, (out, err)
    data = json.loads(client.get(status_url(campaign)).content)
    assert data["counts"]["invitation"]["sent"] == 12 and data["warning"] is None
    assert len(smtp.handler.received) == 12
    beat = WorkerHeartbeat.objects.get()
    assert beat.pid == worker.pid and beat.passes == 2


def worker_process(smtp, passes: int = 2) -> subprocess.Popen:
    """``bilan worker`` as its own process on the test database (PostgreSQL), sending to ``smtp``."""
    from .test_workers import process_env

    env = {**process_env(smtp), "SITE_URL": PUBLIC}
    return subprocess.Popen([BILAN, "worker", "--interval", "0.2", "--max-passes", str(passes)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_queued_invitations_of_the_page_survive_a_refused_recipient(campaign, pilot, smtp, settings):
    settings.SITE_URL = PUBLIC
    smtp.handler.refuse.add("rupn002@ac-poitiers.fr")
    post_invite(pilot, campaign, 12)
    send_due()
    data = json.loads(pilot.get(status_url(campaign)).content)
    assert data["counts"]["invitation"]["sent"] == 11 and data["counts"]["invitation"]["bounced"] == 1
    page = text(pilot.get(page_url(campaign)))
    assert "rupn002@ac-poitiers.fr" in page and "1 personne ne recevra rien" in page.replace(NBSP, " ")


# ----------------------------------------------------------------------------- in Chromium

@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_pilot_queues_the_invitations_and_watches_them_leave(live_server, new_page, assert_accessible,
                                                                smtp, settings):
    settings.SITE_URL = PUBLIC
    campaign = make_campaign(build_roster(12))
    user = member("pilote-navigateur", campaign.academie, Role.PILOT)
    session = client_for(user).cookies["sessionid"].value
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(live_server.url + page_url(campaign))
    assert "12 personnes recevront une invitation" in page.locator("#a-inviter").inner_text().replace(NBSP, " ")
    assert page.locator("#apercu-objet").inner_text().strip()
    assert f"{PUBLIC}/r/{PREVIEW_TOKEN}/" in page.locator("#apercu-texte").inner_text()
    html_preview = page.frame_locator("#apercu-html")
    assert html_preview.get_by_role("link").first.get_attribute("href") == f"{PUBLIC}/r/{PREVIEW_TOKEN}/"
    assert_accessible(page, "invitations, avant la mise en file")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.set_viewport_size({"width": 360, "height": 740})

    button = page.get_by_role("button", name="Mettre en file les invitations (12)")
    button.focus()
    page.keyboard.press("Enter")  # keyboard-usable
    page.get_by_text("12 invitations mises en file", exact=False).wait_for()
    assert OutgoingMail.objects.filter(status=MailStatus.QUEUED).count() == 12
    assert page.locator('[data-count="invitation:queued"]').inner_text() == "12"
    assert page.locator("#envoi-alerte").is_visible()  # no worker has reported yet
    assert "bilan worker" in page.locator("#envoi-alerte-texte").inner_text()
    assert page.get_by_role("button", name=re.compile("Mettre en file les invitations")).count() == 0
    assert_accessible(page, "invitations, en file")

    run_worker_in_process(passes=1)
    # The page was not reloaded: the script polls the JSON endpoint every 5 seconds.
    # A locator assertion, not wait_for_function: the Content-Security-Policy forbids its eval.
    from playwright.sync_api import expect

    expect(page.locator('[data-count="invitation:sent"]')).to_have_text("12", timeout=15_000)
    assert page.locator('[data-count="invitation:queued"]').inner_text() == "0"
    assert not page.locator("#envoi-alerte").is_visible()
    assert "12 envoyées" in page.locator("#envoi-resume").inner_text().replace(NBSP, " ")
    assert page.locator("#etat-envoi [aria-live=polite] #envoi-resume").count() == 1
    assert_accessible(page, "invitations, envoyées")
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    if os.environ.get("BILAN_SCREENSHOTS"):  # the pilot's guide's pictures (docs/guide-pilote.md)
        page.screenshot(path=str(Path(os.environ["BILAN_SCREENSHOTS"]) / "invitations.png"), full_page=True)
    assert len(smtp.handler.received) == 12
    assert not problems, problems
