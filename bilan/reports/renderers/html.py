"""A standalone HTML page: inline CSS, charts as inline SVG, no external resource."""

from __future__ import annotations

import re
from functools import cache
from html import escape
from importlib.resources import files

from bilan.french import numeric_date
from bilan.reports.document import DRAFT_NOTE, Block, ReportDocument
from bilan.reports.renderers import NoteMarks, base_filename, embolden, item_emphasis

STYLESHEETS = files("bilan.reports") / "static" / "reports"


@cache
def stylesheet(name: str) -> str:
    """A stylesheet of ``bilan/reports/static/reports/``: inlined into the standalone page (and the
    PDF) so that the HTML report stays one self-contained file; the staff pages link the same folder."""
    return (STYLESHEETS / name).read_text(encoding="utf-8")


def _note_call(number: int) -> str:
    """A footnote call that links to its note (marked in already escaped text)."""
    return f'<sup><a href="#note-{number}" id="ref-{number}">{number}</a></sup>'


def _svg(chart) -> str:
    """The chart's SVG, announced as one image with its text alternative."""
    svg = re.sub(r"<\?xml[^>]*>", "", chart.svg).strip()
    label = escape(chart.alt, quote=True)
    svg = re.sub(r"<svg\b", f'<svg role="img" aria-label="{label}"', svg, count=1)
    return re.sub(r"(<svg\b[^>]*>)", rf"\1<title>{escape(chart.title)}</title>", svg, count=1)


def block_html(block: Block, notes: NoteMarks, edit_url=None) -> str:
    parts = []
    text = notes.mark(escape(block.text)) if block.text else ""
    if block.kind == "paragraph" and text:
        parts.append(f"<p>{text}</p>")
    elif block.kind == "list":
        if text:
            parts.append(f"<p>{text}</p>")
        items = "".join(
            f"<li>{notes.mark(embolden(escape(item), item_emphasis(block, i), '<strong>', '</strong>'))}</li>"
            for i, item in enumerate(block.items))
        parts.append(f"<ul>{items}</ul>")
    elif block.kind in ("chart", "table") and block.chart:
        chart = block.chart
        if block.kind == "table" and text:
            parts.append(f"<p>{text}</p>")
        head = "".join(f'<th scope="col">{escape(h)}</th>' for h in chart.headers)
        cell = '<td class="num">' if block.kind == "chart" else "<td>"
        body = "".join("<tr>" + f'<th scope="row">{escape(row[0])}</th>'
                       + "".join(f"{cell}{escape(c)}</td>" for c in row[1:]) + "</tr>"
                       for row in chart.rows)
        # The table scrolls on its own on a narrow screen (the page never gets wider than the
        # screen); a keyboard reaches the scrolling area through its tabindex.
        caption = escape(chart.title) + (" (données du graphique)" if block.kind == "chart" else "")
        if block.kind == "chart":
            parts.append(f"<figure>{_svg(chart)}<figcaption>{escape(chart.alt)}</figcaption></figure>")
        parts.append(f'<div class="report-table" role="region" tabindex="0" aria-label="{caption}">'
                     f"<table><caption>{caption}</caption>"
                     f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>")
    elif block.kind == "quotes":
        if text:
            parts.append(f"<p>{text}</p>")
        parts.extend(f"<blockquote><p>{notes.mark(escape(q.text))}</p></blockquote>" for q in block.quotes)
    elif block.kind == "image" and block.image:
        image = block.image
        caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
        parts.append(f'<figure><img src="data:{escape(image.mimetype)};base64,{image.data_base64}" '
                     f'alt="{escape(image.alt, quote=True)}">{caption}</figure>')
    html = "".join(parts)
    if block.draft and not block.edited:
        html = (f'<div class="draft">{html}<p class="draft-note">{DRAFT_NOTE}</p></div>')
    if block.flagged:
        changes = "; ".join(block.changed)
        html = (f'<div class="flag">{html}<p class="flag-note">À relire\u00a0: un chiffre a changé depuis la '
                f"modification de ce paragraphe ({escape(changes)}).</p></div>")
    if edit_url and block.kind in ("paragraph", "list") and block.text and not block.custom:
        html += (f'<p class="edit-link"><a class="fr-link fr-icon-edit-line fr-link--icon-left" '
                 f'href="{escape(edit_url(block.key), quote=True)}">Modifier ce paragraphe</a></p>')
    return html


def body_html(document: ReportDocument, edit_url=None) -> str:
    """The report's content (header, summary, sections, notes), for a page or a template."""
    notes = NoteMarks(document.notes, _note_call)
    sections = document.visible_sections()
    out = [f'<header><p class="academie">Académie de {escape(document.academie)}</p>'
           f"<h1>{escape(document.title)}</h1><p class=\"subtitle\">{escape(document.subtitle)}</p>"]
    if document.published_on:
        out.append(f'<p class="meta">Version {document.version} publiée le {numeric_date(document.published_on)}</p>')
    else:
        out.append(f'<p class="meta">Brouillon généré le {numeric_date(document.generated_on)}</p>')
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
            f"<style>{stylesheet('report.css')}</style></head>"
            f"<body><main>{body_html(document)}</main></body></html>")


def render_html(document: ReportDocument) -> tuple[str, str, bytes]:
    return f"{base_filename(document)}.html", "text/html; charset=utf-8", page_html(document).encode("utf-8")
