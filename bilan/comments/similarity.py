"""When two comments say the same thing: shared content words (no Django).

A report never quotes the same remark twice, nor two remarks that differ only by
their framing (« Pour ma part : », « Merci ! »). Two texts are near-duplicates when
most of the content words of the shorter one (folded stems, stop words left out)
are in the other one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from bilan.comments.normalise import content_stems

T = TypeVar("T")

# « Most »: more than half. At 0.6, « Le wifi dans toutes les salles » and « Un wifi fiable, c'est la
# base » (one stem of two shared) stay two remarks; a remark and its reworded copy (all shared) are one.
SHARED_SHARE = 0.6


def signature(text: str) -> frozenset[str]:
    """The folded stems of the content words of ``text``."""
    return frozenset(content_stems(text))


def overlap(first: frozenset[str], second: frozenset[str]) -> float:
    """Share of the shorter signature's words found in the other (``same_remark``'s measure), 0 when empty."""
    shorter = min(len(first), len(second))
    return len(first & second) / shorter if shorter else 0.0


def same_remark(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two signatures are one remark: at least SHARED_SHARE of the shorter's words in the other.

    Two texts without any content word (« !!! ») are the same remark; one without and one with are not.
    A one-word remark is the same as another only when that is all the other says: « Plus de wifi. » and
    « Le wifi tombe pendant les cours. » are two remarks, though the second holds the first's one word.
    """
    shorter = min(len(first), len(second))
    if shorter <= 1:
        return first == second
    return len(first & second) >= SHARED_SHARE * shorter


def distinct(items: Iterable[T], text_of: Callable[[T], str] = str,
             seen: list[frozenset[str]] | None = None, limit: int | None = None) -> list[T]:
    """The items in their order, each dropped when it repeats an earlier one (or one of ``seen``,
    which is extended with the signatures kept, so that one list can run through a whole report);
    at most ``limit`` of them."""
    kept_signatures = seen if seen is not None else []
    kept: list[T] = []
    for item in items:
        if limit is not None and len(kept) >= limit:
            break
        mark = signature(text_of(item))
        if any(same_remark(mark, other) for other in kept_signatures):
            continue
        kept_signatures.append(mark)
        kept.append(item)
    return kept
