"""Benchmark of the path a user takes, end to end: import N answers, then every reader of them.

Run: .venv/bin/python bench/end_to_end.py [--quick] [--sizes 10000,100000] [--databases sqlite,postgres]

On the built-in questionnaire ``bilan-rupn`` (every kind of question the RUPN survey uses, with its
conditions), for each database (SQLite file, or a PostgreSQL database ``bilan_bench_end_to_end``
created on ``BENCH_POSTGRES``, default postgres://postgres@127.0.0.1:5432, then dropped), in a
process of its own, and for each size N:

- N answers drawn by ``bilan.demo.synthetic`` (seeded, conditions obeyed) written as a LimeSurvey
  response CSV, then stored through the real import path: ``bilan import answers FILE --campaign …``;
- each in a fresh process: ``bilan results --format json``, ``bilan export answers`` in csv, xlsx,
  ods and json, ``bilan report --format html``;
- over HTTP against the production server (``bilan serve``), logged in as a pilot: the results
  overview and the first section's page, first then second load;
- a bare polars group-by of the same counts on the same data (read the CSV, ``value_counts`` of
  every answer column, in this process), and the ratio of ``bilan results`` to it.

Wall time and peak memory (maximum resident set size, from ``/usr/bin/time -v``) of each command;
prints a markdown table. The default (10^4 and 10^5 on both databases) takes several minutes,
``--quick`` (10^4 only) a few; ``--sizes 1000000`` is the large case.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from _servers import BILAN, ROOT, Server, database, production_env, server_folder, setup_django

sys.path.insert(0, str(ROOT))
from bilan.french import fr_number
from tests.walker import Browser, WalkError, log_in

DATABASE_NAME = "bilan_bench_end_to_end"
PILOT = ("pilote-banc", "Banc-d-essai-bilan-2026")
TIME = Path("/usr/bin/time")
SCHOOL_TYPE_HEADING, DEPARTEMENT_HEADING = "type_etablissement", "departement"
EXPORT_FORMATS = ("csv", "xlsx", "ods", "json")


# --------------------------------------------------------------------------- the answer file

def write_limesurvey_csv(schema, n: int, path: Path, seed: int = 1) -> None:
    """N seeded answers to ``schema`` as a LimeSurvey response CSV (code headings), with two strata columns."""
    import polars as pl

    from bilan.demo.synthetic import COMMENTS_FR, synthetic_answers
    from bilan.questionnaire import QuestionType
    from bilan.questionnaire.schema import OTHER_CODE

    draws = synthetic_answers(schema, n, seed=seed, columnar=True)
    index = pl.int_range(0, pl.len())
    columns = [(index + 1).cast(pl.String).alias("id"), pl.lit("2024-06-12 10:31:02").alias("submitdate"),
               pl.col("school_type").alias(SCHOOL_TYPE_HEADING), pl.col("departement_code").alias(DEPARTEMENT_HEADING)]

    def code_of(column: str, codes) -> pl.Expr:
        return pl.col(column).replace_strict(dict(enumerate(codes)), default=None, return_dtype=pl.String)

    for question in schema.questions:
        code, qtype = question.code, question.type
        if qtype is QuestionType.MULTIPLE:
            for option in question.choice_codes:
                ticked = pl.col(f"{code}|{option}").fill_null(False)
                if option == OTHER_CODE:
                    columns.append(pl.when(ticked).then(pl.lit("précision")).otherwise(pl.lit("")).alias(f"{code}[other]"))
                else:
                    columns.append(pl.when(ticked).then(pl.lit("Y")).otherwise(pl.lit("")).alias(f"{code}[{option}]"))
        elif qtype is QuestionType.GRID:
            for row in question.rows:
                columns.append(code_of(f"{code}|{row.code}", [c.code for c in question.columns])
                               .fill_null("").alias(f"{code}[{row.code}]"))
        elif qtype.is_choice:
            value = code_of(code, question.choice_codes)
            limesurvey_value = pl.when(value == OTHER_CODE).then(pl.lit("-oth-")).otherwise(value)
            columns.append(limesurvey_value.fill_null("").alias(code))
            if question.other:
                columns.append(pl.when(value == OTHER_CODE).then(pl.lit("précision")).otherwise(pl.lit(""))
                               .alias(f"{code}[other]"))
        elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            columns.append(pl.col(code).cast(pl.Int64).cast(pl.String).fill_null("").alias(code))
        else:
            comment = pl.concat_str([pl.lit(COMMENTS_FR[0][:-1]), pl.lit(" (n° "), index.cast(pl.String), pl.lit(").")])
            columns.append(pl.when(pl.col(code)).then(comment).otherwise(pl.lit("")).alias(code))
    draws.select(columns).write_csv(path)


def polars_counts(path: Path) -> tuple[float, int]:
    """Seconds of a bare polars count of every answer column of the file (read included), and the counts made."""
    import polars as pl

    start = time.perf_counter()
    frame = pl.read_csv(path, infer_schema=False)
    counts = [frame.get_column(name).value_counts() for name in frame.columns
              if name not in ("id", "submitdate")]
    return time.perf_counter() - start, sum(len(c) for c in counts)


# --------------------------------------------------------------------------- timing a fresh process

def run_timed(command: list[str], env: dict, cwd: str | None, timeout: float) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MiB) and, on failure, the end of the error output of ``command``."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as stats:
        if TIME.exists():
            wrapped = [str(TIME), "-v", "-o", stats.name, *command]
        else:
            # Without GNU time: the peak of the one child, read by a small Python parent.
            wrapped = [sys.executable, "-c",
                       "import resource, subprocess, sys; code = subprocess.run(sys.argv[2:]).returncode; "
                       "open(sys.argv[1], 'w').write('Maximum resident set size (kbytes): %d\\n' % "
                       "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)",
                       stats.name, *command]
        start = time.perf_counter()
        # Its own session: on a timeout the command goes with its wrapper, not just the wrapper.
        process = subprocess.Popen(wrapped, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                   text=True, start_new_session=True)
        try:
            _, errors = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return time.perf_counter() - start, float("nan"), f"code -9 : arrêté après {timeout:.0f} s"
        wall = time.perf_counter() - start
        peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", Path(stats.name).read_text())
    problem = "" if process.returncode == 0 else f"code {process.returncode} : " + " ⏎ ".join(
        errors.strip().splitlines()[-3:])
    return wall, int(peak.group(1)) / 1024 if peak else float("nan"), problem


# --------------------------------------------------------------------------- one database

def prepare(slug: str):
    """A closed campaign on bilan-rupn in a new académie (once), and a pilot of it."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bilan.core.models import Membership, Role
    from bilan.demo.synthetic import DEPARTEMENT_SHARES
    from bilan.roster.models import Academie, Departement
    from bilan.surveys.models import Campaign, CampaignState
    from bilan.surveys.services import register_builtin_questionnaire
    from bilan.vocabularies import DEPARTEMENTS

    academie, _ = Academie.objects.get_or_create(code="poitiers", defaults={"name": "Poitiers"})
    for code in DEPARTEMENT_SHARES:  # the file's départements, known to the académie: real strata
        Departement.objects.get_or_create(academie=academie, code=code, defaults={"name": DEPARTEMENTS[code]})
    pilot, created = get_user_model().objects.get_or_create(username=PILOT[0])
    if created:
        pilot.set_password(PILOT[1])
        pilot.save()
        Membership.objects.create(user=pilot, academie=academie, role=Role.PILOT)
    closes_at = timezone.now() - timedelta(days=30)
    return Campaign.objects.create(
        slug=slug, title=f"Banc d'essai {slug}", academie=academie, school_year="2023-2024",
        questionnaire=register_builtin_questionnaire(), opens_at=closes_at - timedelta(days=60),
        closes_at=closes_at, state=CampaignState.CLOSED)


def http_loads(server: Server, slug: str, section: str) -> list[tuple[str, float, str]]:
    browser = Browser(server.url, timeout=600)
    rows = []
    try:
        log_in(browser, *PILOT)
    except WalkError as error:
        return [("pages de résultats", float("nan"), str(error))]
    for label, path in (("page des résultats", f"/campagnes/{slug}/resultats/"),
                        ("page d'une partie", f"/campagnes/{slug}/resultats/section/{section}/")):
        for load in ("1er", "2e"):
            try:
                status, _, _, _ = browser.request("GET", path)
            except WalkError as error:
                rows.append((f"{label}, {load} chargement", float("nan"), str(error)))
                continue
            rows.append((f"{label}, {load} chargement", browser.timings[-1].seconds,
                         "" if status == 200 else f"HTTP {status}"))
    browser.close()
    return rows


def run_database(kind: str, sizes: list[int], folder: Path, timeout: float) -> bool:
    """Every step for each size on one database; False when a command failed or a count is wrong."""
    succeeded = True
    with database(kind, DATABASE_NAME) as url:
        setup_django(url)
        from django.db import connections
        from django.db.models import Count

        env = production_env(url)
        cwd = server_folder(url)
        for n in sizes:
            slug = f"banc-{n}"
            campaign = prepare(slug)
            schema = campaign.questionnaire.schema
            answers_file = folder / f"a-importer-{n}.csv"
            if not answers_file.exists():
                start = time.perf_counter()
                write_limesurvey_csv(schema, n, answers_file)
                print(f"<!-- {answers_file.name} : {answers_file.stat().st_size / 2**20:.0f} Mio écrits en "
                      f"{time.perf_counter() - start:.1f} s -->", flush=True)
            connections.close_all()
            rows = []

            def step(label, command, rows=rows, n=n):
                written = Path(command[command.index("--out") + 1]) if "--out" in command else None
                if written is not None:
                    written.unlink(missing_ok=True)  # a file left by an earlier run proves nothing
                wall, peak, problem = run_timed([BILAN, *command], env, cwd, timeout)
                if not problem and written is not None:
                    problem = (f"{written.stat().st_size / 2**20:.1f} Mio écrits" if written.exists()
                               else "aucun fichier écrit")
                rows.append((label, wall, peak, problem))
                print(f"<!-- {kind} {n} {label} : {wall:.1f} s, {peak:.0f} Mio {problem} -->", flush=True)
                return wall

            step("bilan import answers", ["import", "answers", str(answers_file), "--campaign", slug,
                                          "--format", "limesurvey_csv", "--school-type-column", SCHOOL_TYPE_HEADING,
                                          "--departement-column", DEPARTEMENT_HEADING])
            stored = campaign.responses.count()
            by_departement = dict(campaign.responses.values_list("departement_code").annotate(n=Count("id")))
            connections.close_all()
            results = step("bilan results --format json",
                           ["results", slug, "--format", "json", "--out", str(folder / f"resultats-{n}.json")])
            for fmt in EXPORT_FORMATS:
                step(f"bilan export answers --format {fmt}",
                     ["export", "answers", slug, "--format", fmt, "--out", str(folder / f"export-{n}.{fmt}")])
            step("bilan report --format html",
                 ["report", slug, "--format", "html", "--out", str(folder / f"compte-rendu-{n}.html")])
            server = Server(env, cwd=cwd).wait_ready()
            try:
                pages = http_loads(server, slug, schema.sections[0].code)
            finally:
                server.stop()
            bare, value_counts = polars_counts(answers_file)
            print(f"\n### {kind}, N = {fr_number(n)} ({fr_number(stored)} réponses en base)\n")
            print("| étape | durée (s) | mémoire max (Mio) | remarque |")
            print("|---|---:|---:|---|")
            for label, wall, peak, problem in rows:
                print(f"| {label} | {wall:.2f} | {peak:.0f} | {problem} |")
            for label, seconds, problem in pages:
                print(f"| HTTP {label} | {seconds:.2f} | — | {problem} |")
            ratio = f"`bilan results` = {results / bare:.0f} × polars" if not rows[1][3].startswith("code") else ""
            print(f"| polars seul : lecture du CSV + value_counts ({fr_number(value_counts)} comptes) "
                  f"| {bare:.2f} | — | {ratio} |\n", flush=True)
            failed = [label for label, _, _, problem in rows if problem.startswith(("code", "aucun"))]
            failed += [label for label, _, problem in pages if problem]
            if stored != n or "" in by_departement:
                failed.append("import")
                print(f"**{stored} réponses en base pour {n} lignes, par département : {by_departement}.**")
            results_file = folder / f"resultats-{n}.json"
            counted = json.loads(results_file.read_text()).get("respondents") if results_file.exists() else None
            if counted != stored:
                failed.append("bilan results")
                print(f"**`bilan results` compte {counted} répondants pour {stored} en base.**")
            if failed:
                succeeded = False
                print(f"**Échec : {', '.join(failed)}.**\n", flush=True)
        connections.close_all()
    return succeeded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", default=bool(os.environ.get("BENCH_QUICK")),
                        help="10^4 answers only (also with BENCH_QUICK=1, as `make bench` runs it)")
    parser.add_argument("--sizes", help="numbers of answers (default 10000,100000; --quick 10000)")
    parser.add_argument("--databases", default="sqlite,postgres", help="sqlite, postgres or both (default both)")
    parser.add_argument("--folder", help="where the answer files and outputs go (default a temporary folder; "
                                         "an answer file already there is reused)")
    parser.add_argument("--timeout", type=float, default=1800.0,
                        help="seconds after which a command is stopped and marked failed (default 1800)")
    args = parser.parse_args()
    args.sizes = args.sizes or ("10000" if args.quick else "10000,100000")
    sizes = [int(float(size)) for size in args.sizes.split(",")]
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    folder = Path(args.folder) if args.folder else Path(tempfile.mkdtemp(prefix="bilan-bench-e2e-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        succeeded = _run(args, kinds, sizes, folder)
    finally:
        if not args.folder:
            shutil.rmtree(folder)  # answer files and exports: hundreds of MB at 10^6
    sys.exit(0 if succeeded else 1)


def _run(args, kinds: list[str], sizes: list[int], folder: Path) -> bool:
    if len(kinds) > 1:
        print(f"# De bout en bout, bilan-rupn, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cœurs, "
              f"fichiers dans {folder}", flush=True)
        results = []
        for kind in kinds:
            command = [sys.executable, __file__, "--databases", kind, "--sizes", args.sizes, "--folder", str(folder),
                       "--timeout", str(args.timeout)]
            results.append(subprocess.run(command, check=False).returncode == 0)
        return all(results)
    return run_database(kinds[0], sizes, folder, args.timeout)


if __name__ == "__main__":
    main()
