"""PDF through WeasyPrint, from the HTML page: page numbers, DejaVu fonts embedded."""

from __future__ import annotations

from bilan.reports.document import ReportDocument
from bilan.reports.renderers import base_filename
from bilan.reports.renderers.html import page_html, stylesheet


def render_pdf(document: ReportDocument) -> tuple[str, str, bytes]:
    from weasyprint import CSS, HTML

    pdf = HTML(string=page_html(document)).write_pdf(stylesheets=[CSS(string=stylesheet("report-pdf.css"))])
    return f"{base_filename(document)}.pdf", "application/pdf", pdf
