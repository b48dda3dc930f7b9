"""Background jobs run by ``bilan worker`` (django-tasks, database backend)."""

from django_tasks import task


@task()
def send_due_mail() -> dict:
    """Plan and send whatever is due now; enqueued by the pilot's « send now » actions."""
    from bilan.outreach.services import run_due_pass

    plan, sent = run_due_pass()
    return {"planned_reminders": plan.reminders, "planned_thanks": plan.thanks, "sent": sent.sent,
            "bounced": sent.bounced, "retried": sent.retried, "failed": sent.failed}
