"""French typography for numbers and text shown to people (pure, no Django).

A non-breaking space (U+00A0) goes before « % : ; ? ! » and inside « »;
numbers use a decimal comma and a narrow non-breaking space (U+202F) between
thousands, as the Imprimerie nationale's rules and the DSFR content guide say.
"""

from __future__ import annotations

import math
import re

NBSP = "\u00a0"
NNBSP = "\u202f"


def round_half_up(value: float, digits: int = 0) -> float:
    factor = 10 ** digits
    return math.floor(value * factor + 0.5) / factor


def fr_number(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "—"
    rounded = round_half_up(float(value), decimals)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",")


def fr_percent(value: float | None, decimals: int = 0) -> str:
    """``53.1`` → ``"53 %"`` with a non-breaking space."""
    if value is None:
        return "—"
    return f"{fr_number(value, decimals)}{NBSP}%"


def fr_points(value: float | None) -> str:
    """A signed difference in percentage points: ``+6 points``, ``−10 points``."""
    if value is None:
        return "—"
    rounded = int(round_half_up(abs(value)))
    if rounded == 0:
        return "stable"
    sign = "+" if value > 0 else "−"
    return f"{sign}{rounded}{NBSP}point{'s' if rounded > 1 else ''}"


def guillemets(text: str) -> str:
    return f"«{NBSP}{text.strip()}{NBSP}»"


_BEFORE_HIGH_PUNCTUATION = re.compile(r"[ \u00a0\u202f]*([:;?!%»])")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")


def fix_typography(text: str) -> str:
    """Put non-breaking spaces where French typography wants them.

    Leaves URLs and times (12:45) alone: a colon between two digits or inside
    ``://`` is not punctuation.
    """

    def before(match: re.Match) -> str:
        mark = match.group(1)
        start = match.start()
        if mark == ":" and (text[match.end():match.end() + 2] == "//"
                            or (start > 0 and text[start - 1].isdigit() and text[match.end():match.end() + 1].isdigit())):
            return match.group(0)
        if start == 0 or text[start - 1] in "\n(":
            return match.group(0)
        return NBSP + mark

    text = _BEFORE_HIGH_PUNCTUATION.sub(before, text)
    return _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, text)
