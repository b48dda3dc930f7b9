"""Year-over-year significance: the overlap between two years' respondents, and the false discovery rate.

Two passes over a campaign's built results (``engine._Builder.build``):

1. :func:`pair_comparisons` (named campaigns only): the referents who answered
   both years give paired answers. The two tables are joined on their
   respondent keys (one polars join giving the paired rows); for each answer
   column, one ``numpy.bincount`` gives the table of this year's answers by
   last year's over the paired respondents, from which every option, grid
   cell, cumulative or group takes its 2×2 table in the base of both years
   (for a mean: the sums of the paired values, their squares and products).
   Each test is then done again for partially overlapping samples
   (:func:`bilan.analysis.stats.overlap_proportion_test`,
   :func:`~bilan.analysis.stats.overlap_means_test`), method ``"overlap"``.
2. :func:`control_false_discoveries`: Benjamini–Hochberg across every
   comparison of the campaign (options, grid columns, cumulative and group
   cells, means). A grid cell whose inputs duplicate another of the same row
   (same counts and bases both years, same test: "at least the last column"
   is the last column) counts once and shares its q-value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl

from bilan.analysis.results import Base, CampaignResults, Comparison, Estimate, MeanComparison, QuestionResult
from bilan.analysis.stats import (
    FDR_LEVEL,
    benjamini_hochberg,
    overlap_means_test,
    overlap_proportion_test,
    pearson_from_sums,
)
from bilan.analysis.table import AnswerTable, column_name
from bilan.french import french_spacing, guillemets, plural
from bilan.questionnaire.schema import Question, Questionnaire, QuestionType

KEY = "_respondent_key"


# --------------------------------------------------------------------- the false discovery rate
def comparisons(questions: Sequence[QuestionResult]) -> Iterator[tuple[tuple, Comparison | MeanComparison]]:
    """Every comparison of ``questions`` with the key that makes duplicates one member of the family."""
    for question in questions:
        for estimate in question.options:
            if estimate.previous is not None:
                yield ("option", question.code, estimate.code), estimate.previous
        for row in question.rows:
            for estimate in (*row.columns, *row.cumulative, *row.groups):
                comparison = estimate.previous
                if comparison is not None:
                    yield (("cell", question.code, row.code, estimate.count, comparison.current_percent,
                            comparison.previous_count, comparison.previous_base, comparison.method,
                            comparison.p_value), comparison)
        if question.numeric is not None and question.numeric.previous is not None:
            yield ("mean", question.code), question.numeric.previous


def control_false_discoveries(questions: Sequence[QuestionResult], level: float = FDR_LEVEL) -> int:
    """Set ``q_value`` and ``significant`` (q < ``level``) on every comparison; the family's size."""
    family: dict[tuple, list[Comparison | MeanComparison]] = {}
    for key, comparison in comparisons(questions):
        if comparison.p_value is None:
            comparison.q_value, comparison.significant = None, False
        else:
            family.setdefault(key, []).append(comparison)
    members = list(family.values())
    q_values = benjamini_hochberg([group[0].p_value for group in members])
    for group, q_value in zip(members, q_values, strict=True):
        for comparison in group:
            comparison.q_value = q_value
            comparison.significant = q_value < level
    return len(members)


def method_note(question: QuestionResult, paired_respondents: int | None) -> str | None:
    """The sentence that says, under a table, how its year-over-year changes were tested; None without any.

    « Évolutions : test de comparaison de deux proportions, échantillons en partie appariés (56 personnes
    ont répondu les deux années) ; « significatif » : taux de fausses découvertes contrôlé à 5 %
    (Benjamini–Hochberg) sur l'ensemble des évolutions de la campagne. »
    """
    methods = {comparison.method for _, comparison in comparisons([question])}
    if not methods:
        return None
    if question.numeric is not None:
        test = "test de comparaison de deux moyennes"
    else:
        test = "test de comparaison de deux proportions"
    if "overlap" in methods and paired_respondents:
        samples = (f"échantillons en partie appariés ({plural(paired_respondents, 'personne')} "
                   f"{'a' if paired_respondents < 2 else 'ont'} répondu les deux années)")
    else:
        samples = "échantillons indépendants"
    text = (f"Évolutions : {test}, {samples} ; {guillemets('significatif')} : taux de fausses découvertes "
            f"contrôlé à {round(FDR_LEVEL * 100)} % (Benjamini–Hochberg) sur l'ensemble des évolutions de la "
            "campagne.")
    return french_spacing(text, insert=True)


# --------------------------------------------------------------------- paired respondents
@dataclass
class Pairing:
    """Last year's table and questionnaire, to pair this year's respondents with."""

    previous_questionnaire: Questionnaire
    previous_table: AnswerTable


def can_pair(table: AnswerTable, previous: AnswerTable | None) -> bool:
    return previous is not None and table.respondent_keys is not None and previous.respondent_keys is not None


class _Side:
    """One year's answers as buckets, as the engine's cube counts them: for an answer column, its value
    0..size-1, ``size`` when the question was asked but not answered, ``size + 1`` when not asked."""

    def __init__(self, questionnaire: Questionnaire, table: AnswerTable, asked_expr,
                 grid_groups: Mapping[str, Mapping[str, Sequence[str]]]):
        self.questionnaire, self.table, self.asked_expr = questionnaire, table, asked_expr
        self.grid_groups = grid_groups

    def asked(self, question: Question) -> pl.Expr | None:
        return self.asked_expr(question, self.questionnaire, self.table)

    def bucketed(self, question: Question, value: pl.Expr, size: int) -> pl.Expr:
        value = value.cast(pl.UInt32).fill_null(size)
        asked = self.asked(question)
        return pl.when(asked).then(value).otherwise(size + 1) if asked is not None else value

    def slot(self, question: Question, part: str | None) -> tuple[pl.Expr, int]:
        """The bucket expression of one answer column (a multiple choice option, a grid row, a choice)."""
        if question.type is QuestionType.MULTIPLE:
            return self.bucketed(question, pl.col(column_name(question.code, part)), 2), 2
        if question.type is QuestionType.GRID:
            size = len(question.columns)
            return self.bucketed(question, pl.col(column_name(question.code, part)), size), size
        size = len(question.choice_codes)
        return self.bucketed(question, pl.col(question.code), size), size

    def chosen(self, question: Question, code: str, kind: str) -> list[int]:
        """The values counted in the estimate ``code`` (``kind``: options, columns, cumulative, groups)."""
        if question.type is QuestionType.MULTIPLE:
            return [1]
        if question.type is QuestionType.GRID:
            codes = [c.code for c in question.columns]
            if kind == "columns":
                return [codes.index(code)]
            if kind == "cumulative":
                return list(range(codes.index(code.removeprefix("at_least_")), len(codes)))
            members = self.grid_groups[question.code][code]
            return [i for i, c in enumerate(codes) if c in members]
        return [list(question.choice_codes).index(code)]

    def value(self, question: Question) -> pl.Expr:
        value = pl.col(question.code).cast(pl.Float64)
        asked = self.asked(question)
        return pl.when(asked).then(value) if asked is not None else value


def _bases(size: int, basis: str) -> list[int]:
    return list(range({"respondents": size + 2, "asked": size + 1, "answered": size}[basis]))


def pair_comparisons(questions: Sequence[QuestionResult], questionnaire: Questionnaire, table: AnswerTable,
                     pairing: Pairing, *, basis: str, grid_groups, asked_expr,
                     previous_results: CampaignResults) -> int:
    """Redo every comparison of ``questions`` with the overlap test; the number of respondents paired.

    ``asked_expr``: the engine's expression of where a question was shown (the conditions of the
    counts). Columnar: for each answer column, the two years' buckets are joined on the respondent key
    and counted at once (``numpy.bincount`` of ``bucket this year × buckets + bucket last year``); every
    2×2 table of an option, a grid cell, a cumulative or a group is a sum of cells of that table.
    """
    now = _Side(questionnaire, table, asked_expr, grid_groups)
    before = _Side(pairing.previous_questionnaire, pairing.previous_table, asked_expr, grid_groups)
    slots: dict[tuple, tuple[int, int, int]] = {}      # (question, part) → (index, size now, size before)
    current_columns: list[pl.Expr] = []
    previous_columns: list[pl.Expr] = []
    proportions: list[tuple[Comparison, Estimate, int, tuple, list[int], list[int]]] = []
    means: list[tuple[MeanComparison, QuestionResult, int]] = []   # (…, column index)

    for result in questions:
        question = questionnaire.question(result.code)
        try:
            previous_question = pairing.previous_questionnaire.question(result.code)
        except KeyError:
            continue
        targets: list[tuple[Estimate, str, str | None, Base]] = [(e, "options", None, result.base)
                                                                 for e in result.options]
        for row in result.rows:
            targets += [(e, kind, row.code, row.base) for kind in ("columns", "cumulative", "groups")
                        for e in getattr(row, kind)]
        for estimate, kind, row, base in targets:
            if estimate.previous is None:
                continue
            part = estimate.code if question.type is QuestionType.MULTIPLE else row
            key = (question.code, part)
            if key not in slots:
                current, size_now = now.slot(question, part)
                previous, size_before = before.slot(previous_question, part)
                slots[key] = (len(current_columns), size_now, size_before)
                current_columns.append(current.alias(f"s{len(current_columns)}"))
                previous_columns.append(previous.alias(f"p{len(previous_columns)}"))
            proportions.append((estimate.previous, estimate, getattr(base, basis), key,
                                now.chosen(question, estimate.code, kind),
                                before.chosen(previous_question, estimate.code, kind)))
        numeric = result.numeric
        if numeric is not None and numeric.previous is not None and numeric.mean is not None:
            index = len(current_columns)
            current_columns.append(now.value(question).alias(f"s{index}"))
            previous_columns.append(before.value(previous_question).alias(f"p{index}"))
            means.append((numeric.previous, result, index))

    rows_now, rows_before = paired_rows(table, pairing.previous_table)
    # Only the paired rows, side by side: each pair's two buckets make one key, counted by bincount.
    current, previous = pl.collect_all([table.frame[rows_now].lazy().select(current_columns),
                                        pairing.previous_table.frame[rows_before].lazy().select(previous_columns)])
    both_years = pl.concat([current, previous], how="horizontal")
    joint = both_years.select([(pl.col(f"s{index}").cast(pl.Int64) * (size_before + 2) + pl.col(f"p{index}"))
                               .alias(f"k{index}") for index, _, size_before in slots.values()])
    tables = {}
    for key, (index, size_now, size_before) in slots.items():
        tables[key] = np.bincount(joint.get_column(f"k{index}").to_numpy(),
                                  minlength=(size_now + 2) * (size_before + 2)).reshape(size_now + 2, size_before + 2)
    for comparison, estimate, current_base, key, chosen_now, chosen_before in proportions:
        counts = tables[key]
        base_now, base_before = _bases(counts.shape[0] - 2, basis), _bases(counts.shape[1] - 2, basis)
        paired = int(counts[np.ix_(base_now, base_before)].sum())
        if paired < 2:
            continue
        test = overlap_proportion_test(
            estimate.count, current_base, comparison.previous_count, comparison.previous_base, paired=paired,
            paired_ones_1=int(counts[np.ix_(chosen_now, base_before)].sum()),
            paired_ones_2=int(counts[np.ix_(base_now, chosen_before)].sum()),
            paired_ones_both=int(counts[np.ix_(chosen_now, chosen_before)].sum()))
        comparison.z, comparison.p_value = test if test else (None, None)
        comparison.method = "overlap"
    for comparison, result, index in means:
        x = current.get_column(f"s{index}").to_numpy().astype(float)
        y = previous.get_column(f"p{index}").to_numpy().astype(float)
        both = ~np.isnan(x) & ~np.isnan(y)
        x, y = x[both], y[both]
        paired = int(both.sum())
        if paired < 2:
            continue
        correlation = pearson_from_sums(paired, x.sum(), y.sum(), (x * x).sum(), (y * y).sum(), (x * y).sum())
        summary, previous_summary = result.numeric, previous_results.question(result.code).numeric
        test = None
        if summary.std is not None and previous_summary.std is not None and previous_summary.mean is not None:
            test = overlap_means_test(summary.mean, summary.std ** 2, summary.n, previous_summary.mean,
                                      previous_summary.std ** 2, previous_summary.n, paired=paired,
                                      correlation=correlation)
        comparison.z, comparison.p_value = test if test else (None, None)
        comparison.method = "overlap"
    return int(rows_now.size)


def paired_rows(table: AnswerTable, previous: AnswerTable) -> tuple[np.ndarray, np.ndarray]:
    """The rows of the same respondents in both tables (one join on the keys): two aligned index arrays."""
    now = pl.DataFrame([table.respondent_keys.alias(KEY)]).with_row_index("now")
    before = pl.DataFrame([previous.respondent_keys.alias(KEY)]).with_row_index("before")
    if now.schema[KEY] != before.schema[KEY]:
        now, before = (frame.with_columns(pl.col(KEY).cast(pl.String)) for frame in (now, before))
    joined = now.drop_nulls(KEY).join(before.drop_nulls(KEY), on=KEY, how="inner")
    return joined.get_column("now").to_numpy(), joined.get_column("before").to_numpy()
