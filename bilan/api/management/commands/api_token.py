"""``bilan api_token COMPTE``: the API token of a staff account (created if needed)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Affiche (et crée au besoin) le jeton d'API d'un compte ; --renew en crée un nouveau."

    def add_arguments(self, parser):
        parser.add_argument("username", metavar="COMPTE", help="identifiant du compte")
        parser.add_argument("--renew", action="store_true",
                            help="remplace le jeton existant (l'ancien cesse de marcher)")

    def handle(self, *args, username, renew, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"compte « {username} » inconnu")
        if not user.is_active:
            raise CommandError(f"le compte « {username} » est désactivé")
        if renew:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
