"""Comments pages: themes per question, review and the team's decisions (pilots change, readers see)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bilan.commentary import services
from bilan.core.models import Role
from bilan.core.permissions import has_role, staff_campaign_view


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
    schema_question = _question(campaign, question)
    digest = services.comment_digest(campaign)[question]
    rows = services.question_comments(campaign, question)
    themes = services.theme_records(campaign.questionnaire.code, question)
    labels = {t.code: t.label for t in themes}
    by_theme = {t.code: [] for t in digest.themes}
    unassigned = []
    for row in rows:
        row.theme_labels = [(code, labels.get(code, code), row.sources[code]) for code in row.themes]
        for code in row.themes:
            by_theme.setdefault(code, []).append(row)
        if not row.themes:
            unassigned.append(row)
    return render(request, "commentary/question.html", {
        "campaign": campaign, "question": schema_question, "digest": digest,
        "themes": themes, "theme_blocks": [(t, by_theme.get(t.code, [])) for t in digest.themes],
        "unassigned": unassigned, "is_pilot": has_role(request.user, campaign.academie_id, Role.PILOT),
    })


@staff_campaign_view()
def suggestions(request, campaign, question):
    schema_question = _question(campaign, question)
    return render(request, "commentary/suggestions.html", {
        "campaign": campaign, "question": schema_question,
        "suggestions": services.suggestions(campaign, question),
        "is_pilot": has_role(request.user, campaign.academie_id, Role.PILOT),
    })


ACTIONS = {
    "include": lambda c, q, p, u: services.decide(c, int(p["response"]), q, p["theme"], True, u),
    "exclude": lambda c, q, p, u: services.decide(c, int(p["response"]), q, p["theme"], False, u),
    "move": lambda c, q, p, u: services.move_comment(c, int(p["response"]), q, p["theme"], p["target"], u),
    "mark": lambda c, q, p, u: services.mark_quote(c, int(p["response"]), q, p.get("theme", ""), u),
    "unmark": lambda c, q, p, u: services.unmark_quote(c, int(p["response"]), q),
    "rename": lambda c, q, p, u: services.rename_theme(
        c.questionnaire.code, p["theme"], p["label"], description=p.get("description"),
        keywords=p["keywords"].split(",") if "keywords" in p else None),
    "merge": lambda c, q, p, u: services.merge_themes(c.questionnaire.code, p["theme"], p["target"]),
    "create": lambda c, q, p, u: services.create_theme(
        c.questionnaire.code, p["label"], description=p.get("description", ""),
        keywords=[k for k in p.get("keywords", "").split(",") if k.strip()], question_codes=[q]),
    "split": lambda c, q, p, u: services.split_theme(
        c, p["theme"], p["label"], [(int(r), q) for r in p.getlist("responses")], u),
    "accept": lambda c, q, p, u: services.accept_suggestion(c, q, p["label"], p.getlist("members"), u),
    "dismiss": lambda c, q, p, u: services.dismiss_suggestion(c, q, p["label"]),
}

DONE = {
    "include": "Commentaire ajouté au thème.", "exclude": "Commentaire retiré du thème.",
    "move": "Commentaire déplacé.", "mark": "Citation retenue pour publication (texte pseudonymisé figé).",
    "unmark": "Citation retirée de la publication.", "rename": "Thème modifié.", "merge": "Thèmes fusionnés.",
    "create": "Thème créé.", "split": "Thème scindé.", "accept": "Suggestion acceptée : thème créé.",
    "dismiss": "Suggestion écartée.",
}


@require_POST
@staff_campaign_view(needed=Role.PILOT)
def action(request, campaign, question):
    _question(campaign, question)
    name = request.POST.get("action", "")
    if name not in ACTIONS:
        messages.error(request, f"Action « {name} » inconnue.")
    else:
        try:
            ACTIONS[name](campaign, question, request.POST, request.user)
            messages.success(request, DONE[name])
        except (services.CommentaryError, KeyError, ValueError) as error:
            text = str(error) if isinstance(error, services.CommentaryError) else "Formulaire incomplet ou invalide."
            messages.error(request, text)
    return redirect(reverse("commentary:question", args=[campaign.slug, question]) + request.POST.get("anchor", ""))
