import pytest
from django.urls import reverse

from bilan.roster.models import Departement, Mandate, Referent, School
from bilan.uai import make_uai

pytestmark = pytest.mark.django_db


def school_form(poitiers, uai):
    vienne = Departement.objects.get(code="86")
    return {"uai": uai, "name": "Collège Jean Moulin", "type": "college", "commune": "Poitiers",
            "departement": vienne.pk, "mandates-TOTAL_FORMS": "0", "mandates-INITIAL_FORMS": "0"}


def test_the_admin_refuses_a_school_with_a_bad_uai(admin_client, poitiers):
    response = admin_client.post(reverse("admin:roster_school_add"), school_form(poitiers, "0860001A"))

    assert response.status_code == 200
    assert "lettre de contrôle incorrecte" in response.content.decode()
    assert School.objects.count() == 0


def test_the_admin_saves_a_school_with_a_normalised_uai(admin_client, poitiers):
    response = admin_client.post(reverse("admin:roster_school_add"),
                                 school_form(poitiers, " " + make_uai(860001).lower()))

    assert response.status_code == 302
    assert School.objects.get().uai == make_uai(860001)


def test_the_admin_finds_schools_by_uai_and_mandates_by_year(admin_client, poitiers):
    vienne = Departement.objects.get(code="86")
    school = School.objects.create(uai=make_uai(860001), name="Collège Jean Moulin", type="college",
                                   departement=vienne)
    School.objects.create(uai=make_uai(860002), name="Lycée Camille Guérin", type="lycee", departement=vienne)
    referent = Referent.objects.create(first_name="Marie", last_name="Dupont", email="m.dupont@ac-poitiers.fr",
                                       email_bad=True)
    Mandate.objects.create(referent=referent, school=school, school_year="2023-2024")

    found = admin_client.get(reverse("admin:roster_school_changelist"), {"q": make_uai(860001)})
    bad_emails = admin_client.get(reverse("admin:roster_referent_changelist"), {"email_bad__exact": "1"})
    by_year = admin_client.get(reverse("admin:roster_mandate_changelist"), {"school_year": "2023-2024"})

    assert "Jean Moulin" in found.content.decode() and "Camille Guérin" not in found.content.decode()
    assert "m.dupont@ac-poitiers.fr" in bad_emails.content.decode()
    assert by_year.status_code == 200 and "Jean Moulin" in by_year.content.decode()
