"""The Markdown report shows text as text, and an added image is checked by its content (issue 13, finding 9).

The Markdown is read back with a CommonMark renderer that passes raw HTML on (markdown-it-py,
"commonmark" preset with GFM tables, as many wikis do): no ``<script>``, no ``<img onerror>``, no
``javascript:`` link may come out of a quote, a paragraph, a list, a title, a table or a note.
"""

from __future__ import annotations

import base64
import io
import re
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from markdown_it import MarkdownIt
from PIL import Image as PillowImage

from bilan.reports.document import Block, Chart, Image, Note, Quote, ReportDocument, Section
from bilan.reports.forms import MAX_IMAGE_PIXELS, AddForm
from bilan.reports.renderers import render

SCRIPT = "<script>alert('quote')</script>"
ONERROR = "<img src=x onerror=alert(1)>"
LINK = "[cliquez ici](javascript:alert(1))"
AUTOLINK = "<javascript:alert(1)>"
IMAGE_LINK = "![x](javascript:alert(1))"
REFERENCE = "[ici][r]\n\n[r]: javascript:alert(1)"
ENTITY = "[ici](&#106;avascript:alert(1))"
HOSTILE = [SCRIPT, ONERROR, LINK, AUTOLINK, IMAGE_LINK, REFERENCE, ENTITY,
           "Une ligne\n# Pas un titre\n<script>alert(2)</script>", "- pas une liste *ni de l'emphase*"]


def _png(mode="RGB", size=(4, 4), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    PillowImage.new(mode, size).save(buffer, fmt)
    return buffer.getvalue()


def _document(text: str, *, image_type: str = "image/png") -> ReportDocument:
    image = Image(mimetype=image_type, data_base64=base64.b64encode(_png()).decode(), alt=f"Photo {text}")
    chart = Chart(title=text, svg="<svg/>", alt=text, headers=["Réponse", text], rows=[[text, "12"]])
    blocks = [
        Block("paragraph", "p", text=f"Le RUPN dit : {text}"),
        Block("list", "l", items=[text, "deuxième"]),
        Block("quotes", "q", quotes=[Quote(text)]),
        Block("chart", "c", chart=chart),
        Block("image", "i", text=text, image=image, custom=True),
        Block("paragraph", "f", text="chiffre", flagged=True, changed=[text]),
    ]
    return ReportDocument(title=text, subtitle=text, campaign="2023-2024", school_year="2023-2024",
                          academie=text, generated_on="2024-07-01",
                          sections=[Section("s", text, blocks=blocks), Section("t", text, level=2)],
                          notes=[Note(1, "RUPN", f"référent {text}")])


def _html(markdown: str) -> str:
    renderer = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    # markdown-it drops javascript: links itself; many wiki renderers do not: let every link through,
    # so that only the Markdown written by the report keeps them out.
    renderer.validateLink = lambda url: True
    return renderer.render(markdown)


class _Tags(HTMLParser):
    """Every element and attribute of an HTML fragment, as a browser would see them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


@pytest.mark.parametrize("text", HOSTILE)
def test_no_markup_comes_out_of_the_reports_text(text):
    html = _html(render(_document(text), "md")[2].decode())
    tags = _Tags(html).tags
    assert "script" not in {tag for tag, _ in tags}
    assert not [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
    links = [attrs.get("href", attrs.get("src", "")) for _, attrs in tags if {"href", "src"} & set(attrs)]
    assert all(link.startswith(("data:image/png;base64,", "#")) for link in links), links
    assert [tag for tag, _ in tags].count("img") == 1  # the report's own image, nothing else
    assert not re.search(r"<h[1-6]>Pas un titre", html)


def test_the_text_is_shown_as_written():
    markdown = render(_document(SCRIPT), "md")[2].decode()
    html = _html(markdown)
    assert "&lt;script&gt;alert('quote')&lt;/script&gt;" in html.replace("&#x27;", "'")
    paragraph = _html(render(_document(LINK), "md")[2].decode())
    assert "[cliquez ici](javascript:alert(1))" in paragraph
    assert "<h1>" in html and "<blockquote>" in html and "<table>" in html and "<li>" in html


def test_the_footnote_call_and_the_table_survive_the_escaping():
    markdown = render(_document("a | b"), "md")[2].decode()
    assert "Le RUPN[^1] dit" in markdown and "[^1]: RUPN\u00a0: référent a \\| b" in markdown
    assert "| Réponse | a \\| b |" in markdown


def test_a_stored_image_of_another_type_is_left_out():
    assert "data:image/png;base64," in render(_document("x"), "md")[2].decode()
    markdown = render(_document("x", image_type="text/html"), "md")[2].decode()
    assert "data:" not in markdown


# --------------------------------------------------------------------------- the image's content


def _form(name: str, content: bytes, declared: str) -> AddForm:
    sections = [SimpleNamespace(key="info", title="Information")]
    upload = SimpleUploadedFile(name, content, declared)
    return AddForm(sections, {"section": "info", "alt": "Un atelier"}, {"image": upload})


@pytest.mark.parametrize(("fmt", "mimetype"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif")])
def test_an_image_is_known_by_its_content_not_by_its_declared_type(fmt, mimetype):
    form = _form("photo.bin", _png(fmt=fmt), "application/octet-stream")
    assert form.is_valid(), form.errors
    assert form.image_mimetype == mimetype


@pytest.mark.parametrize(("name", "content", "declared"), [
    ("dessin.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/png"),
    ("page.png", b"<html><script>alert(1)</script></html>", "image/png"),
    ("entete.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 32, "image/png"),  # the right first bytes, nothing after
    ("coupee.png", _png(size=(64, 64))[:-30], "image/png"),          # a real PNG, truncated
    ("photo.webp", _png(fmt="WEBP"), "image/webp"),                  # an image, not of the three formats
    ("photo.bmp", _png(fmt="BMP"), "image/png"),
])
def test_what_is_not_a_png_jpeg_or_gif_is_refused_in_french(name, content, declared):
    form = _form(name, content, declared)
    assert not form.is_valid()
    assert form.errors["image"] == ["Ce fichier n'est pas une image PNG, JPEG ou GIF lisible (son contenu a été "
                                    "vérifié, pas seulement son nom)\u00a0: enregistrez-la dans l'un de ces "
                                    "formats puis choisissez-la à nouveau."]


def test_an_image_too_large_to_decode_is_refused_at_the_limit():
    at_limit = _form("large.png", _png(mode="1", size=(8000, 5000)), "image/png")
    assert at_limit.is_valid(), at_limit.errors
    over = _form("large.png", _png(mode="1", size=(8000, 5001)), "image/png")
    assert MAX_IMAGE_PIXELS < 8000 * 5001 and not over.is_valid()
    assert "8000\u00a0×\u00a05001 pixels" in over.errors["image"][0]


@pytest.mark.django_db
def test_the_stored_type_is_the_one_read_in_the_file(client, personas):
    from bilan.reports.models import ReportAddition

    client.force_login(personas["pilot"])
    upload = SimpleUploadedFile("photo.jpg", _png(), "image/jpeg")  # a PNG, declared JPEG
    response = client.post(reverse("reports:add", args=["2023-2024"]),
                           {"section": "info", "alt": "Un atelier", "image": upload})
    assert response.status_code == 302
    assert ReportAddition.objects.latest("pk").image_mimetype == "image/png"
