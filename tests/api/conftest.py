"""API fixtures: a Poitiers campaign with invitations and answers, staff accounts with API tokens."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from bilan.api import tokens
from bilan.core.models import Membership, Role
from bilan.roster.models import Academie, Departement, Referent, School
from bilan.surveys.models import Campaign, CampaignState, Invitation, Response, ResponseStatus
from bilan.surveys.services import register_questionnaire
from bilan.uai import make_uai

ENQUETE = Path(__file__).resolve().parents[1] / "interop" / "data" / "enquete.yaml"

# (school type, département, invited, answered)
STRATA = [("college", "86", 4, 3), ("lycee", "17", 3, 1), ("lp", "16", 2, 0), ("erea", "79", 1, 1)]


def build_campaign() -> Campaign:
    poitiers = Academie.objects.create(code="poitiers", name="Poitiers")
    for code, name in (("16", "Charente"), ("17", "Charente-Maritime"), ("79", "Deux-Sèvres"), ("86", "Vienne")):
        Departement.objects.create(academie=poitiers, code=code, name=name)
    version = register_questionnaire(ENQUETE.read_text(encoding="utf-8"))
    now = timezone.now()
    campaign = Campaign.objects.create(slug="enquete-2024", title="Enquête 2024", academie=poitiers,
                                       school_year="2023-2024", questionnaire=version,
                                       opens_at=now - dt.timedelta(days=10), closes_at=now + dt.timedelta(days=10),
                                       state=CampaignState.OPEN)
    number = 0
    for school_type, departement, invited, answered in STRATA:
        for index in range(invited):
            number += 1
            school = School.objects.create(uai=make_uai(int(departement) * 10000 + number), name=f"École {number}",
                                           type=school_type, departement=Departement.objects.get(code=departement))
            referent = Referent.objects.create(first_name="Réf", last_name=f"N{number}",
                                               email=f"ref{number}@ac-poitiers.fr")
            invitation = Invitation.objects.create(campaign=campaign, referent=referent, school=school,
                                                   school_type=school_type, departement_code=departement)
            if index < answered:
                invitation.submitted_at = now
                invitation.save()
                Response.objects.create(campaign=campaign, invitation=invitation, school_type=school_type,
                                        departement_code=departement, status=ResponseStatus.SUBMITTED,
                                        submitted_on=now.date(),
                                        answers={"ROLE": "college" if school_type == "college" else "lycee",
                                                 "ATELIERS": "yes" if number % 2 else "no", "SATISF": 3 + number % 3})
    return campaign


def account(username, academie=None, role=None) -> tuple:
    """(user, the API token's secret, an API client sending it)."""
    user = get_user_model().objects.create_user(username=username, password="motdepasse-test-1")
    if role:
        Membership.objects.create(user=user, academie=academie, role=role)
    _, secret = tokens.issue(user, "Tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return user, secret, client


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The API's per-account counts live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def campaign(db):
    return build_campaign()


@pytest.fixture
def clients(campaign):
    limoges = Academie.objects.create(code="limoges", name="Limoges")
    return {
        "pilot": account("pilote", campaign.academie, Role.PILOT)[2],
        "reader": account("lecteur", campaign.academie, Role.READER)[2],
        "outsider": account("pilote-limoges", limoges, Role.PILOT)[2],
    }
