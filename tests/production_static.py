"""The static files as production serves them, for tests that measure what a browser downloads.

`bilan serve` collects the static files (hashed names, gzip and brotli copies) and its gunicorn
workers serve them through whitenoise with ``STATIC_COMPRESS`` on. The tests run on Django's
plain storage (no collection needed); :func:`production_server` serves the test database
through a fresh Django application whose settings are production's for static files, on the
files collected by `bilan serve`'s own collection (the session fixture
``production_static_root`` in tests/conftest.py).
"""

import os
from contextlib import contextmanager
from pathlib import Path

from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def collect_like_bilan_serve(static_root: Path) -> None:
    """Collect into ``static_root`` exactly as `bilan serve` does before starting gunicorn."""
    from bilan.core.management.commands.serve import Command

    Command().collect_static_files({**os.environ, "STATIC_COMPRESS": "true", "STATIC_ROOT": str(static_root)})


@contextmanager
def production_server(static_root: Path):
    """Yield the address of a server whose static files are served as in production."""
    with override_settings(STORAGES=PRODUCTION_STORAGES, STATIC_ROOT=str(static_root), STATIC_COMPRESS=True,
                           WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False,
                           # Django's test server serves MEDIA_URL from MEDIA_ROOT: unset, that is every
                           # path from the current directory, which would answer before whitenoise.
                           MEDIA_URL="/media/"):
        # An in-memory SQLite test database is one connection, shared with the server's threads
        # (as Django's LiveServerTestCase does); PostgreSQL's test database is reached afresh.
        shared = {conn.alias: conn for conn in connections.all()
                  if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        for conn in shared.values():
            conn.inc_thread_sharing()
        # No static handler of the test server's own: whitenoise's middleware serves them, built
        # in the thread under these settings, as in a gunicorn worker.
        thread = LiveServerThread("127.0.0.1", lambda application: application, shared, port=0)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        try:
            if thread.error:
                raise thread.error
            yield f"http://127.0.0.1:{thread.port}"
        finally:
            thread.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()
