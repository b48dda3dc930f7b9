"""Compare two versions of a questionnaire: which figures stay comparable from one year to the next.

Questions are matched by code (codes are stable across years, see docs/questionnaire-format.md).
For each question of either version, :func:`compare_questionnaires` says:

- ``same``: same code, type and choices (rows, columns, scale bounds): figures are comparable;
- ``wording``: still comparable, but something the respondent reads changed (the question's text,
  its help, a choice's label, the order of the choices, its display condition or whether it is
  required): flagged so that the pilot rereads it;
- ``changed``: not comparable: the type changed, or a choice (row, column, scale step) was added
  or removed; ``changes`` says which;
- ``new``: only in the new version; ``removed``: only in the old one.

Decisions at the edges: the same choice codes in another order stay comparable (figures are
counted per code), flagged as a wording change; a choice added or removed makes the question not
comparable (the shares of the other choices no longer have the same base of options); switching
the « Autre » option on or off is a choice added or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bilan.questionnaire.schema import Choice, Question, Questionnaire, QuestionType


class Status(StrEnum):
    SAME = "same"
    WORDING = "wording"
    CHANGED = "changed"
    NEW = "new"
    REMOVED = "removed"

    @property
    def comparable(self) -> bool:
        return self in (Status.SAME, Status.WORDING)


STATUS_LABELS = {
    Status.SAME: "Comparable",
    Status.WORDING: "Comparable, formulation modifiée",
    Status.CHANGED: "Non comparable",
    Status.NEW: "Nouvelle question",
    Status.REMOVED: "Question retirée",
}


@dataclass(frozen=True)
class QuestionComparison:
    code: str
    status: Status
    old: Question | None
    new: Question | None
    changes: tuple[str, ...] = ()

    @property
    def comparable(self) -> bool:
        return self.status.comparable

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def text(self) -> str:
        return (self.new or self.old).text


@dataclass(frozen=True)
class Comparison:
    items: tuple[QuestionComparison, ...] = field(default_factory=tuple)

    def of(self, status: Status) -> tuple[QuestionComparison, ...]:
        return tuple(item for item in self.items if item.status is status)

    def status_of(self, code: str) -> Status | None:
        return next((item.status for item in self.items if item.code == code), None)

    @property
    def counts(self) -> dict[Status, int]:
        return {status: len(self.of(status)) for status in Status}


def _quoted(choices: list[Choice]) -> str:
    return ", ".join(f"« {c.label or c.code} »" for c in choices)


# (singular, plural, feminine) of what a list holds, for the sentences.
OPTION_WORDS = {"all_choices": ("choix", "choix", False), "rows": ("ligne", "lignes", True),
                "columns": ("colonne", "colonnes", True)}


def _set_changes(old: tuple[Choice, ...], new: tuple[Choice, ...], attribute: str) -> tuple[list[str], list[str]]:
    """(changes that break comparability, changes of wording) between two lists of choices."""
    what, plural, feminine = OPTION_WORDS[attribute]
    ending = "e" if feminine else ""
    old_codes, new_codes = [c.code for c in old], [c.code for c in new]
    added = [c for c in new if c.code not in old_codes]
    removed = [c for c in old if c.code not in new_codes]
    breaking, wording = [], []
    if added:
        breaking.append(f"{what if len(added) == 1 else plural} ajouté{ending}{'s' if len(added) > 1 else ''} : "
                        f"{_quoted(added)}")
    if removed:
        breaking.append(f"{what if len(removed) == 1 else plural} retiré{ending}{'s' if len(removed) > 1 else ''} : "
                        f"{_quoted(removed)}")
    old_labels = {c.code: c.label for c in old}
    relabelled = [c for c in new if c.code in old_labels and old_labels[c.code] != c.label]
    for choice in relabelled:
        wording.append(f"{what} « {choice.code} » renommé{ending} : « {old_labels[choice.code]} » → « {choice.label} »")
    kept_old = [code for code in old_codes if code in new_codes]
    kept_new = [code for code in new_codes if code in old_codes]
    if kept_old != kept_new:
        wording.append(f"ordre des {plural} modifié")
    return breaking, wording


def compare_question(old: Question, new: Question) -> QuestionComparison:
    breaking: list[str] = []
    wording: list[str] = []
    if old.type is not new.type:
        breaking.append(f"type modifié : {old.type.value} → {new.type.value}")
    else:
        for attribute in OPTION_WORDS:
            hard, soft = _set_changes(getattr(old, attribute), getattr(new, attribute), attribute)
            breaking += hard
            wording += soft
        if new.type is QuestionType.SCALE and (old.min, old.max) != (new.min, new.max):
            breaking.append(f"bornes de l'échelle modifiées : {_bounds(old)} → {_bounds(new)}")
        if new.type is QuestionType.NUMBER and old.integer != new.integer:
            breaking.append("nombre entier ou décimal modifié")
    if old.text != new.text:
        wording.append(f"intitulé modifié (avant : « {old.text} »)")
    if old.help != new.help:
        wording.append("aide modifiée")
    if (old.conditions, old.conditions_mode) != (new.conditions, new.conditions_mode):
        wording.append("condition d'affichage modifiée : la population qui répond peut changer")
    if old.required != new.required:
        wording.append("devenue obligatoire" if new.required else "devenue facultative")
    if breaking:
        status = Status.CHANGED
    elif wording:
        status = Status.WORDING
    else:
        status = Status.SAME
    return QuestionComparison(new.code, status, old, new, tuple(breaking + wording))


def _bounds(question: Question) -> str:
    low = "?" if question.min is None else f"{question.min:g}"
    high = "?" if question.max is None else f"{question.max:g}"
    return f"{low} à {high}"


def compare_questionnaires(old: Questionnaire, new: Questionnaire) -> Comparison:
    """Every question of ``new`` in its order, then those of ``old`` that ``new`` no longer has."""
    old_by_code = {q.code: q for q in old.questions}
    new_codes = set(new.codes)
    items = []
    for question in new.questions:
        previous = old_by_code.get(question.code)
        if previous is None:
            items.append(QuestionComparison(question.code, Status.NEW, None, question))
        else:
            items.append(compare_question(previous, question))
    items += [QuestionComparison(q.code, Status.REMOVED, q, None) for q in old.questions if q.code not in new_codes]
    return Comparison(tuple(items))
