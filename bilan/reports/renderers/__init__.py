"""Renderers of a report document: each returns ``(filename, mimetype, bytes)``."""

from __future__ import annotations

import re
from collections.abc import Callable

from bilan.reports.document import Note, ReportDocument

FORMATS = ("html", "pdf", "odt", "md")


def render(document: ReportDocument, fmt: str) -> tuple[str, str, bytes]:
    if fmt == "html":
        from bilan.reports.renderers.html import render_html as renderer
    elif fmt == "pdf":
        from bilan.reports.renderers.pdf import render_pdf as renderer
    elif fmt == "odt":
        from bilan.reports.renderers.odt import render_odt as renderer
    elif fmt in ("md", "markdown"):
        from bilan.reports.renderers.markdown import render_markdown as renderer
    else:
        raise ValueError(f"Format « {fmt} » inconnu : choisissez parmi {', '.join(FORMATS)}.")
    return renderer(document)


def base_filename(document: ReportDocument) -> str:
    suffix = f"-v{document.version}" if document.version else ""
    return f"compte-rendu-{document.campaign}{suffix}"


def emphasis_pattern(words: list[str]) -> str | None:
    """A regular expression (a string, for odfdo too) finding the block's key words as whole words, whatever
    their case, the longest first; None when there is none."""
    if not words:
        return None
    alternatives = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
    return rf"(?i)(?<!\w)(?:{alternatives})(?!\w)"


def item_emphasis(block, index: int) -> str | None:
    """The pattern of the key words of the block's ``index``-th item (see :func:`emphasis_pattern`)."""
    return emphasis_pattern(block.emphasis[index]) if index < len(block.emphasis) else None


def embolden(text: str, pattern: str | None, before: str, after: str) -> str:
    """``text`` with its key words between ``before`` and ``after`` (« <strong> », « ** »), two key words
    in a row in one bold run (« **temps dégagé** »)."""
    if pattern is None:
        return text
    bold = re.sub(pattern, lambda match: f"{before}{match.group(0)}{after}", text)
    return bold.replace(f"{after} {before}", " ")


class NoteMarks:
    """Marks the first use of each note's term (an acronym) with ``sign(number)``, its footnote call.

    One per rendering: a term is marked once in the whole document.
    """

    def __init__(self, notes: list[Note], sign: Callable[[int], str]):
        self.pending = {note.term: note.number for note in notes}
        self.sign = sign

    def mark(self, text: str) -> str:
        for term, number in list(self.pending.items()):
            pattern = re.compile(rf"\b{re.escape(term)}\b")
            if pattern.search(text):
                text = pattern.sub(term + self.sign(number), text, count=1)
                del self.pending[term]
        return text

