"""``bilan comments pseudonymise`` and ``bilan comments themes``."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from bilan.commentary.services import comment_digest, digest_as_dict, free_text_questions, roster_pseudonymiser
from bilan.comments import Person, Pseudonymiser
from bilan.interop.spreadsheets import csv_table
from bilan.roster.models import Referent, School
from bilan.surveys.cli import campaign_by_slug


class Command(BaseCommand):
    # A data command: Django's system checks would load every page's module and guard nothing here.
    requires_system_checks = []
    help = "Commentaires : pseudonymiser un texte, ou lister les thèmes d'une campagne."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="{pseudonymise,themes}")
        pseudo = commands.add_parser(
            "pseudonymise", help="lit un texte sur l'entrée standard et l'écrit pseudonymisé, ligne par ligne")
        pseudo.add_argument("--campaign", help="campagne dont le référentiel sert (défaut : tout le référentiel)")
        themes = commands.add_parser("themes", help="thèmes, effectifs et citations d'une campagne")
        themes.add_argument("campaign", help="identifiant court de la campagne, ex. 2023-2024")
        themes.add_argument("--question", help="seulement cette question (code, ex. INFO_MISSING)")
        themes.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, action, **options):
        if action == "pseudonymise":
            self._pseudonymise(options.get("campaign"))
        else:
            self._themes(options["campaign"], options.get("question"), options["format"])

    def _campaign(self, slug):
        return campaign_by_slug(slug, "academie", "questionnaire")

    def _pseudonymise(self, slug):
        if slug:
            pseudonymiser = roster_pseudonymiser(self._campaign(slug).academie_id)
        else:
            # No campaign named: every person and school we know of, the cautious choice.
            pseudonymiser = Pseudonymiser(
                [Person(first, last) for first, last in Referent.objects.values_list("first_name", "last_name")],
                list(School.objects.values_list("name", flat=True)))
        for line in sys.stdin:
            self.stdout.write(pseudonymiser.apply(line.rstrip("\n")))

    def _themes(self, slug, question, fmt):
        campaign = self._campaign(slug)
        codes = [q.code for q in free_text_questions(campaign)]
        if question and question not in codes:
            raise CommandError(f"la question « {question} » n'est pas une question à réponse libre "
                               f"de cette campagne (questions : {', '.join(codes)})")
        digest = digest_as_dict(comment_digest(campaign))
        if question:
            digest = {question: digest[question]}
        if fmt == "json":
            self.stdout.write(json.dumps(digest, ensure_ascii=False, indent=2))
            return
        rows = [["question", "commentaires", "rang", "code", "thème", "répondants", "citations"]]
        rows += [[code, data["answered"], theme["rank"], theme["code"], theme["label"], theme["respondents"],
                  "\n".join(theme["quotes"])] for code, data in digest.items() for theme in data["themes"]]
        # Quotes are respondents' words: csv_table keeps them from being run as formulas.
        self.stdout.write(csv_table(rows, delimiter=","), ending="")
