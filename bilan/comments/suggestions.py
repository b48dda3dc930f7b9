"""Suggestions of new themes from comments that no theme covers.

Comments are embedded, grouped by k-means on the unit sphere (k chosen by silhouette),
and each group is labelled by its most telling lemmas (class-based TF-IDF: frequent in
the group, rare in the others).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Collection, Sequence

import numpy as np

from .codebook import Comment
from .embedding import Embedder, default_embedder
from .normalise import analyse, NEGATION_WORDS

__all__ = ["Suggestion", "suggest_themes"]

# Silhouette is estimated on at most this many comments (it is quadratic).
_SILHOUETTE_SAMPLE = 2000


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A candidate theme: a label made of its telling lemmas, and its members, most typical first."""

    label: str
    lemmas: tuple[str, ...]
    member_ids: tuple[Any, ...]
    cohesion: float  # mean cosine similarity of the members to the group's centre


def _choose_clusters(vectors: np.ndarray, k_range: range) -> np.ndarray:
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    best_labels, best_score = np.zeros(len(vectors), dtype=int), -1.0
    sample = min(_SILHOUETTE_SAMPLE, len(vectors))
    for k in k_range:
        labels = KMeans(n_clusters=k, n_init=4, random_state=0).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(vectors, labels, metric="cosine", sample_size=sample, random_state=0)
        if score > best_score:
            best_labels, best_score = labels, score
    return best_labels


def _telling_lemmas(groups: list[list[list[tuple[str, str]]]], count: int) -> list[list[str]]:
    """c-TF-IDF: for each group, the lemmas most frequent in it and rarest elsewhere."""
    per_group = [Counter(key for doc in docs for key, _ in set(doc)) for docs in groups]
    display: dict[str, Counter] = {}
    for docs in groups:
        for doc in docs:
            for key, lemma in doc:
                display.setdefault(key, Counter())[lemma] += 1
    total = Counter()
    for counter in per_group:
        total.update(counter)
    average = sum(sum(c.values()) for c in per_group) / max(1, len(per_group))
    result = []
    for counter, docs in zip(per_group, groups):
        size = max(1, len(docs))
        # Lemmas shared by at least two members first: a word used once says little of a group.
        scored = sorted(
            ((freq >= 2, (freq / size) * math.log(1 + average / total[key]), key) for key, freq in counter.items()),
            reverse=True,
        )
        top = [display[key].most_common(1)[0][0] for _, _, key in scored[:count]]
        result.append(top)
    return result


def suggest_themes(
    comments: Sequence[Comment],
    exclude: Collection[Any] = (),
    embedder: Embedder | None = None,
    *,
    max_themes: int = 12,
    min_size: int = 3,
    label_size: int = 4,
) -> list[Suggestion]:
    """Group the comments not in ``exclude`` (ids, e.g. those already assigned) into candidate themes.

    Groups smaller than ``min_size`` are dropped. Suggestions come largest first.
    """
    excluded = set(exclude)
    pool = [c for c in comments if c.id not in excluded and c.text and c.text.strip()]
    if len(pool) < max(2 * min_size, 4):
        return []
    embedder = embedder or default_embedder()
    vectors = embedder.embed([c.text for c in pool])
    upper = min(max_themes, len(pool) // min_size)
    if upper < 2:
        return []
    labels = _choose_clusters(vectors, range(2, upper + 1))

    docs = [
        [(t.key, t.lemma) for t in analyse(c.text) if not t.stop and t.key not in NEGATION_WORDS and len(t.key) > 2]
        for c in pool
    ]
    cluster_ids = sorted(set(labels.tolist()))
    groups = [[docs[i] for i in np.flatnonzero(labels == k)] for k in cluster_ids]
    lemma_lists = _telling_lemmas(groups, label_size)

    suggestions = []
    for k, lemmas in zip(cluster_ids, lemma_lists):
        indexes = np.flatnonzero(labels == k)
        if len(indexes) < min_size:
            continue
        centre = vectors[indexes].mean(axis=0)
        centre /= np.linalg.norm(centre) or 1.0
        closeness = vectors[indexes] @ centre
        order = indexes[np.argsort(-closeness)]
        suggestions.append(
            Suggestion(
                label=" · ".join(lemmas),
                lemmas=tuple(lemmas),
                member_ids=tuple(pool[i].id for i in order),
                cohesion=round(float(closeness.mean()), 3),
            )
        )
    suggestions.sort(key=lambda s: (-len(s.member_ids), -s.cohesion))
    return suggestions
