"""One loading path for stored answers (issue 14): nothing else reads them for analysis, and what the
store loads counts the same as a naive count in Python over the answers in the database."""

from __future__ import annotations

import ast
import statistics
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilan.questionnaire import clean_answers
from bilan.questionnaire.loader import load_builtin
from bilan.questionnaire.schema import QuestionType, other_key
from bilan.vocabularies import UNKNOWN

BILAN = Path(__file__).resolve().parents[1] / "bilan"
STORE = {BILAN / "surveys" / "answer_store.py", *(BILAN / "analysis").glob("*.py")}
# Building a table value by value, or the old record reader of the results.
FORBIDDEN_CALLS = {"from_records", "submitted_records", "_records_frame"}


def _forbidden_uses(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in FORBIDDEN_CALLS:
                found.append(f"{path.relative_to(BILAN.parent)}:{node.lineno} {name}()")
            # values_list("answers", …) / values("answers"): the answers read row by row for counting.
            if name in ("values_list", "values") and any(
                    isinstance(arg, ast.Constant) and arg.value == "answers" for arg in node.args):
                found.append(f"{path.relative_to(BILAN.parent)}:{node.lineno} {name}(\"answers\")")
    return found


def test_no_module_outside_the_store_builds_a_table_from_records_or_reads_the_answers_for_analysis():
    offenders = [use for path in sorted(BILAN.rglob("*.py")) if path not in STORE for use in _forbidden_uses(path)]
    assert offenders == []


def test_the_check_sees_a_forbidden_call(tmp_path):
    sample = BILAN / "surveys" / "answer_store.py"
    assert _forbidden_uses(sample) == []  # the store itself reads the answers by chunks of JSON text
    probe = BILAN / "_probe_for_test.py"
    try:
        probe.write_text("AnswerTable.from_records(q, rows)\nResponse.objects.values_list(\"answers\")\n")
        assert len(_forbidden_uses(probe)) == 2
    finally:
        probe.unlink()


# --------------------------------------------------------------------------- store against a naive count

QUESTIONNAIRE = load_builtin("bilan-rupn")
STRATA = [("college", "86"), ("lycee", "17"), ("lp", "16"), ("erea", "79"), ("college", "")]


@st.composite
def raw_answers(draw):
    """Answers to every question of the built-in questionnaire, each possibly left empty; « Autre » with
    its text; then cleaned as every stored answer is (hidden questions dropped)."""
    raw = {}
    for question in QUESTIONNAIRE.questions:
        if draw(st.integers(0, 3)) == 0:
            continue
        qtype = question.type
        if qtype in (QuestionType.SINGLE, QuestionType.YESNO):
            raw[question.code] = draw(st.sampled_from(question.choice_codes))
        elif qtype is QuestionType.MULTIPLE:
            codes = draw(st.lists(st.sampled_from(question.choice_codes), unique=True, min_size=1,
                                  max_size=question.max_choices or len(question.choice_codes)))
            raw[question.code] = codes
        elif qtype is QuestionType.GRID:
            raw[question.code] = draw(st.dictionaries(st.sampled_from([r.code for r in question.rows]),
                                                      st.sampled_from([c.code for c in question.columns])))
        elif qtype is QuestionType.SCALE:
            raw[question.code] = draw(st.integers(int(question.min), int(question.max)))
        elif qtype is QuestionType.NUMBER:
            low = question.min if question.min is not None else 0
            high = question.max if question.max is not None else 100
            raw[question.code] = draw(st.integers(int(low), int(high)))
        else:
            raw[question.code] = draw(st.sampled_from(["", "  ", "Très bien", "=2+3", "« oui »\nmerci"]))
        if question.other and "other" in (raw.get(question.code) or []):
            raw[other_key(question.code)] = draw(st.sampled_from(["Moodle", "Padlet"]))
    return clean_answers(QUESTIONNAIRE, raw, partial=True)


def _naive_counts(stored):
    """Per question, what a person would count by hand on the stored dicts."""
    counts = {}
    for question in QUESTIONNAIRE.questions:
        values = [answers.get(question.code) for answers, _, _ in stored]
        qtype = question.type
        if qtype in (QuestionType.SINGLE, QuestionType.YESNO):
            counts[question.code] = Counter(v for v in values if v)
        elif qtype is QuestionType.MULTIPLE:
            counts[question.code] = Counter(code for v in values if v for code in v)
        elif qtype is QuestionType.GRID:
            counts[question.code] = Counter((row, cell) for v in values if v for row, cell in v.items() if cell)
        elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            numbers = [v for v in values if v is not None and v != ""]
            counts[question.code] = (len(numbers), statistics.fmean(numbers) if numbers else None)
        else:
            counts[question.code] = sum(1 for v in values if isinstance(v, str) and v.strip())
    return counts


@pytest.fixture
def store_campaign(db):
    from bilan.roster.models import Academie
    from bilan.surveys.models import Campaign
    from bilan.surveys.services import register_builtin_questionnaire

    academie = Academie.objects.create(code="poitiers", name="Poitiers")
    return Campaign.objects.create(slug="magasin", title="Magasin", academie=academie, school_year="2024-2025",
                                   questionnaire=register_builtin_questionnaire(), state="closed",
                                   opens_at=datetime(2025, 1, 1, tzinfo=UTC),
                                   closes_at=datetime(2025, 2, 1, tzinfo=UTC))


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows=st.lists(st.tuples(raw_answers(), st.sampled_from(STRATA)), max_size=12), drafts=st.integers(0, 2))
def test_results_from_the_store_equal_a_naive_count_of_the_stored_answers(store_campaign, rows, drafts):
    from bilan.results.services import campaign_results
    from bilan.surveys.models import Response, ResponseStatus

    Response.objects.filter(campaign=store_campaign).delete()
    Response.objects.bulk_create(
        [Response(campaign=store_campaign, answers=answers, school_type=school_type, departement_code=departement,
                  status=ResponseStatus.SUBMITTED) for answers, (school_type, departement) in rows]
        + [Response(campaign=store_campaign, answers=rows[0][0] if rows else {}, school_type="lycee",
                    departement_code="86", status=ResponseStatus.DRAFT) for _ in range(drafts)])
    stored = list(Response.objects.filter(campaign=store_campaign, status=ResponseStatus.SUBMITTED)
                  .values_list("answers", "school_type", "departement_code"))
    results = campaign_results(store_campaign, with_previous=False)
    assert results.respondents == len(rows)
    expected = _naive_counts(stored)
    for question in QUESTIONNAIRE.questions:
        result = results.question(question.code)
        qtype = question.type
        if qtype in (QuestionType.SINGLE, QuestionType.YESNO, QuestionType.MULTIPLE):
            assert {o.code: o.count for o in result.options if o.count} == dict(expected[question.code]), question.code
        elif qtype is QuestionType.GRID:
            got = {(row.code, cell.code): cell.count for row in result.rows for cell in row.columns if cell.count}
            assert got == dict(expected[question.code]), question.code
        elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            n, mean = expected[question.code]
            assert result.numeric.n == n and result.base.answered == n, question.code
            assert result.numeric.mean == pytest.approx(mean), question.code
        else:
            assert result.base.answered == expected[question.code], question.code
    by_type = Counter(school_type for _, school_type, _ in stored)
    assert {k: v for k, v in results.respondents_by_school_type.items() if v} == dict(by_type)
    by_departement = Counter(departement or UNKNOWN for _, _, departement in stored)
    assert {k: v for k, v in results.respondents_by_departement.items() if v} == dict(by_departement)


def _answer_as(campaign, number: int, answers: dict, *, linked: bool = True):
    from bilan.roster.models import Departement, Referent, School
    from bilan.surveys.models import Invitation, Response, ResponseStatus
    from bilan.uai import make_uai

    departement, _ = Departement.objects.get_or_create(academie=campaign.academie, code="86",
                                                       defaults={"name": "Vienne"})
    school = School.objects.create(uai=make_uai(860000 + number), name=f"École {number}", type="college",
                                   departement=departement)
    referent = Referent.objects.create(first_name="Réf", last_name=f"N{number}", email=f"ref{number}@ac-poitiers.fr")
    invitation = Invitation.objects.create(campaign=campaign, referent=referent, school=school, school_type="college",
                                           departement_code="86")
    Response.objects.create(campaign=campaign, invitation=invitation if linked else None, school_type="college",
                            departement_code="86", status=ResponseStatus.SUBMITTED, answers=answers)
    return referent


def test_a_named_campaign_table_carries_each_referent_as_respondent_key(store_campaign):
    from bilan.surveys.answer_store import load_table

    first = _answer_as(store_campaign, 1, {})
    second = _answer_as(store_campaign, 2, {})
    _answer_as(store_campaign, 3, {}, linked=False)   # an imported response with no invitation: no key
    table = load_table(store_campaign)
    assert sorted(table.respondent_keys.to_list(), key=str) == sorted([first.pk, second.pk, None], key=str)


def test_an_anonymous_campaign_table_has_no_respondent_key(store_campaign):
    from bilan.surveys.answer_store import load_table

    store_campaign.anonymous = True
    store_campaign.save()
    _answer_as(store_campaign, 1, {})
    table = load_table(store_campaign)
    assert table.n == 1 and table.respondent_keys is None
