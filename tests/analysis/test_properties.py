"""Property tests: random questionnaires and answers against a naive reference count."""

import statistics

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilan.analysis import AnswerTable, analyse
from bilan.analysis.audit import exposures
from bilan.questionnaire import parse_questionnaire
from bilan.questionnaire.schema import QuestionType
from tests.analysis.disclosure import disclosed_cells

SCHOOL_TYPES = ["college", "lycee", "lp", "erea", "other"]
DEPARTEMENTS = ["16", "17", "79", "86"]
TYPES = ["single", "multiple", "yesno", "grid", "scale", "number", "text"]
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def condition(draw, earlier):
    """A condition on an earlier question: on its value for choice questions, else on being answered."""
    target = draw(st.sampled_from(earlier))
    if target["type"] not in ("single", "yesno", "multiple") or draw(st.integers(0, 4)) == 0:
        return {"question": target["code"], "answered": draw(st.booleans())}
    codes = [c["code"] for c in target.get("choices", [])] + (["other"] if target.get("other") else [])
    codes = codes or ["yes", "no"]
    if target["type"] == "multiple":
        return {"question": target["code"], "includes": draw(st.sampled_from(codes))}
    operator = draw(st.sampled_from(["equals", "in", "not_equals"]))
    if operator == "in":
        return {"question": target["code"], "in": draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))}
    return {"question": target["code"], operator: draw(st.sampled_from(codes))}


@st.composite
def questionnaires(draw):
    questions = []
    for number in range(draw(st.integers(1, 5))):
        qtype = draw(st.sampled_from(TYPES))
        question = {"code": f"Q{number}", "type": qtype, "text": f"Question {number}"}
        if qtype in ("single", "multiple"):
            question["choices"] = [{"code": f"c{i}", "label": f"Choix {i}"} for i in range(draw(st.integers(2, 4)))]
            question["other"] = draw(st.booleans())
        elif qtype == "grid":
            question["rows"] = [{"code": f"r{i}", "label": f"Ligne {i}"} for i in range(draw(st.integers(1, 3)))]
            question["columns"] = [{"code": f"k{i}", "label": f"Colonne {i}"} for i in range(draw(st.integers(2, 3)))]
        elif qtype == "scale":
            question["min"], question["max"] = 1, draw(st.integers(2, 5))
        conditions = [draw(condition(questions)) for _ in range(draw(st.integers(0, 2)) if questions else 0)]
        if len(conditions) == 1:
            question["when"] = conditions[0]
        elif conditions:
            question["when"] = {draw(st.sampled_from(["any", "all"])): conditions}
        questions.append(question)
    data = {"code": "prop", "version": "1", "title": "Propriétés",
            "sections": [{"code": "s", "title": "S", "questions": questions}]}
    return parse_questionnaire(yaml.safe_dump(data))


def answer_value(question):
    """A strategy of valid answers to ``question`` (hidden questions may be answered too)."""
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.YESNO):
        return st.sampled_from(question.choice_codes)
    if qtype is QuestionType.MULTIPLE:
        return st.lists(st.sampled_from(question.choice_codes), unique=True)
    if qtype is QuestionType.GRID:
        return st.dictionaries(st.sampled_from([r.code for r in question.rows]),
                               st.sampled_from([c.code for c in question.columns]))
    if qtype is QuestionType.SCALE:
        return st.integers(int(question.min), int(question.max))
    if qtype is QuestionType.NUMBER:
        return st.integers(0, 40)
    return st.sampled_from(["", "Bien", "Trop peu de temps"])


@st.composite
def campaigns(draw):
    questionnaire = draw(questionnaires())
    records = []
    for _ in range(draw(st.integers(0, 45))):
        answers = {}
        for question in questionnaire.questions:
            if draw(st.booleans()) or draw(st.booleans()):
                answers[question.code] = draw(answer_value(question))
        records.append({"answers": answers, "school_type": draw(st.sampled_from(SCHOOL_TYPES[:3] + SCHOOL_TYPES)),
                        "departement_code": draw(st.sampled_from(DEPARTEMENTS))})
    return questionnaire, records, draw(st.sampled_from([3, 5]))


def _empty(value):
    return value in (None, "", [], {})


def _shown_answers(questionnaire, answers):
    """The answers the form keeps: in questionnaire order, each to a question that was itself shown
    (a stale answer, after its own condition stopped holding, counts as none)."""
    kept = {}
    for question in questionnaire.questions:
        if question.is_shown(kept) and not _empty(answers.get(question.code)):
            kept[question.code] = answers[question.code]
    return kept


def _reference(questionnaire, question, records):
    """Naive count, record by record: bases and counts of each option / grid cell / value."""
    asked = [r for r in records if question.is_shown(_shown_answers(questionnaire, r["answers"]))]
    answered = [r for r in asked if not _empty(r["answers"].get(question.code))]
    counts = {}
    for r in answered:
        value = r["answers"][question.code]
        if question.type is QuestionType.GRID:
            for row, column in value.items():
                counts[(row, column)] = counts.get((row, column), 0) + 1
        elif isinstance(value, list):
            for code in value:
                counts[code] = counts.get(code, 0) + 1
        elif question.type.is_choice or question.type is QuestionType.SCALE:
            counts[str(value)] = counts.get(str(value), 0) + 1
    return asked, answered, counts


@PROPERTY_SETTINGS
@given(campaigns())
def test_engine_counts_equal_a_naive_count(campaign):
    questionnaire, records, _ = campaign
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records))
    assert results.respondents == len(records)
    for question in questionnaire.questions:
        result = results.question(question.code)
        asked, answered, counts = _reference(questionnaire, question, records)
        assert (result.base.asked, result.base.answered) == (len(asked), len(answered))
        if question.type.is_choice:
            assert {o.code: o.count for o in result.options} == {c: counts.get(c, 0) for c in question.choice_codes}
        elif question.type is QuestionType.GRID:
            for row in result.rows:
                for column in row.columns:
                    assert column.count == counts.get((row.code, column.code), 0)
                assert row.base.answered == sum(1 for r in answered if row.code in r["answers"][question.code])
        elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
            values = [r["answers"][question.code] for r in answered]
            numeric = result.numeric
            assert numeric.n == len(values)
            if values:
                assert numeric.mean == pytest.approx(statistics.fmean(values))
                assert numeric.median == pytest.approx(statistics.median(values))
                assert (numeric.min, numeric.max) == (min(values), max(values))
            if question.type is QuestionType.SCALE:
                assert {d.code: d.count for d in numeric.distribution} == {
                    str(v): counts.get(str(v), 0) for v in question.scale_values}


@PROPERTY_SETTINGS
@given(campaigns())
def test_breakdown_counts_add_up_to_a_naive_count_by_stratum(campaign):
    questionnaire, records, _ = campaign
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records), small_cell=0)
    for question in questionnaire.questions:
        if not question.type.is_choice:
            continue
        for breakdown in results.question(question.code).breakdowns:
            for row in breakdown.rows:
                subset = [r for r in records if r[breakdown.dimension] == row.stratum]
                asked, answered, counts = _reference(questionnaire, question, subset)
                assert (row.respondents, row.asked, row.answered) == (len(subset), len(asked), len(answered))
                assert {c.code: c.count for c in row.cells} == {c: counts.get(c, 0) for c in question.choice_codes}


@PROPERTY_SETTINGS
@given(campaigns())
def test_single_choice_percentages_sum_to_a_hundred(campaign):
    questionnaire, records, _ = campaign
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records))
    for question in questionnaire.questions:
        result = results.question(question.code)
        if question.type not in (QuestionType.SINGLE, QuestionType.YESNO) or not result.base.answered:
            continue
        assert sum(o.percent_of_answered for o in result.options) == pytest.approx(100.0)
        unanswered = 100 * (len(records) - result.base.answered) / len(records)
        assert sum(o.percent for o in result.options) + unanswered == pytest.approx(100.0)
        # Each displayed percentage is within half a point of the exact one.
        assert all(abs(o.percent_rounded - o.percent) <= 0.5 for o in result.options)


@PROPERTY_SETTINGS
@given(campaigns())
def test_suppression_never_reveals_a_cell_under_the_threshold(campaign):
    questionnaire, records, threshold = campaign
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, records), small_cell=threshold)
    for question in questionnaire.questions:
        for breakdown in results.question(question.code).breakdowns:
            for row in breakdown.rows:   # no base under the threshold in a table of answers
                assert row.answered is None or row.answered >= threshold
                assert row.asked is None or row.asked >= threshold
            if not breakdown.rows or not breakdown.rows[0].cells:
                for row in breakdown.rows:   # means of scale and number questions
                    assert row.mean is None or (row.answered is not None and row.answered >= threshold)
                continue
            hidden = [[cell.suppressed for cell in row.cells] for row in breakdown.rows]
            bases = [row.answered for row in breakdown.rows]
            for row in breakdown.rows:
                for cell in row.cells:
                    assert cell.suppressed == (cell.count is None) == (cell.percent is None)
                    if not cell.suppressed:
                        # Shown: at least the threshold, or 0 in a column nobody chose (its total says so).
                        column_total = next(o.count for o in _published_estimates(results, question, breakdown)
                                            if o.code == cell.code)
                        assert cell.count >= threshold or column_total == 0
                        assert row.answered is not None or cell.count == 0
            if question.type is not QuestionType.MULTIPLE:   # cells add up to the base: the rank check holds
                totals = {o.code: o.count for o in _published_estimates(results, question, breakdown)}
                column_totals = [totals[cell.code] for cell in breakdown.rows[0].cells]
                assert disclosed_cells(hidden, bases, column_totals) == []
    # And across tables, by linear programming (tests/analysis/test_disclosure.py checks the auditor itself).
    assert exposures(questionnaire, results) == []


def _published_estimates(results, question, breakdown):
    result = results.question(question.code)
    if breakdown.grid_row is not None:
        return result.row(breakdown.grid_row).columns
    return result.options
