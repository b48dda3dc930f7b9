"""Learning from the team's coding: reading saved by the review order, and year-over-year agreement.

Figures measured with the constants of bilan/comments/learning.py, which were chosen on the
development set only. The brief's targets: at most 30 % of a set reviewed before 95 % of its
comments carry their right themes, and 85 % agreement year over year without any review. They
are reached on the test set (held out) and NOT on the development set: the floors below guard
the figures reached there, they do not claim the targets.
"""

import time

import numpy as np
import pytest

from bilan.comments import Comment, assign
from bilan.comments.learning import TextFeatures, ThemeModel, review_order, simulate_review

READING_TARGET = 0.30
RIGHT_TARGET = 0.95
YEAR_TARGET = 0.85
# Best honest figures reached (see the module docstring): development set 59.6 % reviewed and
# 65.8 % agreement when trained on the test set; `test_the_ceiling_of_the_development_set` shows why.
DEVELOPMENT_READING_FLOOR = 0.62
DEVELOPMENT_YEAR_FLOOR = 0.63


@pytest.fixture(scope="module")
def features(codebook):
    return TextFeatures(codebook)


@pytest.fixture(scope="module")
def test_set(labelled):
    return [item["text"] for item in labelled["items"]], [set(item["labels"]) for item in labelled["items"]]


@pytest.fixture(scope="module")
def development_set(development):
    return [item["text"] for item in development["items"]], [set(item["labels"]) for item in development["items"]]


def _agreement(predicted, truth):
    return sum(p == t for p, t in zip(predicted, truth, strict=True)) / len(truth)


def _report_reading(name, simulation):
    status = "reached" if simulation.share_reviewed <= READING_TARGET else "NOT reached"
    print(
        f"\nreading on the {name} ({simulation.total} comments): {simulation.reviewed} reviewed "
        f"({simulation.share_reviewed:.1%}) before {RIGHT_TARGET:.0%} are right "
        f"(target ≤ {READING_TARGET:.0%}: {status}); agreement without any review "
        f"{simulation.agreement_without_review:.1%}"
    )


def test_reading_saved_on_the_test_set(codebook, features, test_set):
    texts, truth = test_set
    simulation = simulate_review(codebook, texts, truth, retrain_every=10, target=RIGHT_TARGET, features=features)
    _report_reading("test set", simulation)
    assert simulation.reached
    assert simulation.share_reviewed <= READING_TARGET


def test_reading_saved_on_the_development_set(codebook, features, development_set):
    texts, truth = development_set
    simulation = simulate_review(codebook, texts, truth, retrain_every=10, target=RIGHT_TARGET, features=features)
    _report_reading("development set", simulation)
    # Reviewing in the model's order beats reading the set from the top until 95 % are right.
    assert simulation.reached
    assert simulation.share_reviewed <= DEVELOPMENT_READING_FLOOR
    # Shares right only grow with the reviews (reviewed comments count as right).
    shares = [share for _, share in simulation.curve]
    assert shares[-1] >= RIGHT_TARGET and shares[-1] > shares[0]


def test_year_over_year(codebook, features, test_set, development_set):
    test_texts, test_truth = test_set
    development_texts, development_truth = development_set
    forward = _agreement(
        ThemeModel.fit(codebook, development_texts, development_truth, features=features).predict(test_texts),
        test_truth,
    )
    backward = _agreement(
        ThemeModel.fit(codebook, test_texts, test_truth, features=features).predict(development_texts),
        development_truth,
    )
    unsupervised = _agreement(ThemeModel.fit(codebook, [], [], features=features).predict(development_texts),
                              development_truth)
    print(
        f"\nyear over year, no review (target {YEAR_TARGET:.0%}): trained on the development set, "
        f"{forward:.1%} on the test set ({'reached' if forward >= YEAR_TARGET else 'NOT reached'}); "
        f"trained on the test set, {backward:.1%} on the development set "
        f"({'reached' if backward >= YEAR_TARGET else 'NOT reached'}; unsupervised: {unsupervised:.1%})"
    )
    assert forward >= YEAR_TARGET
    assert backward >= DEVELOPMENT_YEAR_FLOOR
    assert backward > unsupervised


def _cross_validated_agreement(codebook, features, texts, truth, extra_texts=(), extra_truth=(), folds=5):
    """Exact agreement on each fold of ``texts`` of a model trained on the other folds (and the extra set)."""
    order = np.random.default_rng(0).permutation(len(texts))
    right = 0
    for fold in np.array_split(order, folds):
        held = set(fold.tolist())
        train = [i for i in range(len(texts)) if i not in held]
        model = ThemeModel.fit(codebook, [texts[i] for i in train] + list(extra_texts),
                               [truth[i] for i in train] + list(extra_truth), features=features)
        predicted = model.predict([texts[i] for i in fold])
        right += sum(p == truth[i] for p, i in zip(predicted, fold, strict=True))
    return right / len(texts)


def test_the_ceiling_of_the_development_set(codebook, features, test_set, development_set):
    """Why the reading target is out of this model's reach on the development set.

    With a share r of the comments reviewed (all right), 95 % right overall needs the model right on
    0.95 − r of ALL the comments, every one of its errors being among the reviewed ones: at r = 30 %,
    65 %. A model trained on 80 % of the development set (and on the whole test set) is right on only
    the share printed below of the comments it did not see, under 65 % whatever the review order."""
    texts, truth = development_set
    needed = RIGHT_TARGET - READING_TARGET
    alone = _cross_validated_agreement(codebook, features, texts, truth)
    with_test = _cross_validated_agreement(codebook, features, texts, truth, *test_set)
    held_out = _cross_validated_agreement(codebook, features, *test_set)
    print(
        f"\nceiling: 5-fold agreement on the development set {alone:.1%} (trained on 4/5 of it), "
        f"{with_test:.1%} (and on the test set); at {READING_TARGET:.0%} reviewed, {RIGHT_TARGET:.0%} right needs "
        f"the model right on {needed:.0%} of all the comments; test set, 5-fold: {held_out:.1%}"
    )
    # The same model reads the test set far better: the development set's paraphrases need knowledge
    # the labelled comments do not carry (« Copilot » is AI, « 250 sur 1024 » is a Pix score).
    assert held_out > with_test + 0.1
    assert with_test >= alone - 0.02


def test_without_coded_comments_the_model_is_the_unsupervised_assignment(codebook, features, test_set):
    texts, _ = test_set
    model = ThemeModel.fit(codebook, [], [], features=features)
    expected = [set() for _ in texts]
    for a in assign(codebook, [Comment(i, t) for i, t in enumerate(texts)]):
        expected[a.comment_id].add(a.theme_code)
    assert model.predict(texts) == expected


def test_a_theme_with_one_coded_comment(codebook, features, test_set):
    texts, _ = test_set
    coded = "Les élèves de 6e recopient les réponses du chatbot sans les lire."
    model = ThemeModel.fit(codebook, [coded], [{"ia"}], features=features)
    unsupervised = ThemeModel.fit(codebook, [], [], features=features)
    probabilities = model.probabilities(texts)
    assert model.coded["ia"] == 1 and model.coded["reseau"] == 0
    column = codebook.codes.index("ia")
    # The theme with a coded comment has its own classifier alongside `assign`; the others keep `assign`.
    assert not np.allclose(probabilities[:, column], unsupervised.probabilities(texts)[:, column])
    other = codebook.codes.index("reseau")
    assert np.allclose(probabilities[:, other], unsupervised.probabilities(texts)[:, other])
    assert "ia" in model.predict([coded])[0]


def test_probabilities_lie_within_zero_and_one(codebook, features, test_set, development_set):
    model = ThemeModel.fit(codebook, *development_set, features=features)
    probabilities = model.probabilities(test_set[0])
    assert probabilities.shape == (len(test_set[0]), len(codebook))
    assert probabilities.min() >= 0.0 and probabilities.max() <= 1.0
    assert model.probabilities([]).shape == (0, len(codebook))


def test_review_order_puts_the_least_confident_first():
    probabilities = np.array([[0.99, 0.01, 0.02], [0.55, 0.45, 0.5], [0.9, 0.3, 0.05], [0.02, 0.01, 0.97]])
    order = review_order(probabilities)
    assert order[0] == 1 and order[1] == 2 and set(order[2:]) == {0, 3}
    for method in ("entropy", "margin", "top"):
        assert review_order(probabilities, method=method)[0] == 1
    assert review_order(np.zeros((0, 3))) == []


def test_retraining_changes_predictions_after_decisions(codebook, features, development_set):
    texts, truth = development_set
    before_model = ThemeModel.fit(codebook, [], [], features=features)
    before = before_model.predict(texts)
    wrong = [i for i in range(len(texts)) if before[i] != truth[i]][:40]
    after_model = ThemeModel.fit(codebook, [texts[i] for i in wrong], [truth[i] for i in wrong], features=features)
    after = after_model.predict(texts)
    assert after != before
    # The team's decisions are kept as they are, and the retrained model reads other comments anew.
    assert all(after[i] == truth[i] for i in wrong)
    rest = [i for i in range(len(texts)) if i not in set(wrong)]
    assert any(after[i] != before[i] for i in rest)


def test_the_automatic_pass_is_fast(codebook, features, test_set, development_set):
    # 500 comments never seen nor embedded; sentence embeddings computed once (cached per text).
    base = test_set[0] + development_set[0]
    texts = [*(f"{t} Merci." for t in base), *(f"{t} Bonne journée." for t in base)][:500]
    start = time.perf_counter()
    features.vectors(texts)
    embedding = time.perf_counter() - start
    start = time.perf_counter()
    model = ThemeModel.fit(codebook, *development_set, features=features)
    fitting = time.perf_counter() - start
    start = time.perf_counter()
    model.predict(texts)
    first = time.perf_counter() - start
    start = time.perf_counter()
    ThemeModel.fit(codebook, *development_set, features=features).predict(texts)
    retrain = time.perf_counter() - start
    print(
        f"\n500 new comments: sentence embeddings {embedding:.2f} s (once per text), "
        f"training on 260 comments {fitting:.2f} s, "
        f"first pass {first:.2f} s (including the unsupervised `assign`, once per set of comments), "
        f"retrain + pass {retrain:.2f} s (target < 1 s)"
    )
    assert retrain < 1.0
