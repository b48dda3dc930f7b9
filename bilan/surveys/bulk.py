"""Writing many rows at once, below the ORM: imports of 10^5 answers spent most of their writing
time in ``bulk_create`` preparing each field of each object.

The caller gives the columns and rows of plain values (JSON already serialised); PostgreSQL
receives them through ``COPY … FROM STDIN`` (psycopg 3), SQLite through one ``executemany`` per
batch. Both run inside the caller's transaction: an import stays all or nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection

BATCH_ROWS = 5000


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (values in the order of ``columns``, database column names) into ``model``'s
    table; returns how many were written."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        # Table and column names come from the model and are quoted; the values go as parameters.
        statement = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH_ROWS)):
            cursor.executemany(statement, batch)
            written += len(batch)
    return written
