"""The team's edits survive regeneration; figures changed under them are flagged; published versions freeze."""

import pytest
from django.core.exceptions import ValidationError

from bilan.reports import services
from bilan.reports.models import ReportVersion
from bilan.reports.renderers import render
from bilan.roster.models import SchoolType
from bilan.surveys.models import Campaign, Response, ResponseStatus


@pytest.fixture
def campaign(demo_db, db):
    return Campaign.objects.get(slug="2023-2024")


def add_answers(campaign, count, answers):
    Response.objects.bulk_create(
        Response(campaign=campaign, school_type=SchoolType.COLLEGE, departement_code="86", answers=answers,
                 status=ResponseStatus.SUBMITTED) for _ in range(count))


def test_an_edited_paragraph_is_kept_and_flagged_when_its_figure_changes(campaign):
    before = services.build_campaign_report(campaign).block("science-assessment")
    stated = before.figures["unknown"]
    rewritten = f"Plus de la moitié ({stated}) ne connaissent pas ces recommandations : formons-les !"
    services.save_edit(campaign, "science-assessment", rewritten)
    unchanged = services.build_campaign_report(campaign).block("science-assessment")
    assert unchanged.text == rewritten and unchanged.edited and not unchanged.flagged

    # 40 more who do not know, half of whom want training: « la majorité » still wants it, only « unknown » moves.
    add_answers(campaign, 20, {"SCI_ASSESS_KNOWN": "no", "SCI_ASSESS_TRAINING": "yes"})
    add_answers(campaign, 20, {"SCI_ASSESS_KNOWN": "no", "SCI_ASSESS_TRAINING": "no"})
    document = services.build_campaign_report(campaign)
    block = document.block("science-assessment")
    # The team's words are kept; the figure they state is live: it says today's value, and the paragraph
    # is flagged for the team to check that the words still fit it.
    now = block.figures["unknown"]
    assert now != stated
    assert block.text == rewritten.replace(stated, now)
    assert block.flagged
    (change,) = block.changed
    assert change.startswith("unknown") and stated in change and now in change
    html = render(document, "html")[2].decode()
    assert block.text in html and "À relire" in html
    # Paragraphs nobody edited follow the new data without a flag.
    assert not document.block("science-memory").flagged


def test_only_a_figure_stated_once_and_alone_is_kept_live():
    from bilan.reports.builder import LIVE_FIGURE, with_live_figures

    figures = {"unknown": "57\u00a0%", "training": "la majorité", "other": "157\u00a0%"}
    # Typed with a plain space, next to a longer number that is another figure.
    text = with_live_figures("57 % ne savent pas, dont la majorité veut se former ; 157 % ailleurs.", figures)
    assert LIVE_FIGURE.findall(text) == ["unknown", "training", "other"]
    # Stated twice, inside a longer number, or shared by two figures: left as written.
    assert with_live_figures("57 % et encore 57 %", figures) == "57 % et encore 57 %"
    assert with_live_figures("57,5 % ou 1 057 %", {"unknown": "57 %"}) == "57,5 % ou 1 057 %"
    assert with_live_figures("57 %", {"a": "57 %", "b": "57 %"}) == "57 %"


def test_reverting_an_edit_brings_back_the_drafted_text(campaign):
    drafted = services.build_campaign_report(campaign).block("projects-never").text
    services.save_edit(campaign, "projects-never", "Texte de l'équipe.")
    services.revert_edit(campaign, "projects-never")
    assert services.build_campaign_report(campaign).block("projects-never").text == drafted


def test_sections_can_be_hidden_reordered_and_extended(campaign):
    keys = [s.key for s in services.build_campaign_report(campaign).sections]
    order = [keys[-1], *keys[:-1]]
    services.set_layout(campaign, order, hidden={"projects"})
    services.add_block(campaign, "skills", text="Le mot de l'équipe départementale.")
    services.add_block(campaign, "skills", text="Un atelier Pix", image=_png(), image_mimetype="image/png",
                       image_alt="Photographie d'un atelier")
    document = services.build_campaign_report(campaign)
    assert [s.key for s in document.sections] == order
    assert "projects" not in [s.key for s in document.visible_sections()]
    skills = document.section("skills")
    assert [b.kind for b in skills.blocks[-2:]] == ["paragraph", "image"]
    html = render(document, "html")[2].decode()
    assert "Le mot de l’équipe départementale." in html
    assert 'alt="Photographie d’un atelier"' in html and "data:image/png;base64," in html
    assert "jamais consultés" not in html
    odt = render(document, "odt")[2]
    assert b"Pictures/" in odt


def test_a_published_version_does_not_change_afterwards(campaign):
    version = services.publish(campaign)
    frozen = services.version_document(version)
    html_before = render(frozen, "html")[2]
    services.save_edit(campaign, "workshops-held", "Nouveau texte après publication.")
    add_answers(campaign, 30, {"WS_HELD": "no"})
    again = ReportVersion.objects.get(pk=version.pk)
    assert again.document == version.document
    assert render(services.version_document(again), "html")[2] == html_before
    assert services.build_campaign_report(campaign).block("workshops-held").text == "Nouveau texte après publication."
    with pytest.raises(ValidationError):
        again.save()
    second = services.publish(campaign)
    assert (second.number, version.number) == (2, 1)
    assert services.version_document(second).block("workshops-held").text == "Nouveau texte après publication."
    assert frozen.published_on and frozen.version == 1
    assert b"Version 1 publi" in html_before


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x00\x00\x91" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
