"""Fixtures for outreach: a 446-referent roster, an open campaign (the loopback SMTP server, ``smtp``, is
tests/conftest.py's)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from bilan.roster.models import Academie, Departement, Mandate, Referent, School, SchoolType
from bilan.surveys.models import Campaign, CampaignState
from bilan.surveys.services import register_builtin_questionnaire

SCHOOL_YEAR = "2024-2025"
DEPARTEMENTS = [("16", "Charente"), ("17", "Charente-Maritime"), ("79", "Deux-Sèvres"), ("86", "Vienne")]
TYPES = [SchoolType.COLLEGE] * 5 + [SchoolType.LYCEE] * 2 + [SchoolType.LP, SchoolType.EREA]


def build_roster(referents: int = 446, school_year: str = SCHOOL_YEAR) -> Academie:
    """An académie of Poitiers with ``referents`` referents, one school each, spread over 4 départements."""
    academie = Academie.objects.create(code="poitiers", name="Poitiers")
    departements = [Departement.objects.create(academie=academie, code=code, name=name)
                    for code, name in DEPARTEMENTS]
    schools = School.objects.bulk_create([
        School(uai=f"0{departements[i % 4].code}{i // 4:04d}{'ABCDEFGHJKLMNPRSTUVWXYZ'[i % 23]}",
               name=f"Établissement {i:03d}", type=TYPES[i % len(TYPES)], commune=f"Commune {i % 37}",
               departement=departements[i % 4]) for i in range(referents)])
    people = Referent.objects.bulk_create([
        Referent(first_name=f"Prénom{i}", last_name=f"Nom{i:03d}", email=f"rupn{i:03d}@ac-poitiers.fr")
        for i in range(referents)])
    Mandate.objects.bulk_create([Mandate(referent=person, school=school, school_year=school_year)
                                 for person, school in zip(people, schools, strict=True)])
    return academie


def make_campaign(academie, slug="2024-2025", opens_at=None, days=30, school_year=SCHOOL_YEAR, **extra):
    opens_at = opens_at or timezone.now() - timedelta(hours=1)
    return Campaign.objects.create(
        slug=slug, title=f"Bilan RUPN {school_year}", academie=academie, school_year=school_year,
        questionnaire=register_builtin_questionnaire(), opens_at=opens_at, closes_at=opens_at + timedelta(days=days),
        state=CampaignState.OPEN, **extra)


@pytest.fixture
def academie(db):
    return build_roster()


@pytest.fixture
def campaign(academie):
    return make_campaign(academie)


@pytest.fixture
def small_campaign(db):
    """Twelve referents: enough to see who gets what."""
    return make_campaign(build_roster(12))
