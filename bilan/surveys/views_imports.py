"""The pilot's page to import past answers: upload, check the column mapping, confirm.

The uploaded file waits in the session between the two steps (up to
``MAX_UPLOAD`` bytes; larger files go through ``bilan import answers``).
"""

import base64

from django.contrib import messages
from django.shortcuts import redirect, render

from bilan.core.models import Role
from bilan.core.permissions import staff_campaign_view
from bilan.interop.answers_formats import ANSWER_FORMATS, FORMAT_NAMES_FR, META, InteropError
from bilan.interop.mapping import preview
from bilan.interop.tabular import french_spacing
from bilan.questionnaire.schema import QuestionType
from bilan.surveys.imports import import_answers, plan_answers_import

MAX_UPLOAD = 5 * 1024 * 1024
PREVIEW_VALUES = 3


def _session_key(campaign) -> str:
    return f"bilan-import-{campaign.slug}"


def _targets(schema) -> list[tuple[str, str]]:
    """Every place a column can go: a question, or one option / grid row / « Autre » text of it."""
    targets = [("", "— laisser cette colonne de côté —")]
    for question in schema.questions:
        text = (question.short_label or question.text)[:80]
        targets.append((question.code, f"{question.code} — {text}"))
        parts = question.rows if question.type is QuestionType.GRID else \
            question.choices if question.type is QuestionType.MULTIPLE else ()
        targets.extend((f"{question.code}/{part.code}", f"{question.code} / {part.label}") for part in parts)
        if question.other:
            targets.append((f"{question.code}/other", f"{question.code} / précision de « {question.other_label} »"))
    return targets


def _preview_context(campaign, plan):
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
                     "unmatched": column.index in plan.mapping.unmatched})
    return {"columns": rows, "targets": _targets(schema), "problems": shown["problems"][:50],
            "problem_count": len(shown["problems"]), "notes": [french_spacing(n) for n in shown["notes"]],
            "row_count": len(plan.parsed.rows), "format_name": FORMAT_NAMES_FR[plan.file_format]}


def _plan(campaign, stored):
    return plan_answers_import(campaign, base64.b64decode(stored["data"]), stored["filename"], stored["format"])


@staff_campaign_view(Role.PILOT)
def import_answers_view(request, campaign):
    key = _session_key(campaign)
    context = {"campaign": campaign, "formats": [(f, FORMAT_NAMES_FR[f]) for f in ANSWER_FORMATS],
               "has_imported": campaign.responses.filter(invitation__isnull=True).exists()}
    step = request.POST.get("step") if request.method == "POST" else None
    try:
        if step == "upload":
            upload = request.FILES.get("fichier")
            if upload is None:
                context["error"] = "Choisissez un fichier de réponses."
            elif upload.size > MAX_UPLOAD:
                context["error"] = french_spacing(
                    f"Fichier trop gros pour la page ({upload.size // 1024} Ko, 5 Mo au plus) : "
                    f"utilisez la commande bilan import answers --campaign {campaign.slug}.")
            else:
                file_format = request.POST.get("format") or None
                if file_format not in (None, *ANSWER_FORMATS):
                    file_format = None
                stored = {"data": base64.b64encode(upload.read()).decode("ascii"), "filename": upload.name,
                          "format": file_format}
                plan = _plan(campaign, stored)
                request.session[key] = stored
                context.update(_preview_context(campaign, plan), filename=upload.name, step="confirm")
        elif step == "confirm":
            stored = request.session.get(key)
            if stored is None:
                context["error"] = "Le fichier n'est plus en mémoire : envoyez-le à nouveau."
            else:
                plan = _plan(campaign, stored)
                strata = plan.strata.indexes
                for column in plan.parsed.columns:
                    field = f"col-{column.index}"
                    if column.index in strata or field not in request.POST:
                        continue
                    target = request.POST[field]
                    if not target:
                        plan.mapping.ignore(column.index)
                    else:
                        code, _, part = target.partition("/")
                        plan.mapping.assign(column.index, code, part)
                context.update(_preview_context(campaign, plan), filename=stored["filename"], step="confirm")
                mode = request.POST.get("existing")
                result = import_answers(plan, strict=True, replace=mode == "replace", append=mode == "append")
                del request.session[key]
                messages.success(request, french_spacing(
                    f"{result.imported} réponse(s) importée(s) depuis « {stored['filename']} »."))
                for note in result.notes:
                    messages.info(request, note)
                return redirect("results:overview", campaign.slug)
    except InteropError as error:
        context["error"] = french_spacing(f"Import refusé : {error} ; rien n'a été enregistré.")
        context["error_problems"] = [str(p) for p in error.problems[:50]]
    return render(request, "surveys/import_answers.html", context)
