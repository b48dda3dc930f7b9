"""Benchmark of the comments on the demo (145 answers of 2023-2024): the digest, and the review page over HTTP.

Run: .venv/bin/python bench/commentary.py [--runs 5] [--reviews 10]

Prints, on a SQLite file loaded with ``bilan demo``'s data:

- in this process: the first digest (models loaded, automatic pass computed and cached in the
  database), the median of a cold pass in a warm process (cache emptied, models already loaded),
  and the median of cached calls;
- over HTTP, the production server (``bilan serve``, started fresh on the database, its digest
  cache emptied), logged in as a pilot, on the review page of INFO_MISSING: the first load (the
  server computes the automatic pass and trains the model), then ``--reviews`` times « Confirmer ces
  thèmes » with the proposed themes, each followed by the next comment's page (the model retrained
  on the decisions, the rest re-ranked): the median and the slowest of those round trips, the
  comments confirmed as the page reports them, and the server's peak memory (the largest
  maximum resident set size of its processes).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

from _servers import ROOT, Server, database, production_env, server_folder, setup_django

sys.path.insert(0, str(ROOT))
from tests.walker import Browser, log_in

PILOT = ("pilote-banc-commentaires", "Banc-d-essai-commentaires-2026")
QUESTION = "INFO_MISSING"


def digest_in_process(runs: int) -> None:
    from bilan.commentary.models import DigestCache
    from bilan.commentary.services import comment_digest
    from bilan.surveys.models import Campaign

    campaign = Campaign.objects.select_related("academie", "questionnaire").get(slug="2023-2024")
    start = time.perf_counter()
    digest = comment_digest(campaign)
    first = time.perf_counter() - start
    cold, cached = [], []
    for _ in range(runs):
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
    print(f"automatic pass, warm process (median of {runs}): {statistics.median(cold):.2f} s")
    print(f"cached digest (median of {runs}): {statistics.median(cached):.3f} s")


def _pilot() -> None:
    from django.contrib.auth import get_user_model

    from bilan.core.models import Membership, Role
    from bilan.roster.models import Academie

    pilot = get_user_model().objects.create_user(username=PILOT[0], password=PILOT[1])
    Membership.objects.create(user=pilot, academie=Academie.objects.get(code="poitiers"), role=Role.PILOT)


def _peak_memory_mb(server: Server) -> float:
    """The largest VmHWM (peak resident set) among the server's processes (gunicorn's arbiter and workers)."""
    peak = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != server.process.pid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ProcessLookupError):
            continue
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peak = max(peak, int(found.group(1)))
    return peak / 1024


def _confirmed(body: str) -> str:
    found = re.search(r'<p id="avancement">([^<]*)', body)
    return " ".join(found.group(1).split()) if found else "?"


def review_over_http(url: str, reviews: int) -> None:
    from bilan.commentary.models import DigestCache

    DigestCache.objects.all().delete()  # the server computes the automatic pass itself
    server = Server(production_env(url), cwd=server_folder(url)).wait_ready()
    try:
        browser = Browser(server.url, timeout=600)
        log_in(browser, *PILOT)
        path = f"/campagnes/2023-2024/commentaires/{QUESTION}/relecture/"
        start = time.perf_counter()
        page = browser.get(path)
        first = time.perf_counter() - start
        if page.status != 200:
            raise SystemExit(f"review page: HTTP {page.status}")
        before = _confirmed(page.body)
        round_trips = []
        for _ in range(reviews):
            form = next((f for f in page.forms if f.attrs.get("id") == "relecture"), None)
            if form is None:
                break  # every comment reviewed
            fields = [(item["name"], item.get("value", "")) for item in form.inputs
                      if item.get("name") and (item.get("type") == "hidden"
                                               or (item.get("type") == "checkbox" and "checked" in item))]
            start = time.perf_counter()
            page = browser.open("POST", form.action, fields, referer=page.path)
            round_trips.append(time.perf_counter() - start)
            if page.status != 200 or ("Confirmer ces thèmes" not in page.body and "ont été relus" not in page.body):
                raise SystemExit(f"confirming: HTTP {page.status} on {page.path}")
        browser.close()
        print(f"review page over HTTP ({QUESTION}), fresh server: first load {first:.2f} s (automatic pass + model)")
        print(f"confirm + next comment, {len(round_trips)} decisions: median {statistics.median(round_trips):.2f} s, "
              f"slowest {max(round_trips):.2f} s")
        print(f"page's progress: « {before} » then « {_confirmed(page.body)} »")
        print(f"server peak memory (largest process): {_peak_memory_mb(server):.0f} MB")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reviews", type=int, default=10)
    args = parser.parse_args()
    with database("sqlite", "bilan-bench-commentary") as url:
        setup_django(url)
        from bilan.demo.loader import load_demo

        load_demo()
        _pilot()
        digest_in_process(args.runs)
        review_over_http(url, args.reviews)


if __name__ == "__main__":
    main()
