"""The page of one background job (bilan.core.jobs): its progress while the worker runs it, then
what it did or why it stopped, and the file it made. For its académie's pilots and for whoever
started it (a reader asking for a report in PDF); everyone else gets the 404."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from bilan.core.models import BackgroundJob, JobStatus, Role
from bilan.core.permissions import has_role
from bilan.french import french_spacing


def _job_for(request, job_id) -> BackgroundJob:
    """The job, for the pilots of its académie and for whoever started it while they keep a role there."""
    job = BackgroundJob.objects.filter(pk=job_id).select_related("academie", "created_by").defer(
        "payload", "output").first()
    if job is None:
        raise Http404
    own = job.created_by_id is not None and job.created_by_id == request.user.pk
    if not (has_role(request.user, job.academie_id, Role.PILOT) or (own and has_role(request.user, job.academie_id))):
        raise Http404
    return job


def job_state(job: BackgroundJob, now=None) -> dict:
    """What the page and its JSON say about the job now, in French."""
    now = now or timezone.now()
    percent = round(100 * job.done / job.total) if job.total else None
    if job.status == JobStatus.QUEUED:
        waiting = now - job.created_at
        summary = "En attente : le travail commencera dès que le processus de fond sera libre."
        warning = ("Le processus de fond (bilan worker) ne l'a pas encore pris après "
                   f"{int(waiting.total_seconds() // 60)} min : prévenez l'administrateur du serveur."
                   if waiting > timedelta(seconds=settings.BILAN_WORKER_STALE_SECONDS) else "")
    elif job.status == JobStatus.RUNNING:
        count = f" : {job.done} sur {job.total}" if job.total else ""
        summary = f"En cours — {job.stage}{count}."
        warning = ""
    elif job.status == JobStatus.DONE:
        summary, warning = "Terminé.", ""
    else:
        summary, warning = "Arrêté : rien n'a été enregistré.", ""
    return {"status": job.status, "finished": job.finished, "stage": job.stage, "done": job.done,
            "total": job.total, "percent": percent, "summary": french_spacing(summary),
            "warning": french_spacing(warning)}


@require_safe
def job_page(request, job):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, job)
    return render(request, "core/job.html", {"job": job, "state": job_state(job),
                                             "result": job.result, "params": job.params})


@require_safe
def job_status(request, job):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return JsonResponse(job_state(_job_for(request, job)))


@require_safe
def job_download(request, job):
    """The file the job made, once it is done."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    job = _job_for(request, job)
    content = BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.DONE).values_list("output", flat=True).first()
    if content is None:
        raise Http404
    response = HttpResponse(bytes(content), content_type=job.output_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response
