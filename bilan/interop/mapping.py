"""Match the columns of an answer file to the questions of a questionnaire.

Two steps, so that the pilot can check in between:

1. :func:`propose_mapping` matches each column, first by code (our code, or
   the LimeSurvey code it was imported from), then by text similarity of
   the normalised question text; then the parts of multi-column questions
   (options, grid rows) by code or label. The pilot confirms or corrects
   (:meth:`Mapping.assign`, :meth:`Mapping.ignore`).
2. :func:`apply_mapping` turns every row into answers following our value
   rules, checked by :func:`bilan.questionnaire.clean_answers`, and lists
   every problem with its line and column. :func:`import_records` refuses
   the whole file if there is any problem: imports are all or nothing.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Any

from bilan.french import NBSP, NNBSP, french_spacing
from bilan.interop.answers_formats import (
    META,
    PART,
    InteropError,
    ParsedAnswers,
    SourceColumn,
    SourceRow,
    fr_quote,
    is_complete,
    submitted_at,
)
from bilan.interop.limesurvey import ImportedQuestionnaire, sanitise_choice_code, sanitise_code, validated
from bilan.questionnaire.answers import AnswerErrors, clean_answers
from bilan.questionnaire.schema import OTHER_CODE, Choice, Question, Questionnaire, QuestionType, other_key

TEXT_MATCH_THRESHOLD = 0.75
PROGRESS_ROWS = 1000
MEMORY_PER_QUESTION = 4096  # distinct cell combinations remembered per question (apply_mapping)
LIMESURVEY_OTHER = "-oth-"
YES_VALUES = {"y", "yes", "oui", "o", "1", "true", "vrai"}
NO_VALUES = {"n", "no", "non", "0", "false", "faux"}


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, no accents, no punctuation, single spaces: for comparing texts.

    Memoised: an import compares the same few cell values (« Y », « Oui », a choice's label) hundreds
    of thousands of times."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.casefold().replace("’", "'")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def similarity(left: str, right: str) -> float:
    a, b = normalise(left), normalise(right)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@dataclass(frozen=True)
class ColumnMatch:
    """Column ``column`` (its index in the file) feeds question ``question``.

    ``part`` is empty when the column holds the whole answer; otherwise a
    choice code (one option of a multiple choice: ticked or not), a grid row
    code, or ``"other"`` (free text of the 'other' option).
    """

    column: int
    question: str
    part: str = ""
    how: str = "code"  # code, text, manual
    score: float = 1.0


@dataclass
class Mapping:
    matches: dict[int, ColumnMatch] = field(default_factory=dict)
    unmatched: list[int] = field(default_factory=list)  # answer columns matching nothing
    ignored: list[int] = field(default_factory=list)  # meta columns, and columns set aside
    notes: list[str] = field(default_factory=list)

    def assign(self, column: int, question: str, part: str = "") -> None:
        """The pilot's choice for one column (from the confirmation page)."""
        self.matches[column] = ColumnMatch(column, question, part, how="manual")
        self._forget(column)

    def ignore(self, column: int) -> None:
        self.matches.pop(column, None)
        self._forget(column)
        self.ignored.append(column)

    def _forget(self, column: int) -> None:
        self.unmatched = [c for c in self.unmatched if c != column]
        self.ignored = [c for c in self.ignored if c != column]

    def columns_of(self, question: str) -> list[ColumnMatch]:
        return [m for m in self.matches.values() if m.question == question]

    @property
    def questions(self) -> list[str]:
        seen: list[str] = []
        for match in sorted(self.matches.values(), key=lambda m: m.column):
            if match.question not in seen:
                seen.append(match.question)
        return seen


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"ligne {self.line}, colonne {fr_quote(self.column)}{NBSP}: {self.message}"


@dataclass
class ImportedRecord:
    """One respondent's answers, ready for ``Response.answers``."""

    line: int
    answers: dict[str, Any]
    submitted_at: str | None = None
    complete: bool = True
    # Answers present in the file but left out because the question's
    # conditions hide it (the questionnaire says it should not have been asked).
    hidden: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- proposing


def propose_mapping(questionnaire: Questionnaire, parsed: ParsedAnswers,
                    source_codes: dict[str, str] | None = None) -> Mapping:
    """Match every answer column of ``parsed`` to a question (and a part of it).

    ``source_codes`` (our code -> LimeSurvey code, from
    :class:`bilan.interop.limesurvey.ImportedQuestionnaire`) lets a LimeSurvey
    file match a questionnaire imported from LimeSurvey.
    """
    mapping = Mapping()
    mapping.ignored = [c.index for c in parsed.columns if c.kind == META]
    by_source = _source_lookup(questionnaire, source_codes or {})
    groups: dict[str, list[SourceColumn]] = {}
    for column in parsed.answer_columns:
        groups.setdefault(column.question, []).append(column)

    # 1. by code
    chosen: dict[str, tuple[Question, str, float]] = {}
    for key in groups:
        question = _by_code(questionnaire, key, by_source)
        if question is not None:
            chosen[key] = (question, "code", 1.0)
    # Split LimeSurvey questions: « Q1[SQ001] » is our question Q1_SQ001.
    for key, columns in groups.items():
        for column in columns:
            if key in chosen:
                continue
            question = by_source.get(f"{column.question}[{column.part}]".casefold()) \
                or by_source.get(column.heading.casefold())
            if question is not None:
                mapping.matches[column.index] = ColumnMatch(column.index, question.code)
    # 2. by text, best pairs first, each question used once
    taken = {question.code for question, _, _ in chosen.values()} | {m.question for m in mapping.matches.values()}
    candidates = []
    for key, columns in groups.items():
        if key in chosen or all(c.index in mapping.matches for c in columns):
            continue
        for question in questionnaire.questions:
            if question.code in taken:
                continue
            score = max(similarity(key, question.text), similarity(key, question.short_label))
            if score >= TEXT_MATCH_THRESHOLD:
                candidates.append((score, key, question))
    for score, key, question in sorted(candidates, key=lambda item: -item[0]):
        if key in chosen or question.code in taken:
            continue
        chosen[key] = (question, "text", round(score, 3))
        taken.add(question.code)

    # 3. parts
    for key, columns in groups.items():
        if key not in chosen:
            for column in columns:
                if column.index in mapping.matches:
                    continue
                if column.loose and _match_loose(questionnaire, column, taken, mapping):
                    continue
                # « Question (détail) » may be a whole question whose text ends with parentheses.
                whole = _best_text_match(questionnaire, column.heading, taken) if column.kind == PART else None
                if whole is not None:
                    mapping.matches[column.index] = ColumnMatch(column.index, whole.code, how="text")
                    taken.add(whole.code)
                else:
                    mapping.unmatched.append(column.index)
            continue
        question, how, score = chosen[key]
        for column in columns:
            part = _match_part(question, column, mapping)
            if part is None and column.loose and _match_loose(questionnaire, column, taken, mapping):
                continue
            if part is None:
                mapping.unmatched.append(column.index)
            elif part == "-":
                mapping.ignored.append(column.index)
            else:
                mapping.matches[column.index] = ColumnMatch(column.index, question.code, part, how, score)
    mapping.unmatched.sort()
    return mapping


def _match_loose(questionnaire: Questionnaire, column: SourceColumn, taken: set[str], mapping: Mapping) -> bool:
    """A Framaforms column that is not a part of the question on its left: try it as a question of its own."""
    question = _by_code(questionnaire, column.part, {})
    how = "code"
    if question is None or question.code in taken:
        question, how = _best_text_match(questionnaire, column.part, taken), "text"
    if question is None or question.code in taken:
        return False
    mapping.matches[column.index] = ColumnMatch(column.index, question.code, "", how,
                                                round(similarity(column.part, question.text), 3))
    taken.add(question.code)
    return True


def _source_lookup(questionnaire: Questionnaire, source_codes: dict[str, str]) -> dict[str, Question]:
    lookup = {}
    for code, source in source_codes.items():
        try:
            lookup[source.casefold()] = questionnaire.question(code)
        except KeyError:
            continue
    return lookup


def _by_code(questionnaire: Questionnaire, key: str, by_source: dict[str, Question]) -> Question | None:
    for question in questionnaire.questions:
        if question.code == key:
            return question
    if key.casefold() in by_source:
        return by_source[key.casefold()]
    for question in questionnaire.questions:
        if question.code.casefold() == key.casefold():
            return question
    return None


def _best_text_match(questionnaire: Questionnaire, text: str, taken: set[str]) -> Question | None:
    best, best_score = None, TEXT_MATCH_THRESHOLD
    for question in questionnaire.questions:
        if question.code in taken:
            continue
        score = similarity(text, question.text)
        if score >= best_score:
            best, best_score = question, score
    return best


def _match_part(question: Question, column: SourceColumn, mapping: Mapping) -> str | None:
    """The part of ``question`` a column holds: "" whole answer, a code, "-" to ignore, None unknown."""
    part = column.part
    if column.kind != PART or not part:
        return "" if question.type is not QuestionType.GRID else None
    if part.endswith(("comment", "#1")):
        mapping.notes.append(f"colonne {fr_quote(column.heading)}{NBSP}: commentaire ou seconde échelle, non repris")
        return "-"
    part = part.removesuffix("#0")
    if part.casefold() == "other" and question.other:
        return OTHER_CODE
    if question.type is QuestionType.GRID:
        found = _find_choice(question.rows, part)
        return found.code if found else None
    if question.type is QuestionType.MULTIPLE:
        found = _find_choice(question.choices, part)
        if found is None and question.other and normalise(part) == normalise(question.other_label):
            return OTHER_CODE
        return found.code if found else None
    return None


def _find_choice(choices: tuple[Choice, ...], text: str) -> Choice | None:
    for choice in choices:
        if choice.code == text:
            return choice
    wanted = normalise(text)
    for choice in choices:
        if normalise(choice.label) == wanted or normalise(choice.code) == wanted:
            return choice
    return None


# --------------------------------------------------------------------------- applying


def apply_mapping(questionnaire: Questionnaire, parsed: ParsedAnswers, mapping: Mapping, *,
                  strict: bool = False, on_rows: Callable[[int, int], None] | None = None,
                  ) -> tuple[list[ImportedRecord], list[ImportProblem]]:
    """Turn every row into answers; return the records and every problem found.

    With ``strict``, a column matching no question raises
    :class:`InteropError` (unknown column) before any row is read.
    ``on_rows(done, total)`` is told every :data:`PROGRESS_ROWS` rows (a background import's progress).
    """
    columns = {column.index: column for column in parsed.columns}
    if strict and mapping.unmatched:
        column = columns[mapping.unmatched[0]]
        others = len(mapping.unmatched) - 1
        more = f" (et {others} autre(s) colonne(s))" if others else ""
        raise InteropError(f"colonne inconnue : elle ne correspond à aucune question du questionnaire{more}",
                           line=parsed.header_line, column=column.heading)
    plan = []
    for code in mapping.questions:
        if code not in questionnaire.codes:
            column = columns[mapping.columns_of(code)[0].column]
            raise InteropError(f"la question {code} n'existe pas dans le questionnaire {questionnaire.code}",
                               line=parsed.header_line, column=column.heading)
        question = questionnaire.question(code)
        plan.append((question, [(columns[m.column], m.part) for m in sorted(mapping.columns_of(code),
                                                                             key=lambda m: m.column)]))
    records, problems = [], []
    total = len(parsed.rows)
    first_column = {question.code: sources[0][0].heading for question, sources in plan}
    # A question's cells repeat from row to row (« Y », a choice's label, a number): each distinct
    # combination is converted once and its result (answers and problems) replayed for the other
    # rows. Free texts differ on every row and are not remembered.
    memory: dict[str, dict[Any, tuple[dict[str, Any], list[tuple[str, str]]]] | None] = {
        question.code: None if question.type.is_free_text else {} for question, _ in plan}
    # Each question's cells of a row, read at once (a row shorter than the header reads as blank cells).
    cells_of = {question.code: itemgetter(*(column.index for column, _ in sources)) for question, sources in plan}
    width = len(parsed.columns)
    for done, row in enumerate(parsed.rows):
        if on_rows is not None and done % PROGRESS_ROWS == 0:
            on_rows(done, total)
        raw: dict[str, Any] = {}
        row_problems: list[ImportProblem] = []
        values = row.values if len(row.values) >= width else (*row.values, *[""] * (width - len(row.values)))
        for question, sources in plan:
            remembered = memory[question.code]
            key = cells_of[question.code](values)
            converted = remembered.get(key) if remembered is not None else None
            if converted is None:
                fragment: dict[str, Any] = {}
                found: list[ImportProblem] = []
                _Converter(question, parsed, row, found).run(sources, fragment)
                converted = (fragment, [(problem.column, problem.message) for problem in found])
                if remembered is not None and len(remembered) < MEMORY_PER_QUESTION:
                    remembered[key] = converted
            fragment, found_messages = converted
            raw.update(fragment)
            if found_messages:
                row_problems.extend(ImportProblem(row.line, column, message) for column, message in found_messages)
        if not row_problems:
            try:
                answers = clean_answers(questionnaire, raw, partial=True)
            except AnswerErrors as error:
                for key, message in error.errors.items():
                    code = key.split(".")[0]
                    row_problems.append(ImportProblem(row.line, first_column.get(code, code),
                                                      f"question {code}{NBSP}: {message}"))
            else:
                hidden = [key for key in raw if key not in answers]
                records.append(ImportedRecord(row.line, answers, submitted_at(parsed, row), is_complete(parsed, row),
                                              hidden))
        problems.extend(row_problems)
    return records, problems


def import_records(questionnaire: Questionnaire, parsed: ParsedAnswers, mapping: Mapping, *,
                   strict: bool = False, on_rows: Callable[[int, int], None] | None = None) -> list[ImportedRecord]:
    """All records, or :class:`InteropError` naming the first problem and listing them all."""
    records, problems = apply_mapping(questionnaire, parsed, mapping, strict=strict, on_rows=on_rows)
    if problems:
        first = problems[0]
        more = f" ({len(problems)} problèmes en tout, rien n'a été importé)" if len(problems) > 1 else \
            " (rien n'a été importé)"
        raise InteropError(first.message + more, line=first.line, column=first.column, problems=problems)
    return records


class _Converter:
    """Reads one question's columns in one row into our value."""

    def __init__(self, question: Question, parsed: ParsedAnswers, row: SourceRow, problems: list[ImportProblem]):
        self.question = question
        self.parsed = parsed
        self.row = row
        self.problems = problems

    def problem(self, column: SourceColumn, message: str) -> None:
        self.problems.append(ImportProblem(self.row.line, column.heading, message))

    def no_choice(self, column: SourceColumn, value: str, choices: tuple[Choice, ...], what: str = "") -> None:
        listed = ", ".join(choice.label for choice in choices)
        self.problem(column, f"{fr_quote(value)} ne correspond à aucun choix {what}de la question "
                             f"{self.question.code} (choix{NBSP}: {listed})")

    def run(self, sources: list[tuple[SourceColumn, str]], raw: dict[str, Any]) -> None:
        question = self.question
        code = question.code
        qtype = question.type
        if qtype is QuestionType.GRID:
            answer = {}
            for column, part in sources:
                value = self.row.value(column).strip()
                if value:
                    found = self.column_choice(column, value)
                    if found is not None:
                        answer[part] = found
            if answer:
                raw[code] = answer
            return
        if qtype is QuestionType.MULTIPLE:
            chosen: list[str] = []
            other_texts: list[str] = []
            for column, part in sources:
                value = self.row.value(column).strip()
                if part == OTHER_CODE:
                    if value:
                        other_texts.append(value)
                elif part:
                    if self.is_ticked(column, value, part):
                        chosen.append(part)
                elif value:
                    self.split_options(column, value, chosen, other_texts)
            if other_texts:
                chosen.append(OTHER_CODE)
                raw[other_key(code)] = "; ".join(other_texts)
            if chosen:
                raw[code] = list(dict.fromkeys(chosen))
            return
        for column, part in sources:
            value = self.row.value(column).strip()
            if part == OTHER_CODE:
                if value:
                    raw[other_key(code)] = value
                continue
            if not value:
                continue
            if qtype is QuestionType.SINGLE:
                found = self.single_choice(column, value, raw)
                if found is not None:
                    raw[code] = found
            elif qtype is QuestionType.YESNO:
                found = self.yes_no(column, value)
                if found is not None:
                    raw[code] = found
            else:
                raw[code] = value  # numbers and texts: clean_answers checks and converts

    # single values
    def single_choice(self, column: SourceColumn, value: str, raw: dict[str, Any]) -> str | None:
        question = self.question
        if value == LIMESURVEY_OTHER and question.other:
            return OTHER_CODE
        found = _find_choice(question.choices, value)
        if found is not None:
            return found.code
        if question.other:
            # Google Forms, Nextcloud and Framaforms write the 'other' text in place of a choice.
            if normalise(value) != normalise(question.other_label):
                raw.setdefault(other_key(question.code), value)
            return OTHER_CODE
        self.no_choice(column, value, question.choices)
        return None

    def yes_no(self, column: SourceColumn, value: str) -> str | None:
        found = _find_choice(self.question.all_choices, value)
        if found is not None:
            return found.code
        lowered = normalise(value)
        if lowered in YES_VALUES:
            return "yes"
        if lowered in NO_VALUES:
            return "no"
        self.no_choice(column, value, self.question.all_choices)
        return None

    def column_choice(self, column: SourceColumn, value: str) -> str | None:
        found = _find_choice(self.question.columns, value)
        if found is not None:
            return found.code
        if any(sep.strip() and sep.strip() in value for sep in self.parsed.separators or (";",)):
            pieces = [p for p in re.split(r"[;,]", value) if p.strip()]
            if len(pieces) > 1 and all(_find_choice(self.question.columns, p.strip()) for p in pieces):
                self.problem(column, f"plusieurs réponses ({fr_quote(value)}) pour une ligne de la grille "
                                     f"{self.question.code}, qui n'en accepte qu'une")
                return None
        self.no_choice(column, value, self.question.columns, what="de colonne ")
        return None

    def is_ticked(self, column: SourceColumn, value: str, part: str) -> bool:
        lowered = normalise(value)
        if lowered in self.parsed.unticked_values:
            return False
        if lowered in self.parsed.ticked_values:
            return True
        choice = _find_choice(self.question.choices, value)
        if choice is not None and choice.code == part:
            return True
        self.problem(column, f"{fr_quote(value)} n'indique ni une case cochée (Y, X, 1, Oui) ni une case vide "
                             f"pour l'option {fr_quote(column.part)} de la question {self.question.code}")
        return False

    def split_options(self, column: SourceColumn, value: str, chosen: list[str], other_texts: list[str]) -> None:
        """Read « A; B, C » knowing the labels, which may themselves hold commas."""
        question = self.question
        candidates = sorted(((c.label, c.code) for c in question.choices), key=lambda item: -len(item[0]))
        candidates += [(c.code, c.code) for c in question.choices]
        separators = self.parsed.separators or (";",)
        remaining = value.strip()
        unknown: list[str] = []
        while remaining:
            for label, code in candidates:
                if remaining.casefold().startswith(label.casefold()):
                    rest = remaining[len(label):]
                    separator = next((s for s in separators if rest.startswith((s, s.strip()))), None)
                    if not rest.strip():
                        chosen.append(code)
                        remaining = ""
                        break
                    if separator is not None:
                        chosen.append(code)
                        cut = len(separator) if rest.startswith(separator) else len(separator.strip())
                        remaining = rest[cut:].strip()
                        break
            else:
                positions = [remaining.find(s.strip()) for s in separators if s.strip() in remaining]
                cut = min(positions) if positions else len(remaining)
                unknown.append(remaining[:cut].strip())
                remaining = remaining[cut + 1:].strip()
        for item in unknown:
            if not item:
                continue
            if question.other:
                if normalise(item) != normalise(question.other_label):
                    other_texts.append(item)
                else:
                    chosen.append(OTHER_CODE)
            else:
                self.no_choice(column, item, question.choices)


# --------------------------------------------------------------------------- preview


def preview(questionnaire: Questionnaire, parsed: ParsedAnswers, mapping: Mapping, limit: int = 5) -> dict[str, Any]:
    """Plain data for the confirmation page: how each column is read, and the first rows."""
    columns = []
    for column in parsed.columns:
        match = mapping.matches.get(column.index)
        if match is not None:
            question = questionnaire.question(match.question)
            target = question.code
            if match.part:
                label = question.choice_label(match.part) if question.type is not QuestionType.GRID else \
                    next((r.label for r in question.rows if r.code == match.part), match.part)
                target += f" / {label}"
            status = {"code": "par code",
                      "text": f"par ressemblance du texte ({match.score:.0%})".replace("%", f"{NBSP}%"),
                      "manual": "choisi"}[match.how]
        elif column.index in mapping.unmatched:
            target, status = "", "aucune question trouvée"
        else:
            target, status = "", "ignorée"
        columns.append({"index": column.index, "heading": column.heading, "target": target, "status": status})
    records, problems = apply_mapping(questionnaire, parsed, mapping)
    return {"columns": columns, "records": records[:limit], "row_count": len(parsed.rows),
            "problems": [str(p) for p in problems], "notes": list(parsed.notes) + list(mapping.notes)}


# --------------------------------------------------------------------------- questionnaire from answers


def infer_questionnaire(parsed: ParsedAnswers, *, code: str = "import",
                        title: str = "Questionnaire importé") -> ImportedQuestionnaire:
    """Propose a questionnaire from an answer file that comes without one (Google Forms, Nextcloud...).

    Column texts become questions (codes Q1, Q2...), grids « Question [Row] »
    become grids, values joined with « ; » multiple choices, few distinct
    values single choices, numbers numbers, anything else texts. A checkbox
    grid (several answers per row) has no equivalent and becomes one
    multiple choice per row, with a warning. The pilot reviews the result.
    """

    warnings: list[str] = []
    source_codes: dict[str, str] = {}
    groups: dict[str, list[SourceColumn]] = {}
    for column in parsed.answer_columns:
        groups.setdefault(column.question, []).append(column)
    taken: set[str] = set()
    questions: list[dict[str, Any]] = []

    def values_of(column: SourceColumn) -> list[str]:
        return [row.value(column).strip() for row in parsed.rows if row.value(column).strip()]

    def pieces(value: str) -> list[str]:
        return [p.strip() for p in re.split(r";", value) if p.strip()]

    def choices_from(labels: list[str]) -> list[dict[str, str]]:
        used: set[str] = set()
        return [{"code": sanitise_choice_code(normalise(label).replace(" ", "_")[:40] or "c", used), "label": label}
                for label in dict.fromkeys(labels)]

    for number, (key, columns) in enumerate(groups.items(), start=1):
        base = sanitise_code(f"Q{number}", taken)
        if any(c.kind == PART for c in columns) and len(columns) > 1:
            all_values = [v for c in columns for v in values_of(c)]
            if any(len(pieces(v)) > 1 for v in all_values):
                warnings.append(f"question {fr_quote(key)} : grille à cases à cocher (plusieurs réponses par ligne) "
                                "sans équivalent, importée comme un choix multiple par ligne")
                taken.discard(base)
                for column in columns:
                    row_code = sanitise_code(f"{base}_{normalise(column.part).replace(' ', '_')}", taken)
                    labels = [p for v in all_values for p in pieces(v)]
                    questions.append({"code": row_code, "type": "multiple", "text": f"{key} — {column.part}",
                                      "choices": choices_from(labels)})
                    source_codes[row_code] = column.heading
                continue
            rows = [{"code": sanitise_choice_code(normalise(c.part).replace(" ", "_")[:40] or "r", set()),
                     "label": c.part}
                    for c in columns]
            used_rows: set[str] = set()
            for row in rows:
                row["code"] = sanitise_choice_code(row["code"], used_rows)
            column_labels = choices_from(all_values)
            if len(column_labels) < 2:
                column_labels = choices_from(all_values + ["Oui", "Non"])[:2]
            questions.append({"code": base, "type": "grid", "text": key, "rows": rows, "columns": column_labels})
            source_codes[base] = key
            continue
        column = columns[0]
        text = column.heading
        values = values_of(column)
        spec: dict[str, Any]
        if values and all(_is_number(v) for v in values):
            spec = {"type": "number", "integer": all(float(v.replace(",", ".")).is_integer() for v in values)}
        elif any(len(pieces(v)) > 1 for v in values):
            spec = {"type": "multiple", "choices": choices_from([p for v in values for p in pieces(v)])}
        elif values and {normalise(v) for v in values} <= {"oui", "non"} | {"yes", "no"}:
            spec = {"type": "yesno"}
        elif values and len(set(values)) <= 12 and len(set(values)) < len(values) and max(map(len, values)) <= 80:
            spec = {"type": "single", "choices": choices_from(values)}
        else:
            spec = {"type": "longtext" if any(len(v) > 120 for v in values) else "text"}
        if spec["type"] in ("single", "multiple") and len(spec["choices"]) < 2:
            spec = {"type": "text"}
        questions.append({"code": base, "text": text, **spec})
        source_codes[base] = column.heading
    if not questions:
        raise InteropError("aucune colonne de réponse dans ce fichier", line=parsed.header_line)
    data = {"code": code, "version": "1", "title": title, "language": "fr",
            "sections": [{"code": "main", "title": title, "questions": questions}]}
    return ImportedQuestionnaire(validated(data, source=f"{parsed.format}"), [french_spacing(w) for w in warnings],
                                 source_codes)


def _is_number(value: str) -> bool:
    try:
        float(value.replace(NNBSP, "").replace(NBSP, "").replace(" ", "").replace(",", "."))
    except ValueError:
        return False
    return True
