"""System checks of the settings Bilan adds to Django's.

The personal links of invitations and reminders are built on ``SITE_URL``: with the
development default (127.0.0.1) every referent would receive a link that opens nothing.
The check is a deployment check (``bilan check --deploy``), and the commands that start
the site or send e-mails (``serve``, ``worker``, ``send-due``, ``invite``) run it at
start-up, so that a production machine without its address stops with this message
instead of mailing dead links. With ``DEBUG`` on (development) or in ``bilan demo``
(which sets the address it serves on) a loopback address is what is wanted.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

SITE_URL_TAG = "site_url"


def site_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the public address the e-mails link to, or None."""
    if not url:
        return "SITE_URL est vide"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"SITE_URL={url!r} n'est pas une adresse http:// ou https:// complète"
    host = parts.hostname
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    else:
        loopback = address.is_loopback or address.is_unspecified
    if loopback:
        return f"SITE_URL={url!r} est une adresse locale, que les destinataires des courriels ne peuvent pas ouvrir"
    return None


@register(SITE_URL_TAG, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    problem = site_url_problem(settings.SITE_URL)
    if problem is None:
        return []
    return [Error(f"{problem}.",
                  hint="Définissez SITE_URL avec l'adresse publique du site, par exemple "
                       "SITE_URL=https://bilan.ac-exemple.fr (docs/configuration.md).",
                  id="bilan.E001")]


def require_site_url(command) -> None:
    """Stop ``command`` (a management command) before it starts when the site's address is not usable."""
    command.check(tags=[SITE_URL_TAG], include_deployment_checks=True)


# --- the secret key ------------------------------------------------------------------------
# Sessions, CSRF tokens and the team's invitation and password links are signed with SECRET_KEY;
# the development key is public (it is in this repository): with it anyone could sign a session.

SECRET_KEY_TAG = "secret_key"  # noqa: S105  a check tag, not a secret


def secret_key_problem() -> str | None:
    """Why the web application must not start with these settings, or None (DEBUG on: development)."""
    if settings.DEBUG:
        return None
    if getattr(settings, "DEVELOPMENT_SECRET_KEY", None) == settings.SECRET_KEY:
        return ("Bilan refuse de démarrer : DEBUG est désactivé et aucune clé secrète n'est définie "
                "(SECRET_KEY ou SECRET_KEY_FILE) ; la clé de développement est publique")
    if len(settings.SECRET_KEY) < 50 or len(set(settings.SECRET_KEY)) < 5:
        return ("Bilan refuse de démarrer : SECRET_KEY est trop courte ou trop simple "
                "(50 caractères au moins, dont 5 différents au moins)")
    return None


SECRET_KEY_HINT = ("Engendrez une clé, par exemple avec "  # noqa: S105  a message, not a secret
                   "« python3 -c 'import secrets; print(secrets.token_urlsafe(50))' », et donnez-la "
                   "dans SECRET_KEY ou dans un fichier nommé par SECRET_KEY_FILE (docs/configuration.md, "
                   "« Production »).")


@register(SECRET_KEY_TAG, deploy=True)
def check_secret_key(app_configs=None, **kwargs):
    problem = secret_key_problem()
    return [] if problem is None else [Error(f"{problem}.", hint=SECRET_KEY_HINT, id="bilan.E002")]


def require_production_settings(command) -> None:
    """Stop ``command`` (one that serves the site) when its address or its secret key is not usable."""
    command.check(tags=[SITE_URL_TAG, SECRET_KEY_TAG], include_deployment_checks=True)


def refuse_unsafe_start() -> None:
    """Raise ImproperlyConfigured (the web application does not start) on the public key with DEBUG off."""
    from django.core.exceptions import ImproperlyConfigured

    problem = secret_key_problem()
    if problem is not None:
        raise ImproperlyConfigured(f"{problem}. {SECRET_KEY_HINT}")
