"""The questionnaire as plain, immutable data.

Answer values, as stored (JSON) and as handed to the analysis core:

=============  ===============================================================
type           value
=============  ===============================================================
single         the chosen choice code (``str``)
yesno          ``"yes"`` or ``"no"``
multiple       list of choice codes, in the questionnaire's order; when the
               question allows 'other', the code ``"other"`` may appear and
               the free text is stored under the key ``"<CODE>.other"``
grid           ``{row_code: column_code}`` (one column per row)
scale          ``int`` between ``min`` and ``max``
number         ``int`` or ``float``
text/longtext  ``str``
=============  ===============================================================

An unanswered question has no key at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from bilan.lookup import find


class QuestionType(StrEnum):
    # StrEnum, so str() and f-strings give the code itself (« grid »), not « QuestionType.GRID ».
    SINGLE = "single"
    MULTIPLE = "multiple"
    YESNO = "yesno"
    GRID = "grid"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    LONGTEXT = "longtext"

    @property
    def is_choice(self) -> bool:
        return self in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YESNO)

    @property
    def is_free_text(self) -> bool:
        return self in (QuestionType.TEXT, QuestionType.LONGTEXT)


OTHER_CODE = "other"
YES_NO_CHOICES_FR = (("yes", "Oui"), ("no", "Non"))


def other_key(question_code: str) -> str:
    """Key under which the 'other' free text of a multiple/single choice is stored."""
    return f"{question_code}.other"


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class Condition:
    """Shows a question only when an earlier answer matches.

    Exactly one of the operators is used:
    ``equals`` (single/yesno/scale/number value), ``in`` (one of several
    values), ``includes`` (a multiple choice contains the code),
    ``answered`` (True: any answer; False: no answer).
    Several conditions on a question must all hold (``all``) or one of them
    (``any``), see :class:`Question`.
    """

    question: str
    operator: str
    value: Any = None

    def holds(self, answers: dict[str, Any]) -> bool:
        answer = answers.get(self.question)
        if self.operator == "answered":
            return (answer not in (None, "", [], {})) == bool(self.value)
        if answer is None:
            return False
        if self.operator == "equals":
            return answer == self.value
        if self.operator == "in":
            return answer in self.value
        if self.operator == "includes":
            return isinstance(answer, list) and self.value in answer
        if self.operator == "not_equals":
            return answer != self.value
        raise ValueError(f"unknown condition operator {self.operator!r}")


@dataclass(frozen=True)
class Question:
    code: str
    type: QuestionType
    text: str
    section: str
    help: str = ""
    required: bool = False
    choices: tuple[Choice, ...] = ()
    other: bool = False
    other_label: str = "Autre"
    rows: tuple[Choice, ...] = ()
    columns: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    min_label: str = ""
    max_label: str = ""
    integer: bool = True
    max_length: int | None = None
    max_choices: int | None = None
    conditions: tuple[Condition, ...] = ()
    conditions_mode: str = "all"
    short_label: str = ""

    @property
    def label(self) -> str:
        """A short label for tables and charts."""
        return self.short_label or self.text

    def choice_label(self, code: str) -> str:
        if code == OTHER_CODE and self.other:
            return self.other_label
        for choice in self.all_choices:
            if choice.code == code:
                return choice.label
        return code

    # Cached (the dataclass is frozen, so they never go stale): imports and the form read them for
    # every cell, and rebuilding the tuples was a third of a 10^5-answer import.
    @cached_property
    def all_choices(self) -> tuple[Choice, ...]:
        """Choices as offered, including the 'other' option when allowed."""
        if self.type is QuestionType.YESNO and not self.choices:
            return tuple(Choice(c, label) for c, label in YES_NO_CHOICES_FR)
        if self.other:
            return self.choices + (Choice(OTHER_CODE, self.other_label),)
        return self.choices

    @cached_property
    def choice_codes(self) -> tuple[str, ...]:
        return tuple(choice.code for choice in self.all_choices)

    @property
    def scale_values(self) -> tuple[int, ...]:
        if self.type is not QuestionType.SCALE:
            return ()
        return tuple(range(int(self.min), int(self.max) + 1))

    def is_shown(self, answers: dict[str, Any]) -> bool:
        if not self.conditions:
            return True
        results = (condition.holds(answers) for condition in self.conditions)
        return any(results) if self.conditions_mode == "any" else all(results)


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    description: str = ""
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: str
    title: str
    description: str = ""
    language: str = "fr"
    sections: tuple[Section, ...] = ()
    source: str = field(default="", compare=False)

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    @cached_property
    def _questions_by_code(self) -> dict[str, Question]:
        by_code: dict[str, Question] = {}
        for question in self.questions:
            by_code.setdefault(question.code, question)  # the first one, as find() answers
        return by_code

    def question(self, code: str) -> Question:
        found = self._questions_by_code.get(code)
        return found if found is not None else find(self.questions, code)

    def section(self, code: str) -> Section:
        return find(self.sections, code)

    @cached_property
    def codes(self) -> tuple[str, ...]:
        return tuple(q.code for q in self.questions)

    @cached_property
    def code_set(self) -> frozenset[str]:
        return frozenset(self.codes)

    @cached_property
    def checked_values(self) -> dict:
        """The memory of :func:`bilan.questionnaire.answers.clean_answers` for this questionnaire (its
        questions never change: a value checked once is checked)."""
        return {}

    @cached_property
    def late_conditioned_codes(self) -> frozenset[str]:
        """Questions with a condition on themselves or on a later (or unknown) question: shown or not is
        known only once every answer is read (:func:`bilan.questionnaire.answers.clean_answers`)."""
        earlier: set[str] = set()
        late = set()
        for question in self.questions:
            if any(condition.question not in earlier for condition in question.conditions):
                late.add(question.code)
            earlier.add(question.code)
        return frozenset(late)
