"""The forms of a campaign's own pages: create it, change its settings, change its state.

Each value is checked with the rules of :mod:`bilan.dashboard.services` (the same French
messages as from a script); errors show under their field (django-dsfr markup).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from bilan.core.forms import NBSP, ChoiceField, StaffForm
from bilan.dashboard import services
from bilan.surveys.models import Campaign

TITLE_MAX_LENGTH = Campaign._meta.get_field("title").max_length
MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def moment_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    """A date and time chosen in the browser's date picker (read in the site's time zone)."""
    return forms.DateTimeField(
        label=label, required=required, help_text=help_text or "Date et heure, par exemple 01/09/2026 09:00",
        input_formats=[MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
        error_messages={"required": f"Choisissez la date et l'heure ({label.lower()}).",
                        "invalid": "Saisissez une date et une heure valides, par exemple 01/09/2026 09:00."})


def title_field() -> forms.CharField:
    return forms.CharField(label="Titre", max_length=TITLE_MAX_LENGTH,
                           help_text="Tel qu'il apparaît aux personnes invitées, ex. Bilan des RUPN 2026/2027",
                           error_messages={"required": "Donnez un titre à la campagne."})


SAME = "source"
BUILTIN = services.BUILTIN
ANONYMITY = [(SAME, "Comme la campagne de départ"), ("named", "Nominative (une réponse par personne invitée, "
             "rattachée à elle)"), ("anonymous", "Anonyme (aucune donnée ne relie une réponse à une personne)")]


class CampaignCreateForm(StaffForm):
    """A new campaign: from one of the académie's campaigns (its settings carried over) or from scratch."""

    source = ChoiceField(label="Campagne de départ", required=False,
                         help_text="Ses réglages sont repris, sauf ce que vous changez ci-dessous.",
                         error_messages={"invalid_choice": f"La campagne «{NBSP}%(value)s{NBSP}» n'est pas "
                                                           "une campagne de cette académie."})
    title = title_field()
    school_year = forms.CharField(label="Année scolaire", max_length=9, help_text="Ex. 2026-2027",
                                  error_messages={"required": "Indiquez l'année scolaire, par exemple 2026-2027."})
    slug = forms.CharField(label="Identifiant court", max_length=services.SLUG_MAX_LENGTH, required=False,
                           help_text=f"Dans l'adresse des pages et les commandes{NBSP}; "
                                     f"laissé vide{NBSP}: l'année scolaire.")
    opens_at = moment_field("Ouverture")
    closes_at = moment_field("Clôture")
    questionnaire = ChoiceField(label="Questionnaire",
                                error_messages={"invalid_choice": f"Questionnaire «{NBSP}%(value)s{NBSP}» inconnu."})
    anonymity = ChoiceField(label="Mode de réponse", choices=ANONYMITY, widget=forms.RadioSelect, initial=SAME,
                            error_messages={"invalid_choice": f"Mode «{NBSP}%(value)s{NBSP}» inconnu.",
                                            "required": "Choisissez le mode de réponse."})
    copy_mail_templates = forms.BooleanField(
        label="Reprendre les modèles de courriel de la campagne de départ", required=False, initial=True,
        help_text=f"Invitation, relance, remerciement{NBSP}; sinon les textes par défaut. Ils restent modifiables.")
    copy_reminder_policy = forms.BooleanField(
        label="Reprendre la politique de relance de la campagne de départ", required=False, initial=True,
        help_text=f"Jours des relances, nombre maximal, écart entre deux messages{NBSP}; elle reste modifiable.")

    def __init__(self, academie, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.academie = academie
        self.campaigns = {c.slug: c for c in services.campaigns_of(academie)}
        self.versions = {str(v.pk): v for v in services.questionnaire_choices(academie)}
        scratch = f"Aucune{NBSP}: partir de zéro (questionnaire intégré, réglages par défaut)"
        self.fields["source"].choices = [("", scratch)] + [
            (c.slug, f"{c.title} ({c.school_year}) — {c.questionnaire}, {'anonyme' if c.anonymous else 'nominative'}")
            for c in self.campaigns.values()]
        self.fields["questionnaire"].choices = [
            (SAME, "Celui de la campagne de départ"), (BUILTIN, "Le questionnaire intégré (bilan des RUPN)"),
            *((pk, f"{v} — {v.code}") for pk, v in self.versions.items())]
        self.fields["questionnaire"].initial = SAME

    def clean_school_year(self):
        return services.check_school_year(self.cleaned_data["school_year"])

    def clean(self):
        data = super().clean()
        data["source_campaign"] = self.campaigns.get(data.get("source") or "")
        if not data.get("slug") and data.get("school_year"):
            data["slug"] = data["school_year"]
        slug = (data.get("slug") or "").strip()
        if slug:
            problem = services.slug_problem(slug, academie=self.academie)
            if problem:
                self.add_error("slug", problem)
        if data.get("opens_at") and data.get("closes_at"):
            try:
                services.check_dates(data["opens_at"], data["closes_at"])
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def options(self) -> dict:
        """The keyword arguments of :func:`services.create_campaign` the pilot chose."""
        data = self.cleaned_data
        choice = data["questionnaire"]
        if choice == SAME:
            questionnaire = None  # the source's, or the built-in one from scratch
        elif choice == BUILTIN:
            questionnaire = services.BUILTIN  # registered in the creation's transaction
        else:
            questionnaire = self.versions[choice]
        anonymous = {SAME: None, "named": False, "anonymous": True}[data["anonymity"]]
        return {"academie": self.academie, "source": data["source_campaign"], "title": data["title"],
                "school_year": data["school_year"], "slug": data["slug"], "opens_at": data["opens_at"],
                "closes_at": data["closes_at"], "questionnaire": questionnaire, "anonymous": anonymous,
                "copy_mail_templates": data["copy_mail_templates"],
                "copy_reminder_policy": data["copy_reminder_policy"]}


class CampaignSettingsForm(StaffForm):
    title = title_field()
    opens_at = moment_field("Ouverture")
    closes_at = moment_field("Clôture")
    anonymous = forms.BooleanField(
        label="Campagne anonyme", required=False,
        help_text="Aucune donnée enregistrée ne relie une réponse à une personne. "
                  "Ne change plus dès qu'une réponse est enregistrée.")

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at"):
            try:
                services.check_dates(data["opens_at"], data["closes_at"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


class CampaignStateForm(StaffForm):
    """One of the hub's state buttons (its hidden « action »), with the new closing date to extend."""

    action = ChoiceField(label="Action", widget=forms.HiddenInput,
                         choices=[(t.code, t.label) for t in services.TRANSITIONS.values()],
                         error_messages={"required": "Le formulaire ne dit pas quel changement d'état faire.",
                                         "invalid_choice": f"Action «{NBSP}%(value)s{NBSP}» inconnue."})
    closes_at = moment_field("Nouvelle clôture", required=False, help_text="Date et heure de la nouvelle clôture")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id="etat-%s", **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("action") != "extend" and "closes_at" in self.errors:
            # Only « Prolonger » sends a date.
            del self.errors["closes_at"]
        return data
