"""Background jobs of this app, run by ``bilan worker`` (django-tasks, database backend)."""

from django_tasks import task


@task()
def render_report_job(job_id: str) -> str:
    """Build a report in PDF or ODT (bilan.reports.views): seconds of work a web process must not spend."""
    from bilan.core.jobs import run_job
    from bilan.reports.services import run_render_job

    return run_job(job_id, run_render_job)
