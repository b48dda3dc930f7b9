"""Forms of the questionnaire pages: upload a file, edit sections and questions in the browser."""

from __future__ import annotations

from typing import Any

from django import forms

from bilan.core.forms import NBSP, ChoiceField, StaffForm, shown
from bilan.french import french_spacing
from bilan.questionnaire import Question, Questionnaire, QuestionType
from bilan.questionnaire.editing import TYPE_LABELS
from bilan.surveys.questionnaires import MAX_UPLOAD

NEW_OPTIONS = 3
OPTION_LISTS = {"choices": ("Choix", "choix"), "rows": ("Lignes de la grille", "ligne"),
                "columns": ("Colonnes de la grille", "colonne")}
ALWAYS = ""
KEEP = "keep"
ACTIONS = {
    "add_section": "ajouter une section",
    "rename_section": "renommer une section",
    "remove_section": "supprimer une section",
    "move_section": "déplacer une section",
    "add_question": "ajouter une question",
    "remove_question": "supprimer une question",
    "move_question": "déplacer une question",
}
DIRECTIONS = {"up": "monter", "down": "descendre"}
TYPE_CHOICES = [(t.value, label) for t, label in TYPE_LABELS.items()]


class UploadQuestionnaireForm(StaffForm):
    fichier = forms.FileField(
        label="Fichier du questionnaire",
        help_text=f"Notre format YAML (.yaml), ou LimeSurvey (.lss, .txt), 2{NBSP}Mo au plus",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".yaml,.yml,.lss,.txt"}),
        error_messages={"required": "Choisissez un fichier de questionnaire.",
                        "empty": "Le fichier envoyé est vide.", "invalid": "Envoyez un fichier de questionnaire."})

    def __init__(self, data=None, files=None):
        super().__init__(data=data, files=files, auto_id="%s")
        self.fields["fichier"].widget.group_class = "fr-upload-group"
        self.dsfr_fields()

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                f"Fichier trop gros ({upload.size // 1024}{NBSP}Ko{NBSP}; 2{NBSP}Mo au plus).")
        return upload


class StructureForm(StaffForm):
    """One action of the editor's main page (add, rename, remove, move a section or a question)."""

    action = ChoiceField(label="", widget=forms.HiddenInput, choices=list(ACTIONS.items()),
                         error_messages={"required": "Le formulaire ne dit pas quelle action faire.",
                                         "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})
    section = forms.CharField(label="Section", required=False, max_length=64)
    question = forms.CharField(label="Question", required=False, max_length=64)
    direction = ChoiceField(label="Sens", required=False, choices=list(DIRECTIONS.items()),
                            error_messages={"invalid_choice": f"Sens «{NBSP}%(value)s{NBSP}» inconnu."})
    title = forms.CharField(label="Titre de la section", required=False, max_length=200)
    text = forms.CharField(label="Intitulé de la nouvelle question", required=False, max_length=1000)
    type = ChoiceField(label="Type de la nouvelle question", required=False, choices=TYPE_CHOICES,
                       error_messages={"invalid_choice": f"Type «{NBSP}%(value)s{NBSP}» inconnu."})

    def __init__(self, schema: Questionnaire, data=None, prefix=None):
        self.schema = schema
        super().__init__(data=data, prefix=prefix)

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if not action:
            return data
        sections = {s.code for s in self.schema.sections}
        section, question = shown(data.get("section") or ""), shown(data.get("question") or "")
        if action in ("rename_section", "remove_section", "move_section", "add_question") \
                and data.get("section") not in sections:
            self.add_error(None, f"La section «{NBSP}{section}{NBSP}» n'existe pas dans ce questionnaire.")
        if action in ("remove_question", "move_question") and data.get("question") not in self.schema.codes:
            self.add_error(None, f"La question «{NBSP}{question}{NBSP}» n'existe pas dans ce questionnaire.")
        if action in ("move_section", "move_question") and not data.get("direction"):
            self.add_error("direction", "Dites s'il faut monter ou descendre.")
        if action in ("add_section", "rename_section") and not (data.get("title") or "").strip():
            self.add_error("title", "Donnez un titre à la section.")
        if action == "add_question":
            if not (data.get("text") or "").strip():
                self.add_error("text", "Saisissez l'intitulé de la nouvelle question.")
            if not data.get("type"):
                self.add_error("type", "Choisissez le type de la nouvelle question.")
        if action == "remove_section" and len(sections) <= 1:
            self.add_error(None, "Un questionnaire garde au moins une section.")
        return data


def condition_choices(schema: Questionnaire, question: Question) -> list[tuple[str, str]]:
    """« Toujours », then « si <question> = <choice> » for each choice of each earlier choice question."""
    options = [(ALWAYS, "Toujours")]
    for earlier in schema.questions:
        if earlier.code == question.code:
            break
        if not earlier.type.is_choice:
            continue
        verb = "a coché" if earlier.type is QuestionType.MULTIPLE else "a répondu"
        for choice in earlier.all_choices:
            label = f"Si la personne {verb} «{NBSP}{choice.label}{NBSP}» à «{NBSP}{_clip(earlier.text)}{NBSP}»"
            options.append((f"{earlier.code}|{choice.code}", french_spacing(label)))
    return options


def _clip(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[:size].rstrip() + "…"


def current_condition(question: Question) -> str:
    """The form value of the question's display condition: ``KEEP`` when the form cannot show it."""
    if not question.conditions:
        return ALWAYS
    if len(question.conditions) == 1 and question.conditions[0].operator in ("equals", "includes"):
        condition = question.conditions[0]
        return f"{condition.question}|{condition.value}"
    return KEEP


class QuestionForm(StaffForm):
    """Wording, help, type, required, choices, rows and columns, display condition of one question."""

    text = forms.CharField(label="Intitulé", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Saisissez l'intitulé de la question."})
    help = forms.CharField(label="Aide (facultative)", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    type = ChoiceField(label="Type de réponse", choices=TYPE_CHOICES,
                       error_messages={"required": "Choisissez le type de réponse.",
                                       "invalid_choice": f"Type «{NBSP}%(value)s{NBSP}» inconnu."})
    required = forms.BooleanField(label="Réponse obligatoire", required=False)
    condition = ChoiceField(label="Afficher la question", required=False,
                            error_messages={"invalid_choice": f"Condition «{NBSP}%(value)s{NBSP}» inconnue."})

    def __init__(self, schema: Questionnaire, question: Question, data=None):
        self.schema = schema
        self.question = question
        initial = {"text": question.text, "help": question.help, "type": question.type.value,
                   "required": question.required, "condition": current_condition(question),
                   "other": question.other}
        super().__init__(data=data, initial=initial)
        choices = condition_choices(schema, question)
        if initial["condition"] == KEEP:
            choices.insert(1, (KEEP, "Garder la condition actuelle (plusieurs conditions)"))
        self.fields["condition"].choices = choices
        self.option_fields: dict[str, list[tuple[str, str, str, str]]] = {}
        if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            self.fields["other"] = forms.BooleanField(label="Proposer «\u00a0Autre\u00a0» avec une précision",
                                                      required=False)
            self._option_fields("choices", question.choices)
        if question.type is QuestionType.GRID:
            self._option_fields("rows", question.rows)
            self._option_fields("columns", question.columns)
        self.dsfr_fields()

    def _option_fields(self, key: str, options) -> None:
        """For each option: its label and a « remove » box; then empty labels for new ones.
        ``option_fields[key]`` lists (code, label field, remove field, display label)."""
        _, word = OPTION_LISTS[key]
        rows = []
        for index, option in enumerate(options, start=1):
            label_name, remove_name = f"{key}-{option.code}", f"{key}-{option.code}-remove"
            self.fields[label_name] = forms.CharField(label=f"{word.capitalize()} {index} (code {option.code})",
                                                      max_length=300, required=False, initial=option.label)
            self.fields[remove_name] = forms.BooleanField(label=f"Retirer {word} {index}", required=False)
            rows.append((option.code, label_name, remove_name))
        for number in range(1, NEW_OPTIONS + 1):
            name = f"{key}-new-{number}"
            self.fields[name] = forms.CharField(label=f"Nouveau {word} {number}" if word == "choix"
                                                else f"Nouvelle {word} {number}", max_length=300, required=False)
            rows.append(("", name, ""))
        self.option_fields[key] = rows

    def option_groups(self) -> list[dict[str, Any]]:
        groups = []
        for key, rows in self.option_fields.items():
            title, _ = OPTION_LISTS[key]
            groups.append({"key": key, "title": title, "rows": [
                (code, self[label], self[remove] if remove else None) for code, label, remove in rows]})
        return groups

    def clean(self):
        data = super().clean()
        for rows in self.option_fields.values():
            for code, label, remove in rows:
                if code and not data.get(remove) and not (data.get(label) or "").strip():
                    self.add_error(label, "Saisissez le libellé, ou cochez «\u00a0Retirer\u00a0».")
        return data

    def options(self, key: str) -> list[tuple[str, str]]:
        """(code, label) of the options kept, then the new ones (code "")."""
        data = self.cleaned_data
        kept = []
        for code, label, remove in self.option_fields.get(key, []):
            text = (data.get(label) or "").strip()
            if (remove and data.get(remove)) or not text:
                continue
            kept.append((code, text))
        return kept
