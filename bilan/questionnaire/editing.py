"""Editing a questionnaire without writing YAML: pure transformations of its data.

The browser's editor (bilan/surveys/views_questionnaire.py) works on the questionnaire as plain
data, the dict our YAML files hold (:func:`to_data`): each function here changes that dict in
place — add, rename, remove or move a section or a question, change a question's wording, type,
choices, rows and columns or display condition. :func:`check` then reloads the result through
the one loader (:func:`bilan.questionnaire.parse_questionnaire`), so that a questionnaire made in
the browser obeys the same rules as a file, and :func:`dump` writes the YAML that is stored.

Codes are what year-over-year comparisons rest on: an edit keeps the code of every question and
choice it does not remove; new ones get a code made from their wording (:func:`make_code`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

import yaml

from bilan.questionnaire.loader import QuestionnaireError, parse_questionnaire
from bilan.questionnaire.schema import Question, Questionnaire, QuestionType

CODE_MAX = 40
TYPE_LABELS = {
    QuestionType.SINGLE: "Choix unique",
    QuestionType.MULTIPLE: "Choix multiples",
    QuestionType.YESNO: "Oui / non",
    QuestionType.GRID: "Grille (lignes × colonnes)",
    QuestionType.SCALE: "Échelle",
    QuestionType.NUMBER: "Nombre",
    QuestionType.TEXT: "Texte court",
    QuestionType.LONGTEXT: "Texte long",
}
# Keys that only make sense for some types: dropped when a question changes type.
TYPE_KEYS = {
    "choices": (QuestionType.SINGLE, QuestionType.MULTIPLE),
    "other": (QuestionType.SINGLE, QuestionType.MULTIPLE),
    "other_label": (QuestionType.SINGLE, QuestionType.MULTIPLE),
    "max_choices": (QuestionType.MULTIPLE,),
    "rows": (QuestionType.GRID,),
    "columns": (QuestionType.GRID,),
    "min": (QuestionType.SCALE, QuestionType.NUMBER),
    "max": (QuestionType.SCALE, QuestionType.NUMBER),
    "min_label": (QuestionType.SCALE,),
    "max_label": (QuestionType.SCALE,),
    "integer": (QuestionType.NUMBER,),
    "max_length": (QuestionType.TEXT, QuestionType.LONGTEXT),
}
QUESTION_IN_PROBLEM = re.compile(r"^question ([A-Za-z][A-Za-z0-9_]*) :")


class EditError(ValueError):
    """An edit that names a section or question the questionnaire does not have (French message)."""


# --------------------------------------------------------------------------- data <-> YAML


def to_data(questionnaire: Questionnaire) -> dict[str, Any]:
    """Our YAML format as a dict, reloadable by :func:`parse_questionnaire`: the one serializer
    (the LimeSurvey imports write theirs with it, as ``to_yaml_dict``)."""
    data: dict[str, Any] = {"code": questionnaire.code, "version": questionnaire.version,
                            "title": questionnaire.title}
    if questionnaire.description:
        data["description"] = questionnaire.description
    data["language"] = questionnaire.language
    data["sections"] = []
    for section in questionnaire.sections:
        entry: dict[str, Any] = {"code": section.code, "title": section.title}
        if section.description:
            entry["description"] = section.description
        entry["questions"] = [question_data(q) for q in section.questions]
        data["sections"].append(entry)
    return data


def question_data(question: Question) -> dict[str, Any]:
    entry: dict[str, Any] = {"code": question.code, "type": question.type.value, "text": question.text}
    if question.short_label:
        entry["short_label"] = question.short_label
    if question.help:
        entry["help"] = question.help
    if question.required:
        entry["required"] = True
    if question.conditions:
        items = [{"question": c.question, c.operator: c.value} for c in question.conditions]
        entry["when"] = items[0] if len(items) == 1 and question.conditions_mode == "all" \
            else {question.conditions_mode: items}
    for name in ("choices", "rows", "columns"):
        values = getattr(question, name)
        if values:
            entry[name] = [{"code": c.code, "label": c.label} for c in values]
    if question.other:
        entry["other"] = True
        if question.other_label != "Autre":
            entry["other_label"] = question.other_label
    if question.type in (QuestionType.SCALE, QuestionType.NUMBER):
        for name in ("min", "max"):
            value = getattr(question, name)
            if value is not None:
                entry[name] = int(value) if question.type is QuestionType.SCALE else value
        for name in ("min_label", "max_label"):
            if getattr(question, name):
                entry[name] = getattr(question, name)
        if question.type is QuestionType.NUMBER and not question.integer:
            entry["integer"] = False
    if question.max_length:
        entry["max_length"] = question.max_length
    if question.max_choices:
        entry["max_choices"] = question.max_choices
    return entry


def dump(data: dict[str, Any], header: str = "") -> str:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return comment + text


def check(data: dict[str, Any]) -> tuple[Questionnaire | None, dict[str, list[str]]]:
    """The questionnaire the data describes, or None and its problems by question code
    (``""`` for the problems that name no question)."""
    try:
        return parse_questionnaire(dump(data)), {}
    except QuestionnaireError as error:
        return None, problems_by_question(error.problems)


def problems_by_question(problems: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for problem in problems:
        match = QUESTION_IN_PROBLEM.match(problem)
        grouped[match.group(1) if match else ""].append(problem)
    return dict(grouped)


def next_version(school_year: str, taken: set[str] | frozenset[str]) -> str:
    """« 2025-1 » for the school year 2024-2025, or the first of « 2025-2 », « 2025-3 »… not taken."""
    year = school_year[-4:] if re.fullmatch(r"\d{4}-\d{4}", school_year or "") else "v"
    number = 1
    while f"{year}-{number}" in taken:
        number += 1
    return f"{year}-{number}"


# --------------------------------------------------------------------------- codes


def _ascii_words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^A-Za-z0-9]+", plain) if w]


def make_code(text: str, taken, *, upper: bool = True, fallback: str = "Q") -> str:
    """A code made from a wording (« Utilisez-vous l'ENT ? » → ``UTILISEZ_VOUS_L_ENT``), not in ``taken``.

    Question and section codes start with a letter; choice codes are lower case.
    """
    words = _ascii_words(text)
    base = "_".join(words)[:CODE_MAX].strip("_")
    base = base.upper() if upper else base.lower()
    if not base or not base[0].isalpha():
        base = (fallback + ("_" + base if base else "")).strip("_")
        base = base.upper() if upper else base.lower()
    code, number = base, 2
    while code in taken:
        code = f"{base}_{number}"
        number += 1
    return code


def question_codes(data: dict[str, Any]) -> set[str]:
    return {q.get("code") for s in data.get("sections", []) for q in s.get("questions", [])}


# --------------------------------------------------------------------------- finding


def find_section(data: dict[str, Any], code: str) -> dict[str, Any]:
    for section in data.get("sections", []):
        if section.get("code") == code:
            return section
    raise EditError(f"la section « {code} » n'existe pas dans ce questionnaire")


def find_question(data: dict[str, Any], code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(section, question) of the question ``code``."""
    for section in data.get("sections", []):
        for question in section.get("questions", []):
            if question.get("code") == code:
                return section, question
    raise EditError(f"la question « {code} » n'existe pas dans ce questionnaire")


def _move(items: list, index: int, delta: int) -> bool:
    target = index + delta
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    return True


# --------------------------------------------------------------------------- sections


def add_section(data: dict[str, Any], title: str, first_question_text: str = "Nouvelle question") -> str:
    """Add a section at the end, with one text question (a section needs one); its code."""
    code = make_code(title, {s.get("code") for s in data["sections"]}, upper=False, fallback="section")
    question_code = make_code(first_question_text, question_codes(data))
    data["sections"].append({"code": code, "title": title, "questions": [
        {"code": question_code, "type": QuestionType.TEXT.value, "text": first_question_text}]})
    return code


def rename_section(data: dict[str, Any], code: str, title: str, description: str | None = None) -> None:
    section = find_section(data, code)
    section["title"] = title
    if description is not None:
        if description.strip():
            section["description"] = description
        else:
            section.pop("description", None)


def remove_section(data: dict[str, Any], code: str) -> None:
    section = find_section(data, code)
    data["sections"].remove(section)


def move_section(data: dict[str, Any], code: str, delta: int) -> bool:
    """Move a section up (-1) or down (+1); False when it already is first or last."""
    sections = data["sections"]
    return _move(sections, sections.index(find_section(data, code)), delta)


# --------------------------------------------------------------------------- questions


def add_question(data: dict[str, Any], section_code: str, text: str,
                 qtype: QuestionType | str = QuestionType.TEXT) -> str:
    """Add a question at the end of a section; its new code."""
    section = find_section(data, section_code)
    qtype = QuestionType(qtype)
    code = make_code(text, question_codes(data))
    entry: dict[str, Any] = {"code": code, "type": qtype.value, "text": text}
    _fill_for_type(entry)
    section.setdefault("questions", []).append(entry)
    return code


def _fill_for_type(entry: dict[str, Any]) -> None:
    """Give a question what its type needs to be valid at once (two choices, scale bounds…)."""
    qtype = QuestionType(entry["type"])
    if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE) and not entry.get("choices"):
        entry["choices"] = [{"code": "choix_1", "label": "Choix 1"}, {"code": "choix_2", "label": "Choix 2"}]
    if qtype is QuestionType.GRID:
        entry.setdefault("rows", [{"code": "ligne_1", "label": "Ligne 1"}])
        entry.setdefault("columns", [{"code": "oui", "label": "Oui"}, {"code": "non", "label": "Non"}])
    if qtype is QuestionType.SCALE:
        entry.setdefault("min", 1)
        entry.setdefault("max", 5)


def remove_question(data: dict[str, Any], code: str) -> None:
    section, question = find_question(data, code)
    section["questions"].remove(question)


def move_question(data: dict[str, Any], code: str, delta: int) -> bool:
    """Move a question up (-1) or down (+1) within its section; past the section's edge it goes to
    the end of the previous section or the start of the next one. False when it cannot move."""
    section, question = find_question(data, code)
    questions = section["questions"]
    index = questions.index(question)
    if _move(questions, index, delta):
        return True
    sections = data["sections"]
    neighbour = sections.index(section) + delta
    if not 0 <= neighbour < len(sections):
        return False
    questions.remove(question)
    target = sections[neighbour].setdefault("questions", [])
    if delta < 0:
        target.append(question)
    else:
        target.insert(0, question)
    return True


def set_question_type(question: dict[str, Any], qtype: QuestionType | str) -> None:
    qtype = QuestionType(qtype)
    if question.get("type") == qtype.value:
        return
    question["type"] = qtype.value
    for key, types in TYPE_KEYS.items():
        if key in question and qtype not in types:
            del question[key]
    _fill_for_type(question)


def update_question(data: dict[str, Any], code: str, *, text: str | None = None, help: str | None = None,
                    qtype: QuestionType | str | None = None, required: bool | None = None,
                    other: bool | None = None) -> dict[str, Any]:
    """Change the wording, help, type, « required » or « Autre » option of a question; the question."""
    _, question = find_question(data, code)
    if text is not None:
        question["text"] = text
    if help is not None:
        if help.strip():
            question["help"] = help
        else:
            question.pop("help", None)
    if qtype is not None:
        set_question_type(question, qtype)
    if required is not None:
        if required:
            question["required"] = True
        else:
            question.pop("required", None)
    if other is not None and question["type"] in (QuestionType.SINGLE.value, QuestionType.MULTIPLE.value):
        if other:
            question["other"] = True
        else:
            question.pop("other", None)
            question.pop("other_label", None)
    return question


def set_options(question: dict[str, Any], key: str, labels: list[tuple[str, str]]) -> None:
    """Set a question's ``choices``, ``rows`` or ``columns`` from (code, label) pairs, in order.

    A pair with an empty code is a new option: it gets a code made from its label. Options left
    out are removed; the codes of those kept do not change (year-over-year figures rest on them).
    """
    if key not in ("choices", "rows", "columns"):
        raise EditError(f"« {key} » n'est pas une liste de choix")
    taken = {code for code, _ in labels if code}
    options = []
    for code, label in labels:
        if not code:
            code = make_code(label, taken | {"other"}, upper=False, fallback="choix")
            taken.add(code)
        options.append({"code": code, "label": label})
    if options:
        question[key] = options
    else:
        question.pop(key, None)


def add_option(question: dict[str, Any], key: str, label: str) -> str:
    """Add one choice (row, column) at the end; its code."""
    options = [(o["code"], o["label"]) for o in question.get(key, [])]
    set_options(question, key, options + [("", label)])
    return question[key][-1]["code"]


def set_condition(data: dict[str, Any], code: str, on_question: str | None, value: Any = None) -> None:
    """Show ``code`` only when ``on_question`` was answered ``value`` (a multiple choice: when it
    includes ``value``); ``on_question`` None: always show it."""
    _, question = find_question(data, code)
    if not on_question:
        question.pop("when", None)
        return
    _, target = find_question(data, on_question)
    operator = "includes" if target.get("type") == QuestionType.MULTIPLE.value else "equals"
    question["when"] = {"question": on_question, operator: value}
