"""Tables out as CSV, XLSX or ODS: each writer returns ``(filename, mimetype, bytes)``.

Pure core (no Django). Numbers stay numbers in XLSX and ODS, so the team can
compute on them; CSV is UTF-8 with a BOM and semicolons, which is what a
French spreadsheet opens correctly by double-click. A CSV holds one sheet: with
several, they follow each other, separated by an empty line and the sheet's
name.

Text is only ever text (issue 13, "exports run formulas"): an answer, a name or
a label such as ``=HYPERLINK(…)`` must not become a formula in the pilot's
spreadsheet. In XLSX every text cell is written as a string cell (never a
formula, never an error value such as ``#N/A``) and, when it starts with a
formula character, marked « quote prefix » so that editing the cell keeps it
text; in ODS every text cell is ``office:value-type="string"``; in CSV, which
has no types, a text starting with ``= + - @``, a tab or a carriage return gets
a leading apostrophe, as OWASP recommends (:func:`csv_text`). Numbers given as
numbers (a negative mean, a count) stay numbers in every format. Every export of
the application goes through this module.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


# What makes a spreadsheet read a CSV field as a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any) -> Any:
    """``value`` for a CSV field: a text that a spreadsheet would run as a formula gets a leading
    apostrophe (``'=1+1``), shown by the spreadsheet as the text itself. Numbers are left alone."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    # French spreadsheets read "53,1" as a number and "53.1" as text.
    if isinstance(value, float):
        return f"{round(value, 4):.4f}".rstrip("0").rstrip(".").replace(".", ",")
    return csv_text(_cell(value))


def csv_table(rows: Iterable[Sequence[Any]], delimiter: str = ";") -> str:
    """``rows`` as CSV text (no BOM): every field neutralised (:func:`csv_text`), decimals with a comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _xlsx_row(worksheet: Any, values: Sequence[Any]) -> list[Any]:
    """The cells of one XLSX row: numbers as numbers, every text as a string cell (never a formula)."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        value = _cell(value)
        if isinstance(value, str):
            value = _XML_FORBIDDEN.sub("", value)  # control characters have no place in XML 1.0
        cell = Cell(worksheet, value=value)
        if isinstance(value, str):
            # openpyxl makes "=…" a formula and "#N/A" an error value: a text is a text.
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # so that editing the cell in the spreadsheet keeps it text
        cells.append(cell)
    return cells


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
        rows: list[Sequence[Any]] = []
        for index, sheet in enumerate(sheets):
            if len(sheets) > 1:
                if index:
                    rows.append([])
                rows.append([f"# {sheet.name}"])
            rows += [sheet.header, *sheet.rows]
        data = ("\ufeff" + csv_table(rows)).encode("utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        workbook.remove(workbook.active)
        used: set[str] = set()
        for sheet in sheets:
            worksheet = workbook.create_sheet(_safe_sheet_name(sheet.name, used))
            worksheet.append(_xlsx_row(worksheet, sheet.header))
            for row in sheet.rows:
                worksheet.append(_xlsx_row(worksheet, row))
            worksheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        data = buffer.getvalue()
    else:
        used = set()
        data = write_ods([Sheet(_safe_sheet_name(sheet.name, used), sheet.header, sheet.rows) for sheet in sheets])
    return f"{basename}.{fmt}", FORMATS[fmt], data


def write_table(basename: str, sheet: str, header: Sequence[str], rows: Sequence[Sequence[Any]],
                fmt: str) -> tuple[str, str, bytes]:
    return write_sheets(basename, [Sheet(sheet, header, rows)], fmt)


ODS_MIMETYPE = FORMATS["ods"]
_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"')


def _ods_cell(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"><text:p>{value}</text:p>' \
               "</table:table-cell>"
    text = _XML_FORBIDDEN.sub("", str(value))  # control characters have no place in XML 1.0
    lines = "".join(f"<text:p>{escape(line)}</text:p>" for line in text.split("\n"))
    return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'


def write_ods(sheets: Sequence[Sheet]) -> bytes:
    """A plain ODS spreadsheet (one table per sheet, numbers as numbers), written in one pass.

    Written directly rather than with odfdo, which builds every cell as an
    object (7.7 s for 1,000 responses against a fraction of a second here).
    """
    parts = [f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
             "<office:body><office:spreadsheet>"]
    for sheet in sheets:
        parts.append(f'<table:table table:name="{escape(sheet.name, {chr(34): "&quot;"})}">')
        for row in [list(sheet.header), *sheet.rows]:
            parts.append("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>")
        parts.append("</table:table>")
    parts.append("</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODS_NS}>'
              "</office:document-styles>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        # The mimetype comes first and uncompressed, as the format requires.
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("styles.xml", styles, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", "".join(parts), compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
