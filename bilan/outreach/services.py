"""Campaign outreach: queue invitations, reminders and thanks as rows, then send them.

Every function takes an optional ``now`` so tests control time without sleeping.
Sending claims rows with a conditional UPDATE: two workers never send the same
row, and a row whose claim is older than the lease is claimed again, so a
worker killed at any point loses nothing (only the message in flight may go twice).
"""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from bilan.french import weekday_date
from bilan.outreach.models import MailKind, MailStatus, MailTemplate, OutgoingMail, ReminderPolicy
from bilan.outreach.rendering import DEFAULTS, MessageTemplate, render_message
from bilan.outreach.schedule import MAX_ATTEMPTS, current_step, reminder_steps, retry_delay, strata_priorities
from bilan.roster.models import Referent
from bilan.surveys.models import AccessToken, Campaign, CampaignState, Invitation, Response, ResponseStatus
from bilan.surveys.services import invite_roster, respondent_url
from bilan.surveys.tokens import hash_token, new_token

logger = logging.getLogger(__name__)

DEFAULT_LEASE = timedelta(minutes=5)
INVITATION_STEP = "invitation"
THANKS_STEP = "thanks"


# --- templates and policy -------------------------------------------------------------------

def template_for(campaign: Campaign, kind: str) -> MessageTemplate:
    """The campaign's wording for ``kind``, or the French default."""
    row = MailTemplate.objects.filter(campaign=campaign, kind=kind).first()
    if row is None:
        return DEFAULTS[kind]
    return MessageTemplate(subject=row.subject, text_body=row.text_body, html_body=row.html_body)


def policy_for(campaign: Campaign) -> ReminderPolicy:
    """The campaign's reminder policy; an unsaved default (7 and 14 days, 2 days before closing)."""
    try:
        return campaign.reminder_policy
    except ReminderPolicy.DoesNotExist:
        return ReminderPolicy(campaign=campaign, days_after_opening=[7, 14], days_before_closing=[2])


def message_context(campaign: Campaign, invitation: Invitation, link: str) -> dict[str, str]:
    closes_local = timezone.localtime(campaign.closes_at)
    # The last day to answer is the day before a midnight closing.
    last_day = (closes_local - timedelta(microseconds=1)).date()
    return {
        "prenom": invitation.referent.first_name,
        "nom": invitation.referent.last_name,
        "etablissement": invitation.school.name,
        "lien": link,
        "date_cloture": weekday_date(last_day),
        "campagne": campaign.title,
    }


def preview_message(campaign: Campaign, kind: str, template: MessageTemplate | None = None):
    """Render ``kind`` for the campaign's first invitation (or a sample person), with a dummy link."""
    from types import SimpleNamespace

    template = template or template_for(campaign, kind)
    invitation = campaign.invitations.select_related("referent", "school").order_by("pk").first()
    if invitation is None:
        invitation = SimpleNamespace(referent=SimpleNamespace(first_name="Camille", last_name="Martin"),
                                     school=SimpleNamespace(name="Collège Jean Moulin"))
    link = settings.SITE_URL + "/r/exemple-de-lien-personnel/"
    return render_message(template, message_context(campaign, invitation, link))


# --- queueing -----------------------------------------------------------------------------

def _submitted_q(prefix: str = "") -> Q:
    return (Q(**{f"{prefix}submitted_at__isnull": False})
            | Q(**{f"{prefix}response__status": ResponseStatus.SUBMITTED}))


def _queue(campaign: Campaign, invitations: list[Invitation], kind: str, step: str, now: datetime,
           priorities: dict[int, int] | None = None) -> int:
    """Create one rendered row per invitation with a fresh personal token (skips existing steps)."""
    already = set(OutgoingMail.objects.filter(invitation__in=invitations, step=step)
                  .values_list("invitation_id", flat=True))
    invitations = [inv for inv in invitations if inv.pk not in already]
    if not invitations:
        return 0
    template = template_for(campaign, kind)
    tokens, mails = [], []
    for invitation in invitations:
        raw = new_token()
        tokens.append(AccessToken(invitation=invitation, token_hash=hash_token(raw), created_at=now))
        rendered = render_message(template, message_context(campaign, invitation, respondent_url(raw)))
        mails.append(OutgoingMail(
            campaign=campaign, invitation=invitation, kind=kind, step=step,
            recipient=invitation.referent.email, subject=rendered.subject,
            text_body=rendered.text_body, html_body=rendered.html_body,
            priority=(priorities or {}).get(invitation.pk, 0), created_at=now, due_at=now,
        ))
    with transaction.atomic():
        AccessToken.objects.bulk_create(tokens, batch_size=1000)
        created = OutgoingMail.objects.bulk_create(mails, batch_size=1000, ignore_conflicts=True)
    return len(created)


def queue_invitations(campaign: Campaign, now: datetime | None = None) -> int:
    """Invite the roster (idempotent) and queue one invitation e-mail per invitation not yet mailed.

    Referents whose address was refused are left out: the pilot sees them on the board.
    """
    now = now or timezone.now()
    invite_roster(campaign, with_tokens=False)
    invitations = list(campaign.invitations.select_related("referent", "school")
                       .filter(referent__email_bad=False)
                       .exclude(outgoing_mails__step=INVITATION_STEP))
    return _queue(campaign, invitations, MailKind.INVITATION, INVITATION_STEP, now) + _requeue_corrected(campaign, now)


def _requeue_corrected(campaign: Campaign, now: datetime) -> int:
    """Invitations refused or failed before the pilot corrected the address: render and queue them again."""
    stale = list(OutgoingMail.objects.filter(campaign=campaign, step=INVITATION_STEP,
                                             status__in=[MailStatus.BOUNCED, MailStatus.FAILED],
                                             invitation__referent__email_bad=False)
                 .select_related("invitation__referent", "invitation__school"))
    template = template_for(campaign, MailKind.INVITATION)
    for mail in stale:
        raw = new_token()
        AccessToken.objects.create(invitation=mail.invitation, token_hash=hash_token(raw), created_at=now)
        rendered = render_message(template, message_context(campaign, mail.invitation, respondent_url(raw)))
        previous = f"renvoyé après correction ({mail.recipient} : {mail.last_error})"
        OutgoingMail.objects.filter(pk=mail.pk, status=mail.status).update(
            recipient=mail.invitation.referent.email, subject=rendered.subject, text_body=rendered.text_body,
            html_body=rendered.html_body, status=MailStatus.QUEUED, attempts=0, due_at=now, claimed_by="",
            last_error=previous[:500])
    return len(stale)


def _is_running(campaign: Campaign, now: datetime) -> bool:
    return campaign.state == CampaignState.OPEN and campaign.opens_at <= now < campaign.closes_at


def reminder_candidates(campaign: Campaign, step: str, now: datetime) -> list[Invitation]:
    """Invitations that may receive reminder ``step`` now, under the campaign's policy."""
    if not _is_running(campaign, now):
        return []
    policy = policy_for(campaign)
    stats = {
        row["invitation_id"]: row for row in
        OutgoingMail.objects.filter(campaign=campaign)
        .exclude(status__in=[MailStatus.CANCELLED, MailStatus.FAILED])
        .values("invitation_id")
        .annotate(reminders=Count("pk", filter=Q(kind=MailKind.REMINDER)),
                  has_step=Count("pk", filter=Q(step=step)),
                  last=Max(Coalesce("sent_at", "due_at")))
    }
    gap = timedelta(days=policy.min_gap_days)
    candidates = []
    for invitation in (campaign.invitations.select_related("referent", "school")
                       .filter(referent__email_bad=False).exclude(_submitted_q()).order_by("pk")):
        mailed = stats.get(invitation.pk)
        if mailed is None:
            continue  # never invited: a reminder is not an invitation
        if mailed["has_step"] or mailed["reminders"] >= policy.max_reminders or mailed["last"] > now - gap:
            continue
        candidates.append(invitation)
    return candidates


def _strata_priorities(campaign: Campaign, invitations: list[Invitation]) -> dict[int, int]:
    invited = Counter(campaign.invitations.values_list("school_type", "departement_code"))
    submitted = Counter(Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
                        .values_list("school_type", "departement_code"))
    ranks = strata_priorities(dict(invited), dict(submitted), policy_for(campaign).target_rate)
    return {inv.pk: ranks.get((inv.school_type, inv.departement_code), 0) for inv in invitations}


def _queue_reminders(campaign: Campaign, step: str, now: datetime) -> int:
    invitations = reminder_candidates(campaign, step, now)
    priorities = _strata_priorities(campaign, invitations) if policy_for(campaign).lagging_strata_first else None
    return _queue(campaign, invitations, MailKind.REMINDER, step, now, priorities)


def plan_reminders(campaign: Campaign, now: datetime | None = None) -> int:
    """Queue the current scheduled step's reminders (idempotent); returns how many were queued."""
    now = now or timezone.now()
    policy = policy_for(campaign)
    if not policy.enabled:
        return 0
    steps = reminder_steps(campaign.opens_at, campaign.closes_at,
                           policy.days_after_opening or [], policy.days_before_closing or [])
    step = current_step(steps, now, campaign.closes_at)
    if step is None:
        return 0
    return _queue_reminders(campaign, step.code, now)


def manual_step(now: datetime) -> str:
    # One manual step per day: a double click or a second pilot sends nothing more.
    return f"manuel-{timezone.localtime(now).date().isoformat()}"


def count_manual_reminders(campaign: Campaign, now: datetime | None = None) -> int:
    """How many people « send reminders now » would reach (shown before confirming)."""
    now = now or timezone.now()
    return len(reminder_candidates(campaign, manual_step(now), now))


def queue_manual_reminders(campaign: Campaign, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return _queue_reminders(campaign, manual_step(now), now)


def plan_thanks(campaign: Campaign, now: datetime | None = None) -> int:
    """Queue a thank-you for each submitted answer not yet thanked, while the campaign runs."""
    now = now or timezone.now()
    if not _is_running(campaign, now) or not policy_for(campaign).send_thanks:
        return 0
    if campaign.anonymous:
        # A thank-you sent minutes after an answer, beside the answer's day,
        # would narrow who answered what: anonymous campaigns send none.
        return 0
    invitations = list(campaign.invitations.select_related("referent", "school")
                       .filter(_submitted_q(), referent__email_bad=False)
                       .exclude(outgoing_mails__step=THANKS_STEP).distinct())
    return _queue(campaign, invitations, MailKind.THANKS, THANKS_STEP, now)


@dataclass
class PlanReport:
    reminders: int = 0
    thanks: int = 0


def plan_due(now: datetime | None = None) -> PlanReport:
    """The idempotent pass: queue every reminder and thank-you due now, for all running campaigns."""
    now = now or timezone.now()
    report = PlanReport()
    for campaign in Campaign.objects.filter(state=CampaignState.OPEN, opens_at__lte=now, closes_at__gt=now):
        report.reminders += plan_reminders(campaign, now)
        report.thanks += plan_thanks(campaign, now)
    return report


# --- sending ------------------------------------------------------------------------------

@dataclass
class SendReport:
    sent: int = 0
    bounced: int = 0
    failed: int = 0
    retried: int = 0
    cancelled: int = 0
    claimed: int = 0
    errors: list[str] = field(default_factory=list)


def _claimable(now: datetime, lease: timedelta) -> Q:
    return (Q(status=MailStatus.QUEUED, due_at__lte=now)
            | Q(status=MailStatus.SENDING, claimed_at__lt=now - lease))


def claim_batch(worker_id: str, size: int, now: datetime, lease: timedelta = DEFAULT_LEASE) -> list[OutgoingMail]:
    """Claim up to ``size`` due rows for this worker with one conditional UPDATE.

    The UPDATE re-checks the claimable condition row by row, so a row another
    worker claimed in the meantime is simply not updated (and not returned).
    """
    claim = f"{worker_id[:40]}:{uuid.uuid4().hex[:16]}"
    with transaction.atomic():
        candidates = OutgoingMail.objects.filter(_claimable(now, lease)).order_by("priority", "due_at", "pk")
        if db_connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("pk", flat=True)[:size])
        if not ids:
            return []
        OutgoingMail.objects.filter(_claimable(now, lease), pk__in=ids).update(
            status=MailStatus.SENDING, claimed_at=now, claimed_by=claim)
    return list(OutgoingMail.objects.filter(claimed_by=claim, status=MailStatus.SENDING)
                .select_related("invitation__referent", "campaign").order_by("priority", "due_at", "pk"))


def build_email(mail: OutgoingMail, connection=None) -> EmailMultiAlternatives:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.text_body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient], connection=connection,
        # A stable Message-ID: a message sent twice after a crash is the same message.
        headers={"Message-ID": f"<bilan-{mail.pk}.{mail.step}@{domain}>", "Auto-Submitted": "auto-generated"},
    )
    if mail.html_body:
        message.attach_alternative(mail.html_body, "text/html")
    return message


def _smtp_problem(error: BaseException, recipient: str) -> tuple[bool, str]:
    """(permanent?, French description) for an SMTP or network error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()), (0, b""))
        detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return 500 <= code < 600, f"destinataire {recipient} refusé : {code} {detail}"
    if isinstance(error, smtplib.SMTPResponseException):
        smtp_error = error.smtp_error
        detail = smtp_error.decode("utf-8", "replace") if isinstance(smtp_error, bytes) else str(smtp_error)
        return 500 <= error.smtp_code < 600, f"refus du serveur : {error.smtp_code} {detail}"
    return False, f"serveur de messagerie injoignable : {error.__class__.__name__} {error}"


def _is_recipient_refusal(error: BaseException) -> bool:
    return isinstance(error, smtplib.SMTPRecipientsRefused)


class _Throttle:
    """Keep at most ``rate`` messages per second (0: no limit)."""

    def __init__(self, rate: float, clock, sleep):
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self.next_at = None

    def wait(self):
        if not self.interval:
            return
        current = self.clock()
        if self.next_at is not None and current < self.next_at:
            self.sleep(self.next_at - current)
            current = self.next_at
        self.next_at = current + self.interval


def _cancel_reason(mail: OutgoingMail, submitted: set[int], now: datetime) -> str | None:
    if mail.kind == MailKind.REMINDER:
        if mail.invitation_id in submitted:
            return "réponse déjà envoyée"
        if now >= mail.campaign.closes_at or mail.campaign.state != CampaignState.OPEN:
            return "campagne close"
    referent = mail.invitation.referent
    if referent.email_bad and referent.email == mail.recipient.lower():
        return "adresse déjà refusée"
    return None


def send_due(now: datetime | None = None, *, worker_id: str | None = None, batch_size: int = 200,
             lease: timedelta = DEFAULT_LEASE, limit: int | None = None, connection=None,
             rate: float | None = None, sleep=time.sleep, clock=time.monotonic,
             parallel: int = 1, on_batch=None) -> SendReport:
    """Send every due row, batch by batch, over one SMTP connection per batch.

    ``now`` fixes the time (tests); otherwise the wall clock is read at each step.
    Temporary failures (4xx, server down) go back to the queue with a growing
    delay; permanent ones (5xx) are marked failed, or bounced with the referent's
    address marked bad when the recipient itself was refused.
    ``parallel`` > 1 runs that many SMTP connections at once (threads, each with
    its own claims and database connection); a kill may then repeat up to
    ``parallel`` messages in flight instead of one.
    ``on_batch`` (no argument) is called after each batch: the worker's heartbeat.
    """
    worker_id = worker_id or f"w-{uuid.uuid4().hex[:12]}"
    rate = settings.EMAIL_RATE_PER_SECOND if rate is None else rate
    if parallel > 1 and connection is None:
        return _send_in_parallel(parallel, now=now, worker_id=worker_id, batch_size=batch_size, lease=lease,
                                 limit=limit, rate=rate / parallel if rate else rate, on_batch=on_batch)
    clock_now = (lambda: now) if now is not None else timezone.now
    throttle = _Throttle(rate, clock, sleep)
    report = SendReport()
    _relax_commit_durability()
    purge_sent_mail_bodies()
    while limit is None or report.claimed < limit:
        size = batch_size if limit is None else min(batch_size, limit - report.claimed)
        batch = claim_batch(worker_id, size, clock_now(), lease)
        if not batch:
            break
        report.claimed += len(batch)
        _send_batch(batch, report, clock_now, throttle, connection)
        if on_batch is not None:
            on_batch()
    return report


def _send_in_parallel(parallel: int, *, worker_id: str, limit: int | None, **options) -> SendReport:
    import threading

    from django.db import connections

    reports: list[SendReport] = []
    share = None if limit is None else max(1, limit // parallel)

    def run(index: int) -> None:
        try:
            reports.append(send_due(worker_id=f"{worker_id[:36]}-{index}", limit=share, **options))
        finally:
            connections.close_all()  # this thread's own database connection

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = SendReport()
    for report in reports:
        for name in ("sent", "bounced", "failed", "retried", "cancelled", "claimed"):
            setattr(total, name, getattr(total, name) + getattr(report, name))
        total.errors += report.errors
    return total


def _relax_commit_durability() -> None:
    """On PostgreSQL, do not wait for the WAL flush at each row's commit (3x faster sending).

    Only a crash of the database server itself (not of the worker) could lose
    the last fraction of a second of status updates, whose messages would then
    go a second time: the same trade as a worker killed mid-send.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


# Once a message has left (or will never leave), its body, the only place its personal link
# exists in clear, is blanked: the row keeps who, what, when and why for the counts and the board.
SETTLED = (MailStatus.SENT, MailStatus.BOUNCED, MailStatus.FAILED, MailStatus.CANCELLED)


def _finish(mail: OutgoingMail, **changes) -> None:
    # Only the claim holder may settle the row: if our lease ran out and another
    # worker took the row over, this update does nothing.
    if changes.get("status") in SETTLED:
        changes.update(text_body="", html_body="")
    OutgoingMail.objects.filter(pk=mail.pk, claimed_by=mail.claimed_by, status=MailStatus.SENDING).update(**changes)


def purge_sent_mail_bodies() -> int:
    """Blank the bodies of settled rows that still have one (rows settled before bodies were purged)."""
    return (OutgoingMail.objects.filter(status__in=SETTLED).exclude(text_body="", html_body="")
            .update(text_body="", html_body=""))


def _retry(mail: OutgoingMail, now: datetime, reason: str, report: SendReport) -> None:
    attempts = mail.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _finish(mail, status=MailStatus.FAILED, attempts=attempts, last_error=reason[:500])
        report.failed += 1
        return
    _finish(mail, status=MailStatus.QUEUED, attempts=attempts, due_at=now + retry_delay(attempts),
            last_error=reason[:500], claimed_by="")
    report.retried += 1


def _send_batch(batch: list[OutgoingMail], report: SendReport, clock_now, throttle: _Throttle, connection) -> None:
    submitted = set(Invitation.objects.filter(_submitted_q(), pk__in=[m.invitation_id for m in batch
                                                                     if m.kind == MailKind.REMINDER])
                    .values_list("pk", flat=True))
    smtp = connection or get_connection(fail_silently=False)
    opened = False
    pending = list(batch)
    try:
        while pending:
            mail = pending.pop(0)
            reason = _cancel_reason(mail, submitted, clock_now())
            if reason:
                _finish(mail, status=MailStatus.CANCELLED, last_error=reason)
                report.cancelled += 1
                continue
            if not opened:
                try:
                    smtp.open()
                    opened = True
                except (OSError, smtplib.SMTPException) as error:
                    # Nobody can be reached: every row of the batch waits and retries.
                    _permanent, text = _smtp_problem(error, mail.recipient)
                    report.errors.append(text)
                    for waiting in [mail, *pending]:
                        _retry(waiting, clock_now(), text, report)
                    return
            throttle.wait()
            try:
                smtp.send_messages([build_email(mail, smtp)])
            except (OSError, smtplib.SMTPException) as error:
                permanent, text = _smtp_problem(error, mail.recipient)
                report.errors.append(text)
                if permanent and _is_recipient_refusal(error):
                    _finish(mail, status=MailStatus.BOUNCED, attempts=mail.attempts + 1, last_error=text[:500])
                    Referent.objects.filter(pk=mail.invitation.referent_id).update(
                        email_bad=True, email_bad_reason=text[:300])
                    report.bounced += 1
                elif permanent:
                    _finish(mail, status=MailStatus.FAILED, attempts=mail.attempts + 1, last_error=text[:500])
                    report.failed += 1
                else:
                    _retry(mail, clock_now(), text, report)
                if not _is_recipient_refusal(error) or not permanent:
                    # After a 421 or a network error smtplib has dropped the connection.
                    _close_quietly(smtp)
                    opened = False
                continue
            # last_error stays: a message sent after retries keeps why it was delayed.
            _finish(mail, status=MailStatus.SENT, sent_at=clock_now(), attempts=F("attempts") + 1)
            report.sent += 1
    finally:
        if opened:
            _close_quietly(smtp)


def _close_quietly(smtp) -> None:
    try:
        smtp.close()
    except (OSError, smtplib.SMTPException):
        smtp.connection = None


def run_due_pass(now: datetime | None = None, **send_options) -> tuple[PlanReport, SendReport]:
    """Plan what is due, then send it: the whole job of ``bilan send-due``."""
    return plan_due(now), send_due(now, **send_options)


def campaign_mail_counts(campaign: Campaign) -> dict[str, dict[str, int]]:
    """{kind: {status: count}} for the campaign's outgoing mail."""
    counts: dict[str, dict[str, int]] = {}
    for row in OutgoingMail.objects.filter(campaign=campaign).values("kind", "status").annotate(n=Count("pk")):
        counts.setdefault(row["kind"], {})[row["status"]] = row["n"]
    return counts



# --- the invitations page: what queueing will do, the worker's heartbeat, the counts ---------------

QUEUE_RULE = ("Les invitations se mettent en file pour une campagne ouverte et pas encore close\u00a0: "
              "avant l'ouverture, la campagne n'accepte pas de réponse\u00a0; après la clôture, "
              "plus personne ne peut répondre.")


class InvitationsRefused(Exception):
    """Why the invitations cannot be queued now (a French sentence for the page)."""


def invitations_blocker(campaign: Campaign, now: datetime | None = None) -> str | None:
    """Why queueing the invitations is refused now, or None (the campaign must be open and not closed)."""
    now = now or timezone.now()
    if campaign.state != CampaignState.OPEN:
        return (f"La campagne est «\u00a0{campaign.get_state_display()}\u00a0»\u00a0: "
                "les invitations ne se mettent en file que lorsqu'elle est ouverte.")
    if now >= campaign.closes_at:
        return "La date de clôture de la campagne est passée\u00a0: plus personne ne peut répondre."
    return None


@dataclass
class PlannedPerson:
    first_name: str
    last_name: str
    email: str
    school: str
    reason: str = ""


@dataclass
class InvitationPlan:
    """What « Mettre en file les invitations » would do now (nothing is written to compute it)."""

    new: int = 0          # referents of the roster not invited yet, with a usable address
    not_mailed: int = 0   # invited already, never mailed (e.g. invited by a command without e-mail)
    corrected: int = 0    # refused or failed before, address corrected since: mailed again
    already: int = 0      # invitation e-mails already queued or sent
    refused: list[PlannedPerson] = field(default_factory=list)  # left out: address refused
    sample: object | None = None  # (referent, school) of the first person to be mailed, for the preview

    @property
    def to_queue(self) -> int:
        return self.new + self.not_mailed + self.corrected


def invitation_plan(campaign: Campaign) -> InvitationPlan:
    """Count, without writing anything, what :func:`queue_invitations` would queue now."""
    from types import SimpleNamespace

    from bilan.surveys.services import primary_mandates

    plan = InvitationPlan()
    mandates = primary_mandates(campaign.school_year, campaign.academie_id)
    invited = set(campaign.invitations.values_list("referent_id", flat=True))
    referents = Referent.objects.in_bulk([rid for rid in mandates if rid not in invited])
    for referent_id, mandate in sorted(mandates.items(), key=lambda item: item[0]):
        referent = referents.get(referent_id)
        if referent is None:
            continue
        if referent.email_bad:
            plan.refused.append(PlannedPerson(referent.first_name, referent.last_name, referent.email,
                                              mandate.school.name, referent.email_bad_reason))
            continue
        plan.new += 1
        if plan.sample is None:
            plan.sample = SimpleNamespace(referent=referent, school=mandate.school)
    waiting = (campaign.invitations.select_related("referent", "school")
               .exclude(outgoing_mails__step=INVITATION_STEP).order_by("pk"))
    for invitation in waiting:
        if invitation.referent.email_bad:
            continue
        plan.not_mailed += 1
        if plan.sample is None:
            plan.sample = invitation
    mailed = OutgoingMail.objects.filter(campaign=campaign, step=INVITATION_STEP)
    plan.corrected = mailed.filter(status__in=[MailStatus.BOUNCED, MailStatus.FAILED],
                                   invitation__referent__email_bad=False).count()
    plan.already = mailed.count() - plan.corrected
    # Everyone of the campaign whose address is refused, mailed or not: nobody reaches them until it is corrected.
    for invitation in (campaign.invitations.select_related("referent", "school")
                       .filter(referent__email_bad=True).order_by("referent__last_name", "pk")):
        referent = invitation.referent
        plan.refused.append(PlannedPerson(referent.first_name, referent.last_name, referent.email,
                                          invitation.school.name, referent.email_bad_reason))
    if plan.sample is None:
        plan.sample = campaign.invitations.select_related("referent", "school").order_by("pk").first()
    return plan


PREVIEW_TOKEN = "lien-personnel-exemple"  # noqa: S105  an example shown, not a secret


def invitation_preview(campaign: Campaign, plan: InvitationPlan | None = None):
    """The invitation e-mail as the first person to be invited will receive it.

    Only the personal link's secret part is an example (each person's is drawn when
    queued); the address before it is the site's real one (``SITE_URL``).
    """
    from types import SimpleNamespace

    from bilan.surveys.services import respondent_url

    plan = plan or invitation_plan(campaign)
    person = plan.sample or SimpleNamespace(referent=SimpleNamespace(first_name="Camille", last_name="Martin"),
                                            school=SimpleNamespace(name="Collège Jean Moulin"))
    template = template_for(campaign, MailKind.INVITATION)
    return render_message(template, message_context(campaign, person, respondent_url(PREVIEW_TOKEN)))


def queue_announced_invitations(campaign: Campaign, announced: int, now: datetime | None = None) -> int:
    """The page's button: queue the invitations if the count is still the one the pilot saw.

    Runs with the campaign row locked (PostgreSQL; SQLite's IMMEDIATE transactions
    serialise writers), so a double submit queues once: the second finds nothing new
    and returns 0. Raises :class:`InvitationsRefused` when the campaign does not
    allow it or the roster changed since the page was shown.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        problem = invitations_blocker(locked, now)
        if problem:
            raise InvitationsRefused(problem)
        planned = invitation_plan(locked).to_queue
        if planned == 0:
            return 0
        if planned != announced:
            raise InvitationsRefused(
                f"Le nombre d'invitations a changé depuis l'affichage de la page ({announced} annoncées, "
                f"{planned} maintenant)\u00a0: vérifiez le nouveau nombre, puis confirmez à nouveau.")
        return queue_invitations(locked, now)


def host_name() -> str:
    import socket

    return socket.gethostname()[:255]


def record_heartbeat(worker_id: str, command: str = "worker", *, new_pass: bool = True,
                     now: datetime | None = None) -> None:
    """A sending process says it is alive (at each pass, and after each batch it sends)."""
    import os

    from bilan.outreach.models import WorkerHeartbeat

    now = now or timezone.now()
    worker_id = worker_id[:64]
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        last_seen=now, passes=F("passes") + (1 if new_pass else 0))
    if updated:
        return
    WorkerHeartbeat.objects.get_or_create(worker_id=worker_id, defaults={
        "command": command[:20], "host": host_name(), "pid": os.getpid(), "started_at": now, "last_seen": now,
        "passes": 1 if new_pass else 0})
    # One row per process started: forget those silent for a week.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - timedelta(days=7)).delete()


@dataclass
class WorkerState:
    fresh: bool
    last: object | None  # the most recent WorkerHeartbeat, or None if no process ever reported
    stale_after: int     # seconds


def worker_state(now: datetime | None = None) -> WorkerState:
    """Whether a sending process reported within ``BILAN_WORKER_STALE_SECONDS`` (exactly that old: still alive)."""
    from bilan.outreach.models import WorkerHeartbeat

    now = now or timezone.now()
    limit = settings.BILAN_WORKER_STALE_SECONDS
    last = WorkerHeartbeat.objects.order_by("-last_seen").first()
    fresh = last is not None and now - last.last_seen <= timedelta(seconds=limit)
    return WorkerState(fresh=fresh, last=last, stale_after=limit)


STATUS_ORDER = [MailStatus.QUEUED, MailStatus.SENDING, MailStatus.SENT, MailStatus.FAILED,
                MailStatus.BOUNCED, MailStatus.CANCELLED]
WORKER_COMMAND = "bilan worker"


def sending_status(campaign: Campaign, now: datetime | None = None) -> dict:
    """The counts and the worker's state, as the page shows them and its JSON endpoint returns them."""
    from bilan.french import fr_datetime, plural

    now = now or timezone.now()
    counts = campaign_mail_counts(campaign)
    table = {kind: {status: counts.get(kind, {}).get(status, 0) for status in STATUS_ORDER}
             for kind in MailKind.values}
    waiting = sum(table[kind][MailStatus.QUEUED] + table[kind][MailStatus.SENDING] for kind in table)
    worker = worker_state(now)
    invitations = table[MailKind.INVITATION]
    queued = invitations[MailStatus.QUEUED] + invitations[MailStatus.SENDING]
    summary = "Invitations\u00a0: " + ", ".join([
        plural(queued, "en attente", "en attente"), plural(invitations[MailStatus.SENT], "envoyée"),
        plural(invitations[MailStatus.FAILED], "en échec", "en échec"),
        plural(invitations[MailStatus.BOUNCED], "adresse refusée", "adresses refusées"),
        plural(invitations[MailStatus.CANCELLED], "annulée")]) + "."
    warning = None
    if waiting and not worker.fresh:
        if worker.last is None:
            since = "Aucun worker n'a jamais donné signe de vie"
        else:
            since = (f"Aucun worker n'a donné signe de vie depuis le "
                     f"{fr_datetime(timezone.localtime(worker.last.last_seen))}")
        warning = (f"{since}\u00a0: {plural(waiting, 'courriel en attente', 'courriels en attente')} "
                   f"ne {'partiront' if waiting > 1 else 'partira'} pas. "
                   f"Sur le serveur, démarrez l'envoi avec la commande «\u00a0{WORKER_COMMAND}\u00a0».")
    return {
        "counts": {kind: {str(status): n for status, n in row.items()} for kind, row in table.items()},
        "waiting": waiting,
        "summary": summary,
        "worker": {"fresh": worker.fresh, "stale_after": worker.stale_after,
                   "last_seen": worker.last.last_seen.isoformat() if worker.last else None},
        "warning": warning,
        "command": WORKER_COMMAND,
    }
