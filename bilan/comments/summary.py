"""Per-theme figures for results and the report: respondents, ranking, representative quotes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .assignment import Assignment
from .codebook import Codebook, Comment
from .pseudonymise import Pseudonymiser
from .similarity import same_remark, signature

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


def _quotes(
    members: Sequence[Assignment],
    texts: Mapping[Any, str],
    lookup: Callable[[Any], Any],
    pseudonymiser: Pseudonymiser,
    count: int,
) -> tuple[str, ...]:
    def preference(a: Assignment):
        length = len(texts[a.comment_id].strip())
        fits = _QUOTE_MIN <= length <= _QUOTE_MAX
        return (not fits, -_SOURCE_TRUST.get(a.source, 0), -a.confidence, length, str(a.comment_id))

    quotes: list[str] = []
    seen_respondents, seen_texts, seen_raw = set(), set(), set()
    seen_marks: list[frozenset[str]] = []
    # Pseudonymising runs a language model on each text (milliseconds each): a theme of 10^4 comments
    # that all read the same once pseudonymised (« RAS », a number replaced) must not cost minutes.
    tried = 0
    for assignment in sorted(members, key=preference):
        if len(quotes) >= count or tried >= count * QUOTE_CANDIDATES_PER_QUOTE:
            break
        respondent = lookup(assignment.comment_id)
        raw = texts[assignment.comment_id].strip()
        raw_key = " ".join(raw.lower().split())
        if (respondent is not None and respondent in seen_respondents) or raw_key in seen_raw:
            continue  # the same text or the same person again: nothing new to pseudonymise
        seen_raw.add(raw_key)
        tried += 1
        text = pseudonymiser.apply(raw)
        key = " ".join(text.lower().split())
        mark = signature(text)
        # Never two near-identical quotes (« … » and « … Merci ! »): the second says nothing new.
        if ((respondent is not None and respondent in seen_respondents) or key in seen_texts
                or any(same_remark(mark, other) for other in seen_marks)):
            continue
        seen_respondents.add(respondent)
        seen_texts.add(key)
        seen_marks.append(mark)
        quotes.append(text)
    return tuple(quotes)
