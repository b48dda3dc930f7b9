"""The staff home page, and each campaign's own pages: its hub, its creation, its settings, its states.

Its own app, at the top layer, because it links every other app's pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from bilan.audit.services import record
from bilan.core.models import Role
from bilan.core.permissions import academies_of, has_role
from bilan.dashboard import services
from bilan.dashboard.forms import CampaignCreateForm, CampaignSettingsForm, CampaignStateForm
from bilan.french import NBSP, fr_datetime, guillemets
from bilan.roster.access import pilot_academie_view
from bilan.surveys.access import staff_campaign_view
from bilan.surveys.models import Campaign, CampaignState

# Staff pages of a campaign, in the order shown; pages not built yet are skipped.
CAMPAIGN_PAGES = [
    ("outreach:board", "Participation"),
    ("results:overview", "Résultats"),
    ("commentary:index", "Commentaires"),
    ("reports:detail", "Compte-rendu"),
]

# The hub's pages, step by step: (URL name, label, for pilots only, takes the académie's code).
HUB_STEPS = [
    ("Préparation", [
        ("dashboard:campaign_edit", "Réglages (titre, dates, anonymat)", True, False),
        ("questionnaires:detail", "Questionnaire", False, False),
        ("roster:index", "Référentiel de l'académie", True, True),
        ("outreach:mails", "Modèles de courriel", True, False),
        ("outreach:reminders", "Relances", True, False),
    ]),
    ("Collecte", [
        ("outreach:invitations", "Invitations et envoi", True, False),
        ("outreach:board", "Participation", False, False),
    ]),
    ("Analyse et compte-rendu", [
        ("results:overview", "Résultats", False, False),
        ("commentary:index", "Commentaires", False, False),
        ("reports:detail", "Compte-rendu", False, False),
    ]),
    ("Après le bilan", [
        ("reports:actions", "Plan d'action", False, False),
    ]),
]

ACADEMIE_PAGES = [("roster:index", "Référentiel (établissements et référent·es)"),
                  ("accounts:team", "Équipe et accès"),
                  ("retention:index", "Données personnelles et durées de conservation"),
                  ("audit:log", "Journal des actions")]


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def staff_links(campaign):
    links = []
    for name, label in CAMPAIGN_PAGES:
        url = _url(name, campaign.slug)
        if url:
            links.append({"url": url, "label": label})
    return links


def next_step_url(campaign, step: services.NextStep) -> str:
    """The page that does the next step; the hub's state buttons when it has none (or is not built yet)."""
    hub = reverse("dashboard:campaign", args=[campaign.slug])
    if not step.url_name:
        return f"{hub}#{step.anchor}" if step.anchor else hub
    url = _url(step.url_name, campaign.academie.code if step.academie_level else campaign.slug)
    return url or f"{hub}#etapes"


@dataclass
class AcademieBlock:
    academie: object
    is_pilot: bool
    campaigns: list
    new_url: str
    links: list


# Reading only: a POST here would otherwise be answered as a GET and its body silently ignored.
@require_safe
@login_required
def home(request):
    academies = list(academies_of(request.user).order_by("name"))
    campaigns = list(Campaign.objects.filter(academie__in=academies)
                     .select_related("questionnaire", "academie").order_by("-school_year", "-pk"))
    blocks = []
    for academie in academies:
        is_pilot = has_role(request.user, academie.id, Role.PILOT)
        mine = [c for c in campaigns if c.academie_id == academie.id]
        for campaign in mine:
            campaign.standing = services.standing(campaign)
            campaign.next_url = next_step_url(campaign, campaign.standing.next_step)
            campaign.state_name = services.STATE_NAMES[campaign.state]
        links = [{"url": url, "label": label} for name, label in ACADEMIE_PAGES
                 if is_pilot and (url := _url(name, academie.code))]
        blocks.append(AcademieBlock(academie, is_pilot, mine,
                                    reverse("dashboard:campaign_new", args=[academie.code]), links))
    return render(request, "dashboard/home.html", {"blocks": blocks, "any_campaign": bool(campaigns)})


# ----------------------------------------------------------------------------- the hub

@staff_campaign_view()
def campaign(request, campaign):
    return _hub(request, campaign)


def _hub(request, campaign, state_form=None):
    is_pilot = has_role(request.user, campaign.academie_id, Role.PILOT)
    standing = services.standing(campaign)
    steps = []
    for heading, pages in HUB_STEPS:
        links = []
        for name, label, pilot_only, academie_level in pages:
            if pilot_only and not is_pilot:
                continue
            url = _url(name, campaign.academie.code if academie_level else campaign.slug)
            if url:
                links.append({"url": url, "label": label})
        if links:
            steps.append({"heading": heading, "links": links})
    transitions = services.allowed_transitions(campaign) if is_pilot else []
    refused = state_form is not None and state_form.errors
    return render(request, "dashboard/campaign.html", {
        "campaign": campaign, "is_pilot": is_pilot, "standing": standing, "stages": services.STAGES,
        "next_url": next_step_url(campaign, standing.next_step), "steps": steps,
        "state_name": services.STATE_NAMES[campaign.state],
        "states": [(code, services.STATE_NAMES[code], services.STATE_ALLOWS[code]) for code in CampaignState.values],
        "transitions": transitions, "state_form": state_form or CampaignStateForm(),
        "refused_action": state_form.data.get("action") if refused else "",
        "refused_summary": state_form.error_summary("#etat") if refused else [],
        "next_campaigns": list(campaign.next_campaigns.order_by("-school_year")),
        "new_url": f"{reverse('dashboard:campaign_new', args=[campaign.academie.code])}?depuis={campaign.slug}",
    })


@staff_campaign_view(needed=Role.PILOT, methods=("POST",))
def campaign_state(request, campaign):
    form = CampaignStateForm(request.POST)
    form.is_valid()
    if form.cleaned_data.get("action"):
        try:
            services.check_transition(campaign, form.cleaned_data["action"])
        except ValidationError as error:
            # A move the state does not allow: that is the one thing to say (not the date of a hidden field).
            form.errors.pop("closes_at", None)
            _add_errors(form, error)
    if not form.errors:
        try:
            changed = services.change_state(campaign, form.cleaned_data["action"],
                                            closes_at=form.cleaned_data.get("closes_at"))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            record(request, "campaign_state_changed", academie=changed.academie_id,
                   target=f"{changed.slug} : {changed.get_state_display()}")
            messages.success(request, _state_message(changed, form.cleaned_data["action"]))
            return redirect("dashboard:campaign", campaign.slug)
    return _hub(request, campaign, form)


def _state_message(campaign, action: str) -> str:
    closes = fr_datetime(timezone.localtime(campaign.closes_at))
    return {
        "open": f"Campagne ouverte. Réponses possibles jusqu'au {closes}.",
        "extend": f"Campagne prolongée jusqu'au {closes}.",
        "close": f"Campagne close{NBSP}: plus personne ne peut répondre.",
        "archive": "Campagne archivée.",
    }[action]


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# ----------------------------------------------------------------------------- creation and settings

@pilot_academie_view(methods=("GET", "HEAD", "POST"))
def campaign_new(request, academie):
    form = CampaignCreateForm(academie, request.POST if request.method == "POST" else None,
                              initial=_creation_initial(academie, request.GET.get("depuis", "")))
    if form.is_valid():
        try:
            created = services.create_campaign(**form.options())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Campagne {guillemets(created.title)} créée, en préparation.")
            return redirect("dashboard:campaign", created.slug)
    return render(request, "dashboard/campaign_new.html", {
        "academie": academie, "form": form,
        "refused_summary": form.error_summary() if form.is_bound else []})


def _creation_initial(academie, source_slug: str = "") -> dict:
    """Proposed values: next year after the académie's latest campaign, from that campaign
    (or from the one the hub's « Préparer l'année suivante » names, ``?depuis=<slug>``)."""
    campaigns = services.campaigns_of(academie)
    latest = campaigns.first()
    if latest is None:
        return {"source": "", "questionnaire": services.BUILTIN}
    source = campaigns.filter(slug=source_slug).first() or latest
    school_year = services.next_school_year(latest.school_year)
    shift = int(school_year[:4]) - int(source.school_year[:4])
    return {
        "source": source.slug, "school_year": school_year, "title": services.title_for(school_year, source),
        "slug": services.free_slug(school_year, academie),
        "opens_at": _years_later(source.opens_at, shift), "closes_at": _years_later(source.closes_at, shift),
    }


def _years_later(moment, years: int):
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@staff_campaign_view(needed=Role.PILOT, methods=("GET", "HEAD", "POST"))
def campaign_edit(request, campaign):
    initial = {"title": campaign.title, "opens_at": campaign.opens_at, "closes_at": campaign.closes_at,
               "anonymous": campaign.anonymous}
    form = CampaignSettingsForm(request.POST if request.method == "POST" else None, initial=initial)
    if campaign.state == CampaignState.ARCHIVED and form.is_bound:
        form.is_valid()
        form.add_error(None, "Une campagne archivée ne se modifie plus.")
    elif form.is_valid():
        try:
            services.update_settings(campaign, **form.cleaned_data)
        except ValidationError as error:
            campaign.refresh_from_db()
            _add_errors(form, error)
        else:
            messages.success(request, "Réglages enregistrés.")
            return redirect("dashboard:campaign", campaign.slug)
    return render(request, "dashboard/campaign_edit.html", {
        "campaign": campaign, "form": form, "archived": campaign.state == CampaignState.ARCHIVED,
        "has_answers": campaign.has_answers(),
        "refused_summary": form.error_summary() if form.is_bound else []})
