"""Text of rendered reports, read back through real tools (pdftotext, odfdo)."""

import io
import re
import subprocess
import unicodedata
from html import unescape


def html_text(content: bytes) -> str:
    text = content.decode("utf-8")
    text = re.sub(r"<(style|svg)\b.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<sup>.*?</sup>", "", text)
    text = re.sub(r"</(p|li|h\d|caption|tr|blockquote)>", "\n\n", text)
    return unescape(re.sub(r"<[^>]+>", "", text))


def pdf_text(content: bytes) -> str:
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True,
                          check=True).stdout.decode("utf-8")


def odt_text(content: bytes) -> str:
    from odfdo import Document

    return Document(io.BytesIO(content)).get_formatted_text()


def normalised(text: str) -> str:
    """Lower case, no accents, every kind of space as one plain space, lines joined, ’ as '."""
    text = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def sentences(text: str) -> list[str]:
    """Sentences and list items of a report's text, normalised."""
    pieces = re.split(r"(?<=[.!?])\s+|\n\s*\n|[•▶]", text)
    return [normalised(p) for p in pieces if p.strip()]
