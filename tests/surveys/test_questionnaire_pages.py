"""The questionnaire pages of a campaign: summary, preview, comparison, upload, editor.

The demo campaign 2023-2024 has answers (frozen); each test adds next year's campaign, started
on the same questionnaire version and without answers, as the pilot prepares it.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from bilan.questionnaire.compare import Status
from bilan.surveys.models import Campaign, CampaignState, QuestionnaireVersion

pytestmark = pytest.mark.django_db

SAMPLES = Path("/work/shared/interop-samples")
NBSP = "\u00a0"
FROZEN = "ne peut donc plus être modifié ni remplacé"


@pytest.fixture
def last_year(personas):
    return Campaign.objects.select_related("questionnaire").get(slug="2023-2024")


@pytest.fixture
def next_year(last_year):
    now = timezone.now()
    return Campaign.objects.create(
        slug="2026-2027", title="Bilan des RUPN 2026-2027", academie=last_year.academie, school_year="2026-2027",
        questionnaire=last_year.questionnaire, opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=60),
        state=CampaignState.DRAFT, previous=last_year)


@pytest.fixture
def pilot(personas):
    client = Client()
    client.force_login(personas["pilot"])
    return client


@pytest.fixture
def reader(personas):
    client = Client()
    client.force_login(personas["reader"])
    return client


def url(name, campaign, *args):
    return reverse(f"questionnaires:{name}", args=[campaign.slug, *args])


def text(response) -> str:
    return re.sub(r"[ \t\r\n]+", " ", lxml_html.fromstring(response.content.decode()).text_content())


def summary_items(response) -> list[str]:
    tree = lxml_html.fromstring(response.content.decode())
    box = tree.get_element_by_id("erreurs", None)
    assert box is not None, "no error summary"
    return [re.sub(r"[ \t\r\n]+", " ", li.text_content()).strip() for li in box.iter("li")]


def reload(campaign) -> Campaign:
    return Campaign.objects.select_related("questionnaire").get(pk=campaign.pk)


# --------------------------------------------------------------------------- detail & frozen


def test_detail_of_a_frozen_campaign_says_why_and_offers_no_change(pilot, last_year):
    page = pilot.get(url("detail", last_year))
    assert page.status_code == 200
    body = text(page)
    assert "Questionnaire figé" in body and "Des réponses ont déjà été enregistrées" in body
    assert url("edit", last_year) not in page.content.decode()
    assert url("upload", last_year) not in page.content.decode()
    assert url("preview", last_year) in page.content.decode()


def test_detail_of_next_year_offers_edit_and_upload_to_the_pilot_only(pilot, reader, next_year):
    page = pilot.get(url("detail", next_year)).content.decode()
    assert url("edit", next_year) in page and url("upload", next_year) in page
    assert "crée une nouvelle version pour cette campagne seule" in page
    page = reader.get(url("detail", next_year)).content.decode()
    assert url("edit", next_year) not in page and url("upload", next_year) not in page
    assert "INFO_SOURCES" in page


def test_upload_and_edit_refused_on_a_frozen_campaign(pilot, last_year):
    before = (last_year.questionnaire_id, QuestionnaireVersion.objects.count())
    yaml = last_year.questionnaire.source_yaml.replace('version: "2024.1"', 'version: "9"')
    page = pilot.post(url("upload", last_year), {"fichier": SimpleUploadedFile("q.yaml", yaml.encode())})
    assert page.status_code == 200 and any(FROZEN in item for item in summary_items(page))
    page = pilot.post(url("edit_question", last_year, "INFO_MISSING"), {"text": "Autre", "type": "longtext"})
    assert any(FROZEN in item for item in summary_items(page))
    assert (reload(last_year).questionnaire_id, QuestionnaireVersion.objects.count()) == before


def test_a_campaign_frozen_by_one_saved_draft_only(pilot, next_year, last_year):
    from bilan.surveys.models import Response
    Response.objects.create(campaign=next_year, school_type="college", departement_code="86", answers={})
    page = pilot.get(url("upload", next_year))
    assert "Questionnaire figé" in text(page) and 'type="file"' not in page.content.decode()


# --------------------------------------------------------------------------- upload


def test_upload_with_errors_lists_each_one_and_saves_nothing(pilot, next_year):
    broken = """code: bilan-rupn
version: "2025-x"
title: Bilan
sections:
  - code: info
    title: Info
    questions:
      - {code: Q1, type: single, text: Un choix, choices: [{code: a, label: A}]}
      - {code: Q2, type: couleur, text: "Quelle couleur ?"}
      - {code: Q1, type: text, text: Doublon}
"""
    before = QuestionnaireVersion.objects.count()
    page = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile("q.yaml", broken.encode())})
    items = summary_items(page)
    assert f"Question Q1{NBSP}: une question à choix doit proposer au moins deux choix." in items
    assert any(item.startswith(f"Question Q2{NBSP}: type «{NBSP}couleur{NBSP}» inconnu") for item in items)
    assert f"Question Q1{NBSP}: code en double." in items
    assert QuestionnaireVersion.objects.count() == before
    assert reload(next_year).questionnaire_id == next_year.questionnaire_id


def test_upload_of_malformed_yaml_gives_the_line(pilot, next_year):
    page = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile("q.yaml", b"code: [x\ntitle: y\n")})
    assert any("ligne" in item for item in summary_items(page))


def test_upload_of_another_kind_of_file_is_refused(pilot, next_year):
    page = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile("q.pdf", b"%PDF-1.4")})
    assert any("ni un questionnaire YAML" in item for item in summary_items(page))
    page = pilot.post(url("upload", next_year), {})
    assert any("Choisissez un fichier de questionnaire." in item for item in summary_items(page))


@pytest.mark.parametrize("sample", ["survey.lss", "limesurvey_survey_432535.lss", "limesurvey-form.txt"])
def test_limesurvey_sample_accepted_and_attached(pilot, next_year, sample):
    data = (SAMPLES / sample).read_bytes()
    page = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile(sample, data)})
    assert page.status_code == 302, summary_items(page)
    campaign = reload(next_year)
    assert campaign.questionnaire_id != next_year.questionnaire_id
    assert "Questionnaire importé de LimeSurvey" in campaign.questionnaire.source_yaml
    assert campaign.questionnaire.schema.questions
    detail = pilot.get(page["Location"])
    assert "attaché à la campagne" in text(detail)


def test_upload_of_our_yaml_with_a_taken_version_number_is_renumbered(pilot, next_year):
    yaml = next_year.questionnaire.source_yaml.replace("title: Bilan annuel des RUPN", "title: Bilan RUPN révisé")
    page = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile("q.yaml", yaml.encode())})
    assert page.status_code == 302
    version = reload(next_year).questionnaire
    assert (version.version, version.title) == ("2027-1", "Bilan RUPN révisé")
    # the same file again: the same content is not stored twice
    unchanged = pilot.post(url("upload", next_year), {"fichier": SimpleUploadedFile(
        "q.yaml", next_year.questionnaire.source_yaml.encode())})
    assert unchanged.status_code == 302 and reload(next_year).questionnaire_id == next_year.questionnaire_id


# --------------------------------------------------------------------------- editor


def test_first_edit_copies_the_version_then_edits_it_in_place(pilot, next_year, last_year):
    response = pilot.post(url("edit_question", next_year, "INFO_MISSING"), {
        "text": "Qu'est-ce qui vous a manqué cette année ?", "help": "", "type": "longtext", "condition": ""})
    assert response.status_code == 302
    first = reload(next_year).questionnaire
    assert first.version == "2027-1" and first.pk != last_year.questionnaire_id
    assert reload(last_year).questionnaire.schema.question("INFO_MISSING").text.startswith("Quelles informations")
    response = pilot.post(url("edit", next_year), {"action": "move_question", "question": "INFO_MISSING",
                                                   "direction": "up"})
    assert response.status_code == 302
    again = reload(next_year).questionnaire
    assert again.pk == first.pk and again.version == "2027-1"
    codes = again.schema.section("info").questions
    assert [q.code for q in codes].index("INFO_MISSING") == 2


def test_question_form_adds_a_choice_keeps_codes_and_compare_flags_it(pilot, next_year):
    question = next_year.questionnaire.schema.question("EXCH_METHODS")
    data = {"text": question.text, "help": "", "type": "multiple", "other": "on", "condition": ""}
    for choice in question.choices:
        data[f"choices-{choice.code}"] = choice.label
    data["choices-new-1"] = "Réunion de rentrée"
    assert pilot.post(url("edit_question", next_year, "EXCH_METHODS"), data).status_code == 302
    schema = reload(next_year).questionnaire.schema
    assert schema.question("EXCH_METHODS").choice_codes[-2:] == ("reunion_de_rentree", "other")
    page = pilot.get(url("compare", next_year))
    body = text(page)
    assert f"choix ajouté{NBSP}: «{NBSP}Réunion de rentrée{NBSP}»" in body
    tree = lxml_html.fromstring(page.content.decode())
    assert tree.get_element_by_id("cmp-EXCH_METHODS").get("data-status") == Status.CHANGED


def test_question_form_errors_are_listed_and_nothing_saved(pilot, next_year):
    question = next_year.questionnaire.schema.question("EXCH_METHODS")
    data = {"text": "", "type": "multiple", "condition": "NOPE|x"}
    for choice in question.choices:
        data[f"choices-{choice.code}"] = ""
    page = pilot.post(url("edit_question", next_year, "EXCH_METHODS"), data)
    items = summary_items(page)
    assert any("Saisissez l'intitulé de la question." in i for i in items)
    assert any("Saisissez le libellé, ou cochez" in i for i in items)
    assert any("Condition" in i and "inconnue" in i for i in items)
    assert reload(next_year).questionnaire_id == next_year.questionnaire_id


def test_removing_all_but_one_choice_is_refused_by_the_core_with_the_question_named(pilot, next_year):
    question = next_year.questionnaire.schema.question("EXCH_METHODS")
    data = {"text": question.text, "type": "multiple", "condition": ""}
    for index, choice in enumerate(question.choices):
        data[f"choices-{choice.code}"] = choice.label
        if index:
            data[f"choices-{choice.code}-remove"] = "on"
    page = pilot.post(url("edit_question", next_year, "EXCH_METHODS"), data)
    assert summary_items(page) == [
        f"Question EXCH_METHODS{NBSP}: une question à choix doit proposer au moins deux choix."]
    assert reload(next_year).questionnaire_id == next_year.questionnaire_id


def test_condition_set_from_the_form(pilot, next_year):
    page = pilot.get(url("edit_question", next_year, "INFO_MISSING"))
    assert 'value="INFO_SOURCES|websites"' in page.content.decode()
    assert 'value="EXCH_METHODS|cafe"' not in page.content.decode()  # only earlier questions
    response = pilot.post(url("edit_question", next_year, "INFO_MISSING"), {
        "text": "Qu'est-ce qui vous a manqué ?", "type": "longtext", "condition": "INFO_SURVEYS_COLLEAGUES|yes"})
    # INFO_SURVEYS_COLLEAGUES comes after INFO_MISSING: not offered, so refused by the form
    assert response.status_code == 200
    response = pilot.post(url("edit_question", next_year, "INFO_MISSING"), {
        "text": "Qu'est-ce qui vous a manqué ?", "type": "longtext", "condition": "INFO_SOURCES|websites"})
    assert response.status_code == 302
    condition = reload(next_year).questionnaire.schema.question("INFO_MISSING").conditions[0]
    assert (condition.question, condition.operator, condition.value) == ("INFO_SOURCES", "includes", "websites")


def test_structure_actions(pilot, next_year):
    post = lambda **data: pilot.post(url("edit", next_year), data)  # noqa: E731
    assert post(action="add_section", title="Sobriété numérique").status_code == 302
    schema = reload(next_year).questionnaire.schema
    assert schema.sections[-1].title == "Sobriété numérique"
    assert post(action="add_question", section="sobriete_numerique", text="Éteignez-vous les écrans ?",
                type="yesno").status_code == 302
    assert post(action="move_section", section="sobriete_numerique", direction="up").status_code == 302
    assert post(action="rename_section", section="sobriete_numerique", title="Sobriété").status_code == 302
    schema = reload(next_year).questionnaire.schema
    assert schema.sections[-2].title == "Sobriété"
    assert schema.question("ETEIGNEZ_VOUS_LES_ECRANS").type.value == "yesno"
    assert post(action="remove_section", section="sobriete_numerique").status_code == 302
    assert "sobriete_numerique" not in [s.code for s in reload(next_year).questionnaire.schema.sections]
    page = post(action="move_question", question="INFO_NETWORKS", direction="up")
    assert page.status_code == 200
    assert any("INFO_NETWORKS" in item and "doit être déclarée avant" in item for item in summary_items(page))
    page = post(action="remove_section", section="nulle")
    assert summary_items(page) == [f"La section «{NBSP}nulle{NBSP}» n'existe pas dans ce questionnaire."]


# --------------------------------------------------------------------------- preview


def test_preview_renders_the_respondent_form_with_conditions_and_saves_nothing(reader, next_year):
    from bilan.surveys.models import Response
    page = reader.get(url("preview", next_year))
    body = page.content.decode()
    assert page.status_code == 200 and "Aperçu — rien n'est enregistré." in body
    form = lxml_html.fromstring(body).xpath('//form[@data-bilan-conditions-form]')[0]
    assert form.get("method") == "get" and not form.xpath('.//input[@name="csrfmiddlewaretoken"]')
    assert 'data-bilan-conditions=' in body and "core/conditions.js" in body
    response = reader.get(url("preview_section", next_year, "info"), {
        "action": "next", "INFO_SOURCES": ["social_networks"], "INFO_NETWORKS": ["tchap"]})
    assert response.status_code == 302
    assert response["Location"].startswith(url("preview_section", next_year, "exchanges"))
    follow = reader.get(response["Location"])
    assert follow.status_code == 200 and "Étape 2 sur" in text(follow)
    state = json.loads(lxml_html.fromstring(follow.content.decode()).xpath('//input[@name="apercu"]')[0].get("value"))
    assert state == {"INFO_SOURCES": ["social_networks"], "INFO_NETWORKS": ["tchap"]}
    assert not Response.objects.filter(campaign=next_year).exists()


def test_preview_shows_the_respondent_errors(reader, next_year):
    page = reader.get(url("preview_section", next_year, "info"), {"action": "next", "INFO_SOURCES": ["nope"]})
    assert page.status_code == 200 and "à corriger" in text(page)


def test_preview_end_and_unknown_section(reader, next_year):
    schema = next_year.questionnaire.schema
    last = schema.sections[-1].code
    response = reader.get(url("preview_section", next_year, last), {"action": "next"})
    assert response["Location"].startswith(url("preview_end", next_year))
    page = reader.get(response["Location"])
    assert "Terminer l'aperçu" in text(page)
    assert reader.get(url("preview_section", next_year, "nulle")).status_code == 404
    assert reader.get(url("preview_section", next_year, "info"), {"apercu": "{pas du json"}).status_code == 200


def test_compare_without_previous_campaign(reader, personas):
    first = Campaign.objects.filter(previous__isnull=True, academie__code="poitiers").first()
    page = reader.get(url("compare", first))
    assert "il n'y a rien à comparer" in text(page)


def test_compare_same_version_is_all_comparable(reader, next_year):
    page = reader.get(url("compare", next_year))
    assert "Les deux campagnes utilisent la même version" in text(page)
    assert f"0{NBSP}question non comparable" in text(page)
