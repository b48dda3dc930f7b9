"""Benchmark of the analysis engine on synthetic answers.

Run: .venv/bin/python bench/analysis.py [--sizes 10000,100000,1000000] [--runs 3]

For each size, a fresh child process builds a 60-question synthetic
questionnaire, two synthetic years of answers (this year and the previous
one) and a roster, then times the full analysis (every question, both
breakdowns, post-stratification, previous-year comparison) and a bare
polars group-by producing the same counts (stratum × answer value, for each
answer column of both years). Medians of ``--runs`` runs. Memory is the
child's resident set: peak over the whole child (ru_maxrss) and peak sampled
while the analysis runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import threading
import time

QUESTIONS = 60


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class _PeakSampler:
    """Samples the resident set every few milliseconds in a thread."""

    def __init__(self, interval: float = 0.005):
        self.interval = interval
        self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, _rss_bytes())
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


def bare_group_by(tables) -> float:
    import polars as pl

    from bilan.analysis.table import DEPARTEMENT_COLUMN, SCHOOL_TYPE_COLUMN

    started = time.perf_counter()
    queries = []
    for table in tables:
        frame = table.frame.lazy()
        for name in table.frame.columns:
            if name not in (SCHOOL_TYPE_COLUMN, DEPARTEMENT_COLUMN):
                queries.append(frame.group_by([SCHOOL_TYPE_COLUMN, DEPARTEMENT_COLUMN, name]).len())
    pl.collect_all(queries)
    return time.perf_counter() - started


def child(size: int, runs: int) -> dict:
    from bilan.analysis import AnswerTable, analyse
    from bilan.demo.synthetic import synthetic_answers, synthetic_questionnaire, synthetic_roster

    started = time.perf_counter()
    questionnaire = synthetic_questionnaire(QUESTIONS, seed=1)
    table = AnswerTable.from_columns(questionnaire, synthetic_answers(questionnaire, size, seed=1))
    previous = AnswerTable.from_columns(questionnaire, synthetic_answers(questionnaire, size, seed=2))
    roster = synthetic_roster(size * 3, seed=1)
    build_seconds = time.perf_counter() - started
    rss_before = _rss_bytes()
    engine_times, bare_times = [], []
    with _PeakSampler() as sampler:
        for _ in range(runs):
            started = time.perf_counter()
            results = analyse(questionnaire, table, roster=roster, previous=previous)
            engine_times.append(time.perf_counter() - started)
    for _ in range(runs):
        bare_times.append(bare_group_by([table, previous]))
    answered = sum(q.base.answered for q in results.questions)
    return {
        "size": size,
        "columns": table.frame.width - 2,
        "build_s": build_seconds,
        "engine_s": statistics.median(engine_times),
        "bare_s": statistics.median(bare_times),
        "rss_before_mib": rss_before / 2**20,
        "rss_analysis_peak_mib": sampler.peak / 2**20,
        "rss_child_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "answers_counted": answered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.runs)))
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    print(f"Analyse complète : {QUESTIONS} questions, deux ventilations, pondération, comparaison N-1 "
          f"(médiane de {args.runs} passages, un processus par taille, {os.cpu_count()} cœurs)")
    header = f"{'réponses':>10} {'colonnes':>8} {'moteur s':>9} {'group-by s':>10} {'ratio':>6} " \
             f"{'RSS avant':>10} {'RSS pic analyse':>16} {'RSS pic total':>14} {'génération s':>13}"
    print(header)
    for size in sizes:
        output = subprocess.run([sys.executable, __file__, "--child", str(size), "--runs", str(args.runs)],
                                check=True, capture_output=True, text=True).stdout
        row = json.loads(output.strip().splitlines()[-1])
        print(f"{row['size']:>10} {row['columns']:>8} {row['engine_s']:>9.3f} {row['bare_s']:>10.3f} "
              f"{row['engine_s'] / row['bare_s']:>6.2f} {row['rss_before_mib']:>7.0f}Mio "
              f"{row['rss_analysis_peak_mib']:>13.0f}Mio {row['rss_child_peak_mib']:>11.0f}Mio "
              f"{row['build_s']:>13.1f}", flush=True)


if __name__ == "__main__":
    main()
