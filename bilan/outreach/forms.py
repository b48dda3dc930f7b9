from typing import ClassVar

from django import forms
from django.core.validators import MaxLengthValidator

from bilan.core.forms import NBSP, ChoiceField, StaffForm
from bilan.outreach.models import MailTemplate, ReminderPolicy
from bilan.outreach.rendering import template_problems

BODY_MAX_LENGTH = 50_000  # a long e-mail is a few thousand characters


class MailTemplateForm(forms.ModelForm):
    class Meta:
        model = MailTemplate
        fields = ("subject", "text_body", "html_body")
        widgets: ClassVar[dict] = {"text_body": forms.Textarea(attrs={"rows": 12}),
                                   "html_body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's text fields are unbounded; what the page accepts is not.
        for name in ("text_body", "html_body"):
            self.fields[name].max_length = BODY_MAX_LENGTH
            self.fields[name].validators.append(MaxLengthValidator(BODY_MAX_LENGTH))

    def clean(self):
        data = super().clean()
        problems = template_problems(data.get("subject", ""), data.get("text_body", ""), data.get("html_body", ""))
        if problems:
            raise forms.ValidationError(problems)
        return data


class DaysField(forms.CharField):
    """« 7, 14 » ↔ [7, 14]."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(day) for day in value)
        return value

    def to_python(self, value):
        text = (value or "").strip()
        if not text:
            return []
        days = []
        for part in text.replace(";", ",").split(","):
            part = part.strip()
            if not part.isdigit() or not 1 <= int(part) <= 365:
                raise forms.ValidationError(f"« {part} » n'est pas un nombre de jours entre 1 et 365")
            days.append(int(part))
        return sorted(set(days))


class ReminderPolicyForm(forms.ModelForm):
    days_after_opening = DaysField(label="Relancer … jours après l'ouverture", required=False,
                                   help_text="Nombres séparés par des virgules, ex. 7, 14")
    days_before_closing = DaysField(label="Relancer … jours avant la clôture", required=False,
                                    help_text="Ex. 2")
    target_rate = forms.IntegerField(label="Taux de réponse visé (en %)", min_value=1, max_value=100)

    class Meta:
        model = ReminderPolicy
        fields = ("enabled", "days_after_opening", "days_before_closing", "max_reminders", "min_gap_days",
                  "target_rate", "lagging_strata_first", "send_thanks")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["target_rate"] = round((self.instance.target_rate or 0.5) * 100)

    def clean_target_rate(self):
        return self.cleaned_data["target_rate"] / 100


REMINDER_ACTIONS = {"policy": "Enregistrer la politique de relance", "send": "Envoyer les relances"}


def action_field(actions: dict[str, str]) -> ChoiceField:
    """The hidden « action » field that says which of a page's forms was sent."""
    return ChoiceField(label="", widget=forms.HiddenInput, choices=list(actions.items()),
                       error_messages={"required": "Le formulaire ne dit pas quelle action faire.",
                                       "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})


def announced_count_field(label: str, of_what: str) -> forms.IntegerField:
    """The hidden count a page announced on its button (« … (N) »), sent back to be checked:
    ``of_what`` completes « Le nombre … annoncé » (« de relances », « d'invitations »)."""
    return forms.IntegerField(label=label, widget=forms.HiddenInput, min_value=0, max_value=1_000_000,
                              error_messages={
                                  "required": f"Le nombre {of_what} annoncé manque au formulaire.",
                                  "invalid": f"Le nombre {of_what} annoncé doit être un nombre entier.",
                                  "min_value": f"Le nombre {of_what} annoncé ne peut pas être négatif.",
                                  "max_value": f"Le nombre {of_what} annoncé est trop grand."})


class ReminderActionForm(StaffForm):
    """Which of the reminders page's two forms was sent (its hidden « action » field)."""

    action = action_field(REMINDER_ACTIONS)


class SendRemindersForm(StaffForm):
    """« Send the reminders now »: ``expected`` is the count the page announced."""

    expected = announced_count_field("Relances annoncées", "de relances")


INVITATIONS_ACTIONS = {"invite": "Mettre en file les invitations", "remind": "Relancer maintenant"}


class InvitationsActionForm(StaffForm):
    """Which of the invitations page's two buttons was pressed (its hidden « action » field)."""

    action = action_field(INVITATIONS_ACTIONS)


class QueueInvitationsForm(StaffForm):
    """« Mettre en file les invitations (N) »: ``expected`` is the N the page showed."""

    expected = announced_count_field("Invitations annoncées", "d'invitations")
