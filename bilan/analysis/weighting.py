"""Post-stratification on school type × département against the roster.

Each respondent of cell *c* (school type × département) gets the weight
``(N_g / N) / (n_g / n)``: population share over sample share of the weighting
stratum *g* that holds *c*. Usually *g* is the cell itself. When a cell of
the roster has no respondent, its school type is weighted as a whole (its
cells merged), and when the whole school type has no respondent it is left
out and the weighted estimates describe the rest of the population; a note
says so in French. Respondents from a cell absent from the roster get weight 0
(noted too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bilan.vocabularies import SCHOOL_TYPE_STRATUM_LABELS, departement_label

Cell = tuple[str, str]


@dataclass
class Weighting:
    """Weights per cell; ``weights[c] * n`` respondents of cell c stand for ``expansion[c]`` people each."""

    weights: dict[Cell, float]
    expansion: dict[Cell, float]
    population: int            # people of the roster covered by the weighted estimates
    respondents: int           # respondents who carry a weight
    effective_n: float         # Kish effective sample size
    strata: list[list[Cell]]   # the weighting strata (merged cells grouped)
    notes: list[str] = field(default_factory=list)


def poststratification(sample: Mapping[Cell, int], population: Mapping[Cell, int],
                       labels: Mapping[str, str] | None = None) -> Weighting:
    """Weights for respondents counted by cell in ``sample`` against the roster ``population``.

    ``labels`` name the school types in the notes (by default, the vocabulary's).
    """
    labels = SCHOOL_TYPE_STRATUM_LABELS if labels is None else labels
    notes: list[str] = []

    def name(cell: Cell) -> str:
        return f"{labels.get(cell[0], cell[0])} × {departement_label(cell[1])}"

    populated = {cell: int(size) for cell, size in population.items() if size and size > 0}
    groups: list[list[Cell]] = []
    merged_types: dict[str, list[Cell]] = {}
    for cell in sorted(populated):
        if sample.get(cell, 0) > 0:
            groups.append([cell])
        else:
            merged_types.setdefault(cell[0], [])
    for school_type in sorted(merged_types):
        cells = [cell for cell in sorted(populated) if cell[0] == school_type]
        groups = [group for group in groups if group[0][0] != school_type]
        if any(sample.get(cell, 0) > 0 for cell in cells):
            groups.append(cells)
            empty = [name(cell) for cell in cells if sample.get(cell, 0) == 0]
            notes.append("aucun répondant pour " + ", ".join(empty)
                         + f" : les cellules de « {labels.get(school_type, school_type)} » sont pondérées ensemble")
        else:
            size = sum(populated[cell] for cell in cells)
            notes.append(f"aucun répondant de type « {labels.get(school_type, school_type)} » "
                         f"({size} personnes du référentiel) : ce type est exclu des estimations pondérées")
    outside = {cell: n for cell, n in sample.items() if n > 0 and cell not in populated}
    for cell, n in sorted(outside.items()):
        notes.append(f"{n} répondant(s) de {name(cell)}, absent du référentiel : non pondéré(s)")
    covered_population = sum(populated[cell] for group in groups for cell in group)
    covered_sample = sum(sample.get(cell, 0) for group in groups for cell in group)
    weights: dict[Cell, float] = dict.fromkeys(outside, 0.0)
    expansion: dict[Cell, float] = dict.fromkeys(outside, 0.0)
    for group in groups:
        n_g = sum(sample.get(cell, 0) for cell in group)
        big_n = sum(populated[cell] for cell in group)
        for cell in group:
            weights[cell] = (big_n / covered_population) / (n_g / covered_sample)
            expansion[cell] = big_n / n_g
    sum_w = sum(weights[c] * sample.get(c, 0) for c in weights)
    sum_w2 = sum(weights[c] ** 2 * sample.get(c, 0) for c in weights)
    return Weighting(
        weights=weights,
        expansion=expansion,
        population=covered_population,
        respondents=covered_sample,
        effective_n=(sum_w * sum_w / sum_w2) if sum_w2 else 0.0,
        strata=groups,
        notes=notes,
    )
