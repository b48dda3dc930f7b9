"""Per-theme figures for results and the report: respondents, ranking, representative quotes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .assignment import Assignment
from .codebook import Codebook, Comment
from .pseudonymise import Pseudonymiser
from .similarity import overlap, same_remark, signature

__all__ = ["ThemeSummary", "summarise"]

# Quotes read best between these lengths (characters); longer ones are used only if needed.
_QUOTE_MIN, _QUOTE_MAX = 25, 280
_SOURCE_TRUST = {"manual": 2, "keyword": 1, "similarity": 0}


@dataclass(frozen=True, slots=True)
class ThemeSummary:
    """One theme's figures: distinct respondents citing it, comments, rank (1 = most cited), quotes."""

    code: str
    label: str
    respondents: int
    comments: int
    rank: int
    quotes: tuple[str, ...]


# Candidates pseudonymised at most per quote wanted, before a theme is left with fewer quotes.
QUOTE_CANDIDATES_PER_QUOTE = 20


def summarise(
    codebook: Codebook,
    assignments: Sequence[Assignment],
    comments: Sequence[Comment],
    respondent_of: Mapping[Any, Any] | Callable[[Any], Any],
    *,
    pseudonymiser: Pseudonymiser,
    quotes_per_theme: int = 2,
    min_confidence: float = 0.0,
) -> list[ThemeSummary]:
    """Summaries of every theme, most cited first (ties share a rank: 1, 2, 2, 4).

    A respondent citing a theme in several comments counts once. Quotes are always
    pseudonymised, come from different respondents and prefer the surest assignments.
    """
    lookup = respondent_of.get if isinstance(respondent_of, Mapping) else respondent_of
    texts = {c.id: c.text for c in comments}
    by_theme: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        if assignment.confidence >= min_confidence and assignment.comment_id in texts:
            by_theme[assignment.theme_code].append(assignment)

    rows = []
    for theme in codebook:
        members = by_theme.get(theme.code, [])
        respondents = {lookup(a.comment_id) for a in members}
        respondents.discard(None)
        rows.append((theme, members, len(respondents)))
    rows.sort(key=lambda row: (-row[2], -len(row[1]), row[0].label))

    summaries = []
    previous, rank = None, 0
    for position, (theme, members, respondents) in enumerate(rows, start=1):
        if respondents != previous:
            rank, previous = position, respondents
        summaries.append(
            ThemeSummary(
                code=theme.code,
                label=theme.label,
                respondents=respondents,
                comments=len(members),
                rank=rank,
                quotes=_quotes(members, texts, lookup, pseudonymiser, quotes_per_theme),
            )
        )
    return summaries


# Maximal marginal relevance (Carbonell & Goldstein, 1998): each next quote maximises
# MMR_LAMBDA × relevance − (1 − MMR_LAMBDA) × its largest overlap with a quote already chosen, so a
# theme's second quote is sure AND says something the first does not.
MMR_LAMBDA = 0.7


def _quotes(
    members: Sequence[Assignment],
    texts: Mapping[Any, str],
    lookup: Callable[[Any], Any],
    pseudonymiser: Pseudonymiser,
    count: int,
) -> tuple[str, ...]:
    def fits(a: Assignment) -> bool:
        return _QUOTE_MIN <= len(texts[a.comment_id].strip()) <= _QUOTE_MAX

    def preference(a: Assignment):
        return (not fits(a), -_SOURCE_TRUST.get(a.source, 0), -a.confidence,
                len(texts[a.comment_id].strip()), str(a.comment_id))

    def relevance(a: Assignment) -> float:
        """In [0, 1]: the assignment's confidence first, then a trusted source and a readable length."""
        return 0.6 * a.confidence + 0.2 * _SOURCE_TRUST.get(a.source, 0) / 2 + 0.2 * fits(a)

    # Candidates: the preferred distinct texts, at most QUOTE_CANDIDATES_PER_QUOTE per quote wanted.
    # Pseudonymising runs a language model on each text (milliseconds each): a theme of 10^4 comments
    # that all read the same once pseudonymised (« RAS », a number replaced) must not cost minutes.
    pool: list[tuple[Assignment, str, frozenset[str]]] = []
    seen_raw = set()
    for assignment in sorted(members, key=preference):
        if len(pool) >= count * QUOTE_CANDIDATES_PER_QUOTE:
            break
        raw = texts[assignment.comment_id].strip()
        raw_key = " ".join(raw.lower().split())
        if raw_key not in seen_raw:
            seen_raw.add(raw_key)
            pool.append((assignment, raw, signature(raw)))

    quotes: list[str] = []
    seen_respondents, seen_texts = set(), set()
    chosen_marks: list[frozenset[str]] = []
    while pool and len(quotes) < count:
        def marginal(item: tuple[Assignment, str, frozenset[str]]) -> float:
            redundancy = max((overlap(item[2], mark) for mark in chosen_marks), default=0.0)
            return MMR_LAMBDA * relevance(item[0]) - (1 - MMR_LAMBDA) * redundancy

        # max() keeps the first of equal scores: the preferred one.
        best = max(pool, key=marginal)
        pool.remove(best)
        assignment, raw, _ = best
        respondent = lookup(assignment.comment_id)
        if respondent is not None and respondent in seen_respondents:
            continue  # the same person again: nothing new to pseudonymise
        text = pseudonymiser.apply(raw)
        key = " ".join(text.lower().split())
        mark = signature(text)
        # Never two near-identical quotes (« … » and « … Merci ! »): the second says nothing new.
        if key in seen_texts or any(same_remark(mark, other) for other in chosen_marks):
            continue
        seen_respondents.add(respondent)
        seen_texts.add(key)
        chosen_marks.append(mark)
        quotes.append(text)
    return tuple(quotes)
