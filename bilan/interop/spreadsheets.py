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
import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
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
    """A named table; ``rows`` may be a generator, read once as the file is written."""

    name: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]


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


def csv_decimal(value: float) -> str:
    """A number as a CSV field: French spreadsheets read "53,1" as a number and "53.1" as text."""
    return f"{round(value, 4):.4f}".rstrip("0").rstrip(".").replace(".", ",")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, float):
        return csv_decimal(value)
    return csv_text(_cell(value))


def csv_table(rows: Iterable[Sequence[Any]], delimiter: str = ";") -> str:
    """``rows`` as CSV text (no BOM): every field neutralised (:func:`csv_text`), decimals with a comma."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def _safe_sheet_name(name: str, used: set[str]) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Feuille"
    candidate, index = cleaned, 2
    while candidate in used:
        suffix = f" ({index})"
        candidate, index = cleaned[:31 - len(suffix)] + suffix, index + 1
    used.add(candidate)
    return candidate


def write_sheets(basename: str, sheets: Sequence[Sheet], fmt: str) -> tuple[str, str, bytes]:
    """``(filename, mimetype, bytes)``: the whole file in memory, for small tables (results, codebook)."""
    return sheets_filename(basename, fmt), FORMATS[fmt], b"".join(stream_sheets(sheets, fmt))


def sheets_filename(basename: str, fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : csv, xlsx, ods)")
    return f"{basename}.{fmt}"


def stream_sheets(sheets: Iterable[Sheet], fmt: str) -> Iterator[bytes]:
    """The file as successive pieces of bytes, written as the sheets' rows come: memory does not grow
    with the number of rows (each sheet's ``rows`` may be a generator reading the database by chunks)."""
    if fmt not in FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : csv, xlsx, ods)")
    if fmt == "csv":
        return _stream_csv(list(sheets))
    if fmt == "xlsx":
        return _stream_xlsx(sheets)
    return stream_ods(sheets)


PIECE = 1 << 16  # bytes gathered before a piece is handed on


def _batches(rows: Iterable[Sequence[Any]], size: int = 500) -> Iterator[list[Sequence[Any]]]:
    batch: list[Sequence[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _stream_csv(sheets: Sequence[Sheet]) -> Iterator[bytes]:
    yield "\ufeff".encode()
    for index, sheet in enumerate(sheets):
        if len(sheets) > 1:
            yield csv_table(([], [f"# {sheet.name}"]) if index else ([f"# {sheet.name}"],)).encode("utf-8")
        yield csv_table([sheet.header]).encode("utf-8")
        for batch in _batches(sheet.rows):
            yield csv_table(batch).encode("utf-8")


class _ZipSink:
    """What a ZipFile writes into, handed on piece by piece: the archive is never whole in memory.

    It has ``tell`` and no ``seek``, so zipfile writes each member's sizes after its data
    (a data descriptor), as it does on any stream that cannot go back."""

    def __init__(self):
        self.pieces: list[bytes] = []
        self.written = 0

    def write(self, data: bytes) -> int:
        self.pieces.append(bytes(data))
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        pieces, self.pieces = self.pieces, []
        yield from pieces


def _stream_zip(members: Iterable[tuple[str, Iterable[str]]], first: tuple[str, str] | None = None) -> Iterator[bytes]:
    """A zip archive of ``(name, pieces of text)`` members, deflated, written as the pieces come.
    ``first``: a member stored uncompressed at the start (the ODS mimetype)."""
    sink = _ZipSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(zipfile.ZipInfo(first[0]), first[1], compress_type=zipfile.ZIP_STORED)
        for name, pieces in members:
            # force_zip64: the size is unknown before the end and may pass 4 GB at 10^6 responses.
            with archive.open(name, "w", force_zip64=True) as member:
                gathered: list[str] = []
                size = 0
                for piece in pieces:
                    gathered.append(piece)
                    size += len(piece)
                    if size >= PIECE:
                        member.write("".join(gathered).encode("utf-8"))
                        gathered, size = [], 0
                        yield from sink.drain()
                member.write("".join(gathered).encode("utf-8"))
            yield from sink.drain()
    yield from sink.drain()


# ------------------------------------------------------------------ XLSX, written by hand
_XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Style 1 is « quote prefix »: a text that starts like a formula stays text when the cell is edited.
_XLSX_STYLES = (_XML_HEAD + f'<styleSheet xmlns="{_XLSX_MAIN}">'
                '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
                '<fills count="2"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
                '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                "</styleSheet>")


_XML_CR = {"\r": "&#13;"}


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _xlsx_cell(reference: str, value: Any) -> str:
    """One cell: numbers as numbers, every text an inline string (never a formula, never an error value)."""
    value = _cell(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        # int() and float(): numpy's numbers (the results' figures) print their type in repr().
        number = repr(float(value)) if isinstance(value, float) else str(int(value))
        return f'<c r="{reference}"><v>{number}</v></c>'
    text = _XML_FORBIDDEN.sub("", str(value))  # control characters have no place in XML 1.0
    if not text:
        return ""
    style = ' s="1"' if text.startswith(FORMULA_STARTS) else ""
    # A carriage return is escaped: XML reading turns a raw one into a line feed.
    return f'<c r="{reference}"{style} t="inlineStr"><is><t xml:space="preserve">{escape(text, _XML_CR)}</t></is></c>'


def _xlsx_sheet(sheet: Sheet) -> Iterator[str]:
    yield (_XML_HEAD + f'<worksheet xmlns="{_XLSX_MAIN}" xmlns:r="{_XLSX_RELS}">'
           '<sheetViews><sheetView workbookViewId="0">'
           '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
           '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews><sheetData>')
    letters: list[str] = []
    number = 0
    for batch in _batches(itertools.chain([sheet.header], sheet.rows)):
        parts = []
        for row in batch:
            number += 1
            while len(letters) < len(row):
                letters.append(_column_letter(len(letters)))
            cells = "".join(_xlsx_cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False))
            parts.append(f'<row r="{number}">{cells}</row>')
        yield "".join(parts)
    yield "</sheetData></worksheet>"


def _stream_xlsx(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    sheets = list(sheets)
    used: set[str] = set()
    names = [_safe_sheet_name(sheet.name, used) for sheet in sheets]
    numbers = range(1, len(sheets) + 1)
    content_types = (_XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" '
                     'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
                     'officedocument.spreadsheetml.sheet.main+xml"/>'
                     '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
                     'officedocument.spreadsheetml.styles+xml"/>'
                     + "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                               'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n in numbers)
                     + "</Types>")
    package_rels = (_XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{_XLSX_RELS}/officeDocument" Target="xl/workbook.xml"/>'
                    "</Relationships>")
    workbook = (_XML_HEAD + f'<workbook xmlns="{_XLSX_MAIN}" xmlns:r="{_XLSX_RELS}"><sheets>'
                + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
                          for n, name in zip(numbers, names, strict=True))
                + "</sheets></workbook>")
    workbook_rels = (_XML_HEAD + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     + "".join(f'<Relationship Id="rId{n}" Type="{_XLSX_RELS}/worksheet" '
                               f'Target="worksheets/sheet{n}.xml"/>' for n in numbers)
                     + f'<Relationship Id="rId{len(sheets) + 1}" Type="{_XLSX_RELS}/styles" Target="styles.xml"/>'
                     "</Relationships>")
    members = [("[Content_Types].xml", [content_types]), ("_rels/.rels", [package_rels]),
               ("xl/workbook.xml", [workbook]), ("xl/_rels/workbook.xml.rels", [workbook_rels]),
               ("xl/styles.xml", [_XLSX_STYLES])]
    members += [(f"xl/worksheets/sheet{n}.xml", _xlsx_sheet(sheet)) for n, sheet in zip(numbers, sheets, strict=True)]
    return _stream_zip(members)


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
    """A plain ODS spreadsheet in memory (see :func:`stream_ods`)."""
    return b"".join(stream_ods(sheets))


def _ods_content(sheets: Iterable[Sheet]) -> Iterator[str]:
    yield (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
           "<office:body><office:spreadsheet>")
    used: set[str] = set()
    for sheet in sheets:
        name = _safe_sheet_name(sheet.name, used)
        yield f'<table:table table:name="{escape(name, {chr(34): "&quot;"})}">'
        for batch in _batches(itertools.chain([list(sheet.header)], sheet.rows)):
            yield "".join("<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
                          for row in batch)
        yield "</table:table>"
    yield "</office:spreadsheet></office:body></office:document-content>"


def stream_ods(sheets: Iterable[Sheet]) -> Iterator[bytes]:
    """A plain ODS spreadsheet (one table per sheet, numbers as numbers), written as the rows come.

    Written directly rather than with odfdo, which builds every cell as an
    object (7.7 s for 1,000 responses against a fraction of a second here).
    """
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_ODS_NS}>'
              "</office:document-styles>")
    # The mimetype comes first and uncompressed, as the format requires.
    return _stream_zip([("META-INF/manifest.xml", [manifest]), ("styles.xml", [styles]),
                        ("content.xml", _ods_content(sheets))], first=("mimetype", ODS_MIMETYPE))
