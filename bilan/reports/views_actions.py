"""Staff pages of a campaign's action plan: read it (with last year's actions measured), add,
edit, reorder and close actions. Readers see the plan; pilots change it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.reports import actions as plan
from bilan.reports.forms import ActionForm, ActionMoveForm, ActionStatusForm
from bilan.reports.models import Action, ActionStatus
from bilan.surveys.access import staff_campaign_view

WRITE_METHODS = ("GET", "HEAD", "POST")
CLOSE_LABELS = {ActionStatus.DONE: "Marquer réalisée", ActionStatus.DROPPED: "Abandonner",
                ActionStatus.IN_PROGRESS: "Rouvrir"}


@dataclass
class ActionRow:
    action: Action
    findings: list[tuple[plan.Finding, str]]
    themes: list[str]
    overdue: bool
    first: bool
    last: bool

    @property
    def closed(self) -> bool:
        return self.action.status in plan.CLOSED_STATES

    @property
    def state_buttons(self) -> list[tuple[str, str]]:
        wanted = (ActionStatus.IN_PROGRESS,) if self.closed else (ActionStatus.DONE, ActionStatus.DROPPED)
        return [(status.value, CLOSE_LABELS[status]) for status in wanted]


def _anchor(campaign, action=None) -> str:
    url = reverse("reports:actions", args=[campaign.slug])
    return f"{url}#action-{action.pk}" if action is not None else url


def _plan_page(request, campaign, *, refused=None, title="", status=200):
    can_edit = has_role(request.user, campaign.academie_id, Role.PILOT)
    schema = campaign.questionnaire.schema
    labels = plan.theme_labels(campaign)
    today = timezone.localdate()
    items = list(Action.objects.filter(campaign=campaign))
    rows = [ActionRow(action=a,
                      findings=[(plan.describe(schema, i), i.get("statement", "")) for i in a.indicators],
                      themes=[labels.get(code, code) for code in a.themes],
                      overdue=plan.is_overdue(a, today), first=index == 0, last=index == len(items) - 1)
            for index, a in enumerate(items)]
    previous = campaign.previous
    return render(request, "reports/actions.html", {
        "campaign": campaign, "rows": rows, "can_edit": can_edit,
        "previous": previous, "follow_ups": plan.previous_follow_up(campaign, reveal_small=can_edit),
        "threshold": settings.BILAN_SMALL_CELL_THRESHOLD,
        "refused_title": title, "refused_summary": refused.error_summary() if refused is not None else [],
    }, status=status)


@staff_campaign_view()
def actions(request, campaign):
    return _plan_page(request, campaign)


def _form_page(request, campaign, action=None):
    initial = None
    if action is not None:
        initial = {"title": action.title, "description": action.description, "owner": action.owner,
                   "due_date": action.due_date, "status": action.status, "themes": list(action.themes)}
    form = ActionForm(plan.findings(campaign.questionnaire.schema), plan.themes(campaign),
                      request.POST if request.method == "POST" else None, initial=initial,
                      indicators=action.indicators if action is not None else ())
    if form.is_valid():
        data = form.cleaned_data
        saved = plan.save_action(campaign, plan.ActionInput(
            title=data["title"].strip(), description=data["description"].strip(), owner=data["owner"].strip(),
            due_date=data["due_date"], status=data["status"], indicators=form.indicators(),
            themes=list(data.get("themes", []))), action)
        done = "ajoutée au plan" if action is None else "enregistrée"
        messages.success(request, f"Action «\u00a0{saved.title}\u00a0» {done}.")
        return redirect(_anchor(campaign, saved))
    return render(request, "reports/action_form.html", {
        "campaign": campaign, "form": form, "action": action,
        "refused_summary": form.error_summary() if form.is_bound else [],
    })


@staff_campaign_view(needed=Role.PILOT, methods=WRITE_METHODS)
def action_new(request, campaign):
    return _form_page(request, campaign)


@staff_campaign_view(needed=Role.PILOT, methods=WRITE_METHODS)
def action_edit(request, campaign, action_id):
    return _form_page(request, campaign, get_object_or_404(Action, pk=action_id, campaign=campaign))


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def action_move(request, campaign, action_id):
    action = get_object_or_404(Action, pk=action_id, campaign=campaign)
    form = ActionMoveForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, campaign, refused=form, title=f"Déplacement de «\u00a0{action.title}\u00a0»")
    direction = form.cleaned_data["direction"]
    if plan.move_action(campaign, action, direction):
        moved = "montée" if direction == "up" else "descendue"
        messages.success(request, f"Action «\u00a0{action.title}\u00a0» {moved} d'un rang.")
    else:
        messages.info(request, f"Action «\u00a0{action.title}\u00a0» déjà "
                               f"{'en tête' if direction == 'up' else 'en fin'} du plan\u00a0: rien n'a changé.")
    return redirect(_anchor(campaign, action))


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def action_state(request, campaign, action_id):
    action = get_object_or_404(Action, pk=action_id, campaign=campaign)
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, campaign, refused=form, title=f"État de «\u00a0{action.title}\u00a0»")
    plan.set_status(action, form.cleaned_data["status"])
    messages.success(request, f"Action «\u00a0{action.title}\u00a0»\u00a0: {action.get_status_display()}.")
    return redirect(_anchor(campaign, action))
