"""Benchmark of the respondent's pages under load: questionnaires completed through ``bilan serve``.

Run: .venv/bin/python bench/respondents.py [--quick] [--databases sqlite,postgres] [--clients 1,8,32]

For each database (SQLite file, or a PostgreSQL database ``bilan_bench_respondents`` created on
``BENCH_POSTGRES``, default postgres://postgres@127.0.0.1:5432, and dropped afterwards), in a
process of its own: loads the demo académie, gives every open invitation of the campaign under
way a personal link (adding referents when more are needed), starts the real production server
(``bilan serve``: gunicorn, DEBUG off, its own secret key) on a free loopback port and a
``bilan worker`` (background jobs; its e-mails go to Django's dummy backend), then, for each
number of clients, with and without 4 pilots downloading the PDF report of 2023-2024 in a loop
beside them (each: the download link, its job's page polled until the worker has built the file,
the file): the clients (threads of this process, tests/walker.py) each walk a link from its
first page to the receipt — GET, fill every field, POST with the CSRF token and cookie, follow —
until ``--duration`` seconds or ``--max-questionnaires`` are spent. Prints complete questionnaires
per second, page times (each request, static files not fetched) p50/p95/p99/max, errors; at the
end checks in the database that every acknowledged answer (receipt shown) is stored exactly once.
The load client runs on the same 2 cores as the server: figures are a floor.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from _servers import ROOT, Server, Worker, database, production_env, server_folder, setup_django

sys.path.insert(0, str(ROOT))
from tests.walker import Browser, WalkError, answer_questionnaire, log_in, percentile

REPORT_CAMPAIGN = "2023-2024"
READER_PREFIX, READER_PASSWORD = "pilote-banc-", "Lecture-du-compte-rendu-2026"
DATABASE_NAME = "bilan_bench_respondents"


@dataclass
class Run:
    clients: int
    readers: int
    seconds: float = 0.0
    acknowledged: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    page_seconds: list[float] = field(default_factory=list)
    report_seconds: list[float] = field(default_factory=list)
    report_errors: list[str] = field(default_factory=list)


def prepare_links(needed: int) -> list[str]:
    """Personal links (raw tokens) of ``needed`` open invitations of the campaign under way."""
    from bilan.demo.loader import OPEN_SCHOOL_YEAR
    from bilan.roster.models import Mandate, Referent, School
    from bilan.surveys.models import AccessToken, Campaign
    from bilan.surveys.services import invite_roster
    from bilan.surveys.tokens import hash_token, new_token

    campaign = Campaign.objects.get(slug=OPEN_SCHOOL_YEAR)
    invitations = list(campaign.invitations.filter(submitted_at__isnull=True).order_by("id")[:needed])
    missing = needed - len(invitations)
    if missing > 0:
        # More referents in post this year, one school of the académie each, then invited.
        schools = list(School.objects.filter(departement__academie=campaign.academie).order_by("id"))
        people = Referent.objects.bulk_create([
            Referent(first_name=f"Charge{i}", last_name=f"Banc{i:05d}", email=f"charge{i:05d}@ac-poitiers.fr")
            for i in range(missing)])
        Mandate.objects.bulk_create([Mandate(referent=person, school=schools[i % len(schools)],
                                             school_year=campaign.school_year) for i, person in enumerate(people)])
        invite_roster(campaign, with_tokens=False)
        invitations = list(campaign.invitations.filter(submitted_at__isnull=True).order_by("id")[:needed])
    tokens = [new_token() for _ in invitations]
    AccessToken.objects.bulk_create([AccessToken(invitation=invitation, token_hash=hash_token(token))
                                     for invitation, token in zip(invitations, tokens, strict=True)])
    return tokens


def load(server_url: str, links, clients: int, readers: int, args) -> Run:
    run = Run(clients, readers)
    lock = threading.Lock()
    deadline = time.monotonic() + args.duration
    stop_readers = threading.Event()
    budget = itertools.islice(links, args.max_questionnaires)

    def next_link():
        with lock:
            return next(budget, None) if time.monotonic() < deadline else None

    def respondent(number: int):
        rng = random.Random(number)
        browser = Browser(server_url, timeout=args.timeout)
        while (token := next_link()) is not None:
            try:
                walk = answer_questionnaire(browser, token, rng)
            except WalkError as error:
                with lock:
                    run.errors.append(str(error))
            else:
                with lock:
                    run.acknowledged.append(walk.token)
            browser.cookies.clear()  # the next link is another person on another phone
        browser.close()
        with lock:
            run.page_seconds.extend(timing.seconds for timing in browser.timings)

    def reader(number: int):
        browser = Browser(server_url, timeout=max(args.timeout, 120))
        try:
            log_in(browser, f"{READER_PREFIX}{number}", READER_PASSWORD)
        except WalkError as error:
            run.report_errors.append(str(error))
            return
        while not stop_readers.is_set():
            start = time.perf_counter()
            try:
                pdf = download_report(browser)
            except WalkError as error:
                run.report_errors.append(str(error))
                time.sleep(0.5)  # an error comes fast: do not spin on it
                continue
            if not pdf.startswith(b"%PDF"):
                run.report_errors.append("le fichier reçu n'est pas un PDF")
                continue
            run.report_seconds.append(time.perf_counter() - start)
        browser.close()

    reader_threads = [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(readers)]
    for thread in reader_threads:
        thread.start()
    if readers:
        time.sleep(2)  # the first PDFs under way before the respondents arrive
    start = time.perf_counter()
    threads = [threading.Thread(target=respondent, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - start
    stop_readers.set()
    for thread in reader_threads:
        thread.join(timeout=300)
    return run


def download_report(browser: Browser) -> bytes:
    """The PDF report as a pilot gets it: the link, then (built by the worker) its job's page until the file."""
    path = f"/campagnes/{REPORT_CAMPAIGN}/compte-rendu/telecharger.pdf"
    status, location, data, _ = browser.request("GET", path)
    if status == 200:
        return data  # built in the web process
    job = re.match(r"(?:https?://[^/]+)?(/travaux/[^/]+/)$", location) if status == 302 else None
    if job is None:
        raise WalkError(f"{path} : HTTP {status} {location}")
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        status, _, data, _ = browser.request("GET", job.group(1) + "etat.json")
        state = json.loads(data) if status == 200 else {}
        if state.get("finished"):
            if state.get("status") != "done":
                raise WalkError(f"{job.group(1)} : {state.get('summary')}")
            status, _, data, _ = browser.request("GET", job.group(1) + "fichier")
            if status != 200:
                raise WalkError(f"{job.group(1)}fichier : HTTP {status}")
            return data
        time.sleep(0.5)  # the job page's own script polls about this often
    raise WalkError(f"{job.group(1)} : pas fini en 15 min")


def create_readers(count: int) -> None:
    """Pilots of the demo académie, one a reader: each waits for its own PDF (one job per person)."""
    from django.contrib.auth import get_user_model

    from bilan.core.models import Membership, Role
    from bilan.roster.models import Academie

    academie = Academie.objects.get(code="poitiers")
    for number in range(count):
        user = get_user_model().objects.create_user(f"{READER_PREFIX}{number}", password=READER_PASSWORD)
        Membership.objects.create(user=user, academie=academie, role=Role.PILOT)


def print_run(run: Run) -> None:
    pages = run.page_seconds
    rate = len(run.acknowledged) / run.seconds if run.seconds else 0.0
    line = (f"| {run.clients:>3} | {f'{run.readers} PDF' if run.readers else '  —  ':>5} | {len(run.acknowledged):>5} "
            f"| {rate:6.1f} | {percentile(pages, .5) * 1000:6.0f} | {percentile(pages, .95) * 1000:6.0f} "
            f"| {percentile(pages, .99) * 1000:6.0f} | {max(pages, default=0) * 1000:6.0f} | {len(pages):>6} "
            f"| {len(run.errors):>3} |")
    if run.readers:
        line += (f" {len(run.report_seconds)} PDF, médiane {percentile(run.report_seconds, .5):.1f} s"
                 f"{f', {len(run.report_errors)} erreurs' if run.report_errors else ''}")
    print(line, flush=True)
    for error in run.errors[:3]:
        print(f"|     erreur : {error}")
    for error in run.report_errors[:2]:
        print(f"|     erreur PDF : {error}")


def check_stored(acknowledged: list[str]) -> tuple[int, int, int]:
    """(stored once, missing, stored more than once) among the acknowledged links."""
    from django.db.models import Count

    from bilan.surveys.models import AccessToken, Response, ResponseStatus
    from bilan.surveys.tokens import hash_token

    invitation_of = dict(AccessToken.objects.filter(token_hash__in=[hash_token(t) for t in acknowledged])
                         .values_list("token_hash", "invitation_id"))
    ids = [invitation_of.get(hash_token(token)) for token in acknowledged]
    counts = dict(Response.objects.filter(invitation_id__in=[i for i in ids if i], status=ResponseStatus.SUBMITTED)
                  .exclude(answers={}).values("invitation_id").annotate(n=Count("id"))
                  .values_list("invitation_id", "n"))
    once = sum(1 for i in ids if counts.get(i) == 1)
    missing = sum(1 for i in ids if not counts.get(i))
    return once, missing, sum(1 for i in ids if counts.get(i, 0) > 1)


def run_database(kind: str, args) -> None:
    with database(kind, DATABASE_NAME) as url:
        start = time.perf_counter()
        setup_django(url)
        from django.db import connections

        from bilan.demo.loader import load_demo

        load_demo()
        create_readers(args.readers)
        modes = [0, args.readers] if args.readers else [0]
        links = iter(prepare_links(args.max_questionnaires * len(args.clients) * len(modes) + 1))
        connections.close_all()
        # The worker builds the PDFs (and would send the thank-you notes: no mail leaves the bench).
        env = production_env(url, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
        worker = Worker(env, cwd=server_folder(url))
        server = None
        try:
            server = Server(env, cwd=server_folder(url)).wait_ready()
            # One questionnaire first, not counted: the workers' first pages load their caches.
            acknowledged = [answer_questionnaire(Browser(server.url), next(links), random.Random(0)).token]
            print(f"\n## {kind} — démo chargée, serveur prêt en {time.perf_counter() - start:.0f} s ({server.url})\n")
            print("| clients | à côté | questionnaires | /s | p50 ms | p95 ms | p99 ms | max ms | requêtes | erreurs |")
            print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
            for readers in modes:
                for clients in args.clients:
                    run = load(server.url, links, clients, readers, args)
                    print_run(run)
                    if run.errors or run.report_errors:
                        print("|     journal du serveur : " + server.log_tail(3).replace("\n", " ⏎ "))
                    acknowledged += run.acknowledged
        finally:
            if server is not None:
                server.stop()
            worker.stop()
        once, missing, twice = check_stored(acknowledged)
        print(f"\nRéponses accusées : {len(acknowledged)} ; en base une seule fois : {once} ; "
              f"absentes : {missing} ; en double : {twice}")
        connections.close_all()
        if missing or twice:
            sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")),
                        help="short runs (4 s, 40 questionnaires; also with BENCH_QUICK=1, as `make bench` runs it)")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both (default both)")
    parser.add_argument("--database", dest="databases", help="same as --databases")
    parser.add_argument("--clients", default="1,8,32", help="numbers of clients at once (default 1,8,32)")
    parser.add_argument("--duration", type=float, help="seconds of each run (default 20; --quick 4)")
    parser.add_argument("--max-questionnaires", type=int, help="at most this many per run (default 600; --quick 40)")
    parser.add_argument("--readers", type=int, default=4, help="pilots downloading the PDF beside (0: none)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a request is an error")
    args = parser.parse_args()
    args.duration = args.duration or (4.0 if args.quick else 20.0)
    args.max_questionnaires = args.max_questionnaires or (40 if args.quick else 600)
    args.clients = [int(n) for n in args.clients.split(",")]
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    if len(kinds) > 1:
        # One process per database: Django reads DATABASE_URL once.
        failed = False
        for kind in kinds:
            command = [sys.executable, __file__, "--databases", kind, *_passed_on(args)]
            failed |= subprocess.run(command, check=False).returncode != 0
        sys.exit(1 if failed else 0)
    print(f"# Pages du répondant, {time.strftime('%Y-%m-%d %H:%M')} ; {args.duration:g} s ou "
          f"{args.max_questionnaires} questionnaires par mesure, {args.readers} lecteurs du PDF à côté")
    run_database(kinds[0], args)


def _passed_on(args) -> list[str]:
    return ["--clients", ",".join(map(str, args.clients)), "--duration", str(args.duration),
            "--max-questionnaires", str(args.max_questionnaires), "--readers", str(args.readers),
            "--timeout", str(args.timeout)]


if __name__ == "__main__":
    main()
