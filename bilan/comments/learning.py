"""Learning from the team's own coding (no Django): a light supervised model per theme.

The team's decisions (comments with the set of themes it gave them) train one logistic
regression per theme of the codebook (one-vs-rest) on three kinds of features, each computed
once per text and cached across retrains:

- the stems of the comment (TF-IDF over ``normalise``'s words, stemmed; words and pairs);
- the codebook's keyword hits (``keyword_hits``): a keyword is strong evidence, and the model
  learns how strong for each theme (« réseau » in « le réseau des référents » is not wifi);
- the sentence embedding the engine already uses (``default_embedder()``).

The codebook's examples and each theme's reference text are training examples too. A theme
with fewer than ``MIN_EXAMPLES`` comments coded by the team falls back to the unsupervised
``assign``; above, the classifier is averaged with ``assign``, whose weight shrinks as the team
codes more comments of the theme (``BLEND``). A comment the team coded keeps the team's themes.
``review_order`` puts the least confident comments first, and ``simulate_review``
measures how many comments the team must read, in that order, before the given share of all
the comments carry their right themes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .assignment import assign, keyword_hits
from .codebook import Codebook, Comment
from .embedding import Embedder, default_embedder
from .normalise import NEGATION_WORDS, analyse

__all__ = ["ReviewSimulation", "TextFeatures", "ThemeModel", "review_order", "simulate_review"]

# The constants below were chosen on the development set only (tests/comments/data/development.yaml:
# review simulation and training on the test set, measuring on the development set), among
# C ∈ {1, 3, 10, 30}, block weights, thresholds, blend ∈ {0, 5, 10, 20}, review orders; the
# test set (labelled.yaml) was not used to choose them. Also tried and not kept (no gain on the
# development set): unbalanced classes, a block of nearest-neighbour similarities per theme,
# calibrated probabilities.
# A theme needs this many comments coded by the team before its own classifier joins `assign`.
MIN_EXAMPLES = 1
# Inverse regularisation of each theme's logistic regression.
C = 10.0
# Weights of the three feature blocks (stems, keyword hits, sentence embedding).
STEM_WEIGHT, KEYWORD_WEIGHT, EMBEDDING_WEIGHT = 1.0, 2.0, 2.0
# A comment gets every theme whose probability reaches THRESHOLD; when none does, its surest
# theme if that reaches FALLBACK_THRESHOLD.
THRESHOLD = 0.6
FALLBACK_THRESHOLD = 0.2
# The classifier of a theme with n coded comments is averaged with `assign`'s reading,
# `assign` weighing BLEND / (BLEND + n): the codebook leads at first, the team's coding later.
BLEND = 10.0
# Probability given by the fallback to a theme `assign` did not choose.
_ABSENT = 0.05


def _stem_document(text: str) -> str:
    return " ".join(t.stem or t.key for t in analyse(text)
                    if not t.stop and (len(t.key) > 1 or t.key in NEGATION_WORDS))


@dataclass(eq=False)
class TextFeatures:
    """Per-text cache of what the model reads: stems, keyword hits, sentence embedding.

    Share one instance across retrains so that each text is analysed and embedded once.
    """

    codebook: Codebook
    embedder: Embedder | None = None
    _stems: dict[str, str] = field(default_factory=dict)
    _hits: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    _vectors: dict[str, np.ndarray] = field(default_factory=dict)
    _assigned: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)

    def stems(self, texts: Sequence[str]) -> list[str]:
        for text in texts:
            if text not in self._stems:
                self._stems[text] = _stem_document(text)
        return [self._stems[t] for t in texts]

    def hits(self, texts: Sequence[str]) -> np.ndarray:
        codes = self.codebook.codes
        matrix = np.zeros((len(texts), len(codes)), dtype=np.float32)
        for row, text in enumerate(texts):
            if text not in self._hits:
                self._hits[text] = keyword_hits(self.codebook, text)
            for code, found in self._hits[text].items():
                matrix[row, codes.index(code)] = min(len(found), 2) / 2 + 0.5
        return matrix

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self.embedder = self.embedder or default_embedder()
            for text, vector in zip(missing, self.embedder.embed(missing), strict=True):
                self._vectors[text] = vector
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])

    def assigned(self, texts: Sequence[str]) -> np.ndarray:
        """Probabilities read off the unsupervised ``assign`` (computed once per set of texts)."""
        key = tuple(texts)
        if key not in self._assigned:
            codes = self.codebook.codes
            matrix = np.full((len(texts), len(codes)), _ABSENT, dtype=np.float64)
            comments = [Comment(i, t) for i, t in enumerate(texts)]
            for a in assign(self.codebook, comments, embedder=self.embedder or default_embedder()):
                matrix[a.comment_id, codes.index(a.theme_code)] = 0.5 + 0.5 * a.confidence
            self._assigned[key] = matrix
        return self._assigned[key]


class ThemeModel:
    """One logistic regression per theme (balanced classes), trained on the team's coded comments.

    Its probabilities are not recalibrated: sigmoid calibration (CalibratedClassifierCV, 3 folds)
    was tried and read worse on the development set, and was ten times slower.
    """

    def __init__(self, codebook: Codebook, features: TextFeatures, *, c: float = C,
                 threshold: float = THRESHOLD, fallback_threshold: float = FALLBACK_THRESHOLD,
                 min_examples: int = MIN_EXAMPLES, class_weight: str | None = "balanced", blend: float = BLEND,
                 weights: tuple[float, float, float] = (STEM_WEIGHT, KEYWORD_WEIGHT, EMBEDDING_WEIGHT)):
        self.codebook = codebook
        self.features = features
        self.c = c
        self.threshold = threshold
        self.fallback_threshold = fallback_threshold
        self.min_examples = min_examples
        self.weights = weights
        self.class_weight = class_weight
        self.blend = blend
        self._vectoriser = None
        self._classifiers: dict[str, object] = {}
        self.coded: dict[str, int] = {}
        self.decided: dict[str, set[str]] = {}  # the team's own answers, always given back as they are

    @classmethod
    def fit(cls, codebook: Codebook, texts: Sequence[str], labels: Sequence[Iterable[str]], *,
            features: TextFeatures | None = None, embedder: Embedder | None = None, **options) -> ThemeModel:
        """Train on comments coded by the team (``labels[i]``: the set of themes of ``texts[i]``)."""
        model = cls(codebook, features or TextFeatures(codebook, embedder), **options)
        model._train(list(texts), [set(label) for label in labels])
        return model

    def _matrix(self, texts: Sequence[str]):
        from scipy import sparse

        stem_weight, keyword_weight, embedding_weight = self.weights
        blocks = [sparse.csr_matrix(self.features.hits(texts) * keyword_weight),
                  sparse.csr_matrix(self.features.vectors(texts) * embedding_weight)]
        if self._vectoriser is not None:
            blocks.insert(0, self._vectoriser.transform(self.features.stems(texts)) * stem_weight)
        return sparse.hstack(blocks, format="csr")

    def _train(self, texts: list[str], labels: list[set[str]]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        codes = self.codebook.codes
        self.coded = {code: sum(code in label for label in labels) for code in codes}
        self.decided = {text: label & set(codes) for text, label in zip(texts, labels, strict=True)}
        # The codebook's own examples and reference texts are coded comments too.
        extra_texts, extra_labels = [], []
        for theme in self.codebook:
            for text in (theme.reference_text, *theme.examples):
                extra_texts.append(text)
                extra_labels.append({theme.code})
        all_texts, all_labels = texts + extra_texts, labels + extra_labels
        if not any(self.coded[c] >= self.min_examples for c in codes):
            return
        documents = self.features.stems(all_texts)
        if any(documents):
            self._vectoriser = TfidfVectorizer(token_pattern=r"\S+",  # noqa: S106  a regular expression
                                               sublinear_tf=True, ngram_range=(1, 2)).fit(documents)
        matrix = self._matrix(all_texts)
        for code in codes:
            if self.coded[code] < self.min_examples:
                continue
            target = np.array([code in label for label in all_labels], dtype=int)
            if target.min() == target.max():
                continue
            classifier = LogisticRegression(C=self.c, class_weight=self.class_weight, solver="liblinear")
            self._classifiers[code] = classifier.fit(matrix, target)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Probability of each theme (columns in the codebook's order) for each text, in [0, 1]."""
        texts = list(texts)
        codes = self.codebook.codes
        result = np.zeros((len(texts), len(codes)), dtype=np.float64)
        if not texts:
            return result
        fallback = [i for i, code in enumerate(codes) if code not in self._classifiers]
        if fallback:
            result[:, fallback] = self.features.assigned(texts)[:, fallback]
        if self._classifiers:
            matrix = self._matrix(texts)
            for column, code in enumerate(codes):
                if code in self._classifiers:
                    result[:, column] = self._classifiers[code].predict_proba(matrix)[:, 1]
            if self.blend:
                assigned = self.features.assigned(texts)
                for column, code in enumerate(codes):
                    if code in self._classifiers:
                        share = self.blend / (self.blend + self.coded[code])
                        result[:, column] = share * assigned[:, column] + (1 - share) * result[:, column]
        # A comment the team has coded keeps the team's themes, as ``assign`` respects decisions.
        for row, text in enumerate(texts):
            if text in self.decided:
                result[row] = [1.0 if code in self.decided[text] else 0.0 for code in codes]
        return np.clip(result, 0.0, 1.0)

    def themes(self, probabilities: np.ndarray) -> list[set[str]]:
        """The themes each row of probabilities gives its comment."""
        codes = self.codebook.codes
        chosen = []
        for row in probabilities:
            picked = {codes[i] for i in np.flatnonzero(row >= self.threshold)}
            if not picked and len(row) and row.max() >= self.fallback_threshold:
                picked = {codes[int(np.argmax(row))]}
            chosen.append(picked)
        return chosen

    def predict(self, texts: Sequence[str]) -> list[set[str]]:
        return self.themes(self.probabilities(texts))


# How `review_order` measures doubt: « entropy » (sum over themes of the binary entropy), « margin »
# (closest probability to the threshold) or « top » (weakest surest theme).
ORDER = "entropy"


def review_order(probabilities: np.ndarray, threshold: float = THRESHOLD, method: str | None = None) -> list[int]:
    """Row indices, least confident first (see ``ORDER``; entropy by default)."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    if not len(probabilities):
        return []
    if not probabilities.shape[1]:
        return list(range(len(probabilities)))
    method = method or ORDER
    if method == "margin":
        doubt = -np.abs(probabilities - threshold).min(axis=1)
    elif method == "entropy":
        p = np.clip(probabilities, 1e-9, 1 - 1e-9)
        doubt = -(p * np.log(p) + (1 - p) * np.log(1 - p)).sum(axis=1)
    else:  # "top": the surest theme's probability, lowest first, then the runner-up's, highest first
        ordered = np.sort(probabilities, axis=1)
        doubt = -ordered[:, -1] + (ordered[:, -2] if probabilities.shape[1] > 1 else 0)
    return [int(i) for i in np.argsort(-doubt, kind="stable")]


@dataclass(frozen=True)
class ReviewSimulation:
    """Outcome of ``simulate_review``: comments reviewed before ``target`` of them were right."""

    total: int
    reviewed: int  # comments the team read before the target was reached (total if never)
    reached: bool
    agreement_without_review: float
    curve: tuple[tuple[int, float], ...]  # (comments reviewed, share right) after each retrain

    @property
    def share_reviewed(self) -> float:
        return self.reviewed / self.total if self.total else 0.0


def simulate_review(codebook: Codebook, texts: Sequence[str], truth: Sequence[Iterable[str]], *,
                    retrain_every: int = 10, target: float = 0.95, features: TextFeatures | None = None,
                    **options) -> ReviewSimulation:
    """How many comments the team must review, least confident first, before ``target`` of ALL
    comments carry their right themes (a reviewed comment is right: the team's answer is ``truth``).

    The model starts from the codebook alone (its examples; `assign` for themes without coded
    comments) and is retrained on every decision so far after each ``retrain_every`` reviews.
    """
    texts = list(texts)
    truth = [set(t) for t in truth]
    total = len(texts)
    features = features or TextFeatures(codebook)
    reviewed: list[int] = []
    pending = set(range(total))
    model = ThemeModel.fit(codebook, [], [], features=features, **options)
    curve: list[tuple[int, float]] = []
    without_review = None
    needed = target * total
    while True:
        probabilities = model.probabilities(texts)
        predicted = model.themes(probabilities)
        right = np.array([predicted[i] == truth[i] for i in range(total)])
        if without_review is None:
            without_review = float(right.mean()) if total else 1.0
        correct = len(reviewed) + sum(right[i] for i in pending)
        curve.append((len(reviewed), correct / total if total else 1.0))
        if correct >= needed:
            return ReviewSimulation(total, len(reviewed), True, without_review, tuple(curve))
        order = [i for i in review_order(probabilities, model.threshold) if i in pending]
        for index in order[:retrain_every]:
            reviewed.append(index)
            pending.discard(index)
            if not right[index]:
                correct += 1
            if correct >= needed:
                curve.append((len(reviewed), correct / total))
                return ReviewSimulation(total, len(reviewed), True, without_review, tuple(curve))
        if not pending:
            return ReviewSimulation(total, len(reviewed), correct >= needed, without_review, tuple(curve))
        model = ThemeModel.fit(codebook, [texts[i] for i in reviewed], [truth[i] for i in reviewed],
                               features=features, **options)
