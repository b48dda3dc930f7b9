"""A standalone HTML page: inline CSS, charts as inline SVG, no external resource."""

from __future__ import annotations

import re
from html import escape

from bilan.reports.document import Block, Note, ReportDocument
from bilan.reports.renderers import base_filename, date_fr

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: "Page " counter(page) " sur " counter(pages); font: 9pt "DejaVu Sans", sans-serif; color: #3a3a3a; } }
html { font-family: "Marianne", "DejaVu Sans", Arial, sans-serif; color: #161616; line-height: 1.5; }
body { max-width: 48rem; margin: 0 auto; padding: 1.5rem; }
header { border-bottom: 4px solid #000091; margin-bottom: 1.5rem; }
.academie { font-weight: 700; text-transform: uppercase; letter-spacing: .02em; color: #000091; margin: 0; }
h1 { font-size: 2rem; margin: .5rem 0; color: #161616; }
h2 { font-size: 1.4rem; color: #000091; margin-top: 2rem; break-after: avoid; }
h3 { font-size: 1.15rem; color: #000091; break-after: avoid; }
.subtitle, .meta { color: #3a3a3a; }
nav ol { padding-left: 1.2rem; }
a { color: #000091; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .9rem; color: #3a3a3a; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; break-inside: avoid; }
caption { text-align: left; font-weight: 700; margin-bottom: .25rem; }
th, td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; }
td.num { text-align: right; }
th { background: #f5f5fe; }
blockquote { border-left: 4px solid #6a6af4; margin: .5rem 0; padding: .25rem 1rem; background: #f6f6f6; }
.flag { border-left: 4px solid #ce0500; padding-left: .75rem; }
.flag-note { color: #ce0500; font-size: .85rem; }
.notes { border-top: 1px solid #ddd; margin-top: 2rem; font-size: .85rem; }
sup a { text-decoration: none; }
@media print { body { max-width: none; padding: 0; } }
"""

# The same look inside a staff page: every rule scoped to the report's container.
EMBEDDED_CSS = """
.report-body .academie { font-weight: 700; text-transform: uppercase; color: #000091; margin: 0; }
.report-body header { border-bottom: 4px solid #000091; margin-bottom: 1.5rem; }
.report-body h2 { color: #000091; margin-top: 2rem; }
.report-body h3 { color: #000091; }
.report-body figure { margin: 1rem 0; }
.report-body figure svg { max-width: 100%; height: auto; }
.report-body figcaption { font-size: .9rem; color: #3a3a3a; }
.report-body table { border-collapse: collapse; width: 100%; font-size: .85rem; margin: .5rem 0 1rem; }
.report-body caption { text-align: left; font-weight: 700; }
.report-body th, .report-body td { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; }
.report-body td.num { text-align: right; }
.report-body blockquote { border-left: 4px solid #6a6af4; margin: .5rem 0; padding: .25rem 1rem; background: #f6f6f6; }
.report-body .flag { border-left: 4px solid #ce0500; padding-left: .75rem; }
.report-body .flag-note { color: #ce0500; font-size: .85rem; }
.report-body .notes { border-top: 1px solid #ddd; margin-top: 2rem; font-size: .85rem; }
"""


class _Notes:
    """Marks the first use of each acronym with its footnote number."""

    def __init__(self, notes: list[Note]):
        self.pending = {note.term: note.number for note in notes}

    def mark(self, escaped: str) -> str:
        for term, number in list(self.pending.items()):
            pattern = re.compile(rf"\b{re.escape(term)}\b")
            if pattern.search(escaped):
                escaped = pattern.sub(f'{term}<sup><a href="#note-{number}" id="ref-{number}">{number}</a></sup>',
                                      escaped, count=1)
                del self.pending[term]
        return escaped


def _svg(chart) -> str:
    """The chart's SVG, announced as one image with its text alternative."""
    svg = re.sub(r"<\?xml[^>]*>", "", chart.svg).strip()
    label = escape(chart.alt, quote=True)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)
    return re.sub(r"(<svg\b[^>]*>)", rf"\1<title>{escape(chart.title)}</title>", svg, count=1)


def block_html(block: Block, notes: _Notes, edit_url=None) -> str:
    parts = []
    text = notes.mark(escape(block.text)) if block.text else ""
    if block.kind == "paragraph" and text:
        parts.append(f"<p>{text}</p>")
    elif block.kind == "list":
        if text:
            parts.append(f"<p>{text}</p>")
        items = "".join(f"<li>{notes.mark(escape(item))}</li>" for item in block.items)
        parts.append(f"<ul>{items}</ul>")
    elif block.kind == "chart" and block.chart:
        chart = block.chart
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in chart.headers)
        body = "".join("<tr>" + f'<th scope="row">{escape(row[0])}</th>'
                       + "".join(f'<td class="num">{escape(c)}</td>' for c in row[1:]) + "</tr>"
                       for row in chart.rows)
        parts.append(f"<figure>{_svg(chart)}<figcaption>{escape(chart.alt)}</figcaption></figure>"
                     f"<table><caption>{escape(chart.title)} (données du graphique)</caption>"
                     f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    elif block.kind == "quotes":
        if text:
            parts.append(f"<p>{text}</p>")
        parts.extend(f"<blockquote><p>{escape(q.text)}</p></blockquote>" for q in block.quotes)
    elif block.kind == "image" and block.image:
        image = block.image
        caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
        parts.append(f'<figure><img src="data:{escape(image.mimetype)};base64,{image.data_base64}" '
                     f'alt="{escape(image.alt, quote=True)}" style="max-width:100%">{caption}</figure>')
    html = "".join(parts)
    if block.flagged:
        changes = "; ".join(block.changed)
        html = (f'<div class="flag">{html}<p class="flag-note">À relire : un chiffre a changé depuis la '
                f"modification de ce paragraphe ({escape(changes)}).</p></div>")
    if edit_url and block.kind in ("paragraph", "list") and block.text and not block.custom:
        html += (f'<p class="edit-link"><a class="fr-link fr-icon-edit-line fr-link--icon-left" '
                 f'href="{escape(edit_url(block.key), quote=True)}">Modifier ce paragraphe</a></p>')
    return html


def body_html(document: ReportDocument, edit_url=None) -> str:
    """The report's content (header, summary, sections, notes), for a page or a template."""
    notes = _Notes(document.notes)
    sections = document.visible_sections()
    out = [f'<header><p class="academie">Académie de {escape(document.academie)}</p>'
           f"<h1>{escape(document.title)}</h1><p class=\"subtitle\">{escape(document.subtitle)}</p>"]
    if document.published_on:
        out.append(f'<p class="meta">Version {document.version} publiée le {date_fr(document.published_on)}</p>')
    else:
        out.append(f'<p class="meta">Brouillon généré le {date_fr(document.generated_on)}</p>')
    out.append("</header>")
    toc = "".join(f'<li><a href="#{s.key}">{escape(s.title)}</a></li>' for s in sections if s.level == 1)
    out.append(f'<nav aria-label="Sommaire"><h2>Sommaire</h2><ol>{toc}</ol></nav><div class="report-sections">')
    for section in sections:
        tag = "h2" if section.level == 1 else "h3"
        out.append(f'<section id="{section.key}"><{tag}>{escape(section.title)}</{tag}>')
        out.extend(block_html(block, notes, edit_url) for block in section.blocks)
        out.append("</section>")
    out.append("</div>")
    if document.notes:
        items = "".join(f'<li id="note-{n.number}">{escape(n.term)}&#160;: {escape(n.text)}</li>'
                        for n in document.notes)
        out.append(f'<footer class="notes"><h2>Notes</h2><ol>{items}</ol></footer>')
    return "".join(out)


def page_html(document: ReportDocument) -> str:
    return ("<!DOCTYPE html>\n"
            f'<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, '
            f'initial-scale=1"><title>{escape(document.title)} — Académie de {escape(document.academie)}</title>'
            f"<style>{CSS}</style></head><body><main>{body_html(document)}</main></body></html>")


def render_html(document: ReportDocument) -> tuple[str, str, bytes]:
    return f"{base_filename(document)}.html", "text/html; charset=utf-8", page_html(document).encode("utf-8")
