"""Secret statistique on the demo's campaigns: what is hidden, what the auditor finds, what it costs.

Run: .venv/bin/python bench/disclosure.py [--runs 3]

For 2022-2023 and 2023-2024 (with the year before), prints the hidden cells
of the breakdowns, the cells the auditor finds exposed after protection (0
expected), the tables published and withdrawn, the post-stratified figures
withheld, the strata merged, and the analysis's wall time with the
protection and without it (``small_cell=0``), medians of ``--runs`` runs in
this process (answers already in memory: the protection's cost does not
depend on how they were read).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter

from bilan.analysis import AnswerTable, analyse
from bilan.analysis.audit import audit, small_bases
from bilan.demo.generator import build_academie, build_campaign_answers
from bilan.questionnaire import load_builtin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    questionnaire = load_builtin("bilan-rupn")
    academie = build_academie()

    def table(year: str) -> AnswerTable:
        return AnswerTable.from_records(questionnaire, [
            {"answers": a.answers, "school_type": a.school_type, "departement_code": a.departement_code}
            for a in build_campaign_answers(academie, questionnaire, year)])

    def roster(year: str) -> dict:
        counts = Counter()
        for referent in academie.in_post(year):
            school = academie.primary_school(referent.email, year)
            counts[(school.type, school.departement_code)] += 1
        return dict(counts)

    for year, previous in (("2022-2023", None), ("2023-2024", "2022-2023")):
        current, before, invited = table(year), (table(previous) if previous else None), roster(year)
        timings = {}
        for label, threshold in (("protected", 5), ("unprotected", 0)):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                results = analyse(questionnaire, current, roster=invited, previous=before, small_cell=threshold)
                times.append(time.perf_counter() - start)
            timings[label] = statistics.median(times)
        results = analyse(questionnaire, current, roster=invited, previous=before)
        start = time.perf_counter()
        ranges = audit(questionnaire, results)
        audit_time = time.perf_counter() - start
        exposed = [r for r in ranges if r.high - r.low < r.required]
        published = sum(len(q.breakdowns) for q in results.questions)
        withdrawn = sum("non publié" in note for q in results.questions for note in q.notes)
        estimates = [e for q in results.questions for e in [*q.options, *(x for r in q.rows for x in r.columns)]]
        weighted_withheld = sum(e.weighted_percent is None for e in estimates)
        print(f"{year}: {results.respondents} respondents; {len(ranges)} hidden cells, {len(exposed)} exposed, "
              f"{len(small_bases(results))} small bases; {published} tables published, {withdrawn} withdrawn; "
              f"{weighted_withheld} of {len(estimates)} weighted figures withheld")
        for note in results.notes:
            if "regroupés" in note:
                print(f"  {note}")
        print(f"  analysis {timings['protected']:.2f} s protected, {timings['unprotected']:.2f} s without "
              f"(×{timings['protected'] / timings['unprotected']:.1f}); a full audit {audit_time:.2f} s")


if __name__ == "__main__":
    main()
