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


def test_it_leaves_suppressed_breakdown_cells_empty_and_says_why():
    mini = parse_questionnaire(MINI_YAML, source="mini")
    # Collège 12 (2 « no »: under the threshold), lycée 10, LP 6 and EREA 3 (read together: EREA is too small).
    records = ([record("college", "86", HELD="yes")] * 10 + [record("college", "86", HELD="no")] * 2
               + [record("lycee", "86", HELD="yes")] * 5 + [record("lycee", "86", HELD="no")] * 5
               + [record("lp", "86", HELD="yes")] * 3 + [record("lp", "86", HELD="no")] * 3
               + [record("erea", "86", HELD="no")] * 3)
    results = analyse(mini, AnswerTable.from_records(mini, records))
    rows = [row for row in breakdown_rows(results, "school_type") if row[0] == "HELD"]
    assert [row[2] for row in rows[::2]] == ["Collège", "Lycée", "Lycée professionnel et EREA"]
    assert [row[3] for row in rows[::2]] == [12, 10, 9]
    suppressed = [row for row in rows if row[8] == "secret statistique"]
    assert suppressed and all(row[6] is None and row[7] is None for row in suppressed)
    assert ("HELD", "Collège", "no") in {(row[0], row[2], row[5]) for row in suppressed}


def test_its_rows_write_to_a_spreadsheet(results):
    name, _mimetype, data = write_table("resultats", "Résultats", RESULT_HEADER, result_rows(results), "csv")
    text = data.decode("utf-8-sig")
    assert name == "resultats.csv" and text.startswith("question;type;section;intitulé")
    assert "HELD;yesno;s;Avez-vous tenu des ateliers ?;6;6;6;;;yes;Oui;4;66,6667" in text


def test_the_design_based_weighted_interval_follows_the_weighted_percent_on_every_kind_of_row():
    from bilan.analysis.withholding import withhold_small_bases

    mini = parse_questionnaire(MINI_YAML, source="mini")
    records = [record("college", "86", HELD="yes", SAT=4, COMMENT="Bien")] * 3 + [
        record("college", "86", HELD="no", SAT=2)] * 2 + [record("lycee", "17", HELD="yes", SAT=5)] * 2 + [
        record("lycee", "17", HELD="no", SAT=3)] * 2
    # small_cell=0: no disclosure control in this tiny example (it would hide weighted figures of small counts).
    results = analyse(mini, AnswerTable.from_records(mini, records),
                      roster={("college", "86"): 20, ("lycee", "17"): 10}, small_cell=0)
    header = RESULT_HEADER.index("% redressé")
    assert RESULT_HEADER[header + 1:header + 3] == ["IC 95 % redressé bas", "IC 95 % redressé haut"]
    rows = result_rows(results)
    assert all(len(row) == len(RESULT_HEADER) for row in rows)
    keyed = by_key(rows)
    yes, estimate = keyed[("HELD", "", "yes")], results.question("HELD").option("yes")
    assert estimate.weighted_ci95 != estimate.ci95
    assert (yes["% redressé"], yes["IC 95 % redressé bas"], yes["IC 95 % redressé haut"]) == (
        estimate.weighted_percent, *estimate.weighted_ci95)
    assert (yes["IC 95 % bas"], yes["IC 95 % haut"]) == estimate.ci95
    mean, numeric = keyed[("SAT", "", "moyenne")], results.question("SAT").numeric
    assert (mean["% redressé"], mean["IC 95 % redressé bas"], mean["IC 95 % redressé haut"]) == (
        numeric.weighted_mean, *numeric.weighted_mean_ci95)
    text = keyed[("COMMENT", "", "texte")]
    assert (text["effectif"], text["IC 95 % redressé bas"], text["significatif"]) == (3, None, None)
    withheld = result_rows(withhold_small_bases(results, 20))
    assert withheld and all(len(row) == len(RESULT_HEADER) for row in withheld)
    assert {row[RESULT_HEADER.index("IC 95 % redressé bas")] for row in withheld} == {None}


def test_the_q_value_follows_the_p_value_on_option_grid_and_mean_rows():
    mini = parse_questionnaire(MINI_YAML, source="mini")
    this_year = [record(HELD="yes", SAT=5, RES={"pix": "used"})] * 12 + [record(HELD="no", SAT=2)] * 3
    last_year = [record(HELD="yes", SAT=2, RES={"pix": "unknown"})] * 4 + [record(HELD="no", SAT=3)] * 11
    results = analyse(mini, AnswerTable.from_records(mini, this_year),
                      previous=AnswerTable.from_records(mini, last_year))
    assert RESULT_HEADER[RESULT_HEADER.index("p-valeur") + 1] == "q-valeur (BH)"
    rows = result_rows(results)
    assert all(len(row) == len(RESULT_HEADER) for row in rows)
    keyed = by_key(rows)
    for key, comparison in ((("HELD", "", "yes"), results.question("HELD").option("yes").previous),
                            (("RES", "pix", "used"), results.question("RES").row("pix").columns[2].previous),
                            (("SAT", "", "moyenne"), results.question("SAT").numeric.previous)):
        row = keyed[key]
        assert comparison.q_value is not None and comparison.q_value >= comparison.p_value
        assert (row["p-valeur"], row["q-valeur (BH)"], row["significatif"]) == (
            comparison.p_value, comparison.q_value, comparison.significant)
    assert keyed[("COMMENT", "", "texte")]["q-valeur (BH)"] is None
