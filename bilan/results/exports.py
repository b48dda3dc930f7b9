"""Every result of a campaign as JSON, CSV, XLSX or ODS (the `bilan results` command and the download links)."""

from __future__ import annotations

import json

from bilan.analysis import CampaignResults
from bilan.french import enumeration, plural
from bilan.interop.spreadsheets import Sheet, write_sheets
from bilan.vocabularies import departement_label, school_type_label

RESULT_HEADER = [
    "question", "type", "section", "intitulé", "répondant·es", "interrogé·es", "ayant répondu",
    "ligne", "libellé de la ligne", "option", "libellé", "effectif", "% des répondant·es",
    "% des interrogé·es", "% des réponses", "% des citations", "IC 95 % bas", "IC 95 % haut",
    "% redressé", "IC 95 % redressé bas", "IC 95 % redressé haut", "% année précédente", "écart (points)",
    "p-valeur", "q-valeur (BH)", "significatif",
]


def _estimate_cells(estimate):
    previous = estimate.previous
    low, high = estimate.ci95 or (None, None)
    weighted_low, weighted_high = estimate.weighted_ci95 or (None, None)
    return [
        estimate.code, estimate.label, estimate.count, estimate.percent, estimate.percent_of_asked,
        estimate.percent_of_answered, estimate.percent_of_mentions, low, high, estimate.weighted_percent,
        weighted_low, weighted_high,
        previous.previous_percent if previous else None, previous.difference_points if previous else None,
        previous.p_value if previous else None, previous.q_value if previous else None,
        (previous.significant if previous else None),
    ]


def result_rows(results: CampaignResults) -> list[list]:
    rows = []
    for question in results.questions:
        head = [question.code, question.type, question.section, question.text]
        if question.withheld:
            # A reader's copy (bilan.analysis.withholding): the question is listed, none of its figures.
            rows.append([*head, None, None, None, "", "", "secret",
                         f"Moins de {plural(results.small_cell, 'réponse')} : non communiqué",
                         *[None] * 15])
        elif question.rows:
            for row in question.rows:
                base = row.base
                for estimate in [*row.columns, *row.cumulative, *row.groups]:
                    rows.append([*head, base.respondents, base.asked, base.answered, row.code, row.label,
                                 *_estimate_cells(estimate)])
        elif question.options:
            base = question.base
            for estimate in question.options:
                rows.append([*head, base.respondents, base.asked, base.answered, "", "", *_estimate_cells(estimate)])
        elif question.numeric is not None:
            base = question.base
            for estimate in question.numeric.distribution or []:
                rows.append([*head, base.respondents, base.asked, base.answered, "", "", *_estimate_cells(estimate)])
            numeric = question.numeric
            mean_low, mean_high = numeric.weighted_mean_ci95 or (None, None)
            rows.append([*head, base.respondents, base.asked, base.answered, "", "", "moyenne", "Moyenne",
                         numeric.n, numeric.mean, None, None, None, None, None, numeric.weighted_mean,
                         mean_low, mean_high,
                         numeric.previous.previous_mean if numeric.previous else None,
                         numeric.previous.difference if numeric.previous else None,
                         numeric.previous.p_value if numeric.previous else None,
                         numeric.previous.q_value if numeric.previous else None,
                         numeric.previous.significant if numeric.previous else None])
        else:
            base = question.base
            rows.append([*head, base.respondents, base.asked, base.answered, "", "", "texte",
                         "Réponses en texte libre", base.answered, None, None, None, None, None, None, None,
                         None, None, None, None, None, None, None])
    return rows


def _stratum_label(dimension: str, stratum: str) -> str:
    return school_type_label(stratum) if dimension == "school_type" else departement_label(stratum)


def breakdown_rows(results: CampaignResults, dimension: str) -> list[list]:
    rows = []
    for question in results.questions:
        for breakdown in question.breakdowns:
            if breakdown.dimension != dimension:
                continue
            for row in breakdown.rows:
                # Merged strata (secret statistique) read « Lycée professionnel et EREA »; a hidden base is empty.
                stratum = enumeration([_stratum_label(dimension, member) for member in row.members or [row.stratum]])
                for cell in row.cells:
                    rows.append([question.code, breakdown.grid_row or "", stratum,
                                 row.respondents, row.answered, cell.code,
                                 None if cell.suppressed else cell.count,
                                 None if cell.suppressed else cell.percent,
                                 "secret statistique" if cell.suppressed else ""])
    return rows


def participation_rows(results: CampaignResults) -> list[list]:
    rates = results.response_rates
    if rates is None:
        return [["ensemble", "", results.respondents, None]]
    rows = [["ensemble", rates.overall.invited, rates.overall.respondents, rates.overall.percent]]
    rows += [[f"type : {_stratum_label('school_type', r.stratum)}", r.invited, r.respondents, r.percent]
             for r in rates.by_school_type]
    rows += [[f"département : {_stratum_label('departement_code', r.stratum)}", r.invited, r.respondents, r.percent]
             for r in rates.by_departement]
    return rows


def export_results(results: CampaignResults, basename: str, fmt: str) -> tuple[str, str, bytes]:
    if fmt == "json":
        data = json.dumps(results.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")
        return f"{basename}.json", "application/json", data
    breakdown_header = ["question", "ligne", "strate", "répondant·es", "ayant répondu", "option", "effectif",
                        "% de la strate", "note"]
    sheets = [
        Sheet("Résultats", RESULT_HEADER, result_rows(results)),
        Sheet("Participation", ["strate", "invité·es", "répondant·es", "taux (%)"], participation_rows(results)),
    ]
    if fmt != "csv":
        sheets += [
            Sheet("Par type d'établissement", breakdown_header, breakdown_rows(results, "school_type")),
            Sheet("Par département", breakdown_header, breakdown_rows(results, "departement_code")),
        ]
    return write_sheets(basename, sheets, fmt)
