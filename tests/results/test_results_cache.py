"""A campaign's results are computed once, then read from the cache until an answer or an invitation
changes (bilan.results.services.campaign_results)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign, Response, ResponseStatus

pytestmark = pytest.mark.django_db

SLUG = "2023-2024"


def respondents(campaign) -> int:
    return campaign_results(campaign).respondents


def test_results_are_read_again_from_the_cache_until_an_answer_changes(demo_db):
    campaign = Campaign.objects.get(slug=SLUG)
    first = respondents(campaign)
    with CaptureQueriesContext(connection) as queries:
        assert respondents(campaign) == first
    assert len(queries) <= 6, [q["sql"] for q in queries]  # the revisions, no answer read
    assert not any("answers" in q["sql"] and "SUM" not in q["sql"].upper() for q in queries)

    # A new answer: new results at once.
    model = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).first()
    Response.objects.create(campaign=campaign, answers=model.answers, status=ResponseStatus.SUBMITTED,
                            school_type=model.school_type, departement_code=model.departement_code)
    assert respondents(campaign) == first + 1

    # An answer edited after sending (its revision goes up): new results.
    edited = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED,
                                     answers__WS_HELD="yes").order_by("pk").first()
    before = campaign_results(campaign).question("WS_HELD").options
    edited.answers["WS_HELD"] = "no"
    edited.revision += 1
    edited.save()
    assert campaign_results(campaign).question("WS_HELD").options != before

    # An answer withdrawn (erased): new results.
    edited.delete()
    assert respondents(campaign) == first


def test_a_new_invitation_changes_the_response_rates(demo_db):
    from bilan.surveys.models import Invitation

    campaign = Campaign.objects.get(slug=SLUG)
    campaign_results(campaign)
    invitation = Invitation.objects.filter(campaign=campaign).first()
    with CaptureQueriesContext(connection) as cached:
        campaign_results(campaign)
    invitation.delete()
    with CaptureQueriesContext(connection) as computed:
        campaign_results(campaign)
    assert len(computed) > len(cached)  # recomputed: its answers read again
