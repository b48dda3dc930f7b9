"""``bilan api_token COMPTE``: a new API token for a staff account, printed once.

Only its hash is stored (:mod:`bilan.api.tokens`): the token cannot be shown again; run
the command again for a new one. ``--renew`` revokes the account's other tokens first.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bilan.api import tokens
from bilan.api.forms import LABEL_MAX_LENGTH


class Command(BaseCommand):
    help = ("Crée un jeton d'API pour un compte et l'affiche (une seule fois : seule son empreinte est gardée) ; "
            "--renew révoque d'abord les autres jetons du compte.")

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="COMPTE", help="identifiant du compte")
        parser.add_argument("--label", default="Ligne de commande", help="libellé du jeton (son usage)")
        parser.add_argument("--days", type=int, default=None,
                            help=f"durée de validité en jours (défaut : {settings.BILAN_API_TOKEN_DAYS})")
        parser.add_argument("--renew", action="store_true",
                            help="révoque les autres jetons du compte (ils cessent de marcher)")

    def handle(self, *args, username, label, days, renew, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"compte « {username} » inconnu")
        if not user.is_active:
            raise CommandError(f"le compte « {username} » est désactivé")
        label = label.strip()
        if not label or len(label) > LABEL_MAX_LENGTH:
            raise CommandError(f"le libellé doit compter de 1 à {LABEL_MAX_LENGTH} caractères")
        if days is not None and not 1 <= days <= 366:
            raise CommandError("la durée de validité doit être comprise entre 1 et 366 jours")
        with transaction.atomic():
            revoked = tokens.revoke_all(user) if renew else 0
            token, secret = tokens.issue(user, label, days=days)
        if revoked:
            self.stderr.write(f"{revoked} jeton(s) révoqué(s).")
        self.stderr.write(f"Jeton « {token.label} » valable jusqu'au {token.expires_at:%Y-%m-%d %H:%M} (UTC) ; "
                          "il ne sera plus affiché :")
        self.stdout.write(secret)
