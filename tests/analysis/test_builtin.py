import pytest

from bilan.analysis import AnswerTable, analyse
from bilan.questionnaire import clean_answers, load_builtin

RESOURCES_GROUPS = {"RES_KNOWLEDGE": {"known": ["known", "used"]}}


def _answers(**overrides):
    answers = {
        "INFO_SOURCES": ["websites"], "WS_HELD": "no", "PROJ_CONSULTED": "sometimes", "STEER_HELPED": "no",
        "STEER_WHY_NOT": "other_rupn",
        "PART_RELATIONS": {"collectivity": "good", "srane": "good", "direction": "good"},
        "PART_ASSISTANCE": "satisfied", "MOB_TABLET_CAN_USE": "yes", "MOB_TABLET_VALUE": "yes",
        "MOB_TABLET_IN_CLASS": "yes", "MOB_PHONE_VALUE": "yes", "MOB_PHONE_IN_CLASS": "no",
        "SCI_ASSESS_KNOWN": "yes", "SCI_MEMORY_KNOWN": "yes", "SCI_A11Y_KNOWN": "yes",
        "SKILLS_ACTIONS": {"promotes_pix": "yes", "promotes_pix_edu": "no", "makes_tutorials": "no",
                           "advises_colleagues": "yes"},
        "RES_KNOWLEDGE": {"edubase": "unknown", "apps_education": "used", "pix": "used", "lumni": "known",
                          "internet_sans_crainte": "unknown"},
    }
    answers.update(overrides)
    return answers


@pytest.fixture
def builtin_results():
    questionnaire = load_builtin()
    raw = [
        ("college", "86", _answers(INFO_SOURCES=["social_networks", "trainings"], INFO_NETWORKS=["x", "tchap"],
                                   WS_HELD="yes", WS_WORKED="no", WS_THEMES=["pix", "apps_education"],
                                   WS_PEDAGOGY="no")),
        ("college", "16", _answers(INFO_SOURCES=["social_networks"], INFO_NETWORKS=["x"], WS_HELD="yes",
                                   WS_WORKED="yes", WS_THEMES=["pix"], WS_PEDAGOGY="yes", STEER_HELPED="yes",
                                   STEER_TOPICS=["equipment", "plans"], STEER_WHY_NOT=None)),
        ("lycee", "17", _answers(PROJ_CONSULTED="never", SCI_ASSESS_KNOWN="no", SCI_ASSESS_TRAINING="yes",
                                 RES_KNOWLEDGE={"edubase": "known", "apps_education": "used", "pix": "used",
                                                "lumni": "used", "internet_sans_crainte": "unknown"})),
        ("lp", "79", _answers(SCI_A11Y_KNOWN="no", SCI_A11Y_TRAINING="no", MOB_PHONE_IN_CLASS="yes")),
    ]
    records = []
    for school_type, departement, answers in raw:
        answers = {k: v for k, v in answers.items() if v is not None}
        records.append({"answers": clean_answers(questionnaire, answers), "school_type": school_type,
                        "departement_code": departement})
    table = AnswerTable.from_records(questionnaire, records)
    roster = {("college", "86"): 4, ("college", "16"): 4, ("lycee", "17"): 3, ("lp", "79"): 2, ("erea", "86"): 1}
    return analyse(questionnaire, table, roster=roster, grid_groups=RESOURCES_GROUPS)


def test_it_analyses_every_question_of_the_builtin_questionnaire(builtin_results):
    assert len(builtin_results.questions) == len(load_builtin().questions)
    assert builtin_results.respondents == 4
    assert builtin_results.respondents_by_school_type == {"college": 2, "lycee": 1, "lp": 1}


def test_it_reads_the_builtin_multiple_choice_and_its_condition(builtin_results):
    sources = builtin_results.question("INFO_SOURCES")
    assert sources.option("social_networks").count == 2
    assert sources.option("social_networks").percent == pytest.approx(50.0)
    networks = builtin_results.question("INFO_NETWORKS")
    assert (networks.base.asked, networks.base.answered) == (2, 2)
    assert networks.ranking[:2] == ["x", "tchap"]


def test_it_reads_conditional_single_choices(builtin_results):
    worked = builtin_results.question("WS_WORKED")
    assert (worked.base.asked, worked.option("no").count) == (2, 1)
    why_not = builtin_results.question("STEER_WHY_NOT")
    assert (why_not.base.asked, why_not.option("other_rupn").count) == (3, 3)
    training = builtin_results.question("SCI_A11Y_TRAINING")
    assert (training.base.asked, training.option("no").count) == (1, 1)


def test_it_reads_known_or_used_in_the_resources_grid(builtin_results):
    lumni = builtin_results.question("RES_KNOWLEDGE").row("lumni")
    assert lumni.groups[0].count == 4 and lumni.groups[0].percent == pytest.approx(100.0)
    assert [c.count for c in lumni.columns] == [0, 3, 1]
    edubase = builtin_results.question("RES_KNOWLEDGE").row("edubase")
    assert edubase.cumulative[0].code == "at_least_known" and edubase.cumulative[0].count == 1


def test_it_gives_the_response_rate_of_the_builtin_campaign(builtin_results):
    rates = builtin_results.response_rates
    assert (rates.overall.invited, rates.overall.respondents) == (14, 4)
    assert {r.stratum: r.respondents for r in rates.by_school_type}["erea"] == 0
    assert any("EREA" in note for note in builtin_results.weighting.notes)
