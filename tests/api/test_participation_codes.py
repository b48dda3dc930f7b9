"""The participation rows of the API carry the roster's codes, never codes read back from labels."""

from django.utils import timezone

from bilan.roster.models import Departement, School
from bilan.surveys.models import Response, ResponseStatus
from bilan.vocabularies import (
    UNKNOWN,
    UNKNOWN_LABEL,
    departement_label,
    school_type_label,
)

URL = "/api/campaigns/enquete-2024/participation/"


def test_participation_rows_carry_the_roster_codes_and_the_vocabulary_labels(clients, campaign):
    data = clients["reader"].get(URL).json()
    invited = campaign.invitations.select_related("school__departement")
    roster_types = set(School.objects.filter(invitations__campaign=campaign).values_list("type", flat=True))
    roster_departements = {inv.school.departement.code for inv in invited}

    assert {row["stratum"] for row in data["by_school_type"]} == roster_types
    for row in data["by_school_type"]:
        assert row["label"] == school_type_label(row["stratum"])
    # « Lycée professionnel » is not « lp » with its first word cut off: the code is carried.
    assert any(row["stratum"] == "lp" and row["label"] == "Lycée professionnel" for row in data["by_school_type"])

    names = dict(Departement.objects.values_list("code", "name"))
    assert {row["stratum"] for row in data["by_departement"]} == roster_departements
    for row in data["by_departement"]:
        assert row["label"] == departement_label(row["stratum"], names[row["stratum"]])
    assert {row["label"] for row in data["by_departement"]} >= {"86 – Vienne", "17 – Charente-Maritime"}


def test_answers_without_a_departement_are_the_unknown_stratum(clients, campaign):
    # An answer imported from another tool without a département column.
    Response.objects.create(campaign=campaign, school_type="other", departement_code="",
                            status=ResponseStatus.SUBMITTED, submitted_on=timezone.localdate(), answers={})
    data = clients["reader"].get(URL).json()
    unknown = [row for row in data["by_departement"] if row["stratum"] == UNKNOWN]
    assert len(unknown) == 1
    assert unknown[0]["label"] == UNKNOWN_LABEL and (unknown[0]["invited"], unknown[0]["submitted"]) == (0, 1)
    assert "" not in {row["stratum"] for row in data["by_departement"]}
