from bilan.analysis import BREAKDOWN_COLUMNS, RESULT_COLUMNS, analyse, breakdown_rows, result_rows
from bilan.interop.spreadsheets import write_table


def test_it_flattens_every_option_grid_cell_and_statistic(mini, mini_table):
    rows = result_rows(analyse(mini, mini_table, previous=mini_table))
    assert all(len(row) == len(RESULT_COLUMNS) for row in rows)
    by_key = {(row[0], row[6], row[8]): dict(zip(RESULT_COLUMNS, row)) for row in rows}
    held_yes = by_key[("HELD", "", "yes")]
    assert (held_yes["effectif"], held_yes["repondants"], held_yes["ecart_points"]) == (4, 6, 0.0)
    assert by_key[("RES", "pix", "at_least_known")]["effectif"] == 4
    assert by_key[("SAT", "", "mean")]["valeur"] == 3.5
    assert by_key[("COMMENT", "", "")]["effectif"] == 2


def test_it_leaves_suppressed_breakdown_cells_empty(mini, mini_table):
    rows = [dict(zip(BREAKDOWN_COLUMNS, row)) for row in breakdown_rows(analyse(mini, mini_table))]
    assert rows and all(row["effectif"] is None for row in rows if row["secret"] is True and row["option"])
    assert {row["ventilation"] for row in rows} == {"school_type", "departement_code"}


def test_its_rows_write_to_a_spreadsheet(mini, mini_table):
    name, mimetype, data = write_table("resultats", "Résultats", RESULT_COLUMNS,
                                       result_rows(analyse(mini, mini_table)), "csv")
    text = data.decode("utf-8-sig")
    assert name == "resultats.csv" and text.startswith("question;type;intitule")
    assert "HELD;yesno;Avez-vous tenu des ateliers ?;6;6;6;;;yes;Oui;4;66,6667" in text
