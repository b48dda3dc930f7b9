"""Adapt a campaign's stored answers into the pure analysis core."""

from __future__ import annotations

from collections import Counter

from django.conf import settings

from bilan.analysis import AnswerTable, CampaignResults, analyse
from bilan.analysis.withholding import withhold_small_bases
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.surveys.models import Campaign, Response, ResponseStatus


def submitted_records(campaign: Campaign, *, school_type: str | None = None,
                      departement: str | None = None) -> list[dict]:
    responses = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED)
    if school_type:
        responses = responses.filter(school_type=school_type)
    if departement:
        responses = responses.filter(departement_code=departement)
    return [
        {"answers": answers, "school_type": st, "departement_code": dep}
        for answers, st, dep in responses.values_list("answers", "school_type", "departement_code").iterator()
    ]


def roster_counts(campaign: Campaign, *, school_type: str | None = None,
                  departement: str | None = None) -> dict[tuple[str, str], int]:
    """People invited per stratum cell (school type × département)."""
    invitations = campaign.invitations.all()
    if school_type:
        invitations = invitations.filter(school_type=school_type)
    if departement:
        invitations = invitations.filter(departement_code=departement)
    return dict(Counter(invitations.values_list("school_type", "departement_code")))


def campaign_results(campaign: Campaign, *, school_type: str | None = None, departement: str | None = None,
                     with_previous: bool = True) -> CampaignResults:
    """Every question's results, optionally restricted to one stratum, with last year beside."""
    schema = campaign.questionnaire.schema
    table = AnswerTable.from_records(schema, submitted_records(campaign, school_type=school_type,
                                                               departement=departement))
    previous_table = previous_schema = None
    if with_previous and campaign.previous_id:
        previous = campaign.previous
        previous_schema = previous.questionnaire.schema
        previous_table = AnswerTable.from_records(
            previous_schema, submitted_records(previous, school_type=school_type, departement=departement))
    roster = roster_counts(campaign, school_type=school_type, departement=departement)
    return analyse(schema, table, roster=roster or None, previous=previous_table,
                   previous_questionnaire=previous_schema,
                   small_cell=settings.BILAN_SMALL_CELL_THRESHOLD)


def results_for(user, campaign: Campaign, *, school_type: str | None = None,
                departement: str | None = None) -> CampaignResults:
    """The results as ``user`` may see them: whole for the pilots of a named campaign; for anyone
    else, and for everyone in an anonymous campaign (where a stratum of one would single its
    respondent out, even to a pilot), without any figure based on fewer respondents than the
    small-cell threshold (:mod:`bilan.analysis.withholding`), on the pages, in the exports and
    through the API."""
    results = campaign_results(campaign, school_type=school_type, departement=departement)
    if not campaign.anonymous and has_role(user, campaign.academie_id, Role.PILOT):
        return results
    return withhold_small_bases(results, settings.BILAN_SMALL_CELL_THRESHOLD)
