"""Answers in columnar form, ready for the analysis engine.

One row per response. Each question becomes one or more typed columns
(never Python objects), so that 10^6 answers are counted by the columnar
engine and never walked dict by dict more than once:

=============  ==============================  ===============================
type           column(s)                       value
=============  ==============================  ===============================
single, yesno  ``CODE``                        index of the choice in
                                               ``question.choice_codes``
                                               (``other`` included), null when
                                               unanswered
multiple       ``CODE|option`` per option      ``True``/``False``; null in every
                                               option column when unanswered
grid           ``CODE|row`` per row            index of the column in
                                               ``question.columns``, null when
                                               the row is unanswered
scale          ``CODE``                        integer value, null when
                                               unanswered
number         ``CODE``                        float value, null when unanswered
text/longtext  ``CODE``                        the stripped text (null when
                                               empty) or, to save memory, a
                                               boolean "has text"
=============  ==============================  ===============================

The strata of each response are encoded as small integers (``_st`` for the
school type, ``_dep`` for the département) with their labels kept in
:attr:`AnswerTable.school_types` and :attr:`AnswerTable.departements`.
"""

from __future__ import annotations

import io
import json
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import polars as pl

from bilan.questionnaire.schema import Question, Questionnaire, QuestionType
from bilan.vocabularies import SCHOOL_TYPE_CODES as SCHOOL_TYPES
from bilan.vocabularies import UNKNOWN as UNKNOWN_STRATUM

SCHOOL_TYPE_COLUMN = "_st"
DEPARTEMENT_COLUMN = "_dep"
STRATA_KEYS = ("school_type", "departement_code")


class AnalysisError(ValueError):
    """Answers or parameters the engine cannot use; the message is in French."""


def column_name(question_code: str, part: str | None = None) -> str:
    """Name of the column holding a question's answers (``part``: option or grid row)."""
    return f"{question_code}|{part}" if part is not None else question_code


def answer_columns(question: Question) -> list[str]:
    """The columns that hold the answers to ``question``, in questionnaire order."""
    if question.type is QuestionType.MULTIPLE:
        return [column_name(question.code, code) for code in question.choice_codes]
    if question.type is QuestionType.GRID:
        return [column_name(question.code, row.code) for row in question.rows]
    return [question.code]


def _index_dtype(size: int) -> pl.DataType:
    return pl.UInt8 if size < 255 else pl.UInt16


def _stratum_levels(values: Iterable[str], preferred: Sequence[str] = ()) -> tuple[str, ...]:
    present = set(values)
    ordered = [level for level in preferred if level in present]
    ordered += sorted(present - set(ordered))
    return tuple(ordered)


def _stratum_value(value: Any) -> str:
    if value is None:
        return UNKNOWN_STRATUM
    text = str(value).strip()
    return text or UNKNOWN_STRATUM


@dataclass(frozen=True)
class AnswerTable:
    """The responses of one campaign, one row each, in the layout described above."""

    frame: pl.DataFrame
    school_types: tuple[str, ...]
    departements: tuple[str, ...]
    # Who answered, one key per row (null: unknown), only for named campaigns: the engine pairs the
    # respondents of two years on it (year-over-year tests). Never set for an anonymous campaign.
    respondent_keys: pl.Series | None = None

    @property
    def n(self) -> int:
        return self.frame.height

    def with_respondent_keys(self, keys: Sequence[Any] | pl.Series | None) -> AnswerTable:
        """This table with one respondent key per row (null for an unknown respondent): whole numbers
        (a referent's id) are kept as integers, anything else as text."""
        if keys is None:
            return replace(self, respondent_keys=None)
        series = _key_series([keys if isinstance(keys, pl.Series) else pl.Series(list(keys), strict=False)])
        if series.len() != self.n:
            raise AnalysisError(f"{series.len()} clés de répondant pour {self.n} réponses")
        known = series.drop_nulls()
        if known.n_unique() != known.len():
            raise AnalysisError("clé de répondant en double : « " + str(known.filter(known.is_duplicated())[0]) + " »")
        return replace(self, respondent_keys=series)

    # ------------------------------------------------------------------ records
    @classmethod
    def from_records(cls, questionnaire: Questionnaire, records: Iterable[Mapping[str, Any]], *,
                     respondent_keys: Sequence[Any] | None = None) -> AnswerTable:
        """Build the table from ``{"answers": {...}, "school_type": ..., "departement_code": ...}``.

        The reference decoder, value by value in Python: the tests of the pure
        core build tables with it, and :meth:`from_json_chunks` falls back on it
        for the exact message when a chunk of stored answers does not have the
        expected shape. Readers of stored answers go through
        ``bilan.surveys.answer_store`` (``tests/test_answer_store.py`` checks it).

        Values follow ``bilan.questionnaire.schema``. Keys of unknown questions
        and the ``CODE.other`` free texts are ignored; an unknown choice code
        or a value of the wrong kind raises :class:`AnalysisError` naming the
        response (1-based) and the question. ``respondent_keys``: see
        :meth:`with_respondent_keys`.
        """
        frame, school_types, departements = _records_frame(questionnaire, records)
        table = cls._with_strata(frame, school_types, departements)
        return table.with_respondent_keys(respondent_keys) if respondent_keys is not None else table

    # ------------------------------------------------------------------ JSON texts
    @classmethod
    def from_json_lines(cls, questionnaire: Questionnaire, answers: Sequence[str | None] | pl.Series,
                        school_types: Sequence[str | None] | pl.Series,
                        departements: Sequence[str | None] | pl.Series, *, keep_texts: bool = True) -> AnswerTable:
        """Build the table from the answers as JSON texts (one object per response, as stored).

        Same values, same table and same errors as :meth:`from_records`, but
        decoded by column (polars ``str.json_decode``), never value by value.
        ``keep_texts=False`` stores free-text answers as booleans "has text"
        (what the engine counts), except those a condition compares.
        """
        return cls.from_json_chunks(questionnaire, [(answers, school_types, departements)], keep_texts=keep_texts)

    @classmethod
    def from_json_chunks(cls, questionnaire: Questionnaire,
                         chunks: Iterable[tuple[Sequence[str | None] | pl.Series, Sequence[str | None] | pl.Series,
                                                Sequence[str | None] | pl.Series]],
                         *, keep_texts: bool = True) -> AnswerTable:
        """:meth:`from_json_lines` over chunks ``(answers, school_types, departements)``, decoded one by
        one, so that the JSON texts of only one chunk are ever in memory; responses are numbered across
        chunks in the error messages. A chunk may carry a fourth item, its respondent keys (see
        :meth:`with_respondent_keys`)."""
        decoder = JsonAnswerDecoder(questionnaire, keep_texts=keep_texts)
        frames, school_types, departements, keys = [], [], [], []
        keyed = False
        # Polars works outside the GIL: one chunk is decoded while the next is read from the
        # database, and no more than two chunks of texts are held at once.
        pending: deque[Future] = deque()
        first_number = 1
        with ThreadPoolExecutor(max_workers=2) as pool:
            for answers, chunk_school_types, chunk_departements, *chunk_keys in chunks:
                keyed = keyed or bool(chunk_keys)
                keys.append(pl.Series(chunk_keys[0] if chunk_keys else [None] * len(answers), strict=False))
                if len(pending) >= 2:
                    frames.append(pending.popleft().result())
                pending.append(pool.submit(decoder.decode, answers, first_number))
                first_number += len(answers)
                school_types.append(pl.Series("school_type", chunk_school_types, dtype=pl.String))
                departements.append(pl.Series("departement_code", chunk_departements, dtype=pl.String))
            frames.extend(future.result() for future in pending)
        if not frames:
            frames = [decoder.decode(pl.Series([], dtype=pl.String))]
            school_types = [pl.Series("school_type", [], dtype=pl.String)]
            departements = [pl.Series("departement_code", [], dtype=pl.String)]
        frame = pl.concat(frames, how="vertical", rechunk=True)
        table = cls._with_strata_series(frame, pl.concat(school_types), pl.concat(departements))
        return table.with_respondent_keys(_key_series(keys)) if keyed else table

    # ------------------------------------------------------------------ columns
    @classmethod
    def from_columns(cls, questionnaire: Questionnaire, columns: pl.DataFrame | Mapping[str, Any]) -> AnswerTable:
        """Build the table from whole columns (fast path for imports and benchmarks).

        ``columns`` holds ``school_type`` and ``departement_code`` (strings) and
        one entry per name of :func:`answer_columns`. Choice and grid columns
        take either the choice codes (strings) or their integer index, with
        null or ``-1`` for no answer; multiple choice options take booleans
        (null when the question is unanswered); text takes strings or
        booleans ("has text").
        """
        frame = columns if isinstance(columns, pl.DataFrame) else pl.DataFrame(
            {name: (values if isinstance(values, pl.Series) else pl.Series(name, values))
             for name, values in columns.items()})
        expected = [name for q in questionnaire.questions for name in answer_columns(q)]
        missing = [name for name in (*STRATA_KEYS, *expected) if name not in frame.columns]
        if missing:
            raise AnalysisError("colonnes absentes : " + ", ".join(missing))
        unknown = [name for name in frame.columns if name not in expected and name not in STRATA_KEYS]
        if unknown:
            raise AnalysisError("colonnes inconnues du questionnaire : " + ", ".join(unknown))
        converted = [_convert_column(question, name, frame.get_column(name))
                     for question in questionnaire.questions for name in answer_columns(question)]
        answers = pl.DataFrame(converted) if converted else pl.DataFrame()
        return cls._with_strata_series(answers, frame.get_column("school_type"),
                                       frame.get_column("departement_code"))

    # ------------------------------------------------------------------ strata
    @classmethod
    def _with_strata(cls, frame: pl.DataFrame, school_types: list[str], departements: list[str]) -> AnswerTable:
        st_levels = _stratum_levels(school_types, SCHOOL_TYPES)
        dep_levels = _stratum_levels(departements)
        st_index = {level: i for i, level in enumerate(st_levels)}
        dep_index = {level: i for i, level in enumerate(dep_levels)}
        strata = pl.DataFrame({
            SCHOOL_TYPE_COLUMN: pl.Series([st_index[v] for v in school_types], dtype=pl.UInt16),
            DEPARTEMENT_COLUMN: pl.Series([dep_index[v] for v in departements], dtype=pl.UInt16),
        })
        return cls(pl.concat([strata, frame], how="horizontal") if frame.width else strata,
                   st_levels, dep_levels)

    @classmethod
    def _with_strata_series(cls, frame: pl.DataFrame, school_type: pl.Series,
                            departement: pl.Series) -> AnswerTable:
        def encode(series: pl.Series, preferred: Sequence[str], name: str):
            series = series.cast(pl.String).str.strip_chars().fill_null("")
            series = series.replace("", UNKNOWN_STRATUM)
            levels = _stratum_levels(series.unique().to_list(), preferred)
            codes = series.replace_strict({level: i for i, level in enumerate(levels)},
                                          return_dtype=pl.UInt16).cast(pl.UInt16).alias(name)
            return codes, levels

        st_codes, st_levels = encode(school_type, SCHOOL_TYPES, SCHOOL_TYPE_COLUMN)
        dep_codes, dep_levels = encode(departement, (), DEPARTEMENT_COLUMN)
        strata = pl.DataFrame([st_codes, dep_codes])
        return cls(pl.concat([strata, frame], how="horizontal") if frame.width else strata,
                   tuple(st_levels), tuple(dep_levels))


def _key_series(parts: Sequence[pl.Series]) -> pl.Series:
    """Respondent keys as one column: Int64 when every known key is a whole number (faster to join), else text."""
    typed = [part.dtype for part in parts if part.dtype != pl.Null]
    dtype = pl.Int64 if all(t.is_integer() for t in typed) else pl.String
    return pl.concat([part.cast(dtype) for part in parts]).alias("respondent_key")


def _records_frame(questionnaire: Questionnaire, records: Iterable[Mapping[str, Any]], *,
                   first_number: int = 1) -> tuple[pl.DataFrame, list[str], list[str]]:
    """The answer columns and the strata of ``records``, value by value (the reference decoder)."""
    questions = questionnaire.questions
    data: dict[str, list] = {name: [] for q in questions for name in answer_columns(q)}
    school_types, departements = [], []
    indexes = {q.code: {code: i for i, code in enumerate(q.choice_codes)} for q in questions
               if q.type.is_choice}
    grid_indexes = {q.code: {c.code: i for i, c in enumerate(q.columns)} for q in questions
                    if q.type is QuestionType.GRID}
    for number, record in enumerate(records, start=first_number):
        answers = record.get("answers") or {}
        if not isinstance(answers, Mapping):
            raise AnalysisError(f"réponse n° {number} : les réponses doivent former un dictionnaire")
        school_types.append(_stratum_value(record.get("school_type")))
        departements.append(_stratum_value(record.get("departement_code")))
        for question in questions:
            value = answers.get(question.code)
            try:
                _append_value(question, value, data, indexes, grid_indexes)
            except AnalysisError as error:
                raise AnalysisError(f"réponse n° {number}, question {question.code} : {error}") from None
    schema = {name: _column_dtype(question) for question in questions for name in answer_columns(question)}
    return pl.DataFrame(data, schema=schema), school_types, departements


def _alternation(codes: Iterable[str]) -> str:
    return "|".join(re.escape(code) for code in codes)


_JSON_STRING = r'"(?:[^"\\]|\\.)*"'


class JsonAnswerDecoder:
    """Decodes chunks of answers stored as JSON texts into the table's typed columns, by column.

    Polars decodes each chunk in one pass with a type built from the
    questionnaire; the checks that follow are by column too. Polars is more
    lenient than the reference decoder in a few places (it reads ``5`` as the
    text ``"5"``, ``true`` as ``1``, and drops the unknown rows of a grid), so
    a chunk whose texts could hide such a value (a cheap regular expression
    over the raw texts), that polars cannot decode, or that holds an unknown
    code or an out-of-range value is handed to the reference decoder
    (:func:`_records_frame`), which builds the same table or raises the same
    :class:`AnalysisError`, naming the response and the question. Stored
    answers have been through ``clean_answers``, so that path is the exception.
    """

    def __init__(self, questionnaire: Questionnaire, *, keep_texts: bool = True):
        self.questionnaire = questionnaire
        self.keep_texts = keep_texts
        questions = questionnaire.questions
        compared = {c.question for q in questions for c in q.conditions if c.operator != "answered"}
        self.presence_only = set() if keep_texts else {
            q.code for q in questions if q.type.is_free_text and q.code not in compared}
        fields: dict[str, pl.DataType] = {}
        for q in questions:
            if q.type is QuestionType.MULTIPLE:
                fields[q.code] = pl.List(pl.String)
            elif q.type is QuestionType.GRID:
                fields[q.code] = pl.Struct({row.code: pl.String for row in q.rows})
            elif q.type in (QuestionType.SCALE, QuestionType.NUMBER):
                fields[q.code] = pl.Float64
            else:
                fields[q.code] = pl.String
        self.dtype = pl.Struct(fields)
        # Values polars would read leniently: a non-string where a string is expected, a
        # non-number where a number is, a non-string item of a list, a grid that is not an object.
        strings = [q.code for q in questions if q.type not in (QuestionType.MULTIPLE, QuestionType.GRID,
                                                                QuestionType.SCALE, QuestionType.NUMBER)]
        numbers = [q.code for q in questions if q.type in (QuestionType.SCALE, QuestionType.NUMBER)]
        multiples = [q.code for q in questions if q.type is QuestionType.MULTIPLE]
        grids = [q for q in questions if q.type is QuestionType.GRID]
        patterns = [r'\A\s*[^\s{]']  # answers that are not an object (null and empty texts are read as {})
        if strings:
            patterns.append(rf'"(?:{_alternation(strings)})"\s*:\s*[^\s"n]')
        if numbers:
            patterns.append(rf'"(?:{_alternation(numbers)})"\s*:\s*[^\s\-0-9n]')
        if multiples:
            patterns.append(rf'"(?:{_alternation(multiples)})"\s*:\s*(?:[^\s\["n]|\[\s*(?:{_JSON_STRING}\s*,\s*)*'
                            r'[^\s"\]])')
        if grids:
            patterns.append(rf'"(?:{_alternation(q.code for q in grids)})"\s*:\s*[^\s{{n]')
        self.suspicious = "|".join(f"(?:{p})" for p in patterns)
        # A grid's object must only hold its rows, each a string or null: every grid key is followed by
        # an object (counted) that has that shape (counted again), on each response.
        self.grid_objects = (rf'"(?:{_alternation(q.code for q in grids)})"\s*:\s*\{{' if grids else None)
        self.good_grids = "|".join(
            rf'"{re.escape(q.code)}"\s*:\s*\{{\s*(?:"(?:{_alternation(r.code for r in q.rows)})"\s*:\s*'
            rf'(?:{_JSON_STRING}|null)\s*(?:,\s*)?)*\}}' for q in grids)

    def decode(self, answers: Sequence[str | None] | pl.Series, first_number: int = 1) -> pl.DataFrame:
        """The answer columns of one chunk, whose first response is numbered ``first_number`` in errors."""
        texts = answers if isinstance(answers, pl.Series) else pl.Series("answers", answers, dtype=pl.String)
        texts = texts.cast(pl.String).fill_null("{}")
        texts = pl.select(pl.when(texts.str.strip_chars() == "").then(pl.lit("{}")).otherwise(texts)).to_series()
        frame = self._decode_by_column(texts)
        return frame if frame is not None else self._decode_by_record(texts, first_number)

    def plain(self, texts: pl.Series) -> bool:
        """Whether polars reads every value of these texts as ``json.loads`` does (see the class)."""
        if not texts.len() or texts.str.contains(self.suspicious).any():
            return False
        return not self.grid_objects or texts.str.count_matches(self.grid_objects).equals(
            texts.str.count_matches(self.good_grids))

    def read(self, texts: pl.Series, fields: Mapping[str, pl.DataType] | None = None) -> pl.DataFrame:
        """The texts decoded by polars in one pass, a column per field (by default, per question)."""
        fields = fields or {field.name: field.dtype for field in self.dtype.fields}
        if texts.str.contains("\n", literal=True).any():
            decoded = texts.str.json_decode(pl.Struct(fields)).struct.unnest()
        else:
            # One JSON object a line: polars' NDJSON reader decodes them two to three times faster.
            lines = io.BytesIO(texts.str.join("\n").item().encode("utf-8"))
            decoded = pl.read_ndjson(lines, schema=fields)
        if decoded.height != texts.len():
            raise ValueError("une ligne de réponses a été perdue au décodage")
        return decoded

    # -- by column
    def _decode_by_column(self, texts: pl.Series) -> pl.DataFrame | None:
        if not self.plain(texts):
            return None
        try:
            decoded = self.read(texts)
        except (pl.exceptions.PolarsError, ValueError):
            return None
        columns = []
        for question in self.questionnaire.questions:
            converted = self._question_columns(question, decoded.get_column(question.code))
            if converted is None:
                return None
            columns.extend(converted)
        return pl.DataFrame(columns) if columns else pl.DataFrame(schema={})

    def _question_columns(self, question: Question, series: pl.Series) -> list[pl.Series] | None:
        qtype = question.type
        if qtype is QuestionType.MULTIPLE:
            lists = series.list.eval(pl.element().filter(pl.element().is_not_null()))
            items = lists.explode().drop_nulls()
            if items.len() and not items.is_in(list(question.choice_codes)).all():
                return None
            answered = lists.list.len() > 0
            return [pl.select(pl.when(answered).then(lists.list.contains(code)))
                    .to_series().alias(column_name(question.code, code)) for code in question.choice_codes]
        if qtype is QuestionType.GRID:
            codes = [c.code for c in question.columns]
            target = _index_dtype(len(codes))
            columns = []
            for row in question.rows:
                cells = series.struct.field(row.code)
                cells = pl.select(pl.when(cells != "").then(cells)).to_series()
                if not cells.drop_nulls().is_in(codes).all():
                    return None
                columns.append(cells.replace_strict({c: i for i, c in enumerate(codes)}, default=None,
                                                    return_dtype=target).alias(column_name(question.code, row.code)))
            return columns
        if qtype.is_choice:
            codes = list(question.choice_codes)
            values = pl.select(pl.when(series != "").then(series)).to_series()
            if not values.drop_nulls().is_in(codes).all():
                return None
            return [values.replace_strict({c: i for i, c in enumerate(codes)}, default=None,
                                          return_dtype=_index_dtype(len(codes))).alias(question.code)]
        if qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            values = series.drop_nulls()
            if not values.is_finite().all():
                return None
            if qtype is QuestionType.NUMBER:
                return [series.alias(question.code)]
            if not ((values.round(0) == values) & (values >= question.min) & (values <= question.max)).all():
                return None
            return [series.cast(pl.Int32).alias(question.code)]
        stripped = series.str.strip_chars()
        texts = pl.select(pl.when(stripped != "").then(stripped)).to_series().alias(question.code)
        if question.code in self.presence_only:
            return [texts.is_not_null().alias(question.code)]
        return [texts]

    # -- by record (the reference decoder, for its exact errors)
    def _decode_by_record(self, texts: pl.Series, first_number: int) -> pl.DataFrame:
        records = []
        for number, text in enumerate(texts, start=first_number):
            try:
                records.append({"answers": json.loads(text)})
            except ValueError:
                raise AnalysisError(f"réponse n° {number} : réponses illisibles (JSON invalide)") from None
        frame = _records_frame(self.questionnaire, records, first_number=first_number)[0]
        if self.presence_only:
            frame = frame.with_columns(pl.col(code).is_not_null() for code in self.presence_only)
        return frame


def _column_dtype(question: Question) -> pl.DataType:
    qtype = question.type
    if qtype.is_choice and qtype is not QuestionType.MULTIPLE:
        return _index_dtype(len(question.choice_codes))
    if qtype is QuestionType.MULTIPLE:
        return pl.Boolean
    if qtype is QuestionType.GRID:
        return _index_dtype(len(question.columns))
    if qtype is QuestionType.SCALE:
        return pl.Int32
    if qtype is QuestionType.NUMBER:
        return pl.Float64
    return pl.String


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _append_value(question: Question, value: Any, data: dict[str, list],
                  indexes: dict[str, dict[str, int]], grid_indexes: dict[str, dict[str, int]]) -> None:
    qtype = question.type
    empty = _is_empty(value)
    if qtype is QuestionType.MULTIPLE:
        if empty:
            chosen = None
        else:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, (list, tuple)):
                raise AnalysisError("une liste de choix est attendue")
            unknown = [v for v in value if v not in indexes[question.code]]
            if unknown:
                raise AnalysisError("choix inconnu : " + ", ".join(f"« {v} »" for v in unknown))
            chosen = set(value)
        for code in question.choice_codes:
            data[column_name(question.code, code)].append(None if chosen is None else code in chosen)
        return
    if qtype is QuestionType.GRID:
        if not empty and not isinstance(value, Mapping):
            raise AnalysisError("une réponse par ligne est attendue")
        value = value or {}
        unknown_rows = set(value) - {row.code for row in question.rows}
        if unknown_rows:
            raise AnalysisError("ligne inconnue : " + ", ".join(f"« {r} »" for r in sorted(unknown_rows)))
        for row in question.rows:
            cell = value.get(row.code)
            if _is_empty(cell):
                data[column_name(question.code, row.code)].append(None)
                continue
            index = grid_indexes[question.code].get(cell)
            if index is None:
                raise AnalysisError(f"ligne « {row.code} » : colonne « {cell} » inconnue")
            data[column_name(question.code, row.code)].append(index)
        return
    column = data[question.code]
    if empty:
        column.append(None)
    elif qtype.is_choice:
        index = indexes[question.code].get(value) if isinstance(value, str) else None
        if index is None:
            raise AnalysisError(f"choix « {value} » inconnu")
        column.append(index)
    elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise AnalysisError(f"« {value} » n'est pas un nombre")
        if qtype is QuestionType.SCALE and float(value) != int(value):
            raise AnalysisError(f"« {value} » n'est pas un entier")
        if qtype is QuestionType.SCALE and not question.min <= value <= question.max:
            raise AnalysisError(f"{value} hors de l'échelle {int(question.min)} à {int(question.max)}")
        column.append(int(value) if qtype is QuestionType.SCALE else float(value))
    else:
        if not isinstance(value, str):
            raise AnalysisError("un texte est attendu")
        column.append(value.strip() or None)


def _convert_column(question: Question, name: str, series: pl.Series) -> pl.Series:
    """Check and encode one input column; raises AnalysisError naming the column."""
    qtype = question.type
    dtype = series.dtype
    if qtype is QuestionType.MULTIPLE:
        if dtype != pl.Boolean:
            raise AnalysisError(f"colonne {name} : des booléens sont attendus (reçu {dtype})")
        return series.alias(name)
    if qtype.is_choice or qtype is QuestionType.GRID:
        codes = question.choice_codes if qtype.is_choice else tuple(c.code for c in question.columns)
        target = _index_dtype(len(codes))
        if dtype == pl.String or dtype == pl.Categorical or isinstance(dtype, pl.Enum):
            series = series.cast(pl.String)
            unknown = series.drop_nulls().filter(~series.drop_nulls().is_in(list(codes))).unique().to_list()
            if unknown:
                raise AnalysisError(f"colonne {name} : choix inconnus "
                                    + ", ".join(f"« {u} »" for u in sorted(unknown)))
            return series.replace_strict({c: i for i, c in enumerate(codes)}, default=None,
                                         return_dtype=target).alias(name)
        if not dtype.is_integer():
            raise AnalysisError(f"colonne {name} : codes ou indices de choix attendus (reçu {dtype})")
        bad = series.filter((series < -1) | (series >= len(codes)))
        if bad.len():
            raise AnalysisError(f"colonne {name} : indice de choix {bad[0]} hors de 0 à {len(codes) - 1}")
        if series.min() is not None and series.min() < 0:
            series = pl.select(pl.when(series >= 0).then(series)).to_series()
        return series.cast(target).alias(name)
    if qtype in (QuestionType.SCALE, QuestionType.NUMBER):
        if not dtype.is_numeric():
            raise AnalysisError(f"colonne {name} : des nombres sont attendus (reçu {dtype})")
        if dtype.is_float():
            series = series.fill_nan(None)
        if qtype is QuestionType.SCALE:
            outside = series.filter((series < question.min) | (series > question.max) | (series.round(0) != series))
            if outside.len():
                raise AnalysisError(f"colonne {name} : valeur {outside[0]} hors de l'échelle "
                                    f"{int(question.min)} à {int(question.max)} (entiers)")
            return series.cast(pl.Int32).alias(name)
        return series.cast(pl.Float64).alias(name)
    if dtype == pl.Boolean:
        return series.alias(name)
    if dtype != pl.String:
        raise AnalysisError(f"colonne {name} : du texte ou des booléens sont attendus (reçu {dtype})")
    stripped = series.str.strip_chars()
    return pl.select(pl.when(stripped != "").then(stripped)).to_series().alias(name)


def decode_texts(answers: Sequence[str | None] | pl.Series, codes: Sequence[str]) -> dict[str, list[str | None]]:
    """The answers to the questions ``codes`` in stored JSON texts, as they are: a string per response
    when the answer is a string, else None (a number, a list or no answer is not a text).

    By column (polars), except for a chunk where a regular expression sees a non-string value for
    one of ``codes``, which polars would turn into its text: that chunk is read by ``json.loads``.
    """
    texts = answers if isinstance(answers, pl.Series) else pl.Series("answers", answers, dtype=pl.String)
    texts = texts.cast(pl.String).fill_null("{}")
    if not codes:
        return {}
    odd = rf'\A\s*[^\s{{]|"(?:{_alternation(codes)})"\s*:\s*[^\s"n]'
    if texts.len() and not texts.str.contains(odd).any():
        try:
            decoded = texts.str.json_decode(pl.Struct(dict.fromkeys(codes, pl.String))).struct.unnest()
            return {code: decoded.get_column(code).to_list() for code in codes}
        except (pl.exceptions.PolarsError, ValueError):
            pass
    values: dict[str, list[str | None]] = {code: [] for code in codes}
    for text in texts:
        try:
            answers_of_one = json.loads(text)
        except ValueError:
            answers_of_one = None
        if not isinstance(answers_of_one, dict):
            answers_of_one = {}
        for code in codes:
            value = answers_of_one.get(code)
            values[code].append(value if isinstance(value, str) else None)
    return values
