"""Adapt a campaign's stored answers into the pure analysis core."""

from __future__ import annotations

import hashlib
from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Sum

from bilan.analysis import CampaignResults, analyse
from bilan.analysis.withholding import restrict_filtered, withhold_small_bases
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.surveys.answer_store import load_table
from bilan.surveys.models import Campaign, Response, ResponseStatus


def roster_counts(campaign: Campaign, *, school_type: str | None = None,
                  departement: str | None = None) -> dict[tuple[str, str], int]:
    """People invited per stratum cell (school type × département)."""
    invitations = campaign.invitations.all()
    if school_type:
        invitations = invitations.filter(school_type=school_type)
    if departement:
        invitations = invitations.filter(departement_code=departement)
    return dict(Counter(invitations.values_list("school_type", "departement_code")))


def answers_revision(campaign: Campaign | None) -> tuple:
    """What the results of ``campaign`` depend on, in one cheap query each: its sent answers (how many, the
    newest, the edits after sending) and its invitations (the response rates). Any change to either
    changes this."""
    if campaign is None:
        return ()
    sent = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).aggregate(
        count=Count("id"), newest=Max("id"), edits=Sum("revision"))
    invited = campaign.invitations.aggregate(count=Count("id"), newest=Max("id"))
    return (campaign.pk, campaign.questionnaire_id, sent["count"], sent["newest"], sent["edits"],
            invited["count"], invited["newest"])


def campaign_results(campaign: Campaign, *, school_type: str | None = None, departement: str | None = None,
                     with_previous: bool = True) -> CampaignResults:
    """Every question's results, optionally restricted to one stratum, with last year beside.

    Kept in the cache (each process's) under the revision of the answers and invitations of the
    campaign and of last year's (:func:`answers_revision`): a results page read again, by anyone,
    costs a few aggregate queries until an answer arrives or changes."""
    previous = campaign.previous if with_previous and campaign.previous_id else None
    key = "bilan-results:" + hashlib.sha256(repr((
        answers_revision(campaign), answers_revision(previous), school_type, departement, with_previous,
        settings.BILAN_SMALL_CELL_THRESHOLD)).encode()).hexdigest()
    results = cache.get(key)
    if results is None:
        results = _compute_results(campaign, school_type=school_type, departement=departement,
                                   with_previous=with_previous)
        cache.set(key, results, timeout=settings.BILAN_RESULTS_CACHE_SECONDS)
    return results


def _compute_results(campaign: Campaign, *, school_type: str | None, departement: str | None,
                     with_previous: bool) -> CampaignResults:
    schema = campaign.questionnaire.schema
    table = load_table(campaign, school_type=school_type, departement=departement)
    previous_table = previous_schema = None
    if with_previous and campaign.previous_id:
        previous = campaign.previous
        previous_schema = previous.questionnaire.schema
        previous_table = load_table(previous, school_type=school_type, departement=departement)
    roster = roster_counts(campaign, school_type=school_type, departement=departement)
    return analyse(schema, table, roster=roster or None, previous=previous_table,
                   previous_questionnaire=previous_schema,
                   small_cell=settings.BILAN_SMALL_CELL_THRESHOLD)


def results_for(user, campaign: Campaign, *, school_type: str | None = None,
                departement: str | None = None) -> CampaignResults:
    """The results as ``user`` may see them: whole for the pilots of a named campaign; for anyone
    else, and for everyone in an anonymous campaign (where a stratum of one would single its
    respondent out, even to a pilot), without any figure based on fewer respondents than the
    small-cell threshold (:mod:`bilan.analysis.withholding`), and, filtered on a stratum, with
    only what the campaign's protected tables publish about it; on the pages, in the exports and
    through the API."""
    results = campaign_results(campaign, school_type=school_type, departement=departement)
    if not campaign.anonymous and has_role(user, campaign.academie_id, Role.PILOT):
        return results
    threshold = settings.BILAN_SMALL_CELL_THRESHOLD
    shown = withhold_small_bases(results, threshold)
    filters = {name: value for name, value in (("school_type", school_type), ("departement_code", departement))
               if value}
    if filters and not shown.withheld:
        # One stratum's figures are a row of the campaign's tables: only what those tables publish.
        shown = restrict_filtered(shown, withhold_small_bases(campaign_results(campaign), threshold), filters)
    return shown
