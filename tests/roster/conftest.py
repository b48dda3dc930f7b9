"""Roster test fixtures: the Poitiers académie and writers of real roster files in each format."""

import csv
import io
from pathlib import Path

import pytest
from odfdo import Document, Row, Table

from bilan.roster.models import Academie, Departement
from bilan.uai import make_uai

HEADERS = ["UAI", "Établissement", "Type", "Commune", "Département", "Nom", "Prénom", "Courriel",
           "Année scolaire"]

UAI_A, UAI_B, UAI_C, UAI_D = (make_uai(n) for n in (860001, 170002, 790003, 160004))

# A person (Marie Dupont) serving two schools, and two other referents.
GOOD_ROWS = [
    [UAI_A, "Collège Jean Moulin", "Collège", "Poitiers", "86", "Dupont", "Marie",
     "marie.dupont@ac-poitiers.fr", "2023-2024"],
    [UAI_B, "Lycée Valin", "lycée", "La Rochelle", "017", "Dupont", "Marie",
     "Marie.Dupont@ac-poitiers.fr", "2023-2024"],
    [UAI_C, "Lycée professionnel Gaston Barré", "Lycée professionnel", "Niort", "Deux-Sèvres",
     "Martin", "Paul", "paul.martin@ac-poitiers.fr", "2023-2024"],
    [UAI_D, "EREA de Cognac", "EREA", "Cognac", "16", "Léger", "Anaïs",
     "anais.leger@ac-poitiers.fr", "2023-2024"],
]


def bad_rows() -> list[list[str]]:
    """Good rows first, then four bad ones (lines 6 to 9), the last row being bad."""
    return GOOD_ROWS + [
        ["0860009X", "Collège Rabelais", "Collège", "Poitiers", "86", "Roux", "Léa",
         "lea.roux@ac-poitiers.fr", "2023-2024"],                                   # line 6: bad UAI
        [make_uai(860010), "Collège Camus", "usine", "Poitiers", "86", "Blanc", "Luc",
         "luc.blanc@ac-poitiers.fr", "2023-2024"],                                  # line 7: unknown type
        [make_uai(860011), "Collège Curie", "Collège", "Poitiers", "86", "Durand", "Marie",
         "marie.dupont@ac-poitiers.fr", "2023-2024"],                               # line 8: e-mail of another
        [make_uai(860012), "Collège Hugo", "Collège", "Poitiers", "86", "Petit", "",
         "jean.petit@ac-poitiers.fr", "2023-2024"],                                 # line 9: no first name
    ]


EXPECTED_BAD = {(6, "uai"), (7, "type"), (8, "courriel"), (9, "prenom")}


@pytest.fixture
def poitiers(db):
    academie = Academie.objects.create(code="poitiers", name="Poitiers")
    for code, name in (("16", "Charente"), ("17", "Charente-Maritime"), ("79", "Deux-Sèvres"),
                       ("86", "Vienne")):
        Departement.objects.create(academie=academie, code=code, name=name)
    return academie


def write_csv(path: Path, headers, rows, *, delimiter=";", encoding="utf-8") -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headers, rows) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_ods(path: Path, headers, rows) -> Path:
    document = Document("spreadsheet")
    document.body.clear()
    table = Table("Référentiel")
    table.set_values([headers, *rows])
    # As LibreOffice does: blank rows repeated to the bottom of the sheet.
    table.append_row(Row(width=len(headers), repeated=1_048_000))
    document.body.append(table)
    document.save(path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "ods": write_ods}


@pytest.fixture(params=sorted(WRITERS))
def roster_format(request) -> str:
    return request.param


@pytest.fixture
def write_roster(tmp_path, roster_format):
    """Write rows (with HEADERS unless given) to a real file of the parametrized format."""

    def write(rows, headers=HEADERS, name="referents"):
        return WRITERS[roster_format](tmp_path / f"{name}.{roster_format}", headers, rows)

    return write
