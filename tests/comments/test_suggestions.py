import itertools

import pytest
from sklearn.metrics import adjusted_rand_score

from bilan.comments import TfidfEmbedder, assign, suggest_themes

HELD_BACK = ("ia", "parents", "accessibilite")
# Other held-back choices, printed so that the figure above is not read as cherry-picked.
OTHER_HELD_BACK = (("materiel", "temps", "ecrans"), ("formation", "motivation", "pix", "apps"),
                   ("reseau", "ia", "temps"))
# The brief's acceptance target is 0.5 and is NOT reached (0.41 on the designated triple, 0.31
# on average over every triple of the test set, 0.23 on the development set): these floors
# guard against regressions below what is reached (docs/comments.md).
ARI_TARGET = 0.5
ARI_FLOOR = 0.35
MEAN_ARI_FLOOR = {"test": 0.25, "development": 0.17}


def _ari(truth, suggestions):
    cluster_of = {m: n for n, s in enumerate(suggestions) for m in s.member_ids}
    # A comment that no suggestion holds counts as a group of its own: it was not recovered.
    return adjusted_rand_score(list(truth.values()), [cluster_of.get(i, f"alone-{i}") for i in truth])


def _truth(items, ids, held_back):
    return {
        i: item["labels"][0]
        for i, item in zip(ids, items, strict=True)
        if len(item["labels"]) == 1 and item["labels"][0] in held_back
    }


def test_suggestions_recover_held_back_themes(codebook, labelled, labelled_comments):
    ids = [c.id for c in labelled_comments]
    truth = _truth(labelled["items"], ids, HELD_BACK)
    # Clustering quality proper: the comments of the held-back themes, grouped.
    suggestions = suggest_themes([c for c in labelled_comments if c.id in truth])
    ari = _ari(truth, suggestions)
    # Whole pipeline, as the comments pages run it: assign with the reduced codebook, then
    # suggest from the comments that no keyword and no decision placed.
    surely_covered = {
        a.comment_id for a in assign(codebook.without(*HELD_BACK), labelled_comments) if a.source != "similarity"
    }
    pipeline_ari = _ari(truth, suggest_themes(labelled_comments, exclude=surely_covered))
    print(
        f"\nsuggested themes on {len(truth)} comments of {len(HELD_BACK)} held-back themes: ARI {ari:.2f} "
        f"(target {ARI_TARGET}); after assignment with the reduced codebook: ARI {pipeline_ari:.2f}"
    )
    for s in suggestions:
        print(f"  {s.label} ({len(s.member_ids)})")
    for other in OTHER_HELD_BACK:
        other_truth = _truth(labelled["items"], ids, other)
        other_ari = _ari(other_truth, suggest_themes([c for c in labelled_comments if c.id in other_truth]))
        print(f"  held back {', '.join(other)}: ARI {other_ari:.2f}")
    assert ari >= ARI_FLOOR
    assert pipeline_ari > 0.05


@pytest.mark.parametrize("corpus", ["test", "development"])
def test_suggestions_over_every_triple_of_themes(corpus, codebook, labelled, labelled_comments, development,
                                                 development_comments):
    items, comments = (
        (labelled["items"], labelled_comments) if corpus == "test" else (development["items"], development_comments)
    )
    ids = [c.id for c in comments]
    scores = []
    for triple in itertools.combinations(codebook.codes, 3):
        truth = _truth(items, ids, triple)
        scores.append(_ari(truth, suggest_themes([c for c in comments if c.id in truth])))
    scores.sort()
    mean = sum(scores) / len(scores)
    print(
        f"\nsuggested themes, {corpus} set, every one of the {len(scores)} triples of themes held back: "
        f"mean ARI {mean:.2f}, median {scores[len(scores) // 2]:.2f}, best {scores[-1]:.2f} (target {ARI_TARGET})"
    )
    assert mean >= MEAN_ARI_FLOOR[corpus]


def test_each_suggestion_is_labelled_by_its_telling_lemmas(labelled, labelled_comments):
    wanted = {"parents"}
    pool = [c for c, item in zip(labelled_comments, labelled["items"], strict=True)
            if set(item["labels"]) & (wanted | {"ia"})]
    suggestions = suggest_themes(pool, embedder=TfidfEmbedder())
    assert suggestions
    assert all(s.lemmas and s.label == " · ".join(s.lemmas) for s in suggestions)
    assert all(len(s.member_ids) >= 3 for s in suggestions)
    members = [m for s in suggestions for m in s.member_ids]
    assert len(members) == len(set(members))


def test_too_few_comments_give_no_suggestion(labelled_comments):
    assert suggest_themes(labelled_comments[:3]) == []
