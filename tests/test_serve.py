"""`bilan serve`: gunicorn's workers and threads, production static files, persistent database connections."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import override_settings

from bilan.core.management.commands import serve


@pytest.fixture
def started(settings, monkeypatch):
    """The command line and environment `bilan serve` would start gunicorn with."""
    settings.DEBUG = True  # no production settings check here (tests/test_production_settings.py has them)
    started = {}

    def execve(path, argv, environment):
        started.update(path=path, argv=argv, environment=environment)

    monkeypatch.setattr("os.execve", execve)
    return started


def option(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def test_one_worker_per_core_with_four_threads_each(started, monkeypatch):
    monkeypatch.delenv("BILAN_WEB_WORKERS", raising=False)
    monkeypatch.delenv("BILAN_WEB_THREADS", raising=False)
    call_command("serve", "--no-collectstatic")
    argv = started["argv"]
    assert started["path"].endswith("gunicorn") and argv[1] == "bilan.wsgi:application"
    assert option(argv, "--workers") == str(serve.cores())
    assert option(argv, "--worker-class") == "gthread" and option(argv, "--threads") == "4"
    assert option(argv, "--logger-class") == "bilan.core.redaction.GunicornLogger"
    # The workers read production's static settings (hashed names, compressed, cached for a year).
    assert started["environment"]["STATIC_COMPRESS"] == "true"


def test_the_counts_come_from_the_environment_or_the_options(started, monkeypatch):
    monkeypatch.setenv("BILAN_WEB_WORKERS", "3")
    monkeypatch.setenv("BILAN_WEB_THREADS", "8")
    call_command("serve", "--no-collectstatic")
    assert option(started["argv"], "--workers") == "3" and option(started["argv"], "--threads") == "8"
    # One thread: gunicorn's plain synchronous workers, one request at a time each.
    call_command("serve", "--no-collectstatic", "--workers", "5", "--threads", "1")
    assert option(started["argv"], "--workers") == "5" and "--worker-class" not in started["argv"]


def test_a_restart_with_the_same_sources_does_not_collect_again(production_static_root, monkeypatch):
    # production_static_root was collected by serve's own collection, which left its fingerprint.
    assert (production_static_root / serve.COLLECTED_STAMP).read_text() == serve.static_sources_fingerprint()
    monkeypatch.setattr("subprocess.run", lambda *args, **kwargs: pytest.fail("collected again"))
    serve.Command().collect_static_files({"STATIC_ROOT": str(production_static_root)})


def test_the_fingerprint_follows_any_change_of_a_static_source(tmp_path):
    source = tmp_path / "extra.css"
    source.write_text("p { color: black; }")
    with override_settings(STATICFILES_DIRS=[tmp_path]):
        before = serve.static_sources_fingerprint()
        assert serve.static_sources_fingerprint() == before
        source.write_text("p { color: navy; }")
        os.utime(source, ns=(1, 1))
        assert serve.static_sources_fingerprint() != before


def test_production_settings_keep_connections_with_health_checks_and_serve_hashed_files(tmp_path):
    environment = {**os.environ, "DATABASE_URL": "postgres://bilan@db.example/bilan", "STATIC_COMPRESS": "true",
                   "DJANGO_SETTINGS_MODULE": "bilan.settings"}
    environment.pop("STATIC_ROOT", None)
    script = ("import json; from django.conf import settings; db = settings.DATABASES['default']; "
              "print(json.dumps([db['CONN_MAX_AGE'], db['CONN_HEALTH_CHECKS'], settings.STATIC_ROOT, "
              "settings.STORAGES['staticfiles']['BACKEND'], settings.WHITENOISE_USE_FINDERS]))")
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=environment,
                            capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [60, True, str(tmp_path / "static"),
                                         "whitenoise.storage.CompressedManifestStaticFilesStorage", False]
