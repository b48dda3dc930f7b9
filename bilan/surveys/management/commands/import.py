"""``bilan import KIND FILE …``: bring files into Bilan, one subcommand per kind of file.

To add a kind (``questionnaire``, ``answers``…), write a setup function that
receives its argparse subparser, adds its arguments and returns the handler
``handler(command, **options)``, then add it to ``SUBCOMMANDS``. The first line
of the setup function's docstring is the subcommand's help.
"""

# The module is named after the command, ``bilan import``: a keyword, hence N999.
# ruff: noqa: N999

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilan.french import french_spacing

MAX_PROBLEMS_SHOWN = 50

Handler = Callable[..., None]


def roster(parser) -> Handler:
    """Référentiel : établissements, référent·es et mandats (CSV, XLSX ou ODS)."""
    parser.add_argument("file", metavar="FICHIER", help="fichier .csv, .xlsx ou .ods, une ligne par mandat")
    parser.add_argument("--school-year", dest="school_year", metavar="AAAA-AAAA",
                        help="année scolaire des lignes qui n'en donnent pas (ex. 2023-2024)")
    parser.add_argument("--academie", metavar="CODE",
                        help="académie (code ou nom, ex. poitiers) ; créée avec ses départements si absente")
    parser.add_argument("--dry-run", dest="dry_run", action="store_true",
                        help="tout vérifier et compter sans rien enregistrer")
    return handle_roster


def handle_roster(command: BaseCommand, *, file: str, school_year=None, academie=None,
                  dry_run=False, **options) -> None:
    from bilan.roster.services import import_roster

    report = import_roster(file, school_year=school_year, academie=academie, dry_run=dry_run)
    for note in report.notes:
        command.stdout.write(french_spacing(f"Remarque : {note}"))
    if not report.ok:
        write_problems(command, report.problems)
        raise CommandError(french_spacing(
            f"Import refusé : {len(report.problems)} problème(s) dans « {report.filename} » ; "
            "rien n'a été enregistré."))
    for line in report.summary_lines():
        command.stdout.write(line)
    if not dry_run and report.changed:
        from bilan.audit.services import record_command
        from bilan.roster.models import Academie

        named = Academie.objects.filter(code__iexact=academie).first() if academie else None
        record_command("roster_imported", academie=named, target=f"« {report.filename} »")
    if dry_run:
        command.stdout.write(command.style.WARNING(
            "Simulation (--dry-run) : rien n'a été enregistré."))
    elif report.changed:
        command.stdout.write(command.style.SUCCESS("Import terminé."))
    else:
        command.stdout.write(command.style.SUCCESS("Import terminé : la base était déjà à jour."))


def questionnaire(parser) -> Handler:
    """Questionnaire : notre YAML, structure LimeSurvey (.lss, .txt) ou fichier de réponses (structure déduite)."""
    parser.add_argument("file", metavar="FICHIER", help="fichier .yaml, .lss, .txt ou fichier de réponses")
    parser.add_argument("--campaign", metavar="IDENTIFIANT",
                        help="crée aussi une campagne close sur ce questionnaire, pour recevoir des réponses passées")
    parser.add_argument("--school-year", dest="school_year", metavar="AAAA-AAAA",
                        help="année scolaire de la campagne (obligatoire avec --campaign)")
    parser.add_argument("--academie", metavar="CODE", help="académie de la campagne (défaut : la seule en base)")
    parser.add_argument("--title", help="titre de la campagne")
    return handle_questionnaire


def handle_questionnaire(command: BaseCommand, *, file: str, campaign=None, school_year=None, academie=None,
                         title=None, **options) -> None:
    from bilan.interop.answers_formats import FORMAT_NAMES_FR, InteropError
    from bilan.surveys.imports import import_questionnaire

    path = Path(file)
    data = _read(path)
    try:
        result = import_questionnaire(data, path.name, campaign_slug=campaign, school_year=school_year,
                                      academie=academie, title=title)
    except InteropError as error:
        raise CommandError(french_spacing(f"Import refusé ({path.name}) : {error} ; rien n'a été enregistré.")) \
            from None
    for warning in result.warnings[:MAX_PROBLEMS_SHOWN]:
        command.stdout.write(french_spacing(f"Remarque : {warning}"))
    if len(result.warnings) > MAX_PROBLEMS_SHOWN:
        command.stdout.write(f"… et {len(result.warnings) - MAX_PROBLEMS_SHOWN} autres remarques")
    schema = result.schema
    origin = FORMAT_NAMES_FR.get(result.source_format, result.source_format)
    state = "enregistré" if result.created else "déjà enregistré, identique"
    command.stdout.write(french_spacing(
        f"Questionnaire « {schema.title} » ({schema.code}, version {schema.version}, lu comme {origin}) : "
        f"{len(schema.sections)} section(s), {len(schema.questions)} question(s), {state}."))
    if result.created or result.campaign is not None:
        from bilan.audit.services import record_command

        record_command("questionnaire_imported", academie=result.campaign.academie_id if result.campaign else None,
                       target=f"« {path.name} » ({schema.code}, version {schema.version})")
    if result.campaign is not None:
        command.stdout.write(french_spacing(
            f"Campagne close « {result.campaign.slug} » ({result.campaign.school_year}) créée : "
            f"bilan import answers --campaign {result.campaign.slug} FICHIER"))
    command.stdout.write(command.style.SUCCESS("Import terminé."))


def answers(parser) -> Handler:
    """Réponses d'une campagne : LimeSurvey (CSV), Framaforms, Nextcloud Forms (CSV, ODS, XLSX), Google Forms."""
    from bilan.interop.answers_formats import ANSWER_FORMATS

    parser.add_argument("file", metavar="FICHIER", help="fichier de réponses exporté de l'outil d'enquête")
    parser.add_argument("--campaign", required=True, metavar="IDENTIFIANT", help="campagne qui reçoit les réponses")
    parser.add_argument("--format", dest="file_format", choices=ANSWER_FORMATS,
                        help="format du fichier (défaut : reconnu d'après le contenu)")
    parser.add_argument("--map", dest="assignments", action="append", default=[], metavar="COLONNE=CODE",
                        help="relie une colonne à une question (CODE ou CODE/option) ; répétable")
    parser.add_argument("--ignore", dest="ignored", action="append", default=[], metavar="COLONNE",
                        help="laisse une colonne de côté ; répétable")
    parser.add_argument("--uai-column", dest="uai_column", metavar="COLONNE", help="colonne du code UAI (strate)")
    parser.add_argument("--school-type-column", dest="school_type_column", metavar="COLONNE",
                        help="colonne du type d'établissement (strate)")
    parser.add_argument("--departement-column", dest="departement_column", metavar="COLONNE",
                        help="colonne du département (strate)")
    parser.add_argument("--allow-unmatched", dest="allow_unmatched", action="store_true",
                        help="laisse de côté les colonnes qui ne correspondent à aucune question au lieu de refuser")
    parser.add_argument("--include-incomplete", dest="include_incomplete", action="store_true",
                        help="reprend aussi les réponses jamais envoyées dans l'outil d'origine")
    parser.add_argument("--replace", action="store_true", help="remplace les réponses déjà importées dans la campagne")
    parser.add_argument("--append", action="store_true", help="ajoute aux réponses déjà importées")
    parser.add_argument("--dry-run", dest="dry_run", action="store_true",
                        help="montre l'appariement et tout vérifie sans rien enregistrer")
    return handle_answers


def handle_answers(command: BaseCommand, *, file: str, campaign: str, file_format=None, assignments=(),
                   ignored=(), uai_column=None, school_type_column=None, departement_column=None,
                   allow_unmatched=False, include_incomplete=False, replace=False, append=False, dry_run=False,
                   **options) -> None:
    from bilan.interop.answers_formats import FORMAT_NAMES_FR, InteropError
    from bilan.surveys.cli import campaign_by_slug
    from bilan.surveys.imports import (
        apply_column_choices,
        describe_mapping,
        import_answers,
        plan_answers_import,
    )

    target = campaign_by_slug(campaign, "questionnaire", "academie")
    path = Path(file)
    data = _read(path)
    try:
        plan = plan_answers_import(target, data, path.name, file_format, uai_column=uai_column,
                                   school_type_column=school_type_column, departement_column=departement_column)
        choices = {}
        for item in assignments:
            heading, separator, code = item.rpartition("=")
            if not separator or not heading:
                raise InteropError(f"--map {item} : attendu COLONNE=CODE")
            choices[heading] = code
        apply_column_choices(plan, choices, list(ignored))
        command.stdout.write(french_spacing(
            f"Fichier lu comme {FORMAT_NAMES_FR[plan.file_format]} : {len(plan.parsed.rows)} ligne(s)."))
        for line in describe_mapping(plan):
            command.stdout.write(f"  {line}")
        result = import_answers(plan, strict=not allow_unmatched, include_incomplete=include_incomplete,
                                replace=replace, append=append, dry_run=dry_run)
    except InteropError as error:
        if len(error.problems) > 1:
            write_problems(command, error.problems)
        raise CommandError(french_spacing(f"Import refusé ({path.name}) : {error} ; rien n'a été enregistré.")) \
            from None
    for note in result.notes:
        command.stdout.write(french_spacing(f"Remarque : {note}"))
    if result.replaced:
        command.stdout.write(f"{result.replaced} réponse(s) importée(s) auparavant remplacée(s).")
    command.stdout.write(french_spacing(
        f"{result.imported} réponse(s) importée(s) dans la campagne « {target.slug} »."))
    if dry_run:
        command.stdout.write(command.style.WARNING("Simulation (--dry-run) : rien n'a été enregistré."))
    else:
        from bilan.audit.services import record_command

        record_command("import", academie=target.academie_id,
                       target=f"{target.slug} : « {path.name} » ({result.imported} réponses)")
        command.stdout.write(command.style.SUCCESS("Import terminé."))


def _read(path: Path) -> bytes:
    """The file's bytes for the answer and questionnaire parsers, refused past the reader's size limit."""
    from bilan.interop.tabular import TableError, read_bytes

    try:
        return read_bytes(path)
    except TableError as error:
        raise CommandError(f"Import refusé : {error}") from None


def write_problems(command: BaseCommand, problems) -> None:
    """Print at most MAX_PROBLEMS_SHOWN problems on stderr, then how many more there are."""
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        command.stderr.write(f"– {problem}")
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        command.stderr.write(f"… et {hidden} autres")


# Subcommand name -> setup function (see the module docstring).
SUBCOMMANDS: dict[str, Callable[..., Handler]] = {
    "roster": roster,
    "questionnaire": questionnaire,
    "answers": answers,
}


class Command(BaseCommand):
    # A data command: Django's system checks would load every page's module and guard nothing here.
    requires_system_checks = []
    help = ("Importe un fichier dans Bilan : bilan import roster|questionnaire|answers FICHIER … "
            "(bilan import TYPE --help pour les options)")

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", metavar="TYPE", required=True,
                                           title="types de fichier")
        for name, setup in SUBCOMMANDS.items():
            summary = (setup.__doc__ or "").strip().splitlines()[0] if setup.__doc__ else ""
            subparser = subparsers.add_parser(name, help=summary, description=summary)
            subparser.set_defaults(handler=setup(subparser))

    def handle(self, *args, kind, handler, **options):
        from bilan.interop.tabular import larger_files

        # The command reads larger files than the pages (bilan.interop.tabular.LARGE_MAX_*): its user runs the server.
        with larger_files():
            handler(self, **options)
