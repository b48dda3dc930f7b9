"""``bilan purge [--dry-run]``: remove what is past its retention period, and say what."""

from django.core.management.base import BaseCommand

from bilan.retention.services import purge, purge_if_due


class Command(BaseCommand):
    # A data command: Django's system checks would load every page's module (0.6 s) and guard nothing here.
    requires_system_checks = []
    help = ("Supprime les données dont la durée de conservation est écoulée (brouillons, liens personnels, "
            "traces de courriels, journaux…) et dit ce qu'elle retire. Le worker la lance une fois par jour.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true",
                            help="compter seulement : ne rien supprimer, dire ce qui serait retiré")
        parser.add_argument("--if-due", action="store_true",
                            help="ne rien faire si la dernière purge date de moins d'un jour (usage du worker)")

    def handle(self, *args, dry_run=False, if_due=False, **options):
        if if_due and not dry_run:
            report = purge_if_due()
            if report is None:
                return
        else:
            report = purge(dry_run=dry_run)
        for line in report.lines():
            self.stdout.write(line)
