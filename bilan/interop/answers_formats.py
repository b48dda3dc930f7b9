"""Read answer files exported by other survey tools into one neutral shape.

Supported: LimeSurvey response CSV (code headings), Framaforms / Drupal 7
Webform export, Nextcloud Forms (CSV, ODS, XLSX) and Google Forms CSV.
Every parser returns :class:`ParsedAnswers`: the columns, described by
question part (a code or a text) and sub-part (an option or a grid row), and
the data rows with the line number they start on in the file, so that every
later problem can name its line and its column.

A file that cannot be read at all raises :class:`InteropError` (French
message with line and column); nothing is returned half-read.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Iterable

NBSP = "\u00a0"

LIMESURVEY_CSV = "limesurvey_csv"
FRAMAFORMS = "framaforms"
NEXTCLOUD_CSV = "nextcloud_csv"
NEXTCLOUD_ODS = "nextcloud_ods"
NEXTCLOUD_XLSX = "nextcloud_xlsx"
GOOGLE_FORMS_CSV = "google_forms_csv"
LIMESURVEY_LSS = "limesurvey_lss"
LIMESURVEY_TXT = "limesurvey_txt"

ANSWER_FORMATS = (LIMESURVEY_CSV, FRAMAFORMS, NEXTCLOUD_CSV, NEXTCLOUD_ODS, NEXTCLOUD_XLSX, GOOGLE_FORMS_CSV)
FORMAT_NAMES_FR = {
    LIMESURVEY_CSV: "réponses LimeSurvey (CSV)",
    FRAMAFORMS: "export Framaforms (Webform)",
    NEXTCLOUD_CSV: "Nextcloud Forms (CSV)",
    NEXTCLOUD_ODS: "Nextcloud Forms (ODS)",
    NEXTCLOUD_XLSX: "Nextcloud Forms (XLSX)",
    GOOGLE_FORMS_CSV: "Google Forms (CSV)",
    LIMESURVEY_LSS: "structure LimeSurvey (.lss)",
    LIMESURVEY_TXT: "questionnaire LimeSurvey (.txt)",
}

# Column kinds
VALUE = "value"  # the whole answer to a question (choice label/code, text, several options joined)
PART = "part"  # one part of a question: an option ticked or not, or a grid row
META = "meta"  # identifiers, dates, user names: not answers


def fr_quote(text: object) -> str:
    return f"«{NBSP}{text}{NBSP}»"


class InteropError(ValueError):
    """A file that cannot be imported; nothing from it is kept.

    ``line`` (1-based, in the file) and ``column`` (heading, or number when
    there is no heading) say where; ``problems`` may list several issues.
    """

    def __init__(self, message: str, *, line: int | None = None, column: str | None = None,
                 problems: list | None = None):
        self.message = message
        self.line = line
        self.column = column
        self.problems = list(problems or [])
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"ligne {self.line}")
        if self.column is not None:
            where.append(f"colonne {fr_quote(self.column)}")
        prefix = ", ".join(where)
        return f"{prefix}{NBSP}: {self.message}" if prefix else self.message


@dataclass(frozen=True)
class SourceColumn:
    """One column of the file.

    ``question`` is what identifies the question in the file (a LimeSurvey
    code, a question text); ``part`` the option or grid row of a
    multi-column question (``"other"`` / ``"comment"`` for LimeSurvey's
    extra columns); ``heading`` the column as displayed, for messages.
    """

    index: int
    heading: str
    question: str
    part: str = ""
    kind: str = VALUE
    meta: str = ""  # for META columns: id, submitted, user, ...
    # Framaforms: a column whose second header row is empty may be the next
    # option of the question on its left or a question of its own; the
    # mapping step decides with the questionnaire in hand.
    loose: bool = False

    @property
    def key(self) -> tuple[str, str]:
        return (self.question, self.part)


@dataclass(frozen=True)
class SourceRow:
    line: int
    values: tuple[str, ...]

    def value(self, column: SourceColumn) -> str:
        return self.values[column.index] if column.index < len(self.values) else ""


@dataclass
class ParsedAnswers:
    format: str
    columns: list[SourceColumn]
    rows: list[SourceRow]
    header_line: int = 1
    # How several options share one cell ("; " Nextcloud, ";" or ", " Google);
    # None: options are in separate columns or the file has no such question.
    separators: tuple[str, ...] = (";", ",")
    # Values that mean "ticked" in a per-option column.
    ticked_values: frozenset[str] = frozenset({"y", "x", "1", "oui", "yes", "true", "vrai", "on", "checked"})
    unticked_values: frozenset[str] = frozenset({"", "n", "0", "non", "no", "false", "faux", "off"})
    notes: list[str] = field(default_factory=list)

    @property
    def answer_columns(self) -> list[SourceColumn]:
        return [column for column in self.columns if column.kind != META]

    def meta_value(self, row: SourceRow, name: str) -> str:
        for column in self.columns:
            if column.kind == META and column.meta == name:
                return row.value(column).strip()
        return ""


# --------------------------------------------------------------------------- text


def decode_text(data: bytes) -> str:
    """Decode a text file: UTF-8 (with or without BOM) or UTF-16 with BOM.

    Any other encoding is refused with the line and byte offset of the first
    invalid byte, rather than guessed (a wrong guess silently corrupts accents).
    """
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise InteropError(f"texte UTF-16 illisible à l'octet {error.start}") from error
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        line_start = data.rfind(b"\n", 0, error.start) + 1
        byte = data[error.start]
        raise InteropError(
            f"le fichier n'est pas encodé en UTF-8 (octet 0x{byte:02X} invalide, position {error.start} "
            f"du fichier, {error.start - line_start + 1}e octet de la ligne) ; "
            "enregistrez-le en « CSV UTF-8 » puis recommencez",
            line=line,
        ) from error


def sniff_delimiter(header_line: str, candidates: str = ",;\t") -> str:
    """The delimiter used in a header line: the most frequent candidate outside quotes."""
    counts = dict.fromkeys(candidates, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(candidates, key=lambda c: counts[c])
    return best if counts[best] else ","


def read_delimited(text: str, delimiter: str | None = None) -> list[tuple[int, list[str]]]:
    """Rows of a delimited text with the line each row starts on; blank lines skipped."""
    if delimiter is None:
        delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows = []
    previous_end = 0
    try:
        for record in reader:
            start = previous_end + 1
            previous_end = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            rows.append((start, record))
    except csv.Error as error:
        raise InteropError(
            f"ligne mal formée ({_csv_error_fr(error)}) ; guillemet non refermé ou fichier tronqué ?",
            line=previous_end + 1,
        ) from error
    return rows


def _csv_error_fr(error: csv.Error) -> str:
    message = str(error)
    if "unexpected end of data" in message:
        return "fin de fichier inattendue"
    if "expected" in message and "delimiter" in message:
        return "caractère inattendu après un guillemet fermant"
    return message


# --------------------------------------------------------------------------- spreadsheets


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


def read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    """Rows of the first sheet of an XLSX workbook, with their row number."""
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a broken file
        raise InteropError(f"classeur XLSX illisible ({error.__class__.__name__})") from error
    sheet = workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in values]
        if any(cell.strip() for cell in cells):
            rows.append((number, _rstrip_cells(cells)))
    workbook.close()
    return rows


def read_ods(data: bytes) -> list[tuple[int, list[str]]]:
    """Rows of the first sheet of an ODS spreadsheet, with their row number."""
    from odfdo import Document

    try:
        document = Document(io.BytesIO(data))
        tables = document.body.get_tables()
    except Exception as error:  # odfdo raises many types for a broken file
        raise InteropError(f"classeur ODS illisible ({error.__class__.__name__})") from error
    for table in tables:  # the first sheet that holds anything
        rows = []
        for number, row in enumerate(table.traverse(), start=1):
            cells = [_cell_text(cell.value) for cell in row.traverse()]
            if any(cell.strip() for cell in cells):
                rows.append((number, _rstrip_cells(cells)))
        if rows:
            return rows
    return []


def _rstrip_cells(cells: list[str]) -> list[str]:
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


# --------------------------------------------------------------------------- shared checks


def _check_headings(columns: list[SourceColumn], header_line: int) -> None:
    seen: dict[tuple[str, str], SourceColumn] = {}
    for column in columns:
        if column.kind == META:
            continue
        if not column.heading.strip():
            raise InteropError("colonne sans en-tête", line=header_line, column=str(column.index + 1))
        previous = seen.get(column.key)
        if previous is not None:
            raise InteropError(
                f"en-tête en double (colonnes {previous.index + 1} et {column.index + 1})",
                line=header_line, column=column.heading,
            )
        seen[column.key] = column


def _build_rows(records: Iterable[tuple[int, list[str]]], columns: list[SourceColumn]) -> list[SourceRow]:
    width = len(columns)
    rows = []
    for line, cells in records:
        if len(cells) < width:
            missing = columns[len(cells)]
            raise InteropError(
                f"ligne tronquée : {len(cells)} valeurs au lieu de {width} "
                f"(il manque la colonne {fr_quote(missing.heading)} et les suivantes)",
                line=line, column=missing.heading,
            )
        extra = [cell for cell in cells[width:] if cell.strip()]
        if extra:
            raise InteropError(
                f"{len(cells)} valeurs pour {width} colonnes d'en-tête (valeur en trop : {fr_quote(extra[0])})",
                line=line, column=str(width + 1),
            )
        rows.append(SourceRow(line=line, values=tuple(cells[:width])))
    return rows


def _require_rows(records: list, what: str, minimum: int = 1) -> None:
    if len(records) < minimum:
        raise InteropError(f"le fichier est vide ou n'a pas les {minimum} ligne(s) d'en-tête attendues ({what})")


# --------------------------------------------------------------------------- LimeSurvey


LIMESURVEY_META = {
    "id": "id", "submitdate": "submitted", "lastpage": "lastpage", "startlanguage": "language",
    "seed": "seed", "startdate": "started", "datestamp": "datestamp", "token": "token",
    "ipaddr": "ip", "refurl": "refurl", "response id": "id", "date submitted": "submitted",
    "last page": "lastpage", "start language": "language", "date started": "started",
    "date last action": "datestamp", "interviewtime": "interviewtime",
}
LIMESURVEY_PLACEHOLDER_DATE = "1980-01-01"
_LS_HEADING = re.compile(r"^(?P<question>[^\[\]]+?)\s*\[(?P<part>[^\[\]]*)\](?:\[(?P<scale>[^\[\]]*)\])?$")


def parse_limesurvey_csv(data: bytes) -> ParsedAnswers:
    """LimeSurvey 'Export responses' CSV with question-code headings.

    ``Q1`` (one value), ``Q2[SQ001]`` (an option of a multiple choice, ``Y``
    when ticked, or a row of an array), ``Q2[other]``, ``Q2[SQ001comment]``;
    ``;`` or ``,`` separated, UTF-8 with or without BOM. The anonymised
    submit date ``1980-01-01`` is a placeholder, not a date.
    """
    text = decode_text(data)
    records = read_delimited(text)
    _require_rows(records, "une ligne d'en-têtes")
    header_line, headings = records[0]
    columns = []
    for index, heading in enumerate(headings):
        heading = heading.strip()
        lowered = heading.lower()
        if lowered in LIMESURVEY_META or lowered.endswith("time") and lowered.startswith("interview"):
            columns.append(SourceColumn(index, heading, heading, kind=META, meta=LIMESURVEY_META.get(lowered, lowered)))
            continue
        match = _LS_HEADING.match(heading)
        if match:
            part = match.group("part")
            if match.group("scale"):
                part = f"{part}#{match.group('scale')}"
            columns.append(SourceColumn(index, heading, match.group("question").strip(), part, kind=PART))
        else:
            columns.append(SourceColumn(index, heading, heading))
    _check_headings(columns, header_line)
    rows = _build_rows(records[1:], columns)
    parsed = ParsedAnswers(LIMESURVEY_CSV, columns, rows, header_line=header_line, separators=())
    submitted = [c for c in columns if c.meta == "submitted"]
    if submitted:
        placeholders = sum(1 for row in rows if row.value(submitted[0]).startswith(LIMESURVEY_PLACEHOLDER_DATE))
        if placeholders:
            parsed.notes.append(
                f"{placeholders} réponse(s) anonymisée(s) : la date {LIMESURVEY_PLACEHOLDER_DATE} "
                "de LimeSurvey n'est pas une vraie date et n'est pas reprise"
            )
    return parsed


def submitted_at(parsed: ParsedAnswers, row: SourceRow) -> str | None:
    """The submission date and time of a row as written in the file, or None.

    None also for LimeSurvey's anonymised placeholder and for responses
    never submitted (empty submit date).
    """
    for name in ("submitted", "timestamp"):
        value = parsed.meta_value(row, name)
        if value:
            return None if value.startswith(LIMESURVEY_PLACEHOLDER_DATE) else value
    return None


def is_complete(parsed: ParsedAnswers, row: SourceRow) -> bool:
    """False for a LimeSurvey response that was started but never submitted."""
    if parsed.format == LIMESURVEY_CSV and any(c.meta == "submitted" for c in parsed.columns):
        return bool(parsed.meta_value(row, "submitted"))
    if parsed.format == FRAMAFORMS and any(c.meta == "draft" for c in parsed.columns):
        return parsed.meta_value(row, "draft").lower() not in ("1", "yes", "oui", "true")
    return True


# --------------------------------------------------------------------------- Framaforms


FRAMAFORMS_META = {
    "serial": "serial", "sid": "id", "time": "timestamp", "draft": "draft", "ip address": "ip",
    "uid": "user", "username": "user", "numéro de série": "serial", "n° de série": "serial",
    "série": "serial", "heure": "timestamp", "date": "timestamp", "brouillon": "draft",
    "adresse ip": "ip", "nom d'utilisateur": "user", "utilisateur": "user",
    "completed time": "timestamp", "modified time": "modified", "heure de fin": "timestamp",
    "numéro": "serial", "n°": "serial", "date de soumission": "timestamp", "ip": "ip",
}
FRAMAFORMS_DETAILS = {"submission details", "détails de la soumission", "submission_details", "détails de la contribution"}


def parse_framaforms(data: bytes, delimiter: str | None = None) -> ParsedAnswers:
    """Framaforms (Drupal 7 Webform) 'Téléchargement' export.

    Three header rows: (1) form title then empty cells, (2) « Submission
    Details » then, above the first column of each multi-column question,
    its name, (3) the submission fields (Serial, SID, Time, Draft, IP
    Address, UID, Username) then one heading per column: the question name,
    or an option label (multiple choice, « X » when ticked) or a grid row.
    Tab separated by default; any delimiter is detected.
    """
    text = decode_text(data)
    if delimiter is None:
        first_lines = text.split("\n", 3)[:3]
        delimiter = sniff_delimiter(max(first_lines, key=len))
    records = read_delimited_keep_blank(text, delimiter)
    _require_rows(records, "trois lignes d'en-têtes", minimum=3)
    (_, title_row), (_, group_row), (header_line, label_row) = records[:3]
    width = max(len(title_row), len(group_row), len(label_row))
    group_row = group_row + [""] * (width - len(group_row))
    label_row = label_row + [""] * (width - len(label_row))
    columns = []
    current_group = ""
    in_details = bool(group_row[0].strip().lower() in FRAMAFORMS_DETAILS
                      or label_row[0].strip().lower() in FRAMAFORMS_META)
    for index in range(width):
        group = group_row[index].strip()
        label = label_row[index].strip()
        lowered = label.lower()
        if in_details and (index == 0 or not group) and lowered in FRAMAFORMS_META:
            columns.append(SourceColumn(index, label, label, kind=META, meta=FRAMAFORMS_META[lowered]))
            continue
        in_details = False
        if group and group.lower() not in FRAMAFORMS_DETAILS:
            current_group = group
            columns.append(SourceColumn(index, f"{group} [{label}]", group, label, kind=PART))
        elif current_group and not group:
            columns.append(SourceColumn(index, label, current_group, label, kind=PART, loose=True))
        else:
            current_group = ""
            columns.append(SourceColumn(index, label, label))
    _check_headings(columns, header_line)
    data_records = [(line, cells) for line, cells in records[3:] if any(c.strip() for c in cells)]
    rows = _build_rows(data_records, columns)
    return ParsedAnswers(FRAMAFORMS, columns, rows, header_line=header_line, separators=(",",))


def read_delimited_keep_blank(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Like :func:`read_delimited` but keeps the header rows even when mostly empty."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows, previous_end = [], 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if record or len(rows) < 3:
                rows.append((start, record))
    except csv.Error as error:
        raise InteropError(
            f"ligne mal formée ({_csv_error_fr(error)}) ; guillemet non refermé ou fichier tronqué ?",
            line=previous_end + 1,
        ) from error
    return rows


# --------------------------------------------------------------------------- Nextcloud Forms


NEXTCLOUD_META = {
    "submission id": "id", "user id": "user", "user display name": "user_name", "timestamp": "timestamp",
    "id de soumission": "id", "identifiant de la soumission": "id", "id utilisateur": "user",
    "identifiant utilisateur": "user", "nom d'affichage de l'utilisateur": "user_name",
    "nom d'affichage": "user_name", "horodatage": "timestamp", "date": "timestamp",
}
NEXTCLOUD_IDS = {"submission_id": "id", "user_id": "user", "user_display_name": "user_name", "timestamp": "timestamp"}
_NEXTCLOUD_GRID = re.compile(r"^(?P<question>.+?) \((?P<part>[^()]+)\)$")
_FORMULA_ESCAPE = re.compile(r"^'(?=[=+\-@\t\r])")


def parse_nextcloud(data: bytes, file_format: str = NEXTCLOUD_CSV) -> ParsedAnswers:
    """Nextcloud Forms export (CSV, ODS or XLSX).

    Row 1: « User ID », « User display name », « Timestamp » (newer versions
    start with « Submission ID » and add a hidden row 2 of column ids), then
    one column per question titled with its text; options of a multiple
    choice are joined with « ; »; grid rows are « Question (Row) ».
    """
    if file_format == NEXTCLOUD_XLSX:
        records = read_xlsx(data)
    elif file_format == NEXTCLOUD_ODS:
        records = read_ods(data)
    else:
        records = read_delimited(decode_text(data))
    _require_rows(records, "une ligne d'en-têtes")
    header_line, headings = records[0]
    data_records = records[1:]
    ids_row: list[str] = []
    if data_records and data_records[0][1] and data_records[0][1][0].strip() in ("submission_id", "user_id"):
        ids_row = data_records[0][1]
        data_records = data_records[1:]
    columns = []
    for index, heading in enumerate(headings):
        heading = heading.strip()
        column_id = ids_row[index].strip() if index < len(ids_row) else ""
        meta = NEXTCLOUD_IDS.get(column_id) or NEXTCLOUD_META.get(heading.lower())
        if meta and (column_id or index < 4):
            columns.append(SourceColumn(index, heading, heading, kind=META, meta=meta))
            continue
        grid = _NEXTCLOUD_GRID.match(heading)
        if grid and (not column_id or column_id.count("-") >= 3):
            # « Question (Row) » is a grid row; a plain question may also end
            # with parentheses, so the mapping step also tries the whole heading.
            columns.append(SourceColumn(index, heading, grid.group("question"), grid.group("part"), kind=PART))
        else:
            columns.append(SourceColumn(index, heading, heading))
    _check_headings(columns, header_line)
    cleaned = [(line, [_FORMULA_ESCAPE.sub("", cell) for cell in cells]) for line, cells in data_records]
    if file_format != NEXTCLOUD_CSV:
        # A spreadsheet row simply ends at its last filled cell.
        cleaned = [(line, cells + [""] * (len(columns) - len(cells))) for line, cells in cleaned]
    rows = _build_rows(cleaned, columns)
    return ParsedAnswers(file_format, columns, rows, header_line=header_line, separators=("; ",))


# --------------------------------------------------------------------------- Google Forms


GOOGLE_TIMESTAMPS = {"timestamp", "horodateur", "horodatage", "marca temporal", "zeitstempel", "informazioni cronologiche"}
GOOGLE_META = {"email address": "email", "adresse e-mail": "email", "adresse e‑mail": "email",
               "score": "score", "total score": "score", "note": "score", "nom d'utilisateur": "email",
               "username": "email"}
_GOOGLE_GRID = re.compile(r"^(?P<question>.+?) \[(?P<part>[^\[\]]+)\]$")


def parse_google_forms(data: bytes) -> ParsedAnswers:
    """Google Forms 'Download responses (.csv)'.

    Timestamp first (« Horodateur » in French), then one column per
    question titled with its text; grids give one column per row,
    « Question [Row] »; options of a checkbox question are joined with
    « , » (or « ; »).
    """
    records = read_delimited(decode_text(data))
    _require_rows(records, "une ligne d'en-têtes")
    header_line, headings = records[0]
    columns = []
    for index, heading in enumerate(headings):
        heading = heading.strip()
        lowered = heading.lower()
        if index == 0 and lowered in GOOGLE_TIMESTAMPS:
            columns.append(SourceColumn(index, heading, heading, kind=META, meta="timestamp"))
        elif index <= 2 and lowered in GOOGLE_META:
            columns.append(SourceColumn(index, heading, heading, kind=META, meta=GOOGLE_META[lowered]))
        elif (grid := _GOOGLE_GRID.match(heading)):
            columns.append(SourceColumn(index, heading, grid.group("question"), grid.group("part"), kind=PART))
        else:
            columns.append(SourceColumn(index, heading, heading))
    _check_headings(columns, header_line)
    rows = _build_rows(records[1:], columns)
    return ParsedAnswers(GOOGLE_FORMS_CSV, columns, rows, header_line=header_line, separators=(";", ", ", ","))


# --------------------------------------------------------------------------- detection


def detect_format(filename: str, data: bytes) -> str:
    """Name of the format of an uploaded file (see the ``*_CSV`` constants).

    Looks at the content first (spreadsheet container, XML root, header
    rows), the file name extension only to break ties.
    """
    name = (filename or "").lower()
    if data[:2] == b"PK":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype").decode("ascii", "replace") if "mimetype" in names else ""
        except zipfile.BadZipFile as error:
            raise InteropError("archive (XLSX/ODS) endommagée ou tronquée") from error
        if "opendocument.spreadsheet" in mimetype:
            return NEXTCLOUD_ODS
        if any(n.startswith("xl/") for n in names):
            return NEXTCLOUD_XLSX
        raise InteropError("fichier compressé qui n'est ni un classeur XLSX ni un classeur ODS")
    head = data[:4096]
    if b"<LimeSurveyDocType>" in head or (name.endswith(".lss") and head.lstrip().startswith(b"<?xml")):
        return LIMESURVEY_LSS
    text = decode_text(data[:65536] if len(data) <= 65536 else _cut_at_line(data[:65536]))
    first_line = text.split("\n", 1)[0].strip("\r")
    if first_line.startswith("class\ttype/scale"):
        return LIMESURVEY_TXT
    delimiter = sniff_delimiter(max(text.split("\n", 3)[:3], key=len))
    try:
        records = read_delimited_keep_blank(text, delimiter)[:3]
    except InteropError:
        records = []
    cells = [[c.strip().lower() for c in record] for _, record in records]
    first = cells[0] if cells else []
    if len(cells) >= 3 and (
        (cells[1] and cells[1][0] in FRAMAFORMS_DETAILS)
        or (cells[2] and cells[2][0] in FRAMAFORMS_META and "sid" in cells[2])
    ):
        return FRAMAFORMS
    if first and first[0] in GOOGLE_TIMESTAMPS:
        return GOOGLE_FORMS_CSV
    if first and (first[0] in ("submission id", "id de soumission", "user id", "id utilisateur")
                  or (len(first) > 2 and first[2] in ("timestamp", "horodatage") and first[0] in NEXTCLOUD_META)):
        return NEXTCLOUD_CSV
    if first and (first[0] in ("id", "response id") and any(c in LIMESURVEY_META for c in first[1:4])
                  or any(_LS_HEADING.match(c) for c in first)):
        return LIMESURVEY_CSV
    if name.endswith(".tsv") or delimiter == "\t":
        return FRAMAFORMS
    raise InteropError(
        "format de fichier non reconnu (attendu : réponses LimeSurvey, export Framaforms, "
        "Nextcloud Forms ou Google Forms) ; choisissez le format explicitement",
        line=1,
    )


def _cut_at_line(data: bytes) -> bytes:
    cut = data.rfind(b"\n")
    return data[: cut + 1] if cut > 0 else data


def parse_answers(data: bytes, file_format: str | None = None, filename: str = "") -> ParsedAnswers:
    """Parse an answer file, detecting its format when not given."""
    file_format = file_format or detect_format(filename, data)
    if file_format == LIMESURVEY_CSV:
        return parse_limesurvey_csv(data)
    if file_format == FRAMAFORMS:
        return parse_framaforms(data)
    if file_format in (NEXTCLOUD_CSV, NEXTCLOUD_ODS, NEXTCLOUD_XLSX):
        return parse_nextcloud(data, file_format)
    if file_format == GOOGLE_FORMS_CSV:
        return parse_google_forms(data)
    raise InteropError(f"le format {fr_quote(file_format)} n'est pas un fichier de réponses")
