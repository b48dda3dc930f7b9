"""Who may see and do what on a campaign's staff pages.

Every staff view of a campaign goes through :func:`staff_campaign_view` (or
:func:`campaign_for`), which answers 404 rather than 403 to an outsider so
that campaign slugs of other académies are not disclosed. Roles themselves
live in :mod:`bilan.core.permissions`.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from bilan.analysis.withholding import below
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.surveys.models import Campaign, ResponseStatus


def campaign_for(user, slug: str, needed: str = Role.READER):
    campaign = get_object_or_404(Campaign.objects.select_related("academie", "questionnaire"), slug=slug)
    if not has_role(user, campaign.academie_id, needed):
        raise Http404("Campagne introuvable")
    return campaign


READ_METHODS = ("GET", "HEAD")


def staff_campaign_view(needed: str = Role.READER, *, methods: tuple[str, ...] = READ_METHODS):
    """Decorator for views taking ``slug``: passes the campaign, after checking the role.

    A view answers only ``methods`` (reading, unless it says otherwise): a POST to a page
    that has no form behind it is refused (405) instead of being silently treated as a GET.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            # Who before how: a visitor is sent to the login page and an outsider gets the 404
            # on every URL of a campaign, whatever the method; only the campaign's staff learn
            # that a URL wants another method.
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            campaign = campaign_for(request.user, slug, needed)
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, campaign, *args, **kwargs)

        return wrapper

    return decorator


def too_few_answers_for(user, campaign) -> bool:
    """Whether ``user`` must not see a campaign's figures: not one of its pilots, and fewer
    submitted answers than the small-cell threshold (an open campaign with its first answers).
    The results themselves are filtered question by question in :func:`bilan.results.services.results_for`."""
    if has_role(user, campaign.academie_id, Role.PILOT):
        return False
    submitted = campaign.responses.filter(status=ResponseStatus.SUBMITTED).count()
    return below(submitted, settings.BILAN_SMALL_CELL_THRESHOLD)
