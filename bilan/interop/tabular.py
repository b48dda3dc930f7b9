"""Read a table (CSV, XLSX, ODS) into headers and text cells.

Pure module, no Django and no knowledge of what the table holds: the roster
importer and the answer importers both build on it. Every cell comes back as
a stripped string ("" when blank) so that codes typed as numbers in a
spreadsheet survive (860001.0 -> "860001") and dates read as ISO 8601.
Each row keeps its line number in the file (the header is line 1 when the
file starts with it) so that error reports can point at it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

SUPPORTED_EXTENSIONS = (".csv", ".xlsx", ".ods")
CSV_DELIMITERS = (";", ",", "\t")
# Plain string values a sheet may hold are stripped of these as well as of
# ordinary whitespace: spreadsheets love non-breaking spaces.
_BLANKS = " \t\r\n\u00a0\u202f\ufeff"


NBSP = "\u00a0"


def french_spacing(text: str) -> str:
    """Non-breaking spaces inside « » and before : ; ? ! % (French typography)."""
    text = text.replace("« ", f"«{NBSP}").replace(" »", f"{NBSP}»")
    return re.sub(r" ([:;?!%])(?=\s|$|\))", lambda match: NBSP + match.group(1), text)


class TableError(ValueError):
    """The file cannot be read as a table; the message is in French."""

    def __init__(self, message: str, *, filename: str = "", line: int | None = None):
        self.filename = filename
        self.line = line
        self.detail = message
        where = f"fichier « {filename} »" if filename else "fichier"
        if line is not None:
            where += f", ligne {line}"
        super().__init__(french_spacing(f"{where} : {message}"))


@dataclass
class Row:
    """One data row: its line number in the file and its cells by header."""

    line: int
    cells: dict[str, str]

    def get(self, header: str, default: str = "") -> str:
        return self.cells.get(header, default)


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]
    filename: str = ""
    format: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    # Things the reader guessed and the user should know (e.g. the encoding).
    notes: list[str] = field(default_factory=list)


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 1-based column index (1 -> A, 28 -> AB)."""
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_table(source: str | Path | bytes | BinaryIO, filename: str | None = None) -> Table:
    """Read the first sheet of a CSV, XLSX or ODS file.

    ``source`` is a path, the file's bytes or a binary file object; the format
    is chosen from the extension of ``filename`` (default: the path's name).
    Raises ``TableError`` with a French message naming the file (and line).
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        filename = filename or path.name
        _check_extension(filename)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise TableError(f"impossible de lire le fichier ({error.strerror or error})",
                             filename=filename) from error
    else:
        data = source if isinstance(source, (bytes, bytearray)) else source.read()
        filename = filename or getattr(source, "name", "") or ""
        if not filename:
            raise TableError("nom de fichier absent : impossible de connaître son format")
        _check_extension(filename)
    data = bytes(data)
    if not data.strip():
        raise TableError("le fichier est vide", filename=filename)
    extension = Path(filename).suffix.lower()
    if extension == ".csv":
        grid, encoding, delimiter, notes = _read_csv(data, filename)
        table = _build_table(grid, filename, "csv")
        table.encoding, table.delimiter, table.notes = encoding, delimiter, notes
        return table
    if extension == ".xlsx":
        return _build_table(_read_xlsx(data, filename), filename, "xlsx")
    return _build_table(_read_ods(data, filename), filename, "ods")


def _check_extension(filename: str) -> None:
    extension = Path(filename).suffix.lower()
    if extension in SUPPORTED_EXTENSIONS:
        return
    if extension in (".xls", ".xlsm", ".xlsb", ".numbers"):
        raise TableError(f"format « {extension} » non pris en charge : enregistrez le fichier "
                         "au format .xlsx, .ods ou .csv", filename=filename)
    shown = f"« {extension} »" if extension else "absente"
    raise TableError(f"extension {shown} non prise en charge (formats acceptés : .csv, .xlsx, .ods)",
                     filename=filename)


# A grid is a list of (line number, list of cell strings).
Grid = list[tuple[int, list[str]]]


def _build_table(grid: Grid, filename: str, fmt: str) -> Table:
    grid = [(line, cells) for line, cells in grid if any(cells)]
    if not grid:
        raise TableError("le fichier ne contient aucune donnée (pas même une ligne d'en-tête)",
                         filename=filename)
    header_line, header_cells = grid[0]
    while header_cells and not header_cells[-1]:
        header_cells = header_cells[:-1]
    headers: list[str] = []
    seen: dict[str, int] = {}
    for position, header in enumerate(header_cells, start=1):
        where = f"colonne {position} ({column_letter(position)})"
        if not header:
            raise TableError(f"en-tête vide en {where}", filename=filename, line=header_line)
        key = " ".join(header.split()).casefold()
        if key in seen:
            first = seen[key]
            raise TableError(f"en-tête « {header} » en double (colonne {first} ({column_letter(first)}) "
                             f"et {where})", filename=filename, line=header_line)
        seen[key] = position
        headers.append(header)
    rows: list[Row] = []
    for line, cells in grid[1:]:
        for position in range(len(headers), len(cells)):
            if cells[position]:
                raise TableError(
                    f"valeur « {cells[position]} » en colonne {position + 1} "
                    f"({column_letter(position + 1)}), qui n'a pas d'en-tête",
                    filename=filename, line=line)
        padded = cells[: len(headers)] + [""] * (len(headers) - len(cells))
        rows.append(Row(line=line, cells=dict(zip(headers, padded))))
    return Table(headers=headers, rows=rows, filename=filename, format=fmt)


def _clean(text: str) -> str:
    return text.strip(_BLANKS)


# --- CSV ---------------------------------------------------------------------------------

def _decode(data: bytes) -> tuple[str, str, list[str]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", []
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig", []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text, encoding, label = data.decode("cp1252"), "cp1252", "Windows-1252"
    except UnicodeDecodeError:
        text, encoding, label = data.decode("latin-1"), "latin-1", "ISO-8859-1 (Latin-1)"
    note = (f"Le fichier n'est pas en UTF-8 : il a été lu en {label}. "
            "Vérifiez les accents, ou enregistrez-le en « CSV UTF-8 ».")
    return text, encoding, [french_spacing(note)]


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first non-blank line into the most fields (";" on ties)."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    best, best_count = CSV_DELIMITERS[0], 0
    for delimiter in CSV_DELIMITERS:
        fields = next(csv.reader([first_line], delimiter=delimiter), [])
        if len(fields) > best_count:
            best, best_count = delimiter, len(fields)
    return best


def _read_csv(data: bytes, filename: str) -> tuple[Grid, str, str, list[str]]:
    try:
        text, encoding, notes = _decode(data)
    except UnicodeDecodeError as error:
        raise TableError(f"encodage illisible ({error.reason})", filename=filename) from error
    if "\x00" in text:
        raise TableError("ce n'est pas un fichier texte CSV (caractères binaires)", filename=filename)
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid: Grid = []
    start = 1
    try:
        for record in reader:
            grid.append((start, [_clean(cell) for cell in record]))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TableError(f"CSV mal formé ({error}) ; vérifiez les guillemets",
                         filename=filename, line=start) from error
    return grid, encoding, delimiter, notes


# --- XLSX --------------------------------------------------------------------------------

def _number_text(value: int | float | Decimal, number_format: str = "") -> str:
    if isinstance(value, float) and not value.is_integer():
        return repr(value)
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return format(value.normalize(), "f")
    text = str(int(value))
    # A format such as "00000" shows leading zeros (postcodes, département "086"): keep them.
    if number_format and set(number_format) == {"0"}:
        text = text.zfill(len(number_format))
    return text


def _value_text(value: object, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    if isinstance(value, (int, float, Decimal)):
        return _number_text(value, number_format)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return _clean(str(value))


def _read_xlsx(data: bytes, filename: str) -> Grid:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise TableError("fichier XLSX illisible ou endommagé "
                         f"({type(error).__name__})", filename=filename) from error
    try:
        if not workbook.worksheets:
            raise TableError("le classeur ne contient aucune feuille", filename=filename)
        sheet = workbook.worksheets[0]
        # Files written by other tools often carry a wrong <dimension>; read everything.
        sheet.reset_dimensions()
        grid: Grid = []
        try:
            for line, cells in enumerate(sheet.iter_rows(min_row=1), start=1):
                grid.append((line, [_value_text(cell.value, getattr(cell, "number_format", "") or "")
                                    for cell in cells]))
        except TableError:
            raise
        except Exception as error:
            raise TableError(f"fichier XLSX endommagé ({type(error).__name__})",
                             filename=filename) from error
        return grid
    finally:
        workbook.close()


# --- ODS ---------------------------------------------------------------------------------

def _ods_cell_text(cell) -> str:
    cell_type = cell.type
    if cell_type in ("float", "percentage", "currency"):
        return _number_text(cell.value)
    if cell_type in ("date", "time", "boolean"):
        return _value_text(cell.value)
    if cell_type == "string":
        return _clean(str(cell.get_value() or ""))
    # Typeless cells may still hold a paragraph of text.
    return _clean(cell.text_content or "")


def _read_ods(data: bytes, filename: str) -> Grid:
    from odfdo import Document

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise TableError("fichier ODS illisible ou endommagé (ce n'est pas une archive ODF)",
                         filename=filename)
    try:
        document = Document(io.BytesIO(data))
        tables = document.body.get_tables()
    except Exception as error:
        raise TableError(f"fichier ODS illisible ou endommagé ({type(error).__name__})",
                         filename=filename) from error
    if not tables:
        raise TableError("le classeur ne contient aucune feuille", filename=filename)
    grid: Grid = []
    line = 0
    # Rows and cells are walked as stored: LibreOffice writes a million trailing blank rows
    # as one element repeated 1 048 000 times, which must not be expanded.
    for row in tables[0].xpath(".//table:table-row"):
        row_repeat = row.repeated or 1
        runs = [(_ods_cell_text(cell), cell.repeated or 1)
                for cell in row.xpath("table:table-cell|table:covered-table-cell")]
        while runs and not runs[-1][0]:
            runs.pop()  # trailing blank cells, often repeated to column 1024
        if runs:
            cells = [text for text, count in runs for _ in range(count)]
            for _ in range(row_repeat):
                line += 1
                grid.append((line, list(cells)))
        else:
            line += row_repeat
    return grid
