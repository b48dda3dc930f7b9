"""The team page's forms (invite, change a role, remove access) and the password forms, in French."""

from __future__ import annotations

import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm, SetPasswordMixin

from bilan.core.forms import NBSP, ChoiceField, StaffForm
from bilan.core.models import Membership, Role

TEAM_ACTIONS = {"invite": "Inviter", "role": "Changer le rôle", "remove": "Retirer l'accès",
                "reset_2fa": "Réinitialiser la double authentification"}
ROLE_CHOICES = [(Role.READER.value, "Lecteur·rice : voit les résultats et le compte-rendu"),
                (Role.PILOT.value, "Pilote : mène les campagnes, gère l'équipe")]
# The invited address is also the account's login (``username``, 150 characters at most).
EMAIL_MAX_LENGTH = 150


def role_field(**extra) -> ChoiceField:
    return ChoiceField(label="Rôle", choices=ROLE_CHOICES, widget=forms.RadioSelect, error_messages={
        "required": "Choisissez un rôle : pilote ou lecteur·rice.",
        "invalid_choice": f"Rôle «{NBSP}%(value)s{NBSP}» inconnu : choisissez pilote ou lecteur·rice."}, **extra)


class TeamActionForm(StaffForm):
    """Which of the team page's forms was sent (its hidden « action » field)."""

    action = ChoiceField(label="", widget=forms.HiddenInput, choices=list(TEAM_ACTIONS.items()),
                         error_messages={"required": "Le formulaire ne dit pas quelle action faire.",
                                         "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})


class InviteForm(StaffForm):
    email = forms.EmailField(label="Adresse électronique", max_length=EMAIL_MAX_LENGTH,
                             help_text="Format attendu : prenom.nom@ac-exemple.fr",
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}),
                             error_messages={"required": "Saisissez l'adresse électronique de la personne à inviter.",
                                             "invalid": "Saisissez une adresse électronique valide, "
                                                        "par exemple prenom.nom@ac-exemple.fr."})
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = role_field()

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "invite-%s")
        super().__init__(*args, **kwargs)

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class MemberField(forms.IntegerField):
    """A membership of the page's académie, by id: one of another académie is refused as unknown."""

    def __init__(self, academie, **kwargs):
        self.academie = academie
        super().__init__(widget=forms.HiddenInput, min_value=1, error_messages={
            "required": "Le formulaire ne dit pas de quelle personne il s'agit.",
            "invalid": "La personne visée doit être désignée par un numéro (nombre entier).",
            "min_value": "La personne visée doit être désignée par un numéro positif."}, **kwargs)

    def clean(self, value):
        number = super().clean(value)
        membership = (Membership.objects.select_related("user")
                      .filter(pk=number, academie=self.academie).first())
        if membership is None:
            raise forms.ValidationError(f"Personne n°{NBSP}{number} introuvable dans l'équipe de cette académie.")
        return membership


class MemberForm(StaffForm):
    """Remove a person's access: the membership, of this académie only."""

    def __init__(self, academie, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = MemberField(academie, label="Personne")


class RoleForm(MemberForm):
    def __init__(self, academie, *args, **kwargs):
        super().__init__(academie, *args, **kwargs)
        self.fields["role"] = role_field()


class ChoosePasswordForm(StaffForm, SetPasswordForm):
    """Django's new-password form (its validators, in French), drawn by django-dsfr."""

    # Declared here: django-dsfr binds the fields (their labels) as the form is built.
    new_password1, new_password2 = SetPasswordMixin.create_password_fields(
        label1="Nouveau mot de passe", label2="Le même mot de passe, pour confirmer")

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self["new_password2"].help_text = ("Saisissez-le une seconde fois, pour vérifier qu'il n'y a pas "
                                           "de faute de frappe.")


class ForgottenPasswordForm(StaffForm, PasswordResetForm):
    """Django's forgotten-password form; an invited colleague whose link expired gets a new one too.

    Django leaves out accounts without a usable password: those are the invited colleagues who
    have not chosen one yet, and the page that says their link expired sends them here.
    The page says the same whether the address has an account or not.
    """

    email = forms.EmailField(
        label="Adresse électronique", max_length=254,
        help_text="Celle de votre compte, par exemple prenom.nom@ac-exemple.fr",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}), error_messages={
            "required": "Saisissez l'adresse électronique de votre compte.",
            "invalid": "Saisissez une adresse électronique valide, par exemple prenom.nom@ac-exemple.fr."})

    def get_users(self, email):
        model = get_user_model()
        candidates = model._default_manager.filter(**{f"{model.get_email_field_name()}__iexact": email},
                                                   is_active=True)
        return (user for user in candidates
                if same_address(email, getattr(user, model.get_email_field_name()))
                and (user.has_usable_password() or user.memberships.exists()))


def same_address(one: str, other: str) -> bool:
    """Case-insensitive and Unicode-normalised, as Django compares them (a lookalike letter is not the same)."""
    return unicodedata.normalize("NFKC", one).casefold() == unicodedata.normalize("NFKC", other).casefold()
