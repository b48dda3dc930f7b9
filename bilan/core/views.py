from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

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


@login_required
def home(request):
    campaigns = list(Campaign.objects.filter(academie__in=academies_of(request.user))
                     .select_related("questionnaire", "academie").order_by("-school_year"))
    for campaign in campaigns:
        campaign.staff_links = staff_links(campaign)
    return render(request, "core/home.html", {"campaigns": campaigns})
