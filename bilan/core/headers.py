"""No page or file of Bilan is kept by a browser's or a proxy's cache.

Almost every response carries personal data: the « sans réponse » lists, the comment pages, the
results, the compte-rendu and its downloads, the exports, the team and roster pages, a
respondent's answers. Rather than remember a decorator on each of them (and forget the next
one), :class:`NoStoreMiddleware` marks **every response Django produces** ``Cache-Control:
no-store, private``: nothing is written to a shared computer's disk cache, nothing is kept by a
proxy, and the back button after « Se déconnecter » asks the server again (which sends to the
login page). The login and error pages get it too; they cost nothing to produce again.

Static files (the DSFR, our CSS and scripts) never reach it: whitenoise, earlier in
``MIDDLEWARE``, answers them with its own long-lived cache headers.
"""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every response produced by a view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, no_store=True, private=True)
        return response
