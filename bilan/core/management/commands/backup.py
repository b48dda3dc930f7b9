"""``bilan backup FICHIER``: a consistent copy of the database while the service runs.

SQLite: the online backup API of SQLite itself (``sqlite3.Connection.backup``), page by page,
so that answers arriving meanwhile are either in the copy or after it, never half. Restoring
is copying the file back in place, service stopped (docs/deploy.md « Sauvegardes »).
PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``), run with the connection
settings of DATABASE_URL; the command only starts it, so the dump is PostgreSQL's own.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bilan.french import fr_size, french_spacing


class Command(BaseCommand):
    # No system check: a backup must run whatever else is wrong with the settings.
    requires_system_checks = []
    help = ("Sauvegarde la base de données dans FICHIER pendant que le service tourne "
            "(SQLite : sauvegarde en ligne ; PostgreSQL : pg_dump au format custom).")

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FICHIER", help="fichier de sauvegarde à écrire (ne doit pas exister)")

    def handle(self, *args, file, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(french_spacing(f"« {target} » existe déjà : choisissez un autre nom de fichier."))
        if not target.parent.is_dir():
            raise CommandError(french_spacing(f"le dossier « {target.parent} » n'existe pas."))
        if connection.vendor == "sqlite":
            self._sqlite(target)
        elif connection.vendor == "postgresql":
            self._postgresql(target)
        else:
            raise CommandError(f"base {connection.vendor} : sauvegarde non prise en charge par bilan backup.")
        self.stdout.write(french_spacing(f"Sauvegarde écrite : « {target} » ({fr_size(target.stat().st_size)})."))

    def _sqlite(self, target: Path) -> None:
        source_name = str(connection.settings_dict["NAME"])
        if source_name == ":memory:" or "mode=memory" in source_name:
            raise CommandError("base SQLite en mémoire : rien à sauvegarder sur disque.")
        partial = target.with_name(target.name + ".partiel")
        source = sqlite3.connect(source_name)
        try:
            copy = sqlite3.connect(partial)
            try:
                with copy:
                    source.backup(copy, pages=1024)  # by steps: writers wait a moment at most, never fail
                check = copy.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                copy.close()
        finally:
            source.close()
        if check != "ok":
            partial.unlink(missing_ok=True)
            raise CommandError(f"la copie n'est pas intègre ({check}) : rien n'a été écrit.")
        partial.rename(target)  # the file appears whole or not at all

    def _postgresql(self, target: Path) -> None:
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise CommandError("pg_dump est introuvable : installez le client PostgreSQL "
                               "(paquet postgresql-client) de la version du serveur.")
        settings = connection.settings_dict
        environment = dict(os.environ)
        if settings.get("PASSWORD"):
            environment["PGPASSWORD"] = str(settings["PASSWORD"])
        command = [pg_dump, "--format=custom", "--no-owner", f"--file={target}", "--dbname", str(settings["NAME"])]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command += [option, str(settings[key])]
        done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            target.unlink(missing_ok=True)
            raise CommandError(f"pg_dump a échoué : {done.stderr.strip()[-500:]}")
