"""The pilot's page to import past answers: upload, check the column mapping, confirm.

The uploaded file waits in the session between the two steps (up to 5 Mo,
``bilan.surveys.forms.MAX_UPLOAD``; larger files go through ``bilan import
answers``). A file of more than ``BILAN_IMPORT_BACKGROUND_ROWS`` rows is imported by
the worker (:mod:`bilan.core.jobs`) while its page follows the progress.

Each step is a form (``bilan.surveys.forms``); the columns the pilot
assigns go through :func:`bilan.surveys.imports.apply_column_choices`, as the
command's do.
"""

import base64

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from bilan.audit.services import record
from bilan.core.jobs import create_job
from bilan.core.models import Role
from bilan.french import french_spacing
from bilan.interop.answers_formats import FORMAT_NAMES_FR, META, InteropError
from bilan.interop.mapping import preview
from bilan.surveys.access import staff_campaign_view
from bilan.surveys.forms import ColumnsForm, ImportStepForm, UploadAnswersForm
from bilan.surveys.imports import (
    ANSWERS_IMPORT_JOB,
    answers_import_params,
    apply_column_choices,
    import_answers,
    plan_answers_import,
)
from bilan.surveys.tasks import import_answers_job

PREVIEW_VALUES = 3


def _session_key(campaign) -> str:
    return f"bilan-import-{campaign.slug}"


def _preview_context(campaign, plan, form):
    """The confirmation step: each column with its first values, the mapping's problems, and
    ``form``'s field for the columns the pilot may assign."""
    schema = campaign.questionnaire.schema
    shown = preview(schema, plan.parsed, plan.mapping, limit=0)
    statuses = {c["index"]: c["status"] for c in shown["columns"]}
    strata = {getattr(plan.strata, name).index: label for name, label in
              (("uai", "UAI (strate)"), ("school_type", "type d'établissement (strate)"),
               ("departement", "département (strate)")) if getattr(plan.strata, name) is not None}
    rows = []
    for column in plan.parsed.columns:
        if column.kind == META and column.index not in strata:
            continue
        match = plan.mapping.matches.get(column.index)
        selected = "" if match is None else (f"{match.question}/{match.part}" if match.part else match.question)
        values = [row.value(column) for row in plan.parsed.rows if row.value(column).strip()][:PREVIEW_VALUES]
        rows.append({"index": column.index, "heading": column.heading, "selected": selected,
                     "status": strata.get(column.index) or statuses.get(column.index, ""),
                     "stratum": column.index in strata, "values": values,
                     "unmatched": column.index in plan.mapping.unmatched, "field": form.field_of(column.index)})
    return {"columns": rows, "columns_form": form, "problems": shown["problems"][:50],
            "problem_count": len(shown["problems"]), "notes": [french_spacing(n) for n in shown["notes"]],
            "row_count": len(plan.parsed.rows), "format_name": FORMAT_NAMES_FR[plan.file_format]}


def _plan(campaign, stored):
    return plan_answers_import(campaign, base64.b64decode(stored["data"]), stored["filename"], stored["format"])


@staff_campaign_view(Role.PILOT, methods=("GET", "HEAD", "POST"))
def import_answers_view(request, campaign):
    key = _session_key(campaign)
    has_imported = campaign.responses.filter(invitation__isnull=True).exists()
    context = {"campaign": campaign, "has_imported": has_imported, "upload_form": UploadAnswersForm(campaign)}
    if request.method != "POST":
        return render(request, "surveys/import_answers.html", context)
    chooser = ImportStepForm(request.POST)
    step = chooser.cleaned_data["step"] if chooser.is_valid() else None
    refused = chooser  # the form whose errors the page lists at its top
    try:
        if step == "upload":
            refused = form = context["upload_form"] = UploadAnswersForm(campaign, request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["fichier"]
                stored = {"data": base64.b64encode(upload.read()).decode("ascii"), "filename": upload.name,
                          "format": form.cleaned_data["format"] or None}
                plan = _plan(campaign, stored)
                request.session[key] = stored
                context.update(_preview_context(campaign, plan, ColumnsForm(plan, has_imported=has_imported)),
                               filename=upload.name, step="confirm")
        elif step == "confirm" and (stored := request.session.get(key)) is None:
            refused = None
            context["error"] = french_spacing("Le fichier n'est plus en mémoire : envoyez-le à nouveau.")
        elif step == "confirm":
            plan = _plan(campaign, stored)
            refused = form = ColumnsForm(plan, has_imported=has_imported, data=request.POST)
            if form.is_valid():
                apply_column_choices(plan, form.assignments(), form.ignored())
            context.update(_preview_context(campaign, plan, form), filename=stored["filename"], step="confirm")
            if form.is_valid() and len(plan.parsed.rows) > settings.BILAN_IMPORT_BACKGROUND_ROWS:
                # A large file is imported by the worker; its page follows the progress.
                job = create_job(academie=campaign.academie, user=request.user, kind=ANSWERS_IMPORT_JOB,
                                 title=f"Import de « {stored['filename']} » dans {campaign.title}",
                                 payload=base64.b64decode(stored["data"]),
                                 params=answers_import_params(plan, filename=stored["filename"],
                                                              file_format=stored["format"],
                                                              assignments=form.assignments(), ignored=form.ignored(),
                                                              mode=form.cleaned_data.get("existing")))
                import_answers_job.enqueue(str(job.pk))
                del request.session[key]
                return redirect("core:job", job.pk)
            if form.is_valid():
                mode = form.cleaned_data.get("existing")
                result = import_answers(plan, strict=True, replace=mode == "replace", append=mode == "append")
                record(request, "import", academie=campaign.academie_id,
                       target=f"{campaign.slug} : « {stored['filename']} » ({result.imported} réponses)")
                del request.session[key]
                messages.success(request, french_spacing(
                    f"{result.imported} réponse(s) importée(s) depuis « {stored['filename']} »."))
                for note in result.notes:
                    messages.info(request, note)
                return redirect("results:overview", campaign.slug)
    except InteropError as error:
        refused = None
        context["error"] = french_spacing(f"Import refusé : {error} ; rien n'a été enregistré.")
        context["error_problems"] = [str(p) for p in error.problems[:50]]
    if refused is not None and refused.errors:
        context["refused_title"] = "Import des réponses"
        context["refused_summary"] = refused.error_summary()
    return render(request, "surveys/import_answers.html", context)
