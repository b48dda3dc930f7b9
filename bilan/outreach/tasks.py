"""Background jobs run by ``bilan worker`` (django-tasks, database backend)."""

from django_tasks import task


def task_runner(worker_id: str):
    """django-tasks' database worker, set to run every queued job of every queue once per ``run()``:
    the loop of ``bilan worker`` and the demo's thread (bilan.demo) both drive one."""
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                  max_tasks=None, worker_id=worker_id, excluded_queue_names=[])


@task()
def send_due_mail() -> dict:
    """Plan and send whatever is due now; enqueued by the pilot's « send now » actions."""
    from bilan.outreach.services import run_due_pass

    plan, sent = run_due_pass()
    return {"planned_reminders": plan.reminders, "planned_thanks": plan.thanks, "sent": sent.sent,
            "bounced": sent.bounced, "retried": sent.retried, "failed": sent.failed}
