"""Load and check a questionnaire declared in YAML.

Every problem is reported in French and names the question (or section)
code it concerns, so that the author can fix the file without guessing.
All problems found are reported at once, not only the first one.
"""

from __future__ import annotations

import re
from collections.abc import Container
from pathlib import Path
from typing import Any

import yaml

from bilan.questionnaire.schema import (
    OTHER_CODE,
    Choice,
    Condition,
    Question,
    Questionnaire,
    QuestionType,
    Section,
)

BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
CODE_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
CHOICE_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$")
CONDITION_OPERATORS = ("equals", "not_equals", "in", "includes", "answered")
TYPE_NAMES_FR = ", ".join(t.value for t in QuestionType)


class QuestionnaireError(ValueError):
    """A questionnaire file that cannot be used; ``problems`` lists each issue."""

    def __init__(self, problems: list[str], source: str = ""):
        self.problems = problems
        self.source = source
        where = f"{source} : " if source else ""
        super().__init__(where + "questionnaire invalide :\n- " + "\n- ".join(problems))


def builtin_path(name: str) -> Path:
    return BUILTIN_DIR / f"{name}.yaml"


def load_builtin(name: str = "bilan-rupn") -> Questionnaire:
    return load_questionnaire(builtin_path(name))


def load_questionnaire(path: str | Path) -> Questionnaire:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise QuestionnaireError([f"le fichier n'est pas en UTF-8 (octet {error.start})"], str(path)) from error
    except OSError as error:
        raise QuestionnaireError([f"fichier illisible : {error.strerror}"], str(path)) from error
    return parse_questionnaire(text, source=str(path))


def parse_questionnaire(text: str, source: str = "") -> Questionnaire:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"ligne {mark.line + 1}, colonne {mark.column + 1} : " if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise QuestionnaireError([f"YAML mal formé, {where}{problem}"], source) from error
    builder = _Builder(source)
    questionnaire = builder.build(data)
    if builder.problems:
        raise QuestionnaireError(builder.problems, source)
    return questionnaire


class _Builder:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def build(self, data: Any) -> Questionnaire:
        if not isinstance(data, dict):
            self.problem("le fichier doit décrire un questionnaire (clés code, version, title, sections)")
            return Questionnaire(code="", version="", title="")
        for key in ("code", "version", "title"):
            if not str(data.get(key) or "").strip():
                self.problem(f"la clé « {key} » du questionnaire est absente ou vide")
        raw_sections = data.get("sections")
        if not isinstance(raw_sections, list) or not raw_sections:
            self.problem("le questionnaire doit avoir au moins une section (clé « sections »)")
            raw_sections = []
        seen_sections: set[str] = set()
        seen_questions: dict[str, Question] = {}
        sections = []
        for index, raw in enumerate(raw_sections, start=1):
            section = self.build_section(raw, index, seen_sections, seen_questions)
            if section is not None:
                sections.append(section)
        return Questionnaire(
            code=str(data.get("code") or ""),
            version=str(data.get("version") or ""),
            title=str(data.get("title") or ""),
            description=str(data.get("description") or ""),
            language=str(data.get("language") or "fr"),
            sections=tuple(sections),
            source=self.source,
        )

    def identify(self, raw: Any, named: str, unnamed: str, shape: str) -> tuple[str, str] | None:
        """An entry's code and how its problems name it: ``named`` (``{}`` the code), or ``unnamed``
        (its place) when it has no code. None, the problem noted, when it is not an object."""
        if not isinstance(raw, dict):
            self.problem(f"{unnamed} : doit être {shape}")
            return None
        code = str(raw.get("code") or "")
        return code, named.format(code) if code else unnamed

    def check_code(self, code: str, where: str, seen: Container[str], duplicate: str) -> bool:
        """False, with the problem noted, when ``code`` is malformed or already in ``seen``."""
        if not CODE_PATTERN.match(code):
            self.problem(f"{where} : code absent ou invalide (lettres, chiffres et _, commence par une lettre)")
            return False
        if code in seen:
            self.problem(f"{where} : {duplicate}")
            return False
        return True

    def build_section(self, raw, index, seen_sections, seen_questions) -> Section | None:
        entry = self.identify(raw, "section « {} »", f"section n° {index}", "un objet avec code, title et questions")
        if entry is None:
            return None
        code, label = entry
        self.check_code(code, label, seen_sections, "code de section en double")
        seen_sections.add(code)
        if not str(raw.get("title") or "").strip():
            self.problem(f"{label} : titre (title) absent")
        raw_questions = raw.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.problem(f"{label} : aucune question")
            raw_questions = []
        questions = []
        for q_index, raw_question in enumerate(raw_questions, start=1):
            question = self.build_question(raw_question, code, q_index, seen_questions)
            if question is not None:
                questions.append(question)
                seen_questions[question.code] = question
        return Section(
            code=code,
            title=str(raw.get("title") or ""),
            description=str(raw.get("description") or ""),
            questions=tuple(questions),
        )

    def build_question(self, raw, section_code, index, seen) -> Question | None:
        entry = self.identify(raw, "question {}", f"section « {section_code} », question n° {index}", "un objet")
        if entry is None:
            return None
        code, where = entry
        ok = self.check_code(code, where, seen, "code en double")
        try:
            qtype = QuestionType(str(raw.get("type") or ""))
        except ValueError:
            self.problem(f"{where} : type « {raw.get('type')} » inconnu (types : {TYPE_NAMES_FR})")
            return None
        text = str(raw.get("text") or "").strip()
        if not text:
            self.problem(f"{where} : intitulé (text) absent")
        choices = self.build_choices(raw.get("choices"), where, "choix (choices)")
        rows = self.build_choices(raw.get("rows"), where, "lignes (rows)")
        columns = self.build_choices(raw.get("columns"), where, "colonnes (columns)")
        other = bool(raw.get("other", False))
        if qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            if len(choices) < 2 and not (other and choices):
                self.problem(f"{where} : une question à choix doit proposer au moins deux choix")
            if other and any(c.code == OTHER_CODE for c in choices):
                self.problem(f"{where} : le code « other » est réservé à l'option « Autre »")
        elif qtype is QuestionType.YESNO:
            if choices and {c.code for c in choices} != {"yes", "no"}:
                self.problem(f"{where} : une question oui/non n'a que les choix yes et no")
        elif choices:
            self.problem(f"{where} : le type {qtype.value} n'accepte pas de choix (choices)")
        if qtype is QuestionType.GRID:
            if not rows:
                self.problem(f"{where} : une grille doit avoir des lignes (rows)")
            if len(columns) < 2:
                self.problem(f"{where} : une grille doit avoir au moins deux colonnes (columns)")
        elif rows or columns:
            self.problem(f"{where} : seules les grilles (grid) ont des lignes et des colonnes")
        minimum, maximum = raw.get("min"), raw.get("max")
        if qtype is QuestionType.SCALE:
            if not isinstance(minimum, int) or not isinstance(maximum, int) or minimum >= maximum:
                self.problem(f"{where} : une échelle demande des bornes entières min < max")
            elif maximum - minimum > 20:
                self.problem(f"{where} : une échelle a au plus 21 degrés")
        if qtype is QuestionType.NUMBER:
            for name, bound in (("min", minimum), ("max", maximum)):
                if bound is not None and not isinstance(bound, (int, float)):
                    self.problem(f"{where} : la borne {name} doit être un nombre")
            if isinstance(minimum, (int, float)) and isinstance(maximum, (int, float)) and minimum > maximum:
                self.problem(f"{where} : min est plus grand que max")
        conditions, mode = self.build_conditions(raw, where, seen)
        max_length = raw.get("max_length")
        if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
            self.problem(f"{where} : max_length doit être un entier positif")
            max_length = None
        if not ok:
            return None
        return Question(
            code=code,
            type=qtype,
            text=text,
            section=section_code,
            help=str(raw.get("help") or ""),
            required=bool(raw.get("required", False)),
            choices=choices,
            other=other,
            other_label=str(raw.get("other_label") or "Autre"),
            rows=rows,
            columns=columns,
            min=minimum if isinstance(minimum, (int, float)) else None,
            max=maximum if isinstance(maximum, (int, float)) else None,
            min_label=str(raw.get("min_label") or ""),
            max_label=str(raw.get("max_label") or ""),
            integer=bool(raw.get("integer", True)),
            max_length=max_length,
            max_choices=raw.get("max_choices") if isinstance(raw.get("max_choices"), int) else None,
            conditions=conditions,
            conditions_mode=mode,
            short_label=str(raw.get("short_label") or ""),
        )

    def build_choices(self, raw, where, what) -> tuple[Choice, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problem(f"{where} : les {what} doivent être une liste")
            return ()
        result, seen = [], set()
        for index, item in enumerate(raw, start=1):
            if isinstance(item, dict):
                code, label = str(item.get("code") or ""), str(item.get("label") or "")
            elif isinstance(item, str):
                code, label = "", item
            else:
                self.problem(f"{where} : {what} n° {index} illisible")
                continue
            if not code:
                self.problem(f"{where} : {what} n° {index} sans code")
                continue
            if not CHOICE_CODE_PATTERN.match(code):
                self.problem(f"{where} : code « {code} » invalide dans les {what}")
                continue
            if code in seen:
                self.problem(f"{where} : code « {code} » en double dans les {what}")
                continue
            if not label.strip():
                self.problem(f"{where} : le choix « {code} » n'a pas de libellé (label)")
            seen.add(code)
            result.append(Choice(code, label))
        return tuple(result)

    def build_conditions(self, raw, where, seen) -> tuple[tuple[Condition, ...], str]:
        spec = raw.get("when")
        if spec is None:
            return (), "all"
        mode = "all"
        if isinstance(spec, dict) and ("any" in spec or "all" in spec):
            mode = "any" if "any" in spec else "all"
            items = spec.get(mode)
        else:
            items = [spec]
        if not isinstance(items, list) or not items:
            self.problem(f"{where} : condition (when) illisible")
            return (), mode
        conditions = []
        for item in items:
            condition = self.build_condition(item, where, seen)
            if condition is not None:
                conditions.append(condition)
        return tuple(conditions), mode

    def build_condition(self, item, where, seen) -> Condition | None:
        if not isinstance(item, dict) or "question" not in item:
            self.problem(f"{where} : une condition doit nommer une question (question: CODE)")
            return None
        target_code = str(item["question"])
        operators = [op for op in CONDITION_OPERATORS if op in item]
        if len(operators) != 1:
            self.problem(
                f"{where} : une condition sur {target_code} prend exactement un opérateur parmi "
                + ", ".join(CONDITION_OPERATORS)
            )
            return None
        operator, value = operators[0], item[operators[0]]
        target = seen.get(target_code)
        if target is None:
            self.problem(
                f"{where} : la condition porte sur la question inconnue {target_code} "
                "(elle doit être déclarée avant)"
            )
            return None
        if operator == "includes" and target.type is not QuestionType.MULTIPLE:
            self.problem(f"{where} : « includes » ne s'applique qu'à une question à choix multiples ({target_code})")
            return None
        if target.type.is_choice and operator in ("equals", "not_equals", "in", "includes"):
            values = value if operator == "in" else [value]
            if operator == "in" and not isinstance(value, list):
                self.problem(f"{where} : « in » attend une liste de valeurs")
                return None
            for candidate in values:
                if candidate not in target.choice_codes:
                    self.problem(
                        f"{where} : la condition sur {target_code} cite le choix « {candidate} » "
                        f"qui n'existe pas (choix : {', '.join(target.choice_codes)})"
                    )
                    return None
        return Condition(question=target_code, operator=operator, value=value)
