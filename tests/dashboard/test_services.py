"""Creating a campaign (from last year's or from scratch), its settings, its states, its standing in the cycle."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from bilan.dashboard import services
from bilan.outreach.models import MailKind, MailTemplate, OutgoingMail, ReminderPolicy
from bilan.reports.models import Action, ReportVersion
from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.surveys.models import Campaign, CampaignState, Invitation, QuestionnaireVersion, Response
from bilan.surveys.services import register_builtin_questionnaire

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")  # the site's time zone (settings.TIME_ZONE)
OPENS = datetime(2026, 9, 1, 9, 0, tzinfo=PARIS)
CLOSES = datetime(2026, 10, 15, 23, 0, tzinfo=PARIS)


@pytest.fixture
def academie():
    return Academie.objects.create(code="poitiers", name="Poitiers")


@pytest.fixture
def other_version():
    source = register_builtin_questionnaire().source_yaml
    return QuestionnaireVersion.objects.create(code="bilan-rupn", version="99", title="Autre version",
                                               source_yaml=source)


@pytest.fixture
def last_year(academie):
    campaign = Campaign.objects.create(
        academie=academie, slug="2025-2026", title="Bilan des RUPN 2025/2026", school_year="2025-2026",
        questionnaire=register_builtin_questionnaire(), opens_at=OPENS - timedelta(days=365),
        closes_at=CLOSES - timedelta(days=365), state=CampaignState.CLOSED, anonymous=True)
    for kind, subject in ((MailKind.INVITATION, "Votre bilan, cette année"), (MailKind.REMINDER, "Petit rappel")):
        MailTemplate.objects.create(campaign=campaign, kind=kind, subject=subject,
                                    text_body="Bonjour, {{ lien }}", html_body="<p>{{ lien }}</p>")
    ReminderPolicy.objects.create(campaign=campaign, days_after_opening=[5, 12], days_before_closing=[1],
                                  max_reminders=2, min_gap_days=4, target_rate=0.6, send_thanks=False)
    return campaign


def create(academie, **options):
    values = {"academie": academie, "title": "Bilan des RUPN 2026/2027", "school_year": "2026-2027",
              "slug": "2026-2027", "opens_at": OPENS, "closes_at": CLOSES}
    return services.create_campaign(**{**values, **options})


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# ----------------------------------------------------------------------------- carry-over

def test_everything_is_carried_over_from_last_years_campaign(academie, last_year):
    campaign = create(academie, source=last_year)
    assert campaign.previous == last_year and campaign.state == CampaignState.DRAFT
    assert campaign.questionnaire == last_year.questionnaire
    assert campaign.anonymous is True
    assert sorted(campaign.mail_templates.values_list("kind", "subject")) == [
        ("invitation", "Votre bilan, cette année"), ("reminder", "Petit rappel")]
    policy = ReminderPolicy.objects.get(campaign=campaign)
    assert (policy.days_after_opening, policy.days_before_closing, policy.max_reminders, policy.min_gap_days,
            policy.target_rate, policy.send_thanks) == ([5, 12], [1], 2, 4, 0.6, False)
    # Last year's keep theirs.
    assert last_year.mail_templates.count() == 2 and ReminderPolicy.objects.filter(campaign=last_year).exists()


def test_the_questionnaire_can_be_changed(academie, last_year, other_version):
    assert create(academie, source=last_year, questionnaire=other_version).questionnaire == other_version


def test_the_anonymity_mode_can_be_changed(academie, last_year):
    assert create(academie, source=last_year, anonymous=False).anonymous is False


def test_the_mail_templates_can_be_left_behind(academie, last_year):
    campaign = create(academie, source=last_year, copy_mail_templates=False)
    assert not campaign.mail_templates.exists()
    assert ReminderPolicy.objects.filter(campaign=campaign).exists()


def test_the_reminder_policy_can_be_left_behind(academie, last_year):
    campaign = create(academie, source=last_year, copy_reminder_policy=False)
    assert not ReminderPolicy.objects.filter(campaign=campaign).exists()
    assert campaign.mail_templates.count() == 2


def test_from_scratch_takes_the_builtin_questionnaire_and_the_defaults(academie, last_year, other_version):
    campaign = create(academie)
    assert campaign.previous is None and campaign.anonymous is False
    assert campaign.questionnaire == register_builtin_questionnaire()
    assert not campaign.mail_templates.exists() and not ReminderPolicy.objects.filter(campaign=campaign).exists()


def test_the_builtin_questionnaire_can_be_chosen_over_last_years(academie, last_year, other_version):
    last_year.questionnaire = other_version
    last_year.save()
    assert create(academie, source=last_year, questionnaire=services.BUILTIN).questionnaire.version != "99"


def test_a_campaign_of_another_academie_is_not_a_source(academie, last_year):
    other = Academie.objects.create(code="limoges", name="Limoges")
    assert "source" in refusal(lambda: create(other, source=last_year))
    assert not Campaign.objects.filter(slug="2026-2027").exists()


# ----------------------------------------------------------------------------- rules at their limits

def test_closing_at_the_opening_minute_is_refused_one_minute_later_accepted(academie):
    errors = refusal(lambda: create(academie, closes_at=OPENS))
    assert errors["closes_at"] == ["La clôture (1er\u00a0septembre 2026 à 9\u00a0h\u00a000) doit venir après "
                                   "l'ouverture (1er\u00a0septembre 2026 à 9\u00a0h\u00a000)."]
    assert not Campaign.objects.exists()
    assert create(academie, closes_at=OPENS + timedelta(minutes=1)).closes_at == OPENS + timedelta(minutes=1)


@pytest.mark.parametrize("text", ["2026-2027", " 2026-2027 ", "2000-2001"])
def test_a_school_year_of_two_consecutive_years_is_accepted(text):
    assert services.check_school_year(text) == text.strip()


@pytest.mark.parametrize("text, message", [
    ("2026-2028", "Une année scolaire va d'une année à la suivante\u00a0: 2026-2027, pas «\u00a02026-2028\u00a0»."),
    ("2026-2026", "Une année scolaire va d'une année à la suivante\u00a0: 2026-2027"),
    ("2027-2026", "Une année scolaire va d'une année à la suivante"),
    ("2026/2027", "L'année scolaire s'écrit avec deux années séparées par un tiret"),
    ("26-27", "L'année scolaire s'écrit avec deux années séparées par un tiret"),
    ("", "L'année scolaire s'écrit avec deux années séparées par un tiret"),
    ("1999-2000", "L'année 1999 est hors des années possibles"),
])
def test_a_wrong_school_year_is_refused(text, message):
    with pytest.raises(ValidationError) as caught:
        services.check_school_year(text)
    assert message in caught.value.messages[0]


def test_a_slug_taken_is_refused_with_a_free_one_proposed(academie, last_year):
    errors = refusal(lambda: create(academie, slug="2025-2026"))
    assert errors["slug"] == ["L'identifiant court «\u00a02025-2026\u00a0» est déjà celui d'une autre campagne\u00a0: "
                              "choisissez-en un autre, par exemple «\u00a0poitiers-2025-2026\u00a0»."]
    assert Campaign.objects.count() == 1
    assert create(academie, slug="poitiers-2025-2026").slug == "poitiers-2025-2026"


def test_a_slug_with_spaces_or_capitals_is_refused(academie):
    assert "lettres minuscules" in refusal(lambda: create(academie, slug="Bilan 2026"))["slug"][0]


def test_every_problem_is_listed_at_once_and_nothing_is_saved(academie, last_year):
    errors = refusal(lambda: create(academie, source=last_year, title=" ", school_year="2026-2028",
                                    slug="2025-2026", closes_at=OPENS))
    assert set(errors) == {"title", "school_year", "slug", "closes_at"}
    assert Campaign.objects.count() == 1 and MailTemplate.objects.count() == 2


def test_the_proposed_title_and_slug_follow_the_school_year(academie, last_year):
    assert services.title_for("2026-2027", last_year) == "Bilan des RUPN 2026/2027"
    assert services.title_for("2026-2027", None) == "Bilan des RUPN 2026/2027"
    assert services.next_school_year("2025-2026") == "2026-2027"
    assert services.free_slug("2026-2027", academie) == "2026-2027"
    assert services.free_slug("2025-2026", academie) == "poitiers-2025-2026"


# ----------------------------------------------------------------------------- settings

def test_settings_change_title_dates_and_anonymity_before_any_answer(academie, last_year):
    campaign = create(academie, source=last_year)
    services.update_settings(campaign, title="Nouveau titre", opens_at=OPENS, closes_at=CLOSES + timedelta(days=3),
                             anonymous=False)
    campaign.refresh_from_db()
    assert (campaign.title, campaign.closes_at, campaign.anonymous) == ("Nouveau titre", CLOSES + timedelta(days=3),
                                                                        False)


def test_anonymity_does_not_change_once_answers_exist(academie, last_year):
    Response.objects.create(campaign=last_year, school_type="clg", departement_code="86", answers={})
    errors = refusal(lambda: services.update_settings(last_year, title=last_year.title, opens_at=last_year.opens_at,
                                                      closes_at=last_year.closes_at, anonymous=False))
    assert "ne peut plus changer de mode" in errors["anonymous"][0]
    last_year.refresh_from_db()
    assert last_year.anonymous is True


def test_an_archived_campaign_keeps_its_settings(academie, last_year):
    last_year.state = CampaignState.ARCHIVED
    last_year.save()
    with pytest.raises(ValidationError, match="archivée ne se modifie plus"):
        services.update_settings(last_year, title="Autre", opens_at=OPENS, closes_at=CLOSES, anonymous=True)


# ----------------------------------------------------------------------------- states

NOW = OPENS + timedelta(days=2)


def test_the_year_open_extend_close_archive(academie, django_capture_on_commit_callbacks):
    campaign = create(academie)
    assert [t.code for t in services.allowed_transitions(campaign)] == ["open"]
    campaign = services.change_state(campaign, "open", now=NOW)
    assert campaign.state == CampaignState.OPEN
    assert [t.code for t in services.allowed_transitions(campaign)] == ["extend", "close"]
    later = CLOSES + timedelta(days=7)
    campaign = services.change_state(campaign, "extend", closes_at=later, now=NOW)
    assert campaign.state == CampaignState.OPEN and campaign.closes_at == later
    with django_capture_on_commit_callbacks(execute=True):
        campaign = services.change_state(campaign, "close", now=NOW)
    # Its answers are final: the worker is asked to group its comments (bilan.commentary.tasks).
    assert DBTaskResult.objects.filter(task_path="bilan.commentary.tasks.prepare_comments_pass",
                                       args_kwargs__args=[campaign.pk]).count() == 1
    # Closed before its date: the closing date says when answers stopped.
    assert campaign.state == CampaignState.CLOSED and campaign.closes_at == NOW
    assert [t.code for t in services.allowed_transitions(campaign)] == ["archive"]
    campaign = services.change_state(campaign, "archive", now=NOW)
    assert campaign.state == CampaignState.ARCHIVED and services.allowed_transitions(campaign) == []
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.ARCHIVED


@pytest.mark.parametrize("state, action, message", [
    (CampaignState.DRAFT, "archive", "Impossible d'archiver la campagne\u00a0: seule une campagne close s'archive, "
                                     "et celle-ci est en préparation."),
    (CampaignState.DRAFT, "close", "Impossible de clore la campagne\u00a0: seule une campagne ouverte se clôt"),
    (CampaignState.DRAFT, "extend", "Impossible de prolonger la campagne"),
    (CampaignState.OPEN, "open", "Impossible d'ouvrir la campagne\u00a0: seule une campagne en préparation "
                                 "s'ouvre, et celle-ci est ouverte."),
    (CampaignState.OPEN, "archive", "Impossible d'archiver la campagne"),
    (CampaignState.CLOSED, "open", "Impossible d'ouvrir la campagne"),
    (CampaignState.CLOSED, "close", "Impossible de clore la campagne"),
    (CampaignState.ARCHIVED, "open", "et celle-ci est archivée."),
    (CampaignState.ARCHIVED, "archive", "Impossible d'archiver la campagne"),
    (CampaignState.OPEN, "exploser", "Action «\u00a0exploser\u00a0» inconnue."),
])
def test_an_invalid_transition_is_refused(academie, state, action, message):
    campaign = create(academie)
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    errors = refusal(lambda: services.change_state(campaign, action, closes_at=CLOSES + timedelta(days=1), now=NOW))
    assert message in errors["action"][0]
    assert Campaign.objects.get(pk=campaign.pk).state == state


def test_extending_needs_a_later_closing_date(academie):
    campaign = services.change_state(create(academie), "open", now=NOW)
    assert "doit venir après l'actuelle" in refusal(
        lambda: services.change_state(campaign, "extend", closes_at=CLOSES, now=NOW))["closes_at"][0]
    assert "Choisissez la nouvelle date" in refusal(
        lambda: services.change_state(campaign, "extend", now=NOW))["closes_at"][0]
    one_minute_later = CLOSES + timedelta(minutes=1)
    assert services.change_state(campaign, "extend", closes_at=one_minute_later, now=NOW).closes_at == one_minute_later


def test_a_campaign_whose_closing_date_is_past_does_not_open(academie):
    campaign = create(academie)
    assert "est passée" in refusal(lambda: services.change_state(campaign, "open", now=CLOSES))["action"][0]
    assert services.change_state(campaign, "open", now=CLOSES - timedelta(minutes=1)).state == CampaignState.OPEN


# ----------------------------------------------------------------------------- standing in the cycle

def test_the_standing_follows_the_data(academie, last_year):
    campaign = create(academie)
    first = services.standing(campaign, now=NOW)
    assert (first.stage, first.number, first.next_step.url_name) == ("preparation", 1, "roster:index")
    departement = Departement.objects.create(academie=academie, code="86", name="Vienne")
    school = School.objects.create(uai="0860001A", name="Collège A", type="clg", commune="Poitiers",
                                   departement=departement)
    referent = Referent.objects.create(first_name="Ana", last_name="Lune", email="ana@example.org")
    Mandate.objects.create(referent=referent, school=school, school_year="2026-2027")
    assert services.standing(campaign, now=NOW).next_step.url_name == "questionnaires:detail"

    campaign = services.change_state(campaign, "open", now=NOW)
    open_ = services.standing(campaign, now=NOW)
    assert (open_.stage, open_.next_step.url_name) == ("collecte", "outreach:invitations")
    invitation = Invitation.objects.create(campaign=campaign, referent=referent, school=school, school_type="clg",
                                           departement_code="86")
    OutgoingMail.objects.create(campaign=campaign, invitation=invitation, kind=MailKind.INVITATION, step="invitation",
                                recipient=referent.email, subject="Bilan", text_body="…")
    assert services.standing(campaign, now=NOW).next_step.url_name == "outreach:board"
    late = services.standing(campaign, now=CLOSES)
    assert (late.stage, late.next_step.url_name, late.next_step.anchor) == ("collecte", "", "etat")
    assert late.invited == 1

    campaign = services.change_state(campaign, "close", now=NOW)
    assert services.standing(campaign).stage == "analyse"
    ReportVersion.objects.create(campaign=campaign, number=1, published_at=NOW, document={})
    published = services.standing(campaign)
    assert (published.stage, published.number, published.next_step.url_name) == ("publie", 4, "reports:actions")
    Action.objects.create(campaign=campaign, title="Former les RUPN")
    last = services.standing(services.change_state(campaign, "archive", now=NOW))
    assert (last.stage, last.number, last.stage_label, last.actions) == ("suivi", 5, "Plan d'action suivi", 1)
    assert last.next_stage_label == ""


def test_an_action_plan_written_before_publishing_is_followed_and_the_report_still_to_publish(academie, last_year):
    Action.objects.create(campaign=last_year, title="Former les RUPN")
    standing = services.standing(last_year)
    assert (standing.stage, standing.next_step.label, standing.next_step.url_name) == (
        "suivi", "Publier le compte-rendu", "reports:detail")
