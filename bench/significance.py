"""Year-over-year significance on the demo: how many comparisons, flagged by p and by q, respondents paired.

Run: .venv/bin/python bench/significance.py [--campaign 2023-2024]

Loads the demo into a fresh SQLite database and analyses the campaign against its previous one as the
results pages do (answers from the store, with respondent keys for a named campaign). Prints the number
of comparisons (all, testable, in the Benjamini–Hochberg family once grid duplicates count once), the
tests used, how many have p < 0.05 (the former rule, test by test) and q < 0.05 (the rule now), and
how many respondents answered both years; then the same counts with the pooled test only (no keys).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import demo_database


def summary(results) -> str:
    from bilan.analysis.significance import comparisons

    found = list(comparisons(results.questions))
    tested = [c for _, c in found if c.p_value is not None]
    family = {key for key, c in found if c.p_value is not None}
    methods = {m: sum(c.method == m for _, c in found) for m in sorted({c.method for _, c in found})}
    smallest = min((c.q_value for c in tested), default=None)
    return (f"{len(found)} comparisons, {len(tested)} testable, {len(family)} in the family; tests {methods}; "
            f"p < 0.05: {sum(c.p_value < 0.05 for c in tested)}; q < 0.05: {sum(c.significant for c in tested)} "
            f"(smallest q {smallest:.3f}); paired respondents: {results.paired_respondents}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--campaign", default="2023-2024")
    args = parser.parse_args()
    demo_database("bilan-bench-significance-")
    from django.conf import settings

    from bilan.analysis import analyse
    from bilan.surveys.answer_store import load_table
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.get(slug=args.campaign)
    previous = campaign.previous
    table, previous_table = load_table(campaign), load_table(previous)
    common = {"previous_questionnaire": previous.questionnaire.schema, "breakdowns": False,
              "small_cell": settings.BILAN_SMALL_CELL_THRESHOLD}
    paired = analyse(campaign.questionnaire.schema, table, previous=previous_table, **common)
    print(f"{campaign.slug} against {previous.slug}, {paired.respondents} and {paired.previous_respondents} "
          "respondents")
    print("as published: " + summary(paired))
    unkeyed = analyse(campaign.questionnaire.schema, table.with_respondent_keys(None),
                      previous=previous_table.with_respondent_keys(None), **common)
    print("pooled test only (no keys): " + summary(unkeyed))


if __name__ == "__main__":
    main()
