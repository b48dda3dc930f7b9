"""An editable ODT (odfdo): headings, paragraphs, lists, data tables, notes.

Charts are given by their text alternative and data table, which is what the
team edits; pictures they added are embedded.
"""

from __future__ import annotations

import base64
import io

from bilan.french import NBSP, guillemets, numeric_date, superscript
from bilan.reports.document import ReportDocument
from bilan.reports.renderers import NoteMarks, base_filename

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/svg+xml": "svg", "image/gif": "gif"}


def render_odt(document: ReportDocument) -> tuple[str, str, bytes]:
    from odfdo import Cell, Document, Frame, Header, List, Paragraph, Row, Table

    odt = Document("text")
    body = odt.body
    body.clear()
    mark = NoteMarks(document.notes, superscript).mark

    body.append(Paragraph(f"Académie de {document.academie}"))
    body.append(Header(1, document.title))
    body.append(Paragraph(document.subtitle))
    if document.published_on:
        body.append(Paragraph(f"Version {document.version} publiée le {numeric_date(document.published_on)}"))
    for section in document.visible_sections():
        body.append(Header(section.level + 1, section.title))
        for block in section.blocks:
            if block.flagged:
                body.append(Paragraph("À relire\u00a0: un chiffre a changé depuis la modification de ce paragraphe ("
                                      + "; ".join(block.changed) + ")."))
            if block.text:
                body.append(Paragraph(mark(block.text)))
            if block.kind == "list" and block.items:
                body.append(List([mark(item) for item in block.items]))
            elif block.kind == "chart" and block.chart:
                chart = block.chart
                body.append(Paragraph(chart.alt))
                table = Table(f"Tableau {block.key}")
                for values in [chart.headers, *chart.rows]:
                    row = Row()
                    for value in values:
                        row.append(Cell(value))
                    table.append(row)
                body.append(table)
            elif block.kind == "quotes":
                for quote in block.quotes:
                    body.append(Paragraph(guillemets(quote.text)))
            elif block.kind == "image" and block.image:
                image = block.image
                extension = EXTENSIONS.get(image.mimetype, "png")
                uri = odt.add_file(_named_bytes(base64.b64decode(image.data_base64), f"{block.key}.{extension}"))
                frame = Frame.image_frame(uri, size=("15cm", "9cm"), anchor_type="as-char", text=image.alt)
                paragraph = Paragraph("")
                paragraph.append(frame)
                body.append(paragraph)
                if image.caption:
                    body.append(Paragraph(image.caption))
    if document.notes:
        body.append(Header(2, "Notes"))
        for note in document.notes:
            body.append(Paragraph(f"({note.number}) {note.term}{NBSP}: {note.text}"))
    buffer = io.BytesIO()
    odt.save(buffer)
    return (f"{base_filename(document)}.odt", "application/vnd.oasis.opendocument.text", buffer.getvalue())


def _named_bytes(data: bytes, name: str) -> io.BytesIO:
    stream = io.BytesIO(data)
    stream.name = name
    return stream
