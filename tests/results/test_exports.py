"""The rows behind the results' CSV, XLSX and ODS files (``bilan.results.exports``), on a small questionnaire."""

import pytest

from bilan.analysis import AnswerTable, analyse
from bilan.interop.spreadsheets import write_table
from bilan.questionnaire import parse_questionnaire
from bilan.results.exports import RESULT_HEADER, breakdown_rows, result_rows

# The analysis tests' small questionnaire (a superset of what these rows need) and record maker.
from tests.analysis.conftest import MINI_YAML, record


@pytest.fixture
def results():
    mini = parse_questionnaire(MINI_YAML, source="mini")
    records = [
        record("college", "86", HELD="yes", RES={"edubase": "unknown", "pix": "used"}, HOURS=2.5, COMMENT="Très bien"),
        record("college", "16", HELD="yes", RES={"edubase": "known", "pix": "used"}, HOURS=1.0),
        record("lycee", "86", HELD="yes", RES={"edubase": "used", "pix": "known"}),
        record("lycee", "17", HELD="yes", RES={"pix": "known"}),
        record("lp", "79", HELD="no", RES={"edubase": "unknown", "pix": "unknown"}),
        record("erea", "86", HELD="no", HOURS=10.0, COMMENT="À revoir"),
    ]
    table = AnswerTable.from_records(mini, records)
    return analyse(mini, table, previous=table)


def by_key(rows):
    return {(row[0], row[7], row[9]): dict(zip(RESULT_HEADER, row, strict=True)) for row in rows}


def test_it_flattens_every_option_grid_cell_mean_and_text_question(results):
    rows = result_rows(results)
    assert all(len(row) == len(RESULT_HEADER) for row in rows)
    keyed = by_key(rows)
    held_yes = keyed[("HELD", "", "yes")]
    assert (held_yes["effectif"], held_yes["répondant·es"], held_yes["écart (points)"]) == (4, 6, 0.0)
    assert keyed[("RES", "pix", "used")]["effectif"] == 2
    assert keyed[("HOURS", "", "moyenne")]["effectif"] == 3
    assert keyed[("COMMENT", "", "texte")]["effectif"] == 2


def test_it_leaves_suppressed_breakdown_cells_empty_and_says_why(results):
    rows = breakdown_rows(results, "school_type")
    assert rows and {row[2] for row in rows} >= {"Collège", "Lycée"}
    suppressed = [row for row in rows if row[8] == "secret statistique"]
    assert suppressed and all(row[6] is None and row[7] is None for row in suppressed)


def test_its_rows_write_to_a_spreadsheet(results):
    name, _mimetype, data = write_table("resultats", "Résultats", RESULT_HEADER, result_rows(results), "csv")
    text = data.decode("utf-8-sig")
    assert name == "resultats.csv" and text.startswith("question;type;section;intitulé")
    assert "HELD;yesno;s;Avez-vous tenu des ateliers ?;6;6;6;;;yes;Oui;4;66,6667" in text
