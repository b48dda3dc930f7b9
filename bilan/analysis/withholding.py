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

A reader's view filtered on one stratum (:func:`restrict_filtered`) shows only
what the whole campaign's protected tables already publish about it.
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


def restrict_filtered(filtered: CampaignResults, full: CampaignResults, filters: dict[str, str]) -> CampaignResults:
    """A stratum's results (``filtered``: one school type or one département) as a reader may see them: only
    what the whole campaign's tables (``full``, protected) already publish about that stratum.

    A question is shown when its row in the campaign's breakdown by that dimension is the stratum's own (not
    merged with a neighbour), with its base and every cell visible: then its counts are that row's. Anything
    else about the stratum would be a new table, unprotected: its cross-tabulation by the other dimension,
    its post-stratified figures (weighted sums of those cells), last year's figures on the stratum, a number's
    values and median. Two filters at once (a single cell) show no answer.
    """
    shown = copy.deepcopy(filtered)
    shown.weighting = None
    shown.notes.append("vue filtrée : seuls les chiffres que les tableaux par strate de la campagne publient "
                       "sont montrés (secret statistique)")
    single = len(filters) == 1
    (dimension, stratum), = filters.items() if single else ((None, None),)
    for question in shown.questions:
        if question.withheld:
            continue
        question.breakdowns = []
        for estimate in _estimates(question):
            estimate.weighted_percent = estimate.weighted_ci95 = None
            estimate.previous = None
        if not single or not _published_row_by_row(full.question(question.code), dimension, stratum):
            _withhold_question(question)
            continue
        if question.numeric is not None:
            numeric = question.numeric
            numeric.distribution = numeric.median = numeric.min = numeric.max = numeric.std = None
            numeric.weighted_mean = numeric.weighted_mean_ci95 = numeric.previous = None
    return shown


def _published_row_by_row(question: QuestionResult, dimension: str, stratum: str) -> bool:
    """Whether every breakdown of ``question`` by ``dimension`` shows ``stratum`` as its own row, whole."""
    if question.withheld:
        return False
    tables = [b for b in question.breakdowns if b.dimension == dimension]
    expected = len(question.rows) if question.rows else 1
    if len(tables) < expected:   # a table withdrawn (secret statistique), or none for free texts
        return False
    for table in tables:
        row = next((r for r in table.rows if stratum in (r.members or [r.stratum])), None)
        if row is None or (row.members or [row.stratum]) != [stratum] or row.suppressed:
            return False
        if row.asked is None or row.answered is None or row.mean_suppressed:
            return False
        if any(cell.suppressed for cell in row.cells):
            return False
    return True
