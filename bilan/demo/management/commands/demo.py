import os
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# The report the demo writes: the one published as « Être RUPN en 2024 ».
REPORTED_CAMPAIGN = "2023-2024"


def _demo_secret_key(demo_dir: Path) -> str:
    """The demo's own secret key, drawn once and kept in its folder (sessions survive a restart)."""
    import secrets

    path = demo_dir / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _run_background_jobs_beside() -> None:
    """Run the background jobs (a large answers import from its page) in a thread beside the development
    server, every two seconds: the demo is one command. A real server runs ``bilan worker`` (docs/deploy.md),
    which also sends the e-mails; the demo sends none."""
    import logging
    import threading
    import time

    from bilan.outreach.tasks import task_runner

    def loop():
        worker = task_runner("demo")
        while True:
            try:
                worker.run()  # every job waiting now, then back here
            except Exception:  # a failed pass must not stop the thread; the next one retries
                logging.getLogger(__name__).exception("travaux de fond de la démonstration")
            time.sleep(2)

    threading.Thread(target=loop, name="bilan-demo-jobs", daemon=True).start()


class Command(BaseCommand):
    help = ("Construit l'académie de démonstration (référentiel, campagnes 2022-2023 et 2023-2024, réponses), "
            "puis sert l'application sur 127.0.0.1:8000 (ou l'adresse de --addr).")

    def add_arguments(self, parser):
        parser.add_argument("--dir", default="bilan-demo",
                            help="dossier de la démonstration (défaut ./bilan-demo) ; la base y est bilan.sqlite3")
        parser.add_argument("--no-serve", action="store_true", help="construire puis s'arrêter sans servir")
        parser.add_argument("--addr", "--bind", default="127.0.0.1:8000",
                            help="adresse:port où servir (défaut 127.0.0.1:8000) ; les liens affichés et ceux "
                                 "des courriels de la démonstration la suivent")
        parser.add_argument("--seed", type=int, default=2024, help="graine du générateur (défaut 2024)")

    def handle(self, *args, dir, no_serve, addr, seed, **options):
        from django.conf import settings
        from django.db import connections

        # Every absolute link (the respondent links, the e-mails' previews) is built on SITE_URL:
        # in the demo it is the address served, whatever the environment says.
        host = (addr if addr.startswith("http") else f"http://{addr}").rstrip("/")
        settings.SITE_URL = host
        demo_dir = Path(dir).resolve()
        demo_dir.mkdir(parents=True, exist_ok=True)
        if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY:
            # Not the public development key (the site refuses it with DEBUG off): the demo's own.
            settings.SECRET_KEY = _demo_secret_key(demo_dir)
        if not os.environ.get("DATABASE_URL"):
            # The settings point at ./bilan.sqlite3; the demo lives in its own folder.
            settings.DATABASES["default"]["NAME"] = demo_dir / "bilan.sqlite3"
            connections.close_all()
            connections["default"].settings_dict["NAME"] = demo_dir / "bilan.sqlite3"
        os.chdir(demo_dir)
        call_command("migrate", verbosity=0)

        from bilan.demo.loader import load_demo

        try:
            summary = load_demo(seed=seed, demo_dir=demo_dir, out=self.stdout)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Démonstration prête."))
        self.stdout.write(f"  Base de données : {summary.database}")
        self.stdout.write(f"  Pages de l'équipe : {host}/")
        self.stdout.write(f"  Compte pilote : {summary.pilot_username} / mot de passe : {summary.pilot_password}")
        self.stdout.write(f"  Compte lecteur : {summary.reader_username} / mot de passe : {summary.reader_password}")
        self.stdout.write(f"  Lien d'un·e répondant·e (campagne {summary.open_campaign}) : "
                          f"{host}{summary.respondent_path}")
        for line in summary.notes:
            self.stdout.write(f"  {line}")
        from bilan.reports.services import write_demo_reports
        from bilan.surveys.models import Campaign

        paths = write_demo_reports(Campaign.objects.get(slug=REPORTED_CAMPAIGN), demo_dir)
        self.stdout.write(f"  Compte-rendu {REPORTED_CAMPAIGN} (HTML, PDF, ODT, Markdown) :")
        for path in paths:
            self.stdout.write(f"    {path}")
        if no_serve:
            return
        _run_background_jobs_beside()
        self.stdout.write(f"\nServeur sur {host} (Ctrl+C pour arrêter)…")
        call_command("runserver", host.split("://", 1)[1], use_reloader=False, use_threading=True)
