"""`bilan import questionnaire` and `bilan import answers` on real files.

Round trips: each answer fixture (written to its format's description) is
imported, then `bilan results` must give the counts read from the raw file by
a naive reading (csv module, headings looked up by hand).
"""

import csv
import io
import json
from collections import Counter

import openpyxl
import pytest
from django.core.management import CommandError
from django.utils import timezone
from odfdo import Document, Table

from bilan.surveys.models import Campaign, QuestionnaireVersion, Response
from tests.interop_django.conftest import ENQUETE, run

ROLE = {"Collège": "college", "Lycée": "lycee", "Lycée professionnel": "lp"}
TOOLS = {"ENT": "ent", "Pix": "pix", "Tchap": "tchap", "Visio, classe virtuelle": "visio"}
FREQ = {"Souvent": "souvent", "Parfois": "parfois", "Jamais": "jamais"}
YES_NO = {"Oui": "yes", "Non": "no", "Y": "yes", "N": "no"}
FREQ_TEXT = "À quelle fréquence accompagnez-vous ces publics ?"


def _version(code):
    return QuestionnaireVersion.objects.get(code=code).schema


# --------------------------------------------------------------------------- questionnaires


@pytest.mark.parametrize("name, code, count, types, texts", [
    ("answers.lss", None, 2, {"multiple": 1, "grid": 1}, {"Q01": "This is the first question"}),
    ("survey.lss", "limesurvey-123456", 3, {"longtext": 1, "scale": 1, "yesno": 1},
     {"G01Q01": "Text for first question"}),
    ("limesurvey_survey_432535.lss", "limesurvey-432535", 2, {"scale": 1, "longtext": 1},
     {"G01Q01": "Text for question 1"}),
    ("limesurvey-form.txt", None, 241, {"single": 134, "longtext": 94, "multiple": 11, "grid": 2}, {}),
    ("FormsPreprocessors_sample_data.csv", None, 11, {"single": 2, "multiple": 7, "number": 1, "grid": 1},
     {"Q1": "Gender", "Q6": "Lastvisit"}),
])
def test_each_real_sample_imports_as_a_questionnaire(db, samples, name, code, count, types, texts):
    out, _ = run("import", "questionnaire", str(samples / name))
    assert "Import terminé." in out
    version = QuestionnaireVersion.objects.get() if code is None else QuestionnaireVersion.objects.get(code=code)
    schema = version.schema
    assert len(schema.questions) == count
    assert Counter(q.type.value for q in schema.questions) == types
    for question_code, text in texts.items():
        assert schema.question(question_code).text == text
    assert f"{count} question(s)" in out


def test_a_sample_imported_twice_is_the_same_version(db, samples, tmp_path):
    run("import", "questionnaire", str(samples / "survey.lss"))
    copy = tmp_path / "copie.lss"
    copy.write_bytes((samples / "survey.lss").read_bytes())
    out, _ = run("import", "questionnaire", str(copy))
    assert "déjà enregistré, identique" in out
    assert QuestionnaireVersion.objects.count() == 1


def test_another_questionnaire_under_the_same_code_and_version_is_refused(db, samples, tmp_path):
    run("import", "questionnaire", str(samples / "survey.lss"))
    changed = tmp_path / "change.lss"
    changed.write_bytes((samples / "survey.lss").read_bytes().replace(b"First Group",
                                                                       b"Premier groupe"))
    with pytest.raises(CommandError) as error:
        run("import", "questionnaire", str(changed))
    assert "existe déjà avec un autre contenu" in str(error.value)
    assert QuestionnaireVersion.objects.count() == 1


def test_the_campaign_option_creates_a_closed_campaign_for_past_answers(academie):
    out, _ = run("import", "questionnaire", str(ENQUETE), "--campaign", "enquete-2023", "--school-year", "2022-2023")
    campaign = Campaign.objects.get(slug="enquete-2023")
    assert (campaign.state, campaign.school_year, campaign.academie) == ("closed", "2022-2023", academie)
    assert campaign.questionnaire.code == "enquete-interop"
    assert timezone.localtime(campaign.opens_at).date().isoformat() == "2022-09-01"
    assert "enquete-2023" in out


def test_a_campaign_without_a_school_year_is_refused_and_nothing_is_saved(academie, samples):
    with pytest.raises(CommandError) as error:
        run("import", "questionnaire", str(samples / "survey.lss"), "--campaign", "passe")
    assert "--school-year" in str(error.value) and "rien n'a été enregistré" in str(error.value)
    assert not QuestionnaireVersion.objects.exists() and not Campaign.objects.exists()


def test_a_malformed_lss_is_refused_with_its_line(db, samples, tmp_path):
    path = tmp_path / "tronque.lss"
    path.write_bytes((samples / "answers.lss").read_bytes()[:5000])
    with pytest.raises(CommandError) as error:
        run("import", "questionnaire", str(path))
    assert "ligne" in str(error.value) and "XML mal formé" in str(error.value)
    assert not QuestionnaireVersion.objects.exists()


def test_the_limesurvey_codes_of_split_questions_are_kept_to_match_answers(academie, data_dir, tmp_path):
    run("import", "questionnaire", str(data_dir / "old_layout.lss"), "--campaign", "ancien", "--school-year",
        "2021-2022")
    version = Campaign.objects.get(slug="ancien").questionnaire
    assert "# bilan-source-codes: " in version.source_yaml
    path = tmp_path / "reponses.csv"
    path.write_text("id;submitdate;NB[DEB];NB[EXP]\n1;2022-06-01 10:00:00;3;4\n", encoding="utf-8")
    run("import", "answers", str(path), "--campaign", "ancien", "--allow-unmatched")
    assert Response.objects.get().answers == {"NB_DEB": 3, "NB_EXP": 4}


# --------------------------------------------------------------------------- answer round trips


def _limesurvey_expected(raw):
    rows = [r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";") if r["submitdate"]]
    return [{
        "ROLE": {"-oth-": "other"}.get(r["ROLE"], r["ROLE"]),
        "OUTILS": [c for c in ("ent", "pix", "tchap", "visio") if r[f"OUTILS[{c}]"] == "Y"]
        + (["other"] if r["OUTILS[other]"] else []),
        "ATELIERS": YES_NO.get(r["ATELIERS"]),
        "FREQ": {row: r[f"FREQ[{row}]"] for row in ("eleves", "collegues") if r[f"FREQ[{row}]"]},
        "SATISF": r["SATISF"],
    } for r in rows]


def _labels_expected(role, tools, ateliers, eleves, collegues, satisf):
    freq = {row: FREQ[value] for row, value in (("eleves", eleves), ("collegues", collegues)) if value}
    return {"ROLE": ROLE.get(role, "other") if role else "", "OUTILS": tools, "ATELIERS": YES_NO.get(ateliers),
            "FREQ": freq, "SATISF": satisf}


def _framaforms_expected(raw):
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8")), delimiter="\t"))
    labels, body = lines[2], [row for row in lines[3:] if any(row)]
    at = {label: index for index, label in enumerate(labels)}
    result = []
    for row in body:
        tools = ([code for label, code in TOOLS.items() if row[at[label]] == "X"]
                 + (["other"] if row[at["Autre"]] else []))
        result.append(_labels_expected(row[7], tools, row[at["Avez-vous animé des ateliers cette année ?"]],
                                       row[at["Élèves"]], row[at["Collègues"]],
                                       row[at["Êtes-vous satisfait·e de votre mission ?"]]))
    return result


def _tools_from_joined(value, separator):
    pieces = [p for p in value.split(separator) if p] if separator == "; " else None
    if pieces is None:  # Google: labels may hold the ", " that joins them
        pieces, remaining = [], value
        for label in sorted(TOOLS, key=len, reverse=True):
            if label in remaining:
                pieces.append(label)
                remaining = remaining.replace(label, "")
        if remaining.strip(", "):
            pieces.append(remaining.strip(", "))
    return [TOOLS.get(p, "other") for p in pieces]


def _nextcloud_rows(raw):
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    return rows[0], rows[2:]


def _nextcloud_expected(raw):
    _, body = _nextcloud_rows(raw)
    return [_labels_expected(r[4], _tools_from_joined(r[5], "; "), r[6], r[7], r[8], r[9]) for r in body]


def _google_expected(raw):
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    return [_labels_expected(r[2], _tools_from_joined(r[3], ", "), r[4], r[5], r[6], r[7]) for r in rows[1:]]


def _nextcloud_table(raw):
    """The Nextcloud answers in the older spreadsheet layout (no id column, no hidden row), numbers typed."""
    header, body = _nextcloud_rows(raw)
    table = [header[1:]] + [row[1:] for row in body]
    for row in table[1:]:
        row[8] = int(row[8])
    return table


def _as_xlsx(raw, path):
    workbook = openpyxl.Workbook()
    for row in _nextcloud_table(raw):
        workbook.active.append(row)
    workbook.save(path)


def _as_ods(raw, path):
    document = Document("spreadsheet")
    document.body.clear()
    sheet = Table("Réponses")
    for index, row in enumerate(_nextcloud_table(raw)):
        sheet.set_row_values(index, row)
    document.body.append(sheet)
    document.save(path)


FORMATS = {
    "limesurvey_csv": ("limesurvey_responses.csv", None, _limesurvey_expected),
    "framaforms": ("framaforms.tsv", None, _framaforms_expected),
    "nextcloud_csv": ("nextcloud.csv", None, _nextcloud_expected),
    "nextcloud_xlsx": ("nextcloud.csv", _as_xlsx, _nextcloud_expected),
    "nextcloud_ods": ("nextcloud.csv", _as_ods, _nextcloud_expected),
    "google_forms_csv": ("google_forms.csv", None, _google_expected),
}


def _results(slug, tmp_path):
    out = tmp_path / "resultats.json"
    run("results", slug, "--format", "json", "--out", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    return {q["code"]: q for q in data["questions"]}, data


@pytest.mark.parametrize("file_format", sorted(FORMATS))
def test_each_answer_format_round_trips_to_the_results(enquete_campaign, data_dir, tmp_path, file_format):
    name, convert, expected_of = FORMATS[file_format]
    raw = (data_dir / name).read_bytes()
    path = data_dir / name
    if convert is not None:
        path = tmp_path / f"reponses.{file_format.rsplit('_', 1)[1]}"
        convert(raw, path)
    out, _ = run("import", "answers", str(path), "--campaign", "enquete-2023")
    assert "lu comme" in out and "Import terminé." in out
    expected = expected_of(raw)
    questions, data = _results("enquete-2023", tmp_path)

    assert data["respondents"] == len(expected) == Response.objects.filter(campaign=enquete_campaign).count()
    counts = {o["code"]: o["count"] for o in questions["ROLE"]["options"] if o["count"]}
    assert counts == dict(Counter(e["ROLE"] for e in expected if e["ROLE"]))
    counts = {o["code"]: o["count"] for o in questions["OUTILS"]["options"] if o["count"]}
    assert counts == dict(Counter(code for e in expected for code in e["OUTILS"]))
    counts = {o["code"]: o["count"] for o in questions["ATELIERS"]["options"] if o["count"]}
    assert counts == dict(Counter(e["ATELIERS"] for e in expected if e["ATELIERS"]))
    cells = {(row["code"], c["code"]): c["count"] for row in questions["FREQ"]["rows"] for c in row["columns"]
             if c["count"]}
    assert cells == dict(Counter(item for e in expected for item in e["FREQ"].items()))
    satisfaction = [int(e["SATISF"]) for e in expected if e["SATISF"]]
    assert questions["SATISF"]["numeric"]["n"] == len(satisfaction)
    assert questions["SATISF"]["numeric"]["mean"] == pytest.approx(sum(satisfaction) / len(satisfaction))


def test_values_outside_the_options_are_reported(enquete_campaign, data_dir):
    out, _ = run("import", "answers", str(data_dir / "google_forms.csv"), "--campaign", "enquete-2023")
    nbsp = "\u00a0"
    assert (f"question OUTILS{nbsp}: 1 valeur(s) hors des choix reprise(s) comme «{nbsp}Autre{nbsp}» "
            f"(«{nbsp}Mastodon{nbsp}»)") in out
    assert sum("other" in r.answers.get("OUTILS", []) for r in Response.objects.all()) == 1


def test_the_google_forms_sample_imports_into_the_questionnaire_it_proposes(academie, samples):
    sample = samples / "FormsPreprocessors_sample_data.csv"
    run("import", "questionnaire", str(sample), "--campaign", "google", "--school-year", "2021-2022")
    run("import", "answers", str(sample), "--campaign", "google")
    rows = list(csv.DictReader(io.StringIO(sample.read_text(encoding="utf-8"))))
    assert Response.objects.count() == len(rows) == 20
    schema = Campaign.objects.get(slug="google").questionnaire.schema
    apple = next(c.code for c in schema.question("Q4").choices if c.label == "Apple")
    assert sum(apple in r.answers.get("Q4", []) for r in Response.objects.all()) == sum(
        "Apple" in row["Fruit"].split(";") for row in rows)
    assert Response.objects.filter(submitted_on__isnull=False).count() == 20


# --------------------------------------------------------------------------- refusals, strata, options


def _write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_value_matching_no_option_is_refused_with_line_and_column_and_nothing_is_imported(
        enquete_campaign, tmp_path):
    path = _write(tmp_path, "r.csv", "id;submitdate;ATELIERS;SATISF\n1;2023-06-01;Y;4\n2;2023-06-02;Peut-être;9\n")
    with pytest.raises(CommandError) as error:
        run("import", "answers", str(path), "--campaign", "enquete-2023")
    message = str(error.value)
    assert "ligne 3, colonne «\u00a0ATELIERS\u00a0»" in message and "Peut-être" in message
    assert "rien n'a été enregistré" in message
    assert not Response.objects.exists()


def test_a_file_in_latin_1_is_refused_with_its_line(enquete_campaign, tmp_path):
    path = _write(tmp_path, "r.csv", "id;submitdate;COMMENT\n1;2023-06-01;Très bien\n", encoding="latin-1")
    with pytest.raises(CommandError) as error:
        run("import", "answers", str(path), "--campaign", "enquete-2023")
    assert "ligne 2" in str(error.value) and "UTF-8" in str(error.value)
    assert not Response.objects.exists()


def test_an_unknown_column_is_refused_unless_allowed_or_assigned(enquete_campaign, tmp_path):
    path = _write(tmp_path, "r.csv", "Horodateur,Votre ressenti (1 à 5)\n2023-06-01 10:00:00,4\n")
    with pytest.raises(CommandError) as error:
        run("import", "answers", str(path), "--campaign", "enquete-2023")
    assert "colonne inconnue" in str(error.value) and "Votre ressenti" in str(error.value)
    assert not Response.objects.exists()
    run("import", "answers", str(path), "--campaign", "enquete-2023", "--map", "Votre ressenti (1 à 5)=SATISF")
    assert Response.objects.get().answers == {"SATISF": 4}


def test_a_second_import_needs_replace_or_append(enquete_campaign, data_dir):
    path = str(data_dir / "google_forms.csv")
    run("import", "answers", path, "--campaign", "enquete-2023")
    with pytest.raises(CommandError) as error:
        run("import", "answers", path, "--campaign", "enquete-2023")
    assert "--replace" in str(error.value)
    run("import", "answers", path, "--campaign", "enquete-2023", "--replace")
    assert Response.objects.count() == 6
    run("import", "answers", path, "--campaign", "enquete-2023", "--append")
    assert Response.objects.count() == 12


def test_a_dry_run_saves_nothing(enquete_campaign, data_dir):
    out, _ = run("import", "answers", str(data_dir / "nextcloud.csv"), "--campaign", "enquete-2023", "--dry-run")
    assert "6 réponse(s) importée(s)" in out and "rien n'a été enregistré" in out
    assert not Response.objects.exists()


def test_strata_come_from_a_uai_or_school_type_column(enquete_campaign, schools, tmp_path):
    college, lp = schools["college"].uai, schools["lp"].uai
    path = _write(tmp_path, "r.csv",
                  "Horodateur,UAI,Type d'établissement,Département,Un commentaire ?\n"
                  f"2023-06-01 10:00:00,{college},,,Bien\n"
                  f"2023-06-02 10:00:00,{lp.lower()},,,Bof\n"
                  "2023-06-03 10:00:00,,Lycée,017,RAS\n"
                  "2023-06-04 10:00:00,0860999Z,,,Rien\n")
    out, _ = run("import", "answers", str(path), "--campaign", "enquete-2023")
    strata = {r.answers["COMMENT"]: (r.school_type, r.departement_code) for r in Response.objects.all()}
    assert strata == {"Bien": ("college", "86"), "Bof": ("lp", "16"), "RAS": ("lycee", "17"), "Rien": ("other", "")}
    assert "UAI absent du référentiel — ligne 5" in out


def test_without_strata_columns_answers_are_other_with_no_departement(enquete_campaign, data_dir):
    run("import", "answers", str(data_dir / "framaforms.tsv"), "--campaign", "enquete-2023")
    assert set(Response.objects.values_list("school_type", "departement_code", "status", "invitation")) == {
        ("other", "", "submitted", None)}


def test_an_unknown_campaign_is_named(db, data_dir):
    with pytest.raises(CommandError) as error:
        run("import", "answers", str(data_dir / "nextcloud.csv"), "--campaign", "nulle-part")
    assert "nulle-part" in str(error.value)
