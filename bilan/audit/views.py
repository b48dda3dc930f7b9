"""The académie's journal (« Journal des actions »): its pilots only; 404 to readers and outsiders."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from bilan.audit.models import PERSONAL_ACTIONS, Action, AuditEntry
from bilan.core.models import Membership, Role
from bilan.core.permissions import has_role

PAGE_SIZE = 50


def entries_of(academie):
    """The académie's entries, and the logins and tokens of its present members (they carry no académie)."""
    members = Membership.objects.filter(academie=academie).values("user_id")
    return (AuditEntry.objects
            .filter(Q(academie=academie) | Q(academie__isnull=True, action__in=PERSONAL_ACTIONS, user__in=members))
            .select_related("user"))


@require_http_methods(["GET", "HEAD"])
def log(request, academie):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    # core is below roster: the académie model is reached through the membership's relation.
    academie_model = Membership._meta.get_field("academie").related_model
    found = get_object_or_404(academie_model, code=academie)
    if not has_role(request.user, found.id, Role.PILOT):
        raise Http404("Académie introuvable")
    entries = entries_of(found)
    action = request.GET.get("action", "")
    if action in Action.values:
        entries = entries.filter(action=action)
    else:
        action = ""
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "academie": found, "page": page, "action": action, "actions": Action.choices,
    })
