"""Fixtures for the Django side of interoperability: a small roster and the shared samples."""

import io

import pytest
from django.core.management import call_command

from bilan.roster.models import Academie, Departement, School, SchoolType
from bilan.uai import make_uai

# The pure side's fixtures: the shared samples and its data folder.
from tests.interop.conftest import DATA, data_dir, samples  # noqa: F401

ENQUETE = DATA / "enquete.yaml"


@pytest.fixture
def academie(db):
    poitiers = Academie.objects.create(code="poitiers", name="Poitiers")
    for code, name in (("16", "Charente"), ("17", "Charente-Maritime"), ("79", "Deux-Sèvres"), ("86", "Vienne")):
        Departement.objects.create(academie=poitiers, code=code, name=name)
    return poitiers


@pytest.fixture
def schools(academie):
    """Two schools of the roster, to match UAI columns against."""
    vienne = Departement.objects.get(code="86")
    charente = Departement.objects.get(code="16")
    return {
        "college": School.objects.create(uai=make_uai(860101), name="Collège Camus", type=SchoolType.COLLEGE,
                                         departement=vienne),
        "lp": School.objects.create(uai=make_uai(160202), name="LP Jean Albert Grégoire", type=SchoolType.LP,
                                    departement=charente),
    }


def run(*args, **options):
    """Call a command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def enquete_campaign(academie):
    """A closed 2022-2023 campaign on the test questionnaire, created by the import command."""
    from bilan.surveys.models import Campaign

    run("import", "questionnaire", str(ENQUETE), "--campaign", "enquete-2023", "--school-year", "2022-2023")
    return Campaign.objects.get(slug="enquete-2023")
