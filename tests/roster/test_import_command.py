import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bilan.roster.models import Mandate, Referent, School
from bilan.uai import make_uai
from tests.roster.conftest import GOOD_ROWS, HEADERS, bad_rows, write_csv

pytestmark = pytest.mark.django_db


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_summarises_in_french(poitiers, write_roster):
    out, _ = run("roster", str(write_roster(GOOD_ROWS)), "--academie", "poitiers")

    assert "Établissements\u00a0: 4 créé(s)" in out
    assert "Mandats\u00a0: 4 créé(s)" in out
    assert Mandate.objects.count() == 4


def test_the_command_lists_problems_and_saves_nothing(poitiers, write_roster):
    with pytest.raises(CommandError, match="4 problème"):
        run("roster", str(write_roster(bad_rows())))
    assert School.objects.count() == 0 and Referent.objects.count() == 0


def test_the_command_shows_fifty_problems_then_how_many_more(poitiers, tmp_path):
    rows = [[make_uai(860100 + n), f"Collège {n}", "usine", "Poitiers", "86", "Nom", "Prénom",
             f"p{n}@ac-poitiers.fr", "2023-2024"] for n in range(60)]
    path = write_csv(tmp_path / "soixante.csv", HEADERS, rows)
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import", "roster", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert len(lines) == 51 and lines[-1] == "… et 10 autres"
    assert lines[0].startswith("– ligne 2, colonne")


def test_the_command_dry_run_saves_nothing(poitiers, write_roster):
    out, _ = run("roster", str(write_roster(GOOD_ROWS)), dry_run=True)

    assert "4 à créer" in out and "rien n'a été enregistré" in out
    assert School.objects.count() == 0


def test_the_command_takes_the_school_year_as_an_option(poitiers, tmp_path):
    path = write_csv(tmp_path / "sans-annee.csv", HEADERS[:-1], [row[:-1] for row in GOOD_ROWS])

    run("roster", str(path), "--school-year", "2024-2025")

    assert set(Mandate.objects.values_list("school_year", flat=True)) == {"2024-2025"}


@pytest.mark.parametrize("delimiter, encoding", [
    (";", "utf-8"), (",", "utf-8"), ("\t", "utf-8"), (";", "utf-8-sig"), (";", "cp1252"), (",", "cp1252"),
])
def test_the_command_reads_csv_in_every_usual_flavour(poitiers, tmp_path, delimiter, encoding):
    path = write_csv(tmp_path / "referents.csv", HEADERS, GOOD_ROWS, delimiter=delimiter, encoding=encoding)

    out, _ = run("roster", str(path))

    assert Referent.objects.get(email="anais.leger@ac-poitiers.fr").first_name == "Anaïs"
    assert School.objects.get(name="EREA de Cognac").type == "erea"
    assert ("Windows-1252" in out) == (encoding == "cp1252")


def test_an_unknown_file_kind_is_refused(poitiers, tmp_path):
    with pytest.raises(CommandError):
        run("personnes", str(tmp_path / "x.csv"))
