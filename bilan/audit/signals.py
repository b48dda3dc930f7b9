"""Logins and refused logins go to the audit log (beside the bilan.security log lines)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from bilan.audit.models import Action, AuditEntry
from bilan.audit.services import _ip


@receiver(user_logged_in, dispatch_uid="bilan.audit.logged_in")
def _logged_in(sender, request, user, **kwargs):
    AuditEntry.objects.create(user=user, username=user.get_username()[:150], action=Action.LOGIN,
                              ip_address=_ip(request))


@receiver(user_login_failed, dispatch_uid="bilan.audit.login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    # The account typed, when it exists, so that its académies' journals show the attempt.
    user = get_user_model().objects.filter(username=username).first() if username else None
    AuditEntry.objects.create(user=user, username=username, action=Action.LOGIN_FAILED, ip_address=_ip(request))

