"""Shared parts of the benchmarks that run Bilan's real processes: a database of their own (SQLite file
or a PostgreSQL database created and dropped), the environment of a production start, and
``bilan serve`` started on a free loopback port.

Nothing here runs on its own (``make bench`` runs every bench/*.py: this one prints nothing).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BILAN = str(Path(sys.executable).with_name("bilan"))
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# An address the site check accepts (not local) without turning on HTTPS-only cookies and redirects.
PUBLIC_SITE_URL = "http://bilan.example.org"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(sql)


@contextmanager
def database(kind: str, name: str):
    """A new empty database (``sqlite`` or ``postgres``), its URL in ``DATABASE_URL`` while it lasts.

    The PostgreSQL one is named ``name`` on ``BENCH_POSTGRES`` (default the local server) and
    dropped at the end, even after a failure.
    """
    if kind == "sqlite":
        directory = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        url = f"sqlite:///{directory / 'bilan.sqlite3'}"
    elif kind == "postgres":
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{name}"')
        url = f"{POSTGRES_SERVER}/{name}"
    else:
        raise ValueError(f"unknown database kind {kind!r} (sqlite or postgres)")
    os.environ["DATABASE_URL"] = url
    try:
        yield url
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if kind == "postgres":
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            shutil.rmtree(directory, ignore_errors=True)


def setup_django(url: str) -> None:
    """Django on ``url`` in this process, migrated. Once per process: the settings read
    ``DATABASE_URL`` when they load, so each database gets a process of its own."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def production_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a production start (DEBUG off, a real key, a public address) on ``url``.

    For SQLite, no ``DATABASE_URL``: the server runs in the file's folder (``server_folder``) and
    opens ``bilan.sqlite3`` there with the settings' SQLite options (WAL, busy timeout, IMMEDIATE
    transactions), as a SQLite installation does; a ``sqlite://`` URL would go without them.
    """
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "bilan.settings", "DEBUG": "false",
           "SECRET_KEY": secrets.token_urlsafe(60), "SITE_URL": PUBLIC_SITE_URL, "LOG_LEVEL": "WARNING", **extra}
    if url.startswith("sqlite:"):
        del env["DATABASE_URL"]
    return env


def server_folder(url: str) -> str | None:
    """Where a process must run to open the database of ``url`` without DATABASE_URL (SQLite), else None."""
    return str(Path(url.removeprefix("sqlite:///")).parent) if url.startswith("sqlite:") else None


class Server:
    """``bilan serve`` (gunicorn) on a free port of 127.0.0.1, stopped by ``stop()`` (SIGTERM, then SIGKILL)."""

    def __init__(self, env: dict[str, str], *options: str, port: int | None = None, cwd: str | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # The error log goes to a file (a pipe nobody reads would fill up and block the workers);
        # the access log (one line a request) would cost the bench its own time: it goes nowhere.
        descriptor, name = tempfile.mkstemp(prefix="bilan-serve-", suffix=".log")
        os.close(descriptor)
        self.log = Path(name)
        with self.log.open("w") as log:
            self.process = subprocess.Popen([BILAN, "serve", "--bind", f"127.0.0.1:{self.port}", *options], env=env,
                                            stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
                                            cwd=cwd)

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def wait_ready(self, seconds: float = 240.0) -> Server:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bilan serve stopped ({self.process.returncode}):\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/connexion/", timeout=5):  # noqa: S310  loopback http
                    return self
            except urllib.error.HTTPError:
                return self  # it answers
            except OSError:
                time.sleep(0.2)  # gunicorn is still importing the application
        tail = self.log_tail()
        self.stop()
        raise RuntimeError(f"bilan serve did not answer on {self.url} within {seconds} s:\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.log.unlink(missing_ok=True)
        os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn's arbiter and its workers: our own session
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


class Worker:
    """``bilan worker`` (background jobs: PDF and large exports; e-mails), its error log in a file."""

    def __init__(self, env: dict[str, str], *options: str, cwd: str | None = None):
        descriptor, name = tempfile.mkstemp(prefix="bilan-worker-", suffix=".log")
        os.close(descriptor)
        self.log = Path(name)
        with self.log.open("w") as log:
            self.process = subprocess.Popen([BILAN, "worker", "--interval", "0.5", *options], env=env,
                                            stdout=subprocess.DEVNULL, stderr=log, cwd=cwd)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # it finishes the job in hand, then stops
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log.unlink(missing_ok=True)
