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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from bilan.analysis.stats import Z95
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
    stratum_sizes: list[int] = field(default_factory=list)   # N_g: people of the roster in each stratum


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
        stratum_sizes=[sum(populated[cell] for cell in group) for group in groups],
    )


def poststratified_ratio(population: Sequence[float], respondents: Sequence[float], base: Sequence[float],
                         total: Sequence[float], total_sq: Sequence[float]) -> tuple[float, float] | None:
    """Post-stratified ratio and its design-based variance, with the finite-population correction.

    For each weighting stratum g: ``population`` N_g, ``respondents`` n_g,
    ``base`` a_g the respondents in the estimate's base (n_g for a share of
    all respondents, those who answered for a mean), ``total`` Σ y and
    ``total_sq`` Σ y² over the base (both the count for a 0/1 characteristic).
    The estimate is R = Σ N_g ȳ_g / Σ N_g ā_g (ȳ_g = total / n_g, ā_g = a_g / n_g),
    which is Σ W_g p̂_g (W_g = N_g / N) for a share of all respondents. Its
    variance is the Taylor linearisation treating the post-strata as strata
    (Cochran 1977, chap. 5A; Lohr, *Sampling: Design and Analysis*, 2nd ed. 2010, chap. 4 and 9):
    Var(R) = Σ N_g² (1 − n_g/N_g) s²_g / n_g / (Σ N_g ā_g)², where s²_g is the
    within-stratum variance (divisor n_g − 1) of u = d (y − R), d = 1 in the
    base. For a share of all respondents this is Σ W_g² (1 − n_g/N_g) s²_g / n_g
    with s²_g = n_g/(n_g − 1) p̂_g (1 − p̂_g).

    Edges: strata without respondents are ignored (``poststratification``
    has already merged or left them out); a stratum with n_g ≥ N_g adds no
    variance (every person answered; more respondents than the roster
    counts is taken as a census); s²_g is undefined when n_g = 1, so such a
    stratum takes the post-stratified estimate of the population variance of
    u, Σ W_g mean(u²)_g − (Σ W_g mean(u)_g)², i.e. p̂ (1 − p̂) for a share.
    None when no one is in the base.
    """
    big_n = np.asarray(population, dtype=float)
    n = np.asarray(respondents, dtype=float)
    a = np.asarray(base, dtype=float)
    y = np.asarray(total, dtype=float)
    y2 = np.asarray(total_sq, dtype=float)
    kept = n > 0
    big_n, n, a, y, y2 = big_n[kept], n[kept], a[kept], y[kept], y2[kept]
    denominator = float(np.sum(big_n * a / n)) if n.size else 0.0
    if denominator <= 0:
        return None
    ratio = float(np.sum(big_n * y / n)) / denominator
    # u = d (y − R) summed over each stratum, and its square.
    sum_u = y - ratio * a
    sum_u2 = np.maximum(y2 - 2 * ratio * y + ratio * ratio * a, 0.0)
    shares = big_n / big_n.sum()
    pooled = max(float(np.sum(shares * sum_u2 / n)) - float(np.sum(shares * sum_u / n)) ** 2, 0.0)
    several = n > 1
    spread = np.full(n.shape, pooled)
    spread[several] = np.maximum(sum_u2[several] - sum_u[several] ** 2 / n[several], 0.0) / (n[several] - 1)
    correction = np.clip(1 - n / big_n, 0.0, 1.0)
    variance = float(np.sum(big_n * big_n * correction * spread / n)) / (denominator * denominator)
    return ratio, variance


def normal_interval(estimate: float, variance: float, low: float = -math.inf,
                    high: float = math.inf, z: float = Z95) -> tuple[float, float]:
    """``estimate ± z·√variance`` clipped to [low, high]."""
    half = z * math.sqrt(max(variance, 0.0))
    return max(low, estimate - half), min(high, estimate + half)
