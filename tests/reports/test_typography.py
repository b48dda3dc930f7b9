"""The report's French typography pass (bilan.reports.typography.typeset_document).

A document typed with straight apostrophes and flat ordinals everywhere is rendered after the pass:
no straight apostrophe is left in the HTML's text (visible text, text alternatives, chart text),
the ’ and raised forms are there, and the Markdown still shows hostile text as text.
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser

import vl_convert
from defusedxml import ElementTree
from markdown_it import MarkdownIt
from PIL import Image as PillowImage

from bilan.reports.document import Block, Chart, Image, Note, Quote, ReportDocument, Section
from bilan.reports.renderers import render
from bilan.reports.typography import typeset_document, typeset_svg
from tests.reports.helpers import html_text

SVG_NS = "{http://www.w3.org/2000/svg}"


def _png() -> str:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 4)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


# A chart as vl_convert writes it (raw ' in text, references possible), plus what must not change:
# CSS in <style>, attribute values (even one holding « > »), a comment.
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
       "<style>text { font-family: 'Marianne', sans-serif; }</style>"
       "<!-- l'auteur -->"
       '<g aria-label="Réponse d\'abord > l\'IA: 6e">'
       "<text x=\"1\">Je l'ai utilisé en 6e</text>"
       "<text x=\"2\">l&#39;ENT &amp; l&apos;IA en 2nde</text>"
       "<text x=\"3\">aujourd&#x27;hui</text>"
       "<text x=\"4\">0.5</text>"
       "</g></svg>")


def _document() -> ReportDocument:
    chart = Chart(title="Ce que l'on sait en 6e", svg=SVG, alt="Barres : l'usage de l'ENT en 2nde",
                  headers=["Réponse d'abord", "Part"], rows=[["L'IA en 1re", "53 %"], ["D'autres", "1er"]])
    blocks = [
        Block("paragraph", "p", text="Aujourd'hui, l'ENT sert en 6ème et en 5e."),
        Block("list", "l", text="Ce qu'ils citent :", items=["l'IA", "jusqu'en 2nde", "le 1er trimestre"]),
        Block("quotes", "q", text="Ce qu'ils disent :", quotes=[Quote("J'ai formé les 3es à l'IA.", theme="IA")]),
        Block("chart", "c", chart=chart),
        Block("image", "i", image=Image("image/png", _png(), alt="L'atelier d'une 4e", caption="L'atelier du 1er juin"),
              custom=True),
    ]
    return ReportDocument(
        title="Bilan de l'année", subtitle="Ce qu'en disent les RUPN d'aujourd'hui", campaign="2023-2024",
        school_year="2023-2024", academie="Côte d'Opale", generated_on="2024-07-01",
        sections=[Section("s", "L'état des lieux", blocks=blocks), Section("t", "Après l'action", level=2)],
        notes=[Note(1, "ENT", "espace numérique de travail, l'outil de l'établissement")])


class _Readable(HTMLParser):
    """What a reader or a screen reader gets: text nodes (not CSS) and the text attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._skip += tag == "style"
        self.pieces += [value for name, value in attrs if name in ("alt", "aria-label", "title") and value]

    def handle_endtag(self, tag):
        self._skip -= tag == "style"

    def handle_data(self, data):
        if not self._skip:
            self.pieces.append(data)


def test_the_html_report_has_no_straight_apostrophe_left():
    document = _document()
    html = render(typeset_document(document), "html")[2].decode()
    text = html_text(html.encode())
    assert "'" not in text
    for typeset in ("Bilan de l’année", "Ce qu’en disent les RUPN d’aujourd’hui", "Côte d’Opale", "L’état des lieux",
                    "Après l’action", "Aujourd’hui, l’ENT sert en 6ᵉ et en 5ᵉ.", "Ce qu’ils citent", "jusqu’en 2ⁿᵈᵉ",
                    "le 1ᵉʳ trimestre", "J’ai formé les 3ᵉˢ à l’IA.", "Ce que l’on sait en 6ᵉ", "Réponse d’abord",
                    "L’IA en 1ʳᵉ", "D’autres", "L’atelier du 1ᵉʳ juin", "l’outil de l’établissement"):
        assert typeset in text, typeset
    # Attributes and the chart's own text, as read aloud: the image's and chart's text alternatives,
    # every <text> of the SVG. Only the SVG's CSS (skipped) and its inner attributes keep their '.
    readable = _Readable(re.sub(r"<g aria-label=\"[^\"]*\">", "<g>", html)).pieces
    assert not [piece for piece in readable if "'" in piece]
    assert {"L’atelier d’une 4ᵉ", "Barres : l’usage de l’ENT en 2ⁿᵈᵉ", "Je l’ai utilisé en 6ᵉ",
            "l’ENT & l’IA en 2ⁿᵈᵉ", "aujourd’hui"} <= set(readable)
    assert 'href="#note-1"' in html  # the note's term is still found in « l’ENT »
    assert "'" in document.title and document.sections[0].blocks[3].chart.svg == SVG  # the original is kept


def test_only_the_svg_character_data_changes():
    svg = typeset_svg(SVG)
    assert svg == (SVG.replace("Je l'ai utilisé en 6e", "Je l’ai utilisé en 6ᵉ")
                   .replace("l&#39;ENT &amp; l&apos;IA en 2nde", "l’ENT &amp; l’IA en 2ⁿᵈᵉ")
                   .replace("aujourd&#x27;hui", "aujourd’hui"))
    tree = ElementTree.fromstring(svg)  # still well-formed XML
    assert [t.text for t in tree.iter(f"{SVG_NS}text")] == ["Je l’ai utilisé en 6ᵉ", "l’ENT & l’IA en 2ⁿᵈᵉ",
                                                           "aujourd’hui", "0.5"]
    assert typeset_svg(svg) == svg


def test_a_vl_convert_chart_keeps_working():
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": [{"label": "l'IA en 6e", "n": 3}, {"label": "Je <l'ai> & 2nde", "n": 5}]},
            "mark": "bar", "encoding": {"y": {"field": "label", "type": "nominal", "title": "Réponse d'abord"},
                                         "x": {"field": "n", "type": "quantitative"}}}
    svg = typeset_svg(vl_convert.vegalite_to_svg(spec))
    texts = [t.text for t in ElementTree.fromstring(svg).iter(f"{SVG_NS}text")]
    assert {"l’IA en 6ᵉ", "Je <l’ai> & 2ⁿᵈᵉ", "Réponse d’abord"} <= set(texts)
    assert not [t for t in texts if "'" in (t or "")]


def test_the_markdown_still_shows_hostile_text_as_text():
    document = _document()
    document.sections[0].blocks[0].text = "<script>alert('l'IA')</script> *l'emphase* en [6e](javascript:x)"
    markdown = render(typeset_document(document), "md")[2].decode()
    assert "\\<script\\>alert('l’IA')\\</script\\> \\*l’emphase\\* en \\[6ᵉ\\](javascript:x)" in markdown
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in html and "<em>l’emphase" not in html and "<a " not in html
    assert "&lt;script&gt;alert('l’IA')&lt;/script&gt; *l’emphase* en [6ᵉ](javascript:x)" in html.replace("&#x27;", "'")
    assert "> J’ai formé les 3ᵉˢ à l’IA." in markdown
