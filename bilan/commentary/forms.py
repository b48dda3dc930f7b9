"""The forms behind the comments pages' buttons: one per action, bound to a campaign and one question.

Every posted value is checked here before a service runs: the comment is a
comment of this question in this campaign, the theme is a live theme of this
question, labels and keywords are bounded. What only the service can judge
(:class:`~bilan.commentary.services.CommentaryError`) is added to the form by
the view. Errors are French and show under their field (django-dsfr markup).
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar

from django import forms

from bilan.commentary import review, services
from bilan.commentary.models import DismissedSuggestion, ThemeRecord
from bilan.comments.codebook import Keyword
from bilan.core.forms import ChoiceField, StaffForm, guillemets, shown
from bilan.french import NBSP

LABEL_MAX_LENGTH = ThemeRecord._meta.get_field("label").max_length
SUGGESTION_MAX_LENGTH = DismissedSuggestion._meta.get_field("label").max_length
KEYWORDS_MAX_LENGTH = 1000
KEYWORD_MAX_LENGTH = 100
MAX_COMMENTS = 5000  # more ids than a campaign has answers: a forged request


class CommentIdsField(forms.Field):
    """Response ids posted several times under one name (checkboxes or hidden inputs)."""

    widget = forms.MultipleHiddenInput
    default_error_messages: ClassVar[dict[str, str]] = {
        "required": "Choisissez au moins un commentaire.",
        "invalid": f"«{NBSP}%(value)s{NBSP}» n'est pas un numéro de commentaire (un nombre entier est attendu).",
        "too_many": f"Trop de commentaires envoyés à la fois ({MAX_COMMENTS} au plus).",
    }

    def to_python(self, value):
        if not value:
            return []
        values = [value] if isinstance(value, str) else list(value)
        if len(values) > MAX_COMMENTS:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        ids = []
        for raw in values:
            text = str(raw).strip()
            if not text.isdigit() or len(text) > 12:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                            params={"value": shown(text)})
            ids.append(int(text))
        return list(dict.fromkeys(ids))


def _comment_field(label="Commentaire"):
    return forms.IntegerField(label=label, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1,
                              error_messages={
                                  "required": "Le commentaire visé manque au formulaire.",
                                  "invalid": "Le commentaire visé doit être un numéro de réponse (nombre entier).",
                                  "min_value": "Le commentaire visé doit être un numéro de réponse positif.",
                                  "max_value": "Le numéro de commentaire est trop grand.",
                              })


def _theme_field(label="Thème", *, hidden=False, required=True):
    return ChoiceField(label=label, required=required, widget=forms.HiddenInput if hidden else forms.Select,
                             error_messages={
                                 "required": "Choisissez un thème.",
                                 "invalid_choice": f"Le thème «{NBSP}%(value)s{NBSP}» n'existe pas pour cette "
                                                   "question (il a peut-être été fusionné entre-temps).",
                             })


def _label_field(label="Libellé", *, hidden=False, max_length=LABEL_MAX_LENGTH):
    return forms.CharField(label=label, max_length=max_length, widget=forms.HiddenInput if hidden else None,
                           error_messages={"required": "Saisissez un libellé."})


class CommentaryForm(StaffForm):
    """One action of the comments pages.

    Each action form defines ``perform(user)``, which calls its service once
    the form is valid (``tests/commentary/test_views.py`` checks every one does).
    """

    name = ""            # the value of the posted « action » field
    title = ""           # the action, as the error summary names it
    done = ""            # the message once done
    page = "question"    # the page the form is on: "question" or "suggestions"
    theme_fields: tuple[str, ...] = ()    # fields choosing among the question's themes
    comment_fields: tuple[str, ...] = ()  # fields holding comment (response) ids
    same_target = ""     # the error when the « target » theme is the « theme » itself (forms with a target)

    def __init__(self, campaign, question_code: str, data=None):
        self.campaign = campaign
        self.question_code = question_code
        super().__init__(data=data, auto_id=f"{self.name}-%s")
        for name in self.theme_fields:
            field = self.fields[name]
            field.choices = ([("", "—")] if not field.required else []) + self.theme_choices
        self.dsfr_fields()

    @cached_property
    def theme_choices(self) -> list[tuple[str, str]]:
        return [(t.code, t.label) for t in services.theme_records(self.campaign, self.question_code)]

    @cached_property
    def comment_ids(self) -> set[int]:
        return {c.id for c in services.comments_of(self.campaign, self.question_code)}

    def clean(self):
        data = super().clean()
        for name in self.comment_fields:
            value = data.get(name)
            ids = value if isinstance(value, list) else [value] if value is not None else []
            unknown = [i for i in ids if i not in self.comment_ids]
            if unknown:
                listed = ", ".join(f"n°{NBSP}{i}" for i in unknown[:5]) + ("…" if len(unknown) > 5 else "")
                self.add_error(name, f"Pas de commentaire à cette question dans cette campagne pour la "
                                     f"réponse {listed}.")
        if self.same_target and data.get("theme") and data.get("theme") == data.get("target"):
            self.add_error("target", self.same_target)
        return data

    def anchor(self) -> str:
        """Where the page scrolls once the action is done."""
        return ""

    def journal(self) -> str:
        """What the audit journal says was done (after the question)."""
        return self.title


class _OneComment(CommentaryForm):
    response = _comment_field()
    theme = _theme_field(hidden=True)
    theme_fields = ("theme",)
    comment_fields = ("response",)

    def anchor(self):
        return f"#theme-{self.cleaned_data['theme']}" if self.cleaned_data.get("theme") else ""


class IncludeForm(_OneComment):
    name, title, done = "include", "Ranger un commentaire dans un thème", "Commentaire ajouté au thème."
    theme = _theme_field("Ranger dans le thème")

    def anchor(self):
        return "#sans-theme"

    def perform(self, user):
        services.decide(self.campaign, self.cleaned_data["response"], self.question_code,
                        self.cleaned_data["theme"], True, user)


class ExcludeForm(_OneComment):
    name, title, done = "exclude", "Retirer un commentaire d'un thème", "Commentaire retiré du thème."

    def perform(self, user):
        services.decide(self.campaign, self.cleaned_data["response"], self.question_code,
                        self.cleaned_data["theme"], False, user)


class MoveForm(_OneComment):
    name, title, done = "move", "Déplacer un commentaire", "Commentaire déplacé."
    target = _theme_field("Déplacer vers")
    theme_fields = ("theme", "target")
    same_target = "Choisissez un thème différent du thème de départ."

    def perform(self, user):
        services.move_comment(self.campaign, self.cleaned_data["response"], self.question_code,
                              self.cleaned_data["theme"], self.cleaned_data["target"], user)


class MarkForm(_OneComment):
    name, title = "mark", "Publier une citation"
    done = "Citation retenue pour publication (texte pseudonymisé figé)."
    theme = _theme_field(hidden=True, required=False)

    def perform(self, user):
        services.mark_quote(self.campaign, self.cleaned_data["response"], self.question_code,
                            self.cleaned_data.get("theme", ""), user)


class UnmarkForm(MarkForm):
    name, title, done = "unmark", "Ne plus publier une citation", "Citation retirée de la publication."

    def perform(self, user):
        services.unmark_quote(self.campaign, self.cleaned_data["response"], self.question_code)


class RenameForm(CommentaryForm):
    name, title, done = "rename", "Renommer un thème", "Thème modifié."
    theme = _theme_field()
    label = _label_field("Nouveau libellé")
    theme_fields = ("theme",)

    def perform(self, user):
        services.rename_theme(self.campaign, self.cleaned_data["theme"],
                              self.cleaned_data["label"])


class MergeForm(CommentaryForm):
    name, title, done = "merge", "Fusionner deux thèmes", "Thèmes fusionnés."
    theme = _theme_field("Thème à fusionner (il disparaît)")
    target = _theme_field("dans le thème")
    theme_fields = ("theme", "target")
    same_target = "On ne peut pas fusionner un thème avec lui-même."

    def perform(self, user):
        services.merge_themes(self.campaign, self.cleaned_data["theme"],
                              self.cleaned_data["target"])


class CreateForm(CommentaryForm):
    name, title, done = "create", "Créer un thème", "Thème créé."
    label = _label_field()
    keywords = forms.CharField(
        label="Mots-clés", required=False, max_length=KEYWORDS_MAX_LENGTH,
        help_text=f"Séparés par des virgules, ex.{NBSP}: tablette, ~fonctionner")

    def clean_keywords(self):
        words = [word.strip() for word in self.cleaned_data["keywords"].split(",") if word.strip()]
        for word in words:
            if len(word) > KEYWORD_MAX_LENGTH:
                raise forms.ValidationError(f"Le mot-clé {guillemets(word[:30] + '…')} est trop long "
                                            f"({KEYWORD_MAX_LENGTH} caractères au plus).")
            if not Keyword.parse(word).lemmas:
                raise forms.ValidationError(f"Le mot-clé {guillemets(word)} est vide ou ne contient que "
                                            "des mots vides.")
        return words

    def perform(self, user):
        services.create_theme(self.campaign, self.cleaned_data["label"],
                              keywords=self.cleaned_data["keywords"], question_codes=[self.question_code])


class SplitForm(CommentaryForm):
    name, title, done = "split", "Scinder un thème", "Thème scindé."
    theme = _theme_field(hidden=True)
    label = _label_field("Libellé du nouveau thème")
    responses = CommentIdsField(label="Commentaires à mettre dans le nouveau thème", error_messages={
        "required": "Cochez au moins un commentaire à mettre dans le nouveau thème."})
    theme_fields = ("theme",)
    comment_fields = ("responses",)

    def anchor(self):
        return f"#theme-{self.cleaned_data['theme']}"

    def perform(self, user):
        services.split_theme(self.campaign, self.cleaned_data["theme"], self.cleaned_data["label"],
                             [(i, self.question_code) for i in self.cleaned_data["responses"]], user)


class AcceptForm(CommentaryForm):
    """The ticked comments of a suggestion become a theme; the others stay without one."""

    name, title, done = "accept", "Accepter une suggestion", f"Suggestion acceptée{NBSP}: thème créé."
    page = "suggestions"
    label = _label_field("Libellé du thème")
    members = CommentIdsField(label="Commentaires de la suggestion", error_messages={
        "required": "Cochez au moins un commentaire de la suggestion."})
    # Every comment of the suggestion as shown (ticked or not): says which suggestion the form was.
    everyone = CommentIdsField(label="Commentaires proposés", required=False)
    comment_fields = ("members", "everyone")

    def clean(self):
        data = super().clean()
        everyone = set(data.get("everyone") or ())
        if everyone and not set(data.get("members") or ()) <= everyone:
            self.add_error("members", "Un commentaire coché ne fait pas partie de la suggestion.")
        return data

    def perform(self, user):
        services.accept_suggestion(self.campaign, self.question_code, self.cleaned_data["label"],
                                   self.cleaned_data["members"], user)


class SplitSuggestionForm(AcceptForm):
    """A suggestion that mixes two subjects: the ticked comments make one theme, the others a second."""

    name, title, done = ("split_suggestion", "Diviser une suggestion",
                         f"Suggestion divisée{NBSP}: deux thèmes créés.")
    label = _label_field("Libellé du thème des commentaires cochés")
    other_label = _label_field("Libellé du thème des commentaires décochés")
    everyone = CommentIdsField(label="Commentaires proposés", error_messages={
        "required": "La suggestion à diviser manque au formulaire."})

    def clean(self):
        data = super().clean()
        members, everyone = data.get("members"), data.get("everyone")
        if members and everyone and not set(everyone) - set(members):
            self.add_error("members", f"Décochez au moins un commentaire{NBSP}: les commentaires décochés forment "
                                      "le second thème.")
        label, other = data.get("label"), data.get("other_label")
        if label and other and label.strip().casefold() == other.strip().casefold():
            self.add_error("other_label", "Choisissez un libellé différent de celui du premier thème.")
        return data

    def journal(self) -> str:
        return f"{self.title} ({guillemets(self.cleaned_data['label'])} et " \
               f"{guillemets(self.cleaned_data['other_label'])})"

    def perform(self, user):
        members = self.cleaned_data["members"]
        rest = [i for i in self.cleaned_data["everyone"] if i not in set(members)]
        services.split_suggestion(self.campaign, self.question_code, self.cleaned_data["label"], members,
                                  self.cleaned_data["other_label"], rest, user)


class DismissForm(CommentaryForm):
    name, title, done = "dismiss", "Écarter une suggestion", "Suggestion écartée."
    page = "suggestions"
    label = _label_field("Suggestion", hidden=True, max_length=SUGGESTION_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].error_messages["required"] = "La suggestion à écarter manque au formulaire."

    def perform(self, user):
        services.dismiss_suggestion(self.campaign, self.question_code, self.cleaned_data["label"])


ACTION_FORMS: dict[str, type[CommentaryForm]] = {form.name: form for form in (
    IncludeForm, ExcludeForm, MoveForm, MarkForm, UnmarkForm, RenameForm, MergeForm, CreateForm, SplitForm,
    AcceptForm, SplitSuggestionForm, DismissForm)}
# The forms of the « Gérer les thèmes » block, drawn from form objects (the others are per comment).
MANAGE_FORMS = ("rename", "merge", "create")


class ActionChoiceForm(StaffForm):
    """Which action a post asks for (the hidden « action » field of every form of the pages)."""

    name, title = "", "Action refusée"
    # No label: the summary shows the message alone (« Action « … » inconnue. »).
    action = ChoiceField(label="", widget=forms.HiddenInput,
                         choices=[(action, form.title) for action, form in ACTION_FORMS.items()],
                         error_messages={"required": "Le formulaire ne dit pas quelle action faire.",
                                         "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})


class ReviewForm(CommentaryForm):
    """The review page: the themes the team gives one comment (none ticked: no theme of this question)."""

    name, title, done = "review", "Relecture refusée", "Commentaire relu : ses thèmes sont enregistrés."
    page = "review"
    response = _comment_field()
    themes = forms.MultipleChoiceField(
        label="Thèmes de ce commentaire", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": f"Le thème «{NBSP}%(value)s{NBSP}» n'existe pas pour cette question "
                                          "(il a peut-être été fusionné entre-temps)."})
    comment_fields = ("response",)

    def __init__(self, campaign, question_code: str, data=None):
        super().__init__(campaign, question_code, data=data)
        self.fields["themes"].choices = self.theme_choices

    def journal(self) -> str:
        return f"commentaire {self.cleaned_data['response']} relu"

    def perform(self, user):
        review.confirm_review(self.campaign, self.question_code, self.cleaned_data["response"],
                       self.cleaned_data["themes"], user)
