"""The four renderings of the demo report, the pages, the command, and privacy."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bilan.reports import services
from bilan.reports.builder import ReportTemplateError, measure, share_in_words, truncated_rate
from bilan.reports.renderers import FORMATS, render
from bilan.roster.models import Referent
from bilan.surveys.models import Campaign
from tests.breadcrumb import check_breadcrumb
from tests.reports.helpers import html_text, normalised, odt_text, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def outputs(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        document = services.build_campaign_report(Campaign.objects.get(slug="2023-2024"))
    return {fmt: render(document, fmt) for fmt in FORMATS}


def test_each_renderer_names_its_file_and_type(outputs):
    assert {fmt: (name, mime) for fmt, (name, mime, _) in outputs.items()} == {
        "html": ("compte-rendu-2023-2024.html", "text/html; charset=utf-8"),
        "pdf": ("compte-rendu-2023-2024.pdf", "application/pdf"),
        "odt": ("compte-rendu-2023-2024.odt", "application/vnd.oasis.opendocument.text"),
        "md": ("compte-rendu-2023-2024.md", "text/markdown; charset=utf-8"),
    }


def test_the_html_page_stands_alone_and_its_charts_are_accessible(outputs):
    html = outputs["html"][2].decode()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
    assert "<link" not in html and "<script" not in html and "@import" not in html
    svgs = re.findall(r"<svg\b[^>]*>\s*<title>[^<]+</title>", html)
    assert svgs and all('role="img"' in s and "aria-label=" in s for s in svgs)
    assert html.count("<svg") == len(svgs) == html.count("(données du graphique)</caption>")
    assert '<html lang="fr">' in html and '<nav aria-label="Sommaire">' in html
    assert '<sup><a href="#note-1" id="ref-1">1</a></sup>' in html and 'id="note-1">RUPN&#160;: ' in html


def test_the_pdf_opens_with_page_numbers_and_embedded_fonts(outputs, tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(outputs["pdf"][2])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    text = pdf_text(outputs["pdf"][2])
    for page in range(1, pages + 1):
        assert f"Page {page} sur {pages}" in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    embedded = [re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", row).group(1) for row in rows]
    assert rows and set(embedded) == {"yes"}
    assert all("DejaVu" in row for row in rows)
    # -singlefile: "p.png", whatever the page count (pdftoppm pads "p-01.png" from 10 pages on).
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")],
                   check=True)
    assert (tmp_path / "p.png").stat().st_size > 5000


def test_the_odt_reopens_with_the_reports_text(outputs):
    text = normalised(odt_text(outputs["odt"][2]))
    assert "apres le bilan, l'action" in text
    assert "sur les 95 personnes qui ont aide au pilotage, 73" in text
    assert "lumni enseignement : 81 % connaissent et 42 % l'ont utilise" in text


def test_the_markdown_has_headings_lists_tables_and_footnotes(outputs):
    md = outputs["md"][2].decode()
    assert md.startswith("# Être RUPN en 2024\n")
    assert "\n## Après le bilan, l’action\n" in md and "\n- Apps éducation\n" in md
    assert "| Réponse | Effectif | Part des répondants |" in md
    assert "RUPN[^1]" in md and "[^1]: RUPN\u00a0: " in md


def test_no_output_contains_a_roster_name(outputs, demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        people = list(Referent.objects.values_list("first_name", "last_name"))
    assert len(people) > 400
    texts = {"html": normalised(html_text(outputs["html"][2])), "pdf": normalised(pdf_text(outputs["pdf"][2])),
             "odt": normalised(odt_text(outputs["odt"][2])), "md": normalised(outputs["md"][2].decode())}
    for fmt, text in texts.items():
        found = [f"{first} {last}" for first, last in people
                 if normalised(f"{first} {last}") in text or normalised(f"{last} {first}") in text]
        assert not found, (fmt, found[:5])


def test_a_quote_marked_in_the_comments_pages_appears_without_the_name_it_held(demo_db, db):
    from bilan.commentary.services import mark_quote
    from bilan.surveys.models import Response, ResponseStatus

    campaign = Campaign.objects.get(slug="2023-2024")
    referent = Referent.objects.filter(mandates__school_year="2023-2024").order_by("pk").first()
    name = f"{referent.first_name} {referent.last_name}"
    response = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).order_by("pk").first()
    response.answers["SUGGESTIONS"] = f"Merci à {name} pour ses tutoriels sur le wifi, à diffuser partout."
    response.save()
    mark_quote(campaign, response.pk, "SUGGESTIONS")
    document = services.build_campaign_report(campaign)
    # The suggestions are one bullet each (the remarks the team marked, in its order).
    (remarks,) = [b.items for b in document.section("suggestions").blocks if b.items]
    (quote,) = [text for text in remarks if "tutoriels sur le wifi" in text]
    assert referent.last_name not in quote
    for fmt in FORMATS:
        content = render(document, fmt)[2]
        text = {"html": lambda c: html_text(c), "pdf": pdf_text, "odt": odt_text,
                "md": lambda c: c.decode()}[fmt](content)
        # (its key words in bold in the Markdown: « **tutoriels** sur le **wifi** »)
        assert "tutoriels sur le wifi" in normalised(text.replace("**", "")), fmt
        assert normalised(name) not in normalised(text), fmt


def test_the_builder_words_and_rates():
    assert truncated_rate(145, 446) == 32 and truncated_rate(185, 440) == 42 and truncated_rate(1, 0) is None
    assert [share_in_words(p) for p in (85, 60, 50, 42, 33, 25, 10)] == [
        "la grande majorité", "la majorité", "la moitié", "beaucoup", "le tiers", "le quart", "peu"]


def test_a_template_naming_an_unknown_question_is_refused_clearly(demo_db, db):
    inputs = services.report_inputs(Campaign.objects.get(slug="2023-2024"))
    with pytest.raises(ReportTemplateError, match="« NOPE » n'existe pas"):
        measure(inputs, {"q": "NOPE", "c": "yes"})
    with pytest.raises(ReportTemplateError, match="« WS_HELD » n'a pas le choix « maybe"):
        measure(inputs, {"q": "WS_HELD", "c": "maybe"})


def test_the_report_command_writes_each_format(demo_db, db, tmp_path):
    for fmt in ("md", "odt"):
        out = tmp_path / f"cr.{fmt}"
        stdout = io.StringIO()
        call_command("report", "2023-2024", "--format", fmt, "--out", str(out), stdout=stdout)
        assert out.stat().st_size > 1000 and str(out) in stdout.getvalue()
    assert "Être RUPN en 2024" in (tmp_path / "cr.md").read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="Campagne « 1999-2000 » introuvable"):
        call_command("report", "1999-2000", "--format", "md", "--out", str(tmp_path / "x.md"))


def test_write_demo_reports_writes_the_four_formats(demo_db, db, tmp_path):
    paths = services.write_demo_reports(Campaign.objects.get(slug="2023-2024"), tmp_path / "demo")
    assert sorted(p.suffix for p in paths) == [".html", ".md", ".odt", ".pdf"]
    assert all(p.exists() and p.stat().st_size > 1000 for p in paths)


def test_personas_read_edit_and_publish_as_their_role_allows(client, personas):
    slug = "2023-2024"
    detail = reverse("reports:detail", args=[slug])
    edit = reverse("reports:edit", args=[slug, "workshops-held"])
    publish = reverse("reports:publish", args=[slug])

    client.force_login(personas["outsider"])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("reports:download", args=[slug, "md"])).status_code == 404

    client.force_login(personas["reader"])
    page = client.get(detail)
    assert page.status_code == 200 and "Modifier ce paragraphe" not in page.content.decode()
    assert client.get(reverse("reports:download", args=[slug, "md"]))["Content-Type"].startswith("text/markdown")
    assert client.post(edit, {"text": "Tentative"}).status_code == 404
    assert client.post(publish).status_code == 404

    client.force_login(personas["pilot"])
    assert "Modifier ce paragraphe" in client.get(detail).content.decode()
    assert "ne peut pas être vide" in client.post(edit, {"text": "  "}).content.decode()
    assert client.post(edit, {"text": "Texte de l'équipe sur les ateliers."}).status_code == 302
    assert "Texte de l’équipe sur les ateliers." in client.get(detail).content.decode()
    response = client.post(publish, {"confirm": "on"})
    version_url = reverse("reports:version", args=[slug, 1])
    assert response.status_code == 302 and response["Location"] == version_url
    client.force_login(personas["reader"])
    assert "Version 1 publiée le" in client.get(version_url).content.decode()
    # Times are written « 18 h 01 » on every page, never « 18:01 ».
    listed = re.search(r"Version 1 du ([^<]+)</a>", client.get(detail).content.decode()).group(1)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} à \d{1,2}\xa0h\xa0\d\d", listed)
    asked = client.get(reverse("reports:version_download", args=[slug, 1, "pdf"]))  # built by the worker
    assert asked.status_code == 302 and asked["Location"].startswith("/travaux/")


def test_a_pilot_lays_out_sections_and_adds_text_from_the_page(client, personas):
    slug = "2023-2024"
    client.force_login(personas["pilot"])
    detail = reverse("reports:detail", args=[slug])
    bad = client.post(reverse("reports:layout", args=[slug]), {"position-info": "deux"}, follow=True)
    assert "Position «\u00a0deux\u00a0» invalide pour la section «\u00a0info\u00a0»" in bad.content.decode()
    client.post(reverse("reports:layout", args=[slug]), {"position-action": "0", "hidden-projects": "on"})
    client.post(reverse("reports:add", args=[slug]), {"section": "action", "text": "Merci à toutes et à tous."})
    refused = client.post(reverse("reports:add", args=[slug]), {"section": "action"}, follow=True)
    assert "Saisissez un texte ou choisissez une image." in refused.content.decode()
    page = client.get(detail).content.decode()
    report = page[page.index('<article class="report-body">'):]
    assert report.index('id="action"') < report.index('id="participation"')
    assert 'id="projects"' not in report
    assert "Merci à toutes et à tous." in report


def test_the_standalone_page_inlines_the_report_stylesheet_that_the_staff_pages_link(client, personas, outputs):
    sheet = (Path(services.__file__).parent / "static" / "reports" / "report.css").read_text(encoding="utf-8")
    assert f"<style>{sheet}</style>" in outputs["html"][2].decode()
    client.force_login(personas["pilot"])
    page = client.get(reverse("reports:detail", args=["2023-2024"])).content.decode()
    link = re.search(r'<link rel="stylesheet" href="([^"]*/reports/report-page\.css)">', page)
    assert link and "<style>" not in page
    assert b".report-body" in b"".join(client.get(link.group(1)).streaming_content)


def test_each_report_page_has_the_one_breadcrumb_back_to_the_draft(client, personas):
    client.force_login(personas["pilot"])
    slug = "2023-2024"
    report = f"Compte-rendu — {Campaign.objects.get(slug=slug).title}"
    detail = reverse("reports:detail", args=[slug])
    check_breadcrumb(client, detail, report)
    edit = reverse("reports:edit", args=[slug, "workshops-held"])
    assert check_breadcrumb(client, edit, report, "Modifier un paragraphe")[1] == (report, detail)
    publish = reverse("reports:publish", args=[slug])
    check_breadcrumb(client, publish, report, "Publier")
    published = client.post(publish, {"confirm": "on"}, follow=True)
    assert published.content.decode().count("publiée\u202f; elle ne changera plus.") == 1  # U+202F before « ; »
    check_breadcrumb(client, reverse("reports:version", args=[slug, 1]), report, "Version 1 publiée")
