"""An editable ODT (odfdo): headings, paragraphs, lists, charts, data tables, notes.

Each chart is embedded as a PNG drawn from its SVG (the HTML's and the PDF's),
with its title and text alternative as the picture's title and description,
then its text alternative as a caption and its data table, which is what the
team edits; pictures they added are embedded.
"""

from __future__ import annotations

import base64
import hashlib
import io
import struct

from bilan.french import NBSP, guillemets, numeric_date, superscript
from bilan.reports.document import DRAFT_NOTE, ReportDocument
from bilan.reports.renderers import NoteMarks, base_filename, item_emphasis

BOLD = "Gras"   # the text style of a remark's key words
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif"}

# A chart is drawn at 2 PNG pixels per SVG pixel, sharp when printed; vl_convert draws
# scale × ppi / 72 pixels per SVG unit, so 0.75 × 192 / 72 = 2, and the PNG says 192 ppi.
CHART_SCALE, CHART_PPI = 0.75, 192
PNG_PIXELS_PER_SVG_PIXEL = CHART_SCALE * CHART_PPI / 72
CSS_PIXELS_PER_CM = 96 / 2.54
# The default page of odfdo's text document: A4 with 2 cm margins, so 17 cm × 25,7 cm of text;
# a chart keeps its aspect ratio within 17 cm × 22 cm, room left for its caption.
CHART_MAX_WIDTH_CM, CHART_MAX_HEIGHT_CM = 17.0, 22.0


def render_odt(document: ReportDocument) -> tuple[str, str, bytes]:
    from odfdo import Cell, Document, Frame, Header, List, Paragraph, Row, Style, Table

    odt = Document("text")
    odt.insert_style(Style("text", name=BOLD, bold=True), automatic=True)
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
            if block.draft and not block.edited:
                body.append(Paragraph(DRAFT_NOTE))
            if block.kind == "list" and block.items:
                items = List([mark(item) for item in block.items])
                for index, paragraph in enumerate(items.get_paragraphs()):
                    bold = item_emphasis(block, index)
                    if bold:
                        paragraph.set_span(BOLD, regex=bold)
                body.append(items)
            elif block.kind == "chart" and block.chart:
                chart = block.chart
                png = chart_png(chart.svg)
                uri = _add_picture(odt, png, "image/png")
                frame = Frame.image_frame(uri, name=f"Graphique {block.key}", size=chart_size(png),
                                          anchor_type="as-char")
                frame.svg_title = chart.title
                frame.svg_description = chart.alt
                paragraph = Paragraph("")
                paragraph.append(frame)
                body.append(paragraph)
                body.append(Paragraph(chart.alt))
                body.append(_table(Table, Row, Cell, block))
            elif block.kind == "table" and block.chart:
                body.append(_table(Table, Row, Cell, block))
            elif block.kind == "quotes":
                for quote in block.quotes:
                    body.append(Paragraph(guillemets(mark(quote.text))))
            elif block.kind == "image" and block.image:
                image = block.image
                uri = _add_picture(odt, base64.b64decode(image.data_base64), image.mimetype)
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


def _table(Table, Row, Cell, block):  # noqa: N803 (odfdo's classes, imported where rendering starts)
    """The block's table (a chart's data, or the action plan), headers first."""
    table = Table(f"Tableau {block.key}")
    for values in [block.chart.headers, *block.chart.rows]:
        row = Row()
        for value in values:
            row.append(Cell(value))
        table.append(row)
    return table


def chart_png(svg: str) -> bytes:
    """The chart's SVG drawn as a PNG; its text in DejaVu Sans, a system font vl_convert finds."""
    import vl_convert

    return vl_convert.svg_to_png(svg, scale=CHART_SCALE, ppi=CHART_PPI)


def chart_size(png: bytes) -> tuple[str, str]:
    """The frame's width and height: the SVG's size at 96 pixels per inch, shrunk to fit the page.

    The PNG's width and height are read from its header (IHDR), so the ratio is the picture's own.
    """
    width, height = struct.unpack(">II", png[16:24])
    width_cm = width / PNG_PIXELS_PER_SVG_PIXEL / CSS_PIXELS_PER_CM
    height_cm = height / PNG_PIXELS_PER_SVG_PIXEL / CSS_PIXELS_PER_CM
    shrink = min(1.0, CHART_MAX_WIDTH_CM / width_cm, CHART_MAX_HEIGHT_CM / height_cm)
    return f"{width_cm * shrink:.2f}cm", f"{height_cm * shrink:.2f}cm"


def _add_picture(odt, data: bytes, mimetype: str) -> str:
    """Adds a picture to the package once, listed in its manifest with its type; returns its path.

    Not ``Document.add_file``: from a stream it lists every picture as application/octet-stream,
    without an extension, and twice when the same picture comes twice.
    """
    path = f"Pictures/{hashlib.sha256(data).hexdigest()[:32]}.{EXTENSIONS.get(mimetype, 'png')}"
    manifest = odt.manifest
    if manifest.get_media_type(path) is None:
        if manifest.get_media_type("Pictures/") is None:
            manifest.add_full_path("Pictures/")
        odt.container.set_part(path, data)
        manifest.add_full_path(path, mimetype)
    return path
