"""Automatic assignment of comments to the codebook's themes.

Two signals, in this order of trust:
1. the team's manual decisions (a comment forced into or out of a theme), always respected;
2. the codebook's keywords, matched on the stems of lemmas (negation-aware for « ~ » keywords);
3. for comments no keyword reaches, similarity to what each theme already holds: its
   reference text, its examples from past years, and this year's comments matched by
   keyword or by hand. A comment joins its most similar theme when it is at least as close
   to it as the theme's own members typically are to each other, so each theme gets a
   threshold fitted to its own spread instead of one magic number.

The constants below were chosen on tests/comments/data/development.yaml, a labelled set
written apart from the test set (labelled.yaml), so that the test figure is not fitted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .codebook import Codebook, Comment, Keyword
from .embedding import Embedder, TfidfEmbedder, default_embedder
from .normalise import NEGATION_WORDS, Token, analyse

__all__ = ["Assignment", "Decision", "assign", "keyword_hits"]

# Extra content words tolerated inside a multi-word keyword (« formation sur le terrain en présentiel »).
_GAP = 2
# Nearest members averaged to score a comment against a theme.
_TOP_K = 3
# Members used per theme, so that scoring 10^4 comments stays a bounded matrix product.
_MAX_MEMBERS = 400
# A comment joins a theme if its score reaches this quantile of the members' own scores…
_MEMBER_QUANTILE = 0.1
# …within these absolute bounds (cosine similarity of sentence embeddings).
_MIN_THRESHOLD, _MAX_THRESHOLD = 0.25, 0.55
# Share of lemma TF-IDF similarity in a comment's score for a theme.
_LEXICAL_WEIGHT = 0.15


@dataclass(frozen=True, slots=True)
class Decision:
    """A manual decision: ``include=True`` forces the comment into the theme, ``False`` keeps it out."""

    comment_id: Any
    theme_code: str
    include: bool = True


@dataclass(frozen=True, slots=True)
class Assignment:
    """One comment in one theme; ``source`` is « manual », « keyword » or « similarity »."""

    comment_id: Any
    theme_code: str
    confidence: float
    source: str
    matched: tuple[str, ...] = ()  # the keywords that matched, when source is « keyword »


def _content(tokens: Sequence[Token]) -> list[Token]:
    return [t for t in tokens if not t.stop and t.key not in NEGATION_WORDS and len(t.key) > 1]


# A comment's word and a keyword's word sharing a stem are the same word only when their lemmas
# differ by a few letters at most: « chatbots » / « chatbot », « générés » / « générer », but
# not « équipe » / « équipement » or « forme » / « former » (Snowball conflates both pairs).
_STEM_SLACK = 2


def _same_word(token: Token, stem: str, key: str) -> bool:
    return token.key == key or (token.stem == stem and abs(len(token.key) - len(key)) <= _STEM_SLACK)


def _match_spans(keyword: Keyword, content: Sequence[Token]) -> list[tuple[int, ...]]:
    """Token positions of each occurrence of a keyword (words in order, small gaps allowed)."""
    words = list(zip(keyword.lemmas, keyword.keys or keyword.lemmas, strict=True))
    spans = []
    for start, token in enumerate(content):
        if not _same_word(token, *words[0]):
            continue
        positions, ok = [start], True
        for stem, key in words[1:]:
            following = range(positions[-1] + 1, min(len(content), positions[-1] + 2 + _GAP))
            found = next((p for p in following if _same_word(content[p], stem, key)), None)
            if found is None:
                ok = False
                break
            positions.append(found)
        negated = any(content[p].negated for p in positions)
        if ok and (negated or not keyword.negated_only or keyword.exclusion):
            spans.append(tuple(positions))
    return spans


def _keyword_spans(codebook: Codebook, content: Sequence[Token]) -> dict[str, list[tuple[str, tuple[int, ...]]]]:
    """Per theme, each keyword found and the token positions of each of its occurrences not excluded."""
    present = {t.stem for t in content}
    found: dict[str, list[tuple[str, tuple[int, ...]]]] = {}
    for theme in codebook:
        compiled = [k for k in theme.compiled_keywords if k.lemmas[0] in present]
        if not compiled:
            continue
        blocked: set[int] = set()
        for keyword in compiled:
            if keyword.exclusion:
                for span in _match_spans(keyword, content):
                    blocked.update(span)
        spans = [(k.source, span) for k in compiled if not k.exclusion
                 for span in _match_spans(k, content) if not blocked.intersection(span)]
        if spans:
            found[theme.code] = spans
    return found


def keyword_hits(codebook: Codebook, text: str) -> dict[str, list[str]]:
    """The keywords of each theme found in a text: {theme_code: [keyword, …]}."""
    return {code: list(dict.fromkeys(source for source, _ in spans))
            for code, spans in _keyword_spans(codebook, _content(analyse(text))).items()}


def keyword_words(codebook: Codebook, text: str) -> list[str]:
    """The words of a text that make it match a theme's keywords, as written (lower case), in text order:
    what a report sets in bold in a quoted remark (« Avoir du **matériel** qui **fonctionne** ! »)."""
    content = _content(analyse(text))
    positions = sorted({p for spans in _keyword_spans(codebook, content).values() for _, span in spans for p in span})
    return list(dict.fromkeys(content[p].surface for p in positions))


def _top_k_mean(similarities: np.ndarray, k: int) -> np.ndarray:
    k = max(1, min(k, similarities.shape[1]))
    if similarities.shape[1] > k:
        similarities = np.partition(similarities, similarities.shape[1] - k, axis=1)[:, -k:]
    return similarities.mean(axis=1)


def _theme_scores(
    comment_vectors: np.ndarray,
    reference_vectors: np.ndarray,
    codes: Sequence[str],
    reference_rows: dict[str, list[int]],
    members: dict[str, list[int]],
) -> np.ndarray:
    """Score of each comment for each theme: mean similarity to its nearest anchors."""
    scores = np.zeros((len(comment_vectors), len(codes)), dtype=np.float32)
    for column, code in enumerate(codes):
        chosen = members[code]
        anchors = np.vstack([reference_vectors[reference_rows[code]], comment_vectors[chosen]])
        similarities = comment_vectors @ anchors.T
        # A member must not count as its own neighbour.
        for anchor_column, index in enumerate(chosen, start=len(reference_rows[code])):
            similarities[index, anchor_column] = -1.0
        scores[:, column] = _top_k_mean(similarities, _TOP_K)
    return scores


def assign(
    codebook: Codebook,
    comments: Sequence[Comment],
    decisions: Iterable[Decision] | None = None,
    *,
    embedder: Embedder | None = None,
) -> list[Assignment]:
    """Assign comments to themes; a comment may get several themes or none.

    Manual ``decisions`` override everything. Returns assignments ordered by comment
    then by decreasing confidence.
    """
    comments = list(comments)
    if not comments or not len(codebook):
        return [
            Assignment(d.comment_id, d.theme_code, 1.0, "manual") for d in (decisions or []) if d.include
        ]
    codes = codebook.codes
    forced_in: dict[Any, set[str]] = defaultdict(set)
    forced_out: dict[Any, set[str]] = defaultdict(set)
    for decision in decisions or []:
        (forced_in if decision.include else forced_out)[decision.comment_id].add(decision.theme_code)

    hits = [keyword_hits(codebook, c.text) for c in comments]
    members: dict[str, list[int]] = {code: [] for code in codes}
    for index, comment in enumerate(comments):
        labelled = (set(hits[index]) | forced_in[comment.id]) - forced_out[comment.id]
        for code in labelled:
            if code in members:
                members[code].append(index)

    embedder = embedder or default_embedder()
    # Anchors of a theme besides its members: its reference text and its examples from past years.
    references = [t.reference_text for t in codebook]
    reference_rows: dict[str, list[int]] = {code: [i] for i, code in enumerate(codes)}
    for theme in codebook:
        for text in theme.examples:
            reference_rows[theme.code].append(len(references))
            references.append(text)
    vectors = embedder.embed([c.text for c in comments] + references)

    lexical = TfidfEmbedder().embed([c.text for c in comments] + references)
    rng = np.random.default_rng(0)
    sampled = {
        code: sorted(rng.choice(idx, size=_MAX_MEMBERS, replace=False).tolist()) if len(idx) > _MAX_MEMBERS else idx
        for code, idx in members.items()
    }
    # Sentence embeddings carry paraphrases; lemma TF-IDF carries the team's own vocabulary.
    scores = (1 - _LEXICAL_WEIGHT) * _theme_scores(
        vectors[: len(comments)], vectors[len(comments) :], codes, reference_rows, sampled
    ) + _LEXICAL_WEIGHT * _theme_scores(
        lexical[: len(comments)], lexical[len(comments) :], codes, reference_rows, sampled
    )
    thresholds = np.zeros(len(codes), dtype=np.float32)
    member_scores: list[np.ndarray] = []
    for column, code in enumerate(codes):
        own = np.sort(scores[members[code], column]) if members[code] else np.array([], dtype=np.float32)
        member_scores.append(own)
        threshold = float(np.quantile(own, _MEMBER_QUANTILE)) if len(own) >= 3 else _MAX_THRESHOLD
        thresholds[column] = min(max(threshold, _MIN_THRESHOLD), _MAX_THRESHOLD)

    # A second keyword theme must read like the theme's typical member, not its weakest.
    secondary_thresholds = np.array(
        [float(np.median(own)) if len(own) >= 3 else _MAX_THRESHOLD for own in member_scores], dtype=np.float32
    )
    secondary_thresholds = np.maximum(secondary_thresholds, thresholds)

    def similarity_confidence(column: int, score: float) -> float:
        own = member_scores[column]
        if len(own) == 0:
            return float(min(1.0, max(0.0, score)))
        rank = np.searchsorted(own, score, side="right") / len(own)
        return float(min(1.0, 0.5 + 0.5 * rank))

    results: list[Assignment] = []
    for index, comment in enumerate(comments):
        out = forced_out[comment.id]
        chosen: list[Assignment] = [
            Assignment(comment.id, code, 1.0, "manual") for code in sorted(forced_in[comment.id])
        ]
        taken = {a.theme_code for a in chosen}
        keyword_themes = [
            (code, found) for code, found in hits[index].items() if code not in out and code not in taken
        ]
        # Several themes reached by keywords: the strongest is kept; the others only if the
        # comment also reads like them (similarity above their threshold), because a
        # passing word (« en ligne », « à la maison ») is weak evidence of a second theme.
        strength = {
            code: len(found) + similarity_confidence(codes.index(code), float(scores[index, codes.index(code)]))
            for code, found in keyword_themes
        }
        primary = max(strength, key=strength.get) if strength else None
        for code, found in keyword_themes:
            column = codes.index(code)
            if code != primary and scores[index, column] < secondary_thresholds[column]:
                continue
            closeness = similarity_confidence(column, float(scores[index, column]))
            confidence = min(1.0, 0.55 + 0.1 * min(len(found), 2) + 0.25 * closeness)
            chosen.append(Assignment(comment.id, code, round(confidence, 3), "keyword", tuple(found)))
            taken.add(code)
        if not taken:
            row_scores = scores[index].copy()
            for code in out:
                if code in codes:
                    row_scores[codes.index(code)] = -np.inf
            best = int(np.argmax(row_scores))
            if np.isfinite(row_scores[best]) and row_scores[best] >= thresholds[best]:
                ordered = np.sort(row_scores[np.isfinite(row_scores)])
                margin = float(ordered[-1] - ordered[-2]) if len(ordered) > 1 else 1.0
                closeness = similarity_confidence(best, float(row_scores[best]))
                confidence = closeness * min(1.0, 0.6 + 4 * margin) * 0.85
                chosen.append(Assignment(comment.id, codes[best], round(confidence, 3), "similarity"))
        chosen.sort(key=lambda a: -a.confidence)
        results.extend(chosen)
    return results
