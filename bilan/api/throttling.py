"""Rate limit of the read API, per account (``BILAN_API_RATE``, e.g. ``600/hour``), and its French 429.

Anonymous requests never reach the throttle: authentication and the permission check come
first and answer 401. The counts live in Django's cache (``CACHES``): with several server
processes, use a shared cache (database or Redis) for the limit to hold across them.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from bilan.french import NBSP, plural

PERIODS = {"s": "seconde", "m": "minute", "h": "heure", "d": "jour"}


class AccountRateThrottle(UserRateThrottle):
    scope = "user"

    def get_rate(self):
        # Read at each request (not once at import, as DRF's THROTTLE_RATES is): settings can change.
        return settings.BILAN_API_RATE


def rate_words(rate: str) -> str:
    count, period = rate.split("/")
    return f"{plural(int(count), 'requête')} par {PERIODS.get(period[0], period)}"


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.Throttled) and response is not None:
        wait = max(1, round(exc.wait or 1))
        response.data = {"detail": (f"Trop de requêtes{NBSP}: la limite est de {rate_words(settings.BILAN_API_RATE)} "
                                    f"par compte. Réessayez dans {plural(wait, 'seconde')}.")}
    return response
