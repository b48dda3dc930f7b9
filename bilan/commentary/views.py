"""Comments pages: themes per question, review and the team's decisions (pilots change, readers see)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from bilan.audit.services import record
from bilan.commentary import services
from bilan.commentary.forms import ACTION_FORMS, MANAGE_FORMS, ActionChoiceForm, ReviewForm
from bilan.commentary.review import review_state
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.surveys.access import staff_campaign_view


def _question(campaign, code):
    for question in services.free_text_questions(campaign):
        if question.code == code:
            return question
    raise Http404("Question introuvable")


@staff_campaign_view()
def index(request, campaign):
    digest = services.comment_digest(campaign)
    questions = [(q, digest[q.code]) for q in services.free_text_questions(campaign)]
    return render(request, "commentary/index.html", {"campaign": campaign, "questions": questions})


@staff_campaign_view()
def question(request, campaign, question):
    return _question_page(request, campaign, question)


# Actions whose form sits on one comment of the page (the others are per theme or in « Gérer les thèmes »).
ROW_ACTIONS = ("include", "exclude", "move", "mark", "unmark")


def _question_page(request, campaign, question, failed=None):
    """The question's page; ``failed``, a form the pilot sent and that was refused, shows with its errors."""
    schema_question = _question(campaign, question)
    digest = services.comment_digest(campaign)[question]
    rows = services.question_comments(campaign, question)
    themes = services.theme_records(campaign, question)
    labels = {t.code: t.label for t in themes}
    by_theme = {t.code: [] for t in digest.themes}
    unassigned = []
    for row in rows:
        row.theme_labels = [(code, labels.get(code, code), row.sources[code]) for code in row.themes]
        for code in row.themes:
            by_theme.setdefault(code, []).append(row)
        if not row.themes:
            unassigned.append(row)
    is_pilot = has_role(request.user, campaign.academie_id, Role.PILOT)
    manage = {name: ACTION_FORMS[name](campaign, question) for name in MANAGE_FORMS} if is_pilot else {}
    name = getattr(failed, "name", "")
    posted = failed.data if failed is not None else {}
    anchor = "erreurs"
    if name in manage:
        manage[name] = failed
    elif name in ROW_ACTIONS:
        # The refused form is drawn again where it was: on its comment, in its theme.
        row = next((r for r in rows if str(r.response_id) == posted.get("response")), None)
        if row is not None:
            row.failed = failed
            row.failed_theme = "" if name == "include" else posted.get("theme", "")
            anchor = f"c-{row.failed_theme or 'sans-theme'}-{row.response_id}"
    elif name == "split" and posted.get("theme") in by_theme:
        anchor = f"scinder-{posted.get('theme')}"
    split_theme = posted.get("theme") if name == "split" else None
    return render(request, "commentary/question.html", {
        "campaign": campaign, "question": schema_question, "digest": digest,
        "themes": themes, "unassigned": unassigned, "is_pilot": is_pilot, "manage": manage,
        "theme_blocks": [(t, by_theme.get(t.code, []), failed if t.code == split_theme else None)
                         for t in digest.themes],
        "failed": failed, "failed_summary": _summary(failed, anchor),
    })


def _summary(failed, anchor):
    """The refused form's errors for the alert above the page; only the « Gérer les thèmes » forms
    are drawn with their own field ids, the others are found at ``anchor``."""
    if failed is None:
        return []
    return failed.error_summary(f"#{anchor}", link_fields=getattr(failed, "name", "") in MANAGE_FORMS)


@staff_campaign_view()
def suggestions(request, campaign, question):
    return _suggestions_page(request, campaign, question)


def _suggestions_page(request, campaign, question, failed=None):
    """The suggested themes; ``failed``, a refused accept or dismiss form, shows on its suggestion."""
    schema_question = _question(campaign, question)
    found = services.suggestions(campaign, question)
    anchor = "erreurs"
    if failed is not None:
        posted = failed.data
        shown_ids = sorted(posted.getlist("everyone") or posted.getlist("members"))
        for position, suggestion in enumerate(found, start=1):
            same = (suggestion.label == posted.get("label") if failed.name == "dismiss"
                    else sorted(str(i) for i in suggestion.member_ids) == shown_ids)
            if same:
                suggestion.failed = failed
                # The ticks and labels as the pilot left them.
                suggestion.ticked = (set(posted.getlist("members")) if failed.name != "dismiss"
                                     else {str(i) for i in suggestion.member_ids})
                anchor = f"suggestion-{position}"
                break
    return render(request, "commentary/suggestions.html", {
        "campaign": campaign, "question": schema_question, "suggestions": found,
        "is_pilot": has_role(request.user, campaign.academie_id, Role.PILOT),
        "failed": failed, "failed_summary": _summary(failed, anchor),
    })


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def action(request, campaign, question):
    _question(campaign, question)
    chooser = ActionChoiceForm(request.POST)
    if not chooser.is_valid():
        return _question_page(request, campaign, question, failed=chooser)
    form = ACTION_FORMS[chooser.cleaned_data["action"]](campaign, question, data=request.POST)
    if _performed(request, campaign, question, form):
        return redirect(reverse("commentary:question", args=[campaign.slug, question]) + form.anchor())
    if form.page == "suggestions":
        return _suggestions_page(request, campaign, question, failed=form)
    return _question_page(request, campaign, question, failed=form)


def _performed(request, campaign, question, form) -> bool:
    """Run a valid form's service, journal it and say so; False (the errors on the form) when refused."""
    if not form.is_valid():
        return False
    try:
        form.perform(request.user)
    except services.CommentaryError as refused:
        form.add_error(None, str(refused))
        return False
    record(request, "theme_changed", academie=campaign.academie_id,
           target=f"{campaign.slug}, question {question} : {form.journal()}")
    messages.success(request, form.done)
    return True


@staff_campaign_view()
def review(request, campaign, question):
    """One comment at a time, the least confident first, its proposed themes pre-selected (pilots confirm)."""
    return _review_page(request, campaign, question)


def _review_page(request, campaign, question, failed=None):
    """The review page; ``failed``, a refused confirmation, shows its errors above the comment."""
    schema_question = _question(campaign, question)
    # « Passer au suivant » keeps the comments passed over in the address, at most a page's worth.
    parts = request.GET.get("passer", "").split(",")[:200]
    skipped = [int(part) for part in parts if part.isdigit() and len(part) < 13]
    state = review_state(campaign, question, skipped=skipped)
    return render(request, "commentary/review.html", {
        "campaign": campaign, "question": schema_question, "state": state, "failed": failed,
        "failed_summary": _summary(failed, "relecture"),
        "is_pilot": has_role(request.user, campaign.academie_id, Role.PILOT),
        "confirmed_percent": round(100 * state.confirmed_share),
        "wrong_percent": None if state.estimated_wrong is None else round(100 * state.estimated_wrong),
    })


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def review_confirm(request, campaign, question):
    _question(campaign, question)
    form = ReviewForm(campaign, question, data=request.POST)
    if _performed(request, campaign, question, form):
        return redirect(reverse("commentary:review", args=[campaign.slug, question]))
    return _review_page(request, campaign, question, failed=form)
