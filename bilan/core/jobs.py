"""Background jobs a pilot starts from a page: create, run in the worker, follow.

A page creates a :class:`~bilan.core.models.BackgroundJob` with :func:`create_job`,
enqueues the app's own task (django-tasks, run by ``bilan worker``) with the job's
id, and redirects to the job's page. The task calls :func:`run_job`, which marks
the job running, hands the work a :class:`Progress` to report its steps, and
records the result or a French error; the uploaded file is dropped either way.

Progress is written with plain UPDATEs between steps of work that holds no
transaction open: an import prepares (reads, checks, converts) first, reporting
as it goes, and writes its rows in one transaction at the end, so that nothing is
half-saved and every progress write is visible to the pilot at once.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import timezone

from bilan.core.models import BackgroundJob, JobStatus
from bilan.french import french_spacing

logger = logging.getLogger(__name__)


class JobFailed(Exception):
    """The work cannot be done; ``message`` (French) and ``problems`` are shown to the pilot."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class JobTimeLimit(JobFailed):
    pass


class Progress:
    """What a job reports while it runs: a stage in French and a count done out of a total.

    Writes at most every ``interval`` seconds (and at each new stage), and stops the
    work with :class:`JobTimeLimit` once ``limit`` seconds have passed since it started.
    """

    def __init__(self, job: BackgroundJob, *, limit: float, interval: float = 0.5,
                 clock: Callable[[], float] = time.monotonic):
        self.job_id = job.pk
        self.limit = limit
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.last_write = float("-inf")
        self.stage = ""

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        now = self.clock()
        if now - self.started > self.limit:
            minutes = max(1, round(self.limit / 60))
            raise JobTimeLimit(french_spacing(
                f"le travail a dépassé sa durée maximale ({minutes} min) à l'étape « {stage} » ; "
                "rien n'a été enregistré. Découpez le fichier ou lancez l'import en ligne de commande "
                "(bilan import answers)."))
        if stage == self.stage and now - self.last_write < self.interval and done < total:
            return
        self.stage, self.last_write = stage, now
        BackgroundJob.objects.filter(pk=self.job_id).update(stage=stage[:200], done=done, total=total)


def create_job(*, academie, user, kind: str, title: str, params: dict[str, Any] | None = None,
               payload: bytes | None = None) -> BackgroundJob:
    return BackgroundJob.objects.create(
        academie=academie, created_by=user if getattr(user, "is_authenticated", False) else None, kind=kind,
        title=title[:300], params=params or {}, payload=payload, stage="En attente du processus de fond")


def save_output(job: BackgroundJob, filename: str, mimetype: str, content: bytes) -> None:
    """Keep the file the job made, for its page's download link (``core:job_download``)."""
    BackgroundJob.objects.filter(pk=job.pk).update(output=content, output_name=filename[:200],
                                                   output_type=mimetype[:100])


def run_job(job_id, work: Callable[[BackgroundJob, Progress], dict[str, Any]], *,
            limit: float | None = None) -> str:
    """Run ``work(job, progress)`` for the queued job ``job_id``; returns the job's final status.

    A job already taken (another worker, a second delivery of the task) is left alone.
    """
    taken = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), stage="Démarrage")
    if not taken:
        return BackgroundJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = BackgroundJob.objects.get(pk=job_id)
    progress = Progress(job, limit=limit if limit is not None else settings.BILAN_JOB_TIME_LIMIT)
    fields: dict[str, Any] = {"payload": None}
    try:
        result = work(job, progress)
    except JobFailed as failure:
        fields.update(status=JobStatus.FAILED, error=french_spacing(failure.message),
                      problems=[french_spacing(p) for p in failure.problems[:50]], stage="")
    except Exception:  # the pilot gets a plain message; the details go to the server's log
        logger.exception("travail de fond %s en échec", job_id)
        fields.update(status=JobStatus.FAILED, stage="", error=french_spacing(
            "Une erreur inattendue a arrêté le travail ; rien n'a été enregistré. "
            "L'administrateur en trouvera le détail dans le journal du serveur."))
    else:
        total = BackgroundJob.objects.filter(pk=job_id).values_list("total", flat=True).first() or 0
        fields.update(status=JobStatus.DONE, result=result or {}, stage="Terminé", done=total)
    fields["finished_at"] = timezone.now()
    BackgroundJob.objects.filter(pk=job_id).update(**fields)
    return fields["status"]
