import pytest

from bilan.roster.models import Academie, Departement, Mandate, Referent, School
from bilan.roster.services import import_roster
from tests.roster.conftest import EXPECTED_BAD, GOOD_ROWS, HEADERS, UAI_A, UAI_B, bad_rows, write_csv

pytestmark = pytest.mark.django_db


def db_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Academie, Departement, School, Referent, Mandate)}


def test_it_imports_a_good_file(poitiers, write_roster):
    report = import_roster(write_roster(GOOD_ROWS))

    assert report.ok, report.problems
    assert (report.schools.created, report.referents.created, report.mandates.created) == (4, 3, 4)
    assert School.objects.count() == 4 and Referent.objects.count() == 3 and Mandate.objects.count() == 4
    marie = Referent.objects.get(email="marie.dupont@ac-poitiers.fr")
    assert (marie.first_name, marie.last_name) == ("Marie", "Dupont")
    assert sorted(marie.mandates.values_list("school__uai", flat=True)) == sorted([UAI_A, UAI_B])
    valin = School.objects.get(uai=UAI_B)
    assert (valin.type, valin.departement.code, valin.commune) == ("lycee", "17", "La Rochelle")
    assert School.objects.get(name="Lycée professionnel Gaston Barré").type == "lp"
    assert School.objects.get(name="EREA de Cognac").departement.name == "Charente"
    assert set(Mandate.objects.values_list("school_year", flat=True)) == {"2023-2024"}


def test_it_reports_every_bad_row_and_writes_nothing(poitiers, write_roster):
    before = db_counts()

    report = import_roster(write_roster(bad_rows()))

    assert not report.ok
    assert {(problem.line, problem.column) for problem in report.problems} == EXPECTED_BAD
    assert db_counts() == before
    by_line = {problem.line: problem.message for problem in report.problems}
    assert "0860009T" in by_line[6]
    assert "« usine »" in by_line[7]
    assert "ligne 2" in by_line[8] and "Marie Durand" in by_line[8]
    rendered = {problem.line: str(problem) for problem in report.problems}
    assert rendered[9] == "ligne 9, colonne «\u00a0Prénom\u00a0»\u00a0: valeur manquante"


def test_a_single_bad_last_row_after_good_rows_writes_nothing(poitiers, write_roster):
    before = db_counts()
    rows = GOOD_ROWS + [[UAI_A, "Collège Jean Moulin", "Collège", "Poitiers", "86", "Neuf", "Noé",
                         "noe.neuf@ac-poitiers", "2023-2024"]]

    report = import_roster(write_roster(rows))

    assert [(p.line, p.column) for p in report.problems] == [(6, "courriel")]
    assert db_counts() == before


def test_a_dry_run_counts_and_writes_nothing(poitiers, write_roster):
    before = db_counts()

    report = import_roster(write_roster(GOOD_ROWS), dry_run=True)

    assert report.ok and report.dry_run
    assert (report.schools.created, report.referents.created, report.mandates.created) == (4, 3, 4)
    assert db_counts() == before
    assert any("à créer" in line for line in report.summary_lines())


def test_importing_the_same_file_twice_changes_nothing(poitiers, write_roster):
    path = write_roster(GOOD_ROWS)
    import_roster(path)
    after_first = db_counts()

    second = import_roster(path)

    assert second.ok and not second.changed
    assert db_counts() == after_first
    assert (second.schools.unchanged, second.referents.unchanged, second.mandates.unchanged) == (4, 3, 4)


def test_it_updates_existing_schools_and_referents_instead_of_duplicating(poitiers, write_roster):
    import_roster(write_roster(GOOD_ROWS))
    renamed = [list(row) for row in GOOD_ROWS]
    renamed[0][1] = "Collège Jean-Moulin"
    renamed[2][6] = "Paul-Henri"
    renamed[3][8] = "2024-2025"
    renamed[1][4] = "86"

    report = import_roster(write_roster(renamed, name="renamed"))

    assert report.ok, report.problems
    assert (report.schools.updated, report.referents.updated, report.mandates.created) == (2, 1, 1)
    assert School.objects.count() == 4 and Referent.objects.count() == 3 and Mandate.objects.count() == 5
    assert School.objects.get(uai=UAI_A).name == "Collège Jean-Moulin"
    assert School.objects.get(uai=UAI_B).departement.code == "86"
    assert Referent.objects.get(email="paul.martin@ac-poitiers.fr").first_name == "Paul-Henri"


def test_it_refuses_a_departement_outside_the_academie(poitiers, write_roster):
    rows = [GOOD_ROWS[0][:4] + ["75"] + GOOD_ROWS[0][5:]]

    report = import_roster(write_roster(rows), academie="poitiers")

    assert [(p.line, p.column) for p in report.problems] == [(2, "departement")]
    assert "16, 17, 79, 86" in report.problems[0].message
    assert School.objects.count() == 0


def test_it_creates_the_academie_and_its_departements_in_an_empty_database(db, write_roster):
    report = import_roster(write_roster(GOOD_ROWS), academie="Poitiers")

    assert report.ok, report.problems
    assert report.academie_created == "Poitiers" and report.departements_created == 4
    academie = Academie.objects.get(code="poitiers")
    assert dict(academie.departements.values_list("code", "name")) == {
        "16": "Charente", "17": "Charente-Maritime", "79": "Deux-Sèvres", "86": "Vienne"}


def test_it_asks_for_the_academie_when_the_database_has_no_departement(db, write_roster):
    report = import_roster(write_roster(GOOD_ROWS))

    assert not report.ok and "--academie" in report.problems[0].message
    assert db_counts() == {"Academie": 0, "Departement": 0, "School": 0, "Referent": 0, "Mandate": 0}


def test_the_school_year_may_come_from_the_caller(poitiers, tmp_path):
    headers = HEADERS[:-1]
    path = write_csv(tmp_path / "sans-annee.csv", headers, [row[:-1] for row in GOOD_ROWS])

    assert not import_roster(path).ok
    report = import_roster(path, school_year="2024-2025")

    assert report.ok, report.problems
    assert set(Mandate.objects.values_list("school_year", flat=True)) == {"2024-2025"}


def test_an_unreadable_file_is_a_problem_not_a_crash(poitiers, tmp_path):
    path = tmp_path / "referents.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")

    report = import_roster(path)

    assert not report.ok and "XLSX illisible" in report.problems[0].message
    assert School.objects.count() == 0


def test_an_uploaded_file_is_imported_from_its_bytes(poitiers, write_roster):
    path = write_roster(GOOD_ROWS)

    report = import_roster(path.read_bytes(), filename=f"envoi{path.suffix}")

    assert report.ok and report.filename == f"envoi{path.suffix}"
    assert Mandate.objects.count() == 4
