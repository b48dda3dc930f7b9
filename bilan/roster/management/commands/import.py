"""``bilan import KIND FILE …``: bring files into Bilan, one subcommand per kind of file.

To add a kind (``questionnaire``, ``answers``…), write a setup function that
receives its argparse subparser, adds its arguments and returns the handler
``handler(command, **options)``, then add it to ``SUBCOMMANDS``. The first line
of the setup function's docstring is the subcommand's help.
"""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from bilan.interop.tabular import french_spacing

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
    if dry_run:
        command.stdout.write(command.style.WARNING(
            "Simulation (--dry-run) : rien n'a été enregistré."))
    elif report.changed:
        command.stdout.write(command.style.SUCCESS("Import terminé."))
    else:
        command.stdout.write(command.style.SUCCESS("Import terminé : la base était déjà à jour."))


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
}


class Command(BaseCommand):
    help = "Importe un fichier dans Bilan : bilan import roster FICHIER [--school-year …] [--academie …] [--dry-run]"

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="kind", metavar="TYPE", required=True,
                                           title="types de fichier")
        for name, setup in SUBCOMMANDS.items():
            summary = (setup.__doc__ or "").strip().splitlines()[0] if setup.__doc__ else ""
            subparser = subparsers.add_parser(name, help=summary, description=summary)
            subparser.set_defaults(handler=setup(subparser))

    def handle(self, *args, kind, handler, **options):
        handler(self, **options)
