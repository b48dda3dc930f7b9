import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilan.results.exports import export_results
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign


class Command(BaseCommand):
    help = "Écrit les résultats de chaque question d'une campagne (JSON, CSV, XLSX ou ODS)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="identifiant court de la campagne, ex. 2023-2024")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "ods"], default="json")
        parser.add_argument("--out", help="fichier à écrire (défaut : sortie standard pour json et csv)")
        parser.add_argument("--school-type", help="seulement ce type d'établissement (college, lycee, lp, erea)")
        parser.add_argument("--departement", help="seulement ce département (ex. 86)")

    def handle(self, *args, campaign, format, out, school_type, departement, **options):
        try:
            campaign_obj = Campaign.objects.select_related("questionnaire", "previous").get(slug=campaign)
        except Campaign.DoesNotExist:
            known = ", ".join(Campaign.objects.values_list("slug", flat=True)) or "aucune"
            raise CommandError(f"campagne « {campaign} » inconnue (campagnes : {known})") from None
        results = campaign_results(campaign_obj, school_type=school_type, departement=departement)
        filename, _mimetype, data = export_results(results, f"resultats-{campaign}", format)
        if out:
            Path(out).write_bytes(data)
            self.stderr.write(f"Résultats écrits dans {out}")
        elif format in ("json", "csv"):
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            raise CommandError(f"le format {format} est binaire : précisez --out {filename}")
