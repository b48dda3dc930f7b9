"""The vocabularies: one list of codes and labels, read by the pure cores and the Django apps alike."""

import ast
from pathlib import Path

import pytest

from bilan import vocabularies
from bilan.vocabularies import (
    DEPARTEMENTS,
    SCHOOL_TYPE_CODES,
    SCHOOL_TYPES,
    UNKNOWN,
    UNKNOWN_LABEL,
    departement_label,
    school_type,
    school_type_code,
    school_type_label,
)

BILAN = Path(__file__).resolve().parents[1] / "bilan"


def test_the_module_is_pure():
    tree = ast.parse((BILAN / "vocabularies.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] in ("django", "rest_framework", "bilan")}


def test_school_types_and_their_words():
    assert SCHOOL_TYPE_CODES == ("college", "lycee", "lp", "erea", "other")
    assert [t.label for t in SCHOOL_TYPES] == ["Collège", "Lycée", "Lycée professionnel", "EREA", "Autre"]
    assert [t.short for t in SCHOOL_TYPES] == ["Collège", "Lycée", "LP", "EREA", "Autre"]
    # The report's sentence « 89 de ces personnes sont RUPN en collèges, 33 en lycées… ».
    assert [t.place for t in SCHOOL_TYPES] == ["en collèges", "en lycées", "en LP", "en EREA",
                                               "dans d'autres établissements"]
    assert school_type("lp").in_sentence == "lycée professionnel"
    with pytest.raises(KeyError):
        school_type("usine")


@pytest.mark.parametrize(("code", "label"), [
    ("college", "Collège"), ("lp", "Lycée professionnel"), ("erea", "EREA"), ("other", "Autre"),
    (UNKNOWN, UNKNOWN_LABEL), ("", UNKNOWN_LABEL), (None, UNKNOWN_LABEL), ("usine", "usine"),
])
def test_school_type_label(code, label):
    assert school_type_label(code) == label


@pytest.mark.parametrize(("code", "name", "label"), [
    ("16", None, "16 – Charente"),
    ("86", None, "86 – Vienne"),
    ("01", None, "01 – Ain"),
    ("2A", None, "2A – Corse-du-Sud"),
    ("2B", None, "2B – Haute-Corse"),
    ("971", None, "971 – Guadeloupe"),
    ("976", None, "976 – Mayotte"),
    ("86", "Vienne (86)", "86 – Vienne (86)"),  # the académie's own name wins
    ("99", None, "99"),                         # a code nobody names is shown alone
    ("975", None, "975"),
    (UNKNOWN, None, UNKNOWN_LABEL),
    ("", None, UNKNOWN_LABEL),
    (None, None, UNKNOWN_LABEL),
])
def test_departement_label_at_its_edges(code, name, label):
    assert departement_label(code, name) == label


def test_the_departements_of_france():
    assert len(DEPARTEMENTS) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(DEPARTEMENTS)
    assert "20" not in DEPARTEMENTS


def test_every_departement_label_reads_back_as_its_code_in_the_roster_import():
    from bilan.roster.importer import departement_code

    for code in DEPARTEMENTS:
        assert departement_code(departement_label(code)) == code


# Every word accepted for each type, as people write them in spreadsheets.
WRITTEN = {
    "college": ["college", "Collège", "COLLEGE", "clg", "Col"],
    "lycee": ["lycee", "Lycée", "lyc", "Lycée général", "lycée technologique", "Lycée général et technologique",
              "LGT", "lycée polyvalent", "LPO", "LG", "LT"],
    "lp": ["lp", "LP", "Lycée professionnel", "lycée pro", "Lycée Pro.", "lyc pro", "LP pro", "lppro", "LPRO"],
    "erea": ["erea", "EREA", "E.R.E.A."],
    "other": ["other", "autre", "Autre", "autres"],
}


def test_every_school_type_is_written_somehow():
    assert set(WRITTEN) == set(SCHOOL_TYPE_CODES)


@pytest.mark.parametrize(("code", "text"), [(code, text) for code, texts in WRITTEN.items() for text in texts])
def test_the_roster_import_accepts_the_aliases_of_every_type(code, text):
    from bilan.roster.importer import parse_school_type

    assert school_type_code(text) == code
    assert parse_school_type(text) == code


@pytest.mark.parametrize("term", SCHOOL_TYPES, ids=lambda term: term.code)
def test_the_roster_import_accepts_every_word_the_vocabulary_shows(term):
    from bilan.roster.importer import parse_school_type

    for word in (term.code, term.label, term.in_sentence, term.short, *term.aliases):
        assert parse_school_type(word) == term.code


@pytest.mark.parametrize("text", ["usine", "", "lycée agricole", "école"])
def test_unknown_school_types_are_none(text):
    assert school_type_code(text) is None


def test_the_django_choices_are_the_vocabulary(settings):
    from bilan.outreach.models import MailStatus
    from bilan.roster.models import SchoolType
    from bilan.surveys.models import CampaignState, ResponseStatus

    assert SchoolType.choices == [(t.code, t.label) for t in SCHOOL_TYPES]
    assert CampaignState.choices == list(vocabularies.CAMPAIGN_STATES.items())
    assert ResponseStatus.choices == list(vocabularies.RESPONSE_STATUSES.items())
    assert MailStatus.choices == list(vocabularies.MAIL_STATUSES.items())
    assert MailStatus.BOUNCED.label == vocabularies.REFUSED_ADDRESS


def test_the_demo_generates_with_the_vocabulary_codes():
    from bilan.demo import generator, synthetic

    codes = set(SCHOOL_TYPE_CODES)
    for counts in generator.SCHOOL_COUNTS.values():
        assert set(counts) <= codes
    for table in (generator.NAMESAKES, generator.TYPE_PREFIX, generator.EXTRA_REFERENT_WEIGHT,
                  synthetic.SCHOOL_TYPE_SHARES, *generator.RESPONDENTS_BY_TYPE.values()):
        assert set(table) <= codes
    assert all(DEPARTEMENTS[code] == name for code, name in generator.DEPARTEMENTS)
    assert set(synthetic.DEPARTEMENT_SHARES) <= set(DEPARTEMENTS)
