import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Sert l'application avec gunicorn (plusieurs processus sans état)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse:port (défaut 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2, help="nombre de processus (défaut 2)")

    def handle(self, *args, bind, workers, **options):
        from bilan.core.checks import require_production_settings

        # The pages queue invitations and reminders whose links use SITE_URL; sessions are signed with SECRET_KEY.
        require_production_settings(self)
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        # The gunicorn installed next to our own interpreter, arguments as a list (no shell).
        os.execv(gunicorn, [gunicorn, "bilan.wsgi:application", "--bind", bind, "--workers", str(workers),  # noqa: S606
                            "--access-logfile", "-",
                            # No personal link's token in the access log (bilan/core/redaction.py).
                            "--logger-class", "bilan.core.redaction.GunicornLogger"])
