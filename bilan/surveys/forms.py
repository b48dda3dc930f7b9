"""One Django form per questionnaire section, built from the schema and rendered with the DSFR.

The form only collects raw values: the questionnaire core
(:func:`bilan.questionnaire.clean_answers`, through
:func:`bilan.surveys.respondent.save_section`) is the single judge of what is
valid, so the web form, imports and the generator obey the same rules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates
from dsfr.utils import dsfr_input_class_attr

from bilan.questionnaire import Condition, Question, QuestionType, Questionnaire, Section
from bilan.questionnaire.schema import OTHER_CODE, other_key
from bilan.surveys.templatetags.respondent_fr import french_spacing

OTHER_TEXT_MAX_LENGTH = 300
REQUIRED_MARKER = ('<span class="fr-required-marker" aria-hidden="true">\u00a0*</span>'
                   '<span class="fr-sr-only"> (réponse obligatoire)</span>')


def _html(text: str) -> SafeString:
    return mark_safe(escape(french_spacing(text)))


def _choice_list(question: Question) -> list[tuple[str, str]]:
    return [(choice.code, french_spacing(choice.label)) for choice in question.all_choices]


def describe_condition(schema: Questionnaire, condition: Condition) -> str:
    """A condition as the respondent reads it: « vous avez répondu « Oui » à … »."""
    try:
        asked = schema.question(condition.question)
    except KeyError:
        return f"la question {condition.question} le demande"
    target = f"à la question « {asked.text} »"
    if condition.operator == "answered":
        return f"vous avez répondu {target}" if condition.value else f"vous n'avez pas répondu {target}"
    if condition.operator == "in":
        values = " ou ".join(f"« {asked.choice_label(str(v))} »" for v in condition.value)
        return f"vous avez répondu {values} {target}"
    label = f"« {asked.choice_label(str(condition.value))} »"
    if condition.operator == "includes":
        return f"vous avez coché {label} {target}"
    if condition.operator == "not_equals":
        return f"vous n'avez pas répondu {label} {target}"
    return f"vous avez répondu {label} {target}"


def condition_note(schema: Questionnaire, question: Question) -> str:
    joiner = " ou si " if question.conditions_mode == "any" else " et si "
    return "Répondez si " + joiner.join(describe_condition(schema, c) for c in question.conditions) + "."


def question_anchor(question: Question) -> str:
    """The id of a question's first input on its section page (error links point there)."""
    if question.type is QuestionType.GRID:
        return f"id_{question.code}__{question.rows[0].code}_0"
    if question.type.is_choice or question.type is QuestionType.SCALE:
        return f"id_{question.code}_0"
    return f"id_{question.code}"


@dataclass
class QuestionItem:
    """One question as laid out on the page."""

    question: Question
    kind: str  # "field" (DSFR snippet), "grid" or "choices_with_other"
    field_names: list[str]
    other_field: str = ""
    conditions_json: str = ""
    other_conditions_json: str = ""
    error: str = ""
    anchor: str = ""
    grid_rows: list[tuple[Any, Any]] = field(default_factory=list)  # (row Choice, bound field)
    note: str = ""  # « Répondez si … », for conditional questions
    bound: Any = None  # the main bound field (not for grids)
    other_bound: Any = None

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def error_id(self) -> str:
        return f"id_{self.code}-desc-error"


class SectionForm(DsfrBaseForm):
    """The questions of one section; ``raw_answers()`` gives values for ``save_section``."""

    # DsfrBaseForm falls back to the project's FORM_RENDERER when it is set, and
    # that renderer would pick Django's widget templates over the DSFR's ones.
    default_renderer = DsfrDjangoTemplates

    def __init__(self, schema: Questionnaire, section: Section, answers: dict[str, Any], data=None):
        self.schema = schema
        self.section = section
        self.items: list[QuestionItem] = []
        self._field_to_question: dict[str, str] = {}
        super().__init__(data=data, initial=self._initial(section, answers))
        page_codes = {q.code for q in section.questions}
        for question in section.questions:
            depends_on_page = any(c.question in page_codes for c in question.conditions)
            if question.is_shown(answers) or depends_on_page:
                self._add_question(question, answers, page_codes)
        # DsfrBaseForm sets its CSS classes in __init__, before our fields existed.
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    @staticmethod
    def _initial(section: Section, answers: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for question in section.questions:
            value = answers.get(question.code)
            if value is None:
                continue
            if question.type is QuestionType.GRID:
                for row, column in value.items():
                    initial[f"{question.code}__{row}"] = column
            elif question.type in (QuestionType.SCALE, QuestionType.NUMBER):
                initial[question.code] = str(value).replace(".", ",") if isinstance(value, float) else str(value)
            else:
                initial[question.code] = value
            if other_key(question.code) in answers:
                initial[f"{question.code}__other"] = answers[other_key(question.code)]
        return initial

    def _label(self, question: Question) -> SafeString:
        marker = REQUIRED_MARKER if question.required else ""
        return mark_safe(escape(french_spacing(question.text)) + marker)

    def _help(self, question: Question) -> SafeString:
        parts = []
        if question.help:
            parts.append(escape(french_spacing(question.help)))
        if question.type is QuestionType.MULTIPLE and question.max_choices:
            parts.append(escape(f"{question.max_choices} choix au plus."))
        if question.type in (QuestionType.TEXT, QuestionType.LONGTEXT) and question.max_length:
            parts.append(escape(f"{question.max_length} caractères au plus."))
        if question.conditions:
            parts.append(f'<span class="bilan-condition-note">{escape(french_spacing(condition_note(self.schema, question)))}</span>')
        return mark_safe(" ".join(parts))

    def _conditions_json(self, question: Question, answers: dict[str, Any], page_codes: set[str]) -> str:
        if not question.conditions:
            return ""
        external = {c.question: answers.get(c.question) for c in question.conditions
                    if c.question not in page_codes and c.question in answers}
        return json.dumps({
            "mode": question.conditions_mode,
            "conditions": [{"question": c.question, "operator": c.operator, "value": c.value}
                           for c in question.conditions],
            "answers": external,
        }, ensure_ascii=False)

    def _add_question(self, question: Question, answers: dict[str, Any], page_codes: set[str]) -> None:
        code = question.code
        label, help_text = self._label(question), self._help(question)
        item = QuestionItem(question=question, kind="field", field_names=[code],
                            conditions_json=self._conditions_json(question, answers, page_codes),
                            anchor=question_anchor(question),
                            note=condition_note(self.schema, question) if question.conditions else "")
        qtype = question.type
        if qtype in (QuestionType.SINGLE, QuestionType.YESNO):
            self.fields[code] = forms.ChoiceField(label=label, help_text=help_text, required=False,
                                                  choices=_choice_list(question), widget=forms.RadioSelect)
        elif qtype is QuestionType.SCALE:
            choices = []
            for value in question.scale_values:
                text = str(value)
                if value == question.min and question.min_label:
                    text += f" ({question.min_label})"
                elif value == question.max and question.max_label:
                    text += f" ({question.max_label})"
                choices.append((str(value), french_spacing(text)))
            self.fields[code] = forms.ChoiceField(label=label, help_text=help_text, required=False,
                                                  choices=choices, widget=forms.RadioSelect(attrs={}))
            self.fields[code].widget.inline = True
        elif qtype is QuestionType.MULTIPLE:
            self.fields[code] = forms.MultipleChoiceField(label=label, help_text=help_text, required=False,
                                                          choices=_choice_list(question),
                                                          widget=forms.CheckboxSelectMultiple)
        elif qtype is QuestionType.GRID:
            item.kind = "grid"
            item.field_names = []
            for row in question.rows:
                name = f"{code}__{row.code}"
                self.fields[name] = forms.ChoiceField(
                    label=french_spacing(row.label), required=False,
                    choices=[(c.code, french_spacing(c.label)) for c in question.columns],
                    widget=forms.RadioSelect)
                item.field_names.append(name)
                self._field_to_question[name] = code
        elif qtype is QuestionType.NUMBER:
            mode = "numeric" if question.integer else "decimal"
            self.fields[code] = forms.CharField(label=label, help_text=help_text, required=False,
                                                widget=forms.TextInput(attrs={"inputmode": mode}))
        elif qtype is QuestionType.TEXT:
            attrs = {"maxlength": question.max_length} if question.max_length else {}
            self.fields[code] = forms.CharField(label=label, help_text=help_text, required=False,
                                                widget=forms.TextInput(attrs=attrs))
        else:
            attrs = {"rows": 5, **({"maxlength": question.max_length} if question.max_length else {})}
            self.fields[code] = forms.CharField(label=label, help_text=help_text, required=False,
                                                widget=forms.Textarea(attrs=attrs))
        self._field_to_question[code] = code
        if question.other and qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            name = f"{code}__other"
            self.fields[name] = forms.CharField(
                label=french_spacing(f"{question.other_label} (précisez)"), required=False,
                widget=forms.TextInput(attrs={"maxlength": OTHER_TEXT_MAX_LENGTH}))
            self._field_to_question[name] = code
            item.kind = "choices_with_other"
            item.other_field = name
            operator = "includes" if qtype is QuestionType.MULTIPLE else "equals"
            item.other_conditions_json = json.dumps({
                "mode": "all", "answers": {},
                "conditions": [{"question": code, "operator": operator, "value": OTHER_CODE}]})
        self.items.append(item)

    def bound_items(self) -> list[QuestionItem]:
        """Items with their grid rows bound, for the template."""
        for item in self.items:
            if item.kind == "grid":
                item.grid_rows = list(zip(item.question.rows, (self[name] for name in item.field_names)))
            else:
                item.bound = self[item.field_names[0]]
            if item.other_field:
                item.other_bound = self[item.other_field]
        return self.items

    def raw_answers(self) -> dict[str, Any]:
        """The submitted values keyed like stored answers (call after ``is_valid()``)."""
        data = getattr(self, "cleaned_data", {})
        raw: dict[str, Any] = {}
        for item in self.items:
            question = item.question
            if item.kind == "grid":
                grid = {row.code: data.get(f"{question.code}__{row.code}")
                        for row in question.rows if data.get(f"{question.code}__{row.code}")}
                if grid:
                    raw[question.code] = grid
                continue
            value = data.get(question.code)
            if value not in (None, "", []):
                raw[question.code] = value
            if item.other_field and data.get(item.other_field):
                raw[other_key(question.code)] = data[item.other_field]
        return raw

    def add_answer_errors(self, errors: dict[str, str]) -> None:
        """Attach the questionnaire core's messages (keyed by question code) to the fields."""
        by_code = {item.code: item for item in self.items}
        for key, message in errors.items():
            code = key.split(".", 1)[0]
            message = french_spacing(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."))
            item = by_code.get(code)
            if item is None:
                self.add_error(None, f"{key} : {message}")
                continue
            if item.kind == "grid":
                item.error = message
            elif item.other_field and (key != code or message.startswith("Précisez")):
                self.add_error(item.other_field, message)
            else:
                self.add_error(code, message)

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(anchor id, question text, message) for each question with an error, in page order."""
        summary = []
        for item in self.items:
            messages = []
            anchor = item.anchor
            if item.error:
                messages.append(item.error)
            for name in item.field_names:
                messages.extend(self.errors.get(name, []))
                if self.errors.get(name) and item.kind == "grid":
                    item.error = item.error or " ".join(self.errors[name])
            if item.other_field and self.errors.get(item.other_field):
                messages.extend(self.errors[item.other_field])
                if not any(self.errors.get(n) for n in item.field_names) and not item.error:
                    anchor = f"id_{item.other_field}"
            if messages:
                summary.append((anchor, french_spacing(item.question.text), " ".join(dict.fromkeys(messages))))
        for message in self.non_field_errors():
            summary.append(("", "", message))
        return summary
