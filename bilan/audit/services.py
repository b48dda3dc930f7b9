"""Writing the audit log, and purging what is older than its retention."""

from __future__ import annotations

import ipaddress
from datetime import datetime

from django.contrib.auth.models import AnonymousUser

from bilan.audit.models import Action, AuditEntry
from bilan.core.security import client_ip

__all__ = ["Action", "purge_audit", "record", "record_command"]


def _ip(request) -> str | None:
    if request is None:
        return None
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(request_or_user, action: str, *, academie=None, target: str = "", username: str = "") -> AuditEntry:
    """One entry: ``request_or_user`` is the request (its user and address) or a user (a task, a command).

    ``academie`` is an Academie or its id; ``target`` names what was acted on (a campaign, a file, a format).
    ``username`` names who when there is no account (a refused login).
    """
    request = None if hasattr(request_or_user, "get_username") or request_or_user is None else request_or_user
    user = getattr(request, "user", None) if request is not None else request_or_user
    if user is None or isinstance(user, AnonymousUser) or not getattr(user, "is_authenticated", False):
        user = None
    academie_id = getattr(academie, "pk", academie)
    return AuditEntry.objects.create(
        user=user, username=(user.get_username() if user is not None else username)[:150],
        academie_id=academie_id, action=Action(action), target=str(target)[:255], ip_address=_ip(request))


def record_command(action: str, *, academie=None, target: str = "") -> AuditEntry:
    """An action taken by a ``bilan`` command (an import, an export, a publication, a purge): no account
    and no address, but the system account that ran it, so the pilots' journal shows it as well."""
    import getpass

    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): the uid is still an answer
        import os

        who = f"uid {os.getuid()}"
    return record(None, action, academie=academie, target=target, username=f"commande bilan ({who})")


def purge_audit(before: datetime) -> int:
    """Delete the entries written strictly before ``before``; the number deleted."""
    deleted, _ = AuditEntry.objects.filter(when__lt=before).delete()
    return deleted
