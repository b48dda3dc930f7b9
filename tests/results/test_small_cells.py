"""Readers see no figure based on fewer respondents than the threshold; pilots see everything.

On the demo campaign (448 invited, 285 respondents) with a reader and a pilot of Poitiers:
a filter on the EREA stratum (fewer than five respondents), a campaign just opened with its
first answer, and the draft report of that campaign.
"""

import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from bilan.demo.loader import OPEN_SCHOOL_YEAR
from bilan.surveys.models import Campaign, CampaignState, Response, ResponseStatus

pytestmark = pytest.mark.django_db

SECTION = "/campagnes/2023-2024/resultats/section/resources/"
WITHHELD = "Trop peu de réponses pour les montrer"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def small_stratum(campaign):
    counts = {}
    for school_type in campaign.responses.filter(status=ResponseStatus.SUBMITTED).values_list("school_type",
                                                                                              flat=True):
        counts[school_type] = counts.get(school_type, 0) + 1
    school_type, count = min(counts.items(), key=lambda item: item[1])
    assert 0 < count < 5, counts
    return school_type, count


def test_a_filter_on_a_small_stratum_shows_the_reader_no_figure(personas):
    school_type, _count = small_stratum(Campaign.objects.get(slug="2023-2024"))
    url = f"{SECTION}?type={school_type}"
    page = client_for(personas["reader"]).get(url).content.decode()
    assert WITHHELD in page and "<table" not in page and "bilan-chart" not in page
    exported = client_for(personas["reader"]).get(f"/campagnes/2023-2024/resultats/export.xlsx?type={school_type}")
    rows = list(load_workbook(io.BytesIO(exported.content)).worksheets[0].iter_rows(values_only=True))[1:]
    assert rows and all(row[9] == "secret" and not any(isinstance(cell, (int, float)) for cell in row)
                        for row in rows), "each question listed as withheld, without any figure"
    pilot_page = client_for(personas["pilot"]).get(url).content.decode()
    assert WITHHELD not in pilot_page and "<table" in pilot_page


def test_the_whole_campaign_shows_the_reader_its_figures(personas):
    page = client_for(personas["reader"]).get(SECTION).content.decode()
    assert WITHHELD not in page and "<table" in page


@pytest.fixture
def just_opened(personas):
    """The demo's open campaign (2025-2026) with its first answer."""
    campaign = Campaign.objects.get(slug=OPEN_SCHOOL_YEAR)
    assert campaign.state == CampaignState.OPEN and not campaign.responses.exists()
    last = Campaign.objects.get(slug="2023-2024")
    answers = last.responses.filter(status=ResponseStatus.SUBMITTED).first().answers
    Response.objects.create(campaign=campaign, school_type="college", departement_code="86", answers=answers,
                            status=ResponseStatus.SUBMITTED, submitted_on=timezone.now().date())
    return campaign


def add_answers(campaign, n):
    template = campaign.responses.first()
    for _ in range(n):
        Response.objects.create(campaign=campaign, school_type="college", departement_code="86",
                                answers=template.answers, status=ResponseStatus.SUBMITTED,
                                submitted_on=template.submitted_on)


def test_an_open_campaign_with_one_answer_shows_the_reader_nothing(personas, just_opened):
    reader, pilot = client_for(personas["reader"]), client_for(personas["pilot"])
    overview = reader.get("/campagnes/2025-2026/resultats/").content.decode()
    assert WITHHELD in overview
    section = reader.get("/campagnes/2025-2026/resultats/section/resources/").content.decode()
    assert WITHHELD in section and "<table" not in section
    report = reader.get("/campagnes/2025-2026/compte-rendu/").content.decode()
    assert "Trop peu de réponses pour le montrer" in report
    download = reader.get("/campagnes/2025-2026/compte-rendu/telecharger.md")
    assert "attachment" not in download.get("Content-Disposition", "")
    assert "Trop peu de réponses" not in pilot.get("/campagnes/2025-2026/compte-rendu/").content.decode()
    assert "<table" in pilot.get("/campagnes/2025-2026/resultats/section/resources/").content.decode()


def test_four_answers_still_withheld_five_shown(personas, just_opened):
    reader = client_for(personas["reader"])
    add_answers(just_opened, 3)
    assert WITHHELD in reader.get("/campagnes/2025-2026/resultats/").content.decode()
    assert "Trop peu de réponses" in reader.get("/campagnes/2025-2026/compte-rendu/").content.decode()
    add_answers(just_opened, 1)
    assert WITHHELD not in reader.get("/campagnes/2025-2026/resultats/").content.decode()
    assert "Trop peu de réponses" not in reader.get("/campagnes/2025-2026/compte-rendu/").content.decode()


def test_a_reader_filtering_on_a_stratum_sees_only_what_the_campaign_tables_publish_about_it(personas):
    from bilan.results.services import campaign_results, results_for

    campaign = Campaign.objects.get(slug="2023-2024")
    full = campaign_results(campaign)
    departement = max(full.respondents_by_departement, key=full.respondents_by_departement.get)
    seen = results_for(personas["reader"], campaign, departement=departement)
    shown = [q for q in seen.questions if not q.withheld]
    withheld = [q for q in seen.questions if q.withheld and q.type in ("single", "yesno", "multiple", "grid")]
    assert shown and withheld, "some rows of the demo's tables are whole, others hide cells"
    for question in shown:
        assert question.breakdowns == [] and all(o.weighted_percent is None and o.previous is None
                                                 for o in question.options)
        if question.options:
            row = next(r for r in full.question(question.code).breakdown("departement_code").rows
                       if r.stratum == departement)
            assert {c.code: c.count for c in row.cells} == {o.code: o.count for o in question.options}
    for question in withheld:
        tables = [b for b in full.question(question.code).breakdowns if b.dimension == "departement_code"]
        rows = [r for b in tables for r in b.rows if departement in r.members]
        assert not tables or any(r.suppressed or r.members != [departement] or any(c.suppressed for c in r.cells)
                                 for r in rows) or len(tables) < max(1, len(question.rows))
    both = results_for(personas["reader"], campaign, departement=departement, school_type="college")
    assert all(q.withheld for q in both.questions), "one cell of the roster: no answer shown"
    # The pilot keeps the whole filtered view.
    assert any(q.breakdowns for q in results_for(personas["pilot"], campaign, departement=departement).questions)
