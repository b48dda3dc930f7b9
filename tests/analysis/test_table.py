import numpy as np
import polars as pl
import pytest

from bilan.analysis import AnalysisError, AnswerTable, analyse, answer_columns
from bilan.demo.synthetic import synthetic_answers, synthetic_questionnaire
from tests.analysis.conftest import record


def test_it_encodes_each_question_in_typed_columns(mini, mini_table):
    frame = mini_table.frame
    assert answer_columns(mini.question("THEMES")) == ["THEMES|pix", "THEMES|ent", "THEMES|pronote", "THEMES|other"]
    assert frame.schema["THEMES|pix"] == pl.Boolean
    assert frame.schema["HELD"] == pl.UInt8 and frame.schema["RES|pix"] == pl.UInt8
    assert frame.get_column("HELD").to_list() == [0, 0, 0, 0, 1, 1]
    assert frame.get_column("THEMES|pix").to_list() == [True, True, False, False, None, None]
    assert frame.get_column("COMMENT").to_list() == ["Très bien", None, None, None, None, "À revoir"]
    assert mini_table.school_types == ("college", "lycee", "lp", "erea")
    assert mini_table.departements == ("16", "17", "79", "86")


def test_it_names_the_response_and_question_of_an_unknown_choice(mini):
    records = [record(HELD="yes"), record(HELD="maybe")]
    with pytest.raises(AnalysisError, match=r"réponse n° 2, question HELD : choix « maybe » inconnu"):
        AnswerTable.from_records(mini, records)


def test_it_names_an_unknown_grid_column(mini):
    with pytest.raises(AnalysisError, match=r"question RES : ligne « pix » : colonne « often » inconnue"):
        AnswerTable.from_records(mini, [record(RES={"pix": "often"})])


def test_it_rejects_text_where_a_number_is_expected(mini):
    with pytest.raises(AnalysisError, match=r"question SAT : « beaucoup » n'est pas un nombre"):
        AnswerTable.from_records(mini, [record(SAT="beaucoup")])


def test_it_rejects_a_value_outside_the_scale(mini):
    with pytest.raises(AnalysisError, match=r"réponse n° 1, question SAT : 9 hors de l'échelle 1 à 5"):
        AnswerTable.from_records(mini, [record(SAT=9)])
    with pytest.raises(AnalysisError, match=r"colonne SAT : valeur 0 hors de l'échelle 1 à 5"):
        AnswerTable.from_columns(mini, _mini_columns(SAT=pl.Series([3, 0, None])))


def test_it_files_responses_without_strata_under_unknown(mini):
    table = AnswerTable.from_records(mini, [{"answers": {"HELD": "yes"}, "school_type": "", "departement_code": None}])
    assert table.school_types == ("unknown",) and table.departements == ("unknown",)


def test_it_builds_the_same_table_from_codes_or_indices(mini):
    by_code = AnswerTable.from_columns(mini, _mini_columns(HELD=["yes", None, "no"]))
    by_index = AnswerTable.from_columns(mini, _mini_columns(HELD=np.array([0, -1, 1])))
    assert by_code.frame.get_column("HELD").to_list() == [0, None, 1]
    assert by_code.frame.equals(by_index.frame)


def test_it_lists_missing_and_unknown_columns(mini):
    columns = _mini_columns()
    del columns["RES|pix"]
    columns["RES|lumni"] = [None] * 3
    with pytest.raises(AnalysisError, match=r"colonnes absentes : RES\|pix$"):
        AnswerTable.from_columns(mini, columns)
    columns["RES|pix"] = [None] * 3
    with pytest.raises(AnalysisError, match=r"colonnes inconnues du questionnaire : RES\|lumni"):
        AnswerTable.from_columns(mini, columns)


def test_it_rejects_an_out_of_range_choice_index(mini):
    with pytest.raises(AnalysisError, match="colonne HELD : indice de choix 2 hors de 0 à 1"):
        AnswerTable.from_columns(mini, _mini_columns(HELD=[0, 2, 1]))


def test_it_rejects_an_unknown_choice_code_in_a_column(mini):
    with pytest.raises(AnalysisError, match="colonne WORKED : choix inconnus « bof »"):
        AnswerTable.from_columns(mini, _mini_columns(WORKED=["yes", "bof", None]))


@pytest.mark.parametrize("seed", [1, 7])
def test_records_and_columns_of_the_same_answers_give_the_same_results(seed):
    questionnaire = synthetic_questionnaire(25, seed=seed)
    from_records = AnswerTable.from_records(questionnaire, synthetic_answers(questionnaire, 400, seed, columnar=False))
    from_columns = AnswerTable.from_columns(questionnaire, synthetic_answers(questionnaire, 400, seed))
    assert analyse(questionnaire, from_records).to_dict() == analyse(questionnaire, from_columns).to_dict()


def _mini_columns(**overrides):
    columns = {"school_type": ["college", "lycee", "lp"], "departement_code": ["16", "86", "86"],
               "HELD": [None] * 3, "WORKED": pl.Series([None] * 3, dtype=pl.String),
               "SAT": pl.Series([None] * 3, dtype=pl.Int64), "HOURS": pl.Series([None] * 3, dtype=pl.Float64),
               "COMMENT": pl.Series([None] * 3, dtype=pl.String)}
    for option in ("pix", "ent", "pronote", "other"):
        columns[f"THEMES|{option}"] = pl.Series([None] * 3, dtype=pl.Boolean)
    for row in ("edubase", "pix"):
        columns[f"RES|{row}"] = pl.Series([None] * 3, dtype=pl.Int8)
    columns["HELD"] = pl.Series([None] * 3, dtype=pl.Int8)
    columns.update(overrides)
    return columns
