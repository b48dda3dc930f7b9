"""Each answer format: a fixture written to the format's description round-trips.

The expected counts are computed from the raw file by a naive reading (the
csv module, headings looked up by hand), independently of the parsers.
"""

import csv
import io
from collections import Counter

import openpyxl
import pytest
from odfdo import Document, Table

from bilan.interop.answers_formats import (
    FRAMAFORMS,
    GOOGLE_FORMS_CSV,
    LIMESURVEY_CSV,
    LIMESURVEY_LSS,
    LIMESURVEY_TXT,
    NEXTCLOUD_CSV,
    NEXTCLOUD_ODS,
    NEXTCLOUD_XLSX,
    InteropError,
    detect_format,
    parse_answers,
)
from bilan.interop.mapping import apply_mapping, import_records, propose_mapping

ROLE_LABELS = {"Collège": "college", "Lycée": "lycee", "Lycée professionnel": "lp"}
TOOL_LABELS = {"ENT": "ent", "Pix": "pix", "Tchap": "tchap", "Visio, classe virtuelle": "visio"}
FREQ_TEXT = "À quelle fréquence accompagnez-vous ces publics ?"


def records_of(questionnaire, data, file_format=None, filename=""):
    parsed = parse_answers(data, file_format, filename)
    mapping = propose_mapping(questionnaire, parsed)
    assert mapping.unmatched == []
    return import_records(questionnaire, parsed, mapping, strict=True)


def counts_from_records(records):
    role = Counter(r.answers["ROLE"] for r in records if "ROLE" in r.answers)
    tools = Counter(code for r in records for code in r.answers.get("OUTILS", []))
    yes_no = Counter(r.answers["ATELIERS"] for r in records if "ATELIERS" in r.answers)
    freq = Counter((row, column) for r in records for row, column in r.answers.get("FREQ", {}).items())
    satisfaction = sum(r.answers["SATISF"] for r in records)
    hours = sum(r.answers.get("HEURES", 0) for r in records)
    return role, tools, yes_no, freq, satisfaction, hours


def naive_dicts(text, delimiter=",", skip=0):
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header, body = rows[skip], rows[skip + 1:]
    return header, [dict(zip(header, row, strict=True)) for row in body if any(row)]


def number(text):
    return float(text.replace(",", ".")) if text.strip() else 0


# --------------------------------------------------------------------------- round trips


def test_limesurvey_csv_round_trips(questionnaire, data_dir):
    raw = (data_dir / "limesurvey_responses.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    records = records_of(questionnaire, raw)
    _, rows = naive_dicts(raw.decode("utf-8-sig"), ";")
    expected_role = Counter({"-oth-": "other"}.get(r["ROLE"], r["ROLE"]) for r in rows if r["ROLE"])
    expected_tools = Counter(code for r in rows for code in ("ent", "pix", "tchap", "visio")
                             if r[f"OUTILS[{code}]"] == "Y")
    expected_tools["other"] = sum(1 for r in rows if r["OUTILS[other]"])
    expected_yes_no = Counter({"Y": "yes", "N": "no"}[r["ATELIERS"]] for r in rows if r["ATELIERS"])
    expected_freq = Counter((row, r[f"FREQ[{row}]"]) for r in rows for row in ("eleves", "collegues")
                            if r[f"FREQ[{row}]"])
    role, tools, yes_no, freq, satisfaction, hours = counts_from_records(records)
    assert (role, tools, yes_no, freq) == (expected_role, expected_tools, expected_yes_no, expected_freq)
    assert satisfaction == sum(int(r["SATISF"]) for r in rows)
    assert hours == pytest.approx(sum(number(r["HEURES"]) for r in rows))
    by_line = {r.line: r for r in records}
    assert by_line[5].answers["ROLE.other"] == "EREA"
    assert by_line[2].submitted_at is None  # the 1980-01-01 placeholder of anonymised answers
    assert by_line[4].submitted_at == "2024-06-12 10:31:02"
    assert by_line[7].complete is False  # never submitted


def test_framaforms_round_trips(questionnaire, data_dir):
    raw = (data_dir / "framaforms.tsv").read_bytes()
    records = records_of(questionnaire, raw)
    text = raw.decode("utf-8")
    lines = list(csv.reader(io.StringIO(text), delimiter="\t"))
    labels, body = lines[2], [row for row in lines[3:] if any(row)]
    position = {label: index for index, label in enumerate(labels)}
    expected_role = Counter(ROLE_LABELS.get(row[7], "other") for row in body if row[7])
    expected_tools = Counter(code for row in body for label, code in TOOL_LABELS.items()
                             if row[position[label]] == "X")
    expected_tools["other"] = sum(1 for row in body if row[position["Autre"]])
    expected_yes_no = Counter({"Oui": "yes", "Non": "no"}[row[position["Avez-vous animé des ateliers cette année ?"]]]
                              for row in body if row[position["Avez-vous animé des ateliers cette année ?"]])
    expected_freq = Counter((code, row[position[label]].lower()) for row in body
                            for label, code in (("Élèves", "eleves"), ("Collègues", "collegues"))
                            if row[position[label]])
    role, tools, yes_no, freq, _, hours = counts_from_records(records)
    assert (role, tools, yes_no, freq) == (expected_role, expected_tools, expected_yes_no, expected_freq)
    hours_heading = "Combien d'heures par semaine y consacrez-vous ?"
    assert hours == pytest.approx(sum(number(row[position[hours_heading]]) for row in body))
    assert [r.line for r in records] == [4, 5, 6, 7, 8, 9]


def _nextcloud_expected(header, rows):
    role_heading = header[4]
    tools_heading = header[5]
    expected_role = Counter(ROLE_LABELS.get(r[role_heading], "other") for r in rows if r[role_heading])
    expected_tools = Counter()
    for r in rows:
        for piece in filter(None, r[tools_heading].split("; ")):
            expected_tools[TOOL_LABELS.get(piece, "other")] += 1
    expected_freq = Counter((code, r[f"{FREQ_TEXT} ({label})"].lower()) for r in rows
                            for label, code in (("Élèves", "eleves"), ("Collègues", "collegues"))
                            if r[f"{FREQ_TEXT} ({label})"])
    return expected_role, expected_tools, expected_freq


def test_nextcloud_csv_round_trips(questionnaire, data_dir):
    raw = (data_dir / "nextcloud.csv").read_bytes()
    records = records_of(questionnaire, raw)
    header, rows = naive_dicts(raw.decode("utf-8-sig"))
    rows = rows[1:]  # the hidden row of column ids
    expected_role, expected_tools, expected_freq = _nextcloud_expected(header, rows)
    role, tools, _, freq, satisfaction, _ = counts_from_records(records)
    assert (role, tools, freq) == (expected_role, expected_tools, expected_freq)
    assert satisfaction == sum(int(r[header[9]]) for r in rows)
    assert records[0].answers["OUTILS"] == ["ent", "pix"]


def _nextcloud_table(data_dir):
    """The same answers as nextcloud.csv, old layout (no id column, no hidden row), typed cells."""
    rows = list(csv.reader(io.StringIO((data_dir / "nextcloud.csv").read_text(encoding="utf-8-sig"))))
    table = [rows[0][1:]] + [row[1:] for row in rows[2:]]
    for row in table[1:]:
        row[8] = int(row[8])  # satisfaction, a number cell
        row[9] = float(row[9].replace(",", ".")) if row[9] else None
    return table


def test_nextcloud_xlsx_round_trips(questionnaire, data_dir, tmp_path):
    table = _nextcloud_table(data_dir)
    workbook = openpyxl.Workbook()
    for row in table:
        workbook.active.append(row)
    path = tmp_path / "reponses.xlsx"
    workbook.save(path)
    data = path.read_bytes()
    assert detect_format(path.name, data) == NEXTCLOUD_XLSX
    records = records_of(questionnaire, data)
    header, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    expected_role = Counter(ROLE_LABELS.get(r[header[3]], "other") for r in rows if r[header[3]])
    role, tools, _, _, satisfaction, hours = counts_from_records(records)
    assert role == expected_role
    assert satisfaction == sum(r[header[8]] for r in rows)
    assert hours == pytest.approx(sum(r[header[9]] or 0 for r in rows))
    assert tools["visio"] == sum(1 for r in rows if "Visio, classe virtuelle" in r[header[4]])


def test_nextcloud_ods_round_trips(questionnaire, data_dir, tmp_path):
    table = _nextcloud_table(data_dir)
    document = Document("spreadsheet")
    document.body.clear()
    sheet = Table("Réponses")
    for index, row in enumerate(table):
        sheet.set_row_values(index, ["" if value is None else value for value in row])
    document.body.append(sheet)
    path = tmp_path / "reponses.ods"
    document.save(path)
    data = path.read_bytes()
    assert detect_format(path.name, data) == NEXTCLOUD_ODS
    records = records_of(questionnaire, data)
    header, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    role, _, _, freq, satisfaction, _ = counts_from_records(records)
    assert role == Counter(ROLE_LABELS.get(r[header[3]], "other") for r in rows if r[header[3]])
    assert satisfaction == sum(r[header[8]] for r in rows)
    assert freq[("eleves", "souvent")] == sum(1 for r in rows if r[header[6]] == "Souvent")


def test_google_forms_csv_round_trips(questionnaire, data_dir):
    raw = (data_dir / "google_forms.csv").read_bytes()
    records = records_of(questionnaire, raw)
    header, rows = naive_dicts(raw.decode("utf-8"))
    expected_role = Counter(ROLE_LABELS.get(r[header[2]], "other") for r in rows if r[header[2]])
    # Labels may hold the ", " that joins them: count known labels by hand.
    expected_tools = Counter()
    for r in rows:
        remaining = r[header[3]]
        for label, code in sorted(TOOL_LABELS.items(), key=lambda item: -len(item[0])):
            if label in remaining:
                expected_tools[code] += 1
                remaining = remaining.replace(label, "")
        if remaining.strip(", "):
            expected_tools["other"] += 1
    role, tools, _, freq, _, _ = counts_from_records(records)
    assert (role, tools) == (expected_role, expected_tools)
    assert freq[("collegues", "jamais")] == sum(1 for r in rows if r[f"{FREQ_TEXT} [Collègues]"] == "Jamais")
    assert records[2].answers["OUTILS.other"] == "Mastodon"


def test_the_real_google_forms_sample_is_read(samples):
    parsed = parse_answers((samples / "FormsPreprocessors_sample_data.csv").read_bytes(), filename="x.csv")
    assert parsed.format == GOOGLE_FORMS_CSV
    assert len(parsed.rows) == 20
    assert [c.meta for c in parsed.columns if c.kind == "meta"] == ["timestamp"]
    grid = [c for c in parsed.columns if c.question == "Lastvisit"]
    assert [c.part for c in grid] == ["SM", "CVS", "DS", "Vendor"]


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize("name, expected", [
    ("limesurvey_responses.csv", LIMESURVEY_CSV), ("framaforms.tsv", FRAMAFORMS),
    ("nextcloud.csv", NEXTCLOUD_CSV), ("google_forms.csv", GOOGLE_FORMS_CSV), ("old_layout.lss", LIMESURVEY_LSS),
])
def test_the_format_is_detected_from_the_content(data_dir, name, expected):
    assert detect_format("reponses.dat", (data_dir / name).read_bytes()) == expected


def test_the_limesurvey_txt_is_detected(samples):
    assert detect_format("form.txt", (samples / "limesurvey-form.txt").read_bytes()) == LIMESURVEY_TXT


def test_an_unknown_format_is_refused():
    with pytest.raises(InteropError, match="format de fichier non reconnu"):
        detect_format("x.csv", "nom,prénom\nDupont,Anne\n".encode())


# --------------------------------------------------------------------------- malformed files


FIXTURES = {
    LIMESURVEY_CSV: ("limesurvey_responses.csv", ";"),
    FRAMAFORMS: ("framaforms.tsv", "\t"),
    NEXTCLOUD_CSV: ("nextcloud.csv", ","),
    GOOGLE_FORMS_CSV: ("google_forms.csv", ","),
}
# (line of the data row to spoil, heading of the yes/no column, a value that is no option)
YES_NO_COLUMN = {
    LIMESURVEY_CSV: (3, "ATELIERS", "Peut-être"),
    FRAMAFORMS: (5, "Avez-vous animé des ateliers cette année ?", "Peut-être"),
    NEXTCLOUD_CSV: (4, "Avez-vous animé des ateliers cette année ?", "Peut-être"),
    GOOGLE_FORMS_CSV: (3, "Avez-vous animé des ateliers cette année ?", "Peut-être"),
}


COMMENT_HEADING = {LIMESURVEY_CSV: "COMMENT", FRAMAFORMS: "Dans quel type d'établissement exercez-vous ?",
                   NEXTCLOUD_CSV: "Un commentaire ?", GOOGLE_FORMS_CSV: "Un commentaire ?"}


def _lines(data_dir, file_format):
    name, delimiter = FIXTURES[file_format]
    text = (data_dir / name).read_text(encoding="utf-8-sig")
    return text.split("\n"), delimiter


def _header_line(file_format):
    return 3 if file_format == FRAMAFORMS else 1


ACCENTED_LINE = {LIMESURVEY_CSV: 2, FRAMAFORMS: 4, NEXTCLOUD_CSV: 3, GOOGLE_FORMS_CSV: 2}
# where to insert an extra column: a place where it cannot be taken for a part of another question
INSERT_AT = {LIMESURVEY_CSV: 5, FRAMAFORMS: 8, NEXTCLOUD_CSV: 5, GOOGLE_FORMS_CSV: 3}


def _insert_column(lines, file_format, heading, value):
    _, delimiter = FIXTURES[file_format]
    header_index = _header_line(file_format) - 1
    position = INSERT_AT[file_format]
    result = list(lines)
    for index in range(len(lines)):
        if index > header_index and not lines[index].strip():
            continue
        cells = next(csv.reader([lines[index]], delimiter=delimiter))
        # Framaforms' first two header rows get an empty cell
        cells.insert(position, heading if index == header_index else value if index > header_index else "")
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
        result[index] = out.getvalue()
    return result


@pytest.mark.parametrize("file_format", list(FIXTURES))
def test_a_wrong_encoding_is_refused_with_its_line(data_dir, file_format):
    lines, _ = _lines(data_dir, file_format)
    line_number = ACCENTED_LINE[file_format]
    spoiled = [line.encode("utf-8") for line in lines]
    spoiled[line_number - 1] = lines[line_number - 1].encode("latin-1")
    # the earlier lines stay valid UTF-8 only if they hold no accent: make them ASCII
    for index in range(line_number - 1):
        spoiled[index] = lines[index].encode("ascii", "replace")
    with pytest.raises(InteropError) as error:
        parse_answers(b"\n".join(spoiled), file_format)
    assert error.value.line == line_number
    assert "UTF-8" in str(error.value) and f"ligne {line_number}" in str(error.value)


@pytest.mark.parametrize("file_format", list(FIXTURES))
def test_a_truncated_row_is_refused_with_line_and_column(data_dir, file_format):
    lines, delimiter = _lines(data_dir, file_format)
    line_number = YES_NO_COLUMN[file_format][0]
    cells = next(csv.reader([lines[line_number - 1]], delimiter=delimiter))
    lines[line_number - 1] = delimiter.join(f'"{c}"' if delimiter in c else c for c in cells[:5])
    with pytest.raises(InteropError) as error:
        parse_answers("\n".join(lines).encode("utf-8"), file_format)
    assert error.value.line == line_number
    assert error.value.column
    assert "ligne tronquée" in str(error.value) and "5 valeurs" in str(error.value)


@pytest.mark.parametrize("file_format", list(FIXTURES))
def test_a_duplicate_header_is_refused_with_line_and_column(data_dir, file_format):
    lines, _ = _lines(data_dir, file_format)
    heading = COMMENT_HEADING[file_format]
    lines = _insert_column(lines, file_format, heading, "")
    with pytest.raises(InteropError) as error:
        parse_answers("\n".join(lines).encode("utf-8"), file_format)
    assert error.value.line == _header_line(file_format)
    assert error.value.column == heading
    assert "en double" in str(error.value)


@pytest.mark.parametrize("file_format", list(FIXTURES))
def test_an_unknown_column_is_refused_when_the_mapping_is_strict(questionnaire, data_dir, file_format):
    lines, _ = _lines(data_dir, file_format)
    lines = _insert_column(lines, file_format, "Couleur préférée", "bleu")
    parsed = parse_answers("\n".join(lines).encode("utf-8"), file_format)
    mapping = propose_mapping(questionnaire, parsed)
    with pytest.raises(InteropError) as error:
        apply_mapping(questionnaire, parsed, mapping, strict=True)
    assert error.value.line == _header_line(file_format)
    assert error.value.column == "Couleur préférée"
    assert "colonne inconnue" in str(error.value)
    # not strict: the column is left aside and the rest imports
    records, problems = apply_mapping(questionnaire, parsed, mapping)
    assert problems == [] and len(records) == 6


@pytest.mark.parametrize("file_format", list(FIXTURES))
def test_a_value_matching_no_option_is_refused_and_nothing_is_imported(questionnaire, data_dir, file_format):
    lines, delimiter = _lines(data_dir, file_format)
    line_number, heading, bad = YES_NO_COLUMN[file_format]
    header = next(csv.reader([lines[_header_line(file_format) - 1]], delimiter=delimiter))
    cells = next(csv.reader([lines[line_number - 1]], delimiter=delimiter))
    cells[header.index(heading)] = bad
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(cells)
    lines[line_number - 1] = out.getvalue()
    parsed = parse_answers("\n".join(lines).encode("utf-8"), file_format)
    mapping = propose_mapping(questionnaire, parsed)
    records, problems = apply_mapping(questionnaire, parsed, mapping, strict=True)
    assert len(records) == 5 and len(problems) == 1
    assert str(problems[0]) == (
        f"ligne {line_number}, colonne «\xa0{heading}\xa0»\xa0: «\xa0Peut-être\xa0» ne correspond à aucun choix "
        "de la question ATELIERS (choix\xa0: Oui, Non)"
    )
    with pytest.raises(InteropError) as error:
        import_records(questionnaire, parsed, mapping, strict=True)
    assert (error.value.line, error.value.column) == (line_number, heading)
    assert "rien n'a été importé" in str(error.value)


def test_an_unclosed_quote_is_reported_as_a_truncated_file(data_dir):
    text = (data_dir / "google_forms.csv").read_text(encoding="utf-8")
    with pytest.raises(InteropError) as error:
        parse_answers((text + '12/06/2024 11:00:00,x@y.fr,Collège,"ENT, Pix').encode(), GOOGLE_FORMS_CSV)
    assert error.value.line == 8
    assert "fin de fichier inattendue" in str(error.value)


def test_a_damaged_spreadsheet_is_refused_in_french(data_dir, tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["User ID", "User display name", "Timestamp", "Un commentaire ?"])
    path = tmp_path / "reponses.xlsx"
    workbook.save(path)
    data = path.read_bytes()
    with pytest.raises(InteropError, match=r"endommagée|illisible"):
        parse_answers(data[: len(data) // 2], filename=path.name)
    with pytest.raises(InteropError, match="XLSX illisible"):
        parse_answers(data[: len(data) // 2], NEXTCLOUD_XLSX)
