"""The demo 2023-2024 answers state every figure of the published report.

Each figure is recounted here NAIVELY (plain loops over the answer dicts),
independently of the analysis engine and of the generator's targets, and
compared with the value published in shared/seed/seed-figures.yaml.
"""

import copy
import re

import pytest
import yaml

from bilan.questionnaire import builtin_path

YEAR = "2023-2024"
PREVIOUS_YEAR = "2022-2023"


def _seed_ids(section):
    from tests.demo.conftest import shared_seed_dir

    data = yaml.safe_load((shared_seed_dir() / "seed-figures.yaml").read_text(encoding="utf-8"))
    return [entry["id"] for entry in data[section]]


def _mapping():
    path = builtin_path("bilan-rupn").with_name("bilan-rupn.seed-mapping.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# ------------------------------------------------------------------ naive counting

def is_selected(answers: dict, selector: dict) -> bool:
    value = answers.get(selector["question"])
    if value is None:
        return False
    if "row" in selector:
        return isinstance(value, dict) and value.get(selector["row"]) in selector["columns"]
    if isinstance(value, list):
        return any(code in value for code in selector["choices"])
    return value in selector["choices"]


def base_of(answer_records: list, spec: dict) -> list:
    base = spec.get("base")
    population = []
    for record in answer_records:
        if base is None or is_selected(record.answers, base):
            population.append(record)
    return population


def count_selected(population: list, spec: dict) -> int:
    count = 0
    for record in population:
        if is_selected(record.answers, spec):
            count += 1
    return count


def whole_percent(count: int, base: int, rounding: str = "half_up") -> int:
    if rounding == "down":
        return (100 * count) // base
    return (200 * count + base) // (2 * base)  # half up, in integers: no float surprise at x.5


def ranking(population: list, spec: dict, questionnaire) -> tuple[list, dict]:
    question = questionnaire.question(spec["question"])
    counts = dict.fromkeys(question.choice_codes, 0)
    for record in population:
        value = record.answers.get(spec["question"])
        if isinstance(value, list):
            for code in value:
                counts[code] += 1
        elif value is not None:
            counts[value] += 1
    ordered = sorted(counts, key=lambda code: -counts[code])
    return ordered, counts


def compute(spec: dict, answer_records: list, questionnaire):
    """The figure a mapping entry describes, counted from the answers."""
    measure = spec["measure"]
    population = base_of(answer_records, spec)
    if measure == "percent":
        return whole_percent(count_selected(population, spec), len(population), spec.get("rounding", "half_up"))
    if measure == "count":
        return count_selected(population, spec)
    if measure == "share":
        return count_selected(population, spec) / len(population)
    if measure == "mention":
        pattern = re.compile(spec["pattern"])
        mentions = 0
        for record in answer_records:
            text = record.answers.get(spec["question"])
            if isinstance(text, str) and pattern.search(text):
                mentions += 1
        return mentions
    if measure == "ranking":
        ordered, counts = ranking(population, spec, questionnaire)
        top = len(spec["choices_in_order"])
        for position in range(top):
            # A tie would make the published order a matter of chance.
            if counts[ordered[position]] <= counts[ordered[position + 1]]:
                return ordered[:position + 1] + ["(ex aequo)"]
        return ordered[:top]
    raise AssertionError(f"mesure inconnue : {measure}")


def in_post(academie, year) -> set:
    emails = set()
    for mandate in academie.mandates:
        if mandate.school_year == year:
            emails.add(mandate.referent_email)
    return emails


def response_rate(academie, answers_by_year, year, rounding) -> int:
    return whole_percent(len(answers_by_year[year]), len(in_post(academie, year)), rounding)


def check_threshold(value, spec) -> bool:
    if "at_least" in spec and not value >= spec["at_least"]:
        return False
    if "more_than" in spec and not value > spec["more_than"]:
        return False
    if "at_most" in spec and not value <= spec["at_most"]:
        return False
    if "between" in spec and not spec["between"][0] <= value <= spec["between"][1]:
        return False
    return any(key in spec for key in ("at_least", "more_than", "at_most", "between"))


# ------------------------------------------------------------------ tests

def test_the_mapping_covers_every_seed_entry_with_its_published_value(seed_figures, seed_mapping):
    assert set(seed_mapping["figures"]) == {entry["id"] for entry in seed_figures["figures"]}
    assert set(seed_mapping["qualitative"]) == {entry["id"] for entry in seed_figures["qualitative"]}
    assert set(seed_mapping["campaign"]) == set(seed_figures["campaign"])
    for entry in seed_figures["figures"]:
        assert seed_mapping["figures"][entry["id"]]["expected"] == entry["value"], entry["id"]
    for key, value in seed_figures["campaign"].items():
        assert seed_mapping["campaign"][key]["expected"] == value, key


def test_the_mapping_names_real_questions_choices_rows_and_columns(seed_mapping, questionnaire):
    selectors = []
    for spec in seed_mapping["figures"].values():
        selectors += [spec] + ([spec["base"]] if "base" in spec else [])
    for entry in seed_mapping["qualitative"].values():
        for check in entry["checks"]:
            if "question" in check:
                selectors += [check] + ([check["base"]] if "base" in check else [])
    for selector in selectors:
        question = questionnaire.question(selector["question"])
        for code in selector.get("choices", []) + selector.get("choices_in_order", []):
            assert code in question.choice_codes, (selector["question"], code)
        if "row" in selector:
            assert selector["row"] in [row.code for row in question.rows]
            assert set(selector["columns"]) <= {column.code for column in question.columns}


@pytest.mark.parametrize("figure_id", _seed_ids("figures"))
def test_it_reproduces_every_seed_figure(figure_id, seed_figures, seed_mapping, answers_by_year, questionnaire):
    published = next(entry for entry in seed_figures["figures"] if entry["id"] == figure_id)
    spec = seed_mapping["figures"][figure_id]
    computed = compute(spec, answers_by_year[YEAR], questionnaire)
    if spec["measure"] == "ranking":
        # The published value is a list of labels; the mapping translates it to codes.
        assert len(spec["choices_in_order"]) == len(published["value"])
        assert computed == spec["choices_in_order"], published["text"]
    else:
        assert computed == published["value"], published["text"]


@pytest.mark.parametrize("statement_id", _seed_ids("qualitative"))
def test_it_makes_every_qualitative_statement_true(statement_id, seed_mapping, academie, answers_by_year,
                                                    questionnaire):
    _check_statement(seed_mapping["qualitative"][statement_id], statement_id, academie, answers_by_year,
                     questionnaire)


@pytest.mark.parametrize("statement_id", list(_mapping()["text_only"]))
def test_it_makes_every_statement_of_the_text_true(statement_id, seed_mapping, academie, answers_by_year,
                                                   questionnaire):
    """What the seed's text says that seed-figures.yaml does not list, e.g. the order of the exchange methods."""
    _check_statement(seed_mapping["text_only"][statement_id], statement_id, academie, answers_by_year,
                     questionnaire)


def _check_statement(entry, statement_id, academie, answers_by_year, questionnaire):
    for check in entry["checks"]:
        if check["measure"] == "points_drop":
            drop = (response_rate(academie, answers_by_year, check["previous"], check["rounding"])
                    - response_rate(academie, answers_by_year, check["current"], check["rounding"]))
            assert drop == check["expected"]
            continue
        value = compute(check, answers_by_year[YEAR], questionnaire)
        if check["measure"] == "ranking":
            assert value == check["choices_in_order"], statement_id
        else:
            assert check_threshold(value, check), (statement_id, check, value)


def test_it_reproduces_the_campaign_block(seed_figures, academie, answers_by_year):
    published = seed_figures["campaign"]
    answers = answers_by_year[YEAR]
    referents = in_post(academie, YEAR)
    schools_staffed = set()
    for mandate in academie.mandates:
        if mandate.school_year == YEAR:
            schools_staffed.add(mandate.school_uai)
    by_type = {}
    for record in answers:
        by_type[record.school_type] = by_type.get(record.school_type, 0) + 1
    departements = [f"{d.code} {d.name}" for d in academie.departements]

    assert academie.name == published["academie"]
    assert departements == published["departements"]
    assert len(referents) == published["referents_in_post"]
    assert round(len(referents) / len(schools_staffed), 2) == published["referents_per_school"]
    assert len(answers) == published["respondents"]
    assert response_rate(academie, answers_by_year, YEAR, "down") == published["response_rate_percent"]
    assert response_rate(academie, answers_by_year, PREVIOUS_YEAR, "down") \
        == published["previous_response_rate_percent"]
    assert by_type == published["respondents_by_school_type"]


def test_it_notices_a_changed_count(seed_figures, seed_mapping, answers_by_year, questionnaire):
    """The comparison can fail: two fewer 'social networks' answers no longer give 30 %."""
    answers = copy.deepcopy(answers_by_year[YEAR])
    changed = 0
    for record in answers:
        sources = record.answers["INFO_SOURCES"]
        if "social_networks" in sources and len(sources) > 1 and changed < 2:
            sources.remove("social_networks")
            changed += 1
    spec = seed_mapping["figures"]["info-social-networks"]
    assert compute(spec, answers, questionnaire) == 28
    published = next(e for e in seed_figures["figures"] if e["id"] == "info-social-networks")
    assert compute(spec, answers, questionnaire) != published["value"]


def test_it_notices_a_broken_ranking(seed_mapping, answers_by_year, questionnaire):
    answers = copy.deepcopy(answers_by_year[YEAR])
    moved = 0
    for record in answers:
        networks = record.answers.get("INFO_NETWORKS")
        if networks and "x" in networks and "facebook" not in networks and moved < 6:
            networks.remove("x")
            networks.append("facebook")
            moved += 1
    assert moved == 6
    computed = compute(seed_mapping["figures"]["info-social-networks-cited"], answers, questionnaire)
    assert computed[0] == "facebook"


@pytest.mark.parametrize("count, base, expected", [(145, 446, 33), (43, 145, 30), (1, 2, 50), (1, 8, 13),
                                                   (29, 145, 20)])
def test_the_naive_percent_rounds_half_up(count, base, expected):
    assert whole_percent(count, base) == expected
