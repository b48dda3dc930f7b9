"""The one table reader (bilan.interop.tabular) on real files made here: XLSX written by
openpyxl, ODS written as LibreOffice does (zipfile + content.xml, with its repeats), CSV in
UTF-8, UTF-8 with BOM and Windows-1252; its limits, and both of its callers."""

import datetime as dt
import io
import time
import tracemalloc
import zipfile
from xml.sax.saxutils import escape

import pytest
from openpyxl import Workbook

from bilan.interop import tabular
from bilan.interop.answers_formats import (
    NEXTCLOUD_CSV,
    NEXTCLOUD_ODS,
    NEXTCLOUD_XLSX,
    InteropError,
    parse_answers,
)
from bilan.interop.limesurvey import parse_limesurvey_txt
from bilan.interop.tabular import TableError, read_rows, read_table

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{ODS_MIMETYPE}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            '</manifest:manifest>')
# LibreOffice's bottom of a sheet: a million blank rows of 1 024 blank cells, as one element.
LIBREOFFICE_TAIL = ('<table:table-row table:number-rows-repeated="1048000">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')


# --------------------------------------------------------------------------- writers


def ods_cell(value, repeat: int = 1) -> str:
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    if value is None or value == "":
        return f"<table:table-cell{repeated}/>"
    if isinstance(value, bool):
        attributes = f'office:value-type="boolean" office:boolean-value="{str(value).lower()}"'
        shown = "VRAI" if value else "FAUX"
    elif isinstance(value, (int, float)):
        # What LibreOffice shows in a French locale is not the value: the value is read.
        attributes, shown = f'office:value-type="float" office:value="{value}"', str(value).replace(".", ",")
    elif isinstance(value, dt.date):  # datetime included
        attributes, shown = f'office:value-type="date" office:date-value="{value.isoformat()}"', "02/01/24"
    else:
        attributes, shown = 'office:value-type="string"', value
    return f"<table:table-cell{repeated} {attributes}><text:p>{escape(str(shown))}</text:p></table:table-cell>"


def ods_row(values, repeat: int = 1) -> str:
    repeated = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{repeated}>{''.join(ods_cell(v) for v in values)}</table:table-row>"


def ods_bytes(table_xml: str, *, prolog: str = "", more_tables: str = "") -> bytes:
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {NS}>'
               f'<office:body><office:spreadsheet><table:table table:name="Feuille1">{table_xml}</table:table>'
               f"{more_tables}</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_of(rows, *, tail: str = LIBREOFFICE_TAIL) -> bytes:
    return ods_bytes("".join(ods_row(row) for row in rows) + tail)


def xlsx_of(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_of(lines, encoding: str = "utf-8", delimiter: str = ";") -> bytes:
    return "".join(delimiter.join(line) + "\r\n" for line in lines).encode(encoding)


def rows_of(sheet):
    return [(line, cells) for line, cells in sheet.rows]


# --------------------------------------------------------------------------- one sheet, three formats


ROSTER_SHEET = [
    ["UAI", "Établissement", "Élèves", "Taux", "Ouverture", "Visite", "Labellisé"],
    ["0860001J", "Collège « Jean Moulin »", 612, 0.25, dt.date(1975, 9, 1), dt.datetime(2024, 1, 2, 8, 30), True],
    [None] * 7,
    ["1700002D", "Lycée Valin", 1480, 1.5, dt.date(1980, 9, 1), dt.datetime(2024, 3, 4), False],
]
# The same sheet as text, as the reader must give it in every format.
ROSTER_TEXT = [
    ["UAI", "Établissement", "Élèves", "Taux", "Ouverture", "Visite", "Labellisé"],
    ["0860001J", "Collège « Jean Moulin »", "612", "0.25", "1975-09-01", "2024-01-02 08:30:00", "vrai"],
    ["1700002D", "Lycée Valin", "1480", "1.5", "1980-09-01", "2024-03-04", "faux"],
]


@pytest.mark.parametrize("name, data", [
    ("liste.csv", csv_of([ROSTER_TEXT[0], ROSTER_TEXT[1], [""] * 7, ROSTER_TEXT[2]])),
    ("liste.csv", csv_of([ROSTER_TEXT[0], ROSTER_TEXT[1], [""] * 7, ROSTER_TEXT[2]], "utf-8-sig")),
    ("liste.csv", csv_of([ROSTER_TEXT[0], ROSTER_TEXT[1], [""] * 7, ROSTER_TEXT[2]], "cp1252")),
    ("liste.xlsx", xlsx_of(ROSTER_SHEET)),
    ("liste.ods", ods_of(ROSTER_SHEET)),
], ids=["csv-utf8", "csv-bom", "csv-cp1252", "xlsx", "ods"])
def test_the_same_sheet_gives_the_same_roster_table_in_every_format(name, data):
    table = read_table(data, name)

    assert table.headers == ROSTER_TEXT[0]
    assert [row.line for row in table.rows] == [2, 4]
    assert [list(row.cells.values()) for row in table.rows] == ROSTER_TEXT[1:]
    assert ("Windows-1252" in " ".join(table.notes)) == (table.encoding == "cp1252")


NEXTCLOUD_SHEET = [
    ["User ID", "User display name", "Timestamp", "Dans quel type d'établissement exercez-vous ?",
     "Combien d'heures ?", "Ateliers ?", "Un commentaire ?"],
    ["anon-1", "Anonyme", "2024-06-12 10:01:00", "Collège", 2.5, True, "Très bien ; merci"],
    ["anon-2", "Anonyme", "2024-06-12 10:05:00", "Lycée", 4, False, ""],
]


def _nextcloud_csv() -> bytes:
    text = [[("vrai" if v else "faux") if isinstance(v, bool) else str(v) for v in row] for row in NEXTCLOUD_SHEET]
    quoted = [[f'"{v}"' if "," in v else v for v in row] for row in text]
    return csv_of(quoted, "utf-8-sig", ",")


@pytest.mark.parametrize("file_format, data", [
    (NEXTCLOUD_CSV, _nextcloud_csv()),
    (NEXTCLOUD_XLSX, xlsx_of(NEXTCLOUD_SHEET)),
    (NEXTCLOUD_ODS, ods_of(NEXTCLOUD_SHEET)),
])
def test_the_same_sheet_gives_the_same_rows_to_the_answer_readers(file_format, data):
    parsed = parse_answers(data, file_format)

    assert [column.heading for column in parsed.columns] == NEXTCLOUD_SHEET[0]
    assert [(row.line, row.values) for row in parsed.rows] == [
        (2, ("anon-1", "Anonyme", "2024-06-12 10:01:00", "Collège", "2.5", "vrai", "Très bien ; merci")),
        (3, ("anon-2", "Anonyme", "2024-06-12 10:05:00", "Lycée", "4", "faux", "")),
    ]


def test_the_roster_and_the_answer_readers_read_a_sheet_alike():
    data = xlsx_of(NEXTCLOUD_SHEET)

    table = read_table(data, "reponses.xlsx")
    parsed = parse_answers(data, NEXTCLOUD_XLSX)

    assert [tuple(row.cells.values()) for row in table.rows] == [row.values for row in parsed.rows]


# --------------------------------------------------------------------------- ODS repeats


def test_ods_repeats_blank_rows_move_the_line_on_and_trailing_blank_cells_are_dropped():
    table_xml = (ods_row(["a", "b", "c"])
                 + '<table:table-row table:number-rows-repeated="5"><table:table-cell '
                   'table:number-columns-repeated="1024"/></table:table-row>'
                 + "<table:table-row>" + ods_cell("x") + ods_cell(None, 1) + ods_cell(7, 1)
                 + ods_cell(None, 16_000) + "</table:table-row>"
                 + "<table:table-row>" + ods_cell("y", 2) + ods_cell(None, 1021) + "</table:table-row>"
                 + LIBREOFFICE_TAIL + ods_row(["fin"]))

    sheet = read_rows(ods_bytes(table_xml), file_format="ods")

    assert rows_of(sheet) == [(1, ["a", "b", "c"]), (7, ["x", "", "7"]), (8, ["y", "y"]),
                              (1_048_009, ["fin"])]


def test_ods_cells_text_spaces_line_breaks_covered_cells_and_comments():
    cell = ('<table:table-cell><office:annotation><text:p>une remarque</text:p></office:annotation>'
            '<text:p>deux<text:s text:c="3"/>espaces<text:tab/>tab</text:p>'
            '<text:p><text:span>seconde</text:span><text:line-break/>ligne</text:p></table:table-cell>')
    table_xml = ("<table:table-row>" + cell + "<table:covered-table-cell/>" + ods_cell("après")
                 + '<table:table-cell office:value-type="time" office:time-value="PT08H30M00S">'
                   "<text:p>08:30</text:p></table:table-cell>"
                 + '<table:table-cell office:value-type="percentage" office:value="0.125">'
                   "<text:p>12,5 %</text:p></table:table-cell></table:table-row>")

    sheet = read_rows(ods_bytes(table_xml), file_format="ods")

    assert sheet.rows == [(1, ["deux   espaces\ttab\nseconde\nligne", "", "après", "08:30:00", "0.125"])]


def test_only_the_first_ods_table_is_read():
    data = ods_bytes(ods_row(["a"]) + ods_row(["1"]), more_tables='<table:table table:name="Autre">'
                     + ods_row(["ignorée"]) + "</table:table>")

    assert rows_of(read_rows(data, "x.ods")) == [(1, ["a"]), (2, ["1"])]


def test_a_filled_row_repeated_exactly_up_to_the_row_limit_passes_and_one_more_fails():
    limit = tabular.MAX_ROWS
    at_limit = ods_bytes(ods_row(["uai", "nom"]) + ods_row(["0860001J", "A"], repeat=limit - 1) + LIBREOFFICE_TAIL)

    sheet = read_rows(at_limit, file_format="ods")

    assert len(sheet.rows) == limit and sheet.rows[-1] == (limit, ["0860001J", "A"])
    with pytest.raises(TableError) as caught:
        read_rows(ods_bytes(ods_row(["uai", "nom"]) + ods_row(["0860001J", "A"], repeat=limit)), file_format="ods")
    assert f"le fichier dépasse {tabular._count(limit)} lignes" in caught.value.detail
    assert f"dont la ligne 2 répétée {tabular._count(limit)} fois" in caught.value.detail
    assert caught.value.line == 2


def test_a_row_repeated_a_million_times_is_refused_before_it_is_made():
    data = ods_bytes(ods_row(["a"]) + ods_row(["x", "y"], repeat=1_048_576))
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TableError, match="dépasse"):
            read_rows(data, file_format="ods")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 2 and peak < 20_000_000


def test_a_cell_repeated_up_to_the_cell_limit_passes_and_one_more_fails():
    def sheet(width):
        return ods_bytes("<table:table-row>" + ods_cell("x", width) + "</table:table-row>")

    assert len(read_rows(sheet(1_000), file_format="ods", max_cells=1_000).rows[0][1]) == 1_000
    with pytest.raises(TableError) as caught:
        read_rows(sheet(1_001), file_format="ods", max_cells=1_000)
    assert f"le fichier dépasse {tabular._count(1_000)} cellules" in caught.value.detail


def test_blank_cells_repeated_inside_a_row_count_as_cells():
    data = ods_bytes("<table:table-row>" + ods_cell(None, 2_000_000) + ods_cell("x") + "</table:table-row>")

    with pytest.raises(TableError, match="cellules"):
        read_rows(data, file_format="ods", max_cells=1_000_000)


# --------------------------------------------------------------------------- row and cell limits


def _numbered(count):
    return [["n", "valeur"]] + [[str(i), f"v{i}"] for i in range(1, count)]


@pytest.mark.parametrize("name, write", [
    ("x.csv", csv_of), ("x.xlsx", xlsx_of), ("x.ods", ods_of),
])
def test_too_many_rows_limit_passes_and_limit_plus_one_fails(name, write):
    assert len(read_rows(write(_numbered(50)), name, max_rows=50).rows) == 50
    with pytest.raises(TableError) as caught:
        read_rows(write(_numbered(51)), name, max_rows=50)
    assert caught.value.detail.startswith("le fichier dépasse 50 lignes (au moins 51 lignes non vides)")
    assert caught.value.line == 51 and str(caught.value).startswith(f"fichier «\u00a0{name}\u00a0», ligne 51")


def test_a_csv_line_of_a_million_delimiters_is_refused_before_the_csv_module_builds_it():
    data = b"a;b\n" + b";" * 2_000_000 + b"\n"
    tracemalloc.start()
    try:
        with pytest.raises(TableError) as caught:
            read_rows(data, "x.csv", max_cells=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "cellules" in caught.value.detail and caught.value.line == 2
    assert peak < 30_000_000


def test_the_module_limits_apply_to_both_callers(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    data = xlsx_of(NEXTCLOUD_SHEET)

    with pytest.raises(TableError, match="dépasse 2 lignes"):
        read_table(data, "reponses.xlsx")
    with pytest.raises(InteropError, match="dépasse 2 lignes"):
        parse_answers(data, NEXTCLOUD_XLSX)
    with pytest.raises(InteropError, match="dépasse 2 lignes"):
        parse_answers(_nextcloud_csv(), NEXTCLOUD_CSV)
    with pytest.raises(InteropError, match="dépasse 2 lignes"):
        parse_limesurvey_txt(b"class\ttype/scale\tname\ttext\nS\t\tsid\t1\nS\t\tlanguage\tfr\n")


def test_the_command_line_reads_larger_files_up_to_its_own_limits(monkeypatch):
    """``bilan import`` reads within ``larger_files()``: more rows and cells than a page may send,
    still bounded, each limit exact (at it: read; one past it: refused)."""
    monkeypatch.setattr(tabular, "MAX_CELLS", 6)
    data = b"a;b\n1;2\n3;4\n5;6\n"  # 8 cells
    with pytest.raises(TableError, match="dépasse 6 cellules"):
        tabular.read_rows(data, "r.csv")
    with tabular.larger_files(cells=8):
        assert len(tabular.read_rows(data, "r.csv").rows) == 4
    with tabular.larger_files(cells=7), pytest.raises(TableError, match="dépasse 7 cellules"):
        tabular.read_rows(data, "r.csv")
    with tabular.larger_files(rows=3), pytest.raises(TableError, match="dépasse 3 lignes"):
        tabular.read_rows(data, "r.csv")
    with pytest.raises(TableError, match="dépasse 6 cellules"):  # the pages' limits again after the block
        tabular.read_rows(data, "r.csv")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "gros.csv"
    path.write_bytes(b"a;b\n" + b"1;2\n" * 1_000)

    with pytest.raises(TableError) as caught:
        read_table(path, max_file_size=1_000)
    assert caught.value.detail.startswith("le fichier dépasse 1\u00a0ko (4\u00a0ko)")
    with pytest.raises(TableError, match="dépasse 1\u00a0ko"):
        read_table(io.BytesIO(path.read_bytes()), "gros.csv", max_file_size=1_000)


# --------------------------------------------------------------------------- archives


@pytest.fixture(scope="module")
def ods_bomb(tmp_path_factory):
    """An ODS whose content.xml is 300 MB of zeros, compressed under 1 MB."""
    path = tmp_path_factory.mktemp("bomb") / "bombe.ods"
    chunk = b"0" * 1_000_000
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        with archive.open("content.xml", "w") as member:
            for _ in range(300):
                member.write(chunk)
    return path


def test_an_ods_zip_bomb_is_refused_quickly_without_filling_memory(ods_bomb):
    assert ods_bomb.stat().st_size < 1_000_000
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(TableError) as caught:
            read_table(ods_bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert time.perf_counter() - started < 1 and peak < 20_000_000
    assert caught.value.detail == ("le classeur dépasse 200\u00a0Mo une fois décompressé (300\u00a0Mo) : "
                                   "fichier refusé")
    assert str(caught.value).startswith("fichier «\u00a0bombe.ods\u00a0»\u00a0: le classeur dépasse 200\u00a0Mo")


def test_the_answer_reader_refuses_the_bomb_too(ods_bomb):
    data = ods_bomb.read_bytes()

    with pytest.raises(InteropError, match="dépasse 200\u00a0Mo une fois décompressé"):
        parse_answers(data, filename="bombe.ods")  # refused while recognising the format
    with pytest.raises(InteropError, match="dépasse 200\u00a0Mo une fois décompressé"):
        parse_answers(data, NEXTCLOUD_ODS)


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_member_compressed_beyond_reason_is_refused_even_under_the_size_limit(kind):
    base = xlsx_of([["a"], ["1"]]) if kind == "xlsx" else ods_of([["a"], ["1"]])
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("docProps/zeros.bin", b"\0" * 20_000_000)

    with pytest.raises(TableError) as caught:
        read_rows(buffer.getvalue(), file_format=kind)
    assert "« docProps/zeros.bin » de l'archive est anormalement compressé" in caught.value.detail.replace(
        "\u00a0", " ")
    assert "au plus 500 pour 1" in caught.value.detail


def test_an_archive_of_too_many_members_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)
        for index in range(10_001):
            archive.writestr(f"m/{index}", b"")

    with pytest.raises(TableError, match=r"plus de 10.000 éléments"):  # « . »: the thousands space
        read_rows(buffer.getvalue(), file_format="ods")


# --------------------------------------------------------------------------- XML entities


def test_an_external_entity_in_an_ods_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    prolog = f'<!DOCTYPE office:document-content [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    data = ods_bytes("<table:table-row><table:table-cell><text:p>&xxe;</text:p></table:table-cell>"
                     "</table:table-row>", prolog=prolog)

    with pytest.raises(TableError) as caught:
        read_rows(data, "x.ods")
    assert "DOCTYPE" in caught.value.detail and "MOT-DE-PASSE" not in str(caught.value)
    with pytest.raises(InteropError, match="DOCTYPE"):
        parse_answers(data, NEXTCLOUD_ODS)


def test_an_entity_expansion_in_an_ods_is_refused():
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 9))
    prolog = f'<!DOCTYPE d [<!ENTITY l0 "ha">{laughs}]>'
    data = ods_bytes("<table:table-row><table:table-cell><text:p>&l8;</text:p></table:table-cell>"
                     "</table:table-row>", prolog=prolog)

    with pytest.raises(TableError, match="DOCTYPE"):
        read_rows(data, "x.ods")


def test_an_external_entity_in_an_xlsx_is_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("MOT-DE-PASSE-SECRET")
    source = zipfile.ZipFile(io.BytesIO(xlsx_of([["a"], ["b"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
                content = doctype.encode() + content.replace(b"<t>a</t>", b"<t>&xxe;</t>")
                assert b"&xxe;" in content
            archive.writestr(info.filename, content)

    with pytest.raises(TableError) as caught:
        read_rows(buffer.getvalue(), "x.xlsx")
    assert "DOCTYPE" in caught.value.detail and "MOT-DE-PASSE" not in str(caught.value)


# --------------------------------------------------------------------------- CSV lines, encodings, errors


def test_csv_lines_end_only_at_cr_lf_or_crlf_whatever_the_cells_hold():
    text = 'nom;note\r"A";"deux\u2028lignes\x0cet page"\rB;x\x85y\r\n\nC;"multi\nligne"\n' * 20_000

    sheet = read_rows(text.encode("utf-8"), "x.csv")

    assert sheet.rows[:4] == [(1, ["nom", "note"]), (2, ["A", "deux\u2028lignes\x0cet page"]),
                              (3, ["B", "x\x85y"]), (5, ["C", "multi\nligne"])]
    assert len(sheet.rows) == 80_000 and sheet.rows[-1][0] == 119_999  # 6 lines a block


def test_detection_still_sees_a_tab_separated_framaforms_export():
    title = "Enquête\t\t\t\n"
    data = (title + "Submission Details\t\t\tQuestion\nSerial\tSID\tTime\tQuestion\n1\t101\t12/06/2024\toui\n").encode()

    parsed = parse_answers(data)

    assert parsed.format == "framaforms" and parsed.header_line == 3 and parsed.rows[0].line == 4


def test_answers_refuse_a_guessed_encoding_where_the_roster_reads_it_with_a_note():
    data = csv_of([["User ID", "User display name", "Timestamp", "Q"], ["a", "b", "2024-06-12", "Très bien"]],
                  "cp1252", ",")

    assert read_table(data, "x.csv").rows[0].get("Q") == "Très bien"
    with pytest.raises(InteropError) as caught:
        parse_answers(data, NEXTCLOUD_CSV)
    assert caught.value.line == 2 and "n'est pas encodé en UTF-8 (octet 0xE8 invalide" in caught.value.detail


def test_a_damaged_ods_content_names_its_line():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)
        archive.writestr("content.xml", f'<?xml version="1.0"?>\n<office:document-content {NS}>\n<pas du xml')

    with pytest.raises(TableError, match=r"ODS illisible ou endommagé \(XML mal formé, ligne 3"):
        read_rows(buffer.getvalue(), "x.ods")


def test_an_ods_without_a_table_is_reported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE)
        archive.writestr("content.xml", f"<office:document-content {NS}><office:body/></office:document-content>")

    with pytest.raises(TableError, match="aucune feuille"):
        read_rows(buffer.getvalue(), "x.ods")
