"""The one scale of words for shares (builder.share_in_words), at each limit and just past it."""

import pytest

from bilan.reports.builder import share_in_words, words_with_verb

SCALE = [  # (share in %, words): each limit, then just below it
    (100, "tout le monde"),
    (99, "tout le monde"),
    (98.99, "quasiment tout le monde"),
    (95, "quasiment tout le monde"),
    (94.99, "la grande majorité"),
    (70, "la grande majorité"),
    (69.99, "la majorité"),
    (50.01, "la majorité"),
    (50, "la moitié"),
    (49.99, "beaucoup"),
    (40, "beaucoup"),
    (39.99, "le tiers"),
    (28, "le tiers"),
    (27.99, "le quart"),
    (20, "le quart"),
    (19.99, "peu"),
    (0.01, "peu"),
    (0, "personne"),
    (None, "personne"),
]


@pytest.mark.parametrize(("percent", "words"), SCALE)
def test_the_scale_at_its_limits(percent, words):
    assert share_in_words(percent) == words


@pytest.mark.parametrize(("count", "of", "words"), [
    (144, 145, "tout le monde"),            # Pix in the demo: all but one (99,3 %)
    (143, 145, "quasiment tout le monde"),  # 98,6 %: rounds to 99 % but two did not answer yes
    (141, 145, "quasiment tout le monde"),  # Apps Éducation (97 %)
    (138, 145, "quasiment tout le monde"),  # 95,2 %
    (137, 145, "la grande majorité"),       # 94,5 % (rounds to 94 %)
    (127, 145, "la grande majorité"),       # tablets (88 %)
    (66, 145, "beaucoup"),                  # « Beaucoup des personnes aimeraient apprendre… » (46 %)
    (19, 58, "le tiers"),                   # accessibility: « dont le tiers a l'intention de se former »
])
def test_the_seed_uses_on_the_demo_counts(count, of, words):
    assert share_in_words(100 * count / of) == words


@pytest.mark.parametrize(("percent", "expected"), [
    (99.5, "tout le monde connaît"),
    (97, "quasiment tout le monde connaît"),
    (88, "la grande majorité connaît"),
    (60, "la majorité connaît"),
    (50, "la moitié connaît"),
    (45, "beaucoup connaissent"),
    (33, "le tiers connaît"),
    (25, "le quart connaît"),
    (10, "peu connaissent"),
    (0, "personne ne connaît"),
])
def test_the_verb_agrees_with_the_words(percent, expected):
    assert words_with_verb(share_in_words(percent), "connaît|connaissent") == expected


def test_no_one_takes_the_negation_elided_before_a_vowel():
    assert words_with_verb("personne", "a l'intention|ont l'intention") == "personne n'a l'intention"
    assert words_with_verb("personne", "aimerait|aimeraient") == "personne n'aimerait"
    assert words_with_verb("beaucoup", "sait") == "beaucoup sait"  # no plural given: the one form


def _results_with_shares(*counts_of_four):
    """Results of a one-question campaign (yes/no, four respondents) for each count of « yes » given."""
    import yaml

    from bilan.analysis import AnswerTable, analyse
    from bilan.questionnaire import parse_questionnaire

    questions = [{"code": f"Q{i}", "type": "yesno", "text": f"Question {i}"} for i in range(len(counts_of_four))]
    questionnaire = parse_questionnaire(yaml.safe_dump(
        {"code": "essai", "version": "1", "title": "Essai", "sections": [{"code": "s", "title": "S",
                                                                          "questions": questions}]}))
    records = [{"answers": {f"Q{i}": "yes" if person < count else "no" for i, count in enumerate(counts_of_four)},
                "school_type": "college", "departement_code": "86"} for person in range(4)]
    return analyse(questionnaire, AnswerTable.from_records(questionnaire, records), small_cell=0)


@pytest.mark.parametrize(("counts", "verdict"), [
    ((3, 4), "bonnes"),        # 75 % and 100 %: every share reaches the limit
    ((4, 3), "bonnes"),
    ((2, 4), "contrastées"),   # 50 %: one share below the limit
])
def test_a_verdict_holds_only_when_every_share_reaches_its_limit(counts, verdict):
    from bilan.reports.builder import Inputs, Participation, measure

    inputs = Inputs(results=_results_with_shares(*counts), participation=Participation(4, 4, 1, {}),
                    academie="Essai", school_year="2023-2024", campaign="essai")
    selector = {"as": "verdict", "at_least": 75, "of": [{"q": "Q0", "c": "yes"}, {"q": "Q1", "c": "yes"}],
                "then": "bonnes", "otherwise": "contrastées"}
    assert measure(inputs, selector) == verdict
