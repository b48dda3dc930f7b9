from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bilan.surveys.models import Campaign


@login_required
def home(request):
    campaigns = Campaign.objects.select_related("questionnaire", "academie").order_by("-school_year")
    return render(request, "core/home.html", {"campaigns": campaigns})
