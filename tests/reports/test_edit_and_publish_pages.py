"""The pilot's pages: « Modifier ce paragraphe » opens on the paragraph's current text, and
« Publier » freezes a version only once the pilot has ticked « Je confirme »."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from bilan.french import typeset
from bilan.reports import services
from bilan.reports.models import ReportVersion
from bilan.surveys.models import Campaign

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"
KEY = "science-assessment"


@pytest.fixture
def pilot(client, personas, demo_db):
    client.force_login(personas["pilot"])
    return client


def textarea_text(response) -> str:
    tree = lxml_html.fromstring(response.content.decode())
    return tree.get_element_by_id("text").text_content().strip()


def test_the_edit_page_holds_the_paragraph_as_drafted_then_as_last_edited(pilot):
    campaign = Campaign.objects.get(slug=SLUG)
    block = services.build_campaign_report(campaign).block(KEY)
    edit = reverse("reports:edit", args=[SLUG, KEY])
    drafted = textarea_text(pilot.get(edit))
    assert drafted == block.text
    # The figures are in the text to edit, not left for the pilot to type again.
    assert block.figures and all(value in drafted for value in block.figures.values())

    rewritten = f"Texte de l'équipe : {block.figures['unknown']} ne connaissent pas ces recommandations."
    assert pilot.post(edit, {"text": rewritten}).status_code == 302
    # Kept as written, in French typography (’ for ').
    assert textarea_text(pilot.get(edit)) == typeset(rewritten) == rewritten.replace("'", "\u2019")


def test_publishing_without_confirmation_publishes_nothing(pilot):
    publish = reverse("reports:publish", args=[SLUG])
    page = pilot.get(publish)
    assert page.status_code == 200 and not ReportVersion.objects.exists()
    tree = lxml_html.fromstring(page.content.decode())
    assert tree.get_element_by_id("confirm").get("type") == "checkbox"
    assert "ne changera plus" in page.content.decode()

    for data in ({}, {"confirm": ""}):
        refused = pilot.post(publish, data)
        assert refused.status_code == 200
        assert not ReportVersion.objects.exists()
        summary = lxml_html.fromstring(refused.content.decode()).get_element_by_id("erreurs")
        assert "Cochez «\u00a0Je confirme\u00a0» pour publier cette version." in summary.text_content()


def test_publishing_with_confirmation_publishes_one_version(pilot):
    detail = pilot.get(reverse("reports:detail", args=[SLUG])).content.decode()
    publish = reverse("reports:publish", args=[SLUG])
    # The draft's button only opens the confirmation page: a link, not a form that publishes.
    assert f'href="{publish}"' in detail and f'action="{publish}"' not in detail
    response = pilot.post(publish, {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:version", args=[SLUG, 1])
    assert list(ReportVersion.objects.values_list("number", flat=True)) == [1]
    assert "la version 2" in pilot.get(publish).content.decode()
