from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from bilan.core.permissions import academies_of
from bilan.surveys.models import Campaign


@login_required
def home(request):
    campaigns = (Campaign.objects.filter(academie__in=academies_of(request.user))
                 .select_related("questionnaire", "academie").order_by("-school_year"))
    return render(request, "core/home.html", {"campaigns": campaigns})
