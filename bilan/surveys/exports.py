"""Raw answers of a campaign: one row per response, one column per question code, and a codebook.

Formats: CSV (UTF-8 with BOM, semicolons: what a French spreadsheet opens by
double-click; one table, its codebook in a second CSV), XLSX and ODS (sheets
« Réponses » and « Codes »), JSON. Values are the stored codes; the codebook
sheet gives every code's label. Personal data (referent, e-mail, school) is
added only when asked for, and never for an anonymous campaign: the caller
decides who may ask (:func:`may_see_personal_data`).

Only sent answers are exported (drafts are unfinished work, left out as in
the results). Spreadsheet columns: ``CODE`` for single choice, yes/no, scale, number and
text; a multiple choice is one ``CODE`` column with the chosen codes joined by
`` ; ``; a grid is one ``CODE[row]`` column per row (the LimeSurvey layout);
the free text of an « Autre » option is in ``CODE.other``.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from bilan.analysis.table import JsonAnswerDecoder
from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.interop.spreadsheets import FORMATS as SHEET_FORMATS
from bilan.interop.spreadsheets import (
    FORMULA_STARTS,
    Sheet,
    csv_decimal,
    csv_table,
    sheets_filename,
    stream_sheets,
    write_sheets,
)
from bilan.questionnaire.schema import Question, Questionnaire, QuestionType, other_key
from bilan.surveys.answer_store import EXPORT_CHUNK, chunks, submitted
from bilan.surveys.models import Campaign, ResponseStatus

EXPORT_FORMATS = ("csv", "xlsx", "ods", "json")
MULTIPLE_SEPARATOR = " ; "
STRATA_HEADER = ["réponse", "état", "envoyée le", "type d'établissement", "département"]
PERSONAL_HEADER = ["nom", "prénom", "courriel", "UAI", "établissement"]
TYPE_NAMES_FR = {
    QuestionType.SINGLE: "choix unique", QuestionType.MULTIPLE: "choix multiple", QuestionType.YESNO: "oui/non",
    QuestionType.GRID: "tableau", QuestionType.SCALE: "échelle", QuestionType.NUMBER: "nombre",
    QuestionType.TEXT: "texte", QuestionType.LONGTEXT: "texte long",
}
CODEBOOK_HEADER = ["colonne", "question", "section", "type", "intitulé", "ligne", "code", "libellé"]


def may_see_personal_data(user, campaign: Campaign) -> bool:
    """Pilots of the campaign's académie, and only for a named (not anonymous) campaign."""
    return not campaign.anonymous and has_role(user, campaign.academie_id, Role.PILOT)


def answer_columns(schema: Questionnaire) -> list[tuple[str, Question, str]]:
    """(column heading, question, part) for every answer column, in questionnaire order."""
    columns = []
    for question in schema.questions:
        if question.type is QuestionType.GRID:
            columns.extend((f"{question.code}[{row.code}]", question, row.code) for row in question.rows)
        else:
            columns.append((question.code, question, ""))
        if question.other:
            columns.append((other_key(question.code), question, "other"))
    return columns


def _cell(answers: dict[str, Any], question: Question, part: str) -> Any:
    if part == "other":
        return answers.get(other_key(question.code), "")
    value = answers.get(question.code)
    if value is None:
        return ""
    if question.type is QuestionType.GRID:
        return value.get(part, "") if isinstance(value, dict) else ""
    if question.type is QuestionType.MULTIPLE:
        return MULTIPLE_SEPARATOR.join(value)
    return value


def codebook_rows(schema: Questionnaire) -> list[list[Any]]:
    """One row per column and value: what each code of the export means."""
    rows = []
    section_of = {q.code: s.code for s in schema.sections for q in s.questions}
    for heading, question, part in answer_columns(schema):
        head = [heading, question.code, section_of[question.code], TYPE_NAMES_FR[question.type], question.text]
        if part == "other":
            rows.append([*head, "", "", f"précision de « {question.other_label} » (texte libre)"])
        elif question.type is QuestionType.GRID:
            label = next(r.label for r in question.rows if r.code == part)
            rows.extend([*head, label, c.code, c.label] for c in question.columns)
        elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YESNO):
            rows.extend([*head, "", c.code, c.label] for c in question.all_choices)
        elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
            bounds = f"de {question.min if question.min is not None else '…'} à " \
                     f"{question.max if question.max is not None else '…'}"
            rows.append([*head, "", "", f"nombre {bounds}"])
        else:
            rows.append([*head, "", "", "texte libre"])
    return rows


PERSONAL_FIELDS = ("invitation_id", "invitation__referent__last_name", "invitation__referent__first_name",
                   "invitation__referent__email", "invitation__school__uai", "invitation__school__name")
RESPONSE_FIELDS = ("status", "submitted_on", "school_type", "departement_code")


def _sent_chunks(campaign: Campaign, personal: bool) -> Iterator[list[tuple[Any, ...]]]:
    """Chunks of ``(pk, answers as JSON text, status, submitted_on, school_type, departement_code[, invitation
    id and person])`` of the sent responses, by primary key, from the answer store.

    Sent answers only: a draft is the respondent's unfinished work, as in the results."""
    fields = RESPONSE_FIELDS + (PERSONAL_FIELDS if personal else ())
    return chunks(submitted(campaign), fields, size=EXPORT_CHUNK)


def _decoded(chunk: list[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    for pk, text, *rest in chunk:
        answers = json.loads(text) if text else {}
        yield (pk, answers if isinstance(answers, dict) else {}, *rest)


def _sent_rows(campaign: Campaign, personal: bool) -> Iterator[tuple[Any, ...]]:
    """The rows of :func:`_sent_chunks` one by one, the answers decoded."""
    for chunk in _sent_chunks(campaign, personal):
        yield from _decoded(chunk)


def _person(values: Sequence[Any]) -> list[str]:
    """Name, e-mail and school of the invitation; blank for a response without one (an import)."""
    invitation_id, *person = values
    return [value or "" for value in person] if invitation_id else [""] * len(PERSONAL_HEADER)


class _AnswerRows:
    """The rows of the « Réponses » sheet: header, then one row per sent response."""

    def __init__(self, campaign: Campaign, personal: bool):
        self.campaign = campaign
        self.personal = personal and not campaign.anonymous
        self.schema = campaign.questionnaire.schema
        self.columns = answer_columns(self.schema)
        self.header = (STRATA_HEADER + (PERSONAL_HEADER if self.personal else [])
                       + [heading for heading, _, _ in self.columns])
        self.statuses = dict(ResponseStatus.choices)

    def row(self, pk, answers, status, submitted_on, school_type, departement, *person) -> list[Any]:
        row = [pk, self.statuses.get(status, status), submitted_on.isoformat() if submitted_on else "", school_type,
               departement]
        if self.personal:
            row += _person(person)
        row += [_cell(answers, question, part) for _, question, part in self.columns]
        return row

    def __iter__(self) -> Iterator[list[Any]]:
        for values in _sent_rows(self.campaign, self.personal):
            yield self.row(*values)

    def csv_pieces(self) -> Iterator[bytes]:
        """The CSV file (BOM, header, rows), each chunk of responses written by column with polars:
        the same bytes as :func:`bilan.interop.spreadsheets.csv_table` on the rows, which writes the
        chunks whose answers do not have the usual shape (:class:`_CsvChunkWriter`)."""
        yield "\ufeff".encode()
        yield csv_table([self.header]).encode("utf-8")
        writer = _CsvChunkWriter(self)
        for chunk in _sent_chunks(self.campaign, self.personal):
            piece = writer.write(chunk)
            yield piece if piece is not None else csv_table(self.row(*values) for values in _decoded(chunk)) \
                .encode("utf-8")


def _csv_number(value: float) -> str:
    # csv_table writes an integer as is and a float with csv_decimal: the same text for a whole number.
    return csv_decimal(value)


class _CsvChunkWriter:
    """One chunk of responses to CSV by column (polars): decoded in one pass, each column built and
    neutralised as a whole (:func:`bilan.interop.spreadsheets.csv_text`), written by polars.

    Polars reads a few shapes differently from ``json.loads`` (a number where a text is expected, a
    multiple choice given as one string, a grid cell that is not a string…): the answer store's decoder
    recognises those chunks (:class:`JsonAnswerDecoder`) and :meth:`write` answers None for them."""

    def __init__(self, rows: _AnswerRows):
        self.rows = rows
        schema = rows.schema
        self.decoder = JsonAnswerDecoder(schema)
        multiples = [q.code for q in schema.questions if q.type is QuestionType.MULTIPLE]
        others = [other_key(q.code) for q in schema.questions if q.other]
        odd = []
        if multiples:  # a list is expected: json.loads keeps a string, which the export writes letter by letter
            odd.append(rf'"(?:{"|".join(re.escape(c) for c in multiples)})"\s*:\s*[^\s\[n]')
        if others:
            odd.append(rf'"(?:{"|".join(re.escape(c) for c in others)})"\s*:\s*[^\s"n]')
        self.odd = "|".join(odd) or None
        self.fields = {field.name: field.dtype for field in self.decoder.dtype.fields}
        self.fields.update(dict.fromkeys(others, pl.String))

    def write(self, chunk: list[tuple[Any, ...]]) -> bytes | None:
        pks, texts, statuses, submitted_on, school_types, departements, *person = zip(*chunk, strict=True)
        texts = pl.Series("answers", texts, dtype=pl.String).fill_null("{}")
        if not self.decoder.plain(texts) or (self.odd and texts.str.contains(self.odd).any()):
            return None
        try:
            decoded = self.decoder.read(texts, self.fields)
        except (pl.exceptions.PolarsError, ValueError):
            return None
        rows = self.rows
        texts_out: list[pl.Series] = [
            pl.Series(STRATA_HEADER[1], [rows.statuses.get(s, s) for s in statuses], dtype=pl.String),
            pl.Series(STRATA_HEADER[2], [d.isoformat() if d else "" for d in submitted_on], dtype=pl.String),
            pl.Series(STRATA_HEADER[3], school_types, dtype=pl.String),
            pl.Series(STRATA_HEADER[4], departements, dtype=pl.String),
        ]
        if rows.personal:
            people = [_person(values) for values in zip(*person, strict=True)]
            texts_out += [pl.Series(heading, [p[i] for p in people], dtype=pl.String)
                          for i, heading in enumerate(PERSONAL_HEADER)]
        numbers: dict[str, pl.Series] = {}
        for index, (_, question, part) in enumerate(rows.columns):
            name = f"c{index}"
            if part == "other":
                texts_out.append(decoded.get_column(other_key(question.code)).alias(name))
            elif question.type is QuestionType.GRID:
                texts_out.append(decoded.get_column(question.code).struct.field(part).alias(name))
            elif question.type is QuestionType.MULTIPLE:
                texts_out.append(decoded.get_column(question.code).list.join(MULTIPLE_SEPARATOR).alias(name))
            elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
                numbers[name] = decoded.get_column(question.code).map_elements(
                    _csv_number, return_dtype=pl.String, skip_nulls=True).alias(name)
            else:
                texts_out.append(decoded.get_column(question.code).alias(name))
        frame = pl.DataFrame([pl.Series("pk", pks, dtype=pl.Int64).cast(pl.String), *texts_out, *numbers.values()])
        neutral = [series.name for series in texts_out]
        frame = frame.with_columns(_neutralised(name) for name in neutral)
        order = ["pk", *STRATA_HEADER[1:], *(PERSONAL_HEADER if rows.personal else []),
                 *(f"c{i}" for i in range(len(rows.columns)))]
        # csv.writer writes an empty text as nothing, polars as "": empty texts become nulls.
        frame = frame.select(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in order)
        buffer = io.BytesIO()
        frame.write_csv(buffer, separator=";", include_header=False, line_terminator="\r\n",
                        quote_style="necessary")
        return buffer.getvalue()


def _neutralised(name: str) -> pl.Expr:
    """:func:`bilan.interop.spreadsheets.csv_text` on a whole column: a leading apostrophe on a text a
    spreadsheet would run as a formula."""
    column = pl.col(name)
    starts = pl.any_horizontal([column.str.starts_with(start) for start in FORMULA_STARTS])
    return pl.when(starts).then(pl.lit("'") + column).otherwise(column).alias(name)


def answer_sheets(campaign: Campaign, *, personal: bool = False) -> list[Sheet]:
    """The « Réponses » sheet (its rows an iterable reading the database by chunks) and the « Codes »
    sheet (codebook)."""
    rows = _AnswerRows(campaign, personal)
    return [Sheet("Réponses", rows.header, rows), Sheet("Codes", CODEBOOK_HEADER, codebook_rows(rows.schema))]


# Where the responses go in the JSON document, written one by one (never all in memory).
_RESPONSES_MARK = "\x00bilan-responses\x00"


def stream_answers_document(campaign: Campaign, *, personal: bool = False) -> Iterator[str]:
    """The JSON export, piece by piece: answers as stored (lists, grids as objects) and the codebook.

    The same text as ``json.dumps(document, ensure_ascii=False, indent=1)``: each response is dumped
    alone and indented to its depth in the document."""
    personal = personal and not campaign.anonymous
    schema = campaign.questionnaire.schema
    codebook = [dict(zip(("column", "question", "section", "type", "text", "row", "code", "label"), row, strict=True))
                for row in codebook_rows(schema)]
    document = {"format": "bilan-answers/1", "campaign": campaign.slug, "school_year": campaign.school_year,
                "questionnaire_code": schema.code, "questionnaire_version": schema.version,
                "personal_data": personal, "responses": [_RESPONSES_MARK], "codebook": codebook}
    entries = _response_entries(campaign, personal)
    first = next(entries, None)
    if first is None:
        document["responses"] = []
        yield json.dumps(document, ensure_ascii=False, indent=1)
        return
    text = json.dumps(document, ensure_ascii=False, indent=1)
    mark = json.dumps(_RESPONSES_MARK)
    before, after = text.split(f"  {mark}", 1)
    yield before
    depth = "  "  # a response sits two levels down: document, then the list
    batch: list[str] = []
    for entry in itertools.chain([first], entries):
        batch.append(depth + json.dumps(entry, ensure_ascii=False, indent=1).replace("\n", "\n" + depth))
        if len(batch) >= 500:
            yield ",\n".join(batch) + ",\n"
            batch = []
    yield ",\n".join(batch)
    yield after


def _response_entries(campaign: Campaign, personal: bool) -> Iterator[dict[str, Any]]:
    for pk, answers, status, submitted_on, school_type, departement, *person in _sent_rows(campaign, personal):
        entry: dict[str, Any] = {
            "id": pk, "status": status, "submitted_on": submitted_on.isoformat() if submitted_on else None,
            "school_type": school_type, "departement_code": departement,
        }
        if personal:
            entry["person"] = dict(zip(("last_name", "first_name", "email", "uai", "school"), _person(person),
                                       strict=True)) if person[0] else None
        entry["answers"] = answers
        yield entry


def answers_document(campaign: Campaign, *, personal: bool = False) -> dict[str, Any]:
    """The JSON export as one object (small campaigns, tests): see :func:`stream_answers_document`."""
    return json.loads("".join(stream_answers_document(campaign, personal=personal)))


@dataclass
class Download:
    """An export ready to be written or served: its name, type and content as pieces of bytes."""

    filename: str
    mimetype: str
    pieces: Iterator[bytes]

    def read(self) -> bytes:
        return b"".join(self.pieces)


def stream_answers(campaign: Campaign, fmt: str, *, personal: bool = False) -> Download:
    """The raw answers in ``fmt`` (csv, xlsx, ods or json), written as they are read from the database:
    memory does not grow with the number of answers."""
    basename = f"reponses-{campaign.slug}"
    if fmt == "json":
        pieces = (piece.encode("utf-8") for piece in stream_answers_document(campaign, personal=personal))
        return Download(f"{basename}.json", "application/json", pieces)
    if fmt not in SHEET_FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : {', '.join(EXPORT_FORMATS)})")
    if fmt == "csv":
        # A CSV is one table: the codebook goes in its own file (export_codebook).
        return Download(sheets_filename(basename, fmt), SHEET_FORMATS[fmt],
                        _AnswerRows(campaign, personal).csv_pieces())
    return Download(sheets_filename(basename, fmt), SHEET_FORMATS[fmt],
                    stream_sheets(answer_sheets(campaign, personal=personal), fmt))


def export_answers(campaign: Campaign, fmt: str, *, personal: bool = False) -> tuple[str, str, bytes]:
    """``(filename, mimetype, bytes)`` of the raw answers in ``fmt``, whole in memory (small campaigns,
    tests); the download and ``bilan export`` use :func:`stream_answers`."""
    download = stream_answers(campaign, fmt, personal=personal)
    return download.filename, download.mimetype, download.read()


def export_codebook(campaign: Campaign) -> tuple[str, str, bytes]:
    """The codebook alone, as CSV: companion of the CSV export."""
    schema = campaign.questionnaire.schema
    return write_sheets(f"codes-{campaign.slug}", [Sheet("Codes", CODEBOOK_HEADER, codebook_rows(schema))], "csv")
