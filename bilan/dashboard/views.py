"""The staff home page: the campaigns of the user's académies and their pages.

Its own app, at the top layer, because it links every other app's pages.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from bilan.core.permissions import academies_of
from bilan.surveys.models import Campaign

# Staff pages of a campaign, in the order shown; apps not installed are skipped.
CAMPAIGN_PAGES = [
    ("outreach:board", "Participation"),
    ("results:overview", "Résultats"),
    ("commentary:index", "Commentaires"),
    ("reports:detail", "Compte-rendu"),
]


def staff_links(campaign):
    links = []
    for name, label in CAMPAIGN_PAGES:
        try:
            links.append({"url": reverse(name, args=[campaign.slug]), "label": label})
        except NoReverseMatch:
            continue
    return links


# Reading only: a POST here would otherwise be answered as a GET and its body silently ignored.
@require_safe
@login_required
def home(request):
    campaigns = list(Campaign.objects.filter(academie__in=academies_of(request.user))
                     .select_related("questionnaire", "academie").order_by("-school_year"))
    for campaign in campaigns:
        campaign.staff_links = staff_links(campaign)
    return render(request, "dashboard/home.html", {"campaigns": campaigns})
