"""Sending through a real SMTP server on loopback (aiosmtpd)."""

import re
from datetime import timedelta

from django.utils import timezone

from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.outreach.services import claim_batch, queue_invitations, send_due
from bilan.roster.models import Referent
from bilan.surveys.models import AccessToken
from bilan.surveys.tokens import hash_token

LINK = re.compile(r"https?://[^/\s]+(/r/([A-Za-z0-9_-]{32})/)")


def test_invitations_for_the_446_referents_are_received_with_working_links(campaign, smtp, client):
    assert queue_invitations(campaign) == 446
    report = send_due()
    assert report.sent == 446
    received = smtp.handler.received
    assert sorted(item.recipient for item in received) == sorted(
        Referent.objects.values_list("email", flat=True))
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 446
    by_recipient = {item.recipient: item for item in received}
    for email in ["rupn000@ac-poitiers.fr", "rupn445@ac-poitiers.fr"]:
        message = by_recipient[email]
        path, token = LINK.search(message.text).groups()
        assert f'href="{LINK.search(message.html).group(0)}"' in message.html
        invitation = AccessToken.objects.get(token_hash=hash_token(token)).invitation
        assert invitation.referent.email == email
        page = client.get(path)
        assert page.status_code == 200
        assert "Nom" in message.text and invitation.school.name in message.text
    invitation.refresh_from_db()
    assert invitation.opened_at is not None


def test_queueing_invitations_twice_queues_nothing_more(campaign):
    assert queue_invitations(campaign) == 446
    assert queue_invitations(campaign) == 0
    assert OutgoingMail.objects.filter(kind=MailKind.INVITATION).count() == 446


def test_the_raw_token_is_only_inside_the_rendered_message(small_campaign):
    queue_invitations(small_campaign)
    mail = OutgoingMail.objects.first()
    token = LINK.search(mail.text_body).group(2)
    assert not AccessToken.objects.filter(token_hash=token).exists()
    assert AccessToken.objects.filter(token_hash=hash_token(token), invitation=mail.invitation).exists()


def test_a_refused_recipient_is_marked_bad_and_the_others_still_go(small_campaign, smtp):
    smtp.handler.refuse = {"rupn003@ac-poitiers.fr"}
    queue_invitations(small_campaign)
    report = send_due()
    assert (report.sent, report.bounced) == (11, 1)
    referent = Referent.objects.get(email="rupn003@ac-poitiers.fr")
    assert referent.email_bad
    assert "550" in referent.email_bad_reason
    mail = OutgoingMail.objects.get(recipient="rupn003@ac-poitiers.fr")
    assert mail.status == MailStatus.BOUNCED
    assert len(smtp.handler.received) == 11


def test_an_invitation_refused_goes_again_once_the_pilot_corrects_the_address(small_campaign, smtp):
    smtp.handler.refuse = {"rupn003@ac-poitiers.fr"}
    queue_invitations(small_campaign)
    send_due()
    assert queue_invitations(small_campaign) == 0  # still marked bad: nothing to resend
    referent = Referent.objects.get(email="rupn003@ac-poitiers.fr")
    referent.email, referent.email_bad, referent.email_bad_reason = "camille.rupn003@ac-poitiers.fr", False, ""
    referent.save()
    assert queue_invitations(small_campaign) == 1
    assert send_due().sent == 1
    mail = OutgoingMail.objects.get(invitation__referent=referent)
    assert mail.status == MailStatus.SENT and mail.recipient == "camille.rupn003@ac-poitiers.fr"
    assert mail.last_error.startswith("renvoyé après correction (rupn003@ac-poitiers.fr : destinataire")
    assert smtp.handler.recipients().count("camille.rupn003@ac-poitiers.fr") == 1


def test_a_server_that_is_down_delays_and_retries_and_loses_nothing(small_campaign, smtp):
    queue_invitations(small_campaign)
    smtp.stop()
    now = timezone.now()
    report = send_due(now)
    assert report.sent == 0 and report.retried == 12
    assert OutgoingMail.objects.filter(status=MailStatus.QUEUED, attempts=1).count() == 12
    assert "injoignable" in OutgoingMail.objects.first().last_error
    # Not yet due: the retry waits.
    assert send_due(now + timedelta(seconds=30)).claimed == 0
    smtp.start()
    report = send_due(now + timedelta(minutes=2))
    assert report.sent == 12
    assert sorted(smtp.handler.recipients()) == sorted(Referent.objects.values_list("email", flat=True))


def test_a_temporary_refusal_is_retried_later(small_campaign, smtp):
    smtp.handler.refuse_for_now = {"rupn005@ac-poitiers.fr"}
    queue_invitations(small_campaign)
    now = timezone.now()
    report = send_due(now)
    assert (report.sent, report.retried) == (11, 1)
    mail = OutgoingMail.objects.get(recipient="rupn005@ac-poitiers.fr")
    assert mail.status == MailStatus.QUEUED and mail.due_at > now and "421" in mail.last_error
    assert not Referent.objects.get(email="rupn005@ac-poitiers.fr").email_bad
    smtp.handler.refuse_for_now = set()
    assert send_due(now + timedelta(hours=1)).sent == 1
    assert smtp.handler.recipients().count("rupn005@ac-poitiers.fr") == 1


def test_a_claimed_row_is_not_claimed_again_until_its_lease_ends(small_campaign):
    queue_invitations(small_campaign)
    now = timezone.now()
    first = claim_batch("a", 5, now)
    second = claim_batch("b", 100, now)
    assert len(first) == 5 and len(second) == 7
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert claim_batch("c", 100, now + timedelta(minutes=4)) == []
    # The worker holding them died: after the lease, another takes them over.
    taken_over = claim_batch("c", 100, now + timedelta(minutes=6))
    assert len(taken_over) == 12


def test_the_rate_limit_spaces_messages(small_campaign, smtp):
    queue_invitations(small_campaign)
    moments = [100.0]
    waits = []

    def sleep(seconds):
        waits.append(seconds)
        moments[0] += seconds

    report = send_due(rate=4, clock=lambda: moments[0], sleep=sleep)
    assert report.sent == 12
    assert len(waits) == 11
    assert all(abs(wait - 0.25) < 1e-9 for wait in waits)


def test_one_smtp_connection_is_reused_per_batch(small_campaign, smtp):
    from django.core.mail import get_connection

    class CountingBackend(get_connection().__class__):
        opened = 0

        def open(self):
            if self.connection is None:
                CountingBackend.opened += 1
            return super().open()

    queue_invitations(small_campaign)
    send_due(batch_size=5, connection=CountingBackend(fail_silently=False))
    assert CountingBackend.opened == 3
    assert len(smtp.handler.received) == 12
