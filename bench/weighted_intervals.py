"""Width of the design-based weighted intervals against the former Kish–Wilson ones, on the demo.

Run: .venv/bin/python bench/weighted_intervals.py [--campaign 2023-2024]

Loads the demo into a fresh SQLite database, analyses the campaign with its roster, and for every
post-stratified percentage (options, grid cells, cumulative columns) compares the width of
``weighted_ci95`` (design-based, finite-population correction: ``weighting.poststratified_ratio``) with
the width of the interval published before it (Wilson on Kish's effective sample size). Prints the
ratio new / old: minimum, median, maximum.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import demo_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaign", default="2023-2024")
    args = parser.parse_args()
    demo_database("bilan-bench-intervals-")
    from bilan.analysis import analyse
    from bilan.analysis.stats import wilson_interval
    from bilan.results.services import roster_counts
    from bilan.surveys.answer_store import load_table
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.get(slug=args.campaign)
    # Breakdowns play no part in the weighted figures: left out (faster).
    results = analyse(campaign.questionnaire.schema, load_table(campaign), roster=roster_counts(campaign),
                      breakdowns=False)
    effective_n = results.weighting.effective_n
    ratios, degenerate = [], []
    for question in results.questions:
        estimates = list(question.options)
        for row in question.rows:
            estimates += [*row.columns, *row.cumulative, *row.groups]
        for estimate in estimates:
            if estimate.weighted_ci95 is None:
                continue
            share = estimate.weighted_percent / 100
            old = wilson_interval(share * effective_n, effective_n)
            old_width = 100 * (old[1] - old[0])
            new_width = estimate.weighted_ci95[1] - estimate.weighted_ci95[0]
            if old_width > 0:
                ratios.append(new_width / old_width)
                if new_width == 0:
                    degenerate.append(f"{question.code} {estimate.code} ({estimate.weighted_percent:.1f} %)")
    print(f"campagne {args.campaign} : {len(ratios)} pourcentages redressés, "
          f"effectif efficace (Kish) {effective_n:.1f}, population {results.weighting.population}, "
          f"répondant·es {results.weighting.respondents}")
    print(f"largeur de l'intervalle redressé (plan de sondage, correction de population finie) / "
          f"largeur Wilson-Kish : min {min(ratios):.3f}, médiane {statistics.median(ratios):.3f}, "
          f"max {max(ratios):.3f}")
    spread = [r for r in ratios if r > 0]
    print(f"sans les {len(degenerate)} intervalles de largeur nulle (0 % ou 100 % dans chaque strate : "
          f"{', '.join(degenerate) or 'aucun'}) : min {min(spread):.3f}, "
          f"médiane {statistics.median(spread):.3f}, max {max(spread):.3f}")


if __name__ == "__main__":
    main()
