"""Background jobs of this app, run by ``bilan worker`` (django-tasks, database backend)."""

from django_tasks import task


@task()
def import_answers_job(job_id: str) -> str:
    """Import the answers file a pilot confirmed on the import page (bilan.surveys.views_imports)."""
    from bilan.core.jobs import run_job
    from bilan.surveys.imports import run_answers_import_job

    return run_job(job_id, run_answers_import_job)
