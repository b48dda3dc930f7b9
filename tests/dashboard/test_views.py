"""The campaign's pages as a pilot, a reader and a pilot of another académie: hub, creation, settings, states."""

import html as htmllib
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bilan.outreach.models import MailTemplate, ReminderPolicy
from bilan.surveys.models import Campaign, CampaignState

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"
NBSP = "\u00a0"


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return htmllib.unescape(response.content.decode())


def new_campaign_data(**changes):
    data = {"source": SLUG, "title": "Bilan des RUPN 2026/2027", "school_year": "2026-2027", "slug": "2026-2027",
            "opens_at": "2027-05-03T09:00", "closes_at": "2027-06-30T23:00", "questionnaire": "source",
            "anonymity": "source", "copy_mail_templates": "on", "copy_reminder_policy": "on"}
    return {**data, **changes}


# ----------------------------------------------------------------------------- the hub

def test_the_hub_says_where_the_campaign_stands_and_what_to_do(personas):
    page = text(client_for(personas["pilot"]).get(reverse("dashboard:campaign", args=[SLUG])))
    # The demo wrote its action plan but published no version: the plan is followed, the report to publish.
    assert "Plan d'action suivi" in page and "Étape 5 sur 5" in page
    assert f"Prochaine chose à faire{NBSP}: Publier le compte-rendu" in page
    assert f'href="{reverse("reports:detail", args=[SLUG])}">Publier le compte-rendu' in page
    assert "Ouverture le " in page and "Année scolaire" in page and "2023-2024" in page
    assert "Close" in page and f"Close{NBSP}: plus personne ne peut répondre" in page
    assert "Archiver la campagne" in page and "Ouvrir la campagne" not in page.split('id="etat"')[1]
    for name in ("outreach:board", "results:overview", "reports:detail", "dashboard:campaign_edit"):
        assert f'href="{reverse(name, args=[SLUG])}"' in page, name


def test_a_reader_sees_the_hub_without_the_pilots_actions(personas):
    page = text(client_for(personas["reader"]).get(reverse("dashboard:campaign", args=[SLUG])))
    assert "Publier le compte-rendu" in page and "L'équipe de pilotage s'en charge." in page
    assert "Archiver la campagne" not in page
    assert reverse("dashboard:campaign_edit", args=[SLUG]) not in page
    assert reverse("outreach:mails", args=[SLUG]) not in page


def test_outsiders_get_a_404_everywhere(personas):
    client = client_for(personas["outsider"])
    for url in (reverse("dashboard:campaign", args=[SLUG]), reverse("dashboard:campaign_edit", args=[SLUG]),
                reverse("dashboard:campaign_new", args=["poitiers"])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("dashboard:campaign_state", args=[SLUG]), {"action": "archive"}).status_code == 404
    assert Campaign.objects.get(slug=SLUG).state == CampaignState.CLOSED


def test_readers_do_not_create_edit_or_change_states(personas):
    client = client_for(personas["reader"])
    assert client.get(reverse("dashboard:campaign_new", args=["poitiers"])).status_code == 404
    assert client.post(reverse("dashboard:campaign_new", args=["poitiers"]), new_campaign_data()).status_code == 404
    assert client.post(reverse("dashboard:campaign_edit", args=[SLUG]), {"title": "x"}).status_code == 404
    assert client.post(reverse("dashboard:campaign_state", args=[SLUG]), {"action": "archive"}).status_code == 404
    assert not Campaign.objects.filter(slug="2026-2027").exists()
    assert Campaign.objects.get(slug=SLUG).state == CampaignState.CLOSED


# ----------------------------------------------------------------------------- states

def test_the_pilot_archives_a_closed_campaign_and_a_refused_move_is_explained(personas):
    client = client_for(personas["pilot"])
    url = reverse("dashboard:campaign_state", args=[SLUG])
    assert client.get(url).status_code == 405
    refused = text(client.post(url, {"action": "open"}))
    assert (f"Impossible d'ouvrir la campagne{NBSP}: seule une campagne en préparation s'ouvre, "
            "et celle-ci est close.") in refused
    assert 'id="erreurs"' in refused
    assert Campaign.objects.get(slug=SLUG).state == CampaignState.CLOSED
    response = client.post(url, {"action": "archive"})
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:campaign", args=[SLUG])
    assert Campaign.objects.get(slug=SLUG).state == CampaignState.ARCHIVED
    page = text(client.get(response["Location"]))
    assert "Campagne archivée." in page and "Aucun changement d'état possible" in page


def test_the_pilot_extends_an_open_campaign(personas):
    client = client_for(personas["pilot"])
    campaign = Campaign.objects.get(slug="2025-2026")
    url = reverse("dashboard:campaign_state", args=[campaign.slug])
    earlier = timezone.localtime(campaign.closes_at - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = text(client.post(url, {"action": "extend", "closes_at": earlier}))
    assert "La nouvelle clôture doit venir après l'actuelle" in page
    assert 'id="etat-closes_at"' in page
    later = timezone.localtime(campaign.closes_at + timedelta(days=10)).replace(second=0, microsecond=0)
    response = client.post(url, {"action": "extend", "closes_at": later.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    assert Campaign.objects.get(slug=campaign.slug).closes_at == later
    assert "Campagne prolongée jusqu'au" in text(client.get(response["Location"]))


# ----------------------------------------------------------------------------- creation

def test_the_creation_form_proposes_next_year_from_the_latest_campaign(personas):
    page = text(client_for(personas["pilot"]).get(reverse("dashboard:campaign_new", args=["poitiers"])))
    assert 'value="2026-2027"' in page and 'value="Bilan des RUPN 2026/2027"' in page
    assert '<option value="2025-2026" selected>' in page
    assert "Partir de zéro" in page or "partir de zéro" in page


def test_the_pilot_creates_a_campaign_from_a_past_one(personas):
    source = Campaign.objects.get(slug=SLUG)
    MailTemplate.objects.create(campaign=source, kind="invitation", subject="Objet repris",
                                text_body="{{ lien }}", html_body="<p>{{ lien }}</p>")
    ReminderPolicy.objects.create(campaign=source, days_after_opening=[4], max_reminders=1)
    client = client_for(personas["pilot"])
    response = client.post(reverse("dashboard:campaign_new", args=["poitiers"]),
                           new_campaign_data(anonymity="anonymous"))
    assert response.status_code == 302 and response["Location"] == reverse("dashboard:campaign", args=["2026-2027"])
    campaign = Campaign.objects.get(slug="2026-2027")
    assert campaign.previous == source and campaign.questionnaire == source.questionnaire
    assert campaign.anonymous is True and campaign.state == CampaignState.DRAFT
    assert timezone.localtime(campaign.opens_at).strftime("%d/%m/%Y %H:%M") == "03/05/2027 09:00"
    assert campaign.mail_templates.get().subject == "Objet repris"
    assert ReminderPolicy.objects.get(campaign=campaign).days_after_opening == [4]
    page = text(client.get(response["Location"]))
    assert f"Campagne «{NBSP}Bilan des RUPN 2026/2027{NBSP}» créée, en préparation." in page
    assert "Étape 1 sur 5" in page and "Ouvrir la campagne" in page


def test_a_refused_creation_shows_each_error_and_saves_nothing(personas):
    client = client_for(personas["pilot"])
    count = Campaign.objects.count()
    page = text(client.post(reverse("dashboard:campaign_new", args=["poitiers"]), new_campaign_data(
        school_year="2026-2028", slug="2023-2024", closes_at="2027-05-03T09:00", source="limoges-2024")))
    assert "Une année scolaire va d'une année à la suivante" in page
    assert f"L'identifiant court «{NBSP}2023-2024{NBSP}» est déjà celui d'une autre campagne" in page
    assert "n'est pas une campagne de cette académie" in page
    assert Campaign.objects.count() == count
    dates = text(client.post(reverse("dashboard:campaign_new", args=["poitiers"]),
                             new_campaign_data(closes_at="2027-05-03T09:00")))
    assert "doit venir après l'ouverture" in dates and Campaign.objects.count() == count


def test_a_blank_slug_takes_the_school_year(personas):
    client = client_for(personas["pilot"])
    response = client.post(reverse("dashboard:campaign_new", args=["poitiers"]),
                           new_campaign_data(slug="", source="", questionnaire="builtin", anonymity="named"))
    assert response.status_code == 302
    campaign = Campaign.objects.get(slug="2026-2027")
    assert campaign.previous is None and campaign.anonymous is False


# ----------------------------------------------------------------------------- settings

def test_the_pilot_edits_the_settings(personas):
    client = client_for(personas["pilot"])
    url = reverse("dashboard:campaign_edit", args=["2025-2026"])
    page = text(client.get(url))
    assert "Enregistrer les réglages" in page
    campaign = Campaign.objects.get(slug="2025-2026")
    opens = timezone.localtime(campaign.opens_at).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"title": "Bilan 2025/2026 (prolongé)", "opens_at": opens,
                                 "closes_at": "2030-01-01T12:00"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title == "Bilan 2025/2026 (prolongé)"
    assert timezone.localtime(campaign.closes_at).strftime("%Y-%m-%d %H:%M") == "2030-01-01 12:00"


def test_changing_anonymity_after_answers_is_refused_on_the_page(personas):
    client = client_for(personas["pilot"])
    campaign = Campaign.objects.get(slug=SLUG)
    moment = lambda value: timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")  # noqa: E731
    page = text(client.post(reverse("dashboard:campaign_edit", args=[SLUG]), {
        "title": "Autre titre", "opens_at": moment(campaign.opens_at), "closes_at": moment(campaign.closes_at),
        "anonymous": "on"}))
    assert "elle ne peut plus changer de mode" in page and 'id="erreurs"' in page
    campaign.refresh_from_db()
    assert campaign.anonymous is False and campaign.title != "Autre titre"


# ----------------------------------------------------------------------------- home

def test_home_shows_each_campaigns_stage_and_next_step(personas):
    page = text(client_for(personas["pilot"]).get(reverse("dashboard:home")))
    assert "Académie de Poitiers" in page and "Nouvelle campagne" in page
    assert f'href="{reverse("dashboard:campaign_new", args=["poitiers"])}"' in page
    assert f'href="{reverse("dashboard:campaign", args=[SLUG])}"' in page
    assert f"Étape 2 sur 5{NBSP}: Collecte" in page  # 2025-2026, open
    assert "Prochaine chose à faire" in page


def test_readers_see_the_stages_but_no_creation(personas):
    page = text(client_for(personas["reader"]).get(reverse("dashboard:home")))
    assert "Nouvelle campagne" not in page and f"Étape 2 sur 5{NBSP}: Collecte" in page
    assert "Prochaine étape (équipe de pilotage)" in page


def test_the_hub_proposes_next_year_from_this_campaign(personas):
    client = client_for(personas["pilot"])
    hub = text(client.get(reverse("dashboard:campaign", args=[SLUG])))
    new_url = f'{reverse("dashboard:campaign_new", args=["poitiers"])}?depuis={SLUG}'
    assert f'href="{new_url}"' in hub
    form = text(client.get(new_url))
    assert f'<option value="{SLUG}" selected>' in form
    assert 'value="2026-2027"' in form  # the year after the latest campaign, whatever the source
    # An unknown campaign in the address falls back to the latest one.
    assert '<option value="2025-2026" selected>' in text(client.get(new_url.replace(SLUG, "nulle-part")))
