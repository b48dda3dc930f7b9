"""Who may open the roster pages of an académie: its pilots only (the roster holds names and e-mails).

Outsiders, and readers of the académie too, get a 404 rather than a 403, so that the pages
disclose nothing; an anonymous visitor is sent to the login page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.roster.models import Academie

READ_METHODS = ("GET", "HEAD")


def pilot_academie_view(*, methods: tuple[str, ...] = READ_METHODS):
    """Decorator for views taking ``academie`` (its code): passes the académie, after checking the role."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, academie, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            found = get_object_or_404(Academie, code=academie)
            if not has_role(request.user, found.id, Role.PILOT):
                raise Http404("Académie introuvable")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorator
