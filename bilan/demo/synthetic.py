"""Synthetic questionnaires and answers for tests and benchmarks (pure, seeded).

Unlike the realistic demo generator, nothing here imitates the RUPN survey:
it makes questionnaires of any size mixing every question type (with
conditions), and answers that obey them, fast enough for 10^6 respondents
(numpy, column by column). The same draws give records (dicts, as stored)
or whole columns (``AnswerTable.from_columns`` layout), so both input paths
of the analysis can be checked against each other.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import polars as pl
import yaml

from bilan.questionnaire import parse_questionnaire
from bilan.questionnaire.schema import OTHER_CODE, Questionnaire, QuestionType, other_key

SCHOOL_TYPE_SHARES = {"college": 0.58, "lycee": 0.22, "lp": 0.14, "erea": 0.03, "other": 0.03}
DEPARTEMENT_SHARES = {"16": 0.2, "17": 0.35, "79": 0.2, "86": 0.25}
TYPE_MIX = (("single", 0.28), ("multiple", 0.18), ("yesno", 0.16), ("grid", 0.1), ("scale", 0.08),
            ("number", 0.05), ("text", 0.07), ("longtext", 0.08))
COMMENTS_FR = ("Plus de temps dédié serait utile.", "Formation à l'IA souhaitée.",
               "Très bonne année, merci.", "Manque de matériel en salle.", "Rien à signaler.")


def synthetic_questionnaire(n_questions: int = 60, seed: int = 1) -> Questionnaire:
    """A valid questionnaire of ``n_questions`` questions of every type, about one in five conditional."""
    rng = random.Random(seed)
    types, shares = zip(*TYPE_MIX, strict=True)
    sections, questions = [], []
    conditionable: list[dict] = []
    for number in range(1, n_questions + 1):
        qtype = rng.choices(types, shares)[0]
        code = f"Q{number:03d}"
        question: dict[str, Any] = {"code": code, "type": qtype, "text": f"Question {number} ({qtype}) ?"}
        if qtype in ("single", "multiple"):
            size = rng.randint(2, 8)
            question["choices"] = [{"code": f"c{i}", "label": f"Choix {i}"} for i in range(1, size + 1)]
            question["other"] = rng.random() < 0.3
        elif qtype == "grid":
            question["rows"] = [{"code": f"r{i}", "label": f"Ligne {i}"} for i in range(1, rng.randint(2, 5) + 1)]
            question["columns"] = [{"code": f"k{i}", "label": f"Colonne {i}"}
                                   for i in range(1, rng.randint(2, 4) + 1)]
        elif qtype == "scale":
            question["min"], question["max"] = rng.choice([(1, 4), (1, 5), (0, 10)])
        elif qtype == "number":
            question["min"] = 0
        if conditionable and rng.random() < 0.2:
            target = rng.choice(conditionable[-6:])
            codes = [c["code"] for c in target.get("choices", [])] or ["yes", "no"]
            if target["type"] == "multiple":
                question["when"] = {"question": target["code"], "includes": rng.choice(codes)}
            elif rng.random() < 0.7:
                question["when"] = {"question": target["code"], "equals": rng.choice(codes)}
            else:
                question["when"] = {"question": target["code"], "in": rng.sample(codes, 2)}
        questions.append(question)
        if qtype in ("single", "multiple", "yesno"):
            conditionable.append(question)
        if len(questions) == 8 or number == n_questions:
            sections.append({"code": f"s{len(sections) + 1}", "title": f"Partie {len(sections) + 1}",
                             "questions": questions})
            questions = []
    data = {"code": "synthetic", "version": f"{n_questions}.{seed}", "title": "Questionnaire synthétique",
            "sections": sections}
    return parse_questionnaire(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), source="synthetic")


def synthetic_roster(n_invited: int, seed: int = 1) -> dict[tuple[str, str], int]:
    """Invited people per (school type, département), with the same strata as the answers."""
    rng = np.random.default_rng(seed)
    cells = [(st, dep) for st in SCHOOL_TYPE_SHARES for dep in DEPARTEMENT_SHARES]
    shares = np.array([SCHOOL_TYPE_SHARES[st] * DEPARTEMENT_SHARES[dep] for st, dep in cells])
    shares = shares * rng.uniform(0.8, 1.25, len(cells))
    counts = rng.multinomial(n_invited, shares / shares.sum())
    return {cell: int(count) for cell, count in zip(cells, counts, strict=True)}


def synthetic_answers(questionnaire: Questionnaire, n: int, seed: int = 1, columnar: bool = True):
    """``n`` answers obeying ``questionnaire`` (conditions applied, hidden answers absent).

    With ``columnar`` a :class:`polars.DataFrame` in the
    ``AnswerTable.from_columns`` layout (choice indices with -1 for no
    answer); otherwise a list of records ``{"answers", "school_type",
    "departement_code"}`` as stored in the database.
    """
    rng = np.random.default_rng(seed)
    draws = _draw(questionnaire, n, rng)
    if columnar:
        return _columns(questionnaire, draws, n)
    return _records(questionnaire, draws, n)


def _choice(rng: np.random.Generator, size: int, n: int) -> np.ndarray:
    """Draw ``n`` indices in 0..size-1 with random (Dirichlet) probabilities."""
    thresholds = np.cumsum(rng.dirichlet(np.full(size, 1.5)))[:-1].astype(np.float32)
    uniform = rng.random(n, dtype=np.float32)
    # A few vector comparisons beat searchsorted for the small sizes used here.
    index = np.zeros(n, dtype=np.int16)
    for threshold in thresholds:
        index += uniform >= threshold
    return index


def _draw(questionnaire: Questionnaire, n: int, rng: np.random.Generator) -> dict[str, Any]:
    """Raw draws: per question an array of values (or a boolean matrix) and an 'answered' mask."""
    draws: dict[str, Any] = {}
    st_levels = list(SCHOOL_TYPE_SHARES)
    dep_levels = list(DEPARTEMENT_SHARES)
    draws["_st"] = rng.choice(len(st_levels), n, p=list(SCHOOL_TYPE_SHARES.values())).astype(np.uint8)
    draws["_dep"] = rng.choice(len(dep_levels), n, p=list(DEPARTEMENT_SHARES.values())).astype(np.uint8)
    for question in questionnaire.questions:
        qtype = question.type
        answered = rng.random(n, dtype=np.float32) >= rng.uniform(0.0, 0.12)
        if question.conditions:
            shown = [_shown(condition, questionnaire, draws, n) for condition in question.conditions]
            visible = np.logical_or.reduce(shown) if question.conditions_mode == "any" else np.logical_and.reduce(shown)
            answered &= visible
        if qtype is QuestionType.MULTIPLE:
            size = len(question.choice_codes)
            chosen = rng.random((n, size), dtype=np.float32) < rng.uniform(0.05, 0.6, size).astype(np.float32)
            answered &= chosen.any(axis=1)
            values = chosen
        elif qtype.is_choice:
            values = _choice(rng, len(question.choice_codes), n)
        elif qtype is QuestionType.GRID:
            values = np.stack([_choice(rng, len(question.columns), n) for _ in question.rows], axis=1)
            row_answered = rng.random((n, len(question.rows)), dtype=np.float32) >= 0.04
            values = np.where(row_answered & answered[:, None], values, -1).astype(np.int16)
            answered &= row_answered.any(axis=1)
        elif qtype is QuestionType.SCALE:
            values = int(question.min) + _choice(rng, len(question.scale_values), n).astype(np.int32)
        elif qtype is QuestionType.NUMBER:
            values = rng.poisson(rng.uniform(2, 40), n).astype(np.float64)
        else:
            answered &= rng.random(n, dtype=np.float32) < rng.uniform(0.15, 0.5)
            values = rng.integers(0, len(COMMENTS_FR), n).astype(np.int8)
        draws[question.code] = (values, answered)
    return draws


def _shown(condition, questionnaire: Questionnaire, draws: dict, n: int) -> np.ndarray:
    target = questionnaire.question(condition.question)
    values, answered = draws[target.code]
    if condition.operator == "answered":
        return answered if condition.value else ~answered
    if target.type is QuestionType.MULTIPLE:
        if condition.operator == "includes":
            return answered & values[:, target.choice_codes.index(condition.value)]
        return answered if condition.operator == "not_equals" else np.zeros(n, bool)
    codes = target.choice_codes
    if condition.operator == "equals":
        return answered & (values == codes.index(condition.value))
    if condition.operator == "in":
        return answered & np.isin(values, [codes.index(v) for v in condition.value])
    if condition.operator == "not_equals":
        return answered & (values != codes.index(condition.value))
    return np.zeros(n, bool)


def _columns(questionnaire: Questionnaire, draws: dict, n: int) -> pl.DataFrame:
    columns: list[pl.Series] = [
        pl.Series("school_type", draws["_st"]).replace_strict(dict(enumerate(SCHOOL_TYPE_SHARES)),
                                                              return_dtype=pl.String),
        pl.Series("departement_code", draws["_dep"]).replace_strict(dict(enumerate(DEPARTEMENT_SHARES)),
                                                                    return_dtype=pl.String),
    ]
    for question in questionnaire.questions:
        values, answered = draws[question.code]
        qtype = question.type
        if qtype is QuestionType.MULTIPLE:
            mask = pl.Series(answered)
            for index, option in enumerate(question.choice_codes):
                series = pl.Series(values[:, index])
                columns.append(pl.select(pl.when(mask).then(series)).to_series().alias(f"{question.code}|{option}"))
        elif qtype is QuestionType.GRID:
            for index, row in enumerate(question.rows):
                columns.append(pl.Series(f"{question.code}|{row.code}", values[:, index]))
        elif qtype.is_choice:
            columns.append(pl.Series(question.code, np.where(answered, values, -1).astype(np.int16)))
        elif qtype in (QuestionType.SCALE, QuestionType.NUMBER):
            series = pl.Series(question.code, values)
            columns.append(pl.select(pl.when(pl.Series(answered)).then(series)).to_series().alias(question.code))
        else:
            columns.append(pl.Series(question.code, answered))
    return pl.DataFrame(columns)


def _records(questionnaire: Questionnaire, draws: dict, n: int) -> list[dict[str, Any]]:
    st_levels, dep_levels = list(SCHOOL_TYPE_SHARES), list(DEPARTEMENT_SHARES)
    records = [{"answers": {}, "school_type": st_levels[draws["_st"][i]],
                "departement_code": dep_levels[draws["_dep"][i]]} for i in range(n)]
    for question in questionnaire.questions:
        values, answered = draws[question.code]
        code, qtype = question.code, question.type
        codes = question.choice_codes
        for i in np.flatnonzero(answered).tolist():
            answers = records[i]["answers"]
            if qtype is QuestionType.MULTIPLE:
                answers[code] = [codes[k] for k in np.flatnonzero(values[i]).tolist()]
                if OTHER_CODE in answers[code]:
                    answers[other_key(code)] = "précision"
            elif qtype.is_choice:
                answers[code] = codes[values[i]]
                if answers[code] == OTHER_CODE:
                    answers[other_key(code)] = "précision"
            elif qtype is QuestionType.GRID:
                answers[code] = {row.code: question.columns[values[i, r]].code
                                 for r, row in enumerate(question.rows) if values[i, r] >= 0}
            elif qtype is QuestionType.SCALE or qtype is QuestionType.NUMBER:
                answers[code] = int(values[i])
            else:
                answers[code] = COMMENTS_FR[values[i]]
    return records
