"""Questionnaire schema: a pure core (no Django import).

A questionnaire is declared in a human-readable YAML file (see
docs/questionnaire-format.md), loaded into frozen dataclasses by
:func:`load_questionnaire`, and answers are checked against it by
:func:`validate_answers`.
"""

from bilan.questionnaire.answers import (  # noqa: F401
    AnswerErrors,
    clean_answers,
)
from bilan.questionnaire.loader import (  # noqa: F401
    QuestionnaireError,
    builtin_path,
    load_builtin,
    load_questionnaire,
    parse_questionnaire,
)
from bilan.questionnaire.schema import Choice, Condition, Question, Questionnaire, QuestionType, Section  # noqa: F401
