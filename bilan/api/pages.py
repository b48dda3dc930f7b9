"""The « Jetons d'API » page: each account manages its own API tokens.

Any logged-in account (pilot or reader) may hold tokens for itself: the API grants what the
account's roles grant, campaign by campaign. A token is shown once, on the page that answers
its creation (never stored in the session, a message or a log; the page is ``no-store``).
Another account's token is not found (404), whether it exists or not.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from bilan.api import tokens
from bilan.api.forms import CreateTokenForm, RevokeTokenForm, TokenActionForm
from bilan.api.throttling import rate_words
from bilan.audit.services import record
from bilan.core.forms import NBSP, error_summary, guillemets


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def token_list(request):
    create_form, refused, created = CreateTokenForm(), None, None
    if request.method == "POST":
        chooser = TokenActionForm(request.POST)
        if not chooser.is_valid():
            refused = chooser
        elif chooser.cleaned_data["action"] == "create":
            create_form = CreateTokenForm(request.POST)
            if create_form.is_valid():
                created = tokens.issue(request.user, create_form.cleaned_data["label"])
                record(request, "api_token_created", target=create_form.cleaned_data["label"])
                create_form = CreateTokenForm()
            else:
                refused = create_form
        else:
            revoke_form = RevokeTokenForm(request.POST)
            if not revoke_form.is_valid():
                refused = revoke_form
            else:
                token = tokens.tokens_of(request.user).filter(pk=revoke_form.cleaned_data["token"]).first()
                if token is None:
                    raise Http404("Jeton introuvable")
                if tokens.revoke(token):
                    record(request, "api_token_revoked", target=token.label)
                    messages.success(request, f"Le jeton {guillemets(token.label)} est révoqué{NBSP}: "
                                              "il ne donne plus accès à l'API.")
                else:
                    messages.info(request, f"Le jeton {guillemets(token.label)} était déjà révoqué.")
                return redirect("api_tokens:list")
    now = timezone.now()
    listed = list(tokens.tokens_of(request.user))
    for token in listed:
        token.usable = token.usable_at(now)
    anchor = "#creer" if refused is create_form else "#jetons"
    return render(request, "api/tokens.html", {
        "tokens": listed, "create_form": create_form,
        "created": created[0] if created else None, "secret": created[1] if created else "",
        "refused_summary": error_summary(refused, anchor) if refused is not None else [],
        "token_days": settings.BILAN_API_TOKEN_DAYS, "api_rate_words": rate_words(settings.BILAN_API_RATE),
    })


app_name = "api_tokens"
urlpatterns = [
    path("compte/jetons-api/", token_list, name="list"),
]
