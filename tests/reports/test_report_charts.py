"""The report's charts are pictures in the ODT (as in the HTML and the PDF), and visible in the PDF.

The document is built without the database: a tiny questionnaire, analysed, and the builder's own
chart blocks (chart_svg and its French text alternative), as the report of a campaign has them.
"""

import copy
import io
import re
import subprocess
from pathlib import Path

import pytest
from odfdo import Document, Paragraph, Table
from PIL import Image

from bilan.analysis import AnswerTable, analyse
from bilan.questionnaire import parse_questionnaire
from bilan.reports.builder import chart_block
from bilan.reports.document import Block, ReportDocument, Section
from bilan.reports.renderers import render
from bilan.reports.renderers.odt import CHART_MAX_HEIGHT_CM, CHART_MAX_WIDTH_CM, chart_png, chart_size
from bilan.results.charts import BAR_COLOR, chart_alt_text, chart_svg

QUESTIONNAIRE = """
code: mini-charts
version: "1"
title: Mini bilan
sections:
  - code: s
    title: Partie unique
    questions:
      - code: THEMES
        type: multiple
        text: Thèmes abordés
        choices:
          - {code: pix, label: Pix}
          - {code: ent, label: ENT}
          - {code: pronote, label: Pronote}
      - code: RES
        type: grid
        text: Ressources
        rows:
          - {code: edubase, label: Édubase}
          - {code: pix, label: Pix}
        columns:
          - {code: unknown, label: Je ne connais pas}
          - {code: known, label: Je connais}
          - {code: used, label: "Je l'ai utilisé"}
"""

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def answers(**values):
    return {"answers": values, "school_type": "college", "departement_code": "86"}


@pytest.fixture(scope="module")
def document():
    questionnaire = parse_questionnaire(QUESTIONNAIRE, source="mini-charts")
    records = [
        answers(THEMES=["pix", "ent"], RES={"edubase": "unknown", "pix": "used"}),
        answers(THEMES=["pix"], RES={"edubase": "known", "pix": "used"}),
        answers(THEMES=["pix", "pronote"], RES={"edubase": "used", "pix": "known"}),
    ] * 4
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records))
    charts = [chart_block(f"chart-{code}", results.question(code), chart_svg, chart_alt_text)
              for code in ("THEMES", "RES")]
    assert all(block is not None and block.chart.svg.startswith("<svg") for block in charts)
    return ReportDocument(
        title="Être RUPN en 2024", subtitle="Bilan de test", campaign="test-charts", school_year="2023-2024",
        academie="Poitiers", generated_on="2024-06-01",
        sections=[Section(key="s", title="Les ressources", blocks=[
            Block(kind="paragraph", key="intro", text="Voici ce que disent les répondant·es."),
            *charts,
            Block(kind="paragraph", key="outro", text="Fin de la section."),
        ])],
    )


def chart_blocks(document):
    return [block for section in document.sections for block in section.blocks if block.kind == "chart"]


def with_blank_charts(document):
    """The same document, each chart's drawing replaced by a white SVG of the same size.

    Its caption and data table stay: what differs between the two renderings is the drawing.
    """
    blank = copy.deepcopy(document)
    for block in chart_blocks(blank):
        size = re.search(r'<svg\b[^>]*?width="(\d+)"[^>]*?height="(\d+)"', block.chart.svg)
        width, height = size.groups()
        block.chart.svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">'
                           f'<rect width="{width}" height="{height}" fill="white"/></svg>')
    return blank


def centimetres(length: str) -> float:
    assert length.endswith("cm"), length
    return float(length[:-2])


def test_the_odt_embeds_each_chart_as_a_png_with_its_text_alternative(document):
    odt = Document(io.BytesIO(render(document, "odt")[2]))
    frames = [frame for frame in odt.body.get_frames() if frame.get_element("draw:image") is not None]
    blocks = chart_blocks(document)
    assert len(frames) == len(blocks) == 2
    manifest = odt.manifest
    for frame, block in zip(frames, blocks, strict=True):
        chart = block.chart
        # Accessible: the picture's title and description are the chart's title and text alternative.
        assert frame.svg_title == chart.title
        assert frame.svg_description == chart.alt
        href = frame.get_element("draw:image").get_attribute("xlink:href")
        data = odt.get_part(href)
        assert data.startswith(PNG_MAGIC)
        assert manifest.get_media_type(href) == "image/png"
        picture = Image.open(io.BytesIO(data)).convert("RGB")
        width, height = picture.size
        assert width >= 600 and height >= 150
        # The chart itself: its bars in the chart's colour, and its labels' text left of the bars.
        colours = picture.getcolors(maxcolors=width * height)
        bar = tuple(int(BAR_COLOR[i:i + 2], 16) for i in (1, 3, 5))
        assert sum(count for count, colour in colours if colour == bar) > 2000
        assert sum(picture.crop((0, 0, 80, height)).convert("L").histogram()[:100]) > 100
        # Its size on the page keeps the picture's aspect ratio and fits the page's width.
        frame_width, frame_height = (centimetres(value) for value in frame.size)
        assert 8 < frame_width <= CHART_MAX_WIDTH_CM
        assert frame_width / frame_height == pytest.approx(width / height, rel=0.02)


def test_the_odt_keeps_the_caption_and_data_table_after_each_chart(document):
    odt = Document(io.BytesIO(render(document, "odt")[2]))
    children = odt.body.children
    for block in chart_blocks(document):
        at = next(i for i, child in enumerate(children) if isinstance(child, Paragraph)
                  and any(f.name == f"Graphique {block.key}" for f in child.get_frames()))
        caption, table = children[at + 1], children[at + 2]
        assert isinstance(caption, Paragraph) and caption.text_recursive == block.chart.alt
        assert isinstance(table, Table) and table.name == f"Tableau {block.key}"
        assert table.get_values() == [block.chart.headers, *block.chart.rows]


def test_a_tall_chart_is_shrunk_to_the_page_keeping_its_ratio():
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="1600">'
           '<rect width="400" height="1600" fill="#000091"/></svg>')
    png = chart_png(svg)
    assert Image.open(io.BytesIO(png)).size == (800, 3200)
    width, height = (centimetres(value) for value in chart_size(png))
    assert height == pytest.approx(CHART_MAX_HEIGHT_CM, abs=0.01)
    assert width / height == pytest.approx(400 / 1600, rel=0.01)


def page_images(pdf: bytes, directory: Path, stem: str) -> list[Image.Image]:
    path = directory / f"{stem}.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(path), str(directory / stem)], check=True)
    pages = sorted(directory.glob(f"{stem}-*.png"), key=lambda p: int(re.search(r"-(\d+)\.png$", p.name).group(1)))
    assert pages
    return [Image.open(page).convert("RGB") for page in pages]


def ink(pages: list[Image.Image]) -> int:
    """Pixels that are not (nearly) white."""
    return sum(sum(page.convert("L").histogram()[:230]) for page in pages)


def chart_blue(pages: list[Image.Image]) -> int:
    """Pixels of the bars' colour (#000091), give or take the rasteriser's rounding."""
    return sum(count for page in pages for count, (r, g, b) in page.getcolors(maxcolors=page.width * page.height)
               if r < 40 and g < 40 and 110 < b < 170)


def test_the_pdf_shows_the_charts(document, tmp_path):
    with_charts = page_images(render(document, "pdf")[2], tmp_path, "with")
    blank = page_images(render(with_blank_charts(document), "pdf")[2], tmp_path, "blank")
    assert len(with_charts) == len(blank)
    assert ink(with_charts) > ink(blank) + 5000
    # The headings and the header's rule are blue France too: the bars add many more such pixels.
    assert chart_blue(with_charts) > chart_blue(blank) + 3000
