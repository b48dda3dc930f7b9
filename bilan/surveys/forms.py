"""One Django form per questionnaire section, built from the schema and rendered with the DSFR.

The form only collects raw values: the questionnaire core
(:func:`bilan.questionnaire.clean_answers`, through
:func:`bilan.surveys.respondent.save_section`) is the single judge of what is
valid, so the web form, imports and the generator obey the same rules.

The staff page that imports past answers has its forms here too (file, then
columns); their column choices are judged by
:func:`bilan.surveys.imports.check_column_target`, as the command's are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from dsfr.forms import DsfrBaseForm
from dsfr.utils import dsfr_input_class_attr

from bilan.core.forms import DSFR_RENDERER, ChoiceField, StaffForm, guillemets
from bilan.french import NBSP, french_spacing
from bilan.interop.answers_formats import ANSWER_FORMATS, FORMAT_NAMES_FR, META, InteropError
from bilan.questionnaire import Condition, Question, Questionnaire, QuestionType, Section
from bilan.questionnaire.schema import OTHER_CODE, other_key
from bilan.surveys.imports import check_column_target, column_targets

OTHER_TEXT_MAX_LENGTH = 300
REQUIRED_MARKER = (f'<span class="fr-required-marker" aria-hidden="true">{NBSP}*</span>'
                   '<span class="fr-sr-only"> (réponse obligatoire)</span>')


def _choice_list(question: Question) -> list[tuple[str, str]]:
    return [(choice.code, french_spacing(choice.label, narrow=True)) for choice in question.all_choices]


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

    default_renderer = DSFR_RENDERER  # bilan.core.forms: the DSFR's widget templates, parsed once

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
        # the question's text is escaped; the marker is our own constant markup
        return mark_safe(escape(french_spacing(question.text, narrow=True)) + marker)  # noqa: S308

    def _help(self, question: Question) -> SafeString:
        parts = []
        if question.help:
            parts.append(escape(french_spacing(question.help, narrow=True)))
        if question.type is QuestionType.MULTIPLE and question.max_choices:
            parts.append(escape(f"{question.max_choices} choix au plus."))
        if question.type in (QuestionType.TEXT, QuestionType.LONGTEXT) and question.max_length:
            parts.append(escape(f"{question.max_length} caractères au plus."))
        if question.conditions:
            note = escape(french_spacing(condition_note(self.schema, question), narrow=True))
            parts.append(f'<span class="bilan-condition-note">{note}</span>')
        return mark_safe(" ".join(parts))  # noqa: S308  every part is escaped, the span is our own markup

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
                choices.append((str(value), french_spacing(text, narrow=True)))
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
                    label=french_spacing(row.label, narrow=True), required=False,
                    choices=[(c.code, french_spacing(c.label, narrow=True)) for c in question.columns],
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
                label=french_spacing(f"{question.other_label} (précisez)", narrow=True), required=False,
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
                item.grid_rows = list(zip(item.question.rows, (self[name] for name in item.field_names), strict=True))
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
            message = french_spacing(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."),
                                     narrow=True)
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
                summary.append((anchor, french_spacing(item.question.text, narrow=True),
                                " ".join(dict.fromkeys(messages))))
        for message in self.non_field_errors():
            summary.append(("", "", message))
        return summary


# --------------------------------------------------------------------------- the answers import page (staff)

MAX_UPLOAD = 5 * 1024 * 1024
LEAVE_ASIDE = "— laisser cette colonne de côté —"
IMPORT_STEPS = {"upload": "Lecture du fichier de réponses", "confirm": "Import des réponses"}
EXISTING_CHOICES = [("replace", "Les remplacer par celles de ce fichier"), ("append", "Ajouter celles de ce fichier")]


def _sentence(message: str) -> str:
    """An import error (« la question … ») as a sentence under a field."""
    message = french_spacing(message)
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class ImportStepForm(StaffForm):
    """Which step of the import page was sent (its hidden « step » field)."""

    step = ChoiceField(label="", widget=forms.HiddenInput, choices=list(IMPORT_STEPS.items()),
                       error_messages={"required": "Le formulaire ne dit pas quelle étape de l'import faire.",
                                       "invalid_choice": f"Étape «{NBSP}%(value)s{NBSP}» inconnue."})


class UploadAnswersForm(StaffForm):
    """The answer file and its format (recognised from the content when left empty)."""

    fichier = forms.FileField(label="Fichier de réponses", help_text=f"CSV, TSV, XLSX ou ODS, 5{NBSP}Mo au plus",
                              widget=forms.FileInput(attrs={"class": "fr-upload"}),
                              error_messages={"required": "Choisissez un fichier de réponses.",
                                              "empty": "Le fichier envoyé est vide.",
                                              "invalid": "Envoyez un fichier de réponses."})
    format = ChoiceField(label="Format", required=False,
                         error_messages={"invalid_choice": f"Format «{NBSP}%(value)s{NBSP}» inconnu."})

    def __init__(self, campaign, data=None, files=None):
        self.campaign = campaign
        super().__init__(data=data, files=files, auto_id="%s")
        self.fields["format"].choices = [("", "Reconnu d’après le contenu")] + [
            (name, FORMAT_NAMES_FR[name]) for name in ANSWER_FORMATS]
        self.fields["fichier"].widget.group_class = "fr-upload-group"
        self.dsfr_fields()

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                f"Fichier trop gros pour la page ({upload.size // 1024}{NBSP}Ko, 5{NBSP}Mo au plus){NBSP}: "
                f"utilisez la commande bilan import answers --campaign {self.campaign.slug}.")
        return upload


class ColumnsForm(StaffForm):
    """Where each column of the file goes (``col-N``: a question or a part of one, or nothing),
    and, when the campaign already holds imported answers, whether to replace them or add to them.

    A target is judged by :func:`bilan.surveys.imports.check_column_target`, as the command's
    ``--map`` is: the page and ``bilan import answers`` accept the same choices.
    """

    def __init__(self, plan, *, has_imported: bool, data=None):
        self.plan = plan
        super().__init__(data=data, auto_id="%s")
        choices = [("", LEAVE_ASIDE)] + column_targets(plan.campaign.questionnaire.schema)
        strata = plan.strata.indexes
        self.columns = {}
        for column in plan.parsed.columns:
            if column.kind == META or column.index in strata:
                continue
            match = plan.mapping.matches.get(column.index)
            selected = "" if match is None else (f"{match.question}/{match.part}" if match.part else match.question)
            name = f"col-{column.index}"
            self.columns[name] = column
            self.fields[name] = forms.CharField(
                label=f"Question pour la colonne {guillemets(column.heading)}", required=False, max_length=200,
                initial=selected, widget=forms.Select(choices=choices))
        if has_imported:
            self.fields["existing"] = ChoiceField(
                label="Cette campagne contient déjà des réponses importées", choices=EXISTING_CHOICES,
                widget=forms.RadioSelect, error_messages={
                    "required": "Choisissez de remplacer les réponses déjà importées ou d'y ajouter celles-ci.",
                    "invalid_choice": f"«{NBSP}%(value)s{NBSP}» n'est pas un choix possible."})
        self.dsfr_fields()

    def clean(self):
        data = super().clean()
        for name, column in self.columns.items():
            if self.is_bound and name not in self.data:
                # A page always sends every column: a missing one is not « leave it aside ».
                self.add_error(name, f"Cette colonne manque au formulaire{NBSP}: rechargez la page.")
            elif data.get(name):
                try:
                    check_column_target(self.plan, column, data[name])
                except InteropError as error:
                    self.add_error(name, _sentence(error.message))
        return data

    def assignments(self) -> dict[int, str]:
        return {column.index: self.cleaned_data[name] for name, column in self.columns.items()
                if self.cleaned_data.get(name)}

    def ignored(self) -> list[int]:
        return [column.index for name, column in self.columns.items() if not self.cleaned_data.get(name)]

    def field_of(self, index: int):
        name = f"col-{index}"
        return self[name] if name in self.fields else None
