"""A pilot rewords a question and adds a choice in the browser's editor, sees the comparison flag
it and the preview show it, in Chromium at 360 px, with axe-core on each page."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bilan.core.models import Membership, Role
from bilan.roster.models import Academie
from bilan.surveys.models import Campaign, CampaignState, Response
from bilan.surveys.services import register_builtin_questionnaire
from tests.pages import logged_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 360




@pytest.fixture
def campaigns():
    academie = Academie.objects.create(code="poitiers", name="Poitiers")
    version = register_builtin_questionnaire()
    now = timezone.now()
    last = Campaign.objects.create(slug="2023-2024", title="Bilan des RUPN 2023/2024", academie=academie,
                                   school_year="2023-2024", questionnaire=version, state=CampaignState.CLOSED,
                                   opens_at=now - timedelta(days=400), closes_at=now - timedelta(days=300))
    Response.objects.create(campaign=last, school_type="college", departement_code="86", answers={})
    following = Campaign.objects.create(slug="2024-2025", title="Bilan des RUPN 2024/2025", academie=academie,
                                        school_year="2024-2025", questionnaire=version, previous=last,
                                        opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=60))
    pilot = get_user_model().objects.create_user("pilote-questionnaire", password="motdepasse-test-1")
    Membership.objects.create(user=pilot, academie=academie, role=Role.PILOT)
    return last, following, pilot


def check_page(page, assert_accessible, label, problems):
    assert_accessible(page, label)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, label
    assert not problems, f"{label}: {problems}"


def test_pilot_edits_a_question_compares_and_previews(live_server, new_page, assert_accessible, campaigns):
    last, following, pilot = campaigns
    page = logged_in_page(new_page, live_server, pilot)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))

    page.goto(f"{live_server.url}/campagnes/{following.slug}/questionnaire/")
    check_page(page, assert_accessible, "questionnaire de la campagne", problems)
    page.get_by_role("link", name="Modifier dans le navigateur").click()
    page.wait_for_url(re.compile("/questionnaire/modifier/$"))
    check_page(page, assert_accessible, "éditeur du questionnaire", problems)

    # Keyboard: the question's « Modifier » link is reached and followed with the keyboard.
    link = page.get_by_role("link", name="Modifier la question EXCH_METHODS")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/questionnaire/modifier/EXCH_METHODS/$"))
    check_page(page, assert_accessible, "formulaire d'une question", problems)
    page.get_by_label("Intitulé").fill("Quelles méthodes utilisez-vous pour faire échanger vos collègues ?")
    page.get_by_label("Nouveau choix 1").fill("Réunion de rentrée")
    page.get_by_role("button", name="Enregistrer la question").click()
    page.wait_for_url(re.compile("/questionnaire/modifier/#q-EXCH_METHODS$"))
    page.get_by_text("Question EXCH_METHODS enregistrée dans la version 2025-1.").wait_for()
    check_page(page, assert_accessible, "éditeur après enregistrement", problems)
    version = Campaign.objects.get(pk=following.pk).questionnaire
    assert version.version == "2025-1" and Campaign.objects.get(pk=last.pk).questionnaire_id != version.pk

    page.get_by_role("link", name="Comparer avec l'an dernier").click()
    page.wait_for_url(re.compile("/questionnaire/comparaison/$"))
    check_page(page, assert_accessible, "comparaison avec l'an dernier", problems)
    item = page.locator("#cmp-EXCH_METHODS")
    assert item.get_attribute("data-status") == "changed"
    assert "choix ajouté\u00a0: «\u00a0Réunion de rentrée\u00a0»" in item.inner_text()
    assert "intitulé modifié" in item.inner_text()
    assert page.get_by_role("heading", name=re.compile("^Non comparable")).is_visible()

    page.get_by_role("link", name="Aperçu comme un·e répondant·e").click()
    page.wait_for_url(re.compile("/questionnaire/apercu/$"))
    page.get_by_text("Aperçu — rien n'est enregistré.").wait_for()
    check_page(page, assert_accessible, "aperçu, première partie", problems)
    # The conditions work as on the respondent's form: the networks question shows once « Réseaux sociaux » is ticked.
    networks = page.locator('[data-bilan-question="INFO_NETWORKS"]')
    assert networks.is_hidden()
    # by keyboard, as the DSFR's label covers the box itself
    page.locator('input[name="INFO_SOURCES"][value="social_networks"]').focus()
    page.keyboard.press("Space")
    networks.wait_for(state="visible")
    page.locator('input[name="INFO_NETWORKS"][value="tchap"]').focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_url(re.compile("/questionnaire/apercu/partie/exchanges/"))
    check_page(page, assert_accessible, "aperçu, deuxième partie", problems)
    assert page.get_by_text("Quelles méthodes utilisez-vous pour faire échanger vos collègues").is_visible()
    assert page.get_by_role("checkbox", name="Réunion de rentrée").count() == 1
    assert page.locator('label[for]', has_text="Réunion de rentrée").is_visible()
    assert not Response.objects.filter(campaign=following).exists()
