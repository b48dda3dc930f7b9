"""The commands: bilan invite, bilan send-due (once, for cron) and bilan worker (loop with background jobs)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.outreach.tasks import send_due_mail


@pytest.fixture(autouse=True)
def public_site_url(settings):
    # These commands refuse a local SITE_URL when DEBUG is off (tests/test_site_url.py).
    settings.SITE_URL = "https://bilan.example.org"


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_invite_queues_one_invitation_per_referent_then_nothing(small_campaign):
    assert "12 invitation(s) mise(s) en file" in run("invite", small_campaign.slug)
    assert "0 invitation(s)" in run("invite", small_campaign.slug)
    assert OutgoingMail.objects.filter(kind=MailKind.INVITATION, status=MailStatus.QUEUED).count() == 12


def test_invite_names_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="campagne « 1999-2000 » introuvable"):
        run("invite", "1999-2000")


def test_send_due_plans_and_sends_once_and_does_nothing_the_second_time(small_campaign, smtp):
    run("invite", small_campaign.slug)
    assert "Envoyés : 12" in run("send_due")
    day_7 = (small_campaign.opens_at + timedelta(days=7)).isoformat()
    output = run("send_due", now=day_7)
    assert "Mis en file : 12 relance(s)" in output and "Envoyés : 12" in output
    assert "Mis en file : 0 relance(s)" in run("send_due", now=day_7)
    assert len(smtp.handler.received) == 24


def test_send_due_rejects_a_date_without_time_zone(db):
    with pytest.raises(CommandError, match="--now"):
        run("send_due", now="2024-05-02T08:00")


# The worker closes stale connections between passes, as a real process must:
# that needs committed data, not the test's enclosing transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_what_is_due_and_runs_background_jobs(small_campaign, smtp):
    run("invite", small_campaign.slug)
    job = send_due_mail.enqueue()
    output = run("worker", max_passes=1, interval=0)
    assert "envoyés 12" in output
    assert len(smtp.handler.received) == 12
    assert DBTaskResult.objects.get(pk=job.id).status == "SUCCESSFUL"
