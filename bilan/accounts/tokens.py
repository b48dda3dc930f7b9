"""The links of invitations: Django's password-reset tokens, with their own salt and validity.

A token is an HMAC of the account's state (password hash, last login, e-mail) and its
timestamp, never stored: choosing a password changes the hash, so a link works once.
Its salt differs from the forgotten-password links', so one kind of link cannot stand for
the other; it is valid ``BILAN_ACCOUNT_INVITE_DAYS`` days to the second (a link exactly
that old still works, one second more and it does not).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

DAY = 24 * 60 * 60


def invitation_timeout() -> int:
    """How long, in seconds, an invitation link stays valid."""
    return settings.BILAN_ACCOUNT_INVITE_DAYS * DAY


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "bilan.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        # Django's check compares with PASSWORD_RESET_TIMEOUT; an invitation has its own validity.
        if not (user and token):
            return False
        try:
            stamp, _ = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        return self._num_seconds(self._now()) - timestamp <= invitation_timeout()


invitation_token_generator = InvitationTokenGenerator()
