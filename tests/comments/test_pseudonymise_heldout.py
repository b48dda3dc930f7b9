"""The pseudonymiser on a corpus written apart from its code and never used to tune it
(tests/comments/data/pseudonymisation-new.yaml: 204 comments, people in varied forms), with the figures
of the existing corpus printed beside it. Issue 17: no name word of three letters or more survives,
every tool and institution stays, no two placeholders side by side for one person."""

import re

import pytest
import yaml

from bilan.comments import Person, Pseudonymiser
from tests.comments.conftest import DATA

PLACEHOLDER = r"\[un·e [^\]]+\]"
# Two person placeholders with nothing but spaces, a hyphen or brackets between them: one person cut in
# several (a person and their e-mail, « [un·e collègue] ([courriel]) », are two things).
SIDE_BY_SIDE = re.compile(rf"{PLACEHOLDER}[\s\-()]*{PLACEHOLDER}")


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
            leaks += [(w, out) for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", out)]
        lost += [(kept, out) for kept in comment["kept"] if kept not in out]
        if SIDE_BY_SIDE.search(out) and not SIDE_BY_SIDE.search(comment["text"]):
            side_by_side.append(out)
    return {"comments": len(corpus["comments"]), "leaks": leaks, "lost": lost, "side_by_side": side_by_side}


@pytest.fixture(scope="module")
def results():
    return {name: figures(yaml.safe_load((DATA / name).read_text(encoding="utf-8")))
            for name in ("pseudonymisation.yaml", "pseudonymisation-new.yaml")}


def test_the_figures_of_both_corpora_are_printed(results):
    for name, found in results.items():
        print(f"\n{name}: {found['comments']} comments, {len(found['leaks'])} name words surviving, "
              f"{len(found['lost'])} tools or words lost, {len(found['side_by_side'])} placeholders side by side")
        for leak in found["leaks"][:40]:
            print("   survives:", leak)
        for item in found["lost"][:40]:
            print("   lost:", item)
        for out in found["side_by_side"][:20]:
            print("   side by side:", out)
    assert results["pseudonymisation-new.yaml"]["comments"] >= 150


# The held-out corpus as first measured (2026-11-30), before anyone looked at its failures: the target is
# 0, 0 and 0 (issue 17); these floors only keep it from getting worse. Never tune the pseudonymiser on it.
HELD_OUT_FIRST_MEASURE = {"leaks": 9, "lost": 12, "side_by_side": 1}


def test_the_held_out_corpus_gets_no_worse_than_first_measured(results):
    found = results["pseudonymisation-new.yaml"]
    for key, floor in HELD_OUT_FIRST_MEASURE.items():
        print(f"\nheld out, {key}: {len(found[key])} (target 0, first measured {floor})")
        assert len(found[key]) <= floor


def test_the_existing_corpus_is_clean(results):
    found = results["pseudonymisation.yaml"]
    assert (found["leaks"], found["lost"], found["side_by_side"]) == ([], [], [])
