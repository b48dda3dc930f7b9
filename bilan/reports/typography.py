"""The report's last pass: French typography on every piece of its text (:func:`bilan.french.typeset`).

The builder drafts sentences, the team edits them, respondents are quoted: whatever was typed with
a typewriter apostrophe (« l'IA ») or a flat ordinal (« 6e », « 2nde ») is published with ’ and
raised letters (« l’IA », « 6ᵉ », « 2ⁿᵈᵉ »), in every format, charts included.
"""

from __future__ import annotations

import copy
import re
from html import unescape

from bilan.french import typeset
from bilan.reports.document import ReportDocument

# The chart SVG is made by vl_convert from our own data, not typed by a person, and only its text
# nodes change, so it is read with one regular expression rather than parsed and written back by an
# XML library (which would rename namespaces, reorder attributes and re-escape the whole file). The
# expression walks the SVG from left to right as a tokenizer does: a comment, CDATA section,
# processing instruction, ``<style>`` or ``<script>`` element is skipped whole (CSS and code are not
# prose: a font name in 'quotes' stays as it is); a tag is skipped with its attribute values, even
# one holding a « > »; what is left is character data, the only text retouched.
_SVG_TOKENS = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[?!].*?>"
    r"|<(style|script)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>.*?</\1\s*>"
    r"|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|(?P<text>[^<]+)",
    re.DOTALL | re.IGNORECASE,
)


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _typeset_text_node(match: re.Match) -> str:
    node = match.group("text")
    if node is None:
        return match.group(0)
    # Character data may spell the apostrophe as a reference (&apos;, &#39;, &#x27;): read all
    # references first, so that « l&#39;IA » is seen as « l'IA »; a node that needs no change is
    # kept byte for byte, one that does is written back with only &, < and > escaped.
    text = unescape(node)
    finished = typeset(text)
    return node if finished == text else _xml_escape(finished)


def typeset_svg(svg: str) -> str:
    """``svg`` with :func:`bilan.french.typeset` applied to its character data only."""
    return _SVG_TOKENS.sub(_typeset_text_node, svg)


def typeset_document(document: ReportDocument) -> ReportDocument:
    """A copy of ``document`` whose French text has typographic apostrophes and raised ordinals.

    Retouched: the title, subtitle and académie; section titles; each block's text and list items,
    its quotes, its chart (title, text alternative, table headers and cells, the SVG's text) and
    its picture's text alternative and caption; the notes (term and text, so that a term still
    matches the text it annotates). Left as they are: keys, the figures an edit was written
    against and the « changed » lines (names and values compared between builds, not prose), a
    quote's theme (not shown) and dates. The original document is not changed.
    """
    document = copy.deepcopy(document)
    document.title = typeset(document.title)
    document.subtitle = typeset(document.subtitle)
    document.academie = typeset(document.academie)
    for section in document.sections:
        section.title = typeset(section.title)
        for block in section.blocks:
            block.text = typeset(block.text)
            block.items = [typeset(item) for item in block.items]
            for quote in block.quotes:
                quote.text = typeset(quote.text)
            if block.chart is not None:
                chart = block.chart
                chart.title = typeset(chart.title)
                chart.alt = typeset(chart.alt)
                chart.headers = [typeset(header) for header in chart.headers]
                chart.rows = [[typeset(cell) for cell in row] for row in chart.rows]
                chart.svg = typeset_svg(chart.svg)
            if block.image is not None:
                block.image.alt = typeset(block.image.alt)
                block.image.caption = typeset(block.image.caption)
    for note in document.notes:
        note.term = typeset(note.term)
        note.text = typeset(note.text)
    return document
