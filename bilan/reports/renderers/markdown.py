"""Markdown, for wikis and editors (charts given by their data table).

Text is text, as in the HTML, ODT and PDF renderings: every piece of text (quotes, the pilot's
paragraphs and additions, titles, table cells, notes) goes through :func:`md_text`, which
backslash-escapes what Markdown would read as markup. A ``<script>`` or ``<img onerror=…>`` in
a quote is shown as those characters, never passed on as HTML, and ``[clic](javascript:…)`` or
``<javascript:…>`` is never a link. The only markup is the renderer's own: headings, lists,
quotes, tables, footnote calls and the report's images (PNG, JPEG or GIF as data URIs).
"""

from __future__ import annotations

import re

from bilan.french import numeric_date
from bilan.reports.document import DRAFT_NOTE, IMAGE_MIMETYPES, ReportDocument
from bilan.reports.renderers import NoteMarks, base_filename, embolden, item_emphasis

# Markdown's inline markup (emphasis, code, links and images, raw HTML and entities, tables,
# strikethrough), escaped wherever it stands; CommonMark reads a backslash before any ASCII
# punctuation as that character.
_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
# What opens a block at the start of a line: heading, quote, list item, setext underline.
_LINE_START = re.compile(r"^(\s*)([#>+=-])")
_ORDERED = re.compile(r"^(\s*\d+)([.)])")
# A footnote call, set by NoteMarks before escaping and turned into ``[^n]`` after it.
_CALL = "\x00{}\x00"
_CALLS = re.compile("\x00(\\d+)\x00")
_SHOWN_TYPES = frozenset(IMAGE_MIMETYPES.values())


def md_text(text: str) -> list[str]:
    """``text``'s lines, each escaped so that Markdown shows it as written."""
    lines = []
    for line in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _ORDERED.sub(r"\1\\\2", _LINE_START.sub(r"\1\\\2", line))
        lines.append(_CALLS.sub(r"[^\1]", line))
    return lines


def _inline(text: str) -> str:
    """``text`` escaped on one line (a heading, a table cell, an image's description)."""
    return " ".join(line.strip() for line in md_text(str(text).replace("\x00", "")) if line.strip())


def render_markdown(document: ReportDocument) -> tuple[str, str, bytes]:
    marks = NoteMarks(document.notes, _CALL.format).mark

    def mark(text: str) -> str:
        """A paragraph or list item: footnote calls set, then everything else escaped."""
        return "\n".join(md_text(marks(text.replace("\x00", ""))))

    lines = [f"# {_inline(document.title)}", "", f"*Académie de {_inline(document.academie)}*", "",
             _inline(document.subtitle), ""]
    if document.published_on:
        lines += [f"Version {document.version} publiée le {numeric_date(document.published_on)}", ""]
    for section in document.visible_sections():
        lines += [("## " if section.level == 1 else "### ") + _inline(section.title), ""]
        for block in section.blocks:
            if block.flagged:
                lines += ["> **À relire**\u00a0: un chiffre a changé depuis la modification de ce paragraphe ("
                          + _inline("; ".join(block.changed)) + ").", ""]
            if block.text:
                lines += [mark(block.text), ""]
            if block.draft and not block.edited:
                lines += [f"*{_inline(DRAFT_NOTE)}*", ""]
            if block.kind == "list":
                lines += ["- " + embolden(mark(item), item_emphasis(block, i), "**", "**").replace("\n", "\n  ")
                          for i, item in enumerate(block.items)] + [""]
            elif block.kind in ("chart", "table") and block.chart:
                chart = block.chart
                if block.kind == "chart":
                    lines += [f"*{_inline(chart.alt)}*", ""]
                lines += ["| " + " | ".join(map(_inline, chart.headers)) + " |", "|" + "---|" * len(chart.headers)]
                lines += ["| " + " | ".join(map(_inline, row)) + " |" for row in chart.rows] + [""]
            elif block.kind == "quotes":
                for quote in block.quotes:
                    lines += [("> " + line).rstrip() for line in mark(quote.text).split("\n")] + [""]
            elif block.kind == "image" and block.image and block.image.mimetype in _SHOWN_TYPES:
                image = block.image
                lines += [f"![{_inline(image.alt)}](data:{image.mimetype};base64,{image.data_base64})", ""]
    if document.notes:
        lines += [f"[^{n.number}]: {_inline(n.term)}\u00a0: {_inline(n.text)}" for n in document.notes] + [""]
    return f"{base_filename(document)}.md", "text/markdown; charset=utf-8", "\n".join(lines).encode("utf-8")
