"""Secret statistique across everything a campaign publishes.

The engine first protects each breakdown on its own: strata under the
threshold merged with a neighbour, cells under it hidden with their
complements (:mod:`bilan.analysis.suppression`), bases under it hidden. Then
:func:`protect`:

1. withholds the post-stratified figures of estimates on fewer people than the
   threshold (with a complement where the estimates add up to a known whole:
   the options of a single choice, the columns of a grid row, the values of a
   scale), since a weighted percentage tells how an option's few people are
   spread over the strata, the weights being public;
2. asks the auditor (:mod:`bilan.analysis.audit`) which hidden cells the
   published figures still narrow to less than the threshold, and hides more:
   for a cell, first the bases of the questions it conditions (« asked » in
   the same stratum equals it), else a rectangle of its table
   (:func:`bilan.analysis.suppression.widen`); for a base, the cells of the
   question it depends on, else another row's base; a table with nothing left
   to hide is withdrawn with a note. Hiding only removes published figures, so
   a range only widens: after the first audit only the cells still exposed and
   the ones newly hidden are audited again, and the loop ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from bilan.analysis.audit import ANSWERED, ASKED, Exposure, HiddenCell, exposures
from bilan.analysis.results import Breakdown, BreakdownCell, BreakdownRow, CampaignResults, Estimate, QuestionResult
from bilan.analysis.suppression import widen
from bilan.questionnaire.schema import Questionnaire, QuestionType


@dataclass
class TrueTable:
    """The true figures of a breakdown (rows × cells), which its published copy may hide."""

    counts: list[list[int]]
    bases: list[int]      # answered, per row
    asked: list[int]


def protect(questionnaire: Questionnaire, results: CampaignResults, tables: dict[int, TrueTable]) -> None:
    """Hide, in ``results`` (in place), what the auditor shows to be recoverable; ``tables`` by id(breakdown)."""
    threshold = results.small_cell
    if not threshold:
        return
    withhold_small_weighted(results)
    owner = {id(b): (q, b) for q in results.questions for b in q.breakdowns}
    children = _children(questionnaire)
    questions: set[str] | None = None
    cells: set[HiddenCell] | None = None
    while True:
        found = exposures(questionnaire, results, questions=questions, cells=cells, strict=False)
        if not found:
            return
        cells = {e.cell for e in found}
        by_table: dict[int, list[Exposure]] = {}
        for exposure in found:
            question = results.question(exposure.cell.question)
            breakdown = _table(question, exposure.cell.dimension, exposure.cell.grid_row)
            by_table.setdefault(id(breakdown), []).append(exposure)
        for key, items in by_table.items():
            question, breakdown = owner[key]
            if breakdown not in question.breakdowns:
                continue
            exposure = min(items, key=lambda e: (e.width - e.required, e.cell.stratum, e.cell.part))
            hidden = _widen(questionnaire, results, question, breakdown, tables[key], exposure, children)
            if hidden is None:
                _withdraw(question, breakdown)
                cells = {c for c in cells if (c.question, c.dimension, c.grid_row)
                         != (question.code, breakdown.dimension, breakdown.grid_row)}
            else:
                cells |= set(hidden)
        questions = {c.question for c in cells}
        if not cells:
            return


# --------------------------------------------------------------------- weighted figures
def withhold_small_weighted(results: CampaignResults) -> None:
    """No post-stratified figure on fewer people than the threshold, nor one that gives it back by difference."""
    threshold = results.small_cell
    for question in results.questions:
        if question.type in (QuestionType.SINGLE.value, QuestionType.YESNO.value):
            _withhold_group(question.options, threshold, complement=True)
        elif question.type == QuestionType.MULTIPLE.value:
            _withhold_group(question.options, threshold, complement=False)
        elif question.numeric is not None and question.numeric.distribution:
            _withhold_group(question.numeric.distribution, threshold, complement=True)
        for row in question.rows:
            hidden = _withhold_group(row.columns, threshold, complement=True)
            codes = [e.code for e in row.columns]
            for cumulative in row.cumulative:
                first = codes.index(cumulative.code.removeprefix("at_least_"))
                if any(codes[i] in hidden for i in range(first, len(codes))):
                    _withhold_weighted(cumulative)
            if hidden:
                for group in row.groups:
                    _withhold_weighted(group)


def _withhold_weighted_of(question: QuestionResult, grid_row: str | None, code: str, threshold: int) -> bool:
    """Withhold the post-stratified figure of one option (or grid column) and what gives it back; False when
    it was not published."""
    if grid_row is None:
        estimates = question.options or (question.numeric.distribution if question.numeric else None) or []
        complement = question.type != QuestionType.MULTIPLE.value
        row = None
    else:
        row = next(r for r in question.rows if r.code == grid_row)
        estimates, complement = row.columns, True
    target = next((e for e in estimates if e.code == code), None)
    if target is None or target.weighted_percent is None:
        return False
    hidden = _withhold_group(estimates, threshold, complement=complement, also={code})
    if row is not None:
        codes = [e.code for e in row.columns]
        for cumulative in row.cumulative:
            first = codes.index(cumulative.code.removeprefix("at_least_"))
            if any(codes[i] in hidden for i in range(first, len(codes))):
                _withhold_weighted(cumulative)
        for group in row.groups:
            _withhold_weighted(group)
    return True


def _withhold_group(estimates: list[Estimate], threshold: int, *, complement: bool,
                    also: set[str] = frozenset()) -> set[str]:
    hidden = {e.code for e in estimates if e.weighted_percent is not None and (e.count < threshold or e.code in also)}
    if complement and len(hidden) == 1:
        others = [e for e in estimates if e.code not in hidden and e.weighted_percent is not None]
        if others:
            hidden.add(min(others, key=lambda e: (e.count, e.code)).code)
    for estimate in estimates:
        if estimate.code in hidden:
            _withhold_weighted(estimate)
    return hidden


def _withhold_weighted(estimate: Estimate) -> None:
    estimate.weighted_percent = None
    estimate.weighted_ci95 = None


# --------------------------------------------------------------------- hiding more
def _children(questionnaire: Questionnaire) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for question in questionnaire.questions:
        for condition in question.conditions:
            found.setdefault(condition.question, []).append(question.code)
    return found


def _table(question: QuestionResult, dimension: str, grid_row: str | None) -> Breakdown:
    return next(b for b in question.breakdowns if b.dimension == dimension and b.grid_row == grid_row)


def _row(breakdown: Breakdown, stratum: str) -> BreakdownRow | None:
    return next((row for row in breakdown.rows if row.stratum == stratum), None)


def _widen(questionnaire: Questionnaire, results: CampaignResults, question: QuestionResult, breakdown: Breakdown,
           table: TrueTable, exposure: Exposure, children: dict[str, list[str]]) -> list[HiddenCell] | None:
    """Hide more figures so that ``exposure`` may widen; the cells newly hidden, or None when nothing is left."""
    cell = exposure.cell
    rows = breakdown.rows
    r = next(i for i, row in enumerate(rows) if row.stratum == cell.stratum)
    conditional = bool(questionnaire.question(question.code).conditions)
    if cell.part == ASKED and rows[r].answered is not None:
        # « asked » is at least « answered », often equal to it (required questions): both go.
        return _hide_row(question, breakdown, rows[r], conditional)
    if cell.part in (ASKED, ANSWERED):
        # « asked » equals the parent's cells, which bound « answered » too.
        hidden = _hide_parent_cells(questionnaire, results, question, breakdown.dimension, cell.stratum)
        if hidden:
            return hidden
        candidates = [i for i, row in enumerate(rows) if i != r and row.answered is not None]
        if not candidates:
            if conditional and rows[r].asked is not None:
                return _hide_row(question, breakdown, rows[r], conditional)
            return None
        other = min(candidates, key=lambda i: (table.bases[i], i))
        return _hide_row(question, breakdown, rows[other], conditional) + (
            _hide_row(question, breakdown, rows[r], conditional) if conditional and rows[r].asked is not None else [])
    if breakdown.grid_row is None:
        hidden = _hide_child_bases(results, children.get(question.code, []), breakdown.dimension, cell.stratum)
        if hidden:
            return hidden
    codes = [c.code for c in rows[0].cells]
    mask = [[c.suppressed for c in row.cells] for row in rows]
    usable = [i for i in range(len(rows)) if table.bases[i] > 0]
    cells = widen(table.counts, mask, r, codes.index(cell.part), usable)
    if not cells:
        # Nothing left to hide in the table: the same column by the other dimension (both add up the same
        # people), or the column's post-stratified figure, may be what narrows it.
        hidden = _hide_sibling_column(question, breakdown, cell.part)
        if hidden:
            return hidden
        return [] if _withhold_weighted_of(question, breakdown.grid_row, cell.part, results.small_cell) else None
    for i, j in cells:
        _hide_cell(rows[i].cells[j])
    return [HiddenCell(question.code, breakdown.dimension, breakdown.grid_row, rows[i].stratum, codes[j])
            for i, j in cells]


def _hide_sibling_column(question: QuestionResult, breakdown: Breakdown, code: str) -> list[HiddenCell]:
    """The visible cells of column ``code`` in the table of the other dimension (same grid row)."""
    hidden = []
    for sibling in question.breakdowns:
        if sibling is breakdown or sibling.grid_row != breakdown.grid_row:
            continue
        for row in sibling.rows:
            for item in row.cells:
                if item.code == code and not item.suppressed:
                    _hide_cell(item)
                    hidden.append(HiddenCell(question.code, sibling.dimension, sibling.grid_row, row.stratum, code))
    return hidden


def _hide_child_bases(results: CampaignResults, codes: list[str], dimension: str, stratum: str) -> list[HiddenCell]:
    """The rows, in the same stratum, of the questions shown on this answer: their « asked » equals the cell
    (and their « answered », at most « asked », often equals it)."""
    hidden = []
    for code in codes:
        child = results.question(code)
        for breakdown in child.breakdowns:
            row = _row(breakdown, stratum) if breakdown.dimension == dimension else None
            if row is not None and row.asked is not None:
                hidden += _hide_row(child, breakdown, row, conditional=True)
    return hidden


def _hide_parent_cells(questionnaire: Questionnaire, results: CampaignResults, question: QuestionResult,
                       dimension: str, stratum: str) -> list[HiddenCell]:
    """The cells of the answers this question is shown on, in the same stratum (they give its « asked »)."""
    hidden = []
    for condition in questionnaire.question(question.code).conditions:
        try:
            parent = results.question(condition.question)
        except KeyError:
            continue
        values = condition.value if condition.operator == "in" else [condition.value]
        for breakdown in parent.breakdowns:
            row = _row(breakdown, stratum) if breakdown.dimension == dimension and breakdown.grid_row is None else None
            if row is None:
                continue
            for item in row.cells:
                if not item.suppressed and (condition.operator in ("answered", "not_equals") or item.code in values):
                    _hide_cell(item)
                    hidden.append(HiddenCell(parent.code, dimension, None, stratum, item.code))
    return hidden


def _hide_cell(cell: BreakdownCell) -> None:
    cell.count = cell.percent = cell.percent_of_answered = None
    cell.suppressed = True


def _hide_row(question: QuestionResult, breakdown: Breakdown, row: BreakdownRow,
              conditional: bool) -> list[HiddenCell]:
    """Hide a row's base and cells (its « asked » too when the question is conditional: else it is public)."""
    def hidden_cell(part: str) -> HiddenCell:
        return HiddenCell(question.code, breakdown.dimension, breakdown.grid_row, row.stratum, part)
    hidden = []
    if row.answered is not None:
        row.answered = None
        hidden.append(hidden_cell(ANSWERED))
    if conditional and row.asked is not None:
        row.asked = None
        hidden.append(hidden_cell(ASKED))
    row.suppressed = True
    row.mean, row.mean_suppressed = None, True
    for item in row.cells:
        if not item.suppressed:
            _hide_cell(item)
            hidden.append(hidden_cell(item.code))
    return hidden


def _withdraw(question: QuestionResult, breakdown: Breakdown) -> None:
    question.breakdowns.remove(breakdown)
    name = "type d’établissement" if breakdown.dimension == "school_type" else "département"
    row = f" (ligne {breakdown.grid_row})" if breakdown.grid_row else ""
    question.notes.append(f"tableau par {name}{row} non publié : secret statistique")
