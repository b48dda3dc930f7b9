"""Shared start of the benchmarks: a database of their own, and a median timer."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def fresh_database(prefix: str) -> Path:
    """A new SQLite database in a temporary folder, Django set up on it and migrated."""
    directory = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bilan.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return directory


def demo_database(prefix: str) -> Path:
    """A fresh database loaded with ``bilan demo``'s data."""
    directory = fresh_database(prefix)
    from bilan.demo.loader import load_demo

    load_demo()
    return directory


def median_seconds(action, runs: int, setup=None) -> float:
    """Median wall time of ``action()`` over ``runs`` runs, ``setup()`` (untimed) before each."""
    timings = []
    for _ in range(runs):
        if setup:
            setup()
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
