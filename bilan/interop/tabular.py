"""Read a table (CSV, XLSX, ODS) into rows of text cells: Bilan's one spreadsheet reader.

Pure module, no Django and no knowledge of what the table holds. The roster
import takes a header row and named cells (:func:`read_table`); the answer
imports (LimeSurvey, Framaforms, Nextcloud Forms, Google Forms, LimeSurvey
``.txt``) take the rows themselves (:func:`read_rows`), since their headers
span one to three rows. The module keeps the name ``tabular`` rather than a
new ``reading``: it reads *tables*, whatever their container, and its writing
counterpart is ``bilan.interop.spreadsheets``.

Every cell comes back as a stripped string ("" when blank), the same way for
every caller and format: codes typed as numbers survive (860001.0 ->
"860001", a ``000`` format keeps its zeros), dates read as ISO 8601, booleans
as « vrai » / « faux ». Each row keeps its line number in the file (the
header is line 1 when the file starts with it) so that error reports can
point at it; blank rows are skipped.

Files come from users, so reading is bounded (``MAX_*`` below, overridable
per call): the file's size, the size of an XLSX / ODS archive once
decompressed (checked before parsing, with each member's compression ratio),
the rows and the cells read. Past a limit the reader raises
:class:`TableError` naming the limit and what it found, instead of exhausting
memory. XML is parsed without DTD or entities (defusedxml, also used by
openpyxl once installed), and an ODS's content incrementally, so the million
blank rows LibreOffice repeats at the bottom of a sheet cost nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from bilan.french import fr_number, fr_size, french_spacing, ordinal

SUPPORTED_EXTENSIONS = (".csv", ".xlsx", ".ods")
FORMATS = ("csv", "xlsx", "ods")
CSV_DELIMITERS = (";", ",", "\t")
# Plain string values a sheet may hold are stripped of these as well as of
# ordinary whitespace: spreadsheets love non-breaking spaces.
_BLANKS = " \t\r\n\u00a0\u202f\ufeff"

# Reading limits. The ``max_*`` keywords of read_rows / read_table override
# them; left out (None), these are read at call time. Generous for a real
# roster or answer file, far below what would exhaust a server's memory.
MAX_FILE_SIZE = 100_000_000  # bytes of the file as given
MAX_UNZIPPED_SIZE = 200_000_000  # bytes of all the members of an XLSX / ODS archive, decompressed
MAX_COMPRESSION_RATIO = 500  # of one archive member: real sheets stay well under 100, deflate tops out near 1 030
MAX_ROWS = 200_000  # non-blank rows
MAX_CELLS = 5_000_000  # cells read: rows times their columns
# Members smaller than this are not judged on their ratio: harmless whatever it is.
_RATIO_FLOOR = 1_000_000
# zipfile builds an object per member before we can look at any: count them first.
_MAX_MEMBERS = 10_000
# No worksheet has a row beyond this one; openpyxl fills a gap up to a far row one
# empty row at a time, so rows past it (in no file a spreadsheet writes) are not read.
_XLSX_LAST_ROW = 1_048_576
# A text:s element asks for c spaces; no cell needs more.
_MAX_SPACES = 1_000
# The sniffer reads at most this much of a header line.
_SNIFF_CHARS = 1_000_000


class TableError(ValueError):
    """A file that cannot be read, or imported: Bilan's one error for files, in French.

    ``message`` (also ``detail``) is the problem alone; ``filename``, ``line``
    (1-based, in the file) and ``column`` (its heading, or number) say where,
    when known; ``problems`` may list several issues. ``str()`` is the whole
    sentence (« fichier « x.csv », ligne 3 : … »). The answer imports know
    this class as ``bilan.interop.answers_formats.InteropError``.
    """

    def __init__(self, message: str, *, filename: str = "", line: int | None = None,
                 column: str | None = None, problems: list | None = None):
        self.message = self.detail = message
        self.filename = filename
        self.line = line
        self.column = column
        self.problems = list(problems or [])
        super().__init__(self.describe())

    def describe(self) -> str:
        return located_message(self.message, filename=self.filename, line=self.line, column=self.column)


def located_message(message: str, *, filename: str = "", line: int | None = None, column: str | None = None) -> str:
    """« fichier « x.csv », ligne 3, colonne « UAI » : message », naming only what is known of the place."""
    where = []
    if filename:
        where.append(f"fichier « {filename} »")
    if line is not None:
        where.append(f"ligne {line}")
    if column is not None:
        where.append(f"colonne « {column} »")
    return french_spacing(f"{', '.join(where)} : {message}" if where else message)


@dataclass
class Sheet:
    """The non-blank rows of a file's first sheet: ``(line number, cells as text)``.

    CSV rows keep all their fields, trailing empty ones included (a short row
    is a truncated line); spreadsheet rows end at their last non-blank cell.
    """

    rows: list[tuple[int, list[str]]]
    filename: str = ""
    format: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    # Things the reader guessed and the user should know (e.g. the encoding).
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Limits:
    rows: int
    cells: int
    file_size: int
    unzipped_size: int
    compression_ratio: int


@dataclass(frozen=True)
class _LargerFiles:
    rows: int
    cells: int


_larger_files: ContextVar[_LargerFiles | None] = ContextVar("bilan_larger_files", default=None)

# What the command line reads (``bilan import``): the server's own operator chose the file, and
# the memory it takes (about 60 bytes a cell) is theirs to give; the pages keep the limits above.
LARGE_MAX_ROWS = 2_000_000
LARGE_MAX_CELLS = 100_000_000


@contextmanager
def larger_files(rows: int = LARGE_MAX_ROWS, cells: int = LARGE_MAX_CELLS) -> Iterator[None]:
    """Within the block, read_rows' default row and cell limits are ``rows`` and ``cells``
    (the other limits, on sizes and compression, stay)."""
    token = _larger_files.set(_LargerFiles(rows, cells))
    try:
        yield
    finally:
        _larger_files.reset(token)


def _count(number: int) -> str:
    return fr_number(number)


class _Budget:
    """Rows and cells read so far, against the limits: past one, the French error."""

    def __init__(self, limits: _Limits, filename: str):
        self.limits = limits
        self.filename = filename
        self.rows = 0
        self.cells = 0

    def check_cells(self, more: int, line: int) -> None:
        """Refuse before reading ``more`` cells that would pass the limit."""
        if self.cells + more > self.limits.cells:
            raise TableError(f"le fichier dépasse {_count(self.limits.cells)} cellules (lignes × colonnes ; "
                             f"au moins {_count(self.cells + more)} lues) : découpez-le en plusieurs fichiers",
                             filename=self.filename, line=line)

    def take_cells(self, count: int, line: int) -> None:
        self.check_cells(count, line)
        self.cells += count

    def take_rows(self, count: int, line: int) -> None:
        if self.rows + count > self.limits.rows:
            repeated = f", dont la ligne {line} répétée {_count(count)} fois" if count > 1 else ""
            raise TableError(f"le fichier dépasse {_count(self.limits.rows)} lignes (au moins "
                             f"{_count(self.rows + count)} lignes non vides{repeated}) : "
                             "découpez-le en plusieurs fichiers", filename=self.filename, line=line)
        self.rows += count


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


Source = str | Path | bytes | BinaryIO


def read_table(source: Source, filename: str | None = None, **limits: int | None) -> Table:
    """Read the first sheet of a CSV, XLSX or ODS file, its headers on its first non-blank row.

    ``source`` is a path, the file's bytes or a binary file object; the format
    is chosen from the extension of ``filename`` (default: the path's name).
    ``limits`` are :func:`read_rows`'s ``max_*`` keywords. Raises
    ``TableError`` with a French message naming the file (and line).
    """
    sheet = read_rows(source, filename, **limits)
    table = _build_table(sheet.rows, sheet.filename, sheet.format)
    table.encoding, table.delimiter, table.notes = sheet.encoding, sheet.delimiter, sheet.notes
    return table


def read_rows(source: Source, filename: str | None = None, *, file_format: str | None = None,
              delimiter: str | None = None, delimiters: Sequence[str] = CSV_DELIMITERS, header_lines: int = 1,
              guess_encoding: bool = True, max_rows: int | None = None, max_cells: int | None = None,
              max_file_size: int | None = None, max_unzipped_size: int | None = None,
              max_compression_ratio: int | None = None) -> Sheet:
    """The non-blank rows of the first sheet of a CSV, XLSX or ODS file, as text.

    ``source`` is a path, the file's bytes or a binary file object. The format
    is ``file_format`` (``csv``, ``xlsx``, ``ods``), else the extension of
    ``filename`` (default: the path's name). CSV: the ``delimiter`` given, or
    the one of ``delimiters`` that splits the header line (the longest of the
    first ``header_lines`` non-blank lines) into the most fields, ties going
    to the first; a file that is not UTF-8 is read as Windows-1252 (then
    Latin-1) with a note when ``guess_encoding``, and refused with the line
    and byte at fault otherwise. ``max_*`` override the module's limits.
    Raises :class:`TableError`.
    """
    larger = _larger_files.get()
    limits = _Limits(
        rows=(larger.rows if larger else MAX_ROWS) if max_rows is None else max_rows,
        cells=(larger.cells if larger else MAX_CELLS) if max_cells is None else max_cells,
        file_size=MAX_FILE_SIZE if max_file_size is None else max_file_size,
        unzipped_size=MAX_UNZIPPED_SIZE if max_unzipped_size is None else max_unzipped_size,
        compression_ratio=MAX_COMPRESSION_RATIO if max_compression_ratio is None else max_compression_ratio,
    )
    filename = _filename(source, filename)
    if file_format is None:
        if not filename:
            raise TableError("nom de fichier absent : impossible de connaître son format")
        file_format = _format_of(filename)
    elif file_format not in FORMATS:
        raise ValueError(f"unknown table format {file_format!r} (expected one of {FORMATS})")
    data = read_bytes(source, filename, max_file_size=limits.file_size)
    if not data or data.isspace():
        raise TableError("le fichier est vide", filename=filename)
    budget = _Budget(limits, filename)
    if file_format == "csv":
        return _read_csv(data, filename, budget, delimiter=delimiter, delimiters=delimiters,
                         header_lines=header_lines, guess_encoding=guess_encoding)
    reader = _read_xlsx if file_format == "xlsx" else _read_ods
    return Sheet(rows=reader(data, filename, budget), filename=filename, format=file_format)


def read_bytes(source: Source, filename: str | None = None, *, max_file_size: int | None = None) -> bytes:
    """The bytes of a path, a binary file object or bytes, refused past ``max_file_size`` (MAX_FILE_SIZE).

    For commands that hand a file to a parser taking bytes: the size is checked
    before the file is read.
    """
    limit = MAX_FILE_SIZE if max_file_size is None else max_file_size
    filename = _filename(source, filename)
    size: int | None
    if isinstance(source, (str, Path)):
        try:
            size = Path(source).stat().st_size
            if size > limit:
                raise _too_big(size, limit, filename)
            data = Path(source).read_bytes()
        except OSError as error:
            raise TableError(f"impossible de lire le fichier ({error.strerror or error})",
                             filename=filename) from error
    elif isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        # Read one byte past the limit, never the whole of a huge upload.
        data = source.read(limit + 1)
        size = getattr(source, "size", None)
        if len(data) > limit:
            raise _too_big(size if isinstance(size, int) else None, limit, filename)
    if len(data) > limit:
        raise _too_big(len(data), limit, filename)
    return data


def _too_big(size: int | None, limit: int, filename: str) -> TableError:
    found = f" ({fr_size(size)})" if size is not None else ""
    return TableError(f"le fichier dépasse {fr_size(limit)}{found} : découpez-le en plusieurs fichiers",
                      filename=filename)


def _filename(source: Source, filename: str | None) -> str:
    if filename:
        return filename
    if isinstance(source, (str, Path)):
        return Path(source).name
    name = getattr(source, "name", "")
    return name if isinstance(name, str) else ""


def _format_of(filename: str) -> str:
    extension = Path(filename).suffix.lower()
    if extension in SUPPORTED_EXTENSIONS:
        return extension[1:]
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
        rows.append(Row(line=line, cells=dict(zip(headers, padded, strict=True))))
    return Table(headers=headers, rows=rows, filename=filename, format=fmt)


def _clean(text: str) -> str:
    return text.strip(_BLANKS)


# --- CSV ---------------------------------------------------------------------------------

def decode_text(data: bytes, *, guess_encoding: bool = True, filename: str = "") -> tuple[str, str, list[str]]:
    """The text of a CSV file, its encoding, and a note for the user when the encoding was guessed.

    UTF-16 with a BOM (Excel's « Texte Unicode »), UTF-8 with or without BOM.
    Anything else is read as Windows-1252 (then Latin-1) with a note when
    ``guess_encoding``; otherwise, and when a UTF-8 BOM announced the
    encoding, it is refused with the line and byte of the first invalid byte
    (the answer imports prefer that to a guess that silently corrupts accents).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as error:
            raise TableError(f"texte UTF-16 illisible à l'octet {error.start}", filename=filename) from error
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    try:
        return data.decode("utf-8"), encoding, []
    except UnicodeDecodeError as error:
        if not guess_encoding or encoding == "utf-8-sig":
            raise _not_utf8(data, error, filename) from error
    try:
        text, encoding, label = data.decode("cp1252"), "cp1252", "Windows-1252"
    except UnicodeDecodeError:
        text, encoding, label = data.decode("latin-1"), "latin-1", "ISO-8859-1 (Latin-1)"
    note = (f"Le fichier n'est pas en UTF-8 : il a été lu en {label}. "
            "Vérifiez les accents, ou enregistrez-le en « CSV UTF-8 ».")
    return text, encoding, [french_spacing(note)]


def _not_utf8(data: bytes, error: UnicodeDecodeError, filename: str) -> TableError:
    line = data.count(b"\n", 0, error.start) + 1
    line_start = data.rfind(b"\n", 0, error.start) + 1
    return TableError(
        f"le fichier n'est pas encodé en UTF-8 (octet 0x{data[error.start]:02X} invalide, position "
        f"{error.start} du fichier, {ordinal(error.start - line_start + 1)} octet de la ligne) ; "
        "enregistrez-le en « CSV UTF-8 » puis recommencez", filename=filename, line=line)


def sniff_delimiter(text: str, delimiters: Sequence[str] = CSV_DELIMITERS, *, header_lines: int = 1) -> str:
    """The delimiter of a CSV text: the one of ``delimiters`` that splits its header line into the most fields.

    The header line is the longest of the first ``header_lines`` non-blank
    lines (Framaforms puts its column headers on the third); quotes are
    respected. Ties go to the first of ``delimiters``, which is also the
    answer when none splits anything.
    """
    # strict=False: the range stops the search after the first ``header_lines`` lines.
    lines = [text[match.start():min(match.end(), match.start() + _SNIFF_CHARS)]
             for match, _ in zip(_NON_BLANK_LINE.finditer(text), range(header_lines), strict=False)]
    header = max(lines, key=len, default="")
    best, best_count = delimiters[0], 1
    for delimiter in delimiters:
        try:
            count = len(next(csv.reader([header], delimiter=delimiter), []))
        except csv.Error:  # an unclosed quote in a cut line: count outside no quotes at all
            count = header.count(delimiter) + 1
        if count > best_count:
            best, best_count = delimiter, count
    return best


# A physical line and its end, as csv wants them: "\r\n", "\r" or "\n" only (not
# the other line breaks str.splitlines knows, which may sit inside a cell).
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")
_OTHER_LINE_BREAKS = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_NON_BLANK_LINE = re.compile(r"^[^\S\r\n]*\S[^\r\n]*", re.MULTILINE)
_LINES_CHUNK = 65_536


def _physical_lines(text: str) -> Iterator[str]:
    """The lines of a CSV text with their ends, a chunk at a time (never the whole file as a list).

    ``str.splitlines`` is the fast way, but it also breaks at the characters
    of ``_OTHER_LINE_BREAKS``, which a cell may hold, and a text without
    ``\\n`` (old Mac files) would be one huge chunk: those go through the
    regular expression instead. io.StringIO would hold the text at 4 bytes a
    character.
    """
    start, size = 0, len(text)
    while start < size:
        cut = text.find("\n", start + _LINES_CHUNK)
        end = size if cut < 0 else cut + 1
        chunk = text[start:end]
        if cut < 0 or end - start > 4 * _LINES_CHUNK or _OTHER_LINE_BREAKS.search(chunk):
            yield from (match.group() for match in _PHYSICAL_LINE.finditer(chunk))
        else:
            yield from chunk.splitlines(keepends=True)
        start = end


def _read_csv(data: bytes, filename: str, budget: _Budget, *, delimiter: str | None,
              delimiters: Sequence[str], header_lines: int, guess_encoding: bool) -> Sheet:
    text, encoding, notes = decode_text(data, guess_encoding=guess_encoding, filename=filename)
    if "\x00" in text:
        raise TableError("ce n'est pas un fichier texte CSV (caractères binaires)", filename=filename)
    delimiter = delimiter or sniff_delimiter(text, delimiters, header_lines=header_lines)
    lines: Iterator[str] = _physical_lines(text)
    # The csv module builds a whole record before we see it: when the file may hold more
    # fields than the limit allows (delimiters + lines bound them), each line is weighed
    # first, so a line of a million delimiters is refused before it is a million-cell list.
    ahead = [0, 0]  # fields of the record being read, physical lines read
    if text.count(delimiter) + text.count("\n") + text.count("\r") + 1 > budget.limits.cells:
        unweighed = lines

        def weighed() -> Iterator[str]:
            for line in unweighed:
                ahead[0] += line.count(delimiter) + 1
                ahead[1] += 1
                budget.check_cells(ahead[0], ahead[1])
                yield line

        lines = weighed()
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            ahead[0] = 0
            budget.take_cells(len(record), line)
            cells = [cell.strip(_BLANKS) for cell in record]  # _clean, inlined: it runs for every cell
            if any(cells):
                budget.take_rows(1, line)
                rows.append((line, cells))
    except csv.Error as error:
        raise TableError(f"ligne mal formée ({_csv_error_fr(error)}) ; guillemet non refermé ou fichier tronqué ?",
                         filename=filename, line=start) from error
    return Sheet(rows=rows, filename=filename, format="csv", encoding=encoding, delimiter=delimiter, notes=notes)


def _csv_error_fr(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "fin de fichier inattendue"
    if "expected" in message and "delimiter" in message:
        return "caractère inattendu après un guillemet fermant"
    if "field larger than field limit" in message:
        return f"une valeur dépasse {_count(csv.field_size_limit())} caractères"
    if "new-line character seen in unquoted field" in message:
        return "retour à la ligne inattendu hors guillemets"
    return message


# --- XLSX --------------------------------------------------------------------------------

def _number_text(value: float | Decimal, number_format: str = "") -> str:
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


def _read_xlsx(data: bytes, filename: str, budget: _Budget) -> Grid:
    from openpyxl import load_workbook

    _open_archive(data, "XLSX", filename, budget.limits).close()
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        if _from_forbidden_xml(error):
            raise _forbidden_xml("XLSX", filename) from error
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
            for line, cells in enumerate(sheet.iter_rows(min_row=1, max_row=_XLSX_LAST_ROW), start=1):
                # Counted as openpyxl builds them, styled blank cells included: that is the work done.
                budget.take_cells(len(cells), line)
                texts = [_value_text(cell.value, getattr(cell, "number_format", "") or "") for cell in cells]
                while texts and not texts[-1]:
                    texts.pop()
                if texts:
                    budget.take_rows(1, line)
                    grid.append((line, texts))
        except TableError:
            raise
        except Exception as error:
            if _from_forbidden_xml(error):
                raise _forbidden_xml("XLSX", filename) from error
            raise TableError(f"fichier XLSX endommagé ({type(error).__name__})",
                             filename=filename) from error
        return grid
    finally:
        workbook.close()


# --- Archives (XLSX, ODS) --------------------------------------------------------------------

def open_archive(data: bytes, kind: str, filename: str = "", *, max_unzipped_size: int | None = None,
                 max_compression_ratio: int | None = None) -> zipfile.ZipFile:
    """An XLSX / ODS archive (``kind`` names it in messages), refused past the limits.

    For whoever opens a spreadsheet archive before reading it (the answer
    imports look inside to recognise the format).
    """
    limits = _Limits(rows=MAX_ROWS, cells=MAX_CELLS, file_size=MAX_FILE_SIZE,
                     unzipped_size=MAX_UNZIPPED_SIZE if max_unzipped_size is None else max_unzipped_size,
                     compression_ratio=(MAX_COMPRESSION_RATIO if max_compression_ratio is None
                                        else max_compression_ratio))
    return _open_archive(data, kind, filename, limits)


def _open_archive(data: bytes, kind: str, filename: str, limits: _Limits) -> zipfile.ZipFile:
    """The archive, once its declared sizes are checked: nothing is decompressed before that.

    zipfile stops a member at its declared size (and then fails its CRC), so
    the sizes checked here bound what any later reading decompresses.
    """
    damaged = f"fichier {kind} illisible ou endommagé (ce n'est pas une archive {kind} valide)"
    members = _declared_member_count(data)
    if members is None:
        raise TableError(damaged, filename=filename)
    if members > _MAX_MEMBERS:
        raise TableError(f"l'archive {kind} compte plus de {_count(_MAX_MEMBERS)} éléments : fichier refusé",
                         filename=filename)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as error:
        raise TableError(damaged, filename=filename) from error
    total = sum(info.file_size for info in infos)
    if total > limits.unzipped_size:
        archive.close()
        raise TableError(f"le classeur dépasse {fr_size(limits.unzipped_size)} une fois décompressé "
                         f"({fr_size(total)}) : fichier refusé", filename=filename)
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and info.file_size > limits.compression_ratio * packed:
            archive.close()
            raise TableError(
                f"l'élément « {info.filename[:100]} » de l'archive est anormalement compressé "
                f"({_count(info.file_size // packed)} pour 1, au plus {_count(limits.compression_ratio)} "
                "pour 1) : fichier refusé", filename=filename)
    return archive


def _declared_member_count(data: bytes) -> int | None:
    """Members announced by the end-of-central-directory record, None if there is none.

    0xFFFF is what a ZIP64 archive announces: more than any spreadsheet holds.
    """
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return None
    return struct.unpack("<H", data[end + 10:end + 12])[0]


def _from_forbidden_xml(error: BaseException | None) -> bool:
    """Whether defusedxml refused a DTD or an entity, even under openpyxl's own ValueError."""
    seen = 0
    while error is not None and seen < 20:
        if isinstance(error, DefusedXmlException):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _forbidden_xml(kind: str, filename: str) -> TableError:
    return TableError(f"fichier {kind} refusé : son XML contient une déclaration DOCTYPE ou ENTITY, "
                      "qu'un tableur n'écrit jamais (elle n'est pas lue)", filename=filename)


# --- ODS ---------------------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_TABLE_TAG, _ROW_TAG = _TABLE + "table", _TABLE + "table-row"
_CELL_TAGS = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
_PARAGRAPH_TAGS = (_TEXT + "p", _TEXT + "h")
_DURATION = re.compile(r"^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def _read_ods(data: bytes, filename: str, budget: _Budget) -> Grid:
    archive = _open_archive(data, "ODS", filename, budget.limits)
    with archive:
        try:
            stream = archive.open("content.xml")
        except KeyError:
            raise TableError("fichier ODS illisible ou endommagé (content.xml absent)", filename=filename) from None
        with stream:
            try:
                grid = _ods_rows(stream, budget)
            except TableError:
                raise
            except DefusedXmlException as error:
                raise _forbidden_xml("ODS", filename) from error
            except ParseError as error:
                raise TableError(f"fichier ODS illisible ou endommagé (XML mal formé, ligne {error.position[0]} "
                                 "de content.xml)", filename=filename) from error
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RecursionError) as error:
                raise TableError(f"fichier ODS illisible ou endommagé ({type(error).__name__})",
                                 filename=filename) from error
    if grid is None:
        raise TableError("le classeur ne contient aucune feuille", filename=filename)
    return grid


def _ods_rows(stream: BinaryIO, budget: _Budget) -> Grid | None:
    """The rows of the first table of content.xml, parsed as it streams; None without a table.

    Repeats are read as LibreOffice means them, never expanded for nothing: a
    run of blank rows (a million at the bottom of a sheet) only moves the
    line number on; blank cells are made only when a filled cell follows them
    in the row (trailing ones, often repeated to column 1 024, are dropped);
    a filled row or cell repeated N times is N rows or cells, counted against
    the limits before they are made. Each element is detached from the tree
    once read, so memory holds one row at a time.
    """
    grid: Grid = []
    stack = []  # open elements, to detach each one from its parent once read
    depth = 0  # table:table elements open: tables may nest inside a cell
    in_cell = False  # inside a cell of the first table: its content is read when it ends
    line = 0
    cells: list[str] = []
    blanks = 0  # blank cells met since the row's last filled one, not made yet
    for event, element in iterparse(stream, events=("start", "end"), forbid_dtd=True):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == _TABLE_TAG:
                depth += 1
            elif depth == 1 and not in_cell:
                if tag == _ROW_TAG:
                    cells, blanks = [], 0
                elif tag in _CELL_TAGS:
                    in_cell = True
            continue
        stack.pop()
        if tag == _TABLE_TAG:
            depth -= 1
            if depth == 0:
                return grid  # the first sheet only: the rest of the file is not parsed
        elif depth == 1 and in_cell and tag in _CELL_TAGS:
            in_cell = False
            repeat = _repeat(element, _TABLE + "number-columns-repeated")
            text = _clean(_ods_cell_text(element))
            if text:
                budget.check_cells(len(cells) + blanks + repeat, line + 1)
                cells.extend([""] * blanks)
                cells.extend([text] * repeat)
                blanks = 0
            else:
                blanks += repeat
        elif depth == 1 and not in_cell and tag == _ROW_TAG:
            repeat = _repeat(element, _TABLE + "number-rows-repeated")
            if cells:
                budget.take_rows(repeat, line + 1)
                budget.take_cells(len(cells) * repeat, line + 1)
                for _ in range(repeat):
                    line += 1
                    grid.append((line, list(cells)))
            else:
                line += repeat
        if not in_cell and stack:
            stack[-1].remove(element)
    return None


def _repeat(element, attribute: str) -> int:
    try:
        return max(1, int(element.get(attribute) or 1))
    except ValueError:
        return 1


def _ods_cell_text(cell) -> str:
    """A cell's value as text: from its typed attribute when it has one, else from its paragraphs."""
    value_type = cell.get(_OFFICE + "value-type")
    try:
        if value_type in ("float", "percentage", "currency") and cell.get(_OFFICE + "value"):
            return _number_text(float(cell.get(_OFFICE + "value")))
        if value_type == "date" and cell.get(_OFFICE + "date-value"):
            return _value_text(dt.datetime.fromisoformat(cell.get(_OFFICE + "date-value")))
        if value_type == "time" and cell.get(_OFFICE + "time-value"):
            return _value_text(_duration(cell.get(_OFFICE + "time-value")))
        if value_type == "boolean" and cell.get(_OFFICE + "boolean-value"):
            return _value_text(cell.get(_OFFICE + "boolean-value").strip().lower() in ("true", "1"))
        if value_type == "string" and cell.get(_OFFICE + "string-value") is not None:
            return cell.get(_OFFICE + "string-value")
    except (ValueError, OverflowError):
        pass  # a value the file mistyped: what the cell shows is still its text
    # Typeless cells may still hold paragraphs of text; comments (office:annotation) are not the value.
    return "\n".join(_paragraph_text(child) for child in cell if child.tag in _PARAGRAPH_TAGS)


def _duration(value: str) -> dt.time | dt.timedelta:
    """An ODF time value (« PT08H30M00S »): a time of day, as XLSX gives it, or a longer duration."""
    match = _DURATION.match(value.strip())
    if match is None:
        raise ValueError(value)
    days, hours, minutes, seconds = (float(part or 0) for part in match.groups())
    duration = dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    if value.strip().startswith("-"):
        return -duration
    if duration < dt.timedelta(days=1):
        return (dt.datetime.min + duration).time()  # noqa: DTZ901  only turns the duration into a time of day
    return duration


def _paragraph_text(element) -> str:
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _TEXT + "s":
            parts.append(" " * min(_repeat(child, _TEXT + "c"), _MAX_SPACES))
        elif tag == _TEXT + "tab":
            parts.append("\t")
        elif tag == _TEXT + "line-break":
            parts.append("\n")
        elif tag not in (_OFFICE + "annotation", _OFFICE + "annotation-end", _TEXT + "note"):
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
