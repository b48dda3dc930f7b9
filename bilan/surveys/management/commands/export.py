"""``bilan export answers CAMPAIGN --format … --out FILE``: raw answers with their codebook."""

from django.core.management.base import BaseCommand, CommandError

from bilan.french import NBSP
from bilan.surveys.cli import campaign_by_slug, write_output
from bilan.surveys.exports import EXPORT_FORMATS, export_codebook, stream_answers


class Command(BaseCommand):
    # A data command: Django's system checks cost half a second at each start and check nothing it uses.
    requires_system_checks = []
    help = "Exporte les réponses brutes d'une campagne : bilan export answers CAMPAGNE --format csv|xlsx|ods|json"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["answers"], metavar="answers", help="ce qui est exporté (answers)")
        parser.add_argument("campaign", help="identifiant court de la campagne, ex. 2023-2024")
        parser.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        parser.add_argument("--out", help="fichier à écrire (défaut : sortie standard pour csv et json)")
        parser.add_argument("--codes", action="store_true",
                            help="écrit le dictionnaire des codes (CSV) au lieu des réponses")
        parser.add_argument("--personal", action="store_true",
                            help="ajoute nom, courriel et établissement (campagnes nominatives seulement)")

    def handle(self, *args, kind, campaign, format, out, personal, codes=False, **options):
        target = campaign_by_slug(campaign, "questionnaire")
        if personal and target.anonymous:
            raise CommandError(f"la campagne « {campaign} » est anonyme{NBSP}: aucune donnée personnelle à exporter")
        if codes:
            format = "csv"
            filename, _mimetype, data = export_codebook(target)
        else:
            download = stream_answers(target, format, personal=personal)
            filename, data = download.filename, download.pieces
        write_output(self, data, out=out, filename=filename, text=format in ("csv", "json"), written="Réponses")
        from bilan.audit.services import record_command

        what = "dictionnaire des codes" if codes else "réponses" + (" avec les personnes" if personal else "")
        record_command("export", academie=target.academie_id, target=f"{what} {target.slug} ({format})")
