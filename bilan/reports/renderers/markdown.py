"""Markdown, for wikis and editors (charts given by their data table)."""

from __future__ import annotations

from bilan.french import numeric_date
from bilan.reports.document import ReportDocument
from bilan.reports.renderers import NoteMarks, base_filename


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(document: ReportDocument) -> tuple[str, str, bytes]:
    mark = NoteMarks(document.notes, lambda number: f"[^{number}]").mark
    lines = [f"# {document.title}", "", f"*Académie de {document.academie}*", "", document.subtitle, ""]
    if document.published_on:
        lines += [f"Version {document.version} publiée le {numeric_date(document.published_on)}", ""]
    for section in document.visible_sections():
        lines += [("## " if section.level == 1 else "### ") + section.title, ""]
        for block in section.blocks:
            if block.flagged:
                lines += ["> **À relire** : un chiffre a changé depuis la modification de ce paragraphe ("
                          + "; ".join(block.changed) + ").", ""]
            if block.text:
                lines += [mark(block.text), ""]
            if block.kind == "list":
                lines += [f"- {mark(item)}" for item in block.items] + [""]
            elif block.kind == "chart" and block.chart:
                chart = block.chart
                lines += [f"*{chart.alt}*", "", "| " + " | ".join(map(_cell, chart.headers)) + " |",
                          "|" + "---|" * len(chart.headers)]
                lines += ["| " + " | ".join(map(_cell, row)) + " |" for row in chart.rows] + [""]
            elif block.kind == "quotes":
                for quote in block.quotes:
                    lines += [f"> {quote.text}", ""]
            elif block.kind == "image" and block.image:
                lines += [f"![{block.image.alt}](data:{block.image.mimetype};base64,{block.image.data_base64})", ""]
    if document.notes:
        lines += [f"[^{n.number}]: {n.term} : {n.text}" for n in document.notes] + [""]
    return f"{base_filename(document)}.md", "text/markdown; charset=utf-8", "\n".join(lines).encode("utf-8")
