"""« Données personnelles » (the registre's facts), one referent's data as JSON, and erasure."""

import json

from django.test import Client
from django.urls import reverse

from bilan.audit.models import Action, AuditEntry
from bilan.french import fr_number
from bilan.outreach.models import OutgoingMail
from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.surveys.models import AccessToken, Invitation, Response, ResponseStatus

NBSP = "\u00a0"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _answering_referent() -> Referent:
    """A referent of the demo who sent an answer to the named 2023-2024 campaign."""
    response = (Response.objects.filter(campaign__slug="2023-2024", status=ResponseStatus.SUBMITTED,
                                        campaign__anonymous=False, invitation__isnull=False)
                .select_related("invitation__referent").order_by("pk").first())
    return response.invitation.referent


def test_the_page_lists_each_kind_with_its_period_for_pilots_only(personas):
    url = reverse("retention:index", args=["poitiers"])
    assert url == "/academie/poitiers/donnees/"
    page = client_for(personas["pilot"]).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    for words in ("Brouillons de réponse", "Liens personnels", "Réponses nominatives", "Journal des connexions",
                  f"30{NBSP}jours après la clôture de la campagne", f"3{NBSP}ans ({fr_number(1095)}{NBSP}jours)",
                  f"400{NBSP}jours après leur création", "Commun à tout le service"):
        assert words in text, words
    for persona in ("reader", "outsider"):
        assert client_for(personas[persona]).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
    home = client_for(personas["pilot"]).get(reverse("dashboard:home")).content.decode()
    assert f'href="{url}"' in home


def test_the_right_of_access_file_holds_the_person_and_no_one_else(personas):
    person = _answering_referent()
    other = Referent.objects.exclude(pk=person.pk).filter(mandates__isnull=False).order_by("pk").first()
    url = reverse("retention:access", args=["poitiers", person.pk])
    response = client_for(personas["pilot"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    data = json.loads(body)
    assert data["personne"]["courriel"] == person.email
    assert {m["uai"] for m in data["mandats"]} == set(person.mandates.values_list("school__uai", flat=True))
    answered = [i for i in data["invitations"] if i["campagne"] == "2023-2024"]
    assert answered and answered[0]["reponse"]["etat"] == ResponseStatus.SUBMITTED
    assert answered[0]["reponse"]["reponses"] == person.invitations.get(campaign__slug="2023-2024").response.answers
    assert other.email not in body and other.last_name not in body
    for token_hash in AccessToken.objects.filter(invitation__referent=person).values_list("token_hash", flat=True):
        assert token_hash not in body
    entry = AuditEntry.objects.get(action=Action.PERSONAL_DATA_EXPORTED)
    assert (entry.user, entry.target) == (personas["pilot"], f"référent·e n° {person.pk}")
    page = client_for(personas["pilot"]).get(reverse("roster:referent", args=["poitiers", person.pk])).content.decode()
    assert f'href="{url}"' in page
    assert f'href="{reverse("retention:erase", args=["poitiers", person.pk])}"' in page
    for persona in ("reader", "outsider"):
        assert client_for(personas[persona]).get(url).status_code == 404


def test_a_referent_of_another_academie_is_not_found(personas):
    limoges = Academie.objects.get(code="limoges")
    school = School.objects.create(uai="0870099X", name="Collège de Limoges", type="college",
                                   departement=Departement.objects.create(academie=limoges, code="87",
                                                                          name="Haute-Vienne"))
    stranger = Referent.objects.create(first_name="Ana", last_name="Lim", email="ana@ac-limoges.fr")
    Mandate.objects.create(referent=stranger, school=school, school_year="2025-2026")
    pilot = client_for(personas["pilot"])
    assert pilot.get(reverse("retention:access", args=["poitiers", stranger.pk])).status_code == 404
    assert pilot.get(reverse("retention:erase", args=["poitiers", stranger.pk])).status_code == 404
    assert pilot.post(reverse("retention:erase", args=["poitiers", stranger.pk]), {"confirm": "on"}).status_code == 404
    assert Referent.objects.filter(pk=stranger.pk).exists()


def test_erasure_needs_the_confirmation_then_removes_contact_data_and_unlinks_answers(personas):
    person = _answering_referent()
    invitations = list(person.invitations.values_list("pk", flat=True))
    response = Invitation.objects.get(referent=person, campaign__slug="2023-2024").response
    answers, responses = response.answers, Response.objects.count()
    url = reverse("retention:erase", args=["poitiers", person.pk])
    pilot = client_for(personas["pilot"])
    assert "Personne effacée" in pilot.get(url).content.decode()
    refused = pilot.post(url, {})
    assert refused.status_code == 200
    assert f"Cochez «{NBSP}Je confirme{NBSP}»" in refused.content.decode()
    assert Referent.objects.filter(pk=person.pk).exists()
    for persona in ("reader", "outsider"):
        assert client_for(personas[persona]).post(url, {"confirm": "on"}).status_code == 404
    assert Referent.objects.filter(pk=person.pk).exists()

    done = pilot.post(url, {"confirm": "on"})
    assert done.status_code == 302
    assert not Referent.objects.filter(pk=person.pk).exists()
    assert not Referent.objects.filter(email=person.email).exists()
    assert not Mandate.objects.filter(referent_id=person.pk).exists()
    assert not AccessToken.objects.filter(invitation_id__in=invitations).exists()
    assert not OutgoingMail.objects.filter(invitation_id__in=invitations).exists()
    assert Response.objects.count() == responses, "the figures stay"
    response.refresh_from_db()
    assert response.invitation is None and response.answers == answers
    kept = Invitation.objects.filter(pk__in=invitations).select_related("referent")
    assert kept.count() == len(invitations), "the participation counts stay"
    assert {i.referent.last_name for i in kept} == {"Personne effacée"}
    assert all(i.referent.email_bad for i in kept), "nothing is sent to an erased person"
    # The journal says it was done, by whom, and keeps the number, not the name.
    entry = AuditEntry.objects.get(action=Action.PERSONAL_DATA_ERASED)
    assert (entry.user, entry.academie.code, entry.target) == (personas["pilot"], "poitiers",
                                                                f"référent·e n° {person.pk}")
    assert person.last_name not in entry.target
