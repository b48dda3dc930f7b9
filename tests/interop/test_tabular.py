import datetime as dt
import io
import zipfile

import pytest
from odfdo import Cell, Document, Row
from odfdo import Table as OdsTable
from openpyxl import Workbook

from bilan.interop.tabular import TableError, column_letter, read_table


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def xlsx_file(path, rows, *, formats=None, second_sheet=None):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for coordinate, number_format in (formats or {}).items():
        sheet[coordinate].number_format = number_format
    if second_sheet:
        other = workbook.create_sheet("Autre")
        for row in second_sheet:
            other.append(row)
    workbook.save(path)
    return path


def ods_file(path, rows, *, extra_rows=(), second_table=None):
    document = Document("spreadsheet")
    document.body.clear()
    table = OdsTable("Feuille1")
    table.set_values(rows)
    for row in extra_rows:
        table.append_row(row)
    document.body.append(table)
    if second_table:
        other = OdsTable("Autre")
        other.set_values(second_table)
        document.body.append(other)
    document.save(path)
    return path


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_it_sniffs_the_csv_delimiter(delimiter):
    data = csv_bytes(delimiter.join(["uai", "nom", "ville"]) + "\n"
                     + delimiter.join(["0860001J", "Collège A", "Poitiers"]) + "\n")

    table = read_table(data, "liste.csv")

    assert table.delimiter == delimiter
    assert table.headers == ["uai", "nom", "ville"]
    assert table.rows[0].cells == {"uai": "0860001J", "nom": "Collège A", "ville": "Poitiers"}


def test_a_comma_inside_quotes_does_not_fool_the_sniffer():
    table = read_table(csv_bytes('nom;commentaire\nA;"oui, vraiment, oui"\n'), "x.csv")

    assert table.delimiter == ";" and table.rows[0].get("commentaire") == "oui, vraiment, oui"


def test_it_drops_the_utf8_byte_order_mark():
    table = read_table(csv_bytes("uai;prénom\n0860001J;Anaïs\n", "utf-8-sig"), "x.csv")

    assert table.headers == ["uai", "prénom"] and table.encoding == "utf-8-sig" and not table.notes


def test_it_falls_back_to_windows_1252_and_says_so():
    table = read_table(csv_bytes("uai;prénom;note\n0860001J;Anaïs;« très bien » – 20 €\n", "cp1252"), "x.csv")

    assert table.encoding == "cp1252"
    assert table.rows[0].cells == {"uai": "0860001J", "prénom": "Anaïs", "note": "« très bien » – 20 €"}
    assert "n'est pas en UTF-8" in table.notes[0] and "Windows-1252" in table.notes[0]


def test_it_falls_back_to_latin_1_when_windows_1252_fails():
    table = read_table(b"nom;code\n\xe9t\xe9;\x81\n", "x.csv")

    assert table.encoding == "latin-1" and table.rows[0].get("nom") == "été"


def test_utf16_from_excel_unicode_text_is_read():
    table = read_table("nom\tville\nLéa\tNiort\n".encode("utf-16"), "x.csv")

    assert table.rows[0].cells == {"nom": "Léa", "ville": "Niort"}


def test_rows_keep_their_line_number_past_blank_rows_and_multiline_cells():
    data = csv_bytes('nom;remarque\n\nA;"deux\nlignes"\n;;\nB;fin\n')

    table = read_table(data, "x.csv")

    assert [(row.line, row.get("nom")) for row in table.rows] == [(3, "A"), (6, "B")]
    assert table.rows[0].get("remarque") == "deux\nlignes"


def test_short_rows_are_padded_and_cells_stripped():
    table = read_table(csv_bytes("a;b;c\n 1\u00a0;2\n"), "x.csv")

    assert table.rows[0].cells == {"a": "1", "b": "2", "c": ""}


def test_xlsx_numbers_dates_and_formats_become_faithful_text(tmp_path):
    path = xlsx_file(tmp_path / "t.xlsx", [
        ["uai", "departement", "cp", "date", "heure", "taux", "ok"],
        [860001, 86, 8600, dt.datetime(2024, 1, 2), dt.datetime(2024, 1, 2, 8, 30), 0.25, True],
        [None, None, None, None, None, None, None],
        ["0860001J", "086", "86000", dt.date(2023, 9, 1), None, 3, False],
    ], formats={"B2": "000", "C2": "00000"}, second_sheet=[["autre"], ["ignorée"]])

    table = read_table(path)

    assert table.format == "xlsx" and table.headers[0] == "uai"
    assert table.rows[0].line == 2 and table.rows[1].line == 4
    assert table.rows[0].cells == {"uai": "860001", "departement": "086", "cp": "08600", "date": "2024-01-02",
                                   "heure": "2024-01-02 08:30:00", "taux": "0.25", "ok": "vrai"}
    assert table.rows[1].cells["date"] == "2023-09-01" and table.rows[1].cells["taux"] == "3"


def test_ods_values_repeated_cells_and_trailing_blank_rows(tmp_path):
    spaced = Row()
    spaced.append_cell(Cell("Z"))
    spaced.append_cell(Cell(repeated=2))
    spaced.append_cell(Cell(7))
    path = ods_file(tmp_path / "t.ods", [
        ["uai", "nom", "nombre", "date"],
        [860001, "Collège A", 1.5, dt.date(2024, 1, 2)],
        [None, None, None, None],
    ], extra_rows=[Row(width=4, repeated=10), spaced, Row(width=1024, repeated=1_048_000)],
        second_table=[["autre"], ["ignorée"]])

    table = read_table(path)

    assert table.format == "ods" and table.headers == ["uai", "nom", "nombre", "date"]
    assert table.rows[0].cells == {"uai": "860001", "nom": "Collège A", "nombre": "1.5", "date": "2024-01-02"}
    assert len(table.rows) == 2
    assert table.rows[1].line == 14 and table.rows[1].cells == {"uai": "Z", "nom": "", "nombre": "", "date": "7"}


def test_it_reads_bytes_and_file_objects_given_a_file_name(tmp_path):
    data = csv_bytes("a\n1\n")

    assert read_table(io.BytesIO(data), "x.csv").rows[0].get("a") == "1"
    with pytest.raises(TableError, match="nom de fichier absent"):
        read_table(data)


def corrupt_ods(path):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<pas du xml")
    return path


@pytest.mark.parametrize("name, content, expected", [
    ("liste.txt", b"a\n1\n", "extension « .txt » non prise en charge"),
    ("liste", b"a\n1\n", "extension absente non prise en charge"),
    ("liste.xls", b"\xd0\xcf\x11\xe0", "enregistrez le fichier au format .xlsx, .ods ou .csv"),
    ("vide.csv", b"", "le fichier est vide"),
    ("blancs.csv", b" \n\n;;\n", "aucune donnée"),
    ("abime.xlsx", b"PK\x03\x04 tronqu", "fichier XLSX illisible ou endommagé"),
    ("abime.ods", b"ceci n'est pas un zip", "fichier ODS illisible ou endommagé"),
    ("double.csv", b"uai;Nom;nom\n1;2;3\n", "en-tête « nom » en double (colonne 2 (B) et colonne 3 (C))"),
    ("trou.csv", b"uai;;nom\n1;2;3\n", "en-tête vide en colonne 2 (B)"),
    ("deborde.csv", b"uai;nom\n1;2\n1;2;3\n", "valeur « 3 » en colonne 3 (C), qui n'a pas d'en-tête"),
    ("binaire.csv", b"a;b\n\x00\x01\x02\n", "caractères binaires"),
])
def test_it_explains_in_french_why_a_file_cannot_be_read(name, content, expected):
    with pytest.raises(TableError) as caught:
        read_table(content, name)

    assert expected in caught.value.detail
    assert str(caught.value).startswith(f"fichier «\u00a0{name}\u00a0»")


def test_an_error_names_the_line(tmp_path):
    with pytest.raises(TableError) as caught:
        read_table(b"uai;nom\n1;2\n1;2;3\n", "deborde.csv")

    assert caught.value.line == 3 and ", ligne 3\u00a0:" in str(caught.value)


def test_a_damaged_ods_archive_is_reported(tmp_path):
    with pytest.raises(TableError, match="ODS illisible"):
        read_table(corrupt_ods(tmp_path / "abime.ods"))


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(TableError, match="impossible de lire le fichier"):
        read_table(tmp_path / "absent.csv")


def test_a_header_without_rows_gives_an_empty_table():
    table = read_table(b"uai;nom\n", "x.csv")

    assert table.headers == ["uai", "nom"] and table.rows == []


@pytest.mark.parametrize("index, letters", [(1, "A"), (26, "Z"), (27, "AA"), (28, "AB"), (703, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters
