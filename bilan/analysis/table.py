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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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

    @property
    def n(self) -> int:
        return self.frame.height

    # ------------------------------------------------------------------ records
    @classmethod
    def from_records(cls, questionnaire: Questionnaire, records: Iterable[Mapping[str, Any]]) -> AnswerTable:
        """Build the table from ``{"answers": {...}, "school_type": ..., "departement_code": ...}``.

        Values follow ``bilan.questionnaire.schema``. Keys of unknown questions
        and the ``CODE.other`` free texts are ignored; an unknown choice code
        or a value of the wrong kind raises :class:`AnalysisError` naming the
        response (1-based) and the question.
        """
        records = list(records)
        questions = questionnaire.questions
        data: dict[str, list] = {name: [] for q in questions for name in answer_columns(q)}
        school_types, departements = [], []
        indexes = {q.code: {code: i for i, code in enumerate(q.choice_codes)} for q in questions
                   if q.type.is_choice}
        grid_indexes = {q.code: {c.code: i for i, c in enumerate(q.columns)} for q in questions
                        if q.type is QuestionType.GRID}
        for number, record in enumerate(records, start=1):
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
        schema = {}
        for question in questions:
            for name in answer_columns(question):
                schema[name] = _column_dtype(question)
        frame = pl.DataFrame(data, schema=schema)
        return cls._with_strata(frame, school_types, departements)

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
                                          return_dtype=pl.UInt16).alias(name)
            return codes, levels

        st_codes, st_levels = encode(school_type, SCHOOL_TYPES, SCHOOL_TYPE_COLUMN)
        dep_codes, dep_levels = encode(departement, (), DEPARTEMENT_COLUMN)
        strata = pl.DataFrame([st_codes, dep_codes])
        return cls(pl.concat([strata, frame], how="horizontal") if frame.width else strata,
                   tuple(st_levels), tuple(dep_levels))


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
