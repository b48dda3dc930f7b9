"""Read answer files exported by other survey tools into one neutral shape.

Supported: LimeSurvey response CSV (code headings), Framaforms / Drupal 7
Webform export, Nextcloud Forms (CSV, ODS, XLSX) and Google Forms CSV.
Every parser returns :class:`ParsedAnswers`: the columns, described by
question part (a code or a text) and sub-part (an option or a grid row), and
the data rows with the line number they start on in the file, so that every
later problem can name its line and its column.

A file that cannot be read at all raises :class:`InteropError` (French
message with line and column); nothing is returned half-read. Files are read
by the one table reader, ``bilan.interop.tabular`` (encoding, delimiter,
XLSX and ODS cells, reading limits); this module only knows each tool's
layout.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bilan.french import NBSP
from bilan.interop.tabular import (
    TableError,
    decode_text,
    open_archive,
    read_rows,
    sniff_delimiter,
)

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


# A file that cannot be imported; nothing from it is kept. The one error of the file
# readers (``line``, ``column``, ``problems``, see TableError), under the name the
# answer imports and their callers know: an error of the reader needs no translating.
InteropError = TableError

# Comma first when a header line splits as well on two of them (and when it splits on
# none): Google Forms and Nextcloud export commas. The roster prefers « ; » (French Excel).
ANSWER_DELIMITERS = (",", ";", "\t")


def _read(data: bytes, file_format: str = "csv", *, delimiter: str | None = None,
          header_lines: int = 1) -> list[tuple[int, list[str]]]:
    """The non-blank rows of an answer file, with their line numbers.

    Text must be UTF-8 (or UTF-16 with BOM): a guessed encoding would
    silently corrupt the accents of the answers, so it is refused instead.
    """
    return read_rows(data, file_format=file_format, delimiter=delimiter, delimiters=ANSWER_DELIMITERS,
                     header_lines=header_lines, guess_encoding=False).rows


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


def _read_one_heading_row(
    data: bytes, column: Callable[[int, str], SourceColumn]
) -> tuple[int, list[SourceColumn], list[SourceRow]]:
    """A CSV whose first row holds the headings: ``column(index, heading)`` makes each (stripped) one a column.

    Returns the line of the headings, the columns and the rows, all checked.
    """
    records = _read(data)
    _require_rows(records, "une ligne d'en-têtes")
    header_line, headings = records[0]
    columns = [column(index, heading.strip()) for index, heading in enumerate(headings)]
    _check_headings(columns, header_line)
    return header_line, columns, _build_rows(records[1:], columns)


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
    header_line, columns, rows = _read_one_heading_row(data, _limesurvey_column)
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


def _limesurvey_column(index: int, heading: str) -> SourceColumn:
    lowered = heading.lower()
    if lowered in LIMESURVEY_META or (lowered.endswith("time") and lowered.startswith("interview")):
        return SourceColumn(index, heading, heading, kind=META, meta=LIMESURVEY_META.get(lowered, lowered))
    match = _LS_HEADING.match(heading)
    if not match:
        return SourceColumn(index, heading, heading)
    part = match.group("part")
    if match.group("scale"):
        part = f"{part}#{match.group('scale')}"
    return SourceColumn(index, heading, match.group("question").strip(), part, kind=PART)


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
FRAMAFORMS_DETAILS = {"submission details", "détails de la soumission", "submission_details",
                      "détails de la contribution"}


def parse_framaforms(data: bytes, delimiter: str | None = None) -> ParsedAnswers:
    """Framaforms (Drupal 7 Webform) 'Téléchargement' export.

    Three header rows: (1) form title then empty cells, (2) « Submission
    Details » then, above the first column of each multi-column question,
    its name, (3) the submission fields (Serial, SID, Time, Draft, IP
    Address, UID, Username) then one heading per column: the question name,
    or an option label (multiple choice, « X » when ticked) or a grid row.
    Tab separated by default; any delimiter is detected.
    """
    records = _read(data, delimiter=delimiter, header_lines=3)
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
    records = _read(data, {NEXTCLOUD_XLSX: "xlsx", NEXTCLOUD_ODS: "ods"}.get(file_format, "csv"))
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


GOOGLE_TIMESTAMPS = {"timestamp", "horodateur", "horodatage", "marca temporal", "zeitstempel",
                     "informazioni cronologiche"}
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
    header_line, columns, rows = _read_one_heading_row(data, _google_column)
    return ParsedAnswers(GOOGLE_FORMS_CSV, columns, rows, header_line=header_line, separators=(";", ", ", ","))


def _google_column(index: int, heading: str) -> SourceColumn:
    lowered = heading.lower()
    if index == 0 and lowered in GOOGLE_TIMESTAMPS:
        return SourceColumn(index, heading, heading, kind=META, meta="timestamp")
    if index <= 2 and lowered in GOOGLE_META:
        return SourceColumn(index, heading, heading, kind=META, meta=GOOGLE_META[lowered])
    grid = _GOOGLE_GRID.match(heading)
    if grid:
        return SourceColumn(index, heading, grid.group("question"), grid.group("part"), kind=PART)
    return SourceColumn(index, heading, heading)


# --------------------------------------------------------------------------- detection


def detect_format(filename: str, data: bytes) -> str:
    """Name of the format of an uploaded file (see the ``*_CSV`` constants).

    Looks at the content first (spreadsheet container, XML root, header
    rows), the file name extension only to break ties.
    """
    name = (filename or "").lower()
    if data[:2] == b"PK":
        try:
            # Opened by the table reader: a bomb or a damaged archive is refused before any look inside.
            with open_archive(data, "XLSX/ODS") as archive:
                names = set(archive.namelist())
                mimetype = ""
                if "mimetype" in names:
                    # A few bytes are enough: the member itself could be a bomb.
                    with archive.open("mimetype") as member:
                        mimetype = member.read(200).decode("ascii", "replace")
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise InteropError("archive (XLSX/ODS) endommagée ou tronquée") from error
        if "opendocument.spreadsheet" in mimetype:
            return NEXTCLOUD_ODS
        if any(n.startswith("xl/") for n in names):
            return NEXTCLOUD_XLSX
        raise InteropError("fichier compressé qui n'est ni un classeur XLSX ni un classeur ODS")
    head = data[:4096]
    if b"<LimeSurveyDocType>" in head or (name.endswith(".lss") and head.lstrip().startswith(b"<?xml")):
        return LIMESURVEY_LSS
    sample = data[:65536] if len(data) <= 65536 else _cut_at_line(data[:65536])
    text, _, _ = decode_text(sample, guess_encoding=False)
    first_line = text.split("\n", 1)[0].strip("\r")
    if first_line.startswith("class\ttype/scale"):
        return LIMESURVEY_TXT
    delimiter = sniff_delimiter(text, ANSWER_DELIMITERS, header_lines=3)
    try:
        records = _read(sample, delimiter=delimiter)[:3]
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
    if first and ((first[0] in ("id", "response id") and any(c in LIMESURVEY_META for c in first[1:4]))
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
