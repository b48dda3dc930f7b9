"""Benchmark of the roster import: reading, validating and writing N mandates.

Run: .venv/bin/python bench/roster_import.py [--sizes 1000,10000] [--runs 3]

For each size and format (csv, xlsx, ods), writes a synthetic roster (each
referent serving two schools), then times, as medians of ``--runs`` runs:
reading the file (``read_table``), validating it (``validate_roster``), the
whole import into an empty SQLite database (``import_roster``), and the same
import again (nothing to change). Uses a temporary database; nothing else is
touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from _setup import fresh_database, median_seconds

HEADERS = ["UAI", "Établissement", "Type", "Commune", "Département", "Nom", "Prénom", "Courriel",
           "Année scolaire"]
TYPES = ["Collège", "Lycée", "Lycée professionnel", "EREA"]
DEPARTEMENTS = ["16", "17", "79", "86"]


def synthetic_rows(size: int) -> list[list[str]]:
    from bilan.uai import make_uai

    rows = []
    for index in range(size):
        school, person = index, index // 2
        rows.append([make_uai(860000 + school), f"Établissement {school}", TYPES[school % 4], "Poitiers",
                     DEPARTEMENTS[school % 4], f"Nom{person}", f"Prénom{person}",
                     f"personne.{person}@ac-poitiers.fr", "2023-2024"])
    return rows


def write(path: Path, rows) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.roster.conftest import WRITERS

    return WRITERS[path.suffix[1:]](path, HEADERS, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    workdir = fresh_database("bilan-bench-roster-")
    from django.db import connection

    from bilan.interop.tabular import read_table
    from bilan.roster.importer import validate_roster
    from bilan.roster.models import Academie, Departement, Mandate, Referent, School
    from bilan.roster.services import import_roster


    def empty_database():
        with connection.cursor() as cursor:
            for model in (Mandate, Referent, School, Departement, Academie):
                cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608  our own models' table names

    print(f"{'size':>7} {'format':>6} {'read s':>8} {'validate s':>10} {'import s':>9} {'re-import s':>11}")
    for size in [int(text) for text in args.sizes.split(",")]:
        rows = synthetic_rows(size)
        for fmt in ("csv", "xlsx", "ods"):
            path = write(workdir / f"roster-{size}.{fmt}", rows)
            read = median_seconds(lambda path=path: read_table(path), args.runs)
            table = read_table(path)
            validate = median_seconds(lambda table=table: validate_roster(table), args.runs)

            def fresh_import(path=path, size=size):
                report = import_roster(path, academie="poitiers")
                assert report.ok and report.mandates.created == size, report.problems[:3]

            first = median_seconds(fresh_import, args.runs, setup=empty_database)
            again = median_seconds(lambda path=path: import_roster(path, academie="poitiers"), args.runs)
            print(f"{size:>7} {fmt:>6} {read:>8.2f} {validate:>10.2f} {first:>9.2f} {again:>11.2f}", flush=True)


if __name__ == "__main__":
    main()
