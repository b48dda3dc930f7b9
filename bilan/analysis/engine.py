"""The analysis engine: one columnar pass, then plain results.

Every count the results need (per option, per grid cell, bases, sums for
means) is additive, so the engine computes them once per stratum cell
(school type × département), see :class:`_Cube`. That small cube (cells ×
counts) is the sufficient statistic for the totals, both breakdowns (sums of
cells), the response rates and the post-stratified estimates (weighted sums
of cells). Only medians, a number's extremes and its distinct values need
other queries.
"""

from __future__ import annotations

import copy
import hashlib
import math
import pickle
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import polars as pl

from bilan.analysis.protection import TrueTable, protect
from bilan.analysis.results import (
    Base,
    Breakdown,
    BreakdownCell,
    BreakdownRow,
    CampaignResults,
    Comparison,
    Estimate,
    GridRow,
    MeanComparison,
    NumericSummary,
    QuestionResult,
    Rate,
    ResponseRates,
    WeightingSummary,
)
from bilan.analysis.significance import Pairing, can_pair, control_false_discoveries, pair_comparisons
from bilan.analysis.stats import (
    percent,
    percent_rounded,
    two_means_test,
    two_proportion_test,
    wilson_interval,
)
from bilan.analysis.suppression import merge_small_strata, suppress_table, suppress_vector
from bilan.analysis.table import (
    DEPARTEMENT_COLUMN,
    SCHOOL_TYPE_COLUMN,
    AnalysisError,
    AnswerTable,
    answer_columns,
    column_name,
)
from bilan.analysis.weighting import normal_interval, poststratification, poststratified_ratio
from bilan.french import enumeration, plural
from bilan.questionnaire.schema import Condition, Question, Questionnaire, QuestionType
from bilan.vocabularies import SCHOOL_TYPE_NEIGHBOURS, SCHOOL_TYPE_STRATUM_LABELS, UNKNOWN, departement_label

CELL_COLUMN = "_cell"
DIMENSIONS = ("school_type", "departement_code")
MAX_NUMBER_DISTRIBUTION = 30
KEY_CHUNK = 24
PROTECTED_REMEMBERED = 16
_PROTECTED: OrderedDict[str, CampaignResults] = OrderedDict()

Roster = Mapping[tuple[str, str], int]
GridGroups = Mapping[str, Mapping[str, Sequence[str]]]


def analyse(questionnaire: Questionnaire, table: AnswerTable, *, roster: Roster | None = None,
            previous: AnswerTable | CampaignResults | None = None,
            previous_questionnaire: Questionnaire | None = None, small_cell: int = 5,
            weights: str | None = "poststrat", grid_groups: GridGroups | None = None,
            comparison_base: str = "respondents", breakdowns: bool = True) -> CampaignResults:
    """Analyse every question of ``questionnaire`` over ``table``.

    ``roster`` maps ``(school_type, departement_code)`` to the number of people
    invited: it gives response rates and, with ``weights="poststrat"``,
    post-stratified estimates beside the raw ones. ``previous`` is last
    year's table (answers to ``previous_questionnaire``, by default the same
    questionnaire) or its results; questions and options are matched on their
    codes, on the base ``comparison_base`` of each year (``respondents``,
    ``asked`` or ``answered``). Each comparison is tested (pooled two-proportion
    z-test, or z-test of two means; when both tables carry respondent keys, see
    :meth:`AnswerTable.with_respondent_keys`, the test for partially overlapping
    samples over the respondents of both years), then every comparison of the
    campaign is flagged ``significant`` under a Benjamini–Hochberg false
    discovery rate of 5 % (:mod:`bilan.analysis.significance`). Breakdown cells under ``small_cell`` answers
    are suppressed (0: no suppression). ``grid_groups`` names groups of grid columns, e.g.
    ``{"RES_KNOWLEDGE": {"known_or_used": ["known", "used"]}}``.
    """
    if weights not in ("poststrat", None):
        raise AnalysisError(f"pondération « {weights} » inconnue (valeurs : poststrat ou aucune)")
    if comparison_base not in ("respondents", "asked", "answered"):
        raise AnalysisError(f"base de comparaison « {comparison_base} » inconnue "
                            "(valeurs : respondents, asked, answered)")
    if small_cell is None or small_cell < 0:
        raise AnalysisError("le seuil de secret statistique doit être un entier positif ou nul")
    _check_grid_groups(questionnaire, grid_groups or {})
    previous_results = None
    if isinstance(previous, AnswerTable):
        previous_results = analyse(previous_questionnaire or questionnaire, previous, small_cell=small_cell,
                                   weights=None, grid_groups=grid_groups, breakdowns=False)
    elif isinstance(previous, CampaignResults):
        previous_results = previous
    elif previous is not None:
        raise AnalysisError("l'année précédente doit être une table de réponses ou des résultats")
    pairing = (Pairing(previous_questionnaire or questionnaire, previous)
               if isinstance(previous, AnswerTable) and can_pair(table, previous) else None)
    cube = _Cube(questionnaire, table)
    return _Builder(questionnaire, table, cube, roster=roster, weights=weights, small_cell=small_cell,
                    grid_groups=grid_groups or {}, previous=previous_results,
                    comparison_base=comparison_base, breakdowns=breakdowns).build(pairing)


def _check_grid_groups(questionnaire: Questionnaire, grid_groups: GridGroups) -> None:
    for code, groups in grid_groups.items():
        try:
            question = questionnaire.question(code)
        except KeyError:
            raise AnalysisError(f"groupes de colonnes : question {code} inconnue") from None
        if question.type is not QuestionType.GRID:
            raise AnalysisError(f"groupes de colonnes : la question {code} n'est pas une grille")
        known = {column.code for column in question.columns}
        for name, columns in groups.items():
            unknown = [c for c in columns if c not in known]
            if unknown:
                raise AnalysisError(f"groupe « {name} » de la question {code} : colonne(s) inconnue(s) "
                                    + ", ".join(f"« {c} »" for c in unknown))


# --------------------------------------------------------------------- conditions
def _answered_expr(question: Question, table: AnswerTable) -> pl.Expr:
    columns = answer_columns(question)
    if question.type is QuestionType.GRID:
        return pl.any_horizontal([pl.col(c).is_not_null() for c in columns])
    if question.type.is_free_text and table.frame.schema[columns[0]] == pl.Boolean:
        return pl.col(columns[0]).fill_null(False)
    return pl.col(columns[0]).is_not_null()


def _condition_expr(condition: Condition, questionnaire: Questionnaire, table: AnswerTable,
                    chain: frozenset[str] = frozenset()) -> pl.Expr:
    """The condition as a boolean expression, mirroring ``Condition.holds`` on the answers the form
    keeps: an answer to a question that was not itself shown (a stale answer after its own condition
    stopped holding, possible in imported data) counts as no answer, along the whole chain."""
    target = questionnaire.question(condition.question)
    shown = None if target.code in chain else _asked_expr(target, questionnaire, table, chain | {target.code})
    expression = _answer_condition_expr(condition, target, table, shown)
    if shown is None or condition.operator == "answered":
        return expression
    return expression & shown


def _answer_condition_expr(condition: Condition, target: Question, table: AnswerTable,
                           shown: pl.Expr | None) -> pl.Expr:
    operator, value = condition.operator, condition.value
    answered = _answered_expr(target, table)
    if shown is not None:
        answered = answered & shown
    if operator == "answered":
        return answered if value else ~answered
    qtype = target.type
    if qtype is QuestionType.MULTIPLE:
        if operator == "includes":
            if value not in target.choice_codes:
                return pl.lit(False)
            return pl.col(column_name(target.code, value)).fill_null(False)
        # A list answer never equals a code nor belongs to a list of codes.
        return answered if operator == "not_equals" else pl.lit(False)
    if qtype is QuestionType.GRID or operator == "includes":
        return answered if operator == "not_equals" else pl.lit(False)
    column = pl.col(target.code)
    if qtype.is_choice:
        index = {code: i for i, code in enumerate(target.choice_codes)}
        if operator == "in":
            positions = [index[v] for v in value if v in index]
            return column.is_in(positions).fill_null(False) if positions else pl.lit(False)
        position = index.get(value)
        if operator == "equals":
            return (column == position).fill_null(False) if position is not None else pl.lit(False)
        return (answered & (column != position).fill_null(True)) if position is not None else answered
    if qtype.is_free_text and table.frame.schema[target.code] == pl.Boolean:
        raise AnalysisError(f"la condition sur la réponse libre {target.code} demande son texte, "
                            "absent de la table (seule la présence d'une réponse y figure)")
    if operator == "in":
        values = [v for v in value if not isinstance(v, bool)]
        return column.is_in(values).fill_null(False) if values else pl.lit(False)
    if isinstance(value, bool) or (qtype.is_free_text and not isinstance(value, str)) or (
            not qtype.is_free_text and not isinstance(value, (int, float))):
        return answered if operator == "not_equals" else pl.lit(False)
    if operator == "equals":
        return (column == value).fill_null(False)
    return answered & (column != value).fill_null(True)


def _asked_expr(question: Question, questionnaire: Questionnaire, table: AnswerTable,
                chain: frozenset[str] = frozenset()) -> pl.Expr | None:
    """Where ``question`` was shown: its conditions, each on an answer to a question itself shown."""
    if not question.conditions:
        return None
    parts = [_condition_expr(c, questionnaire, table, chain | {question.code}) for c in question.conditions]
    return pl.any_horizontal(parts) if question.conditions_mode == "any" else pl.all_horizontal(parts)


# --------------------------------------------------------------------- the cube
class _Cube:
    """Counts per stratum cell for every question.

    Each answer column becomes one integer key per response,
    ``cell × buckets + bucket``, where the buckets are the column's values
    plus "asked but unanswered" and "not asked" (conditions). One
    element-wise polars query computes every key in parallel, and a single
    ``numpy.bincount`` per key gives all counts of that column per cell:
    options, bases and condition bases at once. Sums for means use weighted
    bincounts; a number's min/max and median come from one more query.
    """

    def __init__(self, questionnaire: Questionnaire, table: AnswerTable):
        self.table = table
        self.n_st = len(table.school_types)
        self.n_dep = max(len(table.departements), 1)
        self.n_cells = self.n_st * self.n_dep
        self.vectors: dict[tuple, np.ndarray] = {}
        self.extremes: dict[tuple, np.ndarray] = {}
        self.keys: list[tuple[pl.Expr, int, Any]] = []        # (key expression, buckets, unpack)
        self.sums: list[tuple[pl.Expr, tuple]] = []            # (value expression, slot)
        self.global_expressions: list[pl.Expr] = []
        self.extreme_expressions: list[tuple[pl.Expr, tuple]] = []
        self.asked_columns: list[pl.Expr] = []
        for question in questionnaire.questions:
            self._plan(question, questionnaire)
        cell = (pl.col(SCHOOL_TYPE_COLUMN).cast(pl.UInt32) * self.n_dep
                + pl.col(DEPARTEMENT_COLUMN).cast(pl.UInt32)).alias(CELL_COLUMN)
        # Materialised once: every query below reads the cell and the condition masks.
        frame = table.frame.with_columns(cell, *self.asked_columns).lazy()
        queries = [frame.select(pl.col(CELL_COLUMN),
                                *[expr.alias(f"v{i}") for i, (expr, _) in enumerate(self.sums)])]
        if self.extreme_expressions:
            queries.append(frame.group_by(CELL_COLUMN).agg(
                [expr.alias(f"e{i}") for i, (expr, _) in enumerate(self.extreme_expressions)]))
        if self.global_expressions:
            queries.append(frame.select(self.global_expressions))
        collected = pl.collect_all(queries)
        cells = collected[0].get_column(CELL_COLUMN).to_numpy()
        self.vectors[("respondents",)] = np.bincount(cells, minlength=self.n_cells).astype(float)
        for i, (_, slot) in enumerate(self.sums):
            self.vectors[slot] = np.bincount(cells, weights=collected[0].get_column(f"v{i}").to_numpy(),
                                             minlength=self.n_cells)
        # Keys by chunks, so that only a few key columns live at once (memory).
        for start in range(0, len(self.keys), KEY_CHUNK):
            chunk = self.keys[start:start + KEY_CHUNK]
            keyed = frame.select([expr.alias(f"k{i}") for i, (expr, _, _) in enumerate(chunk)]).collect()
            for i, (_, buckets, unpack) in enumerate(chunk):
                counts = np.bincount(keyed.get_column(f"k{i}").to_numpy(), minlength=self.n_cells * buckets)
                unpack(counts.reshape(self.n_cells, buckets).astype(float))
            del keyed
        if self.extreme_expressions:
            grouped = collected[1]
            rows = grouped.get_column(CELL_COLUMN).to_numpy().astype(np.int64)
            for i, (_, slot) in enumerate(self.extreme_expressions):
                values = np.full(self.n_cells, np.nan)
                values[rows] = grouped.get_column(f"e{i}").cast(pl.Float64).fill_null(np.nan).to_numpy()
                self.extremes[slot] = values
        self.globals = collected[-1].row(0, named=True) if self.global_expressions else {}
        st_of_cell = np.arange(self.n_cells) // self.n_dep
        dep_of_cell = np.arange(self.n_cells) % self.n_dep
        self.indicators = {
            "school_type": (st_of_cell[None, :] == np.arange(self.n_st)[:, None]).astype(float),
            "departement_code": (dep_of_cell[None, :] == np.arange(self.n_dep)[:, None]).astype(float),
        }

    def _key(self, value: pl.Expr, buckets: int, unpack) -> None:
        """Register ``cell × buckets + value`` (value already in 0..buckets-1)."""
        dtype = pl.UInt16 if self.n_cells * buckets < 2 ** 16 else pl.UInt32
        expr = pl.col(CELL_COLUMN).cast(dtype) * buckets + value.cast(dtype)
        self.keys.append((expr, buckets, unpack))

    def _plan(self, question: Question, questionnaire: Questionnaire) -> None:
        code = question.code
        asked = _asked_expr(question, questionnaire, self.table)
        if asked is not None:
            asked_name = f"{code}|#asked"
            self.asked_columns.append(asked.alias(asked_name))
            asked = pl.col(asked_name)

        def bucketed(value: pl.Expr, size: int) -> pl.Expr:
            """0..size-1 the value, size when unanswered, size + 1 when not asked."""
            value = value.fill_null(size)
            return pl.when(asked).then(value).otherwise(size + 1) if asked is not None else value

        def store(slot: tuple, vector: np.ndarray) -> None:
            self.vectors[slot] = vector

        def store_bases(counts: np.ndarray, size: int, *, with_asked: bool = True) -> None:
            if with_asked:
                store((code, "asked"), counts[:, :size + 1].sum(axis=1))
            store((code, "answered"), counts[:, :size].sum(axis=1))

        qtype = question.type
        if qtype is QuestionType.MULTIPLE:
            options = question.choice_codes
            for position, option in enumerate(options):
                def unpack(counts, option=option, first=position == 0):
                    store((code, option), counts[:, 1])
                    if first:
                        store_bases(counts, 2)
                self._key(bucketed(pl.col(column_name(code, option)).cast(pl.UInt8), 2), 4, unpack)
        elif qtype.is_choice or qtype is QuestionType.SCALE:
            if qtype is QuestionType.SCALE:
                values = [str(v) for v in question.scale_values]
                value = pl.col(code) - int(question.min)
            else:
                values = list(question.choice_codes)
                value = pl.col(code)
            size = len(values)

            def unpack(counts, values=values, size=size):
                for position, option in enumerate(values):
                    store((code, option), counts[:, position])
                store_bases(counts, size)
            self._key(bucketed(value.cast(pl.UInt32), size), size + 2, unpack)
        elif qtype is QuestionType.GRID:
            size = len(question.columns)
            answered = pl.any_horizontal([pl.col(c).is_not_null() for c in answer_columns(question)])
            self._key(bucketed(pl.when(answered).then(0).otherwise(None), 1), 3,
                      lambda counts: store_bases(counts, 1))
            for row in question.rows:
                def unpack(counts, row=row.code):
                    for position, grid_column in enumerate(question.columns):
                        store((code, row, grid_column.code), counts[:, position])
                    store((code, row, "answered"), counts[:, :size].sum(axis=1))
                self._key(bucketed(pl.col(column_name(code, row.code)).cast(pl.UInt32), size), size + 2, unpack)
        else:
            answered = _answered_expr(question, self.table)
            self._key(bucketed(pl.when(answered).then(0).otherwise(None), 1), 3,
                      lambda counts: store_bases(counts, 1))
        if qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            value = pl.col(code).cast(pl.Float64)
            if asked is not None:
                value = pl.when(asked).then(value)
            self.sums.append((value.fill_null(0.0), (code, "sum")))
            self.sums.append(((value * value).fill_null(0.0), (code, "sumsq")))
            self.extreme_expressions.append((value.min(), (code, "min")))
            self.extreme_expressions.append((value.max(), (code, "max")))
            self.global_expressions.append(value.median().alias(f"{code}|median"))
            if qtype is QuestionType.NUMBER:
                self.global_expressions.append(
                    value.drop_nulls().unique().head(MAX_NUMBER_DISTRIBUTION + 1).implode().alias(f"{code}|values"))

    # -- accessors
    def total(self, *key) -> float:
        return float(self.vectors[key].sum())

    def cells(self, *key) -> np.ndarray:
        return self.vectors[key]

    def by_stratum(self, dimension: str, *key) -> np.ndarray:
        return self.indicators[dimension] @ self.vectors[key]

    def extreme(self, kind: str, *key) -> float | None:
        values = self.extremes[key]
        values = values[~np.isnan(values)]
        if not values.size:
            return None
        return float(values.min() if kind == "min" else values.max())


# --------------------------------------------------------------------- results
class _Builder:
    def __init__(self, questionnaire, table, cube, *, roster, weights, small_cell, grid_groups, previous,
                 comparison_base, breakdowns):
        self.comparison_base = comparison_base
        self.questionnaire = questionnaire
        self.table = table
        self.cube = cube
        self.small_cell = small_cell
        self.grid_groups = grid_groups
        self.previous = previous
        self.with_breakdowns = breakdowns
        self.n = int(cube.total("respondents"))
        self.respondent_cells = cube.cells("respondents")
        self.levels = {"school_type": table.school_types, "departement_code": table.departements}
        self.roster = _check_roster(roster) if roster is not None else None
        self.weighting = None
        self.weight_vector = None
        self.notes: list[str] = []
        self.groups = {dim: self._stratum_groups(dim) for dim in DIMENSIONS}
        self.tables: dict[int, TrueTable] = {}   # the breakdowns' true counts by id(), for the protection
        if weights == "poststrat" and self.roster is not None and self.n:
            self.weighting = poststratification(self._sample_by_cell(), self.roster, SCHOOL_TYPE_STRATUM_LABELS)
            self.weight_vector = np.array([self.weighting.weights.get(self._cell_key(c), 0.0)
                                           for c in range(cube.n_cells)])
            self.strata_cells = self._strata_cells()
        elif weights == "poststrat" and self.roster is None:
            self.notes.append("pas de référentiel fourni : estimations non pondérées")

    def _cell_key(self, cell: int) -> tuple[str, str]:
        st, dep = divmod(cell, self.cube.n_dep)
        departements = self.table.departements or (UNKNOWN,)
        return self.table.school_types[st], departements[dep]

    def _strata_cells(self) -> np.ndarray:
        """Weighting strata × cube cells indicator (cells outside every stratum carry no weight)."""
        stratum_of = {cell: g for g, group in enumerate(self.weighting.strata) for cell in group}
        matrix = np.zeros((len(self.weighting.strata), self.cube.n_cells))
        for c in range(self.cube.n_cells):
            if self._cell_key(c) in stratum_of:
                matrix[stratum_of[self._cell_key(c)], c] = 1.0
        return matrix

    def _sample_by_cell(self) -> dict[tuple[str, str], int]:
        return {self._cell_key(c): int(n) for c, n in enumerate(self.respondent_cells) if n}

    def build(self, pairing: Pairing | None = None) -> CampaignResults:
        questions = [self._question(q) for q in self.questionnaire.questions]
        # Significance once every comparison exists: the overlap between years, then one family for the FDR.
        paired = None
        if pairing is not None and self.previous is not None:
            paired = pair_comparisons(questions, self.questionnaire, self.table, pairing,
                                      basis=self.comparison_base, grid_groups=self.grid_groups,
                                      asked_expr=_asked_expr, previous_results=self.previous)
        control_false_discoveries(questions)
        # strict=False: with no response there is no departement level, yet the cube keeps one (empty) column.
        by = {dim: {level: int(n)
                    for level, n in zip(self.levels[dim], self.cube.by_stratum(dim, "respondents"), strict=False)}
              for dim in DIMENSIONS}
        weighting = None
        if self.weighting is not None:
            w = self.weighting
            weighting = WeightingSummary(
                method="poststrat", population=w.population, respondents=w.respondents,
                effective_n=w.effective_n,
                weights={f"{st} × {dep}": weight for (st, dep), weight in sorted(w.weights.items())},
                notes=w.notes)
        results = CampaignResults(
            questionnaire_code=self.questionnaire.code,
            questionnaire_version=self.questionnaire.version,
            respondents=self.n,
            small_cell=self.small_cell,
            respondents_by_school_type=by["school_type"],
            respondents_by_departement=by["departement_code"],
            questions=questions,
            response_rates=self._response_rates() if self.roster is not None else None,
            weighting=weighting,
            previous_respondents=self.previous.respondents if self.previous else None,
            previous_questionnaire_version=self.previous.questionnaire_version if self.previous else None,
            paired_respondents=paired,
            notes=self.notes,
        )
        return self._protect(results)

    # -- questions
    def _question(self, question: Question) -> QuestionResult:
        cube, code = self.cube, question.code
        base = Base(self.n, int(cube.total(code, "asked")), int(cube.total(code, "answered")))
        result = QuestionResult(code=code, type=question.type.value, text=question.text, label=question.label,
                                section=question.section, base=base)
        previous_question = self._previous_question(question, result)
        qtype = question.type
        if qtype.is_choice:
            mentions = sum(cube.total(code, option) for option in question.choice_codes)
            for option in question.all_choices:
                estimate = self._estimate(option.code, question.choice_label(option.code), (code, option.code),
                                          base, mentions if qtype is QuestionType.MULTIPLE else None)
                if previous_question is not None:
                    estimate.previous = self._compare(estimate, _find(previous_question.options, option.code),
                                                      base, previous_question.base)
                result.options.append(estimate)
            order = {option.code: i for i, option in enumerate(result.options)}
            result.ranking = [o.code for o in sorted(result.options, key=lambda o: (-o.count, order[o.code]))]
            if self.with_breakdowns:
                result.breakdowns = [self._breakdown(dim, None, [(o, (code, o)) for o in question.choice_codes],
                                                     (code, "asked"), (code, "answered"))
                                     for dim in DIMENSIONS]
        elif qtype is QuestionType.GRID:
            for row in question.rows:
                result.rows.append(self._grid_row(question, row, previous_question))
                if self.with_breakdowns:
                    cells = [(c.code, (code, row.code, c.code)) for c in question.columns]
                    result.breakdowns.extend(self._breakdown(dim, row.code, cells, (code, "asked"),
                                                             (code, row.code, "answered"))
                                             for dim in DIMENSIONS)
        elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            result.numeric = self._numeric(question, base, previous_question)
            if self.with_breakdowns:
                result.breakdowns = [self._numeric_breakdown(question, dim) for dim in DIMENSIONS]
        return result

    def _previous_question(self, question: Question, result: QuestionResult) -> QuestionResult | None:
        if self.previous is None:
            return None
        try:
            previous = self.previous.question(question.code)
        except KeyError:
            result.notes.append("question absente de l'année précédente : pas de comparaison")
            return None
        compatible = {QuestionType.SINGLE.value, QuestionType.YESNO.value}
        if previous.type != question.type.value and not {previous.type, question.type.value} <= compatible:
            result.notes.append(f"type différent l'année précédente ({previous.type}) : pas de comparaison")
            return None
        return previous

    def _estimate(self, code: str, label: str, key: tuple, base: Base, mentions: float | None,
                  answered: float | None = None, cells: np.ndarray | None = None) -> Estimate:
        count = int(self.cube.total(*key)) if cells is None else int(cells.sum())
        answered = base.answered if answered is None else answered
        interval = wilson_interval(count, self.n)
        estimate = Estimate(
            code=code, label=label, count=count,
            percent=percent(count, self.n),
            percent_of_asked=percent(count, base.asked),
            percent_of_answered=percent(count, answered),
            percent_rounded=percent_rounded(count, self.n),
            ci95=(100 * interval[0], 100 * interval[1]) if interval else None,
            percent_of_mentions=percent(count, mentions) if mentions is not None else None,
        )
        if self.weight_vector is not None:
            per_cell = self.cube.cells(*key) if cells is None else cells
            self._weigh(estimate, per_cell)
        return estimate

    def _weigh(self, estimate: Estimate, per_cell: np.ndarray) -> None:
        weighted_base = float(self.weight_vector @ self.respondent_cells)
        if weighted_base <= 0:
            return
        share = float(self.weight_vector @ per_cell) / weighted_base
        estimate.weighted_percent = 100 * share
        # Design-based interval with the finite-population correction (weighting.poststratified_ratio).
        respondents = self.strata_cells @ self.respondent_cells
        counts = self.strata_cells @ per_cell
        design = poststratified_ratio(self.weighting.stratum_sizes, respondents, respondents, counts, counts)
        if design is not None:
            low, high = normal_interval(share, design[1], 0.0, 1.0)
            estimate.weighted_ci95 = (100 * low, 100 * high)

    def _compare(self, estimate: Estimate, previous: Estimate | None, base: Base,
                 previous_bases: Base) -> Comparison | None:
        if previous is None:
            return None
        current_base = getattr(base, self.comparison_base)
        previous_base = getattr(previous_bases, self.comparison_base)
        test = two_proportion_test(estimate.count, current_base, previous.count, previous_base)
        current_percent = percent(estimate.count, current_base)
        previous_percent = percent(previous.count, previous_base)
        difference = (current_percent - previous_percent
                      if current_percent is not None and previous_percent is not None else None)
        return Comparison(
            basis=self.comparison_base, current_percent=current_percent,
            previous_count=previous.count, previous_base=previous_base, previous_percent=previous_percent,
            difference_points=difference,
            z=test[0] if test else None, p_value=test[1] if test else None,
            significant=False, method="z-pooled",  # q-value and flag: build(), across the campaign
        )

    def _grid_row(self, question: Question, row, previous_question: QuestionResult | None) -> GridRow:
        code = question.code
        base = Base(self.n, int(self.cube.total(code, "asked")), int(self.cube.total(code, row.code, "answered")))
        previous_row = None
        if previous_question is not None:
            previous_row = next((r for r in previous_question.rows if r.code == row.code), None)

        def compared(estimate: Estimate, kind: str) -> Estimate:
            if previous_row is not None:
                estimate.previous = self._compare(estimate, _find(getattr(previous_row, kind), estimate.code),
                                                  base, previous_row.base)
            return estimate

        columns = [compared(self._estimate(c.code, c.label, (code, row.code, c.code), base, None), "columns")
                   for c in question.columns]
        cumulative = []
        for k in range(1, len(question.columns)):
            chosen = question.columns[k:]
            cells = sum(self.cube.cells(code, row.code, c.code) for c in chosen)
            label = " ou ".join(f"« {c.label} »" for c in chosen)
            cumulative.append(compared(self._estimate(f"at_least_{question.columns[k].code}", label, (), base, None,
                                                      cells=cells), "cumulative"))
        groups = []
        for name, members in self.grid_groups.get(code, {}).items():
            cells = sum(self.cube.cells(code, row.code, member) for member in members)
            label = " ou ".join(f"« {c.label} »" for c in question.columns if c.code in members)
            groups.append(compared(self._estimate(name, label, (), base, None, cells=np.asarray(cells, float)),
                                   "groups"))
        return GridRow(code=row.code, label=row.label, base=base, columns=columns, cumulative=cumulative,
                       groups=groups)

    def _numeric(self, question: Question, base: Base, previous_question: QuestionResult | None) -> NumericSummary:
        cube, code = self.cube, question.code
        n = base.answered
        total, total_sq = cube.total(code, "sum"), cube.total(code, "sumsq")
        mean = total / n if n else None
        variance = max(total_sq / n - mean * mean, 0.0) * n / (n - 1) if n > 1 else None
        median = cube.globals.get(f"{code}|median")
        summary = NumericSummary(
            n=n, mean=mean, median=median, min=cube.extreme("min", code, "min"),
            max=cube.extreme("max", code, "max"), std=math.sqrt(variance) if variance is not None else None,
            distribution=None)
        if question.type is QuestionType.SCALE:
            summary.distribution = [self._estimate(str(v), str(v), (code, str(v)), base, None)
                                    for v in question.scale_values]
        else:
            values = cube.globals.get(f"{code}|values")
            if values is not None and len(values) <= MAX_NUMBER_DISTRIBUTION:
                summary.distribution = self._number_distribution(question, sorted(values), base)
        if self.weight_vector is not None and n:
            answered_cells = cube.cells(code, "answered")
            weighted_n = float(self.weight_vector @ answered_cells)
            if weighted_n > 0:
                summary.weighted_mean = float(self.weight_vector @ cube.cells(code, "sum")) / weighted_n
                strata = self.strata_cells
                design = poststratified_ratio(self.weighting.stratum_sizes, strata @ self.respondent_cells,
                                              strata @ answered_cells, strata @ cube.cells(code, "sum"),
                                              strata @ cube.cells(code, "sumsq"))
                if design is not None:
                    summary.weighted_mean_ci95 = normal_interval(summary.weighted_mean, design[1])
        if previous_question is not None and previous_question.numeric is not None:
            prev = previous_question.numeric
            test = None
            if mean is not None and prev.mean is not None and summary.std is not None and prev.std is not None:
                test = two_means_test(mean, summary.std ** 2, n, prev.mean, prev.std ** 2, prev.n)
            summary.previous = MeanComparison(
                previous_n=prev.n, previous_mean=prev.mean,
                difference=(mean - prev.mean) if mean is not None and prev.mean is not None else None,
                z=test[0] if test else None, p_value=test[1] if test else None,
                significant=False, method="z-unpooled")  # q-value and flag: build()
        return summary

    def _number_distribution(self, question: Question, values: list[float], base: Base) -> list[Estimate]:
        asked = _asked_expr(question, self.questionnaire, self.table)
        frame = self.table.frame.lazy()
        if asked is not None:
            frame = frame.filter(asked)
        counts = dict(frame.group_by(question.code).len().drop_nulls().collect().iter_rows())
        result = []
        for value in values:
            label = str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")
            count = int(counts.get(value, 0))
            interval = wilson_interval(count, self.n)
            result.append(Estimate(
                code=label, label=label, count=count, percent=percent(count, self.n),
                percent_of_asked=percent(count, base.asked), percent_of_answered=percent(count, base.answered),
                percent_rounded=percent_rounded(count, self.n),
                ci95=(100 * interval[0], 100 * interval[1]) if interval else None))
        return result

    # -- breakdowns
    def _stratum_groups(self, dimension: str) -> list[list[int]]:
        """The rows of the breakdowns by ``dimension``: strata, the small ones merged (secret statistique)."""
        levels = self.levels[dimension]
        sizes = [int(n) for n in self.cube.by_stratum(dimension, "respondents")][:len(levels)]
        neighbours = None
        if dimension == "school_type":
            position = {level: i for i, level in enumerate(levels)}
            neighbours = [position.get(SCHOOL_TYPE_NEIGHBOURS.get(level)) for level in levels]
        groups = merge_small_strata(sizes, self.small_cell, neighbours)
        label = (lambda code: SCHOOL_TYPE_STRATUM_LABELS.get(code, code)) if dimension == "school_type" \
            else departement_label
        table = "type d’établissement" if dimension == "school_type" else "département"
        for group in groups:
            if len(group) > 1:
                named = [f"{label(levels[i])} ({plural(sizes[i], 'répondant·e')})" for i in group]
                self.notes.append(enumeration(named) + f" : regroupés dans les tableaux "
                                  f"par {table} (secret statistique : moins de "
                                  f"{plural(self.small_cell, 'répondant·e')} dans une ligne)")
        return groups

    def _by_group(self, dimension: str, *key) -> list[int]:
        values = self.cube.by_stratum(dimension, *key)
        return [int(sum(values[i] for i in group)) for group in self.groups[dimension]]

    def _group_row(self, dimension: str, g: int, **fields) -> BreakdownRow:
        members = [self.levels[dimension][i] for i in self.groups[dimension][g]]
        return BreakdownRow(stratum="+".join(members), members=members, **fields)

    def _base(self, value: int) -> int | None:
        """A stratum's base in a table of answers, or None under the threshold."""
        return None if self.small_cell and value < self.small_cell else value

    def _breakdown(self, dimension: str, grid_row: str | None, cells: list[tuple[str, tuple]],
                   asked_key: tuple, answered_key: tuple) -> Breakdown:
        respondents = self._by_group(dimension, "respondents")
        asked = self._by_group(dimension, *asked_key)
        bases = self._by_group(dimension, *answered_key)
        counts = [list(column) for column in zip(*[self._by_group(dimension, *key) for _, key in cells],
                                                 strict=True)] if cells else [[] for _ in bases]
        hidden = suppress_table(counts, bases, self.small_cell)
        rows = []
        for s, _ in enumerate(self.groups[dimension]):
            row_cells = []
            for c, (code, _) in enumerate(cells):
                count = None if hidden[s][c] else counts[s][c]
                row_cells.append(BreakdownCell(
                    code=code, count=count,
                    percent=percent(count, respondents[s]) if count is not None else None,
                    percent_of_answered=percent(count, bases[s]) if count is not None else None,
                    suppressed=hidden[s][c]))
            rows.append(self._group_row(dimension, s, respondents=respondents[s], asked=self._base(asked[s]),
                                        answered=self._base(bases[s]), suppressed=self._base(bases[s]) is None,
                                        cells=row_cells))
        breakdown = Breakdown(dimension=dimension, grid_row=grid_row, rows=rows)
        self.tables[id(breakdown)] = TrueTable(counts, bases, asked)
        return breakdown

    def _numeric_breakdown(self, question: Question, dimension: str) -> Breakdown:
        code = question.code
        respondents = self._by_group(dimension, "respondents")
        asked = self._by_group(dimension, code, "asked")
        answered = self._by_group(dimension, code, "answered")
        sums = self._by_group_float(dimension, code, "sum")
        hidden = suppress_vector(answered, self.small_cell)
        rows = [self._group_row(dimension, s, respondents=respondents[s], asked=self._base(asked[s]),
                                answered=self._base(answered[s]), suppressed=self._base(answered[s]) is None,
                                cells=[], mean=None if hidden[s] or not answered[s] else float(sums[s] / answered[s]),
                                mean_suppressed=hidden[s])
                for s, _ in enumerate(self.groups[dimension])]
        breakdown = Breakdown(dimension=dimension, grid_row=None, rows=rows)
        self.tables[id(breakdown)] = TrueTable([[] for _ in rows], answered, asked)
        return breakdown

    def _by_group_float(self, dimension: str, *key) -> list[float]:
        values = self.cube.by_stratum(dimension, *key)
        return [float(sum(values[i] for i in group)) for group in self.groups[dimension]]

    # -- protection across every published figure
    def _protect(self, results: CampaignResults) -> CampaignResults:
        """``results`` as published (:func:`bilan.analysis.protection.protect`). The protection solves linear
        programs (seconds on a small campaign with many hidden cells) and is a pure function of the figures:
        the last few outcomes are remembered in this process, keyed by everything it reads."""
        if not (self.small_cell and self.with_breakdowns):
            return results
        tables = [self.tables[id(b)] for q in results.questions for b in q.breakdowns]
        key = hashlib.sha256(pickle.dumps((self.questionnaire, results, tables))).hexdigest()
        if key in _PROTECTED:
            _PROTECTED.move_to_end(key)
            return copy.deepcopy(_PROTECTED[key])
        protect(self.questionnaire, results, self.tables)
        _PROTECTED[key] = copy.deepcopy(results)
        while len(_PROTECTED) > PROTECTED_REMEMBERED:
            _PROTECTED.popitem(last=False)
        return results

    # -- response rates
    def _response_rates(self) -> ResponseRates:
        sample = self._sample_by_cell()
        cells = sorted(set(self.roster) | set(sample))

        def rate(name: str, keys) -> Rate:
            invited = sum(self.roster.get(k, 0) for k in keys)
            answered = sum(sample.get(k, 0) for k in keys)
            # Exact: the whole invited list is known, there is no sampling error to give an interval for.
            return Rate(stratum=name, invited=invited, respondents=answered, percent=percent(answered, invited))

        school_types = _ordered({st for st, _ in cells}, self.table.school_types)
        departements = _ordered({dep for _, dep in cells}, self.table.departements)
        return ResponseRates(
            overall=rate("ensemble", cells),
            by_school_type=[rate(st, [c for c in cells if c[0] == st]) for st in school_types],
            by_departement=[rate(dep, [c for c in cells if c[1] == dep]) for dep in departements],
            by_cell=[rate(f"{st} × {dep}", [(st, dep)]) for st, dep in cells],
        )


def _ordered(values: set[str], preferred: Sequence[str]) -> list[str]:
    return [v for v in preferred if v in values] + sorted(values - set(preferred))


def _check_roster(roster: Roster) -> dict[tuple[str, str], int]:
    checked = {}
    for key, invited in roster.items():
        if not (isinstance(key, tuple) and len(key) == 2):
            raise AnalysisError(f"référentiel : clé {key!r} invalide (attendu : (type d'établissement, département))")
        if isinstance(invited, bool) or not isinstance(invited, int) or invited < 0:
            raise AnalysisError(f"référentiel : effectif {invited!r} invalide pour {key[0]} × {key[1]}")
        checked[(str(key[0]), str(key[1]))] = checked.get((str(key[0]), str(key[1])), 0) + invited
    return checked


def _find(estimates: list[Estimate], code: str) -> Estimate | None:
    return next((e for e in estimates if e.code == code), None)
