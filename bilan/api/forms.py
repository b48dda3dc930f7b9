"""The « Jetons d'API » page's forms: create a token with a label, revoke one."""

from __future__ import annotations

from django import forms

from bilan.core.forms import NBSP, ChoiceField, StaffForm

LABEL_MAX_LENGTH = 100
TOKEN_ACTIONS = {"create": "Créer", "revoke": "Révoquer"}


class TokenActionForm(StaffForm):
    """Which of the page's forms was sent (its hidden « action » field)."""

    action = ChoiceField(label="", widget=forms.HiddenInput, choices=list(TOKEN_ACTIONS.items()),
                         error_messages={"required": "Le formulaire ne dit pas quelle action faire.",
                                         "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})


class CreateTokenForm(StaffForm):
    label = forms.CharField(
        label="Libellé", max_length=LABEL_MAX_LENGTH,
        help_text="À quoi servira le jeton, pour le reconnaître dans la liste. Exemple : tableau de bord du rectorat",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Saisissez un libellé : à quoi servira le jeton."})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "create-%s")
        super().__init__(*args, **kwargs)

    def clean_label(self):
        label = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise forms.ValidationError(self.fields["label"].error_messages["required"])
        return label


class RevokeTokenForm(StaffForm):
    token = forms.IntegerField(widget=forms.HiddenInput, min_value=1, error_messages={
        "required": "Le formulaire ne dit pas quel jeton révoquer.",
        "invalid": "Le jeton à révoquer doit être désigné par son numéro (nombre entier).",
        "min_value": "Le jeton à révoquer doit être désigné par son numéro (nombre entier)."})
