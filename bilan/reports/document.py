"""The report as one plain data object, built once and rendered many ways.

No Django here: the builder fills these dataclasses from analysis results,
comment digests and the action plan; renderers (HTML, PDF, ODT, Markdown)
read them. ``to_dict``/``from_dict`` let a published version be stored as
JSON and rendered again, identical, years later.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any

from bilan.lookup import find

DOCUMENT_FORMAT = "bilan-report/1"
# Shown under a paragraph the builder drafted from the findings (``Block.draft``) until the team rewrites it.
DRAFT_NOTE = "Proposition rédigée à partir des résultats de l’année\u00a0: à relire et à réécrire."


@dataclass
class Chart:
    """A chart as inline SVG, with its text alternative and data table."""

    title: str
    svg: str
    alt: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Quote:
    text: str          # already pseudonymised
    theme: str = ""
    emphasis: list[str] = field(default_factory=list)   # the words that made it match its theme's keywords


# The image formats a report carries (added by a pilot), by the name Pillow gives the format it
# reads in the file's content: every renderer (HTML, PDF, ODT, Markdown) shows these three.
IMAGE_MIMETYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}


@dataclass
class Image:
    mimetype: str      # one of IMAGE_MIMETYPES' values, read from the content when the image was added
    data_base64: str
    alt: str
    caption: str = ""


@dataclass
class Block:
    """One element of a section.

    ``kind``: paragraph | list | chart | quotes | image.
    ``figures`` maps each figure named in the text to how it is stated, so
    that an edited paragraph can be flagged when a figure changes under it.
    """

    kind: str
    key: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)
    chart: Chart | None = None
    quotes: list[Quote] = field(default_factory=list)
    image: Image | None = None
    edited: bool = False
    flagged: bool = False
    changed: list[str] = field(default_factory=list)   # "name: before → now"
    custom: bool = False                                # added by the team
    draft: bool = False                                 # drafted from the findings, for the team to rewrite
    emphasis: list[list[str]] = field(default_factory=list)  # per item, words set in bold (a remark's key words)


@dataclass
class Section:
    key: str
    title: str
    level: int = 1          # 1 = « ● » section, 2 = « ○ » subsection
    blocks: list[Block] = field(default_factory=list)
    hidden: bool = False


@dataclass
class Note:
    number: int
    term: str
    text: str


@dataclass
class ReportDocument:
    title: str
    subtitle: str
    campaign: str
    school_year: str
    academie: str
    generated_on: str                  # ISO date
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    published_on: str | None = None
    version: int | None = None

    def visible_sections(self) -> list[Section]:
        return [section for section in self.sections if not section.hidden]

    def section(self, key: str) -> Section:
        return find(self.sections, key, attribute="key")

    def block(self, key: str) -> Block:
        return find((block for section in self.sections for block in section.blocks), key, attribute="key")

    def flagged_blocks(self) -> list[Block]:
        return [b for s in self.sections for b in s.blocks if b.flagged]

    def to_dict(self) -> dict[str, Any]:
        return {"format": DOCUMENT_FORMAT, **asdict(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReportDocument:
        data = {k: v for k, v in copy.deepcopy(data).items() if k != "format"}
        sections = []
        for section in data.pop("sections", []):
            blocks = []
            for block in section.pop("blocks", []):
                chart = Chart(**block.pop("chart")) if block.get("chart") else block.pop("chart", None)
                image = Image(**block.pop("image")) if block.get("image") else block.pop("image", None)
                quotes = [Quote(**q) for q in block.pop("quotes", [])]
                blocks.append(Block(**block, chart=chart, image=image, quotes=quotes))
            sections.append(Section(**section, blocks=blocks))
        notes = [Note(**n) for n in data.pop("notes", [])]
        return cls(**data, sections=sections, notes=notes)
