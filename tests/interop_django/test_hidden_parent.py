"""An answer to a question whose parent was hidden (possible in an imported file): reported, not counted.

The chain ATELIERS → PEDAGO → THEMES: THEMES is shown only when PEDAGO is « oui », and PEDAGO only when
ATELIERS is « oui ». A file may still carry PEDAGO and THEMES answers on a row whose ATELIERS is « non »
(another tool, a stale answer left after the parent changed): the import says which line and which
questions it left out, and the results count them neither as asked nor as answered.
"""

import pytest

from bilan.french import NBSP
from bilan.interop.mapping import ImportedRecord
from bilan.results.services import campaign_results
from bilan.surveys.imports import _hidden_notes, import_answers, plan_answers_import
from bilan.surveys.models import Campaign, Response
from tests.interop_django.conftest import run

CHAIN = """\
code: chaine
version: "1"
title: Enquête à conditions en chaîne
sections:
  - code: ateliers
    title: Ateliers
    questions:
      - code: ATELIERS
        type: yesno
        text: Avez-vous animé des ateliers ?
      - code: PEDAGO
        type: yesno
        text: Portaient-ils sur la pédagogie ?
        when: {question: ATELIERS, equals: "yes"}
      - code: THEMES
        type: text
        text: Lesquels ?
        when: {question: PEDAGO, equals: "yes"}
"""

# Line 1 is the header; line 4 answers PEDAGO and THEMES although ATELIERS (« N ») hides them both.
ANSWERS = ("id;submitdate;ATELIERS;PEDAGO;THEMES\n"
           "1;2023-06-01;Y;Y;Pix\n"
           "2;2023-06-02;Y;N;\n"
           "3;2023-06-03;N;Y;Tchap\n")


@pytest.fixture
def chain_campaign(academie, tmp_path, settings):
    settings.BILAN_SMALL_CELL_THRESHOLD = 1  # three respondents: every figure published
    path = tmp_path / "chaine.yaml"
    path.write_text(CHAIN, encoding="utf-8")
    run("import", "questionnaire", str(path), "--campaign", "chaine-2023", "--school-year", "2022-2023")
    return Campaign.objects.get(slug="chaine-2023")


def test_an_answer_under_a_hidden_parent_is_reported_with_its_line_and_not_counted(chain_campaign):
    plan = plan_answers_import(chain_campaign, ANSWERS.encode(), "reponses.csv")
    done = import_answers(plan)
    assert done.imported == 3
    hidden_notes = [note for note in done.notes if "masquent" in note]
    assert len(hidden_notes) == 1, done.notes
    assert hidden_notes[0] == ("2 réponse(s) à des questions que les conditions du questionnaire masquent, "
                               f"non reprises (ligne 4{NBSP}: PEDAGO, THEMES)")
    stored = sorted(Response.objects.filter(campaign=chain_campaign).values_list("answers", flat=True),
                    key=lambda answers: answers["ATELIERS"], reverse=True)
    assert stored[-1] == {"ATELIERS": "no"}

    results = campaign_results(chain_campaign, with_previous=False)
    pedago, themes = results.question("PEDAGO"), results.question("THEMES")
    assert (pedago.base.respondents, pedago.base.asked, pedago.base.answered) == (3, 2, 2)
    assert (pedago.option("yes").count, pedago.option("no").count) == (1, 1)
    assert (themes.base.asked, themes.base.answered) == (1, 1)


def _records(count: int) -> list[ImportedRecord]:
    return [ImportedRecord(line, {"ATELIERS": "no"}, hidden=["PEDAGO", "THEMES", "THEMES.other"])
            for line in range(2, 2 + count)] + [ImportedRecord(99, {"ATELIERS": "yes"})]


def test_the_note_names_five_lines_then_counts_the_others():
    five, six = _hidden_notes(_records(5)), _hidden_notes(_records(6))
    assert five[0].startswith("15 réponse(s)") and five[0].endswith("ligne 6 : PEDAGO, THEMES)")
    assert "autre" not in five[0] and "ligne 99" not in five[0]
    assert six[0].startswith("18 réponse(s)") and six[0].endswith("ligne 6 : PEDAGO, THEMES ; et 1 autre(s) ligne(s))")
    assert "ligne 7" not in six[0]
    assert _hidden_notes(_records(0)) == []
