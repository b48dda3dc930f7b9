"""Two web processes and two workers on one PostgreSQL database, one worker killed in the middle.

Real processes only: two ``bilan serve`` (gunicorn) on two loopback ports and two ``bilan worker``
on the test database, a real SMTP server on loopback (tests/smtp.py). Half of the roster was
invited a week ago (their reminder is due), the other half's invitations are queued now. While
the workers send invitations, reminders and thank-you notes, referents answer the whole
questionnaire through the pages (tests/walker.py: GET, fill, POST with the CSRF token), from the
links of the e-mails, spread over both web processes; one worker is killed (SIGKILL) with a batch
in hand, and started again. Then: every answer acknowledged by its receipt is stored exactly once,
every mail row is sent, and each message reached the SMTP server once — at most one twice, the one
in flight in the killed worker's claim (docs/outreach.md, « Jamais deux fois, rien de perdu »).
"""

from __future__ import annotations

import os
import random
import re
import secrets
import signal
import subprocess
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.outreach.services import queue_invitations
from bilan.surveys.models import Response, ResponseStatus
from tests.outreach.conftest import build_roster, make_campaign
from tests.outreach.test_workers import BILAN, process_env, wait_until
from tests.smtp import free_port
from tests.walker import Browser, WalkError, answer_questionnaire

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REFERENTS = 60  # the first half invited a week ago, the second half now
ANSWERING_EARLY = 10  # of the first half, from last week's e-mail
ANSWERING_NEW = 6  # of the second half, from this run's invitation
LINK = re.compile(r"/r/([A-Za-z0-9_-]+)/")
MESSAGE_ROW = re.compile(r"<bilan-(\d+)\.")
# A public address in plain http: the pages answer on loopback without HTTPS redirects.
SITE_URL = "http://bilan.example.org"


def start_web(env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([BILAN, "serve", "--bind", f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"bilan serve stopped:\n{process.stderr.read()}")
        try:
            Browser(url, timeout=30).request("GET", "/connexion/")
        except WalkError:
            return False
        return True

    if not wait_until(answers, seconds=90):
        stop(process, group=True)
        raise AssertionError(f"bilan serve did not answer on {url}")
    return process, url


def start_worker(env: dict, name: str, *options: str) -> subprocess.Popen:
    return subprocess.Popen([BILAN, "worker", "--interval", "0.2", "--batch-size", "4", "--worker-id", name,
                             *options], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen, group: bool = False) -> str:
    if process.poll() is None:
        if group:
            os.killpg(process.pid, signal.SIGTERM)  # gunicorn's arbiter and its workers
        else:
            process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)
    return err or ""


def mail_row(message_id: str) -> int:
    return int(MESSAGE_ROW.search(message_id).group(1))


def test_two_web_and_two_worker_processes_store_every_answer_once_and_send_every_mail_once(smtp):
    started = timezone.now()
    campaign = make_campaign(build_roster(REFERENTS), opens_at=started - timedelta(days=8))
    assert queue_invitations(campaign, campaign.opens_at) == REFERENTS
    invitations = list(OutgoingMail.objects.filter(kind=MailKind.INVITATION).order_by("pk"))
    last_week, this_week = invitations[:REFERENTS // 2], invitations[REFERENTS // 2:]
    # Last week's half went out at the opening (their first reminder, at 7 days, is due); the other half
    # was only queued now.
    OutgoingMail.objects.filter(pk__in=[m.pk for m in last_week]).update(
        status=MailStatus.SENT, sent_at=campaign.opens_at)
    OutgoingMail.objects.filter(pk__in=[m.pk for m in this_week]).update(created_at=started, due_at=started)
    early_links = [LINK.search(mail.text_body).group(1) for mail in last_week[:ANSWERING_EARLY]]
    this_week_recipients = {mail.recipient for mail in this_week}

    env = {**process_env(smtp), "SITE_URL": SITE_URL, "SECRET_KEY": secrets.token_urlsafe(60), "DEBUG": "false",
           # Slow enough that the killed worker has a claim in hand, fast enough for a short test.
           "EMAIL_RATE_PER_SECOND": "8"}
    web: list[tuple[subprocess.Popen, str]] = []
    workers: dict[str, subprocess.Popen] = {}
    acknowledged: list[tuple[str, str]] = []  # (token, web process)
    failures: list[str] = []
    lock = threading.Lock()

    def answer(tokens: list[str], first: int) -> None:
        rng = random.Random(first)
        for number, token in enumerate(tokens):
            url = web[(first + number) % 2][1]  # every other questionnaire on the other process
            browser = Browser(url, timeout=60)
            try:
                walk = answer_questionnaire(browser, token, rng)
            except WalkError as error:
                with lock:
                    failures.append(str(error))
            else:
                with lock:
                    acknowledged.append((walk.token, url))
            finally:
                browser.close()

    def new_links() -> list[str]:
        received = [item for item in smtp.handler.received if item.recipient in this_week_recipients]
        return [LINK.search(item.text).group(1) for item in received[:ANSWERING_NEW]]

    try:
        web += [start_web(env) for _ in range(2)]
        workers.update({name: start_worker(env, name) for name in ("worker-a", "worker-b")})
        respondents = [threading.Thread(target=answer, args=(early_links[n::2], n)) for n in range(2)]
        for thread in respondents:
            thread.start()
        # The first worker is killed once mail is flowing, with a batch in hand (4 rows claimed, sent at
        # 8 a second: half a second in hand).
        in_hand = OutgoingMail.objects.filter(status=MailStatus.SENDING, claimed_by__startswith="worker-a:")
        assert wait_until(lambda: len(smtp.handler.received) >= 8 and in_hand.exists(), seconds=60), "no mail went out"
        workers["worker-a"].send_signal(signal.SIGKILL)
        workers["worker-a"].wait(timeout=30)
        killed_claim = set(in_hand.values_list("pk", flat=True))
        killed_at = len(smtp.handler.received)
        # Restarted at once; it takes over the killed claim when its (short) lease is over.
        workers["worker-a"] = start_worker(env, "worker-a", "--lease", "5")
        assert wait_until(lambda: len(new_links()) >= ANSWERING_NEW, seconds=60), "this week's invitations not sent"
        late = [threading.Thread(target=answer, args=(new_links()[n::2], n)) for n in range(2)]
        for thread in late:
            thread.start()
        for thread in respondents + late:
            thread.join(timeout=120)
        answered = len(acknowledged)

        def settled() -> bool:
            # Every answer thanked, nothing waiting or in a claim.
            return (OutgoingMail.objects.filter(kind=MailKind.THANKS).count() >= answered
                    and not OutgoingMail.objects.filter(status__in=[MailStatus.QUEUED, MailStatus.SENDING]).exists())

        assert wait_until(settled, seconds=60), Counter(OutgoingMail.objects.values_list("kind", "status"))
    finally:
        errors = [stop(process) for process in workers.values()]
        errors += [stop(process, group=True) for process, _ in web]

    assert failures == [], failures
    assert len(acknowledged) == ANSWERING_EARLY + ANSWERING_NEW
    assert {url for _, url in acknowledged} == {url for _, url in web}, "answers reached both web processes"
    # Every acknowledged answer stored once, and nothing else.
    submitted = Counter(Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
                        .values_list("invitation_id", flat=True))
    assert len(submitted) == len(acknowledged) and set(submitted.values()) == {1}
    assert Response.objects.filter(campaign=campaign).count() == len(acknowledged)
    assert campaign.invitations.filter(submitted_at__isnull=False).count() == len(acknowledged)

    # Every mail row sent (reminders of those who answered meanwhile may be cancelled), once each.
    rows = {mail.pk: mail for mail in OutgoingMail.objects.filter(created_at__gte=started)
            | OutgoingMail.objects.filter(pk__in=[m.pk for m in this_week])}
    statuses = Counter((mail.kind, mail.status) for mail in rows.values())
    assert statuses[(MailKind.INVITATION, MailStatus.SENT)] == len(this_week)
    assert statuses[(MailKind.THANKS, MailStatus.SENT)] == len(acknowledged)
    assert statuses[(MailKind.REMINDER, MailStatus.SENT)] >= len(last_week) - ANSWERING_EARLY, statuses
    assert set(statuses) <= {(MailKind.INVITATION, MailStatus.SENT), (MailKind.THANKS, MailStatus.SENT),
                             (MailKind.REMINDER, MailStatus.SENT), (MailKind.REMINDER, MailStatus.CANCELLED)}
    received = Counter(mail_row(item.message_id) for item in smtp.handler.received)
    sent = {pk for pk, mail in rows.items() if mail.status == MailStatus.SENT}
    assert set(received) == sent, "every sent row reached the SMTP server, and nothing else did"
    twice = [pk for pk, count in received.items() if count > 1]
    assert len(twice) <= 1 and max(received.values()) <= 2, (twice, killed_at)
    assert set(twice) <= killed_claim, "only a row of the killed claim may have left twice"
    assert killed_claim and killed_claim <= sent, "the killed claim was taken over and sent"
    print(f"{len(acknowledged)} réponses, {sum(received.values())} courriels reçus ({dict(statuses)}), "
          f"tué avec {len(killed_claim)} en main après {killed_at} envois, en double : {twice}")
    # The processes themselves reported no error.
    assert not [err for err in errors if "Traceback" in err], errors
