"""Benchmark of answer imports into a campaign and raw answer exports.

Run: .venv/bin/python bench/interop_django.py [--sizes 1000,10000] [--runs 3]

For each size, writes a synthetic LimeSurvey response CSV and a Google Forms
CSV on the test questionnaire (tests/interop/data/enquete.yaml: every answer
kind), then prints medians of ``--runs`` runs: the whole import into a closed
campaign (``plan_answers_import`` + ``import_answers``, replacing the previous
run's answers), and the raw export in each format. Uses a temporary SQLite
database; nothing else is touched.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from _setup import fresh_database, median_seconds

ROOT = Path(__file__).resolve().parents[1]
ENQUETE = ROOT / "tests" / "interop" / "data" / "enquete.yaml"
ROLES = ["Collège", "Lycée", "Lycée professionnel", "EREA"]
TOOLS = ["ENT", "Pix", "Tchap", "Visio, classe virtuelle"]
FREQ = ["Souvent", "Parfois", "Jamais"]


def limesurvey_csv(size: int, rng: random.Random) -> bytes:
    lines = ["id;submitdate;ROLE;ROLE[other];OUTILS[ent];OUTILS[pix];OUTILS[tchap];OUTILS[visio];OUTILS[other];"
             "ATELIERS;FREQ[eleves];FREQ[collegues];SATISF;HEURES;COMMENT"]
    for index in range(size):
        role = rng.choice(["college", "lycee", "lp", "-oth-"])
        ticks = [rng.choice(["Y", ""]) for _ in range(4)]
        lines.append(";".join([
            str(index + 1), "2024-06-12 10:31:02", role, "EREA" if role == "-oth-" else "", *ticks, "",
            rng.choice(["Y", "N"]), rng.choice(["souvent", "parfois", "jamais"]), rng.choice(["souvent", ""]),
            str(rng.randint(1, 5)), f"{rng.randint(0, 40) / 2}", rng.choice(["", "Très bien, à refaire"])]))
    return ("\ufeff" + "\n".join(lines) + "\n").encode("utf-8")


def google_csv(size: int, rng: random.Random) -> bytes:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Horodateur", "Dans quel type d'établissement exercez-vous ?",
                     "Quels outils utilisez-vous avec vos collègues ?", "Avez-vous animé des ateliers cette année ?",
                     "À quelle fréquence accompagnez-vous ces publics ? [Élèves]",
                     "À quelle fréquence accompagnez-vous ces publics ? [Collègues]",
                     "Êtes-vous satisfait·e de votre mission ?", "Combien d'heures par semaine y consacrez-vous ?",
                     "Un commentaire ?"])
    for _ in range(size):
        writer.writerow(["12/06/2024 10:01:00", rng.choice(ROLES), ", ".join(rng.sample(TOOLS, rng.randint(0, 3))),
                         rng.choice(["Oui", "Non"]), rng.choice(FREQ), rng.choice(FREQ), rng.randint(1, 5),
                         str(rng.randint(0, 40) / 2).replace(".", ","), rng.choice(["", "Plus de formation, svp"])])
    return buffer.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    fresh_database("bilan-bench-interop-")

    from bilan.roster.models import Academie
    from bilan.surveys.exports import export_answers
    from bilan.surveys.imports import import_answers, import_questionnaire, plan_answers_import

    Academie.objects.create(code="poitiers", name="Poitiers")
    campaign = import_questionnaire(ENQUETE.read_bytes(), ENQUETE.name, campaign_slug="bench",
                                    school_year="2022-2023").campaign
    rng = random.Random(1)
    print(f"{'size':>7} {'import LS csv s':>15} {'import Google s':>15} "
          f"{'export csv s':>12} {'xlsx s':>7} {'ods s':>7} {'json s':>7}")
    for size in [int(text) for text in args.sizes.split(",")]:
        files = {"limesurvey.csv": limesurvey_csv(size, rng), "google.csv": google_csv(size, rng)}
        timings = {}
        for name, data in files.items():
            def run_import(name=name, data=data, size=size):
                result = import_answers(plan_answers_import(campaign, data, name), replace=True)
                assert result.imported == size, result.notes

            timings[name] = median_seconds(run_import, args.runs)
        exports = [median_seconds(lambda fmt=fmt: export_answers(campaign, fmt), args.runs)
                   for fmt in ("csv", "xlsx", "ods", "json")]
        print(f"{size:>7} {timings['limesurvey.csv']:>15.2f} {timings['google.csv']:>15.2f} "
              f"{exports[0]:>12.2f} {exports[1]:>7.2f} {exports[2]:>7.2f} {exports[3]:>7.2f}", flush=True)


if __name__ == "__main__":
    main()
