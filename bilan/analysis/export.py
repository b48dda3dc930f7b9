"""Results as flat tables (one header, rows of plain values) for CSV, XLSX and ODS.

``bilan.interop.spreadsheets.write_table`` (or ``write_sheets``) turns them
into files; this module only decides the columns. Percentages stay exact
numbers; an empty cell means "not applicable" or "suppressed" (see the
``suppressed`` column of the breakdowns).
"""

from __future__ import annotations

from typing import Any

from bilan.analysis.results import CampaignResults, Estimate

RESULT_COLUMNS = (
    "question", "type", "intitule", "repondants", "interroges", "ont_repondu",
    "ligne", "libelle_ligne", "option", "libelle_option", "effectif", "pourcentage",
    "pourcentage_interroges", "pourcentage_exprimes", "pourcentage_mentions", "ic95_bas", "ic95_haut",
    "pourcentage_pondere", "pourcentage_n_1", "ecart_points", "p_valeur", "significatif", "valeur",
)
BREAKDOWN_COLUMNS = (
    "question", "ligne", "ventilation", "strate", "repondants", "interroges", "ont_repondu",
    "option", "effectif", "pourcentage", "pourcentage_exprimes", "secret", "moyenne",
)
NUMERIC_STATISTICS = ("n", "mean", "median", "min", "max", "std", "weighted_mean")


def result_rows(results: CampaignResults) -> list[list[Any]]:
    """One row per option, grid cell (with cumulative and named groups) or statistic."""
    rows: list[list[Any]] = []
    for question in results.questions:
        head = [question.code, question.type, question.text, question.base.respondents, question.base.asked,
                question.base.answered]
        for option in question.options:
            rows.append(head + ["", ""] + _estimate_cells(option))
        for row in question.rows:
            for estimate in (*row.columns, *row.cumulative, *row.groups):
                rows.append(head + [row.code, row.label] + _estimate_cells(estimate))
        if question.numeric is not None:
            for estimate in question.numeric.distribution or ():
                rows.append(head + ["", ""] + _estimate_cells(estimate))
            for statistic in NUMERIC_STATISTICS:
                rows.append(head + ["", "", statistic, ""] + [None] * 12 + [getattr(question.numeric, statistic)])
        if not (question.options or question.rows or question.numeric):
            rows.append(head + ["", "", "", "", question.base.answered] + [None] * 12)
    return rows


def breakdown_rows(results: CampaignResults) -> list[list[Any]]:
    """One row per stratum and option of every breakdown (suppressed cells left empty)."""
    rows: list[list[Any]] = []
    for question in results.questions:
        for breakdown in question.breakdowns:
            for row in breakdown.rows:
                head = [question.code, breakdown.grid_row or "", breakdown.dimension, row.stratum,
                        row.respondents, row.asked, row.answered]
                if not row.cells:
                    rows.append(head + ["", None, None, None, row.mean_suppressed, row.mean])
                for cell in row.cells:
                    rows.append(head + [cell.code, cell.count, cell.percent, cell.percent_of_answered,
                                        cell.suppressed, None])
    return rows


def _estimate_cells(estimate: Estimate) -> list[Any]:
    previous = estimate.previous
    return [
        estimate.code, estimate.label, estimate.count, estimate.percent, estimate.percent_of_asked,
        estimate.percent_of_answered, estimate.percent_of_mentions,
        estimate.ci95[0] if estimate.ci95 else None, estimate.ci95[1] if estimate.ci95 else None,
        estimate.weighted_percent,
        previous.previous_percent if previous else None, previous.difference_points if previous else None,
        previous.p_value if previous else None, previous.significant if previous else None,
        None,
    ]

