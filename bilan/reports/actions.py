"""The action plan of a campaign: the findings an action answers, its place in the plan,
its state, and last year's actions measured on this year's answers.

A finding is a selector of the report template's kind (``{"q", "c"}`` for a choice,
``{"q", "row", "col"}`` for a grid cell) chosen from the campaign's questionnaire; its
figure is the analysis' share of respondents (:func:`bilan.reports.builder.estimate`,
what the report's « Suivi du plan d'action » states). A figure measured on fewer
respondents than ``settings.BILAN_SMALL_CELL_THRESHOLD`` is shown to pilots only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bilan.commentary.services import theme_records
from bilan.french import fr_points, guillemets
from bilan.questionnaire import Questionnaire, QuestionType
from bilan.reports import builder
from bilan.reports.models import Action, ActionStatus
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign

OPEN_STATES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
CLOSED_STATES = (ActionStatus.DONE, ActionStatus.DROPPED)
KEY_SEPARATOR = "|"


# --------------------------------------------------------------------------- findings

@dataclass(frozen=True)
class Finding:
    """One answer of the questionnaire an action can aim at."""

    key: str                 # « CODE|choice » or « CODE|row|column »: the form's value
    selector: dict
    section: str             # section title
    question: str            # question wording (short label)
    answer: str              # choice label, or « row — column »

    @property
    def label(self) -> str:
        return f"{self.question} (réponse {guillemets(self.answer)})"

    @property
    def default_statement(self) -> str:
        return f"ont répondu {guillemets(self.answer)} à {guillemets(self.question)}"


def selector_key(selector: dict) -> str:
    parts = [selector.get("q", "")] + ([selector.get("row", ""), selector.get("col", "")] if "row" in selector
                                       else [selector.get("c", "")])
    return KEY_SEPARATOR.join(str(p) for p in parts)


def findings(questionnaire: Questionnaire) -> list[Finding]:
    """Every choice of the choice questions and every cell of the grids, in questionnaire order."""
    found = []
    for section in questionnaire.sections:
        for question in section.questions:
            if question.type.is_choice:
                for choice in question.all_choices:
                    selector = {"q": question.code, "c": choice.code}
                    found.append(Finding(selector_key(selector), selector, section.title, question.label,
                                         choice.label))
            elif question.type is QuestionType.GRID:
                for row in question.rows:
                    for column in question.columns:
                        selector = {"q": question.code, "row": row.code, "col": column.code}
                        found.append(Finding(selector_key(selector), selector, section.title, question.label,
                                             f"{row.label}\u00a0: {column.label}"))
    return found


def describe(questionnaire: Questionnaire, indicator: dict) -> Finding:
    """The finding an indicator names, in words (its codes when the questionnaire no longer has it)."""
    selector = {k: v for k, v in indicator.items() if k != "statement"}
    key = selector_key(selector)
    for finding in findings(questionnaire):
        if finding.key == key:
            return finding
    answer = (f"{selector.get('row')}\u00a0: {selector.get('col')}" if "row" in selector
              else str(selector.get("c", "")))
    return Finding(key, selector, "", f"question {guillemets(str(selector.get('q', '')))} (absente du questionnaire)",
                   answer)


# --------------------------------------------------------------------------- themes

def themes(campaign: Campaign) -> list[tuple[str, str]]:
    """(code, label) of the live comment themes of the campaign's questionnaire."""
    return [(record.code, record.label) for record in theme_records(campaign)]


def theme_labels(campaign: Campaign) -> dict[str, str]:
    """Theme code → label (an action keeps the codes; a label stored as such is shown as it is)."""
    return dict(themes(campaign))


# --------------------------------------------------------------------------- workflows

@dataclass
class ActionInput:
    title: str
    description: str = ""
    owner: str = ""
    due_date: date | None = None
    status: str = ActionStatus.PLANNED
    indicators: list[dict] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


@transaction.atomic
def save_action(campaign: Campaign, data: ActionInput, action: Action | None = None) -> Action:
    """Create an action at the end of the plan, or change one of ``campaign``'s actions."""
    if action is None:
        # Locking the plan's rows (no aggregate: PostgreSQL refuses FOR UPDATE with one).
        positions = list(Action.objects.select_for_update().filter(campaign=campaign)
                         .values_list("position", flat=True))
        action = Action(campaign=campaign, position=max(positions, default=-1) + 1)
    elif action.campaign_id != campaign.id:
        raise ValueError("action d'une autre campagne")
    action.title = data.title
    action.description = data.description
    action.owner = data.owner
    action.due_date = data.due_date
    action.status = data.status
    action.indicators = data.indicators
    action.themes = data.themes
    action.save()
    return action


@transaction.atomic
def move_action(campaign: Campaign, action: Action, direction: str) -> bool:
    """Move one place up or down; False (nothing changed) at the top going up, at the bottom going down."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction {direction!r}")
    ordered = list(Action.objects.select_for_update().filter(campaign=campaign).order_by("position", "pk"))
    index = next(i for i, a in enumerate(ordered) if a.pk == action.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    changed = []
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            changed.append(item)
    Action.objects.bulk_update(changed, ["position"])
    return True


def set_status(action: Action, status: str) -> None:
    action.status = ActionStatus(status)
    action.save(update_fields=["status"])


def is_overdue(action: Action, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return action.due_date is not None and action.due_date < today and action.status in OPEN_STATES


# --------------------------------------------------------------------------- last year's actions, measured

@dataclass
class Figure:
    """A share of a year's respondents; ``percent`` is None when not shown (``withheld``) or not measured."""

    percent: int | None
    respondents: int
    withheld: bool = False     # under the small-cell threshold, and the viewer is not a pilot
    small: bool = False        # under the threshold (a pilot sees it, flagged)
    measured: bool = True      # the question and answer exist that year

    @property
    def shown(self) -> bool:
        return self.measured and not self.withheld and self.percent is not None


@dataclass
class IndicatorFollowUp:
    finding: Finding
    statement: str
    before: Figure
    now: Figure

    @property
    def figures(self) -> tuple[Figure, Figure]:
        return self.before, self.now

    @property
    def change(self) -> str | None:
        """« +6 points », « −3 points », « stable »; None when either figure is not shown."""
        if not (self.before.shown and self.now.shown):
            return None
        return fr_points(self.now.percent - self.before.percent)


@dataclass
class ActionFollowUp:
    action: Action
    indicators: list[IndicatorFollowUp]
    themes: list[str]


def _figure(results, selector: dict, threshold: int, reveal_small: bool) -> Figure:
    try:
        estimate = builder.estimate(results, selector)
    except builder.ReportTemplateError:
        return Figure(percent=None, respondents=results.respondents, measured=False)
    small = results.respondents < threshold
    withheld = small and not reveal_small
    return Figure(percent=None if withheld else estimate.percent_rounded, respondents=results.respondents,
                  withheld=withheld, small=small)


def previous_follow_up(campaign: Campaign, *, reveal_small: bool) -> list[ActionFollowUp]:
    """Last year's actions, each indicator with last year's figure and this year's.

    ``reveal_small``: the viewer is a pilot, who sees figures under the threshold (flagged).
    """
    previous = campaign.previous
    if previous is None:
        return []
    actions = list(Action.objects.filter(campaign=previous))
    if not actions:
        return []
    threshold = settings.BILAN_SMALL_CELL_THRESHOLD
    before_results = campaign_results(previous, with_previous=False)
    now_results = campaign_results(campaign, with_previous=False)
    labels = theme_labels(previous)
    follow_ups = []
    for action in actions:
        rows = []
        for indicator in action.indicators:
            finding = describe(previous.questionnaire.schema, indicator)
            rows.append(IndicatorFollowUp(
                finding=finding, statement=indicator.get("statement") or finding.default_statement,
                before=_figure(before_results, finding.selector, threshold, reveal_small),
                now=_figure(now_results, finding.selector, threshold, reveal_small)))
        follow_ups.append(ActionFollowUp(action=action, indicators=rows,
                                         themes=[labels.get(code, code) for code in action.themes]))
    return follow_ups
