"""``bilan report CAMPAIGN --format html|pdf|odt|md --out FILE``: write a campaign's report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilan.reports.renderers import FORMATS
from bilan.reports.services import render_campaign_report
from bilan.surveys.models import Campaign


class Command(BaseCommand):
    # A data command: Django's system checks would load every page's module and guard nothing here.
    requires_system_checks = []
    help = "Écrit le compte-rendu d'une campagne (brouillon du jour, avec les modifications de l'équipe)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="identifiant court de la campagne, ex. 2023-2024")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="html")
        parser.add_argument("--out", help="fichier à écrire (par défaut : nom proposé, dans le dossier courant)")

    def handle(self, campaign, fmt, out=None, **options):
        try:
            found = Campaign.objects.select_related("academie", "questionnaire").get(slug=campaign)
        except Campaign.DoesNotExist:
            known = ", ".join(Campaign.objects.order_by("slug").values_list("slug", flat=True)) or "aucune"
            raise CommandError(f"Campagne « {campaign} » introuvable (campagnes existantes : {known}).") from None
        filename, _, content = render_campaign_report(found, fmt)
        path = Path(out) if out else Path(filename)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        self.stdout.write(f"Compte-rendu {fmt.upper()} écrit dans {path} ({len(content)} octets).")
