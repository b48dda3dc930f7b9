"""Every figure of the published 2023/2024 report, found in the engine's results.

The mapping file says which question, choices, rows and columns each figure
comes from; the values are read from `campaign_results` (the analysis engine
over the answers stored by the demo), never recomputed here.
"""

import pytest
import yaml

from bilan.questionnaire.loader import BUILTIN_DIR
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign
from tests.conftest import shared_dir

SHARED = shared_dir()
SEED = yaml.safe_load((SHARED / "seed" / "seed-figures.yaml").read_text(encoding="utf-8"))
MAPPING = yaml.safe_load((BUILTIN_DIR / "bilan-rupn.seed-mapping.yaml").read_text(encoding="utf-8"))
# Mentions are counts of free-text comments on a theme: the comments engine
# finds them (tests/commentary), not the statistics engine.
pytestmark = pytest.mark.django_db
ENGINE_FIGURES = [f for f in SEED["figures"] if MAPPING["figures"][f["id"]]["measure"] != "mention"]


@pytest.fixture(scope="module")
def results(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        return campaign_results(Campaign.objects.get(slug="2023-2024"))


def estimate_for(results, spec):
    question = results.question(spec["question"])
    if "row" in spec:
        row = question.row(spec["row"])
        columns = spec["columns"]
        if len(columns) == 1:
            return next(c for c in row.columns if c.code == columns[0])
        # "connaissent" = known + used: the grid's cumulative "at least known" column.
        first = columns[0]
        column_codes = [c.code for c in row.columns]
        assert column_codes[column_codes.index(first):] == columns
        return next(c for c in row.cumulative if c.code == f"at_least_{first}")
    (choice,) = spec["choices"]
    return question.option(choice)


@pytest.mark.parametrize("figure", ENGINE_FIGURES, ids=[f["id"] for f in ENGINE_FIGURES])
def test_the_engine_finds_the_published_figure(results, figure):
    spec = MAPPING["figures"][figure["id"]]
    if spec["measure"] == "ranking":
        ranking = results.question(spec["question"]).ranking
        expected = spec["choices_in_order"]
        assert ranking[:len(expected)] == expected
        return
    estimate = estimate_for(results, spec)
    if spec["measure"] == "count":
        assert estimate.count == figure["value"]
    else:
        assert estimate.percent_rounded == figure["value"]


def test_every_figure_but_mentions_is_checked_through_the_engine():
    measures = {MAPPING["figures"][f["id"]]["measure"] for f in SEED["figures"]} - {"mention"}
    assert measures == {"percent", "count", "ranking"}
    assert len(ENGINE_FIGURES) == len(SEED["figures"]) - 1


def test_the_participation_block_matches_the_report(results, demo_db, django_db_blocker):
    campaign = SEED["campaign"]
    assert results.respondents == campaign["respondents"]
    assert results.respondents_by_school_type == campaign["respondents_by_school_type"]
    overall = results.response_rates.overall
    assert overall.invited == campaign["referents_in_post"]
    # Response rates are published truncated (32.5 % → 32 %).
    assert int(overall.percent) == campaign["response_rate_percent"]
    with django_db_blocker.unblock():
        previous = campaign_results(Campaign.objects.get(slug="2022-2023"), with_previous=False)
    assert int(previous.response_rates.overall.percent) == campaign["previous_response_rate_percent"]


def test_the_previous_year_is_compared_on_the_same_codes(results):
    assessment = results.question("SCI_ASSESS_KNOWN").option("no")
    assert assessment.previous is not None
    assert assessment.previous.previous_base == 185
    assert (round(assessment.previous.difference_points)
            == round(assessment.percent - assessment.previous.previous_percent))
