"""The action plan's pages: read the plan, add, edit, reorder and close actions, and next year's
campaign showing last year's actions beside the figures that measure them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bilan.commentary.services import theme_records
from bilan.french import typeset
from bilan.reports import actions as plan
from bilan.reports import services
from bilan.reports.models import Action, ActionStatus
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign, Response, ResponseStatus

pytestmark = pytest.mark.django_db

SLUG, NEXT = "2023-2024", "2024-2025"
NBSP = "\u00a0"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def text(response) -> str:
    """The page's text, tags dropped and layout whitespace folded (no-break spaces kept)."""
    body = response.content.decode()
    body = re.sub(r"<(script|style|select)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", body)).replace("&nbsp;", NBSP).replace("&#x27;", "'")


def plan_of(slug=SLUG) -> list[Action]:
    return list(Action.objects.filter(campaign__slug=slug))


def url(name, *args, slug=SLUG):
    return reverse(f"reports:{name}", args=[slug, *args])


VALID = {"title": "Former aux usages de l'IA", "owner": "SRANE", "due_date": "30/06/2026", "status": "planned",
         "description": "Deux temps en regroupement."}


# ----------------------------------------------------------------------------- reading the plan

def test_the_plan_lists_the_actions_in_order_with_what_they_answer(personas):
    page = client_for(personas["reader"]).get(url("actions"))
    assert page.status_code == 200
    shown = text(page)
    titles = [a.title for a in plan_of()]
    assert [shown.index(t) for t in titles] == sorted(shown.index(t) for t in titles)
    first = plan_of()[0]
    assert f"Responsable{NBSP}: {first.owner}" in shown
    assert f"Échéance{NBSP}: 30{NBSP}juin 2025" in shown
    # The finding in words: the question's wording and the choice's label, not codes.
    assert ("Connaissez-vous les recommandations des sciences cognitives pour évaluer les apprentissages avec le "
            f"numérique\u202f? (réponse «{NBSP}Non{NBSP}»)") in shown  # thin no-break space before « ? »
    assert f"(réponse «{NBSP}Apps Éducation{NBSP}: Je l'ai utilisé{NBSP}»)" in shown
    assert "SCI_ASSESS_KNOWN" not in shown
    # A reader sees the plan, not the pilot's controls.
    assert "Ajouter une action" not in shown and "Modifier" not in shown and "Monter" not in shown
    pilot = text(client_for(personas["pilot"]).get(url("actions")))
    assert "Ajouter une action" in pilot and "Monter" in pilot and "Marquer réalisée" in pilot


def test_an_action_past_its_deadline_is_flagged_while_it_is_open(personas):
    today = timezone.localdate()
    first, second, third, *_ = plan_of()
    Action.objects.filter(pk=first.pk).update(due_date=today, status=ActionStatus.IN_PROGRESS)
    Action.objects.filter(pk=second.pk).update(due_date=today - timedelta(days=1), status=ActionStatus.PLANNED)
    Action.objects.filter(pk=third.pk).update(due_date=today - timedelta(days=1), status=ActionStatus.DONE)
    assert [plan.is_overdue(a, today) for a in plan_of()[:3]] == [False, True, False]
    body = client_for(personas["reader"]).get(url("actions")).content.decode()
    flagged = re.findall(r'<li id="action-(\d+)".*?(?=<li id="action-|</ol>)', body, flags=re.S)
    assert len(flagged) == len(plan_of())
    blocks = dict(zip(flagged, re.split(r'<li id="action-\d+"', body)[1:], strict=True))
    assert "Échéance dépassée" not in blocks[str(first.pk)]
    assert "Échéance dépassée" in blocks[str(second.pk)]
    assert "Échéance dépassée" not in blocks[str(third.pk)]


# ----------------------------------------------------------------------------- adding and editing

def test_a_pilot_adds_an_action_linked_to_a_finding_and_a_theme(personas):
    campaign = Campaign.objects.get(slug=SLUG)
    theme = theme_records(campaign)[0]
    before = plan_of()
    response = client_for(personas["pilot"]).post(url("action_new"), {
        **VALID, "finding-0": "SCI_A11Y_TRAINING|yes", "statement-0": "veulent se former à l'accessibilité",
        "finding-1": "RES_KNOWLEDGE|apps_education|known", "statement-1": "", "themes": [theme.code]})
    assert response.status_code == 302
    added = Action.objects.exclude(pk__in=[a.pk for a in before]).get()
    assert response["Location"] == f"{url('actions')}#action-{added.pk}"
    assert (added.title, added.owner, added.due_date, added.status) == (
        VALID["title"], "SRANE", date(2026, 6, 30), ActionStatus.PLANNED)
    assert added.position == max(a.position for a in before) + 1 and plan_of()[-1] == added
    assert added.indicators == [
        {"q": "SCI_A11Y_TRAINING", "c": "yes", "statement": "veulent se former à l'accessibilité"},
        # Left empty, the statement says the question and the answer.
        {"q": "RES_KNOWLEDGE", "row": "apps_education", "col": "known",
         "statement": f"ont répondu «{NBSP}Apps Éducation{NBSP}: Je connais{NBSP}» à "
                      f"«{NBSP}Ressources institutionnelles{NBSP}»"}]
    assert added.themes == [theme.code]
    # The report's last section says it as a sentence, with its figure and the theme's label.
    (item,) = [i for i in services.build_campaign_report(campaign).sections[-1].blocks[0].items
               if typeset(VALID["title"])[1:] in i]
    assert item.startswith("Parce que ")
    assert "veulent se former à l’accessibilité" in item and f"thème «{NBSP}{typeset(theme.label)}{NBSP}»" in item
    assert "30/06/2026" in item


def test_a_pilot_edits_an_action_and_its_findings_are_kept(personas):
    action = plan_of()[0]
    client = client_for(personas["pilot"])
    assert action.title in text(client.get(url("action_edit", action.pk)))
    data = {"title": "Évaluer avec le numérique", "owner": "SRANE", "due_date": "2026-06-30", "status": "in_progress",
            "description": action.description}
    for n, indicator in enumerate(action.indicators):
        data[f"finding-{n}"] = plan.selector_key(indicator)
        data[f"statement-{n}"] = indicator["statement"]
    response = client.post(url("action_edit", action.pk), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Évaluer avec le numérique" and action.due_date == date(2026, 6, 30)
    assert [i["q"] for i in action.indicators] == ["SCI_ASSESS_KNOWN", "SCI_MEMORY_KNOWN"]
    assert action.position == 0


def test_the_edit_form_offers_the_questionnaire_as_selects(personas):
    action = plan_of()[0]
    form = client_for(personas["pilot"]).get(url("action_edit", action.pk)).content.decode()
    assert re.search(r'<select name="finding-0"[^>]*id="action-finding-0"', form)
    assert re.search(r'<option value="SCI_ASSESS_KNOWN\|no" selected>', form)
    assert '<optgroup label="' in form and 'name="statement-0"' in form
    # One empty slot more than the action has findings, to add one.
    assert 'name="finding-2"' in form and 'name="finding-3"' not in form
    assert 'type="checkbox" name="themes"' in form


# ----------------------------------------------------------------------------- order and state

def move(client, action, direction):
    return client.post(url("action_move", action.pk), {"direction": direction})


def test_moving_up_at_the_top_and_down_at_the_bottom_change_nothing(personas):
    client = client_for(personas["pilot"])
    order = [a.pk for a in plan_of()]
    first, last = plan_of()[0], plan_of()[-1]
    response = move(client, first, "up")
    assert response.status_code == 302 and [a.pk for a in plan_of()] == order
    assert "déjà en tête du plan" in text(client.get(response["Location"]))
    assert move(client, last, "down").status_code == 302 and [a.pk for a in plan_of()] == order
    # One place up, then back down.
    assert move(client, plan_of()[1], "up").status_code == 302
    assert [a.pk for a in plan_of()] == [order[1], order[0], *order[2:]]
    move(client, Action.objects.get(pk=order[1]), "down")
    assert [a.pk for a in plan_of()] == order
    move(client, Action.objects.get(pk=order[0]), "down")
    assert [a.pk for a in plan_of()] == [order[1], order[0], *order[2:]]


def test_a_pilot_closes_an_action(personas):
    client = client_for(personas["pilot"])
    action = plan_of()[0]
    response = client.post(url("action_state", action.pk), {"status": "done"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    page = text(client.get(url("actions")))
    assert f"Action «{NBSP}{action.title}{NBSP}»{NBSP}: réalisée." in page and "Rouvrir" in page
    client.post(url("action_state", action.pk), {"status": "dropped"})
    action.refresh_from_db()
    assert action.status == ActionStatus.DROPPED


# ----------------------------------------------------------------------------- who may do what

def test_an_action_of_another_campaign_or_academie_is_a_404(personas):
    action = plan_of()[0]
    pilot = client_for(personas["pilot"])
    assert pilot.get(url("action_edit", action.pk, slug=NEXT)).status_code == 404
    assert pilot.post(url("action_move", action.pk, slug=NEXT), {"direction": "down"}).status_code == 404
    assert pilot.post(url("action_state", action.pk, slug=NEXT), {"status": "done"}).status_code == 404
    assert pilot.get(url("action_edit", 999_999)).status_code == 404
    outsider = client_for(personas["outsider"])
    for response in (outsider.get(url("actions")), outsider.get(url("action_edit", action.pk)),
                     outsider.post(url("action_state", action.pk), {"status": "done"})):
        assert response.status_code == 404
    action.refresh_from_db()
    assert action.status != ActionStatus.DONE


def test_a_reader_sees_the_plan_but_cannot_post(personas):
    reader = client_for(personas["reader"])
    action = plan_of()[0]
    assert reader.get(url("actions")).status_code == 200
    assert reader.post(url("action_new"), VALID).status_code == 404
    assert reader.post(url("action_edit", action.pk), VALID).status_code == 404
    assert reader.post(url("action_move", action.pk), {"direction": "down"}).status_code == 404
    assert reader.post(url("action_state", action.pk), {"status": "dropped"}).status_code == 404
    assert [a.pk for a in plan_of()] == [a.pk for a in Action.objects.filter(campaign__slug=SLUG)]
    assert Action.objects.get(pk=action.pk).title == action.title and not Action.objects.filter(title=VALID["title"])
    # The pilot's POST-only URLs refuse a GET.
    assert client_for(personas["pilot"]).get(url("action_move", action.pk)).status_code == 405


# ----------------------------------------------------------------------------- bad input

@pytest.mark.parametrize("data, field, message", [
    ({"due_date": "31/02/2026"}, "action-due_date",
     f"Date d'échéance «{NBSP}31/02/2026{NBSP}» invalide{NBSP}: une date réelle est attendue"),
    ({"due_date": "demain"}, "action-due_date", f"Date d'échéance «{NBSP}demain{NBSP}» invalide"),
    ({"due_date": "2026-13-01"}, "action-due_date", f"Date d'échéance «{NBSP}2026-13-01{NBSP}» invalide"),
    ({"finding-0": "NOPE|no"}, "action-finding-0",
     f"La réponse «{NBSP}NOPE|no{NBSP}» n'existe pas dans le questionnaire de cette campagne."),
    ({"finding-0": "SCI_A11Y_KNOWN|peut-être"}, "action-finding-0", "n'existe pas dans le questionnaire"),
    ({"statement-0": "ne savent pas"}, "action-finding-0", f"Choisissez la réponse que mesure le constat n°{NBSP}1"),
    ({"title": " "}, "action-title", "Saisissez l'intitulé de l'action."),
    ({"status": "oublie"}, "action-status", f"État «{NBSP}oublie{NBSP}» inconnu."),
    ({"themes": ["pas-un-theme"]}, "action-themes", f"Le thème «{NBSP}pas-un-theme{NBSP}» n'existe pas"),
    ({"title": "x" * 201}, "action-title", "Assurez-vous que cette valeur comporte au plus 200 caractères"),
], ids=["impossible date", "words", "ISO month 13", "forged question", "forged choice", "statement alone",
        "no title", "forged state", "forged theme", "over-long title"])
def test_bad_input_is_refused_in_french_and_nothing_is_saved(personas, data, field, message):
    before = [(a.pk, a.title, a.due_date, a.indicators) for a in plan_of()]
    action = plan_of()[0]
    for target in (url("action_new"), url("action_edit", action.pk)):
        response = client_for(personas["pilot"]).post(target, {**VALID, **data})
        assert response.status_code == 200
        body = response.content.decode()
        page = text(response)
        assert "rien n’a été enregistré" in page and message in page
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="{field}"', body) \
            or f'id="checkboxes-{field}"' in body
    assert [(a.pk, a.title, a.due_date, a.indicators) for a in plan_of()] == before


@pytest.mark.parametrize("target, data, message", [
    ("action_move", {}, "Le formulaire ne dit pas dans quel sens déplacer l'action."),
    ("action_move", {"direction": "gauche"}, f"Sens «{NBSP}gauche{NBSP}» inconnu"),
    ("action_state", {}, "Le formulaire ne dit pas quel état donner à l'action."),
    ("action_state", {"status": "fini"}, f"État «{NBSP}fini{NBSP}» inconnu."),
])
def test_a_malformed_move_or_state_change_is_refused(personas, target, data, message):
    action = plan_of()[1]
    before = [(a.pk, a.position, a.status) for a in plan_of()]
    response = client_for(personas["pilot"]).post(url(target, action.pk), data)
    assert response.status_code == 200
    assert message in text(response) and 'id="erreurs"' in response.content.decode()
    assert [(a.pk, a.position, a.status) for a in plan_of()] == before


# ----------------------------------------------------------------------------- last year's actions

def respondents(slug) -> int:
    return Response.objects.filter(campaign__slug=slug, status=ResponseStatus.SUBMITTED).count()


def assessment_row(follow_ups):
    (row,) = [r for f in follow_ups for r in f.indicators if r.finding.selector == {"q": "SCI_ASSESS_KNOWN", "c": "no"}]
    return row


def test_next_years_plan_shows_last_years_actions_beside_their_figures(personas):
    previous, current = Campaign.objects.get(slug=SLUG), Campaign.objects.get(slug=NEXT)
    row = assessment_row(plan.previous_follow_up(current, reveal_small=False))
    # The analysis' figures, as the report states them.
    before = campaign_results(previous, with_previous=False).question("SCI_ASSESS_KNOWN").option("no")
    now = campaign_results(current, with_previous=False).question("SCI_ASSESS_KNOWN").option("no")
    assert (row.before.percent, row.now.percent) == (before.percent_rounded, now.percent_rounded)
    points = now.percent_rounded - before.percent_rounded
    assert points != 0
    assert row.change == f"{'+' if points > 0 else '−'}{abs(points)}{NBSP}points"
    page = text(client_for(personas["reader"]).get(url("actions", slug=NEXT)))
    assert "Actions de l’an dernier" in page
    section = page.split("Actions de l’an dernier")[1]
    for action in plan_of(SLUG):
        assert action.title in section
    assert f"{before.percent_rounded}{NBSP}% {now.percent_rounded}{NBSP}% {row.change}" in section
    # The campaign with no earlier plan has no such section.
    assert "Actions de l’an dernier" not in text(client_for(personas["reader"]).get(url("actions")))


def test_a_figure_on_fewer_respondents_than_the_threshold_is_not_shown_to_readers(personas, settings):
    current = Campaign.objects.get(slug=NEXT)
    n_before, n_now = respondents(SLUG), respondents(NEXT)
    assert n_before != n_now
    low, high = sorted((n_before, n_now))
    # At the threshold: both years shown.
    settings.BILAN_SMALL_CELL_THRESHOLD = low
    row = assessment_row(plan.previous_follow_up(current, reveal_small=False))
    assert row.before.shown and row.now.shown and row.change is not None
    # One past it: the smaller year is withheld from readers, and so is the change.
    settings.BILAN_SMALL_CELL_THRESHOLD = low + 1
    row = assessment_row(plan.previous_follow_up(current, reveal_small=False))
    small, large = (row.before, row.now) if n_before < n_now else (row.now, row.before)
    assert small.withheld and small.percent is None and not small.shown
    assert large.shown and row.change is None
    reader_page = text(client_for(personas["reader"]).get(url("actions", slug=NEXT)))
    assert f"non diffusé (moins de {low + 1} répondant·es)" in reader_page
    # A pilot sees it, flagged.
    pilot_row = assessment_row(plan.previous_follow_up(current, reveal_small=True))
    pilot_small = pilot_row.before if n_before < n_now else pilot_row.now
    assert pilot_small.shown and pilot_small.small and pilot_row.change is not None
    pilot_page = text(client_for(personas["pilot"]).get(url("actions", slug=NEXT)))
    assert f"sur {low}{NBSP}répondant·es, non diffusé aux lecteurs" in pilot_page
    assert "non diffusé (moins de" not in pilot_page
    # Past both years: nothing for readers.
    settings.BILAN_SMALL_CELL_THRESHOLD = high + 1
    row = assessment_row(plan.previous_follow_up(current, reveal_small=False))
    assert row.before.withheld and row.now.withheld and row.change is None


def test_a_finding_the_questionnaire_lost_says_so(personas):
    current = Campaign.objects.get(slug=NEXT)
    action = plan_of()[0]
    action.indicators = [*action.indicators, {"q": "GONE", "c": "no", "statement": "ont disparu"}]
    action.save()
    follow = next(f for f in plan.previous_follow_up(current, reveal_small=False) if f.action.pk == action.pk)
    gone = follow.indicators[-1]
    assert not gone.before.measured and not gone.now.measured and gone.change is None
    page = text(client_for(personas["reader"]).get(url("actions", slug=NEXT)))
    assert f"question «{NBSP}GONE{NBSP}» (absente du questionnaire)" in page and "pas de mesure" in page
