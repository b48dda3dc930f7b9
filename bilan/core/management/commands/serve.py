import hashlib
import os
import subprocess
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bilan.env import env_int
from bilan.french import french_spacing

# Written in STATIC_ROOT after a collection: the fingerprint of the sources it was made from.
COLLECTED_STAMP = ".bilan-collected"


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def static_sources_fingerprint() -> str:
    """A hash of every static file the finders see (path, size, modification time).

    Collecting compresses some ten thousand files (20 s on two cores): a restart with the same
    sources skips it, an upgrade that changes any file collects again.
    """
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


class Command(BaseCommand):
    help = ("Sert l'application avec gunicorn (plusieurs processus sans état, chacun avec plusieurs fils), "
            "après avoir rassemblé les fichiers statiques compressés.")

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse:port (défaut 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=env_int("BILAN_WEB_WORKERS", 0),
                            help="nombre de processus (défaut : BILAN_WEB_WORKERS, sinon un par cœur)")
        parser.add_argument("--threads", type=int, default=env_int("BILAN_WEB_THREADS", 4),
                            help="fils par processus (défaut : BILAN_WEB_THREADS, sinon 4 ; 1 : un processus "
                                 "ne sert qu'une requête à la fois)")
        parser.add_argument("--no-collectstatic", action="store_false", dest="collectstatic",
                            help="ne pas rassembler les fichiers statiques (déjà faits par `bilan collectstatic` "
                                 "avec STATIC_COMPRESS=true)")

    def handle(self, *args, bind, workers, threads, collectstatic, **options):
        from bilan.core.checks import require_production_settings

        # The pages queue invitations and reminders whose links use SITE_URL; sessions are signed with SECRET_KEY.
        require_production_settings(self)
        workers = workers or cores()
        if workers < 1 or threads < 1:
            raise CommandError(french_spacing("--workers et --threads valent au moins 1."))
        # The gunicorn workers import the settings afresh: production static files (hashed names,
        # compressed copies, cached for a year) for them and for the collection below.
        environment = {**os.environ, "STATIC_COMPRESS": "true"}
        if collectstatic:
            self.collect_static_files(environment)
        bin_dir = os.path.dirname(sys.executable)
        gunicorn = os.path.join(bin_dir, "gunicorn")
        # Threads: a worker waiting on the database or on a slow phone's upload serves other
        # requests meanwhile (docs/deploy.md has the measures that chose gthread and these counts).
        worker_class = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
        # The gunicorn installed next to our own interpreter, arguments as a list (no shell).
        os.execve(gunicorn, [gunicorn, "bilan.wsgi:application", "--bind", bind,  # noqa: S606
                            "--workers", str(workers), *worker_class,
                            "--access-logfile", "-",
                            # No personal link's token in the access log (bilan/core/redaction.py).
                            "--logger-class", "bilan.core.redaction.GunicornLogger"], environment)

    def collect_static_files(self, environment: dict) -> None:
        """`bilan collectstatic` into STATIC_ROOT, unless it already holds these very sources."""
        from django.conf import settings

        # The same default as the settings' with STATIC_COMPRESS: ./static in the current directory.
        static_root = Path(environment.get("STATIC_ROOT") or settings.STATIC_ROOT or Path.cwd() / "static")
        environment["STATIC_ROOT"] = str(static_root)
        stamp = static_root / COLLECTED_STAMP
        fingerprint = static_sources_fingerprint()
        if stamp.is_file() and stamp.read_text() == fingerprint:
            return
        self.stdout.write(f"Fichiers statiques rassemblés et compressés dans {static_root}…")
        # A process of its own: this one loaded the settings before STATIC_COMPRESS was set.
        bilan = os.path.join(os.path.dirname(sys.executable), "bilan")
        collected = subprocess.run([bilan, "collectstatic", "--noinput", "--verbosity", "0"],  # noqa: S603
                                   env=environment, check=False)
        if collected.returncode != 0:
            raise CommandError(french_spacing(
                f"Les fichiers statiques n'ont pas pu être rassemblés dans {static_root} (message ci-dessus) : "
                "STATIC_ROOT doit être un dossier où le service peut écrire."))
        stamp.write_text(fingerprint)
