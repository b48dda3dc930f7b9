import pytest

from bilan.interop.tabular import Row, Table
from bilan.roster.importer import (
    ImportProblem,
    canonical_column,
    departement_code,
    parse_school_type,
    parse_school_year,
    validate_roster,
)
from tests.roster.conftest import GOOD_ROWS, HEADERS, UAI_A

POITIERS = {"16": "Charente", "17": "Charente-Maritime", "79": "Deux-Sèvres", "86": "Vienne"}


def table_of(rows, headers=HEADERS) -> Table:
    return Table(headers=list(headers),
                 rows=[Row(line=index, cells=dict(zip(headers, row, strict=True)))
                       for index, row in enumerate(rows, start=2)])


@pytest.mark.parametrize("header, column", [
    ("UAI", "uai"), ("Code RNE", "uai"), ("  Établissement ", "etablissement"),
    ("Nom de l'établissement", "etablissement"), ("TYPE", "type"), ("Département", "departement"),
    ("departement", "departement"), ("Nom", "nom"), ("PRENOM", "prenom"), ("E-mail", "courriel"),
    ("Adresse électronique", "courriel"), ("Année scolaire", "annee_scolaire"),
    ("annee_scolaire", "annee_scolaire"), ("Téléphone", None),
])
def test_it_recognises_french_headers_and_aliases(header, column):
    assert canonical_column(header) == column


@pytest.mark.parametrize("value, code", [
    ("Collège", "college"), ("COLLEGE", "college"), ("lycée", "lycee"), ("Lycée polyvalent", "lycee"),
    ("LP", "lp"), ("Lycée professionnel", "lp"), ("lycee pro", "lp"), ("EREA", "erea"),
    ("Autre", "other"), ("usine", None), ("", None),
])
def test_it_reads_school_types_ignoring_case_and_accents(value, code):
    assert parse_school_type(value) == code


@pytest.mark.parametrize("value, code", [
    ("86", "86"), ("086", "86"), ("1", "01"), ("2A", "2A"), ("2b", "2B"), ("974", "974"),
    ("Vienne", "86"), ("deux sevres", "79"), ("Deux-Sèvres", "79"), ("86 - Vienne", "86"),
    ("99", None), ("Atlantide", None), ("86000", None),
])
def test_it_reads_departements_by_number_or_name(value, code):
    assert departement_code(value) == code


def test_it_limits_departements_to_those_allowed():
    assert departement_code("86", POITIERS) == "86"
    assert departement_code("75", POITIERS) is None
    assert departement_code("Paris", POITIERS) is None


@pytest.mark.parametrize("value, year", [
    ("2023-2024", "2023-2024"), ("2023/2024", "2023-2024"), (" 2023 – 2024 ", "2023-2024"),
    ("2023-2025", None), ("2024-2023", None), ("2023", None), ("23-24", None),
])
def test_it_checks_school_years(value, year):
    assert parse_school_year(value) == year


def test_a_good_table_gives_schools_referents_and_mandates():
    plan = validate_roster(table_of(GOOD_ROWS), departements=POITIERS)

    assert plan.ok, plan.problems
    assert len(plan.schools) == 4 and len(plan.referents) == 3 and len(plan.mandates) == 4
    assert plan.schools[UAI_A].type == "college"
    assert set(plan.departements) == {"16", "17", "79", "86"}


def test_it_names_every_missing_column():
    headers = [h for h in HEADERS if h not in ("UAI", "Courriel")]
    rows = [[value for header, value in zip(HEADERS, row, strict=True) if header in headers] for row in GOOD_ROWS]

    plan = validate_roster(table_of(rows, headers))

    messages = [problem.message for problem in plan.problems]
    assert len(messages) == 2
    assert "colonne « uai » absente" in messages[0] and "colonne « courriel » absente" in messages[1]


def test_two_headers_for_the_same_column_are_a_problem():
    headers = HEADERS + ["E-mail"]
    plan = validate_roster(table_of([row + ["x@y.fr"] for row in GOOD_ROWS], headers))

    assert [(p.line, p.column) for p in plan.problems] == [(1, "courriel")]


def test_the_same_uai_with_another_name_or_type_is_a_problem():
    rows = GOOD_ROWS + [[UAI_A, "Collège Pierre Loti", "Lycée", "Poitiers", "86", "Neuf", "Noé",
                         "noe.neuf@ac-poitiers.fr", "2023-2024"]]

    plan = validate_roster(table_of(rows), departements=POITIERS)

    assert {(p.line, p.column) for p in plan.problems} == {(6, "etablissement"), (6, "type")}
    assert "ligne 2" in plan.problems[0].message


def test_an_exact_duplicate_mandate_is_a_problem():
    rows = GOOD_ROWS + [list(GOOD_ROWS[2])]

    plan = validate_roster(table_of(rows), departements=POITIERS)

    assert [(p.line, p.column) for p in plan.problems] == [(6, None)]
    assert "ligne 4" in plan.problems[0].message


def test_a_year_in_the_file_must_match_the_year_asked_for():
    plan = validate_roster(table_of(GOOD_ROWS[:1]), school_year="2024-2025", departements=POITIERS)

    assert [(p.line, p.column) for p in plan.problems] == [(2, "annee_scolaire")]


def test_a_bad_year_asked_for_is_refused_before_reading_rows():
    plan = validate_roster(table_of(GOOD_ROWS), school_year="2024")

    assert len(plan.problems) == 1 and plan.problems[0].line is None


def test_an_e_mail_is_checked_and_lower_cased():
    rows = [GOOD_ROWS[0][:7] + [" Marie.DUPONT@Ac-Poitiers.fr "] + GOOD_ROWS[0][8:],
            GOOD_ROWS[1][:7] + ["marie dupont@ac-poitiers.fr"] + GOOD_ROWS[1][8:]]

    plan = validate_roster(table_of(rows), departements=POITIERS)

    assert list(plan.referents) == ["marie.dupont@ac-poitiers.fr"]
    assert [(p.line, p.column) for p in plan.problems] == [(3, "courriel")]


def test_unknown_columns_are_ignored_with_a_note():
    plan = validate_roster(table_of([row + ["05 49 00 00 00"] for row in GOOD_ROWS], HEADERS + ["Téléphone"]),
                           departements=POITIERS)

    assert plan.ok and "Téléphone" in plan.notes[0]


@pytest.mark.parametrize("problem, text", [
    (ImportProblem(7, "uai", "code UAI absent", header="UAI"),
     "ligne 7, colonne «\u00a0UAI\u00a0»\u00a0: code UAI absent"),
    (ImportProblem(7, "uai", "code UAI absent"), "ligne 7, colonne «\u00a0uai\u00a0»\u00a0: code UAI absent"),
    (ImportProblem(4, None, "mandat en double"), "ligne 4\u00a0: mandat en double"),
    (ImportProblem(None, None, "fichier vide"), "fichier vide"),
])
def test_a_problem_reads_as_french(problem, text):
    assert str(problem) == text
