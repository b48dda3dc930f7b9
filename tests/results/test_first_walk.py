"""What a first walk through the results pages found (issue 12), on the demo académie."""

import html as htmllib
import re

import pytest

from bilan.results.charts import BAR_COLOR, chart_spec, chart_svg, scale_colors
from bilan.results.services import campaign_results
from bilan.surveys.models import Campaign, Response, ResponseStatus
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SECTION = "/campagnes/2023-2024/resultats/section/{}/"


def table_rows(page: str, caption: str) -> list[tuple[str, int]]:
    """(label, count) of each body row of the table whose caption starts with ``caption``."""
    table = re.search(r"<caption>" + re.escape(caption) + r".*?</caption>(.*?)</table>", page, re.S).group(1)
    return [(label, int(count)) for label, count in
            re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td>', table)]


def test_a_table_said_in_decreasing_frequency_lists_its_rows_so(personas):
    campaign = Campaign.objects.get(slug="2023-2024")
    question = campaign.questionnaire.schema.question("INFO_SOURCES")
    page = page_text(personas["reader"], SECTION.format("info"))
    rows = table_rows(page, "Sources d'information\u00a0: données (plusieurs réponses possibles, "
                            "par ordre décroissant de fréquence)")
    assert len(rows) == len(question.all_choices)
    order = [choice.label for choice in question.all_choices]
    # Decreasing counts; a tie keeps the questionnaire's order.
    assert rows == sorted(rows, key=lambda row: (-row[1], order.index(row[0])))
    assert [label for label, _ in rows] != order  # in the demo, the questionnaire's order is not this one


def test_breakdowns_show_the_questionnaire_labels_never_the_codes(personas):
    yesno = page_text(personas["reader"], SECTION.format("workshops"))
    # WS_HELD is a yes/no question: its breakdown columns are « Oui » and « Non ».
    assert '<th scope="col">yes</th>' not in yesno and '<th scope="col">no</th>' not in yesno
    assert '<th scope="col">Oui</th>' in yesno
    grid = page_text(personas["reader"], SECTION.format("resources"))
    assert "— edubase" not in grid and "(edubase)" not in grid and "— apps_education" not in grid
    assert "Par type d'établissement — Édubase" in grid and "— Apps Éducation" in grid
    assert '<th scope="col">Je l\'ai utilisé</th>' in grid and '<th scope="col">used</th>' not in grid


def test_one_answer_is_written_in_the_singular(personas):
    campaign = Campaign.objects.get(slug="2025-2026")
    Response.objects.filter(campaign=campaign).delete()
    invitation = campaign.invitations.first()
    Response.objects.create(campaign=campaign, invitation=invitation, status=ResponseStatus.SUBMITTED,
                            school_type=invitation.school_type, departement_code=invitation.departement_code,
                            answers={})
    # A pilot's pages: readers see no figure on a single answer (tests/results/test_small_cells.py).
    page = page_text(personas["pilot"], f"/campagnes/{campaign.slug}/resultats/")
    invited = campaign.invitations.count()
    assert f"1\u00a0réponse sur {invited}\u00a0référent·es invité·es" in page
    assert "1 réponses" not in page and "1\u00a0réponses" not in page
    section = page_text(personas["pilot"], f"/campagnes/{campaign.slug}/resultats/section/info/")
    assert "1\u00a0répondant·e." in section and "calculés sur 1\u00a0répondant·e." in section


# --- Charts ----------------------------------------------------------------------------------

def _luminance(color: str) -> float:
    red, green, blue = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_an_ordinal_grid_is_coloured_in_its_scale_order_and_never_red_for_bonnes(demo_db):
    result = campaign_results(Campaign.objects.get(slug="2023-2024")).question("PART_RELATIONS")
    color = chart_spec(result)["layer"][0]["encoding"]["color"]["scale"]
    assert color["domain"] == ["Bonnes", "Moyennes", "Mauvaises", "Pas de relation"]
    # One hue, from dark to light along the columns: the order reads, no red-for-bad on « Bonnes ».
    assert color["range"][0] == BAR_COLOR
    assert "#CE0500" not in color["range"] and "#18753C" not in color["range"]
    lightness = [_luminance(value) for value in color["range"]]
    assert lightness == sorted(lightness) and len(set(lightness)) == len(lightness)
    assert len(scale_colors(5)) == 5 and scale_colors(2)[-1] != scale_colors(2)[0]


def test_no_chart_label_is_cut(demo_db):
    results = campaign_results(Campaign.objects.get(slug="2023-2024"))
    charted = [q for q in results.questions if q.options or q.rows]
    assert len(charted) > 10
    for question in charted:
        svg = chart_svg(question)
        # Every line drawn: a <text>, or a <tspan> of a label on several lines.
        lines = [htmllib.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)<", svg)]
        # Vega cuts a label longer than its labelLimit and ends it with « … ».
        assert not [line for line in lines if line.endswith("…")], question.code
        drawn = " ".join(lines).split()
        for label in _labels(question):
            assert all(word in drawn for word in label.split()), (question.code, label)


def _labels(question) -> set[str]:
    if question.rows:
        return {row.label for row in question.rows} | {column.label for column in question.rows[0].columns}
    return {option.label for option in question.options}
