"""The pilot's page: upload an answer file, check and correct the mapping, confirm; all or nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError

from bilan.core.models import Membership, Role
from bilan.surveys.models import Response
from tests.interop_django.conftest import run

URL = "/campagnes/enquete-2023/reponses/import/"


def _login(client, campaign, role):
    user = get_user_model().objects.create_user(username=f"compte-{role}", password="motdepasse-test-1")
    Membership.objects.create(user=user, academie=campaign.academie, role=role)
    client.force_login(user)
    return user


def _upload(client, name, data):
    return client.post(URL, {"step": "upload", "format": "", "fichier": SimpleUploadedFile(name, data)})


def test_the_pilot_sees_the_proposed_mapping_then_imports(client, enquete_campaign, data_dir):
    _login(client, enquete_campaign, Role.PILOT)
    page = _upload(client, "google_forms.csv", (data_dir / "google_forms.csv").read_bytes())
    html = page.content.decode()
    assert page.status_code == 200 and "Google Forms (CSV)" in html and "6 ligne(s)" in html
    assert '<option value="OUTILS" selected>' in html and '<option value="FREQ/eleves" selected>' in html
    assert not Response.objects.exists()  # nothing saved before confirming
    fields = {"step": "confirm"}
    for index in range(2, 10):
        fields[f"col-{index}"] = {2: "ROLE", 3: "OUTILS", 4: "ATELIERS", 5: "FREQ/eleves", 6: "FREQ/collegues",
                                  7: "SATISF", 8: "HEURES", 9: "COMMENT"}[index]
    done = client.post(URL, fields)
    assert done.status_code == 302 and done["Location"] == "/campagnes/enquete-2023/resultats/"
    assert Response.objects.filter(campaign=enquete_campaign).count() == 6


def test_the_pilot_assigns_a_column_no_question_matched(client, enquete_campaign):
    _login(client, enquete_campaign, Role.PILOT)
    page = _upload(client, "r.csv", "Horodateur,Votre ressenti (1 à 5)\n2023-06-01 10:00:00,4\n".encode())
    assert "aucune question trouvée" in page.content.decode()
    refused = client.post(URL, {"step": "confirm", "col-1": ""})
    assert Response.objects.count() == 0 and refused.status_code == 200
    upload = SimpleUploadedFile("r.csv", "Horodateur,Votre ressenti (1 à 5)\n2023-06-01,4\n".encode())
    client.post(URL, {"step": "upload", "format": "", "fichier": upload})
    client.post(URL, {"step": "confirm", "col-1": "SATISF"})
    assert Response.objects.get().answers == {"SATISF": 4}


def test_a_bad_value_is_refused_with_its_line_and_nothing_is_saved(client, enquete_campaign):
    _login(client, enquete_campaign, Role.PILOT)
    _upload(client, "r.csv", "id;submitdate;ATELIERS\n1;2023-06-01;Y\n2;2023-06-02;Peut-être\n".encode())
    page = client.post(URL, {"step": "confirm", "col-2": "ATELIERS"})
    html = page.content.decode()
    assert "Import refusé" in html and "ligne 3" in html and "Peut-être" in html
    assert not Response.objects.exists()


@pytest.mark.parametrize("role", [Role.READER])
def test_readers_cannot_import(client, enquete_campaign, role):
    _login(client, enquete_campaign, role)
    assert client.get(URL).status_code == 404


@pytest.mark.parametrize("target, message", [
    ("NOPE", "la question «\u00a0NOPE\u00a0» n'existe pas dans le questionnaire"),
    ("ATELIERS/nope", "la question ATELIERS n'a pas d'option ou de ligne «\u00a0nope\u00a0»"),
])
def test_the_page_and_the_command_refuse_a_column_target_alike(client, enquete_campaign, tmp_path, target, message):
    """One judge of the pilot's column choices: the page's form and ``--map`` ask the same function."""
    data = b"id;submitdate;ATELIERS\n1;2023-06-01;Y\n"
    _login(client, enquete_campaign, Role.PILOT)
    _upload(client, "r.csv", data)
    page = client.post(URL, {"step": "confirm", "col-2": target})
    assert page.status_code == 200
    html = page.content.decode().replace("&#x27;", "'")
    assert message[:1].upper() + message[1:] + "." in html
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError) as refused:
        run("import", "answers", str(path), "--campaign", "enquete-2023", "--map", f"ATELIERS={target}")
    assert message in str(refused.value)
    assert not Response.objects.exists()
