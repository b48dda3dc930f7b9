"""Raw answer exports reopen with openpyxl and odfdo and hold the database's values."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from odfdo import Document

from bilan.core.models import Membership, Role
from bilan.roster.models import Referent
from bilan.surveys.models import Invitation, Response, ResponseStatus
from tests.interop_django.conftest import run
from tests.pages import response_bytes

NBSP = "\u00a0"


@pytest.fixture
def answered(enquete_campaign, data_dir, schools):
    """The Google Forms fixture imported, plus one named response from an invited referent."""
    run("import", "answers", str(data_dir / "google_forms.csv"), "--campaign", "enquete-2023")
    school = schools["college"]
    referent = Referent.objects.create(first_name="Anaïs", last_name="Léger", email="anais.leger@ac-poitiers.fr")
    invitation = Invitation.objects.create(campaign=enquete_campaign, referent=referent, school=school,
                                           school_type=school.type, departement_code="86")
    Response.objects.create(campaign=enquete_campaign, invitation=invitation, school_type="college",
                            departement_code="86", status=ResponseStatus.SUBMITTED,
                            answers={"ROLE": "college", "OUTILS": ["ent", "tchap"], "FREQ": {"eleves": "souvent"},
                                     "SATISF": 5, "HEURES": 1.5, "COMMENT": "Élèves ravis, « super »"})
    return enquete_campaign


def _body(response) -> bytes:
    """The downloaded file: the answers' exports are streamed as they are read from the database."""
    assert response.streaming and response["Cache-Control"] == "private, no-store"
    return response_bytes(response)


def _user(name, academie, role):
    user = get_user_model().objects.create_user(username=name, password="motdepasse-test-1")
    if role:
        Membership.objects.create(user=user, academie=academie, role=role)
    return user


def _expected_cell(response, heading):
    """The documented layout, read back from the stored answers."""
    answers = response.answers
    if "[" in heading:
        code, row = heading[:-1].split("[")
        return answers.get(code, {}).get(row, "")
    value = answers.get(heading, "")
    return " ; ".join(value) if isinstance(value, list) else value


def _check_rows(header, rows, campaign):
    responses = {r.pk: r for r in Response.objects.filter(campaign=campaign)}
    assert len(rows) == len(responses) == 7
    for row in rows:
        record = dict(zip(header, row, strict=True))
        response = responses[int(record["réponse"])]
        assert record["type d'établissement"] == response.school_type
        for heading in ("ROLE", "ROLE.other", "OUTILS", "OUTILS.other", "ATELIERS", "FREQ[eleves]", "FREQ[collegues]",
                        "SATISF", "HEURES", "COMMENT"):
            expected = _expected_cell(response, heading)
            got = record[heading]
            if isinstance(expected, float) and isinstance(got, str):
                got = float(got.replace(",", "."))
            assert (got if got is not None else "") == expected, (heading, response.answers)


def test_the_xlsx_export_reopens_with_openpyxl_and_matches_the_database(answered, tmp_path):
    path = tmp_path / "reponses.xlsx"
    run("export", "answers", "enquete-2023", "--format", "xlsx", "--out", str(path))
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Réponses", "Codes"]
    rows = list(workbook["Réponses"].iter_rows(values_only=True))
    _check_rows(rows[0], rows[1:], answered)
    assert "courriel" not in rows[0]  # the command exports personal data only when asked
    codes = list(workbook["Codes"].iter_rows(values_only=True))
    assert ("OUTILS", "OUTILS", "profil", "choix multiple", "Quels outils utilisez-vous avec vos collègues ?", None,
            "visio", "Visio, classe virtuelle") in codes


def test_the_ods_export_reopens_with_odfdo_and_matches_the_database(answered, tmp_path):
    path = tmp_path / "reponses.ods"
    run("export", "answers", "enquete-2023", "--format", "ods", "--out", str(path))
    document = Document(str(path))
    tables = document.body.get_tables()
    assert [t.name for t in tables] == ["Réponses", "Codes"]
    values = tables[0].get_values()
    header = values[0]
    rows = [row for row in values[1:] if any(cell not in (None, "") for cell in row)]
    rows = [[int(c) if isinstance(c, float) and c.is_integer() and h in ("réponse", "SATISF") else c
             for h, c in zip(header, row, strict=True)] for row in rows]
    _check_rows(header, rows, answered)


def test_the_csv_export_has_a_bom_and_keeps_accents(answered, tmp_path):
    path = tmp_path / "reponses.csv"
    run("export", "answers", "enquete-2023", "--format", "csv", "--out", str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "Élèves ravis, « super »" in text and "Très bien, merci ; à refaire" in text
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, rows = lines[0], lines[1:]
    for row in rows:
        for index, heading in enumerate(header):
            if heading == "SATISF":
                row[index] = int(row[index])
            elif heading == "HEURES" and row[index]:
                row[index] = float(row[index].replace(",", "."))
    _check_rows(header, rows, answered)
    codes = tmp_path / "codes.csv"
    run("export", "answers", "enquete-2023", "--codes", "--out", str(codes))
    lines = list(csv.reader(io.StringIO(codes.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:2] == ["colonne", "question"]
    assert ["FREQ[collegues]", "FREQ", "profil", "tableau", "À quelle fréquence accompagnez-vous ces publics ?",
            "Collègues", "parfois", "Parfois"] in lines


def test_the_json_export_holds_the_stored_answers_and_the_codebook(answered, tmp_path):
    path = tmp_path / "reponses.json"
    run("export", "answers", "enquete-2023", "--format", "json", "--out", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    stored = {r.pk: r.answers for r in Response.objects.all()}
    assert {r["id"]: r["answers"] for r in document["responses"]} == stored
    assert document["personal_data"] is False and "person" not in document["responses"][0]
    assert {"column": "FREQ[eleves]", "code": "jamais", "label": "Jamais"}.items() <= document["codebook"][
        next(i for i, c in enumerate(document["codebook"]) if c["column"] == "FREQ[eleves]" and c["code"] == "jamais")
    ].items()


def test_drafts_are_not_exported(answered, tmp_path):
    Response.objects.create(campaign=answered, school_type="lycee", departement_code="17",
                            status=ResponseStatus.DRAFT, answers={"COMMENT": "Brouillon pas fini"})
    path = tmp_path / "reponses.json"
    run("export", "answers", "enquete-2023", "--format", "json", "--out", str(path))
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["responses"]) == 7 and "Brouillon pas fini" not in path.read_text(encoding="utf-8")


def test_pilots_get_personal_data_and_readers_no_individual_answers(answered, client):
    pilot = _user("pilote", answered.academie, Role.PILOT)
    reader = _user("lecteur", answered.academie, Role.READER)
    url = "/campagnes/enquete-2023/reponses/export.xlsx"
    client.force_login(pilot)
    response = client.get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    header = next(openpyxl.load_workbook(io.BytesIO(_body(response)))["Réponses"].iter_rows(values_only=True))
    assert {"nom", "prénom", "courriel", "UAI"} <= set(header)
    text = _body(client.get("/campagnes/enquete-2023/reponses/export.csv")).decode("utf-8-sig")
    assert "anais.leger@ac-poitiers.fr" in text and "Léger" in text
    text = _body(client.get("/campagnes/enquete-2023/reponses/export.csv?personnel=0")).decode("utf-8-sig")
    assert "anais.leger@ac-poitiers.fr" not in text and "Léger" not in text and "Collège Camus" not in text
    assert "Élèves ravis" in text
    # A row is one person's answers: readers have the aggregated results' exports only.
    client.force_login(reader)
    assert client.get("/campagnes/enquete-2023/reponses/export.csv").status_code == 404
    assert client.get("/campagnes/enquete-2023/reponses/codes.csv").status_code == 200


def test_an_anonymous_campaign_never_exports_personal_data(answered, client):
    # Even if a response were still linked to an invitation, nothing personal leaves an anonymous campaign.
    type(answered).objects.filter(pk=answered.pk).update(anonymous=True)
    client.force_login(_user("pilote", answered.academie, Role.PILOT))
    response = client.get("/campagnes/enquete-2023/reponses/export.json")
    body = _body(response)
    document = json.loads(body)
    assert document["personal_data"] is False
    assert "anais.leger" not in body.decode("utf-8")
    with pytest.raises(CommandError) as error:
        run("export", "answers", "enquete-2023", "--personal", "--format", "json")
    assert "anonyme" in str(error.value)


def test_an_outsider_gets_404_and_a_visitor_is_sent_to_login(answered, client):
    from bilan.roster.models import Academie

    other = Academie.objects.create(code="limoges", name="Limoges")
    client.force_login(_user("ailleurs", other, Role.PILOT))
    assert client.get("/campagnes/enquete-2023/reponses/export.csv").status_code == 404
    client.logout()
    assert client.get("/campagnes/enquete-2023/reponses/export.csv").status_code == 302


def test_the_ods_export_keeps_line_breaks_and_drops_control_characters(answered, tmp_path):
    Response.objects.filter(invitation__isnull=False).update(
        answers={"COMMENT": "Première ligne\nseconde & <dernière>\x07", "SATISF": 2})
    path = tmp_path / "reponses.ods"
    run("export", "answers", "enquete-2023", "--format", "ods", "--out", str(path))
    values = Document(str(path)).body.get_tables()[0].get_values()
    column = values[0].index("COMMENT")
    assert "Première ligne\nseconde & <dernière>" in [row[column] for row in values[1:]]
