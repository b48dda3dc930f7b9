"""DRF authentication by API token (:mod:`bilan.api.tokens`): ``Authorization: Token bilan_…``.

The secret's SHA-256 is looked up; a revoked token, one at or past its expiry instant
(valid strictly before), or one of a deactivated account is refused with a 401 in French.
Each accepted request records the token's last use (at most once a minute).
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import authentication, exceptions

from bilan.api import tokens
from bilan.api.models import ApiToken
from bilan.french import NBSP, fr_datetime

REFUSED = "Jeton d'API invalide."


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """DRF's ``Token`` header, checked against :class:`ApiToken` (drf-spectacular documents it as tokenAuth)."""

    keyword = "Token"
    model = ApiToken

    def authenticate_credentials(self, key):
        if len(key) > 100:
            raise exceptions.AuthenticationFailed(REFUSED)
        token = (ApiToken.objects.select_related("user").filter(token_hash=tokens.hash_secret(key)).first())
        if token is None:
            raise exceptions.AuthenticationFailed(REFUSED)
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                f"Ce jeton d'API a été révoqué le {fr_datetime(timezone.localtime(token.revoked_at))}.")
        if not token.usable_at(now):
            raise exceptions.AuthenticationFailed(
                f"Ce jeton d'API a expiré le {fr_datetime(timezone.localtime(token.expires_at))}{NBSP}: "
                "créez-en un nouveau.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Le compte de ce jeton d'API est désactivé.")
        tokens.touch(token, now)
        return token.user, token
