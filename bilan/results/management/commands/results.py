from django.core.management.base import BaseCommand

from bilan.results.exports import export_results
from bilan.results.services import campaign_results
from bilan.surveys.cli import campaign_by_slug, write_output
from bilan.vocabularies import SCHOOL_TYPE_CODES


class Command(BaseCommand):
    # A data command: Django's system checks cost half a second at each start and check nothing it uses.
    requires_system_checks = []
    help = "Écrit les résultats de chaque question d'une campagne (JSON, CSV, XLSX ou ODS)."

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="identifiant court de la campagne, ex. 2023-2024")
        parser.add_argument("--format", choices=["json", "csv", "xlsx", "ods"], default="json")
        parser.add_argument("--out", help="fichier à écrire (défaut : sortie standard pour json et csv)")
        parser.add_argument("--school-type", choices=SCHOOL_TYPE_CODES, metavar="TYPE",
                            help=f"seulement ce type d'établissement ({', '.join(SCHOOL_TYPE_CODES)})")
        parser.add_argument("--departement", help="seulement ce département (ex. 86)")

    def handle(self, *args, campaign, format, out, school_type, departement, **options):
        campaign_obj = campaign_by_slug(campaign, "questionnaire", "previous")
        results = campaign_results(campaign_obj, school_type=school_type, departement=departement)
        filename, _mimetype, data = export_results(results, f"resultats-{campaign}", format)
        write_output(self, data, out=out, filename=filename, text=format in ("json", "csv"), written="Résultats")
