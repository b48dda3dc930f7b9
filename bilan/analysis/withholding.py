"""What a reader may see: no figure based on fewer respondents than the threshold.

Breakdown tables protect their own cells (:mod:`bilan.analysis.suppression`).
This goes further for everyone but the académie's pilots: results whose
respondents, a question whose answers (or any of its grid rows' answers), or
a comparison whose previous base are under the small-cell threshold are left
out, on the pages, in the exports and through the API alike. The whole
campaign below the threshold (an open campaign with its first answers, a
filter on a small stratum) shows no figure at all.

Counts of respondents per stratum stay: they are participation, shown to
readers on the participation board, not answers.
"""

from __future__ import annotations

import copy

from bilan.analysis.results import CampaignResults, Estimate, QuestionResult


def below(count: int | None, threshold: int) -> bool:
    """Whether a base is too small to publish: at the threshold it is shown, one under it is not."""
    return bool(threshold) and (count or 0) < threshold


def withhold_small_bases(results: CampaignResults, threshold: int) -> CampaignResults:
    """A copy of ``results`` with every figure on fewer than ``threshold`` respondents left out."""
    shown = copy.deepcopy(results)
    if below(shown.respondents, threshold):
        shown.withheld = True
        for question in shown.questions:
            _withhold_question(question)
        return shown
    previous_too_small = shown.previous_respondents is not None and below(shown.previous_respondents, threshold)
    for question in shown.questions:
        if below(question.base.answered, threshold) or any(below(row.base.answered, threshold)
                                                          for row in question.rows):
            _withhold_question(question)
            continue
        for estimate in _estimates(question):
            if estimate.previous and (previous_too_small or below(estimate.previous.previous_base, threshold)):
                estimate.previous = None
        numeric = question.numeric
        if numeric and numeric.previous and (previous_too_small or below(numeric.previous.previous_n, threshold)):
            numeric.previous = None
    return shown


def _withhold_question(question: QuestionResult) -> None:
    question.withheld = True
    question.options, question.ranking, question.rows, question.breakdowns = [], [], [], []
    question.numeric = None


def _estimates(question: QuestionResult) -> list[Estimate]:
    estimates = list(question.options)
    for row in question.rows:
        estimates.extend([*row.columns, *row.cumulative, *row.groups])
    if question.numeric and question.numeric.distribution:
        estimates.extend(question.numeric.distribution)
    return estimates
