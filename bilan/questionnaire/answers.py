"""Check a respondent's answers against the questionnaire.

Used by the web form (section by section, with ``partial=True`` for 'save and
resume'), by imports and by the seeded generator, so that every answer stored
obeys the same rules: known codes only, conditions applied (answers to hidden
questions are dropped), required answers present on submit.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from bilan.french import NBSP, NNBSP
from bilan.questionnaire.schema import OTHER_CODE, Question, Questionnaire, QuestionType, other_key


class AnswerErrors(ValueError):
    """``errors`` maps a question code to a French message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{code} : {message}" for code, message in errors.items()))


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def clean_value(question: Question, value: Any) -> Any:
    """Return the canonical stored value, or raise ValueError with a French message."""
    qtype = question.type
    if qtype in (QuestionType.SINGLE, QuestionType.YESNO):
        if not isinstance(value, str) or value not in question.choice_codes:
            raise ValueError(f"choix « {value} » inconnu")
        return value
    if qtype is QuestionType.MULTIPLE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise ValueError("une liste de choix est attendue")
        unknown = [v for v in value if v not in question.choice_codes]
        if unknown:
            raise ValueError("choix inconnu : " + ", ".join(f"« {v} »" for v in unknown))
        chosen = set(value)
        if question.max_choices and len(chosen) > question.max_choices:
            raise ValueError(f"au plus {question.max_choices} choix")
        return [code for code in question.choice_codes if code in chosen]
    if qtype is QuestionType.GRID:
        if not isinstance(value, dict):
            raise ValueError("une réponse par ligne est attendue")
        rows = {row.code for row in question.rows}
        columns = {column.code for column in question.columns}
        cleaned = {}
        for row, column in value.items():
            if row not in rows:
                raise ValueError(f"ligne « {row} » inconnue")
            if _is_empty(column):
                continue
            if not isinstance(column, str) or column not in columns:  # a list there is no column either
                raise ValueError(f"ligne « {row} » : colonne « {column} » inconnue")
            cleaned[row] = column
        return {row.code: cleaned[row.code] for row in question.rows if row.code in cleaned}
    if qtype in (QuestionType.SCALE, QuestionType.NUMBER):
        if isinstance(value, bool):
            raise ValueError("un nombre est attendu")
        if isinstance(value, str):
            text = value.strip().replace(NNBSP, "").replace(NBSP, "").replace(" ", "").replace(",", ".")
            try:
                value = float(text)
            except ValueError:
                raise ValueError(f"« {value} » n'est pas un nombre") from None
        if not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
            raise ValueError("un nombre est attendu")
        if (qtype is QuestionType.SCALE or question.integer) and float(value) != int(value):
            raise ValueError("un nombre entier est attendu")
        if question.min is not None and value < question.min:
            raise ValueError(f"la valeur doit être au moins {_fr_number(question.min)}")
        if question.max is not None and value > question.max:
            raise ValueError(f"la valeur doit être au plus {_fr_number(question.max)}")
        if qtype is QuestionType.SCALE or question.integer:
            return int(value)
        return float(value)
    if qtype.is_free_text:
        if not isinstance(value, str):
            raise ValueError("un texte est attendu")
        value = value.strip()
        if question.max_length and len(value) > question.max_length:
            raise ValueError(f"{question.max_length} caractères au plus ({len(value)} saisis)")
        return value
    raise ValueError(f"type {qtype} non géré")


# Values remembered per questionnaire: an import checks the same few values (a choice code, a number)
# hundreds of thousands of times. Free texts, different on every row, are checked each time.
_REMEMBERED_VALUES = 50_000


def _value_key(value: Any) -> Any:
    """A hashable key for ``value`` that tells apart what compares equal but is checked differently
    (``True`` and ``1``, ``1`` and ``1.0``, ``"a"`` and ``["a"]``); None when not worth remembering."""
    kind = type(value)
    if kind is str:
        return value  # the most frequent (choice codes), and equal to no other kind's key
    if kind in (int, float, bool):
        return (kind, value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return (list, tuple(value))
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        return (dict, tuple(value.items()))
    return None


def _clean_value_remembered(questionnaire: Questionnaire, question: Question, value: Any) -> Any:
    key = None if question.type.is_free_text else _value_key(value)
    if key is None:
        return clean_value(question, value)
    remembered = questionnaire.checked_values
    found = remembered.get((question.code, key))
    if found is None:
        try:
            found = (True, clean_value(question, value))
        except ValueError as error:
            found = (False, str(error))
        if len(remembered) < _REMEMBERED_VALUES:
            remembered[(question.code, key)] = found
    ok, result = found
    if not ok:
        raise ValueError(result)
    # A list or a mapping is the caller's to keep: never the remembered one itself.
    return list(result) if isinstance(result, list) else dict(result) if isinstance(result, dict) else result


def _fr_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")


def clean_answers(questionnaire: Questionnaire, raw: dict[str, Any], *, partial: bool = False,
                  codes: Iterable[str] | None = None) -> dict[str, Any]:
    """Validate ``raw`` answers and return them cleaned.

    ``codes`` restricts the check to some questions (one page of the form);
    answers to other questions in ``raw`` are kept as they are, so conditions
    that depend on earlier pages still apply. With ``partial`` a missing
    required answer is not an error (save and resume). Raises
    :class:`AnswerErrors` listing every problem.
    """
    known = questionnaire.code_set
    wanted = set(codes) if codes is not None else known
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for key, value in raw.items():
        base = key[:-len(".other")] if key.endswith(".other") else key
        if base not in known:
            errors[key] = "question inconnue"
        elif base not in wanted:
            cleaned[key] = value
    # Walk in questionnaire order so conditions see already-cleaned answers.
    for question in questionnaire.questions:
        if question.code not in wanted:
            continue
        if not question.is_shown(cleaned):
            continue
        value = raw.get(question.code)
        if _is_empty(value):
            if question.required and not partial:
                errors[question.code] = "réponse obligatoire"
            continue
        try:
            cleaned[question.code] = _clean_value_remembered(questionnaire, question, value)
        except ValueError as error:
            errors[question.code] = str(error)
            continue
        if question.type is QuestionType.GRID and question.required and not partial:
            missing = [row.label for row in question.rows if row.code not in cleaned[question.code]]
            if missing:
                errors[question.code] = "répondez pour chaque ligne (manque : " + ", ".join(missing) + ")"
        if question.other:
            chosen = cleaned[question.code]
            has_other = chosen == OTHER_CODE or (isinstance(chosen, list) and OTHER_CODE in chosen)
            other_text = str(raw.get(other_key(question.code)) or "").strip()
            if has_other and other_text:
                cleaned[other_key(question.code)] = other_text
            elif has_other and not partial:
                errors[question.code] = "précisez « " + question.other_label + " »"
    if errors:
        raise AnswerErrors(errors)
    # Drop answers whose question became hidden by a later answer (only a condition on a later question
    # can do that: one on earlier questions was already judged on their final answers).
    late = questionnaire.late_conditioned_codes
    if not late:
        return cleaned
    return {key: value for key, value in cleaned.items()
            if (base := key.split(".")[0]) not in late or base not in wanted
            or questionnaire.question(base).is_shown(cleaned)}
