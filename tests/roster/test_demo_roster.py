"""The demo académie's roster, written to a real file in each format, imports whole."""

import pytest

from bilan.demo.generator import build_academie
from bilan.roster.models import Mandate, Referent, School
from bilan.roster.services import import_roster
from bilan.vocabularies import departement_label, school_type_label

pytestmark = pytest.mark.django_db


def demo_roster_rows(academie):
    departements = {d.code: d.name for d in academie.departements}
    schools = {school.uai: school for school in academie.schools}
    people = {person.email: person for person in academie.referents}
    rows = []
    for mandate in academie.mandates:
        school, person = schools[mandate.school_uai], people[mandate.referent_email]
        # The labels the application shows, so that its own exports read back as the same roster.
        rows.append([school.uai, school.name, school_type_label(school.type), school.commune,
                     departement_label(school.departement_code, departements[school.departement_code]),
                     person.last_name, person.first_name, person.email, mandate.school_year])
    return rows


def test_the_demo_roster_imports_whole_into_an_empty_database(db, write_roster):
    academie = build_academie()
    path = write_roster(demo_roster_rows(academie))

    report = import_roster(path, academie="poitiers")

    assert report.ok, report.problems[:5]
    assert report.departements_created == 4
    assert School.objects.count() == len({m.school_uai for m in academie.mandates})
    assert Referent.objects.count() == len({m.referent_email for m in academie.mandates})
    assert Mandate.objects.count() == len(academie.mandates)
    assert report.school_years == ["2022-2023", "2023-2024"]
    for school in academie.schools[:20]:
        stored = School.objects.get(uai=school.uai)
        assert (stored.name, stored.type, stored.departement.code) == (school.name, school.type,
                                                                        school.departement_code)
