"""Benchmark of comment_digest on the demo (145 answers of 2023-2024).

Run: .venv/bin/python bench/commentary.py [--runs 5]

Prints: the first digest in a fresh process (models loaded, automatic pass
computed and cached in the database), the median of a cold pass in a warm
process (cache emptied, models already loaded), and the median of cached calls.
"""

from __future__ import annotations

import argparse
import statistics
import time

from _setup import demo_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    demo_database("bilan-bench-commentary-")
    from bilan.commentary.models import DigestCache
    from bilan.commentary.services import comment_digest
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.select_related("academie", "questionnaire").get(slug="2023-2024")
    start = time.perf_counter()
    digest = comment_digest(campaign)
    first = time.perf_counter() - start
    cold, cached = [], []
    for _ in range(args.runs):
        DigestCache.objects.all().delete()
        start = time.perf_counter()
        comment_digest(campaign)
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        comment_digest(campaign)
        cached.append(time.perf_counter() - start)
    comments = sum(q.answered for q in digest.values())
    print(f"demo 2023-2024: {len(digest)} free-text questions, {comments} comments")
    print(f"first digest, fresh process (models loaded): {first:.2f} s")
    print(f"automatic pass, warm process (median of {args.runs}): {statistics.median(cold):.2f} s")
    print(f"cached digest (median of {args.runs}): {statistics.median(cached):.3f} s")


if __name__ == "__main__":
    main()
