"""PDF through WeasyPrint, from the HTML page: page numbers, DejaVu fonts embedded."""

from __future__ import annotations

from bilan.reports.document import ReportDocument
from bilan.reports.renderers import base_filename
from bilan.reports.renderers.html import page_html

PDF_CSS = 'html { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; } body { padding: 0; max-width: none; }'


def render_pdf(document: ReportDocument) -> tuple[str, str, bytes]:
    from weasyprint import CSS, HTML

    pdf = HTML(string=page_html(document)).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
    return f"{base_filename(document)}.pdf", "application/pdf", pdf
