"""Secret statistique across everything a campaign publishes: the auditor checked by brute force, then the
demo's campaigns and random ones audited whole after protection (every hidden cell, every table, the weighted
figures), with the true values inside every range the auditor gives."""

import copy
import itertools
from collections import Counter

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilan.analysis import AnswerTable, analyse
from bilan.analysis.audit import ANSWERED, ASKED, audit, exposures, small_bases
from bilan.demo.generator import build_academie, build_campaign_answers
from bilan.questionnaire import load_builtin, parse_questionnaire
from tests.analysis.disclosure import disclosed_cells

ONE_QUESTION = """
code: one
version: "1"
title: Une question
sections:
  - code: s
    title: S
    questions:
      - code: Q
        type: single
        text: Question
        choices: [{code: a, label: A}, {code: b, label: B}, {code: c, label: C}]
"""


def _records(rows):
    """``rows``: per school type, the answers (None: no answer)."""
    return [{"answers": {} if answer is None else {"Q": answer}, "school_type": school_type,
             "departement_code": "86"}
            for school_type, answers in rows.items() for answer in answers]


def _brute_force(respondents, totals, answered_total, visible_bases, visible_cells, options):
    """Every whole, non-negative table agreeing with the published figures: the range of each unknown."""
    rows = list(respondents)
    seen: dict = {}

    def row_tables(r):
        base_choices = [visible_bases[r]] if r in visible_bases else range(respondents[r] + 1)
        for base in base_choices:
            for split in itertools.product(range(base + 1), repeat=len(options) - 1):
                last = base - sum(split)
                if last < 0:
                    continue
                cells = dict(zip(options, [*split, last], strict=True))
                if all(cells[o] == visible_cells[(r, o)] for o in options if (r, o) in visible_cells):
                    yield base, cells

    for combination in itertools.product(*[list(row_tables(r)) for r in rows]):
        if sum(base for base, _ in combination) != answered_total:
            continue
        if any(sum(cells[o] for _, cells in combination) != totals[o] for o in options):
            continue
        for r, (base, cells) in zip(rows, combination, strict=True):
            for key, value in [((r, ANSWERED), base)] + [((r, o), cells[o]) for o in options]:
                low, high = seen.get(key, (value, value))
                seen[key] = (min(low, value), max(high, value))
    return seen


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_auditor_finds_the_exact_range_of_every_hidden_cell(data):
    questionnaire = parse_questionnaire(ONE_QUESTION)
    options = ["a", "b", "c"]
    rows = {school_type: data.draw(st.lists(st.sampled_from([*options, None]), min_size=1, max_size=5))
            for school_type in ["college", "lycee", "lp"][:data.draw(st.integers(2, 3))]}
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, _records(rows)), small_cell=0)
    question = results.question("Q")
    breakdown = question.breakdown("school_type")
    for row in breakdown.rows:   # hide what the draw says, as a publication would
        if data.draw(st.booleans()):
            row.answered = None
        for cell in row.cells:
            if row.answered is None or data.draw(st.booleans()):
                cell.count, cell.suppressed = None, True
    question.breakdowns = [breakdown]
    results.small_cell = 5
    expected = _brute_force(
        {row.stratum: row.respondents for row in breakdown.rows}, {o.code: o.count for o in question.options},
        question.base.answered, {row.stratum: row.answered for row in breakdown.rows if row.answered is not None},
        {(row.stratum, c.code): c.count for row in breakdown.rows for c in row.cells if not c.suppressed}, options)
    found = audit(questionnaire, results)
    hidden = {(row.stratum, c.code) for row in breakdown.rows for c in row.cells if c.suppressed} | {
        (row.stratum, ANSWERED) for row in breakdown.rows if row.answered is None}
    assert {(r.cell.stratum, r.cell.part) for r in found} == hidden
    for cell_range in found:
        assert (cell_range.low, cell_range.high) == expected[(cell_range.cell.stratum, cell_range.cell.part)]


def test_a_cell_at_the_threshold_needs_a_range_as_wide_as_the_threshold():
    questionnaire = parse_questionnaire(ONE_QUESTION)
    # a: 4 in college and 1 in lycée; the published total of a (5) and the bases leave them 0 to 5 at most.
    rows = {"college": ["a"] * 4 + ["b"] * 6, "lycee": ["a"] + ["b"] * 9}
    results = analyse(questionnaire, AnswerTable.from_records(questionnaire, _records(rows)), small_cell=5)
    breakdown = results.question("Q").breakdown("school_type")
    hidden = {(row.stratum, c.code) for row in breakdown.rows for c in row.cells if c.suppressed}
    assert {("college", "a"), ("lycee", "a")} <= hidden
    assert exposures(questionnaire, results) == []
    ranges = {(r.cell.stratum, r.cell.part): (r.low, r.high, r.required) for r in audit(questionnaire, results)}
    assert ranges[("college", "a")] == (0, 5, 5)   # exactly the threshold: protected
    # One more published figure (the lycée's b: 9) and the range closes: a = 4 in college, exposed.
    narrowed = copy.deepcopy(results)
    lycee_b = next(c for c in narrowed.question("Q").breakdown("school_type").rows[1].cells if c.code == "b")
    assert lycee_b.suppressed
    lycee_b.count, lycee_b.suppressed = 9, False
    exposed = {(e.cell.stratum, e.cell.part): (e.low, e.high) for e in exposures(questionnaire, narrowed)}
    assert exposed[("college", "a")] == (4, 4)


# --------------------------------------------------------------------- the demo
def _demo(year, previous=None):
    questionnaire = load_builtin("bilan-rupn")
    academie = build_academie()

    def table(school_year):
        answers = build_campaign_answers(academie, questionnaire, school_year)
        return AnswerTable.from_records(questionnaire, [
            {"answers": a.answers, "school_type": a.school_type, "departement_code": a.departement_code}
            for a in answers])

    roster = Counter()
    for referent in academie.in_post(year):
        school = academie.primary_school(referent.email, year)
        roster[(school.type, school.departement_code)] += 1
    current = table(year)
    return questionnaire, current, dict(roster), (table(previous) if previous else None)


def _true_value(truth, cell):
    """The value of a hidden cell in the unprotected results (small_cell=0: one row per stratum)."""
    question = truth.question(cell.question)
    breakdown = question.breakdown(cell.dimension, cell.grid_row)
    members = cell.stratum.split("+")
    total = 0
    for row in breakdown.rows:
        if row.stratum in members:
            if cell.part in (ASKED, ANSWERED):
                total += row.asked if cell.part == ASKED else row.answered
            else:
                total += next(c.count for c in row.cells if c.code == cell.part)
    return total


def _check_published(questionnaire, table, roster, previous=None):
    results = analyse(questionnaire, table, roster=roster, previous=previous)
    truth = analyse(questionnaire, table, roster=roster, small_cell=0)
    ranges = audit(questionnaire, results)
    assert [r for r in ranges if r.high - r.low < r.required] == []
    assert small_bases(results) == []
    for cell_range in ranges:
        assert cell_range.low <= _true_value(truth, cell_range.cell) <= cell_range.high, cell_range
    for question in results.questions:
        for estimate in question.options:
            if estimate.count < results.small_cell:
                assert estimate.weighted_percent is None and estimate.weighted_ci95 is None
    return results, ranges


@pytest.mark.parametrize("year, previous", [("2022-2023", None), ("2023-2024", "2022-2023")])
def test_the_demo_publishes_no_cell_an_attacker_can_narrow(year, previous):
    questionnaire, table, roster, previous_table = _demo(year, previous)
    results, ranges = _check_published(questionnaire, table, roster, previous_table)
    assert len(ranges) > 100   # the demo's small strata do hide cells
    # EREA (3 or 4 respondents) is never a row of a table of answers: it is read with the LP.
    for question in results.questions:
        for breakdown in question.breakdowns:
            if breakdown.dimension == "school_type":
                assert "erea" not in [row.stratum for row in breakdown.rows]
    assert any("EREA" in note and "regroupés" in note for note in results.notes)
    # Most tables stay: withdrawing one is the last resort.
    published = sum(len(q.breakdowns) for q in results.questions)
    withdrawn = sum("non publié" in note for q in results.questions for note in q.notes)
    assert withdrawn <= published / 5


# --------------------------------------------------------------------- random campaigns
@st.composite
def small_campaigns(draw):
    choices = [{"code": f"c{i}", "label": f"Choix {i}"} for i in range(draw(st.integers(2, 4)))]
    questions = [
        {"code": "P", "type": "single", "text": "Parent", "choices": choices},
        {"code": "C", "type": draw(st.sampled_from(["single", "multiple"])), "text": "Enfant",
         "choices": [{"code": "x", "label": "X"}, {"code": "y", "label": "Y"}, {"code": "z", "label": "Z"}],
         "when": {"question": "P", "equals": "c0"}},
        {"code": "G", "type": "grid", "text": "Grille", "rows": [{"code": "r", "label": "R"}],
         "columns": [{"code": "k0", "label": "K0"}, {"code": "k1", "label": "K1"}, {"code": "k2", "label": "K2"}]},
    ]
    questionnaire = parse_questionnaire(yaml.safe_dump({
        "code": "rand", "version": "1", "title": "Au hasard",
        "sections": [{"code": "s", "title": "S", "questions": questions}]}))
    strata = [("college", "86"), ("college", "16"), ("lycee", "86"), ("lp", "79"), ("erea", "86")]
    # Small strata on purpose: the EREA and the LP get a handful of people at most.
    sizes = [draw(st.integers(8, 40)), draw(st.integers(3, 20)), draw(st.integers(3, 20)),
             draw(st.integers(1, 6)), draw(st.integers(1, 4))]
    records = []
    for (school_type, departement), size in zip(strata, sizes, strict=True):
        for _ in range(size):
            parent = draw(st.sampled_from([c["code"] for c in choices]))
            answers = {"P": parent, "G": {"r": draw(st.sampled_from(["k0", "k1", "k2"]))}}
            if parent == "c0":
                picked = draw(st.sampled_from(["x", "y", "z"]))
                answers["C"] = [picked] if questions[1]["type"] == "multiple" else picked
            records.append({"answers": answers, "school_type": school_type, "departement_code": departement})
    roster = {cell: size * draw(st.integers(1, 4)) for cell, size in zip(strata, sizes, strict=True)}
    return questionnaire, AnswerTable.from_records(questionnaire, records), roster


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_campaigns())
def test_random_campaigns_with_small_strata_publish_no_cell_an_attacker_can_narrow(campaign):
    questionnaire, table, roster = campaign
    results, _ = _check_published(questionnaire, table, roster)
    for question in results.questions:
        if question.type == "multiple":   # its cells do not add up to the base: the rank check does not apply
            continue
        for breakdown in question.breakdowns:
            hidden = [[cell.suppressed for cell in row.cells] for row in breakdown.rows]
            if hidden and hidden[0]:
                assert disclosed_cells(hidden, [row.answered for row in breakdown.rows]) == []
