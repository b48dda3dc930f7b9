"""A personal link is kept in clear only while its e-mail waits to leave (issue 13, finding 4).

The database stores the tokens hashed; the queued row's body is the only place the raw link
lives, until the message is sent (or given up): then the body is blanked. A message that waits
for a retry keeps its body, and the invitations page's counts do not depend on it.
"""

import re
from datetime import timedelta

from django.utils import timezone

from bilan.outreach.models import MailStatus, OutgoingMail
from bilan.outreach.services import campaign_mail_counts, purge_sent_mail_bodies, queue_invitations, send_due

LINK = re.compile(r"/r/([A-Za-z0-9_-]{32})/")


def _tokens_in_rows() -> set[str]:
    found = set()
    for row in OutgoingMail.objects.values("subject", "text_body", "html_body", "last_error"):
        found |= set(LINK.findall(" ".join(row.values())))
    return found


def test_after_sending_no_row_holds_a_token_and_the_counts_stay(small_campaign, smtp):
    smtp.handler.refuse = {"rupn003@ac-poitiers.fr"}  # bounced: given up, purged too
    queue_invitations(small_campaign)
    assert len(_tokens_in_rows()) == 12  # queued: the link must be there to be sent
    report = send_due()
    assert (report.sent, report.bounced) == (11, 1)
    received = {LINK.search(item.text).group(1) for item in smtp.handler.received}
    assert len(received) == 11  # the messages themselves carried their links
    assert _tokens_in_rows() == set()
    assert not OutgoingMail.objects.exclude(text_body="").exists()
    assert not OutgoingMail.objects.exclude(html_body="").exists()
    assert campaign_mail_counts(small_campaign)["invitation"] == {MailStatus.SENT: 11, MailStatus.BOUNCED: 1}


def test_a_message_waiting_for_a_retry_keeps_its_link_and_sends_it_later(small_campaign, smtp):
    smtp.handler.refuse_for_now = {"rupn005@ac-poitiers.fr"}
    queue_invitations(small_campaign)
    waiting = OutgoingMail.objects.get(recipient="rupn005@ac-poitiers.fr")
    token = LINK.search(waiting.text_body).group(1)
    send_due()
    waiting.refresh_from_db()
    assert waiting.status == MailStatus.QUEUED
    assert _tokens_in_rows() == {token}  # only the one still to send
    smtp.handler.refuse_for_now = set()
    assert send_due(timezone.now() + timedelta(days=1)).sent == 1
    (message,) = [item for item in smtp.handler.received if item.recipient == "rupn005@ac-poitiers.fr"]
    assert f"/r/{token}/" in message.text and f"/r/{token}/" in message.html
    assert _tokens_in_rows() == set()


def test_rows_sent_before_the_purge_existed_are_blanked_by_the_next_pass(small_campaign, smtp):
    queue_invitations(small_campaign)
    OutgoingMail.objects.filter(recipient="rupn000@ac-poitiers.fr").update(status=MailStatus.SENT,
                                                                         sent_at=timezone.now())
    assert purge_sent_mail_bodies() == 1
    assert purge_sent_mail_bodies() == 0
    assert len(_tokens_in_rows()) == 11
