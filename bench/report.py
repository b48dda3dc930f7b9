"""Benchmark of the report: build the demo's 2023-2024 document, render it in each format.

Run: .venv/bin/python bench/report.py [--runs 5]

Loads the demo into a fresh SQLite file (in a temporary directory), adds the
demo action plan, then times, as medians of ``--runs`` runs: building the
document (analysis, comment digest, drafting, charts) and each renderer on
that document, and the whole of « build + render » per format (what
`bilan report` does). The first build (charts rendered for the first time) is
shown apart, after the comments digest's own first call (it loads its
language models once per process). Then the wall time of `bilan report` in a fresh process per format.
Targets on this machine: HTML 2 s, PDF 10 s or less.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _setup import demo_database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    directory = demo_database("bilan-bench-report-")
    from bilan.reports.renderers import FORMATS, render
    from bilan.reports.services import build_campaign_report, comment_digests, create_demo_action_plan
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.get(slug="2023-2024")
    create_demo_action_plan(campaign)

    start = time.perf_counter()
    comment_digests(campaign)
    first_digest = time.perf_counter() - start
    start = time.perf_counter()
    document = build_campaign_report(campaign)
    first_build = time.perf_counter() - start
    builds, renders = [], {fmt: [] for fmt in FORMATS}
    sizes = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        document = build_campaign_report(campaign)
        builds.append(time.perf_counter() - start)
        for fmt in FORMATS:
            start = time.perf_counter()
            _, _, content = render(document, fmt)
            renders[fmt].append(time.perf_counter() - start)
            sizes[fmt] = len(content)
    build = statistics.median(builds)
    sections = len(document.visible_sections())
    print(f"Demo report 2023-2024 ({sections} sections), medians of {args.runs} runs")
    print(f"  first comment digest in the process: {first_digest:6.2f} s  (bilan.commentary, loads its models)")
    print(f"  first build after it (charts cold):  {first_build:6.2f} s")
    print(f"  build document:                      {build:6.2f} s")
    for fmt in FORMATS:
        median = statistics.median(renders[fmt])
        print(f"  render {fmt:4}: {median:6.2f} s   build + render: {build + median:6.2f} s"
              f"   ({sizes[fmt] / 1024:,.0f} Kio)")
    # What a person waits for with `bilan report`: a fresh process each time.
    from django.db import connection

    connection.close()
    bilan = Path(sys.executable).with_name("bilan")
    print("Fresh process `bilan report 2023-2024 --format F --out FILE` (one run each, wall time):")
    for fmt in FORMATS:
        start = time.perf_counter()
        subprocess.run([str(bilan), "report", "2023-2024", "--format", fmt, "--out",
                        str(Path(directory) / f"cr.{fmt}")], check=True, capture_output=True)
        print(f"  {fmt:4}: {time.perf_counter() - start:6.2f} s")


if __name__ == "__main__":
    main()
