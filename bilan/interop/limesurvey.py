"""Import a LimeSurvey questionnaire (.lss structure or tab-separated .txt).

Both .lss layouts are read: the old one (DBVersion below 400) with texts
inline in the ``questions``, ``answers`` and ``groups`` tables, and the newer
one with the texts in ``question_l10ns``, ``answer_l10ns`` and
``group_l10ns``. LimeSurvey types are mapped onto ours (see
docs/interop.md); what cannot be mapped (file upload, ranking, array of
texts, equations, relevance equations we cannot express...) is listed in
``ImportedQuestionnaire.warnings``, never dropped silently.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any

import defusedxml.ElementTree as DefusedET
import yaml
from defusedxml import DefusedXmlException

from bilan.french import NBSP, french_spacing
from bilan.interop.answers_formats import InteropError, fr_quote
from bilan.interop.tabular import read_rows
from bilan.questionnaire import (
    Choice,
    Condition,
    Question,
    Questionnaire,
    QuestionnaireError,
    QuestionType,
    Section,
    parse_questionnaire,
)
from bilan.questionnaire.editing import to_data
from bilan.questionnaire.loader import CHOICE_CODE_PATTERN
from bilan.questionnaire.schema import OTHER_CODE

LIMESURVEY_OTHER = "-oth-"
GENDER_CHOICES = (Choice("F", "Femme"), Choice("M", "Homme"))
FIXED_ARRAY_COLUMNS = {
    "A": tuple(Choice(str(i), str(i)) for i in range(1, 6)),
    "B": tuple(Choice(str(i), str(i)) for i in range(1, 11)),
    "C": (Choice("Y", "Oui"), Choice("U", "Incertain"), Choice("N", "Non")),
    "E": (Choice("I", "Augmentation"), Choice("S", "Sans changement"), Choice("D", "Diminution")),
}
TYPE_NAMES_FR = {
    "1": "tableau à double échelle", ":": "tableau de nombres", ";": "tableau de textes",
    "|": "envoi de fichier", "R": "classement", "X": "texte d'information", "*": "équation",
    "I": "choix de la langue", "D": "date", "O": "liste avec commentaire", "P": "choix multiple avec commentaires",
}


@dataclass
class ImportedQuestionnaire:
    """A questionnaire read from another tool.

    ``source_codes`` maps each of our question codes to the LimeSurvey code
    it comes from (``Q3`` or, for a question split per sub-question,
    ``Q3[SQ001]``), so that answer files using LimeSurvey codes can be mapped.
    """

    questionnaire: Questionnaire
    warnings: list[str] = field(default_factory=list)
    source_codes: dict[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------- neutral LimeSurvey model


@dataclass
class _LsItem:
    code: str
    text: str
    scale: int = 0
    order: int = 0


@dataclass
class _LsQuestion:
    qid: str
    code: str
    type: str
    text: str
    help: str = ""
    mandatory: bool = False
    other: bool = False
    relevance: str = ""
    group: str = ""
    order: int = 0
    subquestions: list[_LsItem] = field(default_factory=list)
    answers: list[_LsItem] = field(default_factory=list)
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass
class _LsGroup:
    key: str
    name: str
    description: str = ""
    relevance: str = ""
    order: int = 0


@dataclass
class _LsSurvey:
    sid: str
    title: str
    description: str
    language: str
    groups: list[_LsGroup]
    questions: list[_LsQuestion]
    conditions_count: int = 0


# --------------------------------------------------------------------------- text helpers


class _TextExtractor(HTMLParser):
    BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BREAKS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def strip_html(text: str) -> str:
    """Plain text of a LimeSurvey HTML fragment: tags removed, entities decoded, spaces collapsed."""
    if not text:
        return ""
    extractor = _TextExtractor()
    extractor.feed(text)
    extractor.close()
    plain = html.unescape("".join(extractor.parts)).replace(NBSP, " ")
    return re.sub(r"\s+", " ", plain).strip()


def sanitise_code(raw: str, taken: set[str], prefix: str = "Q") -> str:
    """A code matching our pattern, unique among ``taken`` (which it joins)."""
    code = re.sub(r"[^A-Za-z0-9_]", "_", raw or "").strip("_") or prefix
    if not code[0].isalpha():
        code = prefix + code
    code = code[:60]
    candidate, counter = code, 2
    while candidate in taken:
        candidate = f"{code[:57]}_{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


def sanitise_choice_code(raw: str, taken: set[str]) -> str:
    code = re.sub(r"[^A-Za-z0-9_\-]", "_", raw or "").lstrip("_-") or "c"
    code = code[:60]
    candidate, counter = code, 2
    while candidate in taken or not CHOICE_CODE_PATTERN.match(candidate):
        candidate = f"{code[:57]}_{counter}"
        counter += 1
    taken.add(candidate)
    return candidate


# --------------------------------------------------------------------------- .lss


def _table(root: ET.Element, name: str) -> list[dict[str, str]]:
    element = root.find(name)
    if element is None:
        return []
    rows = element.find("rows")
    if rows is None:
        return []
    return [{child.tag: (child.text or "") for child in row} for row in rows.findall("row")]


def parse_lss(data: bytes) -> ImportedQuestionnaire:
    """Read a LimeSurvey survey structure (.lss), old or new layout.

    The XML parser (defusedxml) refuses any DOCTYPE, wherever it stands and whatever the file's
    encoding: a LimeSurvey export never has one, and without a DTD there is no entity to expand
    (XML bombs) nor external file to fetch. The parser sees the declaration, not a scan of bytes.
    """
    try:
        root = DefusedET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ET.ParseError as error:
        line, column = error.position
        raise InteropError(f"XML mal formé (colonne {column + 1}){NBSP}; fichier .lss tronqué{NBSP}?",
                           line=line) from error
    except DefusedXmlException as error:
        raise InteropError(f"fichier .lss refusé{NBSP}: il contient une déclaration DOCTYPE ou ENTITY, "
                           "qu'un export LimeSurvey n'a jamais") from error
    if root.tag != "document" or root.findtext("LimeSurveyDocType", "").strip() != "Survey":
        raise InteropError("ce fichier XML n'est pas une structure de questionnaire LimeSurvey (.lss)")
    try:
        db_version = int(root.findtext("DBVersion", "0").strip() or 0)
    except ValueError:
        db_version = 0
    surveys = _table(root, "surveys")
    settings = _table(root, "surveys_languagesettings")
    language = (surveys[0].get("language") if surveys else "") or root.findtext("languages/language", "") or ""
    language = language.strip()

    def in_language(rows: list[dict[str, str]], key: str = "language") -> list[dict[str, str]]:
        if not language or not any(r.get(key) for r in rows):
            return rows
        return [r for r in rows if r.get(key, language) == language]

    setting = next(iter(in_language(settings, "surveyls_language")), {})
    sid = (surveys[0].get("sid") if surveys else "") or setting.get("surveyls_survey_id", "")
    new_layout = root.find("question_l10ns") is not None or db_version >= 400

    question_texts: dict[str, dict[str, str]] = {}
    group_texts: dict[str, dict[str, str]] = {}
    answer_texts: dict[str, str] = {}
    if new_layout:
        for row in in_language(_table(root, "question_l10ns")):
            question_texts[row.get("qid", "")] = row
        for row in in_language(_table(root, "group_l10ns")):
            group_texts[row.get("gid", "")] = row
        for row in in_language(_table(root, "answer_l10ns")):
            answer_texts[row.get("aid", "")] = row.get("answer", "")

    groups = []
    seen_groups = set()
    for row in in_language(_table(root, "groups")):
        gid = row.get("gid", "")
        if gid in seen_groups:
            continue
        seen_groups.add(gid)
        texts = group_texts.get(gid, row)
        groups.append(_LsGroup(gid, strip_html(texts.get("group_name", "")), strip_html(texts.get("description", "")),
                               row.get("grelevance", "").strip(), _int(row.get("group_order"))))

    question_rows = in_language(_table(root, "questions"))
    subquestion_rows = in_language(_table(root, "subquestions"))
    subquestion_rows += [r for r in question_rows if r.get("parent_qid", "0") not in ("", "0")]
    question_rows = [r for r in question_rows if r.get("parent_qid", "0") in ("", "0")]
    questions: dict[str, _LsQuestion] = {}
    for row in question_rows:
        qid = row.get("qid", "")
        if qid in questions:
            continue
        texts = question_texts.get(qid, row)
        questions[qid] = _LsQuestion(
            qid=qid, code=row.get("title", "").strip(), type=row.get("type", "").strip(),
            text=strip_html(texts.get("question", "")), help=strip_html(texts.get("help", "")),
            mandatory=row.get("mandatory", "N") == "Y", other=row.get("other", "N") == "Y",
            relevance=row.get("relevance", "").strip(), group=row.get("gid", ""),
            order=_int(row.get("question_order")),
        )
    seen_sub = set()
    for row in subquestion_rows:
        parent = questions.get(row.get("parent_qid", ""))
        if parent is None or row.get("qid") in seen_sub:
            continue
        seen_sub.add(row.get("qid"))
        texts = question_texts.get(row.get("qid", ""), row)
        parent.subquestions.append(_LsItem(row.get("title", "").strip(), strip_html(texts.get("question", "")),
                                           _int(row.get("scale_id")), _int(row.get("question_order"))))
    seen_answers = set()
    for row in in_language(_table(root, "answers")):
        parent = questions.get(row.get("qid", ""))
        key = (row.get("qid"), row.get("code"), row.get("scale_id"))
        if parent is None or key in seen_answers:
            continue
        seen_answers.add(key)
        text = answer_texts.get(row.get("aid", ""), row.get("answer", ""))
        parent.answers.append(_LsItem(row.get("code", "").strip(), strip_html(text),
                                      _int(row.get("scale_id")), _int(row.get("sortorder"))))
    for row in _table(root, "question_attributes"):
        parent = questions.get(row.get("qid", ""))
        if parent is not None and row.get("language", "") in ("", language):
            parent.attributes[row.get("attribute", "")] = row.get("value", "")
    for question in questions.values():
        question.subquestions.sort(key=lambda item: (item.scale, item.order))
        question.answers.sort(key=lambda item: (item.scale, item.order))
    survey = _LsSurvey(
        sid=sid.strip(), title=strip_html(setting.get("surveyls_title", "")),
        description=strip_html(setting.get("surveyls_description", "")), language=language,
        groups=sorted(groups, key=lambda g: g.order), questions=list(questions.values()),
        conditions_count=len(_table(root, "conditions")),
    )
    return _build(survey)


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


# --------------------------------------------------------------------------- .txt


TXT_REQUIRED = ("class", "type/scale", "name", "text")


def parse_limesurvey_txt(data: bytes) -> ImportedQuestionnaire:
    """Read a LimeSurvey tab-separated survey file (.txt, 'Export as tab-separated values')."""
    # UTF-8 or refused, as for the answer files: a guessed encoding corrupts accents silently.
    records = read_rows(data, file_format="csv", delimiter="\t", guess_encoding=False).rows
    if not records:
        raise InteropError("fichier vide")
    header_line, headings = records[0]
    index = {name.strip(): position for position, name in enumerate(headings)}
    missing = [name for name in TXT_REQUIRED if name not in index]
    if missing:
        raise InteropError("ce n'est pas un questionnaire LimeSurvey au format texte : colonne(s) "
                           + ", ".join(fr_quote(m) for m in missing) + " absente(s)", line=header_line)
    settings: dict[str, str] = {}
    language_settings: dict[str, str] = {}
    groups: list[_LsGroup] = []
    questions: list[_LsQuestion] = []
    base_language = ""
    attribute_names = [name for name in index if name not in (
        "class", "type/scale", "name", "relevance", "text", "help", "language", "validation", "validaton",
        "mandatory", "other", "default", "same_default", "id", "related_id")]

    def cell(record: list[str], name: str) -> str:
        position = index.get(name)
        return record[position] if position is not None and position < len(record) else ""

    current_question: _LsQuestion | None = None
    current_group: _LsGroup | None = None
    for line, record in records[1:]:
        if not record or not any(c.strip() for c in record):
            continue
        kind = cell(record, "class").strip()
        language = cell(record, "language").strip()
        if kind == "S":
            settings[cell(record, "name").strip()] = cell(record, "text")
            base_language = settings.get("language", base_language)
            continue
        if base_language and language and language != base_language:
            continue  # other languages repeat the same rows
        if kind == "SL":
            language_settings[cell(record, "name").strip()] = cell(record, "text")
        elif kind == "G":
            current_group = _LsGroup(str(len(groups) + 1), strip_html(cell(record, "name")),
                                     strip_html(cell(record, "text")), cell(record, "relevance").strip(), len(groups))
            groups.append(current_group)
        elif kind == "Q":
            if current_group is None:
                raise InteropError("question avant tout groupe (ligne G)", line=line, column="class")
            current_question = _LsQuestion(
                qid=str(line), code=cell(record, "name").strip(), type=cell(record, "type/scale").strip(),
                text=strip_html(cell(record, "text")), help=strip_html(cell(record, "help")),
                mandatory=cell(record, "mandatory").strip() == "Y", other=cell(record, "other").strip() == "Y",
                relevance=cell(record, "relevance").strip(), group=current_group.key, order=len(questions),
                attributes={name: cell(record, name).strip() for name in attribute_names if cell(record, name).strip()},
            )
            questions.append(current_question)
        elif kind in ("SQ", "A"):
            if current_question is None:
                raise InteropError(f"ligne {kind} avant toute question (ligne Q)", line=line, column="class")
            item = _LsItem(cell(record, "name").strip(), strip_html(cell(record, "text")),
                           _int(cell(record, "type/scale")), 0)
            target = current_question.subquestions if kind == "SQ" else current_question.answers
            item.order = len(target)
            target.append(item)
        elif kind not in ("", "SL", "S", "Q", "SQ", "A"):
            continue  # assessments, quotas...: nothing to do with the questions
    survey = _LsSurvey(
        sid=settings.get("sid", "").strip(), title=strip_html(language_settings.get("surveyls_title", "")),
        description=strip_html(language_settings.get("surveyls_description", "")), language=base_language,
        groups=groups, questions=questions,
    )
    return _build(survey)


# --------------------------------------------------------------------------- building our questionnaire


class _Builder:
    def __init__(self, survey: _LsSurvey):
        self.survey = survey
        self.warnings: list[str] = []
        self.source_codes: dict[str, str] = {}
        self.by_ls_code: dict[str, Question] = {}  # LimeSurvey code -> our question (already built)
        self.taken: set[str] = set()

    def warn(self, question: _LsQuestion | None, message: str) -> None:
        where = f"question {question.code} : " if question is not None else ""
        self.warnings.append(french_spacing(f"{where}{message}"))

    def build(self) -> Questionnaire:
        survey = self.survey
        if survey.conditions_count:
            self.warn(None, f"{survey.conditions_count} condition(s) de l'ancien éditeur de conditions : "
                            "seules les équations de pertinence (relevance) sont reprises")
        sections = []
        taken_sections: set[str] = set()
        by_group: dict[str, list[_LsQuestion]] = {}
        for question in sorted(survey.questions, key=lambda q: q.order):
            by_group.setdefault(question.group, []).append(question)
        groups = survey.groups or [_LsGroup("", "Questions")]
        for group in groups:
            if group.relevance not in ("", "1"):
                self.warn(None, f"groupe « {group.name} » : condition d'affichage du groupe "
                                f"non reprise ({group.relevance})")
            built = []
            for question in by_group.get(group.key, []):
                built.extend(self.build_question(question, group))
            if not built:
                self.warn(None, f"groupe « {group.name or group.key} » : aucune question importable, "
                                "section non créée")
                continue
            code = sanitise_code(f"G{group.key}" if group.key else "G", taken_sections, prefix="G")
            sections.append(Section(code=code, title=group.name or f"Groupe {group.key}",
                                    description=group.description,
                                    questions=tuple(replace(q, section=code) for q in built)))
        if not sections:
            raise InteropError("aucune question importable dans ce questionnaire")
        return Questionnaire(
            code=sanitise_code(f"limesurvey_{survey.sid}" if survey.sid else "limesurvey", set()).replace("_", "-"),
            version="1", title=survey.title or f"Questionnaire LimeSurvey {survey.sid}".strip(),
            description=survey.description, language="fr", sections=tuple(sections),
            source=f"limesurvey:{survey.sid}",
        )

    # one LimeSurvey question -> zero, one or several of ours
    def build_question(self, ls: _LsQuestion, group: _LsGroup) -> list[Question]:
        kind = ls.type
        text = ls.text or ls.code
        common: dict[str, Any] = {"text": text, "section": group.key, "help": ls.help, "required": ls.mandatory}
        attributes = ls.attributes
        if kind in ("X", "*", "|", "R", "I", ":", ";"):
            self.warn(ls, f"type « {TYPE_NAMES_FR.get(kind, kind)} » ({kind}) sans équivalent, question non importée")
            return []
        scale0 = [a for a in ls.answers if a.scale == 0]
        if kind in ("L", "!", "O"):
            choices = self.choices(scale0, ls)
            if kind == "O":
                self.warn(ls, "liste avec commentaire : le commentaire n'est pas repris")
            spec = {"type": QuestionType.SINGLE, "choices": choices, "other": ls.other,
                    "other_label": attributes.get("other_replace_text") or "Autre"}
            if len(choices) < 2 and not (ls.other and choices):
                self.warn(ls, "liste de moins de deux réponses, question non importée")
                return []
        elif kind in ("M", "P"):
            subs = [s for s in ls.subquestions if s.scale == 0]
            if kind == "P":
                self.warn(ls, "choix multiple avec commentaires : les commentaires ne sont pas repris")
            spec = {"type": QuestionType.MULTIPLE, "choices": self.choices(subs, ls), "other": ls.other,
                    "other_label": attributes.get("other_replace_text") or "Autre",
                    "max_choices": _int(attributes.get("max_answers")) or None}
            if len(spec["choices"]) < 2 and not (ls.other and spec["choices"]):
                self.warn(ls, "choix multiple de moins de deux options, question non importée")
                return []
        elif kind in ("F", "H", "A", "B", "C", "E", "1"):
            if kind == "1":
                self.warn(ls, "tableau à double échelle : seule la première échelle est reprise")
            if kind == "H":
                self.warn(ls, "tableau « par colonne » : importé comme une grille (une ligne par sous-question)")
            columns = FIXED_ARRAY_COLUMNS.get(kind) or self.choices(scale0, ls)
            rows = self.choices([s for s in ls.subquestions if s.scale == 0], ls)
            if not rows or len(columns) < 2:
                self.warn(ls, "tableau sans lignes ou avec moins de deux colonnes, question non importé")
                return []
            spec = {"type": QuestionType.GRID, "rows": rows, "columns": columns}
        elif kind == "Y":
            spec = {"type": QuestionType.YESNO}
        elif kind == "G":
            spec = {"type": QuestionType.SINGLE, "choices": GENDER_CHOICES}
        elif kind == "5":
            spec = {"type": QuestionType.SCALE, "min": 1, "max": 5}
        elif kind in ("S", "T", "U", "D"):
            if kind == "D":
                self.warn(ls, "question date importée comme texte court")
            spec = {"type": QuestionType.TEXT if kind in ("S", "D") else QuestionType.LONGTEXT,
                    "max_length": _int(attributes.get("maximum_chars")) or None}
        elif kind == "N":
            spec = dict(type=QuestionType.NUMBER, **self.number_bounds(ls, "min_num_value_n", "max_num_value_n"))
        elif kind in ("K", "Q"):
            return self.split_per_subquestion(ls, group, common)
        else:
            self.warn(ls, f"type LimeSurvey « {kind} » inconnu, question non importée")
            return []
        code = sanitise_code(ls.code, self.taken)
        conditions, mode = self.conditions(ls)
        question = Question(code=code, conditions=conditions, conditions_mode=mode, **common, **spec)
        self.remember(ls.code, question)
        return [question]

    def split_per_subquestion(self, ls: _LsQuestion, group: _LsGroup, common: dict) -> list[Question]:
        subs = [s for s in ls.subquestions if s.scale == 0]
        if not subs:
            self.warn(ls, "question à plusieurs champs sans sous-question, non importée")
            return []
        what = "nombre" if ls.type == "K" else "texte court"
        self.warn(ls, f"question à plusieurs champs ({what}) : une question par sous-question "
                      + ", ".join(f"{ls.code}_{s.code}" for s in subs))
        conditions, mode = self.conditions(ls)
        built = []
        for sub in subs:
            code = sanitise_code(f"{ls.code}_{sub.code}", self.taken)
            spec: dict[str, Any]
            if ls.type == "K":
                spec = dict(type=QuestionType.NUMBER, **self.number_bounds(ls, "min_num_value_n", "max_num_value_n"))
            else:
                spec = {"type": QuestionType.TEXT}
            question = Question(code=code, conditions=conditions, conditions_mode=mode,
                                **{**common, "text": f"{common['text']} — {sub.text or sub.code}"}, **spec)
            self.source_codes[code] = f"{ls.code}[{sub.code}]"
            self.by_ls_code[f"{ls.code}_{sub.code}"] = question
            built.append(question)
        return built

    def remember(self, ls_code: str, question: Question) -> None:
        self.source_codes[question.code] = ls_code
        self.by_ls_code[ls_code] = question

    def number_bounds(self, ls: _LsQuestion, min_name: str, max_name: str) -> dict[str, Any]:
        bounds: dict[str, Any] = {"integer": ls.attributes.get("num_value_int_only", "0") == "1"}
        for name, key in ((min_name, "min"), (max_name, "max")):
            raw = ls.attributes.get(name, "").strip()
            try:
                value = float(raw) if raw else None
            except ValueError:
                self.warn(ls, f"borne {key} « {raw} » non numérique (expression ?), non reprise")
                value = None
            if value is not None:
                bounds[key] = int(value) if value.is_integer() else value
        return bounds

    def choices(self, items: list[_LsItem], ls: _LsQuestion) -> tuple[Choice, ...]:
        taken: set[str] = {OTHER_CODE} if ls.other else set()
        result = []
        for item in items:
            code = sanitise_choice_code(item.code, taken)
            if code != item.code:
                self.warn(ls, f"code de réponse « {item.code} » renommé « {code} »")
            result.append(Choice(code, item.text or item.code))
        return tuple(result)

    # relevance equations -> conditions
    def conditions(self, ls: _LsQuestion) -> tuple[tuple[Condition, ...], str]:
        expression = ls.relevance.strip()
        if expression in ("", "1"):
            return (), "all"
        parsed = parse_relevance(expression)
        if parsed is None:
            self.warn(ls, f"condition d'affichage non reprise (équation non traduisible : {expression})")
            return (), "all"
        atoms, mode = parsed
        conditions: list[Condition] = []
        for atom in atoms:
            condition = self.translate_atom(atom)
            if condition is None:
                self.warn(ls, f"condition d'affichage non reprise (équation : {expression})")
                return (), "all"
            conditions.append(condition)
        # « Q == a OR Q == b » is one « in » condition on Q.
        if mode == "any" and len(conditions) > 1 and len({c.question for c in conditions}) == 1 \
                and all(c.operator == "equals" for c in conditions):
            return (Condition(conditions[0].question, "in", [c.value for c in conditions]),), "all"
        return tuple(conditions), mode

    def translate_atom(self, atom: tuple[str, str, str]) -> Condition | None:
        name, operator, value = atom
        target = self.by_ls_code.get(name)
        if target is not None and operator == "answered":
            return Condition(target.code, "answered", value == "yes")
        if target is None:
            # Q_SQ001 == "Y": one option of a multiple choice is ticked.
            base, _, part = name.rpartition("_")
            parent = self.by_ls_code.get(base)
            if parent is None or parent.type is not QuestionType.MULTIPLE:
                return None
            code = OTHER_CODE if part == "other" and parent.other else part
            if code not in parent.choice_codes:
                return None
            if (operator == "answered" and value == "yes") or (operator in ("==", "!=") and value == "Y"):
                return Condition(parent.code, "includes", code) if operator != "!=" else None
            return None
        if operator not in ("==", "!="):
            return None
        translated: Any = value
        if target.type is QuestionType.YESNO:
            translated = {"Y": "yes", "N": "no"}.get(value)
        elif target.type is QuestionType.SINGLE:
            translated = OTHER_CODE if value == LIMESURVEY_OTHER else value
            if translated not in target.choice_codes:
                return None
        elif target.type in (QuestionType.SCALE, QuestionType.NUMBER):
            try:
                number = float(value)
            except ValueError:
                return None
            translated = int(number) if number.is_integer() else number
        elif not target.type.is_free_text:
            return None
        if translated is None:
            return None
        return Condition(target.code, "equals" if operator == "==" else "not_equals", translated)


_ATOM = re.compile(
    r"""^\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)(?:\.(?:NAOK|value|code|shown))?\s*
        (?P<op>==|!=|\beq\b|\bne\b)\s*
        (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<num>-?\d+(?:\.\d+)?))\s*$""",
    re.VERBOSE,
)
_EMPTY = re.compile(r"^\s*(?P<neg>!|not\s+)?\s*is_empty\(\s*(?P<name>[A-Za-z][A-Za-z0-9_]*)(?:\.NAOK)?\s*\)\s*$",
                    re.IGNORECASE)


def parse_relevance(expression: str) -> tuple[list[tuple[str, str, str]], str] | None:
    """Split a relevance equation into simple comparisons joined by one kind of operator.

    Returns ``([(name, op, value), ...], "all"|"any")`` or None when the
    equation uses anything else (functions, arithmetic, mixed and/or).
    """
    text = _strip_parens(expression.strip())
    for mode, pattern in (("any", r"\s+or\s+|\|\|"), ("all", r"\s+and\s+|&&")):
        parts = _split_top_level(text, pattern)
        if parts is None:
            return None
        if len(parts) > 1:
            atoms = []
            for part in parts:
                atom = _parse_atom(_strip_parens(part))
                if atom is None:
                    return None
                atoms.append(atom)
            return atoms, mode
    atom = _parse_atom(text)
    return ([atom], "all") if atom is not None else None


def _parse_atom(text: str) -> tuple[str, str, str] | None:
    match = _ATOM.match(text)
    if match:
        op = {"eq": "==", "ne": "!="}.get(match.group("op"), match.group("op"))
        value = next(v for v in (match.group("dq"), match.group("sq"), match.group("num")) if v is not None)
        return match.group("name"), op, value
    match = _EMPTY.match(text)
    if match:
        return match.group("name"), "answered", "yes" if match.group("neg") else "no"
    return None


def _strip_parens(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and text.endswith(")") and _balanced(text[1:-1]):
        text = text[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char == "("
        depth -= char == ")"
        if depth < 0:
            return False
    return depth == 0


def _top_level_indexes(text: str) -> Iterator[int]:
    """The indexes of the characters outside quotes and parentheses (quotes and parentheses excluded)."""
    depth, quote = 0, ""
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            yield index


def _split_top_level(text: str, separator: str) -> list[str] | None:
    """Split at separators outside parentheses and quotes; None if both and/or appear at top level."""
    parts, start = [], 0
    regex = re.compile(separator, re.IGNORECASE)
    for index in _top_level_indexes(text):
        # The separators hold no quote nor parenthesis: scanning through one changes nothing.
        match = regex.match(text, index) if index >= start else None
        if match and match.end() > index:
            parts.append(text[start:index])
            start = match.end()
    parts.append(text[start:])
    if len(parts) > 1:
        other = r"\s+and\s+|&&" if "or" in separator else r"\s+or\s+|\|\|"
        if any(_has_top_level(part, other) for part in parts):
            return None
    return parts


def _has_top_level(text: str, separator: str) -> bool:
    regex = re.compile(separator, re.IGNORECASE)
    return any(regex.match(text, index) for index in _top_level_indexes(text))


def _build(survey: _LsSurvey) -> ImportedQuestionnaire:
    builder = _Builder(survey)
    questionnaire = builder.build()
    return ImportedQuestionnaire(validated(to_yaml_dict(questionnaire), questionnaire.source),
                                 builder.warnings, builder.source_codes)


def validated(data: dict[str, Any], source: str = "") -> Questionnaire:
    """Load a questionnaire dict through the same loader as hand-written YAML files."""
    try:
        return parse_questionnaire(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source=source)
    except QuestionnaireError as error:
        raise InteropError(french_spacing("questionnaire importé invalide : " + " ; ".join(error.problems))) \
            from error


# --------------------------------------------------------------------------- back to our YAML


# The one serializer of a questionnaire back to our YAML format lives with the schema (the
# browser's editor writes its versions with it too).
to_yaml_dict = to_data
