"""The action plan closes the report, and next year's report follows it up."""

import re

import pytest

from bilan.french import typeset
from bilan.reports import services
from bilan.reports.models import Action
from bilan.reports.renderers import render
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign
from tests.reports.helpers import normalised


@pytest.fixture
def campaigns(demo_db, db):
    return Campaign.objects.get(slug="2023-2024"), Campaign.objects.get(slug="2024-2025")


def assessment_action():
    return next(a for a in Action.objects.filter(campaign__slug="2023-2024")
                if any(i["q"] == "SCI_ASSESS_KNOWN" for i in a.indicators))


def test_the_last_section_lists_the_actions_with_the_finding_they_answer(campaigns, seed):
    current, _ = campaigns
    document = services.build_campaign_report(current)
    last = document.sections[-1]
    assert last.title == "Après le bilan, l’action"
    action = assessment_action()
    (item,) = [i for i in last.blocks[0].items if typeset(action.title)[1:] in i]
    assert item.startswith("Parce que ")   # the finding first, then what is planned
    published = next(f["value"] for f in seed["figures"] if f["id"] == "science-assessment-unknown")
    assert re.search(rf"{published}\u00a0% ne connaissent pas les recommandations des sciences cognitives "
                     r"pour évaluer .*\(évaluation\)", item)
    assert action.owner in item and action.get_status_display().lower() in item
    text = normalised(render(document, "md")[2].decode())
    assert normalised(action.title) in text.split("## apres le bilan, l'action")[1]


def test_next_years_report_shows_how_each_indicator_moved(campaigns):
    previous, current = campaigns
    document = services.build_campaign_report(current)
    follow_up = document.section("follow-up")
    assert follow_up.title == "Suivi du plan d’action 2023-2024"
    action = assessment_action()
    (item,) = [i for i in follow_up.blocks[0].items if i.startswith(typeset(action.title))]
    before = campaign_results(previous, with_previous=False).question("SCI_ASSESS_KNOWN").option("no")
    now = campaign_results(current, with_previous=False).question("SCI_ASSESS_KNOWN").option("no")
    assert before.percent_rounded != now.percent_rounded
    points = abs(now.percent_rounded - before.percent_rounded)
    sign = "−" if now.percent_rounded < before.percent_rounded else "+"
    assert (f"{before.percent_rounded}\u00a0% en 2023-2024, {now.percent_rounded}\u00a0% cette année "
            f"({sign}{points}\u00a0points)") in item
    html = render(document, "html")[2].decode()
    assert "Suivi du plan d’action 2023-2024" in html


def test_a_campaign_without_a_plan_says_so(campaigns):
    _, current = campaigns
    last = services.build_campaign_report(current).sections[-1]
    assert last.blocks[0].text == "Le plan d’action de cette campagne n’a pas encore été rédigé."


def test_the_demo_plan_can_be_created_again_without_duplicates(campaigns):
    previous, _ = campaigns
    services.create_demo_action_plan(previous)
    assert Action.objects.filter(campaign=previous).count() == len(services.DEMO_ACTIONS)


def test_an_open_campaign_without_answers_still_gets_a_report(demo_db, db):
    from bilan.reports.renderers import FORMATS

    document = services.build_campaign_report(Campaign.objects.get(slug="2025-2026"))
    assert document.section("participation").blocks
    for fmt in FORMATS:
        assert render(document, fmt)[2]
