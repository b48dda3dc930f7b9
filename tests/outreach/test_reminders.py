"""Reminder policy with controlled time: right days, right people, never twice, never after closing."""

from datetime import timedelta

from bilan.outreach.models import MailKind, MailStatus, OutgoingMail, ReminderPolicy
from bilan.outreach.services import (
    claim_batch,
    count_manual_reminders,
    plan_due,
    plan_reminders,
    queue_invitations,
    queue_manual_reminders,
    send_due,
)
from bilan.surveys.models import Response, ResponseStatus


def answer(invitation, day):
    invitation.submitted_at = day
    invitation.save(update_fields=["submitted_at"])
    Response.objects.create(campaign=invitation.campaign, invitation=invitation, school_type=invitation.school_type,
                            departement_code=invitation.departement_code, status=ResponseStatus.SUBMITTED,
                            submitted_on=day.date())


def reminded(step):
    return set(OutgoingMail.objects.filter(kind=MailKind.REMINDER, step=step).values_list("recipient", flat=True))


def test_the_schedule_sends_on_the_right_days_and_not_after_closing(small_campaign, smtp):
    campaign = small_campaign
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    day = lambda n: opening + timedelta(days=n)  # noqa: E731
    assert plan_reminders(campaign, day(6)) == 0
    assert plan_reminders(campaign, day(7)) == 12
    assert plan_reminders(campaign, day(7) + timedelta(hours=3)) == 0  # same step: nobody twice
    assert send_due(day(7)).sent == 12
    assert plan_reminders(campaign, day(13)) == 0
    assert plan_reminders(campaign, day(14)) == 12
    send_due(day(14))
    assert plan_reminders(campaign, day(27)) == 0
    assert plan_reminders(campaign, day(28)) == 12  # two days before a 30-day campaign closes
    send_due(day(28))
    assert plan_reminders(campaign, day(30)) == 0
    assert plan_reminders(campaign, day(45)) == 0
    steps = OutgoingMail.objects.filter(kind=MailKind.REMINDER).values_list("step", flat=True)
    assert sorted(set(steps)) == ["j+14", "j+7", "j-2"]
    assert smtp.handler.recipients().count("rupn000@ac-poitiers.fr") == 4  # invitation + 3 reminders


def test_reminders_go_only_to_those_who_have_not_answered(small_campaign, smtp):
    campaign = small_campaign
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    invitations = list(campaign.invitations.select_related("referent").order_by("pk"))
    for invitation in invitations[:5]:
        answer(invitation, opening + timedelta(days=2))
    smtp.handler.received.clear()
    plan_due(opening + timedelta(days=7))
    report = send_due(opening + timedelta(days=7))
    expected = {inv.referent.email for inv in invitations[5:]}
    reminders = [r for r in smtp.handler.received if r.subject.startswith("Rappel")]
    assert {r.recipient for r in reminders} == expected
    assert report.sent == 7 + 5  # seven reminders, five thank-yous
    thanks = {r.recipient for r in smtp.handler.received if r.subject.startswith("Merci")}
    assert thanks == {inv.referent.email for inv in invitations[:5]}


def test_a_reminder_queued_before_an_answer_is_cancelled_not_sent(small_campaign, smtp):
    campaign = small_campaign
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    plan_reminders(campaign, opening + timedelta(days=7))
    late = campaign.invitations.order_by("pk").first()
    answer(late, opening + timedelta(days=7, hours=1))
    smtp.handler.received.clear()
    report = send_due(opening + timedelta(days=7, hours=2))
    assert report.cancelled == 1 and report.sent == 11
    assert late.referent.email not in smtp.handler.recipients()
    assert OutgoingMail.objects.get(invitation=late, step="j+7").status == MailStatus.CANCELLED


def test_a_reminder_still_queued_at_closing_is_not_sent(small_campaign, smtp):
    campaign = small_campaign
    queue_invitations(campaign, campaign.opens_at)
    send_due(campaign.opens_at)
    plan_reminders(campaign, campaign.closes_at - timedelta(days=2))
    smtp.handler.received.clear()
    report = send_due(campaign.closes_at + timedelta(minutes=1))
    assert report.cancelled == 12 and smtp.handler.received == []


def test_the_maximum_count_and_the_minimum_gap_are_respected(small_campaign):
    campaign = small_campaign
    ReminderPolicy.objects.create(campaign=campaign, days_after_opening=[3, 4, 10, 20], days_before_closing=[],
                                  max_reminders=2, min_gap_days=3)
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    assert plan_reminders(campaign, opening + timedelta(days=3)) == 12
    send_due(opening + timedelta(days=3))
    assert plan_reminders(campaign, opening + timedelta(days=4)) == 0  # one day after the last: too close
    assert plan_reminders(campaign, opening + timedelta(days=10)) == 12
    send_due(opening + timedelta(days=10))
    assert plan_reminders(campaign, opening + timedelta(days=20)) == 0  # two reminders already


def test_a_worker_stopped_for_weeks_sends_only_the_latest_step(small_campaign):
    campaign = small_campaign
    queue_invitations(campaign, campaign.opens_at)
    send_due(campaign.opens_at)
    assert plan_reminders(campaign, campaign.opens_at + timedelta(days=20)) == 12
    assert set(OutgoingMail.objects.filter(kind=MailKind.REMINDER).values_list("step", flat=True)) == {"j+14"}


def test_send_reminders_now_shows_the_count_and_sends_once_a_day(small_campaign):
    campaign = small_campaign
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    answer(campaign.invitations.order_by("pk").first(), opening + timedelta(days=1))
    now = opening + timedelta(days=5)
    assert count_manual_reminders(campaign, now) == 11
    assert queue_manual_reminders(campaign, now) == 11
    assert count_manual_reminders(campaign, now) == 0
    assert queue_manual_reminders(campaign, now + timedelta(minutes=1)) == 0


def test_lagging_strata_are_reminded_first(small_campaign):
    campaign = small_campaign
    ReminderPolicy.objects.create(campaign=campaign, days_after_opening=[7], days_before_closing=[],
                                  lagging_strata_first=True, target_rate=0.5)
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    send_due(opening)
    unanswered = {"rupn000@ac-poitiers.fr", "rupn004@ac-poitiers.fr",  # colleges of Charente: 0 of 2
                  "rupn008@ac-poitiers.fr",  # the EREA of Charente: 0 of 1
                  "rupn001@ac-poitiers.fr"}  # colleges of Charente-Maritime: 1 of 2, on target
    for invitation in campaign.invitations.select_related("referent"):
        if invitation.referent.email not in unanswered:
            answer(invitation, opening + timedelta(days=1))
    assert plan_reminders(campaign, opening + timedelta(days=7)) == 4
    priority = dict(OutgoingMail.objects.filter(kind=MailKind.REMINDER).values_list("recipient", "priority"))
    assert priority == {"rupn000@ac-poitiers.fr": 0, "rupn004@ac-poitiers.fr": 0,
                        "rupn008@ac-poitiers.fr": 1, "rupn001@ac-poitiers.fr": 2}
    first = claim_batch("w", 2, opening + timedelta(days=7))
    assert {mail.recipient for mail in first} == {"rupn000@ac-poitiers.fr", "rupn004@ac-poitiers.fr"}


def test_an_anonymous_campaign_sends_no_thank_you(small_campaign, smtp):
    campaign = small_campaign
    campaign.anonymous = True
    campaign.save()
    opening = campaign.opens_at
    queue_invitations(campaign, opening)
    invitation = campaign.invitations.order_by("pk").first()
    invitation.submitted_at = opening
    invitation.save(update_fields=["submitted_at"])
    report = plan_due(opening + timedelta(days=1))
    assert report.thanks == 0
    assert not OutgoingMail.objects.filter(kind=MailKind.THANKS).exists()
