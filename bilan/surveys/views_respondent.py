"""The respondent's pages, reached through a personal link ``/r/<token>/``.

Thin views: resolve the link, call :mod:`bilan.surveys.respondent`, render.
A link that cannot be used gives a French page with a fitting status
(404 unknown or malformed, 403 not yet open, 410 closed, 409 anonymous
answer already sent), never a 500.
"""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bilan.french import fr_datetime, french_spacing
from bilan.questionnaire import AnswerErrors
from bilan.surveys import respondent as service
from bilan.surveys.forms import SectionForm, question_anchor
from bilan.surveys.models import Invitation, ResponseStatus

TEMPLATES = "surveys/respondent/"


def respondent_page(view):
    """Turn link problems into their French page; keep personal pages out of caches."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            return view(request, token, *args, **kwargs)
        except service.LinkError as error:
            return link_error_page(request, token, error)

    return never_cache(require_http_methods(["GET", "POST"])(wrapper))


def link_error_page(request, token: str, error: service.LinkError):
    invitation = error.invitation
    can_read_receipt = (isinstance(error, service.CampaignClosed) and invitation is not None
                        and invitation.submitted_at is not None)
    context = {
        "error": error,
        "page_title": error.title,
        "receipt_url": reverse("respondent:receipt", args=[token]) if can_read_receipt else "",
        "start_url": (reverse("respondent:start", args=[token])
                      if isinstance(error, (service.UnknownSection, service.AnswersSentAnonymously)) else ""),
    }
    return render(request, TEMPLATES + "link_error.html", context, status=error.status)


def _common(token: str, invitation) -> dict:
    campaign = invitation.campaign
    return {
        "token": token,
        "invitation": invitation,
        "campaign": campaign,
        "schema": service.schema_of(invitation),
        "closes_at_fr": fr_datetime(timezone.localtime(campaign.closes_at)),
        "start_url": reverse("respondent:start", args=[token]),
        "anonymous": campaign.anonymous,
    }


def _opened(token: str) -> tuple[Invitation, dict]:
    """The invitation of a link that may answer now, marked as opened, and the pages' common context."""
    invitation = service.resolve(token)
    service.mark_opened(invitation)
    return invitation, _common(token, invitation)


def _section_url(token: str, section_code: str) -> str:
    return reverse("respondent:section", args=[token, section_code])


@respondent_page
def start(request, token):
    invitation, context = _opened(token)
    schema = context["schema"]
    progress = service.progress_of(invitation)
    resume = service.resume_section(schema, progress)
    context.update({
        "page_title": invitation.campaign.title,
        "submitted": progress.submitted,
        "started": progress.started,
        "first_url": _section_url(token, schema.sections[0].code),
        "resume_url": _section_url(token, resume.code),
        "resume_title": resume.title,
        "review_url": reverse("respondent:review", args=[token]),
        "receipt_url": reverse("respondent:receipt", args=[token]),
        "section_count": len(schema.sections),
    })
    return render(request, TEMPLATES + "start.html", context)


@respondent_page
def section(request, token, section):
    invitation, context = _opened(token)
    schema = context["schema"]
    current = service.find_section(schema, section)
    position = service.section_position(schema, current.code)
    progress = service.ensure_editable(invitation)
    answers = progress.answers
    if request.method == "POST":
        form = SectionForm(schema, current, answers, data=request.POST)
        if form.is_valid():
            try:
                service.save_section(invitation, current.code, form.raw_answers())
            except AnswerErrors as error:
                form.add_answer_errors(error.errors)
            else:
                return redirect(_after_save(token, schema, position, request.POST.get("action")))
    else:
        form = SectionForm(schema, current, answers)
    items = form.bound_items()
    errors = form.error_summary() if form.is_bound else []
    total = len(schema.sections)
    next_title = schema.sections[position].title if position < total else "Vérification et envoi"
    title = f"{current.title} — étape {position} sur {total}"
    if errors:
        title = f"Erreur : {_count_errors(len(errors))} — {title}"
    context.update({
        "page_title": title,
        "section": current,
        "form": form,
        "items": items,
        "errors": errors,
        "position": position,
        "total": total,
        "next_title": next_title,
        "previous_label": "Précédent",
        "has_required": any(item.question.required for item in items),
        "submitted": progress.submitted,
    })
    return render(request, TEMPLATES + "section.html", context)


def _count_errors(count: int) -> str:
    return "1 réponse à corriger" if count == 1 else f"{count} réponses à corriger"


def _after_save(token: str, schema, position: int, action: str | None) -> str:
    if action == "quit":
        return reverse("respondent:saved", args=[token])
    if action == "previous":
        if position == 1:
            return reverse("respondent:start", args=[token])
        return _section_url(token, schema.sections[position - 2].code)
    if position < len(schema.sections):
        return _section_url(token, schema.sections[position].code)
    return reverse("respondent:review", args=[token])


@respondent_page
def saved(request, token):
    invitation = service.resolve(token)
    context = _common(token, invitation)
    progress = service.ensure_editable(invitation)
    resume = service.resume_section(context["schema"], progress)
    context.update({
        "page_title": "Réponses enregistrées",
        "resume_url": _section_url(token, resume.code),
        "submitted": progress.submitted,
    })
    return render(request, TEMPLATES + "saved.html", context)


@respondent_page
def review(request, token):
    invitation, context = _opened(token)
    schema = context["schema"]
    problems, submit_failed = [], False
    if request.method == "POST":
        try:
            sent = service.submit(invitation)
        except service.IncompleteAnswers as error:
            problems, submit_failed = error.problems, True
        else:
            if invitation.campaign.anonymous:
                return _anonymous_receipt(request, token, invitation, sent.answers)
            return redirect("respondent:receipt", token=token)
    progress = service.progress_of(invitation)
    if not progress.editable:
        return redirect("respondent:receipt", token=token)
    answers = progress.answers
    if not submit_failed:
        problems = service.missing_answers(schema, answers)
    title = "Vérification et envoi de vos réponses"
    if submit_failed:
        title = f"Erreur : {_count_errors(len(problems))} — {title}"
    context.update({
        "page_title": title,
        "summary": service.summarise(schema, answers),
        "problem_count": len(problems),
        "problem_groups": _group_problems(token, schema, problems),
        "submit_failed": submit_failed,
        "submitted": progress.submitted,
        "last_section_url": _section_url(token, schema.sections[-1].code),
    })
    return render(request, TEMPLATES + "review.html", context)


def _group_problems(token: str, schema, problems) -> list[dict]:
    """Problems per section, each linking to its question on the section page."""
    groups: dict[str, dict] = {}
    for problem in problems:
        group = groups.setdefault(problem.section_code, {"title": problem.section_title, "items": []})
        anchor = question_anchor(schema.question(problem.question_code))
        group["items"].append((_section_url(token, problem.section_code) + f"#{anchor}", problem))
    return list(groups.values())


def _anonymous_receipt(request, token: str, invitation, answers: dict):
    """The only page that ever shows an anonymous answer: rendered from memory, right after sending."""
    context = _common(token, invitation)
    context.update({
        "page_title": "Accusé de réception",
        "sent_now": True,
        "sent_at_fr": fr_datetime(timezone.localtime()),
        "summary": service.summarise(context["schema"], answers),
    })
    return render(request, TEMPLATES + "receipt_anonymous.html", context)


@respondent_page
def receipt(request, token):
    invitation = service.resolve(token, reading_receipt=True)
    if invitation.campaign.anonymous:
        if invitation.submitted_at is None:
            return redirect("respondent:review", token=token)
        context = _common(token, invitation)
        context.update({"page_title": "Accusé de réception", "sent_now": False})
        return render(request, TEMPLATES + "receipt_anonymous.html", context)
    response = service.response_of(invitation)
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return redirect("respondent:review", token=token)
    context = _common(token, invitation)
    context.update({
        "page_title": "Accusé de réception",
        "response": response,
        "submitted_at_fr": fr_datetime(timezone.localtime(invitation.submitted_at)),
        "summary": service.summarise(context["schema"], response.answers),
        "still_open": invitation.campaign.accepts_answers(),
        "closed_note": french_spacing(
            f"Vous pouvez modifier vos réponses avec le même lien jusqu'au {context['closes_at_fr']}.", narrow=True),
    })
    return render(request, TEMPLATES + "receipt.html", context)
