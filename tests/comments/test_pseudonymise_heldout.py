"""The pseudonymiser on corpora written apart from its code (issue 17: no name word of three letters or
more survives, every tool and institution stays, no two placeholders side by side for one person).

Five corpora, each written by someone who had not read the pseudonymiser's code nor run it:

- ``pseudonymisation.yaml`` (64 comments): the first; the pseudonymiser was built on it.
- ``pseudonymisation-new.yaml`` (204): held out at first (measured 2026-11-30: 9 name words surviving,
  12 words lost, 1 side by side), then used to tune.
- ``pseudonymisation-third.yaml`` (215): held out at first (10, 12 — 7 once five « kept » school words
  contrary to the product's rule were corrected —, 0), then used to tune.
- ``pseudonymisation-final.yaml`` (255): held out at first (15, 10 — 8 once two « kept » schools contrary to
  the product's rule were corrected —, 1), then used to tune.
- ``pseudonymisation-fifth.yaml`` (276): held out, measured once after all the tuning (18, 25, 2; the
  pseudonymiser as it was before the last round of tuning: 33, 31, 2); never tune on it.
"""

import re

import pytest
import yaml

from bilan.comments import Person, Pseudonymiser
from tests.comments.conftest import DATA

PLACEHOLDER = r"\[un·e [^\]]+\]"
# Two person placeholders with nothing but spaces, a hyphen or brackets between them: one person cut in
# several (a person and their e-mail, « [un·e collègue] ([courriel]) », are two things).
SIDE_BY_SIDE = re.compile(rf"{PLACEHOLDER}[\s\-()]*{PLACEHOLDER}")

TUNED = ("pseudonymisation.yaml", "pseudonymisation-new.yaml", "pseudonymisation-third.yaml",
         "pseudonymisation-final.yaml")
HELD_OUT = "pseudonymisation-fifth.yaml"

# What is left on the corpora used to tune: a school named by its short name alone (« Branly a une
# super salle »), a tool that is also a first name (« un site statique avec Hugo »), a lower-case first
# name that is also a word (« thaïs et … »), a school's name in lower case alone (« de brassens »),
# « c'est Noël » when Noël is in the roster and a nickname (« le vieux Sergent »).
TUNED_NOW = {
    "pseudonymisation.yaml": {"leaks": 0, "lost": 0, "side_by_side": 0},
    "pseudonymisation-new.yaml": {"leaks": 1, "lost": 1, "side_by_side": 0},
    "pseudonymisation-third.yaml": {"leaks": 2, "lost": 1, "side_by_side": 0},
    "pseudonymisation-final.yaml": {"leaks": 1, "lost": 0, "side_by_side": 0},
}
# The held-out corpus as first measured (2026-11-30), before anyone looked at its failures. The target is
# 0, 0 and 0 (issue 17); these figures only keep it from getting worse.
HELD_OUT_FIRST_MEASURE = {"leaks": 18, "lost": 25, "side_by_side": 2}


def _count(word: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text))


def figures(corpus: dict) -> dict:
    roster = corpus["roster"]
    pseudonymiser = Pseudonymiser([Person(**p) for p in roster["people"]], roster["schools"])
    leaks, lost, side_by_side = [], [], []
    for comment in corpus["comments"]:
        out = pseudonymiser.apply(comment["text"])
        for removed in comment["removed"]:
            # Every name word of three letters or more, as written (a phrase « Claire m'a » names « Claire »;
            # « une consigne claire » left in the text is the common word, not the name).
            words = [w.strip(".-") for w in re.findall(r"[\w’'.-]+", str(removed)) if len(w.strip(".-")) >= 3
                     and (w[:1].isupper() or str(removed).islower())]
            # A name that is also a kept word of the comment (« Pascal Da Silva … le langage Pascal ») may
            # survive as many times as the kept strings hold it.
            leaks += [(w, out) for w in words if _count(w, out) > sum(_count(w, kept) for kept in comment["kept"])]
        lost += [(kept, out) for kept in comment["kept"] if kept not in out]
        if SIDE_BY_SIDE.search(out) and not SIDE_BY_SIDE.search(comment["text"]):
            side_by_side.append(out)
    return {"comments": len(corpus["comments"]), "leaks": leaks, "lost": lost, "side_by_side": side_by_side}


@pytest.fixture(scope="module")
def results():
    return {name: figures(yaml.safe_load((DATA / name).read_text(encoding="utf-8"))) for name in (*TUNED, HELD_OUT)}


def test_the_figures_of_every_corpus_are_printed(results):
    for name, found in results.items():
        role = "held out" if name == HELD_OUT else "used to tune"
        print(f"\n{name} ({role}): {found['comments']} comments, {len(found['leaks'])} name words surviving, "
              f"{len(found['lost'])} tools or words lost, {len(found['side_by_side'])} placeholders side by side")
        for leak in found["leaks"][:40]:
            print("   survives:", leak)
        for item in found["lost"][:40]:
            print("   lost:", item)
        for out in found["side_by_side"][:20]:
            print("   side by side:", out)
    assert results[HELD_OUT]["comments"] >= 150


def test_the_held_out_corpus_gets_no_worse_than_first_measured(results):
    found = results[HELD_OUT]
    for key, floor in HELD_OUT_FIRST_MEASURE.items():
        print(f"\nheld out, {key}: {len(found[key])} (target 0, first measured {floor})")
        assert len(found[key]) <= floor


@pytest.mark.parametrize("name", TUNED)
def test_the_corpora_used_to_tune_stay_where_tuning_left_them(results, name):
    found = results[name]
    assert {key: len(found[key]) for key in ("leaks", "lost", "side_by_side")} == TUNED_NOW[name]
