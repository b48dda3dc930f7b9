"""A campaign's life from the staff pages: create it (from last year's or from scratch), change its
settings, move it through its states, and say where it stands in the yearly cycle.

Each rule is checked here, so that a script calling these functions gets the same French
refusals as the pages (``ValidationError``, with the field it concerns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from bilan.commentary.tasks import prepare_comments_pass_later
from bilan.french import NBSP, fr_datetime, guillemets
from bilan.outreach.models import MailKind, MailTemplate, OutgoingMail, ReminderPolicy
from bilan.reports.models import Action, ReportVersion
from bilan.roster.models import Academie, Mandate
from bilan.surveys.models import Campaign, CampaignState, QuestionnaireVersion, ResponseStatus
from bilan.surveys.services import register_builtin_questionnaire

# --- school years, dates, slugs ------------------------------------------------------------------

SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
SLUG = re.compile(r"[-a-z0-9_]+")
SLUG_MAX_LENGTH = Campaign._meta.get_field("slug").max_length


def check_school_year(text: str) -> str:
    """« 2024-2025 »: two consecutive years."""
    value = (text or "").strip()
    match = SCHOOL_YEAR.fullmatch(value)
    if not match:
        raise ValidationError(
            f"L'année scolaire s'écrit avec deux années séparées par un tiret, par exemple 2026-2027 "
            f"(reçu{NBSP}: {guillemets(value[:20])}).", code="format")
    first, second = int(match[1]), int(match[2])
    if second != first + 1:
        raise ValidationError(
            f"Une année scolaire va d'une année à la suivante{NBSP}: {first}-{first + 1}, "
            f"pas {guillemets(value)}.", code="consecutive")
    if not 2000 <= first <= 2200:
        raise ValidationError(f"L'année {first} est hors des années possibles (2000 à 2200).", code="range")
    return value


def next_school_year(school_year: str) -> str:
    first = int(school_year[:4]) + 1
    return f"{first}-{first + 1}"


def check_dates(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": (
            f"La clôture ({fr_datetime(timezone.localtime(closes_at))}) doit venir après l'ouverture "
            f"({fr_datetime(timezone.localtime(opens_at))}).")})


def slug_problem(slug: str, *, academie: Academie | None = None) -> str | None:
    """Why ``slug`` cannot name a new campaign, or None."""
    if not SLUG.fullmatch(slug or ""):
        return ("L'identifiant court ne peut contenir que des lettres minuscules sans accent, des chiffres "
                "et des tirets, par exemple 2026-2027.")
    if len(slug) > SLUG_MAX_LENGTH:
        return f"L'identifiant court fait {SLUG_MAX_LENGTH} caractères au plus."
    if Campaign.objects.filter(slug=slug).exists():
        return (f"L'identifiant court {guillemets(slug)} est déjà celui d'une autre campagne{NBSP}: "
                f"choisissez-en un autre, par exemple {guillemets(free_slug(slug, academie))}.")
    return None


def free_slug(base: str, academie: Academie | None = None) -> str:
    """``base`` if no campaign has it, else the académie's code before it, else a number after it."""
    candidates = [base]
    if academie is not None:
        candidates.append(f"{academie.code}-{base}")
    candidates += [f"{candidates[-1]}-{n}" for n in range(2, 100)]
    taken = set(Campaign.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    return next(c for c in candidates if c not in taken)


def title_for(school_year: str, source: Campaign | None) -> str:
    """Last year's title with this year's dates (« Bilan des RUPN 2026/2027 »)."""
    new_slash = school_year.replace("-", "/")
    if source is not None:
        for old in (source.school_year.replace("-", "/"), source.school_year):
            if old in source.title:
                return source.title.replace(old, new_slash if "/" in old else school_year)
    return f"Bilan des RUPN {new_slash}"


# --- creation ------------------------------------------------------------------------------------

def campaigns_of(academie: Academie):
    return Campaign.objects.filter(academie=academie).select_related("questionnaire").order_by("-school_year", "-pk")


def questionnaire_choices(academie: Academie) -> list[QuestionnaireVersion]:
    """The versions the académie's campaigns use (newest first); the built-in one comes on demand."""
    return list(QuestionnaireVersion.objects.filter(campaigns__academie=academie).distinct()
                .order_by("-created_at", "-pk"))


BUILTIN = "builtin"  # the built-in questionnaire, registered when chosen


@transaction.atomic
def create_campaign(*, academie: Academie, title: str, school_year: str, slug: str, opens_at: datetime,
                    closes_at: datetime, source: Campaign | None = None,
                    questionnaire: QuestionnaireVersion | str | None = None, anonymous: bool | None = None,
                    copy_mail_templates: bool = True, copy_reminder_policy: bool = True) -> Campaign:
    """A new campaign in preparation (draft), from ``source`` (last year's) or from scratch.

    From a source, what is not given is carried over: its questionnaire version, its anonymity
    mode, and (unless told not to) its mail templates and reminder policy. From scratch: the
    built-in questionnaire, named answers, the default e-mails and reminders.
    """
    if source is not None and source.academie_id != academie.id:
        raise ValidationError({"source": "La campagne de départ n'est pas de cette académie."})
    errors = {}
    try:
        school_year = check_school_year(school_year)
    except ValidationError as error:
        errors["school_year"] = error.messages
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Donnez un titre à la campagne."]
    problem = slug_problem(slug, academie=academie)
    if problem:
        errors["slug"] = [problem]
    try:
        check_dates(opens_at, closes_at)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if questionnaire == BUILTIN or (questionnaire is None and source is None):
        questionnaire = register_builtin_questionnaire()
    elif questionnaire is None:
        questionnaire = source.questionnaire
    if anonymous is None:
        anonymous = source.anonymous if source is not None else False
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                academie=academie, title=title, school_year=school_year, slug=slug, questionnaire=questionnaire,
                opens_at=opens_at, closes_at=closes_at, anonymous=anonymous, previous=source,
                state=CampaignState.DRAFT)
    except IntegrityError:
        # Another pilot took the slug between the check and now.
        raise ValidationError({"slug": [slug_problem(slug, academie=academie) or "Identifiant court déjà pris."]}) \
            from None
    if source is not None and copy_mail_templates:
        MailTemplate.objects.bulk_create([
            MailTemplate(campaign=campaign, kind=t.kind, subject=t.subject, text_body=t.text_body,
                         html_body=t.html_body)
            for t in MailTemplate.objects.filter(campaign=source)])
    if source is not None and copy_reminder_policy:
        policy = ReminderPolicy.objects.filter(campaign=source).first()
        if policy is not None:
            policy.pk = policy.id = None
            policy.campaign = campaign
            policy._state.adding = True
            policy.save()
    return campaign


# --- settings ------------------------------------------------------------------------------------

@transaction.atomic
def update_settings(campaign: Campaign, *, title: str, opens_at: datetime, closes_at: datetime,
                    anonymous: bool) -> Campaign:
    if campaign.state == CampaignState.ARCHIVED:
        raise ValidationError("Une campagne archivée ne se modifie plus.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "Donnez un titre à la campagne."})
    check_dates(opens_at, closes_at)
    campaign.title, campaign.opens_at, campaign.closes_at = title, opens_at, closes_at
    campaign.anonymous = anonymous
    campaign.save()  # refuses a change of anonymity once answers exist (Campaign.check_anonymity_change)
    return campaign


# --- states --------------------------------------------------------------------------------------

STATE_NAMES = {
    CampaignState.DRAFT: "En préparation",
    CampaignState.OPEN: "Ouverte",
    CampaignState.CLOSED: "Close",
    CampaignState.ARCHIVED: "Archivée",
}

# What each state allows, as the hub page says it.
STATE_ALLOWS = {
    CampaignState.DRAFT: (
        f"En préparation{NBSP}: le questionnaire, les dates et les courriels se modifient librement{NBSP}; "
        "personne ne peut répondre."),
    CampaignState.OPEN: (
        f"Ouverte{NBSP}: les personnes invitées répondent entre l'ouverture et la clôture, et peuvent modifier "
        f"leur réponse jusqu'à la clôture{NBSP}; les invitations et les relances partent{NBSP}; "
        "le questionnaire est figé dès la première réponse."),
    CampaignState.CLOSED: (
        f"Close{NBSP}: plus personne ne peut répondre ni modifier sa réponse, aucune relance ne part{NBSP}; "
        "les résultats, les commentaires et le compte-rendu se préparent et se publient."),
    CampaignState.ARCHIVED: (
        f"Archivée{NBSP}: la campagne se consulte (résultats, compte-rendu publié) mais ne change plus{NBSP}; "
        "elle sert de point de comparaison aux années suivantes."),
}


@dataclass(frozen=True)
class Transition:
    code: str
    label: str        # the button
    source: str
    target: str
    explains: str     # what it does, beside the button
    refused: str      # why it is refused from another state


TRANSITIONS = {t.code: t for t in (
    Transition("open", "Ouvrir la campagne", CampaignState.DRAFT, CampaignState.OPEN,
               "Les personnes invitées pourront répondre à partir de la date d'ouverture.",
               f"Impossible d'ouvrir la campagne{NBSP}: seule une campagne en préparation s'ouvre"),
    Transition("extend", "Prolonger la campagne", CampaignState.OPEN, CampaignState.OPEN,
               f"Repousse la date de clôture{NBSP}: les réponses restent possibles jusqu'à la nouvelle date.",
               f"Impossible de prolonger la campagne{NBSP}: seule une campagne ouverte se prolonge"),
    Transition("close", "Clore la campagne", CampaignState.OPEN, CampaignState.CLOSED,
               f"Plus personne ne pourra répondre ni modifier sa réponse{NBSP}; les relances prévues sont annulées.",
               f"Impossible de clore la campagne{NBSP}: seule une campagne ouverte se clôt"),
    Transition("archive", "Archiver la campagne", CampaignState.CLOSED, CampaignState.ARCHIVED,
               f"La campagne ne pourra plus changer{NBSP}; elle reste consultable.",
               f"Impossible d'archiver la campagne{NBSP}: seule une campagne close s'archive"),
)}


def allowed_transitions(campaign: Campaign) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if campaign.state == t.source]


def check_transition(campaign: Campaign, action: str) -> Transition:
    """The move ``action`` from the campaign's state, or its refusal in French."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError({"action": f"Action {guillemets(str(action)[:40])} inconnue."})
    if campaign.state != transition.source:
        raise ValidationError({"action": (
            f"{transition.refused}, et celle-ci est {STATE_NAMES[campaign.state].lower()}.")})
    return transition


@transaction.atomic
def change_state(campaign: Campaign, action: str, *, closes_at: datetime | None = None,
                 now: datetime | None = None) -> Campaign:
    """Open, extend (to ``closes_at``), close or archive; an impossible move is refused in French."""
    now = now or timezone.now()
    # Read the state again under the transaction: two pilots may click at once.
    campaign = Campaign.objects.select_for_update().select_related("academie", "questionnaire").get(pk=campaign.pk)
    transition = check_transition(campaign, action)
    if action == "open" and campaign.closes_at <= now:
        raise ValidationError({"action": (
            f"La date de clôture ({fr_datetime(timezone.localtime(campaign.closes_at))}) est passée{NBSP}: "
            "repoussez-la dans les réglages avant d'ouvrir la campagne.")})
    if action == "extend":
        if closes_at is None:
            raise ValidationError({"closes_at": "Choisissez la nouvelle date de clôture."})
        if closes_at <= campaign.closes_at:
            raise ValidationError({"closes_at": (
                f"La nouvelle clôture doit venir après l'actuelle "
                f"({fr_datetime(timezone.localtime(campaign.closes_at))}).")})
        if closes_at <= now:
            raise ValidationError({"closes_at": "La nouvelle clôture doit être dans le futur."})
        campaign.closes_at = closes_at
    if action == "close" and campaign.opens_at < now < campaign.closes_at:
        # Closed before its date: the dates shown say when answers stopped.
        campaign.closes_at = now
    campaign.state = transition.target
    campaign.save(update_fields=["state", "closes_at"])
    if action == "close":
        # Its answers are final: the worker groups its comments now, for the pages that read them next.
        transaction.on_commit(lambda: prepare_comments_pass_later(campaign=campaign))
    return campaign


# --- where a campaign stands in the cycle -------------------------------------------------------

STAGES = (
    ("preparation", "Préparation"),
    ("collecte", "Collecte"),
    ("analyse", "Analyse"),
    ("publie", "Compte-rendu publié"),
    ("suivi", "Plan d'action suivi"),
)
STAGE_LABELS = dict(STAGES)


@dataclass(frozen=True)
class NextStep:
    label: str          # the button
    explains: str       # one sentence
    url_name: str       # a page of the URL map, or "" for the hub's state form
    anchor: str = ""
    academie_level: bool = False  # the page takes the académie's code, not the campaign's slug


@dataclass(frozen=True)
class Standing:
    stage: str
    stage_label: str
    number: int          # 1 to 5
    invited: int
    submitted: int
    published: int       # report versions
    actions: int
    next_step: NextStep

    @property
    def next_stage_label(self) -> str:
        return STAGES[self.number][1] if self.number < len(STAGES) else ""


def standing(campaign: Campaign, now: datetime | None = None) -> Standing:
    """Where ``campaign`` stands, read from its data, and the one next thing to do."""
    now = now or timezone.now()
    invited = campaign.invitations.count()
    # Responses, not invitations: answers imported from a file have no invitation.
    submitted = campaign.responses.filter(status=ResponseStatus.SUBMITTED).count()
    published = ReportVersion.objects.filter(campaign=campaign).count()
    actions = Action.objects.filter(campaign=campaign).count()
    if campaign.state == CampaignState.DRAFT:
        stage = "preparation"
        has_roster = Mandate.objects.filter(school_year=campaign.school_year,
                                            school__departement__academie_id=campaign.academie_id).exists()
        if not has_roster:
            step = NextStep("Importer le référentiel",
                            f"Aucun·e référent·e n'est enregistré·e pour {campaign.school_year}{NBSP}: importez "
                            "la liste de l'année avant d'inviter.", "roster:index", academie_level=True)
        else:
            step = NextStep("Relire le questionnaire puis ouvrir la campagne",
                            "Vérifiez le questionnaire et les courriels, puis ouvrez la campagne.",
                            "questionnaires:detail")
    elif campaign.state == CampaignState.OPEN:
        stage = "collecte"
        mailed = OutgoingMail.objects.filter(campaign=campaign, kind=MailKind.INVITATION).exists()
        if not mailed:
            step = NextStep("Envoyer les invitations",
                            "Personne n'a encore reçu d'invitation à répondre.", "outreach:invitations")
        elif campaign.closes_at <= now:
            step = NextStep("Clore la campagne",
                            f"La date de clôture est passée{NBSP}: closez la campagne pour analyser les réponses.",
                            "", anchor="etat")
        else:
            step = NextStep("Suivre la participation",
                            f"Réponses possibles jusqu'au {fr_datetime(timezone.localtime(campaign.closes_at))}"
                            f"{NBSP}: suivez qui a répondu et relancez.", "outreach:board")
    elif actions:
        # The plan may have been written before the report was published: it is followed all the same.
        stage = "suivi"
        if not published:
            step = NextStep("Publier le compte-rendu",
                            f"Le plan d'action est écrit mais le compte-rendu n'est pas publié{NBSP}: "
                            "relisez-le et publiez-le pour le réseau.", "reports:detail")
        else:
            step = NextStep("Suivre le plan d'action",
                            f"Mettez à jour l'état de chaque action{NBSP}; la campagne suivante montrera leurs "
                            "effets.", "reports:actions")
    elif not published:
        stage = "analyse"
        step = NextStep("Rédiger et publier le compte-rendu",
                        "Lisez les résultats et les commentaires, relisez le compte-rendu et publiez-le.",
                        "reports:detail")
    else:
        stage = "publie"
        step = NextStep("Écrire le plan d'action",
                        f"Le compte-rendu est publié{NBSP}: notez les actions décidées après le bilan.",
                        "reports:actions")
    number = [code for code, _ in STAGES].index(stage) + 1
    return Standing(stage, STAGE_LABELS[stage], number, invited, submitted, published, actions, step)
