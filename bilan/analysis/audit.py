"""What an attacker can learn about hidden cells from everything a campaign publishes, by linear programming.

The pages, the exports, the JSON, the API and the report of a campaign are one
set of linked tables drawn from the same answers. This module reads them as the
attacker would: it takes the published results (what ``CampaignResults`` holds
after protection; a figure left out is unknown) and the questionnaire (its
conditions are public), writes every published figure as a linear equation or
inequality on the unknown counts per stratum cell (school type × département,
the finest level anything is computed on), and solves, for each hidden cell of
a breakdown (a count or a base), its smallest and largest feasible value,
knowing that counts are whole and non-negative (the LP bounds rounded inwards).

What it reads, per question (``_Block``):

* the participation per cell (response rates by cell) or per stratum, which stay public;
* the overall bases (asked, answered) and counts of every option or grid cell;
* every visible cell and base of the breakdowns by school type and by département,
  a row of a breakdown being the sum of its cells (merged strata included);
* how answers hold together: one answer per single-choice question or grid row,
  at least one option per multiple-choice answer, answered ≤ asked ≤ respondents;
* the conditions: a question shown when « Q equals yes » was asked to exactly
  the people counted in Q's « yes », per cell; several conditions give bounds;
* the post-stratified percentages, with the published weights per cell: a
  weighted sum of the cells of an option.

Questions linked by conditions are solved together (one block); others alone.
A hidden cell is *exposed* when its feasible range is narrower than the
threshold, or than its published total when that total is smaller (an option
chosen by 2 people overall cannot hide better than « 0 to 2 »). Not modelled:
means by stratum (they are not counts; :func:`bilan.analysis.suppression.suppress_vector`
keeps a second one hidden) and the intervals (functions of the published figures).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np
from highspy._core import _Highs
from scipy.sparse import csr_matrix

from bilan.analysis.results import Breakdown, CampaignResults, QuestionResult
from bilan.questionnaire.schema import Condition, Question, Questionnaire, QuestionType

ASKED = "#asked"
ANSWERED = "#answered"
# A published float (a weighted percentage in the JSON) is known to this relative precision.
FLOAT_TOLERANCE = 1e-9
# LP bounds are rounded inwards to whole counts after this slack (solver tolerance).
ROUNDING_SLACK = 1e-6
# Solves with mixed objectives before the cell-by-cell ones, when only exposure matters (exposures()).
SPREAD_SOLVES = 6


@dataclass(frozen=True)
class HiddenCell:
    """A hidden figure of a breakdown: ``part`` is an option (or grid column) code, or ASKED / ANSWERED."""

    question: str
    dimension: str
    grid_row: str | None
    stratum: str
    part: str


@dataclass(frozen=True)
class Exposure:
    """A hidden cell the published figures narrow to ``low``–``high`` (whole counts), under ``required``."""

    cell: HiddenCell
    low: int
    high: int
    required: int

    @property
    def width(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class CellRange:
    cell: HiddenCell
    low: int
    high: int
    required: int


class _Model:
    """Variables (bounded, non-negative) and sparse linear rows, solved by HiGHS.

    One model per block; only the objective changes between solves, so the
    primal simplex starts from the last optimal basis (a few hundred
    microseconds a solve, where building the problem anew costs tens of
    milliseconds).
    """

    def __init__(self):
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self._highs = None
        self._objective: dict[int, float] = {}

    def var(self, upper: float | None = None, lower: float = 0.0) -> int:
        self.lower.append(float(lower))
        self.upper.append(highspy.kHighsInf if upper is None else float(upper))
        return len(self.upper) - 1

    def fix(self, variable: int, value: float) -> None:
        self.lower[variable] = self.upper[variable] = float(value)

    def equal(self, terms: dict[int, float], value: float, tolerance: float = 0.0) -> None:
        self.rows.append((terms, value - tolerance, value + tolerance))

    def at_most(self, terms: dict[int, float], value: float) -> None:
        self.rows.append((terms, -highspy.kHighsInf, value))

    def _solver(self):
        if self._highs is None:
            # The binding's base class: ``highspy.Highs`` adds interrupt callbacks and prints HiGHS's banner on
            # stdout when built, before any option can silence it (``bilan results`` writes JSON on stdout).
            highs = _Highs()
            for option, value in (("output_flag", False), ("presolve", "off"), ("solver", "simplex"),
                                  ("simplex_strategy", 4), ("threads", 1)):
                highs.setOptionValue(option, value)
            n = len(self.upper)
            highs.addVars(n, np.array(self.lower), np.array(self.upper))
            if self.rows:
                starts, indices, values = [], [], []
                for terms, _, _ in self.rows:
                    starts.append(len(indices))
                    indices.extend(terms)
                    values.extend(terms.values())
                highs.addRows(len(self.rows), np.array([r[1] for r in self.rows]), np.array([r[2] for r in self.rows]),
                              len(indices), np.array(starts, dtype=np.int32), np.array(indices, dtype=np.int32),
                              np.array(values, dtype=float))
            self._highs = highs
        return self._highs

    def optimum(self, objective: dict[int, float], sense: float) -> tuple[float, np.ndarray | None]:
        """The smallest (``sense`` 1) or largest (−1) value of ``objective`` and a point where it is reached
        (None when unbounded: the value is then infinite)."""
        highs = self._solver()
        wanted = {v: sense * c for v, c in objective.items()}
        changed = sorted(set(self._objective) | set(wanted))
        highs.changeColsCost(len(changed), np.array(changed, dtype=np.int32),
                             np.array([wanted.get(v, 0.0) for v in changed]))
        self._objective = wanted
        highs.run()
        status = highs.getModelStatus()
        if status == highspy.HighsModelStatus.kInfeasible:
            raise AuditError("les chiffres publiés sont incompatibles entre eux (aucune solution)")
        if status == highspy.HighsModelStatus.kUnbounded:
            return -sense * math.inf, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise AuditError(f"programme linéaire non résolu : {highs.modelStatusToString(status)}")
        return sense * highs.getInfo().objective_function_value, np.asarray(highs.getSolution().col_value)


class AuditError(RuntimeError):
    """The published figures contradict each other, or the solver failed."""


def audit(questionnaire: Questionnaire, results: CampaignResults, *, questions: Iterable[str] | None = None,
          cells: Iterable[HiddenCell] | None = None, strict: bool = True, exact: bool = True) -> list[CellRange]:
    """The feasible range of every hidden cell of the breakdowns of ``results``: of the blocks of linked
    questions that hold one of ``questions`` only, and among them of ``cells`` only, when given.

    A block the solver cannot settle raises :class:`AuditError`; with ``strict=False`` its hidden cells are
    reported as pinned instead (range 0), so that the protection hides more rather than publish on a doubt.
    ``exact=False`` skips the solves of cells already seen to vary enough (:func:`_ranges`): the same cells
    are exposed, a protected cell's range may be reported narrower than it is.
    """
    threshold = results.small_cell
    published = {q.code: q for q in results.questions}
    wanted = None if questions is None else set(questions)
    only = None if cells is None else set(cells)
    ranges: list[CellRange] = []
    for block in _blocks(questionnaire, published):
        if wanted is not None and not wanted & set(block):
            continue
        model = _BlockModel(questionnaire, results, block)
        hidden = [(cell, objective, min(threshold, total)) for cell, objective, total in model.hidden_cells()
                  if only is None or cell in only]
        try:
            ranges += _ranges(model.model, hidden, exact)
        except AuditError:
            if strict:
                raise
            ranges += [CellRange(cell, 0, 0, required) for cell, _, required in hidden]
    return ranges


def _ranges(model: _Model, hidden: list, exact: bool) -> list[CellRange]:
    """The whole range of each hidden cell; with ``exact=False``, a cell already seen to vary by its required
    width at the optimal points of earlier solves (each solve gives the value of every cell there) is not solved
    again: its reported range is then only what was seen, enough to say it is protected."""
    if not hidden:
        return []
    values = _objective_matrix(hidden, len(model.upper))
    seen_low = np.full(len(hidden), math.inf)
    seen_high = np.full(len(hidden), -math.inf)
    if not exact:
        # A few solves that push many cells at once, up or down (signs drawn once, reproducibly), give
        # points where most protected cells are already seen to vary enough.
        signs = np.random.default_rng(len(hidden)).choice([-1.0, 1.0], size=(SPREAD_SOLVES, len(hidden)))
        for row in signs:
            objective = {}
            for (_, terms, _), sign in zip(hidden, row, strict=True):
                for variable, coefficient in terms.items():
                    objective[variable] = objective.get(variable, 0.0) + sign * coefficient
            _, point = model.optimum(objective, 1.0)
            if point is not None:
                at_point = values @ point
                np.minimum(seen_low, at_point, out=seen_low)
                np.maximum(seen_high, at_point, out=seen_high)
    ranges = []
    for index, (cell, objective, required) in enumerate(hidden):
        bounds = []
        for sense in (1.0, -1.0):
            if not exact and _whole(seen_high[index], 1.0) - _whole(seen_low[index], -1.0) >= required:
                break
            value, point = model.optimum(objective, sense)
            bounds.append(value)
            if point is not None:
                at_point = values @ point
                np.minimum(seen_low, at_point, out=seen_low)
                np.maximum(seen_high, at_point, out=seen_high)
        low, high = (bounds[0], bounds[1]) if len(bounds) == 2 else (seen_low[index], seen_high[index])
        ranges.append(CellRange(cell, max(0, _whole(low, -1.0)), _whole(high, 1.0), required))
    return ranges


def _objective_matrix(hidden: list, size: int) -> csr_matrix:
    data, indices, pointers = [], [], [0]
    for _, objective, _ in hidden:
        indices.extend(objective)
        data.extend(objective.values())
        pointers.append(len(indices))
    return csr_matrix((data, indices, pointers), shape=(len(hidden), size))


def _whole(value: float, direction: float) -> int:
    """A bound rounded inwards to a whole count: a lower bound (``direction`` −1) up, an upper bound (1) down."""
    if math.isinf(value):
        return 10 ** 9 if value > 0 else -(10 ** 9)
    if direction > 0:
        return math.floor(value + ROUNDING_SLACK)
    return math.ceil(value - ROUNDING_SLACK)


def exposures(questionnaire: Questionnaire, results: CampaignResults, *, questions: Iterable[str] | None = None,
              cells: Iterable[HiddenCell] | None = None, strict: bool = True) -> list[Exposure]:
    """The hidden cells whose feasible range is narrower than required (see the module's docstring)."""
    return [Exposure(r.cell, r.low, r.high, r.required)
            for r in audit(questionnaire, results, questions=questions, cells=cells, strict=strict, exact=False)
            if r.high - r.low < r.required]


def small_bases(results: CampaignResults) -> list[tuple[str, str, str | None, str, str]]:
    """Bases under the threshold still published in a breakdown of answers: (question, dimension, grid row,
    stratum, "asked" or "answered"). The participation counts (respondents per stratum) are not bases of answers."""
    found = []
    for question in results.questions:
        for breakdown in question.breakdowns:
            for row in breakdown.rows:
                for name in ("asked", "answered"):
                    value = getattr(row, name)
                    if value is not None and value < results.small_cell:
                        found.append((question.code, breakdown.dimension, breakdown.grid_row, row.stratum, name))
    return found


# --------------------------------------------------------------------- blocks of linked questions
def _blocks(questionnaire: Questionnaire, published: dict[str, QuestionResult]) -> list[list[str]]:
    """Questions linked by conditions (both published), in questionnaire order."""
    parent = {code: code for code in published}

    def root(code: str) -> str:
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for question in questionnaire.questions:
        if question.code not in published:
            continue
        for condition in question.conditions:
            if condition.question in published:
                parent[root(question.code)] = root(condition.question)
    groups: dict[str, list[str]] = {}
    for question in questionnaire.questions:
        if question.code in published:
            groups.setdefault(root(question.code), []).append(question.code)
    return list(groups.values())


class _BlockModel:
    """The linear system a block of questions' published figures impose on their counts per cell."""

    def __init__(self, questionnaire: Questionnaire, results: CampaignResults, codes: Sequence[str]):
        self.model = _Model()
        self.questionnaire = questionnaire
        self.results = results
        self.school_types = list(results.respondents_by_school_type)
        self.departements = list(results.respondents_by_departement) or [""]
        self.cells = [(st, dep) for st in self.school_types for dep in self.departements]
        self.respondents = self._respondent_variables()
        self.weights = self._weights()
        self.vars: dict[tuple, list[int]] = {}
        self.published = {q.code: q for q in results.questions}
        self.codes = list(codes)
        for code in codes:
            self._question(questionnaire.question(code), self.published[code])
        for code in codes:
            self._conditions(questionnaire.question(code))

    # -- the cells and their respondents
    def _respondent_variables(self) -> list[int]:
        model, results = self.model, self.results
        by_cell = {}
        if results.response_rates is not None:
            by_cell = {rate.stratum: rate.respondents for rate in results.response_rates.by_cell}
        variables = []
        self.known: list[int | None] = []
        for st, dep in self.cells:
            known = by_cell.get(f"{st} × {dep}") if by_cell else None
            if by_cell and known is None:
                known = 0   # every cell with a respondent is listed: one absent had none
            variable = model.var(upper=results.respondents_by_school_type.get(st, 0))
            if known is not None:
                model.fix(variable, known)
            variables.append(variable)
            self.known.append(known)
        if by_cell:
            return variables
        for st, n in results.respondents_by_school_type.items():
            model.equal({v: 1.0 for v, (s, _) in zip(variables, self.cells, strict=True) if s == st}, n)
        for dep, n in results.respondents_by_departement.items():
            model.equal({v: 1.0 for v, (_, d) in zip(variables, self.cells, strict=True) if d == dep}, n)
        return variables

    def _weights(self) -> list[float] | None:
        weighting = self.results.weighting
        if weighting is None or self.results.response_rates is None:
            return None
        return [weighting.weights.get(f"{st} × {dep}", 0.0) for st, dep in self.cells]

    def _new(self, key: tuple) -> list[int]:
        variables = []
        for known, respondents in zip(self.known, self.respondents, strict=True):
            # At most the cell's respondents: a bound when they are published, else a row.
            variable = self.model.var(upper=self.results.respondents if known is None else known)
            if known is None:
                self.model.at_most({variable: 1.0, respondents: -1.0}, 0.0)
            variables.append(variable)
        self.vars[key] = variables
        return variables

    def _total(self, variables: list[int], value: int | None) -> None:
        if value is not None:
            self.model.equal(dict.fromkeys(variables, 1.0), value)

    def _members(self, dimension: str, row) -> list[int]:
        members = set(row.members or [row.stratum])
        position = 0 if dimension == "school_type" else 1
        return [i for i, cell in enumerate(self.cells) if cell[position] in members]

    # -- one question's figures
    def _question(self, question: Question, result: QuestionResult) -> None:
        model, code = self.model, question.code
        asked, answered = self._new((code, ASKED)), self._new((code, ANSWERED))
        for a, b, r, known in zip(asked, answered, self.respondents, self.known, strict=True):
            model.at_most({b: 1.0, a: -1.0}, 0.0)
            if question.conditions:
                continue
            if known is None:
                model.equal({a: 1.0, r: -1.0}, 0.0)
            else:
                model.fix(a, known)
        if result.withheld:
            return
        self._total(asked, result.base.asked)
        self._total(answered, result.base.answered)
        qtype = question.type
        if qtype.is_choice:
            options = {o.code: self._new((code, o.code)) for o in result.options}
            for estimate in result.options:
                self._total(options[estimate.code], estimate.count)
                self._weighted(options[estimate.code], estimate.weighted_percent)
            for k, b in enumerate(answered):
                terms = {variables[k]: 1.0 for variables in options.values()}
                if qtype is QuestionType.MULTIPLE:
                    for variables in options.values():
                        model.at_most({variables[k]: 1.0, b: -1.0}, 0.0)
                    model.at_most({b: 1.0, **dict.fromkeys(terms, -1.0)}, 0.0)
                else:
                    model.equal({**dict.fromkeys(terms, 1.0), b: -1.0}, 0.0)
            for breakdown in result.breakdowns:
                self._breakdown(code, breakdown, options, asked, answered)
        elif qtype is QuestionType.GRID:
            for row in result.rows:
                row_answered = self._new((code, row.code, ANSWERED))
                self._total(row_answered, row.base.answered)
                columns = {e.code: self._new((code, row.code, e.code)) for e in row.columns}
                for estimate in row.columns:
                    self._total(columns[estimate.code], estimate.count)
                    self._weighted(columns[estimate.code], estimate.weighted_percent)
                codes = [e.code for e in row.columns]
                for estimate in row.cumulative:
                    first = codes.index(estimate.code.removeprefix("at_least_"))
                    self._weighted([v for c in codes[first:] for v in columns[c]], estimate.weighted_percent,
                                   len(codes) - first)
                for k, b in enumerate(row_answered):
                    model.equal({**{v[k]: 1.0 for v in columns.values()}, b: -1.0}, 0.0)
                    model.at_most({b: 1.0, answered[k]: -1.0}, 0.0)
                for breakdown in result.breakdowns:
                    if breakdown.grid_row == row.code:
                        self._breakdown(code, breakdown, columns, asked, row_answered)
            if result.rows:
                for k, b in enumerate(answered):
                    model.at_most({b: 1.0, **{self.vars[(code, row.code, ANSWERED)][k]: -1.0
                                              for row in result.rows}}, 0.0)
        else:
            for breakdown in result.breakdowns:
                self._breakdown(code, breakdown, {}, asked, answered)

    def _weighted(self, variables: list[int], weighted_percent: float | None, parts: int = 1) -> None:
        """A post-stratified percentage: the weighted sum of the cells of ``variables`` (``parts`` estimates'
        cells one after the other, for a grid's cumulative « at least » columns)."""
        if weighted_percent is None or self.weights is None:
            return
        denominator = sum(w * (known or 0) for w, known in zip(self.weights, self.known, strict=True))
        value = weighted_percent / 100 * denominator
        terms = {v: w for v, w in zip(variables, self.weights * parts, strict=True) if w}
        self.model.equal(terms, value, tolerance=max(abs(value), 1.0) * FLOAT_TOLERANCE)

    def _breakdown(self, code: str, breakdown: Breakdown, parts: dict[str, list[int]],
                   asked: list[int], answered: list[int]) -> None:
        for row in breakdown.rows:
            members = self._members(breakdown.dimension, row)
            if row.asked is not None:
                self.model.equal({asked[k]: 1.0 for k in members}, row.asked)
            if row.answered is not None:
                self.model.equal({answered[k]: 1.0 for k in members}, row.answered)
            for cell in row.cells:
                if not cell.suppressed and cell.count is not None and cell.code in parts:
                    self.model.equal({parts[cell.code][k]: 1.0 for k in members}, cell.count)

    # -- the conditions that link a question to earlier ones
    def _conditions(self, question: Question) -> None:
        """asked = the people for whom the condition holds, per cell; several conditions give bounds."""
        if not question.conditions:
            return
        asked = self.vars[(question.code, ASKED)]
        expressions = [self._condition_terms(c) for c in question.conditions]
        known = [e for e in expressions if e is not None]
        every_one_known = len(known) == len(expressions)
        model = self.model
        for k, a in enumerate(asked):
            terms = [e[k] for e in known]
            if len(expressions) == 1 and every_one_known:
                model.equal(_plus({a: 1.0}, terms[0], -1.0), 0.0)
                continue
            for linear in terms:
                if question.conditions_mode == "any":
                    model.at_most(_plus({a: -1.0}, linear, 1.0), 0.0)       # asked ≥ each
                else:
                    model.at_most(_plus({a: 1.0}, linear, -1.0), 0.0)       # asked ≤ each
            if every_one_known and terms:
                total: dict[int, float] = {}
                for linear in terms:
                    total = _plus(total, linear, 1.0)
                if question.conditions_mode == "any":
                    model.at_most(_plus({a: 1.0}, total, -1.0), 0.0)        # asked ≤ their sum
                else:                                                         # asked ≥ sum − (n − 1) × respondents
                    model.at_most(_plus({a: -1.0, self.respondents[k]: -(len(terms) - 1.0)}, total, 1.0), 0.0)

    def _condition_terms(self, condition: Condition) -> list[dict] | None:
        """Per cell, the number of people for whom ``condition`` holds, as {variable: coefficient}; None when
        it is no linear function of the modelled counts (a number's value, a text's content)."""
        target_code = condition.question
        if (target_code, ANSWERED) not in self.vars:
            return None
        target = self.questionnaire.question(target_code)
        answered = self.vars[(target_code, ANSWERED)]
        operator, value = condition.operator, condition.value
        if operator == "answered":
            if value:
                return [{b: 1.0} for b in answered]
            return [{b: -1.0, r: 1.0} for b, r in zip(answered, self.respondents, strict=True)]
        qtype = target.type
        if qtype is QuestionType.MULTIPLE:
            if operator == "includes":
                option = self.vars.get((target_code, value))
                return [{v: 1.0} for v in option] if option else [{} for _ in self.cells]
            if operator == "not_equals":
                return [{b: 1.0} for b in answered]
            return [{} for _ in self.cells]
        if not qtype.is_choice:
            return None
        if operator == "equals":
            option = self.vars.get((target_code, value))
            return [{v: 1.0} for v in option] if option else [{} for _ in self.cells]
        if operator == "in":
            options = [self.vars[(target_code, v)] for v in value if (target_code, v) in self.vars]
            return [{o[k]: 1.0 for o in options} for k in range(len(self.cells))]
        if operator == "not_equals":
            option = self.vars.get((target_code, value))
            if not option:
                return [{b: 1.0} for b in answered]
            return [{b: 1.0, v: -1.0} for b, v in zip(answered, option, strict=True)]
        return None

    # -- what is hidden
    def hidden_cells(self):
        """(cell, objective, published total) for every hidden figure of the block's breakdowns."""
        for code in self.codes:
            result = self.published[code]
            for breakdown in result.breakdowns:
                if breakdown.grid_row is not None:
                    row_result = next(r for r in result.rows if r.code == breakdown.grid_row)
                    totals = {e.code: e.count for e in row_result.columns}
                    answered_total = row_result.base.answered
                    answered_key = (code, breakdown.grid_row, ANSWERED)
                    part_key = lambda part, row=breakdown.grid_row, code=code: (code, row, part)  # noqa: E731
                else:
                    totals = {e.code: e.count for e in result.options}
                    answered_total = result.base.answered
                    answered_key = (code, ANSWERED)
                    part_key = lambda part, code=code: (code, part)  # noqa: E731
                for row in breakdown.rows:
                    members = self._members(breakdown.dimension, row)

                    def cell(part: str, row=row, breakdown=breakdown, code=code) -> HiddenCell:
                        return HiddenCell(code, breakdown.dimension, breakdown.grid_row, row.stratum, part)
                    if row.asked is None:
                        yield (cell(ASKED), {self.vars[(code, ASKED)][k]: 1.0 for k in members},
                               result.base.asked)
                    if row.answered is None:
                        yield (cell(ANSWERED), {self.vars[answered_key][k]: 1.0 for k in members},
                               answered_total)
                    for item in row.cells:
                        if item.suppressed and part_key(item.code) in self.vars:
                            yield (cell(item.code), {self.vars[part_key(item.code)][k]: 1.0 for k in members},
                                   totals.get(item.code, 0))


def _plus(terms: dict[int, float], more: dict[int, float], factor: float) -> dict[int, float]:
    """``terms + factor × more`` (a new dict)."""
    combined = dict(terms)
    for variable, coefficient in more.items():
        combined[variable] = combined.get(variable, 0.0) + factor * coefficient
    return combined
