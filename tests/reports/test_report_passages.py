"""The demo's compte-rendu reads like the one the académie published (shared/seed/etre-rupn-2024.txt):
its passages, section by section, and no remark quoted twice in any report the builder drafts."""

import io
import random
import re
from types import SimpleNamespace

import pytest

from bilan.analysis import AnswerTable, analyse
from bilan.comments.similarity import same_remark, signature
from bilan.demo import generator
from bilan.questionnaire.loader import load_builtin
from bilan.reports import builder
from bilan.reports.renderers import embolden, emphasis_pattern, render
from bilan.reports.services import build_campaign_report
from bilan.surveys.models import Campaign
from tests.reports.helpers import html_text, normalised

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def report(demo_db, django_db_blocker):
    with django_db_blocker.unblock():
        document = build_campaign_report(Campaign.objects.get(slug="2023-2024"))
    return {"document": document, "md": render(document, "md")[2].decode(),
            "html": html_text(render(document, "html")[2])}


def section_of(markdown: str, title_start: str) -> str:
    """The Markdown of the section whose title starts with ``title_start``, up to the next heading."""
    match = re.search(rf"^#+ {re.escape(title_start)}.*?$(.*?)(?=^#+ |\Z)", markdown, flags=re.M | re.S)
    assert match, f"no section « {title_start} »"
    return match.group(1)


def bullets(markdown: str) -> list[str]:
    return [line[2:] for line in markdown.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_two_opening_summaries_are_drafted_for_the_team(report, fmt):
    text = normalised(report[fmt])
    difficulties = text.index("certaines difficultes demeurent : ")
    progress = text.index("ce qui avance : ")
    assert text.index("en lp") < difficulties < progress < text.index("les lettres d'information sont appreciees")
    # From the year's findings: the difficulties most cited, what went up since last year…
    assert "agendas et services partages" in text[difficulties:progress]
    assert re.search(r"usage d'apps education \(55 % l'an dernier, 71 % cette annee\)", text[progress:])
    # … and marked as drafts to rewrite.
    assert text.count("proposition redigee a partir des resultats de l'annee : a relire et a reecrire") == 2


def test_an_opening_summary_edited_by_the_team_is_no_longer_marked_as_a_draft(report):
    document = report["document"]
    block = document.block("opening-progress")
    assert block.draft
    block.edited = True
    try:
        assert "Proposition rédigée" not in render(document, "md")[2].decode().split("## Diffuser")[0].split(
            "Ce qui avance")[1]
    finally:
        block.edited = False


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_participation_says_no_reminder_was_sent(report, fmt):
    text = normalised(report[fmt])
    assert ("(baisse de 10 points par rapport a l'an dernier, ou le taux etait de 42 %, peut-etre parce "
            "qu'aucune relance n'a ete envoyee cette annee, contre 2 relances l'an dernier)") in text


def test_the_information_section_names_the_newsletters_the_persons_and_the_surveys(report):
    text = normalised(section_of(report["md"], "Diffuser des informations"))
    assert "les lettres d'information sont appreciees : 72 % des personnes" in text
    # The persons the comments cite most, by name (the comments' themes, not words of the template).
    assert "26 % s'appuient sur des personnes ressources, les plus citees etant les collegues rupn et le srane." in text
    assert re.search(r"\d+ % des rupn sondent leurs collegues", text)


def test_the_exchange_methods_come_in_the_seeds_order(report):
    methods = bullets(section_of(report["md"], "Organiser ou faciliter"))
    assert [normalised(m) for m in methods[:3]] == [
        "discussions a la demande et mises en relation", "cafe numerique", "ateliers thematiques"]
    assert "Beaucoup aimeraient apprendre des méthodes pour le faire." in report["md"]


def test_the_workshops_name_the_pedagogy_themes(report):
    text = normalised(section_of(report["md"], "Mettre en place des mini-ateliers"))
    assert re.search(r"themes evoques : hybridation.*qcm.*ecriture collaborative.*evaluation par les pairs", text)


def test_the_projects_and_the_steering_say_what_the_seed_says(report):
    projects = normalised(section_of(report["md"], "Accompagner les collègues"))
    for project in ("erasmus", "escape game", "etwinning"):
        assert project in projects
    steering = section_of(report["md"], "Participer au pilotage")
    # Reported speech, never the respondents' « je ».
    assert "- un pilotage auquel le RUPN" in steering and "je ne suis pas" not in steering
    assert "Schematic" in steering


def test_the_partners_get_the_seeds_verdict_and_the_remark_of_one_departement(report):
    text = normalised(section_of(report["md"], "Relations avec les partenaires"))
    assert "sauf exception, les relations avec les partenaires sont bonnes." in text
    assert ("dans le departement 17 – charente-maritime, des personnes signalent ceci : "
            "« faire directement les demandes d'assistance par seren-it »") in text


@pytest.mark.parametrize(("places", "said"), [
    ({"17": 5, "86": 1}, ["17"]),          # 5 people (the limit), 5 of 6 (83 %)
    ({"17": 4}, []),                       # one person short
    ({"17": 8, "86": 2}, ["17"]),          # 8 of 10: the share at its limit
    ({"17": 7, "86": 2}, []),              # 7 of 9 (78 %): just under the share
    ({"17": 6, "86": 6}, []),              # cited everywhere alike
])
def test_a_theme_is_placed_in_a_departement_only_when_most_who_cite_it_work_there(places, said):
    digest = SimpleNamespace(themes=[SimpleNamespace(code="t", label="Un thème", departements=places)])
    item = {"at_least": 5, "share": 0.8, "text": "{place} : {theme}"}
    blocks = builder.place_blocks("places", item, digest)
    assert [block.text.split(" ")[0] for block in blocks] == said


def test_the_next_years_projects_list_what_several_people_cite(report):
    section = section_of(report["md"], "Projets pour l’année qui suit")
    assert "sont évoqués plusieurs fois" in section
    items = [normalised(item) for item in bullets(section)]
    assert len(items) >= 3
    assert any("parents" in item for item in items) and any("apps education" in item for item in items)


def test_the_suggestions_are_one_bullet_per_distinct_suggestion(report):
    items = bullets(section_of(report["md"], "Leurs suggestions au rectorat"))
    assert len(items) >= 15
    marks = [signature(item) for item in items]
    assert not [(a, b) for i, a in enumerate(items) for j, b in enumerate(items)
                if i < j and same_remark(marks[i], marks[j])]
    assert "Thèmes cités" not in section_of(report["md"], "Leurs suggestions au rectorat")


def test_the_suggestions_key_words_are_in_bold_in_every_format(report):
    items = bullets(section_of(report["md"], "Leurs suggestions au rectorat"))
    assert sum("**" in item for item in items) >= 15
    assert any("**matériel** qui **fonctionne**" in item for item in items)
    html = render(report["document"], "html")[2].decode()
    assert html.count("<strong>") >= 15 and "<strong>temps dégagé</strong>" in html
    from odfdo import Document

    odt = Document(io.BytesIO(render(report["document"], "odt")[2]))
    spans = [span for span in odt.body.get_spans() if span.style == "Gras"]
    assert len(spans) >= 15 and "matériel" in [span.text for span in spans]
    style = odt.get_style("text", "Gras")
    assert style is not None and style.get_properties()["fo:font-weight"] == "bold"


def test_key_words_are_bold_as_whole_words_whatever_their_case_and_in_one_run():
    pattern = emphasis_pattern(["ent", "temps", "dégagé"])
    assert embolden("L'ENT, le temps dégagé, les parents, entre nous.", pattern, "*", "*") == (
        "L'*ENT*, le *temps dégagé*, les parents, entre nous.")
    assert emphasis_pattern([]) is None and embolden("Rien", None, "*", "*") == "Rien"


def test_the_demo_reports_french_text_has_no_straight_apostrophe_and_raised_ordinals(report):
    text = report["html"]     # the visible text of the HTML page (tests.reports.helpers.html_text)
    assert "'" not in text, re.findall(r".{20}'.{20}", text)[:5]
    assert "l’IA" in text and "6ᵉ" in text and not re.search(r"\b6e\b", text)
    # The chart pictures' own labels too (their SVG text nodes).
    svgs = "".join(re.findall(r"<svg\b.*?</svg>", render(report["document"], "html")[2].decode(), flags=re.S))
    labels = re.findall(r"<text\b[^>]*>([^<]*)</text>", svgs)
    assert labels and not [label for label in labels if "'" in label or "&#39;" in label or "&apos;" in label]


def test_the_demo_reports_odt_carries_every_chart_as_a_picture(report):
    from odfdo import Document

    charts = [block for section in report["document"].visible_sections() for block in section.blocks
              if block.kind == "chart"]
    odt = Document(io.BytesIO(render(report["document"], "odt")[2]))
    frames = [frame for frame in odt.body.get_frames() if (frame.name or "").startswith("Graphique ")]
    assert len(charts) >= 5 and len(frames) == len(charts)
    for frame in frames:
        image = frame.get_image()
        assert odt.get_part(image.url)[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_report_closes_with_thanks(report, fmt):
    assert "Merci à toutes les personnes qui ont contribué à cette enquête." in report[fmt]


def test_every_note_is_referenced_and_every_abbreviation_has_its_note(report):
    # From the first section on (the title says « RUPN »; its note is called in the first paragraph).
    markdown = report["md"][report["md"].index("\n## "):]
    body, _, notes = markdown.partition("\n[^1]:")
    definitions = dict(re.findall(r"^\[\^(\d+)\]: (\S+)", "[^1]:" + notes, flags=re.M))
    assert len(definitions) == len(report["document"].notes) >= 6
    for number in definitions:
        assert f"[^{number}]" in body, f"note {number} ({definitions[number]}) is never called"
    # Every word in capitals (two letters or more) is an abbreviation the notes define, called at first use.
    body_words = re.sub(r"\[\^\d+\]", "", body)
    for abbreviation in set(re.findall(r"(?<![\w-])[A-ZÀ-Ý][A-ZÀ-Ý0-9]+(?![\w-])", body_words)):
        assert abbreviation in definitions.values(), f"« {abbreviation} » has no note"
        number = next(n for n, term in definitions.items() if term == abbreviation)
        first = body_words_position(body, abbreviation) + len(abbreviation)
        assert re.match(rf"(\*\*)?\[\^{number}\]", body[first:]), f"« {abbreviation} »: no call at first use"


def body_words_position(body: str, word: str) -> int:
    """Where ``word`` first appears as a whole word in the Markdown body (its note's call follows it)."""
    return re.search(rf"(?<![\w-]){word}(?![\w-])", body).start()


def test_no_remark_is_quoted_twice_in_the_demo_report(report):
    assert_no_remark_twice(report["document"])


def assert_no_remark_twice(document):
    remarks = [quote.text for section in document.sections for block in section.blocks for quote in block.quotes]
    remarks += [item for section in document.sections for block in section.blocks
                if block.key == "suggestions-remarks" for item in block.items]
    assert len(remarks) == len(set(remarks))
    marks = [signature(text) for text in remarks]
    repeated = [(remarks[i], remarks[j]) for i in range(len(marks)) for j in range(i + 1, len(marks))
                if same_remark(marks[i], marks[j])]
    assert not repeated, repeated


@pytest.mark.parametrize("seed", [3, 11, 2024, 40577])
def test_no_remark_is_quoted_twice_in_reports_of_random_campaigns(seed):
    """Campaigns drawn by the demo generator with other seeds, every remark of every free-text question marked
    for publication (the worst case: the generator rewords its bank, so near-duplicates abound)."""
    questionnaire = load_builtin("bilan-rupn")
    academie = generator.build_academie(seed, school_years=("2022-2023", "2023-2024"))
    answers = generator.build_campaign_answers(academie, questionnaire, "2023-2024", seed=seed)
    records = [{"answers": a.answers, "school_type": a.school_type, "departement_code": a.departement_code}
               for a in answers]
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records))
    rng = random.Random(seed)
    digests = {}
    for question in questionnaire.questions:
        if question.type.value in ("text", "longtext"):
            texts = [a.answers[question.code] for a in answers if a.answers.get(question.code)]
            rng.shuffle(texts)
            digests[question.code] = SimpleNamespace(themes=[], published_quotes=texts)
    participation = builder.Participation(invited=len(answers) * 3, respondents=len(answers), schools=len(answers),
                                          by_school_type={})
    document = builder.build_report(builder.Inputs(
        results=results, participation=participation, academie="Essai", school_year="2023-2024",
        campaign="2023-2024", digests=digests))
    quoted = sum(len(block.quotes) for section in document.sections for block in section.blocks)
    assert quoted >= 10   # the check below has something to check
    assert_no_remark_twice(document)
