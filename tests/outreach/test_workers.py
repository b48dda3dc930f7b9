"""Real worker processes on the same PostgreSQL database: no e-mail twice, none lost."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.outreach.services import plan_reminders, queue_invitations

from .conftest import build_roster, make_campaign

BILAN = str(Path(sys.executable).with_name("bilan"))
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def process_env(smtp) -> dict:
    settings = connection.settings_dict
    url = (f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
           f"{settings['PORT'] or 5432}/{settings['NAME']}")
    return {**os.environ, "DATABASE_URL": url, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp.port),
            "EMAIL_RATE_PER_SECOND": "0", "DJANGO_SETTINGS_MODULE": "bilan.settings",
            # The worker refuses to start without a public address when DEBUG is off.
            "SITE_URL": "https://bilan.example.org"}


def wait_until(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)  # polling real processes, not simulating time
    return False


def test_two_workers_started_together_send_each_of_1000_reminders_exactly_once(smtp):
    campaign = make_campaign(build_roster(1000), opens_at=timezone.now() - timedelta(days=8))
    queue_invitations(campaign, campaign.opens_at)
    OutgoingMail.objects.update(status=MailStatus.SENT, sent_at=campaign.opens_at)
    assert plan_reminders(campaign) == 1000
    env = process_env(smtp)
    # Machine B also runs three SMTP connections at once: threads claim like processes do.
    commands = [[BILAN, "send-due", "--no-plan", "--batch-size", "25", "--worker-id", "machine-a"],
                [BILAN, "send-due", "--no-plan", "--batch-size", "25", "--worker-id", "machine-b", "--parallel", "3"]]
    workers = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for command in commands]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    counts = Counter(smtp.handler.recipients())
    assert len(counts) == 1000
    assert set(counts.values()) == {1}
    assert OutgoingMail.objects.filter(kind=MailKind.REMINDER, status=MailStatus.SENT).count() == 1000
    print("machine-a puis machine-b :", [out.strip() for out, _err in outputs])


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_at_most_one_twice(smtp):
    campaign = make_campaign(build_roster(1000))
    assert queue_invitations(campaign) == 1000
    env = process_env(smtp)
    worker = subprocess.Popen([BILAN, "worker", "--interval", "0.2", "--batch-size", "500"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        # Killed in the middle of its first batch of 500.
        assert wait_until(lambda: len(smtp.handler.received) >= 200), worker.stderr
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    assert len(smtp.handler.received) < 1000, "the worker finished before it was killed"
    assert OutgoingMail.objects.filter(status=MailStatus.SENDING).exists()
    # Restarted later: once the lease is over (0 s here), the interrupted batch is taken over.
    rerun = subprocess.run([BILAN, "send-due", "--lease", "0"], env=env, capture_output=True, text=True,
                           timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    counts = Counter(smtp.handler.recipients())
    assert len(counts) == 1000
    assert sum(1 for n in counts.values() if n > 1) <= 1 and max(counts.values()) <= 2
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 1000
