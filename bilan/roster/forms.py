"""The forms of the roster pages: a roster file and its year, the confirmation of an upload,
one referent, one school. Errors are French and show under their field (django-dsfr markup)."""

from __future__ import annotations

from pathlib import Path

from django import forms

from bilan.core.forms import NBSP, ChoiceField, StaffForm, guillemets, shown
from bilan.french import french_spacing
from bilan.interop.tabular import SUPPORTED_EXTENSIONS
from bilan.roster.importer import email_problem, parse_school_year
from bilan.roster.models import Referent, RosterUpload, SchoolType
from bilan.roster.services import MAX_UPLOAD_BYTES, academie_schools, upload_expired

YEAR_HELP = "Sous la forme AAAA-AAAA, par exemple 2024-2025"


def next_school_year(year: str) -> str:
    start = int(year[:4]) + 1
    return f"{start}-{start + 1}"


class SchoolYearField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(label="Année scolaire", help_text=YEAR_HELP, max_length=20,
                         error_messages={"required": "Indiquez l'année scolaire du référentiel.",
                                         "max_length": "Année scolaire invalide (attendu AAAA-AAAA)."},
                         **kwargs)

    def clean(self, value):
        value = super().clean(value)
        year = parse_school_year(value)
        if year is None:
            raise forms.ValidationError(
                f"Année scolaire {guillemets(shown(value))} invalide{NBSP}: deux années qui se suivent, "
                "par exemple 2024-2025.", code="invalid")
        return year


class UploadForm(StaffForm):
    fichier = forms.FileField(
        label="Fichier du référentiel",
        help_text=f"CSV, XLSX ou ODS, 5{NBSP}Mo au plus{NBSP}; une ligne par référent·e et par établissement",
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ",".join(SUPPORTED_EXTENSIONS)}),
        error_messages={"required": "Choisissez un fichier de référentiel.",
                        "empty": "Le fichier envoyé est vide.",
                        "invalid": "Envoyez un fichier de référentiel."})
    school_year = SchoolYearField()

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(data=data, files=files, auto_id="%s", **kwargs)
        self.fields["fichier"].widget.group_class = "fr-upload-group"
        self.dsfr_fields()

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        extension = Path(upload.name).suffix.lower()
        if extension not in SUPPORTED_EXTENSIONS:
            shown_extension = guillemets(shown(extension)) if extension else "absente"
            raise forms.ValidationError(
                f"Extension {shown_extension} non prise en charge{NBSP}: enregistrez le fichier au format "
                ".csv, .xlsx ou .ods.")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Fichier trop gros ({upload.size // 1024}{NBSP}Ko, 5{NBSP}Mo au plus){NBSP}: "
                "découpez-le ou utilisez la commande « bilan import roster ».")
        return upload


class ConfirmForm(StaffForm):
    """Which previewed upload to import: one of this pilot's, for this académie, still fresh."""

    upload = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Le formulaire ne dit pas quel fichier importer.",
                        "invalid": "Le fichier à importer doit être désigné par un numéro (nombre entier)."})

    def __init__(self, academie, user, data=None, **kwargs):
        self.academie, self.user = academie, user
        super().__init__(data=data, auto_id="%s", **kwargs)

    def clean_upload(self):
        number = self.cleaned_data["upload"]
        upload = (RosterUpload.objects.select_related("academie")
                  .filter(pk=number, academie=self.academie, user=self.user).first())
        if upload is None:
            raise forms.ValidationError(f"Ce fichier n'est pas en attente d'import pour vous{NBSP}: "
                                        "envoyez-le à nouveau.")
        if upload.applied_at is None and upload_expired(upload):
            raise forms.ValidationError(f"Ce fichier a été envoyé il y a plus d'un jour{NBSP}: "
                                        "envoyez-le à nouveau pour revoir l'aperçu avant de confirmer.")
        return upload


class ReferentForm(StaffForm):
    """A referent's names and address, and their schools for one school year.

    Each mandate of the year is a select (``school-<mandate id>``) where « Retirer » ends it; ``add_school``
    gives the referent one more school.
    """

    first_name = forms.CharField(label="Prénom", max_length=80)
    last_name = forms.CharField(label="Nom", max_length=80)
    email = forms.CharField(label="Courriel", max_length=254,
                            help_text="Une nouvelle adresse efface la mention « adresse refusée ».")

    REMOVE = "-"

    def __init__(self, referent, academie, mandates, data=None):
        self.referent, self.academie, self.mandates = referent, academie, list(mandates)
        super().__init__(data=data, auto_id="%s", initial={
            "first_name": referent.first_name, "last_name": referent.last_name, "email": referent.email})
        choices = [(school.uai, f"{school.name} ({school.uai})")
                   for school in academie_schools(academie).order_by("name", "uai")]
        for index, mandate in enumerate(self.mandates, start=1):
            self.fields[f"school-{mandate.pk}"] = ChoiceField(
                label=f"Établissement {index}" if len(self.mandates) > 1 else "Établissement",
                choices=[*choices, (self.REMOVE, "Retirer ce mandat")], initial=mandate.school.uai,
                error_messages={"invalid_choice": f"Établissement {guillemets('%(value)s')} inconnu dans "
                                                  "l'académie."})
        self.fields["add_school"] = ChoiceField(
            label="Ajouter un établissement", required=False, choices=[("", "— aucun —"), *choices],
            error_messages={"invalid_choice": f"Établissement {guillemets('%(value)s')} inconnu dans l'académie."})
        self.dsfr_fields()

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def clean_last_name(self):
        return " ".join(self.cleaned_data["last_name"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if problem := email_problem(email):
            raise forms.ValidationError(french_spacing(problem[:1].upper() + problem[1:] + "."))
        if Referent.objects.filter(email__iexact=email).exclude(pk=self.referent.pk).exists():
            raise forms.ValidationError("Cette adresse est déjà celle d'un·e autre référent·e.")
        return email

    def school_choices(self) -> tuple[dict[int, str], str]:
        """(mandate id -> UAI or REMOVE, UAI to add or "") once valid."""
        changes = {mandate.pk: self.cleaned_data[f"school-{mandate.pk}"] for mandate in self.mandates}
        return changes, self.cleaned_data.get("add_school") or ""


class SchoolForm(StaffForm):
    name = forms.CharField(label="Nom", max_length=200)
    type = ChoiceField(label="Type", choices=SchoolType.choices,
                       error_messages={"invalid_choice": f"Type {guillemets('%(value)s')} inconnu."})
    commune = forms.CharField(label="Commune", max_length=120, required=False)
    departement = ChoiceField(label="Département",
                              error_messages={"invalid_choice": f"Département {guillemets('%(value)s')} "
                                                                "hors de l'académie."})

    def __init__(self, school, academie, data=None):
        self.school = school
        super().__init__(data=data, auto_id="%s", initial={
            "name": school.name, "type": school.type, "commune": school.commune,
            "departement": school.departement.code})
        self.departements = {d.code: d for d in academie.departements.all()}
        self.fields["departement"].choices = [(code, str(d)) for code, d in self.departements.items()]
        self.dsfr_fields()

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_commune(self):
        return " ".join(self.cleaned_data["commune"].split())

    def clean_departement(self):
        return self.departements[self.cleaned_data["departement"]]
