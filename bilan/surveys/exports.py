"""Raw answers of a campaign: one row per response, one column per question code, and a codebook.

Formats: CSV (UTF-8 with BOM, semicolons: what a French spreadsheet opens by
double-click; one table, its codebook in a second CSV), XLSX and ODS (sheets
« Réponses » and « Codes »), JSON. Values are the stored codes; the codebook
sheet gives every code's label. Personal data (referent, e-mail, school) is
added only when asked for, and never for an anonymous campaign: the caller
decides who may ask (:func:`may_see_personal_data`).

Only sent answers are exported (drafts are unfinished work, left out as in
the results). Spreadsheet columns: ``CODE`` for single choice, yes/no, scale, number and
text; a multiple choice is one ``CODE`` column with the chosen codes joined by
`` ; ``; a grid is one ``CODE[row]`` column per row (the LimeSurvey layout);
the free text of an « Autre » option is in ``CODE.other``.
"""

from __future__ import annotations

import json
from typing import Any

from bilan.core.models import Role
from bilan.core.permissions import has_role
from bilan.interop.spreadsheets import FORMATS as SHEET_FORMATS
from bilan.interop.spreadsheets import Sheet, write_sheets
from bilan.questionnaire.schema import Question, Questionnaire, QuestionType, other_key
from bilan.surveys.models import Campaign, Response, ResponseStatus

EXPORT_FORMATS = ("csv", "xlsx", "ods", "json")
MULTIPLE_SEPARATOR = " ; "
STRATA_HEADER = ["réponse", "état", "envoyée le", "type d'établissement", "département"]
PERSONAL_HEADER = ["nom", "prénom", "courriel", "UAI", "établissement"]
TYPE_NAMES_FR = {
    QuestionType.SINGLE: "choix unique", QuestionType.MULTIPLE: "choix multiple", QuestionType.YESNO: "oui/non",
    QuestionType.GRID: "tableau", QuestionType.SCALE: "échelle", QuestionType.NUMBER: "nombre",
    QuestionType.TEXT: "texte", QuestionType.LONGTEXT: "texte long",
}
CODEBOOK_HEADER = ["colonne", "question", "section", "type", "intitulé", "ligne", "code", "libellé"]


def may_see_personal_data(user, campaign: Campaign) -> bool:
    """Pilots of the campaign's académie, and only for a named (not anonymous) campaign."""
    return not campaign.anonymous and has_role(user, campaign.academie_id, Role.PILOT)


def answer_columns(schema: Questionnaire) -> list[tuple[str, Question, str]]:
    """(column heading, question, part) for every answer column, in questionnaire order."""
    columns = []
    for question in schema.questions:
        if question.type is QuestionType.GRID:
            columns.extend((f"{question.code}[{row.code}]", question, row.code) for row in question.rows)
        else:
            columns.append((question.code, question, ""))
        if question.other:
            columns.append((other_key(question.code), question, "other"))
    return columns


def _cell(answers: dict[str, Any], question: Question, part: str) -> Any:
    if part == "other":
        return answers.get(other_key(question.code), "")
    value = answers.get(question.code)
    if value is None:
        return ""
    if question.type is QuestionType.GRID:
        return value.get(part, "") if isinstance(value, dict) else ""
    if question.type is QuestionType.MULTIPLE:
        return MULTIPLE_SEPARATOR.join(value)
    return value


def codebook_rows(schema: Questionnaire) -> list[list[Any]]:
    """One row per column and value: what each code of the export means."""
    rows = []
    section_of = {q.code: s.code for s in schema.sections for q in s.questions}
    for heading, question, part in answer_columns(schema):
        head = [heading, question.code, section_of[question.code], TYPE_NAMES_FR[question.type], question.text]
        if part == "other":
            rows.append([*head, "", "", f"précision de « {question.other_label} » (texte libre)"])
        elif question.type is QuestionType.GRID:
            label = next(r.label for r in question.rows if r.code == part)
            rows.extend([*head, label, c.code, c.label] for c in question.columns)
        elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YESNO):
            rows.extend([*head, "", c.code, c.label] for c in question.all_choices)
        elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
            bounds = f"de {question.min if question.min is not None else '…'} à " \
                     f"{question.max if question.max is not None else '…'}"
            rows.append([*head, "", "", f"nombre {bounds}"])
        else:
            rows.append([*head, "", "", "texte libre"])
    return rows


def _responses(campaign: Campaign, personal: bool):
    # Sent answers only: a draft is the respondent's unfinished work, as in the results.
    responses = Response.objects.filter(campaign=campaign, status=ResponseStatus.SUBMITTED).order_by("pk")
    if personal:
        responses = responses.select_related("invitation__referent", "invitation__school")
    return responses


def _personal_cells(response: Response) -> list[str]:
    invitation = response.invitation
    if invitation is None:
        return [""] * len(PERSONAL_HEADER)
    referent, school = invitation.referent, invitation.school
    return [referent.last_name, referent.first_name, referent.email, school.uai, school.name]


def answer_sheets(campaign: Campaign, *, personal: bool = False) -> list[Sheet]:
    """The « Réponses » sheet and the « Codes » sheet (codebook)."""
    personal = personal and not campaign.anonymous
    schema = campaign.questionnaire.schema
    columns = answer_columns(schema)
    header = STRATA_HEADER + (PERSONAL_HEADER if personal else []) + [heading for heading, _, _ in columns]
    statuses = dict(ResponseStatus.choices)
    rows = []
    for response in _responses(campaign, personal):
        answers = response.answers or {}
        row = [response.pk, statuses.get(response.status, response.status),
               response.submitted_on.isoformat() if response.submitted_on else "", response.school_type,
               response.departement_code]
        if personal:
            row += _personal_cells(response)
        row += [_cell(answers, question, part) for _, question, part in columns]
        rows.append(row)
    return [Sheet("Réponses", header, rows), Sheet("Codes", CODEBOOK_HEADER, codebook_rows(schema))]


def answers_document(campaign: Campaign, *, personal: bool = False) -> dict[str, Any]:
    """The JSON export: answers as stored (lists, grids as objects) and the codebook."""
    personal = personal and not campaign.anonymous
    schema = campaign.questionnaire.schema
    responses = []
    for response in _responses(campaign, personal):
        entry: dict[str, Any] = {
            "id": response.pk, "status": response.status,
            "submitted_on": response.submitted_on.isoformat() if response.submitted_on else None,
            "school_type": response.school_type, "departement_code": response.departement_code,
        }
        if personal:
            entry["person"] = dict(zip(("last_name", "first_name", "email", "uai", "school"),
                                       _personal_cells(response), strict=True)) if response.invitation_id else None
        entry["answers"] = response.answers or {}
        responses.append(entry)
    codebook = [dict(zip(("column", "question", "section", "type", "text", "row", "code", "label"), row, strict=True))
                for row in codebook_rows(schema)]
    return {"format": "bilan-answers/1", "campaign": campaign.slug, "school_year": campaign.school_year,
            "questionnaire_code": schema.code, "questionnaire_version": schema.version,
            "personal_data": personal, "responses": responses, "codebook": codebook}


def export_answers(campaign: Campaign, fmt: str, *, personal: bool = False) -> tuple[str, str, bytes]:
    """``(filename, mimetype, bytes)`` of the raw answers in ``fmt`` (csv, xlsx, ods or json)."""
    basename = f"reponses-{campaign.slug}"
    if fmt == "json":
        data = json.dumps(answers_document(campaign, personal=personal), ensure_ascii=False, indent=1)
        return f"{basename}.json", "application/json", data.encode("utf-8")
    if fmt not in SHEET_FORMATS:
        raise ValueError(f"format « {fmt} » inconnu (formats possibles : {', '.join(EXPORT_FORMATS)})")
    sheets = answer_sheets(campaign, personal=personal)
    if fmt == "csv":
        # A CSV is one table: the codebook goes in its own file (export_codebook).
        sheets = sheets[:1]
    return write_sheets(basename, sheets, fmt)


def export_codebook(campaign: Campaign) -> tuple[str, str, bytes]:
    """The codebook alone, as CSV: companion of the CSV export."""
    schema = campaign.questionnaire.schema
    return write_sheets(f"codes-{campaign.slug}", [Sheet("Codes", CODEBOOK_HEADER, codebook_rows(schema))], "csv")
