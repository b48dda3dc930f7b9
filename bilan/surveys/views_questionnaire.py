"""A campaign's questionnaire pages: summary, preview as a respondent, upload, editor, comparison.

Thin views: the rules live in :mod:`bilan.surveys.questionnaires` (frozen, upload, saving an
edit) and in the pure core (:mod:`bilan.questionnaire.editing`, :mod:`bilan.questionnaire.compare`).
The preview draws the respondent's own templates and form (conditions included); its answers
travel in the page's address (a hidden field of a GET form), so nothing is ever saved.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from bilan.audit.services import record
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.french import NBSP, french_spacing, plural
from bilan.questionnaire import AnswerErrors, QuestionType
from bilan.questionnaire.compare import STATUS_LABELS, Status, compare_questionnaires
from bilan.questionnaire.editing import (
    TYPE_LABELS,
    EditError,
    add_question,
    add_section,
    move_question,
    move_section,
    remove_question,
    remove_section,
    rename_section,
    set_condition,
    set_options,
    update_question,
)
from bilan.surveys import questionnaires as service
from bilan.surveys import respondent
from bilan.surveys.access import staff_campaign_view
from bilan.surveys.forms import SectionForm, condition_note
from bilan.surveys.forms_questionnaire import KEEP, QuestionForm, StructureForm, UploadQuestionnaireForm

TEMPLATES = "surveys/questionnaire/"
READ_WRITE = ("GET", "HEAD", "POST")


def _is_pilot(request, campaign) -> bool:
    return has_role(request.user, campaign.academie_id, Role.PILOT)


def _question_rows(schema) -> list[dict]:
    sections = []
    for position, section in enumerate(schema.sections, start=1):
        questions = []
        for question in section.questions:
            options = question.all_choices if question.type.is_choice else ()
            questions.append({
                "question": question, "type_label": TYPE_LABELS[question.type],
                "options": [c.label for c in options],
                "rows": [c.label for c in question.rows], "columns": [c.label for c in question.columns],
                "condition": condition_note(schema, question) if question.conditions else "",
            })
        sections.append({"section": section, "position": position, "questions": questions})
    return sections


def _common(request, campaign) -> dict:
    reason = service.frozen_reason(campaign)
    return {"campaign": campaign, "version": campaign.questionnaire, "schema": campaign.questionnaire.schema,
            "frozen_reason": reason, "is_pilot": _is_pilot(request, campaign),
            "can_change": not reason and _is_pilot(request, campaign)}


@staff_campaign_view(Role.READER)
def detail(request, campaign):
    context = _common(request, campaign)
    schema = context["schema"]
    context.update({
        "sections": _question_rows(schema),
        "question_count": len(schema.questions),
        "shared_with": service.shared_with(campaign),
        "editable_in_place": service.editable_in_place(campaign),
    })
    return render(request, TEMPLATES + "detail.html", context)


# --------------------------------------------------------------------------- preview


def _preview_answers(raw: str | None) -> dict:
    """The answers given so far in the preview (from the page's address); {} when unreadable."""
    try:
        answers = json.loads(raw or "{}")
    except ValueError:
        return {}
    return answers if isinstance(answers, dict) else {}


def _preview_url(campaign, section_code: str | None, answers: dict) -> str:
    url = (reverse("questionnaires:preview_section", args=[campaign.slug, section_code]) if section_code
           else reverse("questionnaires:preview_end", args=[campaign.slug]))
    return url + ("?" + urlencode({"apercu": json.dumps(answers, ensure_ascii=False)}) if answers else "")


@staff_campaign_view(Role.READER)
def preview(request, campaign):
    return _preview_section(request, campaign, campaign.questionnaire.schema.sections[0].code)


@staff_campaign_view(Role.READER)
def preview_section(request, campaign, section):
    return _preview_section(request, campaign, section)


def _preview_section(request, campaign, section_code):
    schema = campaign.questionnaire.schema
    try:
        current = schema.section(section_code)
    except KeyError:
        raise Http404("Partie inconnue") from None
    position = respondent.section_position(schema, current.code)
    answers = _preview_answers(request.GET.get("apercu"))
    action = request.GET.get("action")
    form = SectionForm(schema, current, answers, data=request.GET if action else None)
    if action and form.is_valid():
        codes = {q.code for q in current.questions}
        try:
            merged = respondent._merge_section(schema, codes, answers, form.raw_answers(), submitted=False)
        except AnswerErrors as error:
            form.add_answer_errors(error.errors)
        else:
            sections = schema.sections
            if action == "quit":
                return redirect("questionnaires:detail", campaign.slug)
            if action == "previous":
                target = sections[position - 2].code if position > 1 else current.code
            else:
                target = sections[position].code if position < len(sections) else None
            return redirect(_preview_url(campaign, target, merged))
    items = form.bound_items()
    errors = form.error_summary() if form.is_bound else []
    total = len(schema.sections)
    title = f"Aperçu — {current.title} — étape {position} sur {total}"
    if errors:
        title = f"Erreur : {len(errors)} réponse{'s' if len(errors) > 1 else ''} à corriger — {title}"
    return render(request, "surveys/respondent/section.html", {
        "preview": True, "preview_state": json.dumps(answers, ensure_ascii=False),
        "campaign": campaign, "schema": schema, "anonymous": campaign.anonymous,
        "start_url": reverse("questionnaires:preview", args=[campaign.slug]),
        "detail_url": reverse("questionnaires:detail", args=[campaign.slug]),
        "page_title": title, "section": current, "form": form, "items": items, "errors": errors,
        "position": position, "total": total,
        "next_title": schema.sections[position].title if position < total else "Vérification et envoi",
        "has_required": any(item.question.required for item in items), "submitted": False,
    })


@staff_campaign_view(Role.READER)
def preview_end(request, campaign):
    schema = campaign.questionnaire.schema
    answers = _preview_answers(request.GET.get("apercu"))
    return render(request, TEMPLATES + "preview_end.html", {
        "preview": True, "campaign": campaign, "schema": schema,
        "start_url": reverse("questionnaires:preview", args=[campaign.slug]),
        "detail_url": reverse("questionnaires:detail", args=[campaign.slug]),
        "page_title": "Aperçu — vérification et envoi",
        "summary": respondent.summarise(schema, answers),
        "problems": respondent.missing_answers(schema, answers),
        "last_section_url": _preview_url(campaign, schema.sections[-1].code, answers),
    })


# --------------------------------------------------------------------------- comparison


@staff_campaign_view(Role.READER)
def compare(request, campaign):
    previous = campaign.previous
    context = _common(request, campaign)
    if previous is not None:
        result = compare_questionnaires(previous.questionnaire.schema, context["schema"])
        groups = [{"status": status, "label": STATUS_LABELS[status], "items": result.of(status)}
                  for status in (Status.CHANGED, Status.WORDING, Status.NEW, Status.REMOVED, Status.SAME)]
        counts = result.counts
        comparable = counts[Status.SAME] + counts[Status.WORDING]
        context.update({"previous": previous, "groups": groups, "count_lines": [
            f"{plural(comparable, 'question comparable', 'questions comparables')}, "
            f"dont {counts[Status.WORDING]} à la formulation modifiée",
            f"{plural(counts[Status.CHANGED], 'question non comparable', 'questions non comparables')} "
            "(type ou choix modifiés)",
            f"{plural(counts[Status.NEW], 'nouvelle question', 'nouvelles questions')}, "
            f"{plural(counts[Status.REMOVED], 'question retirée', 'questions retirées')}"],
                        "same_version": previous.questionnaire_id == campaign.questionnaire_id})
    return render(request, TEMPLATES + "compare.html", context)


# --------------------------------------------------------------------------- upload


@staff_campaign_view(Role.PILOT, methods=READ_WRITE)
def upload(request, campaign):
    context = _common(request, campaign)
    posted = request.method == "POST"
    form = UploadQuestionnaireForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    if request.method == "POST" and context["frozen_reason"]:
        problems = [context["frozen_reason"]]
    elif form.is_valid():
        upload_file = form.cleaned_data["fichier"]
        try:
            result = service.upload_questionnaire(campaign, upload_file.read(), upload_file.name)
        except service.UploadProblems as error:
            problems = error.problems
        except service.QuestionnaireFrozen as error:
            problems = [str(error)]
        else:
            record(request, "questionnaire_imported", academie=campaign.academie_id,
                   target=f"{campaign.slug} : « {upload_file.name} » (version {result.version.version})")
            note = (f" Le numéro {result.renumbered_from} existait déjà avec un autre contenu{NBSP}: "
                    f"cette version porte le numéro {result.version.version}." if result.renumbered_from else "")
            messages.success(request, french_spacing(
                f"Questionnaire « {result.version.title} », version {result.version.version}, "
                f"attaché à la campagne.{note}"))
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("questionnaires:detail", campaign.slug)
    summary = form.error_summary("#fichier") if form.is_bound else []
    summary += [("", problem) for problem in problems]
    context.update({"form": form, "summary": summary, "problems": problems,
                    "page_title": ("Erreur : " if summary else "") + "Envoyer un questionnaire"})
    return render(request, TEMPLATES + "upload.html", context)


# --------------------------------------------------------------------------- editor


def _apply_structure(data: dict, cleaned: dict) -> str:
    """Apply one action of the editor's page; the message that confirms it."""
    action, direction = cleaned["action"], -1 if cleaned.get("direction") == "up" else 1
    section, question = cleaned.get("section"), cleaned.get("question")
    if action == "add_section":
        add_section(data, cleaned["title"].strip())
        return (f"Section « {cleaned['title'].strip()} » ajoutée en fin de questionnaire, "
                "avec une première question à modifier.")
    if action == "rename_section":
        rename_section(data, section, cleaned["title"].strip())
        return f"Section renommée « {cleaned['title'].strip()} »."
    if action == "remove_section":
        remove_section(data, section)
        return "Section supprimée."
    if action == "move_section":
        moved = move_section(data, section, direction)
        return "Section déplacée." if moved else "La section est déjà à cette extrémité."
    if action == "add_question":
        code = add_question(data, section, cleaned["text"].strip(), cleaned["type"])
        return f"Question {code} ajoutée en fin de section."
    if action == "remove_question":
        remove_question(data, question)
        return f"Question {question} supprimée."
    moved = move_question(data, question, direction)
    return f"Question {question} déplacée." if moved else f"La question {question} est déjà à cette extrémité."


def _problem_items(problems: dict[str, list[str]], schema_codes) -> list[tuple[str, str]]:
    items = []
    for code, messages_ in problems.items():
        anchor = f"#q-{code}" if code in schema_codes else ""
        items += [(anchor, service.sentence(message)) for message in messages_]
    return items


@staff_campaign_view(Role.PILOT, methods=READ_WRITE)
def edit(request, campaign):
    context = _common(request, campaign)
    schema = context["schema"]
    form = StructureForm(schema, request.POST if request.method == "POST" else None)
    summary: list[tuple[str, str]] = []
    problems: dict[str, list[str]] = {}
    if request.method == "POST" and context["frozen_reason"]:
        summary = [("", context["frozen_reason"])]
    elif form.is_valid():
        data = service.editing_data(campaign)
        try:
            message = _apply_structure(data, form.cleaned_data)
            version = service.save_edit(campaign, data)
        except EditError as error:
            summary = [("", service.sentence(str(error)))]
        except service.EditProblems as error:
            problems = error.problems
            summary = _problem_items(problems, schema.codes)
        except service.QuestionnaireFrozen as error:
            summary = [("", str(error))]
        else:
            messages.success(request, french_spacing(f"{message} Enregistré dans la version {version.version}."))
            return redirect(reverse("questionnaires:edit", args=[campaign.slug]) + _anchor(form.cleaned_data))
    if form.is_bound and not summary:
        summary = form.error_summary()
    sections = _question_rows(schema)
    for part in sections:
        for row in part["questions"]:
            row["problems"] = [service.sentence(m) for m in problems.get(row["question"].code, [])]
    context.update({"sections": sections, "form": form, "summary": summary,
                    "type_choices": form.fields["type"].choices,
                    "editable_in_place": service.editable_in_place(campaign),
                    "page_title": ("Erreur : " if summary else "") + "Modifier le questionnaire"})
    return render(request, TEMPLATES + "edit.html", context)


def _anchor(cleaned: dict) -> str:
    if cleaned.get("question") and cleaned["action"] == "move_question":
        return f"#q-{cleaned['question']}"
    if cleaned.get("section") and cleaned["action"] in ("move_section", "rename_section"):
        return f"#s-{cleaned['section']}"
    return ""


@staff_campaign_view(Role.PILOT, methods=READ_WRITE)
def edit_question(request, campaign, question):
    context = _common(request, campaign)
    schema = context["schema"]
    try:
        current = schema.question(question)
    except KeyError:
        raise Http404("Question inconnue") from None
    form = QuestionForm(schema, current, request.POST if request.method == "POST" else None)
    summary: list[tuple[str, str]] = []
    if request.method == "POST" and context["frozen_reason"]:
        summary = [("", context["frozen_reason"])]
    elif form.is_valid():
        data = service.editing_data(campaign)
        cleaned = form.cleaned_data
        new_type = QuestionType(cleaned["type"])
        try:
            entry = update_question(data, current.code, text=cleaned["text"].strip(), help=cleaned["help"],
                                    qtype=new_type, required=cleaned["required"],
                                    other=cleaned.get("other") if new_type is current.type else None)
            if new_type is current.type:
                for key in form.option_fields:
                    set_options(entry, key, form.options(key))
            if cleaned["condition"] != KEEP:
                target, _, value = (cleaned["condition"] or "").partition("|")
                set_condition(data, current.code, target or None, value or None)
            version = service.save_edit(campaign, data)
        except EditError as error:
            summary = [("", service.sentence(str(error)))]
        except service.EditProblems as error:
            summary = _problem_items(error.problems, ())
        except service.QuestionnaireFrozen as error:
            summary = [("", str(error))]
        else:
            if new_type is not current.type and new_type in (QuestionType.SINGLE, QuestionType.MULTIPLE,
                                                             QuestionType.GRID):
                messages.success(request, f"Type modifié, enregistré dans la version {version.version}{NBSP}: "
                                          "complétez maintenant les choix proposés.")
                return redirect("questionnaires:edit_question", campaign.slug, current.code)
            messages.success(request, f"Question {current.code} enregistrée dans la version {version.version}.")
            return redirect(reverse("questionnaires:edit", args=[campaign.slug]) + f"#q-{current.code}")
    if form.is_bound and not summary:
        summary = form.error_summary()
    context.update({"question": current, "form": form, "summary": summary,
                    "option_groups": form.option_groups(),
                    "page_title": ("Erreur : " if summary else "") + f"Modifier la question {current.code}"})
    return render(request, TEMPLATES + "question.html", context)
