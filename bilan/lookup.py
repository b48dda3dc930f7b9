"""Finding one item of a list by its code: the lookup behind the pure cores' accessors.

``Questionnaire.question``, ``QuestionResult.option``, ``ReportDocument.section``,
``Codebook.theme``… all answer the first item whose code (or key) is the one
asked for, and raise ``KeyError`` when there is none. Pure: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

Item = TypeVar("Item")


def find(items: Iterable[Item], value: object, attribute: str = "code") -> Item:
    """The first of ``items`` whose ``attribute`` equals ``value``; ``KeyError(value)`` when none does."""
    for item in items:
        if getattr(item, attribute) == value:
            return item
    raise KeyError(value)
