"""Shared start of the benchmarks that need the demo in a database of their own."""

import os
import sys
import tempfile
from pathlib import Path


def demo_database(prefix: str) -> Path:
    """A fresh SQLite database in a temporary folder, migrated and loaded with ``bilan demo``'s data."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bilan.demo.loader import load_demo

    load_demo()
    return directory
