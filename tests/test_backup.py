"""``bilan backup``: a whole, consistent copy while answers keep arriving, and a restore that works.

SQLite through its online backup API (a fresh database of its own, in files, in real processes);
PostgreSQL through pg_dump, restored with pg_restore into a new database.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

BILAN = str(Path(sys.executable).with_name("bilan"))


def bilan(*arguments, database: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "bilan.settings"}
    return subprocess.run([BILAN, *arguments], env=environment, capture_output=True, text=True, check=False)


def academies(database: Path) -> int:
    with sqlite3.connect(database) as reading:
        return reading.execute("SELECT count(*) FROM roster_academie").fetchone()[0]


def test_a_sqlite_backup_taken_while_rows_arrive_is_whole_and_restores(tmp_path):
    database = tmp_path / "bilan.sqlite3"
    assert bilan("migrate", "--no-input", database=database).returncode == 0
    with sqlite3.connect(database) as writing:
        writing.executemany("INSERT INTO roster_academie (code, name) VALUES (?, ?)",
                            [(f"a{number}", f"Académie {number}") for number in range(2000)])
    stop = threading.Event()

    def keep_writing():  # another process's answers, arriving during the copy
        with sqlite3.connect(database, timeout=30) as writing:
            number = 10_000
            while not stop.is_set():
                writing.execute("INSERT INTO roster_academie (code, name) VALUES (?, ?)", (f"b{number}", "Pendant"))
                writing.commit()
                number += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    time.sleep(0.2)
    try:
        done = bilan("backup", str(tmp_path / "sauvegarde.sqlite3"), database=database)
    finally:
        stop.set()
        writer.join()
    assert done.returncode == 0, done.stderr
    assert "Sauvegarde écrite" in done.stdout
    copy = tmp_path / "sauvegarde.sqlite3"
    with sqlite3.connect(copy) as reading:
        assert reading.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert 2000 < academies(copy) <= academies(database)  # rows written during the copy: in it or after it
    assert not list(tmp_path.glob("*.partiel"))

    # Restoring is copying the file back, service stopped: the application then reads it.
    restored = tmp_path / "restauree.sqlite3"
    shutil.copyfile(copy, restored)
    checked = bilan("migrate", "--check", database=restored)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # every migration is there
    assert academies(restored) == academies(copy)


def test_a_backup_never_overwrites_a_file(tmp_path):
    database = tmp_path / "bilan.sqlite3"
    assert bilan("migrate", "--no-input", database=database).returncode == 0
    (tmp_path / "deja.sqlite3").write_bytes(b"ancienne sauvegarde")
    refused = bilan("backup", str(tmp_path / "deja.sqlite3"), database=database)
    assert refused.returncode != 0 and "existe déjà" in refused.stderr
    assert (tmp_path / "deja.sqlite3").read_bytes() == b"ancienne sauvegarde"
    missing = bilan("backup", str(tmp_path / "absent" / "s.sqlite3"), database=database)
    assert missing.returncode != 0 and "n'existe pas" in missing.stderr


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_new_database(tmp_path):
    from bilan.roster.models import Academie

    Academie.objects.create(code="poitiers", name="Poitiers")
    Academie.objects.create(code="limoges", name="Limoges")
    dump = tmp_path / "bilan.dump"
    call_command("backup", str(dump))
    with pytest.raises(CommandError, match="existe déjà"):
        call_command("backup", str(dump))

    settings = connection.settings_dict
    target = f"{settings['NAME']}_restauree"
    options = ["--host", settings["HOST"] or "127.0.0.1", "--port", str(settings["PORT"] or 5432),
               "--username", settings["USER"] or "postgres"]
    environment = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    subprocess.run(["dropdb", "--if-exists", *options, target], env=environment, check=True)
    subprocess.run(["createdb", *options, target], env=environment, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", *options, "--dbname", target, str(dump)], env=environment,
                       check=True)
        counted = subprocess.run(["psql", *options, "--dbname", target, "-tAc",
                                  "SELECT string_agg(code, ',' ORDER BY code) FROM roster_academie"],
                                 env=environment, check=True, capture_output=True, text=True)
        assert counted.stdout.strip() == "limoges,poitiers"
    finally:
        subprocess.run(["dropdb", "--if-exists", *options, target], env=environment, check=True)
