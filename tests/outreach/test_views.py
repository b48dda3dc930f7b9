"""Staff pages: every URL checked with an outsider, a reader and a pilot."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone

from bilan.core.models import Membership, Role
from bilan.outreach.models import MailTemplate, OutgoingMail, ReminderPolicy
from bilan.outreach.services import queue_invitations, send_due
from bilan.surveys.models import Response, ResponseStatus
from tests.breadcrumb import check_breadcrumb


@pytest.fixture
def people(small_campaign):
    academie = small_campaign.academie
    # No passwords: force_login needs none, and hashing one costs half a second.
    pilot = User.objects.create(username="pilote")
    reader = User.objects.create(username="lecteur")
    outsider = User.objects.create(username="dehors")
    Membership.objects.create(user=pilot, academie=academie, role=Role.PILOT)
    Membership.objects.create(user=reader, academie=academie, role=Role.READER)
    return {"pilot": pilot, "reader": reader, "outsider": outsider}


def urls(slug):
    return {
        "board": reverse("outreach:board", args=[slug]),
        "csv": reverse("outreach:export", args=[slug, "csv"]),
        "xlsx": reverse("outreach:export", args=[slug, "xlsx"]),
        "ods": reverse("outreach:export", args=[slug, "ods"]),
        "mails": reverse("outreach:mails", args=[slug]),
        "template": reverse("outreach:template", args=[slug, "invitation"]),
        "reminders": reverse("outreach:reminders", args=[slug]),
    }


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, small_campaign):
    for url in urls(small_campaign.slug).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


def test_an_outsider_sees_nothing(client, small_campaign, people):
    client.force_login(people["outsider"])
    for url in urls(small_campaign.slug).values():
        assert client.get(url).status_code == 404, url
    response = client.post(urls(small_campaign.slug)["reminders"], {"action": "send"})
    assert response.status_code == 404
    assert not OutgoingMail.objects.exists()


def test_a_reader_sees_the_board_but_cannot_send_or_edit(client, small_campaign, people):
    client.force_login(people["reader"])
    pages = urls(small_campaign.slug)
    response = client.get(pages["board"])
    assert response.status_code == 200
    assert "Taux de réponse" in response.content.decode()
    assert "rupn000@ac-poitiers.fr" not in response.content.decode()
    for name in ["csv", "xlsx", "ods", "mails", "template", "reminders"]:
        assert client.get(pages[name]).status_code == 404, name
    queue_invitations(small_campaign, small_campaign.opens_at)
    send_due(small_campaign.opens_at)
    assert client.post(pages["reminders"], {"action": "send"}).status_code == 404
    assert client.post(pages["template"], {"subject": "x", "text_body": "{{ lien }}",
                                           "html_body": "{{ lien }}"}).status_code == 404
    assert not MailTemplate.objects.exists()
    assert not OutgoingMail.objects.filter(kind="reminder").exists()


def test_the_board_shows_rates_and_who_has_not_answered(client, small_campaign, people):
    queue_invitations(small_campaign, small_campaign.opens_at)
    for invitation in small_campaign.invitations.order_by("pk")[:3]:
        invitation.submitted_at = timezone.now()
        invitation.save()
        Response.objects.create(campaign=small_campaign, invitation=invitation, status=ResponseStatus.SUBMITTED,
                                school_type=invitation.school_type, departement_code=invitation.departement_code,
                                submitted_on=timezone.localdate())
    client.force_login(people["pilot"])
    page = client.get(urls(small_campaign.slug)["board"]).content.decode()
    assert "25,0\u00a0%" in page  # 3 of 12
    assert "rupn011@ac-poitiers.fr" in page and "rupn000@ac-poitiers.fr" not in page
    assert "16 – Charente" in page and "Collège" in page


def test_the_list_of_those_without_an_answer_exports_to_csv_xlsx_and_ods(client, small_campaign, people):
    from odfdo import Document
    from openpyxl import load_workbook

    queue_invitations(small_campaign)
    client.force_login(people["pilot"])
    pages = urls(small_campaign.slug)
    text = client.get(pages["csv"]).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:2] == ["UAI", "Établissement"] and len(rows) == 13
    workbook = load_workbook(io.BytesIO(client.get(pages["xlsx"]).content))
    assert workbook.active.max_row == 13
    document = Document(io.BytesIO(client.get(pages["ods"]).content))
    values = document.body.get_table(0).get_values()
    assert values[0][0] == "UAI" and len(values) == 13
    assert client.get(reverse("outreach:export", args=[small_campaign.slug, "pdf"])).status_code == 404


def test_a_pilot_edits_a_template_with_a_preview_and_a_clear_error(client, small_campaign, people):
    client.force_login(people["pilot"])
    url = urls(small_campaign.slug)["template"]
    page = client.get(url).content.decode()
    assert "Aperçu" in page and "Bonjour Camille Martin" in page  # a sample person before any invitation
    bad = client.post(url, {"subject": "Bonjour {{ prenon }}", "text_body": "Sans lien",
                            "html_body": "<p>{{ lien }}</p>", "enregistrer": "1"})
    assert bad.status_code == 200
    content = bad.content.decode()
    assert "{{ prenon }}" in content and "n&#x27;existe pas" in content and "lien personnel" in content
    assert not MailTemplate.objects.exists()
    preview = client.post(url, {"subject": "Votre bilan, {{ prenom }}", "text_body": "Voici : {{ lien }}",
                                "html_body": "<p>{{ lien }}</p>", "apercu": "1"})
    assert "Votre bilan, Camille" in preview.content.decode()
    assert not MailTemplate.objects.exists()
    saved = client.post(url, {"subject": "Votre bilan, {{ prenom }}", "text_body": "Voici : {{ lien }}",
                              "html_body": "<p>{{ lien }}</p>", "enregistrer": "1"})
    assert saved.status_code == 302
    queue_invitations(small_campaign)
    mail = OutgoingMail.objects.get(recipient="rupn002@ac-poitiers.fr")
    # As typed, with the no-break space French puts before « : » (bilan.outreach.rendering).
    assert mail.subject == "Votre bilan, Prénom2" and mail.text_body.startswith("Voici\u00a0: http")


def test_a_pilot_sees_the_count_before_sending_reminders_now(client, small_campaign, people):
    small_campaign.opens_at = timezone.now() - timedelta(days=5)
    small_campaign.save()
    queue_invitations(small_campaign, small_campaign.opens_at)
    send_due(small_campaign.opens_at)
    client.force_login(people["pilot"])
    url = urls(small_campaign.slug)["reminders"]
    page = client.get(url).content.decode()
    assert "12 personnes recevraient une relance maintenant" in page
    response = client.post(url, {"action": "send", "expected": "12"}, follow=True)
    assert "12 relance(s) mise(s) en file" in response.content.decode()
    assert OutgoingMail.objects.filter(kind="reminder").count() == 12
    assert "0 personne recevrait" in client.get(url).content.decode()
    client.post(url, {"action": "send", "expected": "0"})
    assert OutgoingMail.objects.filter(kind="reminder").count() == 12


def test_a_pilot_changes_the_reminder_policy(client, small_campaign, people):
    client.force_login(people["pilot"])
    url = urls(small_campaign.slug)["reminders"]
    bad = client.post(url, {"action": "policy", "enabled": "on", "days_after_opening": "7, dix",
                            "days_before_closing": "2", "max_reminders": "3", "min_gap_days": "3",
                            "target_rate": "50"})
    assert "«\u00a0dix\u00a0» n&#x27;est pas un nombre de jours" in bad.content.decode()
    client.post(url, {"action": "policy", "enabled": "on", "days_after_opening": "5, 12",
                      "days_before_closing": "3", "max_reminders": "2", "min_gap_days": "2",
                      "target_rate": "60", "lagging_strata_first": "on"})
    policy = ReminderPolicy.objects.get(campaign=small_campaign)
    assert policy.days_after_opening == [5, 12] and policy.days_before_closing == [3]
    assert policy.target_rate == 0.6 and policy.lagging_strata_first and not policy.send_thanks


def test_each_page_has_the_one_breadcrumb_back_to_the_board_and_shows_its_message_once(
        client, small_campaign, people):
    client.force_login(people["pilot"])
    pages = urls(small_campaign.slug)
    board = f"Participation — {small_campaign.title}"
    check_breadcrumb(client, pages["board"], board)
    for name, here in [("mails", "Courriels"), ("reminders", "Relances"), ("template", "Modèle « Invitation »")]:
        assert check_breadcrumb(client, pages[name], board, here)[1] == (board, pages["board"])
    saved = client.post(pages["template"], {"subject": "Votre bilan", "text_body": "Voici : {{ lien }}",
                                            "html_body": "<p>{{ lien }}</p>", "enregistrer": "1"}, follow=True)
    assert saved.content.decode().count("Modèle «\u00a0Invitation\u00a0» enregistré.") == 1


def test_django_s_own_messages_stay_in_french_for_a_browser_asking_for_english(client, small_campaign, people):
    client.force_login(people["pilot"])
    page = client.post(urls(small_campaign.slug)["template"], {"subject": "", "text_body": "{{ lien }}",
                                                               "html_body": "{{ lien }}", "enregistrer": "1"},
                       HTTP_ACCEPT_LANGUAGE="en")
    assert "Ce champ est obligatoire." in page.content.decode()


def test_the_board_chart_s_coordinates_keep_a_decimal_point_in_french(client, small_campaign, people):
    # The page is in French, where 184.0 reads « 184,0 »: an SVG coordinate must not.
    client.force_login(people["reader"])
    page = client.get(urls(small_campaign.slug)["board"]).content.decode()
    coordinates = re.findall(r'\b(?:x1|x2|y1|y2|x|y)="([^"]*)"', page[page.index("<svg"):page.index("</svg>")])
    assert coordinates and all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", value) for value in coordinates)
