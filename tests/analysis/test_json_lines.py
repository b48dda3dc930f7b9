"""The by-column decoder of stored JSON answers against the reference decoder, value by value."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from bilan.analysis import AnalysisError, AnswerTable
from bilan.questionnaire import parse_questionnaire
from tests.analysis.conftest import MINI_YAML, record

MINI = parse_questionnaire(MINI_YAML, source="mini")

# Well-formed values for each question of the mini questionnaire, and values of the wrong kind or
# unknown codes that the reference decoder refuses or reads in its own way.
GOOD = {
    "HELD": st.sampled_from(["yes", "no", "", None]),
    "WORKED": st.sampled_from(["yes", "partly", "no", None]),
    "THEMES": st.lists(st.sampled_from(["pix", "ent", "pronote", "other"]), max_size=4) | st.just("pix"),
    "RES": st.dictionaries(st.sampled_from(["edubase", "pix"]), st.sampled_from(["unknown", "known", "used", ""])),
    "SAT": st.integers(1, 5) | st.just(3.0),
    "HOURS": st.floats(-1e6, 1e6, allow_nan=False) | st.integers(0, 50),
    "COMMENT": st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1c\x1d\x1e\x1f\x85"),
                       max_size=12),
}
ODD = st.sampled_from([5, True, 2.5, "maybe", [], {}, ["pix", 5], [None], {"edubase": 1}, {"lumni": "used"},
                       "", 9, -1, "=1+1", ' "HELD": 5'])


@st.composite
def answers(draw):
    chosen = {}
    for code, good in GOOD.items():
        kind = draw(st.integers(0, 9))
        if kind == 0:
            continue
        chosen[code] = draw(ODD) if kind == 1 else draw(good)
    if draw(st.booleans()):
        chosen["THEMES.other"] = draw(st.text(max_size=8))
    return chosen


@st.composite
def stored(draw):
    """A chunk of stored responses: JSON texts as PostgreSQL (spaced) or SQLite (compact) gives them."""
    rows = draw(st.lists(answers(), max_size=8))
    spaced = draw(st.booleans())
    texts = [json.dumps(a, ensure_ascii=draw(st.booleans()), separators=(", ", ": ") if spaced else (",", ":"))
             for a in rows]
    return rows, texts


def outcome(build):
    try:
        return build()
    except AnalysisError as error:
        return str(error)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stored(), st.booleans())
def test_by_column_and_by_record_give_the_same_table_or_the_same_error(chunk, keep_texts):
    rows, texts = chunk
    strata = [("college", "86"), ("lycee", None), ("", "17")]
    school_types = [strata[i % 3][0] for i in range(len(rows))]
    departements = [strata[i % 3][1] for i in range(len(rows))]
    reference = outcome(lambda: AnswerTable.from_records(MINI, [
        {"answers": a, "school_type": s, "departement_code": d}
        for a, s, d in zip(rows, school_types, departements, strict=True)]))
    # Two chunks, to check that responses are numbered across them.
    half = len(texts) // 2
    by_column = outcome(lambda: AnswerTable.from_json_chunks(MINI, [
        (texts[:half], school_types[:half], departements[:half]),
        (texts[half:], school_types[half:], departements[half:])], keep_texts=keep_texts))
    if isinstance(reference, str):
        assert by_column == reference
        return
    assert not isinstance(by_column, str), by_column
    expected = reference.frame
    if not keep_texts:
        expected = expected.with_columns(expected.get_column("COMMENT").is_not_null())
    assert_frame_equal(by_column.frame, expected)
    assert (by_column.school_types, by_column.departements) == (reference.school_types, reference.departements)


def test_it_names_the_response_of_an_unreadable_text():
    with pytest.raises(AnalysisError, match=r"réponse n° 2 : réponses illisibles"):
        AnswerTable.from_json_lines(MINI, ['{"HELD": "yes"}', '{"HELD": '], ["lycee"] * 2, ["86"] * 2)


def test_free_texts_compared_by_a_condition_stay_texts():
    questionnaire = parse_questionnaire(MINI_YAML.replace(
        '      - {code: COMMENT, type: longtext, text: Remarques}',
        '      - {code: COMMENT, type: longtext, text: Remarques}\n'
        '      - {code: MORE, type: text, text: Encore, when: {question: COMMENT, equals: "rien"}}'), source="m")
    table = AnswerTable.from_json_lines(questionnaire, ['{"COMMENT": "rien", "MORE": "x"}'], ["lycee"], ["86"],
                                        keep_texts=False)
    assert table.frame.get_column("COMMENT").to_list() == ["rien"]
    assert table.frame.get_column("MORE").to_list() == [True]


def test_an_empty_chunk_list_gives_an_empty_table():
    table = AnswerTable.from_json_chunks(MINI, [])
    assert table.n == 0
    assert_frame_equal(table.frame, AnswerTable.from_records(MINI, []).frame)


def test_it_is_the_same_table_as_the_records():
    rows = [record(HELD="yes", THEMES=["pix"], RES={"pix": "used"}, SAT=4, HOURS=2.5, COMMENT=" ok ")]
    table = AnswerTable.from_json_lines(MINI, [json.dumps(r["answers"]) for r in rows], ["college"], ["86"])
    assert_frame_equal(table.frame, AnswerTable.from_records(MINI, rows).frame)
