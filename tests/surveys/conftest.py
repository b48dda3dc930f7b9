"""Personas for the respondent form: one referent invited to an open campaign."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.surveys.models import Campaign, CampaignState
from bilan.surveys.services import invite_one, register_builtin_questionnaire


@pytest.fixture
def academie(db):
    return Academie.objects.create(code="poitiers", name="Poitiers")


@pytest.fixture
def school(academie):
    vienne = Departement.objects.create(academie=academie, code="86", name="Vienne")
    return School.objects.create(uai="0860001A", name="Collège Jean Moulin", type="college",
                                 commune="Poitiers", departement=vienne)


@pytest.fixture
def referent(school):
    person = Referent.objects.create(first_name="Camille", last_name="Martin", email="camille.martin@ac-poitiers.fr")
    Mandate.objects.create(referent=person, school=school, school_year="2023-2024")
    return person


@pytest.fixture
def campaign(academie):
    now = timezone.now()
    return Campaign.objects.create(
        slug="2023-2024", title="Bilan des RUPN 2023-2024", academie=academie, school_year="2023-2024",
        questionnaire=register_builtin_questionnaire(), opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30), state=CampaignState.OPEN)


@pytest.fixture
def invited(campaign, referent):
    """(invitation, token) of the referent's personal link."""
    return invite_one(campaign, referent)


@pytest.fixture
def invitation(invited):
    return invited[0]


@pytest.fixture
def token(invited):
    return invited[1]


COMPLETE_ANSWERS = {
    "info": {"INFO_SOURCES": ["newsletters", "social_networks"], "INFO_NETWORKS": ["tchap"]},
    "exchanges": {},
    "workshops": {"WS_HELD": "no"},
    "projects": {"PROJ_CONSULTED": "never"},
    "steering": {"STEER_HELPED": "not_applicable"},
    "partners": {"PART_RELATIONS": {"collectivity": "good", "srane": "average", "direction": "good"},
                 "PART_ASSISTANCE": "not_used"},
    "next_year": {},
    "suggestions": {"SUGGESTIONS": "Plus de temps de décharge."},
    "mobile": {"MOB_TABLET_CAN_USE": "yes", "MOB_TABLET_VALUE": "yes", "MOB_TABLET_IN_CLASS": "no",
               "MOB_PHONE_VALUE": "no", "MOB_PHONE_IN_CLASS": "no"},
    "science": {"SCI_ASSESS_KNOWN": "yes", "SCI_MEMORY_KNOWN": "yes", "SCI_A11Y_KNOWN": "no",
                "SCI_A11Y_TRAINING": "yes"},
    "skills": {"SKILLS_ACTIONS": {"promotes_pix": "yes", "promotes_pix_edu": "no",
                                  "makes_tutorials": "intends", "advises_colleagues": "yes"}},
    "resources": {"RES_KNOWLEDGE": {"edubase": "unknown", "apps_education": "used", "pix": "used",
                                    "lumni": "known", "internet_sans_crainte": "known"}},
}


@pytest.fixture
def complete_answers():
    """Valid answers for every section of the built-in questionnaire, keyed by section."""
    return {section: dict(answers) for section, answers in COMPLETE_ANSWERS.items()}
