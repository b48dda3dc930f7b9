"""Issuing, checking and revoking API tokens (:class:`bilan.api.models.ApiToken`).

A token is ``bilan_`` + 256 random bits (``secrets.token_urlsafe(32)``); only its SHA-256 is
stored, looked up by a unique index. A fast hash is right here: the secret is random, not
a password, so there is nothing to brute-force (as for the respondents' links,
:mod:`bilan.surveys.tokens`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bilan.api.models import ApiToken

PREFIX = "bilan_"
SECRET_BYTES = 32
SHOWN_PREFIX = 10  # "bilan_" and 4 characters of the secret: enough to tell tokens apart
# last_used_at is written at most once per this interval, to spare a write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(user, label: str, *, days: int | None = None, now: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``: the stored row and the secret, to show once and forget."""
    now = now or timezone.now()
    days = settings.BILAN_API_TOKEN_DAYS if days is None else days
    secret = PREFIX + secrets.token_urlsafe(SECRET_BYTES)
    token = ApiToken.objects.create(user=user, label=label.strip(), token_hash=hash_secret(secret),
                                    prefix=secret[:SHOWN_PREFIX], created_at=now,
                                    expires_at=now + dt.timedelta(days=days))
    return token, secret


def revoke(token: ApiToken, *, now: dt.datetime | None = None) -> bool:
    """Revoke ``token``; False if it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    return True


@transaction.atomic
def revoke_all(user, *, now: dt.datetime | None = None) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now or timezone.now())


def tokens_of(user):
    return ApiToken.objects.filter(user=user)


def touch(token: ApiToken, now: dt.datetime) -> None:
    """Record a use, at most once per :data:`LAST_USED_RESOLUTION`."""
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
