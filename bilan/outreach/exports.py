"""A table (header + rows of text) as CSV, XLSX or ODS bytes: ``(filename, mimetype, bytes)``."""

from __future__ import annotations

import csv
import io

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def export_table(basename: str, sheet: str, header: list[str], rows: list[list[str]], fmt: str) -> tuple[str, str, bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : csv, xlsx, ods)")
    if fmt == "csv":
        buffer = io.StringIO()
        # Semicolons and a BOM: what a French spreadsheet opens correctly by double-click.
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        worksheet = workbook.active
        worksheet.title = sheet[:31]
        worksheet.append(header)
        for row in rows:
            worksheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        from odfdo import Document, Table

        document = Document("spreadsheet")
        document.body.clear()
        table = Table(sheet)
        table.set_values([header, *rows])
        document.body.append(table)
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    return f"{basename}.{fmt}", FORMATS[fmt], data
