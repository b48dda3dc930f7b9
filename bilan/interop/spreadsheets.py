"""Tables out as CSV, XLSX or ODS: each writer returns ``(filename, mimetype, bytes)``.

Pure core (no Django). Numbers stay numbers in XLSX and ODS, so the team can
compute on them; CSV is UTF-8 with a BOM and semicolons, which is what a
French spreadsheet opens correctly by double-click. A CSV holds one sheet: with
several, they follow each other, separated by an empty line and the sheet's
name.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Sequence

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


@dataclass
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def _csv_cell(value: Any) -> Any:
    # French spreadsheets read "53,1" as a number and "53.1" as text.
    if isinstance(value, float):
        return f"{round(value, 4):.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return _cell(value)


def _safe_sheet_name(name: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Feuille"
    candidate, index = cleaned, 2
    while candidate in used:
        suffix = f" ({index})"
        candidate, index = cleaned[:31 - len(suffix)] + suffix, index + 1
    used.add(candidate)
    return candidate


def write_sheets(basename: str, sheets: Sequence[Sheet], fmt: str) -> tuple[str, str, bytes]:
    if fmt not in FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : csv, xlsx, ods)")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        for index, sheet in enumerate(sheets):
            if len(sheets) > 1:
                if index:
                    writer.writerow([])
                writer.writerow([f"# {sheet.name}"])
            writer.writerow(sheet.header)
            writer.writerows([[_csv_cell(value) for value in row] for row in sheet.rows])
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        used: set[str] = set()
        for sheet in sheets:
            worksheet = workbook.create_sheet(_safe_sheet_name(sheet.name, used))
            worksheet.append(list(sheet.header))
            for row in sheet.rows:
                worksheet.append([_cell(value) for value in row])
            worksheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        from odfdo import Document, Table

        document = Document("spreadsheet")
        document.body.clear()
        used = set()
        for sheet in sheets:
            table = Table(_safe_sheet_name(sheet.name, used))
            table.set_values([list(sheet.header), *[[_cell(value) for value in row] for row in sheet.rows]])
            document.body.append(table)
        buffer = io.BytesIO()
        document.save(buffer)
        data = buffer.getvalue()
    return f"{basename}.{fmt}", FORMATS[fmt], data


def write_table(basename: str, sheet: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
                fmt: str) -> tuple[str, str, bytes]:
    return write_sheets(basename, [Sheet(sheet, header, rows)], fmt)
