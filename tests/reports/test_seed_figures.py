"""Every figure of the published 2023/2024 report, stated in the demo's generated report.

The expected values come from shared/seed/seed-figures.yaml; each must appear
in a sentence (or list item) of the HTML page's text and of the PDF's text
that speaks of the right subject.
"""

import re

import pytest

from bilan.reports.renderers import render
from bilan.reports.services import build_campaign_report
from bilan.surveys.models import Campaign
from tests.reports.helpers import html_text, normalised, pdf_text, sentences

pytestmark = pytest.mark.django_db

# What each figure is about, as a pattern on the normalised text (no accents, lower case).
SUBJECTS = {
    "info-social-networks": r"reseaux sociaux",
    "info-resource-persons": r"personnes ressources",
    "info-missing-ai": r"\bia\d*\b",  # pdftotext glues the footnote number to the word
    "workshops-held": r"mis en place des ateliers",
    "workshops-not-working": r"pas bien fonctionne",
    "workshop-theme-pix": r"\bpix\b.*ce theme",
    "workshops-pedagogy": r"pratiques pedagogiques",
    "projects-never-consulted": r"jamais consultes",
    "steering-helped": r"aide au pilotage",
    "steering-equipment": r"equipement",
    "steering-committees": r"concertation",
    "steering-plans": r"plans de developpement",
    "steering-not-helped": r"n'ont pas aide au pilotage",
    "tablets-in-class": r"tablettes en classe",
    "smartphones-in-class": r"smartphone en classe",
    "science-assessment-unknown": r"ne pas connaitre les recommandations.*pour evaluer",
    "science-memory-unknown": r"ne connaissent pas les recommandations.*memorisation",
    "accessibility-unknown": r"accessibilite",
    "promotes-pix": r"fais connaitre pix :",
    "promotes-pix-edu": r"fais connaitre pix\+ edu",
    "makes-tutorials": r"cree des tutoriels",
    "advises-colleagues": r"conseille mes collegues",
    "edubase-unknown": r"edubase.*ne connaissent pas",
    "edubase-used": r"edubase.*utilisees",
    "apps-education-used": r"apps education.*utilise",
    "pix-used": r"^ ?pix :.*utilise",
    "lumni-known": r"lumni.*connaissent",
    "lumni-used": r"lumni.*utilise",
    "internet-sans-crainte-known": r"internet sans crainte.*connaissent",
    "internet-sans-crainte-used": r"internet sans crainte.*utilise",
}
RANKING_CONTEXT = {"info-social-networks-cited": r"plus cites sont",
                   "workshop-themes": r"mis en place des ateliers de formation.*?ordre decroissant de frequence"}


def value_pattern(figure) -> str:
    value = figure["value"]
    if figure["kind"] == "percent":
        return rf"(?<![\d,]){value} %"
    if figure["kind"] == "mention":
        return rf"(?<![\d,]){value} personnes"
    return rf"(?<![\d,]){value}(?![\d,])"


@pytest.fixture(scope="module")
def texts(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        document = build_campaign_report(Campaign.objects.get(slug="2023-2024"))
    return {"html": html_text(render(document, "html")[2]), "pdf": pdf_text(render(document, "pdf")[2])}


def figures_of(seed, kinds):
    return [f for f in seed["figures"] if f["kind"] in kinds]


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_every_number_of_the_seed_is_stated_about_its_subject(texts, seed, fmt):
    chunks = sentences(texts[fmt])
    missing = []
    for figure in figures_of(seed, {"percent", "count", "mention"}):
        subject, value = SUBJECTS[figure["id"]], value_pattern(figure)
        if not any(re.search(subject, chunk) and re.search(value, chunk) for chunk in chunks):
            missing.append(f"{figure['id']} ({figure['value']})")
    assert not missing, f"{fmt}: figures not found about their subject: {missing}"


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_rankings_are_listed_in_the_published_order(texts, seed, fmt):
    text = normalised(texts[fmt])
    for figure in figures_of(seed, {"ranking"}):
        start = re.search(RANKING_CONTEXT[figure["id"]], text).end()
        positions = []
        for label in figure["value"]:
            first_word = normalised(label).split(" (")[0].removeprefix("la ")
            # (?!\w) but digits: pdftotext glues a footnote's number to its abbreviation (« pc8 »)
            positions.append(re.compile(rf"\b{re.escape(first_word)}(?![^\W\d])").search(text, start).start())
        assert positions == sorted(positions), (figure["id"], positions)


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_participation_figures_are_stated(texts, seed, fmt):
    campaign = seed["campaign"]
    text = normalised(texts[fmt])
    assert f"{campaign['referents_in_post']} personnes ont exerce la mission de rupn" in text
    assert f"moyenne de {str(campaign['referents_per_school']).replace('.', ',')} personnes" in text
    drop = campaign["previous_response_rate_percent"] - campaign["response_rate_percent"]
    assert (f"{campaign['respondents']} ont repondu au questionnaire, soit {campaign['response_rate_percent']} % "
            f"(baisse de {drop} points") in text
    by_type = campaign["respondents_by_school_type"]
    assert re.search(rf"{by_type['college']} de ces personnes sont rupn\d* en colleges, {by_type['lycee']} en "
                     rf"lycees, {by_type['lp']} en lp\d* et {by_type['erea']} en erea", text)


def test_the_qualitative_words_follow_the_data(texts, seed):
    text = normalised(texts["html"])
    mention = next(f for f in seed["figures"] if f["id"] == "info-missing-ai")
    assert normalised(mention["text"]) in text  # the theme named as the comments pages label it
    assert "parmi elles et eux la majorite aimeraient etre formees" in text
    assert "dont le tiers a l'intention de se former" in text


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_the_seed_words_for_numbers_come_from_the_scale(texts, fmt):
    """« quasiment tout le monde », « tout le monde », « la grande majorité », « beaucoup »: as the seed says."""
    text = normalised(texts[fmt]).replace("\u2019", "'")
    assert "apps education : quasiment tout le monde connait et 71 % l'ont utilise" in text
    assert "pix : tout le monde connait et 77 % l'ont utilise" in text
    assert "tablettes : la grande majorite sait utiliser une tablette (88 %)" in text
    assert "smartphones : la grande majorite sait ce qu'un smartphone peut apporter en classe (74 %)" in text
    assert "beaucoup aimeraient apprendre des methodes" in text


def test_french_typography_in_the_html(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        content = render(build_campaign_report(Campaign.objects.get(slug="2023-2024")), "html")[2].decode()
    body = re.sub(r"<(style|svg)\b.*?</\1>", "", content, flags=re.S)
    assert "32\u00a0%" in body and "2,23" in body
    assert not re.search(r"\d %", body), "a plain space before % in the HTML"
    assert not re.search(r"[^\s\u00a0\u202f] ?[;?!](?=\s)", re.sub(r"<[^>]+>|&[a-z#0-9]+;", "", body))
    assert "«\u00a0bilan 2023/2024\u00a0»" in body
