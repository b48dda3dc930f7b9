"""The académie's team: invite a colleague, change a role, remove access.

Each workflow runs in one transaction: an invitation whose e-mail cannot leave saves
nothing (no account, no access), and no change may leave an académie without a pilot.
The invitation e-mail goes out synchronously through Django's ``send_mail``; its link is
built on ``SITE_URL`` and checked by :mod:`bilan.accounts.tokens` (nothing is stored).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from bilan.accounts.tokens import DAY, invitation_timeout, invitation_token_generator
from bilan.core.models import Membership, Role
from bilan.core.security import security_log
from bilan.french import fr_datetime, guillemets, plural

logger = logging.getLogger(__name__)


class TeamError(Exception):
    """A change the team page refuses; its message is French and says why."""


@dataclass(frozen=True)
class Invited:
    membership: Membership
    link_sent: bool  # False: the address already had an account with its password: told it may log in


def role_words(role: str) -> str:
    """« pilote », « lecteur·rice », as a sentence says them."""
    return Role(role).label.lower()


def person(user) -> str:
    return user.get_full_name() or user.email or user.username


def team_of(academie) -> list[Membership]:
    """The people who have access to the académie, pilots first, then by name; each membership's
    ``two_factor`` says whether its account has a confirmed second factor."""
    members = list(Membership.objects.filter(academie=academie).select_related("user")
                   .order_by("role", "user__last_name", "user__first_name", "user__email"))
    with_device = set(TOTPDevice.objects.filter(user__in=[m.user_id for m in members], confirmed=True)
                      .values_list("user_id", flat=True))
    for member in members:
        member.two_factor = member.user_id in with_device
    return members


def reset_two_factor(membership: Membership, *, by) -> None:
    """Remove the second factor of a colleague who lost their phone: they log in with their password
    alone until they enrol a new one (« Double authentification » on their account).

    Only for an account whose every académie ``by`` pilots: a pilot of one académie must not weaken
    an account that also opens another académie's data. One's own goes through one's account page.
    """
    user = membership.user
    if user.pk == by.pk:
        raise TeamError("Pour votre propre compte, passez par la page « Double authentification » de votre compte.")
    piloted = set(Membership.objects.filter(user=by, role=Role.PILOT).values_list("academie_id", flat=True))
    elsewhere = Membership.objects.filter(user=user).exclude(academie_id__in=piloted)
    if elsewhere.exists():
        raise TeamError(f"{person(user)} a aussi un rôle dans une académie que vous ne pilotez pas : "
                        "demandez à l'administrateur du serveur de réinitialiser sa double authentification.")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise TeamError(f"{person(user)} n'a pas de double authentification à réinitialiser.")
    security_log.warning("second factor reset username=%s by=%s", user.get_username(), by.get_username())


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def invitation_link(user) -> str:
    """The link that lets ``user`` choose a password, valid ``BILAN_ACCOUNT_INVITE_DAYS`` days."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = invitation_token_generator.make_token(user)
    return site_link(reverse("accounts:set_password", kwargs={"uidb64": uid, "token": token}))


def validity_words(seconds: int) -> str:
    """« 7 jours », « 36 heures »: how long a link lasts, as the e-mail says it."""
    if seconds % DAY == 0:
        return plural(seconds // DAY, "jour")
    return plural(max(1, round(seconds / 3600)), "heure")


def _find_account(email: str):
    model = get_user_model()
    return (model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
            .order_by("pk").first())


def invite(academie, *, email: str, role: str, invited_by, first_name: str = "", last_name: str = "") -> Invited:
    """Give ``email`` access to ``academie`` as ``role`` and tell them by e-mail.

    A new address gets an account without a usable password and a link to choose one;
    an address that already has an account keeps its password and is told it can log in.
    """
    with transaction.atomic():
        user = _find_account(email)
        new_account = user is None
        if new_account:
            user = get_user_model()(username=email, email=email, first_name=first_name, last_name=last_name)
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            raise TeamError(f"Le compte {guillemets(email)} est désactivé : demandez à l'administrateur "
                            "du site de le réactiver.")
        existing = Membership.objects.filter(user=user, academie=academie).first()
        if existing is not None:
            raise TeamError(f"{person(user)} a déjà accès à l'académie, comme {role_words(existing.role)} : "
                            "changez son rôle dans la liste de l'équipe.")
        membership = Membership.objects.create(user=user, academie=academie, role=role)
        pending = not user.has_usable_password()
        context = {
            "user": user, "academie": academie, "role": role_words(role), "inviter": person(invited_by),
            "login_url": site_link(reverse("core:login")),
            "forgotten_url": site_link(reverse("accounts:password_reset")),
        }
        if pending:
            context.update({
                "link": invitation_link(user),
                "validity": validity_words(invitation_timeout()),
                "expires": fr_datetime(timezone.localtime(timezone.now() + timedelta(seconds=invitation_timeout()))),
            })
            subject = f"Bilan : votre invitation dans l'équipe de l'académie de {academie.name}"
            body = render_to_string("accounts/invitation_email.txt", context)
        else:
            subject = f"Bilan : vous avez accès à l'académie de {academie.name}"
            body = render_to_string("accounts/access_email.txt", context)
        try:
            send_mail(subject, body, None, [user.email or email])
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("invitation of %s to %s not sent: %s", email, academie.code, error)
            raise TeamError(f"Le courriel pour {guillemets(email)} n'a pas pu partir (serveur de courriel : "
                            f"{error.__class__.__name__}) : réessayez plus tard ou vérifiez l'adresse.") from error
    return Invited(membership=membership, link_sent=pending)


def _sole_pilot(membership: Membership) -> bool:
    if membership.role != Role.PILOT:
        return False
    others = (Membership.objects.select_for_update()
              .filter(academie_id=membership.academie_id, role=Role.PILOT).exclude(pk=membership.pk))
    return not others.exists()


def _sole_pilot_message(membership: Membership, by, doing: str) -> str:
    if membership.user_id == by.pk:
        return (f"Vous êtes le seul pilote de l'académie : vous ne pouvez pas {doing}. "
                "Donnez d'abord le rôle de pilote à une autre personne de l'équipe.")
    return (f"{person(membership.user)} est le seul pilote de l'académie : une académie garde au moins "
            "un·e pilote. Donnez d'abord le rôle de pilote à une autre personne de l'équipe.")


def change_role(membership: Membership, role: str, *, by) -> Membership:
    with transaction.atomic():
        if role == membership.role:
            return membership
        if role != Role.PILOT and _sole_pilot(membership):
            raise TeamError(_sole_pilot_message(membership, by, "devenir lecteur·rice"))
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def remove_access(membership: Membership, *, by) -> None:
    """The person no longer sees the académie; their account stays (for their other académies)."""
    with transaction.atomic():
        if _sole_pilot(membership):
            raise TeamError(_sole_pilot_message(membership, by, "retirer votre propre accès"))
        membership.delete()
