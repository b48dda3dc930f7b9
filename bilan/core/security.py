"""Logins that resist: the client's address, the login log, and two-factor authentication enforced.

Throttling is django-axes' job (settings ``AXES_*``); two-factor authentication is django-otp's
(TOTP devices). This module adds what Bilan decides on top of them:

* :func:`client_ip`: the address axes counts failures by, ``REMOTE_ADDR`` unless
  ``BILAN_PROXY_COUNT`` reverse proxies stand in front of Bilan (then the address they append
  to ``X-Forwarded-For``, never one the client wrote itself);
* the ``bilan.security`` logger: one line per successful, failed and ended login (username,
  address, outcome; the time is the log record's), beside axes' own tables (``AccessLog`` for
  successes and logouts, ``AccessFailureLog`` for each failure), which a later audit page reads;
* :class:`TwoFactorMiddleware`: a session of a user who has a confirmed device but did not give
  its code (a session opened by any other path than the two-step login) opens no page; with
  ``BILAN_PILOT_2FA_REQUIRED`` a pilot without a device is sent to the enrolment page.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

security_log = logging.getLogger("bilan.security")


def client_ip(request) -> str:
    """The visitor's address: the proxies' last appended hop when BILAN_PROXY_COUNT says there are proxies."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "BILAN_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    # Each trusted proxy appends the address it received the request from; entries further left
    # were written by the client and may be forged.
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def _address(request) -> str:
    return client_ip(request) if request is not None else ""


@receiver(user_logged_in, dispatch_uid="bilan.security.logged_in")
def _logged_in(sender, request, user, **kwargs):
    security_log.info("login succeeded username=%s address=%s", user.get_username(), _address(request),
                      extra={"outcome": "success", "username": user.get_username(), "address": _address(request)})


@receiver(user_login_failed, dispatch_uid="bilan.security.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    reason = "locked out" if getattr(request, "axes_locked_out", False) else "refused"
    security_log.warning("login failed (%s) username=%s address=%s", reason, username, _address(request),
                         extra={"outcome": "failure", "username": username, "address": _address(request)})


@receiver(user_logged_out, dispatch_uid="bilan.security.logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        security_log.info("logout username=%s address=%s", user.get_username(), _address(request),
                          extra={"outcome": "logout", "username": user.get_username(), "address": _address(request)})


def is_pilot(user) -> bool:
    from bilan.core.models import Membership, Role

    return Membership.objects.filter(user=user, role=Role.PILOT).exists()


class TwoFactorMiddleware:
    """After django-otp's OTPMiddleware: a user with a confirmed device is verified, or logged out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not user.is_verified() and user_has_device(user, confirmed=True):
                security_log.warning("session without its second factor closed username=%s address=%s",
                                     user.get_username(), client_ip(request))
                logout(request)
                return redirect(f"{reverse('core:login')}?{urlencode({'next': request.get_full_path()})}")
            if (settings.BILAN_PILOT_2FA_REQUIRED and not user.is_verified()
                    and request.path not in self._open_paths() and not request.path.startswith(settings.STATIC_URL)
                    and is_pilot(user)):
                return redirect("core:two_factor")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {reverse("core:two_factor"), reverse("core:logout")}
