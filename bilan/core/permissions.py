"""Who may see and do what on staff pages.

Every staff view goes through :func:`campaign_for` (or :func:`require_role`),
which answers 404 rather than 403 to an outsider so that campaign slugs of
other académies are not disclosed.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404

from bilan.core.models import Membership, Role

# A pilot can do everything a reader can.
ROLE_RANK = {Role.READER: 1, Role.PILOT: 2}


def role_in(user, academie_id: int) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.PILOT
    membership = Membership.objects.filter(user=user, academie_id=academie_id).first()
    return membership.role if membership else None


def has_role(user, academie_id: int, needed: str = Role.READER) -> bool:
    role = role_in(user, academie_id)
    return role is not None and ROLE_RANK[Role(role)] >= ROLE_RANK[Role(needed)]


def campaign_for(user, slug: str, needed: str = Role.READER):
    from bilan.surveys.models import Campaign

    campaign = get_object_or_404(Campaign.objects.select_related("academie", "questionnaire"), slug=slug)
    if not has_role(user, campaign.academie_id, needed):
        raise Http404("Campagne introuvable")
    return campaign


def staff_campaign_view(needed: str = Role.READER):
    """Decorator for views taking ``slug``: passes the campaign, after checking the role."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            campaign = campaign_for(request.user, slug, needed)
            return view(request, campaign, *args, **kwargs)

        return wrapper

    return decorator


def academies_of(user):
    from bilan.roster.models import Academie

    if user.is_superuser:
        return Academie.objects.all()
    return Academie.objects.filter(memberships__user=user).distinct()
