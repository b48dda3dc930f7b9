"""Retention (issue 13, « Retention and purge »): each kind goes one second past its period, not before.

For each kind, two rows: one whose reference instant (the campaign's closing, the row's
creation, the token's expiry…) is exactly ``LIMIT``, one a second earlier. A purge at
``LIMIT + period`` removes (or unlinks) the earlier one only, and nothing of another kind;
a purge one second later removes the other. ``now`` is passed explicitly: the clock is moved.
"""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.core.management import call_command

from bilan.api.models import ApiToken
from bilan.audit.models import AuditEntry
from bilan.audit.services import record
from bilan.core.jobs import create_job
from bilan.core.models import BackgroundJob
from bilan.outreach.models import MailKind, MailStatus, OutgoingMail
from bilan.retention.models import PurgeRun
from bilan.retention.policy import KINDS, cutoffs, purge_due
from bilan.retention.services import purge, purge_if_due, retention_days
from bilan.roster.models import Referent, RosterUpload
from bilan.surveys.models import AccessToken, Invitation, Response, ResponseStatus
from tests.outreach.conftest import build_roster, make_campaign

pytestmark = pytest.mark.django_db

LIMIT = datetime(2024, 7, 1, 0, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)
_serial = iter(range(1, 10_000))


def _invitation(academie, closes_at, anonymous=False):
    n = next(_serial)
    campaign = make_campaign(academie, slug=f"c-{n}", opens_at=closes_at - timedelta(days=30), anonymous=anonymous)
    referent = Referent.objects.order_by("pk")[n % 4]
    mandate = referent.mandates.select_related("school").first()
    return Invitation.objects.create(campaign=campaign, referent=referent, school=mandate.school,
                                     school_type=mandate.school.type,
                                     departement_code=mandate.school.departement.code)


def _draft(academie, at):
    named = _invitation(academie, at)
    Response.objects.create(campaign=named.campaign, invitation=named, school_type="college", departement_code="86",
                            answers={"Q": "a"}, status=ResponseStatus.DRAFT)
    anonymous = _invitation(academie, at, anonymous=True)
    anonymous.draft_answers, anonymous.draft_section = {"Q": "b"}, "info"
    anonymous.save()


def _link(academie, at):
    AccessToken.objects.create(invitation=_invitation(academie, at), token_hash=f"{next(_serial):064d}")


def _mail(academie, at):
    invitation = _invitation(academie, at + timedelta(days=60))
    OutgoingMail.objects.create(campaign=invitation.campaign, invitation=invitation, kind=MailKind.INVITATION,
                                step="invitation", recipient="a@b.fr", subject="Bilan", text_body="",
                                status=MailStatus.SENT, created_at=at, sent_at=at)


def _named_answer(academie, at):
    invitation = _invitation(academie, at)
    Response.objects.create(campaign=invitation.campaign, invitation=invitation, school_type="lycee",
                            departement_code="17", answers={"Q": "c"}, status=ResponseStatus.SUBMITTED)


def _roster_upload(academie, at):
    user = get_user_model().objects.get_or_create(username="pilote")[0]
    upload = RosterUpload.objects.create(academie=academie, user=user, filename="r.csv", data=b"x",
                                         school_year="2024-2025")
    RosterUpload.objects.filter(pk=upload.pk).update(created_at=at)


def _job(academie, at):
    job = create_job(academie=academie, user=None, kind="test", title="Import")
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=at)


def _login_logs(academie, at):
    for model, extra in ((AccessAttempt, {"failures_since_start": 1}), (AccessLog, {}), (AccessFailureLog, {})):
        row = model.objects.create(username="pilote", ip_address="192.0.2.1", user_agent=f"test {at}",
                                   http_accept="*/*", path_info="/connexion/", **extra)
        model.objects.filter(pk=row.pk).update(attempt_time=at)


def _api_tokens(academie, at):
    user = get_user_model().objects.get_or_create(username="outil")[0]
    for expires_at, revoked_at in ((at, None), (at + timedelta(days=900), at)):
        ApiToken.objects.create(user=user, label="outil", token_hash=f"{next(_serial):064d}", prefix="bilan_",
                                created_at=at - timedelta(days=90), expires_at=expires_at, revoked_at=revoked_at)


def _audit(academie, at):
    entry = record(None, "export", academie=academie, target="réponses")
    AuditEntry.objects.filter(pk=entry.pk).update(when=at)


# kind: (builder, rows of the kind per instant)
MAKERS = {
    "drafts": (_draft, 2), "links": (_link, 1), "mails": (_mail, 1), "named_answers": (_named_answer, 1),
    "roster_uploads": (_roster_upload, 1), "jobs": (_job, 1), "login_logs": (_login_logs, 3),
    "api_tokens": (_api_tokens, 2), "audit": (_audit, 1),
}


def test_every_kind_is_tested():
    assert set(MAKERS) == {kind.code for kind in KINDS}


def _left(code) -> int:
    """What the kind still holds, as the purge sees it."""
    return {
        "drafts": Response.objects.filter(status=ResponseStatus.DRAFT).count()
        + Invitation.objects.exclude(draft_answers={}).count(),
        "links": AccessToken.objects.count(),
        "mails": OutgoingMail.objects.count(),
        "named_answers": Response.objects.filter(invitation__isnull=False, status=ResponseStatus.SUBMITTED).count(),
        "roster_uploads": RosterUpload.objects.count(),
        "jobs": BackgroundJob.objects.count(),
        "login_logs": AccessAttempt.objects.count() + AccessLog.objects.count() + AccessFailureLog.objects.count(),
        "api_tokens": ApiToken.objects.count(),
        "audit": AuditEntry.objects.count(),
    }[code]


@pytest.mark.parametrize("code", list(MAKERS))
def test_a_purge_removes_exactly_what_is_one_second_past_its_period(code):
    academie = build_roster(4)
    make, per_instant = MAKERS[code]
    make(academie, LIMIT)
    make(academie, LIMIT - SECOND)
    days = retention_days()[code]
    assert _left(code) == 2 * per_instant

    report = purge(now=LIMIT + timedelta(days=days))
    assert report.counts == {k.code: (per_instant if k.code == code else 0) for k in KINDS}
    assert _left(code) == per_instant, "the row exactly at the limit must stay"

    again = purge(now=LIMIT + timedelta(days=days) + SECOND)
    assert again.counts[code] == per_instant and again.total == per_instant
    assert _left(code) == 0


def test_unlinked_named_answers_keep_their_figures_and_strata():
    academie = build_roster(4)
    _named_answer(academie, LIMIT - SECOND)
    purge(now=LIMIT + timedelta(days=retention_days()["named_answers"]))
    response = Response.objects.get()
    assert response.invitation is None
    assert (response.answers, response.school_type, response.departement_code) == ({"Q": "c"}, "lycee", "17")
    assert response.status == ResponseStatus.SUBMITTED


def test_a_dry_run_counts_and_removes_nothing():
    academie = build_roster(4)
    for make, _ in MAKERS.values():
        make(academie, LIMIT - SECOND)
    before = {code: _left(code) for code in MAKERS}
    report = purge(now=LIMIT + timedelta(days=5000), dry_run=True)
    assert report.counts == {code: per for code, (_, per) in MAKERS.items()}
    assert {code: _left(code) for code in MAKERS} == before
    assert not PurgeRun.objects.exists()


def test_the_periods_come_from_the_settings(settings):
    settings.BILAN_RETENTION_DRAFTS_DAYS = 7
    assert retention_days()["drafts"] == 7
    assert cutoffs(LIMIT, retention_days())["drafts"] == LIMIT - timedelta(days=7)


def test_the_purge_is_due_once_a_day():
    assert purge_due(None, LIMIT)
    assert not purge_due(LIMIT, LIMIT + timedelta(days=1) - SECOND)
    assert purge_due(LIMIT, LIMIT + timedelta(days=1))
    assert purge_if_due(now=LIMIT) is not None
    assert purge_if_due(now=LIMIT + timedelta(hours=23)) is None
    assert purge_if_due(now=LIMIT + timedelta(days=1)) is not None
    assert PurgeRun.objects.count() == 2


# ----------------------------------------------------------------------------- the command, the worker

def test_bilan_purge_dry_run_on_the_demo_lists_what_it_would_remove(demo_db):
    before = (Response.objects.filter(invitation__isnull=False).count(), AccessToken.objects.count(),
              OutgoingMail.objects.count(), Invitation.objects.exclude(draft_answers={}).count())
    out = StringIO()
    call_command("purge", "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.startswith("Purge à blanc\u00a0: rien n'est supprimé.")
    for kind in KINDS:
        assert f"– {kind.label}\u00a0: " in text
    assert "Total\u00a0: 0" not in text, "the demo's oldest campaign closed more than three years ago"
    after = (Response.objects.filter(invitation__isnull=False).count(), AccessToken.objects.count(),
             OutgoingMail.objects.count(), Invitation.objects.exclude(draft_answers={}).count())
    assert after == before
    assert not PurgeRun.objects.exists()


# The worker closes its database connection between passes: on PostgreSQL that would end a test's
# own transaction, so this test commits for real.
@pytest.mark.django_db(transaction=True)
def test_the_worker_purges_at_most_once_a_day(transactional_db, settings):
    import signal

    settings.SITE_URL = "https://bilan.ac-poitiers.fr"  # the worker refuses to start on a local address

    def run_worker():
        saved = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
        try:
            call_command("worker", "--max-passes", "3", "--interval", "0", "--worker-id", "essai",
                         stdout=StringIO())
        finally:
            signal.signal(signal.SIGINT, saved[0])
            signal.signal(signal.SIGTERM, saved[1])

    run_worker()
    assert PurgeRun.objects.count() == 1, "three passes, one purge"
    run_worker()
    assert PurgeRun.objects.count() == 1, "less than a day later, no second purge"
    PurgeRun.objects.update(ran_at=PurgeRun.objects.get().ran_at - timedelta(hours=23))
    run_worker()
    assert PurgeRun.objects.count() == 1
    PurgeRun.objects.update(ran_at=PurgeRun.objects.get().ran_at - timedelta(hours=1))
    run_worker()
    assert PurgeRun.objects.count() == 2, "a day after the last purge, the worker runs it again"
